/// A cancer stage as an opinion or a diagnosis states it, read so that two statements can be
/// compared for what they say rather than how they are written.
///
/// A statement is read as a stage group (`IIA`; Arabic numerals are taken as the Roman ones:
/// `2A` is `IIA`) and TNM categories (`cT2 cN0 M0`, `pT1cN0`), with "stage", "clinical",
/// "pathologic" and the like ignored. Two statements agree when nothing one says contradicts the
/// other: the same group when both give one, and the same category for each of T, N and M that
/// both give (the `c`/`p`/`yp` prefix and an unassessed `X` are not a contradiction). So "IIA"
/// agrees with "Stage IIA (cT2 cN0)", and "IIA" does not agree with "IIB". A statement with any
/// other words ("limited stage", "FIGO IIIC", "Binet B") is compared as text, ignoring case,
/// spaces and a leading "stage".
struct StageStatement: Equatable {
    /// The stage group in Roman numerals (`IIA`), when one is given.
    private(set) var group: String?
    /// The T, N and M categories given, without their prefix: "T" → "2", "N" → "1MI".
    private(set) var categories: [Character: String] = [:]
    /// The whole statement normalized, for a statement that is not only a group and categories.
    private(set) var text: String?

    init(_ statement: String) {
        let upper = statement.uppercased()
        let tokens = upper.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        var understood = !tokens.isEmpty
        var previous = ""
        for token in tokens where understood {
            defer { previous = token }
            if Self.ignoredWords.contains(token) { continue }
            // "II A": the letter of the group written apart.
            if token.count == 1, "ABC".contains(token), let group, group == Self.group(previous), group.last != "0",
               !"ABC".contains(group.last ?? " ") {
                self.group = group + token
                continue
            }
            if let group = Self.group(token) {
                if self.group != nil, self.group != group { understood = false }
                self.group = group
            } else if let categories = Self.categories(token) {
                for (letter, value) in categories {
                    if let earlier = self.categories[letter], earlier != value { understood = false }
                    self.categories[letter] = value
                }
            } else {
                understood = false
            }
        }
        if !understood || (group == nil && categories.isEmpty) {
            group = nil
            categories = [:]
            var whole = upper.filter { !$0.isWhitespace }
            if whole.hasPrefix("STAGE") { whole.removeFirst(5) }
            text = whole
        }
    }

    /// Whether nothing one statement says contradicts the other (see the type's description).
    func agrees(with other: StageStatement) -> Bool {
        if text != nil || other.text != nil { return text == other.text }
        if let group, let otherGroup = other.group, group != otherGroup { return false }
        for (letter, value) in categories {
            if let otherValue = other.categories[letter], otherValue != value { return false }
        }
        return true
    }

    /// Words that say what kind of staging it is, not what the stage is.
    private static let ignoredWords: Set<String> = [
        "STAGE", "GROUP", "CLINICAL", "PATHOLOGIC", "PATHOLOGICAL", "CSTAGE", "PSTAGE", "AJCC", "TNM", "SN",
    ]

    /// `token` as a stage group in Roman numerals: `0`, `IS`-less groups `I` to `IV` with an
    /// optional letter and digit (`IIIC1`), or the same with an Arabic numeral (`3C1`).
    private static func group(_ token: String) -> String? {
        let romans = ["IV", "III", "II", "I", "0"]
        let arabic = ["4": "IV", "3": "III", "2": "II", "1": "I", "0": "0"]
        var numeral: String?
        var rest = Substring(token)
        if let first = token.first, let roman = arabic[String(first)] {
            numeral = roman
            rest = token.dropFirst()
        } else if let roman = romans.first(where: { token.hasPrefix($0) }) {
            numeral = roman
            rest = token.dropFirst(roman.count)
        }
        guard let numeral else { return nil }
        if numeral == "0" { return rest.isEmpty || rest == "IS" ? "0" + rest : nil }
        var characters = rest.makeIterator()
        switch (characters.next(), characters.next(), characters.next()) {
        case (nil, nil, nil):
            return numeral
        case (let letter?, nil, nil) where "ABC".contains(letter):
            return numeral + rest
        case (let letter?, let digit?, nil) where "ABC".contains(letter) && "123".contains(digit):
            return numeral + rest
        default:
            return nil
        }
    }

    /// `token` read as one or more TNM categories written together (`PT1CN0M0`), each with an
    /// optional prefix (`C`, `P`, `YC`, `YP`, `R`, `A`); an unassessed category (`TX`) is left
    /// out (so `TX` alone is read, as nothing). Nil unless the whole token is categories.
    private static func categories(_ token: String) -> [(Character, String)]? {
        var found: [(Character, String)] = []
        var rest = Substring(token)
        while !rest.isEmpty {
            for prefix in ["YC", "YP", "C", "P", "R", "A"] where rest.hasPrefix(prefix) {
                let after = rest.dropFirst(prefix.count)
                if let letter = after.first, "TNM".contains(letter) { rest = after }
                break
            }
            guard let letter = rest.first, "TNM".contains(letter) else { return nil }
            rest = rest.dropFirst()
            var value = ""
            if rest.hasPrefix("IS") {
                value = "IS"
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("X") {
                value = "X"
                rest = rest.dropFirst()
            } else if let digit = rest.first, "01234".contains(digit) {
                value.append(digit)
                rest = rest.dropFirst()
                if let sub = rest.first, "ABCD".contains(sub) {
                    value.append(sub)
                    rest = rest.dropFirst()
                }
                if rest.hasPrefix("MI") {
                    value += "MI"
                    rest = rest.dropFirst(2)
                }
            } else {
                return nil
            }
            if value != "X" { found.append((letter, value)) }
        }
        return found
    }
}
