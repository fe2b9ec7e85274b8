import PHRStore

/// Imports one kind of FHIR resource into phr's tables, in two steps:
///
/// 1. `prepare` reads the resource's fields into a plain value, checking them (dates, types,
///    base64). It touches nothing else, so it runs on the parsing thread, beside the import.
/// 2. `apply` (on the importing thread) resolves the references the prepared value names, then
///    makes, updates or matches the row through `ImportSession.upsert`, or counts the resource as
///    skipped with the reason. References are resolved before anything is written, so that a
///    deferral leaves nothing behind.
protocol ResourceMapper: Sendable {
    func prepare(_ resource: IncomingResource) throws -> any PreparedResource
}

/// What a mapper read from one resource, ready to be applied to the store.
protocol PreparedResource {
    func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws
}

/// A resource phr maps but does not store, with the reason the report lists it with.
struct SkippedResource: PreparedResource {
    let reason: String

    func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
        session.report.notStored(resource.type, resource.place, reason: reason)
    }
}

extension ResourceMapper {
    /// `status` codes after which a resource is not imported at all.
    static func isEnteredInError(_ resource: IncomingResource) throws -> Bool {
        try resource.body.text("status") == "entered-in-error"
    }
}

/// Prepares resources with the mapper `ImportedTypes` registers for their type.
enum ResourceMappers {
    /// Reads the source keys and prepares the fields of `resource` when phr imports its type.
    static func prepare(_ resource: inout IncomingResource) throws {
        guard let mapper = ImportedTypes.type(named: resource.type)?.mapper else { return }
        resource.keys = try SourceKeys(resource)
        resource.prepared = try mapper.prepare(resource)
    }
}
