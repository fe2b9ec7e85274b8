/// One value as SQLite stores it: the five storage classes.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that can be bound to a statement parameter.
protocol SQLiteBindable {
    var sqliteValue: SQLiteValue { get }
}

/// A Swift value that can be read from a result column.
///
/// `decode` is given a non-NULL value; NULL is handled by `Optional`'s conformance, and a NULL
/// read into a non-optional type is an error, never a crash.
protocol SQLiteColumnDecodable {
    static func decode(_ value: SQLiteValue) -> Self?
    static var sqliteTypeName: String { get }
}

extension SQLiteValue: SQLiteBindable {
    var sqliteValue: SQLiteValue { self }
}

extension Int64: SQLiteBindable, SQLiteColumnDecodable {
    var sqliteValue: SQLiteValue { .integer(self) }
    static func decode(_ value: SQLiteValue) -> Int64? {
        if case .integer(let v) = value { return v }
        return nil
    }
    static var sqliteTypeName: String { "INTEGER" }
}

extension Int: SQLiteBindable, SQLiteColumnDecodable {
    var sqliteValue: SQLiteValue { .integer(Int64(self)) }
    static func decode(_ value: SQLiteValue) -> Int? {
        if case .integer(let v) = value { return Int(exactly: v) }
        return nil
    }
    static var sqliteTypeName: String { "INTEGER" }
}

extension Bool: SQLiteBindable, SQLiteColumnDecodable {
    var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
    static func decode(_ value: SQLiteValue) -> Bool? {
        if case .integer(let v) = value { return v != 0 }
        return nil
    }
    static var sqliteTypeName: String { "INTEGER" }
}

extension Double: SQLiteBindable, SQLiteColumnDecodable {
    var sqliteValue: SQLiteValue { .real(self) }
    static func decode(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    static var sqliteTypeName: String { "REAL" }
}

extension String: SQLiteBindable, SQLiteColumnDecodable {
    var sqliteValue: SQLiteValue { .text(self) }
    static func decode(_ value: SQLiteValue) -> String? {
        if case .text(let v) = value { return v }
        return nil
    }
    static var sqliteTypeName: String { "TEXT" }
}

extension Array: SQLiteBindable, SQLiteColumnDecodable where Element == UInt8 {
    var sqliteValue: SQLiteValue { .blob(self) }
    static func decode(_ value: SQLiteValue) -> [UInt8]? {
        if case .blob(let v) = value { return v }
        return nil
    }
    static var sqliteTypeName: String { "BLOB" }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    // A query's bindings reach a statement as `any SQLiteBindable` (a `ColumnValue` converts its
    // value where the type is known), so this is called unspecialized there, copying the wrapped
    // value through its type's metadata; the common wrapped types get code of their own, chosen
    // at run time.
    var sqliteValue: SQLiteValue {
        @specialized(where Wrapped == String)
        @specialized(where Wrapped == Int64)
        @specialized(where Wrapped == Double)
        get { self?.sqliteValue ?? .null }
    }
}

extension RawRepresentable where RawValue == String, Self: SQLiteBindable {
    var sqliteValue: SQLiteValue { .text(rawValue) }
}
