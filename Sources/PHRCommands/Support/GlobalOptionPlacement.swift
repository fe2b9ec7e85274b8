import ArgumentParser

/// Lets the options every command shares (`--db`, `--patient`, `--format`, `-o`) come before the
/// subcommand as well as after it: `phr --db S.sqlite appointment list` runs as
/// `phr appointment list --db S.sqlite`.
///
/// Guarantees: only options written among the command names (before the first argument that is
/// not a command name) are moved, each with its value, to just after the command names and before
/// anything else; everything after the command names, and everything after `--`, keeps its place
/// and order. A command that does not take a moved option refuses it as it would anywhere.
enum GlobalOptionPlacement {
    /// The shared options, each followed by a value (`--db PATH` or `--db=PATH`).
    static let movableOptions: Set<String> = ["--db", "--patient", "--format", "-o", "--output"]

    static func arranged(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var commandPath: [String] = []
        var moved: [String] = []
        var command: any ParsableCommand.Type = root
        var index = 0
        scan: while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if movableOptions.contains(name) {
                moved.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    moved.append(arguments[index + 1])
                    index += 2
                } else {
                    index += 1
                }
                continue
            }
            if argument.hasPrefix("-") { break }
            for subcommand in command.configuration.subcommands
            where subcommand._commandName == argument || subcommand.configuration.aliases.contains(argument) {
                commandPath.append(argument)
                command = subcommand
                index += 1
                continue scan
            }
            break
        }
        return commandPath + moved + arguments[index...]
    }
}
