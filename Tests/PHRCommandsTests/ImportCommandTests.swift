import Foundation
import XCTest

/// `phr import` end to end: the summary, dry run, --patient, and every refusal with its exit code
/// and the store unchanged.
final class ImportCommandTests: PHRTestCase {
    private let portalData = """
        {"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}],"birthDate":"1968-04-02","gender":"female"}
        {"resourceType":"Practitioner","id":"d1","name":[{"family":"Weber","given":["Anna"],"prefix":["Dr."]}]}
        {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"asserter":{"reference":"Practitioner/d1"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C50.912","display":"Invasive ductal carcinoma, left breast"}]},"onsetDateTime":"2026-10-02"}
        {"resourceType":"Claim","id":"o1","status":"active"}
        {"resourceType":"Encounter","id":"e1","status":"planned","subject":{"reference":"Patient/p1"},"participant":[{"individual":{"reference":"Practitioner/gone"}}],"period":{"start":"2026-12-03T09:30:00-05:00"}}

        """

    /// What the source said beyond phr's fields is shown as the source's (`show`: "From the
    /// source"; json and csv: `source_notes`), never as the patient's notes.
    func testShowAndListingsGiveWhatTheSourceSaidApartFromThePatientsNotes() throws {
        try succeed("init")
        let input = try writeFile("portal.ndjson", """
            {"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}],"birthDate":"1968-04-02"}
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"text":"Invasive ductal carcinoma"},"note":[{"text":"Grade 2 on core biopsy."}]}
            {"resourceType":"Observation","id":"o1","status":"registered","subject":{"reference":"Patient/p1"},"code":{"text":"Leukocytes"},"dataAbsentReason":{"text":"pending"}}
            {"resourceType":"MedicationStatement","id":"m1","status":"active","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Letrozole 2.5 mg tablet"},"note":[{"text":"Dispensed as 30 tablets."}]}
            {"resourceType":"AllergyIntolerance","id":"a1","patient":{"reference":"Patient/p1"},"code":{"text":"Penicillin"},"lastOccurrence":"2020-05-01"}
            {"resourceType":"Procedure","id":"pr1","status":"completed","subject":{"reference":"Patient/p1"},"code":{"text":"Lumpectomy"},"performedString":"Spring 2025"}
            {"resourceType":"Immunization","id":"i1","status":"completed","patient":{"reference":"Patient/p1"},"vaccineCode":{"text":"Influenza"},"occurrenceDateTime":"2026-10-15","lotNumber":"AB123"}
            {"resourceType":"DiagnosticReport","id":"dr1","status":"final","subject":{"reference":"Patient/p1"},"code":{"text":"Surgical pathology"},"effectiveDateTime":"2026-10-01","conclusion":"Invasive ductal carcinoma, grade 2."}
            {"resourceType":"Appointment","id":"ap1","status":"booked","start":"2026-12-10T09:00:00Z","end":"2026-12-10T09:30:00Z","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}],"comment":"Bring the slides."}
            {"resourceType":"ClinicalImpression","id":"ci1","status":"completed","subject":{"reference":"Patient/p1"},"problem":[{"reference":"Condition/c1"}],"date":"2026-11-01","summary":"Surgery first","note":[{"text":"Slides reviewed."}]}

            """)
        try succeed("import", input)
        try succeed("diagnosis", "edit", "invasive", "--notes", "Ask about trials.")
        let show = try succeed("diagnosis", "show", "invasive").stdout
        XCTAssertTrue(show.contains("From the source: Grade 2 on core biopsy."), show)
        XCTAssertTrue(show.contains("Notes:") && show.contains("Ask about trials."), show)
        XCTAssertTrue(try succeed("procedure", "show", "lumpectomy").stdout.contains("From the source: Performed: Spring 2025"))
        XCTAssertTrue(try succeed("record", "show", "1").stdout.contains("From the source: Invasive ductal carcinoma, grade 2."),
                      "a report's conclusion is the source's, not the patient's note")

        for (kind, said) in [("diagnosis", "Grade 2 on core biopsy."), ("result", "No value: pending"),
                             ("medication", "Dispensed as 30 tablets."), ("allergy", "Last reaction: 2020-05-01"),
                             ("procedure", "Performed: Spring 2025"), ("immunization", "Lot AB123"),
                             ("record", "Invasive ductal carcinoma, grade 2."), ("appointment", "Bring the slides."),
                             ("opinion", "Slides reviewed.")] {
            let row = try XCTUnwrap(try succeed(kind, "list", "--format", "json").jsonArray().first, kind)
            XCTAssertEqual(row["source_notes"] as? String, said, kind)
            XCTAssertEqual(try succeed(kind, "list", "--format", "csv").csvRecords().rows.first?["source_notes"], said, kind)
            if kind != "diagnosis" { XCTAssertTrue(row["notes"] is NSNull, "\(kind): import writes no notes of the patient's") }
        }
        let diagnosis = try succeed("diagnosis", "show", "invasive", "--format", "json").jsonObject()
        XCTAssertEqual(diagnosis["notes"] as? String, "Ask about trials.")
    }

