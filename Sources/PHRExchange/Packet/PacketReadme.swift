import PHRStore

/// The packet's `README.txt`: a few lines telling the recipient what each file is and how to
/// check the packet.
struct PacketReadme {
    let contents: PacketContents
    let preparedOn: PartialDate
    let includesFiles: Bool

    func render() -> String {
        var text = "Health record packet of \(contents.patient.name)\n"
        text += "Prepared on \(preparedOn) with phr"
        if let recipient = contents.recipient { text += " for \(recipient.name)" }
        text += ".\n\n"
        text += """
            What is in it:

              summary.html  A summary to read or print: diagnoses, the opinions side by side,
                            appointments, and the list of records, each linked to its file.
                            Open it in any web browser; it loads nothing from the network.
              fhir.json     The same, for record systems: a FHIR R4 (4.0.1) document Bundle.

            """
        if includesFiles {
            text += """
                  records/      The original files (reports, images, letters), named
                                DATE_KIND_TITLE; their original names are in summary.html
                                and fhir.json.

                """
        }
        text += """
              SHA256SUMS    A SHA-256 checksum of every other file. To check that nothing was
                            damaged or changed, run in this folder:
                                sha256sum -c SHA256SUMS
                            (on macOS: shasum -a 256 -c SHA256SUMS)
              README.txt    This file.

            """
        return text
    }
}
