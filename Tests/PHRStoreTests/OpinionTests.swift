import Foundation
import PHRStore
import XCTest

final class OpinionTests: TemporaryStoreTestCase {
    private var store: HealthStore!
    private var patient: Patient!
    private var firstDoctor: Provider!
    private var secondDoctor: Provider!

    override func setUpWithError() throws {
        try super.setUpWithError()
        store = try openStore()
        (patient, firstDoctor) = try store.addPatientAndProvider(provider: "Dr. First")
        secondDoctor = try store.write("test") { try store.addProvider(Provider(name: "Dr. Second")) }
    }

    override func tearDownWithError() throws {
        store = nil
        try super.tearDownWithError()
    }

    private func addDiagnosis(_ description: String, on date: String? = nil) throws -> Diagnosis {
        try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: description,
                                             diagnosedOn: try date.map(day)))
        }
    }

    @discardableResult
    private func addOpinion(_ conclusion: String, on diagnosis: Diagnosis, by provider: Provider, _ date: String,
                            agreement: Opinion.Agreement? = nil) throws -> Opinion {
        try store.write("test") {
            try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: provider.id, givenOn: try day(date),
                                         conclusion: conclusion, agreement: agreement))
        }
    }

    private func agreements(_ diagnosis: Diagnosis) throws -> [String] {
        try store.opinions(diagnosisID: diagnosis.id).map { "\($0.conclusion): \($0.agreement?.rawValue ?? "nil")" }
    }

    func testAddedOpinionReadsBackWithEveryField() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        let added = try store.write("test") {
            try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: firstDoctor.id,
                                         givenOn: try day("2024-02"), conclusion: "Stage IIA",
                                         recommendation: "Wide excision", stage: "IIA", notes: "by phone"))
        }
        XCTAssertEqual(try store.opinion(id: added.id), added)
        XCTAssertEqual(try store.opinion(uuid: added.uuid), added)
        XCTAssertEqual(added.givenOn, try day("2024-02"))
        XCTAssertEqual(added.recommendation, "Wide excision")
        XCTAssertEqual(added.stage, "IIA")
        XCTAssertEqual(added.notes, "by phone")
    }

    func testFirstOpinionOnADiagnosisIsMarkedFirst() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        let first = try addOpinion("A", on: diagnosis, by: firstDoctor, "2024-02-01")
        XCTAssertEqual(first.agreement, .first)
        let second = try addOpinion("B", on: diagnosis, by: secondDoctor, "2024-03-01", agreement: .agrees)
        XCTAssertEqual(second.agreement, .agrees, "a later opinion keeps what the patient said about it")
        XCTAssertEqual(try agreements(diagnosis), ["A: first", "B: agrees"])
    }

    func testCallerCannotMarkALaterOpinionFirst() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        try addOpinion("A", on: diagnosis, by: firstDoctor, "2024-02-01")
        let later = try addOpinion("B", on: diagnosis, by: secondDoctor, "2024-03-01", agreement: .first)
        XCTAssertNil(later.agreement)
        XCTAssertEqual(try agreements(diagnosis), ["A: first", "B: nil"])
    }

    func testOpinionDatedEarlierBecomesFirstAndTheOldFirstBecomesUnstated() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        let old = try addOpinion("Later-dated", on: diagnosis, by: firstDoctor, "2024-03-10")
        let earlier = try addOpinion("Earlier-dated", on: diagnosis, by: secondDoctor, "2024-01-05", agreement: .differs)
        XCTAssertEqual(earlier.agreement, .first)
        XCTAssertNil(try store.requireOpinion(old.id).agreement)
        XCTAssertEqual(try agreements(diagnosis), ["Earlier-dated: first", "Later-dated: nil"])
    }

    func testFirstMarkIsPerDiagnosis() throws {
        let melanoma = try addDiagnosis("Melanoma")
        let asthma = try addDiagnosis("Asthma")
        try addOpinion("M", on: melanoma, by: firstDoctor, "2024-05-01")
        try addOpinion("A", on: asthma, by: firstDoctor, "2024-06-01")
        XCTAssertEqual(try agreements(melanoma), ["M: first"])
        XCTAssertEqual(try agreements(asthma), ["A: first"])
    }

    func testRemovingTheFirstOpinionPassesTheMarkToTheNextEarliest() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        let first = try addOpinion("A", on: diagnosis, by: firstDoctor, "2024-01-01")
        try addOpinion("C", on: diagnosis, by: firstDoctor, "2024-05-01", agreement: .agrees)
        try addOpinion("B", on: diagnosis, by: secondDoctor, "2024-03-01", agreement: .partly)
        try store.write("test") { try store.removeOpinion(id: first.id) }
        XCTAssertNil(try store.opinion(id: first.id))
        XCTAssertEqual(try agreements(diagnosis), ["B: first", "C: agrees"])
    }

    func testRedatingAnOpinionMovesTheFirstMark() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        try addOpinion("A", on: diagnosis, by: firstDoctor, "2024-01-01")
        var b = try addOpinion("B", on: diagnosis, by: secondDoctor, "2024-03-01", agreement: .agrees)
        b.givenOn = try day("2023-12")
        _ = try store.write("test") { try store.updateOpinion(b) }
        XCTAssertEqual(try agreements(diagnosis), ["B: first", "A: nil"])
    }

    func testMovingAnOpinionToAnotherDiagnosisMarksBothAnew() throws {
        let melanoma = try addDiagnosis("Melanoma")
        let asthma = try addDiagnosis("Asthma")
        var a = try addOpinion("A", on: melanoma, by: firstDoctor, "2024-01-01")
        try addOpinion("B", on: melanoma, by: secondDoctor, "2024-03-01", agreement: .differs)
        a.diagnosisID = asthma.id
        _ = try store.write("test") { try store.updateOpinion(a) }
        XCTAssertEqual(try agreements(melanoma), ["B: first"])
        XCTAssertEqual(try agreements(asthma), ["A: first"])
    }

    func testOpinionHistoryIsGroupedByDiagnosisAndInDateOrder() throws {
        let later = try addDiagnosis("Later diagnosis", on: "2024-01")
        let earlier = try addDiagnosis("Earlier diagnosis", on: "2023-05-02")
        let undated = try addDiagnosis("Undated diagnosis")
        // Added interleaved and out of date order.
        try addOpinion("L2", on: later, by: secondDoctor, "2024-04-01")
        try addOpinion("U1", on: undated, by: firstDoctor, "2022")
        try addOpinion("E2", on: earlier, by: secondDoctor, "2023-07")
        try addOpinion("L1", on: later, by: firstDoctor, "2024-01-15")
        try addOpinion("E1", on: earlier, by: firstDoctor, "2023-05-02")
        try addOpinion("E3", on: earlier, by: firstDoctor, "2023-07-20")

        let history = try store.opinionHistory(patientID: patient.id)
        XCTAssertEqual(history.map(\.opinion.conclusion), ["E1", "E2", "E3", "L1", "L2", "U1"])
        XCTAssertEqual(history.map(\.diagnosis.description),
                       ["Earlier diagnosis", "Earlier diagnosis", "Earlier diagnosis",
                        "Later diagnosis", "Later diagnosis", "Undated diagnosis"])
        XCTAssertEqual(history.map(\.provider.name),
                       ["Dr. First", "Dr. Second", "Dr. First", "Dr. First", "Dr. Second", "Dr. First"])
        for entry in history {
            XCTAssertEqual(entry.opinion.diagnosisID, entry.diagnosis.id)
            XCTAssertEqual(entry.opinion.providerID, entry.provider.id)
            XCTAssertEqual(entry.diagnosis, try store.requireDiagnosis(entry.diagnosis.id), "joined columns read whole")
            XCTAssertEqual(entry.provider, try store.requireProvider(entry.provider.id))
        }
    }

    func testOpinionHistoryFiltersByProviderAndDiagnosis() throws {
        let melanoma = try addDiagnosis("Melanoma", on: "2023")
        let asthma = try addDiagnosis("Asthma", on: "2024")
        try addOpinion("M1", on: melanoma, by: firstDoctor, "2023-02-01")
        try addOpinion("M2", on: melanoma, by: secondDoctor, "2023-03-01")
        try addOpinion("A1", on: asthma, by: secondDoctor, "2024-02-01")

        XCTAssertEqual(try store.opinionHistory(patientID: patient.id, providerID: secondDoctor.id).map(\.opinion.conclusion),
                       ["M2", "A1"])
        XCTAssertEqual(try store.opinionHistory(patientID: patient.id, diagnosisID: melanoma.id).map(\.opinion.conclusion),
                       ["M1", "M2"])
        XCTAssertEqual(try store.opinionHistory(patientID: patient.id, diagnosisID: asthma.id,
                                                providerID: firstDoctor.id).map(\.opinion.conclusion), [])
    }

    func testOpinionHistoryShowsOnlyThePatientsOwn() throws {
        let mine = try addDiagnosis("Mine")
        try addOpinion("mine", on: mine, by: firstDoctor, "2024-01-01")
        let theirs = try store.write("test") {
            let other = try store.addPatient(Patient(name: "Someone else"))
            return try store.addDiagnosis(Diagnosis(patientID: other.id, description: "Theirs"))
        }
        try addOpinion("theirs", on: theirs, by: firstDoctor, "2024-01-01")
        XCTAssertEqual(try store.opinionHistory(patientID: patient.id).map(\.opinion.conclusion), ["mine"])
    }

    func testOpinionNeedsAConclusionAndKnownRows() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        XCTAssertThrowsError(try addOpinion(" ", on: diagnosis, by: firstDoctor, "2024-01-01")) { error in
            guard case StoreError.invalidField(field: "conclusion", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.write("test") {
            try store.addOpinion(Opinion(diagnosisID: 999, providerID: firstDoctor.id, givenOn: try day("2024"),
                                         conclusion: "x"))
        }) { error in
            guard case StoreError.notFound(entity: "diagnosis", id: 999) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.write("test") {
            try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: firstDoctor.id, appointmentID: 999,
                                         givenOn: try day("2024"), conclusion: "x"))
        }) { error in
            guard case StoreError.notFound(entity: "appointment", id: 999) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("opinions"), 0)
    }

    func testProviderWithOpinionsCannotBeRemoved() throws {
        let diagnosis = try addDiagnosis("Melanoma")
        try addOpinion("A", on: diagnosis, by: secondDoctor, "2024-01-01")
        XCTAssertThrowsError(try store.write("test") { try store.removeProvider(id: secondDoctor.id) }) { error in
            guard case StoreError.inUse(entity: "provider", _, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.provider(id: secondDoctor.id), secondDoctor)
    }
}
