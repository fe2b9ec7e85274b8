import Foundation

/// Reads an NDJSON file one line at a time through one reusable buffer.
///
/// Guarantees: memory stays at the buffer's size (1 MiB, grown only as far as the longest line,
/// at most `maxLineLength`), whatever the file's size; lines are handed over without their `\n`
/// (or `\r\n`), with their 1-based number and byte offset, so one line can be read again later
/// with `readLine(at:)`; blank lines are passed over; a UTF-8 byte order mark is ignored.
final class NDJSONReader {
    let path: String
    /// A longer line is refused rather than buffered: it could only be one huge attachment.
    static let maxLineLength = 512 << 20
    static let chunkSize = 1 << 20

    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.noInput(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { close(fd) }

    /// Calls `body` with each non-blank line. The bytes are valid only during the call.
    func forEachLine(_ body: (_ bytes: UnsafeRawBufferPointer, _ line: Int, _ offset: Int64) throws -> Void) throws {
        var capacity = Self.chunkSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var start = 0          // first byte of the current line in the buffer
        var end = 0            // end of the bytes read so far
        var scanned = 0        // bytes from `start` already known to hold no newline
        var fileOffset: Int64 = 0  // file offset of buffer[0]
        var lineNumber = 0
        var atEOF = false
        var first = true

        while true {
            // Hand over every complete line in the buffer.
            while true {
                let searchFrom = start + scanned
                let remaining = end - searchFrom
                guard remaining > 0,
                      let found = memchr(buffer.baseAddress! + searchFrom, 0x0A, remaining) else {
                    scanned = end - start
                    break
                }
                let newline = buffer.baseAddress!.distance(to: found)
                lineNumber += 1
                try emit(buffer, from: start, to: newline, line: lineNumber, offset: fileOffset + Int64(start),
                         first: &first, body)
                start = newline + 1
                scanned = 0
            }
            if atEOF {
                if start < end {
                    lineNumber += 1
                    try emit(buffer, from: start, to: end, line: lineNumber, offset: fileOffset + Int64(start),
                             first: &first, body)
                }
                return
            }
            // Keep the incomplete line: move it to the front, growing the buffer if it fills it.
            if start > 0 {
                let pending = end - start
                if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
                fileOffset += Int64(start)
                end = pending
                start = 0
            }
            if end == capacity {
                guard capacity < Self.maxLineLength else {
                    throw ImportError.badData(ImportPlace(file: path, position: .line(lineNumber + 1)),
                                              "line is longer than \(Self.maxLineLength >> 20) MiB; split the file or import a bundle")
                }
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let count = Foundation.read(fd, buffer.baseAddress! + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw ImportError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEOF = true } else { end += count }
        }
    }

    private func emit(_ buffer: UnsafeMutableRawBufferPointer, from: Int, to: Int, line: Int, offset: Int64,
                      first: inout Bool,
                      _ body: (UnsafeRawBufferPointer, Int, Int64) throws -> Void) throws {
        var lower = from
        var upper = to
        var offset = offset
        if first {
            first = false
            if upper - lower >= 3, buffer[lower] == 0xEF, buffer[lower + 1] == 0xBB, buffer[lower + 2] == 0xBF {
                lower += 3
                offset += 3
            }
        }
        if upper > lower, buffer[upper - 1] == 0x0D { upper -= 1 }
        // Blank lines (often a trailing one) carry nothing.
        var blank = true
        for index in lower..<upper where !Self.isWhitespace(buffer[index]) {
            blank = false
            break
        }
        if blank { return }
        try body(UnsafeRawBufferPointer(rebasing: buffer[lower..<upper]), line, offset)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// The `length` bytes at `offset`: one line handed over earlier.
    func readLine(at offset: Int64, length: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + done, length - done, off_t(offset) + off_t(done))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ImportError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { throw ImportError.io(path: path, reason: "the file became shorter while importing") }
            done += count
        }
        return bytes
    }
}
