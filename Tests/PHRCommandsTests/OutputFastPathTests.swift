import Foundation
@testable import PHRCommands
import PHRTestSupport
import XCTest

/// Tables are measured, padded, wrapped and made safe, and CSV fields quoted, over UTF-8 bytes
/// where that is exact (`TextMeasure`, `TerminalText.containsControl`, `CSVWriter.field`); each
/// fast path must give exactly what the `Character`-by-`Character` code it replaced gives, for
/// ASCII and for everything beyond it.
final class OutputFastPathTests: XCTestCase {
    /// Text that trips up byte-level shortcuts: wide characters, combining marks (on a space, too),
    /// a prepended mark that joins the space after it, CR LF pairs, white space beyond ASCII,
    /// terminal escapes, C1 and bidirectional controls, emoji sequences, empty text.
    static let tricky = [
        "", " ", "  ", "\t", " \t ", "plain", "plain ", "plain   ", "plain\t", "plain \t\n", "two words", " leading",
        "a  b   c", "CR\r\nLF", "\r\n", "ends in CR\r", "\r\n ", "x\u{0B}\u{0C}", "x\u{1C}\u{1F}",
        "日本語のテキスト", "日本 語", "Crème brûlée", "e\u{301}", "e\u{301} ", "space and mark \u{301}", " \u{301}",
        "a \u{301} b", "\u{0600} ", "\u{0600}  x", "no-break\u{A0}", "no-break\u{A0} ", "ideographic\u{3000}",
        "narrow\u{202F}", "em\u{2003}space ", "next line\u{85}", "flag 🇨🇭 ", "family 👨‍👩‍👧 x", "ZWJ\u{200D} ",
        "\u{1B}[2J cleared", "title \u{1B}]0;x\u{7}", "csi \u{9B}31m", "del\u{7F}", "rtl \u{202E}abc", "isolate \u{2066}x\u{2069}",
        "arabic mark \u{61C}", "lrm\u{200E}rlm\u{200F}", "line sep\u{2028}para sep\u{2029}", "near misses \u{2027}\u{202F}\u{2065}\u{206A}\u{61B}\u{61D}",
        "C1 ends \u{80}\u{9F} and after \u{A0}", "Hemoglobin 12–16 ████", "a-very-long-word-that-never-fits-in-a-narrow-column and more",
        "Diagnosed: Malignant neoplasm of unspecified part of unspecified bronchus or lung (363358000)",
        // Beyond ASCII, read byte by byte (`TextMeasure.isSimple`), alone and beside what is not.
        "range 12–16 µg/L", "36.6 °C ", "≤ 5, ≥ 3 ±1 ×2", "▏", "█ ", "—\r\n", "…\t", "a–b  c—d ", "ÿĀſ ‰ → ⊗ ┃ ◊",
        "µ\u{301}", "µ \u{301}", "\u{0600}– ", "\u{0600}–", "–\u{A0}", "– \u{A0} ", "°\u{200D}x ", "‼\u{FE0F} ",
        "\u{AD}soft hyphen", "ends\u{AD} ", "€ and ½", "日本–語 ", "\u{1F600}– ",
    ]

    func testCharacterCountIsStringCount() {
        for text in Self.tricky + Self.padded() {
            XCTAssertEqual(TextMeasure.characterCount(text), text.count, debug(text))
        }
    }

    func testLongestWordCountIsTheLongestSplitAtSpaces() {
        for text in Self.tricky + Self.padded() {
            XCTAssertEqual(TextMeasure.longestWordCount(text), text.split(separator: " ").map(\.count).max() ?? 0, debug(text))
        }
    }

    func testTrailingWhitespaceIsRemovedAsCharacterByCharacter() {
        for text in Self.tricky + Self.padded() {
            var expected = Substring(text)
            while let last = expected.last, last.isWhitespace { expected.removeLast() }
            var trimmed = text
            TextMeasure.removeTrailingWhitespace(from: &trimmed)
            XCTAssertEqual(Array(trimmed.utf8), Array(expected.utf8), debug(text))
        }
    }

    func testWrappingIsTheCharacterByCharacterWrapping() {
        for text in Self.tricky + Self.padded() {
            for width in [-1, 0, 1, 3, 5, 10, 20, 200] {
                XCTAssertEqual(TableRenderer.wrap(text, width: width), Reference.wrap(text, width: width), "\(debug(text)) at \(width)")
            }
        }
    }

