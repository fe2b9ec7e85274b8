import Foundation
import PHRStore

/// Sizes of files and of the store as people read them, and what to say of the store's unused
/// space.
enum FileSize {
    /// `1.08 GB`, `2 KB`: decimal units, as file managers show sizes.
    static func text(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)
    }

    /// The advice to compact, when the store's unused space is worth it (`isWorthCompacting`).
    static func compactionAdvice(_ space: StoreSpace) -> String? {
        guard space.isWorthCompacting else { return nil }
        return "\(text(space.unusedBytes)) of the store's \(text(space.fileBytes)) are unused (left by deleted data; "
            + "later additions reuse it): phr check --compact gives it back to the disk"
    }
}
