internal import CSQLite

extension Connection {
    /// The SQL name of the function that returns the change a write belongs to.
    static let changeFunctionName = "phr_change_id"

    /// Registers `phr_change_id()` on this connection: the id of the change the connection has
    /// open (`currentChangeID`), which the history triggers file every row under. With no change
    /// open it fails with an error naming the cause, so that no history row is filed under a
    /// change it does not belong to. Called once, by `init`.
    func registerChangeFunction() throws(SQLiteError) {
        let code = sqlite3_create_function_v2(
            handle, Self.changeFunctionName, 0, SQLITE_UTF8 | SQLITE_INNOCUOUS,
            Unmanaged.passUnretained(self).toOpaque(),
            { context, _, _ in
                guard let context, let data = sqlite3_user_data(context) else { return }
                let connection = Unmanaged<Connection>.fromOpaque(data).takeUnretainedValue()
                if let id = connection.currentChangeID {
                    sqlite3_result_int64(context, id)
                } else {
                    sqlite3_result_error(context, "phr: a table with history was written outside a change", -1)
                }
            }, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError.from(handle, code: code) }
    }
}
