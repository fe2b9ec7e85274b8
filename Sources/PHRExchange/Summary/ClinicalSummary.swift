import Foundation
import PHRStore

/// The clinical parts of `summary.html`, as HTML fragments: allergies (for the top of the page),
/// family history, current medications, the cancer's key facts (staging with TNM, receptors and biomarkers, tumour
/// markers with their trend), procedures and treatment so far, and the tables of the other
/// results (`ResultListing`: imaging findings, labs, vital signs, social history, other results).
///
/// Guarantees: every value from the store goes through `HTML.escape`; an abnormal value is marked
/// by a word and a sign (`! high`), never by colour alone, so it survives black-and-white
/// printing; allergies say "Allergies not recorded" when nothing is recorded, which is never
/// confused with "No known allergies (recorded DATE)"; each tumour marker's trend is an inline
/// SVG (`TrendChart`) with one point per numeric value; what an imported record said of an item
/// that has no field of its own follows its name in small text ("From the record: …").
struct ClinicalSummary {
    let contents: PacketContents
    /// Results older than this day are "earlier" (the appendix), the others recent.
    let recentSince: PartialDate

    // MARK: Allergies

    /// The allergies box, for the cover.
    func allergies() -> String {
        var html = "<div class=\"allergies\">\n<h2>Allergies</h2>\n"
        switch contents.allergyStatus {
        case .notRecorded:
            html += "<p><strong>Allergies not recorded</strong></p>\n"
        case .noneKnown(let recordedOn):
            html += "<p><strong>No known allergies</strong> (recorded \(e(recordedOn?.description ?? "on an unknown date")))"
                + HTML.sourceNotes(contents.noneKnownStatements.map(\.sourceNotes)) + "</p>\n"
        case .allergies(let allergies):
            html += "<ul>\n"
            for allergy in allergies {
                var details: [String] = []
                if let kind = allergy.kind { details.append(kind.rawValue) }
                if let reaction = allergy.reaction { details.append("reaction: " + reaction) }
                if let severity = allergy.severity { details.append(severity.rawValue) }
                if allergy.criticality == .high { details.append("high criticality") }
                if let recorded = allergy.recordedOn { details.append("recorded \(recorded)") }
                html += "<li><strong>\(e(allergy.displayName))</strong>"
                    + (details.isEmpty ? "" : " (\(e(details.joined(separator: "; "))))")
                    + HTML.sourceNotes([allergy.sourceNotes]) + "</li>\n"
            }
            html += "</ul>\n"
        }
        return html + "</div>\n"
    }

    // MARK: Medications

