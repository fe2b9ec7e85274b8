// swift-tools-version:6.0
import PackageDescription

/// phr's own modules reach generic type metadata through accessors, not mangled names. The runtime
/// checks a type demangled from its name against every conformance its generic parameters need,
/// and a first check scans all conformances in the binary (about 8,000): on the paths every command
/// takes, such scans were a third of start-up. Release builds only; debug builds keep the default.
let directMetadataAccess: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

let package = Package(
    name: "phr",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "phr", targets: ["phr"]),
        .library(name: "PHRStore", targets: ["PHRStore"]),
        // For the fuzzers in Fuzz/, which drive the readers from outside.
        .library(name: "PHRExchange", targets: ["PHRExchange"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // The system SQLite, through its C API.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // The schema: numbered .sql files compiled into the binary (no Bundle at run time).
        .target(
            name: "PHRMigrations",
            path: "Migrations",
            resources: [
                .embedInCode("0001_initial.sql"),
                .embedInCode("0002_sharing_log.sql"),
                .embedInCode("0003_import_sources.sql"),
                .embedInCode("0004_workflow.sql"),
                .embedInCode("0005_import_identity.sql"),
                .embedInCode("0006_schema_catalog.sql"),
                .embedInCode("0007_clinical.sql"),
                .embedInCode("0008_import_tables.sql"),
                .embedInCode("0009_export_results.sql"),
                .embedInCode("0010_search_index_pending.sql"),
                .embedInCode("0011_checks_without_in_lists.sql"),
                .embedInCode("0012_patient_contact.sql"),
                .embedInCode("0013_export_confirmation.sql"),
                .embedInCode("0014_transfer_by_email.sql"),
                .embedInCode("0015_history_without_autoincrement.sql"),
                .embedInCode("0016_no_known_allergies_of_one_kind.sql"),
                .embedInCode("0017_medication_entered_in_error.sql"),
                .embedInCode("0018_source_notes.sql"),
                .embedInCode("0019_source_notes_of_records_appointments_opinions.sql"),
                .embedInCode("0020_family_history.sql"),
                .embedInCode("0021_file_chunks_in_a_rowid_table.sql"),
            ]
        ),
        // The guide for patients, docs/GUIDE.md, compiled into the binary for `phr guide`
        // (docs/PERFORMANCE.md, the measurements behind the README's figures, is not).
        .target(name: "PHRGuide", path: "docs", exclude: ["PERFORMANCE.md"], resources: [.embedInCode("GUIDE.md")]),
        // The storage module: a thin SQLite layer and the health record store on top of it.
        .target(
            name: "PHRStore",
            dependencies: [
                "CSQLite",
                "PHRMigrations",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: directMetadataAccess
        ),
        // Keeps libxml2 (under Foundation's XMLParser) from printing beside phr's own messages.
        .target(name: "CLibXML2Quiet", linkerSettings: [.linkedLibrary("xml2")]),
        // Exchange with other systems: FHIR R4, the packet for a new doctor, import.
        .target(
            name: "PHRExchange",
            dependencies: [
                "PHRStore",
                "CLibXML2Quiet",
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, for age-encrypted backups with a passphrase.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: directMetadataAccess
        ),
        // The command line, kept apart from the tiny entry point so that tests can drive it.
        .target(
            name: "PHRCommands",
            dependencies: [
                "PHRStore",
                "PHRExchange",
                "PHRGuide",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: directMetadataAccess
        ),
        .executableTarget(name: "phr", dependencies: ["PHRCommands"], swiftSettings: directMetadataAccess),
        // What the test targets share: running programs (phr, sqlite3, validators) robustly.
        .target(name: "PHRTestSupport", path: "Tests/PHRTestSupport"),
        .testTarget(name: "PHRStoreTests", dependencies: ["PHRStore", "PHRMigrations", "PHRTestSupport", "CSQLite"]),
        // End-to-end tests of the command line: they run the built `phr` binary. (The renderers'
        // fast paths are also checked directly, against the code they stand in for.)
        .testTarget(name: "PHRCommandsTests", dependencies: ["phr", "PHRCommands", "PHRStore", "PHRTestSupport"]),
        // Packets built from synthetic stores, checked with sha256sum and a FHIR validator from PyPI.
        .testTarget(
            name: "PHRExchangeTests",
            dependencies: [
                "PHRExchange",
                "PHRStore",
                "PHRTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
