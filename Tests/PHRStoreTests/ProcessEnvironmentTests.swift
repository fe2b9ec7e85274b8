import Foundation
import PHRStore
import XCTest

final class ProcessEnvironmentTests: XCTestCase {
    private let variable = "PHR_TEST_PROCESS_ENVIRONMENT_\(getpid())"

    override func tearDown() {
        unsetenv(variable)
        super.tearDown()
    }

    func testReadsTheValueOfASetVariable() {
        setenv(variable, "Dr. Weber — 2026-12-01", 1)
        XCTAssertEqual(ProcessEnvironment.value(variable), "Dr. Weber — 2026-12-01")
        XCTAssertEqual(ProcessEnvironment.value(variable), ProcessInfo.processInfo.environment[variable])
    }

    func testAnEmptyValueIsNotAnUnsetVariable() {
        setenv(variable, "", 1)
        XCTAssertEqual(ProcessEnvironment.value(variable), "")
        unsetenv(variable)
        XCTAssertNil(ProcessEnvironment.value(variable))
    }
}
