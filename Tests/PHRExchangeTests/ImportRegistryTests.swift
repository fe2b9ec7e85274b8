import Foundation
import PHRStore
import XCTest
@testable import PHRExchange

/// Issue 10, item 7: one registry of the FHIR types phr imports; discovery, ordering, mapping and
/// provenance are derived from it, and nothing is registered twice or half.
final class ImportRegistryTests: XCTestCase {
    func testNoTypeIsRegisteredTwice() {
        let names = ImportedTypes.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "a type registered twice: \(names)")
        XCTAssertEqual(ImportedTypes.byName.count, names.count)
    }

    func testEveryRegisteredTypeIsWholeAndAFHIRR4ResourceType() {
        for (rank, type) in ImportedTypes.all.enumerated() {
            XCTAssertTrue(FHIRVocabulary.r4ResourceTypes.contains(type.name), "\(type.name) is a FHIR R4 resource type")
            XCTAssertNotEqual(type.name, "Bundle", "bundles are opened, not imported")
            XCTAssertEqual(ImportedTypes.byName[type.name]?.rank, rank)
            XCTAssertEqual(ResourceOrder.rank(of: type.name), rank, "\(type.name) is processed in its registered order")
            XCTAssertTrue(ResourceOrder.isImported(type.name))
            XCTAssertFalse(ResourceOrder.namesSkippedType("\(type.name).000.ndjson"),
                           "a bulk file of \(type.name) is imported, not counted as skipped")
            XCTAssertEqual(ReferenceResolver.resourceTypes(for: [type.table]).contains(type.name), true,
                           "references to \(type.name) resolve to its table")
        }
    }

    /// `phr import --help` names every type phr imports (its text is written by hand, so a type
    /// added to the registry must be added there too).
    func testImportsHelpNamesEveryRegisteredType() throws {
        let command = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/PHRCommands/Import/ImportCommand.swift")
        let source = try String(contentsOf: command, encoding: .utf8)
        let help = try XCTUnwrap(source.range(of: "discussion: \"\"\"").flatMap { start in
            source.range(of: "Examples:", range: start.upperBound..<source.endIndex).map { source[start.upperBound..<$0.lowerBound] }
        }, "ImportCommand's discussion")
        let words = Set(help.split { !$0.isLetter }.map(String.init))
        for type in ImportedTypes.all {
            XCTAssertTrue(words.contains(type.name), "phr import --help does not name \(type.name)")
        }
    }

    func testEveryTableImportsTakeRowsOfHasARegisteredType() {
        let tables = Set(ImportedTypes.all.map(\.table))
        XCTAssertEqual(tables, Set(ImportedTable.allCases), "a table with no type, or a type with no table")
    }

    func testTypesNotRegisteredAreSkippedAndComeLast() {
        XCTAssertFalse(ResourceOrder.isImported("Claim"))
        XCTAssertTrue(ResourceOrder.namesSkippedType("Claim.000.ndjson"))
        XCTAssertEqual(ResourceOrder.rank(of: "Claim"), ImportedTypes.all.count)
        XCTAssertFalse(ResourceOrder.namesSkippedType("Bundle.000.ndjson"), "bundles are read, whatever their file's name")
    }

    func testEveryRegisteredTypeIsPreparedByItsMapper() throws {
        for type in ImportedTypes.all {
            var resource = IncomingResource(
                type: type.name, id: "x1",
                body: FHIRObject(["resourceType": type.name, "id": "x1"], place: ImportPlace(file: "t.json", position: .wholeFile),
                                 path: type.name),
                fullUrl: nil, contentHash: String(repeating: "0", count: 64),
                unit: InputUnit(path: "/t.json", name: "/t.json", format: .json, folder: "/", isPacket: false, rank: -1, size: 0),
                location: ResourceLocation(unit: 0, line: nil, entryPath: [0]))
            try ResourceMappers.prepare(&resource)
            XCTAssertNotNil(resource.keys, type.name)
            XCTAssertNotNil(resource.prepared, type.name)
        }
    }
}
