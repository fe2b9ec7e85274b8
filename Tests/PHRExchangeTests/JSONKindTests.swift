import Foundation
import XCTest
@testable import PHRExchange

/// `JSONKind` tells JSON values apart without bridging, and the canonical hash built on it writes
/// every form of a value as it did with plain casts.
final class JSONKindTests: XCTestCase {
    func testKindsOfTheValuesImportMeets() {
        guard case .string("a") = JSONKind("a" as Any) else { return XCTFail("a String is a string") }
        guard case .object(let object) = JSONKind(["k": 1] as [String: Any]), object.count == 1 else {
            return XCTFail("a [String: Any] is an object")
        }
        guard case .array(let items) = JSONKind([["k": "v"]] as [[String: Any]]), items.count == 1 else {
            return XCTFail("an array of objects is an array")
        }
        guard case .array = JSONKind(["x", "y"] as [String]) else { return XCTFail("[String] is an array") }
        guard case .scalar = JSONKind(3 as Any) else { return XCTFail("a number is a scalar") }
        XCTAssertTrue(JSONKind.isNull(NSNull()))
        XCTAssertFalse(JSONKind.isNull(["k": NSNull()] as [String: Any]))
        XCTAssertFalse(JSONKind.isNull([NSNull()] as [Any]))
    }

    func testCanonicalHashIgnoresKeyOrderAndTheFormAValueTakes() {
        let plain: [String: Any] = ["b": "text", "a": [["code": "x", "n": 2]], "c": true, "d": 1.5]
        var reordered: [String: Any] = [:]
        for key in ["d", "c", "a", "b"] { reordered[key] = plain[key] }
        XCTAssertEqual(CanonicalHash.sha256(plain), CanonicalHash.sha256(reordered))

        // An optional boxed in `Any`, a typed dictionary and a Foundation string are the same value.
        let text: String? = "text"
        let typed: [String: Int] = ["n": 2]
        let boxed: [String: Any] = ["b": text as Any, "a": [["code": "x", "n": typed["n"] as Any]],
                                    "c": true, "d": 1.5]
        XCTAssertEqual(CanonicalHash.sha256(boxed), CanonicalHash.sha256(plain))
        let foundation: [String: Any] = ["b": NSString(string: "text"), "a": [["code": "x", "n": 2]], "c": true, "d": 1.5]
        XCTAssertEqual(CanonicalHash.sha256(foundation), CanonicalHash.sha256(plain))

        // A changed value changes the hash.
        var changed = plain
        changed["b"] = "other"
        XCTAssertNotEqual(CanonicalHash.sha256(changed), CanonicalHash.sha256(plain))
    }
}
