/// Small pieces of English that messages and help texts share.
public enum Wording {
    /// `a, b or c`; `a` for one name; empty for none.
    public static func alternatives(_ names: [String]) -> String {
        joined(names, last: " or ")
    }

    /// `a, b and c` (or another `conjunction`: `a versus b`); `a` for one name; empty for none.
    public static func list(_ names: [String], conjunction: String = "and") -> String {
        joined(names, last: " \(conjunction) ")
    }

    /// The names with ", " between them and `last` before the last. A loop over the array rather
    /// than `dropLast().joined(separator:)`: every command's help tree words a list this way, and
    /// the standard library's generic `joined` on a slice costs a first-use lookup of about 400,000
    /// instructions at start-up.
    private static func joined(_ names: [String], last: String) -> String {
        var text = ""
        for index in names.indices {
            if index > 0 { text += index == names.count - 1 ? last : ", " }
            text += names[index]
        }
        return text
    }
}
