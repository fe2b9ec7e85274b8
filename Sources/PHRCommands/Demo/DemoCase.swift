import Foundation
import PHRStore

/// The synthetic second-opinion case `phr demo` builds, dated around `today` so that the
/// "upcoming" appointments are always ahead:
///
/// - a patient (synthetic) with invasive ductal carcinoma of the left breast (ICD-10-CM C50.412,
///   stage IIA, confirmed), diagnosed six weeks ago by her original oncologist;
/// - the original oncologist and a breast surgeon at a community hospital, a breast medical
///   oncologist at a comprehensive cancer centre, the pathology lab, and a third oncologist for a
///   tie-break opinion;
/// - the pathology and imaging reports as files, and the biopsy slides held by the lab (no file);
/// - a second-opinion appointment two weeks ago, pre-approved by the insurer, and two opinions that
///   partly differ (surgery first, or chemotherapy first);
/// - receptor status, Ki-67 and the clinical staging as results, a CA 15-3 series rising above its
///   range, two current medications, a penicillin allergy and a mother's breast cancer at 46;
/// - a surgical consultation and the tie-break appointment booked in the coming days.
struct DemoCase {
    let today: Date
    let timeZone: TimeZone

    init(today: Date = Clock.now(), timeZone: TimeZone = .current) {
        self.today = today
        self.timeZone = timeZone
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The day `offset` days from today.
    func day(_ offset: Int) -> PartialDate {
        PartialDate(day: shifted(offset), in: timeZone)
    }

    /// `hour:minute` local time, `offset` days from today.
    func time(_ offset: Int, _ hour: Int, _ minute: Int) -> OffsetDateTime {
        let day = shifted(offset)
        let instant = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) ?? day
        return OffsetDateTime(instant, in: timeZone)
    }

    private func shifted(_ offset: Int) -> Date {
        calendar.date(byAdding: .day, value: offset, to: today) ?? today.addingTimeInterval(TimeInterval(offset * 86_400))
    }

