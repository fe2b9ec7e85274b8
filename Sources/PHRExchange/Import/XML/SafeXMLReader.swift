internal import CLibXML2Quiet
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an XML file with Foundation's streaming `XMLParser` (SAX), keeping only the subtrees the
/// caller asks for: memory is bounded by the largest subtree kept, not by the file.
///
/// Guarantees:
/// - **No DTD, no entities**: a file whose prolog holds a `<!DOCTYPE` is refused before parsing
///   (`XMLSniffer`), so no entity can be declared: nothing is read through an external entity
///   (XXE) and no expansion bomb can go off. External entity resolution is off in the parser too.
/// - Malformed XML throws `ImportError.badData` naming the file, line and column, never its text;
///   libxml2 prints nothing of its own (`phr_libxml2_quiet_generic_errors`).
struct SafeXMLReader {
    let path: String
    /// What messages call the file.
    let name: String

    /// Parses the file; calls `keep` with the names from the root down to each element outside a
    /// kept subtree, and `body` with each subtree `keep` said yes to, once its end tag is read.
    ///
    /// A child of a kept subtree's root that `streams(root, child)` names is not kept in the tree:
    /// `part` gets it as soon as its end tag is read, with the root as read so far (its children
    /// before this one), so that a long list is handled while the rest is read and never held whole.
    func read(keep: @escaping ([String]) -> Bool,
              streams: @escaping (_ root: String, _ child: String) -> Bool = { _, _ in false },
              part: @escaping (_ child: XMLTreeElement, _ root: XMLTreeElement) throws -> Void = { _, _ in },
              _ body: @escaping (XMLTreeElement) throws -> Void) throws {
        let prolog = try XMLSniffer.sniff(path: path, name: name)
        guard prolog != nil else {
            throw ImportError.badData(ImportPlace(file: name, position: .wholeFile), "is not XML phr can read")
        }
        try UTF8Check.check(path: path, name: name)
        guard let stream = InputStream(fileAtPath: path) else {
            throw ImportError.noInput(path: name, reason: "the file cannot be read")
        }
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        #if canImport(Darwin)
        parser.externalEntityResolvingPolicy = .never
        #endif
        let builder = TreeBuilder(parser: parser, keep: keep, streams: streams, part: part, body: body)
        parser.delegate = builder
        // A parse error is phr's one line below; libxml2 would print some of its own first.
        phr_libxml2_quiet_generic_errors()
        let parsed = parser.parse()
        if let failure = builder.failure { throw failure }
        if !parsed || builder.parseError != nil {
            let line = builder.parseError?.line ?? parser.lineNumber
            let column = builder.parseError?.column ?? parser.columnNumber
            throw ImportError.badData(ImportPlace(file: name, position: .wholeFile),
                                      "is not well-formed XML (line \(line), column \(column))")
        }
    }
}

