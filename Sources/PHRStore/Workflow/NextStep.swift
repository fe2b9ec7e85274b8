/// What moves a checklist item forward, as data: the store says what to do and to which row; the
/// command line decides how to say it (`phr status` renders each as the `phr …` command that does
/// it). Nothing in PHRStore spells a command.
public enum NextStep: Sendable, Hashable {
    /// Record the day the original doctor was told about the second opinion.
    case tellOriginalDoctor(diagnosisID: Int64)
    /// Book a second-opinion appointment for the diagnosis (provider and time to be chosen).
    case bookSecondOpinion(diagnosisID: Int64)
    /// Record the day treatment is planned to start.
    case planTreatment(diagnosisID: Int64)
    /// Record where the appointment's insurance pre-approval stands.
    case setInsurance(appointmentID: Int64)
    /// Record where the appointment's referral stands.
    case setReferral(appointmentID: Int64)
    /// Write down a question for the appointment.
    case addQuestion(appointmentID: Int64)
    /// Record a record of this kind: a file, or, for a physical item (slides, images on a disc),
    /// the item and who holds it.
    case addRecord(kind: Record.Kind, isPhysicalItem: Bool)
    /// Confirm that a record sent to a provider (`nil`: not known which) arrived.
    case confirmReceipt(recordID: Int64, providerID: Int64?)
    /// Send a record to a provider, from the provider holding it when known, by `via` (`nil`: any
    /// of the ways).
    case sendRecord(recordID: Int64, fromProviderID: Int64?, toProviderID: Int64, via: Transfer.Via?)
    /// Look at the opinions on the diagnosis side by side, and at where they differ.
    case compareOpinions(diagnosisID: Int64)
    /// Record how each of these opinions compares with the earlier ones (agrees, partly, differs).
    case stateAgreement(opinionIDs: [Int64])
    /// Make an export packet for a provider (it carries the results, medications and other facts
    /// phr keeps as data).
    case exportPacket(providerID: Int64)
}
