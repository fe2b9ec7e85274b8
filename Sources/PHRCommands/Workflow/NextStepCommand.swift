import PHRStore

extension NextStep {
    /// The `phr …` command that takes this step; placeholders in capitals (`P`, `DATE`) and `…`
    /// stand for what only the user knows, `a|b` for a choice.
    var command: String {
        switch self {
        case .tellOriginalDoctor(let diagnosisID):
            return "phr status set --diagnosis \(diagnosisID) --told-doctor today"
        case .bookSecondOpinion(let diagnosisID):
            return "phr appointment add --provider P --at \"YYYY-MM-DD HH:MM\" --purpose second-opinion --diagnosis \(diagnosisID)"
        case .planTreatment(let diagnosisID):
            return "phr status set --diagnosis \(diagnosisID) --treatment-planned DATE"
        case .setInsurance(let appointmentID):
            return "phr appointment edit \(appointmentID) --insurance approved|pending|denied|not-needed"
        case .setReferral(let appointmentID):
            let choices = AppointmentPreparation.Referral.allCases.filter { $0 != .unknown }.map(\.rawValue)
            return "phr status set --appointment \(appointmentID) --referral \(choices.joined(separator: "|"))"
        case .addQuestion(let appointmentID):
            return "phr question add \"…\" --appointment \(appointmentID)"
        case .addRecord(let kind, let isPhysicalItem):
            return isPhysicalItem
                ? "phr record add --no-file --kind \(kind.rawValue) --title \"…\" --provider HOLDER"
                : "phr record add FILE --kind \(kind.rawValue)"
        case .confirmReceipt(let recordID, let providerID):
            return "phr transfer receive \(recordID) --by \(providerID.map(String.init) ?? "P")"
        case .sendRecord(let recordID, let fromProviderID, let toProviderID, let via):
            let from = fromProviderID.map { " --from \($0)" } ?? ""
            // A packet is made by `phr export`, not sent by hand.
            let ways = via.map(\.rawValue)
                ?? Transfer.Via.allCases.filter { $0 != .packet }.map(\.rawValue).joined(separator: "|")
            return "phr transfer send \(recordID)\(from) --to \(toProviderID) --via \(ways)"
        case .compareOpinions(let diagnosisID):
            return "phr opinion compare --diagnosis \(diagnosisID)"
        case .stateAgreement(let opinionIDs):
            let choices = Opinion.Agreement.allCases.filter { $0 != .first }.map(\.rawValue).joined(separator: "|")
            return opinionIDs.map { "phr opinion edit \($0) --agreement \(choices)" }.joined(separator: "; ")
        case .exportPacket(let providerID):
            return "phr export PACKET --for \(providerID)"
        }
    }
}
