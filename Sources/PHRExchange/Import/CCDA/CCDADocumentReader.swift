import Foundation
import PHRStore

/// What one C-CDA document becomes: a FHIR collection Bundle (as the JSON objects FHIR JSON parses
/// into) that the FHIR import reads like any other, so that identity, provenance, dry run and the
/// report are those of FHIR import; plus what the document held by section.
struct CCDAConversion {
    var bundle: [String: Any]
    /// The keys of the patients the document names (for the two-patients check).
    var patientKeys: [String]
    var sections: [String: CCDASectionCounts]
    /// Sections phr does not map, as `title (LOINC code)`, with how many.
    var unmapped: [String: Int]
    /// Entries of mapped sections that made nothing.
    var entriesNotRead: [CCDAEntryNotRead]
}

/// Reads a C-CDA document (R2.1 or R1.1) streaming: the header elements are kept whole (they are
/// small); each top-level section of the structured body is read up to its first entry (its code,
/// title and narrative), then its entries are converted one at a time as they are read, on a second
/// thread. Memory holds a section's narrative, a few entries and the resources made so far, never
/// the whole XML (its narrative and markup are most of it).
///
/// Identity: every resource gets a `urn:uuid:` fullUrl named from what identifies it in C-CDA:
/// an entry's `id` (root and extension), a provider's NPI or id, the patient's id; the document by
/// its `setId` (so a newer version updates the record); entries without an id by the document's
/// setId, their section and position. The same document read twice gives the same bundle.
struct CCDADocumentReader {
    let path: String
    /// What messages call the file.
    let name: String
    /// The file's name as the record's attachment URL names it (relative to its folder).
    let fileName: String
    /// False when every patient reference means a patient of the store (`--patient`).
    var includesPatient = true

    /// Converts the document. With `each`, every bundle entry is handed to it as soon as it is
    /// made, in the bundle's order, on the converting thread (one at a time), and the bundle
    /// returned holds none; without, the bundle holds them all. An error `each` throws stops the
    /// reading and is thrown here.
    func convert(each: (([String: Any]) throws -> Void)? = nil) throws -> CCDAConversion {
        let place = ImportPlace(file: name, position: .wholeFile)
        var header: [XMLTreeElement] = []
        var builder: CCDABundleBuilder?
        func currentBuilder() throws -> CCDABundleBuilder {
            let current = try builder ?? CCDABundleBuilder(header: header, place: place, fileName: fileName, includesPatient: includesPatient)
            builder = current
            return current
        }
        // Entries are converted on a second thread while the XML is read; at most 32 wait.
        let converter = InOrderWorker(label: "phr.ccda.entries", waiting: 32)
        defer { _ = try? converter.finish() }
        func handOver(_ current: CCDABundleBuilder) throws {
            guard let each else { return }
            for entry in current.takeEntries() { try each(entry) }
        }
        // The top-level section whose entries are being handed over (this thread's).
        var begunSection: XMLTreeElement?
        try SafeXMLReader(path: path, name: name).read(keep: { names in
            // ClinicalDocument/<header element>, ClinicalDocument/component/structuredBody/component/section
            // and an unstructured document's ClinicalDocument/component/nonXMLBody/text.
            if names.count == 2 { return names[1] != "component" }
            if names.count == 4, names[1] == "component", names[2] == "nonXMLBody" { return names[3] == "text" }
            return names.count == 5 && names[1] == "component" && names[2] == "structuredBody" && names[4] == "section"
        }, streams: { root, child in
            root == "section" && child == "entry"
        }, part: { entry, section in
            if converter.failed { try converter.finish() }
            let current = try currentBuilder()
            if begunSection !== section {
                // What precedes the first entry (templateId, code, title, text) is complete; the
                // section itself goes on growing on this thread, so the other gets a copy.
                begunSection = section
                let header = section.snapshot()
                converter.run { current.begin(section: header) }
            }
            converter.run {
                current.read(entry: entry)
                try handOver(current)
            }
        }) { element in
            if converter.failed { try converter.finish() }
            if element.name == "section" {
                let current = try currentBuilder()
                begunSection = nil
                converter.run {
                    current.finish(section: element)
                    try handOver(current)
                }
            } else if element.name == "text" {
                let current = try currentBuilder()
                converter.run {
                    current.readUnstructured(element)
                    try handOver(current)
                }
            } else {
                header.append(element)
            }
        }
        try converter.finish()
        let finished = try currentBuilder()
        try handOver(finished)
        return finished.conversion()
    }
}