    func testImportStoresTheDataAndPrintsASummaryByType() throws {
        try succeed("init")
        let input = try writeFile("portal.ndjson", portalData)
        let result = try succeed("import", input)
        XCTAssertTrue(result.lines[0].hasPrefix("Imported 1 file, 5 resources read: 4 added, 0 updated, 0 unchanged, 1 skipped, 0 conflicts."),
                      result.stdout)
        XCTAssertTrue(result.lines.contains { $0.split(separator: " ") == ["Condition", "1", "1", "0", "0", "0", "0"] }, result.stdout)
        XCTAssertTrue(result.lines.contains { $0.split(separator: " ") == ["Total", "5", "4", "0", "0", "1", "0"] }, result.stdout)
        XCTAssertTrue(result.stdout.contains("Claim: not a type phr imports: 1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("portal.ndjson:5 (Encounter/e1): participant: Practitioner/gone"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"Unknown provider\""), result.stdout)
        let diagnoses = try succeed("diagnosis", "list", "--format", "json").jsonArray()
        XCTAssertEqual(diagnoses.first?["code"] as? String, "C50.912")
        let again = try succeed("import", input)
        XCTAssertTrue(again.lines[0].hasPrefix("Imported 1 file, 5 resources read: 0 added, 0 updated, 4 unchanged, 1 skipped, 0 conflicts."),
                      again.stdout)
    }

    func testDryRunSaysWhatWouldHappenAndWritesNothing() throws {
        try succeed("init")
        let input = try writeFile("portal.ndjson", portalData)
        let before = try storeDump()
        let result = try succeed("import", input, "--dry-run")
        XCTAssertTrue(result.lines[0].hasPrefix("Dry run: nothing was written. Would import 1 file, 5 resources read: 4 added"), result.stdout)
        XCTAssertEqual(try storeDump(), before)
    }

    func testPatientOptionImportsForAPatientOfTheStore() throws {
        try setUpPatientAndProviders()
        let input = try writeFile("conditions.ndjson", """
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/elsewhere"},"code":{"text":"Suspicious lesion"}}
            """)
        try assertRefused(["import", input], code: 65, mentions: ["conditions.ndjson:1 (Condition/c1)", "--patient"])
        try succeed("import", input, "--patient", "Maria")
        let diagnoses = try succeed("diagnosis", "list", "--format", "json").jsonArray()
        XCTAssertEqual(diagnoses.first?["description"] as? String, "Suspicious lesion")
    }

