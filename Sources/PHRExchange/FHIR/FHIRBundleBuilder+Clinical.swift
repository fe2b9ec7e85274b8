import PHRStore

/// The clinical resources of the packet's bundle: Observation, MedicationStatement,
/// AllergyIntolerance, Procedure and Immunization, in standard FHIR R4.
///
/// Guarantees (besides those of `FHIRBundleBuilder`): dates keep the precision they were given
/// (`2026-11`, or a time with its offset); a quantity names UCUM as its system only when its unit
/// is UCUM (`UCUMUnit`), else the unit is kept as text; a code of no known system is written
/// without one; links to a diagnosis, record, provider or result are written only when that
/// thing is in the bundle (a result's diagnosis as `focus`); a medication's dose, route,
/// frequency and instructions each in their own element; what the source said that has no field
/// of its own (`sourceNotes`) is the resource's `note`, and the patient's private notes are not
/// exported. What FHIR has no element for (a result's detail, a dose that is not a number and a
/// unit) or cannot tell apart (an interpretation phr worked out rather than one reported) is said
/// with phr's extensions (`FHIRVocabulary`), so that phr's import reads back every field.
extension FHIRBundleBuilder {
    func clinicalEntries() -> [JSONObjectBuilder] {
        var entries: [JSONObjectBuilder] = []
        for result in contents.results {
            entries.append(observation(result))
            entries += (contents.resultParts[result.id] ?? []).map(observation)
        }
        entries += contents.medications.map(medicationStatement)
        entries += contents.allergies.map(allergyIntolerance)
        entries += contents.noneKnownStatements.map(allergyIntolerance)
        entries += contents.procedures.map(procedure)
        entries += contents.immunizations.map(immunization)
        entries += contents.familyHistory.map(familyMemberHistory)
        return entries
    }

    // MARK: Resources

    private func observation(_ result: ClinicalResult) -> JSONObjectBuilder {
        var resource = start("Observation", result.uuid)
        if let detail = result.detail {
            resource.set("extension", [stringExtension(FHIRVocabulary.resultDetailExtension, detail)])
        }
        resource.set("identifier", [identifier(result.uuid)])
        resource.set("status", result.status.rawValue)
        var categories: [JSONObjectBuilder] = []
        if let standard = FHIRVocabulary.observationCategory(for: result.category) {
            categories.append(concept(system: FHIRVocabulary.observationCategorySystem, code: standard.code, display: standard.display))
        }
        categories.append(concept(system: FHIRVocabulary.resultCategorySystem, code: result.category.rawValue))
        resource.set("category", categories)
        resource.set("code", codeableConcept(code: result.code, system: result.codeSystem.flatMap(FHIRVocabulary.uri(for:)),
                                             text: result.name))
        resource.set("subject", reference(contents.patient.uuid))
        if let diagnosis = contents.diagnosis(id: result.diagnosisID) {
            resource.set("focus", [reference(diagnosis.uuid, display: diagnosis.description)])
        }
        resource.set("effectiveDateTime", result.observedAt?.description)
        if let performer = providerReference(result.providerID) { resource.set("performer", [performer]) }
        switch result.value {
        case .quantity(let number, let unit, let comparator)?:
            var quantity = self.quantity(number, unit: unit)
            if let comparator { quantity.set("comparator", comparator.rawValue) }
            resource.set("valueQuantity", quantity)
        case .coded(let code, let system, let display)?:
            resource.set("valueCodeableConcept", codeableConcept(code: code, system: system.flatMap(FHIRVocabulary.uri(for:)),
                                                                 display: display, text: display))
        case .text(let text)?:
            resource.set("valueString", text)
        case nil:
            break
        }
        if let interpretation = result.assessedInterpretation {
            let code = FHIRVocabulary.interpretationCode(for: interpretation)
            var coded = concept(system: FHIRVocabulary.observationInterpretationSystem, code: code.code, display: code.display)
            if result.interpretation == nil {
                var implied = JSONObjectBuilder()
                implied.set("url", FHIRVocabulary.impliedInterpretationExtension)
                implied.set("valueBoolean", .bool(true))
                coded.set("extension", [implied])
            }
            resource.set("interpretation", [coded])
        }
        // What qualifies the value ("95% of cells", "Allred 8/8") was reported with it: not a
        // private note. Also a note (the first), for readers that ignore phr's extension.
        resource.set("note", annotations(result.detail, result.sourceNotes))
        if let range = result.range {
            var element = JSONObjectBuilder()
            if let low = range.low { element.set("low", quantity(low, unit: result.value?.unit)) }
            if let high = range.high { element.set("high", quantity(high, unit: result.value?.unit)) }
            element.set("text", range.text)
            resource.set("referenceRange", [element])
        }
        resource.set("hasMember", (contents.resultParts[result.id] ?? []).map { reference($0.uuid, display: $0.name) })
        if let record = contents.record(id: result.recordID) {
            resource.set("derivedFrom", [reference(record.uuid, display: record.title)])
        }
        return resource
    }

