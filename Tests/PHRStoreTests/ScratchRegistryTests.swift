import Foundation
import XCTest
@testable import PHRStore

/// The registry folder sits beside the store, named after it, always as an absolute path.
final class ScratchRegistryTests: XCTestCase {
    private let here = FileManager.default.currentDirectoryPath

    func testAnAbsoluteStorePathKeepsItsFolder() {
        XCTAssertEqual(Scratch.registryFolder(forStore: "/home/ana/health/phr.sqlite"), "/home/ana/health/.phr.sqlite.phr-scratch")
    }

    func testAStoreAtTheRootHasItsRegistryAtTheRoot() {
        XCTAssertEqual(Scratch.registryFolder(forStore: "/phr.sqlite"), "/.phr.sqlite.phr-scratch")
    }

    func testARelativeStorePathIsTakenFromTheCurrentDirectory() {
        XCTAssertEqual(Scratch.registryFolder(forStore: "phr.sqlite"), here + "/.phr.sqlite.phr-scratch")
        XCTAssertEqual(Scratch.registryFolder(forStore: "health/phr.sqlite"), here + "/health/.phr.sqlite.phr-scratch")
    }

    func testTrailingSlashesAreNotANameOfTheirOwn() {
        XCTAssertEqual(Scratch.registryFolder(forStore: "/home/ana/phr.sqlite//"), "/home/ana/.phr.sqlite.phr-scratch")
    }

    func testTheSameAsFoundationsPathHandlingGives() {
        for path in ["/home/ana/health/phr.sqlite", "phr.sqlite", "health/phr.sqlite", "/phr.sqlite", "/a b/ü ñ.sqlite"] {
            let url = URL(fileURLWithPath: path)
            let expected = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).phr-scratch").path
            XCTAssertEqual(Scratch.registryFolder(forStore: path), expected, path)
        }
    }
}
