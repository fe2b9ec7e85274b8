/// Lookups an import makes to match what it reads with rows of the store.
extension HealthStore {
    /// The ids of providers whose identifier is `identifier` (and of `kind`, when given), at most
    /// `limit` of them: an import matches a provider only when exactly one has it.
    public func providerIDs(identifier: String, kind: Provider.Kind? = nil, limit: Int = 2) throws -> [Int64] {
        if let kind {
            return try database.query("SELECT id FROM providers WHERE identifier = ? AND kind = ? LIMIT ?",
                                      [identifier, kind.rawValue, Int64(limit)]) { try $0.get(0, as: Int64.self) }
        }
        return try database.query("SELECT id FROM providers WHERE identifier = ? LIMIT ?", [identifier, Int64(limit)]) {
            try $0.get(0, as: Int64.self)
        }
    }

    /// The ids and names of the patients born on `birthDate` (an index serves it: 0003).
    public func patientNames(bornOn birthDate: PartialDate) throws -> [(id: Int64, name: String)] {
        try database.query("SELECT id, name FROM patients WHERE birth_date = ?", [birthDate.description]) {
            (id: try $0.get(0, as: Int64.self), name: try $0.get(1, as: String.self))
        }
    }

    /// True when diagnosis `id` exists and is one of patient `patientID`'s.
    public func diagnosis(_ id: Int64, isOfPatient patientID: Int64) throws -> Bool {
        try database.scalar("SELECT 1 FROM diagnoses WHERE id = ? AND patient_id = ?", [id, patientID], as: Int64?.self) != nil
    }
}
