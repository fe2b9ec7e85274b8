import ArgumentParser
import Foundation
import PHRStore

/// How a list, show or history command prints.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv

    // The words for help and errors, given directly: argument-parser's defaults reach them through
    // key paths and string interpolation, whose first use cost every listing command about a
    // million instructions at start-up (every parse reads them).
    static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    static var allValueDescriptions: [String: String] { [:] }
    var defaultValueDescription: String { rawValue }
}

/// `--format table|json|csv` and `-o FILE`. `-o` picks the format from `.json`/`.csv` unless
/// `--format` is given; the file is written atomically, 0600.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table (for people), json or csv (for scripts).")
    var format: OutputFormat?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output (- is standard output).", valueName: "file"))
    var output: String?

    /// The file to write, or nil for standard output (no `-o`, or `-o -`).
    private var file: String? { output == StandardOutput.dash ? nil : output }

    @Flag(name: .long, help: "With csv, keep cells that start with =, +, -, @, a tab or a carriage return exactly as stored (by default they get a leading ' so that a spreadsheet shows them instead of running them as formulas).")
    var raw = false

    var resolvedFormat: OutputFormat {
        if let format { return format }
        switch file.map({ URL(fileURLWithPath: $0).pathExtension.lowercased() }) {
        case "json": return .json
        case "csv": return .csv
        default: return .table
        }
    }

    /// Prints one listing (several rows).
    func emit(_ listing: Listing) throws {
        try write(render([listing], single: false))
    }

    /// Prints several listings, e.g. one per diagnosis: tables one after another; JSON and CSV as
    /// one array / one table of all rows.
    func emit(sections: [Listing], emptyMessage: String) throws {
        if sections.allSatisfy({ $0.rows.isEmpty }), resolvedFormat == .table {
            try write(emptyMessage + "\n")
            return
        }
        try write(render(sections, single: false))
    }

    /// Prints one item: vertical `field: value` lines in a table, an object in JSON.
    func emitItem(_ listing: Listing) throws {
        try write(render([listing], single: true))
    }

    /// Prints text already rendered for the chosen format (reports that are more than a listing,
    /// such as `opinion compare` and `status`).
    func emit(text: String) throws {
        try write(text)
    }

    /// How a table should look where this output goes.
    var tableStyle: TableStyle { TableStyle.current(toFile: file != nil) }

    private func render(_ listings: [Listing], single: Bool) -> String {
        switch resolvedFormat {
        case .json:
            return JSONWriter.render(listings, single: single)
        case .csv:
            return CSVWriter.render(listings, raw: raw)
        case .table:
            let style = TableStyle.current(toFile: file != nil)
            return listings.map { single ? TableRenderer.renderItem($0, style: style) : TableRenderer.render($0, style: style) }
                .joined(separator: "\n")
        }
    }

    private func write(_ text: String) throws {
        if let file {
            let writer = try AtomicFileWriter(destination: file)
            try writer.write(Array(text.utf8))
            try writer.commit()
        } else {
            // Tables are for people: nothing from the store may drive the terminal. JSON and CSV
            // keep their exact bytes for the programs that read them.
            let shown = resolvedFormat == .table ? TerminalText.visibleKeepingStyle(text) : text
            FileHandle.standardOutput.write(Data(shown.utf8))
        }
    }
}
