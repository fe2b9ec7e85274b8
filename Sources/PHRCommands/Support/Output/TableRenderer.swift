import Foundation

/// Where a table goes: how wide it may be and whether it may use colour.
struct TableStyle {
    let width: Int
    let colour: Bool

    /// No limit: every row stays on one line, so that `grep` and copying see whole rows.
    static let unlimitedWidth = Int.max / 4

    /// On a terminal: its width (else `$COLUMNS`, else 100), colour unless `NO_COLOR` or
    /// `TERM=dumb`. Anywhere else (a pipe, a file): one line per row, never wrapped, no colour.
    static func current(toFile: Bool) -> TableStyle {
        let environment = ProcessInfo.processInfo.environment
        let terminal = !toFile && isatty(STDOUT_FILENO) == 1
        guard terminal else { return TableStyle(width: unlimitedWidth, colour: false) }
        let colour = environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        var width = Int(environment["COLUMNS"] ?? "") ?? 100
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
enum TableRenderer {
    static let gap = "  "

    static func render(_ listing: Listing, style: TableStyle) -> String {
        var out = ""
        if let title = listing.title.map(TerminalText.oneLine) { out += style.bold(title) + "\n" }
        guard !listing.rows.isEmpty else { return out + listing.emptyMessage + "\n" }
        let shown = listing.columns.indices.filter { listing.columns[$0].inTable }
        let headers = shown.map { TerminalText.oneLine(listing.columns[$0].header) }
        let rows = listing.rows.map { row in shown.map { clean(row[$0].plainText) } }
        let widths = fit(natural: shown.indices.map { i in max(headers[i].count, rows.map { $0[i].count }.max() ?? 0) },
                         minimum: shown.indices.map { i in
                             // Wrap between words only: a column is never narrower than its longest word.
                             let longestWord = rows.flatMap { $0[i].split(separator: " ").map(\.count) }.max() ?? 0
                             return max(minimumWrapWidth, longestWord)
                         },
                         wraps: shown.map { listing.columns[$0].wraps }, total: style.width)
        for headerLine in lines(of: headers, widths) {
            out += style.bold(headerLine) + "\n"
        }
        for row in rows {
            out += lines(of: row, widths).map { $0 + "\n" }.joined()
        }
        return out
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
        let available = total - gap.count * max(0, natural.count - 1)
        var excess = widths.reduce(0, +) - available
        while excess > 0 {
            let shrinkable = widths.indices.filter { wraps[$0] && widths[$0] > minimum[$0] }
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    static let minimumWrapWidth = 10

    /// One table row as printed lines: each cell wrapped to its column, cells side by side.
    static func lines(of cells: [String], _ widths: [Int]) -> [String] {
        let wrapped = cells.indices.map { wrap(cells[$0], width: widths[$0]) }
        let height = wrapped.map(\.count).max() ?? 1
        return (0..<height).map { index in line(wrapped.map { index < $0.count ? $0[index] : "" }, widths) }
    }

    static func line(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? cell : cell + String(repeating: " ", count: width - cell.count)
        }.joined(separator: gap).trailingSpacesRemoved
    }

    /// Splits text into lines of at most `width` characters, at spaces only: a word longer than
    /// the width gets a line of its own, whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width, width > 0 else { return [text] }
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
}

extension String {
    /// Without trailing spaces. (Not a regular expression: that would load ICU's regex engine at
    /// every table, a quarter of `phr appointment list`'s start-up.)
    fileprivate var trailingSpacesRemoved: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
