import PHRStore

/// The codes the clinical mappers read (Observation, the medication resources,
/// AllergyIntolerance, Procedure, Immunization), written once: which of the store's code systems
/// a URI is (the reverse of `FHIRVocabulary`'s `uri(for:)`, where every URI is written), and which
/// codes and mCODE profiles name a result's category.
enum ClinicalCodes {
    /// The first coding of `codings` whose system `classify` knows, else the first coded one as
    /// `other`.
    static func code<System>(_ codings: [FHIRCoding], other: System, _ classify: (String) -> System?)
        -> (code: String, system: System, display: String?)? {
        for coding in codings {
            if let code = coding.code, let system = coding.system.flatMap(classify) { return (code, system, coding.display) }
        }
        guard let coding = codings.first(where: { $0.code != nil }), let code = coding.code else { return nil }
        return (code, other, coding.display)
    }

    /// The name a person reads best among `codings`' displays: `preferred` (the display of the code
    /// kept), unless it is a SNOMED CT fully specified name, which names the concept for
    /// terminologists ("Product containing anastrozole (medicinal product)"); then the first other
    /// display that is not one ("ANASTROZOL 1MG TABLET", with its strength); else the fully
    /// specified name without its semantic tag.
    static func readableName(_ codings: [FHIRCoding], preferred: String?) -> String? {
        guard let preferred, let plain = withoutSemanticTag(preferred) else { return preferred }
        return codings.lazy.compactMap(\.display).first { withoutSemanticTag($0) == nil && !$0.isEmpty } ?? plain
    }

    /// The tags that end SNOMED CT's fully specified names: of medicines and substances, of
    /// disorders and findings, procedures, stages (qualifier values), histologies and body sites.
    private static let semanticTags = [
        " (medicinal product)", " (medicinal product form)", " (clinical drug)", " (real clinical drug)", " (product)",
        " (substance)", " (disorder)", " (finding)", " (procedure)", " (regime/therapy)", " (situation)",
        " (qualifier value)", " (morphologic abnormality)", " (body structure)", " (observable entity)", " (event)",
    ]

    /// What a person reads for a CodeableConcept: its text, else `readableName` of its displays,
    /// else its first code.
    static func readableText(_ concept: FHIRObject?) throws -> String? {
        guard let concept else { return nil }
        if let text = try concept.text("text") { return text }
        let codings = try concept.codings()
        return readableName(codings, preferred: codings.lazy.compactMap(\.display).first) ?? codings.lazy.compactMap(\.code).first
    }

    /// `name` without the semantic tag that ends it, when it is a fully specified name; else nil.
    static func withoutSemanticTag(_ name: String) -> String? {
        guard let tag = semanticTags.first(where: { name.hasSuffix($0) }) else { return nil }
        let plain = String(name.dropLast(tag.count))
        return plain.isEmpty ? nil : plain
    }

