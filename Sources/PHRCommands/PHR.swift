import ArgumentParser
import Foundation
import PHRStore

/// The `phr` command: a personal health record store for a second opinion.
public struct PHR: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "phr",
        abstract: "Keep your diagnoses, doctors, appointments, opinions and records in one private file.",
        discussion: """
            Everything lives in one SQLite file on your machine (default \
            $XDG_DATA_HOME/phr/phr.sqlite, else ~/.local/share/phr/phr.sqlite; set --db or PHR_DB \
            to use another). A backup is one copy of that file.

            New here? `phr guide` walks you through a second opinion step by step.

            Example:
              phr patient add "Maria Rossi" --born 1968-04-02
              phr guide
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            InfoCommand.self,
            CheckCommand.self,
            BackupCommand.self,
            PatientCommand.self,
            ProviderCommand.self,
            DiagnosisCommand.self,
            ResultCommand.self,
            MedicationCommand.self,
            AllergyCommand.self,
            ProcedureCommand.self,
            ImmunizationCommand.self,
            FamilyHistoryCommand.self,
            AppointmentCommand.self,
            OpinionCommand.self,
            RecordCommand.self,
            TransferCommand.self,
            QuestionCommand.self,
            DecisionCommand.self,
            StatusCommand.self,
            SearchCommand.self,
            TimelineCommand.self,
            ConfigCommand.self,
            ExportCommand.self,
            HistoryCommand.self,
            UndoCommand.self,
            RedoCommand.self,
            RestoreCommand.self,
            EraseCommand.self,
            DemoCommand.self,
            ImportCommand.self,
            CompletionCommand.self,
            GuideCommand.self,
        ]
    )

    public init() {}

    /// Runs phr with the process's arguments and exits: 0 on success, a sysexits code on failure,
    /// with one line on stderr saying what was wrong.
    public static func runMain(arguments: [String]? = nil) -> Never {
        // Health data: everything phr creates is private to the user (files 0600, folders 0700).
        umask(0o077)
        do {
            try rejectInvalidUTF8Arguments()
            do { try Clock.validateEnvironment() } catch { throw CommandFailure(error.description, code: ExitStatus.usage) }
            var given = GlobalOptionPlacement.arranged(arguments ?? Array(CommandLine.arguments.dropFirst()), root: Self.self)
            // `phr help guide` reads the guide, as `phr guide` does.
            if given == ["help", "guide"] { given = ["guide"] }
            var command = try parseAsRoot(given)
            try command.run()
            Foundation.exit(0)
        } catch {
            let failure = Failure(error, command: Self.self)
            if failure.code == 0 {
                print(failure.message)
            } else if !failure.message.isEmpty {
                FileHandle.standardError.write(Data("phr: \(TerminalText.visible(failure.message))\n".utf8))
            }
            Foundation.exit(failure.code)
        }
    }

    /// Swift repairs invalid UTF-8 in arguments with U+FFFD; phr refuses them instead, so that
    /// what is stored is exactly what was typed.
    private static func rejectInvalidUTF8Arguments() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            if String(validatingCString: pointer) == nil {
                throw CommandFailure("argument \(index) is not valid UTF-8; phr stores text as UTF-8 only", code: ExitStatus.dataError)
            }
        }
    }
}
