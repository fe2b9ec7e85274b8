import Foundation
import PHRExchange
@testable import PHRStore
import XCTest

/// A test case with a folder and a store of its own, and helpers to write synthetic FHIR input
/// (never real data) and import it.
class ImportTestCase: XCTestCase {
    private(set) var folder: URL!
    private var openedStore: HealthStore?

    var storePath: String { path("phr.sqlite") }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("phr-import-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        openedStore = nil
        if let folder { try? FileManager.default.removeItem(at: folder) }
        try super.tearDownWithError()
    }

    /// The test's store (one per test).
    var store: HealthStore {
        get throws {
            if let openedStore { return openedStore }
            let opened = try HealthStore(path: storePath)
            openedStore = opened
            return opened
        }
    }

    // MARK: Writing input

    @discardableResult
    func writeJSON(_ name: String, _ object: Any) throws -> String {
        let target = path(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    func writeNDJSON(_ name: String, _ resources: [[String: Any]]) throws -> String {
        let lines = try resources.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        return try writeText(name, lines.joined(separator: "\n") + "\n")
    }

    @discardableResult
    func writeText(_ name: String, _ text: String) throws -> String {
        let target = path(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    // MARK: Importing

    /// Imports `paths` and checks the report's arithmetic (every fixture that goes through here).
    @discardableResult
    func importing(_ paths: [String], dryRun: Bool = false, patient: Int64? = nil,
                   file: StaticString = #filePath, line: UInt = #line) throws -> ImportReport {
        let report = try FHIRImporter(store: store, options: ImportOptions(dryRun: dryRun, patientID: patient)).run(paths)
        assertCountsAddUp(report, file: file, line: line)
        return report
    }

    @discardableResult
    func importing(_ path: String, dryRun: Bool = false, patient: Int64? = nil,
                   file: StaticString = #filePath, line: UInt = #line) throws -> ImportReport {
        try importing([path], dryRun: dryRun, patient: patient, file: file, line: line)
    }

    /// Imports `path`, expecting an `ImportError` whose message contains every one of `fragments`.
    func assertImportFails(_ path: String, mentioning fragments: [String], patient: Int64? = nil,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try dump()
        do {
            try importing(path, patient: patient)
            XCTFail("the import should have failed", file: file, line: line)
        } catch let error as ImportError {
            for fragment in fragments {
                XCTAssertTrue(error.description.contains(fragment), "'\(error)' should mention '\(fragment)'",
                              file: file, line: line)
            }
        }
        XCTAssertEqual(try dump(), before, "a failed import leaves the store unchanged", file: file, line: line)
    }

    // MARK: Reading the store

    func count(_ table: String) throws -> Int {
        try store.database.scalar("SELECT count(*) FROM \(table)", as: Int?.self) ?? -1
    }

    /// Every row of every table, as text: equal dumps mean equal stores.
    func dump(excluding excluded: Set<String> = []) throws -> String {
        let database = try store.database
        let tables = try database.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") {
            try $0.get(0, as: String.self)
        }
        var text = ""
        for table in tables where !excluded.contains(table) {
            text += "## \(table)\n"
            let columns: Int64 = try database.scalar("SELECT count(*) FROM pragma_table_info(?)", [table]) ?? 1
            let order = columns > 1 ? "1, 2" : "1"
            let statement = try database.prepare("SELECT * FROM \(table) ORDER BY \(order)", cached: false)
            while try statement.step() {
                var cells: [String] = []
                for index in 0..<statement.columnCount {
                    cells.append("\(try statement.row.value(at: index))")
                }
                text += cells.joined(separator: " | ") + "\n"
            }
        }
        return text
    }

    func onlyPatient() throws -> Patient {
        let patients = try store.patients()
        XCTAssertEqual(patients.count, 1)
        return try XCTUnwrap(patients.first)
    }
}

/// Asserts the audit of an import's numbers: for every resource type, read = added + updated +
/// unchanged + skipped + conflicts, and the lists hold what the counts say.
func assertCountsAddUp(_ report: ImportReport, file: StaticString = #filePath, line: UInt = #line) {
    for type in report.types {
        let counts = report.byType[type] ?? ImportReport.Counts()
        XCTAssertEqual(counts.read, counts.added + counts.updated + counts.unchanged + counts.skipped + counts.conflicts,
                       "\(type): read = added + updated + unchanged + skipped + conflicts", file: file, line: line)
        XCTAssertLessThanOrEqual(counts.merged, counts.updated, "\(type): merged ones are among the updated", file: file, line: line)
    }
    XCTAssertTrue(report.typesNotAddingUp.isEmpty, file: file, line: line)
    let totals = report.totals
    XCTAssertEqual(totals.read, totals.accounted, "the totals add up", file: file, line: line)
    XCTAssertEqual(report.conflictCount, totals.conflicts, "every conflict is listed", file: file, line: line)
    XCTAssertEqual(report.skipReasons.values.reduce(0, +), totals.skipped, "every skip has its reason", file: file, line: line)
    XCTAssertEqual(min(report.notStoredCount, ImportReport.listLimit), report.notStored.count, file: file, line: line)
}

/// Builders of synthetic FHIR R4 resources. Every name, code and date is made up.
enum FHIR {
    static func ref(_ reference: String, display: String? = nil) -> [String: Any] {
        var object: [String: Any] = ["reference": reference]
        if let display { object["display"] = display }
        return object
    }

    static func concept(_ system: String?, _ code: String, _ display: String? = nil, text: String? = nil) -> [String: Any] {
        var coding: [String: Any] = ["code": code]
        if let system { coding["system"] = system }
        if let display { coding["display"] = display }
        var object: [String: Any] = ["coding": [coding]]
        if let text { object["text"] = text }
        return object
    }

    static func patient(_ id: String, family: String = "Example", given: String = "Ada", birthDate: String? = "1961-03-02",
                        gender: String? = "female", identifier: (system: String, value: String)? = nil,
                        extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = ["resourceType": "Patient", "id": id,
                                       "name": [["use": "official", "family": family, "given": [given]]]]
        if let birthDate { resource["birthDate"] = birthDate }
        if let gender { resource["gender"] = gender }
        if let identifier { resource["identifier"] = [["system": identifier.system, "value": identifier.value]] }
        return resource.merging(extra) { $1 }
    }

    static func practitioner(_ id: String, family: String = "First", given: String = "Grace", npi: String? = nil,
                             extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = ["resourceType": "Practitioner", "id": id,
                                       "name": [["family": family, "given": [given], "prefix": ["Dr."]]],
                                       "telecom": [["system": "phone", "value": "555-0100", "use": "work"],
                                                   ["system": "email", "value": "\(id)@clinic.invalid"]]]
        if let npi { resource["identifier"] = [["system": "http://hl7.org/fhir/sid/us-npi", "value": npi]] }
        return resource.merging(extra) { $1 }
    }

    static func organization(_ id: String, name: String = "Example Cancer Centre") -> [String: Any] {
        ["resourceType": "Organization", "id": id, "name": name,
         "address": [["line": ["1 Example Way"], "city": "Springfield", "country": "US"]]]
    }

    static func role(_ id: String, practitioner: String, organization: String?, specialty: String) -> [String: Any] {
        var resource: [String: Any] = ["resourceType": "PractitionerRole", "id": id,
                                       "practitioner": ref(practitioner),
                                       "specialty": [concept("http://nucc.org/provider-taxonomy", "207RX0202X", specialty)]]
        if let organization { resource["organization"] = ref(organization) }
        return resource
    }

    static func condition(_ id: String, subject: String, code: String = "C50.912",
                          system: String = "http://hl7.org/fhir/sid/icd-10-cm", display: String = "Malignant neoplasm of left breast",
                          text: String? = nil, onset: String? = "2026-05-14", verification: String = "confirmed",
                          clinical: String = "active", stage: String? = nil, asserter: String? = nil,
                          extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "Condition", "id": id, "subject": ref(subject),
            "code": concept(system, code, display, text: text),
            "verificationStatus": concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification),
            "clinicalStatus": concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical),
        ]
        if let onset { resource["onsetDateTime"] = onset }
        if let stage { resource["stage"] = [["summary": ["text": stage]]] }
        if let asserter { resource["asserter"] = ref(asserter) }
        return resource.merging(extra) { $1 }
    }

