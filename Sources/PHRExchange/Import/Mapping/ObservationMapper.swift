import PHRStore

/// Observation (every category) → results.
///
/// - **Category**: phr's own category (a coding of `FHIRVocabulary.resultCategorySystem`, which
///   its packets write beside the standard code), then an mCODE profile (TNM categories and
///   stage groups → `staging`, with `clinical` or `pathological` as the detail; tumour marker
///   tests → `tumour-marker`; genomic variants → `biomarker`; ECOG/Karnofsky →
///   `performance-status`; cancer disease status → `other`, being neither a stage nor a
///   measurement), then the code (LOINC and SNOMED CT codes
///   of staging, receptor status, HER2, Ki-67, performance status, serum tumour markers), then
///   `Observation.category` (laboratory, vital-signs, imaging, social-history and US Core's
///   sdoh; others → `other`, unless another of its categories says more).
/// - **Value**: `valueQuantity` as a number with its comparator and unit (the UCUM code, else the
///   unit as written); `valueCodeableConcept` as a code (a concept without one as its text); any
///   other value (string, integer, boolean, range, ratio, time, period) as text.
/// - The first reference range (low, high, text), the v3 interpretation (unless it is one phr's
///   packet marks as worked out from the value and range, or, from elsewhere, one the value and
///   range imply: the store works that out, as for what a patient types), the effective date or
///   time at its own precision (else `issued`), status, performer, phr's result-detail extension
///   as the detail, source notes (not the note repeating the detail; with the `dataAbsentReason` of a
///   result without a value).
/// - `component`s (a blood pressure's systolic and diastolic) become its parts; `hasMember`s
///   become parts too when they are stored (`ResultLinks`); `focus` (a Condition) or mCODE's
///   related-condition extension is its diagnosis, as is a Condition whose `stage.assessment`
///   names it; its `derivedFrom` (a report or document), or a DiagnosticReport whose `result`
///   names it, gives its record.
///
/// An observation entered in error is skipped, or, when an earlier import made a result of it,
/// that result and the parts of its components become entered in error (`SourceRetraction`). A
/// result keeps the record, diagnosis and parent that another resource linked it to when its own
/// resource says nothing of them.
struct ObservationMapper: ResourceMapper {
    /// One result's own fields, read from an Observation or one of its components.
    struct Measurement: Equatable {
        var name: String
        var code: (code: String, system: ClinicalResult.CodeSystem)?
        var value: ResultValue?
        var range: ReferenceRange?
        var interpretation: ClinicalResult.Interpretation?

        static func == (lhs: Measurement, rhs: Measurement) -> Bool {
            lhs.name == rhs.name && lhs.code?.code == rhs.code?.code && lhs.code?.system == rhs.code?.system
                && lhs.value == rhs.value && lhs.range == rhs.range && lhs.interpretation == rhs.interpretation
        }

        /// `fromPHR`: the element is in a packet of phr's, which marks the interpretations it worked
        /// out (`FHIRVocabulary.impliedInterpretationExtension`), so any other was reported.
        init(_ element: FHIRObject, fallbackName: String, fromPHR: Bool = false) throws {
            let concept = try element.object("code")
            let codings = try concept?.codings() ?? []
            let coded = ClinicalCodes.code(codings, other: ClinicalResult.CodeSystem.other, ClinicalCodes.resultSystem)
            name = try concept?.text("text") ?? coded?.display ?? concept?.conceptText() ?? fallbackName
            code = coded.map { ($0.code, $0.system) }
            value = try Self.value(of: element)
            let range: ReferenceRange? = try element.objects("referenceRange").first.flatMap { range -> ReferenceRange? in
                let low = try range.object("low")?.number("value")
                let high = try range.object("high")?.number("value")
                let text = try range.text("text")
                if let low, let high, low > high {
                    // A source's slip (US Core's own hematocrit example has 46–38 %): kept as written,
                    // so the value and the rest of the import stand, with no bounds to judge it by.
                    let unit = try range.object("low")?.text("unit") ?? range.object("high")?.text("unit")
                    return ReferenceRange(text: text ?? ResultValue.format(low) + "–" + ResultValue.format(high) + (unit.map { " \($0)" } ?? ""))
                }
                return low == nil && high == nil && text == nil ? nil : ReferenceRange(low: low, high: high, text: text)
            }
            self.range = range
            let concepts = try element.objects("interpretation")
            let interpretation = try concepts.lazy.compactMap { concept in
                try concept.codings().lazy.compactMap { $0.code.flatMap(ClinicalCodes.interpretation) }.first
            }.first
            // An interpretation the value and range already imply (a number above its range is high)
            // is left to the store to work out, as it is for what a patient types: in phr's packets
            // the one phr marked as worked out, elsewhere one that says what the value and range say.
            if fromPHR {
                let worked = try concepts.contains {
                    try $0.objects("extension").contains { try $0.text("url") == FHIRVocabulary.impliedInterpretationExtension }
                }
                self.interpretation = worked ? nil : interpretation
            } else {
                let implied = ClinicalResult(patientID: 0, name: "", value: value, range: range).assessedInterpretation
                self.interpretation = interpretation == implied ? nil : interpretation
            }
        }

