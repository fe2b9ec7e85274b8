#!/usr/bin/env python3
"""Writes a synthetic C-CDA R2.1 CCD of about SIZE MiB (never real data) for benchmarks/ccda-speed.sh.

Made-up patient, providers and entries in the proportions of a long portal history: most of the
document is lab results (organizers of observations with units, ranges and interpretation), with
problems, medications and encounters, and a narrative table for each section whose cells the
entries reference (originalText).

Written the way certified EHRs write them (HL7's sample CCDs run 4-5 KiB per entry phr keeps):
indented, each entry with its R2.1 and R1.1 templateIds and an author. With --dense, entries
are written on one line without authors (about 0.9 KiB per entry): the most entries 5 MiB can
hold.

    benchmarks/generate-ccda.py OUT.xml [--mib 5] [--dense]
"""
import argparse
import random

LOINC = "2.16.840.1.113883.6.1"
SNOMED = "2.16.840.1.113883.6.96"
TESTS = [("718-7", "Hemoglobin", "g/dL", 12.0, 15.5), ("6690-2", "Leukocytes", "10*3/uL", 4.0, 11.0),
         ("777-3", "Platelets", "10*3/uL", 150, 400), ("2345-7", "Glucose", "mg/dL", 70, 99),
         ("2160-0", "Creatinine", "mg/dL", 0.6, 1.1), ("1742-6", "ALT", "U/L", 7, 56)]


DENSE = False
AUTHOR = ('<author><templateId root="2.16.840.1.113883.10.20.22.4.119"/><time value="20240301083000-0500"/>'
          '<assignedAuthor><id root="2.16.840.1.113883.4.6" extension="1234567893"/>'
          '<addr><streetAddressLine>1 Example Way</streetAddressLine><city>Springfield</city><state>IL</state>'
          '<postalCode>62701</postalCode></addr><telecom use="WP" value="tel:+1(555)555-0100"/>'
          '<assignedPerson><name><given>Henry</given><family>Example</family></name></assignedPerson>'
          '<representedOrganization><id root="2.16.840.1.113883.4.6" extension="1999999984"/>'
          '<name>Springfield Example Clinic</name></representedOrganization></assignedAuthor></author>')


def verbose(xml, template):
    """The entry as EHRs write it: a second (R1.1) templateId, an author, one element a line."""
    if DENSE:
        return xml
    first = xml.index(">") + 1
    xml = xml[:first] + f'<templateId root="{template}"/>' + xml[first:]
    close = xml.rindex("</")
    xml = xml[:close] + AUTHOR + xml[close:]
    return xml.replace("><", ">\n            <")


def section(template, code, title, rows, entries):
    table = "".join(f'<tr><td ID="{i}">{t}</td><td>Springfield Example Clinic</td><td>Final</td></tr>\n' for i, t in rows)
    return (f'<component><section><templateId root="2.16.840.1.113883.10.20.22.2.{template}" extension="2015-08-01"/>'
            f'<code code="{code}" codeSystem="{LOINC}"/><title>{title}</title>'
            f'<text><table><tbody>{table}</tbody></table></text>{"".join(entries)}</section></component>\n')


def day(rng):
    return f"20{rng.randint(10, 24):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def results(rng, count):
    rows, entries = [], []
    for n in range(count):
        when = day(rng) + "0830-0500"
        components = []
        for k, (code, name, unit, low, high) in enumerate(TESTS):
            value = round(rng.uniform(low * 0.7, high * 1.3), 1)
            flag = "L" if value < low else "H" if value > high else "N"
            ref = f"r{n}-{k}"
            rows.append((ref, f"{name} {value} {unit} ({flag}) on {when[:8]}"))
            components.append(
                f'<component><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>'
                f'<id root="2.16.840.1.113883.19.5.7" extension="obs-{n}-{k}"/>'
                f'<code code="{code}" codeSystem="{LOINC}" displayName="{name}"><originalText><reference value="#{ref}"/></originalText></code>'
                f'<statusCode code="completed"/><effectiveTime value="{when}"/>'
                f'<value xsi:type="PQ" value="{value}" unit="{unit}"/>'
                f'<interpretationCode code="{flag}" codeSystem="2.16.840.1.113883.5.83"/>'
                f'<referenceRange><observationRange><value xsi:type="IVL_PQ"><low value="{low}" unit="{unit}"/>'
                f'<high value="{high}" unit="{unit}"/></value></observationRange></referenceRange></observation></component>')
        entries.append(verbose(
            f'<entry typeCode="DRIV"><organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/>'
            f'<id root="2.16.840.1.113883.19.5.7" extension="panel-{n}"/>'
            f'<code code="24323-8" codeSystem="{LOINC}" displayName="Metabolic panel"/><statusCode code="completed"/>'
            f'<effectiveTime value="{when}"/>{"".join(components)}</organizer></entry>', "2.16.840.1.113883.10.20.22.4.1.1"))
    return section("3.1", "30954-2", "Results", rows, entries)


