internal import CSQLite

/// What a SQL function defined with `Connection.defineFunction` answers.
enum SQLFunctionResult {
    case text(String)
    case integer(Int64)
    case null
    /// The statement calling the function fails with this message.
    case error(String)
}

extension Connection {
    /// Registers a SQL function of no arguments on this connection, answering with text (or NULL).
    ///
    /// The function is marked `SQLITE_INNOCUOUS` (no side effects), so the store's triggers may
    /// call it. `body` is kept alive until the connection closes or the function is registered
    /// again.
    func defineFunction(_ name: String, _ body: @escaping () -> String?) throws(SQLiteError) {
        try defineFunction(name) { () -> SQLFunctionResult in body().map(SQLFunctionResult.text) ?? .null }
    }

    /// Registers a SQL function of no arguments answering with `body`'s result, as above. A body
    /// that reads this connection must capture it `unowned` (the connection keeps the body).
    func defineFunction(_ name: String, _ body: @escaping () -> SQLFunctionResult) throws(SQLiteError) {
        let box = Unmanaged.passRetained(FunctionBody(body)).toOpaque()
        let code = sqlite3_create_function_v2(
            handle, name, 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, box,
            { context, _, _ in
                guard let context, let data = sqlite3_user_data(context) else { return }
                switch Unmanaged<FunctionBody>.fromOpaque(data).takeUnretainedValue().call() {
                case .text(let text): sqlite3_result_text(context, text, -1, phr_sqlite3_transient())
                case .integer(let number): sqlite3_result_int64(context, number)
                case .null: sqlite3_result_null(context)
                case .error(let message): sqlite3_result_error(context, message, -1)
                }
            },
            nil, nil,
            { data in
                guard let data else { return }
                Unmanaged<FunctionBody>.fromOpaque(data).release()
            })
        guard code == SQLITE_OK else { throw SQLiteError.from(handle, code: code) }
    }
}

/// The Swift closure behind a SQL function, boxed so that SQLite can hold it as a pointer.
private final class FunctionBody {
    let call: () -> SQLFunctionResult
    init(_ call: @escaping () -> SQLFunctionResult) { self.call = call }
}
