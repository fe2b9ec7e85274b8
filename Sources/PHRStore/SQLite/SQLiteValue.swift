/// One value as SQLite stores it: the five storage classes.
public enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLiteBindable {
    var sqliteValue: SQLiteValue { get }
}

/// A Swift value that can be read from a result column.
///
/// `decode` is given a non-NULL value; NULL is handled by `Optional`'s conformance, and a NULL
/// read into a non-optional type is an error, never a crash.
public protocol SQLiteColumnDecodable {
    static func decode(_ value: SQLiteValue) -> Self?
    static var sqliteTypeName: String { get }
}

extension SQLiteValue: SQLiteBindable {
    public var sqliteValue: SQLiteValue { self }
}

extension Int64: SQLiteBindable, SQLiteColumnDecodable {
    public var sqliteValue: SQLiteValue { .integer(self) }
    public static func decode(_ value: SQLiteValue) -> Int64? {
        if case .integer(let v) = value { return v }
        return nil
    }
    public static var sqliteTypeName: String { "INTEGER" }
}

extension Int: SQLiteBindable, SQLiteColumnDecodable {
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
    public static func decode(_ value: SQLiteValue) -> Int? {
        if case .integer(let v) = value { return Int(exactly: v) }
        return nil
    }
    public static var sqliteTypeName: String { "INTEGER" }
}

extension Bool: SQLiteBindable, SQLiteColumnDecodable {
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
    public static func decode(_ value: SQLiteValue) -> Bool? {
        if case .integer(let v) = value { return v != 0 }
        return nil
    }
    public static var sqliteTypeName: String { "INTEGER" }
}

extension Double: SQLiteBindable, SQLiteColumnDecodable {
    public var sqliteValue: SQLiteValue { .real(self) }
    public static func decode(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    public static var sqliteTypeName: String { "REAL" }
}

extension String: SQLiteBindable, SQLiteColumnDecodable {
    public var sqliteValue: SQLiteValue { .text(self) }
    public static func decode(_ value: SQLiteValue) -> String? {
        if case .text(let v) = value { return v }
        return nil
    }
    public static var sqliteTypeName: String { "TEXT" }
}

extension Array: SQLiteBindable, SQLiteColumnDecodable where Element == UInt8 {
    public var sqliteValue: SQLiteValue { .blob(self) }
    public static func decode(_ value: SQLiteValue) -> [UInt8]? {
        if case .blob(let v) = value { return v }
        return nil
    }
    public static var sqliteTypeName: String { "BLOB" }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    public var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}

extension RawRepresentable where RawValue == String, Self: SQLiteBindable {
    public var sqliteValue: SQLiteValue { .text(rawValue) }
}
