import ArgumentParser

/// `phr completion bash|zsh|fish`: the shell completion script, values and aliases of closed
/// lists included.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the script that lets your shell complete phr's commands, options and values.",
        discussion: """
            Example:
              phr completion bash > ~/.local/share/bash-completion/completions/phr
              phr completion zsh > ~/.zfunc/_phr
              phr completion fish > ~/.config/fish/completions/phr.fish
            """)

    @Argument(help: ArgumentHelp("The shell: bash, zsh or fish.", valueName: "shell"))
    var shell: CompletionShell

    func run() throws {
        print(PHR.completionScript(for: shell))
    }
}

extension CompletionShell: @retroactive ExpressibleByArgument {}
