import ArgumentParser
import Foundation
import PHRStore

/// `phr config`: the thresholds of the second-opinion workflow, kept in the store.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or change the workflow's thresholds (compare verdicts, status checklist) and who prepares packets.",
        discussion: """
            compare.max-opinions (3)      from this many opinions, more opinions are said to cost time
            compare.delay-weeks (4)       weeks after diagnosis, treatment not started, before delay is noted
            status.recent-lab-days (90)   lab results at most this old count as recent
            status.warn-days (14)         within this many days of an appointment, anything not done is a warning
            status.needed-records         record kinds a second-opinion provider needs (default: all six)
            owner.name                    who prepares the packets (default: the patient)
            owner.phone, owner.email      how to reach them, printed on every packet (default: the patient's)
            Example:
              phr config list
              phr config set compare.max-opinions 4
              phr config set status.needed-records \\
                  pathology-report,pathology-slides,lab-result
              phr config unset compare.max-opinions
              phr config set owner.name "Tom Marsh (husband)"
            """,
        subcommands: [List.self, Get.self, SetValue.self, Unset.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every setting with its value.", discussion: "Example:\n  phr config list")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            let (settings, stored) = try health.read { () throws -> (WorkflowSettings, [String: Bool]) in
                var stored: [String: Bool] = [:]
                for key in WorkflowSettings.keys { stored[key.name] = try health.isWorkflowSettingStored(key.name) }
                return (try health.workflowSettings(), stored)
            }
            var listing = Listing(columns: [
                .init(key: "key", header: "Setting"), .init(key: "value", header: "Value", wraps: true),
                .init(key: "default", header: "Default?"), .init(key: "meaning", header: "Meaning", wraps: true),
            ])
            for key in WorkflowSettings.keys {
                listing.append([.text(key.name), .text(key.value(in: settings)), .bool(!(stored[key.name] ?? false)),
                                .text(key.summary)])
            }
            try output.emit(listing)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Print one setting's value.", discussion: "Example:\n  phr config get compare.max-opinions")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The setting.") var key: String

        func run() throws {
            guard let setting = WorkflowSettings.key(named: key) else {
                throw CommandFailure("KEY: '\(key)' is not a setting; use one of \(WorkflowSettings.keys.map(\.name).joined(separator: ", "))",
                                     code: ExitStatus.usage)
            }
            let health = try store.open()
            print(setting.value(in: try health.workflowSettings()))
        }
    }

    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a setting in this store.", discussion: "Example:\n  phr config set compare.delay-weeks 6")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The setting.") var key: String
        // `.allUnrecognized`: a value such as `-5` is taken as the value (and judged by the
        // setting), not as an unknown option.
        @Argument(parsing: .allUnrecognized, help: "Its new value.") var values: [String] = []

        func validate() throws {
            guard values.count == 1 else {
                throw ValidationError(values.isEmpty ? "give the new value of \(key)" : "give one value for \(key), not \(values.count)")
            }
        }

        func run() throws {
            guard let value = values.first else { throw ValidationError("give the new value of \(key)") }
            let health = try store.open()
            try health.write("config set") { try health.setWorkflowSetting(key, to: value) }
            print("\(key) = \(WorkflowSettings.key(named: key)?.value(in: try health.workflowSettings()) ?? value)")
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unset",
            abstract: "Return a setting to its default.", discussion: "Example:\n  phr config unset compare.delay-weeks")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The setting.") var key: String

        func run() throws {
            let health = try store.open()
            try health.write("config unset") { try health.resetWorkflowSetting(key) }
            print("\(key) = \(WorkflowSettings.key(named: key)?.value(in: try health.workflowSettings()) ?? "") (default)")
        }
    }
}
