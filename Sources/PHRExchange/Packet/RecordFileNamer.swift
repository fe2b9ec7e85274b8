import Foundation
import PHRStore

/// Names the record files of a packet: `DATE_KIND_TITLE.EXT`, e.g.
/// `2026-10-02_pathology-report_Core-biopsy-left-breast.pdf`.
///
/// Guarantees: every name uses only `[A-Za-z0-9._-]`, starts with a letter or digit, is at most
/// 120 characters, and differs from every name given before by this namer even on a file system
/// that ignores case (a `-2`, `-3`, ... goes before the extension). So no name can climb out of
/// `records/`, hide, or overwrite another record's file, whatever the record's title or original
/// name holds.
struct RecordFileNamer {
    private var taken = Set<String>()

    static let maximumLength = 120

    mutating func name(for record: Record) -> String {
        let date = record.recordedOn?.description ?? "undated"
        let title = Self.reduce(record.title, limit: 60)
        let stem = [date, record.kind.rawValue, title].filter { !$0.isEmpty }.joined(separator: "_")
        let fileExtension = Self.fileExtension(for: record)
        var candidate = stem + fileExtension
        var counter = 1
        while taken.contains(candidate.lowercased()) {
            counter += 1
            candidate = "\(stem)-\(counter)\(fileExtension)"
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    /// `text` reduced to `[A-Za-z0-9._-]`: accents dropped (é → e), every other run of characters
    /// becomes one `-`, no leading or trailing `.` or `-`, at most `limit` characters.
    static func reduce(_ text: String, limit: Int) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var result = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            let allowed = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "_")
            if allowed {
                if pendingDash, !result.isEmpty { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        // No `..` (harmless inside a name, but alarming to read) and no dot or dash at the ends.
        while result.contains("..") { result = result.replacingOccurrences(of: "..", with: ".") }
        result = String(result.prefix(limit))
        return result.trimmingCharacters(in: CharacterSet(charactersIn: ".-_"))
    }

    /// The extension of the file's media type (`.pdf`, `.txt` for `text/plain; charset=utf-8`), so
    /// that the recipient's computer opens it with the right program; for a media type phr does
    /// not know, the original name's extension when it has a plausible one; else nothing.
    static func fileExtension(for record: Record) -> String {
        if let mediaType = record.file?.mediaType, let known = extensionOf(mediaType: mediaType) { return known }
        if let name = record.file?.originalName, let dot = name.lastIndex(of: ".") {
            let candidate = reduce(String(name[name.index(after: dot)...]), limit: 10).lowercased()
            if !candidate.isEmpty, !candidate.contains("."), candidate.count <= 10 { return "." + candidate }
        }
        return ""
    }

    /// `.txt` for `text/plain` (parameters and case aside); `nil` for a type without one known.
    static func extensionOf(mediaType: String) -> String? {
        let essence = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch essence {
        case "application/pdf": return ".pdf"
        case "image/png": return ".png"
        case "image/jpeg", "image/jpg": return ".jpg"
        case "image/gif": return ".gif"
        case "image/tiff": return ".tif"
        case "application/dicom": return ".dcm"
        case "text/plain": return ".txt"
        case "text/markdown": return ".md"
        case "text/csv": return ".csv"
        case "text/html": return ".html"
        case "application/xhtml+xml": return ".xhtml"
        case "application/xml", "text/xml": return ".xml"
        case "application/json", "application/fhir+json": return ".json"
        case "application/rtf", "text/rtf": return ".rtf"
        case "application/msword": return ".doc"
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return ".docx"
        case "application/zip": return ".zip"
        default: return nil
        }
    }
}
