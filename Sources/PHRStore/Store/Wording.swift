/// Small pieces of English that messages and help texts share.
public enum Wording {
    /// `a, b or c`; `a` for one name; empty for none.
    public static func alternatives(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// `a, b and c`; `a` for one name; empty for none.
    public static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }
}
