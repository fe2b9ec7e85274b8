import Foundation
import PHRStore

/// The packet's `summary.html`: one self-contained page a doctor can read on screen or print.
///
/// Guarantees: inline CSS and inline SVG only, no script, no external resource (nothing loads
/// from the network); every value from the store goes through `HTML.escape`; allergies (or
/// "No known allergies", or "Allergies not recorded") are on the first page, beside the patient;
/// then the clinical summary (`ClinicalSummary`: current medications, key facts, procedures,
/// recent labs) on one page; print CSS starts each later section on a new page; the opinions on
/// each diagnosis stand side by side, in date order; every record whose file is in the packet
/// links to it (`records/NAME`).
struct SummaryPage {
    let contents: PacketContents
    /// The files the packet holds, by record id.
    let files: [Int64: WrittenFile]
    let preparedOn: PartialDate

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
            </style>
            </head>
            <body>

            """
        html += cover()
        html += diagnosesSection()
        html += clinicalSection()
        html += opinionsSection()
        html += appointmentsSection()
        html += recordsSection()
        html += """
            <footer>
            <p>Prepared with phr. The same information, for import into a record system, is in <code>fhir.json</code>
            (FHIR R4 document bundle). <code>SHA256SUMS</code> lists a checksum for every file of this packet
            (<code>sha256sum -c SHA256SUMS</code>).</p>
            </footer>
            </body>
            </html>

            """
        return html
    }

    // MARK: Sections

    private func cover() -> String {
        let patient = contents.patient
        var rows: [(String, String)] = [("Patient", e(patient.name))]
        if let born = patient.birthDate { rows.append(("Born", e(born.description))) }
        if let sex = patient.sex { rows.append(("Sex", e(sex.rawValue))) }
        if let recipient = contents.recipient {
            rows.append(("Prepared for", e(providerLine(recipient))))
        }
        rows.append(("Prepared on", e(preparedOn.description)))
        rows.append(("Scope", e(contents.scope.summary)))
        let counts = [
            count(contents.diagnoses.count, "diagnosis", "diagnoses"), count(contents.opinions.count, "opinion", "opinions"),
            count(contents.appointments.count, "appointment", "appointments"), count(contents.records.count, "record", "records"),
            count(contents.results.count, "result", "results"), count(contents.medications.count, "medication", "medications"),
            count(contents.procedures.count, "procedure", "procedures"),
            count(contents.immunizations.count, "immunization", "immunizations"),
        ]
        rows.append(("Contents", counts.joined(separator: ", ")))
        return """
            <section class="cover">
            <h1>Health record summary</h1>
            <table class="fields">
            \(rows.map { "<tr><th scope=\"row\">\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n"))
            </table>
            \(ClinicalSummary(contents: contents).allergies())
            </section>

