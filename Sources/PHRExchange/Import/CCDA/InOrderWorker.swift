import Dispatch
import Foundation

/// Runs work on one background thread, in the order it is given, while the caller goes on; at
/// most `waiting` pieces wait their turn (the caller blocks for room), so memory stays bounded.
///
/// The first piece of work that throws stops the rest: later pieces are skipped, `failed` turns
/// true, and `finish()` throws that error.
///
/// The work hands its values to another thread: the caller must not touch what a piece of work
/// uses until `finish()` has returned. Used for a C-CDA document's entries: each is converted
/// (and its resources hashed and handed to the import) while the XML parser reads the next.
final class InOrderWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    private let room: DispatchSemaphore
    private let lock = NSLock()
    private var failure: (any Error)?

    init(label: String, waiting: Int) {
        queue = DispatchQueue(label: label)
        room = DispatchSemaphore(value: waiting)
    }

    /// True once a piece of work has thrown.
    var failed: Bool { lock.withLock { failure != nil } }

    /// Queues `work` behind what is queued already; waits while `waiting` pieces are queued.
    func run(_ work: @escaping () throws -> Void) {
        room.wait()
        let handed = Handed(work)
        queue.async { [self] in
            if !failed {
                do { try handed.work() } catch { lock.withLock { if failure == nil { failure = error } } }
            }
            room.signal()
        }
    }

    /// Waits until every piece of work queued so far has run; throws the first error one threw.
    func finish() throws {
        queue.sync {}
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Work that changes threads once and is run there alone.
    private struct Handed: @unchecked Sendable {
        let work: () throws -> Void
        init(_ work: @escaping () throws -> Void) { self.work = work }
    }
}
