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
    /// Each migration's identifier (its file name without `.sql`) and SQL, in order.
    public static let all: [MigrationFile] = [
        MigrationFile("0001_initial", PackageResources._001_initial_sql),
        MigrationFile("0002_sharing_log", PackageResources._002_sharing_log_sql),
        MigrationFile("0003_import_sources", PackageResources._003_import_sources_sql),
        MigrationFile("0004_workflow", PackageResources._004_workflow_sql),
        MigrationFile("0005_import_identity", PackageResources._005_import_identity_sql),
        MigrationFile("0006_schema_catalog", PackageResources._006_schema_catalog_sql),
        MigrationFile("0007_clinical", PackageResources._007_clinical_sql),
        MigrationFile("0008_import_tables", PackageResources._008_import_tables_sql),
        MigrationFile("0009_export_results", PackageResources._009_export_results_sql),
        MigrationFile("0010_search_index_pending", PackageResources._010_search_index_pending_sql),
        MigrationFile("0011_checks_without_in_lists", PackageResources._011_checks_without_in_lists_sql),
        MigrationFile("0012_patient_contact", PackageResources._012_patient_contact_sql),
        MigrationFile("0013_export_confirmation", PackageResources._013_export_confirmation_sql),
        MigrationFile("0014_transfer_by_email", PackageResources._014_transfer_by_email_sql),
        MigrationFile("0015_history_without_autoincrement", PackageResources._015_history_without_autoincrement_sql),
        MigrationFile("0016_no_known_allergies_of_one_kind", PackageResources._016_no_known_allergies_of_one_kind_sql),
        MigrationFile("0017_medication_entered_in_error", PackageResources._017_medication_entered_in_error_sql),
        MigrationFile("0018_source_notes", PackageResources._018_source_notes_sql),
        MigrationFile("0019_source_notes_of_records_appointments_opinions",
                      PackageResources._019_source_notes_of_records_appointments_opinions_sql),
        MigrationFile("0020_family_history", PackageResources._020_family_history_sql),
        MigrationFile("0021_file_chunks_in_a_rowid_table", PackageResources._021_file_chunks_in_a_rowid_table_sql),
    ]
}

/// One migration file as compiled into the binary: its identifier and its SQL as UTF-8 bytes.
///
/// The bytes are made text only when asked (`sql`): an open that finds the store current reads
/// the identifiers alone, and decoding all the files cost every command about 400,000
/// instructions.
public struct MigrationFile: Sendable {
    public let identifier: String
    public let utf8: [UInt8]

    init(_ identifier: String, _ utf8: [UInt8]) {
        self.identifier = identifier
        self.utf8 = utf8
    }

    /// The SQL text.
    public var sql: String { String(decoding: utf8, as: UTF8.self) }
}
