import Foundation
import PHRStore

/// Finds patients, providers, diagnoses, appointments, opinions and records from what the user
/// typed: an id, or an unambiguous, case-insensitive prefix of the name (or, for diagnoses, of the
/// description or code), else of any word in it, else the name's words in any order without
/// titles, accents or punctuation (`NameMatcher`). An exact name wins over longer names it is a
/// prefix of. Nothing found: the closest names are suggested.
enum Lookup {
    static func patient(_ text: String, in store: HealthStore) throws -> Patient {
        let all = try store.patients()
        let id = try match(text, kind: "patient", option: "--patient", listCommand: "phr patient list",
                           candidates: all.map { ($0.id, [$0.name]) }, display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) }))
        return try store.requirePatient(id)
    }

    static func provider(_ text: String, in store: HealthStore, option: String = "--provider") throws -> Provider {
        let all = try store.providers()
        let id = try match(text, kind: "provider", option: option, listCommand: "phr provider list",
                           candidates: all.map { ($0.id, [$0.name]) }, display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) }))
        return try store.requireProvider(id)
    }

    static func diagnosis(_ text: String, patient: Patient, in store: HealthStore, option: String = "--diagnosis") throws -> Diagnosis {
        let all = try store.diagnoses(patientID: patient.id)
        let id = try match(text, kind: "diagnosis", option: option, listCommand: "phr diagnosis list",
                           candidates: all.map { ($0.id, [$0.description] + ($0.code.map { [$0] } ?? [])) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.description) }))
        return try store.requireDiagnosis(id)
    }

    /// A result by id, or by an unambiguous prefix of its name (or its code); the newest one of
    /// that name when several results share it.
    static func result(_ text: String, patient: Patient, in store: HealthStore, option: String = "RESULT") throws -> ClinicalResult {
        let all = try store.results(patientID: patient.id)
        if Int64(text.trimmingCharacters(in: .whitespaces)) == nil {
            // Many results share a name (a series): the newest of the one name matched.
            let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
            let names = Set(all.filter { $0.name.lowercased() == lowered || $0.code?.lowercased() == lowered }.map { $0.name.lowercased() })
            if names.count == 1, let newest = all.last(where: { $0.name.lowercased() == names.first }) { return newest }
        }
        let id = try match(text, kind: "result", option: option, listCommand: "phr result list",
                           candidates: all.map { ($0.id, [$0.name] + ($0.code.map { [$0] } ?? [])) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, "\($0.name) \($0.observedAt?.description ?? "")") }))
        return try store.requireResult(id)
    }

    static func medication(_ text: String, patient: Patient, in store: HealthStore, option: String = "MEDICATION") throws -> Medication {
        let all = try store.medications(patientID: patient.id)
        let id = try match(text, kind: "medication", option: option, listCommand: "phr medication list",
                           candidates: all.map { ($0.id, [$0.name]) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) }))
        return try store.requireMedication(id)
    }

    static func allergy(_ text: String, patient: Patient, in store: HealthStore, option: String = "ALLERGY") throws -> Allergy {
        let all = try store.allergies(patientID: patient.id)
        let id = try match(text, kind: "allergy", option: option, listCommand: "phr allergy list",
                           candidates: all.map { ($0.id, [$0.displayName]) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.displayName) }))
        return try store.requireAllergy(id)
    }

    static func procedure(_ text: String, patient: Patient, in store: HealthStore, option: String = "PROCEDURE") throws -> Procedure {
        let all = try store.procedures(patientID: patient.id)
        let id = try match(text, kind: "procedure", option: option, listCommand: "phr procedure list",
                           candidates: all.map { ($0.id, [$0.name] + ($0.code.map { [$0] } ?? [])) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) }))
        return try store.requireProcedure(id)
    }

    static func immunization(_ text: String, patient: Patient, in store: HealthStore, option: String = "IMMUNIZATION") throws -> Immunization {
        let all = try store.immunizations(patientID: patient.id)
        let id = try match(text, kind: "immunization", option: option, listCommand: "phr immunization list",
                           candidates: all.map { ($0.id, [$0.vaccine] + ($0.code.map { [$0] } ?? [])) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.vaccine) }))
        return try store.requireImmunization(id)
    }

    /// A relative's condition by id, or by an unambiguous prefix of the condition, its code or the
    /// relative ("mother" when only one entry is the mother's).
    static func familyHistory(_ text: String, patient: Patient, in store: HealthStore, option: String = "ENTRY") throws -> FamilyHistory {
        let all = try store.familyHistory(patientID: patient.id)
        let id = try match(text, kind: "family-history entry", option: option, listCommand: "phr family-history list",
                           candidates: all.map { ($0.id, [$0.condition, $0.relationship] + ($0.code.map { [$0] } ?? [])) },
                           display: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.summary) }))
        return try store.requireFamilyHistory(id)
    }

    /// An entity named by id only (appointments, opinions, records), belonging to `patientID`.
    static func id(_ text: String, kind: String, option: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw CommandFailure("\(option): '\(text)' is not an id; use the \(kind)'s number shown by `phr \(kind) list`",
                                 code: ExitStatus.usage)
        }
        return id
    }

    /// `Name (id), Name (id)`, for messages listing candidates.
    static func describe(_ items: [(Int64, String)]) -> String {
        items.map { "\($0.1) (\($0.0))" }.joined(separator: ", ")
    }

    /// " (did you mean Dr. Linda Hartmann?)": the closest names, when some are close enough to be
    /// a misspelling (at most a third of the typed letters changed, at least 2).
    private static func suggestion(_ typed: NameMatcher, _ candidates: [(Int64, [String])], _ display: [Int64: String]) -> String {
        guard !typed.words.isEmpty else { return "" }
        let letters = typed.words.map(\.count).reduce(0, +)
        let scored = candidates.map { candidate in
            (id: candidate.0, distance: candidate.1.map { typed.distance(to: $0) }.min() ?? Int.max)
        }.filter { $0.distance <= max(2, letters / 3) }
        guard let best = scored.map(\.distance).min() else { return "" }
        let names = scored.filter { $0.distance == best }.prefix(3).compactMap { display[$0.id] }
        guard !names.isEmpty else { return "" }
        return " (did you mean " + names.joined(separator: " or ") + "?)"
    }

    private static func match(_ text: String, kind: String, option: String, listCommand: String,
                              candidates: [(Int64, [String])], display: [Int64: String]) throws -> Int64 {
        let needle = text.trimmingCharacters(in: .whitespaces)
        if let id = Int64(needle) {
            guard display[id] != nil else {
                throw CommandFailure("\(option): no \(kind) with id \(id); see `\(listCommand)`", code: ExitStatus.dataError)
            }
            return id
        }
        let lowered = needle.lowercased()
        guard !lowered.isEmpty else {
            throw CommandFailure("\(option): give a \(kind) id or the start of its name", code: ExitStatus.usage)
        }
        let exact = candidates.filter { $0.1.contains { $0.lowercased() == lowered } }.map(\.0)
        if exact.count == 1 { return exact[0] }
        var prefixed = candidates.filter { $0.1.contains { $0.lowercased().hasPrefix(lowered) } }.map(\.0)
        if prefixed.isEmpty {
            // "weber" finds "Dr. Anna Weber": a prefix of any word of the name.
            prefixed = candidates.filter { names in
                names.1.contains { name in
                    name.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).contains { $0.hasPrefix(lowered) }
                }
            }.map(\.0)
        }
        let typed = NameMatcher(needle)
        if prefixed.isEmpty {
            // "Linda Hartmann", "Dr Hartmann", "maria": titles, accents, punctuation and word order aside.
            prefixed = candidates.filter { $0.1.contains { typed.matches($0) } }.map(\.0)
        }
        switch prefixed.count {
        case 1:
            return prefixed[0]
        case 0:
            throw CommandFailure("\(option): no \(kind) matches '\(needle)'" + suggestion(typed, candidates, display)
                                 + "; see `\(listCommand)`", code: ExitStatus.dataError)
        default:
            let names = describe(prefixed.map { ($0, display[$0] ?? "") })
            throw CommandFailure("\(option): '\(needle)' matches several: \(names); type more of the name or use the id",
                                 code: ExitStatus.dataError)
        }
    }
}

