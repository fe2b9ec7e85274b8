import Foundation

/// The JSON kind of a value read by `JSONSerialization` or built by phr as `[String: Any]`, told
/// apart without bridging.
///
/// On Linux, a cast that fails (`value as? String` on a dictionary, `value is NSNull` on an array)
/// first bridges the Swift collection to a Foundation object, deeply, to see whether that would
/// fit: a C-CDA bundle's null check alone cost an eighth of its import. These tests compare the
/// value's dynamic type instead, and cast only once they know the cast succeeds.
enum JSONKind {
    case string(String)
    case object([String: Any])
    case array([Any])
    /// A number, a Bool or `null`: cheap to cast (never a collection).
    case scalar(Any)

    init(_ value: Any) {
        let valueType = type(of: value)
        if valueType == String.self, let text = value as? String {
            self = .string(text)
        } else if valueType == [String: Any].self, let object = value as? [String: Any] {
            self = .object(object)
        } else if valueType == [Any].self, let items = value as? [Any] {
            self = .array(items)
        } else if valueType == [[String: Any]].self, let items = value as? [[String: Any]] {
            self = .array(items)
        } else if valueType == [String].self, let items = value as? [String] {
            self = .array(items)
        } else {
            self = .scalar(value)
        }
    }

    /// Whether `value` is JSON's `null` (`NSNull`), without bridging a collection to find out.
    static func isNull(_ value: Any) -> Bool {
        type(of: value) is NSNull.Type
    }
}
