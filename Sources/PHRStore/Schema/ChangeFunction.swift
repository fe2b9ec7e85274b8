extension Connection {
    /// The SQL name of the function that returns the change a write belongs to.
    static let changeFunctionName = "phr_change_id"

    /// Registers `phr_change_id()` on this connection: the id of the change the connection has
    /// open (`currentChangeID`), which the history triggers file every row under. With no change
    /// open it fails with an error naming the cause, so that no history row is filed under a
    /// change it does not belong to. Called once, by `init`.
    func registerChangeFunction() throws(SQLiteError) {
        try defineFunction(Self.changeFunctionName) { [unowned self] () -> SQLFunctionResult in
            currentChangeID.map(SQLFunctionResult.integer) ?? .error("phr: a table with history was written outside a change")
        }
    }
}
