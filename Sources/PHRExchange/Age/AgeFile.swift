import Crypto
import Foundation
import _CryptoExtras

/// A failure to encrypt or decrypt an age file; messages carry no key or passphrase.
public enum AgeError: Error, CustomStringConvertible, Equatable {
    case notAgeFile
    case malformed(String)
    case noMatchingKey
    case wrongPassphrase
    case workFactorTooHigh(Int)
    case damaged
    case io(String)

    public var description: String {
        switch self {
        case .notAgeFile: return "it is not an age-encrypted file"
        case .malformed(let what): return "its age header is malformed (\(what))"
        case .noMatchingKey: return "none of the given identities can decrypt it"
        case .wrongPassphrase: return "the passphrase does not decrypt it"
        case .workFactorTooHigh(let log2N): return "its passphrase work factor (2^\(log2N)) is above the limit phr accepts (2^22)"
        case .damaged: return "its encrypted contents are damaged or were changed (authentication failed)"
        case .io(let reason): return reason
        }
    }
}

/// The age v1 format (age-encryption.org/v1), as Debian's `age` reads and writes it: a text
/// header of recipient stanzas (X25519, or one scrypt stanza for a passphrase) wrapping a random
/// 16-byte file key, an HMAC-SHA256 of the header, then the payload: a 16-byte nonce and the
/// contents in 64 KiB chunks sealed with ChaCha20-Poly1305 (the STREAM construction).
///
/// Memory stays at one chunk whatever the file's size.
public enum AgeFile {
    static let version = "age-encryption.org/v1"
    static let chunkSize = 64 * 1024
    /// The work factor age itself uses for passphrases.
    public static let defaultScryptLog2N = 18
    /// The highest work factor accepted when decrypting (age's own limit).
    static let maxScryptLog2N = 22

    /// How a file is encrypted.
    public enum Key {
        case recipients([AgeRecipient])
        case passphrase(String, log2N: Int)
    }

    /// How a file is decrypted.
    public enum Secret {
        case identities([AgeIdentity])
        case passphrase(String)
    }

    // MARK: Encryption

