/// HTML text escaping for the summary page.
enum HTML {
    /// `text` safe inside an element or a double- or single-quoted attribute: `&`, `<`, `>`, `"`
    /// and `'` become character references, so stored text can never open a tag, end an
    /// attribute or start a script.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Escaped text with its line breaks kept (`<br>`), for conclusions and recommendations.
    static func escapeKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "<br>")
    }

    /// What the record a thing was imported from said of it that has no field of its own
    /// (`sourceNotes`, one text or several), in small text after it: "From the record: …", its
    /// lines kept (blank ones dropped); empty when there is none. Never the patient's notes.
    static func sourceNotes(_ texts: [String?]) -> String {
        var seen: Set<String> = []
        let lines = texts.compactMap { $0 }.filter { seen.insert($0).inserted }
            .flatMap { $0.split(separator: "\n").map { escape(String($0)) } }
        guard !lines.isEmpty else { return "" }
        return "<br><span class=\"source-notes\">From the record: " + lines.joined(separator: "<br>") + "</span>"
    }

    /// `escape(address)` with a line break allowed before each "@" and ".", where an e-mail
    /// address is broken by convention, so that a narrow column never splits one inside a word.
    static func escapeAddress(_ address: String) -> String {
        var result = ""
        for character in address {
            if character == "@" || character == "." { result += "<wbr>" }
            result += escape(String(character))
        }
        return result
    }
}