    static func resultSystem(_ uri: String) -> ClinicalResult.CodeSystem? {
        FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    static func medicationSystem(_ uri: String) -> Medication.CodeSystem? {
        FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    static func allergySystem(_ uri: String) -> Allergy.CodeSystem? {
        FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    static func procedureSystem(_ uri: String) -> Procedure.CodeSystem? {
        FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    static func immunizationSystem(_ uri: String) -> Immunization.CodeSystem? {
        FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    // MARK: Results

    /// TNM categories and stage groups, clinical or pathological, by LOINC or SNOMED CT code.
    static let stagingCodes: [String: String] = [
        "21905-5": "clinical", "21906-3": "clinical", "21907-1": "clinical", "21908-9": "clinical",
        "21899-0": "pathological", "21900-6": "pathological", "21901-4": "pathological", "21902-2": "pathological",
        "399504009": "clinical", "399534004": "clinical", "399387003": "clinical", "399537006": "clinical",
        "384625004": "pathological", "371494008": "pathological", "371497001": "pathological",
        "399588009": "pathological",
    ]
    /// Receptor status, HER2, Ki-67 and genetic variant assessments (LOINC).
    static let biomarkerCodes: Set<String> = [
        "16112-5", "85337-4", "16113-3", "85339-0", "48676-1", "85319-2", "85318-4", "29593-3", "85330-9", "69548-6",
    ]
    /// ECOG and Karnofsky performance status (LOINC).
    static let performanceStatusCodes: Set<String> = ["89247-1", "89243-0"]
    /// Serum tumour markers (LOINC): CA 15-3, CA 27-29, CEA, CA-125, PSA, CA 19-9, AFP.
    static let tumourMarkerCodes: Set<String> = ["6875-9", "17842-6", "2039-6", "10334-1", "2857-1", "24108-3", "1834-1"]

    /// The category an mCODE profile (`meta.profile`) gives a result, and for staging whether it is
    /// clinical or pathological. mCODE's cancer disease status ("improving", "stable") is neither
    /// a stage nor a measurement: it is kept as `other`.
    static func resultCategory(profile: String) -> (category: ClinicalResult.Category, detail: String?)? {
        guard profile.contains(utf8: "/mcode") else { return nil }
        let name = profile.split(separator: "/").last.map(String.init) ?? profile
        if name.contains(utf8: "tnm") || name.contains(utf8: "stage-group") {
            if name.contains(utf8: "pathologic") { return (.staging, "pathological") }
            if name.contains(utf8: "clinical") { return (.staging, "clinical") }
            return (.staging, nil)
        }
        if name.contains(utf8: "tumor-marker") { return (.tumourMarker, nil) }
        if name.contains(utf8: "genomic-variant") || name.contains(utf8: "genomic-region") { return (.biomarker, nil) }
        if name.contains(utf8: "performance-status") { return (.performanceStatus, nil) }
        if name.contains(utf8: "cancer-disease-status") { return (.other, nil) }
        return nil
    }

    /// The category a result's own code gives it.
    static func resultCategory(code: String) -> (category: ClinicalResult.Category, detail: String?)? {
        if let detail = stagingCodes[code] { return (.staging, detail) }
        if biomarkerCodes.contains(code) { return (.biomarker, nil) }
        if performanceStatusCodes.contains(code) { return (.performanceStatus, nil) }
        if tumourMarkerCodes.contains(code) { return (.tumourMarker, nil) }
        return nil
    }

    /// The category of an `Observation.category` code (observation-category).
    static func resultCategory(observationCategory code: String) -> ClinicalResult.Category? {
        switch code {
        case "laboratory": return .laboratory
        case "vital-signs": return .vitalSigns
        case "imaging": return .imaging
        // US Core's "sdoh": social determinants of health (food, housing, transport).
        case "social-history", "sdoh": return .socialHistory
        case "exam", "survey", "procedure", "therapy", "activity": return .other
        default: return nil
        }
    }

    /// An HL7 v3 ObservationInterpretation code as the store's interpretation; `nil` for codes
    /// that say nothing about normality (susceptibility, better/worse).
    static func interpretation(_ code: String) -> ClinicalResult.Interpretation? {
        switch code {
        case "N", "NEG", "ND", "NR": return .normal
        case "H", "HU", "H>", ">": return .high
        case "L", "LU", "L<", "<": return .low
        case "HH", "LL", "AA", "HX", "LX": return .critical
        case "A", "POS", "DET", "IND", "E", "EX", "R", "W": return .abnormal
        default: return nil
        }
    }

    // MARK: Allergies, procedures, diagnoses

    /// The category a Procedure category code or mCODE profile gives it.
    static func procedureCategory(code: String) -> Procedure.Category? {
        switch code {
        case "387713003": return .surgery
        case "86273004": return .biopsy
        case "108290001", "53438000", "1217123003": return .radiationTherapy
        case "367336001", "18629005", "266719004", "394894008": return .systemicTherapy
        default: return nil
        }
    }

    static func procedureCategory(profile: String) -> Procedure.Category? {
        guard profile.contains(utf8: "/mcode") else { return nil }
        if profile.contains(utf8: "surgical-procedure") { return .surgery }
        if profile.contains(utf8: "radiotherapy") || profile.contains(utf8: "radiation") { return .radiationTherapy }
        return nil
    }

    /// Words of a SNOMED CT "(finding)" that make it a social circumstance rather than a
    /// medical finding (Synthea's social determinants: "Full-time employment (finding)",
    /// "Stress (finding)", "Social isolation (finding)", …).
    static let socialFindingWords = [
        "employment", "employed", "labor force", "labour force", "education", "school", "stress", "social",
        "isolation", "criminal", "housing", "homeless", "transport", "violence", "abuse", "income",
        "poverty", "insurance", "refugee", "incarcerat", "military", "armed forces", "lives alone", "unemploy",
    ]
}
