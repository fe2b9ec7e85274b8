/// Where a record stands with one recipient, and where a physical item is, worked out from the
/// record's transfers (export packets made for a provider included, as sends `via: .packet`).
///
/// Pure: it reads only what it is given, so the same transfers always give the same answer.
public enum RecordDelivery {
    /// How far a record has got to a recipient.
    public enum State: Sendable, Hashable {
        /// The recipient confirmed having it.
        case received(Transfer)
        /// Sent in a way that reaches the recipient at once (portal, in person, packet).
        case delivered(Transfer)
        /// Sent by mail, fax or courier; receipt not confirmed yet.
        case inTransit(Transfer)
        /// Asked for (from its holder), not sent yet.
        case requested(Transfer)
        /// Nothing done yet.
        case notSent

        /// The recipient has it (or got it handed over).
        public var isDone: Bool {
            switch self {
            case .received, .delivered: return true
            default: return false
            }
        }
    }

    /// The state of a record for a recipient known by any of `recipients` (a doctor and the
    /// providers at the same place). `transfers` are the record's, in any order.
    public static func state(of transfers: [Transfer], for recipients: Set<Int64>) -> State {
        let ordered = transfers.sorted { ($0.occurredOn, $0.id) < ($1.occurredOn, $1.id) }
        let toRecipient = ordered.filter { $0.toProviderID.map(recipients.contains) ?? false }
        if let receipt = toRecipient.last(where: { $0.kind == .receive }) { return .received(receipt) }
        if let send = toRecipient.last(where: { $0.kind == .send }) {
            return send.via?.deliversAtOnce == true ? .delivered(send) : .inTransit(send)
        }
        // A request either names the recipient or brings the record to the patient, who passes it on.
        if let request = ordered.last(where: { $0.kind == .request && ($0.toProviderID == nil || toRecipient.contains($0)) }) {
            return .requested(request)
        }
        return .notSent
    }

    /// Where a physical item (slides, blocks, a disc of images) is.
    public struct Location: Sendable, Hashable {
        /// Who has it: a provider id, or `nil` for the patient (when `isKnown`).
        public var holderID: Int64?
        /// `false` when the record names no provider and nothing has moved it yet.
        public var isKnown: Bool
        /// Sent to this provider (or the patient, `nil`), receipt not confirmed.
        public var inTransit: Bool
        /// Who lent it out and expects it back, when it is on loan.
        public var lenderID: Int64?
        /// When it is due back with the lender.
        public var dueBackOn: PartialDate?
        /// Since when the holder has it (or it has been on its way to them): the day of the last
        /// receipt or send; `nil` while it has not moved.
        public var since: PartialDate?

        /// Due back before `today` and not yet returned.
        public func isOverdue(today: PartialDate) -> Bool {
            guard let dueBackOn else { return false }
            return dueBackOn < today && !today.description.hasPrefix(dueBackOn.description)
        }
    }

    /// Where an item is after `transfers`, starting from `origin` (the record's provider: the lab
    /// or hospital that made it; `nil` when unknown).
    public static func location(of transfers: [Transfer], origin: Int64?) -> Location {
        var location = Location(holderID: origin, isKnown: origin != nil, inTransit: false, lenderID: nil, dueBackOn: nil,
                                since: nil)
        for transfer in transfers.sorted(by: { ($0.occurredOn, $0.id) < ($1.occurredOn, $1.id) }) {
            switch transfer.kind {
            case .request:
                continue
            case .send:
                let sender = transfer.fromProviderID ?? (location.isKnown ? location.holderID : nil)
                location.holderID = transfer.toProviderID
                location.isKnown = true
                location.inTransit = !(transfer.via?.deliversAtOnce ?? false)
                location.since = transfer.occurredOn
                if let due = transfer.dueBackOn {
                    location.lenderID = sender
                    location.dueBackOn = due
                }
            case .receive:
                location.since = transfer.occurredOn
                location.holderID = transfer.toProviderID
                location.isKnown = true
                location.inTransit = false
                if let due = transfer.dueBackOn {
                    location.lenderID = transfer.fromProviderID ?? location.lenderID
                    location.dueBackOn = due
                }
            }
            // Back with the lender: the loan is over.
            if location.lenderID != nil, location.holderID == location.lenderID {
                location.lenderID = nil
                location.dueBackOn = nil
            }
        }
        return location
    }

    /// The transfers still waiting for their next step, in date order: requests not yet followed
    /// by a send or receive of the record from the holder asked (or to the recipient named), and
    /// sends by mail, fax or courier whose arrival has not been confirmed by a receive.
    public static func waiting(_ transfers: [Transfer]) -> [Transfer] {
        let ordered = transfers.sorted { ($0.occurredOn, $0.id) < ($1.occurredOn, $1.id) }
        return ordered.indices.filter { index in
            let transfer = ordered[index]
            let later = ordered[(index + 1)...].filter { $0.recordID == transfer.recordID }
            switch transfer.kind {
            case .request:
                return !later.contains { next in
                    guard next.kind != .request else { return false }
                    return next.fromProviderID == transfer.fromProviderID || next.toProviderID == transfer.toProviderID
                        // The patient passing it on had it: a request to the patient is fulfilled.
                        || (transfer.toProviderID == nil && next.kind == .send && next.fromProviderID == nil)
                }
            case .send:
                guard transfer.via?.deliversAtOnce != true else { return false }
                return !later.contains { $0.kind == .receive && $0.toProviderID == transfer.toProviderID }
            case .receive:
                return false
            }
        }.map { ordered[$0] }
    }

    /// Whether a record is a physical item whose whereabouts are tracked: slides, blocks or images
    /// without a stored file.
    public static func isPhysical(_ record: Record) -> Bool {
        record.file == nil && (record.kind == .pathologySlides || record.kind == .imagingStudy)
    }
}