    private func medicationStatement(_ medication: Medication) -> JSONObjectBuilder {
        var resource = start("MedicationStatement", medication.uuid)
        resource.set("identifier", [identifier(medication.uuid)])
        resource.set("status", FHIRVocabulary.medicationStatementStatus(for: medication.status))
        resource.set("medicationCodeableConcept", codeableConcept(
            code: medication.code, system: medication.codeSystem.flatMap(FHIRVocabulary.uri(for:)), text: medication.name))
        resource.set("subject", reference(contents.patient.uuid))
        if medication.startedOn != nil || medication.endedOn != nil {
            var period = JSONObjectBuilder()
            period.set("start", medication.startedOn?.description)
            period.set("end", medication.endedOn?.description)
            resource.set("effectivePeriod", period)
        }
        resource.set("informationSource", providerReference(medication.providerID))
        if let diagnosis = contents.diagnosis(id: medication.diagnosisID) {
            resource.set("reasonReference", [reference(diagnosis.uuid, display: diagnosis.description)])
        }
        resource.set("note", annotations(medication.sourceNotes))
        resource.set("dosage", [dosage(medication)])
        return resource
    }

    /// The Dosage of a medication: the instructions as written (else dose, route and frequency in
    /// one line) as `text`; the frequency as `timing.code` text; the route as text; the dose as
    /// `doseAndRate.doseQuantity` when a number and a unit say it exactly, else as phr's dose-text
    /// extension.
    private func dosage(_ medication: Medication) -> JSONObjectBuilder {
        var dosage = JSONObjectBuilder()
        if let dose = medication.dose, Self.doseQuantity(dose) == nil {
            dosage.set("extension", [stringExtension(FHIRVocabulary.doseTextExtension, dose)])
        }
        dosage.set("text", medication.instructions ?? medication.dosageText)
        if let frequency = medication.frequency {
            var code = JSONObjectBuilder()
            code.set("text", frequency)
            var timing = JSONObjectBuilder()
            timing.set("code", code)
            dosage.set("timing", timing)
        }
        if let route = medication.route {
            var concept = JSONObjectBuilder()
            concept.set("text", route)
            dosage.set("route", concept)
        }
        if let dose = medication.dose.flatMap(Self.doseQuantity) {
            var doseAndRate = JSONObjectBuilder()
            doseAndRate.set("doseQuantity", quantity(dose.number, unit: dose.unit))
            dosage.set("doseAndRate", [doseAndRate])
        }
        return dosage
    }

    /// A dose that is a number and a unit written as phr writes a quantity back (`2.5 mg`,
    /// `325 mg`, `2 tablets`), else `nil`: the text must come back exactly.
    static func doseQuantity(_ dose: String) -> (number: Double, unit: String)? {
        let parts = dose.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Double(parts[0]), number.isFinite else { return nil }
        let unit = String(parts[1])
        guard !unit.isEmpty, ResultValue.format(number) + " " + unit == dose else { return nil }
        return (number, unit)
    }

