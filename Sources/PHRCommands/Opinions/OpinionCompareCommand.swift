import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

extension OpinionCommand {
    /// `phr opinion compare`: the opinions on one diagnosis side by side, then the verdict.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "The opinions on a diagnosis side by side, with a verdict in plain words.",
            discussion: """
                The verdict says whether all opinions agree, or on what they differ (stated \
                agreement, stage, recommended treatment) and between whom. With two opinions that \
                differ it suggests a third, tie-breaking one and going back to the first doctor; \
                --delay-weeks after the diagnosis (4) with treatment not started, it adds that time \
                matters; from --max-opinions opinions on (3) it says plainly that more opinions cost \
                time. An opinion by the doctor who made the diagnosis has the diagnosis's stage \
                unless it states another. Defaults come from `phr config`. A recorded decision is \
                shown.
                Example:
                  phr opinion compare --diagnosis invasive
                  phr opinion compare --diagnosis 1 --format json
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var thresholds: ThresholdOptions
        @Option(help: ArgumentHelp("The diagnosis, by id or prefix (default: the only diagnosis with opinions).", valueName: "diagnosis"))
        var diagnosis: String?

        func run() throws {
            let health = try store.open()
            let (comparison, settings) = try health.read { () throws -> (OpinionComparison, WorkflowSettings) in
                let owner = try patient.resolve(in: health)
                let settings = try thresholds.settings(from: health)
                let diagnosisID = try Self.diagnosisID(diagnosis, patient: owner, in: health)
                return (try health.compareOpinions(diagnosisID: diagnosisID, settings: settings), settings)
            }
            switch output.resolvedFormat {
            case .json: try output.emit(text: Self.json(comparison, settings: settings))
            case .csv: try output.emit(Self.csvListing(comparison))
            case .table: try output.emit(text: Self.table(comparison, style: output.tableStyle))
            }
        }

        /// `--diagnosis`, or the patient's one diagnosis with opinions.
        static func diagnosisID(_ text: String?, patient: Patient, in store: HealthStore) throws -> Int64 {
            if let text { return try Lookup.diagnosis(text, patient: patient, in: store).id }
            let withOpinions = try store.diagnoses(patientID: patient.id).filter { !(try store.opinions(diagnosisID: $0.id)).isEmpty }
            guard withOpinions.count == 1 else {
                let names = withOpinions.isEmpty ? "none has opinions yet"
                    : "several have opinions: " + Lookup.describe(withOpinions.map { ($0.id, $0.description) })
                throw CommandFailure("--diagnosis: say which diagnosis to compare (\(names))", code: ExitStatus.usage)
            }
            return withOpinions[0].id
        }

        // MARK: Table

        static func table(_ comparison: OpinionComparison, style: TableStyle) -> String {
            var out = heading(comparison.diagnosis, days: comparison.daysSinceDiagnosis) + "\n"
            if !comparison.entries.isEmpty {
                var columns: [Listing.Column] = [.init(key: "field", header: "")]
                for entry in comparison.entries {
                    let specialty = entry.provider?.specialty.map { " (\($0))" } ?? ""
                    columns.append(.init(key: "opinion_\(entry.opinion.id)", header: entry.providerName + specialty, wraps: true))
                }
                var listing = Listing(columns: columns)
                let rows: [(String, (OpinionComparison.Entry) -> String?)] = [
                    ("Opinion", { "\($0.opinion.id)" }),
                    ("Date", { $0.opinion.givenOn.description }),
                    ("Conclusion", { $0.opinion.conclusion }),
                    ("Stage", { $0.opinion.stageShown(on: comparison.diagnosis) }),
                    ("Recommendation", { $0.opinion.recommendation }),
                    ("Agreement", { OpinionCommand.agreementText($0.opinion.agreement) }),
                ]
                for (label, value) in rows {
                    listing.append([.text(label)] + comparison.entries.map { .text(value($0) ?? "—") })
                    if label == "Stage", !comparison.staging.isEmpty {
                        listing.append([.text("Staging on record")] + comparison.entries.map { entry in
                            let known = comparison.staging(knownBy: entry)
                            return .text(known.isEmpty ? "—" : stagingText(known))
                        })
                    }
                }
                out += "\n" + TableRenderer.render(listing, style: style)
            }
            out += "\n"
            if comparison.verdict == .differ {
                out += "Verdict: the opinions differ.\n"
                for difference in comparison.differences {
                    out += bullet("On " + difference.summary + ".", width: style.width)
                }
            } else {
                out += paragraph("Verdict: " + comparison.summary, width: style.width)
            }
            if let decision = comparison.decision {
                out += paragraph("Decision (\(decision.decidedOn)): \(decision.treatment)"
                                 + basis(decision, comparison), width: style.width)
            }
            if !comparison.advice.isEmpty {
                out += "Next:\n"
                for line in comparison.advice { out += bullet(line, width: style.width) }
                for step in comparison.nextSteps { out += "  - " + step.command + "\n" }  // a command, printed whole
            }
            return out
        }

        /// "cT2 cN0 cM0 stage IIA (2026-10-14); pT2 pN1a (2026-12-01)": the staging results in one
        /// line, by day (a result without a value shows its name).
        static func stagingText(_ results: [ClinicalResult]) -> String {
            var days: [(date: String, values: [String])] = []
            for result in results {
                var value = result.value?.displayText ?? result.name
                if result.name.lowercased().contains("stage"), !value.lowercased().hasPrefix("stage") { value = "stage " + value }
                let date = result.observedAt.map { $0.date.description } ?? "undated"
                if let last = days.indices.last, days[last].date == date {
                    days[last].values.append(value)
                } else {
                    days.append((date, [value]))
                }
            }
            return days.map { $0.values.joined(separator: " ") + " (\($0.date))" }.joined(separator: "; ")
        }

        static func heading(_ diagnosis: Diagnosis, days: Int?) -> String {
            var text = "Diagnosis \(diagnosis.id): \(diagnosis.description)"
            if let code = diagnosis.code { text += " (\(code))" }
            if let stage = diagnosis.stage { text += ", stage \(stage)" }
            if let date = diagnosis.diagnosedOn {
                text += ", diagnosed \(date)"
                if let days { text += " (\(days) days ago)" }
            }
            return text
        }

        static func basis(_ decision: Decision, _ comparison: OpinionComparison) -> String {
            let names = decision.opinionIDs.compactMap { id in comparison.entries.first { $0.opinion.id == id }?.providerName }
            return names.isEmpty ? "" : ", based on the opinions of " + names.joined(separator: ", ")
        }

        static func paragraph(_ text: String, width: Int) -> String {
            TableRenderer.wrap(TableRenderer.clean(text), width: width).map { $0 + "\n" }.joined()
        }

        static func bullet(_ text: String, width: Int) -> String {
            TableRenderer.wrap(TableRenderer.clean(text), width: max(20, width - 4)).enumerated()
                .map { ($0.offset == 0 ? "  - " : "    ") + $0.element + "\n" }.joined()
        }

        // MARK: JSON and CSV

        /// Keys in alphabetical order, as scripts have always seen them.
        static func json(_ comparison: OpinionComparison, settings: WorkflowSettings) -> String {
            let d = comparison.diagnosis
            let differences: [JSONValue] = comparison.differences.map { difference in
                .object([
                    ("aspect", .string(difference.aspect.rawValue)),
                    ("positions", .array(difference.positions.map { position in
                        .object([("opinion_ids", JSONValue(position.opinionIDs)),
                                 ("providers", JSONValue(position.providerNames)), ("value", .string(position.value))])
                    })),
                    ("summary", .string(difference.summary)),
                ])
            }
            let decision: JSONValue = comparison.decision.map { decision in
                .object([("decided_on", .string(decision.decidedOn.description)), ("id", .integer(decision.id)),
                         ("notes", JSONValue(decision.notes)), ("opinion_ids", JSONValue(decision.opinionIDs)),
                         ("treatment", .string(decision.treatment))])
            } ?? .null
            let opinions: [JSONValue] = comparison.entries.map { entry in
                let o = entry.opinion
                return .object([
                    ("agreement", .string(OpinionCommand.agreementText(o.agreement))),
                    ("conclusion", .string(o.conclusion)), ("given_on", .string(o.givenOn.description)),
                    ("id", .integer(o.id)), ("provider", .string(entry.providerName)),
                    ("provider_id", .integer(o.providerID)), ("recommendation", JSONValue(o.recommendation)),
                    ("specialty", JSONValue(entry.provider?.specialty)), ("stage", JSONValue(entry.stage)),
                    ("stage_as_diagnosed", .bool(entry.stageIsTheDiagnosis)),
                    ("staging_on_record", JSONValue(comparison.staging(knownBy: entry).map(\.id))),
                ])
            }
            let staging: [JSONValue] = comparison.staging.map { result in
                .object([("detail", JSONValue(result.detail)), ("id", .integer(result.id)), ("name", .string(result.name)),
                         ("observed_at", JSONValue(result.observedAt?.description)),
                         ("value", JSONValue(result.value?.displayText))])
            }
            return JSONValue.object([
                ("advice", JSONValue(comparison.advice)),
                ("commands", JSONValue(comparison.nextSteps.map(\.command))),
                ("days_since_diagnosis", JSONValue(comparison.daysSinceDiagnosis)),
                ("decision", decision),
                ("diagnosed_on", JSONValue(d.diagnosedOn?.description)),
                ("diagnosis", .string(d.description)),
                ("diagnosis_id", .integer(d.id)),
                ("differences", .array(differences)),
                ("opinions", .array(opinions)),
                ("staging", .array(staging)),
                ("suggests_tie_breaker", .bool(comparison.suggestsTieBreaker)),
                ("summary", .string(comparison.summary)),
                ("thresholds", .object([("delay_weeks", .integer(Int64(settings.delayWeeks))),
                                        ("max_opinions", .integer(Int64(settings.maxOpinions)))])),
                ("time_note", JSONValue(comparison.timeNote)),
                ("verdict", .string(comparison.verdict.rawValue)),
            ]).rendered()
        }

        static func csvListing(_ comparison: OpinionComparison) -> Listing {
            var listing = Listing(columns: [
                .init(key: "id", header: "ID"), .init(key: "given_on", header: "Date"),
                .init(key: "provider", header: "Provider"), .init(key: "specialty", header: "Specialty"),
                .init(key: "conclusion", header: "Conclusion"), .init(key: "stage", header: "Stage"),
                .init(key: "staging_on_record", header: "Staging on record"),
                .init(key: "recommendation", header: "Recommendation"), .init(key: "agreement", header: "Agreement"),
                .init(key: "verdict", header: "Verdict"), .init(key: "summary", header: "Summary"),
            ])
            for entry in comparison.entries {
                let o = entry.opinion
                listing.append([.integer(o.id), .text(o.givenOn.description), .text(entry.providerName),
                                Cell(entry.provider?.specialty), .text(o.conclusion), Cell(entry.stage),
                                .text(stagingText(comparison.staging(knownBy: entry))), Cell(o.recommendation),
                                .text(OpinionCommand.agreementText(o.agreement)), .text(comparison.verdict.rawValue),
                                .text(comparison.summary)])
            }
            return listing
        }
    }
}

extension OpinionCommand {
    /// The opinion history's sections with the decision on each diagnosis: under the heading in a
    /// table; as `decision`, `decided_on` and `decision_based_on` (whether the decision rests on
    /// that opinion) in JSON and CSV.
    static func addingDecisions(_ decisions: [Decision], to sections: [Listing]) -> [Listing] {
        sections.map { section in
            guard let diagnosisColumn = section.columns.firstIndex(where: { $0.key == "diagnosis_id" }),
                  let idColumn = section.columns.firstIndex(where: { $0.key == "id" }),
                  case .integer(let diagnosisID)? = section.rows.first?[diagnosisColumn] else { return section }
            let decision = decisions.filter { $0.diagnosisID == diagnosisID }.last
            var title = section.title
            if let decision {
                title = (title.map { $0 + "\n" } ?? "") + "Decision (\(decision.decidedOn)): \(decision.treatment)"
            }
            var changed = Listing(columns: section.columns + [
                .init(key: "decision", header: "Decision", inTable: false),
                .init(key: "decided_on", header: "Decided on", inTable: false),
                .init(key: "decision_based_on", header: "Decision based on it", inTable: false),
            ], title: title, emptyMessage: section.emptyMessage)
            for row in section.rows {
                var basedOn = Cell.null
                if let decision, case .integer(let opinionID) = row[idColumn] {
                    basedOn = .bool(decision.opinionIDs.contains(opinionID))
                }
                changed.append(row + [Cell(decision?.treatment), Cell(describing: decision?.decidedOn), basedOn])
            }
            return changed
        }
    }
}