/// Builds the bundle of one document: header first, then sections, an entry at a time.
final class CCDABundleBuilder {
    /// Entries made and not yet taken.
    private var entries: [[String: Any]] = []
    /// How many entries were made in all.
    private var made = 0
    private var usedKeys: Set<String> = []
    private(set) var sections: [String: CCDASectionCounts] = [:]
    private(set) var unmapped: [String: Int] = [:]
    /// Entries of mapped sections that made nothing, in the document's order (at most
    /// `ImportReport.listLimit`; `sections` counts them all).
    private(set) var entriesNotRead: [CCDAEntryNotRead] = []
    /// Why the entry being read makes nothing, when a statement's reader skips it on purpose.
    var entrySkip: CCDAEntrySkip?
    private var patientKeys: [String] = []
    let documentKey: String
    let defaultOffset: String?
    let patientURL: String
    let place: ImportPlace
    private let documentDate: String?
    private let documentTitle: String
    private let documentKind: Record.Kind
    /// Narrative of the section being read: element ID → its text.
    private var narrative: [String: String] = [:]

    init(header elements: [XMLTreeElement], place: ImportPlace, fileName: String, includesPatient: Bool) throws {
        self.place = place
        func first(_ name: String) -> XMLTreeElement? { elements.first { $0.name == name } }
        let effective = first("effectiveTime")?.attribute("value")
        defaultOffset = CCDATime.offset(of: effective)
        documentDate = CCDATime.fhir(effective, defaultOffset: defaultOffset)
        documentTitle = first("title")?.text ?? first("code")?.attribute("displayName") ?? "Clinical document"
        documentKind = FHIRVocabulary.recordKind(forDocumentType: first("code")?.attribute("code"),
                                                 named: [first("code")?.attribute("displayName"), first("title")?.text]) ?? .other
        let setID = first("setId").flatMap(Self.idKey) ?? first("id").flatMap(Self.idKey)
        documentKey = setID ?? "file:\(fileName)"

        let targets = elements.filter { $0.name == "recordTarget" }.compactMap { $0.child("patientRole") }
        guard let role = targets.first, role.child("patient") != nil || !role.children("id").isEmpty else {
            throw ImportError.badData(place, "is a ClinicalDocument without a patient (recordTarget/patientRole); phr files every document under its patient")
        }
        let patientKeys = targets.map { role in
            role.children("id").lazy.compactMap(Self.idKey).first.map { "Patient|\($0)" } ?? "Patient|doc:\(setID ?? fileName)"
        }
        self.patientKeys = patientKeys
        patientURL = Self.fullUrl(patientKeys[0])
        usedKeys.insert(patientKeys[0])
        if includesPatient {
            entries.append(["fullUrl": patientURL, "resource": patient(role)])
            made += 1
        }

        // Providers of the header.
        var authors: [[String: Any]] = []
        for author in elements.filter({ $0.name == "author" }) {
            if let assigned = author.child("assignedAuthor"), let reference = provider(assigned) { authors.append(reference) }
        }
        var custodian: [String: Any]?
        if let organization = first("custodian")?.at("assignedCustodian/representedCustodianOrganization") {
            custodian = self.organization(organization)
        }
        if let assigned = first("legalAuthenticator")?.child("assignedEntity") { _ = provider(assigned) }
        for documentation in elements.filter({ $0.name == "documentationOf" }) {
            for performer in documentation.child("serviceEvent")?.children("performer") ?? [] {
                if let assigned = performer.child("assignedEntity") { _ = provider(assigned) }
            }
        }

        // The document itself, as a record whose file is the original XML.
        let code = first("code")
        let title = documentTitle
        var document: [String: Any] = [
            "resourceType": "DocumentReference", "status": "current",
            "subject": ["reference": patientURL],
            "description": title,
            "category": [["coding": [["system": FHIRVocabulary.recordKindSystem,
                                       "code": documentKind.rawValue]]]],
        ]
        if let code, let concept = concept(code) { document["type"] = concept }
        if !authors.isEmpty { document["author"] = authors }
        if let custodian { document["custodian"] = custodian }
        var attachment: [String: Any] = [
            "contentType": "text/xml", "title": fileName,
            "url": fileName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? fileName,
        ]
        if let documentDate { attachment["creation"] = documentDate }
        document["content"] = [["attachment": attachment]]
        add("DocumentReference", key: "DocumentReference|\(documentKey)", document)
    }

