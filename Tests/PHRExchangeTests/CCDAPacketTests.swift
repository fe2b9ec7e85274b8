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
        try validateFHIR(path("packet"))
        let types = Set(resources(try bundle(in: path("packet"))).compactMap { $0["resourceType"] as? String })
        XCTAssertTrue(types.isSuperset(of: ["Condition", "MedicationStatement", "AllergyIntolerance", "Observation",
                                            "Procedure", "Immunization", "Appointment", "DocumentReference"]), "\(types)")
    }
}
