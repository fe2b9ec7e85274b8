import Foundation

/// A small inline SVG line chart of one measurement over time (a tumour marker), for the summary
/// page.
///
/// Guarantees: plain SVG markup inside the HTML (no script, no link, no namespace URL, nothing
/// loaded); one `<circle>` per value, oldest on the left, evenly spaced (the dates are in the
/// table beside it and in the chart's `<title>`); the upper limit of normal, when given, drawn as
/// a dashed line inside the scale; black on white, so it prints in black and white. Every text
/// goes through `HTML.escape`.
struct TrendChart {
    struct Point {
        let value: Double
        /// Said in the chart's title: `2026-10-02: 42 U/mL`.
        let label: String
    }

    let title: String
    let points: [Point]
    var upperLimit: Double?
    var width = 180.0
    var height = 48.0

    func svg() -> String {
        let margin = 6.0
        var values = points.map(\.value)
        if let upperLimit { values.append(upperLimit) }
        let low = values.min() ?? 0
        let high = values.max() ?? 1
        let span = high - low > 0 ? high - low : 1
        func y(_ value: Double) -> Double {
            high - low > 0 ? margin + (high - value) / span * (height - 2 * margin) : height / 2
        }
        func x(_ index: Int) -> Double {
            points.count > 1 ? margin + Double(index) / Double(points.count - 1) * (width - 2 * margin) : width / 2
        }
        let description = title + ": " + points.map(\.label).joined(separator: "; ")
        var svg = "<svg class=\"trend\" role=\"img\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" aria-label=\"\(HTML.escape(description))\">"
            + "<title>\(HTML.escape(description))</title>"
        if let upperLimit {
            svg += "<line class=\"limit\" x1=\"0\" y1=\"\(f(y(upperLimit)))\" x2=\"\(f(width))\" y2=\"\(f(y(upperLimit)))\" "
                + "stroke=\"#000\" stroke-width=\"0.8\" stroke-dasharray=\"3 3\"/>"
        }
        if points.count > 1 {
            let line = points.indices.map { "\(f(x($0))),\(f(y(points[$0].value)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>"
        }
        for index in points.indices {
            svg += "<circle cx=\"\(f(x(index)))\" cy=\"\(f(y(points[index].value)))\" r=\"2.5\" fill=\"#000\"/>"
        }
        return svg + "</svg>"
    }

    private func f(_ number: Double) -> String { String(format: "%.1f", number) }
}
