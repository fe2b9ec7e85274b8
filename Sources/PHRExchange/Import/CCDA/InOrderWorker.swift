import Dispatch

/// Runs work on one background thread, in the order it is given, while the caller goes on; at
/// most `waiting` pieces wait their turn (the caller blocks for room), so memory stays bounded.
///
/// The work hands its values to another thread: the caller must not touch what a piece of work
/// uses until `finish()` has returned. Used for a C-CDA document's sections: each is converted
/// while the XML parser reads the next.
final class InOrderWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    private let room: DispatchSemaphore

    init(label: String, waiting: Int) {
        queue = DispatchQueue(label: label)
        room = DispatchSemaphore(value: waiting)
    }

    /// Queues `work` behind what is queued already; waits while `waiting` pieces are queued.
    func run(_ work: @escaping () -> Void) {
        room.wait()
        let handed = Handed(work)
        queue.async { [room] in
            handed.work()
            room.signal()
        }
    }

    /// Waits until every piece of work queued so far has run.
    func finish() {
        queue.sync {}
    }

    /// Work that changes threads once and is run there alone.
    private struct Handed: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }
}
