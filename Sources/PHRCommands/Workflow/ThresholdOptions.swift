import ArgumentParser
import PHRStore

/// `--max-opinions`, `--delay-weeks`, `--warn-days`, `--recent-lab-days`: the workflow's thresholds
/// for one command, over the store's settings (`phr config`) and their defaults.
struct ThresholdOptions: ParsableArguments {
    @Option(name: .customLong("max-opinions"), help: ArgumentHelp("From this many opinions, more opinions are said to cost time (default: compare.max-opinions, 3).", valueName: "n"))
    var maxOpinions: String?
    @Option(name: .customLong("delay-weeks"), help: ArgumentHelp("Weeks after diagnosis, treatment not started, after which delay is noted (default: compare.delay-weeks, 4).", valueName: "n"))
    var delayWeeks: String?
    @Option(name: .customLong("warn-days"), help: ArgumentHelp("Within this many days of an appointment, anything not done is a warning (default: status.warn-days, 14).", valueName: "n"))
    var warnDays: String?
    @Option(name: .customLong("recent-lab-days"), help: ArgumentHelp("Lab results at most this many days old count as recent (default: status.recent-lab-days, 90).", valueName: "n"))
    var recentLabDays: String?

    /// The store's settings with these options applied.
    func settings(from store: HealthStore) throws -> WorkflowSettings {
        var settings = try store.workflowSettings()
        let given: [(String, String, String?)] = [
            ("--max-opinions", "compare.max-opinions", maxOpinions), ("--delay-weeks", "compare.delay-weeks", delayWeeks),
            ("--warn-days", "status.warn-days", warnDays), ("--recent-lab-days", "status.recent-lab-days", recentLabDays),
        ]
        for (option, key, value) in given {
            guard let value else { continue }
            do {
                settings = try settings.setting(key, to: value)
            } catch {
                let accepted = WorkflowSettings.key(named: key)?.accepted ?? "a number"
                throw CommandFailure("\(option): '\(value)' is not \(accepted)", code: ExitStatus.usage)
            }
        }
        return settings
    }
}