    /// What the byte-by-byte reading of `TextMeasure` assumes of every scalar it reads beyond
    /// ASCII: it is a character of its own wherever it stands (alone, between letters, beside
    /// itself, spaces, tabs, a CR LF and other such scalars) and is not white space.
    func testEverySimpleScalarIsACharacterOfItsOwnAndNotWhiteSpace() {
        let simple = (UInt32(0x80)...0xFFFF).compactMap { TextMeasure.isSimple($0) ? Unicode.Scalar($0) : nil }
        XCTAssertGreaterThan(simple.count, 800)
        for (index, scalar) in simple.enumerated() {
            let text = String(scalar)
            let other = String(simple[(index * 7 + 3) % simple.count])
            let name = "U+\(String(scalar.value, radix: 16))"
            XCTAssertFalse(Character(scalar).isWhitespace, name)
            for (candidate, count) in [(text, 1), ("a" + text + "b", 3), (text + text, 2), (" " + text + " ", 3),
                                       ("\t" + text + "\t", 3), ("\r\n" + text + "\r\n", 3), (text + other, 2),
                                       (text + " " + other, 3)] {
                XCTAssertEqual(candidate.count, count, "\(name) in \(debug(candidate))")
                XCTAssertEqual(TextMeasure.characterCount(candidate), count, "\(name) in \(debug(candidate))")
                var trimmed = candidate
                TextMeasure.removeTrailingWhitespace(from: &trimmed)
                var expected = Substring(candidate)
                while let last = expected.last, last.isWhitespace { expected.removeLast() }
                XCTAssertEqual(trimmed, String(expected), "\(name) in \(debug(candidate))")
            }
        }
    }

