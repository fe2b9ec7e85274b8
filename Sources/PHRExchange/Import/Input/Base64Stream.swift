import Foundation

/// Decodes base64 in slices, so that memory stays at one slice whatever the size of the text.
///
/// Accepts base64 as FHIR allows it: padded or not, with white space anywhere (skipped). Refuses
/// anything else with `invalid`: another character, data after the padding, a lone last character.
enum Base64Stream {
    /// Base64 characters decoded at a time (a multiple of 4).
    static let chunkCharacters = 64 * 1024

    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, invalid: @autoclosure () -> Error,
                       into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        func decodeChunk(_ chunk: Data) throws {
            guard let decoded = Data(base64Encoded: chunk) else { throw invalid() }
            try decoded.withUnsafeBytes { try sink($0) }
        }
        /// The last chunk: unpadded base64 is accepted; a lone trailing character cannot be.
        func decodeLast(_ chunk: [UInt8]) throws {
            var chunk = chunk
            switch chunk.count % 4 {
            case 1: throw invalid()
            case 2: chunk += [61, 61]
            case 3: chunk.append(61)
            default: break
            }
            if !chunk.isEmpty { try decodeChunk(Data(chunk)) }
        }

        let count = utf8.count
        guard let base = utf8.baseAddress, count > 0 else { return }
        // Base64 as servers write it, one unbroken run padded at the end, is decoded in slices as
        // it stands; white space takes the slower way that skips it.
        let hasSpace = [0x20, 0x09, 0x0A, 0x0D].contains { memchr(base, Int32($0), count) != nil }
        let firstPad = memchr(base, 61, count).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        if !hasSpace, firstPad.map({ $0 >= count - 2 }) ?? true {
            var start = 0
            while count - start > chunkCharacters {
                try decodeChunk(Data(bytes: base + start, count: chunkCharacters))
                start += chunkCharacters
            }
            try decodeLast(Array(UnsafeBufferPointer(start: base + start, count: count - start)))
            return
        }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(chunkCharacters)
        var padding = 0
        for byte in utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            case 61:  // "=" ends the data
                padding += 1
                guard padding <= 2 else { throw invalid() }
                chunk.append(byte)
            case 65...90, 97...122, 48...57, 43, 47:
                guard padding == 0 else { throw invalid() }
                chunk.append(byte)
                if chunk.count == chunkCharacters {
                    try decodeChunk(Data(chunk))
                    chunk.removeAll(keepingCapacity: true)
                }
            default:
                throw invalid()
            }
        }
        try decodeLast(chunk)
    }
}
