import Crypto
import Foundation

/// An age X25519 recipient (`age1…`): whom a backup is encrypted to.
public struct AgeRecipient: Sendable {
    let publicKey: Curve25519.KeyAgreement.PublicKey

    /// Parses `age1…`; `nil` if it is not an X25519 age recipient.
    public init?(_ text: String) {
        guard let (hrp, data) = Bech32.decode(text), hrp == "age", data.count == 32,
              let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: data) else { return nil }
        publicKey = key
    }

    init(publicKey: Curve25519.KeyAgreement.PublicKey) { self.publicKey = publicKey }

    public var description: String { Bech32.encode(hrp: "age", data: Array(publicKey.rawRepresentation)) }
}

/// An age X25519 identity (`AGE-SECRET-KEY-1…`): what decrypts a backup encrypted to its recipient.
public struct AgeIdentity: Sendable {
    let privateKey: Curve25519.KeyAgreement.PrivateKey

    /// Parses `AGE-SECRET-KEY-1…`; `nil` if it is not one.
    public init?(_ text: String) {
        guard text.uppercased() == text, let (hrp, data) = Bech32.decode(text), hrp == "age-secret-key-", data.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data) else { return nil }
        privateKey = key
    }

    /// A new random identity.
    public init() { privateKey = Curve25519.KeyAgreement.PrivateKey() }

    public var recipient: AgeRecipient { AgeRecipient(publicKey: privateKey.publicKey) }

    public var description: String {
        Bech32.encode(hrp: "age-secret-key-", data: Array(privateKey.rawRepresentation)).uppercased()
    }

    /// The identities in an identity file as `age-keygen` writes it (one a line, `#` comments).
    public static func parseFile(_ text: String) -> [AgeIdentity]? {
        var found: [AgeIdentity] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let identity = AgeIdentity(trimmed) else { return nil }
            found.append(identity)
        }
        return found.isEmpty ? nil : found
    }
}
