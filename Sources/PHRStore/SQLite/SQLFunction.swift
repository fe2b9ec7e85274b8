internal import CSQLite

extension Connection {
    /// Registers a SQL function of no arguments on this connection, answering with text (or NULL).
    ///
    /// The function is marked `SQLITE_INNOCUOUS` (no side effects), so the store's triggers may
    /// call it. `body` is kept alive until the connection closes or the function is registered
    /// again.
    func defineFunction(_ name: String, _ body: @escaping () -> String?) throws(SQLiteError) {
        let box = Unmanaged.passRetained(FunctionBody(body)).toOpaque()
        let code = sqlite3_create_function_v2(
            handle, name, 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, box,
            { context, _, _ in
                guard let context, let data = sqlite3_user_data(context) else { return }
                let body = Unmanaged<FunctionBody>.fromOpaque(data).takeUnretainedValue()
                guard let text = body.call() else {
                    sqlite3_result_null(context)
                    return
                }
                sqlite3_result_text(context, text, -1, phr_sqlite3_transient())
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
    let call: () -> String?
    init(_ call: @escaping () -> String?) { self.call = call }
}
