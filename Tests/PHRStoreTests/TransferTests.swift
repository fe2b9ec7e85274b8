import Foundation
@testable import PHRStore
import XCTest

/// Transfers of record files and of physical items (slides, discs): what is stored, what is
/// refused, where a record stands with a recipient and where an item is.
final class TransferTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    func testTransfersOfARecordAreListedInDateOrder() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        let received = try f.transfer(report, .receive, to: f.ortiz, on: "2026-11-22")
        let request = try f.transfer(report, .request, from: f.first, on: "2026-11-10")
        let send = try f.transfer(report, .send, to: f.ortiz, via: .fax, on: "2026-11-15")
        XCTAssertEqual(try f.store.transfers(recordID: report.id).map(\.id), [request.id, send.id, received.id])
        XCTAssertEqual(try f.store.transfers(patientID: f.patient.id).count, 3)
        XCTAssertEqual(send.via, .fax)
        XCTAssertNil(send.fromProviderID)
    }

    func testASendNeedsARecipientAndAWay() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        XCTAssertThrowsError(try f.transfer(report, .send, via: .mail)) { error in
            XCTAssertEqual("\(error)", "to: a send needs the provider it goes to")
        }
        XCTAssertThrowsError(try f.transfer(report, .send, to: f.ortiz)) { error in
            XCTAssertTrue("\(error)".hasPrefix("via: say how it was sent"), "\(error)")
        }
        XCTAssertThrowsError(try f.transfer(report, .request)) { error in
            XCTAssertEqual("\(error)", "from: a request needs the provider it is asked from")
        }
        XCTAssertThrowsError(try f.transfer(report, .send, from: f.ortiz, to: f.ortiz, via: .mail))
        XCTAssertThrowsError(try f.transfer(report, .send, to: f.ortiz, via: .mail, on: "2026-11-20", dueBack: "2026-11-01"))
        XCTAssertEqual(try f.store.count("transfers"), 0)
    }

    func testATransferOfAnUnknownRecordOrProviderIsRefused() throws {
        let f = try fixture()
        XCTAssertThrowsError(try f.store.write("t") {
            try f.store.addTransfer(Transfer(recordID: 999, kind: .receive, occurredOn: WorkflowFixture.date("2026-11-01")))
        }) { error in XCTAssertEqual("\(error)", "no record with id 999") }
        let report = try f.record(.pathologyReport, "Pathology report")
        XCTAssertThrowsError(try f.store.write("t") {
            try f.store.addTransfer(Transfer(recordID: report.id, kind: .send, toProviderID: 999, via: .mail,
                                             occurredOn: WorkflowFixture.date("2026-11-01")))
        }) { error in XCTAssertEqual("\(error)", "no provider with id 999") }
    }

    func testARecordWithTransfersCannotBeRemovedUntilTheyAre() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        let send = try f.transfer(report, .send, to: f.ortiz, via: .mail)
        XCTAssertThrowsError(try f.store.write("remove") { try f.store.removeRecord(id: report.id) })
        try f.store.write("remove") {
            try f.store.removeTransfer(id: send.id)
            try f.store.removeRecord(id: report.id)
        }
        XCTAssertNil(try f.store.record(id: report.id))
    }

    // MARK: Delivery state of a file

    func testDeliveryStateMovesFromNotSentToReceived() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        let recipients: Set<Int64> = [f.ortiz.id]
        func state() throws -> RecordDelivery.State {
            RecordDelivery.state(of: try f.store.transfers(recordID: report.id), for: recipients)
        }
        XCTAssertEqual(try state(), .notSent)
        let request = try f.transfer(report, .request, from: f.first, on: "2026-11-10")
        XCTAssertEqual(try state(), .requested(request))
        let send = try f.transfer(report, .send, to: f.ortiz, via: .mail, on: "2026-11-12")
        XCTAssertEqual(try state(), .inTransit(send))
        XCTAssertFalse(try state().isDone)
        let receipt = try f.transfer(report, .receive, to: f.ortiz, on: "2026-11-14")
        XCTAssertEqual(try state(), .received(receipt))
        XCTAssertTrue(try state().isDone)
    }

    func testHandOverWaysNeedNoConfirmation() {
        XCTAssertTrue(Transfer.Via.portal.deliversAtOnce)
        XCTAssertTrue(Transfer.Via.inPerson.deliversAtOnce)
        XCTAssertTrue(Transfer.Via.packet.deliversAtOnce)
        XCTAssertFalse(Transfer.Via.mail.deliversAtOnce)
        XCTAssertFalse(Transfer.Via.fax.deliversAtOnce)
        XCTAssertFalse(Transfer.Via.courier.deliversAtOnce)
    }

    func testProvidersAtTheSameOrganizationAreOneRecipient() throws {
        let f = try fixture()
        let providers = Dictionary(uniqueKeysWithValues: try f.store.providers().map { ($0.id, $0) })
        XCTAssertEqual(HealthStore.samePlace(as: f.ortiz.id, among: providers), [f.ortiz.id, f.centrePathology.id])
        XCTAssertEqual(HealthStore.samePlace(as: f.lab.id, among: providers), [f.lab.id])
    }

    func testWaitingListsOpenRequestsAndUnconfirmedSends() throws {
        let f = try fixture()
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        let report = try f.record(.pathologyReport, "Pathology report")
        let request = try f.transfer(slides, .request, from: f.lab, to: f.ortiz, on: "2026-11-10")
        let portal = try f.transfer(report, .send, to: f.ortiz, via: .portal, on: "2026-11-10")
        func waiting() throws -> [Int64] { RecordDelivery.waiting(try f.store.transfers(patientID: f.patient.id)).map(\.id) }
        XCTAssertEqual(try waiting(), [request.id])
        XCTAssertFalse(try waiting().contains(portal.id))
        let courier = try f.transfer(slides, .send, from: f.lab, to: f.ortiz, via: .courier, on: "2026-11-12")
        XCTAssertEqual(try waiting(), [courier.id])
        try f.transfer(slides, .receive, to: f.ortiz, on: "2026-11-14")
        XCTAssertEqual(try waiting(), [])
    }

    // MARK: Physical items

    func testSlidesWithoutAFileAreTrackedAsPhysicalItems() throws {
        let f = try fixture()
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        let report = try f.record(.pathologyReport, "Pathology report")
        XCTAssertTrue(RecordDelivery.isPhysical(slides))
        XCTAssertFalse(RecordDelivery.isPhysical(report))
    }

    func testSlidesLentOutAreWithTheirHolderUntilReturned() throws {
        let f = try fixture()
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        func location() throws -> RecordDelivery.Location {
            RecordDelivery.location(of: try f.store.transfers(recordID: slides.id), origin: slides.providerID)
        }
        XCTAssertEqual(try location().holderID, f.lab.id)
        XCTAssertTrue(try location().isKnown)

        try f.transfer(slides, .send, from: f.lab, to: f.ortiz, via: .courier, on: "2026-11-10", dueBack: "2026-12-10")
        var here = try location()
        XCTAssertEqual(here.holderID, f.ortiz.id)
        XCTAssertTrue(here.inTransit)
        XCTAssertEqual(here.lenderID, f.lab.id)
        XCTAssertEqual(here.dueBackOn, WorkflowFixture.date("2026-12-10"))
        XCTAssertFalse(here.isOverdue(today: WorkflowFixture.date("2026-12-10")))
        XCTAssertTrue(here.isOverdue(today: WorkflowFixture.date("2026-12-11")))

        try f.transfer(slides, .receive, from: f.lab, to: f.ortiz, on: "2026-11-12")
        here = try location()
        XCTAssertFalse(here.inTransit)
        XCTAssertEqual(here.lenderID, f.lab.id)

        try f.transfer(slides, .send, from: f.ortiz, to: f.lab, via: .courier, on: "2026-12-01")
        try f.transfer(slides, .receive, from: f.ortiz, to: f.lab, on: "2026-12-03")
        here = try location()
        XCTAssertEqual(here.holderID, f.lab.id)
        XCTAssertNil(here.lenderID)
        XCTAssertNil(here.dueBackOn)
    }

    func testAnItemWithoutAProviderHasAnUnknownHolder() {
        let location = RecordDelivery.location(of: [], origin: nil)
        XCTAssertFalse(location.isKnown)
        XCTAssertNil(location.holderID)
    }
}
