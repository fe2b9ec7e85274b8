import Foundation

/// Turns the bytes of a text-like record file into the text the search index keeps.
///
/// Text-like means `text/plain`, `text/markdown`, `text/csv`, `text/html` or XML (`text/xml`,
/// `application/xml`, a C-CDA document's narrative; parameters such as `; charset=utf-8` ignored).
/// Bytes are read as UTF-8, invalid sequences replaced; HTML and XML lose their markup (HTML its
/// scripts and styles too), and their common entities are decoded. Only the first `maxBytes` of a
/// file are indexed, which keeps memory bounded whatever the file's size.
public enum FileTextExtractor {
    /// 4 MiB of text: far more than any report, small enough to hold in memory once.
    public static let maxBytes = 4 << 20

    public static func isTextLike(_ mediaType: String) -> Bool {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return ["text/plain", "text/markdown", "text/csv", "text/html", "text/xml", "application/xml"].contains(base)
    }

    /// The text of a file of `mediaType` whose first bytes are `bytes`.
    public static func text(of bytes: [UInt8], mediaType: String) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        let base = mediaType.lowercased()
        let isMarkup = base.hasPrefix("text/html") || base.hasPrefix("text/xml") || base.hasPrefix("application/xml")
        return isMarkup ? plainText(fromHTML: decoded) : decoded
    }

    /// The words of an HTML document: tags dropped, `<script>`/`<style>` content dropped, entities decoded.
    static func plainText(fromHTML html: String) -> String {
        var output = ""
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            output += decodeEntities(rest[..<open])
            let tagStart = rest[open...]
            guard let close = tagStart.firstIndex(of: ">") else { rest = ""; break }
            let tag = tagStart[tagStart.index(after: open)..<close].lowercased()
            rest = tagStart[tagStart.index(after: close)...]
            for skipped in ["script", "style"] where tag == skipped || tag.hasPrefix(skipped + " ") {
                if let end = rest.range(of: "</\(skipped)", options: .caseInsensitive) {
                    rest = rest[end.upperBound...]
                    if let gt = rest.firstIndex(of: ">") { rest = rest[rest.index(after: gt)...] }
                } else {
                    rest = ""
                }
            }
            output += " "
        }
        output += decodeEntities(rest)
        return output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var output = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(10).firstIndex(of: ";"), let decoded = entity(String(after[..<semi])) {
                output.append(decoded)
                rest = after[after.index(after: semi)...]
            } else {
                output.append("&")
                rest = after
            }
        }
        return output + rest
    }

    static func entity(_ name: String) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            let number: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                number = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                number = UInt32(name.dropFirst())
            } else {
                number = nil
            }
            return number.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }
}

extension HealthStore {
    /// Extracts and stores the text of file `fileID` when it is text-like and not indexed yet.
    ///
    /// `addRecord` calls this for a new file before it inserts the record, so that the record's
    /// own trigger indexes the text at once: indexing it afterwards made the search index drop
    /// and re-add the record, and looking through every record for unindexed files made adding
    /// n records take time in n².
    func indexFileText(fileID: Int64, mediaType: String) throws {
        guard FileTextExtractor.isTextLike(mediaType),
              try database.scalar("SELECT 1 FROM file_texts WHERE file_id = ?", [fileID], as: Int64?.self) == nil else {
            return
        }
        var bytes: [UInt8] = []
        try database.forEach("""
            SELECT c.data FROM file_chunks c JOIN files f ON f.id = c.file_id
            WHERE c.file_id = ? AND c.seq * f.chunk_size < ? ORDER BY c.seq
            """, [fileID, FileTextExtractor.maxBytes]) { row in
            guard bytes.count < FileTextExtractor.maxBytes else { return }
            try row.withUnsafeBlob("data") { chunk in
                bytes.append(contentsOf: chunk.prefix(FileTextExtractor.maxBytes - bytes.count))
            }
        }
        let text = FileTextExtractor.text(of: bytes, mediaType: mediaType)
        try database.run("INSERT INTO file_texts (file_id, text) VALUES (?, ?)", [fileID, text])
    }
}
