import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// The clinical content of a packet survives export → import into a new store → export: the
/// second packet's Observations, MedicationStatements, AllergyIntolerances, Procedures,
/// Immunizations and FamilyMemberHistories are the first's, and the rows read back are the originals field for field (ids,
/// times and the private notes aside: notes are never exported; source notes are). Importing the packet into the
/// store it came from changes nothing.
final class ClinicalRoundTripTests: PacketTestCase {
    static let clinicalTypes: Set<String> = ["Observation", "MedicationStatement", "AllergyIntolerance", "Procedure", "Immunization",
                                             "FamilyMemberHistory"]

    /// A row of every clinical kind for the sample patient, every field set somewhere.
    private func addEveryClinicalField() throws {
        let patientID = sample.patient.id
        let cancer = sample.breastCancer.id
        func date(_ text: String) throws -> DateOrTime { try DateOrTime(parsing: text) }
        func day(_ text: String) throws -> PartialDate { try PartialDate(parsing: text) }
        try store.write("every clinical field") {
            // Reported high, as its value and range also say: it stays reported, not worked out.
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "CA 15-3", category: .tumourMarker, code: "6875-9", codeSystem: .loinc,
                value: .quantity(42, unit: "U/mL", comparator: nil), range: ReferenceRange(low: 0, high: 30),
                interpretation: .high, observedAt: date("2026-11-20T08:15:00-05:00"), status: .final,
                providerID: sample.oncologist.id, diagnosisID: cancer, recordID: sample.bloodCount.id, notes: "private",
                sourceNotes: "Drawn before breakfast."))
            // Filed as laboratory though its code is a tumour marker's: phr's own category wins.
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "CEA", category: .laboratory, code: "2039-6", codeSystem: .loinc,
                value: .quantity(0.5, unit: "ng/mL", comparator: .lessThan), range: ReferenceRange(high: 5, text: "<5 ng/mL"),
                observedAt: date("2026-11-20"), status: .amended, diagnosisID: cancer))
            // Low only by its range: phr works that out, on both sides.
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Hemoglobin", code: "718-7", codeSystem: .loinc,
                value: .quantity(10.9, unit: "g/dL", comparator: nil), range: ReferenceRange(low: 12, high: 16),
                observedAt: date("2026-11-18"), diagnosisID: sample.anaemia.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Potassium", code: "LOCAL-K", codeSystem: .other,
                value: .quantity(6.9, unit: "mmol/L", comparator: .greaterOrEqual), range: ReferenceRange(low: 3.5, high: 5.1),
                interpretation: .critical, observedAt: date("2026-11-19"), status: .preliminary))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Estrogen receptor", category: .biomarker, code: "16112-5", codeSystem: .loinc,
                value: .coded(code: "10828004", system: .snomedCT, display: "Positive"), detail: "95% of cells, Allred 8/8",
                range: ReferenceRange(text: "negative"), interpretation: .abnormal, observedAt: date("2026-10-02"),
                providerID: sample.oncologist.id, diagnosisID: cancer, recordID: sample.pathology.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "HER2", category: .biomarker, value: .coded(code: "H2-1", system: .other, display: nil),
                detail: "IHC 1+", observedAt: date("2026-10-02"), diagnosisID: cancer, recordID: sample.pathology.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "pT category", category: .staging, code: "21899-0", codeSystem: .loinc,
                value: .text("pT2"), detail: "pathological", observedAt: date("2026-10-02"), diagnosisID: cancer))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "ECOG", category: .performanceStatus, code: "89247-1", codeSystem: .loinc,
                value: .coded(code: "LA9622-7", system: .loinc, display: "Fully active"), observedAt: date("2026-11-02"),
                diagnosisID: cancer))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Mammogram finding", category: .imaging, value: .text("BI-RADS 5"),
                observedAt: date("2026-09-20"), recordID: sample.imaging.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Tobacco use", category: .socialHistory, code: "72166-2", codeSystem: .loinc,
                value: .text("never"), observedAt: date("2026-09")))
            try store.addResult(ClinicalResult(patientID: patientID, name: "Genetic counselling referral", category: .other,
                                               value: .text("done"), status: .unknown))
            let pressure = try store.addResult(ClinicalResult(
                patientID: patientID, name: "Blood pressure", category: .vitalSigns, code: "85354-9", codeSystem: .loinc,
                observedAt: date("2026-11-02T09:40:00-05:00"), providerID: sample.surgeon.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Systolic", category: .vitalSigns, code: "8480-6", codeSystem: .loinc,
                value: .quantity(148, unit: "mm[Hg]", comparator: nil), range: ReferenceRange(low: 90, high: 140),
                observedAt: date("2026-11-02T09:40:00-05:00"), parentID: pressure.id))
            try store.addResult(ClinicalResult(
                patientID: patientID, name: "Diastolic", category: .vitalSigns, code: "8462-4", codeSystem: .loinc,
                value: .quantity(82, unit: "mm[Hg]", comparator: nil), interpretation: .normal,
                observedAt: date("2026-11-02T09:40:00-05:00"), parentID: pressure.id))

            try store.addMedication(Medication(
                patientID: patientID, name: "Letrozole 2.5 mg tablet", code: "200064", codeSystem: .rxnorm, dose: "2.5 mg",
                route: "by mouth", frequency: "once daily", instructions: "Take in the morning, with or without food",
                startedOn: day("2026-11-01"), status: .active, providerID: sample.oncologist.id, diagnosisID: cancer,
                notes: "private", sourceNotes: "Dispensed as 30 tablets."))
            try store.addMedication(Medication(
                patientID: patientID, name: "Ferrous sulfate 325 mg", code: "B03AA07", codeSystem: .atc, dose: "325 mg",
                frequency: "twice daily", startedOn: day("2025-03-20"), endedOn: day("2025-09"), status: .completed,
                diagnosisID: sample.anaemia.id))
            try store.addMedication(Medication(patientID: patientID, name: "Paracetamol 500 mg", dose: "1-2 tablets",
                                               frequency: "as needed", status: .active))
            try store.addMedication(Medication(patientID: patientID, name: "Vitamin D3 1000 IU", code: "VD3", codeSystem: .other,
                                               instructions: "one capsule daily", startedOn: day("2024"), status: .onHold))
            try store.addMedication(Medication(patientID: patientID, name: "Tamoxifen", route: "oral", status: .planned,
                                               providerID: sample.surgeon.id, diagnosisID: cancer))
            try store.addMedication(Medication(patientID: patientID, name: "Ondansetron", dose: "8 mg", status: .stopped,
                                               diagnosisID: cancer))

            try store.addAllergy(Allergy(
                patientID: patientID, substance: "Penicillin", substanceCode: "7980", substanceCodeSystem: .rxnorm,
                kind: .allergy, category: .medication, criticality: .high, reaction: "hives; wheezing", severity: .moderate,
                status: .active, recordedOn: day("2020-05-01"), notes: "private",
                sourceNotes: "Onset: childhood\n\nLast reaction: 2020-05-01"))
            // The reaction as typed, without a space after the semicolon.
            try store.addAllergy(Allergy(
                patientID: patientID, substance: "Lactose", substanceCode: "47703008", substanceCodeSystem: .snomedCT,
                kind: .intolerance, category: .food, criticality: .low, reaction: "bloating;cramps", severity: .mild,
                status: .inactive, recordedOn: day("2019")))
            try store.addAllergy(Allergy(
                patientID: patientID, substance: "Latex", substanceCode: "2LQ0UUW8IN", substanceCodeSystem: .unii,
                category: .environment, criticality: .unableToAssess, status: .resolved))

            try store.addProcedure(Procedure(
                patientID: patientID, name: "Core needle biopsy of breast", code: "44578009", codeSystem: .snomedCT,
                category: .biopsy, performedOn: date("2026-10-02T10:00:00-04:00"), providerID: sample.oncologist.id,
                bodySite: "Left breast", diagnosisID: cancer, outcome: "Invasive ductal carcinoma", status: .completed,
                notes: "private", sourceNotes: "Intent: Curative"))
            try store.addProcedure(Procedure(
                patientID: patientID, name: "Whole breast radiotherapy", code: "77402", codeSystem: .cpt,
                category: .radiationTherapy, performedOn: date("2026-12-01"), performedUntil: date("2026-12-20"),
                providerID: sample.cancerCentre.id, bodySite: "Left breast", diagnosisID: cancer, status: .inProgress))
            try store.addProcedure(Procedure(patientID: patientID, name: "Lumpectomy", code: "0HBU0ZZ", codeSystem: .icd10pcs,
                                             category: .surgery, performedOn: date("2026-11-15"), diagnosisID: cancer,
                                             outcome: "Clear margins"))
            try store.addProcedure(Procedure(patientID: patientID, name: "Chemotherapy cycle 1", code: "CHEMO-1",
                                             codeSystem: .other, category: .systemicTherapy, performedOn: date("2026-12"),
                                             status: .preparation))
            try store.addProcedure(Procedure(patientID: patientID, name: "Colonoscopy", performedOn: date("2024-06")))

            try store.addImmunization(Immunization(patientID: patientID, vaccine: "Influenza, seasonal", code: "141",
                                                   codeSystem: .cvx, givenOn: date("2026-10-15T14:00:00-04:00"),
                                                   notes: "private", sourceNotes: "Dose 1 of 1"))
            try store.addImmunization(Immunization(patientID: patientID, vaccine: "COVID-19 mRNA vaccine", code: "1119349007",
                                                   codeSystem: .snomedCT, givenOn: date("2024-09"), status: .notDone))
            try store.addImmunization(Immunization(patientID: patientID, vaccine: "Tetanus", code: "TD-LOCAL", codeSystem: .other))

            // Every age form (years, a range, words) and every deceased form, a relationship
            // without a code, each code system.
            try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "Mother", condition: "Breast cancer", relationshipCode: "MTH",
                relativeSex: .female, code: "254837009", codeSystem: .snomedCT, onsetAge: "45", deceased: .yes,
                deceasedAge: "62", recordedOn: day("2026-09-14"), notes: "private", sourceNotes: "Tested BRCA1 positive"))
            try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "maternal aunt", condition: "Ovarian cancer", relationshipCode: "MAUNT",
                code: "C56", codeSystem: .icd10, onsetAge: "50-59", deceased: .yes, deceasedAge: "in her sixties",
                status: .partial, recordedOn: day("2026-09")))
            try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "Stiefvater", condition: "Prostate cancer", relativeSex: .male,
                code: "FH-7", codeSystem: .other, onsetAge: "in his fifties", deceased: .no))
            try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "paternal grandmother", condition: "Colon cancer", relationshipCode: "PGRMTH",
                onsetAge: "070", deceased: .unknown, status: .healthUnknown))
            try store.addFamilyHistory(FamilyHistory(patientID: patientID, relationship: "brother", condition: "Melanoma",
                                                     relationshipCode: "BRO", deceased: .yes))
        }
    }

    // MARK: Comparing

    /// The packet's clinical resources by fullUrl, exactly as written.
    private func clinicalResources(_ packet: String) throws -> [String: NSDictionary] {
        var found: [String: NSDictionary] = [:]
        for entry in try bundle(in: packet)["entry"] as? [[String: Any]] ?? [] {
            guard let resource = entry["resource"] as? [String: Any], let fullUrl = entry["fullUrl"] as? String,
                  let type = resource["resourceType"] as? String, Self.clinicalTypes.contains(type) else { continue }
            found[fullUrl] = resource as NSDictionary
        }
        return found
    }

    /// A row with what differs from store to store taken out: its id, times and patient id, its
    /// private notes (never exported), and its links as the UUID (a provider: the name) of the row
    /// they name.
    private struct LinkedRow<Row: Hashable>: Hashable {
        let row: Row
        let links: [String?]
    }

    private func provider(_ id: Int64?, _ store: HealthStore) throws -> String? {
        try id.flatMap { try store.provider(id: $0)?.name }
    }

    private func diagnosis(_ id: Int64?, _ store: HealthStore) throws -> String? {
        try id.flatMap { try store.diagnosis(id: $0)?.uuid }
    }

    private func results(_ store: HealthStore, patientID: Int64) throws -> [String: LinkedRow<ClinicalResult>] {
        var rows: [String: LinkedRow<ClinicalResult>] = [:]
        for var result in try store.results(patientID: patientID) {
            let links = [try provider(result.providerID, store), try diagnosis(result.diagnosisID, store),
                         try result.recordID.flatMap { try store.record(id: $0)?.uuid },
                         try result.parentID.flatMap { try store.result(id: $0)?.uuid }]
            (result.id, result.patientID, result.createdAt, result.updatedAt, result.notes) = (0, 0, "", "", nil)
            (result.providerID, result.diagnosisID, result.recordID, result.parentID) = (nil, nil, nil, nil)
            rows[result.uuid] = LinkedRow(row: result, links: links)
        }
        return rows
    }

    private func medications(_ store: HealthStore, patientID: Int64) throws -> [String: LinkedRow<Medication>] {
        var rows: [String: LinkedRow<Medication>] = [:]
        for var medication in try store.medications(patientID: patientID) {
            let links = [try provider(medication.providerID, store), try diagnosis(medication.diagnosisID, store)]
            (medication.id, medication.patientID, medication.createdAt, medication.updatedAt, medication.notes) = (0, 0, "", "", nil)
            (medication.providerID, medication.diagnosisID) = (nil, nil)
            rows[medication.uuid] = LinkedRow(row: medication, links: links)
        }
        return rows
    }

    private func allergies(_ store: HealthStore, patientID: Int64) throws -> [String: Allergy] {
        var rows: [String: Allergy] = [:]
        for var allergy in try store.allergies(patientID: patientID) {
            (allergy.id, allergy.patientID, allergy.createdAt, allergy.updatedAt, allergy.notes) = (0, 0, "", "", nil)
            rows[allergy.uuid] = allergy
        }
        return rows
    }

    private func procedures(_ store: HealthStore, patientID: Int64) throws -> [String: LinkedRow<Procedure>] {
        var rows: [String: LinkedRow<Procedure>] = [:]
        for var procedure in try store.procedures(patientID: patientID) {
            let links = [try provider(procedure.providerID, store), try diagnosis(procedure.diagnosisID, store)]
            (procedure.id, procedure.patientID, procedure.createdAt, procedure.updatedAt, procedure.notes) = (0, 0, "", "", nil)
            (procedure.providerID, procedure.diagnosisID) = (nil, nil)
            rows[procedure.uuid] = LinkedRow(row: procedure, links: links)
        }
        return rows
    }

    private func immunizations(_ store: HealthStore, patientID: Int64) throws -> [String: Immunization] {
        var rows: [String: Immunization] = [:]
        for var immunization in try store.immunizations(patientID: patientID) {
            (immunization.id, immunization.patientID, immunization.createdAt, immunization.updatedAt, immunization.notes)
                = (0, 0, "", "", nil)
            rows[immunization.uuid] = immunization
        }
        return rows
    }

    private func familyHistory(_ store: HealthStore, patientID: Int64) throws -> [String: FamilyHistory] {
        var rows: [String: FamilyHistory] = [:]
        for var entry in try store.familyHistory(patientID: patientID) {
            (entry.id, entry.patientID, entry.createdAt, entry.updatedAt, entry.notes) = (0, 0, "", "", nil)
            rows[entry.uuid] = entry
        }
        return rows
    }

    /// Each row of `original` has its equal in `copy`, and no more rows.
    private func assertSameRows<Row: Equatable>(_ copy: [String: Row], _ original: [String: Row], _ kind: String,
                                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(copy.keys), Set(original.keys), "the same \(kind) by UUID", file: file, line: line)
        for (uuid, row) in original {
            XCTAssertEqual(copy[uuid], row, "\(kind) \(uuid) reads back field for field", file: file, line: line)
        }
    }

    private func assertSameClinicalRows(_ copy: HealthStore, _ copyPatientID: Int64, _ original: HealthStore,
                                        _ originalPatientID: Int64, file: StaticString = #filePath, line: UInt = #line) throws {
        assertSameRows(try results(copy, patientID: copyPatientID), try results(original, patientID: originalPatientID),
                       "result", file: file, line: line)
        assertSameRows(try medications(copy, patientID: copyPatientID), try medications(original, patientID: originalPatientID),
                       "medication", file: file, line: line)
        assertSameRows(try allergies(copy, patientID: copyPatientID), try allergies(original, patientID: originalPatientID),
                       "allergy", file: file, line: line)
        assertSameRows(try procedures(copy, patientID: copyPatientID), try procedures(original, patientID: originalPatientID),
                       "procedure", file: file, line: line)
        assertSameRows(try immunizations(copy, patientID: copyPatientID),
                       try immunizations(original, patientID: originalPatientID), "immunization", file: file, line: line)
        assertSameRows(try familyHistory(copy, patientID: copyPatientID),
                       try familyHistory(original, patientID: originalPatientID), "family history", file: file, line: line)
    }

    private func assertSameClinicalResources(_ second: String, _ first: String,
                                             file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try clinicalResources(first)
        let after = try clinicalResources(second)
        XCTAssertEqual(Set(after.keys), Set(before.keys), "the same clinical resources", file: file, line: line)
        for (fullUrl, resource) in before {
            XCTAssertEqual(after[fullUrl], resource, "\(resource["resourceType"] ?? "") \(fullUrl) is written the same",
                           file: file, line: line)
        }
    }

    private func exportAll(_ store: HealthStore, patientID: Int64, to name: String) throws {
        _ = try PacketWriter(store: store, now: Self.exportedAt, timeZone: Self.exportZone)
            .write(PacketRequest(scope: ExportScope(patientID: patientID), destination: path(name)))
    }

    // MARK: Tests

    func testEveryClinicalFieldSurvivesExportImportExport() throws {
        try addEveryClinicalField()
        try export("first")
        try validateFHIR(path("first"))
        let first = try clinicalResources(path("first"))
        XCTAssertEqual(first.count, 14 + 6 + 3 + 5 + 3 + 5, "every clinical row is in the packet")

        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("first")])
        assertCountsAddUp(report)
        XCTAssertEqual(report.unresolvedCount, 0, "\(report.unresolved)")
        let patient = try XCTUnwrap(try imported.patients().first)
        try assertSameClinicalRows(imported, patient.id, store, sample.patient.id)

        try exportAll(imported, patientID: patient.id, to: "second")
        try assertSameClinicalResources(path("second"), path("first"))
    }

    func testNoKnownAllergiesSurvivesExportImportExport() throws {
        let patient = try store.write("patient") {
            let patient = try store.addPatient(Patient(name: "Bo Example"))
            try store.addAllergy(.noneKnown(patientID: patient.id, recordedOn: try PartialDate(parsing: "2026-11-02")))
            return patient
        }
        try exportAll(store, patientID: patient.id, to: "first")
        XCTAssertEqual(resources(try bundle(in: path("first")), type: "AllergyIntolerance").count, 1)

        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("first")])
        assertCountsAddUp(report)
        let copy = try XCTUnwrap(try imported.patients().first)
        assertSameRows(try allergies(imported, patientID: copy.id), try allergies(store, patientID: patient.id), "allergy")
        XCTAssertEqual(try imported.allergyStatus(patientID: copy.id), try store.allergyStatus(patientID: patient.id))

        try exportAll(imported, patientID: copy.id, to: "second")
        try assertSameClinicalResources(path("second"), path("first"))
    }

    /// "No known drug allergies" beside a food allergy: both are in the packet (the statement as
    /// SNOMED CT's "no known drug allergy", with its category), and come back as they were.
    func testNoKnownDrugAllergiesBesideAFoodAllergySurvivesExportImportExport() throws {
        let patient = try store.write("patient") {
            let patient = try store.addPatient(Patient(name: "Bo Example"))
            try store.addAllergy(.noneKnown(patientID: patient.id, category: .medication,
                                            recordedOn: try PartialDate(parsing: "2026-11-02")))
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Peanuts", category: .food, reaction: "swelling"))
            return patient
        }
        try exportAll(store, patientID: patient.id, to: "first")
        let exported = resources(try bundle(in: path("first")), type: "AllergyIntolerance")
        XCTAssertEqual(exported.count, 2)
        let statement = try XCTUnwrap(exported.first { ($0["code"] as? [String: Any])?["text"] as? String == "No known drug allergies" })
        let coding = ((statement["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
        XCTAssertEqual(coding?["code"] as? String, "409137002")
        XCTAssertEqual(statement["category"] as? [String], ["medication"])

        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("first")])
        assertCountsAddUp(report)
        let copy = try XCTUnwrap(try imported.patients().first)
        assertSameRows(try allergies(imported, patientID: copy.id), try allergies(store, patientID: patient.id), "allergy")
        guard case .allergies(let known) = try imported.allergyStatus(patientID: copy.id) else { return XCTFail("not the allergies") }
        XCTAssertEqual(known.map(\.displayName), ["Peanuts", "No known drug allergies"])

        try exportAll(imported, patientID: copy.id, to: "second")
        try assertSameClinicalResources(path("second"), path("first"))
    }

    func testImportingTheClinicalPacketIntoItsOwnStoreChangesNothing() throws {
        try addEveryClinicalField()
        try export("packet")
        let rowsBefore = try (results(store, patientID: sample.patient.id), medications(store, patientID: sample.patient.id),
                              allergies(store, patientID: sample.patient.id), procedures(store, patientID: sample.patient.id),
                              immunizations(store, patientID: sample.patient.id))
        let history = try store.database.scalar("SELECT count(*) FROM history", as: Int?.self)

        let report = try FHIRImporter(store: store).run([path("packet")])
        assertCountsAddUp(report)
        XCTAssertEqual(report.totals.added, 0, "every resource matches its row by UUID")
        XCTAssertEqual(report.totals.updated, 0, "and says nothing new about it")
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM history", as: Int?.self), history)
        assertSameRows(try results(store, patientID: sample.patient.id), rowsBefore.0, "result")
        assertSameRows(try medications(store, patientID: sample.patient.id), rowsBefore.1, "medication")
        assertSameRows(try allergies(store, patientID: sample.patient.id), rowsBefore.2, "allergy")
        assertSameRows(try procedures(store, patientID: sample.patient.id), rowsBefore.3, "procedure")
        assertSameRows(try immunizations(store, patientID: sample.patient.id), rowsBefore.4, "immunization")
    }
}
