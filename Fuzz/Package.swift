// swift-tools-version:6.0
// libFuzzer targets for phr's readers, built apart from phr (they need -sanitize=fuzzer):
// `scripts/fuzz.sh TARGET SECONDS` builds and runs one.
import PackageDescription

let package = Package(
    name: "phr-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "phr-fuzz",
            dependencies: [
                .product(name: "PHRStore", package: "phr"),
                .product(name: "PHRExchange", package: "phr"),
            ]
        ),
    ]
)
