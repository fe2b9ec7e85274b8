import Foundation
@testable import PHRExchange
import XCTest

final class HandOffTests: XCTestCase {
    /// An item that notes whether the thread that freed it was the main thread (the consumer's
    /// here: tests run on it).
    private final class Item: @unchecked Sendable {
        let freed: (_ onMainThread: Bool) -> Void
        init(freed: @escaping (Bool) -> Void) { self.freed = freed }
        deinit { freed(Thread.isMainThread) }
    }

    func testItemsGivenBackAreFreedByTheProducerNotTheConsumer() {
        let handOff = HandOff<Item>(capacity: 1, byteBudget: 1 << 20)
        let lock = NSLock()
        nonisolated(unsafe) var freedOnMain: [Bool] = []
        let allFreed = DispatchSemaphore(value: 0)
        let producerDone = DispatchSemaphore(value: 0)
        let count = 5
        let producer = Thread {
            for _ in 0..<count {
                _ = handOff.put(Item { onMain in
                    lock.lock()
                    freedOnMain.append(onMain)
                    if freedOnMain.count == count { allFreed.signal() }
                    lock.unlock()
                }, bytes: 1)
            }
            handOff.finish()
            handOff.freeGivenBackUntilCancelled()
            producerDone.signal()
        }
        producer.start()
        var taken = 0
        while let item = handOff.take() {
            taken += 1
            handOff.giveBack(consume item)
        }
        XCTAssertEqual(allFreed.wait(timeout: .now() + 10), .success)
        handOff.cancel()
        XCTAssertEqual(producerDone.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(taken, count)
        lock.lock()
        XCTAssertEqual(freedOnMain, Array(repeating: false, count: count))
        lock.unlock()
    }

    func testWhileNothingWaitsTheConsumerDoesItsOwnWorkAndSleepsOnlyWhenItHasNone() {
        let handOff = HandOff<Int>(capacity: 4, byteBudget: 1 << 20)
        // Three pieces of work; the third makes an item arrive. (Should the work never be asked
        // for, an item comes after two seconds, so that the test fails rather than hangs.)
        let fallback = Thread {
            Thread.sleep(forTimeInterval: 2)
            _ = handOff.put(-1, bytes: 1)
        }
        var calls = 0
        fallback.start()
        let first = handOff.take(whileEmpty: {
            calls += 1
            if calls == 3 { XCTAssertTrue(handOff.put(7, bytes: 1)) }
            return true
        })
        XCTAssertEqual(first, 7)
        XCTAssertEqual(calls, 3)

        // An item waiting is taken without any work done.
        XCTAssertTrue(handOff.put(8, bytes: 1))
        XCTAssertEqual(handOff.take(whileEmpty: { XCTFail("no work while an item waits"); return true }), 8)

        // With no work left, the consumer sleeps until the producer puts an item.
        let producer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            _ = handOff.put(9, bytes: 1)
            handOff.finish()
        }
        producer.start()
        var idleCalls = 0
        XCTAssertEqual(handOff.take(whileEmpty: { idleCalls += 1; return false }), 9)
        XCTAssertGreaterThanOrEqual(idleCalls, 1)
        XCTAssertLessThanOrEqual(idleCalls, 3, "asked again only when woken, not in a busy loop")
        XCTAssertNil(handOff.take())
        handOff.cancel()
    }

    func testWhatTheProducerDoesWhileTheConsumerWorksIsNotMissed() {
        // The producer puts an item, or finishes, while the consumer's work runs (the lock
        // released) and the work then has no more: its signal woke no one, so the consumer must
        // look again before it sleeps. (Should it sleep, an item comes after two seconds: a
        // failure, not a hang.)
        let put = HandOff<Int>(capacity: 2, byteBudget: 1 << 20)
        let finished = HandOff<Int>(capacity: 2, byteBudget: 1 << 20)
        for handOff in [put, finished] {
            Thread {
                Thread.sleep(forTimeInterval: 2)
                _ = handOff.put(-1, bytes: 1)
            }.start()
        }
        XCTAssertEqual(put.take(whileEmpty: { _ = put.put(5, bytes: 1); return false }), 5)
        XCTAssertNil(finished.take(whileEmpty: { finished.finish(); return false }))
        put.cancel()
        finished.cancel()
    }

    func testWhatTheConsumersWorkThrowsIsThrownAndTheHandOffStaysUsable() {
        struct Failed: Error {}
        let handOff = HandOff<Int>(capacity: 2, byteBudget: 1 << 20)
        // Should the work never be asked for, an item comes after two seconds: a failure, not a hang.
        let fallback = Thread {
            Thread.sleep(forTimeInterval: 2)
            _ = handOff.put(-1, bytes: 1)
        }
        fallback.start()
        XCTAssertThrowsError(try handOff.take(whileEmpty: { throw Failed() })) { XCTAssertTrue($0 is Failed) }
        // The lock was given back: the producer and the consumer go on.
        XCTAssertTrue(handOff.put(1, bytes: 1))
        handOff.finish()
        XCTAssertEqual(handOff.take(), 1)
        XCTAssertNil(handOff.take())
        handOff.cancel()
    }

    func testCancelFreesWhatTheProducerHasNotAndStopsItWaiting() {
        let handOff = HandOff<Item>(capacity: 2, byteBudget: 1 << 20)
        nonisolated(unsafe) var freed = 0
        XCTAssertTrue(handOff.put(Item { _ in freed += 1 }, bytes: 1))
        handOff.finish()
        guard let item = handOff.take() else { return XCTFail("the item put was not taken") }
        handOff.giveBack(consume item)
        XCTAssertEqual(freed, 0)
        handOff.cancel()
        XCTAssertEqual(freed, 1)
        // Returns at once: the consumer has cancelled.
        handOff.freeGivenBackUntilCancelled()
    }
}