    /// The entries made since the last call, in order; the builder keeps them no longer.
    func takeEntries() -> [[String: Any]] {
        defer { entries = [] }
        return entries
    }

    /// The document's bundle (with the entries not taken) and what it held.
    func conversion() -> CCDAConversion {
        CCDAConversion(bundle: ["resourceType": "Bundle", "type": "collection", "entry": entries],
                       patientKeys: patientKeys, sections: sections, unmapped: unmapped, entriesNotRead: entriesNotRead)
    }

    // MARK: Sections

    /// The section whose entries are being read: its kind (`nil` when phr does not map it), the
    /// key its entries' positions start with, how many entries it has had and the resources before it.
    private struct OpenSection {
        let kind: CCDASection?
        let key: String
        var entries = 0
        let resourcesBefore: Int
    }
    private var open: OpenSection?

    /// Starts a section from what precedes its entries: its templateId, code, title and narrative.
    func begin(section: XMLTreeElement) {
        guard let kind = CCDASection.of(section) else {
            open = OpenSection(kind: nil, key: "", resourcesBefore: made)
            return
        }
        narrative = [:]
        section.child("text")?.forEachElement { element in
            if let id = element.attribute("ID"), let text = element.text { narrative[id] = text }
        }
        sections[kind.rawValue, default: CCDASectionCounts()].sections += 1
        let number = sections[kind.rawValue]?.sections ?? 1
        open = OpenSection(kind: kind, key: "\(documentKey)|\(kind.loincCode)|\(number)", resourcesBefore: made)
    }

    /// Reads the next entry of the section begun last (nothing, in a section phr does not map).
    func read(entry: XMLTreeElement) {
        guard var current = open else { return }
        defer { current.entries += 1; open = current }
        guard let kind = current.kind else { return }
        sections[kind.rawValue, default: CCDASectionCounts()].entries += 1
        let madeBefore = made
        entrySkip = nil
        for statement in entry.children where Self.statementNames.contains(statement.name) {
            read(statement, in: kind, position: "\(current.key)|\(current.entries)")
        }
        if made == madeBefore, entrySkip != .keptInPlanNote {
            sections[kind.rawValue, default: CCDASectionCounts()].entriesNotRead += 1
            if entriesNotRead.count < ImportReport.listLimit {
                let at = ImportPlace(file: place.file, position: entry.line > 0 ? .line(entry.line) : .wholeFile)
                entriesNotRead.append(CCDAEntryNotRead(place: at.description, section: kind.rawValue,
                                                       reason: entrySkip?.reason ?? CCDAEntrySkip.unreadable))
            }
        }
    }

    /// Ends a section: `section` is the whole element, less the entries already read through
    /// `read(entry:)` (it is begun here when none were). Then reads the sections inside it.
    func finish(section: XMLTreeElement) {
        if open == nil { begin(section: section) }
        for entry in section.children("entry") { read(entry: entry) }
        guard let current = open else { return }
        open = nil
        if let kind = current.kind {
            if kind == .planOfTreatment, let text = section.child("text")?.text {
                addPlanNote(section, text: text, key: current.key)
            }
            sections[kind.rawValue, default: CCDASectionCounts()].resources += made - current.resourcesBefore
        } else {
            let code = section.child("code")?.attribute("code")
            let title = section.child("title")?.text ?? section.child("code")?.attribute("displayName") ?? "Untitled section"
            unmapped[title + (code.map { " (LOINC \($0))" } ?? ""), default: 0] += 1
        }
        // Sections inside it (phr may map them when it does not map this one).
        for inner in section.children("component").compactMap({ $0.child("section") }) { finish(section: inner) }
    }

    static let statementNames: Set<String> = ["act", "observation", "organizer", "substanceAdministration", "procedure",
                                              "encounter", "supply"]

    // MARK: Identity

    /// `root^extension` of an `id` (the root alone without an extension); `nil` for a null id.
    static func idKey(_ id: XMLTreeElement) -> String? {
        guard id.attribute("nullFlavor") == nil || id.attribute("root") != nil, let root = id.attribute("root") else { return nil }
        return id.attribute("extension").map { "\(root)^\($0)" } ?? root
    }

    static func fullUrl(_ key: String) -> String { "urn:uuid:" + NameBasedUUID.make(name: "ccda|" + key) }

    /// The key of a statement: its first id, else its place in the document.
    func key(_ type: String, _ element: XMLTreeElement, fallback: String) -> String {
        let base = element.children("id").lazy.compactMap(Self.idKey).first.map { "\(type)|\($0)" } ?? "\(type)|\(fallback)"
        var key = base
        var number = 2
        while usedKeys.contains(key) {
            key = "\(base)#\(number)"
            number += 1
        }
        return key
    }