/// The SAX delegate that builds the kept subtrees.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private unowned let parser: XMLParser
    private let keep: ([String]) -> Bool
    private let streams: (String, String) -> Bool
    private let part: (XMLTreeElement, XMLTreeElement) throws -> Void
    private let body: (XMLTreeElement) throws -> Void
    private var names: [String] = []
    /// The open elements of the subtree being built.
    private var open: [XMLTreeElement] = []
    /// The open child of the root that is handed over by itself when it ends.
    private var streamed: XMLTreeElement?
    var failure: (any Error)?
    var parseError: (line: Int, column: Int)?

    init(parser: XMLParser, keep: @escaping ([String]) -> Bool, streams: @escaping (String, String) -> Bool,
         part: @escaping (XMLTreeElement, XMLTreeElement) throws -> Void, body: @escaping (XMLTreeElement) throws -> Void) {
        self.parser = parser
        self.keep = keep
        self.streams = streams
        self.part = part
        self.body = body
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let local = Self.localName(elementName)
        if open.isEmpty {
            names.append(local)
            guard keep(names) else { return }
        }
        var attributes = attributeDict
        // Most elements name their attributes without a prefix: their dictionary is kept as it is.
        if attributes.keys.contains(where: { $0.utf8.contains(UInt8(ascii: ":")) || $0 == "xmlns" }) {
            attributes = [:]
            for (key, value) in attributeDict where key != "xmlns" && !key.hasPrefix("xmlns:") {
                attributes[Self.localName(key)] = value
            }
        }
        let element = XMLTreeElement(name: local, namespace: namespaceURI, attributes: attributes, line: parser.lineNumber)
        if open.count == 1, streams(open[0].name, local) {
            streamed = element
        } else {
            open.last?.append(element)
        }
        open.append(element)
    }

    /// `name` without its prefix (`xsi:type` is `type`); the same string, uncopied, when it has none.
    private static func localName(_ name: String) -> String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let element = open.popLast() else {
            names.removeLast()
            return
        }
        do {
            if element === streamed, let root = open.first {
                streamed = nil
                try part(element, root)
            }
            guard open.isEmpty else { return }
            names.removeLast()
            try body(element)
        } catch {
            failure = error
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        open.last?.append(text: string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        open.last?.append(text: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil, self.parseError == nil { self.parseError = (parser.lineNumber, parser.columnNumber) }
    }
}

/// What the start of an XML file says: its root element's local name and namespace.
struct XMLProlog: Equatable {
    let root: String
    let namespace: String?
    /// The first `effectiveTime` value of the bytes read: a C-CDA document's own time (the header
    /// comes before the body), to read newer documents first.
    var firstEffectiveTime: String?

    static let cdaNamespace = "urn:hl7-org:v3"
    static let fhirNamespace = "http://hl7.org/fhir"

    var isCDA: Bool { root == "ClinicalDocument" && namespace == Self.cdaNamespace }
    var isFHIR: Bool { namespace == Self.fhirNamespace }
}

/// Recognises an XML file by its content: reads at most `limit` bytes, past the XML declaration,
/// comments and processing instructions, to the root element's start tag.
enum XMLSniffer {
    static let limit = 64 * 1024

    /// The `value` attribute of the first element called `name` (any prefix) in `bytes`.
    static func firstValue(of name: String, in bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        var rest = Substring(text)
        while let found = rest.range(of: name) {
            let before = rest[..<found.lowerBound].last
            rest = rest[found.upperBound...]
            guard before == "<" || before == ":", let close = rest.firstIndex(of: ">") else { continue }
            let tag = rest[..<close]
            guard let start = tag.range(of: "value=\"") else { return nil }
            return String(tag[start.upperBound...].prefix { $0 != "\"" })
        }
        return nil
    }

    /// The prolog of the file; `nil` when it does not start like XML. Throws when the prolog
    /// declares a DTD (`<!DOCTYPE`): phr reads no DTDs.
    static func sniff(path: String, name: String) throws -> XMLProlog? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.noInput(path: name, reason: "the file cannot be read")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit)) ?? Data()
        return try sniff(Array(data), name: name)
    }

    static func sniff(_ bytes: [UInt8], name: String) throws -> XMLProlog? {
        var index = 0
        // A UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        func starts(with text: String) -> Bool {
            let utf8 = Array(text.utf8)
            return index + utf8.count <= bytes.count && Array(bytes[index..<index + utf8.count]) == utf8
        }
        func skip(past end: String) -> Bool {
            let utf8 = Array(end.utf8)
            while index + utf8.count <= bytes.count {
                if Array(bytes[index..<index + utf8.count]) == utf8 {
                    index += utf8.count
                    return true
                }
                index += 1
            }
            return false
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
            if starts(with: "<?") {
                guard skip(past: "?>") else { return nil }
            } else if starts(with: "<!--") {
                guard skip(past: "-->") else { return nil }
            } else if starts(with: "<!") {
                throw ImportError.badData(ImportPlace(file: name, position: .wholeFile),
                                          "declares a DTD (<!DOCTYPE>); phr reads XML without DTDs or entities, for safety")
            } else {
                break
            }
        }
        // The root start tag: its name and its attributes up to `>`.
        guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let tag = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        let parts = tag.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "/" })
        guard let qualified = parts.first, !qualified.isEmpty else { return nil }
        let prefix = qualified.contains(":") ? String(qualified.split(separator: ":")[0]) : nil
        let local = String(qualified.split(separator: ":").last ?? qualified)
        let declaration = prefix.map { "xmlns:\($0)" } ?? "xmlns"
        var namespace: String?
        if let range = tag.range(of: declaration + "=") ?? tag.range(of: declaration + " =") {
            let rest = tag[range.upperBound...].drop { $0 == " " }
            if let quote = rest.first, quote == "\"" || quote == "'" {
                namespace = String(rest.dropFirst().prefix { $0 != quote })
            }
        }
        return XMLProlog(root: local, namespace: namespace, firstEffectiveTime: firstValue(of: "effectiveTime", in: bytes[end...]))
    }
}
