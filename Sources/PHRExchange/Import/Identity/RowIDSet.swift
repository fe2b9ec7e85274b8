/// A set of row ids, one bit per id from 1 to the largest inserted: row ids are small and dense
/// (SQLite gives each new row the next one), so a million rows an import touched take 125 KiB
/// where a `Set<Int64>` took 16–25 MiB (its table doubled as it grew).
///
/// Guarantees: `contains` is true exactly for the ids inserted; memory is one bit per id up to the
/// largest inserted below `denseLimit`, rounded up to a word, and grows by doubling. Ids from
/// `denseLimit` up, and below 1 (a store edited by hand may have them), are kept in a `Set`.
struct RowIDSet {
    private var words: [UInt64] = []
    private var sparse: Set<Int64> = []
    /// Ids below this are bits (32 MiB at most); others go to `sparse`.
    static let denseLimit: Int64 = 1 << 28

    func contains(_ id: Int64) -> Bool {
        guard id > 0, id < Self.denseLimit else { return sparse.contains(id) }
        let word = Int(id >> 6)
        return word < words.count && words[word] & (1 << UInt64(id & 63)) != 0
    }

    mutating func insert(_ id: Int64) {
        guard id > 0, id < Self.denseLimit else {
            sparse.insert(id)
            return
        }
        let word = Int(id >> 6)
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: max(word + 1, 2 * words.count) - words.count))
        }
        words[word] |= 1 << UInt64(id & 63)
    }
}
