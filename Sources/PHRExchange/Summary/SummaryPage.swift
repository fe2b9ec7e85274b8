import Foundation
import PHRStore

/// The packet's `summary.html`: one self-contained page a doctor reads on screen or prints.
///
/// Guarantees:
/// - inline CSS and inline SVG only, no script, no external resource (nothing loads from the
///   network); every value from the store goes through `HTML.escape` (or `CSSText.string` inside
///   the style sheet), so no stored text can add markup, a script or a style rule;
/// - the first page is the case: the patient (name, birth date, sex, record numbers, contact),
///   allergies (or "No known allergies", or "Allergies not recorded"), each diagnosis under review
///   with its stage and key results, the opinions on it side by side (each provider's phone and
///   email beside them), and the treatment decision with the opinions it rests on (or that none is
///   made yet); who prepared the packet, for whom, when, and how to reach them;
/// - then what is current (questions and answers, active problems, family history, current medications, key
///   facts, the last six months of imaging findings, procedures, labs, the latest vital signs,
///   social history, appointments and records), and at the end an appendix with the long tail
///   (older and resolved things, other results, newest first);
/// - printed, sections flow on from each other (no forced page breaks), table rows never split,
///   dates never wrap, and every page carries the patient's name, birth date and "page N of M"
///   (CSS paged-media margin boxes, which Chromium prints);
/// - the patient's own notes are left out unless the scope includes them, and the footer says which;
///   what an imported record said that has no field of its own (`sourceNotes`) is printed with its
///   item in small text, "From the record: …", never as the patient's;
/// - social findings are never listed among the diagnoses; every record whose file is in the
///   packet links to it (`records/NAME`); a slide set or disc says who holds it and since when.
struct SummaryPage {
    let contents: PacketContents
    /// The files the packet holds, by record id.
    let files: [Int64: WrittenFile]
    let preparedOn: PartialDate
    /// Things dated before this day go to the appendix (six months before `preparedOn`).
    let recentSince: PartialDate
    /// The diagnoses the first page is about, and their ids.
    private var underReview: [Diagnosis] = []
    private var underReviewIDs: Set<Int64> = []

