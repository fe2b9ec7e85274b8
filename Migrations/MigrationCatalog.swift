/// phr's schema, as the numbered `.sql` files in this folder, in the order they apply.
///
/// The files are compiled into the binary with `.embedInCode` (no resource bundle is read at run
/// time), so a `phr` copied alone anywhere still creates and upgrades stores. SwiftPM names each
/// embedded file after its name with the leading digit replaced: `0001_initial.sql` becomes
/// `PackageResources._001_initial_sql`.
///
/// To add a migration: add `NNNN_name.sql` here, list it in `Package.swift` and below. A test checks
/// that this list and the folder agree.
public enum MigrationCatalog {
    /// Each migration's identifier (its file name without `.sql`) and SQL text, in order.
    public static let all: [(identifier: String, sql: String)] = [
        ("0001_initial", text(PackageResources._001_initial_sql)),
        ("0002_sharing_log", text(PackageResources._002_sharing_log_sql)),
        ("0003_import_sources", text(PackageResources._003_import_sources_sql)),
        ("0004_workflow", text(PackageResources._004_workflow_sql)),
        ("0005_import_identity", text(PackageResources._005_import_identity_sql)),
        ("0006_schema_catalog", text(PackageResources._006_schema_catalog_sql)),
        ("0007_clinical", text(PackageResources._007_clinical_sql)),
        ("0008_import_tables", text(PackageResources._008_import_tables_sql)),
        ("0009_export_results", text(PackageResources._009_export_results_sql)),
        ("0010_search_index_pending", text(PackageResources._010_search_index_pending_sql)),
        ("0011_checks_without_in_lists", text(PackageResources._011_checks_without_in_lists_sql)),
        ("0012_patient_contact", text(PackageResources._012_patient_contact_sql)),
        ("0013_export_confirmation", text(PackageResources._013_export_confirmation_sql)),
        ("0014_transfer_by_email", text(PackageResources._014_transfer_by_email_sql)),
        ("0015_history_without_autoincrement", text(PackageResources._015_history_without_autoincrement_sql)),
        ("0016_no_known_allergies_of_one_kind", text(PackageResources._016_no_known_allergies_of_one_kind_sql)),
        ("0017_medication_entered_in_error", text(PackageResources._017_medication_entered_in_error_sql)),
        ("0018_source_notes", text(PackageResources._018_source_notes_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
