import Foundation
import PHRStore

/// Where a table goes: how wide it may be and whether it may use colour.
struct TableStyle {
    let width: Int
    let colour: Bool

    /// No limit: every row stays on one line, so that `grep` and copying see whole rows.
    static let unlimitedWidth = Int.max / 4

    /// On a terminal: its width (else `$COLUMNS`, else 100), colour unless `NO_COLOR` or
    /// `TERM=dumb`. Anywhere else (a pipe, a file): one line per row, never wrapped, no colour.
    static func current(toFile: Bool) -> TableStyle {
        let environment = ProcessEnvironment.value
        let terminal = !toFile && isatty(STDOUT_FILENO) == 1
        guard terminal else { return TableStyle(width: unlimitedWidth, colour: false) }
        let colour = environment("NO_COLOR") == nil && environment("TERM") != "dumb"
        var width = Int(environment("COLUMNS") ?? "") ?? 100
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
        return TableStyle(width: max(width, 40), colour: colour)
    }

    /// `text` in bold where colour is allowed.
    func bold(_ text: String) -> String {
        colour ? TerminalText.bold + text + TerminalText.normal : text
    }
}

/// Aligned text for people. Long text in wrapping columns is wrapped at word boundaries to fit
/// the width; a word (or a `phr …` command, which is never in a wrapping column) is never broken:
/// a table that cannot fit otherwise is wider than the width.
///
/// Widths are counted in characters (`String.count`), measured once per cell by `TextMeasure`,
/// which reads ASCII text, and the dashes, units and chart blocks phr prints beyond it, byte by
/// byte: a table of 60,000 rows costs time in proportion to its bytes.
enum TableRenderer {
    static let gap = "  "

    static func render(_ listing: Listing, style: TableStyle) -> String {
        var out = ""
        if let title = listing.title.map(TerminalText.oneLine) { out += style.bold(title) + "\n" }
        guard !listing.rows.isEmpty else { return out + listing.emptyMessage + "\n" }
        let shown = listing.columns.indices.filter { listing.columns[$0].inTable }
        let headers = shown.map { MeasuredCell(TerminalText.oneLine(listing.columns[$0].header)) }
        let rows = listing.rows.map { row in shown.map { MeasuredCell(clean(row[$0].plainText)) } }
        var natural = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where cell.count > natural[column] { natural[column] = cell.count }
        }
        let wraps = shown.map { listing.columns[$0].wraps }
        let widths = fit(natural: natural, minimum: minimumWidths(rows, natural: natural, wraps: wraps, total: style.width),
                         wraps: wraps, total: style.width)
        for headerLine in lines(of: headers, widths) {
            out += style.bold(headerLine) + "\n"
        }
        // The rows are written as UTF-8 bytes and made one String at the end: appending to a
        // String cost about 340 instructions a cell.
        var body: [UInt8] = []
        for row in rows {
            if fitsOnOneLine(row, widths) {
                line(row, widths, into: &body)
            } else {
                for rowLine in lines(of: row, widths) {
                    body.append(contentsOf: rowLine.utf8)
                    body.append(newline)
                }
            }
        }
        return out + String(decoding: body, as: UTF8.self)
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")