    /// Adds the whole case to `store`; call inside `store.write`. The documents are written to
    /// `documents` (a folder that exists) and copied into the store. Returns the patient.
    @discardableResult
    func build(in store: HealthStore, documents: URL) throws -> Patient {
        let patient = try store.addPatient(Patient(name: "Elena Marsh (demo)", birthDate: try PartialDate(year: 1971, month: 3, day: 14),
                                                   sex: .female, notes: "Synthetic demo patient; not a real person."))

        let weber = try store.addProvider(Provider(
            name: "Dr. Anna Weber", specialty: "medical oncology", organization: "Riverside Community Hospital",
            phone: "+1 555 0100 2210", notes: "Original oncologist."))
        let okafor = try store.addProvider(Provider(
            name: "Dr. Tom Okafor", specialty: "breast surgery", organization: "Riverside Community Hospital",
            phone: "+1 555 0100 2260"))
        let raman = try store.addProvider(Provider(
            name: "Dr. Priya Raman", specialty: "breast medical oncology", organization: "Lakeside Comprehensive Cancer Center",
            phone: "+1 555 0199 4000", email: "breast.secondopinion@lakeside.example",
            address: "1 Lakeside Drive, Building B, 4th floor"))
        let lab = try store.addProvider(Provider(
            name: "Riverside Pathology Lab", kind: .organization, specialty: "pathology",
            organization: "Riverside Community Hospital", phone: "+1 555 0100 2900"))
        let marin = try store.addProvider(Provider(
            name: "Dr. Sofia Marin", specialty: "breast medical oncology", organization: "Northgate University Cancer Institute",
            phone: "+1 555 0142 7700"))

        let diagnosis = try store.addDiagnosis(Diagnosis(
            patientID: patient.id, description: "Invasive ductal carcinoma, left breast, upper-outer quadrant",
            code: "C50.412", codeSystem: .icd10cm, diagnosedOn: day(-42), providerID: weber.id, status: .confirmed,
            stage: "IIA", notes: "ER+ 95%, PR+ 80%, HER2 1+ (negative), grade 2, Ki-67 20%"))

        // The reports, as the patient received them.
        let pathologyFile = documents.appendingPathComponent("core-biopsy-pathology-report.txt")
        try Data(DemoDocuments.pathologyReport(collectedOn: day(-46).description, reportedOn: day(-43).description).utf8)
            .write(to: pathologyFile)
        let imagingFile = documents.appendingPathComponent("mammogram-ultrasound-report.pdf")
        try DemoDocuments.pdf(lines: DemoDocuments.imagingReportLines(examinedOn: day(-50).description)).write(to: imagingFile)

        try store.addRecord(Record(patientID: patient.id, kind: .imagingReport, title: "Diagnostic mammogram and ultrasound report",
                                   recordedOn: day(-50), providerID: weber.id, diagnosisIDs: [diagnosis.id]),
                            file: RecordFileSource(path: imagingFile.path))
        try store.addRecord(Record(patientID: patient.id, kind: .pathologyReport, title: "Core biopsy pathology report",
                                   recordedOn: day(-43), providerID: lab.id, diagnosisIDs: [diagnosis.id]),
                            file: RecordFileSource(path: pathologyFile.path))
        try store.addRecord(Record(patientID: patient.id, kind: .pathologySlides, title: "Biopsy slides and blocks DEMO-S26-0412 A1-A3",
                                   recordedOn: day(-46), providerID: lab.id, diagnosisIDs: [diagnosis.id],
                                   notes: "Held by the lab; released to Lakeside for review."))

        // The facts the new doctor reads first: receptor status and biomarkers from the biopsy, the
        // clinical staging, a tumour-marker series, current medications and an allergy.
        let reported = DateOrTime.date(day(-43))
        for (name, value, detail) in [("Estrogen receptor", "positive", "95%"), ("Progesterone receptor", "positive", "80%"),
                                      ("HER2 (IHC)", "1+ (negative)", nil as String?), ("Ki-67", "20%", nil as String?)] {
            try store.addResult(ClinicalResult(patientID: patient.id, name: name, category: .biomarker, value: .text(value),
                                               detail: detail, observedAt: reported, providerID: lab.id, diagnosisID: diagnosis.id))
        }
        for (name, value) in [("T category", "cT2"), ("N category", "cN0"), ("M category", "cM0"), ("Stage group", "IIA")] {
            try store.addResult(ClinicalResult(patientID: patient.id, name: name, category: .staging, value: .text(value),
                                               detail: "clinical", observedAt: .date(day(-42)), providerID: weber.id,
                                               diagnosisID: diagnosis.id))
        }
        for (offset, value) in [(-120, 19.0), (-49, 27.0), (-21, 34.0)] {
            try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", category: .tumourMarker, code: "6875-9",
                                               codeSystem: .loinc, value: .quantity(value, unit: "U/mL", comparator: nil),
                                               range: ReferenceRange(low: 0, high: 30), observedAt: .date(day(offset)),
                                               providerID: weber.id, diagnosisID: diagnosis.id))
        }
        try store.addMedication(Medication(patientID: patient.id, name: "Lisinopril 10 mg tablet", dose: "10 mg", route: "by mouth",
                                           frequency: "once daily", startedOn: try PartialDate(year: 2019), notes: "For blood pressure."))
        try store.addMedication(Medication(patientID: patient.id, name: "Vitamin D3 1000 IU", dose: "1000 IU", route: "by mouth",
                                           frequency: "once daily", startedOn: day(-200)))
        try store.addAllergy(Allergy(patientID: patient.id, substance: "Penicillin", kind: .allergy, category: .medication,
                                     criticality: .high, reaction: "hives", severity: .moderate,
                                     recordedOn: try PartialDate(year: 1994), notes: "As a teenager."))
        // A mother's breast cancer at 46: a reason to ask about genetic testing.
        try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer",
                                                 relationshipCode: "MTH", relativeSex: .female, code: "254837009",
                                                 codeSystem: .snomedCT, onsetAge: "46", deceased: .no, recordedOn: day(-46)))

        // The first opinion, then the second at the cancer centre.
        let first = try store.addAppointment(Appointment(
            patientID: patient.id, providerID: weber.id, startsAt: time(-42, 11, 0), durationMinutes: 45,
            location: "Riverside Community Hospital, Oncology Clinic", purpose: .consultation,
            reason: "Biopsy results and treatment plan", diagnosisID: diagnosis.id, status: .completed, insurance: .notNeeded))
        try store.addOpinion(Opinion(
            diagnosisID: diagnosis.id, providerID: weber.id, appointmentID: first.id, givenOn: day(-42),
            conclusion: "Invasive ductal carcinoma, stage IIA (cT2 cN0), hormone-receptor positive, HER2 negative",
            recommendation: "Lumpectomy with sentinel node biopsy, then whole-breast radiation and endocrine therapy"))
        let second = try store.addAppointment(Appointment(
            patientID: patient.id, providerID: raman.id, startsAt: time(-14, 9, 30), durationMinutes: 90,
            location: "Lakeside Comprehensive Cancer Center, Breast Clinic, 4th floor", purpose: .secondOpinion,
            reason: "Second opinion before surgery", diagnosisID: diagnosis.id, status: .completed,
            insurance: .approved, insuranceReference: "PA-2026-118204",
            notes: "Bring the imaging report; the lab sends the slides ahead."))
        try store.addOpinion(Opinion(
            diagnosisID: diagnosis.id, providerID: raman.id, appointmentID: second.id, givenOn: day(-14),
            conclusion: "Agrees with the diagnosis and stage after reviewing the slides; tumour size and Ki-67 favour systemic treatment first",
            recommendation: "Neoadjuvant chemotherapy first, then breast-conserving surgery and radiation",
            stage: "IIA (cT2 cN0)", agreement: .partly))

        // What is booked next.
        try store.addAppointment(Appointment(
            patientID: patient.id, providerID: okafor.id, startsAt: time(4, 14, 15), durationMinutes: 45,
            location: "Riverside Community Hospital, Surgery Clinic", purpose: .consultation,
            reason: "Surgical consultation: timing of surgery", diagnosisID: diagnosis.id, insurance: .notNeeded))
        try store.addAppointment(Appointment(
            patientID: patient.id, providerID: marin.id, startsAt: time(9, 10, 0), durationMinutes: 60,
            location: "Northgate University Cancer Institute, Clinic 3", purpose: .secondOpinion,
            reason: "Tie-break opinion: surgery first or chemotherapy first?", diagnosisID: diagnosis.id,
            insurance: .pending, notes: "Insurer asked for both opinions in writing."))
        return patient
    }
}
