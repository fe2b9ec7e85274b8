import Foundation
import PHRStore
import XCTest

/// The end-to-end tests of the second-opinion workflow share this case: Maria Rossi, diagnosed
/// `diagnosedDaysAgo` days ago by Dr. Anna Weber (City Hospital); Dr. Paul Chen at Lakeside
/// Comprehensive Cancer Center gives the second opinion; City Lab holds the slides. Dates are
/// relative to the runner's pinned clock (`PHRRunner.now`, America/New_York).
class WorkflowCommandTestCase: PHRTestCase {
    func setUpCase(diagnosedDaysAgo: Int = 10) throws {
        try setUpPatientAndProviders()
        try succeed("provider", "add", "City Lab", "--kind", "organization", "--specialty", "pathology")
        try succeed("diagnosis", "add", "Invasive ductal carcinoma, left breast", "--code", "C50.412", "--stage", "IIA",
                    "--date", day(-diagnosedDaysAgo), "--provider", "Weber")
    }

    @discardableResult
    func addOpinion(_ provider: String, daysAgo: Int, recommendation: String, stage: String? = nil,
                    agreement: String? = nil) throws -> PHRResult {
        var arguments = ["opinion", "add", "--diagnosis", "1", "--provider", provider, "--date", day(-daysAgo),
                         "--conclusion", "Invasive ductal carcinoma", "--recommendation", recommendation]
        if let stage { arguments += ["--stage", stage] }
        if let agreement { arguments += ["--agreement", agreement] }
        return try succeed(arguments)
    }

    /// A second-opinion appointment with Dr. Chen `daysAhead` days from today at 09:30.
    func addSecondOpinionAppointment(daysAhead: Int, insurance: String? = nil) throws {
        var arguments = ["appointment", "add", "--provider", "Chen", "--at", "\(day(daysAhead)) 09:30",
                         "--purpose", "second-opinion", "--diagnosis", "1"]
        if let insurance { arguments += ["--insurance", insurance] }
        try succeed(arguments)
    }

    /// The items of `phr status --format json`, keyed by section kind and item key, with the exit status.
    func statusItems(_ extra: String...) throws -> (status: Int32, items: [String: [String: Any]], json: [String: Any]) {
        let result = try phr(["status", "--format", "json"] + extra)
        XCTAssertEqual(result.stderr, "", "status writes nothing to stderr")
        let json = try result.jsonObject()
        var items: [String: [String: Any]] = [:]
        for section in json["sections"] as? [[String: Any]] ?? [] {
            for item in section["items"] as? [[String: Any]] ?? [] {
                items["\(section["kind"] as? String ?? "?").\(item["key"] as? String ?? "?")"] = item
            }
        }
        return (result.status, items, json)
    }

    func state(_ key: String, _ items: [String: [String: Any]]) -> String? {
        items[key]?["state"] as? String
    }
}