    init(contents: PacketContents, files: [Int64: WrittenFile], now: Date, timeZone: TimeZone) {
        self.contents = contents
        self.files = files
        preparedOn = PartialDate(day: now, in: timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        recentSince = PartialDate(day: calendar.date(byAdding: .month, value: -Self.recentMonths, to: now) ?? now, in: timeZone)
        underReview = diagnosesUnderReview()
        underReviewIDs = Set(underReview.map(\.id))
    }

    /// How far back "recent" reaches.
    static let recentMonths = 6

    func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Health record summary: \(e(contents.patient.name))</title>
            <style>
            \(Self.css)
            \(pageMargins())
            </style>
            </head>
            <body>

            """
        html += casePage()
        html += questionsSection()
        html += currentSection()
        html += appointmentsSection(contents.appointments.filter(isRecent), title: "Appointments",
                                    none: "No appointments in the last \(Self.recentMonths) months or ahead.")
        html += recordsSection(contents.records.filter(isMainRecord), title: "Records",
                               none: "No records of the last \(Self.recentMonths) months.")
        html += appendix()
        html += footer()
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: Page 1: the case

    private func casePage() -> String {
        let patient = contents.patient
        var html = "<section class=\"case\">\n<h1>\(e(patient.name))</h1>\n"
        html += "<p class=\"subtitle\">Health record summary for a second opinion</p>\n"
        var facts: [(String, String)] = []
        facts.append(("Born", e(patient.birthDate?.description ?? "not recorded")))
        if let sex = patient.sex { facts.append(("Sex", e(sex.rawValue))) }
        if !patient.recordNumbers.isEmpty {
            facts.append(("Record numbers", patient.recordNumbers.map { "\(e($0.organization)): <strong>\(e($0.value))</strong>" }
                .joined(separator: "; ")))
        }
        let contact = [patient.phone, patient.email].compactMap { $0 }
        if !contact.isEmpty { facts.append(("Contact", e(contact.joined(separator: " · ")))) }
        if let address = patient.address { facts.append(("Address", e(address))) }
        html += "<table class=\"fields\">\n"
            + facts.map { "<tr><th scope=\"row\">\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
        html += ClinicalSummary(contents: contents, recentSince: recentSince).allergies()
        if underReview.isEmpty {
            html += "<h2>Diagnosis under review</h2>\n<p class=\"none\">No diagnosis in this packet has opinions, a treatment decision "
                + "or a second-opinion appointment; the active problems follow.</p>\n"
        }
        for diagnosis in underReview {
            html += caseOf(diagnosis)
        }
        html += "<p class=\"prepared\">\(preparedLine())</p>\n"
        return html + "</section>\n\n"
    }

    /// The diagnoses named with `--diagnosis`; else the active ones with an opinion, a decision or
    /// a second-opinion appointment (scheduled or kept) of the last months or to come, the latest
    /// first. (Older opinions are in the appendix.) A packet made before the first second opinion,
    /// for the doctor who will give it, is about the diagnosis that appointment is for.
    private func diagnosesUnderReview() -> [Diagnosis] {
        var secondOpinionDates: [Int64: [PartialDate]] = [:]
        for appointment in contents.appointments where appointment.purpose == .secondOpinion
            && (appointment.status == .scheduled || appointment.status == .completed) {
            if let diagnosisID = appointment.diagnosisID, let date = appointment.startsAt?.date {
                secondOpinionDates[diagnosisID, default: []].append(date)
            }
        }
        func latest(_ diagnosis: Diagnosis) -> PartialDate? {
            ((contents.opinionsByDiagnosis[diagnosis.id] ?? []).map(\.givenOn)
                + (contents.decisionsByDiagnosis[diagnosis.id] ?? []).map(\.decidedOn)
                + (secondOpinionDates[diagnosis.id] ?? [])).max()
        }
        if !contents.scope.diagnosisIDs.isEmpty {
            return contents.diagnoses.filter { contents.scope.diagnosisIDs.contains($0.id) }
        }
        return contents.diagnoses
            .compactMap { diagnosis in latest(diagnosis).map { (diagnosis, $0) } }
            .filter { $0.0.isActive && isRecent($0.1) }
            .sorted { $0.1 > $1.1 }
            .map(\.0)
    }

    private func caseOf(_ diagnosis: Diagnosis) -> String {
        var html = "<h2>Diagnosis under review</h2>\n<p class=\"diagnosis\"><strong>\(e(diagnosis.description))</strong>"
        if let code = diagnosis.code {
            html += " <span class=\"system\">(\(e(code))\(diagnosis.codeSystem.map { " " + e($0.rawValue.uppercased()) } ?? ""))</span>"
        }
        html += "<br>"
        var parts: [String] = []
        if let stage = diagnosis.stage { parts.append("<strong>Stage \(e(Self.stageText(stage)))</strong>") }
        parts.append(e(diagnosis.status.rawValue))
        if let on = diagnosis.diagnosedOn { parts.append("diagnosed <span class=\"date\">\(e(on.description))</span>") }
        if let by = providerName(diagnosis.providerID) { parts.append("by \(e(by))") }
        html += parts.joined(separator: ", ") + HTML.sourceNotes([diagnosis.sourceNotes]) + "</p>\n"
        if contents.scope.includeNotes, let notes = diagnosis.notes {
            html += "<p class=\"notes\">Patient's note: \(HTML.escapeKeepingLines(notes))</p>\n"
        }
        let keyResults = ClinicalSummary(contents: contents, recentSince: recentSince).keyResults(for: diagnosis)
        if !keyResults.isEmpty {
            html += "<p class=\"key-results\"><span class=\"label\">Key results:</span> " + keyResults.joined(separator: "; ") + "</p>\n"
        }
        html += opinionsTable(diagnosis)
        html += decisionPart(diagnosis)
        return html
    }

    /// One column per opinion, oldest on the left, one row per aspect; each column headed by the
    /// provider with their specialty, organization, phone and email.
    private func opinionsTable(_ diagnosis: Diagnosis, title: String = "Opinions") -> String {
        let opinions = contents.opinionsByDiagnosis[diagnosis.id] ?? []
        guard !opinions.isEmpty else { return "<h3>\(title)</h3>\n<p class=\"none\">No opinions in this packet.</p>\n" }
        var html = "<h3>\(title)</h3>\n<table class=\"opinions\">\n<thead><tr><th></th>"
        for opinion in opinions {
            html += "<th scope=\"col\">\(providerBlock(opinion.providerID))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        var aspects: [(String, (Opinion) -> String)] = [
            ("Date", { "<span class=\"date\">\(self.e($0.givenOn.description))</span>" }),
            ("Conclusion", { HTML.escapeKeepingLines($0.conclusion) }),
            ("Recommendation", { $0.recommendation.map(HTML.escapeKeepingLines) ?? "" }),
            ("Stage", { self.e($0.stageShown(on: diagnosis)) }),
            ("Agreement", { self.e(Self.agreementText($0.agreement)) }),
            ("From the record", { $0.sourceNotes.map(HTML.escapeKeepingLines) ?? "" }),
        ]
        if contents.scope.includeNotes {
            aspects.append(("Patient's notes", { $0.notes.map(HTML.escapeKeepingLines) ?? "" }))
        }
        for (name, value) in aspects {
            let cells = opinions.map(value)
            guard cells.contains(where: { !$0.isEmpty }) else { continue }
            html += "<tr><th scope=\"row\">\(name)</th>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func decisionPart(_ diagnosis: Diagnosis) -> String {
        var html = "<h3>Decision</h3>\n"
        guard let decisions = contents.decisionsByDiagnosis[diagnosis.id], !decisions.isEmpty else {
            return html + "<p class=\"decision none\">No treatment decision yet.</p>\n"
        }
        for decision in decisions {
            html += "<p class=\"decision\"><span class=\"date\">\(e(decision.decidedOn.description))</span>: <strong>\(e(decision.treatment))</strong>"
            let basis = decision.opinionIDs.compactMap { id in contents.opinions.first { $0.id == id } }
                .map { "\(e(providerName($0.providerID) ?? "a provider"))’s opinion of <span class=\"date\">\(e($0.givenOn.description))</span>" }
            html += basis.isEmpty ? " (based on no opinion recorded)" : " — based on " + basis.joined(separator: " and ")
            html += "</p>\n"
            if contents.scope.includeNotes, let notes = decision.notes {
                html += "<p class=\"notes\">Patient's note: \(HTML.escapeKeepingLines(notes))</p>\n"
            }
        }
        return html
    }

    private func preparedLine() -> String {
        let by = contents.preparedBy
        var line = "Prepared"
        if let recipient = contents.recipient { line += " for <strong>\(e(providerLine(recipient)))</strong>" }
        line += " by \(e(by.name))\(by.isPatient ? " (the patient)" : "")"
        let reach = [by.phone, by.email].compactMap { $0 }
        if !reach.isEmpty { line += ", " + e(reach.joined(separator: " · ")) }
        line += ", on <span class=\"date\">\(e(preparedOn.description))</span>. Scope: \(e(contents.scopeText))."
        return line
    }

    // MARK: What is current

    private func questionsSection() -> String {
        guard !contents.questions.isEmpty else { return "" }
        var html = "<section>\n<h2>Questions</h2>\n"
        let open = contents.questions.filter(\.isOpen)
        let answered = contents.questions.filter { !$0.isOpen }
        if !open.isEmpty {
            html += "<h3>Open questions</h3>\n<ul class=\"questions\">\n"
            for question in open {
                html += "<li>\(e(question.text))\(questionContext(question))\(questionNotes(question))</li>\n"
            }
            html += "</ul>\n"
        }
        if !answered.isEmpty {
            html += "<h3>Answered</h3>\n<ul class=\"questions\">\n"
            for question in answered {
                html += "<li>\(e(question.text))\(questionContext(question))\(questionNotes(question))<ul>\n"
                for answer in question.answers {
                    html += "<li><strong>\(e(providerName(answer.providerID) ?? "A provider"))</strong> "
                        + "(<span class=\"date\">\(e(answer.answeredOn.description))</span>): \(e(answer.text))</li>\n"
                }
                html += "</ul></li>\n"
            }
            html += "</ul>\n"
        }
        return html + "</section>\n\n"
    }

    private func questionContext(_ question: Question) -> String {
        guard let id = question.appointmentID, let appointment = contents.appointments.first(where: { $0.id == id }) else { return "" }
        return " <span class=\"note\">(for \(e(providerName(appointment.providerID) ?? "an appointment")), "
            + "<span class=\"date\">\(e(appointment.whenText))</span>)</span>"
    }

    private func questionNotes(_ question: Question) -> String {
        guard contents.scope.includeNotes, let notes = question.notes else { return "" }
        return "<br><span class=\"notes\">Patient's note: \(e(notes))</span>"
    }

    /// Active problems, family history, current medications, key facts, recent imaging findings,
    /// procedures and labs, the latest vital signs, social history.
    private func currentSection() -> String {
        let clinical = ClinicalSummary(contents: contents, recentSince: recentSince)
        var html = "<section class=\"current\">\n"
        html += diagnosesTable(contents.diagnoses.filter(\.isActive), title: "Active problems",
                               none: "No active problems \(recordedText).")
        if !contents.socialFindings.isEmpty {
            html += "<p class=\"note\">Social findings (not diagnoses): "
                + contents.socialFindings.map { e($0.description) }.joined(separator: "; ") + "</p>\n"
        }
        html += clinical.familyHistory()
        html += clinical.currentMedications() + clinical.keyFacts() + clinical.results(.imaging, in: .current)
        html += clinical.procedures(contents.procedures.filter { isRecent($0.performedUntil?.date ?? $0.performedOn?.date) },
                                    title: "Procedures and treatment, last \(Self.recentMonths) months",
                                    none: "No procedures in the last \(Self.recentMonths) months.")
        // After the labs, what matters less to a second opinion on a cancer: page one stays the case's.
        html += clinical.results(.labs, in: .current) + clinical.results(.vitalSigns, in: .current)
            + clinical.results(.socialHistory, in: .current)
        return html + "</section>\n\n"
    }

    /// One row per diagnosis; the same diagnosis recorded several times (a long history records a
    /// problem at every visit) is one row with its first and latest date and how often.
    private func diagnosesTable(_ diagnoses: [Diagnosis], title: String, none: String) -> String {
        var html = "<h2>\(title)</h2>\n"
        guard !diagnoses.isEmpty else { return html + "<p class=\"none\">\(none)</p>\n" }
        html += "<table>\n<thead><tr><th>Diagnosis</th><th>Code</th><th>Diagnosed</th><th>By</th><th>Status</th><th>Stage</th></tr></thead>\n<tbody>\n"
        let groups = ClinicalSummary.grouped(diagnoses) { "\($0.description.lowercased())|\($0.code ?? "")|\($0.status.rawValue)" }
        for group in groups {
            guard let diagnosis = group.last else { continue }
            let code = diagnosis.code.map { code in
                "\(e(code))" + (diagnosis.codeSystem.map { " <span class=\"system\">(\(e($0.rawValue.uppercased())))</span>" } ?? "")
            } ?? ""
            var description = e(diagnosis.description) + HTML.sourceNotes(group.map(\.sourceNotes))
            if contents.scope.includeNotes {
                for notes in group.compactMap(\.notes) { description += "<br><span class=\"notes\">Patient's note: \(e(notes))</span>" }
            }
            let dates = group.compactMap(\.diagnosedOn)
            var diagnosed = "<span class=\"date\">\(e(dates.min()?.description))</span>"
            if group.count > 1 {
                if let latest = dates.max(), latest != dates.min() { diagnosed += " to <span class=\"date\">\(e(latest.description))</span>" }
                diagnosed += "<br><span class=\"note\">recorded \(group.count) times</span>"
            }
            html += "<tr><td>\(description)</td><td>\(code)</td><td>\(diagnosed)</td>"
                + "<td>\(e(providerName(diagnosis.providerID)))</td><td>\(e(diagnosis.status.rawValue))</td>"
                + "<td>\(e(diagnosis.stage))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func appointmentsSection(_ appointments: [Appointment], title: String, none: String, compact: Bool = false) -> String {
        var html = compact ? "<h3>\(title)</h3>\n" : "<section>\n<h2>\(title)</h2>\n"
        let close = compact ? "" : "</section>\n\n"
        guard !appointments.isEmpty else { return html + "<p class=\"none\">\(none)</p>\n" + close }
        html += "<table\(compact ? " class=\"compact\"" : "")>\n<thead><tr><th>When</th><th>With</th><th>Purpose</th><th>Where</th><th>Status</th>"
            + "<th>Insurance</th></tr></thead>\n<tbody>\n"
        for appointment in compact ? appointments.reversed() : appointments {
            let when = "<span class=\"date\">\(e(appointment.whenText))</span>"
                + (appointment.durationMinutes.map { " <span class=\"note\">(\($0) min)</span>" } ?? "")
            let insurance = appointment.insurance.map { status in
                status.rawValue + (appointment.insuranceReference.map { " (\($0))" } ?? "")
            }
            var purpose = e(appointment.purpose.rawValue) + (appointment.reason.map { "<br><span class=\"note\">\(e($0))</span>" } ?? "")
                + HTML.sourceNotes([appointment.sourceNotes])
            if contents.scope.includeNotes, let notes = appointment.notes {
                purpose += "<br><span class=\"notes\">Patient's note: \(e(notes))</span>"
            }
            html += "<tr><td>\(when)</td><td>\(compact ? e(providerName(appointment.providerID)) : providerBlock(appointment.providerID))</td>"
                + "<td>\(purpose)</td><td>\(e(appointment.location))</td><td>\(e(appointment.status.rawValue))</td><td>\(e(insurance))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n" + close
    }

    private func recordsSection(_ records: [Record], title: String, none: String, compact: Bool = false) -> String {
        var html = compact ? "<h3>\(title)</h3>\n" : "<section>\n<h2>\(title)</h2>\n"
        let close = compact ? "" : "</section>\n\n"
        guard !records.isEmpty else { return html + "<p class=\"none\">\(none)</p>\n" + close }
        let recordsWithResults = Set((contents.results + contents.resultParts.values.joined()).compactMap(\.recordID))
        html += "<table\(compact ? " class=\"compact\"" : "")>\n<thead><tr><th>Date</th><th>Kind</th><th>Title</th><th>Source</th><th>Size</th>"
            + "<th>File, or where it is</th></tr></thead>\n<tbody>\n"
        for record in compact ? records.reversed() : records {
            let file: String
            if let written = files[record.id] {
                let label = record.file?.originalName ?? written.relativePath
                file = "<a href=\"\(e(written.relativePath))\">\(e(label))</a>"
            } else if let stored = record.file {
                file = "<span class=\"note\">\(e(stored.originalName ?? "file")) (not included)</span>"
            } else if let location = contents.physicalLocations[record.id] {
                file = whereabouts(location)
            } else if recordsWithResults.contains(record.id) {
                // A report that came as its results (a DiagnosticReport without a document): they are its content.
                file = "<span class=\"note\">no file: its results are in this packet</span>"
            } else {
                file = "<span class=\"note\">no file (held elsewhere)</span>"
            }
            // Where the file would be already says that a report's results are its content.
            let sourceNotes = recordsWithResults.contains(record.id)
                ? record.sourceNotes.flatMap(DiagnosticReportMapper.withoutResultsNote) : record.sourceNotes
            var title = e(record.title) + HTML.sourceNotes([sourceNotes])
            if contents.scope.includeNotes, let notes = record.notes {
                title += "<br><span class=\"notes\">Patient's note: \(e(notes))</span>"
            }
            html += "<tr><td class=\"date\">\(e(record.recordedOn?.description))</td><td>\(e(record.kind.rawValue))</td>"
                + "<td>\(title)</td><td>\(e(providerName(record.providerID)))</td>"
                + "<td class=\"number\">\(e(record.file.map { Self.sizeText($0.size) }))</td><td>\(file)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n" + close
    }

    /// Who holds a slide set or disc, since when, and whether it is on loan or on its way.
    private func whereabouts(_ location: RecordDelivery.Location) -> String {
        guard location.isKnown else { return "<span class=\"note\">no file; who holds it is not recorded</span>" }
        let holder = location.holderID.flatMap { providerName($0) } ?? contents.patient.name + " (the patient)"
        var text = location.inTransit ? "on its way to <strong>\(e(holder))</strong>" : "held by <strong>\(e(holder))</strong>"
        if let since = location.since { text += " since <span class=\"date\">\(e(since.description))</span>" }
        if let lender = location.lenderID.flatMap({ providerName($0) }) {
            text += ", lent by \(e(lender))"
            if let due = location.dueBackOn { text += ", due back <span class=\"date\">\(e(due.description))</span>" }
        }
        if let holderID = location.holderID, let phone = contents.providers[holderID]?.phone {
            text += " <span class=\"note\">(\(e(phone)))</span>"
        }
        return text
    }

    // MARK: The long tail

    private func appendix() -> String {
        let clinical = ClinicalSummary(contents: contents, recentSince: recentSince)
        let inactive = contents.diagnoses.filter { !$0.isActive }
        let pastMedications = contents.medications.filter { !$0.status.isCurrent }
        let oldProcedures = contents.procedures.filter { !isRecent($0.performedUntil?.date ?? $0.performedOn?.date) }
        let oldAppointments = contents.appointments.filter { !isRecent($0) }
        let oldRecords = contents.records.filter { !isMainRecord($0) }
        let earlierResults = ResultListing.all.map { clinical.results($0, in: .appendix) }
        let immunizations = contents.immunizations
        let otherOpinions = contents.diagnoses.filter { !underReviewIDs.contains($0.id) && !(contents.opinionsByDiagnosis[$0.id] ?? []).isEmpty }
        guard !otherOpinions.isEmpty || !inactive.isEmpty || !pastMedications.isEmpty || !oldProcedures.isEmpty || !oldAppointments.isEmpty
                || !oldRecords.isEmpty || earlierResults.contains(where: { !$0.isEmpty }) || !immunizations.isEmpty else { return "" }
        var html = "<section class=\"appendix\">\n<h2>Appendix: earlier history</h2>\n"
        html += "<p class=\"note\">Before \(e(recentSince.description)) (the last \(Self.recentMonths) months are above), newest first.</p>\n"
        for diagnosis in otherOpinions {
            html += opinionsTable(diagnosis, title: "Opinions on " + e(diagnosis.description))
            html += contents.decisionsByDiagnosis[diagnosis.id] == nil ? "" : decisionPart(diagnosis)
        }
        if !inactive.isEmpty {
            html += diagnosesTable(inactive, title: "Resolved and refuted diagnoses", none: "").replacingOccurrences(of: "<h2>", with: "<h3>")
                .replacingOccurrences(of: "</h2>", with: "</h3>")
        }
        html += clinical.pastMedications(pastMedications)
        if !oldProcedures.isEmpty {
            html += clinical.procedures(oldProcedures.reversed(), title: "Earlier procedures", none: "", heading: "h3")
        }
        html += earlierResults.joined()
        if !immunizations.isEmpty { html += clinical.immunizations(immunizations.reversed()) }
        if !oldAppointments.isEmpty {
            html += appointmentsSection(oldAppointments, title: "Earlier appointments", none: "", compact: true)
        }
        if !oldRecords.isEmpty {
            html += recordsSection(oldRecords, title: "Earlier records", none: "", compact: true)
        }
        return html + "</section>\n\n"
    }

    private func footer() -> String {
        let notes = contents.scope.includeNotes
            ? "This packet includes the patient’s own notes (marked “Patient’s note”)."
            : "The patient’s own notes are not included in this packet."
        return """
            <footer>
            <p>\(notes) Prepared with phr by \(e(contents.preparedBy.name)) on \(e(preparedOn.description)). The same information,
            for import into a record system, is in <code>fhir.json</code> (FHIR R4 document bundle). <code>SHA256SUMS</code> lists a
            checksum for every file of this packet (<code>sha256sum -c SHA256SUMS</code>).</p>
            </footer>

            """
    }

    // MARK: Recent or not

    /// Dated in the last months; an undated thing is not known to be recent (it goes to the appendix).
    private func isRecent(_ date: PartialDate?) -> Bool {
        guard let date else { return false }
        return ExportScope(patientID: 0, since: recentSince).includes(date)
    }

    private func isRecent(_ appointment: Appointment) -> Bool {
        isRecent(appointment.startsAt?.date)
    }

    /// A record of the last months, of a diagnosis under review, or a physical item (where the
    /// slides are matters whatever their date).
    private func isMainRecord(_ record: Record) -> Bool {
        return isRecent(record.recordedOn) || record.diagnosisIDs.contains(where: underReviewIDs.contains)
            || contents.physicalLocations[record.id] != nil
    }

    // MARK: Text

    private func e(_ text: String?) -> String { text.map(HTML.escape) ?? "" }

    private var recordedText: String {
        contents.scope.isLimited ? "in the scope of this packet" : "recorded"
    }

    private func providerName(_ id: Int64?) -> String? {
        id.flatMap { contents.providers[$0]?.name }
    }

    /// The provider's name, and below it their specialty and organization, phone and email.
    private func providerBlock(_ id: Int64?) -> String {
        guard let id, let provider = contents.providers[id] else { return "" }
        var html = "<strong>\(e(provider.name))</strong>"
        let role = [provider.specialty, provider.kind == .person ? provider.organization : nil].compactMap { $0 }
        if !role.isEmpty { html += "<br><span class=\"note\">\(e(role.joined(separator: ", ")))</span>" }
        let reach = [provider.phone.map(HTML.escape), provider.email.map(HTML.escapeAddress)].compactMap { $0 }
        if !reach.isEmpty { html += "<br><span class=\"contact\">\(reach.joined(separator: "<br>"))</span>" }
        return html
    }

    private func providerLine(_ provider: Provider) -> String {
        [provider.name, provider.specialty, provider.kind == .person ? provider.organization : nil]
            .compactMap { $0 }.joined(separator: ", ")
    }

    /// `IIA` → `IIA`; a stage written with the word already (`Stage IIA`) is not doubled.
    static func stageText(_ stage: String) -> String {
        stage.lowercased().hasPrefix("stage ") ? String(stage.dropFirst(6)) : stage
    }

    static func agreementText(_ agreement: Opinion.Agreement?) -> String {
        switch agreement {
        case .first: return "first opinion"
        case .agrees: return "agrees with the earlier opinions"
        case .partly: return "partly agrees with the earlier opinions"
        case .differs: return "differs from the earlier opinions"
        case nil: return "not stated"
        }
    }

    /// `834 bytes`, `12.3 kB`, `4.5 MB`, `1.2 GB` (decimal units, as file managers show them).
    static func sizeText(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) bytes" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    /// The running head and foot of every printed page: the patient's name and birth date, and
    /// "page N of M" (CSS paged media; the text is escaped for a CSS string).
    private func pageMargins() -> String {
        let patient = contents.patient
        let head = patient.name + ", born " + (patient.birthDate?.description ?? "unknown")
        return """
            @page {
              margin: 16mm 13mm 15mm;
              @top-left { content: \(CSSText.string(head)); font: 8pt sans-serif; color: #333; }
              @top-right { content: \(CSSText.string("Health record summary, " + preparedOn.description)); font: 8pt sans-serif; color: #333; }
              @bottom-left { content: \(CSSText.string(patient.name)); font: 8pt sans-serif; color: #333; }
              @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #333; }
            }
            """
    }

    static let css = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10.5pt; line-height: 1.35;
               color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; }
        h1 { font-size: 1.5em; margin: 0; }
        .subtitle { margin: 0 0 .4em; color: #444; }
        h2 { font-size: 1.2em; border-bottom: 2px solid #333; padding-bottom: .1em; margin: 1.2em 0 .4em; }
        h3 { font-size: 1.02em; margin: .9em 0 .3em; }
        p { margin: .3em 0; }
        table { border-collapse: collapse; width: 100%; margin: .3em 0 .6em; }
        th, td { border: 1px solid #999; padding: .2em .4em; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        thead th { background: #eee; }
        table.fields { width: auto; }
        table.fields th { background: #f4f4f4; width: 8em; }
        table.fields th, table.fields td { padding: .1em .4em; }
        table.opinions { table-layout: fixed; }
        table.opinions tbody th { width: 7.5em; background: #f4f4f4; }
        table.compact { font-size: .85em; }
        td.number { text-align: right; white-space: nowrap; }
        .date, td.date { white-space: nowrap; }
        .system, .note, .contact { color: #444; font-size: .9em; }
        .notes { font-style: italic; color: #333; }
        .source-notes { color: #444; font-size: .85em; }
        .none { color: #555; font-style: italic; }
        .diagnosis { font-size: 1.05em; }
        .key-results .label, .prepared { font-weight: normal; }
        .key-results .label { font-weight: bold; }
        .decision { font-size: 1.05em; }
        .prepared { margin-top: .6em; font-size: .92em; color: #333; }
        .allergies { border: 2px solid #000; padding: .1em .6em; margin: .5em 0; }
        .allergies h2 { border: none; margin: .2em 0; font-size: 1em; display: inline; }
        .allergies ul, .allergies p { margin: .2em 0; padding-left: 1.2em; }
        ul.questions { margin: .2em 0; padding-left: 1.2em; }
        .flag { white-space: nowrap; }
        svg.trend { display: block; }
        footer { margin-top: 2em; font-size: .88em; color: #444; }
        @media print {
          body { margin: 0; max-width: none; font-size: 9.5pt; line-height: 1.25; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          tr, li, .allergies, .decision, .diagnosis, .key-results { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          thead th, table.fields th, table.opinions tbody th { background: none; }
          a { color: inherit; text-decoration: none; }
        }
        """
}

/// Text for a CSS string in the page's style sheet: quoted, with every character that is not a
/// plain letter, digit, space or simple punctuation written as a CSS escape (`\\3c `), so stored
/// text can neither end the string nor the `<style>` element.
enum CSSText {
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            let plain = (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " ,.-()".unicodeScalars.contains(scalar))
                && scalar != "\\" && scalar.value >= 0x20 && scalar.value != 0x7F
            if plain {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return result + "\""
    }
}

private extension Diagnosis {
    /// Suspected or confirmed: a problem being looked after, not a resolved or refuted one.
    var isActive: Bool { status == .suspected || status == .confirmed }
}