    private func allergyIntolerance(_ allergy: Allergy) -> JSONObjectBuilder {
        var resource = start("AllergyIntolerance", allergy.uuid)
        resource.set("identifier", [identifier(allergy.uuid)])
        resource.set("clinicalStatus", concept(system: FHIRVocabulary.allergyClinicalSystem,
                                               code: FHIRVocabulary.allergyClinicalCode(for: allergy.status)))
        resource.set("type", allergy.kind?.rawValue)
        resource.set("category", allergy.category.map { JSONValue.array([.string($0.rawValue)]) })
        resource.set("criticality", allergy.criticality?.rawValue)
        switch allergy.entry {
        case .noneKnown:
            let coded = FHIRVocabulary.noKnownAllergy(allergy.category)
            var code = concept(system: FHIRVocabulary.snomedSystem, code: coded.code, display: coded.display)
            code.set("text", allergy.displayName)
            resource.set("code", code)
        case .allergy:
            resource.set("code", codeableConcept(code: allergy.substanceCode,
                                                 system: allergy.substanceCodeSystem.flatMap(FHIRVocabulary.uri(for:)),
                                                 text: allergy.substance))
        }
        resource.set("patient", reference(contents.patient.uuid))
        resource.set("recordedDate", allergy.recordedOn?.description)
        if let text = allergy.reaction {
            let manifestations = FHIRVocabulary.manifestations(in: text).map { part -> JSONObjectBuilder in
                var concept = JSONObjectBuilder()
                concept.set("text", part)
                return concept
            }
            var reaction = JSONObjectBuilder()
            // The reaction as written ("hives;wheezing"), besides its manifestations one by one.
            reaction.set("description", text)
            reaction.set("manifestation", manifestations)
            reaction.set("severity", allergy.severity?.rawValue)
            if !manifestations.isEmpty { resource.set("reaction", [reaction]) }
        }
        resource.set("note", annotations(allergy.sourceNotes))
        return resource
    }

    private func procedure(_ procedure: Procedure) -> JSONObjectBuilder {
        var resource = start("Procedure", procedure.uuid)
        resource.set("identifier", [identifier(procedure.uuid)])
        resource.set("status", procedure.status.rawValue)
        var category = concept(system: FHIRVocabulary.procedureCategorySystem, code: procedure.category.rawValue)
        category.set("text", procedure.category.rawValue.replacingOccurrences(of: "-", with: " "))
        resource.set("category", category)
        resource.set("code", codeableConcept(code: procedure.code, system: procedure.codeSystem.flatMap(FHIRVocabulary.uri(for:)),
                                             text: procedure.name))
        resource.set("subject", reference(contents.patient.uuid))
        if let until = procedure.performedUntil {
            var period = JSONObjectBuilder()
            period.set("start", procedure.performedOn?.description)
            period.set("end", until.description)
            resource.set("performedPeriod", period)
        } else {
            resource.set("performedDateTime", procedure.performedOn?.description)
        }
        if let actor = providerReference(procedure.providerID) {
            var performer = JSONObjectBuilder()
            performer.set("actor", actor)
            resource.set("performer", [performer])
        }
        if let diagnosis = contents.diagnosis(id: procedure.diagnosisID) {
            resource.set("reasonReference", [reference(diagnosis.uuid, display: diagnosis.description)])
        }
        if let site = procedure.bodySite {
            var concept = JSONObjectBuilder()
            concept.set("text", site)
            resource.set("bodySite", [concept])
        }
        if let outcome = procedure.outcome {
            var concept = JSONObjectBuilder()
            concept.set("text", outcome)
            resource.set("outcome", concept)
        }
        resource.set("note", annotations(procedure.sourceNotes))
        return resource
    }

