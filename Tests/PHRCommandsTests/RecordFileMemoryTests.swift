import Foundation
import PHRTestSupport
import XCTest

/// A 200 MiB record file goes into the store and out again with bounded memory. Each operation is
/// measured alone, as the peak resident memory of its own `phr` process, against the same command
/// on a 1 KiB file: an earlier test's peak cannot hide a regression.
final class RecordFileMemoryTests: PHRTestCase {
    /// Runs phr on this test's store and returns its peak resident memory; fails unless it exits 0.
    private func peakMemory(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "PHR_DB": storePath,
                           "PHR_NOW": PHRRunner.now, "TZ": PHRRunner.timeZone]
        let errors = folder.appendingPathComponent("stderr.txt").path
        let child = try ChildProcess.start(PHRRunner.binary.path, arguments, environment: environment, stderr: errors)
        let (status, peak) = try child.waitMeasured()
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 0, "phr \(arguments.joined(separator: " ")): \(message)",
                       file: file, line: line)
        return peak
    }

    /// Writes `mebibytes` MiB of varying bytes, one MiB at a time.
    private func writeFile(_ name: String, mebibytes: Int, extraBytes: Int = 0) throws -> String {
        let path = folder.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for block in 0..<mebibytes {
            for i in stride(from: 0, to: chunk.count, by: 4096) { chunk[i] = UInt8(truncatingIfNeeded: block &* 31 &+ i) }
            try handle.write(contentsOf: chunk)
        }
        try handle.write(contentsOf: [UInt8](repeating: 7, count: extraBytes))
        return path
    }

    func testTwoHundredMebibyteFileGoesInAndOutWithBoundedMemory() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        let small = try writeFile("small.bin", mebibytes: 0, extraBytes: 1024)
        let large = try writeFile("large.bin", mebibytes: 200)

        let addSmall = try peakMemory(["record", "add", small, "--title", "Small"])
        let addLarge = try peakMemory(["record", "add", large, "--title", "MRI", "--kind", "imaging-study"])
        let getSmall = try peakMemory(["record", "get", "1", "-o", folder.appendingPathComponent("small.out").path])
        let out = folder.appendingPathComponent("large.out").path
        let getLarge = try peakMemory(["record", "get", "2", "-o", out])

        XCTAssertLessThan(addLarge - addSmall, 64 << 20, "adding 200 MiB took \((addLarge - addSmall) >> 20) MiB more than 1 KiB")
        XCTAssertLessThan(getLarge - getSmall, 64 << 20, "getting 200 MiB took \((getLarge - getSmall) >> 20) MiB more than 1 KiB")
        XCTAssertTrue(FileManager.default.contentsEqual(atPath: large, andPath: out), "the file comes back byte for byte")
    }
}
