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
