import PHRStore

/// C-CDA entries → FHIR resources, one function per section kind.
extension CCDABundleBuilder {
    func read(_ statement: XMLTreeElement, in section: CCDASection, position: String) {
        // A statement that is itself null ("no information", HL7's unknown immunization status
        // example) says nothing: the section's entry count shows it was read.
        guard statement.attribute("nullFlavor") == nil else {
            entrySkip = .noInformation
            return
        }
        switch section {
        case .problems: problem(statement, position: position)
        case .medications: medication(statement, position: position)
        case .allergies: allergy(statement, position: position)
        case .results: observations(statement, category: "laboratory", position: position)
        case .vitalSigns: observations(statement, category: "vital-signs", position: position)
        case .socialHistory: observations(statement, category: "social-history", position: position)
        case .procedures: procedure(statement, position: position)
        case .encounters: encounter(statement, position: position)
        case .immunizations: immunization(statement, position: position)
        case .familyHistory: familyHistory(statement, position: position)
        case .planOfTreatment:
            // Planned visits, medications and procedures become rows (planned, preparation);
            // orders for tests and instructions stay in the plan's narrative, kept as a note.
            switch statement.name {
            case "encounter": encounter(statement, position: position)
            case "substanceAdministration": medication(statement, position: position)
            case "procedure": procedure(statement, position: position)
            default: entrySkip = .keptInPlanNote
            }
        }
    }

    private var subject: [String: Any] { ["reference": patientURL] }

    private static func isNegated(_ element: XMLTreeElement) -> Bool { element.attribute("negationInd") == "true" }

    /// Whether an entry (or the concern act holding it) was recorded in error: HL7 v3's
    /// `nullified` status, FHIR's `entered-in-error`. A later document saying so takes back what an
    /// earlier one gave (`SourceRetraction`).
    private static func isNullified(_ element: XMLTreeElement, concern: XMLTreeElement? = nil) -> Bool {
        element.child("statusCode")?.attribute("code") == "nullified" || concern?.child("statusCode")?.attribute("code") == "nullified"
    }

    private static func isPlanned(_ element: XMLTreeElement) -> Bool {
        !["EVN", nil].contains(element.attribute("moodCode"))
    }

    /// The observations inside a statement's `entryRelationship`s.
    private static func related(_ element: XMLTreeElement, _ name: String = "observation", typeCode: String? = nil) -> [XMLTreeElement] {
        element.children("entryRelationship").filter { typeCode == nil || $0.attribute("typeCode") == typeCode }
            .compactMap { $0.child(name) }
    }

    private static func hasTemplate(_ element: XMLTreeElement, _ roots: Set<String>) -> Bool {
        element.children("templateId").contains { roots.contains($0.attribute("root") ?? "") }
    }

    /// The status a status observation inside `element` gives (SNOMED CT value).
    private static func statusObservation(_ element: XMLTreeElement, templates: Set<String>) -> String? {
        related(element).first { hasTemplate($0, templates) || $0.child("code")?.attribute("code") == "33999-4" }?
            .child("value")?.attribute("code").flatMap(CCDAVocabulary.clinicalStatus)
    }

    // MARK: Problems

