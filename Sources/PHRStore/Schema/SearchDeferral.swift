extension Connection {
    /// The SQL name of the function that says whether search indexing is deferred.
    static let searchDeferralFunctionName = "phr_search_deferred"

    /// Registers `phr_search_deferred()` on this connection: 1 while `defersSearchIndexing` is
    /// set, else 0. The search triggers index a row when it is 0 and only note the row's entry in
    /// `search_index_pending` when it is 1 (`SearchTriggers.indexPending` then indexes every noted
    /// entry in one statement per table and batch of rows). Called once, by `init`.
    func registerSearchDeferralFunction() throws(SQLiteError) {
        try defineFunction(Self.searchDeferralFunctionName) { [unowned self] () -> SQLFunctionResult in
            .integer(defersSearchIndexing ? 1 : 0)
        }
    }
}
