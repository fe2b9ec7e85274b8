/// Reads what a server says in an `OperationOutcome` it put in its export (a search's outcome
/// entry, a bulk export's error file): each issue's severity and words, for the summary. These are
/// the server's words about the export ("Results limited to 1000"), not health data, and they
/// are never stored as a row.
///
/// Guarantees: never throws; an issue or field that is not what FHIR says (not an object, a
/// severity or text of another JSON type) is passed over. Each text is one line (white space
/// runs become one space) of at most `textLimit` characters, cut with "…". At most `issueLimit`
/// issues are read from one resource.
enum OutcomeIssues {
    static let textLimit = 200
    static let issueLimit = 100

    /// The issues of `outcome` worth showing: its words (`details.text`, else `diagnostics`, else
    /// a `details` coding's display), else for a warning or worse its `code` (`suppressed`,
    /// `too-costly`). An information-level issue without words is left out: it says nothing.
    static func read(_ outcome: FHIRObject) -> [(severity: ImportReport.ServerIssue.Severity, text: String)] {
        // Read element by element, so that one bad element does not hide the others.
        let elements = outcome.fields["issue"] as? [Any] ?? []
        let issues = elements.lazy.compactMap { $0 as? [String: Any] }.prefix(issueLimit)
            .map { FHIRObject($0, place: outcome.place, path: "OperationOutcome.issue") }
        return issues.compactMap { issue in
            let severity = (try? issue.text("severity")).flatMap { $0 }.flatMap(ImportReport.ServerIssue.Severity.init)
                ?? .information
            let details = (try? issue.object("details")).flatMap { $0 }
            let words = (try? details?.text("text")).flatMap { $0 }
                ?? (try? issue.text("diagnostics")).flatMap { $0 }
                ?? (try? details?.codings())?.lazy.compactMap(\.display).first
            if let words { return (severity, oneLine(words)) }
            guard severity != .information, let code = (try? issue.text("code")).flatMap({ $0 }) else { return nil }
            return (severity, "(issue code \(oneLine(code)))")
        }
    }

    /// `text` on one line, cut at `textLimit` characters.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count > textLimit ? String(line.prefix(textLimit - 1)) + "…" : line
    }
}
