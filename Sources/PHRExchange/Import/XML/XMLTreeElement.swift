/// One XML element read by `SafeXMLReader`: its local name, namespace, attributes (by local name)
/// and children; text is kept in order with the children so that narrative reads as written.
///
/// Guarantees: attribute names have their prefix removed (`xsi:type` is `type`), except
/// namespace declarations, which are not kept.
final class XMLTreeElement {
    enum Content {
        case element(XMLTreeElement)
        case text(String)
    }

    let name: String
    let namespace: String?
    let attributes: [String: String]
    /// The line of the file its start tag ends on (libxml2's count, from 1); 0 when not read from
    /// a file.
    let line: Int
    private(set) var content: [Content] = []

    init(name: String, namespace: String?, attributes: [String: String], line: Int = 0) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.line = line
    }

    func append(_ child: XMLTreeElement) { content.append(.element(child)) }

    /// The element as it is now, apart from it: what is appended to it later is not in the copy
    /// (its children are shared, so they must be complete already).
    func snapshot() -> XMLTreeElement {
        let copy = XMLTreeElement(name: name, namespace: namespace, attributes: attributes, line: line)
        copy.content = content
        return copy
    }

    func append(text: String) {
        if case .text(let previous)? = content.last {
            content[content.count - 1] = .text(previous + text)
        } else {
            content.append(.text(text))
        }
    }

    var children: [XMLTreeElement] {
        content.compactMap { if case .element(let child) = $0 { return child } else { return nil } }
    }

    func child(_ name: String) -> XMLTreeElement? {
        for case .element(let child) in content where child.name == name { return child }
        return nil
    }

    func children(_ name: String) -> [XMLTreeElement] { children.filter { $0.name == name } }

    /// The first element at the end of `path` (`"assignedPerson/name"`).
    func at(_ path: String) -> XMLTreeElement? {
        var element: XMLTreeElement? = self
        for part in path.split(separator: "/") { element = element?.child(String(part)) }
        return element
    }

    func attribute(_ name: String) -> String? {
        guard let value = attributes[name] else { return nil }
        let trimmed = FHIRObject.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// All the text inside the element, white space collapsed; `nil` when there is none.
    var text: String? {
        var parts: [String] = []
        collectText(into: &parts)
        let joined = parts.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }

    private func collectText(into parts: inout [String]) {
        for item in content {
            switch item {
            case .text(let text): parts.append(text)
            case .element(let child): child.collectText(into: &parts)
            }
        }
    }

    /// Every element inside this one (depth first), this one included.
    func forEachElement(_ body: (XMLTreeElement) throws -> Void) rethrows {
        try body(self)
        for case .element(let child) in content { try child.forEachElement(body) }
    }
}
