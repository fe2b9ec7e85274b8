import PHRStore

/// A coded statement, put where an item belongs, that there is none ("no known medications") or
/// that nothing is known ("no information about problems"): the International Patient Summary's
/// codes for absent and unknown data (its own code system in IPS 1.x, SNOMED CT situations from
/// IPS 2 on).
///
/// It is never an item: a Condition coded "no known problems" is not a diagnosis, and a
/// MedicationStatement coded "no known medications" is not a medication. The problem, medication
/// and procedure mappers skip it, saying in the import's summary what it said; the allergy mapper
/// keeps "no known allergies" as the store's statement, and "no known drug (food, environmental)
/// allergy" as the statement of that kind (never as the general one, which would claim more than
/// the source: a doctor reading "no known allergies" might not ask about food); it skips "no
/// information", and "no known insect allergy", which the store has no statement for.
struct AbsenceStatement: Equatable {
    enum Kind: Equatable {
        /// The patient has none known.
        case noneKnown
        /// The patient has none known of one kind (drug, food, environmental or insect
        /// allergies): less than "none known". The store's category of that kind, when it has
        /// one (insects are none of its categories).
        case noneKnownOfOneKind(Allergy.Category?)
        /// Nothing is known either way: the same as nothing recorded.
        case noInformation
    }

    let kind: Kind
    /// What it says, in words: "No known medications".
    let text: String

    /// The statement the first coding of `codings` that is one makes, if any.
    init?(_ codings: [FHIRCoding]) {
        for coding in codings {
            guard let code = coding.code else { continue }
            if coding.system == Self.ipsSystem, let known = Self.ipsCodes[code] {
                (kind, text) = known
                return
            }
            if coding.system == FHIRVocabulary.snomedSystem, let known = Self.snomedCodes[code] {
                (kind, text) = known
                return
            }
        }
        return nil
    }

    /// Why a mapper skips it, for the import's summary: `says “No known medications”, which is
    /// not a medication`.
    func skipReason(notA noun: String) -> String {
        "says “\(text)”, which is not \(noun)"
    }

    /// IPS 1.x's code system for absent and unknown data.
    static let ipsSystem = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"

    private static let ipsCodes: [String: (Kind, String)] = [
        "no-allergy-info": (.noInformation, "No information about allergies"),
        "no-known-allergies": (.noneKnown, "No known allergies"),
        "no-known-medication-allergies": (.noneKnownOfOneKind(.medication), "No known medication allergies"),
        "no-known-environmental-allergies": (.noneKnownOfOneKind(.environment), "No known environmental allergies"),
        "no-known-food-allergies": (.noneKnownOfOneKind(.food), "No known food allergies"),
        "no-medication-info": (.noInformation, "No information about medications"),
        "no-known-medications": (.noneKnown, "No known medications"),
        "no-problem-info": (.noInformation, "No information about problems"),
        "no-known-problems": (.noneKnown, "No known problems"),
        "no-procedure-info": (.noInformation, "No information about past history of procedures"),
        "no-known-procedures": (.noneKnown, "No known procedures"),
    ]

    /// The SNOMED CT situations IPS 2 uses for the same: no known allergy (and its drug,
    /// environmental, food and insect variants), no known medications, no current problems.
    private static let snomedCodes: [String: (Kind, String)] = [
        "716186003": (.noneKnown, "No known allergy"),
        "409137002": (.noneKnownOfOneKind(.medication), "No known drug allergy"),
        "428607008": (.noneKnownOfOneKind(.environment), "No known environmental allergy"),
        "429625007": (.noneKnownOfOneKind(.food), "No known food allergy"),
        "428197003": (.noneKnownOfOneKind(nil), "No known insect allergy"),
        "787481004": (.noneKnown, "No known medications"),
        "160245001": (.noneKnown, "No current problems or disability"),
    ]
}
