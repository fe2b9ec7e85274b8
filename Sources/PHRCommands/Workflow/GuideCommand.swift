import ArgumentParser
import PHRGuide

/// `phr guide` (also `phr help guide`): the step-by-step guide to a second opinion with phr.
struct GuideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guide",
        abstract: "A second opinion with phr, step by step, from the diagnosis to the decision.",
        discussion: """
            The same text as docs/GUIDE.md.
            Example:
              phr guide | less
            """)

    func run() throws {
        print(GuideText.markdown, terminator: GuideText.markdown.hasSuffix("\n") ? "" : "\n")
    }
}
