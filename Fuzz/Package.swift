// swift-tools-version:6.0
// libFuzzer targets for phr's readers, built apart from phr (they need -sanitize=fuzzer):
// `scripts/fuzz.sh TARGET SECONDS` builds and runs one.
import Foundation
import PackageDescription

// SwiftPM names a package found by path after its folder: the clone's folder, whatever it is called.
let phr = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "phr-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "phr-fuzz",
            dependencies: [
                .product(name: "PHRStore", package: phr),
                .product(name: "PHRExchange", package: phr),
            ]
        ),
    ]
)
