import Foundation
import PHRStore

/// Builds the packet's `fhir.json`: a FHIR R4 (4.0.1) Bundle of type `document`.
///
/// Guarantees:
/// - the first entry is the Composition, with one section per `FHIRVocabulary.Section` in that
///   order (coded with the IPS LOINC code where IPS has the section, and phr's own code): each
///   present only when it has entries, except medications and allergies, which say why they are
///   empty (`emptyReason` and a narrative) as IPS does; then Patient, Conditions (social findings
///   too), ClinicalImpressions, Appointments, DocumentReferences, Observations (a result's parts
///   after it, linked by `hasMember`), MedicationStatements, AllergyIntolerances (or the "no known
///   allergy" statement, SNOMED CT 716186003), Procedures, Immunizations, FamilyMemberHistories
///   (one per relative's condition), and the
///   PractitionerRoles, Practitioners and Organizations they name;
/// - every `fullUrl` is `urn:uuid:` a stable UUID (the store's, or a name-based one for resources
///   the store has no row for), every resource's `id` is that UUID, and every reference points at
///   a `fullUrl` inside the bundle;
/// - no element is empty or null (FHIR JSON forbids both);
/// - URIs and codes come from `FHIRVocabulary`. The patient's private notes are not exported;
///   what an imported source said that has no field of its own (`sourceNotes`) is a `note`, or
///   phr's `source-notes` extension on the resources without one (DocumentReference, Appointment).
struct FHIRBundleBuilder {
    let contents: PacketContents
    /// The files the packet holds, by record id (none with `--no-files`).
    let files: [Int64: WrittenFile]
    /// The document's identifier (Bundle.identifier), also logged in the store.
    let documentUUID: String
    let now: Date
    var timeZone: TimeZone = .current

    func build() -> JSONValue {
        var entries: [JSONObjectBuilder] = [composition(), patient()]
        entries += (contents.diagnoses + contents.socialFindings).map(condition)
        entries += contents.opinions.map(clinicalImpression)
        entries += contents.appointments.map(appointment)
        entries += contents.records.map(documentReference)
        entries += clinicalEntries()
        for provider in contents.providers.values.sorted(by: { $0.id < $1.id }) {
            entries.append(practitionerRole(provider))
            if provider.kind == .person { entries.append(practitioner(provider)) }
        }
        entries += organizations()

        var bundle = JSONObjectBuilder()
        bundle.set("resourceType", "Bundle")
        bundle.set("id", documentUUID)
        bundle.set("identifier", identifier(documentUUID))
        bundle.set("type", "document")
        bundle.set("timestamp", timestamp)
        bundle.set("entry", entries.map { resource -> JSONObjectBuilder in
            var entry = JSONObjectBuilder()
            if case .object(let members) = resource.value, let id = members.first(where: { $0.0 == "id" }),
               case .string(let uuid) = id.1 {
                entry.set("fullUrl", "urn:uuid:" + uuid)
            }
            entry.set("resource", resource)
            return entry
        })
        return bundle.value
    }

    // MARK: Identities

    var compositionUUID: String { NameBasedUUID.make(name: "composition:" + documentUUID) }

    static func roleUUID(of provider: Provider) -> String {
        NameBasedUUID.make(name: "practitioner-role:" + provider.uuid)
    }

