import Foundation
import PHRStore

/// Patient → patients: name (official or usual, else first), birth date, sex, phone, email,
/// address, and record numbers (identifiers naming their assigner, kept under its name).
///
/// A patient already in the store is matched by source, then identifier, then phr UUID, then the
/// same name (ignoring case and spacing) and birth date; otherwise a patient is created. Under
/// `--patient` every Patient of the input is that patient, and an input with several is refused.
struct PatientMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let name: String
        let birthDate: PartialDate?
        let sex: Patient.Sex?
        let phone: String?
        let email: String?
        let address: String?
        let recordNumbers: [RecordNumber]

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let identity = birthDate.map { "\(PatientMapper.normalized(name))|\($0)" }
            if session.forcedPatientID != nil {
                try PatientMapper.checkOnePatient(resource, keys: keys, identity: identity, session: session)
            }
            let store = session.store
            try session.upsert(
                resource, keys: keys, prior: prior, table: .patients,
                references: ResourceReferences(resource, keys: keys, session: session),
                forced: session.forcedPatientID,
                load: { try store.patient(id: $0) },
                match: {
                    try birthDate.flatMap { try PatientMapper.match(name: name, birthDate: $0, in: store) }
                        .map { EvidenceMatch(rowID: $0, matchedBy: "name and birth date") }
                },
                create: { uuid in
                    try store.addPatient(Patient(name: name, birthDate: birthDate, sex: sex, phone: phone, email: email,
                                                 address: address, recordNumbers: recordNumbers, uuid: uuid)).id
                },
                merge: { patient, merge in
                    merge.required(&patient.name, name, "name",
                                   same: { PatientMapper.normalized($0) == PatientMapper.normalized($1) })
                    merge.optional(&patient.birthDate, birthDate, "birth date")
                    merge.optional(&patient.sex, sex, "sex")
                    merge.optional(&patient.phone, phone, "phone")
                    merge.optional(&patient.email, email, "email")
                    merge.optional(&patient.address, address, "address")
                    // Numbers at organizations the patient has none for are added; one differing is noted.
                    for number in recordNumbers {
                        if let index = patient.recordNumbers.firstIndex(where: {
                            $0.organization.caseInsensitiveCompare(number.organization) == .orderedSame
                        }) {
                            merge.required(&patient.recordNumbers[index].value, number.value, "record number at \(number.organization)")
                        } else {
                            patient.recordNumbers.append(number)
                        }
                    }
                },
                save: { try store.updatePatient($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        return Prepared(name: try body.personName() ?? "Unnamed patient", birthDate: try body.date("birthDate"),
                        sex: try body.text("gender").flatMap { Patient.Sex(rawValue: $0) },
                        phone: try body.contact("phone"), email: try body.contact("email"), address: try body.addressLine(),
                        recordNumbers: try Self.recordNumbers(body))
    }

    /// The record numbers among the identifiers: those that name their assigner (phr's export
    /// writes them with type MR; a number without an organization's name is no record number phr
    /// can keep); one per organization (the first).
    static func recordNumbers(_ body: FHIRObject) throws -> [RecordNumber] {
        var numbers: [RecordNumber] = []
        for item in try body.objects("identifier") {
            guard let value = try item.text("value"), try item.text("system") != FHIRVocabulary.uuidIdentifierSystem,
                  let organization = try item.object("assigner")?.text("display"),
                  !numbers.contains(where: { $0.organization.caseInsensitiveCompare(organization) == .orderedSame }) else { continue }
            numbers.append(RecordNumber(organization: organization, value: value))
        }
        return numbers
    }

    /// The stored patient with this birth date and name, if exactly one.
    static func match(name: String, birthDate: PartialDate, in store: HealthStore) throws -> Int64? {
        let wanted = normalized(name)
        let ids = try store.patientNames(bornOn: birthDate).filter { normalized($0.name) == wanted }.map(\.id)
        return ids.count == 1 ? ids[0] : nil
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).joined(separator: " ")
    }

    /// `--patient` names one patient, so the input may hold only one (read as often as it likes).
    static func checkOnePatient(_ resource: IncomingResource, keys: SourceKeys, identity: String?,
                                session: ImportSession) throws {
        let names = Set([keys.primary] + keys.aliases)
        guard let first = session.forcedPatientSource else {
            session.forcedPatientSource = (resource.place, names, identity)
            return
        }
        let same = !first.keys.isDisjoint(with: names) || (identity != nil && identity == first.nameAndBirth)
        guard same else {
            throw ImportError.conflict("--patient needs an input with one patient, but it holds several "
                                       + "(\(first.place) and \(resource.place)); import without --patient to keep them apart")
        }
    }
}