        /// The store's fields of a result made of this measurement.
        func apply(to result: inout ClinicalResult) {
            result.name = name
            result.code = code?.code
            result.codeSystem = code?.system
            result.value = value
            result.range = range
            result.interpretation = interpretation
        }

        private static func value(of element: FHIRObject) throws -> ResultValue? {
            if let quantity = try element.object("valueQuantity") {
                // A quantity without a number says nothing (its data-absent reason aside).
                guard let number = try quantity.number("value") else { return nil }
                let code = try quantity.text("code")
                let unit = try quantity.text("system") == FHIRVocabulary.ucumSystem ? code ?? quantity.text("unit")
                    : quantity.text("unit") ?? code
                return .quantity(number, unit: unit,
                                 comparator: try quantity.text("comparator").flatMap(ResultValue.Comparator.init(rawValue:)))
            }
            if let concept = try element.object("valueCodeableConcept") {
                let codings = try concept.codings()
                if let coded = ClinicalCodes.code(codings, other: ClinicalResult.CodeSystem.other, ClinicalCodes.resultSystem) {
                    // "Detected", not SNOMED CT's "Detected (qualifier value)"; the code keeps the concept.
                    let display = try concept.text("text") ?? ClinicalCodes.readableName(codings, preferred: coded.display)
                    return .coded(code: coded.code, system: coded.system,
                                  display: display.map { ClinicalCodes.withoutSemanticTag($0) ?? $0 })
                }
                return try concept.conceptText().map { .text($0) }
            }
            if let text = try element.text("valueString") { return .text(text) }
            if let value = element.fields["valueBoolean"] {
                guard let flag = value as? Bool else { throw element.failure("valueBoolean", "must be true or false") }
                return .text(flag ? "true" : "false")
            }
            if let integer = try element.int("valueInteger") { return .text(String(integer)) }
            if let range = try element.object("valueRange") {
                let low = try quantityText(range.object("low")), high = try quantityText(range.object("high"))
                if low == nil, high == nil { return nil }
                return .text("\(low ?? "")–\(high ?? "")")
            }
            if let ratio = try element.object("valueRatio") {
                let numerator = try quantityText(ratio.object("numerator")), denominator = try quantityText(ratio.object("denominator"))
                if numerator == nil, denominator == nil { return nil }
                return .text("\(numerator ?? "")/\(denominator ?? "")")
            }
            for key in ["valueTime", "valueDateTime"] {
                if let text = try element.text(key) { return .text(text) }
            }
            if let period = try element.object("valuePeriod"), let start = try period.text("start") {
                return .text(start + (try period.text("end").map { " – \($0)" } ?? ""))
            }
            return nil
        }

