import Foundation
import PHRExchange
import PHRStore

/// One libFuzzer entry point for the readers of everything phr takes from outside. The reader is
/// chosen by `PHR_FUZZ_TARGET`:
/// - `fhir-json`, `ndjson`, `ccda`: the bytes as a `.json`, `.ndjson` or `.xml` file, imported as
///   a dry run into a scratch store (discovery, parsing, mapping, storing, rolled back);
/// - `dates`: the bytes as text, read as a date, a date and time, and a local wall-clock time.
/// A finding is a crash, a sanitizer report, a hang or memory beyond libFuzzer's limit; errors
/// thrown for bad input are the expected answer.
enum FuzzTarget {
    static let kind = ProcessInfo.processInfo.environment["PHR_FUZZ_TARGET"] ?? "fhir-json"

    static let scratch: String = {
        var template = Array((NSTemporaryDirectory() + "/phr-fuzz-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            fatalError("cannot make a scratch folder")
        }
        return String(cString: made)
    }()

    nonisolated(unsafe) static let store: HealthStore = {
        do { return try HealthStore(path: scratch + "/fuzz.sqlite") } catch { fatalError("cannot make the scratch store: \(error)") }
    }()

    static func run(_ bytes: Data) {
        switch kind {
        case "dates":
            guard let text = String(data: bytes, encoding: .utf8) else { return }
            _ = try? PartialDate(parsing: text)
            if let moment = try? OffsetDateTime(parsing: text) {
                for zone in ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"] {
                    if let timeZone = TimeZone(identifier: zone) { _ = try? OffsetDateTime.wallClock(moment, in: timeZone) }
                }
            }
            _ = try? DateOrTime(parsing: text)
        default:
            let suffix = ["ndjson": "ndjson", "ccda": "xml"][kind] ?? "json"
            let path = scratch + "/input." + suffix
            guard (try? bytes.write(to: URL(fileURLWithPath: path))) != nil else { return }
            _ = try? FHIRImporter(store: store, options: ImportOptions(dryRun: true)).run([path])
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzTarget.run(Data(bytes: data, count: size))
    return 0
}

/// libFuzzer's driver, which its own `main` would call.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The program's entry: SwiftPM links an executable's `main` to `<module>_main`, so this hands
/// the command line to libFuzzer.
@_cdecl("phr_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    // The scratch store is made (and migrated) before the clock of the first input starts.
    if FuzzTarget.kind != "dates" { _ = FuzzTarget.store }
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
