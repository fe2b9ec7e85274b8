import PHRTestSupport

/// Random JSON text for the tests that compare phr's JSON readers and writers with Foundation's:
/// objects whose keys are letters and `_` in both cases (now and then one a writer must decline),
/// strings with every escape JSON has and raw UTF-8, numbers in every form JSON allows, literals,
/// nesting and white space. The same seed always gives the same texts.
struct RandomJSONText {
    private var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// A JSON object, as text.
    mutating func object() -> String {
        randomObject(depth: 0)
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &generator)]
    }

    private mutating func space() -> String {
        pick(["", "", "", " ", "\n  ", "\t", "\r\n"])
    }

    private mutating func randomKey() -> String {
        // Now and then a key the writer must decline (a digit, a hyphen, written with an escape).
        if Int.random(in: 0..<60, using: &generator) == 0 { return pick(["a1", "a-b", #"\u0061"#, "é"]) }
        let letters = Array("abzABZ_")
        return String((0..<Int.random(in: 1...4, using: &generator)).map { _ in pick(letters) })
    }

    /// A string as JSON text, each character written raw or escaped in one of the ways JSON allows.
    private mutating func randomString() -> String {
        let pieces: [[String]] = [
            ["a"], ["Z"], [" "], [#"\""#], [#"\\"#], ["/", #"\/"#], [#"\n"#, #"\u000a"#], [#"\r"#], [#"\t"#, #"\u0009"#],
            [#"\b"#], [#"\f"#], [#"\u0001"#], [#"\u001F"#, #"\u001f"#], ["\u{7f}", #"\u007F"#], ["é", #"\u00e9"#, #"\u00E9"#],
            ["中", #"\u4e2d"#], ["😀", #"\ud83d\ude00"#, #"\uD83D\uDE00"#], ["\u{2028}", #"\u2028"#], ["0"], ["-"], ["{"], ["}"], [":"],
        ]
        let length = Int.random(in: 0...8, using: &generator)
        var characters = (0..<length).map { _ in pick(pick(pieces)) }
        // Now and then a byte order mark, which Foundation's parser drops where a run of plain text
        // begins (the writer must decline those strings).
        if Int.random(in: 0..<40, using: &generator) == 0 {
            characters.insert(pick(["\u{FEFF}", #"\ufeff"#]), at: Int.random(in: 0...characters.count, using: &generator))
        }
        return "\"" + characters.joined() + "\""
    }

    /// A number in one of the forms JSON allows, with and without fractions and exponents.
    private mutating func randomNumber() -> String {
        switch Int.random(in: 0..<9, using: &generator) {
        case 0: return String(Int.random(in: -1_000...1_000, using: &generator))
        case 1: return String(Int.random(in: Int.min...Int.max, using: &generator))
        case 2: return String(format: "%.2f", Double(Int.random(in: -100_000...100_000, using: &generator)) / 100)
        case 3:
            return pick(["0", "-0", "0.0", "-0.0", "1.0", "100.0", "2.50", "1e2", "1E+2", "1e-7", "1.5e300", "5E-324",
                         "0.1", "1e21", "123456.789", "1.7976931348623157e308", "12345678901234", "0.000001"])
        case 4: return String(Double(Int.random(in: 1...999_999, using: &generator)) / 1_000) + pick(["", "e3", "E-2", "e+1"])
        case 5: return pick(["123456789012345678901", "0.30000000000000004", "3.141592653589793238"])
        case 6:
            // Most doubles from random bits need 16 or 17 digits, which Foundation keeps as decimals.
            let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            return value.isFinite ? "\(value)" : "1.5"
        default:
            return String(format: "%.\(Int.random(in: 0...14, using: &generator))g", Double.random(in: -1e6...1e6, using: &generator))
        }
    }

    private mutating func randomScalar() -> String {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0, 1: return randomString()
        case 2: return pick(["true", "false", "null"])
        default: return randomNumber()
        }
    }

    private mutating func randomObject(depth: Int) -> String {
        var keys: [String] = []
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            let key = randomKey()
            // Foundation's parser keeps one of two equal keys; the generator writes each once.
            if !keys.contains(key) { keys.append(key) }
        }
        let members = keys.map { "\(space())\"\($0)\"\(space()):\(space())\(randomValue(depth: depth + 1))" }
        return "{" + members.joined(separator: space() + ",") + space() + "}"
    }

    private mutating func randomValue(depth: Int) -> String {
        guard depth < 4 else { return randomScalar() }
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: return randomObject(depth: depth)
        case 1:
            let items = (0..<Int.random(in: 0...3, using: &generator)).map { _ in space() + randomValue(depth: depth + 1) }
            return "[" + items.joined(separator: ",") + space() + "]"
        default: return randomScalar()
        }
    }
}
