import Foundation
import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// A test case with a folder of its own (removed in `tearDown`) holding a synthetic store: a
/// breast cancer case with two providers' opinions, appointments, and records with files.
class PacketTestCase: XCTestCase {
    private(set) var folder: String = ""
    var storePath: String { folder + "/phr.sqlite" }
    var store: HealthStore!
    var sample: SampleCase!

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("phr-exchange-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The real path (the temporary folder may sit behind a symbolic link, as on macOS).
        if let real = realpath(folder, nil) {
            folder = String(cString: real)
            free(real)
        }
        store = try HealthStore(path: storePath)
        sample = try SampleCase(store: store, folder: folder)
    }

    override func tearDownWithError() throws {
        store = nil
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
        try super.tearDownWithError()
    }

    func path(_ name: String) -> String { folder + "/" + name }

    /// The moment packets are made at in these tests: 23:30 on New Year's Eve in New York, when the
    /// UTC date is already the next day, so a date taken from the wrong zone shows.
    static let exportedAt = Date(timeIntervalSince1970: 1_798_777_800)  // 2026-12-31T23:30:00-05:00
    static let exportZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -18_000) ?? .current

    /// Exports with `scope` (default: everything for the sample patient) to `name` in the test's folder.
    @discardableResult
    func export(_ name: String = "packet", scope: ExportScope? = nil, zip: Bool = false, force: Bool = false) throws -> PacketReport {
        let request = PacketRequest(scope: scope ?? ExportScope(patientID: sample.patient.id), destination: path(name),
                                    zip: zip, force: force)
        return try PacketWriter(store: store, now: Self.exportedAt, timeZone: Self.exportZone).write(request)
    }

    func bundle(in packet: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: packet + "/fhir.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func resources(_ bundle: [String: Any], type: String? = nil) -> [[String: Any]] {
        let entries = bundle["entry"] as? [[String: Any]] ?? []
        return entries.compactMap { $0["resource"] as? [String: Any] }
            .filter { type == nil || $0["resourceType"] as? String == type }
    }

    /// What `folder` holds, recursively, as relative paths (hidden entries included).
    func listing(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    /// Files and folders in the test's folder other than the store, e.g. leftovers of an export.
    func entriesBesideStore() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasPrefix("phr.sqlite") && !$0.hasPrefix("source-") }.sorted()
    }

    func mode(of path: String) throws -> Int {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return Int(info.st_mode & 0o777)
    }

    struct ToolResult {
        let status: Int32
        let output: String
        let error: String
    }

    /// Runs a program and waits for it.
    func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> ToolResult {
        let result = try ChildProcess.capture(executable, arguments, environment: ProcessInfo.processInfo.environment,
                                              folder: folder, currentDirectory: directory)
        return ToolResult(status: result.status, output: result.stdout, error: result.stderr)
    }

    /// The first of `candidates` that exists and is executable; a missing tool fails the test.
    func tool(_ candidates: String...) throws -> String {
        try RequiredTool.find(candidates, install: "install it with apt-get")
    }

    /// The FHIR validator's Python, in the virtual environment `scripts/test` and `.ci/run` create;
    /// a missing one fails the test.
    func validatorPython() throws -> String {
        try RequiredTool.find([Self.repositoryRoot + "/.venv-fhir/bin/python"],
                              install: "set it up with scripts/test, or: python3 -m venv .venv-fhir && "
                                  + ".venv-fhir/bin/pip install -r scripts/requirements-fhir.txt")
    }

    /// Fails the test unless the packet's fhir.json validates (`scripts/validate_fhir.py`).
    func validateFHIR(_ packet: String) throws {
        let result = try run(try validatorPython(), [Self.repositoryRoot + "/scripts/validate_fhir.py", packet + "/fhir.json"])
        XCTAssertEqual(result.status, 0, "fhir.json does not validate:\n\(result.error)")
    }

    /// The repository's root (two levels above this file's folder).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

/// The synthetic case every packet test starts from.
struct SampleCase {
    let patient: Patient
    let oncologist: Provider
    let cancerCentre: Provider
    let surgeon: Provider
    let recipient: Provider
    let breastCancer: Diagnosis
    let anaemia: Diagnosis
    let firstOpinion: Opinion
    let secondOpinion: Opinion
    let anaemiaOpinion: Opinion
    let pathology: Record
    let imaging: Record
    let hostile: Record
    let slides: Record
    let bloodCount: Record
    let oldLetter: Record
    let secondOpinionVisit: Appointment
    let bloodTestVisit: Appointment

    /// Bytes of the pathology report's file (three 1 MiB chunks and a bit, to cross chunk borders).
    let pathologyBytes: [UInt8]

