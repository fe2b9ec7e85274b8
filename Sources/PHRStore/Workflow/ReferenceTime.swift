import Foundation

/// "Now", as the workflow logic sees it: an instant and the time zone whose calendar days count.
///
/// Every piece of workflow logic takes one instead of reading the clock, so the same store gives
/// the same verdicts and checklists in tests whatever the day.
public struct ReferenceTime: Sendable, Hashable {
    public let instant: Date
    public let timeZone: TimeZone

    public init(_ instant: Date = Clock.now(), timeZone: TimeZone = .current) {
        self.instant = instant
        self.timeZone = timeZone
    }

    /// The calendar day of `instant` in `timeZone`.
    public var today: PartialDate { PartialDate(day: instant, in: timeZone) }

    /// Whole calendar days from `date` to today (positive when `date` is past). A month or a year
    /// counts from its first day.
    public func days(since date: PartialDate) -> Int {
        Self.dayNumber(today) - Self.dayNumber(date)
    }

    /// Whole calendar days from today to `date` (0 today, 1 tomorrow, negative when past).
    public func days(until date: PartialDate) -> Int { -days(since: date) }

    static func dayNumber(_ date: PartialDate) -> Int {
        OffsetDateTime.days(fromCivil: date.year, date.month ?? 1, date.day ?? 1)
    }
}

extension PartialDate {
    /// Whether any day of this date's period (a day, month or year) is on or after `date`.
    ///
    /// As the stored texts compare (`description + "\u{10FFFF}" >= date.description`: a period
    /// reaches every date it begins, and every date within it), component by component: years are
    /// four digits, and where one of the two stops, the other is within it.
    public func reaches(_ date: PartialDate) -> Bool {
        if year != date.year { return year > date.year }
        guard let month, let otherMonth = date.month else { return true }
        if month != otherMonth { return month > otherMonth }
        guard let day, let otherDay = date.day else { return true }
        return day >= otherDay
    }
}

/// Plain words for a number of days, as the checklist and compare print them.
enum DayWords {
    /// "today", "tomorrow", "in 3 days", "yesterday", "3 days ago".
    static func relative(_ days: Int) -> String {
        switch days {
        case 0: return "today"
        case 1: return "tomorrow"
        case -1: return "yesterday"
        case let n where n > 1: return "in \(n) days"
        default: return "\(-days) days ago"
        }
    }

    /// "3 days", "1 day", "6 weeks" (whole weeks from 14 days on).
    static func span(_ days: Int) -> String {
        if days >= 14 { return "\(days / 7) weeks" }
        return days == 1 ? "1 day" : "\(days) days"
    }
}
