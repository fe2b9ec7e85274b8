import Foundation
import PHRExchange
import PHRStore
import XCTest

/// C-CDA's Family History section (LOINC 10157-6): each Family History Organizer is a relative,
/// each of its Family History Observations a family-history row. Synthetic documents only.
final class CCDAFamilyHistoryTests: ImportTestCase {
    private static let snomed = CCDASample.snomed

    /// A Family History Organizer `id` for the relative `relative` (a v3-RoleCode), `person` inside
    /// its relatedSubject, with `observations`, of status `status`.
    private static func organizer(_ id: String, _ relative: String, person: String = "", status: String = "completed",
                                  _ observations: String) -> String {
        """
        <entry typeCode="DRIV"><organizer classCode="CLUSTER" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.45" extension="2015-08-01"/>
          <id root="\(id)"/>
          <statusCode code="\(status)"/>
          <subject><relatedSubject classCode="PRS">
            \(relative)
            <subject>\(person)</subject>
          </relatedSubject></subject>
          \(observations)
        </organizer></entry>
        """
    }

    private static func observation(_ id: String, _ code: String, _ name: String, extra: String = "") -> String {
        """
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.46" extension="2015-08-01"/>
          <id root="\(id)"/>
          <code code="64572001" codeSystem="\(snomed)" displayName="Disease"/>
          <statusCode code="completed"/>
          <value xsi:type="CD" code="\(code)" codeSystem="\(snomed)" displayName="\(name)"/>
          \(extra)
        </observation></component>
        """
    }

    private static let ageAtOnset45 = """
        <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.31"/>
          <code code="445518008" codeSystem="\(snomed)" displayName="Age At Onset"/>
          <statusCode code="completed"/>
          <value xsi:type="PQ" value="45" unit="a"/>
        </observation></entryRelationship>
        """

    private static let causedDeath = """
        <entryRelationship typeCode="CAUS"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.47"/>
          <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
          <statusCode code="completed"/>
          <value xsi:type="CD" code="419099009" codeSystem="\(snomed)" displayName="Dead"/>
        </observation></entryRelationship>
        """

