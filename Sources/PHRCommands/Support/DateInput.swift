import Foundation
import PHRStore

/// Reads the dates people type: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`,
/// weekday names (`tuesday`: the coming one, today included; `next tuesday`: the first after
/// today; `last tuesday`: the latest before today); and appointment times: a day in any of those
/// forms (default today) with a time of day (`10:00`, `9:00`, `10am`, `2:30pm`) in local time
/// (stored with its offset), or full ISO 8601.
///
/// Every relative date counts from `ReferenceTime` (phr's clock, pinned by `PHR_NOW`). Numeric
/// dates with slashes (`05/06/1962`) are refused: the message gives the ISO forms they could mean.
enum DateInput {
    static let acceptedDates = "YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, tomorrow or a weekday (tuesday, next tuesday)"
    static let acceptedDateTimes = "a day and a time like 'YYYY-MM-DD HH:MM', 'tomorrow 10:00', 'tuesday 2:30pm' or '9:00' (today), "
        + "local time, or ISO 8601 like 2026-12-03T09:30-05:00"

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func date(_ text: String, option: String, now: ReferenceTime = ReferenceTime()) throws -> PartialDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let relative = relativeDay(trimmed, now: now) { return relative }
        if trimmed.contains("/") { throw slashDate(text, option: option) }
        do {
            return try PartialDate(parsing: trimmed)
        } catch {
            throw CommandFailure("\(option): '\(text)' is not a date; use \(acceptedDates)", code: ExitStatus.dataError)
        }
    }

    /// `today`, `yesterday`, `tomorrow`, `tuesday`, `next tuesday`, `last tuesday`; `nil` for anything else.
    static func relativeDay(_ text: String, now: ReferenceTime) -> PartialDate? {
        let dayOffsets = ["today": 0, "yesterday": -1, "tomorrow": 1]
        if let offset = dayOffsets[text] { return now.today.addingDays(offset) }
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.last, let weekday = weekdays.firstIndex(where: { $0 == name || $0.prefix(3) == name }),
              words.count <= 2 else { return nil }
        let modifier = words.count == 2 ? words[0] : ""
        guard ["", "next", "this", "coming", "last"].contains(modifier) else { return nil }
        let today = now.today
        let todayWeekday = weekdayIndex(of: today)
        var ahead = (weekday - todayWeekday + 7) % 7
        if modifier == "last" {
            let back = (todayWeekday - weekday + 7) % 7
            return today.addingDays(-(back == 0 ? 7 : back))
        }
        if modifier == "next", ahead == 0 { ahead = 7 }
        return today.addingDays(ahead)
    }

    /// 0 for Sunday … 6 for Saturday.
    static func weekdayIndex(of date: PartialDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let day = calendar.date(from: DateComponents(year: date.year, month: date.month ?? 1, day: date.day ?? 1))
        return day.map { calendar.component(.weekday, from: $0) - 1 } ?? 0
    }

    /// `05/06/1962` could be 5 June or 6 May: refused, with both ISO forms.
    static func slashDate(_ text: String, option: String) -> CommandFailure {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/").compactMap { Int($0) }
        var forms: [String] = []
        if parts.count == 3, parts[2] >= 1000 {
            for (month, day) in [(parts[0], parts[1]), (parts[1], parts[0])] where (1...12).contains(month) && (1...31).contains(day) {
                let form = String(format: "%04d-%02d-%02d", parts[2], month, day)
                if !forms.contains(form) { forms.append(form) }
            }
        }
        let hint = forms.isEmpty ? "YYYY-MM-DD" : forms.joined(separator: " or ")
        return CommandFailure("\(option): '\(text)' is ambiguous (day and month could be either way round); write it as \(hint) (YYYY-MM-DD)",
                              code: ExitStatus.dataError)
    }

    static let acceptedDatesOrTimes = "\(acceptedDates), or a time as 'YYYY-MM-DD HH:MM' (local) or ISO 8601"

    /// A date (`acceptedDates`) or, when the text has a time of day, a date-time (`dateTime`): the
    /// precision the patient gave is kept.
    static func dateOrTime(_ text: String, option: String, now: ReferenceTime = ReferenceTime()) throws -> DateOrTime {
        guard text.contains(":") || TimeOfDay(text.split(separator: " ").last.map(String.init) ?? "") != nil else {
            return .date(try date(text, option: option, now: now))
        }
        let typed: Reading
        do {
            typed = try reading(text, option: option, now: now)
        } catch {
            throw CommandFailure("\(option): '\(text)' is not a date or a date and time; use \(acceptedDatesOrTimes)",
                                 code: ExitStatus.dataError)
        }
        return .dateTime(try moment(typed, option: option))
    }

    /// A day and a time; a time alone is on `defaultDay` (else today).
    static func dateTime(_ text: String, option: String, timeZone: TimeZone = .current,
                         now: ReferenceTime = ReferenceTime(), defaultDay: PartialDate? = nil) throws -> OffsetDateTime {
        try moment(try reading(text, option: option, now: now, defaultDay: defaultDay), option: option, timeZone: timeZone)
    }

    /// A date and time as typed: with its offset, or a wall-clock time still to be placed.
    enum Reading {
        case exact(OffsetDateTime)
        case wallClock(OffsetDateTime)
    }

    /// What `text` says, checked for form only (`dateTime` places a wall-clock time).
    static func reading(_ text: String, option: String, now: ReferenceTime = ReferenceTime(),
                        defaultDay: PartialDate? = nil) throws -> Reading {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let failure = CommandFailure("\(option): '\(text)' is not a date and time; use \(acceptedDateTimes)",
                                     code: ExitStatus.dataError)
        // With an offset or Z: full ISO 8601.
        let timePart = trimmed.count > 11 ? String(trimmed.dropFirst(11)) : ""
        if trimmed.first?.isNumber == true, trimmed.count > 10,
           timePart.contains("Z") || timePart.contains("+") || timePart.contains("-") {
            do { return .exact(try OffsetDateTime(parsing: trimmed)) } catch { throw failure }
        }
        // A day (any form `date` reads; today when left out) and a time of day, in local time.
        var words = trimmed.replacingOccurrences(of: "T", with: " ").split(separator: " ").map(String.init)
        if words.count >= 2, ["am", "pm", "a.m.", "p.m."].contains(words[words.count - 1].lowercased()) {
            words[words.count - 2] += words.removeLast()
        }
        guard let last = words.last, let time = TimeOfDay(last) else {
            if trimmed.contains("/") { throw slashDate(trimmed.split(separator: " ").first.map(String.init) ?? trimmed, option: option) }
            throw failure
        }
        let dayText = words.dropLast().joined(separator: " ")
        let day: PartialDate
        if dayText.isEmpty {
            day = defaultDay ?? now.today
        } else if dayText.contains("/") {
            throw slashDate(dayText, option: option)
        } else {
            guard let parsed = try? date(dayText, option: option, now: now), parsed.day != nil else { throw failure }
            day = parsed
        }
        guard let reading = try? OffsetDateTime(year: day.year, month: day.month ?? 1, day: day.day ?? 1, hour: time.hour,
                                                minute: time.minute, second: time.second, offsetSeconds: 0) else { throw failure }
        return .wallClock(reading)
    }

    /// The moment a reading stands for: as given with its offset, or the wall-clock time's in
    /// `timeZone` (daylight saving included); a time the clocks skip or show twice is refused
    /// with the reason.
    static func moment(_ reading: Reading, option: String, timeZone: TimeZone = .current) throws -> OffsetDateTime {
        switch reading {
        case .exact(let moment):
            return moment
        case .wallClock(let local):
            do {
                return try OffsetDateTime.wallClock(local, in: timeZone)
            } catch {
                throw CommandFailure("\(option): \(error.description)", code: ExitStatus.dataError)
            }
        }
    }

    /// Refuses an empty value where `add` needs a date if the option is given at all (`edit`
    /// takes an empty value as "clear").
    static func refuseEmpty(_ text: String?, option: String) throws {
        if let text, text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CommandFailure("\(option) is empty; give \(acceptedDates), or leave \(option) out", code: ExitStatus.usage)
        }
    }
}

