import Foundation

/// Refuses XML that is meant to be UTF-8 (it says so, or names no encoding, which means UTF-8)
/// but is not: Foundation's `XMLParser` on Linux stops the whole program on an element or
/// attribute name that is not valid UTF-8 (found by fuzzing), so such a file must never reach it.
/// Reads the file in 1 MiB slices; memory stays at one slice.
enum UTF8Check {
    static func check(path: String, name: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.noInput(path: name, reason: "the file cannot be read")
        }
        defer { try? handle.close() }
        var carried: [UInt8] = []
        var offset = 0
        var first = true
        while true {
            let data: Data
            do { data = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ImportError.io(path: name, reason: "the file cannot be read")
            }
            var bytes = carried + data
            if first {
                first = false
                guard declaresUTF8(bytes) else { return }
            }
            let atEnd = data.isEmpty
            // Hold back an unfinished last scalar for the next slice.
            let cut = atEnd ? bytes.count : completeLength(bytes)
            carried = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
            if String(validating: bytes, as: UTF8.self) == nil {
                let bad = offset + firstInvalidIndex(bytes)
                throw ImportError.badData(ImportPlace(file: name, position: .wholeFile),
                                          "is not valid UTF-8 (byte \(bad)); save it as UTF-8, or name its encoding in the XML declaration")
            }
            offset += bytes.count
            if atEnd { return }
        }
    }

    /// False only when the XML declaration names, as XML writes it (`encoding="ISO-8859-1"`: an
    /// equals sign, a quoted name of letters, digits, `.`, `_` and `-` starting with a letter), an
    /// encoding other than UTF-8: libxml2 then decodes the file into UTF-8 itself, or refuses an
    /// encoding it does not know. A declaration without one, or a malformed one (`<?xml
    /// encoding?>`, a name of other bytes), is UTF-8's: its bytes are checked, since libxml2 reads
    /// on past such a declaration and hands the names it finds to `XMLParser` (found by fuzzing).
    static func declaresUTF8(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"),
              let end = head.range(of: "?>"), let key = head[..<end.lowerBound].range(of: "encoding") else { return true }
        var rest = head[key.upperBound..<end.lowerBound].drop(while: \.isWhitespace)
        guard rest.first == "=" else { return true }
        rest = rest.dropFirst().drop(while: \.isWhitespace)
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return true }
        let name = rest.dropFirst().prefix { $0 != quote }
        let closed = rest.dropFirst().count > name.count
        guard closed, let first = name.first, first.isASCII, first.isLetter,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else {
            return true
        }
        let encoding = name.lowercased()
        return encoding == "utf-8" || encoding == "utf8"
    }

    /// The length of `bytes` without an unfinished scalar at its end.
    private static func completeLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0, back < 3, bytes[index - 1] & 0xC0 == 0x80 {
            index -= 1
            back += 1
        }
        guard index > 0 else { return bytes.count }
        let lead = bytes[index - 1]
        let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return needed > back + 1 ? index - 1 : bytes.count
    }

    private static func firstInvalidIndex(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var position = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { position += scalar.count }
        return position
    }
}