    private func immunization(_ immunization: Immunization) -> JSONObjectBuilder {
        var resource = start("Immunization", immunization.uuid)
        resource.set("identifier", [identifier(immunization.uuid)])
        resource.set("status", immunization.status.rawValue)
        resource.set("vaccineCode", codeableConcept(code: immunization.code,
                                                    system: immunization.codeSystem.flatMap(FHIRVocabulary.uri(for:)),
                                                    text: immunization.vaccine))
        resource.set("patient", reference(contents.patient.uuid))
        // occurrence[x] is required: an unknown date is said in words.
        if let givenOn = immunization.givenOn {
            resource.set("occurrenceDateTime", givenOn.description)
        } else {
            resource.set("occurrenceString", FHIRVocabulary.unknownOccurrence)
        }
        resource.set("note", annotations(immunization.sourceNotes))
        return resource
    }

    /// One relative's condition. The relationship is written as typed (`text`) with its
    /// v3-RoleCode coding when known; ages go through `FamilyHistoryAge`, so they read back as written.
    private func familyMemberHistory(_ entry: FamilyHistory) -> JSONObjectBuilder {
        var resource = start("FamilyMemberHistory", entry.uuid)
        resource.set("identifier", [identifier(entry.uuid)])
        resource.set("status", entry.status.rawValue)
        resource.set("patient", reference(contents.patient.uuid))
        resource.set("date", entry.recordedOn?.description)
        resource.set("relationship", codeableConcept(code: entry.relationshipCode, system: FHIRVocabulary.roleCodeSystem,
                                                     display: entry.relationshipCode.flatMap(FamilyRelationship.word(for:)),
                                                     text: entry.relationship))
        if let sex = entry.relativeSex {
            resource.set("sex", concept(system: FHIRVocabulary.administrativeGenderSystem, code: sex.rawValue))
        }
        switch entry.deceased {
        case .yes?:
            if let age = entry.deceasedAge {
                let member = FamilyHistoryAge(age).member("deceased")
                resource.set(member.key, member.value)
            } else {
                resource.set("deceasedBoolean", .bool(true))
            }
        case .no?: resource.set("deceasedBoolean", .bool(false))
        case .unknown?: resource.set("deceasedString", FHIRVocabulary.unknownDeceased)
        case nil: break
        }
        var condition = JSONObjectBuilder()
        condition.set("code", codeableConcept(code: entry.code, system: entry.codeSystem.flatMap(FHIRVocabulary.uri(for:)),
                                              text: entry.condition))
        if let onset = entry.onsetAge {
            let member = FamilyHistoryAge(onset).member("onset")
            condition.set(member.key, member.value)
        }
        resource.set("condition", [condition])
        resource.set("note", annotations(entry.sourceNotes))
        return resource
    }

    // MARK: Data types

    /// An Annotation (`note`) for each text that is set, in order: what the source said of a thing
    /// (`sourceNotes`), a result's detail. Never the patient's notes.
    func annotations(_ texts: String?...) -> [JSONObjectBuilder] {
        texts.compactMap { text in
            guard let text else { return nil }
            var note = JSONObjectBuilder()
            note.set("text", text)
            return note
        }
    }

    /// An extension of phr's carrying text as written.
    func stringExtension(_ url: String, _ value: String) -> JSONObjectBuilder {
        var ext = JSONObjectBuilder()
        ext.set("url", url)
        ext.set("valueString", value)
        return ext
    }

    /// A Quantity: UCUM as its system (and the unit as its code) only when the unit is UCUM.
    private func quantity(_ number: Double, unit: String?) -> JSONObjectBuilder {
        var quantity = JSONObjectBuilder()
        quantity.set("value", .decimal(number))
        quantity.set("unit", unit)
        if let unit, UCUMUnit.isUCUM(unit) {
            quantity.set("system", FHIRVocabulary.ucumSystem)
            quantity.set("code", unit)
        }
        return quantity
    }

    /// A CodeableConcept of an optional code (with its system, when known) and the text as written.
    private func codeableConcept(code: String?, system: String?, display: String? = nil, text: String?) -> JSONObjectBuilder {
        var concept = JSONObjectBuilder()
        if let code { concept.set("coding", [coding(system: system, code: code, display: display)]) }
        concept.set("text", text)
        return concept
    }
}