    /// Appends to `bytes` the cells side by side, as `line(_:_:into:)` makes them for a String,
    /// and a newline.
    private static func line(_ cells: [MeasuredCell], _ widths: [Int], into bytes: inout [UInt8]) {
        let start = bytes.count
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            if index > 0 { bytes.append(contentsOf: gap.utf8) }
            bytes.append(contentsOf: cell.text.utf8)
            if cell.count < width { bytes.append(contentsOf: repeatElement(space, count: width - cell.count)) }
        }
        TextMeasure.removeTrailingWhitespace(from: &bytes, after: start)
        bytes.append(newline)
    }

    /// One item as `Field: value` lines, values wrapped to the width.
    static func renderItem(_ listing: Listing, style: TableStyle) -> String {
        guard let row = listing.rows.first else { return listing.emptyMessage + "\n" }
        let labelWidth = (listing.columns.map(\.header.count).max() ?? 0) + 1
        var out = listing.title.map { TerminalText.oneLine($0) + "\n" } ?? ""
        for (column, cell) in zip(listing.columns, row) where cell != .null && !cell.plainText.isEmpty {
            let label = (column.header + ":").padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let lines = cell.plainText.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { wrap(clean(String($0)), width: max(20, style.width - labelWidth - 1)) }
            for (index, text) in lines.enumerated() {
                let shownLabel = index == 0 ? style.bold(label)
                    : String(repeating: " ", count: labelWidth)
                out += "\(shownLabel) \(text)\n"
            }
        }
        return out
    }

    /// Column widths that fit `total`: the widest wrapping column gives up a character at a time,
    /// down to its `minimum`. Other columns (ids, dates, statuses) keep their width: on a very
    /// narrow terminal the table is wider than the screen rather than unreadable.
    static func fit(natural: [Int], minimum: [Int], wraps: [Bool], total: Int) -> [Int] {
        var widths = natural
        var excess = widths.reduce(0, +) - available(total, columns: natural.count)
        while excess > 0 {
            let shrinkable = widths.indices.filter { wraps[$0] && widths[$0] > minimum[$0] }
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    static let minimumWrapWidth = 10

    /// The narrowest each column may become (`fit`'s `minimum`): a wrapping column wraps between
    /// words only, so it is never narrower than its longest word. Words are counted only when the
    /// table is too wide for `total`: otherwise nothing shrinks, and `natural` is returned.
    private static func minimumWidths(_ rows: [[MeasuredCell]], natural: [Int], wraps: [Bool], total: Int) -> [Int] {
        guard natural.reduce(0, +) > available(total, columns: natural.count) else { return natural }
        return natural.indices.map { column in
            guard wraps[column] else { return natural[column] }
            let longestWord = rows.lazy.map { TextMeasure.longestWordCount($0[column].text) }.max() ?? 0
            return max(minimumWrapWidth, longestWord)
        }
    }

    /// The characters left for cells in a line of `total` once the gaps between `columns` columns
    /// are taken.
    private static func available(_ total: Int, columns: Int) -> Int {
        total - gap.count * max(0, columns - 1)
    }

    /// One table row as printed lines: each cell wrapped to its column, cells side by side.
    private static func lines(of cells: [MeasuredCell], _ widths: [Int]) -> [String] {
        if fitsOnOneLine(cells, widths) {
            var text = ""
            line(cells, widths, into: &text)
            return [text]
        }
        let wrapped = cells.indices.map { wrap(cells[$0].text, width: widths[$0]).map(MeasuredCell.init) }
        let height = wrapped.map(\.count).max() ?? 1
        let empty = MeasuredCell("")
        return (0..<height).map { index in
            var text = ""
            line(wrapped.map { index < $0.count ? $0[index] : empty }, widths, into: &text)
            return text
        }
    }

    /// Whether `wrap` leaves every cell as it is (each is no wider than its column, or the column
    /// has no width), so that the row is one line.
    private static func fitsOnOneLine(_ cells: [MeasuredCell], _ widths: [Int]) -> Bool {
        zip(cells, widths).allSatisfy { cell, width in cell.count <= width || width <= 0 }
    }

    /// Replaces `text` with the cells side by side, each padded to its column's width and
    /// separated by the gap, without trailing white space. (`text` is a buffer a caller reuses.)
    private static func line(_ cells: [MeasuredCell], _ widths: [Int], into text: inout String) {
        text.removeAll(keepingCapacity: true)
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            if index > 0 { text += gap }
            text += cell.text
            if cell.count < width { appendSpaces(width - cell.count, to: &text) }
        }
        TextMeasure.removeTrailingWhitespace(from: &text)
    }

    private static func appendSpaces(_ count: Int, to text: inout String) {
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, spaces.utf8.count)
            // The spaces are ASCII: a UTF-8 offset is a character boundary.
            text += spaces[..<spaces.utf8.index(spaces.utf8.startIndex, offsetBy: chunk)]
            remaining -= chunk
        }
    }

    private static let spaces = String(repeating: " ", count: 128)

    /// Splits text into lines of at most `width` characters, at spaces only: a word longer than
    /// the width gets a line of its own, whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard TextMeasure.characterCount(text) > width, width > 0 else { return [text] }
        if let lines = TextMeasure.wrappedSimple(text, width: width) { return lines }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let word = String(word)
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }

    /// Table cells are one line: newlines and tabs become spaces, other control characters show
    /// as visible escapes (so stored text cannot move the cursor or change the terminal).
    static func clean(_ text: String) -> String {
        TerminalText.oneLine(text)
    }

    /// A cell's text with its width in characters, counted once.
    private struct MeasuredCell {
        let text: String
        let count: Int

        init(_ text: String) {
            self.text = text
            self.count = TextMeasure.characterCount(text)
        }
    }
}