    /// The current medications; the same drug and dose recorded several times (a long history
    /// repeats its prescriptions) is one row, since its first start, with how often it was recorded.
    func currentMedications() -> String {
        var html = "<h2>Current medications</h2>\n"
        let current = contents.medications.filter(\.status.isCurrent)
        guard !current.isEmpty else { return html + "<p class=\"none\">No current medications \(recordedText).</p>\n" }
        html += "<table>\n<thead><tr><th>Medication</th><th>Dose and frequency</th><th>Since</th><th>For</th><th>Prescribed by</th></tr></thead>\n<tbody>\n"
        let groups = Self.grouped(current) { "\($0.name.lowercased())|\($0.dosageText?.lowercased() ?? "")" }
        for group in groups {
            guard let medication = group.last else { continue }
            var name = e(medication.name) + (medication.status == .onHold ? " <span class=\"note\">(on hold)</span>" : "")
            if group.count > 1 { name += " <span class=\"note\">(recorded \(group.count) times)</span>" }
            name += HTML.sourceNotes(group.map(\.sourceNotes))
            let since = group.compactMap(\.startedOn).min()
            html += "<tr><td>\(name)</td><td>\(doseAndInstructions(medication))</td><td class=\"date\">\(e(since?.description))</td>"
                + "<td>\(e(contents.diagnosis(id: medication.diagnosisID)?.description))</td>"
                + "<td>\(e(providerName(medication.providerID)))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// Dose, route and frequency, then the instructions when they say more (a taper's later
    /// steps: "…; then 2 mg twice a day for 3 days"), in small text.
    private func doseAndInstructions(_ medication: Medication) -> String {
        let dosage = medication.dosageText
        guard let instructions = medication.instructions, !instructions.isEmpty, instructions != dosage else { return e(dosage) }
        return e(dosage) + "<br><span class=\"note\">\(e(instructions))</span>"
    }

    /// `items` in groups of the same `key`, each in the items' order, the groups in the order of
    /// their first item.
    static func grouped<T>(_ items: [T], by key: (T) -> String) -> [[T]] {
        var order: [String] = []
        var groups: [String: [T]] = [:]
        for item in items {
            let k = key(item)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(item)
        }
        return order.compactMap { groups[$0] }
    }

    // MARK: Key facts

    /// The key results of a diagnosis for the first page, each as "name: value (detail)": the
    /// latest staging and performance status, receptors and biomarkers, and tumour markers (with
    /// `! high`/`! low`), of that diagnosis or of none.
    func keyResults(for diagnosis: Diagnosis) -> [String] {
        let mine = { (result: ClinicalResult) in result.diagnosisID == nil || result.diagnosisID == diagnosis.id }
        let results = latestByName(everyResult(in: [.staging, .performanceStatus]).filter(mine))
            + latestByName(everyResult(in: [.biomarker]).filter(mine))
            + latestByName(everyResult(in: [.tumourMarker]).filter(mine))
        return results.map { result in
            var text = "\(e(result.name)): \(flagged(result))"
            if let detail = result.detail { text += " (\(e(detail)))" }
            if result.category == .tumourMarker, let observed = when(result.observedAt) {
                text += " <span class=\"date\">\(e(observed))</span>"
            }
            return text
        }
    }

    /// Staging (TNM and stage group, and performance status), receptors and biomarkers, tumour
    /// markers; empty when the packet holds none of them.
    func keyFacts() -> String {
        let staging = latestByName(everyResult(in: [.staging, .performanceStatus]))
        let biomarkers = latestByName(everyResult(in: [.biomarker]))
        let markers = Dictionary(grouping: everyResult(in: [.tumourMarker]), by: Self.nameKey)
        guard !staging.isEmpty || !biomarkers.isEmpty || !markers.isEmpty else { return "" }
        var html = "<h2>Key facts</h2>\n"
        if !staging.isEmpty {
            html += "<h3>Stage and performance status</h3>\n<table class=\"staging\">\n<thead><tr><th>Category</th><th>Value</th><th>Date</th></tr></thead>\n<tbody>\n"
            for result in staging {
                html += "<tr><td>\(e(result.name))\(HTML.sourceNotes([result.sourceNotes]))</td><td><strong>\(e(valueText(result)))</strong></td>"
                    + "<td class=\"date\">\(e(when(result.observedAt)))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        if !biomarkers.isEmpty {
            html += "<h3>Receptor status and biomarkers</h3>\n<table class=\"biomarkers\">\n"
                + "<thead><tr><th>Marker</th><th>Result</th><th>Detail</th><th>Date</th></tr></thead>\n<tbody>\n"
            for result in biomarkers {
                html += "<tr><td>\(e(result.name))\(HTML.sourceNotes([result.sourceNotes]))</td><td>\(flagged(result))</td><td>\(e(result.detail))</td>"
                    + "<td class=\"date\">\(e(when(result.observedAt)))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        if !markers.isEmpty {
            html += "<h3>Tumour markers</h3>\n<table class=\"markers\">\n"
                + "<thead><tr><th>Marker</th><th>Latest</th><th>Range</th><th>Date</th><th>Trend (oldest to latest)</th></tr></thead>\n<tbody>\n"
            let ordered = markers.values.compactMap { series in series.last.map { ($0, series) } }
                .sorted { $0.0.name.localizedCaseInsensitiveCompare($1.0.name) == .orderedAscending }
            for (latest, series) in ordered {
                html += "<tr><td>\(e(latest.name))\(HTML.sourceNotes([latest.sourceNotes]))</td><td>\(flagged(latest))</td><td>\(e(latest.range?.displayText))</td>"
                    + "<td class=\"date\">\(e(when(latest.observedAt)))</td><td>\(trend(latest.name, series))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html
    }

    private func trend(_ name: String, _ series: [ClinicalResult]) -> String {
        let points = series.compactMap { result -> TrendChart.Point? in
            guard let number = result.value?.number else { return nil }
            let label = (when(result.observedAt) ?? "undated") + ": " + (result.value?.displayText ?? "")
            return TrendChart.Point(value: number, label: label)
        }
        guard points.count > 1 else { return "<span class=\"note\">one value</span>" }
        return TrendChart(title: name, points: points, upperLimit: series.last?.range?.high).svg()
    }

    // MARK: Procedures

    func procedures(_ procedures: [Procedure], title: String, none: String, heading: String = "h2") -> String {
        var html = "<\(heading)>\(title)</\(heading)>\n"
        guard !procedures.isEmpty else { return html + "<p class=\"none\">\(none)</p>\n" }
        html += "<table\(heading == "h3" ? " class=\"compact\"" : "")>\n<thead><tr><th>Date</th><th>Procedure</th><th>Kind</th><th>Site</th><th>Outcome</th><th>Status</th><th>By</th></tr></thead>\n<tbody>\n"
        for procedure in procedures {
            let when = [procedure.performedOn, procedure.performedUntil].compactMap(self.when).joined(separator: " to ")
            html += "<tr><td class=\"date\">\(e(when))</td><td>\(e(procedure.name))\(HTML.sourceNotes([procedure.sourceNotes]))</td>"
                + "<td>\(e(procedure.category.rawValue.replacingOccurrences(of: "-", with: " ")))</td>"
                + "<td>\(e(procedure.bodySite))</td><td>\(e(procedure.outcome))</td><td>\(e(procedure.status.rawValue))</td>"
                + "<td>\(e(providerName(procedure.providerID)))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Medications no longer taken, immunizations

    func pastMedications(_ medications: [Medication]) -> String {
        guard !medications.isEmpty else { return "" }
        var html = "<h3>Earlier medications</h3>\n<table class=\"compact\">\n<thead><tr><th>Medication</th><th>Dose and frequency</th>"
            + "<th>From</th><th>To</th><th>Status</th></tr></thead>\n<tbody>\n"
        for medication in medications.reversed() {
            html += "<tr><td>\(e(medication.name))\(HTML.sourceNotes([medication.sourceNotes]))</td><td>\(doseAndInstructions(medication))</td>"
                + "<td class=\"date\">\(e(medication.startedOn?.description))</td><td class=\"date\">\(e(medication.endedOn?.description))</td>"
                + "<td>\(e(medication.status.rawValue))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    func immunizations(_ immunizations: [Immunization]) -> String {
        var html = "<h3>Immunizations</h3>\n<table class=\"compact\">\n<thead><tr><th>Date</th><th>Vaccine</th><th>Status</th></tr></thead>\n<tbody>\n"
        for immunization in immunizations {
            html += "<tr><td class=\"date\">\(e(when(immunization.givenOn)))</td><td>\(e(immunization.vaccine))\(HTML.sourceNotes([immunization.sourceNotes]))</td>"
                + "<td>\(e(immunization.status.rawValue))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Family history

    /// One line per relative's condition ("Mother: breast cancer, onset at 45"), in the order
    /// recorded; the patient's own notes only when the scope includes them. Empty when there is none.
    func familyHistory() -> String {
        guard !contents.familyHistory.isEmpty else { return "" }
        var html = "<h2>Family history</h2>\n<ul class=\"family-history\">\n"
        for entry in contents.familyHistory {
            var line = e(entry.summary)
            if entry.status != .completed { line += " <span class=\"note\">(\(e(entry.status.rawValue)))</span>" }
            line += HTML.sourceNotes([entry.sourceNotes])
            if contents.scope.includeNotes, let notes = entry.notes {
                line += "<br><span class=\"notes\">Patient's note: \(e(notes))</span>"
            }
            html += "<li>\(line)</li>\n"
        }
        return html + "</ul>\n"
    }

    // MARK: Labs, imaging, vital signs, social history, other results

    /// The table `listing` describes, of the results it places in `section` (empty when there
    /// are none, unless it says what to print then), latest date first: abnormal values marked,
    /// each row with its source notes (a panel row with its parts' too). Results entered in
    /// error are not in the packet; cancelled ones are left out here.
    func results(_ listing: ResultListing, in section: ResultListing.Section) -> String {
        let recent = ExportScope(patientID: 0, since: recentSince)
        let rows = listedResults(listing).filter { row in
            // Undated: not known to be earlier.
            listing.section(recent: row.result.observedAt.map { recent.includes($0.date) } ?? true) == section
        }
        let current = section == .current
        var html = current ? "<h2>\(listing.title)</h2>\n" : "<h3>\(listing.appendixTitle)</h3>\n"
        guard !rows.isEmpty else {
            guard current, let none = listing.none else { return "" }
            return html + "<p class=\"none\">\(none) \(recordedText).</p>\n"
        }
        if current, let note = listing.note { html += "<p class=\"note\">\(note)</p>\n" }
        let tableClass = listing.tableClass + (listing.isCompact || !current ? " compact" : "")
        html += "<table class=\"\(tableClass)\">\n<thead><tr><th>\(listing.nameHeader)</th><th>\(listing.valueHeader)</th>"
            + (listing.showsRange ? "<th>Range</th>" : "") + "<th>Date</th></tr></thead>\n<tbody>\n"
        for (result, parts) in rows {
            let values = (result.value == nil ? [] : [flagged(result)]) + parts.map { "\(e($0.name)) \(flagged($0))" }
            var value = values.isEmpty ? e(valueText(result)) : values.joined(separator: "; ")
            if listing.showsDetail, let detail = result.detail { value += "<br><span class=\"note\">\(e(detail))</span>" }
            html += "<tr><td>\(e(result.name))\(HTML.sourceNotes([result.sourceNotes] + parts.map(\.sourceNotes)))</td><td>\(value)</td>"
                + (listing.showsRange ? "<td>\(e(result.range?.displayText))</td>" : "")
                + "<td class=\"date\">\(e(when(result.observedAt)))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// The results `listing` selects, latest date first, each with the parts printed in its row
    /// (none unless the listing keeps a panel's parts in its row); only those with something to
    /// show (a value, parts, or a detail the listing prints) count as the latest of their name.
    private func listedResults(_ listing: ResultListing) -> [(result: ClinicalResult, parts: [ClinicalResult])] {
        func parts(of result: ClinicalResult) -> [ClinicalResult] {
            listing.partsInPanelRow ? (contents.resultParts[result.id] ?? []).filter { $0.status != .cancelled } : []
        }
        let shown = everyResult(in: listing.categories, parts: listing.partsInPanelRow ? .inTheirPanel : .asResults)
            .filter { $0.value != nil || !parts(of: $0).isEmpty || (listing.showsDetail && $0.detail != nil) }
        let selected = listing.selection == .latestOfEachName ? latestByName(shown) : shown
        return Self.latestDateFirst(selected).map { ($0, parts(of: $0)) }
    }

    // MARK: Helpers

    /// How `everyResult` gives the parts of a panel.
    private enum Parts {
        /// Each part as a result of its own (a part of a staging panel is a staging result).
        case asResults
        /// Left with their panel (`contents.resultParts`) when it is of `categories` too; else,
        /// so that none is lost, as results of their own.
        case inTheirPanel
    }

    /// Results of `categories`, oldest first, none of them cancelled, with the parts of every
    /// result as `parts` says.
    private func everyResult(in categories: Set<ClinicalResult.Category>, parts: Parts = .asResults) -> [ClinicalResult] {
        contents.results
            .flatMap { result in
                parts == .inTheirPanel && categories.contains(result.category) ? [result] : [result] + (contents.resultParts[result.id] ?? [])
            }
            .filter { categories.contains($0.category) && $0.status != .cancelled }
            .sorted { a, b in
                // Undated first, then by date, then as added.
                switch (a.observedAt, b.observedAt) {
                case (nil, .some): return true
                case (.some, nil): return false
                case let (x?, y?) where x != y: return x < y
                default: return a.id < b.id
                }
            }
    }

    /// `results` (oldest first) with the latest date first, and the results of one date in the
    /// order they were added: a panel's tests as its report lists them.
    private static func latestDateFirst(_ results: [ClinicalResult]) -> [ClinicalResult] {
        var days: [[ClinicalResult]] = []
        for result in results {
            if let last = days.last?.last, last.observedAt == result.observedAt {
                days[days.count - 1].append(result)
            } else {
                days.append([result])
            }
        }
        return days.reversed().flatMap { $0 }
    }

    /// The latest of each name (case aside), in the order of those latest ones (oldest first).
    private func latestByName(_ results: [ClinicalResult]) -> [ClinicalResult] {
        var latest: [String: ClinicalResult] = [:]
        for result in results { latest[Self.nameKey(result)] = result }
        return results.filter { latest[Self.nameKey($0)]?.id == $0.id }
    }

    private static func nameKey(_ result: ClinicalResult) -> String {
        result.name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private func valueText(_ result: ClinicalResult) -> String {
        result.value?.displayText ?? "no value reported"
    }

    /// The value, and when it is abnormal, `! high` (a sign and a word) in bold after it.
    private func flagged(_ result: ClinicalResult) -> String {
        let value = e(valueText(result))
        guard let interpretation = result.assessedInterpretation, interpretation.isAbnormal else { return value }
        return "<strong>\(value)</strong> <strong class=\"flag\">! \(e(interpretation.rawValue))</strong>"
    }

    /// A date as given, or a date and time on its own clock (`2026-11-18 08:15`).
    private func when(_ date: DateOrTime?) -> String? {
        switch date {
        case .date(let day)?: return day.description
        case .dateTime(let time)?: return time.wallClockText
        case nil: return nil
        }
    }

    private var recordedText: String {
        contents.scope.isLimited ? "in the scope of this packet" : "recorded"
    }

    private func providerName(_ id: Int64?) -> String? {
        id.flatMap { contents.providers[$0]?.name }
    }

    private func e(_ text: String?) -> String { text.map(HTML.escape) ?? "" }
}
