/// Turns FHIR R4 XML (a resource or a Bundle) into the same JSON objects FHIR JSON parses into,
/// following the rules of FHIR's XML format: a primitive's text is its `value` attribute, `id` and
/// `url` are attributes, `div` is XHTML kept as text, a contained or bundled resource is the one
/// element inside `resource` or `contained`.
///
/// XML does not say what repeats or what is a number, as JSON does. Repeated elements become
/// arrays, and so do the primitives that may repeat and that phr reads as lists (`given`, `line`,
/// `profile`, …; objects are read as arrays of one anyway); the numbers phr reads (a quantity's
/// `value`, timing counts) become numbers when they are numbers.
enum FHIRXMLReader {
    static let listPrimitives: Set<String> = ["given", "prefix", "suffix", "line", "profile", "category", "security", "tag"]
    static let numberPrimitives: Set<String> = [
        "valueInteger", "valueDecimal", "valuePositiveInt", "valueUnsignedInt", "frequency", "frequencyMax",
        "period", "periodMax", "count", "countMax", "duration", "durationMax", "minutesDuration", "rank", "sequence",
    ]
    /// Elements whose `value` is text whatever it looks like.
    static let textValueParents: Set<String> = ["identifier", "telecom", "extension", "modifierExtension"]

    /// Reads the FHIR XML file at `path` into a resource object (`resourceType` first).
    static func read(path: String, name: String) throws -> [String: Any] {
        var root: XMLTreeElement?
        try SafeXMLReader(path: path, name: name).read(keep: { $0.count == 1 }) { root = $0 }
        guard let root, root.namespace == XMLProlog.fhirNamespace else {
            throw ImportError.badData(ImportPlace(file: name, position: .wholeFile),
                                      "is not FHIR XML (its root is not in the namespace \(XMLProlog.fhirNamespace))")
        }
        return resource(root)
    }

    static func resource(_ element: XMLTreeElement) -> [String: Any] {
        var object = fields(of: element, name: element.name)
        object["resourceType"] = element.name
        return object
    }

    private static func fields(of element: XMLTreeElement, name: String) -> [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in element.attributes where key == "id" || key == "url" {
            object[key] = value
        }
        var grouped: [(String, [Any])] = []
        var positions: [String: Int] = [:]
        for child in element.children {
            // A primitive with extensions but no value (a data-absent reason) is `_name` in JSON:
            // kept under that name, so that nothing reads it as the value.
            if child.attributes["value"] == nil, isPrimitive(child.name),
               child.children.allSatisfy({ $0.name == "extension" }) {
                object["_" + child.name] = fields(of: child, name: child.name)
                continue
            }
            let value = self.value(of: child, parent: name)
            if let position = positions[child.name] {
                grouped[position].1.append(value)
            } else {
                positions[child.name] = grouped.count
                grouped.append((child.name, [value]))
            }
        }
        for (key, values) in grouped {
            object[key] = values.count > 1 || listPrimitives.contains(key) ? values : values[0]
        }
        return object
    }

    private static func value(of element: XMLTreeElement, parent: String) -> Any {
        if element.name == "div" { return xhtml(element) }
        if element.name == "resource" || (element.name == "contained" && element.children.count == 1),
           let inner = element.children.first {
            return resource(inner)
        }
        // An element with a value is a primitive (its extensions, if any, are not read).
        if let value = element.attributes["value"] {
            if (element.name == "value" && !textValueParents.contains(parent)) || numberPrimitives.contains(element.name),
               let number = Double(value) {
                if let integer = Int(exactly: number), !value.contains(".") { return integer }
                return number
            }
            return value
        }
        return fields(of: element, name: element.name)
    }

    static let primitiveSuffixes = ["DateTime", "Date", "Instant", "Time", "String", "Boolean", "Integer", "Decimal",
                                    "Code", "Uri", "Url", "Canonical", "Markdown", "PositiveInt", "UnsignedInt", "Id"]
    static let primitiveNames: Set<String> = ["birthDate", "date", "recordedDate", "authoredOn", "issued", "start", "end",
                                              "status", "gender", "title", "description", "comment"]

    /// Whether an element of this name holds a FHIR primitive (by its name, as phr reads them).
    private static func isPrimitive(_ name: String) -> Bool {
        primitiveNames.contains(name) || primitiveSuffixes.contains { name.count > $0.count && name.hasSuffix($0) }
    }

    /// The XHTML of a narrative `div`, as text with its markup.
    private static func xhtml(_ element: XMLTreeElement) -> String {
        var text = "<\(element.name)>"
        for item in element.content {
            switch item {
            case .text(let part): text += escaped(part)
            case .element(let child): text += xhtml(child)
            }
        }
        return text + "</\(element.name)>"
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
