@testable import PHRCommands
import PHRStore
import XCTest

/// A file the store's disk has no room for is refused before anything is written
/// (`FileStore.requireRoom`, tested in PHRStoreTests); here, how the command line reports it: the
/// store's one line, and 74 (an I/O error, as a disk that fills up while writing is reported).
final class NoRoomFailureTests: XCTestCase {
    func testNoRoomIsOneLineAndAnIOError() {
        let failure = Failure(StoreError.noRoom(path: "scan.dcm", needed: 417_000_000, free: 300_000_000),
                              command: PHR.self)
        XCTAssertEqual(failure.code, ExitStatus.ioError)
        XCTAssertTrue(failure.message.hasPrefix("not enough free space to store scan.dcm: it needs about 417 MB"), failure.message)
        XCTAssertFalse(failure.message.contains("\n"))
    }
}