/// A time of day as people write it: `10:00`, `9:00`, `09:30:15`, `10am`, `2:30pm`, `12pm` (noon).
struct TimeOfDay {
    let hour: Int
    let minute: Int
    let second: Int

    init?(_ text: String) {
        var body = text.lowercased().replacingOccurrences(of: ".", with: "")
        var afternoon: Bool?
        if body.hasSuffix("am") || body.hasSuffix("pm") {
            afternoon = body.hasSuffix("pm")
            body.removeLast(2)
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) }),
              var hour = Int(parts[0]) else { return nil }
        // A bare number is a time only with am/pm ("10am"), never alone ("10").
        if parts.count == 1, afternoon == nil { return nil }
        let minute = parts.count > 1 ? Int(parts[1]) ?? -1 : 0
        let second = parts.count > 2 ? Int(parts[2]) ?? -1 : 0
        if parts.count > 1, parts[1].count != 2 { return nil }
        if let afternoon {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (afternoon ? 12 : 0)
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        (self.hour, self.minute, self.second) = (hour, minute, second)
    }
}

/// How long something lasts, as people write it: `90` (minutes), `90m`, `90 min`, `1h`, `1h30`,
/// `1h 30m`, `2 hours`.
enum DurationInput {
    static let accepted = "minutes (90, 90m) or hours and minutes (1h, 1h30)"

    static func minutes(_ text: String, option: String) throws -> Int {
        let compact = text.lowercased().filter { !$0.isWhitespace }
        let failure = CommandFailure("\(option): '\(text)' is not a duration; use \(accepted)", code: ExitStatus.usage)
        var hours = 0
        var rest = Substring(compact)
        if let h = rest.firstIndex(where: { $0 == "h" }) {
            guard let value = Int(rest[..<h]) else { throw failure }
            hours = value
            rest = rest[rest.index(after: h)...]
            for unit in ["ours", "our", "rs", "r"] where rest.hasPrefix(unit) { rest = rest.dropFirst(unit.count); break }
        }
        for unit in ["minutes", "minute", "mins", "min", "m"] where rest.hasSuffix(unit) { rest = rest.dropLast(unit.count); break }
        let minutes = rest.isEmpty ? 0 : Int(rest)
        guard let minutes, hours >= 0, minutes >= 0, compact.first?.isNumber == true else { throw failure }
        let total = hours * 60 + minutes
        guard total > 0, total <= 7 * 24 * 60 else {
            throw CommandFailure("\(option): '\(text)' is not a positive length of time an appointment can take; use \(accepted)",
                                 code: ExitStatus.usage)
        }
        return total
    }
}

extension DateInput {
    /// The instants a calendar period covers in `timeZone`: from its first moment to the first
    /// moment after it (`2026-12` runs from 1 December 00:00 to 1 January 00:00).
    static func interval(of date: PartialDate, in timeZone: TimeZone = .current) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.date(from: DateComponents(year: date.year, month: date.month ?? 1, day: date.day ?? 1))
            ?? Clock.now()  // unreachable: every PartialDate is a real calendar date
        let unit: Calendar.Component = date.day != nil ? .day : (date.month != nil ? .month : .year)
        return (start, calendar.date(byAdding: unit, value: 1, to: start) ?? start)
    }
}