    /// Encrypts everything `read` hands over (see `FileStore`'s reading closure) to `write`.
    public static func encrypt(to key: Key, read: (UnsafeMutableRawBufferPointer) throws -> Int,
                               write: ([UInt8]) throws -> Void) throws {
        let fileKey = randomBytes(16)
        var header = version + "\n"
        switch key {
        case .recipients(let recipients):
            for recipient in recipients { header += try x25519Stanza(fileKey: fileKey, recipient: recipient) }
        case .passphrase(let passphrase, let log2N):
            header += try scryptStanza(fileKey: fileKey, passphrase: passphrase, log2N: log2N)
        }
        header += "---"
        let mac = headerMAC(fileKey: fileKey, header: header)
        try write(Array((header + " " + base64(mac) + "\n").utf8))
        let nonce = randomBytes(16)
        try write(nonce)
        let payloadKey = hkdf(fileKey, salt: nonce, info: "payload")
        var counter: UInt64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        let next = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate(); next.deallocate() }
        var count = try read(buffer)
        while true {
            // A chunk is the last when nothing follows it (a full chunk is followed by an empty
            // read only at the end, and then sealed as last itself).
            let nextCount = count == chunkSize ? try read(next) : 0
            let last = nextCount == 0
            try write(try seal(Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count])), key: payloadKey,
                               counter: counter, last: last))
            if last { break }
            counter += 1
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: next[0..<nextCount]))
            count = nextCount
        }
    }

    private static func x25519Stanza(fileKey: [UInt8], recipient: AgeRecipient) throws -> String {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: recipient.publicKey).withUnsafeBytes { Array($0) }
        let wrapKey = hkdf(shared, salt: share + Array(recipient.publicKey.rawRepresentation), info: "age-encryption.org/v1/X25519")
        let body = try seal(fileKey, key: wrapKey)
        return "-> X25519 \(base64(share))\n\(wrapped(base64(body)))\n"
    }

    private static func scryptStanza(fileKey: [UInt8], passphrase: String, log2N: Int) throws -> String {
        let salt = randomBytes(16)
        let key = try scrypt(passphrase, salt: salt, log2N: log2N)
        return "-> scrypt \(base64(salt)) \(log2N)\n\(wrapped(base64(try seal(fileKey, key: key))))\n"
    }

    // MARK: Decryption

    /// True when `head` (the first bytes of a file) starts an age file.
    public static func isAgeFile(head: [UInt8]) -> Bool {
        head.starts(with: Array((version + "\n").utf8))
    }

    /// Decrypts an age file read from `fd` to `write`; nothing is handed to `write` before the
    /// header is authenticated, and each chunk only once it is.
    public static func decrypt(fd: Int32, with secret: Secret, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var reader = Reader(fd: fd)
        guard try reader.line() == version else { throw AgeError.notAgeFile }
        var headerText = version + "\n"
        var stanzas: [(type: String, args: [String], body: [UInt8])] = []
        var macLine: String
        while true {
            guard let line = try reader.line() else { throw AgeError.malformed("it ends in the header") }
            if line.hasPrefix("---") {
                headerText += "---"
                macLine = String(line.dropFirst(3))
                break
            }
            guard line.hasPrefix("-> ") else { throw AgeError.malformed("a stanza line") }
            headerText += line + "\n"
            let parts = line.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let type = parts.first, !type.isEmpty else { throw AgeError.malformed("a stanza type") }
            var bodyText = ""
            while true {
                guard let bodyLine = try reader.line() else { throw AgeError.malformed("a stanza body") }
                headerText += bodyLine + "\n"
                guard bodyLine.utf8.count <= 64 else { throw AgeError.malformed("a stanza body line") }
                bodyText += bodyLine
                if bodyLine.utf8.count < 64 { break }
            }
            guard let body = unbase64(bodyText) else { throw AgeError.malformed("a stanza body") }
            stanzas.append((type, Array(parts.dropFirst()), body))
        }
        guard macLine.hasPrefix(" "), let mac = unbase64(String(macLine.dropFirst())), mac.count == 32 else {
            throw AgeError.malformed("the header MAC")
        }
        guard let fileKey = try unwrapFileKey(stanzas, secret) else {
            if case .passphrase = secret { throw AgeError.wrongPassphrase }
            throw AgeError.noMatchingKey
        }
        guard headerMAC(fileKey: fileKey, header: headerText) == mac else { throw AgeError.damaged }
        guard let nonce = try reader.bytes(16), nonce.count == 16 else { throw AgeError.damaged }
        let payloadKey = hkdf(fileKey, salt: nonce, info: "payload")
        var counter: UInt64 = 0
        let sealedSize = chunkSize + 16
        guard var chunk = try reader.bytes(sealedSize) else { throw AgeError.damaged }
        while true {
            let following = chunk.count == sealedSize ? try reader.bytes(sealedSize) : nil
            let last = following == nil || following?.isEmpty == true
            guard chunk.count > 16 || (counter == 0 && last && chunk.count == 16) else { throw AgeError.damaged }
            let plain = try open(chunk, key: payloadKey, counter: counter, last: last)
            if last, plain.isEmpty, counter > 0 { throw AgeError.damaged }
            try plain.withUnsafeBytes { try write($0) }
            if last { break }
            guard let following else { break }
            chunk = following
            counter += 1
        }
    }

    private static func unwrapFileKey(_ stanzas: [(type: String, args: [String], body: [UInt8])], _ secret: Secret) throws -> [UInt8]? {
        let scryptStanzas = stanzas.filter { $0.type == "scrypt" }
        if !scryptStanzas.isEmpty, stanzas.count != 1 { throw AgeError.malformed("a scrypt stanza must be alone") }
        switch secret {
        case .passphrase(let passphrase):
            guard let stanza = scryptStanzas.first else { throw AgeError.malformed("it is encrypted to recipients, not a passphrase") }
            guard stanza.args.count == 2, let salt = unbase64(stanza.args[0]), salt.count == 16,
                  let log2N = Int(stanza.args[1]), String(log2N) == stanza.args[1], log2N > 0, stanza.body.count == 32 else {
                throw AgeError.malformed("the scrypt stanza")
            }
            guard log2N <= maxScryptLog2N else { throw AgeError.workFactorTooHigh(log2N) }
            return try? open(stanza.body, key: try scrypt(passphrase, salt: salt, log2N: log2N))
        case .identities(let identities):
            if !scryptStanzas.isEmpty { throw AgeError.malformed("it is encrypted with a passphrase; give --passphrase-file") }
            for stanza in stanzas where stanza.type == "X25519" {
                guard stanza.args.count == 1, let share = unbase64(stanza.args[0]), share.count == 32, stanza.body.count == 32,
                      let sharePoint = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share) else {
                    throw AgeError.malformed("an X25519 stanza")
                }
                for identity in identities {
                    guard let shared = try? identity.privateKey.sharedSecretFromKeyAgreement(with: sharePoint)
                        .withUnsafeBytes({ Array($0) }), shared.contains(where: { $0 != 0 }) else { continue }
                    let wrapKey = hkdf(shared, salt: share + Array(identity.privateKey.publicKey.rawRepresentation),
                                       info: "age-encryption.org/v1/X25519")
                    if let fileKey = try? open(stanza.body, key: wrapKey) { return fileKey }
                }
            }
            return nil
        }
    }

    // MARK: Primitives

    static func scrypt(_ passphrase: String, salt: [UInt8], log2N: Int) throws -> [UInt8] {
        let n = 1 << log2N
        let key = try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: Array("age-encryption.org/v1/scrypt".utf8) + salt,
                                           outputByteCount: 32, rounds: n, blockSize: 8, parallelism: 1,
                                           maxMemory: 128 * 8 * n + (1 << 20))
        return key.withUnsafeBytes { Array($0) }
    }

    static func hkdf(_ ikm: [UInt8], salt: [UInt8], info: String) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt, info: Array(info.utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }

    static func headerMAC(fileKey: [UInt8], header: String) -> [UInt8] {
        let key = SymmetricKey(data: hkdf(fileKey, salt: [], info: "header"))
        return Array(HMAC<SHA256>.authenticationCode(for: Array(header.utf8), using: key))
    }

    private static func streamNonce(_ counter: UInt64, last: Bool) -> [UInt8] {
        [0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: counter >> UInt64(8 * (7 - $0))) } + [last ? 1 : 0]
    }

    /// ChaCha20-Poly1305 with a zero nonce (stanza bodies) or a STREAM nonce (payload chunks).
    private static func seal(_ plain: [UInt8], key: [UInt8], counter: UInt64? = nil, last: Bool = false) throws -> [UInt8] {
        let nonce = try ChaChaPoly.Nonce(data: counter.map { streamNonce($0, last: last) } ?? [UInt8](repeating: 0, count: 12))
        let box = try ChaChaPoly.seal(plain, using: SymmetricKey(data: key), nonce: nonce)
        return Array(box.ciphertext) + Array(box.tag)
    }

    private static func open(_ sealed: [UInt8], key: [UInt8], counter: UInt64? = nil, last: Bool = false) throws -> [UInt8] {
        guard sealed.count >= 16 else { throw AgeError.damaged }
        let nonce = try ChaChaPoly.Nonce(data: counter.map { streamNonce($0, last: last) } ?? [UInt8](repeating: 0, count: 12))
        do {
            let box = try ChaChaPoly.SealedBox(nonce: nonce, ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
            return Array(try ChaChaPoly.open(box, using: SymmetricKey(data: key)))
        } catch {
            throw AgeError.damaged
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Standard base64 without padding, as age writes it.
    static func base64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func unbase64(_ text: String) -> [UInt8]? {
        guard !text.contains("="), !text.contains("\r") else { return nil }
        var padded = text
        while padded.utf8.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded), base64(Array(data)) == text else { return nil }
        return Array(data)
    }

    /// Base64 wrapped at 64 columns; the last line is always shorter (possibly empty).
    static func wrapped(_ text: String) -> String {
        var lines: [Substring] = []
        var rest = Substring(text)
        while rest.utf8.count >= 64 {
            lines.append(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        lines.append(rest)
        return lines.joined(separator: "\n")
    }

    /// Buffered reads from a file descriptor: header lines, then payload bytes.
    struct Reader {
        let fd: Int32
        private var buffer: [UInt8] = []
        private var position = 0
        private var ended = false

        init(fd: Int32) { self.fd = fd }

        private mutating func fill() throws {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 17)
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { return }
                throw AgeError.io(String(cString: strerror(errno)))
            }
            if n == 0 { ended = true }
            buffer += chunk.prefix(n)
        }

        /// The next line without its LF; `nil` at the end. Header lines are short: over 4 KiB
        /// is not an age header.
        mutating func line() throws -> String? {
            while true {
                if let newline = buffer[position...].firstIndex(of: 10) {
                    let line = buffer[position..<newline]
                    position = newline + 1
                    guard let text = String(bytes: line, encoding: .utf8) else { throw AgeError.malformed("a header line") }
                    return text
                }
                if buffer.count - position > 4096 { throw AgeError.notAgeFile }
                if ended { return nil }
                try fill()
            }
        }

        /// Up to `count` bytes; fewer only at the end; `nil` once nothing is left.
        mutating func bytes(_ count: Int) throws -> [UInt8]? {
            while buffer.count - position < count, !ended { try fill() }
            let available = min(count, buffer.count - position)
            if available == 0, ended { return nil }
            let out = Array(buffer[position..<position + available])
            position += available
            return out
        }
    }
}
