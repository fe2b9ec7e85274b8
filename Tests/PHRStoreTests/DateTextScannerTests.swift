@testable import PHRStore
import PHRTestSupport
import XCTest

/// `DateTextScanner` is the byte-level fast path of `PartialDate`, `OffsetDateTime` and
/// `DateOrTime` parsing: whatever the text, `init(parsing:)` must give what the full parser,
/// `init(parsingByCharacter:)`, gives — the same value, or the same error.
final class DateTextScannerTests: XCTestCase {
    /// Stored forms, other accepted forms, and near misses: non-ASCII digits and separators,
    /// combining marks, empty text, white space, impossible dates and times, offsets out of range.
    static let tricky = [
        "", " ", "2026", "2026-05", "2026-05-16", "0001", "9999-12-31", "0000", "0000-01-01", "2024-02-29", "2023-02-29",
        "1900-02-29", "2000-02-29", "2026-13", "2026-00", "2026-04-31", "2026-01-00", "2026-1-01", "2026-01-1", "26-01-01",
        "2026-", "2026-01-", "-2026", "+2026", "2026-01-01-", "2026-01-01 ", " 2026-01-01", "2026/01/01", "２０２６",
        "2026-0١-01", "2026\u{301}", "2026-05-1\u{301}6", "2026\u{2010}05", "2026-05-16\r\n", "2026\r\n",
        "2026-05-16T08:15:00Z", "2026-05-16T08:15:00+01:00", "2026-05-16T08:15:00-05:00", "2026-05-16T08:15Z",
        "2026-05-16 08:15+01:00", "2026-05-16T08:15:30.250+05:30", "2026-05-16T08:15:30.+05:30", "2026-05-16T08:15:30.9Z",
        "2026-05-16T08:15:30.123456789Z", "2026-05-16T08:15+0130", "2026-05-16T08:15:00+0100", "2026-05-16T08:15:00+01",
        "2026-05-16T08:15:00+1", "2026-05-16T08:15:00+18:00", "2026-05-16T08:15:00-18:00", "2026-05-16T08:15:00+18:59",
        "2026-05-16T08:15:00+19:00", "2026-05-16T08:15:00+01:60", "2026-05-16T08:15:00", "2026-05-16T08:15",
        "2026-05-16T08:15:00z", "2026-05-16t08:15:00Z", "2026-05-16X08:15Z", "2026-05-16T24:00Z", "2026-05-16T23:60Z",
        "2026-05-16T23:59:60Z", "2026-05-16T8:15Z", "2026-05-16T08:5Z", "2026-05-16T08:15:5Z", "2026-05-16T08:15:00Zjunk",
        "2026-05-16T08:15:00Z ", "2026-05-16T08:15:00+01:00 ", "2026-02-30T08:15Z", "0000-01-01T00:00Z",
        "2026-05T08:15:00Z", "2026T08:15:00Z", "2026-05-16T08:15:00.Z", "2026-05-16T08:15:00+01:00:00",
        "2026-05-16T０8:15Z", "2026-05-16T08:15:00Z\u{301}", "2026-05-16T08\u{2236}15Z", "2026-05-16\u{2003}08:15Z",
        "2026-05-16T08:15:00\r\nZ", "2026-05-16T08:15:00\u{2212}05:00", "9999-12-31T23:59:59-18:00", "0001-01-01T00:00+18:00",
        "2026-05-16T08:15:00+00:00", "2026-05-16T08:15:00-00:00", "2026-05-16T08:15:00+00:30", "2026-05-16T08:15:00-00:45",
        "2026-05-16T08:15:00+14:00", "2026-05-16T08:15:00+05:45", "2026-05-16T08:15:00+1:00",
    ]

    func testPartialDateParsingAgreesWithTheFullParserOnTrickyText() {
        for text in Self.tricky + Self.mutations() {
            assertSameOutcome(text, fast: { try PartialDate(parsing: $0) }, full: { try PartialDate(parsingByCharacter: $0) })
        }
    }

    func testOffsetDateTimeParsingAgreesWithTheFullParserOnTrickyText() {
        for text in Self.tricky + Self.mutations() {
            assertSameOutcome(text, fast: { try OffsetDateTime(parsing: $0) },
                              full: { try OffsetDateTime(parsingByCharacter: $0) })
        }
    }