    @discardableResult
    func add(_ type: String, key: String, _ resource: [String: Any]) -> String {
        usedKeys.insert(key)
        var resource = resource
        resource["resourceType"] = type
        let url = Self.fullUrl(key)
        entries.append(["fullUrl": url, "resource": resource])
        made += 1
        return url
    }

    // MARK: Values

    /// A CodeableConcept from a CD/CE element: its code and translations as codings, its original
    /// text (a reference into the narrative resolved) else display name as text; `nil` when it
    /// says nothing.
    func concept(_ element: XMLTreeElement?) -> [String: Any]? {
        guard let element else { return nil }
        var codings: [[String: Any]] = []
        for coded in [element] + element.children("translation") {
            guard let code = coded.attribute("code"), coded.attribute("nullFlavor") == nil || coded.attribute("code") != nil else { continue }
            var coding: [String: Any] = ["code": code]
            if let system = coded.attribute("codeSystem") { coding["system"] = CCDAVocabulary.system(system) }
            if let display = coded.attribute("displayName") { coding["display"] = display }
            codings.append(coding)
        }
        var concept: [String: Any] = [:]
        if !codings.isEmpty { concept["coding"] = codings }
        if let text = originalText(element) ?? element.attribute("displayName") { concept["text"] = text }
        return concept.isEmpty ? nil : concept
    }

    /// The `originalText` of an element: its reference into the narrative resolved, else its own text.
    func originalText(_ element: XMLTreeElement) -> String? {
        guard let original = element.child("originalText") else { return nil }
        return resolved(original)
    }

    /// The text an element (`text`, `originalText`) gives: what its `<reference value="#id">`
    /// points to in the section's narrative, else its own text.
    func resolved(_ element: XMLTreeElement?) -> String? {
        guard let element else { return nil }
        if let value = element.child("reference")?.attribute("value"), value.hasPrefix("#"),
           let text = narrative[String(value.dropFirst())] {
            return text
        }
        var own = element
        if element.child("reference") != nil {
            // The text beside the reference, if any.
            let copy = XMLTreeElement(name: element.name, namespace: element.namespace, attributes: [:])
            for item in element.content { if case .text(let text) = item { copy.append(text: text) } }
            own = copy
        }
        return own.text
    }

    func time(_ element: XMLTreeElement?) -> String? {
        CCDATime.fhir(element?.attribute("value"), defaultOffset: defaultOffset)
    }

    /// An `effectiveTime` (TS, or IVL_TS with low, high or center) as a start and an end.
    func interval(_ element: XMLTreeElement?) -> (start: String?, end: String?) {
        guard let element else { return (nil, nil) }
        if let value = time(element) { return (value, nil) }
        if let center = time(element.child("center")) { return (center, nil) }
        return (time(element.child("low")), time(element.child("high")))
    }

    /// The `effectiveTime` of a statement that is an interval (not a PIVL_TS/EIVL_TS frequency).
    func period(of statement: XMLTreeElement) -> (start: String?, end: String?) {
        for time in statement.children("effectiveTime") where !Self.isPeriodic(time) {
            let found = interval(time)
            if found.start != nil || found.end != nil { return found }
        }
        return (nil, nil)
    }

    static func isPeriodic(_ time: XMLTreeElement) -> Bool {
        let type = time.attribute("type") ?? ""
        return type.hasSuffix("PIVL_TS") || type.hasSuffix("EIVL_TS") || type == "SXPR_TS" || time.child("period") != nil
            || time.child("event") != nil
    }

    /// A PQ as a FHIR Quantity.
    static func quantity(_ element: XMLTreeElement?) -> [String: Any]? {
        guard let element else { return nil }
        if element.attribute("value") == nil, let translation = element.child("translation"),
           let text = translation.attribute("value"), let value = Double(text) {
            // A unit outside UCUM ("THOUS/MCL"): the number is in the translation, the lab's own
            // unit in its original text, kept as written.
            var quantity: [String: Any] = ["value": value]
            if let unit = translation.child("originalText")?.text?.trimmingCharacters(in: .whitespacesAndNewlines), !unit.isEmpty {
                quantity["unit"] = unit
            }
            return quantity
        }
        guard let text = element.attribute("value"), let value = Double(text) else { return nil }
        var quantity: [String: Any] = ["value": value]
        if let unit = element.attribute("unit"), unit != "1" {
            quantity["unit"] = unit
            quantity["system"] = CCDAVocabulary.ucumSystem
            quantity["code"] = unit
        }
        return quantity
    }

