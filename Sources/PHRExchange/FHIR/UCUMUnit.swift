/// Whether a unit as written is a UCUM code, so that a Quantity may name UCUM as its system.
///
/// Guarantee: `isUCUM` never says yes to a unit that is not valid UCUM (case-sensitive) for the
/// units results use: it accepts terms of known atoms (with SI prefixes where UCUM allows them),
/// integer exponents, `10*N`/`10^N` factors, plain integers and `{annotations}`, joined by `.`
/// and `/`. It may say no to exotic valid units; those are written without a system, which FHIR
/// allows (the unit is kept as text either way).
enum UCUMUnit {
    static func isUCUM(_ unit: String) -> Bool {
        guard !unit.isEmpty, unit.count <= 64, !unit.contains(" ") else { return false }
        var text = Substring(unit)
        if text.hasPrefix("/") { text = text.dropFirst() }
        var terms: [Substring] = []
        var current = Substring()
        var inAnnotation = false
        for character in text {
            if character == "{" { inAnnotation = true }
            if character == "}" { inAnnotation = false }
            if !inAnnotation, character == "." || character == "/" {
                terms.append(current)
                current = Substring()
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        return !inAnnotation && terms.allSatisfy(isTerm)
    }

    private static func isTerm(_ term: Substring) -> Bool {
        var term = term
        // An annotation alone ({cells}) or after a unit (g{total}) means nothing to UCUM.
        if let open = term.firstIndex(of: "{") {
            guard term.hasSuffix("}"), !term[term.index(after: open)...].dropLast().contains("{") else { return false }
            term = term[..<open]
            if term.isEmpty { return true }
        }
        if term.allSatisfy(isDigit) { return true }
        if term.hasPrefix("10*") || term.hasPrefix("10^") {
            let exponent = term.dropFirst(3)
            let digits = exponent.hasPrefix("-") || exponent.hasPrefix("+") ? exponent.dropFirst() : exponent
            return !digits.isEmpty && digits.allSatisfy(isDigit)
        }
        // A trailing integer exponent (cm2, s-1).
        var body = term
        while let last = body.last, isDigit(last) { body = body.dropLast() }
        if body.last == "-" || body.last == "+" { body = body.dropLast() }
        guard !body.isEmpty else { return false }
        if plainAtoms.contains(String(body)) || metricAtoms.contains(String(body)) { return true }
        for prefix in prefixes where body.hasPrefix(prefix) {
            if metricAtoms.contains(String(body.dropFirst(prefix.count))) { return true }
        }
        return false
    }

    private static func isDigit(_ character: Character) -> Bool { ("0"..."9").contains(character) }

    private static let prefixes = ["da", "Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p", "f", "a"]
    /// Atoms that take SI prefixes.
    private static let metricAtoms: Set<String> = [
        "m", "s", "g", "L", "l", "mol", "K", "Cel", "Pa", "bar", "J", "W", "V", "Hz", "N", "eq", "U", "kat", "Bq", "Gy",
        "Sv", "cal", "[IU]", "[iU]", "osm", "mm[Hg]", "m[Hg]", "m[H2O]", "sr", "rad", "A", "C", "Ohm", "t",
    ]
    /// Atoms that do not.
    private static let plainAtoms: Set<String> = [
        "%", "min", "h", "d", "wk", "mo", "a", "[degF]", "[lb_av]", "[oz_av]", "[in_i]", "[ft_i]", "[psi]", "[ppm]",
        "[ppb]", "[pH]", "[drp]", "[HPF]", "[LPF]", "[arb'U]", "[CFU]", "[APL'U]", "[GPL'U]", "[MPL'U]", "1",
    ]
}