    func testDateOrTimeParsingAgreesWithTheFullParserOnTrickyText() {
        for text in Self.tricky + Self.mutations() {
            assertSameOutcome(text, fast: { try DateOrTime(parsing: $0) }, full: { try DateOrTime(parsingByCharacter: $0) })
        }
    }

    /// The fast path is taken for what phr stores (else it buys nothing), and left to the full
    /// parser for anything beyond ASCII.
    func testTheScannerReadsStoredFormsAndLeavesOthersToTheFullParser() throws {
        for text in ["2026", "2026-05", "2026-05-16"] {
            XCTAssertEqual(DateTextScanner.partialDate(text), try PartialDate(parsingByCharacter: text), text)
            XCTAssertEqual(DateTextScanner.dateOrTime(text), .date(try PartialDate(parsingByCharacter: text)), text)
        }
        for text in ["2026-05-16T08:15:00Z", "2026-05-16T08:15:00+05:30", "2026-05-16T08:15:00-09:30"] {
            XCTAssertEqual(DateTextScanner.offsetDateTime(text), try OffsetDateTime(parsingByCharacter: text), text)
            XCTAssertEqual(DateTextScanner.dateOrTime(text), .dateTime(try OffsetDateTime(parsingByCharacter: text)), text)
        }
        for text in ["２０２６", "2026-05-1\u{301}6", "2026-05-16T08:15:00Z\u{301}", "2026-02-30", "2026-05-16T08:15:00"] {
            XCTAssertNil(DateTextScanner.dateOrTime(text), text)
        }
    }

    /// A date-time written by phr reads back as the value it was written from, for every offset
    /// sign, the ends of the ranges and partial precision.
    func testWrittenDatesAndTimesReadBackThroughTheFastPath() throws {
        for year in [1, 999, 1969, 2026, 9999] {
            for (month, day) in [(1, 1), (2, 28), (12, 31)] {
                let date = try PartialDate(year: year, month: month, day: day)
                for written in [try PartialDate(year: year), try PartialDate(year: year, month: month), date] {
                    XCTAssertEqual(DateTextScanner.partialDate(written.description), written)
                }
                for offset in [0, 60, -60, 5 * 3600 + 30 * 60, -(9 * 3600 + 45 * 60), 18 * 3600, -18 * 3600] {
                    let time = try OffsetDateTime(year: year, month: month, day: day, hour: 23, minute: 59, second: 59,
                                                  offsetSeconds: offset)
                    XCTAssertEqual(DateTextScanner.offsetDateTime(time.description), time, time.description)
                    XCTAssertEqual(DateTextScanner.dateOrTime(time.description), .dateTime(time), time.description)
                }
            }
        }
    }

    // MARK: Helpers

    /// Each tricky date-time and date with one character replaced, inserted or removed, from a
    /// seeded generator: the same 3,000 texts on every run.
    static func mutations() -> [String] {
        let replacements: [Character] = ["0", "9", "-", ":", "T", " ", "Z", "+", ".", "x", "\u{301}", "٣", "\r\n", "\u{A0}"]
        let bases = ["2026-05-16T08:15:30.250+05:30", "2026-05-16T08:15:00Z", "2026-05-16 08:15-0500", "2026-05-16", "2026-05"]
        var generator = SeededGenerator(seed: 15)
        return (0..<3000).map { _ in
            var characters = Array(bases.randomElement(using: &generator) ?? "")
            let position = Int.random(in: 0..<characters.count, using: &generator)
            let replacement = replacements.randomElement(using: &generator) ?? "0"
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: characters[position] = replacement
            case 1: characters.insert(replacement, at: position)
            default: characters.remove(at: position)
            }
            return String(characters)
        }
    }

    private func assertSameOutcome<T: Equatable>(_ text: String, fast: (String) throws -> T, full: (String) throws -> T,
                                                 file: StaticString = #filePath, line: UInt = #line) {
        switch (Result { try fast(text) }, Result { try full(text) }) {
        case let (.success(a), .success(b)):
            XCTAssertEqual(a, b, "'\(text)'", file: file, line: line)
        case let (.failure(a), .failure(b)):
            XCTAssertEqual(String(describing: a), String(describing: b), "'\(text)': the same error", file: file, line: line)
        case let (a, b):
            XCTFail("'\(text)': \(a) with the fast path, \(b) without", file: file, line: line)
        }
    }
}
