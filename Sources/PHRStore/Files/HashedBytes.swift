import Crypto

/// A file's contents held in memory, with their SHA-256 worked out when the value is made.
///
/// An import makes these on its parsing thread, so that the importing thread, which stores them,
/// does not hash them too; and a store that already holds the same file needs nothing written.
/// The digest is always the digest of `bytes`: only `init` sets either.
public struct HashedBytes: Sendable, Hashable {
    public let bytes: [UInt8]
    /// Lowercase hex SHA-256 of `bytes`.
    public let sha256: String

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.sha256 = Hex.encode(SHA256.hash(data: bytes))
    }
}
