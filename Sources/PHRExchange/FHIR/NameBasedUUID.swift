import Crypto
import Foundation
import PHRStore

/// Name-based UUIDs (RFC 9562 version 5, SHA-1) for FHIR resources that have no row of their own
/// in the store, such as the PractitionerRole of a provider or the Organization named by a
/// provider's `organization` field.
///
/// Guarantee: the same namespace and name give the same UUID in every export, so a receiving
/// system sees the same resource each time, and an import can recognise it.
enum NameBasedUUID {
    /// phr's namespace for these UUIDs: chosen once at random and fixed forever, since changing it
    /// would change every derived UUID.
    static let phrNamespace = "4d6a1f0e-7c3a-5b4e-9a61-0b2f4f1f6c2d"

    static func make(namespace: String = phrNamespace, name: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace == phrNamespace ? phrNamespaceBytes : bytes(ofUUID: namespace))
        var name = name
        name.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var digest = Array(hasher.finalize().prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50  // version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  // RFC 4122 variant
        return Hex.uuid(digest)
    }

    /// Read once: every UUID of an import is made in this namespace.
    private static let phrNamespaceBytes = bytes(ofUUID: phrNamespace)

    private static func bytes(ofUUID text: String) -> [UInt8] {
        let hex = text.filter { $0 != "-" }
        var data: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            data.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return data
    }
}
