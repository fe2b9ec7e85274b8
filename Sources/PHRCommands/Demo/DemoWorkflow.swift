import Foundation
import PHRStore

/// The second-opinion workflow of the demo case, added on top of `DemoCase`: what was requested,
/// sent and received for the two second opinions, the questions, and the checklist facts — left
/// half done on purpose, so that `phr status` has something to say:
///
/// - the original oncologist was told; treatment is planned to start before the tie-break opinion;
/// - the pathology report, slides and imaging report reached the cancer centre two weeks ago;
/// - for the tie-break appointment: the pathology report and the consultation note went through
///   the portal, the imaging report by fax (arrival not confirmed), the slides are requested from
///   the cancer centre, the lab results and the images have not been sent; the referral is
///   requested; three questions are written down;
/// - one question was answered at the second opinion;
/// - two more records: the cancer centre's consultation note and a lab panel (a CSV file, with its
///   four values as results of that report, all in range).
struct DemoWorkflow {
    let demo: DemoCase

    /// Adds the workflow facts to the demo store; call inside the same `store.write` as `DemoCase.build`.
    func add(in store: HealthStore, patient: Patient, documents: URL) throws {
        let providers = try store.providers()
        func provider(_ name: String) throws -> Provider {
            guard let found = providers.first(where: { $0.name == name }) else {
                throw CommandFailure("the demo case has no provider \(name)", code: ExitStatus.software)
            }
            return found
        }
        let weber = try provider("Dr. Anna Weber")
        let raman = try provider("Dr. Priya Raman")
        let lab = try provider("Riverside Pathology Lab")
        let marin = try provider("Dr. Sofia Marin")
        guard let diagnosis = try store.diagnoses(patientID: patient.id).first else {
            throw CommandFailure("the demo case has no diagnosis", code: ExitStatus.software)
        }
        let records = try store.records(patientID: patient.id)
        func record(_ kind: Record.Kind) throws -> Record {
            guard let found = records.first(where: { $0.kind == kind }) else {
                throw CommandFailure("the demo case has no \(kind.rawValue)", code: ExitStatus.software)
            }
            return found
        }
        let pathology = try record(.pathologyReport)
        let slides = try record(.pathologySlides)
        let imaging = try record(.imagingReport)
        let appointments = try store.appointments(patientID: patient.id)
        guard let lakeside = appointments.first(where: { $0.providerID == raman.id }),
              let tieBreak = appointments.first(where: { $0.providerID == marin.id }) else {
            throw CommandFailure("the demo case has no second-opinion appointments", code: ExitStatus.software)
        }

        // Two more records: the cancer centre's consultation note (a text file) and a lab panel.
        let noteFile = documents.appendingPathComponent("lakeside-consultation-note.txt")
        try Data(Self.consultationNote(on: demo.day(-14).description).utf8).write(to: noteFile)
        let note = try store.addRecord(Record(patientID: patient.id, kind: .consultNote, title: "Lakeside consultation note",
                                              recordedOn: demo.day(-13), providerID: raman.id, diagnosisIDs: [diagnosis.id]),
                                       file: RecordFileSource(path: noteFile.path))
        let labsFile = documents.appendingPathComponent("blood-count.csv")
        try Data(Self.labPanelCSV.utf8).write(to: labsFile)
        let labs = try store.addRecord(Record(patientID: patient.id, kind: .labResult, title: "Complete blood count and metabolic panel",
                                              recordedOn: demo.day(-44), providerID: weber.id, diagnosisIDs: [diagnosis.id]),
                                       file: RecordFileSource(path: labsFile.path))
        // The panel's values as results of that report, for the packet's recent labs and `result list`.
        for test in Self.labPanel {
            try store.addResult(ClinicalResult(patientID: patient.id, name: test.name, category: .laboratory, code: test.loinc,
                                               codeSystem: .loinc, value: .quantity(test.value, unit: test.unit, comparator: nil),
                                               range: ReferenceRange(low: test.low, high: test.high), observedAt: .date(demo.day(-44)),
                                               providerID: weber.id, recordID: labs.id))
        }
        try store.addRecord(Record(patientID: patient.id, kind: .imagingStudy, title: "Mammogram and ultrasound images (CD)",
                                   recordedOn: demo.day(-50), providerID: weber.id, diagnosisIDs: [diagnosis.id],
                                   notes: "Disc of images held by Riverside Community Hospital radiology."))

        // To the cancer centre, before the second opinion.
        func transfer(_ record: Record, _ kind: Transfer.Kind, from: Provider? = nil, to: Provider? = nil,
                      via: Transfer.Via? = nil, day: Int, reference: String? = nil, dueBack: Int? = nil) throws {
            try store.addTransfer(Transfer(recordID: record.id, kind: kind, fromProviderID: from?.id, toProviderID: to?.id,
                                           via: via, occurredOn: demo.day(day), reference: reference,
                                           dueBackOn: dueBack.map(demo.day)))
        }
        try transfer(slides, .request, from: lab, to: raman, day: -25)
        try transfer(pathology, .send, to: raman, via: .portal, day: -22)
        try transfer(slides, .send, from: lab, to: raman, via: .courier, day: -21, reference: "FX-4471-0932", dueBack: 30)
        try transfer(slides, .receive, from: lab, to: raman, day: -19)
        try transfer(imaging, .send, to: raman, via: .inPerson, day: -14)

        // To the tie-break opinion, still under way.
        try transfer(pathology, .send, to: marin, via: .portal, day: -1)
        try transfer(note, .send, to: marin, via: .portal, day: -1)
        try transfer(imaging, .send, to: marin, via: .fax, day: -1, reference: "fax confirmation 0412")
        try transfer(slides, .request, from: raman, to: marin, day: -2)

        try store.setDiagnosisReview(DiagnosisReview(diagnosisID: diagnosis.id, originalDoctorToldOn: demo.day(-20),
                                                     treatmentPlannedOn: demo.day(7)))
        try store.setAppointmentPreparation(AppointmentPreparation(appointmentID: lakeside.id, referral: .received,
                                                                   referralReference: "REF-77120"))
        try store.setAppointmentPreparation(AppointmentPreparation(appointmentID: tieBreak.id, referral: .requested,
                                                                   referralReference: "REF-88213"))

        let answered = try store.addQuestion(Question(patientID: patient.id, text: "Is breast-conserving surgery still possible?",
                                                      appointmentID: lakeside.id, diagnosisID: diagnosis.id))
        try store.addAnswer(Answer(questionID: answered.id, providerID: raman.id,
                                   text: "Yes; chemotherapy first may shrink the tumour and make it easier.", answeredOn: demo.day(-14)))
        for text in ["Would you start with chemotherapy or with surgery, and why?",
                     "Does a Ki-67 of 20% change the plan?",
                     "Can treatment wait until after this opinion without harm?"] {
            try store.addQuestion(Question(patientID: patient.id, text: text, appointmentID: tieBreak.id, diagnosisID: diagnosis.id))
        }
    }

