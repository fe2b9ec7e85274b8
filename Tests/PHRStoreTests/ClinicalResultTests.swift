import Foundation
@testable import PHRStore
import XCTest

final class ClinicalResultTests: TemporaryStoreTestCase {
    /// A patient, a provider, a diagnosis and a record for results to point at.
    private func fixture(_ store: HealthStore) throws -> (patient: Patient, provider: Provider, diagnosis: Diagnosis, record: Record) {
        let (patient, provider) = try store.addPatientAndProvider()
        return try store.write("fixture") {
            (patient, provider,
             try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Invasive ductal carcinoma")),
             try store.addRecord(Record(patientID: patient.id, kind: .labResult, title: "Tumour markers")))
        }
    }

    func testEveryFieldOfAResultReadsBack() throws {
        let store = try openStore()
        let (patient, provider, diagnosis, record) = try fixture(store)
        let panel = try store.write("test") { try store.addResult(ClinicalResult(patientID: patient.id, name: "Tumour marker panel")) }
        let added = try store.write("test") {
            try store.addResult(ClinicalResult(
                patientID: patient.id, name: "CA 15-3", category: .tumourMarker, code: "6875-9", codeSystem: .loinc,
                value: .quantity(42, unit: "U/mL", comparator: .lessThan), detail: "serum",
                range: ReferenceRange(low: 0, high: 30, text: "0-30 U/mL"), interpretation: .high,
                observedAt: .dateTime(try moment("2026-11-20T08:15:00+01:00")), status: .amended,
                providerID: provider.id, diagnosisID: diagnosis.id, recordID: record.id, parentID: panel.id,
                notes: "fasting"))
        }
        XCTAssertEqual(added.name, "CA 15-3")
        XCTAssertEqual(added.category, .tumourMarker)
        XCTAssertEqual(added.code, "6875-9")
        XCTAssertEqual(added.codeSystem, .loinc)
        XCTAssertEqual(added.value, .quantity(42, unit: "U/mL", comparator: .lessThan))
        XCTAssertEqual(added.detail, "serum")
        XCTAssertEqual(added.range, ReferenceRange(low: 0, high: 30, text: "0-30 U/mL"))
        XCTAssertEqual(added.interpretation, .high)
        XCTAssertEqual(added.observedAt?.description, "2026-11-20T08:15:00+01:00")
        XCTAssertEqual(added.status, .amended)
        XCTAssertEqual(added.providerID, provider.id)
        XCTAssertEqual(added.diagnosisID, diagnosis.id)
        XCTAssertEqual(added.recordID, record.id)
        XCTAssertEqual(added.parentID, panel.id)
        XCTAssertEqual(added.notes, "fasting")
        XCTAssertEqual(try store.result(uuid: added.uuid), added)
        XCTAssertEqual(try store.results(parentID: panel.id), [added])

        let coded = try store.write("test") {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "HER2", category: .biomarker,
                                               value: .coded(code: "260385009", system: .snomedCT, display: "Negative"),
                                               observedAt: .date(try day("2026-10"))))
        }
        XCTAssertEqual(try store.requireResult(coded.id).value, .coded(code: "260385009", system: .snomedCT, display: "Negative"))
        XCTAssertEqual(try store.requireResult(coded.id).observedAt, .date(try day("2026-10")))
    }

    func testPatientTypedValuesAndRangesAreParsed() throws {
        XCTAssertEqual(try ResultValue(parsing: "42", unit: "U/mL"), .quantity(42, unit: "U/mL", comparator: nil))
        XCTAssertEqual(try ResultValue(parsing: "<0.01", unit: "ng/mL"), .quantity(0.01, unit: "ng/mL", comparator: .lessThan))
        XCTAssertEqual(try ResultValue(parsing: "positive"), .text("positive"))
        XCTAssertEqual(try ResultValue(parsing: "1:160"), .text("1:160"))
        XCTAssertEqual(try ReferenceRange(parsing: "0-30"), ReferenceRange(low: 0, high: 30))
        XCTAssertEqual(try ReferenceRange(parsing: "3.5 to 5.1"), ReferenceRange(low: 3.5, high: 5.1))
        XCTAssertEqual(try ReferenceRange(parsing: "<35"), ReferenceRange(high: 35, text: "<35"))
        XCTAssertEqual(try ReferenceRange(parsing: "negative"), ReferenceRange(text: "negative"))
        XCTAssertThrowsError(try ReferenceRange(parsing: "30-0"))
    }

    func testANumericResultGivenANonNumericValueIsRefused() throws {
        XCTAssertThrowsError(try ResultValue(parsing: "high", unit: "U/mL")) { error in
            guard case StoreError.invalidField(field: "value", let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("not a number"), reason)
        }
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let before = try store.count("results")
        XCTAssertThrowsError(try store.write("test") {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", value: .quantity(.nan, unit: "U/mL", comparator: nil)))
        })
        XCTAssertEqual(try store.count("results"), before)
    }

    func testAnUnknownUnitIsKeptAsWritten() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "Odd marker",
                                               value: try ResultValue(parsing: "7", unit: "Einheiten/ml (Roche)")))
        }
        XCTAssertEqual(try store.requireResult(added.id).value?.unit, "Einheiten/ml (Roche)")
    }

    /// UCUM codes a portal sends read as people write them; the stored unit stays the code.
    func testAValueShowsItsUnitAsPeopleReadIt() throws {
        let shown = [("36.6", "Cel", "36.6 °C"), ("98.1", "[degF]", "98.1 °F"), ("128", "mm[Hg]", "128 mmHg"),
                     ("-1.48", "1", "-1.48"), ("26", "{pack-years}", "26 pack-years"), ("42", "U/mL", "42 U/mL"),
                     ("60", "mL/min/{1.73_m2}", "60 mL/min/{1.73_m2}"), ("7", "Einheiten/ml (Roche)", "7 Einheiten/ml (Roche)"),
                     ("4.58", "10*6/uL", "4.58 10^6/µL"), ("12", "ug/L", "12 µg/L"), ("3", "umol/L", "3 µmol/L"),
                     ("2.1", "u[IU]/mL", "2.1 µIU/mL"), ("40", "[IU]/L", "40 IU/L"), ("5", "U/L", "5 U/L"), ("9", "mU/mL", "9 mU/mL")]
        for (number, unit, text) in shown {
            let value = try ResultValue(parsing: number, unit: unit)
            XCTAssertEqual(value.displayText, text)
            XCTAssertEqual(value.unit, unit, "stored as written")
        }
    }

    /// `readable(unit:)` tells most units from their bytes alone (as written): for units made of
    /// the pieces that matter to it, in every order up to three pieces, it gives what reading them
    /// term by term gives, and the bytes alone decide for the common ones.
    func testUnitsReadByTheirBytesReadAsTermByTerm() {
        let pieces = ["g", "dL", "u", "uL", "U", "10*3", "10", "[IU]", "u[IU]", "/", ".", "{", "}", "{cells}", "Cel", "1",
                      " ", "µ", "mm[Hg]", "[degF]", "mol", "umol", "m", "%", "*", "eq", "x"]
        var units = Set(pieces)
        for first in pieces {
            for second in pieces {
                units.insert(first + second)
                for third in pieces { units.insert(first + second + third) }
            }
        }
        for unit in units.sorted() {
            XCTAssertEqual(ResultValue.readable(unit: unit), ResultValue.readableTermByTerm(unit: unit), unit)
            if ResultValue.isReadAsWritten(unit) {
                XCTAssertEqual(ResultValue.readableTermByTerm(unit: unit), unit, unit)
            }
        }
        for unit in ["g/dL", "mg/dL", "mmol/L", "%", "U/mL", "fL", "pg", "ng/mL", "mL/min", "kg", "cm", "/min"] {
            XCTAssertTrue(ResultValue.isReadAsWritten(unit), unit)
        }
    }

    /// A patient's results come undated first, then by their dates as written, then in the order
    /// they were added: the order the store once wrote as `substr(observed_at, 1, 10) IS NOT NULL,
    /// substr(observed_at, 1, 10), observed_at, id`, which SQLite could only give by sorting.
    func testResultsComeInTheOrderOfTheirWrittenDates() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let dates = ["2026-05-16T09:00:00+01:00", nil, "2026-05", "2026", "2026-05-16", "2026-05-16T08:00:00-05:00",
                     "2025-12-31", nil, "2026-05-16", "2026-05-15T23:00:00-05:00", "2026-05-01", "2026-05-16T08:00:00-05:00"]
        try store.write("add") {
            for (index, date) in dates.enumerated() {
                try store.addResult(ClinicalResult(patientID: patient.id, name: "Marker \(index)",
                                                   observedAt: try date.map { try DateOrTime(parsing: $0) }))
            }
        }
        let expected = try store.database.query("""
            SELECT id FROM results ORDER BY substr(observed_at, 1, 10) IS NOT NULL, substr(observed_at, 1, 10), observed_at, id
            """) { try $0.get(0, as: Int64.self) }
        XCTAssertEqual(try store.results(patientID: patient.id).map(\.id), expected)
        let since = try store.results(patientID: patient.id, ResultFilter(since: try PartialDate(parsing: "2026-05"))).map(\.id)
        XCTAssertGreaterThan(since.count, 5)
        XCTAssertEqual(since, expected.filter(Set(since).contains), "since May 2026, in the same order")
    }

    func testAResultLinkedToAMissingDiagnosisIsRefusedAndNothingIsWritten() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", diagnosisID: 999))
        }) { error in
            guard case StoreError.notFound(entity: "diagnosis", id: 999) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("results"), 0)
        XCTAssertEqual(try store.changes().count, 1, "only the fixture's change")
    }

    func testAResultLinkedToAnotherPatientsDiagnosisIsRefused() throws {
        let store = try openStore()
        let (patient, _, diagnosis, _) = try fixture(store)
        let other = try store.write("test") { try store.addPatient(Patient(name: "Other Person")) }
        XCTAssertThrowsError(try store.write("test") {
            try store.addResult(ClinicalResult(patientID: other.id, name: "CA 15-3", diagnosisID: diagnosis.id))
        })
        XCTAssertEqual(try store.results(patientID: patient.id).count + (try store.results(patientID: other.id).count), 0)
    }

    func testUndoOfAddEditAndRemoveRestoresTheWholeResult() throws {
        let store = try openStore()
        let (patient, provider, diagnosis, _) = try fixture(store)
        let added = try store.write("result add") {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", category: .tumourMarker,
                                               value: .quantity(42, unit: "U/mL", comparator: nil),
                                               range: ReferenceRange(low: 0, high: 30), observedAt: .date(try day("2026-11-20")),
                                               providerID: provider.id, diagnosisID: diagnosis.id, notes: "first"))
        }
        var edited = added
        edited.value = .text("not measurable")
        edited.range = nil
        edited.notes = nil
        _ = try store.write("result edit") { try store.updateResult(edited) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireResult(added.id), added)

        try store.write("result remove") { try store.removeResult(id: added.id) }
        XCTAssertNil(try store.result(id: added.id))
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireResult(added.id), added)

        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertNil(try store.result(id: added.id))
    }

    func testRemovingAPanelRemovesItsPartsAndUndoBringsThemBack() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let (panel, part) = try store.write("add") { () throws -> (ClinicalResult, ClinicalResult) in
            let panel = try store.addResult(ClinicalResult(patientID: patient.id, name: "Blood pressure", category: .vitalSigns))
            let part = try store.addResult(ClinicalResult(patientID: patient.id, name: "Systolic", category: .vitalSigns,
                                                          value: .quantity(128, unit: "mm[Hg]", comparator: nil), parentID: panel.id))
            return (panel, part)
        }
        try store.write("result remove") { try store.removeResult(id: panel.id) }
        XCTAssertEqual(try store.count("results"), 0)
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireResult(panel.id), panel)
        XCTAssertEqual(try store.requireResult(part.id), part)
    }

    func testATrendIsTheNamedResultsInDateOrderWithOutOfRangeValuesAssessed() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        try store.write("add") {
            for (date, value) in [("2026-11-20", 42.0), ("2026-09-01", 25.0), ("2026-10-15", 31.0)] {
                try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", category: .tumourMarker,
                                                   value: .quantity(value, unit: "U/mL", comparator: nil),
                                                   range: ReferenceRange(low: 0, high: 30), observedAt: .date(try day(date))))
            }
            try store.addResult(ClinicalResult(patientID: patient.id, name: "CEA", value: .quantity(2, unit: "ng/mL", comparator: nil),
                                               observedAt: .date(try day("2026-10-01"))))
        }
        let trend = try store.results(patientID: patient.id, ResultFilter(nameOrCode: "ca 15-3"))
        XCTAssertEqual(trend.compactMap { $0.value?.number }, [25, 31, 42])
        XCTAssertEqual(trend.map(\.assessedInterpretation), [nil, .high, .high])
        let recent = try store.results(patientID: patient.id, ResultFilter(nameOrCode: "CA 15-3", since: try day("2026-10")))
        XCTAssertEqual(recent.compactMap { $0.value?.number }, [31, 42])
    }
}

