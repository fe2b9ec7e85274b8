internal import CSQLite

extension Connection {
    /// The SQL name of the function that says whether search indexing is deferred.
    static let searchDeferralFunctionName = "phr_search_deferred"

    /// Registers `phr_search_deferred()` on this connection: 1 while `defersSearchIndexing` is
    /// set, else 0. The search triggers index a row when it is 0 and only note the row's entry in
    /// `search_index_pending` when it is 1 (`SearchTriggers.indexPending` then indexes every noted
    /// entry in one statement per table). Called once, by `init`.
    func registerSearchDeferralFunction() throws(SQLiteError) {
        let code = sqlite3_create_function_v2(
            handle, Self.searchDeferralFunctionName, 0, SQLITE_UTF8 | SQLITE_INNOCUOUS,
            Unmanaged.passUnretained(self).toOpaque(),
            { context, _, _ in
                guard let context, let data = sqlite3_user_data(context) else { return }
                let connection = Unmanaged<Connection>.fromOpaque(data).takeUnretainedValue()
                sqlite3_result_int(context, connection.defersSearchIndexing ? 1 : 0)
            }, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError.from(handle, code: code) }
    }
}