            """
    }

    private func diagnosesSection() -> String {
        var html = "<section>\n<h2>Diagnoses</h2>\n"
        guard !contents.diagnoses.isEmpty else { return html + "<p class=\"none\">None in this packet.</p>\n</section>\n\n" }
        html += "<table>\n<thead><tr><th>Diagnosis</th><th>Code</th><th>Diagnosed</th><th>By</th><th>Status</th><th>Stage</th></tr></thead>\n<tbody>\n"
        for diagnosis in contents.diagnoses {
            let code = diagnosis.code.map { code in
                "\(e(code))" + (diagnosis.codeSystem.map { " <span class=\"system\">(\(e($0.rawValue.uppercased())))</span>" } ?? "")
            } ?? ""
            html += "<tr><td>\(e(diagnosis.description))</td><td>\(code)</td><td>\(e(diagnosis.diagnosedOn?.description))</td>"
                + "<td>\(e(providerName(diagnosis.providerID)))</td><td>\(e(diagnosis.status.rawValue))</td>"
                + "<td>\(e(diagnosis.stage))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !contents.socialFindings.isEmpty {
            html += "<p class=\"note\">Social findings (kept apart from the diagnoses): "
                + contents.socialFindings.map { e($0.description) }.joined(separator: "; ") + "</p>\n"
        }
        return html + "</section>\n\n"
    }

    /// Medications, key facts, procedures and labs: one section, so that they print together.
    private func clinicalSection() -> String {
        let clinical = ClinicalSummary(contents: contents)
        return "<section class=\"clinical\">\n" + clinical.currentMedications() + clinical.keyFacts()
            + clinical.proceduresAndTreatment() + clinical.recentLabs() + "</section>\n\n"
    }

    /// For each diagnosis, one column per opinion, oldest on the left, one row per aspect.
    private func opinionsSection() -> String {
        var html = "<section>\n<h2>Opinions</h2>\n"
        let withOpinions = contents.diagnoses.filter { !(contents.opinionsByDiagnosis[$0.id] ?? []).isEmpty }
        guard !withOpinions.isEmpty else { return html + "<p class=\"none\">None in this packet.</p>\n</section>\n\n" }
        for diagnosis in withOpinions {
            let opinions = contents.opinionsByDiagnosis[diagnosis.id] ?? []
            html += "<h3>\(e(diagnosis.description))</h3>\n<table class=\"opinions\">\n<thead><tr><th></th>"
            for opinion in opinions {
                html += "<th scope=\"col\">\(e(providerName(opinion.providerID)))</th>"
            }
            html += "</tr></thead>\n<tbody>\n"
            let aspects: [(String, (Opinion) -> String)] = [
                ("Specialty", { e(self.contents.providers[$0.providerID]?.specialty) }),
                ("Organization", { e(self.contents.providers[$0.providerID]?.organization) }),
                ("Date", { e($0.givenOn.description) }),
                ("Conclusion", { HTML.escapeKeepingLines($0.conclusion) }),
                ("Recommendation", { $0.recommendation.map(HTML.escapeKeepingLines) ?? "" }),
                ("Stage", { e($0.stage) }),
                ("Agreement", { e(Self.agreementText($0.agreement)) }),
            ]
            for (name, value) in aspects {
                let cells = opinions.map(value)
                guard cells.contains(where: { !$0.isEmpty }) else { continue }
                html += "<tr><th scope=\"row\">\(name)</th>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html + "</section>\n\n"
    }

    private func appointmentsSection() -> String {
        var html = "<section>\n<h2>Appointments</h2>\n"
        guard !contents.appointments.isEmpty else { return html + "<p class=\"none\">None in this packet.</p>\n</section>\n\n" }
        html += "<table>\n<thead><tr><th>When</th><th>With</th><th>Purpose</th><th>Where</th><th>Status</th><th>Insurance</th></tr></thead>\n<tbody>\n"
        for appointment in contents.appointments {
            let when = appointment.whenText + (appointment.durationMinutes.map { " (\($0) min)" } ?? "")
            let insurance = appointment.insurance.map { status in
                status.rawValue + (appointment.insuranceReference.map { " (\($0))" } ?? "")
            }
            html += "<tr><td>\(e(when))</td><td>\(e(providerName(appointment.providerID)))</td>"
                + "<td>\(e(appointment.purpose.rawValue))\(appointment.reason.map { "<br><span class=\"note\">\(e($0))</span>" } ?? "")</td>"
                + "<td>\(e(appointment.location))</td><td>\(e(appointment.status.rawValue))</td><td>\(e(insurance))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n\n"
    }

    private func recordsSection() -> String {
        let recordsWithResults = Set((contents.results + contents.resultParts.values.joined()).compactMap(\.recordID))
        var html = "<section>\n<h2>Records</h2>\n"
        guard !contents.records.isEmpty else { return html + "<p class=\"none\">None in this packet.</p>\n</section>\n\n" }
        html += "<table>\n<thead><tr><th>Date</th><th>Kind</th><th>Title</th><th>Source</th><th>Size</th><th>File</th></tr></thead>\n<tbody>\n"
        for record in contents.records {
            let file: String
            if let written = files[record.id] {
                let label = record.file?.originalName ?? written.relativePath
                file = "<a href=\"\(e(written.relativePath))\">\(e(label))</a>"
            } else if let stored = record.file {
                file = "<span class=\"note\">\(e(stored.originalName ?? "file")) (not included)</span>"
            } else if recordsWithResults.contains(record.id) {
                // A report that came as its results (a DiagnosticReport without a document): they are its content.
                file = "<span class=\"note\">no file: its results are in this packet</span>"
            } else {
                file = "<span class=\"note\">no file (held elsewhere)</span>"
            }
            html += "<tr><td>\(e(record.recordedOn?.description))</td><td>\(e(record.kind.rawValue))</td>"
                + "<td>\(e(record.title))</td><td>\(e(providerName(record.providerID)))</td>"
                + "<td class=\"number\">\(e(record.file.map { Self.sizeText($0.size) }))</td><td>\(file)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n\n"
    }

    // MARK: Text

    private func e(_ text: String?) -> String { text.map(HTML.escape) ?? "" }

    private func providerName(_ id: Int64?) -> String? {
        id.flatMap { contents.providers[$0]?.name }
    }

    private func providerLine(_ provider: Provider) -> String {
        [provider.name, provider.specialty, provider.kind == .person ? provider.organization : nil]
            .compactMap { $0 }.joined(separator: ", ")
    }

    private func count(_ n: Int, _ one: String, _ many: String) -> String {
        "\(n) \(n == 1 ? one : many)"
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

    static let css = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.4;
               color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: .5em; }
        h2 { font-size: 1.3em; border-bottom: 2px solid #333; padding-bottom: .2em; margin-top: 2em; }
        h3 { font-size: 1.1em; margin-top: 1.5em; }
        table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
        th, td { border: 1px solid #999; padding: .3em .5em; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        thead th { background: #eee; }
        table.fields { width: auto; }
        table.fields th { background: #f4f4f4; width: 10em; }
        table.opinions { table-layout: fixed; }
        table.opinions tbody th { width: 9em; background: #f4f4f4; }
        td.number { text-align: right; white-space: nowrap; }
        .system, .note { color: #555; font-size: .9em; }
        .none { color: #555; font-style: italic; }
        .allergies { border: 2px solid #000; padding: .2em .8em; margin: 1em 0; }
        .allergies h2 { border: none; margin: .3em 0; font-size: 1.1em; }
        .allergies ul { margin: .3em 0; padding-left: 1.2em; }
        .flag { white-space: nowrap; }
        svg.trend { display: block; }
        footer { margin-top: 3em; font-size: .9em; color: #444; }
        @page { margin: 15mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          section { page-break-before: always; break-before: page; }
          section.cover { page-break-before: avoid; break-before: avoid; }
          section.clinical h2 { margin-top: 1em; }
          h2, h3 { page-break-after: avoid; break-after: avoid; }
          tr { page-break-inside: avoid; break-inside: avoid; }
          thead { display: table-header-group; }
          thead th, table.fields th, table.opinions tbody th { background: none; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
