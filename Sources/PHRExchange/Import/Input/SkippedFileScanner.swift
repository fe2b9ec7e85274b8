import Foundation

/// Reads, on a thread of its own, the NDJSON files named after types phr does not import
/// (`Observation.000.ndjson`): every line is parsed and checked like any other, resources are
/// counted by type, and any of a type phr does import is noted for the importing thread to read
/// afterwards.
///
/// Bulk exports are mostly such files. Read after the import, they kept one core busy while the
/// other waited; read beside it, both cores work.
final class SkippedFileScanner: @unchecked Sendable {
    // The results are written by the scanning thread only, and read by the importing thread only
    // after `wait()` has returned; `cancelled` and `finished` are guarded by `condition`.
    private(set) var counts: [String: Int] = [:]
    /// Resources of types phr imports, to read again after the others: their rank and place.
    private(set) var later: [(rank: Int, location: ResourceLocation)] = []
    private(set) var failure: (any Error)?
    /// Bytes read; the scanning thread's own until it has finished.
    private var bytes: Int64 = 0
    private let stream: ResourceStream
    private let unitIndexes: [Int]
    private let condition = NSCondition()
    private var cancelled = false
    private var finished = false
    private var linesSoFar = 0
    private var bytesSoFar: Int64 = 0

    init(stream: ResourceStream, unitIndexes: [Int]) {
        self.stream = stream
        self.unitIndexes = unitIndexes
    }

    func start() {
        let thread = Thread { [self] in
            scan()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Stops reading soon (the import failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.unlock()
    }

    /// Waits until the scan has finished or stopped.
    func wait() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Waits at most `seconds`; returns whether the scan has finished, and the lines and bytes
    /// read so far.
    func wait(seconds: TimeInterval) -> (finished: Bool, lines: Int, bytes: Int64) {
        condition.lock()
        defer { condition.unlock() }
        if !finished { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        return (finished, linesSoFar, bytesSoFar)
    }

    private struct Stopped: Error {}

    /// Whether to stop; also tells how far the scan has come.
    private func isCancelled(lines: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        linesSoFar = lines
        bytesSoFar = bytes
        return cancelled
    }

    private func scan() {
        do {
            var lines = 0
            for unitIndex in unitIndexes {
                let unit = stream.units[unitIndex]
                let reader = try NDJSONReader(path: unit.path)
                try reader.forEachLine { line, number, offset in
                    lines += 1
                    if lines % 1024 == 0, isCancelled(lines: lines) { throw Stopped() }
                    bytes += Int64(line.count + 1)
                    let place = ImportPlace(file: unit.name, position: .line(number))
                    let object = try ResourceStream.parseLine(line, place: place, spool: stream.spool)
                    let type = object["resourceType"] as? String
                    // Only resources phr imports are hashed and prepared (they are read again later).
                    let imported = ResourceOrder.isImported(type) || type == "Bundle"
                    try stream.hand(object, place: place, fullUrl: nil, hash: imported ? ContentHash.sha256(line) : "",
                                    unitIndex: unitIndex, line: (offset, line.count, number), entryPath: []) { resource in
                        if resource.prepared == nil {
                            counts[resource.type, default: 0] += 1
                        } else {
                            later.append((ResourceOrder.rank(of: resource.type), resource.location))
                        }
                    }
                }
            }
        } catch is Stopped {
        } catch {
            failure = error
        }
    }
}