    static func consultationNote(on date: String) -> String {
        """
        SYNTHETIC DEMO DOCUMENT - NOT A REAL PATIENT
        Lakeside Comprehensive Cancer Center - Breast Medical Oncology - Consultation, \(date)

        Second opinion for invasive ductal carcinoma of the left breast, cT2 cN0, ER+/PR+, HER2-negative.
        Outside slides reviewed: diagnosis and grade confirmed.
        Assessment: tumour size and Ki-67 favour neoadjuvant chemotherapy before breast-conserving surgery.
        Discussed the alternative of surgery first; both are reasonable. Patient will seek a third opinion.

        """
    }

    /// The lab panel the demo's lab report holds: its file (`labPanelCSV`) and its results.
    static let labPanel: [(name: String, loinc: String, value: Double, unit: String, low: Double, high: Double)] = [
        ("Haemoglobin", "718-7", 13.1, "g/dL", 12.0, 15.5),
        ("White cells", "6690-2", 6.2, "10*9/L", 4.0, 11.0),
        ("Platelets", "777-3", 248, "10*9/L", 150, 400),
        ("Creatinine", "2160-0", 0.8, "mg/dL", 0.6, 1.1),
    ]

    static var labPanelCSV: String {
        "test,result,unit,reference range\n"
            + labPanel.map { "\($0.name),\(number($0.value)),\($0.unit),\(number($0.low))-\(number($0.high))\n" }.joined()
    }

    /// `248` for 248.0, `13.1` for 13.1.
    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
