import ArgumentParser
import Foundation
import PHRStore

/// `phr timeline`: everything that happened, in one chronological list.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "One chronological view of diagnoses, appointments, opinions, transfers, records, questions and decisions.",
        discussion: """
            On the same day: records, transfers and questions come before the appointment, then \
            the opinion and answers given at it, then decisions.
            Example:
              phr timeline
              phr timeline --diagnosis invasive --since 2026-10
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var patient: PatientOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Only what concerns this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
    @Option(help: ArgumentHelp("Only events on or after this date: \(DateInput.acceptedDates).", valueName: "date")) var since: String?

    func run() throws {
        let health = try store.open()
        let timeline = try health.read { () throws -> Timeline in
            let owner = try patient.resolve(in: health)
            return try health.timeline(patientID: owner.id,
                                       diagnosisID: try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id },
                                       since: try since.map { try DateInput.date($0, option: "--since") })
        }
        var listing = Listing(columns: [
            .init(key: "date", header: "Date"),
            .init(key: "time", header: "Time"),
            .init(key: "kind", header: "Kind"),
            .init(key: "id", header: "ID"),
            .init(key: "summary", header: "What happened", wraps: true),
            .init(key: "provider", header: "Provider", inTable: false),
        ], emptyMessage: "Nothing on the timeline yet.")
        for entry in timeline.entries {
            listing.append([.text(entry.date.description), Cell(entry.time), .text(entry.kind.rawValue), .integer(entry.itemID),
                            .text(entry.summary), Cell(entry.provider)])
        }
        try output.emit(listing)
    }
}
