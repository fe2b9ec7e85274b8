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
        // Most media types come as one of these exactly: answered without splitting and lowercasing.
        if textLikeTypes.contains(mediaType) { return true }
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return textLikeTypes.contains(base)
    }

    private static let textLikeTypes: Set<String> = ["text/plain", "text/markdown", "text/csv", "text/html", "text/xml", "application/xml"]

    /// The text of a file of `mediaType` whose first bytes are `bytes`.
    public static func text(of bytes: [UInt8], mediaType: String) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        let base = mediaType.lowercased()
        let isMarkup = base.hasPrefix("text/html") || base.hasPrefix("text/xml") || base.hasPrefix("application/xml")
        return isMarkup ? plainText(fromHTML: decoded) : decoded
    }

    /// The words of an HTML (or XML) document, separated by single spaces: tags dropped,
    /// `<script>`/`<style>` content dropped, entities decoded, white space (Unicode's) collapsed.
    ///
    /// One pass over the UTF-8 bytes: a C-CDA document of several megabytes is indexed when it is
    /// imported, and working character by character cost a quarter of that import.
    static func plainText(fromHTML html: String) -> String {
        var words = Words()
        var html = html
        html.withUTF8 { bytes in
            let count = bytes.count
            var index = 0
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "<"):
                    guard let close = firstIndex(of: UInt8(ascii: ">"), in: bytes, from: index + 1) else {
                        index = count
                        break
                    }
                    words.separate()
                    let skipped = skippedElement(bytes, from: index + 1, to: close)
                    index = close + 1
                    if let skipped {
                        if let end = closingTag(skipped, in: bytes, from: index) {
                            index = end
                            if let gt = firstIndex(of: UInt8(ascii: ">"), in: bytes, from: index) { index = gt + 1 }
                        } else {
                            index = count
                        }
                    }
                case UInt8(ascii: "&"):
                    var semicolon: Int?
                    var probe = index + 1
                    while probe < min(count, index + 11) {
                        if bytes[probe] == UInt8(ascii: ";") { semicolon = probe; break }
                        probe += 1
                    }
                    if let semicolon,
                       let scalar = entity(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)) {
                        words.append(scalar)
                        index = semicolon + 1
                    } else {
                        words.append(Unicode.Scalar(UInt8(ascii: "&")))
                        index += 1
                    }
                case 0x09...0x0D, 0x20:
                    words.separate()
                    index += 1
                case let byte where byte < 0x80:
                    words.appendASCII(byte)
                    index += 1
                default:
                    // A multi-byte scalar (the bytes are valid UTF-8: they come from a String).
                    let length = bytes[index] >= 0xF0 ? 4 : bytes[index] >= 0xE0 ? 3 : 2
                    let end = min(count, index + length)
                    let slice = UnsafeBufferPointer(rebasing: bytes[index..<end])
                    if let scalar = String(decoding: slice, as: UTF8.self).unicodeScalars.first, scalar.properties.isWhitespace {
                        words.separate()
                    } else {
                        words.append(slice)
                    }
                    index = end
                }
            }
        }
        return words.text
    }

    /// Text collected a scalar at a time, white space collapsed into single spaces, none at
    /// either end.
    private struct Words {
        private var bytes: [UInt8] = []
        private var pendingSpace = false

        mutating func separate() { pendingSpace = true }

        mutating func append(_ scalar: Unicode.Scalar) {
            if scalar.properties.isWhitespace { separate(); return }
            beginWord()
            bytes.append(contentsOf: String(scalar).utf8)
        }

        mutating func appendASCII(_ byte: UInt8) {
            beginWord()
            bytes.append(byte)
        }

        mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
            beginWord()
            bytes.append(contentsOf: utf8)
        }

        private mutating func beginWord() {
            if pendingSpace, !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
            pendingSpace = false
        }

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `script` or `style` when the tag between `from` and `to` opens one (`<script>`,
    /// `<style type=…>`, any case).
    private static func skippedElement(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String? {
        for name in ["script", "style"] {
            let length = name.utf8.count
            guard to - from >= length, matches(name, bytes, at: from) else { continue }
            if to - from == length || bytes[from + length] == UInt8(ascii: " ") { return name }
        }
        return nil
    }

    /// The index just after `</name` (any case) at or after `start`.
    private static func closingTag(_ name: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while let open = firstIndex(of: UInt8(ascii: "<"), in: bytes, from: index) {
            if open + 1 < bytes.count, bytes[open + 1] == UInt8(ascii: "/"), matches(name, bytes, at: open + 2) {
                return open + 2 + name.utf8.count
            }
            index = open + 1
        }
        return nil
    }

    /// Whether the ASCII letters of `name` are at `index`, in any case.
    private static func matches(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        var position = index
        for letter in name.utf8 {
            guard position < bytes.count, bytes[position] | 0x20 == letter else { return false }
            position += 1
        }
        return true
    }

    static func entity(_ name: String) -> Unicode.Scalar? {
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
            return number.flatMap(Unicode.Scalar.init)
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
    /// `contents` are the file's bytes when the caller has them in memory: its text is then taken
    /// from them, not read back from the store.
    func indexFileText(fileID: Int64, mediaType: String, contents: [UInt8]? = nil) throws {
        guard FileTextExtractor.isTextLike(mediaType),
              try database.scalar("SELECT 1 FROM file_texts WHERE file_id = ?", [fileID], as: Int64?.self) == nil else {
            return
        }
        if let contents {
            let text = FileTextExtractor.text(of: Array(contents.prefix(FileTextExtractor.maxBytes)), mediaType: mediaType)
            try database.run("INSERT INTO file_texts (file_id, text) VALUES (?, ?)", [fileID, text])
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
