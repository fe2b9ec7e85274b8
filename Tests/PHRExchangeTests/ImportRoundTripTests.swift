import Foundation
@testable import PHRStore
import XCTest
@testable import PHRExchange

/// `phr export`, then `phr import` into an empty store, then `phr export` again gives the same
/// entities, fields and file hashes.
final class ImportRoundTripTests: PacketTestCase {
    /// A packet's FHIR resources by fullUrl, without what an export makes up anew each time: the
    /// bundle's and Composition's identity and times. (A record's DocumentReference.date, when its
    /// reference was made, is kept through an import.)
    private func comparableEntries(_ packet: String) throws -> [String: NSDictionary] {
        let bundle = try bundle(in: packet)
        var entries: [String: NSDictionary] = [:]
        for entry in bundle["entry"] as? [[String: Any]] ?? [] {
            guard let resource = entry["resource"] as? [String: Any], let fullUrl = entry["fullUrl"] as? String else {
                XCTFail("every entry has a resource and a fullUrl")
                continue
            }
            if resource["resourceType"] as? String == "Composition" {
                entries["Composition"] = ["sections": (resource["section"] as? [[String: Any]] ?? []).map {
                    ($0["entry"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }.sorted()
                }] as NSDictionary
                continue
            }
            entries[fullUrl] = resource as NSDictionary
        }
        return entries
    }

    /// `records/…` lines of SHA256SUMS: each file's hash and safe name.
    private func recordChecksums(_ packet: String) throws -> [String] {
        try String(contentsOfFile: packet + "/SHA256SUMS", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("records/") }.map(String.init).sorted()
    }

    /// The patient's contact details and record numbers, a provider nothing refers to yet, and an
    /// organization that is part of another.
    private func addIdentityAndUnlinkedProviders() throws {
        try store.write("identity") {
            var patient = try store.requirePatient(sample.patient.id)
            patient.phone = "+1 555 0123"
            patient.email = "ada@example.org"
            patient.address = "12 Elm Street, Springfield"
            patient.recordNumbers = [RecordNumber(organization: "City Hospital", value: "CH-0042"),
                                     RecordNumber(organization: "Comprehensive Cancer Centre", value: "CCC 7781")]
            try store.updatePatient(patient)
            try store.addProvider(Provider(name: "Dr. Noted Later", specialty: "Clinical genetics", phone: "+1 555 0199"))
            var centre = try store.requireProvider(sample.cancerCentre.id)
            centre.organization = "Springfield Health System"
            try store.updateProvider(centre)
        }
    }

    func testExportImportExportGivesTheSameEntitiesFieldsAndFileHashes() throws {
        try addIdentityAndUnlinkedProviders()
        try export("first")
        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("first")])
        assertCountsAddUp(report)
        XCTAssertEqual(report.unresolvedCount, 0, "\(report.unresolved)")
        let patient = try XCTUnwrap(try imported.patients().first)
        XCTAssertEqual(patient.uuid, sample.patient.uuid)
        _ = try PacketWriter(store: imported).write(PacketRequest(scope: ExportScope(patientID: patient.id),
                                                              destination: path("second")))

        let first = try comparableEntries(path("first"))
        let second = try comparableEntries(path("second"))
        XCTAssertEqual(Set(first.keys), Set(second.keys), "the same resources")
        XCTAssertGreaterThan(first.count, 15, "the sample case exports diagnoses, opinions, visits, records, providers")
        for (fullUrl, resource) in first {
            XCTAssertEqual(second[fullUrl], resource, "\(fullUrl) \(resource["resourceType"] ?? "") has the same fields")
        }
        XCTAssertEqual(try recordChecksums(path("second")), try recordChecksums(path("first")))
        XCTAssertFalse(try recordChecksums(path("first")).isEmpty)

        // The same entities, row for row, in both stores.
        for table in ["patients", "diagnoses", "opinions", "appointments", "records", "record_diagnoses"] {
            let original: Int? = try store.database.scalar("SELECT count(*) FROM \(table)")
            let copy: Int? = try imported.database.scalar("SELECT count(*) FROM \(table)")
            XCTAssertEqual(copy, original, table)
        }
        let exportedProviders = try resources(bundle(in: path("first")), type: "PractitionerRole").count
        let importedProviders: Int? = try imported.database.scalar("SELECT count(*) FROM providers")
        XCTAssertEqual(importedProviders, exportedProviders,
                       "one provider per PractitionerRole; workplaces stay names on their practitioners")
    }

    func testRoundTripKeepsRecordNumbersContactUnlinkedProvidersPartOfAndDocumentDates() throws {
        try addIdentityAndUnlinkedProviders()
        try export("first")
        let imported = try HealthStore(path: path("imported.sqlite"))
        _ = try FHIRImporter(store: imported).run([path("first")])
        let patient = try XCTUnwrap(try imported.patients().first)
        XCTAssertEqual(patient.recordNumbers, [RecordNumber(organization: "City Hospital", value: "CH-0042"),
                                               RecordNumber(organization: "Comprehensive Cancer Centre", value: "CCC 7781")])
        XCTAssertEqual(patient.phone, "+1 555 0123")
        XCTAssertEqual(patient.email, "ada@example.org")
        XCTAssertEqual(patient.address, "12 Elm Street, Springfield")
        let providers = try imported.providers()
        XCTAssertEqual(providers.first { $0.name == "Dr. Noted Later" }?.specialty, "Clinical genetics",
                       "a provider nothing refers to comes through")
        XCTAssertEqual(providers.first { $0.name == "Comprehensive Cancer Centre" }?.organization, "Springfield Health System",
                       "Organization.partOf comes back")
        let originalDates = try resources(bundle(in: path("first")), type: "DocumentReference").compactMap { $0["date"] as? String }
        _ = try PacketWriter(store: imported).write(PacketRequest(scope: ExportScope(patientID: patient.id), destination: path("second")))
        let againDates = try resources(bundle(in: path("second")), type: "DocumentReference").compactMap { $0["date"] as? String }
        XCTAssertEqual(Set(againDates), Set(originalDates), "DocumentReference.date is not the import's time")
        XCTAssertEqual(originalDates.count, 6)
    }

    func testImportingAPacketIntoTheStoreItCameFromChangesNothing() throws {
        try export("packet")
        let before = try store.database.scalar("SELECT count(*) FROM history", as: Int?.self)
        let report = try FHIRImporter(store: store).run([path("packet")])
        assertCountsAddUp(report)
        XCTAssertEqual(report.totals.added, 0, "every resource matches its row by UUID")
        XCTAssertEqual(report.totals.updated, 0)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM history", as: Int?.self), before)
    }

    func testAZipPacketImportsLikeItsFolder() throws {
        try export("packet.zip", zip: true)
        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("packet.zip")])
        assertCountsAddUp(report)
        XCTAssertEqual(report.unresolvedCount, 0)
        let files: Int? = try imported.database.scalar("SELECT count(*) FROM records WHERE file_id IS NOT NULL")
        let original: Int? = try store.database.scalar("SELECT count(*) FROM records WHERE file_id IS NOT NULL")
        XCTAssertEqual(files, original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".phr-import") }
        XCTAssertEqual(leftovers, [], "the unpacked zip is removed")
    }

    func testAZipThatIsNoPacketIsRefused() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path("broken.zip"), contents: Data("not a zip at all".utf8)))
        let imported = try HealthStore(path: path("imported.sqlite"))
        XCTAssertThrowsError(try FHIRImporter(store: imported).run([path("broken.zip")])) { error in
            XCTAssertTrue("\(error)".contains("is not a zip phr can read"), "\(error)")
        }
    }
}