    /// An IVL_PQ's `low` and `high` (as `quantity` reads each) as a FHIR Range, either end
    /// possibly missing; nil when it has neither.
    static func quantityRange(_ element: XMLTreeElement?) -> [String: Any]? {
        var range: [String: Any] = [:]
        if let low = quantity(element?.child("low")) { range["low"] = low }
        if let high = quantity(element?.child("high")) { range["high"] = high }
        return range.isEmpty ? nil : range
    }

    // MARK: Header

    private func patient(_ role: XMLTreeElement) -> [String: Any] {
        var resource: [String: Any] = ["resourceType": "Patient"]
        let assigner = role.at("providerOrganization/name")?.text
        let identifiers: [[String: Any]] = role.children("id").compactMap { id in
            guard let root = id.attribute("root") else { return nil }
            var identifier: [String: Any] = id.attribute("extension").map { ["system": "urn:oid:\(root)", "value": $0] }
                ?? ["system": "urn:ietf:rfc:3986", "value": "urn:oid:\(root)"]
            if let assigner { identifier["assigner"] = ["display": assigner] }
            return identifier
        }
        if !identifiers.isEmpty { resource["identifier"] = identifiers }
        if let person = role.child("patient") {
            if let name = Self.name(person.children("name")) { resource["name"] = [name] }
            switch person.child("administrativeGenderCode")?.attribute("code") {
            case "M": resource["gender"] = "male"
            case "F": resource["gender"] = "female"
            case "UN": resource["gender"] = "other"
            default: break
            }
            if let birth = CCDATime.fhir(person.child("birthTime")?.attribute("value"), defaultOffset: nil) {
                resource["birthDate"] = String(birth.prefix(10))
            }
        }
        contacts(role, into: &resource)
        return resource
    }

    /// A HumanName from C-CDA `name`s: the legal one (use `L`) else the first.
    static func name(_ names: [XMLTreeElement]) -> [String: Any]? {
        guard let chosen = names.first(where: { ($0.attribute("use") ?? "").split(separator: " ").contains("L") }) ?? names.first,
              chosen.attribute("nullFlavor") == nil else { return nil }
        var name: [String: Any] = [:]
        let given = chosen.children("given").compactMap(\.text)
        let family = chosen.children("family").compactMap(\.text)
        let prefix = chosen.children("prefix").compactMap(\.text)
        let suffix = chosen.children("suffix").compactMap(\.text)
        if !given.isEmpty { name["given"] = given }
        if !family.isEmpty { name["family"] = family.joined(separator: " ") }
        if !prefix.isEmpty { name["prefix"] = prefix }
        if !suffix.isEmpty { name["suffix"] = suffix }
        if name.isEmpty, let text = chosen.text { name["text"] = text }
        return name.isEmpty ? nil : name
    }

    /// Telecoms and the first address of `element`, as FHIR writes them.
    private func contacts(_ element: XMLTreeElement, into resource: inout [String: Any]) {
        var telecoms: [[String: Any]] = []
        for telecom in element.children("telecom") {
            guard let value = telecom.attribute("value") else { continue }
            let system: String
            let text: String
            if value.hasPrefix("tel:") { (system, text) = ("phone", String(value.dropFirst(4))) }
            else if value.hasPrefix("mailto:") { (system, text) = ("email", String(value.dropFirst(7))) }
            else if value.hasPrefix("fax:") { (system, text) = ("fax", String(value.dropFirst(4))) }
            else { (system, text) = ("other", value) }
            var point: [String: Any] = ["system": system, "value": text]
            if telecom.attribute("use") == "WP" { point["use"] = "work" }
            telecoms.append(point)
        }
        if !telecoms.isEmpty { resource["telecom"] = telecoms }
        if let addr = element.children("addr").first(where: { $0.attribute("nullFlavor") == nil }) {
            var address: [String: Any] = [:]
            let lines = addr.children("streetAddressLine").compactMap(\.text)
            if !lines.isEmpty { address["line"] = lines }
            for (from, to) in [("city", "city"), ("state", "state"), ("postalCode", "postalCode"), ("country", "country")] {
                if let text = addr.child(from)?.text { address[to] = text }
            }
            if !address.isEmpty { resource["address"] = [address] }
        }
    }

