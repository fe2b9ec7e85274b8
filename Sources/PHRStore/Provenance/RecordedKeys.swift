/// The source keys an import has recorded, as a Bloom filter that grows by layers: for a key
/// inserted `mayContain` is always true; for another key it is true about once in 200 per full
/// layer (an import of a million resources, two million keys, has six layers: at most about 3 %).
///
/// `ImportProvenance` asks it whether a key can be in `import_sources` at all; a wrong "maybe"
/// only costs a lookup that finds nothing. Memory is two bytes a key, about 8 MiB for two million
/// keys, where a `Set` of their hashes took 34 MiB and 50 MiB while its table doubled.
struct RecordedKeys {
    /// One Bloom filter of `capacity` keys; a layer is filled before the next, twice as large, is
    /// added.
    private struct Layer {
        var words: [UInt64]
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            words = [UInt64](repeating: 0, count: capacity * RecordedKeys.bitsPerKey / 64)
        }

        func mayContain(_ hash: UInt64) -> Bool {
            Probes(hash, bitCount: words.count * 64).allSatisfy { words[$0.word] & $0.bit != 0 }
        }

        mutating func insert(_ hash: UInt64) {
            for probe in Probes(hash, bitCount: words.count * 64) {
                words[probe.word] |= probe.bit
            }
            count += 1
        }
    }

    /// The `probes` bits of a hash among `bitCount` (a power of two), by double hashing: the low
    /// half of the hash is the first position, the high half (made odd) the step between them.
    private struct Probes: Sequence, IteratorProtocol {
        private let mask: UInt64
        private let step: UInt64
        private var position: UInt64
        private var left = RecordedKeys.probes

        init(_ hash: UInt64, bitCount: Int) {
            mask = UInt64(bitCount - 1)
            step = (hash >> 32) | 1
            position = hash & 0xFFFF_FFFF
        }

        mutating func next() -> (word: Int, bit: UInt64)? {
            guard left > 0 else { return nil }
            left -= 1
            let bit = position & mask
            position &+= step
            return (Int(bit >> 6), 1 << (bit & 63))
        }
    }

    static let bitsPerKey = 16
    static let probes = 3
    /// The first layer's keys (a power of two, so that every layer's bits are one too).
    static let firstCapacity = 1 << 16

    private var layers: [Layer] = []

    func mayContain(_ key: String) -> Bool {
        let hash = Self.hash(key)
        return layers.contains { $0.mayContain(hash) }
    }

    mutating func insert(_ key: String) {
        if layers.last.map({ $0.count >= $0.capacity }) ?? true {
            layers.append(Layer(capacity: Self.firstCapacity << layers.count))
        }
        layers[layers.count - 1].insert(Self.hash(key))
    }

    private static func hash(_ key: String) -> UInt64 {
        UInt64(bitPattern: Int64(key.hashValue))
    }
}