    private func problem(_ statement: XMLTreeElement, position: String) {
        // A concern act holds the problem observations; an observation may stand alone.
        let concern = statement.name == "act" ? statement : nil
        let observations = concern.map { Self.related($0, typeCode: "SUBJ") } ?? (statement.name == "observation" ? [statement] : [])
        for (index, observation) in observations.enumerated() {
            let value = observation.children("value").first
            guard var code = concept(value) ?? resolved(observation.child("text")).map({ ["text": $0] }) else { continue }
            if Self.isNegated(observation), let valueCode = value?.attribute("code"), CCDAVocabulary.anyProblem.contains(valueCode) {
                // "No known problems": not a problem, nor a refuted one. The FHIR mapper skips it, saying so.
                code = ["coding": [["system": FHIRVocabulary.snomedSystem, "code": "160245001", "display": "No current problems or disability"]],
                        "text": "No known problems"]
            }
            var resource: [String: Any] = ["subject": subject, "code": code,
                                           "category": [["coding": [["system": FHIRVocabulary.conditionCategorySystem,
                                                                     "code": "problem-list-item"]]]]]
            let observed = period(of: observation)
            let concernStart = concern.flatMap { period(of: $0).start }
            if let onset = observed.start ?? concernStart { resource["onsetDateTime"] = onset }
            let resolvedOn = observed.end
            if let resolvedOn { resource["abatementDateTime"] = resolvedOn }
            var status = Self.statusObservation(observation, templates: ["2.16.840.1.113883.10.20.22.4.6", "2.16.840.1.113883.10.20.1.50"])
            if status == nil {
                if resolvedOn != nil { status = "resolved" }
                else if concern?.child("statusCode")?.attribute("code") == "completed" { status = "resolved" }
                else { status = "active" }
            }
            if Self.isNullified(observation, concern: concern) {
                resource["verificationStatus"] = ["coding": [["system": FHIRVocabulary.conditionVerificationSystem, "code": "entered-in-error"]]]
            } else if Self.isNegated(observation) {
                resource["verificationStatus"] = ["coding": [["system": FHIRVocabulary.conditionVerificationSystem, "code": "refuted"]]]
            } else if let status {
                resource["clinicalStatus"] = ["coding": [["system": FHIRVocabulary.conditionClinicalSystem, "code": status]]]
            }
            if let recorded = time(observation.at("author/time") ?? concern?.at("author/time")) { resource["recordedDate"] = recorded }
            // The resolution date goes into the source notes as the FHIR mapper writes every abatement date.
            add("Condition", key: key("Condition", observation, fallback: "\(position).\(index)"), resource)
        }
    }

    // MARK: Medications

    private func medication(_ statement: XMLTreeElement, position: String) {
        if statement.name == "act" {
            // A discharge medication act holds the medication activities.
            for (index, inner) in Self.related(statement, "substanceAdministration").enumerated() {
                medication(inner, position: "\(position).\(index)")
            }
            return
        }
        guard statement.name == "substanceAdministration" else { return }
        let material = statement.at("consumable/manufacturedProduct/manufacturedMaterial")
        // A medicine named only in words (no code, no name: "Experimental '150 cure-all drug',
        // take one tab by mouth every morning") is named by its instructions, else by its text.
        let instructions = Self.related(statement, "substanceAdministration", typeCode: "COMP")
            .first { Self.hasTemplate($0, ["2.16.840.1.113883.10.20.22.4.147"]) }
        guard var drug = concept(material?.child("code")) ?? material?.child("name")?.text.map({ ["text": $0] })
            ?? (resolved(instructions?.child("text")) ?? resolved(statement.child("text"))).map({ ["text": $0] }) else { return }
        if Self.isNegated(statement), material?.child("code")?.attribute("code") == nil,
           material?.child("code")?.children("translation").contains(where: { CCDAVocabulary.anyMedicine.contains($0.attribute("code") ?? "") }) == true {
            // "No medications": no medicine named, only "a drug" negated. The FHIR mapper skips it, saying so.
            drug = ["coding": [["system": FHIRVocabulary.snomedSystem, "code": "787481004", "display": "No known medications"]],
                    "text": "No known medications"]
        }
        var resource: [String: Any] = ["subject": subject, "medicationCodeableConcept": drug]
        let code = statement.child("statusCode")?.attribute("code")
        if Self.isNullified(statement) { resource["status"] = "entered-in-error" }
        else if Self.isNegated(statement) { resource["status"] = "not-taken" }
        else if Self.isPlanned(statement) { resource["status"] = "intended" }
        else {
            switch code {
            case "completed": resource["status"] = "completed"
            case "aborted", "cancelled": resource["status"] = "stopped"
            case "suspended", "held": resource["status"] = "on-hold"
            case "new": resource["status"] = "intended"
            default: resource["status"] = "active"
            }
        }
        let taken = period(of: statement)
        if let end = taken.end {
            var period: [String: Any] = ["end": end]
            if let start = taken.start { period["start"] = start }
            resource["effectivePeriod"] = period
        } else if let start = taken.start {
            resource["effectivePeriod"] = ["start": start]
        }
        if let dosage = dosage(of: statement) { resource["dosage"] = [dosage] }
        add("MedicationStatement", key: key("MedicationStatement", statement, fallback: position), resource)
    }

