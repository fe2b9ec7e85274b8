import Foundation
import PHRTestSupport
import XCTest

/// Huge strings in JSON input: an attachment's data of any size is streamed into the store with
/// memory at most four times its size (it never reaches the JSON parser); any other text over
/// 4 MiB is refused with the field named, the store unchanged. Peak memory is read by Python's
/// `resource.getrusage` around the child process.
final class HugeStringImportTests: PHRTestCase {
    private func peakMemoryMiB(_ arguments: [String]) throws -> (status: Int32, peak: Int, stderr: String) {
        let python = try RequiredTool.find(["/usr/bin/python3", "/usr/local/bin/python3"], install: "install python3")
        let script = """
            import resource, subprocess, sys
            run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            sys.stderr.write(run.stderr.decode())
            print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
            """
        let result = try PHRRunner.run(["-c", script, PHRRunner.binary.path] + arguments, environment: ["PHR_DB": storePath],
                                       home: folder, executable: URL(fileURLWithPath: python))
        let numbers = result.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 2 else { throw CocoaError(.fileReadCorruptFile) }
        return (Int32(numbers[0]), numbers[1], result.stderr)
    }

    func testA64MiBAttachmentImportsWithinFourTimesItsSize() throws {
        try succeed("init")
        // 48 MiB of bytes: 64 MiB of base64 on one NDJSON line.
        var bytes = [UInt8](repeating: 0, count: 48 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index >> 12) }
        let base64 = Data(bytes).base64EncodedString()
        let patient = #"{"resourceType":"Patient","id":"p1","name":[{"family":"Testperson","given":["Alex"]}]}"#
        let document = #"{"resourceType":"DocumentReference","id":"d1","status":"current","subject":{"reference":"Patient/p1"},"content":[{"attachment":{"contentType":"application/octet-stream","title":"scan.bin","data":""#
            + base64 + #""}}]}"#
        let input = folder.appendingPathComponent("huge.ndjson")
        try Data((patient + "\n" + document + "\n").utf8).write(to: input)

        let run = try peakMemoryMiB(["import", input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        // A sanitizer (scripts/sanitize.sh) adds its own shadow memory.
        let environment = ProcessInfo.processInfo.environment
        let underSanitizer = environment["ASAN_OPTIONS"] != nil || environment["TSAN_OPTIONS"] != nil
        XCTAssertLessThanOrEqual(run.peak, (underSanitizer ? 16 : 4) * 64, "peak memory \(run.peak) MiB for a 64 MiB string")

        let out = folder.appendingPathComponent("scan.bin")
        try succeed("record", "get", "1", "-o", out.path)
        XCTAssertEqual(try Data(contentsOf: out), Data(bytes), "the file is stored byte for byte")
    }

    func testTextOver4MiBIsRefusedWithTheFieldNamed() throws {
        try succeed("init")
        let text = String(repeating: "a", count: 5 << 20)
        let input = try writeFile("text.ndjson", #"{"resourceType":"Patient","id":"p1","name":[{"family":""# + text + #""}]}"# + "\n")
        try assertRefused(["import", input], code: 65, mentions: ["text.ndjson:1", "\"family\"", "up to 4 MiB"])
    }
}
