import Foundation

/// Turns the bytes of a text-like record file into the text the search index keeps.
///
/// Text-like means `text/plain`, `text/markdown`, `text/csv` or `text/html` (parameters such as
/// `; charset=utf-8` ignored). Bytes are read as UTF-8, invalid sequences replaced; HTML loses its
/// markup, scripts and styles, and its common entities are decoded. Only the first `maxBytes` of a
/// file are indexed, which keeps memory bounded whatever the file's size.
public enum FileTextExtractor {
    /// 4 MiB of text: far more than any report, small enough to hold in memory once.
    public static let maxBytes = 4 << 20

    public static func isTextLike(_ mediaType: String) -> Bool {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return ["text/plain", "text/markdown", "text/csv", "text/html"].contains(base)
    }

    /// The text of a file of `mediaType` whose first bytes are `bytes`.
    public static func text(of bytes: [UInt8], mediaType: String) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        return mediaType.lowercased().hasPrefix("text/html") ? plainText(fromHTML: decoded) : decoded
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
    /// Extracts and stores the text of every text-like record file not indexed yet (or only of
    /// file `fileID`), so that `search` finds words inside them. Called when a record is added;
    /// run inside `write`. The `file_texts` trigger puts the text into the search index.
    ///
    /// Give `fileID` when one file was just stored: looking through every record each time made
    /// adding n records (an import) take time in n².
    public func indexRecordFileTexts(fileID: Int64? = nil) throws {
        let transform = { (row: Row) in (fileID: try row.get(0, as: Int64.self), mediaType: try row.get(1, as: String.self)) }
        let pending = try fileID.map { id in
            try database.query("""
                SELECT DISTINCT r.file_id, r.media_type FROM records r
                WHERE r.file_id = ? AND r.media_type IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM file_texts t WHERE t.file_id = r.file_id)
                """, [id], transform)
        } ?? database.query("""
            SELECT DISTINCT r.file_id, r.media_type FROM records r
            WHERE r.file_id IS NOT NULL AND r.media_type IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM file_texts t WHERE t.file_id = r.file_id)
            """, [], transform)
        var seen = Set<Int64>()
        for file in pending where FileTextExtractor.isTextLike(file.mediaType) && seen.insert(file.fileID).inserted {
            var bytes: [UInt8] = []
            try database.forEach("""
                SELECT c.data FROM file_chunks c JOIN files f ON f.id = c.file_id
                WHERE c.file_id = ? AND c.seq * f.chunk_size < ? ORDER BY c.seq
                """, [file.fileID, FileTextExtractor.maxBytes]) { row in
                guard bytes.count < FileTextExtractor.maxBytes else { return }
                row.withUnsafeBlob(0) { chunk in
                    bytes.append(contentsOf: chunk.prefix(FileTextExtractor.maxBytes - bytes.count))
                }
            }
            let text = FileTextExtractor.text(of: bytes, mediaType: file.mediaType)
            try database.run("INSERT INTO file_texts (file_id, text) VALUES (?, ?)", [file.fileID, text])
        }
    }
}