    private static func document(status: String = "completed") -> String {
        let family = CCDASample.section("15", "10157-6", "Family history", text: "Family history",
            entries: organizer("a1b2c3d4-0000-4000-8000-000000000001",
                               #"<code code="MTH" codeSystem="2.16.840.1.113883.5.111" displayName="Mother"/>"#,
                               person: #"<administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>"#,
                               status: status,
                               observation("a1b2c3d4-0000-4000-8000-000000000011", "254837009", "Breast cancer", extra: ageAtOnset45)
                                   + observation("a1b2c3d4-0000-4000-8000-000000000012", "363443007", "Ovarian cancer",
                                                 extra: causedDeath))
                + organizer("a1b2c3d4-0000-4000-8000-000000000002",
                            #"<code nullFlavor="OTH"><originalText>Godfather</originalText></code>"#,
                            observation("a1b2c3d4-0000-4000-8000-000000000021", "363406005", "Colon cancer",
                                        extra: #"<effectiveTime value="1998"/>"#)))
        return CCDASample.shortDocument("family-1", family)
    }

    private static func ageAtOnset(_ value: String) -> String {
        """
        <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.31"/>
          <code code="445518008" codeSystem="\(snomed)" displayName="Age At Onset"/>
          <statusCode code="completed"/>
          \(value)
        </observation></entryRelationship>
        """
    }

    /// An age at onset sent as an interval (IVL_PQ, where the template wants a PQ) is read as the
    /// range it gives, with either end alone as well.
    func testAnAgeAtOnsetGivenAsAnIntervalIsARange() throws {
        let ages = [#"<value xsi:type="IVL_PQ"><low value="40" unit="a"/><high value="49" unit="a"/></value>"#,
                    #"<value xsi:type="IVL_PQ"><low value="60" unit="a"/></value>"#,
                    #"<value xsi:type="IVL_PQ"><high value="30" unit="a"/></value>"#,
                    #"<value xsi:type="IVL_PQ"><low nullFlavor="UNK"/></value>"#]
        let observations = ages.enumerated().map { index, age in
            Self.observation("a1b2c3d4-0000-4000-8000-00000000010\(index)", "254837009", "Cancer \(index)",
                             extra: Self.ageAtOnset(age))
        }.joined()
        let family = CCDASample.section("15", "10157-6", "Family history", text: "Family history",
            entries: Self.organizer("a1b2c3d4-0000-4000-8000-000000000003",
                                    #"<code code="MAUNT" codeSystem="2.16.840.1.113883.5.111" displayName="Maternal aunt"/>"#,
                                    observations))
        try importing(try writeText("family.xml", CCDASample.shortDocument("family-2", family)))
        let rows = Dictionary(uniqueKeysWithValues: try store.familyHistory(patientID: try onlyPatient().id).map { ($0.condition, $0) })
        XCTAssertEqual(rows["Cancer 0"]?.onsetAge, "40-49")
        XCTAssertEqual(rows["Cancer 1"]?.onsetAge, "60 or older")
        XCTAssertEqual(rows["Cancer 2"]?.onsetAge, "up to 30")
        XCTAssertEqual(rows.count, 4, "an interval with no age still gives its condition")
        XCTAssertEqual(rows["Cancer 3"].map { $0.onsetAge == nil }, true)
    }

    func testEachObservationOfAFamilyHistoryOrganizerIsARow() throws {
        let report = try importing(try writeText("family.xml", Self.document()))
        XCTAssertEqual(report.byType["FamilyMemberHistory"]?.added, 2)
        let rows = Dictionary(uniqueKeysWithValues: try store.familyHistory(patientID: try onlyPatient().id).map { ($0.condition, $0) })
        XCTAssertEqual(Set(rows.keys), ["Breast cancer", "Ovarian cancer", "Colon cancer"])

        let breast = try XCTUnwrap(rows["Breast cancer"])
        XCTAssertEqual(breast.relationship, "Mother")
        XCTAssertEqual(breast.relationshipCode, "MTH")
        XCTAssertEqual(breast.relativeSex, .female)
        XCTAssertEqual(breast.code, "254837009")
        XCTAssertEqual(breast.codeSystem, .snomedCT)
        XCTAssertEqual(breast.onsetAge, "45")
        XCTAssertEqual(breast.deceased, .yes, "a condition that caused the death says the relative died")

        let ovarian = try XCTUnwrap(rows["Ovarian cancer"])
        XCTAssertEqual(ovarian.sourceNotes, "Contributed to death")

        let colon = try XCTUnwrap(rows["Colon cancer"])
        XCTAssertEqual(colon.relationship, "Godfather", "kept as written, without a code")
        XCTAssertNil(colon.relationshipCode)
        XCTAssertNil(colon.onsetAge)
        XCTAssertEqual(colon.sourceNotes, "Onset: 1998")
    }

    func testTheSameDocumentTwiceAddsNothingAndANullifiedOrganizerTakesItsRowsBack() throws {
        try importing(try writeText("family.xml", Self.document()))
        let before = try store.familyHistory(patientID: try onlyPatient().id)
        let again = try importing(try writeText("family.xml", Self.document()))
        XCTAssertEqual(again.byType["FamilyMemberHistory"]?.unchanged, 2)
        XCTAssertEqual(try store.familyHistory(patientID: try onlyPatient().id), before)

        try importing(try writeText("family.xml", Self.document(status: "nullified")))
        let statuses = Dictionary(uniqueKeysWithValues: try store.familyHistory(patientID: try onlyPatient().id)
            .map { ($0.condition, $0.status) })
        XCTAssertEqual(statuses, ["Breast cancer": .enteredInError, "Ovarian cancer": .enteredInError, "Colon cancer": .completed])
    }
}