    /// The Organization a provider belongs to: itself when it is an organization; else the
    /// organization provider of the same name in the packet, or one made from the name.
    func organizationUUID(of provider: Provider) -> String? {
        if provider.kind == .organization { return provider.uuid }
        guard let name = provider.organization?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
            return nil
        }
        return namedOrganizationUUID(name)
    }

    private var timestamp: String { OffsetDateTime(now, in: timeZone).description }

    // MARK: Resources

    private func composition() -> JSONObjectBuilder {
        var resource = start("Composition", compositionUUID)
        if let recipient = contents.recipient {
            var ext = JSONObjectBuilder()
            ext.set("url", FHIRVocabulary.packetRecipientExtension)
            ext.set("valueReference", reference(Self.roleUUID(of: recipient), display: recipient.name))
            resource.set("extension", [ext])
        }
        resource.set("status", "final")
        resource.set("type", concept(system: FHIRVocabulary.loincSystem, code: FHIRVocabulary.packetDocumentType.code,
                                     display: FHIRVocabulary.packetDocumentType.display))
        resource.set("subject", reference(contents.patient.uuid, display: contents.patient.name))
        resource.set("date", timestamp)
        resource.set("author", [reference(contents.patient.uuid, display: contents.patient.name)])
        var title = "Health record of \(contents.patient.name) for a second opinion"
        if let recipient = contents.recipient { title += ", prepared for \(recipient.name)" }
        resource.set("title", title)

        resource.set("section", FHIRVocabulary.Section.allCases.compactMap(section))
        return resource
    }

    /// The Composition section `kind`: its entries, or why it is empty when it must be written.
    private func section(_ kind: FHIRVocabulary.Section) -> JSONObjectBuilder? {
        let uuids = sectionEntryUUIDs(kind)
        guard !uuids.isEmpty || kind.isRequired else { return nil }
        var section = JSONObjectBuilder()
        section.set("title", kind.title)
        var codings: [JSONObjectBuilder] = []
        if let loinc = kind.loinc { codings.append(coding(system: FHIRVocabulary.loincSystem, code: loinc.code, display: loinc.display)) }
        codings.append(coding(system: FHIRVocabulary.packetSectionSystem, code: kind.rawValue, display: kind.title))
        var code = JSONObjectBuilder()
        code.set("coding", codings)
        section.set("code", code)
        if uuids.isEmpty {
            // A section needs text, entries or sections (cmp-1); an empty one says why (cmp-2).
            // Allergies are never limited by the scope: none in the packet means none recorded.
            let scoped = contents.scope.isLimited && kind != .allergies
            let reason = "No \(kind.title.lowercased()) are recorded\(scoped ? " in the scope of this packet" : "")."
            var text = JSONObjectBuilder()
            text.set("status", "generated")
            text.set("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>\(HTML.escape(reason))</p></div>")
            section.set("text", text)
            section.set("emptyReason", concept(system: FHIRVocabulary.emptyReasonSystem,
                                               code: FHIRVocabulary.emptyReasonUnavailable.code,
                                               display: FHIRVocabulary.emptyReasonUnavailable.display))
        } else {
            section.set("entry", uuids.map { reference($0) })
        }
        return section
    }

    private func sectionEntryUUIDs(_ kind: FHIRVocabulary.Section) -> [String] {
        switch kind {
        case .problems: return contents.diagnoses.map(\.uuid)
        case .allergies: return contents.allergies.map(\.uuid) + contents.noneKnownStatements.map(\.uuid)
        case .medications: return contents.medications.map(\.uuid)
        case .results: return contents.results.filter { $0.category != .socialHistory }.map(\.uuid)
        case .procedures: return contents.procedures.map(\.uuid)
        case .immunizations: return contents.immunizations.map(\.uuid)
        case .familyHistory: return contents.familyHistory.map(\.uuid)
        case .socialHistory:
            return contents.socialFindings.map(\.uuid) + contents.results(in: [.socialHistory]).map(\.uuid)
        case .opinions: return contents.opinions.map(\.uuid)
        case .appointments: return contents.appointments.map(\.uuid)
        case .documents: return contents.records.map(\.uuid)
        }
    }

    private func patient() -> JSONObjectBuilder {
        let patient = contents.patient
        var resource = start("Patient", patient.uuid)
        resource.set("identifier", [identifier(patient.uuid)] + patient.recordNumbers.map(recordNumberIdentifier))
        var name = JSONObjectBuilder()
        name.set("text", patient.name)
        resource.set("name", [name])
        resource.set("gender", patient.sex?.rawValue)
        resource.set("birthDate", patient.birthDate?.description)
        resource.set("telecom", telecom(phone: patient.phone, email: patient.email))
        resource.set("address", address(patient.address))
        return resource
    }

    /// The patient's record number at an organization: type MR, the organization as assigner (a
    /// reference when the bundle holds that organization, else its name).
    private func recordNumberIdentifier(_ number: RecordNumber) -> JSONObjectBuilder {
        var identifier = JSONObjectBuilder()
        identifier.set("use", "usual")
        var type = concept(system: FHIRVocabulary.identifierTypeSystem, code: FHIRVocabulary.medicalRecordNumber.code,
                           display: FHIRVocabulary.medicalRecordNumber.display)
        type.set("text", "MRN")
        identifier.set("type", type)
        identifier.set("value", number.value)
        if let uuid = writtenOrganizationUUID(named: number.organization) {
            identifier.set("assigner", reference(uuid, display: number.organization))
        } else {
            var assigner = JSONObjectBuilder()
            assigner.set("display", number.organization)
            identifier.set("assigner", assigner)
        }
        return identifier
    }

    private func condition(_ diagnosis: Diagnosis) -> JSONObjectBuilder {
        var resource = start("Condition", diagnosis.uuid)
        resource.set("identifier", [identifier(diagnosis.uuid)])
        if let clinical = FHIRVocabulary.conditionClinicalCode(for: diagnosis.status) {
            resource.set("clinicalStatus", concept(system: FHIRVocabulary.conditionClinicalSystem, code: clinical))
        }
        resource.set("verificationStatus", concept(system: FHIRVocabulary.conditionVerificationSystem,
                                                   code: FHIRVocabulary.conditionVerificationCode(for: diagnosis.status)))
        let category = FHIRVocabulary.conditionCategory(for: diagnosis.kind)
        resource.set("category", [concept(system: category.system, code: category.code, display: category.display)])
        var code = JSONObjectBuilder()
        if let value = diagnosis.code, let system = diagnosis.codeSystem {
            var coding = JSONObjectBuilder()
            coding.set("system", FHIRVocabulary.uri(for: system))
            coding.set("code", value)
            code.set("coding", [coding])
        }
        code.set("text", diagnosis.description)
        resource.set("code", code)
        resource.set("subject", reference(contents.patient.uuid))
        resource.set("onsetDateTime", diagnosis.diagnosedOn?.description)
        resource.set("asserter", providerReference(diagnosis.providerID))
        if let stage = diagnosis.stage {
            var summary = JSONObjectBuilder()
            summary.set("text", stage)
            var entry = JSONObjectBuilder()
            entry.set("summary", summary)
            resource.set("stage", [entry])
        }
        resource.set("note", annotations(diagnosis.sourceNotes))
        return resource
    }

    private func clinicalImpression(_ opinion: Opinion) -> JSONObjectBuilder {
        var resource = start("ClinicalImpression", opinion.uuid)
        var extensions: [JSONObjectBuilder] = []
        func add(_ url: String, _ key: String, _ value: String?) {
            guard let value else { return }
            var ext = JSONObjectBuilder()
            ext.set("url", url)
            ext.set(key, value)
            if ext.members.count == 2 { extensions.append(ext) }
        }
        add(FHIRVocabulary.agreementExtension, "valueCode", opinion.agreement?.rawValue)
        add(FHIRVocabulary.opinionStageExtension, "valueString", opinion.stage)
        add(FHIRVocabulary.recommendationExtension, "valueString", opinion.recommendation)
        resource.set("extension", extensions)
        resource.set("identifier", [identifier(opinion.uuid)])
        resource.set("status", "completed")
        resource.set("subject", reference(contents.patient.uuid))
        resource.set("date", opinion.givenOn.description)
        resource.set("assessor", providerReference(opinion.providerID))
        if let previous = contents.previousOpinion(before: opinion) {
            resource.set("previous", reference(previous.uuid))
        }
        if let diagnosis = contents.diagnosis(id: opinion.diagnosisID) {
            resource.set("problem", [reference(diagnosis.uuid, display: diagnosis.description)])
        }
        resource.set("summary", opinion.conclusion)
        resource.set("note", annotations(opinion.sourceNotes))
        return resource
    }

    private func appointment(_ appointment: Appointment) -> JSONObjectBuilder {
        var resource = start("Appointment", appointment.uuid)
        resource.set("identifier", [identifier(appointment.uuid)])
        // FHIR lets only proposed or cancelled appointments go without a start (app-3): one whose
        // time phr does not know is written as proposed unless it was cancelled.
        let timeUnknown = appointment.startsAt == nil && appointment.status != .cancelled
        resource.set("status", timeUnknown ? "proposed" : FHIRVocabulary.appointmentStatusCode(for: appointment.status))
        resource.set("serviceType", [concept(system: FHIRVocabulary.appointmentPurposeSystem,
                                             code: appointment.purpose.rawValue,
                                             display: appointment.purpose.rawValue.replacingOccurrences(of: "-", with: " "))])
        if let diagnosis = contents.diagnosis(id: appointment.diagnosisID) {
            resource.set("reasonReference", [reference(diagnosis.uuid, display: diagnosis.description)])
        }
        resource.set("description", appointment.reason)
        if let startsAt = appointment.startsAt {
            resource.set("start", startsAt.description)
            // FHIR wants both start and end on a booked appointment (app-2, app-3); with no known
            // duration the end is given as the start, and minutesDuration is left out.
            let zone = TimeZone(secondsFromGMT: startsAt.offsetSeconds) ?? timeZone
            resource.set("end", appointment.endsAt.map { OffsetDateTime($0, in: zone).description } ?? startsAt.description)
            resource.set("minutesDuration", appointment.durationMinutes.map(Int64.init))
        }
        var notes: [String] = []
        if let location = appointment.location { notes.append("Location: \(location)") }
        if let insurance = appointment.insurance {
            notes.append("Insurance pre-approval: \(insurance.rawValue)"
                         + (appointment.insuranceReference.map { " (reference \($0))" } ?? ""))
        }
        resource.set("comment", notes.joined(separator: ". "))
        if let sourceNotes = appointment.sourceNotes {
            resource.set("extension", [stringExtension(FHIRVocabulary.sourceNotesExtension, sourceNotes)])
        }
        var participants: [JSONObjectBuilder] = []
        var patient = JSONObjectBuilder()
        patient.set("actor", reference(contents.patient.uuid, display: contents.patient.name))
        patient.set("status", "accepted")
        participants.append(patient)
        if let role = providerReference(appointment.providerID) {
            var provider = JSONObjectBuilder()
            provider.set("actor", role)
            provider.set("status", "accepted")
            participants.append(provider)
        }
        resource.set("participant", participants)
        return resource
    }

    private func documentReference(_ record: Record) -> JSONObjectBuilder {
        var resource = start("DocumentReference", record.uuid)
        resource.set("identifier", [identifier(record.uuid)])
        resource.set("status", "current")
        let loinc = FHIRVocabulary.loinc(for: record.kind)
        var type = concept(system: FHIRVocabulary.loincSystem, code: loinc.code, display: loinc.display)
        type.set("text", record.kind.rawValue.replacingOccurrences(of: "-", with: " "))
        resource.set("type", type)
        resource.set("category", [concept(system: FHIRVocabulary.recordKindSystem, code: record.kind.rawValue)])
        resource.set("subject", reference(contents.patient.uuid))
        resource.set("date", record.referencedAt ?? record.createdAt)
        if let author = providerReference(record.providerID) { resource.set("author", [author]) }
        resource.set("description", record.title)
        if let sourceNotes = record.sourceNotes {
            resource.set("extension", [stringExtension(FHIRVocabulary.sourceNotesExtension, sourceNotes)])
        }

        var attachment = JSONObjectBuilder()
        if let file = record.file {
            attachment.set("contentType", file.mediaType)
            if let written = files[record.id] {
                attachment.set("url", written.relativePath)
            }
            // unsignedInt stops at 2^31 - 1; a larger file's size is left out rather than wrong.
            if file.size <= Int64(Int32.max) { attachment.set("size", file.size) }
            attachment.set("hash", files[record.id]?.sha1Base64)
            attachment.set("title", file.originalName ?? record.title)
        } else {
            attachment.set("title", record.title)
        }
        attachment.set("creation", record.recordedOn?.description)
        var content = JSONObjectBuilder()
        content.set("attachment", attachment)
        resource.set("content", [content])

        let related = record.diagnosisIDs.compactMap { contents.diagnosis(id: $0) }.map { reference($0.uuid, display: $0.description) }
        if !related.isEmpty {
            var context = JSONObjectBuilder()
            context.set("related", related)
            resource.set("context", context)
        }
        return resource
    }

    private func practitionerRole(_ provider: Provider) -> JSONObjectBuilder {
        var resource = start("PractitionerRole", Self.roleUUID(of: provider))
        if provider.kind == .person { resource.set("practitioner", reference(provider.uuid, display: provider.name)) }
        if let organization = organizationUUID(of: provider) {
            resource.set("organization", reference(organization, display: provider.kind == .organization ? provider.name : provider.organization))
        }
        if let specialty = provider.specialty {
            var concept = JSONObjectBuilder()
            concept.set("text", specialty)
            resource.set("specialty", [concept])
        }
        if provider.kind == .person { resource.set("telecom", telecom(provider)) }
        return resource
    }

    private func practitioner(_ provider: Provider) -> JSONObjectBuilder {
        var resource = start("Practitioner", provider.uuid)
        resource.set("identifier", providerIdentifiers(provider))
        var name = JSONObjectBuilder()
        name.set("text", provider.name)
        resource.set("name", [name])
        resource.set("telecom", telecom(provider))
        resource.set("address", address(provider.address))
        return resource
    }

    /// Organization resources: organization providers, and the organizations people work at.
    private func organizations() -> [JSONObjectBuilder] {
        var seen = Set<String>()
        var result: [JSONObjectBuilder] = []
        // Organization providers first, so an organization that is also someone's workplace is
        // written with all its details, once.
        let rank = { (provider: Provider) in (provider.kind == .organization ? 0 : 1, provider.id) }
        let providers = contents.providers.values.sorted { rank($0) < rank($1) }
        for provider in providers {
            guard let uuid = organizationUUID(of: provider), seen.insert(uuid).inserted else { continue }
            var resource = start("Organization", uuid)
            if provider.kind == .organization {
                resource.set("identifier", providerIdentifiers(provider))
                resource.set("name", provider.name)
                resource.set("telecom", telecom(provider))
                resource.set("address", address(provider.address))
                if let parent = parentOrganization(of: provider) {
                    resource.set("partOf", reference(parent.uuid, display: parent.name))
                }
            } else {
                resource.set("name", provider.organization)
            }
            result.append(resource)
        }
        // The organizations that others are part of, when no provider stands for them.
        for provider in providers {
            guard let parent = parentOrganization(of: provider), seen.insert(parent.uuid).inserted else { continue }
            var resource = start("Organization", parent.uuid)
            resource.set("name", parent.name)
            result.append(resource)
        }
        return result
    }

    /// The organization an organization provider is part of (`Organization.partOf`): the provider
    /// of that name in the packet, or one made from the name.
    private func parentOrganization(of provider: Provider) -> (uuid: String, name: String)? {
        guard provider.kind == .organization,
              let name = provider.organization?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty,
              name.caseInsensitiveCompare(provider.name) != .orderedSame else { return nil }
        return (namedOrganizationUUID(name), name)
    }

    /// The Organization of this name: an organization provider of the packet, else a name-based one.
    private func namedOrganizationUUID(_ name: String) -> String {
        contents.providers.values.sorted(by: { $0.id < $1.id })
            .first(where: { $0.kind == .organization && $0.name.caseInsensitiveCompare(name) == .orderedSame })?.uuid
            ?? NameBasedUUID.make(name: "organization:" + name.lowercased())
    }

    /// The UUID of the Organization named `name` when the bundle holds one (a provider, someone's
    /// workplace, or an organization's parent).
    private func writtenOrganizationUUID(named name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let written = contents.providers.values.contains { provider in
            let names = provider.kind == .organization ? [provider.name, provider.organization] : [provider.organization]
            return names.contains { $0?.trimmingCharacters(in: .whitespacesAndNewlines).caseInsensitiveCompare(trimmed) == .orderedSame }
        }
        return written ? namedOrganizationUUID(trimmed) : nil
    }

    // MARK: Data types

    func start(_ type: String, _ id: String) -> JSONObjectBuilder {
        var resource = JSONObjectBuilder()
        resource.set("resourceType", type)
        resource.set("id", id)
        return resource
    }

    func identifier(_ uuid: String) -> JSONObjectBuilder {
        var identifier = JSONObjectBuilder()
        identifier.set("system", FHIRVocabulary.uuidIdentifierSystem)
        identifier.set("value", "urn:uuid:" + uuid)
        return identifier
    }

    private func providerIdentifiers(_ provider: Provider) -> [JSONObjectBuilder] {
        var identifiers = [identifier(provider.uuid)]
        if let value = provider.identifier {
            var other = JSONObjectBuilder()
            other.set("value", value)
            identifiers.append(other)
        }
        return identifiers
    }

    func reference(_ uuid: String, display: String? = nil) -> JSONObjectBuilder {
        var reference = JSONObjectBuilder()
        reference.set("reference", "urn:uuid:" + uuid)
        reference.set("display", display)
        return reference
    }

    /// The PractitionerRole standing for a provider (a person at an organization, or an
    /// organization alone), so one reference type fits every place a provider is named.
    func providerReference(_ id: Int64?) -> JSONObjectBuilder? {
        guard let id, let provider = contents.providers[id] else { return nil }
        return reference(Self.roleUUID(of: provider), display: provider.name)
    }

    func concept(system: String?, code: String, display: String? = nil) -> JSONObjectBuilder {
        var concept = JSONObjectBuilder()
        concept.set("coding", [coding(system: system, code: code, display: display)])
        return concept
    }

    /// A Coding; without a system for a code of no known system (FHIR allows it; the code is kept).
    func coding(system: String?, code: String, display: String? = nil) -> JSONObjectBuilder {
        var coding = JSONObjectBuilder()
        coding.set("system", system)
        coding.set("code", code)
        coding.set("display", display)
        return coding
    }

    private func telecom(_ provider: Provider) -> [JSONObjectBuilder] {
        telecom(phone: provider.phone, email: provider.email)
    }

    private func telecom(phone: String?, email: String?) -> [JSONObjectBuilder] {
        var points: [JSONObjectBuilder] = []
        for (system, value) in [("phone", phone), ("email", email)] {
            guard let value else { continue }
            var point = JSONObjectBuilder()
            point.set("system", system)
            point.set("value", value)
            points.append(point)
        }
        return points
    }

    private func address(_ text: String?) -> [JSONObjectBuilder] {
        guard let text else { return [] }
        var address = JSONObjectBuilder()
        address.set("text", text)
        return [address]
    }
}
