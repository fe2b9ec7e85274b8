import Foundation
import PHRStore
import XCTest

final class ProviderTests: TemporaryStoreTestCase {
    func testAddedProviderReadsBackWithEveryField() throws {
        let store = try openStore()
        let added = try store.write("test") {
            try store.addProvider(Provider(name: "Dr. Grey", kind: .person, specialty: "Oncology",
                                           organization: "General Hospital", phone: "+1 555 0100",
                                           email: "grey@example.org", address: "1 Main St", identifier: "1234567893",
                                           notes: " "))
        }
        XCTAssertEqual(added.name, "Dr. Grey")
        XCTAssertEqual(added.kind, .person)
        XCTAssertEqual(added.specialty, "Oncology")
        XCTAssertEqual(added.organization, "General Hospital")
        XCTAssertEqual(added.phone, "+1 555 0100")
        XCTAssertEqual(added.email, "grey@example.org")
        XCTAssertEqual(added.address, "1 Main St")
        XCTAssertEqual(added.identifier, "1234567893")
        XCTAssertNil(added.notes)
        XCTAssertEqual(try store.provider(id: added.id), added)
        XCTAssertEqual(try store.provider(uuid: added.uuid), added)
    }

    func testUpdateReplacesTheProvidersFields() throws {
        let store = try openStore()
        var provider = try store.write("test") { try store.addProvider(Provider(name: "Lab", specialty: "x")) }
        provider.kind = .organization
        provider.name = "City Lab"
        provider.specialty = nil
        let updated = try store.write("test") { try store.updateProvider(provider) }
        XCTAssertEqual(updated.kind, .organization)
        XCTAssertEqual(updated.name, "City Lab")
        XCTAssertNil(updated.specialty)
        XCTAssertEqual(try store.provider(id: provider.id), updated)
    }

    func testProvidersAreListedByNameIgnoringCase() throws {
        let store = try openStore()
        try store.write("test") {
            for name in ["dr. b", "Dr. A", "Dr. C"] { try store.addProvider(Provider(name: name)) }
        }
        XCTAssertEqual(try store.providers().map(\.name), ["Dr. A", "dr. b", "Dr. C"])
    }

    func testUnreferencedProviderIsRemoved() throws {
        let store = try openStore()
        let provider = try store.write("test") { try store.addProvider(Provider(name: "Dr. Gone")) }
        try store.write("test") { try store.removeProvider(id: provider.id) }
        XCTAssertNil(try store.provider(id: provider.id))
        XCTAssertEqual(try store.providers(), [])
    }

    func testRemovingAReferencedProviderIsRefusedAndTheRowStays() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        _ = try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Melanoma", providerID: provider.id))
        }
        XCTAssertThrowsError(try store.write("test") { try store.removeProvider(id: provider.id) }) { error in
            guard case StoreError.inUse(entity: "provider", id: provider.id, _) = error else {
                return XCTFail("expected inUse, got \(error)")
            }
        }
        XCTAssertEqual(try store.provider(id: provider.id), provider)
    }

    func testProviderReferencedOnlyByAnAppointmentCannotBeRemoved() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        _ = try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                 startsAt: try moment("2026-12-03T09:30:00-05:00")))
        }
        XCTAssertThrowsError(try store.write("test") { try store.removeProvider(id: provider.id) }) { error in
            guard case StoreError.inUse = error else { return XCTFail("\(error)") }
        }
        XCTAssertNotNil(try store.provider(id: provider.id))
    }

    func testBlankProviderNameIsRefused() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") { try store.addProvider(Provider(name: "")) }) { error in
            guard case StoreError.invalidField(field: "name", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("providers"), 0)
    }

    func testUnknownProviderIsNotFound() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") { try store.removeProvider(id: 7) }) { error in
            guard case StoreError.notFound(entity: "provider", id: 7) = error else { return XCTFail("\(error)") }
        }
        XCTAssertNil(try store.provider(id: 7))
    }
}
