import Foundation
@testable import PHRStore
import XCTest

final class HexTests: XCTestCase {
    func testBytesAreWrittenAsSha256sumWritesThem() {
        XCTAssertEqual(Hex.encode([UInt8]()), "")
        XCTAssertEqual(Hex.encode([0x00, 0x0F, 0xA0, 0xFF, 0x5C]), "000fa0ff5c")
    }

    func testUUIDTextIsFoundationsInLowercase() {
        let bytes: [UInt8] = [0x4D, 0x6A, 0x1F, 0x0E, 0x7C, 0x3A, 0x5B, 0x4E, 0x9A, 0x61, 0x0B, 0x2F, 0x4F, 0x1F, 0x6C, 0x2D]
        let foundation = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                     bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        XCTAssertEqual(Hex.uuid(bytes), "4d6a1f0e-7c3a-5b4e-9a61-0b2f4f1f6c2d")
        XCTAssertEqual(Hex.uuid(bytes), foundation.uuidString.lowercased())
    }

    func testNewUUIDsAreDistinctRandomVersion4UUIDs() throws {
        let made = (0..<1_000).map { _ in HealthStore.newUUID() }
        XCTAssertEqual(Set(made).count, made.count)
        for text in made {
            let parsed = try XCTUnwrap(UUID(uuidString: text), text)
            XCTAssertEqual(parsed.uuidString.lowercased(), text)
            let version = Array(text)[14], variant = Array(text)[19]
            XCTAssertEqual(version, "4", text)
            XCTAssertTrue("89ab".contains(variant), text)
        }
    }
}
