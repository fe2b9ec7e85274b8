import ArgumentParser
import Foundation
import PHRStore

/// `phr transfer`: where records and physical materials are — asked for, sent, received.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Track records and slides on their way to a new provider: request, send, receive.",
        discussion: """
            A transfer is one step: you asked a provider to release a record (request), it left one \
            place for another (send), or its arrival was confirmed (receive). Slides, blocks and \
            discs of images are records without a file (`phr record add --no-file --kind slides`); \
            `phr transfer where` shows who holds them and when they are due back. Sends through a \
            portal, in person or in an export packet count as received at once; by mail, fax or \
            courier they wait for a receive. An export packet made `--for P` counts as sent to P.
            Example:
              phr transfer request 3 --from "City Lab" --to Ortiz
              phr transfer send 3 --from "City Lab" --to Ortiz --via courier \\
                  --reference FX-1182 --due-back 2027-01-15
              phr transfer receive 3 --by Ortiz
              phr transfer list --pending
            """,
        subcommands: [Request.self, Send.self, Receive.self, List.self, Where.self, Remove.self]
    )

    /// The options every kind of transfer has.
    struct Common: ParsableArguments {
        @Option(help: ArgumentHelp("When: \(DateInput.acceptedDates) (default: today).", valueName: "date")) var date: String?
        @Option(help: "A tracking number, fax confirmation or portal message id.") var reference: String?
        @Option(help: "Free-text notes.") var notes: String?
    }

    /// Adds one transfer of `kind` for each record, in one change; prints what was recorded.
    static func record(kind: Transfer.Kind, records: [String], from: String?, to: String?, via: Transfer.Via?,
                       dueBack: String?, common: Common, store options: StoreOptions, patient: PatientOptions) throws {
        let health = try options.open()
        let added = try health.write("transfer \(kind.rawValue)") { () throws -> [Transfer] in
            let owner = try patient.resolve(in: health)
            let fromID = try from.map { try Lookup.provider($0, in: health, option: "--from").id }
            let toID = try to.map { try Lookup.provider($0, in: health, option: kind == .receive ? "--by" : "--to").id }
            let date = try common.date.map { try DateInput.date($0, option: "--date") } ?? ReferenceTime().today
            let due = try dueBack.map { try DateInput.date($0, option: "--due-back") }
            return try records.map { text in
                let record = try Lookup.ownedRecord(text, patient: owner, in: health)
                return try health.addTransfer(Transfer(recordID: record.id, kind: kind, fromProviderID: fromID, toProviderID: toID,
                                                       via: via, occurredOn: date, reference: common.reference,
                                                       dueBackOn: due, notes: common.notes))
            }
        }
        for transfer in added {
            print("Recorded transfer \(transfer.id): \(kind.rawValue) of record \(transfer.recordID) on \(transfer.occurredOn)")
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Record that you asked a provider to release records (to you, or straight to another provider).",
            discussion: "Example:\n  phr transfer request 3 4 --from \"City Lab\" --to Ortiz --date 2026-11-18")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: ArgumentHelp("The records, by id.", valueName: "record")) var records: [String]
        @Option(help: ArgumentHelp("Who holds them, by id or name prefix.", valueName: "provider")) var from: String
        @Option(help: ArgumentHelp("Who should get them (default: you).", valueName: "provider")) var to: String?
        @OptionGroup var common: Common

        func validate() throws {
            if records.isEmpty { throw ValidationError("give at least one record id") }
        }

        func run() throws {
            try TransferCommand.record(kind: .request, records: records, from: from, to: to, via: nil, dueBack: nil,
                                       common: common, store: store, patient: patient)
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Record that records or slides were sent to a provider.",
            discussion: """
                --from is who sent them (default: you). --due-back is for items lent out, such as slides.
                Example:
                  phr transfer send 2 --to Ortiz --via portal
                  phr transfer send 3 --from "City Lab" --to Ortiz --via courier \\
                      --reference FX-1182 --due-back 2027-01-15
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: ArgumentHelp("The records, by id.", valueName: "record")) var records: [String]
        @Option(help: ArgumentHelp("Who they went to, by id or name prefix.", valueName: "provider")) var to: String
        @Option(help: "How they went (post = mail, hand = in-person).") var via: Transfer.Via
        @Option(help: ArgumentHelp("Who sent them (default: you).", valueName: "provider")) var from: String?
        @Option(name: .customLong("due-back"), help: ArgumentHelp("When they must be returned: \(DateInput.acceptedDates).", valueName: "date"))
        var dueBack: String?
        @OptionGroup var common: Common

        func validate() throws {
            if records.isEmpty { throw ValidationError("give at least one record id") }
        }

        func run() throws {
            try TransferCommand.record(kind: .send, records: records, from: from, to: to, via: via, dueBack: dueBack,
                                       common: common, store: store, patient: patient)
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive",
            abstract: "Record that records or slides arrived (at a provider, or with you).",
            discussion: "Example:\n  phr transfer receive 3 --by Ortiz --from \"City Lab\"\n  phr transfer receive 5   # you received it")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: ArgumentHelp("The records, by id.", valueName: "record")) var records: [String]
        @Option(help: ArgumentHelp("Who received them (default: you).", valueName: "provider")) var by: String?
        @Option(help: ArgumentHelp("Who they came from.", valueName: "provider")) var from: String?
        @Option(name: .customLong("due-back"), help: ArgumentHelp("When they must be returned: \(DateInput.acceptedDates).", valueName: "date"))
        var dueBack: String?
        @OptionGroup var common: Common

        func validate() throws {
            if records.isEmpty { throw ValidationError("give at least one record id") }
        }

        func run() throws {
            try TransferCommand.record(kind: .receive, records: records, from: from, to: by, via: nil, dueBack: dueBack,
                                       common: common, store: store, patient: patient)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List transfers in date order; --pending shows only those still waiting for the next step.",
            discussion: """
                Export packets made for a provider (`phr export --for P`) are listed as sends \
                via packet, with their export id. Pending: requests not yet followed by a send or \
                receive, and sends by mail, fax or courier whose arrival is not confirmed.
                Example:
                  phr transfer list --pending
                  phr transfer list --record 3 --format json
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only transfers still waiting for the next step.") var pending = false
        @Option(help: ArgumentHelp("Only this record's transfers.", valueName: "record")) var record: String?
        @Option(help: ArgumentHelp("Only transfers from or to this provider.", valueName: "provider")) var provider: String?

        func run() throws {
            let health = try store.open()
            let (transfers, records, providers) = try health.read { () throws -> ([Transfer], [Int64: Record], [Int64: Provider]) in
                let owner = try patient.resolve(in: health)
                var transfers = try health.recordMovements(patientID: owner.id)
                if pending { transfers = RecordDelivery.waiting(transfers) }
                if let record {
                    let found = try Lookup.ownedRecord(record, patient: owner, in: health, option: "--record")
                    transfers = transfers.filter { $0.recordID == found.id }
                }
                if let provider {
                    let id = try Lookup.provider(provider, in: health).id
                    transfers = transfers.filter { $0.fromProviderID == id || $0.toProviderID == id }
                }
                let records = Dictionary(uniqueKeysWithValues: try health.records(patientID: owner.id).map { ($0.id, $0) })
                return (transfers, records, try RecordCommand.providersByID(health))
            }
            try output.emit(TransferCommand.listing(transfers, records: records, providers: providers,
                                                    emptyMessage: pending ? "Nothing pending." : "No transfers yet. Record one: phr transfer send RECORD --to P --via portal"))
        }
    }

    static func listing(_ transfers: [Transfer], records: [Int64: Record], providers: [Int64: Provider],
                        emptyMessage: String) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "export_id", header: "Export", inTable: false),
            .init(key: "date", header: "Date"),
            .init(key: "kind", header: "Kind"),
            .init(key: "record_id", header: "Record"),
            .init(key: "record", header: "Title", wraps: true),
            .init(key: "record_kind", header: "Record kind", inTable: false),
            .init(key: "from_provider_id", header: "From ID", inTable: false),
            .init(key: "from", header: "From", wraps: true),
            .init(key: "to_provider_id", header: "To ID", inTable: false),
            .init(key: "to", header: "To", wraps: true),
            .init(key: "via", header: "Via"),
            .init(key: "reference", header: "Reference"),
            .init(key: "due_back_on", header: "Due back"),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
        ], emptyMessage: emptyMessage)
        func name(_ id: Int64?) -> String { id.map { providers[$0]?.name ?? "provider \($0)" } ?? "you" }
        for t in transfers {
            let record = records[t.recordID]
            // An export packet made for a provider counts as a send; it has no transfer id of its own.
            let isPacket = t.id < 0
            listing.append([isPacket ? .null : .integer(t.id), .text(t.uuid), isPacket ? .integer(-t.id) : .null,
                            .text(t.occurredOn.description), .text(t.kind.rawValue),
                            .integer(t.recordID), Cell(record?.title), Cell(record?.kind),
                            Cell(t.fromProviderID), .text(name(t.fromProviderID)), Cell(t.toProviderID), .text(name(t.toProviderID)),
                            Cell(t.via), Cell(t.reference), Cell(describing: t.dueBackOn), Cell(t.notes), .text(t.createdAt)])
        }
        return listing
    }

    struct Where: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "where",
            abstract: "Where your slides, blocks and discs of images are, and when they are due back.",
            discussion: "Example:\n  phr transfer where")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            let today = ReferenceTime().today
            let (items, providers) = try health.read { () throws -> ([(Record, RecordDelivery.Location)], [Int64: Provider]) in
                let owner = try patient.resolve(in: health)
                let movements = Dictionary(grouping: try health.recordMovements(patientID: owner.id), by: \.recordID)
                let items = try health.records(patientID: owner.id).filter(RecordDelivery.isPhysical).map { record in
                    (record, RecordDelivery.location(of: movements[record.id] ?? [], origin: record.providerID))
                }
                return (items, try RecordCommand.providersByID(health))
            }
            func name(_ id: Int64?) -> String { id.map { providers[$0]?.name ?? "provider \($0)" } ?? "you" }
            var listing = Listing(columns: [
                .init(key: "record_id", header: "Record"),
                .init(key: "kind", header: "Kind"),
                .init(key: "title", header: "Title", wraps: true),
                .init(key: "holder_id", header: "Holder ID", inTable: false),
                .init(key: "holder", header: "Held by", wraps: true),
                .init(key: "in_transit", header: "In transit"),
                .init(key: "lender", header: "Lent by", wraps: true),
                .init(key: "due_back_on", header: "Due back"),
                .init(key: "overdue", header: "Overdue"),
            ], emptyMessage: "No slides, blocks or discs recorded. Add them: phr record add --no-file --kind slides --title … --provider LAB")
            for (record, location) in items {
                listing.append([.integer(record.id), Cell(record.kind), .text(record.title), Cell(location.holderID),
                                .text(location.isKnown ? name(location.holderID) : "unknown"), .bool(location.inTransit),
                                Cell(location.lenderID.map { name($0) }), Cell(describing: location.dueBackOn),
                                .bool(location.lenderID != nil && location.isOverdue(today: today))])
            }
            try output.emit(listing)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a transfer recorded by mistake (undo with `phr undo`).", discussion: "Example:\n  phr transfer remove 4")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The transfer id.") var transfer: String

        func run() throws {
            let health = try store.open()
            let id = try Lookup.id(transfer, kind: "transfer", option: "TRANSFER")
            try health.write("transfer remove") { try health.removeTransfer(id: id) }
            print("Removed transfer \(id) (phr undo brings it back)")
        }
    }
}

extension Transfer.Via: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "in-person", "inperson", "in person", "hand", "by-hand": self = .inPerson
        case "post", "mail": self = .mail
        case "e-mail", "mail-attachment": self = .email
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["post", "e-mail", "hand"] }
}

extension Lookup {
    /// A record named by id that belongs to `patient`.
    static func ownedRecord(_ text: String, patient: Patient, in store: HealthStore, option: String = "RECORD") throws -> Record {
        let record = try store.requireRecord(try id(text, kind: "record", option: option))
        guard record.patientID == patient.id else {
            throw CommandFailure("\(option): record \(record.id) belongs to another patient; choose them with --patient",
                                 code: ExitStatus.dataError)
        }
        return record
    }
}