    /// Every Unicode scalar, alone and between letters: the byte scan finds exactly the scalars
    /// `isControl` names.
    func testControlCharactersAreFoundByTheirBytesExactly() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "a" + String(scalar) + "b"] {
                let expected = TerminalText.isControl(scalar)
                XCTAssertEqual(TerminalText.containsControl(text, besidesLineFeedAndTab: false), expected, "U+\(String(value, radix: 16))")
                XCTAssertEqual(TerminalText.containsControl(text, besidesLineFeedAndTab: true),
                               expected && scalar != "\n" && scalar != "\t", "U+\(String(value, radix: 16))")
            }
        }
    }

    /// The scalars whose encodings the byte scan must recognise (C0, DEL, C1, U+061C, U+200E–F,
    /// U+2028–E, U+2066–9) and their neighbours, at every place in a line longer than the eight
    /// bytes the scan passes over at a time: in the words it skips and across their edges.
    func testControlCharactersAreFoundAtEveryPlaceInALongLine() {
        let line = "Result: Hemoglobin 13.5 g/dL (range 12-16)"
        for value in UInt32(0)...0x2FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = TerminalText.isControl(scalar)
            for offset in 0..<20 {
                let text = String(line.prefix(offset)) + String(scalar) + String(line.dropFirst(offset))
                XCTAssertEqual(TerminalText.containsControl(text, besidesLineFeedAndTab: false), expected,
                               "U+\(String(value, radix: 16)) at \(offset)")
                XCTAssertEqual(TerminalText.containsControl(text, besidesLineFeedAndTab: true),
                               expected && scalar != "\n" && scalar != "\t", "U+\(String(value, radix: 16)) at \(offset)")
            }
        }
        XCTAssertFalse(TerminalText.containsControl(String(repeating: line, count: 9), besidesLineFeedAndTab: false))
    }

    /// `TerminalText.contains` finds a byte wherever it is in the UTF-8, as the byte-by-byte
    /// `contains` does, in the tricky texts with and without an ESC at their start, middle and end.
    func testAByteIsFoundWhereverItIs() {
        for text in Self.tricky {
            for candidate in [text, "\u{1B}" + text, text + "\u{1B}", text + "\u{1B}[1m" + text, String(repeating: text, count: 40)] {
                for byte: UInt8 in [0x1B, 0x0A, 0x20, 0xE2] {
                    XCTAssertEqual(TerminalText.contains(byte, in: candidate), candidate.utf8.contains(byte), debug(candidate))
                }
            }
        }
    }

    func testTerminalTextIsWhatItWasForTrickyText() {
        for text in Self.tricky + Self.padded() + ["\(TerminalText.bold)Bold\(TerminalText.normal) \u{1B}[2J",
                                                   "x\u{1B}[1m\u{301}y", "\u{1B}[", "\u{1B}", "tab\tnew\nline"] {
            XCTAssertEqual(TerminalText.visible(text), Reference.visible(text), debug(text))
            XCTAssertEqual(TerminalText.oneLine(text), Reference.oneLine(text), debug(text))
            XCTAssertEqual(TerminalText.visibleKeepingStyle(text), Reference.visibleKeepingStyle(text), debug(text))
        }
    }

    /// Whole tables of tricky cells, piped (never wrapped) and at terminal widths that wrap and
    /// shrink columns, with and without colour: byte for byte what the renderer used to print.
    func testTablesOfTrickyTextAreRenderedByteForByteAsBefore() {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "date", header: "Date"),
            .init(key: "summary", header: "What happened", wraps: true),
            .init(key: "hidden", header: "Hidden", inTable: false),
            .init(key: "note", header: "Note\u{301} ", wraps: true),
        ], title: "Tricky\ttable")
        let cells = Self.tricky + Self.padded()
        for (index, text) in cells.enumerated() {
            let other = cells[(index * 7 + 3) % cells.count]
            listing.append([.integer(Int64(index)), .text(index % 3 == 0 ? "2026-05-16" : ""), .text(text), .text(other),
                            index % 2 == 0 ? .text(other) : .null])
        }
        for width in [TableStyle.unlimitedWidth, 40, 60, 80, 100] {
            for colour in [false, true] {
                let style = TableStyle(width: width, colour: colour)
                let rendered = TableRenderer.render(listing, style: style)
                XCTAssertEqual(Array(rendered.utf8), Array(Reference.render(listing, style: style).utf8), "width \(width), colour \(colour)")
                XCTAssertEqual(TerminalText.visibleKeepingStyle(rendered), Reference.visibleKeepingStyle(rendered))
            }
        }
    }

    /// A comma, quote, CR or LF carrying a combining mark is not that character: only the
    /// characters themselves make a field quoted.
    func testCSVFieldsAreQuotedAsCharacterByCharacter() {
        for text in Self.tricky + Self.padded() + ["a,b", "say \"hi\"", "a,\u{301}b", "\"\u{301}", "\r\u{301}", "\n\u{301}", ",", ""] {
            let quoted = text.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            let expected = quoted ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            XCTAssertEqual(Array(CSVWriter.field(text).utf8), Array(expected.utf8), debug(text))
        }
    }

    // MARK: Helpers

    /// Tricky texts with spaces, tabs and a CR LF before and after them.
    static func padded() -> [String] {
        tricky.flatMap { (text: String) -> [String] in
            ["  \(text)", "\(text)  ", "\t\(text) \t", "\(text)\r\n", "\(text) \(text)"]
        }
    }

    private func debug(_ text: String) -> String {
        text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "U+\(String($0.value, radix: 16))" }.joined()
    }

    /// The table renderer and terminal text as they were before their fast paths, kept here as
    /// the behaviour the fast paths must keep.
    enum Reference {
        static func render(_ listing: Listing, style: TableStyle) -> String {
            var out = ""
            if let title = listing.title.map(oneLine) { out += style.bold(title) + "\n" }
            guard !listing.rows.isEmpty else { return out + listing.emptyMessage + "\n" }
            let shown = listing.columns.indices.filter { listing.columns[$0].inTable }
            let headers = shown.map { oneLine(listing.columns[$0].header) }
            let rows = listing.rows.map { row in shown.map { oneLine(row[$0].plainText) } }
            let widths = fit(natural: shown.indices.map { i in max(headers[i].count, rows.map { $0[i].count }.max() ?? 0) },
                             minimum: shown.indices.map { i in
                                 let longestWord = rows.flatMap { $0[i].split(separator: " ").map(\.count) }.max() ?? 0
                                 return max(TableRenderer.minimumWrapWidth, longestWord)
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

        static func fit(natural: [Int], minimum: [Int], wraps: [Bool], total: Int) -> [Int] {
            var widths = natural
            let available = total - TableRenderer.gap.count * max(0, natural.count - 1)
            var excess = widths.reduce(0, +) - available
            while excess > 0 {
                let shrinkable = widths.indices.filter { wraps[$0] && widths[$0] > minimum[$0] }
                guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                excess -= 1
            }
            return widths
        }

        static func lines(of cells: [String], _ widths: [Int]) -> [String] {
            let wrapped = cells.indices.map { wrap(cells[$0], width: widths[$0]) }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { index in line(wrapped.map { index < $0.count ? $0[index] : "" }, widths) }
        }

        static func line(_ cells: [String], _ widths: [Int]) -> String {
            var text = Substring(zip(cells, widths).map { cell, width in
                cell.count >= width ? cell : cell + String(repeating: " ", count: width - cell.count)
            }.joined(separator: TableRenderer.gap))
            while let last = text.last, last.isWhitespace { text.removeLast() }
            return String(text)
        }

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

        static func visible(_ text: String) -> String {
            escaping(text) { scalar in scalar == "\n" || scalar == "\t" ? String(scalar) : nil }
        }

        static func oneLine(_ text: String) -> String {
            escaping(text) { scalar in scalar == "\n" || scalar == "\t" || scalar == "\r" ? " " : nil }
        }

        static func visibleKeepingStyle(_ text: String) -> String {
            let (bold, normal) = (TerminalText.bold, TerminalText.normal)
            guard text.contains(bold) || text.contains(normal) else { return visible(text) }
            var pieces: [String] = []
            var rest = Substring(text)
            while let range = rest.range(of: "\u{1B}[") {
                let marker = rest[range.lowerBound...].hasPrefix(bold) ? bold : rest[range.lowerBound...].hasPrefix(normal) ? normal : nil
                if let marker {
                    pieces.append(visible(String(rest[..<range.lowerBound])))
                    pieces.append(marker)
                    rest = rest[rest.index(range.lowerBound, offsetBy: marker.count)...]
                } else {
                    pieces.append(visible(String(rest[..<range.upperBound])))
                    rest = rest[range.upperBound...]
                }
            }
            pieces.append(visible(String(rest)))
            return pieces.joined()
        }

        static func escaping(_ text: String, keep: (Unicode.Scalar) -> String?) -> String {
            guard text.unicodeScalars.contains(where: TerminalText.isControl) else { return text }
            var out = ""
            for scalar in text.unicodeScalars {
                if !TerminalText.isControl(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if let kept = keep(scalar) {
                    out += kept
                } else {
                    out += TerminalText.escape(scalar)
                }
            }
            return out
        }
    }
}