        /// A Quantity as text: `5 mg`; `nil` without a value.
        private static func quantityText(_ quantity: FHIRObject?) throws -> String? {
            guard let quantity, let number = try quantity.number("value") else { return nil }
            let unit = try quantity.text("unit") ?? quantity.text("code")
            return (try quantity.text("comparator") ?? "") + ResultValue.format(number) + (unit.map { " \($0)" } ?? "")
        }
    }

    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let performers: [FHIRReference]
        let conditions: [FHIRReference]
        let reports: [FHIRReference]
        let members: [FHIRReference]
        let measurement: Measurement
        let components: [Measurement]
        let category: ClinicalResult.Category
        let detail: String?
        let observedAt: DateOrTime?
        let status: ClinicalResult.Status
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(performers, field: "performer", accepting: [.providers])?.id
            let diagnosisID = try references.firstRow(conditions, field: "focus", accepting: [.diagnoses])?.id
            let recordID = try references.firstRow(reports, field: "derivedFrom", accepting: [.records])?.id
            let store = session.store
            // Only now that nothing can defer it: a link taken is gone.
            let linked = session.links.take(keys)
            // Parts are one level deep: a result with parts of its own is never a part.
            let parentID = components.isEmpty && members.isEmpty ? linked?.parentID : nil
            func fill(_ result: inout ClinicalResult, _ merge: FieldMerge) {
                merge.required(&result.patientID, patientID, "patient")
                merge.required(&result.name, measurement.name, "name")
                merge.required(&result.category, category)
                merge.code(&result.code, &result.codeSystem, measurement.code?.code, measurement.code?.system)
                merge.optional(&result.value, measurement.value, "value")
                merge.optional(&result.detail, detail, "detail")
                merge.optional(&result.range, measurement.range)
                merge.optional(&result.interpretation, measurement.interpretation, "interpretation")
                merge.optional(&result.observedAt, observedAt, "date")
                merge.required(&result.status, status)
                merge.optional(&result.providerID, providerID)
                // Packets of earlier phr versions wrote the detail only as a note: the same text is
                // not a note of its own.
                if merge.kind == .sameSource || sourceNotes != result.detail { merge.optional(&result.sourceNotes, sourceNotes, "source notes") }
                // Links others made are kept when this resource says nothing of them.
                if let id = diagnosisID ?? linked?.diagnosisID { result.diagnosisID = id }
                if let id = recordID ?? linked?.recordID { result.recordID = id }
                if let parentID { result.parentID = parentID }
            }
            var partsDiffer = false
            let saved = try session.upsert(
                resource, keys: keys, prior: prior, table: .results, references: references,
                load: { try store.result(id: $0) },
                create: { uuid in
                    var result = ClinicalResult(patientID: patientID, name: measurement.name, uuid: uuid)
                    fill(&result, FieldMerge(kind: .sameSource))
                    result.id = try store.insertResult(result)
                    try syncParts(of: result, store: store, existing: [])
                    return result.id
                },
                merge: { fill(&$0, $1) },
                differs: { result, merge in
                    guard merge.kind == .sameSource, !components.isEmpty else { return false }
                    let existing = try store.results(parentID: result.id)
                    partsDiffer = existing.count < components.count
                        || zip(components, existing).contains { part($0.0, from: $0.1) != $0.1 }
                    return partsDiffer
                },
                save: { result in
                    let updated = try store.updateResult(result)
                    if partsDiffer { try syncParts(of: updated, store: store, existing: try store.results(parentID: updated.id)) }
                    return updated
                })
            if !members.isEmpty {
                try session.links.link(members, as: .parent, to: saved, patientID: patientID, base: keys.base, session: session)
            }
        }

        /// `stored` (a part) made to say what `component` says, with the category, time and status
        /// of the result it is a part of.
        private func part(_ component: Measurement, from stored: ClinicalResult) -> ClinicalResult {
            var part = stored
            component.apply(to: &part)
            part.category = category
            part.observedAt = observedAt
            part.status = status
            return part
        }

        /// Makes the parts of `result` say what its components say: the first parts in order are
        /// updated, missing ones added (parts linked by `hasMember` come after them and stay).
        private func syncParts(of result: ClinicalResult, store: HealthStore, existing: [ClinicalResult]) throws {
            for (index, component) in components.enumerated() {
                if index < existing.count {
                    let updated = part(component, from: existing[index])
                    if updated != existing[index] { try store.updateResult(updated) }
                } else {
                    try store.insertResult(part(component, from: ClinicalResult(patientID: result.patientID, name: component.name,
                                                                                parentID: result.id)))
                }
            }
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            // Its parts made from its components (the first ones, as `syncParts` keeps them) go
            // with it; parts that are results of their own (`hasMember`) are their sources' to take back.
            let componentCount = try body.objects("component").count
            return SourceRetraction(reason: "entered in error", table: .results, status: \ClinicalResult.status,
                                    withdrawn: .enteredInError, load: { try $0.result(id: $1) },
                                    save: { _ = try $0.updateResult($1) },
                                    also: { store, result in
                                        for var part in try store.results(parentID: result.id).prefix(componentCount)
                                        where part.status != .enteredInError {
                                            part.status = .enteredInError
                                            _ = try store.updateResult(part)
                                        }
                                    })
        }
        let categoryCodings = try body.objects("category").flatMap { try $0.codings() }
        let categoryCodes = categoryCodings.compactMap(\.code)
        // phr's own category (as its packets write it beside the standard code) says what the
        // patient filed it as.
        let own = categoryCodings.lazy.filter { $0.system == FHIRVocabulary.resultCategorySystem }
            .compactMap { $0.code.flatMap(ClinicalResult.Category.init(rawValue:)) }.first
        let measurement = try Measurement(body, fallbackName: "Observation", fromPHR: own != nil)
        var classified: (category: ClinicalResult.Category, detail: String?)?
        if let own { classified = (own, nil) }
        if classified == nil, let meta = try body.object("meta") {
            classified = try meta.strings("profile").lazy.compactMap(ClinicalCodes.resultCategory(profile:)).first
        }
        if classified == nil, let code = measurement.code?.code {
            classified = ClinicalCodes.resultCategory(code: code)
        }
        if classified == nil {
            // A category that says something (US Core's social-determinant surveys are "survey" and
            // "sdoh") before one that does not.
            let categories = categoryCodes.compactMap(ClinicalCodes.resultCategory(observationCategory:))
            classified = (categories.first { $0 != .other } ?? categories.first).map { (category: $0, detail: nil as String?) }
        }
        let conditions = try body.references("focus").filter { Self.names($0, ["Condition"]) }
            + body.objects("extension").filter { try $0.text("url") == FHIRVocabulary.mcodeRelatedConditionExtension }
                .compactMap { try $0.reference("valueReference") }
        let components = try body.objects("component").map { try Measurement($0, fallbackName: "Component") }
        let effective = try body.dateOrTime("effectiveDateTime") ?? body.object("effectivePeriod")?.dateOrTime("start")
            ?? body.dateOrTime("effectiveInstant") ?? body.dateOrTime("issued")
        // phr's packets write the detail in an extension, and again as a note: that note is not one
        // of the source's own (its other notes are, even one that reads the same).
        let writtenDetail = try body.extensionValue(FHIRVocabulary.resultDetailExtension, "valueString")
        var noteTexts = try body.objects("note").compactMap { try $0.text("text") }
        if let index = noteTexts.firstIndex(where: { $0 == writtenDetail }) { noteTexts.remove(at: index) }
        var sourceNotes = noteTexts.isEmpty ? nil : noteTexts.joined(separator: "\n\n")
        // Why there is no value: the source's reason, else the kind of value phr does not keep.
        let unkept = body.fields["valueSampledData"] != nil ? "a waveform (sampled data), not kept here"
            : body.fields["valueAttachment"] != nil ? "an attachment, not kept here" : nil
        if measurement.value == nil, let absent = try body.object("dataAbsentReason")?.conceptText() ?? unkept {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "No value: \(absent)")
        }
        return Prepared(
            subject: try body.reference("subject"),
            performers: try body.references("performer"),
            conditions: conditions,
            reports: try body.references("derivedFrom").filter { Self.names($0, ["DocumentReference", "DiagnosticReport"]) },
            members: try body.references("hasMember"),
            measurement: measurement, components: components,
            category: classified?.category ?? .other, detail: writtenDetail ?? classified?.detail, observedAt: effective,
            status: try body.text("status").flatMap(ClinicalResult.Status.init(rawValue:)) ?? .unknown,
            sourceNotes: sourceNotes)
    }

    /// Whether `reference` may name a resource of one of `types` (a `urn:` may name anything): a
    /// `focus` is linked only to a Condition, a `derivedFrom` only to a report or document.
    static func names(_ reference: FHIRReference, _ types: Set<String>) -> Bool {
        if let type = reference.type { return types.contains(type) }
        guard let literal = reference.reference else { return reference.identifier != nil }
        return literal.hasPrefix("urn:") || types.contains { literal.hasPrefix("\($0)/") || literal.contains(utf8: "/\($0)/") }
    }
}
