import Foundation

/// Matches a name as people type it against a stored name: case, accents, punctuation, titles
/// (Dr, Dr., Prof, …) and word order do not matter, and each typed word may be the start of a
/// word ("Hartm Lin" finds "Dr. Linda Hartmann"; "maria" finds "María José Núñez").
///
/// Guarantees: `matches` is true only when every typed word that is not a title is the start of
/// a different word of the name; a text made of titles alone matches nothing. `distance` is 0 for
/// a match and grows with the letters that would have to change, for "did you mean" suggestions.
struct NameMatcher {
    /// Words that say what someone is, not who: left out of both sides.
    static let titles: Set<String> = ["dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "md", "phd", "pd", "dipl", "med"]

    let words: [String]

    init(_ typed: String) {
        words = Self.words(of: typed)
    }

    /// The name's words: folded to lower case without accents, split at anything not a letter
    /// or digit, titles left out.
    static func words(of text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .split { !$0.isLetter && !$0.isNumber }
            .map(String.init)
            .filter { !titles.contains($0) }
    }

    func matches(_ name: String) -> Bool {
        !words.isEmpty && distance(to: name) == 0
    }

    /// How far the name is from what was typed: for each typed word, the fewest letters to change
    /// to make it the start of (or the whole of) a word of the name, summed.
    func distance(to name: String) -> Int {
        var remaining = Self.words(of: name)
        var total = 0
        // The longest typed words first, so that a short one does not take the word a long one needs.
        for word in words.sorted(by: { $0.count > $1.count }) {
            guard !remaining.isEmpty else { total += word.count; continue }
            let costs = remaining.map { candidate in
                min(Self.editDistance(word, candidate), Self.editDistance(word, String(candidate.prefix(word.count))))
            }
            guard let best = costs.indices.min(by: { costs[$0] < costs[$1] }) else { continue }
            total += costs[best]
            remaining.remove(at: best)
        }
        return total
    }

    /// Levenshtein distance, by characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