def simple(rng, count, template, code, title, make):
    rows, entries = [], []
    for n in range(count):
        ref = f"{template}-{n}"
        text, entry = make(n, ref, day(rng))
        rows.append((ref, text))
        entries.append(verbose(f"<entry>{entry}</entry>", "2.16.840.1.113883.10.20.22.4.0"))
    return section(template, code, title, rows, entries)


def problem(n, ref, when):
    return (f"Problem number {n}", f'<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>'
            f'<id root="2.16.840.1.113883.19.5.8" extension="concern-{n}"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>'
            f'<statusCode code="active"/><effectiveTime><low value="{when}"/></effectiveTime>'
            f'<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>'
            f'<id root="2.16.840.1.113883.19.5.8" extension="problem-{n}"/><code code="55607006" codeSystem="{SNOMED}"/>'
            f'<effectiveTime><low value="{when}"/></effectiveTime>'
            f'<value xsi:type="CD" code="{38341003 + n}" codeSystem="{SNOMED}"><originalText><reference value="#{ref}"/></originalText></value>'
            f'</observation></entryRelationship></act>')


def medication(n, ref, when):
    return (f"Medication {n}, one tablet twice a day", f'<substanceAdministration classCode="SBADM" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.22.4.16"/><id root="2.16.840.1.113883.19.5.9" extension="med-{n}"/>'
            f'<text><reference value="#{ref}"/></text><statusCode code="completed"/>'
            f'<effectiveTime xsi:type="IVL_TS"><low value="{when}"/><high value="{when[:4]}1231"/></effectiveTime>'
            f'<effectiveTime xsi:type="PIVL_TS" operator="A"><period value="12" unit="h"/></effectiveTime>'
            f'<doseQuantity value="1"/><consumable><manufacturedProduct><manufacturedMaterial>'
            f'<code code="{197361 + n}" codeSystem="2.16.840.1.113883.6.88" displayName="Medication {n}"/>'
            f'</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>')


def encounter(n, ref, when):
    return (f"Visit {n}", f'<encounter classCode="ENC" moodCode="EVN"><id root="2.16.840.1.113883.19.5.10" extension="enc-{n}"/>'
            f'<code code="99213" codeSystem="2.16.840.1.113883.6.12" displayName="Office visit"/>'
            f'<effectiveTime><low value="{when}1000-0500"/><high value="{when}1030-0500"/></effectiveTime>'
            f'<performer><assignedEntity><id root="2.16.840.1.113883.4.6" extension="1234567893"/>'
            f'<assignedPerson><name><given>Henry</given><family>Example</family></name></assignedPerson></assignedEntity></performer></encounter>')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--mib", type=float, default=5)
    parser.add_argument("--dense", action="store_true")
    args = parser.parse_args()
    global DENSE
    DENSE = args.dense
    rng = random.Random(12)
    head = f'''<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
<id root="2.16.840.1.113883.19.5" extension="bench-1"/><code code="34133-9" codeSystem="{LOINC}"/>
<title>Synthetic CCD</title><effectiveTime value="20240315103000-0500"/><setId root="2.16.840.1.113883.19.5" extension="bench"/>
<recordTarget><patientRole><id root="2.16.840.1.113883.19.5.2" extension="BENCH-1"/><patient><name><given>Ada</given>
<family>Example</family></name><administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19700412"/>
</patient></patientRole></recordTarget>
<author><time value="20240315"/><assignedAuthor><id root="2.16.840.1.113883.4.6" extension="1234567893"/>
<assignedPerson><name><given>Henry</given><family>Example</family></name></assignedPerson></assignedAuthor></author>
<component><structuredBody>
'''
    others = (simple(rng, 150, "5.1", "11450-4", "Problems", problem)
              + simple(rng, 150, "1.1", "10160-0", "Medications", medication)
              + simple(rng, 150, "22.1", "46240-8", "Encounters", encounter))
    tail = "</structuredBody></component></ClinicalDocument>\n"
    per_panel = len(results(random.Random(1), 1))
    panels = max(1, int((args.mib * 1024 * 1024 - len(head) - len(others) - len(tail)) / per_panel))
    with open(args.out, "w") as out:
        out.write(head + others + results(rng, panels) + tail)


if __name__ == "__main__":
    main()