    /// A Practitioner (an assigned person) or, without one, an Organization for an assigned
    /// author or entity; the reference to it, or `nil` when it names no one.
    @discardableResult
    func provider(_ assigned: XMLTreeElement) -> [String: Any]? {
        guard let person = assigned.child("assignedPerson"), let name = Self.name(person.children("name")) else {
            if let organization = assigned.child("representedOrganization") { return self.organization(organization) }
            return nil
        }
        var resource: [String: Any] = ["name": [name]]
        let ids = assigned.children("id")
        let npi = ids.first { $0.attribute("root") == CCDAVocabulary.npiRoot }?.attribute("extension")
        if let npi { resource["identifier"] = [["system": FHIRVocabulary.npiSystem, "value": npi]] }
        contacts(assigned, into: &resource)
        let identity = npi.map { "npi:\($0)" } ?? ids.lazy.compactMap(Self.idKey).first
            ?? "name:\(Self.nameText(name))"
        let key = "Practitioner|\(identity)"
        let url = Self.fullUrl(key)
        if !usedKeys.contains(key) { add("Practitioner", key: key, resource) }
        return ["reference": url, "type": "Practitioner"]
    }

    func organization(_ element: XMLTreeElement) -> [String: Any]? {
        guard let name = element.children("name").lazy.compactMap(\.text).first else { return nil }
        var resource: [String: Any] = ["name": name]
        let ids = element.children("id")
        let npi = ids.first { $0.attribute("root") == CCDAVocabulary.npiRoot }?.attribute("extension")
        if let npi { resource["identifier"] = [["system": FHIRVocabulary.npiSystem, "value": npi]] }
        contacts(element, into: &resource)
        let key = "Organization|" + (npi.map { "npi:\($0)" } ?? ids.lazy.compactMap(Self.idKey).first ?? "name:\(name)")
        let url = Self.fullUrl(key)
        if !usedKeys.contains(key) { add("Organization", key: key, resource) }
        return ["reference": url, "type": "Organization"]
    }

    static func nameText(_ name: [String: Any]) -> String {
        let parts = ((name["given"] as? [String]) ?? []) + [(name["family"] as? String) ?? (name["text"] as? String) ?? ""]
        return parts.joined(separator: " ")
    }

    // MARK: Unstructured documents

    /// The file an unstructured document carries (`nonXMLBody/text`: base64 or text, with its
    /// media type) becomes a record of its own beside the document's, titled like it; a file it
    /// only references (a URL) is kept as that record's URL.
    func readUnstructured(_ text: XMLTreeElement) {
        let mediaType = text.attribute("mediaType") ?? "text/plain"
        let extensions = ["application/pdf": "pdf", "text/plain": "txt", "text/html": "html", "text/rtf": "rtf",
                          "application/rtf": "rtf", "image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif"]
        let fileName = documentTitle + (extensions[mediaType.lowercased()].map { ".\($0)" } ?? "")
        var attachment: [String: Any] = ["contentType": mediaType, "title": fileName]
        if let url = text.child("reference")?.attribute("value") {
            attachment["url"] = url
        } else if text.attribute("representation") == "B64" {
            let encoded = (text.text ?? "").filter { !$0.isWhitespace }
            guard !encoded.isEmpty else { return }
            attachment["data"] = encoded
        } else if let plain = text.text {
            attachment["data"] = Data(plain.utf8).base64EncodedString()
        } else {
            return
        }
        if let documentDate { attachment["creation"] = documentDate }
        add("DocumentReference", key: "DocumentReference|body|\(documentKey)", [
            "status": "current", "subject": ["reference": patientURL], "description": documentTitle,
            "category": [["coding": [["system": FHIRVocabulary.recordKindSystem, "code": documentKind.rawValue]]]],
            "content": [["attachment": attachment]],
        ])
    }

    // MARK: Plan of treatment

    private func addPlanNote(_ section: XMLTreeElement, text: String, key: String) {
        let title = section.child("title")?.text ?? "Plan of treatment"
        var attachment: [String: Any] = ["contentType": "text/plain", "title": title,
                                         "data": Data(text.utf8).base64EncodedString()]
        if let documentDate { attachment["creation"] = documentDate }
        add("DocumentReference", key: "DocumentReference|plan|\(key)", [
            "status": "current", "subject": ["reference": patientURL], "description": title,
            "category": [["coding": [["system": FHIRVocabulary.recordKindSystem, "code": Record.Kind.other.rawValue]]]],
            "content": [["attachment": attachment]],
        ])
    }
}
