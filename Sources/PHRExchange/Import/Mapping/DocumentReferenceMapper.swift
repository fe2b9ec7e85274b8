import Foundation
import PHRStore

/// DocumentReference → records: the first attachment as the file (`data` decoded, or a `url`
/// inside the packet read; another URL named in the source notes) with its title as the original name,
/// the kind (phr's category code, else the LOINC type), the title (description, else attachment
/// title, else type), the date (the attachment's creation, else the context period), the author
/// (else custodian) as provider, the conditions of `context.related` as the record's diagnoses,
/// and phr's `source-notes` extension (what an earlier source said of it) as its source notes.
///
/// A document entered in error is skipped. A superseded one (the source has a newer version) is
/// kept, but says so wherever it is shown, a packet included: its title ends "(superseded)" (a
/// record has no status of its own) and its source notes say why; one that `relatesTo` an earlier
/// version it `replaces` says so in its source notes.
struct DocumentReferenceMapper: ResourceMapper {
    static let supersededMark = "(superseded)"
    static let supersededNote = "Superseded: the source has a newer version of this document."
    static let replacesNote = "Replaces an earlier version of this document."

    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let authors: [FHIRReference]
        let related: [FHIRReference]
        let attachment: FHIRObject?
        let decoded: HashedBytes?
        let kind: Record.Kind
        let title: String
        let sourceNotes: String?
        let recordedOn: PartialDate?
        let originalName: String?
        let referencedAt: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(authors, field: "author", accepting: [.providers])?.id
            var diagnosisIDs: [Int64] = []
            for reference in related {
                if let row = try references.row(reference, field: "context.related", accepting: [.diagnoses]) {
                    diagnosisIDs.append(row.id)
                }
            }
            let content = try attachment.map { try session.attachments.content(of: $0, resource: resource, decoded: decoded) }
                ?? .none
            let fields = RecordFields(patientID: patientID, kind: kind, title: title, recordedOn: recordedOn,
                                      providerID: providerID, diagnosisIDs: diagnosisIDs, sourceNotes: sourceNotes,
                                      content: content,
                                      originalName: originalName, mediaType: try attachment?.text("contentType"),
                                      referencedAt: referencedAt)
            try RecordUpsert.upsert(fields, resource, keys: keys, prior: prior, references: references, session: session)
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) { return SkippedResource(reason: "entered in error") }
        let context = try body.object("context")
        // Only conditions become links; other related resources are not phr's to keep.
        let related = try context?.references("related").filter { reference in
            AppointmentMapper.type(of: reference).map { $0 == "Condition" } ?? true
        } ?? []
        let attachment = try body.objects("content").lazy.compactMap { try $0.object("attachment") }.first
        // `date` is when the reference was made (phr writes the record's entry time there), not
        // when the document was: it is not the record's date, but it is kept for the next export.
        let recordedOn = try attachment?.date("creation") ?? context?.object("period")?.date("start")
        // phr's export keeps a file's original name as the attachment's title.
        let originalName = try attachment?.text("title") ?? attachment?.text("url").flatMap { url -> String? in
            (url.removingPercentEncoding ?? url).split(separator: "/").last.map(String.init)
        }
        var title = try body.text("description") ?? attachment?.text("title") ?? body.object("type")?.conceptText() ?? "Document"
        var sourceNotes = try body.extensionValue(FHIRVocabulary.sourceNotesExtension, "valueString")
        if try body.text("status") == "superseded" {
            if !title.hasSuffix(Self.supersededMark) { title += " " + Self.supersededMark }
            sourceNotes = FHIRObject.notes(sourceNotes, adding: Self.supersededNote)
        }
        // Only a note: a `relatesTo` that is not what FHIR says is passed over, never refused.
        if (try? body.objects("relatesTo"))?.contains(where: { (try? $0.text("code")) == "replaces" }) == true {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: Self.replacesNote)
        }
        return Prepared(
            subject: try body.reference("subject"),
            authors: try body.references("author") + [body.reference("custodian")].compactMap { $0 },
            related: related, attachment: attachment,
            decoded: try attachment.flatMap { try AttachmentReader.decodeSmall($0) },
            kind: try Self.kind(body),
            title: title, sourceNotes: sourceNotes, recordedOn: recordedOn, originalName: originalName, referencedAt: try Self.instant(body.text("date")))
    }

    /// `text` when it is a FHIR instant (`2026-11-25T14:42:19.049Z`, `2026-11-25T09:42:19-05:00`), else `nil`.
    static func instant(_ text: String?) -> String? {
        guard let text, isFHIRInstant(text) else { return nil }
        return text
    }

    /// phr's kind from its own category code, else from the document type (its LOINC code, else
    /// the words of its name: `FHIRVocabulary.recordKind(forDocumentType:named:)`).
    static func kind(_ body: FHIRObject) throws -> Record.Kind {
        for category in try body.objects("category") {
            if let code = try category.code(in: FHIRVocabulary.recordKindSystem), let kind = Record.Kind(rawValue: code) {
                return kind
            }
        }
        guard let type = try body.object("type") else { return .other }
        let names = [try type.text("text")] + (try type.codings()).map(\.display)
        return FHIRVocabulary.recordKind(forDocumentType: try type.code(in: FHIRVocabulary.loincSystem), named: names) ?? .other
    }
}
