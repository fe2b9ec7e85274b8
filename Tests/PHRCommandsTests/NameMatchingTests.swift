import Foundation
import XCTest

/// Names as people type them: titles, punctuation, case, accents and word order do not matter;
/// a near miss is answered with the closest names.
final class NameMatchingTests: PHRTestCase {
    private func setUpNames() throws {
        try succeed("init")
        try succeed("patient", "add", "María José Núñez", "--born", "1962-05-06")
        try succeed("patient", "add", "Tom Baker")
        try succeed("provider", "add", "Dr. Linda Hartmann", "--specialty", "medical oncology")
        try succeed("provider", "add", "Prof. Rafael Okonkwo", "--specialty", "colorectal surgery")
    }

    func testNamesMatchWithoutTitlesAccentsPunctuationOrWordOrder() throws {
        try setUpNames()
        for typed in ["Linda Hartmann", "Dr Hartmann", "dr. linda hartmann", "Hartmann, Linda", "HARTMANN"] {
            let shown = try succeed("provider", "show", typed, "--format", "json").jsonObject()
            XCTAssertEqual(shown["name"] as? String, "Dr. Linda Hartmann", typed)
        }
        for typed in ["Rafael Okonkwo", "Okonkwo Rafael", "Prof Okonkwo"] {
            XCTAssertEqual(try succeed("provider", "show", typed, "--format", "json").jsonObject()["name"] as? String,
                           "Prof. Rafael Okonkwo", typed)
        }
        for typed in ["maria", "Maria Jose Nunez", "nunez", "Núñez María"] {
            let listed = try succeed("patient", "show", typed, "--format", "json").jsonObject()
            XCTAssertEqual(listed["name"] as? String, "María José Núñez", typed)
        }
        try succeed("--patient", "maria", "diagnosis", "add", "Colon adenocarcinoma", "--provider", "Dr Hartmann")
        let diagnosis = try succeed("--patient", "Maria Jose", "diagnosis", "list", "--format", "json").jsonArray()
        XCTAssertEqual(diagnosis.first?["provider"] as? String, "Dr. Linda Hartmann")
    }

    func testNoMatchSuggestsTheClosestName() throws {
        try setUpNames()
        try assertRefused(["provider", "show", "Lynda Hartman"], code: 65,
                          mentions: ["no provider matches 'Lynda Hartman'", "did you mean Dr. Linda Hartmann?"])
        try assertRefused(["provider", "show", "Okonkow"], code: 65, mentions: ["did you mean Prof. Rafael Okonkwo?"])
        let far = try assertRefused(["provider", "show", "Smith"], code: 65, mentions: ["phr provider list"])
        XCTAssertFalse(far.stderr.contains("did you mean"), far.stderr)
    }
}
