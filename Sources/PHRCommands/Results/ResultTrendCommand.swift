import ArgumentParser
import Foundation
import PHRStore

/// `phr result trend NAME|CODE`: one result's values over time, with their range, abnormal ones
/// marked, and a bar per value (tables only; JSON and CSV carry the numbers).
struct ResultTrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Show one result's values over time, with their range and a small chart.",
        discussion: """
            Values outside their range (or reported abnormal) are flagged: H high, L low, A abnormal, \
            !! critical. The bars are scaled to the largest value of the unit shown.
            Example:
              phr result trend "CA 15-3"
              phr result trend 6875-9 --since 2026-06 --format csv
            """)

    /// The width of the longest bar, in characters.
    static let chartWidth = 20

    @OptionGroup var store: StoreOptions
    @OptionGroup var patient: PatientOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The result's name (any case) or code.") var name: String
    @Option(help: ArgumentHelp("Only from this date on: \(DateInput.acceptedDates).", valueName: "date")) var since: String?

    func run() throws {
        let health = try store.open()
        let series = try health.read { () throws -> [ClinicalResult] in
            let owner = try patient.resolve(in: health)
            // A value entered in error (its source took it back) is no point of the trend.
            let series = try health.results(patientID: owner.id, ResultFilter(
                nameOrCode: name, since: try since.map { try DateInput.date($0, option: "--since") }))
                .filter { $0.status != .enteredInError }
            // None since the date is an empty trend; none at all is a name that was mistyped.
            guard series.isEmpty, try health.results(patientID: owner.id, ResultFilter(nameOrCode: name), limit: 1).isEmpty else {
                return series
            }
            throw CommandFailure("no result named or coded '\(name)'; see `phr result list`", code: ExitStatus.dataError)
        }
        let withChart = output.resolvedFormat == .table
        var columns: [Listing.Column] = [
            .init(key: "id", header: "ID"),
            .init(key: "observed_at", header: "Date"),
            .init(key: "name", header: "Result", inTable: false),
            .init(key: "value", header: "Value"),
            .init(key: "value_number", header: "Number", inTable: false),
            .init(key: "value_unit", header: "Unit", inTable: false),
            .init(key: "range", header: "Range"),
            .init(key: "reference_low", header: "Range low", inTable: false),
            .init(key: "reference_high", header: "Range high", inTable: false),
            .init(key: "flag", header: "Flag"),
            .init(key: "interpretation", header: "Interpretation", inTable: false),
            .init(key: "abnormal", header: "Abnormal", inTable: false),
        ]
        if withChart { columns.append(.init(key: "chart", header: "Chart")) }
        var listing = Listing(columns: columns, title: Self.title(series),
                              emptyMessage: "No values of '\(name)' since \(since ?? "then").")
        let unit = series.last(where: { $0.value?.number != nil })?.value?.unit
        let scale = series.compactMap { $0.value?.unit == unit ? $0.value?.number : nil }.max() ?? 0
        for result in series {
            let assessed = result.assessedInterpretation
            var row: [Cell] = [
                .integer(result.id), Cell(describing: result.observedAt), .text(result.name), Cell(result.value?.displayText),
                Cell(result.value?.number), Cell(result.value?.unit), Cell(result.range?.displayText), Cell(result.range?.low),
                Cell(result.range?.high), .text(ResultCommand.flag(assessed)), Cell(assessed),
                .bool(assessed?.isAbnormal ?? false),
            ]
            if withChart { row.append(.text(Self.bar(result, unit: unit, scale: scale))) }
            listing.append(row)
        }
        try output.emit(listing)
    }

    /// `CA 15-3 (tumour-marker), U/mL, range 0–30`: what the table shows.
    static func title(_ series: [ClinicalResult]) -> String? {
        guard let latest = series.last else { return nil }
        var parts = ["\(latest.name) (\(latest.category.rawValue))"]
        if let unit = latest.value?.unit.flatMap(ResultValue.readable(unit:)) { parts.append(unit) }
        if let range = latest.range?.displayText, !range.isEmpty { parts.append("range \(range)") }
        return parts.joined(separator: ", ")
    }

    /// A bar as long as the value is large, against the largest value in `unit`; a number in
    /// another unit is not drawn on the same scale.
    static func bar(_ result: ClinicalResult, unit: String?, scale: Double) -> String {
        guard let number = result.value?.number else { return "" }
        guard result.value?.unit == unit else { return "(other unit)" }
        guard scale > 0, number > 0 else { return "▏" }
        let length = max(1, Int((number / scale * Double(chartWidth)).rounded()))
        return length < bars.count ? bars[length] : String(repeating: "█", count: length)
    }

    /// The bars of every length up to the chart's width, made once: `String(repeating:count:)`
    /// cost about 5,000 instructions a row.
    private static let bars = (0...chartWidth).map { String(repeating: "█", count: $0) }
}