    init(store: HealthStore, folder: String) throws {
        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        let pathologyBytes = Array("%PDF-1.4 synthetic pathology report\n".utf8)
            + Array(try XCTUnwrap(try random.read(upToCount: 3 * 1_048_576 + 4321)))
        try random.close()
        self.pathologyBytes = pathologyBytes
        var sources = 0
        func source(_ name: String, _ bytes: [UInt8]) throws -> RecordFileSource {
            sources += 1
            let path = folder + "/source-\(sources)"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            return RecordFileSource(path: path, originalName: name)
        }
        let pathologySource = try source("Pathologie Befund (final).pdf", pathologyBytes)
        let imagingSource = try source("mammogram report.txt", Array("BI-RADS 5, left breast 2 o'clock.\n".utf8))
        let hostileSource = try source("<b>x</b>.html", Array("<script>alert(1)</script>".utf8))
        let bloodSource = try source("cbc.csv", Array("test,value\nHb,10.9\n".utf8))
        let letterSource = try source("letter.txt", Array("Dear colleague,\n".utf8))

        (patient, oncologist, cancerCentre, surgeon, recipient, breastCancer, anaemia, firstOpinion,
         secondOpinion, anaemiaOpinion, pathology, imaging, hostile, slides, bloodCount, oldLetter,
         secondOpinionVisit, bloodTestVisit) = try store.write("sample case") {
            let patient = try store.addPatient(Patient(name: "Ada Example", birthDate: PartialDate(parsing: "1971-04-09"), sex: .female))
            let oncologist = try store.addProvider(Provider(name: "Dr. Anna Weber", specialty: "Medical oncology",
                                                            organization: "City Hospital", phone: "+1 555 0100",
                                                            email: "weber@example.org"))
            let centre = try store.addProvider(Provider(name: "Comprehensive Cancer Centre", kind: .organization,
                                                        address: "1 Research Way, Springfield", identifier: "NPI 1234567893"))
            let surgeon = try store.addProvider(Provider(name: "Dr. Ben Okafor", specialty: "Breast surgery",
                                                        organization: "Comprehensive Cancer Centre"))
            let recipient = try store.addProvider(Provider(name: "Dr. Chloé Martin", specialty: "Radiation oncology",
                                                           organization: "University Clinic"))
            let cancer = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Invasive ductal carcinoma, left breast",
                                                          code: "C50.912", codeSystem: .icd10cm,
                                                          diagnosedOn: PartialDate(parsing: "2026-09-28"),
                                                          providerID: oncologist.id, status: .confirmed, stage: "IIA (pT2 N0 M0)"))
            let anaemia = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Iron deficiency anaemia",
                                                           diagnosedOn: PartialDate(parsing: "2025-03"), status: .suspected))
            let first = try store.addOpinion(Opinion(diagnosisID: cancer.id, providerID: oncologist.id,
                                                     givenOn: PartialDate(parsing: "2026-10-05"),
                                                     conclusion: "Stage IIA; hormone receptor positive.",
                                                     recommendation: "Mastectomy, then chemotherapy."))
            let secondOpinion = try store.addOpinion(Opinion(diagnosisID: cancer.id, providerID: surgeon.id,
                                                      givenOn: PartialDate(parsing: "2026-11-02"),
                                                      conclusion: "Agree on stage; tumour suitable for breast-conserving surgery.",
                                                      recommendation: "Lumpectomy with radiotherapy.", stage: "IIA",
                                                      agreement: .partly))
            let anaemiaOpinion = try store.addOpinion(Opinion(diagnosisID: anaemia.id, providerID: oncologist.id,
                                                              givenOn: PartialDate(parsing: "2025-03-20"),
                                                              conclusion: "Mild; oral iron."))
            let pathology = try store.addRecord(Record(patientID: patient.id, kind: .pathologyReport, title: "Core biopsy, left breast",
                                                       recordedOn: PartialDate(parsing: "2026-10-02"), providerID: oncologist.id,
                                                       diagnosisIDs: [cancer.id]), file: pathologySource)
            let imaging = try store.addRecord(Record(patientID: patient.id, kind: .imagingReport, title: "Mammogram report",
                                                     recordedOn: PartialDate(parsing: "2026-09-20"), diagnosisIDs: [cancer.id]),
                                              file: imagingSource)
            let hostile = try store.addRecord(Record(patientID: patient.id, kind: .letter, title: "<script>alert(1)</script>",
                                                     recordedOn: PartialDate(parsing: "2026-10-20"), diagnosisIDs: [cancer.id]),
                                              file: hostileSource)
            let slides = try store.addRecord(Record(patientID: patient.id, kind: .pathologySlides, title: "Biopsy slides and blocks",
                                                    recordedOn: PartialDate(parsing: "2026-10-02"), providerID: centre.id,
                                                    diagnosisIDs: [cancer.id]))
            let blood = try store.addRecord(Record(patientID: patient.id, kind: .labResult, title: "Blood count",
                                                   recordedOn: PartialDate(parsing: "2025-03-15"), diagnosisIDs: [anaemia.id]),
                                            file: bloodSource)
            let letter = try store.addRecord(Record(patientID: patient.id, kind: .letter, title: "Old referral letter"),
                                             file: letterSource)
            let visit = try store.addAppointment(Appointment(patientID: patient.id, providerID: surgeon.id,
                                                             startsAt: OffsetDateTime(parsing: "2026-11-02T09:30:00-05:00"),
                                                             durationMinutes: 60, location: "Building B, floor 3",
                                                             purpose: .secondOpinion, diagnosisID: cancer.id,
                                                             status: .completed, insurance: .approved,
                                                             insuranceReference: "PA-2026-0042"))
            let bloodVisit = try store.addAppointment(Appointment(patientID: patient.id, providerID: oncologist.id,
                                                                  startsAt: OffsetDateTime(parsing: "2025-03-14T08:00:00+01:00"),
                                                                  purpose: .test, diagnosisID: anaemia.id))
            return (patient, oncologist, centre, surgeon, recipient, cancer, anaemia, first, secondOpinion, anaemiaOpinion,
                    pathology, imaging, hostile, slides, blood, letter, visit, bloodVisit)
        }
    }
}