    func testBadInputIsRefusedWithItsExitCodeAndTheStoreUnchanged() throws {
        try setUpPatientAndProviders()
        let malformed = try writeFile("bad.ndjson", "{\"resourceType\": \"Patient\", \n")
        try assertRefused(["import", malformed], code: 65, mentions: ["bad.ndjson:1", "not valid JSON"])
        let impossible = try writeFile("date.ndjson", #"{"resourceType":"Patient","id":"p9","birthDate":"2023-02-30"}"#)
        try assertRefused(["import", impossible], code: 65, mentions: ["date.ndjson:1 (Patient/p9)", "birthDate"])
        let unknown = try writeFile("type.ndjson", #"{"resourceType":"Patinet","id":"p9"}"#)
        try assertRefused(["import", unknown], code: 65, mentions: ["unknown resourceType"])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try assertRefused(["import", folder.appendingPathComponent("empty").path], code: 65, mentions: ["no file phr reads"])
        try assertRefused(["import", folder.appendingPathComponent("missing.json").path], code: 66, mentions: ["missing.json"])
        try assertRefused(["import"], code: 64, mentions: ["path"])
        try assertRefused(["import", malformed, "--patient", "nobody"], code: 65, mentions: ["--patient"])
        let two = try writeFile("two.ndjson", """
            {"resourceType":"Patient","id":"a","name":[{"text":"One"}],"birthDate":"1950-01-01"}
            {"resourceType":"Patient","id":"b","name":[{"text":"Two"}],"birthDate":"1960-01-01"}
            """)
        try assertRefused(["import", two, "--patient", "Maria"], code: 64, mentions: ["--patient", "several"])
    }

    /// A small synthetic C-CDA document (made-up names and codes).
    private func ccda(patientID: String = "MRN-1", patient: Bool = true) -> String {
        let target = patient ? """
            <recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="\(patientID)"/>
              <patient><name><given>Ada</given><family>Example</family></name><birthTime value="19700412"/></patient>
            </patientRole></recordTarget>
            """ : ""
        return """
            <?xml version="1.0"?>
            <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <id root="2.16.840.1.113883.19.5" extension="doc-\(patientID)"/>
              <code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/><title>Summary</title>
              <effectiveTime value="20240315"/>
              \(target)
              <component><structuredBody><component><section>
                <code code="48765-2" codeSystem="2.16.840.1.113883.6.1"/><title>Allergies</title>
                <text><content ID="a1">Penicillin</content></text>
                <entry><act classCode="ACT" moodCode="EVN"><id root="1.2.3" extension="a1"/><statusCode code="active"/>
                  <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
                    <id root="1.2.3" extension="o1"/>
                    <value xsi:type="CD" code="416098002" codeSystem="2.16.840.1.113883.6.96"/>
                    <participant typeCode="CSM"><participantRole><playingEntity>
                      <code code="7980" codeSystem="2.16.840.1.113883.6.88"><originalText><reference value="#a1"/></originalText></code>
                    </playingEntity></participantRole></participant>
                  </observation></entryRelationship></act></entry>
              </section></component></structuredBody></component>
            </ClinicalDocument>
            """
    }

    func testCCDAIsImportedWithASummaryBySection() throws {
        try succeed("init")
        let input = try writeFile("summary.xml", ccda())
        let result = try succeed("import", input)
        XCTAssertTrue(result.stdout.contains("C-CDA documents read: 1"), result.stdout)
        XCTAssertTrue(result.lines.contains { $0.trimmingCharacters(in: .whitespaces) == "Allergies: 1, 1, 1" }, result.stdout)
        let allergies = try succeed("allergy", "list", "--format", "json").jsonArray()
        XCTAssertEqual(allergies.first?["substance"] as? String, "Penicillin")
        let search = try succeed("search", "penicillin")
        XCTAssertTrue(search.stdout.contains("Summary"), "the document's narrative is searchable: \(search.stdout)")
    }

    /// An entry that makes nothing gets a line of the summary naming its place and why, and the
    /// section's counts show it: the summary accounts for every entry.
    func testCCDAEntryThatMakesNothingIsNamedInTheSummary() throws {
        try succeed("init")
        let text = ccda().replacingOccurrences(of: "</section>", with: #"<entry><act classCode="ACT" moodCode="EVN" nullFlavor="NI"/></entry>"#
                                                + "\n</section>")
        let line = (text.components(separatedBy: "\n").firstIndex { $0.contains(#"nullFlavor="NI""#) } ?? -1) + 1
        let input = try writeFile("summary.xml", text)
        let result = try succeed("import", input)
        XCTAssertTrue(result.lines.contains { $0.trimmingCharacters(in: .whitespaces) == "Allergies: 1, 2, 1" }, result.stdout)
        XCTAssertTrue(result.lines.contains("Entries that made nothing (their words stay in the document's record) (1):"), result.stdout)
        XCTAssertTrue(result.lines.contains("  \(input):\(line) (Allergies): says only that there is no information (nullFlavor)"),
                      result.stdout)
        XCTAssertEqual(try succeed("allergy", "list", "--format", "json").jsonArray().count, 1)
    }

    /// Bytes the declared encoding cannot decode: libxml2 would print "xmlParseChunk: encoder
    /// error" beside phr's own line; phr's line is the only one.
    func testADocumentItsDeclaredEncodingCannotDecodeGetsOnlyPhrsLine() throws {
        try succeed("init")
        for encoding in ["windows-1252", "Shift_JIS", "GB18030", "EUC-JP"] {
            let path = folder.appendingPathComponent("undecodable-\(encoding).xml")
            let bytes = Array("<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Caf".utf8)
                + [0xFF, 0xFE, 0x80, 0x81] + Array("</title></ClinicalDocument>\n".utf8)
            try Data(bytes).write(to: path)
            try assertRefused(["import", path.path], code: 65, mentions: ["undecodable-\(encoding).xml", "not well-formed XML"])
        }
    }

    func testBadCCDAIsRefusedWithOneLineAndItsExitCode() throws {
        try succeed("init")
        let malformed = try writeFile("broken.xml", "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n<title></ClinicalDocument>\n")
        try assertRefused(["import", malformed], code: 65, mentions: ["broken.xml", "not well-formed XML", "line 2"])
        let nobody = try writeFile("nobody.xml", ccda(patient: false))
        try assertRefused(["import", nobody], code: 65, mentions: ["nobody.xml", "without a patient"])
        let entity = try writeFile("entity.xml", """
            <?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&e;</title></ClinicalDocument>
            """)
        try assertRefused(["import", entity], code: 65, mentions: ["entity.xml", "DTD"])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("two"), withIntermediateDirectories: true)
        _ = try writeFile("two/a.xml", ccda(patientID: "MRN-1"))
        _ = try writeFile("two/b.xml", ccda(patientID: "MRN-2"))
        try assertRefused(["import", folder.appendingPathComponent("two").path], code: 64, mentions: ["2 different patients", "--patient"])
    }

    func testConflictsAreListedWithBothSidesInTheSummaryAndTheDryRun() throws {
        try succeed("init")
        func letter(_ id: String, _ text: String) -> String {
            """
            {"resourceType":"DocumentReference","id":"\(id)","status":"current","identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.3"}],\
            "subject":{"reference":"Patient/p1"},"description":"\(text)","content":[{"attachment":{"contentType":"text/plain","data":"\(Data(text.utf8).base64EncodedString())"}}]}
            """
        }
        let patient = #"{"resourceType":"Patient","id":"p1","name":[{"family":"Test","given":["Ida"]}]}"#
        try succeed("import", try writeFile("first.ndjson", patient + "\n" + letter("doc1", "Letter 1") + "\n"))
        let second = try writeFile("letters.ndjson", patient + "\n" + letter("doc2", "Letter 2") + "\n")
        for arguments in [["import", second, "--dry-run"], ["import", second]] {
            let result = try succeed(arguments)
            XCTAssertTrue(result.lines[0].contains("2 resources read: 0 added, 0 updated, 1 unchanged, 0 skipped, 1 conflict."),
                          result.stdout)
            XCTAssertTrue(result.stdout.contains("Conflicts: these matched a row by identifier but disagree with it; both are kept (1):"),
                          result.stdout)
            XCTAssertTrue(result.stdout.contains("letters.ndjson:2 (DocumentReference/doc2): matched record 1 by identifier urn:ietf:rfc:3986|urn:oid:1.2.3; kept as record 2"),
                          result.stdout)
            XCTAssertTrue(result.stdout.contains(#"title: "Letter 1" in record 1, "Letter 2" in the input"#), result.stdout)
        }
        let records = try succeed("record", "list", "--format", "json").jsonArray()
        XCTAssertEqual(records.compactMap { $0["title"] as? String }.sorted(), ["Letter 1", "Letter 2"])
    }

    func testAnEncounterWithoutAStartIsListedAsDateUnknown() throws {
        try succeed("init")
        let input = try writeFile("visits.ndjson", """
            {"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}]}
            {"resourceType":"Encounter","id":"e1","status":"finished","subject":{"reference":"Patient/p1"}}

            """)
        let result = try succeed("import", input)
        XCTAssertTrue(result.stdout.contains(#"kept as appointments with "date unknown" (1)"#), result.stdout)
        let list = try succeed("appointment", "list")
        XCTAssertTrue(list.stdout.contains("date unknown"), list.stdout)
    }

    /// The summary says a search result is one page, naming the file as given, and never shows
    /// the next page's URL (its query names the patient).
    func testOnePageOfASearchIsSaidInTheSummaryWithoutItsURL() throws {
        try succeed("init")
        let input = try writeFile("search.json", """
            {"resourceType":"Bundle","type":"searchset","total":1234,
             "link":[{"relation":"next","url":"https://fhir.example/Patient?name=Rossi&birthdate=1968-04-02&page=2"}],
             "entry":[{"resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}]}}]}
            """)
        let result = try succeed("import", input)
        XCTAssertTrue(result.stdout.contains("\(input) is one page of a search; the other pages were not downloaded, "
                                             + "so records may be missing (the search found 1,234)."), result.stdout)
        XCTAssertFalse(result.stdout.contains("fhir.example") || result.stdout.contains("birthdate"), result.stdout)
        let whole = try writeFile("whole.json", """
            {"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"https://fhir.example/Patient"}],
             "entry":[{"resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}]}}]}
            """)
        XCTAssertFalse(try succeed("import", whole).stdout.contains("page"))
    }

    /// A server's OperationOutcome issues are shown, the most severe first, a handful of lines at
    /// most, each one line with control characters made visible.
    func testTheServersIssuesAreShownAFewLinesAtMost() throws {
        try succeed("init")
        let issues = (1...11).map { #"{"severity":"information","code":"informational","diagnostics":"Note \#($0)"}"# }
            + [#"{"severity":"warning","code":"suppressed","details":{"text":"Some results were\nfiltered \u001b[2J for privacy"}}"#]
        let input = try writeFile("search.json", """
            {"resourceType":"Bundle","type":"searchset","entry":[
             {"resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}]}},
             {"resource":{"resourceType":"OperationOutcome","issue":[\(issues.joined(separator: ","))]},"search":{"mode":"outcome"}}]}
            """)
        let result = try succeed("import", input)
        let lines = result.lines.drop { $0 != "The server said (OperationOutcome):" }
        XCTAssertEqual(Array(lines.prefix(7)), [
            "The server said (OperationOutcome):",
            "  warning: Some results were filtered \\x1B[2J for privacy (\(input) entry 1 (OperationOutcome))",
            "  information: Note 1 (\(input) entry 1 (OperationOutcome))",
            "  information: Note 2 (\(input) entry 1 (OperationOutcome))",
            "  information: Note 3 (\(input) entry 1 (OperationOutcome))",
            "  information: Note 4 (\(input) entry 1 (OperationOutcome))",
            "  … and 7 more",
        ], result.stdout)
        XCTAssertTrue(result.stdout.contains("OperationOutcome: a message from the server, not a record: 1"), result.stdout)
    }
}