    // MARK: Allergies

    private func allergy(_ statement: XMLTreeElement, position: String) {
        let concern = statement.name == "act" ? statement : nil
        // A concern act holds its allergy observations, and may hold beside them an observation
        // about them (a severity, as CCDs of C-CDA 1.1 put it): that is no allergy. A severity
        // there is the allergies' own when they give none.
        let concerning = concern.map { Self.related($0, typeCode: "SUBJ") } ?? (statement.name == "observation" ? [statement] : [])
        let concernSeverity = concerning.first(where: Self.isSeverity)?.child("value")?.attribute("code").flatMap(CCDAVocabulary.severity)
        let observations = concerning.filter { !Self.isAboutAnAllergy($0) }
        for (index, observation) in observations.enumerated() {
            var resource: [String: Any] = ["patient": subject]
            let substanceEntity = observation.children("participant").first { ($0.attribute("typeCode") ?? "CSM") == "CSM" }?
                .at("participantRole/playingEntity")
            let valueCode = observation.child("value")?.attribute("code")
            let absence = AbsenceStatement([FHIRCoding(system: FHIRVocabulary.snomedSystem, code: valueCode, display: nil)])
            // The substance a negated observation names ("not allergic to peanuts").
            let namedSubstance = substanceEntity?.child("code")?.attribute("code") != nil ? concept(substanceEntity?.child("code")) : nil
            let noneKnown = (Self.isNegated(observation) && namedSubstance == nil) || absence?.kind == .noneKnown
                || (substanceEntity?.child("code")?.attribute("nullFlavor") == "NA" && substanceEntity?.child("code")?.attribute("code") == nil)
            // A negated "drug allergy" (food, environmental): no known allergies of that kind only.
            let negatedKind = Self.isNegated(observation)
                ? valueCode.flatMap { CCDAVocabulary.allergyType($0).category }.flatMap(Allergy.Category.init(rawValue:)) : nil
            if Self.isNegated(observation), let namedSubstance {
                // "Not allergic to peanuts": no allergy, and not "none known" of anything else
                // either. FHIR says it as a refuted allergy, which the mapper skips, saying so.
                resource["code"] = namedSubstance
                resource["verificationStatus"] = ["coding": [["system": FHIRVocabulary.allergyVerificationSystem, "code": "refuted"]]]
            } else if let absence, let valueCode, absence.kind != .noneKnown, !Self.isNegated(observation) {
                // "No known drug allergy" and the like: the FHIR mapper reads which kind.
                resource["code"] = ["coding": [["system": FHIRVocabulary.snomedSystem, "code": valueCode, "display": absence.text]]]
            } else if let negatedKind, Allergy.noneKnownCategories.contains(negatedKind) {
                let coded = FHIRVocabulary.noKnownAllergy(negatedKind)
                resource["code"] = ["coding": [["system": FHIRVocabulary.snomedSystem, "code": coded.code, "display": coded.display]],
                                    "text": Allergy.noneKnownText(negatedKind)]
            } else if noneKnown {
                resource["code"] = ["coding": [["system": FHIRVocabulary.snomedSystem, "code": "716186003",
                                                "display": "No known allergy"]], "text": "No known allergies"]
            } else {
                guard let substance = concept(substanceEntity?.child("code")) ?? substanceEntity?.child("name")?.text.map({ ["text": $0] })
                    ?? concept(observation.child("value")) else { continue }
                resource["code"] = substance
                let type = CCDAVocabulary.allergyType(valueCode ?? "")
                if let kind = type.kind { resource["type"] = kind }
                if let category = type.category { resource["category"] = [category] }
            }
            if Self.isNullified(observation, concern: concern) {
                resource["verificationStatus"] = ["coding": [["system": FHIRVocabulary.allergyVerificationSystem, "code": "entered-in-error"]]]
            }
            var reactions: [[String: Any]] = []
            var severity = Self.related(observation).first(where: Self.isSeverity)?
                .child("value")?.attribute("code").flatMap(CCDAVocabulary.severity) ?? concernSeverity
            for reaction in Self.related(observation, typeCode: "MFST") {
                guard let manifestation = concept(reaction.child("value")) else { continue }
                var item: [String: Any] = ["manifestation": [manifestation]]
                let own = Self.related(reaction).first(where: Self.isSeverity)?
                    .child("value")?.attribute("code").flatMap(CCDAVocabulary.severity)
                if let level = own ?? severity { item["severity"] = level }
                reactions.append(item)
            }
            if !reactions.isEmpty { resource["reaction"] = reactions } else { severity = nil }
            if let critical = Self.related(observation).first(where: { Self.hasTemplate($0, ["2.16.840.1.113883.10.20.22.4.145"]) })?
                .child("value")?.attribute("code") {
                let levels = ["CRITL": "low", "CRITH": "high", "CRITU": "unable-to-assess"]
                if let level = levels[critical] { resource["criticality"] = level }
            }
            var status = Self.statusObservation(observation, templates: ["2.16.840.1.113883.10.20.22.4.28", "2.16.840.1.113883.10.20.1.39"])
            if status == nil, let concern {
                status = concern.child("statusCode")?.attribute("code") == "completed" ? "inactive" : "active"
            }
            if let status, !noneKnown {
                resource["clinicalStatus"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                                          "code": status]]]
            }
            let observed = period(of: observation)
            if let onset = observed.start { resource["onsetDateTime"] = onset }
            if let recorded = time(observation.at("author/time") ?? concern?.at("author/time")) {
                resource["recordedDate"] = recorded
            } else if noneKnown, let start = observed.start ?? concern.map({ period(of: $0) })?.start {
                resource["recordedDate"] = start
            }
            add("AllergyIntolerance", key: key("AllergyIntolerance", observation, fallback: "\(position).\(index)"), resource)
        }
    }

    /// A severity observation (C-CDA's template, or an observation coded `SEV`).
    private static func isSeverity(_ observation: XMLTreeElement) -> Bool {
        observation.child("code")?.attribute("code") == "SEV" || hasTemplate(observation, ["2.16.840.1.113883.10.20.22.4.8"])
    }

    /// An observation about an allergy rather than one: its severity, reaction, criticality or status.
    private static func isAboutAnAllergy(_ observation: XMLTreeElement) -> Bool {
        isSeverity(observation) || ["CRIT", "33999-4"].contains(observation.child("code")?.attribute("code") ?? "")
            || hasTemplate(observation, ["2.16.840.1.113883.10.20.22.4.9", "2.16.840.1.113883.10.20.22.4.145",
                                         "2.16.840.1.113883.10.20.22.4.28", "2.16.840.1.113883.10.20.1.39"])
    }

    // MARK: Results, vital signs, social history

    private func observations(_ statement: XMLTreeElement, category: String, position: String) {
        switch statement.name {
        case "organizer":
            let organizerTime = period(of: statement).start
            for (index, component) in statement.children("component").enumerated() {
                if let observation = component.child("observation") {
                    result(observation, category: category, fallbackTime: organizerTime, position: "\(position).\(index)")
                }
            }
        case "observation":
            result(statement, category: category, fallbackTime: nil, position: position)
        default:
            break
        }
    }

    private func result(_ observation: XMLTreeElement, category: String, fallbackTime: String?, position: String) {
        guard var code = concept(observation.child("code")) else { return }
        if Self.isPlanned(observation) {
            entrySkip = .plannedTest
            return
        }
        // A code C-CDA's templates fix, often written without its name (smoking status is always
        // LOINC 72166-2): named, so that the result is not called "72166-2".
        if code["text"] == nil, let loinc = observation.child("code")?.attribute("code"),
           observation.child("code")?.attribute("displayName") == nil, let name = CCDAVocabulary.templateCodeNames[loinc] {
            code["text"] = name
        }
        // A security observation (HL7's privacy labels: "no disclosure without the attending
        // provider's authorization") labels the document, not the patient: no result.
        if observation.child("code")?.attribute("codeSystem") == CCDAVocabulary.securityObservationTypeOID {
            entrySkip = .privacyLabel
            return
        }
        // An assertion ("Pregnancy", coded ASSERTION with the finding as its value) is named by
        // what it asserts; its value says whether it is so, negated or not ("not pregnant").
        if observation.child("code")?.attribute("code") == "ASSERTION", let asserted = concept(observation.child("value")) {
            var resource: [String: Any] = [
                "subject": subject, "code": asserted, "status": "final",
                "category": [["coding": [["system": CCDAVocabulary.observationCategorySystem, "code": category]]]],
                "valueString": Self.isNegated(observation) ? "absent" : "present",
            ]
            if let time = period(of: observation).start ?? fallbackTime { resource["effectiveDateTime"] = time }
            add("Observation", key: key("Observation", observation, fallback: position), resource)
            return
        }
        var resource: [String: Any] = [
            "subject": subject, "code": code,
            "category": [["coding": [["system": CCDAVocabulary.observationCategorySystem, "code": category]]]],
        ]
        switch observation.child("statusCode")?.attribute("code") {
        case "active": resource["status"] = "preliminary"
        case "aborted", "cancelled": resource["status"] = "cancelled"
        case "nullified": resource["status"] = "entered-in-error"
        default: resource["status"] = "final"
        }
        if let time = period(of: observation).start ?? fallbackTime { resource["effectiveDateTime"] = time }
        if let value = observation.child("value"), value.attribute("nullFlavor") == nil || value.attribute("value") != nil
            || value.attribute("code") != nil || value.text != nil || value.child("translation")?.attribute("value") != nil {
            let type = (value.attribute("type") ?? "").split(separator: ":").last.map(String.init) ?? ""
            switch type {
            case "PQ":
                if let quantity = Self.quantity(value) { resource["valueQuantity"] = quantity }
            case "IVL_PQ":
                // ">500 mg/dL" is a low bound alone, "<=5 pg/mL" a high bound (above 0 or nothing):
                // a number with its comparator. A range with two real bounds stays a range.
                let low = value.child("low"), high = value.child("high")
                let lowQuantity = Self.quantity(low), highQuantity = Self.quantity(high)
                if var bound = highQuantity, lowQuantity == nil || lowQuantity?["value"] as? Double == 0 {
                    bound["comparator"] = high?.attribute("inclusive") == "false" ? "<" : "<="
                    resource["valueQuantity"] = bound
                } else if var bound = lowQuantity, highQuantity == nil {
                    bound["comparator"] = low?.attribute("inclusive") == "false" ? ">" : ">="
                    resource["valueQuantity"] = bound
                } else if let lowQuantity, let highQuantity {
                    resource["valueRange"] = ["low": lowQuantity, "high": highQuantity]
                }
            case "INT":
                if let number = value.attribute("value").flatMap(Int.init) { resource["valueInteger"] = number }
            case "REAL":
                if let number = value.attribute("value").flatMap(Double.init) { resource["valueQuantity"] = ["value": number] }
            case "CD", "CE", "CO", "CV", "CS":
                if let concept = concept(value) { resource["valueCodeableConcept"] = concept }
            case "BL":
                if let flag = value.attribute("value") { resource["valueString"] = flag }
            case "TS":
                if let text = time(value) { resource["valueString"] = text }
            default:
                if let text = resolved(value) ?? value.attribute("value") { resource["valueString"] = text }
            }
        }
        if Self.isNegated(observation) {
            // A negated coded or text value: "not" what it says.
            if let concept = resource.removeValue(forKey: "valueCodeableConcept") as? [String: Any],
               let text = concept["text"] as? String ?? (concept["coding"] as? [[String: Any]])?.lazy.compactMap({ $0["display"] as? String }).first {
                resource["valueString"] = "not " + text
            } else if let text = resource["valueString"] as? String {
                resource["valueString"] = "not " + text
            }
        }
        if resource["valueQuantity"] == nil, resource["valueRange"] == nil, resource["valueInteger"] == nil,
           resource["valueCodeableConcept"] == nil, resource["valueString"] == nil {
            let flavor = observation.child("value")?.attribute("nullFlavor")
            if flavor == "TRC" {
                // Trace: present, too little to measure. That is the value ("trace" protein).
                resource["valueString"] = "trace"
            } else {
                // Why: pending, else what the null flavor says ("temporarily unavailable").
                let reason = resource["status"] as? String == "preliminary" ? "pending"
                    : flavor.flatMap { CCDAVocabulary.nullFlavorWords[$0] } ?? "none given"
                resource["dataAbsentReason"] = ["text": reason]
            }
        }
        let interpretations = observation.children("interpretationCode").compactMap { element -> [String: Any]? in
            guard let code = element.attribute("code") else { return nil }
            return ["coding": [["system": CCDAVocabulary.interpretationSystem, "code": code]]]
        }
        if !interpretations.isEmpty { resource["interpretation"] = interpretations }
        if let range = observation.at("referenceRange/observationRange") {
            var reference: [String: Any] = [:]
            if let value = range.child("value") {
                if let low = Self.quantity(value.child("low")) { reference["low"] = low }
                if let high = Self.quantity(value.child("high")) { reference["high"] = high }
            }
            if let text = resolved(range.child("text")) { reference["text"] = text }
            if !reference.isEmpty { resource["referenceRange"] = [reference] }
        }
        add("Observation", key: key("Observation", observation, fallback: position), resource)
    }

    // MARK: Procedures

    private func procedure(_ statement: XMLTreeElement, position: String) {
        guard ["procedure", "observation", "act"].contains(statement.name), let code = concept(statement.child("code")) else { return }
        var resource: [String: Any] = ["subject": subject, "code": code]
        if Self.isNullified(statement) { resource["status"] = "entered-in-error" }
        else if Self.isNegated(statement) { resource["status"] = "not-done" }
        else if Self.isPlanned(statement) { resource["status"] = "preparation" }
        else {
            switch statement.child("statusCode")?.attribute("code") {
            case "active": resource["status"] = "in-progress"
            case "aborted": resource["status"] = "stopped"
            case "cancelled": resource["status"] = "not-done"
            case "suspended": resource["status"] = "on-hold"
            default: resource["status"] = "completed"
            }
        }
        let done = period(of: statement)
        if let end = done.end {
            var period: [String: Any] = ["end": end]
            if let start = done.start { period["start"] = start }
            resource["performedPeriod"] = period
        } else if let start = done.start {
            resource["performedDateTime"] = start
        }
        if let site = concept(statement.child("targetSiteCode")) { resource["bodySite"] = [site] }
        let performers = statement.children("performer").compactMap { $0.child("assignedEntity").flatMap(provider) }
        if !performers.isEmpty { resource["performer"] = performers.map { ["actor": $0] } }
        add("Procedure", key: key("Procedure", statement, fallback: position), resource)
    }

    // MARK: Encounters and planned visits

    private func encounter(_ statement: XMLTreeElement, position: String) {
        guard statement.name == "encounter" else { return }
        let type = concept(statement.child("code"))
        let visit = period(of: statement)
        let providers = statement.children("performer").compactMap { $0.child("assignedEntity").flatMap(provider) }
        let location = statement.children("participant").first { $0.attribute("typeCode") == "LOC" }?
            .at("participantRole/playingEntity/name")?.text
        var reasons: [[String: Any]] = Self.related(statement, typeCode: "RSON").compactMap { concept($0.child("value")) }
        for act in Self.related(statement, "act") {
            reasons += Self.related(act).compactMap { concept($0.child("value")) }
        }
        if Self.isPlanned(statement) {
            var resource: [String: Any] = ["status": statement.attribute("moodCode") == "APT" ? "booked" : "proposed"]
            var participants: [[String: Any]] = [["actor": ["reference": patientURL, "type": "Patient"]]]
            participants += providers.map { ["actor": $0] }
            if let location { participants.append(["actor": ["display": location, "type": "Location"]]) }
            resource["participant"] = participants
            if let start = visit.start { resource["start"] = start }
            if let end = visit.end { resource["end"] = end }
            if let text = type?["text"] as? String ?? resolved(statement.child("text")) { resource["description"] = text }
            if !reasons.isEmpty { resource["reasonCode"] = reasons }
            add("Appointment", key: key("Appointment", statement, fallback: position), resource)
            return
        }
        var resource: [String: Any] = ["status": "finished", "subject": subject,
                                       "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"]]
        if let type { resource["type"] = [type] }
        if visit.start != nil || visit.end != nil {
            var period: [String: Any] = [:]
            if let start = visit.start { period["start"] = start }
            if let end = visit.end { period["end"] = end }
            resource["period"] = period
        }
        if !providers.isEmpty { resource["participant"] = providers.map { ["individual": $0] } }
        if reasons.isEmpty, let type { reasons = [type] }
        if !reasons.isEmpty { resource["reasonCode"] = reasons }
        if let location { resource["location"] = [["location": ["display": location]]] }
        add("Encounter", key: key("Encounter", statement, fallback: position), resource)
    }

    // MARK: Immunizations

    private func immunization(_ statement: XMLTreeElement, position: String) {
        guard statement.name == "substanceAdministration" else { return }
        let material = statement.at("consumable/manufacturedProduct/manufacturedMaterial")
        guard let vaccine = concept(material?.child("code")) ?? material?.child("name")?.text.map({ ["text": $0] }) else { return }
        if Self.isPlanned(statement) { return }
        var resource: [String: Any] = ["patient": subject, "vaccineCode": vaccine,
                                       "status": Self.isNullified(statement) ? "entered-in-error"
                                           : Self.isNegated(statement) ? "not-done" : "completed"]
        if let given = period(of: statement).start { resource["occurrenceDateTime"] = given }
        if let lot = material?.child("lotNumberText")?.text { resource["lotNumber"] = lot }
        add("Immunization", key: key("Immunization", statement, fallback: position), resource)
    }

    // MARK: Family history

    /// A Family History Organizer (one relative: the relationship, sex, whether they died) with its
    /// Family History Observations (each a condition: its value, the Age Observation's age at
    /// onset, a Family History Death Observation saying it caused the death) → one
    /// FamilyMemberHistory, read by FHIR import's mapper.
    private func familyHistory(_ statement: XMLTreeElement, position: String) {
        guard statement.name == "organizer" else { return }
        let relative = statement.at("subject/relatedSubject")
        var resource: [String: Any] = ["patient": subject, "status": Self.isNullified(statement) ? "entered-in-error" : "completed"]
        resource["relationship"] = concept(relative?.child("code")) ?? ["text": "relative"]
        let person = relative?.child("subject")
        switch person?.child("administrativeGenderCode")?.attribute("code") {
        case "M": resource["sex"] = ["coding": [["system": FHIRVocabulary.administrativeGenderSystem, "code": "male"]]]
        case "F": resource["sex"] = ["coding": [["system": FHIRVocabulary.administrativeGenderSystem, "code": "female"]]]
        default: break
        }
        switch person?.child("deceasedInd")?.attribute("value") {
        case "true": resource["deceasedBoolean"] = true
        case "false": resource["deceasedBoolean"] = false
        default: break
        }
        var conditions: [[String: Any]] = []
        for observation in statement.children("component").compactMap({ $0.child("observation") })
            where observation.attribute("nullFlavor") == nil && !Self.isNegated(observation) {
            guard let code = concept(observation.child("value")) else { continue }
            var condition: [String: Any] = ["code": code]
            let related = Self.related(observation)
            let age = related.first(where: { Self.hasTemplate($0, ["2.16.840.1.113883.10.20.22.4.31"])
                                             || $0.child("code")?.attribute("code") == "445518008" })?.child("value")
            if let quantity = Self.quantity(age) {
                condition["onsetAge"] = quantity
            } else if let range = Self.quantityRange(age) {
                // An IVL_PQ where the template wants a PQ: "40-49", as some EHRs send it.
                condition["onsetRange"] = range
            } else if let onset = period(of: observation).start {
                condition["note"] = [["text": "Onset: \(onset.prefix(10))"]]
            }
            if related.contains(where: { Self.hasTemplate($0, ["2.16.840.1.113883.10.20.22.4.47"]) }) {
                condition["contributedToDeath"] = true
                resource["deceasedBoolean"] = true
            }
            conditions.append(condition)
        }
        guard !conditions.isEmpty else { return }
        resource["condition"] = conditions
        add("FamilyMemberHistory", key: key("FamilyMemberHistory", statement, fallback: position), resource)
    }
}
