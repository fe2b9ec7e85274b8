import Foundation

/// The bundles of an import that are one page of a search: their `link` names a `next` page,
/// which the file does not hold. Noted by whichever thread reads the bundle (the importing thread
/// for a bundle file, a reading thread for a bundle inside an entry or an NDJSON line).
///
/// Guarantees: safe to use from any thread; each bundle noted is kept once, with its place and
/// the `total` it gives; at most `ImportReport.listLimit` are kept (all are counted).
final class PagedBundles: @unchecked Sendable {
    // `pages` and `count` are guarded by `lock`.
    private let lock = NSLock()
    private var pages: [ImportReport.PagedBundle] = []
    private var count = 0

    /// Notes the bundle read at `place` as one page of a search that found `total` matches.
    func note(_ place: ImportPlace, total: Int?) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if pages.count < ImportReport.listLimit { pages.append(ImportReport.PagedBundle(place: place.description, total: total)) }
    }

    /// Every bundle noted, in the order of their places (threads note them in any order), and how
    /// many there were.
    var all: (pages: [ImportReport.PagedBundle], count: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (pages.sorted { $0.place < $1.place }, count)
    }

    /// Notes `bundle` when an element of its `link` array has `relation` `next`, as
    /// `JSONBundleScanner` finds it in a bundle file. A `link` or `total` that is not what FHIR
    /// says (not an array of objects, a relation or number of another JSON type) says nothing: it
    /// never stops the import.
    func noteIfPaged(_ bundle: FHIRObject) {
        guard let links = bundle.fields["link"] as? [Any],
              links.contains(where: { (($0 as? [String: Any])?["relation"] as? String) == "next" }) else { return }
        note(bundle.place, total: (try? bundle.int("total")).flatMap { $0 }.flatMap { $0 >= 0 ? $0 : nil })
    }
}
