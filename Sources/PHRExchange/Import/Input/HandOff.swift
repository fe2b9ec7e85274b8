import Foundation

/// Hands items from one producer thread to one consumer, in order, with bounded memory: at most
/// `capacity` items and about `byteBudget` bytes wait at a time (the producer waits for room).
///
/// Either side can stop early: `finish()` after the last item, `cancel()` when the consumer gives
/// up (the producer's next `put` then returns false).
///
/// The consumer can give an item back once done with it (`giveBack`), so that the producer, not
/// the consumer, frees it: at its next `put`, and after `finish()` in `freeGivenBackUntilCancelled()`.
/// An item given back after that is freed by `cancel()`, on the consumer's thread.
final class HandOff<Item>: @unchecked Sendable {
    // Every mutable field below is touched only while `condition` is locked.
    private let condition = NSCondition()
    private var buffer: [Item?]
    private var sizes: [Int]
    private var head = 0
    private var count = 0
    private var bytes = 0
    private var finished = false
    private var cancelled = false
    private let byteBudget: Int
    /// Items the consumer is done with, for the producer to free.
    private var givenBack: [Item] = []

    init(capacity: Int, byteBudget: Int) {
        buffer = Array(repeating: nil, count: capacity)
        sizes = Array(repeating: 0, count: capacity)
        self.byteBudget = byteBudget
    }

    /// Waits for room, then queues `item`. Returns false (dropping the item) once cancelled. Frees
    /// the items given back meanwhile.
    func put(_ item: Item, bytes size: Int) -> Bool {
        var done: [Item] = []
        // Freed after the lock is released (declared first, so destroyed last).
        defer { withExtendedLifetime(done) {} }
        condition.lock()
        defer { condition.unlock() }
        swap(&done, &givenBack)
        // An item bigger than the budget still goes through, alone.
        while !cancelled, count == buffer.count || (count > 0 && bytes + size > byteBudget) {
            condition.wait()
        }
        guard !cancelled else { return false }
        let slot = (head + count) % buffer.count
        buffer[slot] = item
        sizes[slot] = size
        count += 1
        bytes += size
        condition.broadcast()
        return true
    }

    /// Hands `item`, taken and done with, back to the producer to free.
    func giveBack(_ item: consuming Item) {
        condition.lock()
        givenBack.append(consume item)
        condition.broadcast()
        condition.unlock()
    }

    /// For the producer after `finish()`: frees the items given back until the consumer cancels.
    func freeGivenBackUntilCancelled() {
        while true {
            var done: [Item] = []
            condition.lock()
            while givenBack.isEmpty, !cancelled { condition.wait() }
            swap(&done, &givenBack)
            let stop = cancelled
            condition.unlock()
            done.removeAll()
            if stop { return }
        }
    }

    /// No more items will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` with the lock released, and takes it again.
    private func unlocked<T>(_ body: () throws -> T) rethrows -> T {
        condition.unlock()
        defer { condition.lock() }
        return try body()
    }

    /// The consumer stops taking: waiting and later `put`s return at once.
    func cancel() {
        condition.lock()
        cancelled = true
        buffer = buffer.map { _ in nil }
        givenBack.removeAll()
        count = 0
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for one; `nil` when the producer has finished and all were taken.
    func take() -> Item? {
        take(whileEmpty: { false })
    }

    /// `take()`, with work of the consumer's own for the time it would wait: while no item waits,
    /// `idle` is called (without the lock, so the producer goes on) to do a little of that work,
    /// and returns false when it had none; only then does the consumer sleep until an item comes.
    /// What `idle` throws is thrown here.
    func take(whileEmpty idle: () throws -> Bool) rethrows -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0, !finished, !cancelled {
            let worked = try unlocked(idle)
            // While the lock was released the producer may have put an item or finished, and its
            // signal then woke no one: sleep only if nothing changed.
            if worked || count > 0 || finished || cancelled { continue }
            condition.wait()
        }
        guard count > 0 else { return nil }
        let item = buffer[head]
        buffer[head] = nil
        bytes -= sizes[head]
        head = (head + 1) % buffer.count
        count -= 1
        condition.broadcast()
        return item
    }
}