final class ClinicalSearchTests: TemporaryStoreTestCase {
    func testSearchFindsResultsMedicationsAllergiesProceduresAndImmunizations() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        try store.write("add") {
            _ = try store.addResult(ClinicalResult(patientID: patient.id, name: "Estrogen receptor", category: .biomarker,
                                                   value: .text("positive"), detail: "95%"))
            _ = try store.addMedication(Medication(patientID: patient.id, name: "Letrozole 2.5 mg tablet", frequency: "once daily"))
            _ = try store.addAllergy(Allergy(patientID: patient.id, substance: "Penicillin", reaction: "hives"))
            _ = try store.addProcedure(Procedure(patientID: patient.id, name: "Sentinel node biopsy", category: .biopsy))
            _ = try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Influenza vaccine"))
        }
        func kinds(_ text: String) throws -> [SearchKind] { try store.search(patientID: patient.id, SearchQuery(text)).map(\.kind) }
        XCTAssertEqual(try kinds("estrogen"), [.result])
        XCTAssertEqual(try kinds("letrozole"), [.medication])
        XCTAssertEqual(try kinds("hives"), [.allergy])
        XCTAssertEqual(try kinds("sentinel"), [.procedure])
        XCTAssertEqual(try kinds("influenza"), [.immunization])
    }
}
