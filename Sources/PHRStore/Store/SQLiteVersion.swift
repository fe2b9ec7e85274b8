extension HealthStore {
    /// The version of the SQLite library the store runs on, e.g. "3.40.1".
    public static var sqliteVersion: String { Connection.sqliteVersion }
}
