import PHRStore

/// One table of results in `summary.html` that is not a key fact: labs, imaging findings, vital
/// signs, social history, other results. What each lists, where on the page and under which
/// heading is written here once; `ClinicalSummary.results(_:in:)` renders any of them.
///
/// Guarantees: every category of result the key facts do not show (staging, performance status,
/// biomarkers, tumour markers) is listed by exactly one of `all`.
struct ResultListing: Sendable {
    /// The part of the page a table is in.
    enum Section: Sendable {
        /// What is current, after the key facts.
        case current
        /// The appendix, the long tail.
        case appendix
    }

    /// Where the listed results go.
    enum Placement: Sendable {
        /// Those of the last months in the current section, the earlier ones in the appendix.
        case byDate
        /// All in the current section, whatever their date: the latest known is what holds now.
        case current
        /// All in the appendix.
        case appendix
    }

    /// Which of the results of its categories a table lists.
    enum Selection: Sendable {
        /// The latest of each name: a measurement repeated over time is its latest value.
        case latestOfEachName
        /// Every one: each is a finding of its own (two CT scans say two things).
        case every
    }

    let categories: Set<ClinicalResult.Category>
    let placement: Placement
    let selection: Selection
    /// Whether a panel's parts are printed in its row (a blood pressure's two values) rather
    /// than each in a row of its own (a blood count's tests, under its latest date).
    let partsInPanelRow: Bool
    /// The heading in the current section (`h2`).
    let title: String
    /// The heading in the appendix (`h3`).
    let appendixTitle: String
    /// Said under the current heading when there are results (what the table shows).
    let note: String?
    /// Said in the current section when there is none; `nil`: the table is left out then.
    let none: String?
    let tableClass: String
    /// Small print in the current section too (tables in the appendix always are).
    let isCompact: Bool
    let nameHeader: String
    let valueHeader: String
    let showsRange: Bool
    /// Whether what qualifies a value (`detail`: "right upper lobe", "20 pack-years") is printed under it.
    let showsDetail: Bool

    /// The section a result goes to, given whether it is of the last months.
    func section(recent: Bool) -> Section {
        switch placement {
        case .byDate: return recent ? .current : .appendix
        case .current: return .current
        case .appendix: return .appendix
        }
    }

    static let labs = ResultListing(
        categories: [.laboratory], placement: .byDate, selection: .latestOfEachName, partsInPanelRow: false,
        title: "Recent labs", appendixTitle: "Earlier lab results",
        note: "The latest value of each test. Values outside their range are marked with ! and a word.",
        none: "No lab results of the last months", tableClass: "labs", isCompact: false,
        nameHeader: "Test", valueHeader: "Result", showsRange: true, showsDetail: false)

    static let imaging = ResultListing(
        categories: [.imaging], placement: .byDate, selection: .every, partsInPanelRow: true,
        title: "Recent imaging results", appendixTitle: "Earlier imaging results", note: nil, none: nil,
        tableClass: "imaging", isCompact: false,
        nameHeader: "Examination", valueHeader: "Findings", showsRange: false, showsDetail: true)

    static let vitalSigns = ResultListing(
        categories: [.vitalSigns], placement: .byDate, selection: .latestOfEachName, partsInPanelRow: true,
        title: "Vital signs", appendixTitle: "Earlier vital signs", note: nil, none: nil,
        tableClass: "vital-signs", isCompact: true,
        nameHeader: "Measurement", valueHeader: "Latest", showsRange: false, showsDetail: true)

    static let socialHistory = ResultListing(
        categories: [.socialHistory], placement: .current, selection: .latestOfEachName, partsInPanelRow: true,
        title: "Social history", appendixTitle: "Social history", note: nil, none: nil,
        tableClass: "social-history", isCompact: true,
        nameHeader: "Item", valueHeader: "Latest", showsRange: false, showsDetail: true)

    static let other = ResultListing(
        categories: [.other], placement: .appendix, selection: .latestOfEachName, partsInPanelRow: true,
        title: "Other results", appendixTitle: "Other results (the latest of each, of any date)", note: nil, none: nil,
        tableClass: "other-results", isCompact: true,
        nameHeader: "Test", valueHeader: "Latest", showsRange: true, showsDetail: true)

    /// Every table (see the guarantee above), in the order the appendix prints them.
    static let all: [ResultListing] = [imaging, labs, vitalSigns, socialHistory, other]
}
