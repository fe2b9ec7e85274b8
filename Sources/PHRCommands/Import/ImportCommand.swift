import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

/// `phr import PATH… [--patient NAME|ID] [--dry-run]`: FHIR R4 from portals and other systems, in
/// one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import FHIR R4 (JSON, NDJSON or XML), C-CDA documents and XDM zips, bulk-data folders, packets from phr export.",
        discussion: """
            These FHIR types become rows: Patient; Practitioner, PractitionerRole and Organization \
            (providers); Condition (diagnoses); Encounter and Appointment (appointments); \
            ClinicalImpression (opinions); DocumentReference and DiagnosticReport (records, with their \
            files; a report's results are linked to it); Observation (results: labs, vital signs, tumour \
            markers, receptor status, staging, performance status); MedicationRequest, \
            MedicationStatement and MedicationAdministration, with the Medication they name \
            (medications); AllergyIntolerance (allergies); Procedure; Immunization; FamilyMemberHistory \
            (family history). Other types are counted and skipped. The whole import is one change: any error stops it with nothing written (undo \
            takes back a whole import). Importing the same data again adds nothing; a changed resource \
            updates its row, and the history keeps the old version. A resource is known by where it lives \
            (server base, or file, with its type and id); an identifier shared with a row of the store is \
            only evidence: if their content disagrees, both are kept and the summary lists the conflict. \
            An encounter or appointment without a start is kept with its date unknown.

            C-CDA documents (R2.1, R1.1; CCD, referral, discharge and other notes), alone, in folders \
            or in the XDM zip a portal's "Download my record" gives, become the same rows: problems, \
            medications, allergies, results, vital signs, social history, procedures, encounters, \
            immunizations, family history and planned visits; the document itself is kept as a record whose file is \
            the original XML; an entry that makes nothing is listed with its line and why. Files are \
            recognised by their content; a file phr cannot read is listed.

            Examples:
              phr import ~/Downloads/portal-export.json
              phr import ~/Downloads/bulk-export/ --dry-run
              phr import ~/Downloads/MyRecord.zip
              phr import packet-for-dr-weber.zip --patient "Maria Rossi"
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("FHIR JSON or XML files (a Bundle or one resource), NDJSON files, C-CDA documents, folders or zips of them (an XDM zip), or a packet from `phr export` (folder or zip).",
                                 valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Import everything for this patient of the store (by id or name prefix); the input may hold at most one Patient.",
                                            valueName: "name|id"))
    var patient: String?

    @Flag(name: .customLong("dry-run"), help: "Read and check everything, say what would be added, updated, skipped and in conflict, and write nothing.")
    var dryRun = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH to import") }
    }

    func run() throws {
        let health = try store.open()
        let patientID = try patient.map { name in try health.read { try Lookup.patient(name, in: health).id } }
        let progress = ProgressLine.onTerminal()
        let report: ImportReport
        do {
            report = try FHIRImporter(store: health, options: ImportOptions(dryRun: dryRun, patientID: patientID),
                                      progress: progress.map { line in { line.show($0) } }).run(paths)
        } catch let error as ImportError {
            progress?.clear()
            throw CommandFailure(error.description, code: error.exitCode)
        } catch {
            progress?.clear()
            throw error
        }
        progress?.clear()
        print(ImportSummary.text(report), terminator: "")
    }
}

/// The line `importing… 45,000 resources (38%)` on stderr, redrawn in place; only when stderr is a
/// terminal, so scripts and logs never see it.
final class ProgressLine {
    private var shown = false

    static func onTerminal() -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    func show(_ progress: ImportProgress) {
        var text = "\rimporting… \(ImportSummary.number(progress.resources)) resources"
        if progress.totalBytes > 0 {
            text += " (\(min(100, progress.bytesRead * 100 / progress.totalBytes))%)"
        }
        FileHandle.standardError.write(Data((text + TerminalText.eraseToEndOfLine).utf8))
        shown = true
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data(("\r" + TerminalText.eraseToEndOfLine).utf8)) }
        shown = false
    }
}

/// The summary printed at the end of an import: counts by resource type (read = added + updated +
/// unchanged + skipped + conflicts), each bundle that is one page of a search, the first few
/// issues servers reported (OperationOutcome), why resources were skipped, each resource phr maps
/// but could not store, each conflict with both sides and what differs, and the references that
/// resolved to nothing.
enum ImportSummary {
    static let unresolvedShown = 20
    /// Resources not stored and conflicts listed one by one before "… and N more".
    static let itemsShown = 50
    /// The server's issues (OperationOutcome) shown, most severe first, before "… and N more".
    static let serverIssuesShown = 5

    static func text(_ report: ImportReport) -> String {
        let totals = report.totals
        var text = report.dryRun ? "Dry run: nothing was written. " : ""
        text += "\(report.dryRun ? "Would import" : "Imported") \(number(report.files)) file\(report.files == 1 ? "" : "s"), "
        text += "\(number(totals.read)) resource\(totals.read == 1 ? "" : "s") read: "
        text += "\(number(totals.added)) added, \(number(totals.updated)) updated, "
        text += "\(number(totals.unchanged)) unchanged, \(number(totals.skipped)) skipped, "
        text += "\(number(totals.conflicts)) conflict\(totals.conflicts == 1 ? "" : "s").\n"
        guard totals.read > 0 else { return text }

        let header = ["Resource type", "read", "added", "updated", "unchanged", "skipped", "conflicts"]
        func cells(_ name: String, _ counts: ImportReport.Counts) -> [String] {
            [name, number(counts.read), number(counts.added), number(counts.updated), number(counts.unchanged),
             number(counts.skipped), number(counts.conflicts)]
        }
        var rows = report.types.map { cells($0, report.byType[$0] ?? ImportReport.Counts()) }
        rows.append(cells("Total", totals))
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            text += "  " + cells.joined(separator: "  ") + "\n"
        }
        let broken = report.typesNotAddingUp
        if !broken.isEmpty {
            text += "These counts do not add up, which is a fault of phr's (please report it): \(broken.joined(separator: ", "))\n"
        }
        for page in report.pagedBundles.prefix(itemsShown) {
            text += "\(page.place) is one page of a search; the other pages were not downloaded, so records may be missing"
                + (page.total.map { " (the search found \(number($0)))" } ?? "") + ".\n"
        }
        if report.pagedBundleCount > itemsShown {
            text += "  … and \(number(report.pagedBundleCount - itemsShown)) more pages of searches\n"
        }
        if !report.serverIssues.isEmpty {
            text += "The server said (OperationOutcome):\n"
            for issue in report.serverIssuesBySeverity.prefix(serverIssuesShown) {
                text += "  \(issue.severity.rawValue): \(issue.text) (\(issue.place)"
                    + (issue.times > 1 ? "; \(number(issue.times)) times" : "") + ")\n"
            }
            let more = report.serverIssueCount - report.serverIssuesBySeverity.prefix(serverIssuesShown).reduce(0) { $0 + $1.times }
            if more > 0 { text += "  … and \(number(more)) more\n" }
        }
        if totals.merged > 0 {
            text += "Merged into rows from elsewhere whose content agrees (matched by identifier, id, NPI, or name "
                + "and birth date), counted as updated: \(number(totals.merged))\n"
        }
        if report.conflictCount > 0 {
            text += "Conflicts: these matched a row by identifier but disagree with it; both are kept (\(number(report.conflictCount))):\n"
            for conflict in report.conflicts.prefix(itemsShown) {
                text += "  \(conflict.place): matched \(conflict.stored) by \(conflict.matchedBy); kept as \(conflict.kept)\n"
                for difference in conflict.differences {
                    text += "    \(difference.field): \(quoted(difference.stored)) in \(conflict.stored), "
                        + "\(quoted(difference.incoming)) in the input\n"
                }
            }
            if report.conflictCount > itemsShown { text += "  … and \(number(report.conflictCount - itemsShown)) more\n" }
        }
        if !report.skipReasons.isEmpty {
            text += "Skipped:\n"
            for (reason, count) in report.skipReasons.sorted(by: { $0.key < $1.key }) {
                text += "  \(reason): \(number(count))\n"
            }
        }
        if report.notStoredCount > 0 {
            text += "Not stored (\(number(report.notStoredCount))):\n"
            for item in report.notStored.prefix(itemsShown) {
                text += "  \(item.place): \(item.reason)\n"
            }
            if report.notStoredCount > itemsShown { text += "  … and \(number(report.notStoredCount - itemsShown)) more\n" }
        }
        if report.documents > 0 {
            text += "C-CDA documents read: \(number(report.documents)); "
            text += report.sectionNames.isEmpty ? "no section phr maps.\n" : "by section (sections, entries, resources made):\n"
            for name in report.sectionNames {
                guard let counts = report.documentSections[name] else { continue }
                text += "  \(name): \(number(counts.sections)), \(number(counts.entries)), \(number(counts.resources))\n"
            }
        }
        if report.entriesNotReadCount > 0 {
            text += "Entries that made nothing (their words stay in the document's record) (\(number(report.entriesNotReadCount))):\n"
            for entry in report.entriesNotRead.prefix(itemsShown) {
                text += "  \(entry.place) (\(entry.section)): \(entry.reason)\n"
            }
            if report.entriesNotReadCount > itemsShown { text += "  … and \(number(report.entriesNotReadCount - itemsShown)) more\n" }
        }
        if !report.unmappedSections.isEmpty {
            text += "Sections phr does not map, skipped (their text stays in the document's record):\n"
            for (name, count) in report.unmappedSections.sorted(by: { $0.key < $1.key }) {
                text += "  \(name): \(number(count))\n"
            }
        }
        if !report.unreadFiles.isEmpty {
            text += "Files not read (\(number(report.unreadFiles.count))):\n"
            for file in report.unreadFiles.prefix(itemsShown) {
                text += "  \(file.path): \(file.reason)\n"
            }
            if report.unreadFiles.count > itemsShown { text += "  … and \(number(report.unreadFiles.count - itemsShown)) more\n" }
        }
        if report.appointmentsWithoutTime > 0 {
            text += "Visits that did not say when were kept as appointments with \"\(Appointment.unknownTimeText)\" "
                + "(\(number(report.appointmentsWithoutTime))).\n"
        }
        if report.usedPlaceholderProvider {
            text += "Appointments or opinions that named no provider phr could find were given \"Unknown provider\".\n"
        }
        if report.unresolvedCount > 0 {
            text += "References to nothing in the input or the store, kept as text with their rows (\(number(report.unresolvedCount))):\n"
            for item in report.unresolved.prefix(unresolvedShown) {
                text += "  \(item.place): \(item.reference)\n"
            }
            if report.unresolvedCount > unresolvedShown {
                text += "  … and \(number(report.unresolvedCount - unresolvedShown)) more\n"
            }
        }
        return text
    }

    private static func quoted(_ value: String) -> String { "\"\(value)\"" }

    /// `45,000`: digits grouped, whatever the locale, so scripts can rely on the form.
    static func number(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