    static func encounter(_ id: String, subject: String, practitioner: String?, start: String = "2026-06-01T09:30:00-05:00",
                          end: String? = "2026-06-01T10:30:00-05:00", status: String = "finished",
                          reasonReference: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var period: [String: Any] = ["start": start]
        if let end { period["end"] = end }
        var resource: [String: Any] = ["resourceType": "Encounter", "id": id, "status": status,
                                       "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"],
                                       "subject": ref(subject), "period": period,
                                       "location": [["location": ["display": "Clinic B, room 4"]]]]
        if let practitioner { resource["participant"] = [["individual": ref(practitioner)]] }
        if let reasonReference { resource["reasonReference"] = [ref(reasonReference)] }
        return resource.merging(extra) { $1 }
    }

    static func appointment(_ id: String, patient: String, practitioner: String, start: String = "2026-12-03T09:30:00-05:00",
                            minutes: Int? = 60, status: String = "booked", extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "Appointment", "id": id, "status": status, "start": start,
            "participant": [["actor": ref(patient), "status": "accepted"],
                            ["actor": ref(practitioner), "status": "accepted"],
                            ["actor": ["reference": "Location/loc1", "display": "Comprehensive Cancer Centre"], "status": "accepted"]],
        ]
        if let minutes { resource["minutesDuration"] = minutes }
        return resource.merging(extra) { $1 }
    }

    static func impression(_ id: String, subject: String, problem: String, assessor: String, date: String = "2026-06-02",
                           summary: String = "Invasive ductal carcinoma, grade 2.", extra: [String: Any] = [:]) -> [String: Any] {
        ["resourceType": "ClinicalImpression", "id": id, "status": "completed", "subject": ref(subject),
         "problem": [ref(problem)], "assessor": ref(assessor), "date": date, "summary": summary]
            .merging(extra) { $1 }
    }

    static func document(_ id: String, subject: String, bytes: [UInt8]? = Array("synthetic pathology report".utf8),
                         url: String? = nil, title: String = "Pathology report", loinc: String = "11526-1",
                         date: String = "2026-05-20T10:00:00Z", author: String? = nil, related: [String] = [],
                         extra: [String: Any] = [:]) -> [String: Any] {
        var attachment: [String: Any] = ["contentType": "text/plain", "title": title]
        if let bytes { attachment["data"] = Data(bytes).base64EncodedString() }
        if let url { attachment["url"] = url }
        var resource: [String: Any] = ["resourceType": "DocumentReference", "id": id, "status": "current",
                                       "subject": ref(subject), "date": date,
                                       "type": concept("http://loinc.org", loinc),
                                       "content": [["attachment": attachment]]]
        if let author { resource["author"] = [ref(author)] }
        if !related.isEmpty { resource["context"] = ["related": related.map { ref($0) }] }
        return resource.merging(extra) { $1 }
    }

    static func bundle(_ type: String = "collection", _ entries: [(fullUrl: String?, resource: [String: Any])]) -> [String: Any] {
        ["resourceType": "Bundle", "type": type,
         "entry": entries.map { entry -> [String: Any] in
             var object: [String: Any] = ["resource": entry.resource]
             if let fullUrl = entry.fullUrl { object["fullUrl"] = fullUrl }
             return object
         }]
    }

    /// A bundle whose entries' fullUrls are `base/Type/id`.
    static func bundle(base: String, _ resources: [[String: Any]], type: String = "searchset") -> [String: Any] {
        bundle(type, resources.map { resource in
            ("\(base)/\(resource["resourceType"] as? String ?? "")/\(resource["id"] as? String ?? "")", resource)
        })
    }
}
