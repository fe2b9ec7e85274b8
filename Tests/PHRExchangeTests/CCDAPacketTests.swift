import Foundation
import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// A C-CDA document imported into a store exports as a packet whose `fhir.json` validates.
final class CCDAPacketTests: PacketTestCase {
    func testImportedCCDAExportsAsAValidPacket() throws {
        let document = path("ccd.xml")
        try Data(CCDASample.document().utf8).write(to: URL(fileURLWithPath: document))
        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([document])
        assertCountsAddUp(report)
        let patient = try XCTUnwrap(try imported.patients().first)
        _ = try PacketWriter(store: imported, now: Self.exportedAt, timeZone: Self.exportZone)
            .write(PacketRequest(scope: ExportScope(patientID: patient.id), destination: path("packet")))
        let python = try RequiredTool.find([Self.repositoryRoot + "/.venv-fhir/bin/python"],
                                           install: "python3 -m venv .venv-fhir && .venv-fhir/bin/pip install -r scripts/requirements-fhir.txt")
        let result = try run(python, [Self.repositoryRoot + "/scripts/validate_fhir.py", path("packet") + "/fhir.json"])
        XCTAssertEqual(result.status, 0, "fhir.json does not validate:\n\(result.error)")
        let types = Set(resources(try bundle(in: path("packet"))).compactMap { $0["resourceType"] as? String })
        XCTAssertTrue(types.isSuperset(of: ["Condition", "MedicationStatement", "AllergyIntolerance", "Observation",
                                            "Procedure", "Immunization", "Appointment", "DocumentReference"]), "\(types)")
    }
}
