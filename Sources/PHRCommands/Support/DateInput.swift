import Foundation
import PHRStore

/// Reads the dates people type: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`;
/// and appointment times: `YYYY-MM-DD HH:MM` in local time (stored with its offset) or full ISO 8601.
enum DateInput {
    static let acceptedDates = "YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday or tomorrow"
    static let acceptedDateTimes = "'YYYY-MM-DD HH:MM' (local time) or ISO 8601 like 2026-12-03T09:30-05:00"

    static func date(_ text: String, option: String, now: ReferenceTime = ReferenceTime()) throws -> PartialDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let dayOffsets = ["today": 0, "yesterday": -1, "tomorrow": 1]
        if let offset = dayOffsets[trimmed] {
            return now.today.addingDays(offset)
        }
        do {
            return try PartialDate(parsing: trimmed)
        } catch {
            throw CommandFailure("\(option): '\(text)' is not a date; use \(acceptedDates)", code: ExitStatus.dataError)
        }
    }

    static let acceptedDatesOrTimes = "\(acceptedDates), or a time as 'YYYY-MM-DD HH:MM' (local) or ISO 8601"

    /// A date (`acceptedDates`) or, when the text has a time of day, a date-time (`dateTime`): the
    /// precision the patient gave is kept.
    static func dateOrTime(_ text: String, option: String, now: ReferenceTime = ReferenceTime()) throws -> DateOrTime {
        guard text.contains(":") else { return .date(try date(text, option: option, now: now)) }
        do {
            return .dateTime(try dateTime(text, option: option))
        } catch {
            throw CommandFailure("\(option): '\(text)' is not a date or a date and time; use \(acceptedDatesOrTimes)",
                                 code: ExitStatus.dataError)
        }
    }

    static func dateTime(_ text: String, option: String, timeZone: TimeZone = .current) throws -> OffsetDateTime {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let failure = CommandFailure("\(option): '\(text)' is not a date and time; use \(acceptedDateTimes)",
                                     code: ExitStatus.dataError)
        // With an offset or Z: full ISO 8601.
        let timePart = trimmed.count > 11 ? String(trimmed.dropFirst(11)) : ""
        if timePart.contains("Z") || timePart.contains("+") || timePart.contains("-") {
            do { return try OffsetDateTime(parsing: trimmed) } catch { throw failure }
        }
        // Local wall-clock time: validate, then find its offset in `timeZone` (daylight saving
        // included); a time the clocks skip or show twice is refused with the reason.
        guard let wallClock = try? OffsetDateTime(parsing: trimmed + "Z") else { throw failure }
        do {
            return try OffsetDateTime.wallClock(wallClock, in: timeZone)
        } catch {
            throw CommandFailure("\(option): \(error.description)", code: ExitStatus.dataError)
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
