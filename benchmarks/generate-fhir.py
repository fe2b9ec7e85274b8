#!/usr/bin/env python3
"""Writes a synthetic, US Core-like FHIR R4 bulk-data export: one NDJSON file per resource type.

Every name, identifier, code choice and date is made up from a seeded random generator, so the
same arguments always give the same bytes. Nothing here is real patient data.

    benchmarks/generate-fhir.py OUT_DIR [--resources 100000] [--seed 1] [--patients K]
                                [--years 2018-2026] [--id-prefix P] [--marker WORD] [--uuid-ids]

The mix follows the proportions of Synthea's US Core bulk exports, kept to the types below.
Per 100 resources: 1 Patient, 0.5 Practitioner, 3 Conditions, 6 Encounters, 4
DocumentReferences (each with a small base64 attachment, 1-3 KiB), 2 DiagnosticReports (lab
panels naming their Observations), 3 MedicationRequests, 3 Procedures, 1.5 Immunizations,
0.5 AllergyIntolerances, and the rest, 75.5, Observations (vital signs, and laboratory results
with a reference range and an interpretation). `--first-wave` writes only the types phr stored
before results, medications and the rest (patients, practitioners, conditions, encounters,
documents, in the same shares as then: 1, 0.5, 4.5, 9, 9), to compare with that phr. Resources
refer to each other by relative references (`Patient/pat-12`), as bulk-data exports do.
`--patients K` writes exactly K patients instead (every other resource names one of them; with
K = 1 the whole export is one patient's, the worst case for per-patient queries); without it, the
output is the same as before the option existed.

`--years A-B` dates everything that happens (observations, encounters, documents, reports,
conditions, medications, procedures, immunizations, allergies) in years A to B instead of 2018 to
2026; birth dates stay between 1940 and 2005. `--id-prefix P` starts every resource id with P,
and every reference to one, except the patients' (and the practitioners' NPIs too, so that they
are other providers, not conflicting ones): a second export made with the same seed and
`--patients` and another prefix holds the same Patient resources, byte for byte (they are made
first from the seed), and new everything else, so both can be imported into one store as one
patient's (or K patients') history. `--marker WORD` adds WORD to every document's title, a word
to search for that only that export has. `--uuid-ids` writes every id, and every reference to one,
as a UUID (`Patient/6b5869b0-…`) derived from the id it replaces, as Synthea and most servers write
them: ids that sort in no particular order, where `obs-12` ids arrive nearly in order. Without
these options the output is the same as before they existed.
"""
import argparse
import base64
import json
import os
import random
import re
import uuid

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
GIVEN = ["Ada", "Maria", "John", "Li", "Amara", "Sofia", "Noah", "Yusuf", "Elena", "Kofi", "Hana", "Omar"]
FAMILY = ["Example", "Sample", "Testperson", "Synthetic", "Madeup", "Fictional", "Placeholder", "Dummy"]
CONDITIONS = [
    ("C50.912", "Malignant neoplasm of unspecified site of left female breast", "254837009"),
    ("C34.90", "Malignant neoplasm of unspecified part of unspecified bronchus or lung", "363358000"),
    ("C61", "Malignant neoplasm of prostate", "399068003"),
    ("E11.9", "Type 2 diabetes mellitus without complications", "44054006"),
    ("I10", "Essential (primary) hypertension", "38341003"),
    ("C18.9", "Malignant neoplasm of colon, unspecified", "363406005"),
]
DOC_TYPES = [("11526-1", "Pathology study"), ("18748-4", "Diagnostic imaging study"), ("11488-4", "Consult note"),
             ("11502-2", "Laboratory report")]
LABS = [("2345-7", "Glucose", "mg/dL", 70, 99, 60, 180), ("718-7", "Hemoglobin", "g/dL", 12, 16, 9, 17),
        ("6690-2", "Leukocytes", "10*3/uL", 4, 11, 2, 14), ("6768-6", "Alkaline phosphatase", "U/L", 44, 147, 30, 300),
        ("2039-6", "Carcinoembryonic Ag", "ng/mL", 0, 3, 0, 12)]
MEDICATIONS = [("1049221", "Acetaminophen 325 MG Oral Tablet"), ("310798", "Hydrochlorothiazide 25 MG Oral Tablet"),
               ("200064", "Letrozole 2.5 MG Oral Tablet"), ("197361", "Amlodipine 5 MG Oral Tablet")]
PROCEDURES = [("173160006", "Diagnostic fiberoptic bronchoscopy"), ("392021009", "Lumpectomy of breast"),
              ("33195004", "Teleradiotherapy procedure"), ("430193006", "Medication reconciliation")]
VACCINES = [("140", "Influenza, seasonal, injectable, preservative free"), ("208", "SARS-COV-2 (COVID-19) vaccine"),
            ("113", "Td (adult) preservative free")]
ALLERGENS = [("7980", "Penicillin G", "medication"), ("256349002", "Peanut", "food"),
             ("420174000", "Allergy to mould", "environment")]
# Set by --years, --id-prefix and --marker (see above); these defaults leave the output as it was.
YEARS = (2018, 2026)
ID_PREFIX = ""
MARKER = None
# Set by --uuid-ids: every id token (`pat-3`, `hobs-12`) becomes a UUID named by it.
UUID_IDS = False
ID_TOKEN = re.compile(r'(?<![\w-])[a-z]*(?:pat|prac|cond|enc|doc|obs|lab|rep|med|proc|imm|alg)-\d+(?![\w-])')
ID_NAMESPACE = uuid.UUID("5d1c8a52-0f6e-4c3b-9a7e-2b4f6d8e1a93")


def with_uuid_ids(line):
    """`line` with every id token replaced by the UUID it names (the same token, the same UUID)."""
    return ID_TOKEN.sub(lambda match: str(uuid.uuid5(ID_NAMESPACE, match.group(0))), line)

VITALS = [("8867-4", "Heart rate", "/min", 50, 110), ("8310-5", "Body temperature", "Cel", 36, 39),
          ("29463-7", "Body weight", "kg", 45, 120), ("9279-1", "Respiratory rate", "/min", 10, 24)]


def date(rng, start=1940, end=2005):
    return f"{rng.randint(start, end):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def moment(rng):
    offset = rng.choice(["-05:00", "-04:00", "+00:00", "+01:00"])
    return (f"{rng.randint(*YEARS):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(7, 18):02d}:{rng.choice(['00', '15', '30', '45'])}:00{offset}")


def patient(rng, n):
    return {
        "resourceType": "Patient", "id": f"pat-{n}",
        "meta": {"profile": [US_CORE + "us-core-patient"]},
        "extension": [{"url": US_CORE + "us-core-birthsex", "valueCode": rng.choice(["F", "M"])}],
        "identifier": [{"system": "urn:oid:2.16.840.1.113883.19.5", "value": f"MRN{n:08d}",
                        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}}],
        "name": [{"use": "official", "family": rng.choice(FAMILY) + str(n), "given": [rng.choice(GIVEN)]}],
        "telecom": [{"system": "phone", "value": f"555-{rng.randint(1000, 9999)}", "use": "home"}],
        "gender": rng.choice(["female", "male"]), "birthDate": date(rng),
        "address": [{"line": [f"{rng.randint(1, 999)} Example Street"], "city": "Springfield", "state": "IL",
                     "postalCode": "62701", "country": "US"}],
    }


def practitioner(rng, n):
    return {
        "resourceType": "Practitioner", "id": f"{ID_PREFIX}prac-{n}",
        "meta": {"profile": [US_CORE + "us-core-practitioner"]},
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": f"{ID_PREFIX}9{n:09d}"}],
        "name": [{"family": rng.choice(FAMILY), "given": [rng.choice(GIVEN)], "prefix": ["Dr."]}],
        "telecom": [{"system": "phone", "value": f"555-{rng.randint(1000, 9999)}", "use": "work"}],
    }


def condition(rng, n, patients, practitioners):
    code, display, snomed = rng.choice(CONDITIONS)
    return {
        "resourceType": "Condition", "id": f"{ID_PREFIX}cond-{n}",
        "meta": {"profile": [US_CORE + "us-core-condition-problems-health-concerns"]},
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": rng.choice(["active", "active", "resolved"])}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                           "code": rng.choice(["confirmed", "confirmed", "provisional"])}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                  "code": "problem-list-item", "display": "Problem List Item"}]}],
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": snomed, "display": display},
                            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code, "display": display}],
                 "text": display},
        # Condition n is patient n mod patients's, so that a medication can name one of its own patient.
        "subject": {"reference": f"Patient/pat-{n % patients}"},
        "onsetDateTime": moment(rng), "recordedDate": moment(rng),
        "asserter": {"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"},
    }


def encounter(rng, n, patients, practitioners):
    start = moment(rng)
    end = start[:11] + f"{min(int(start[11:13]) + 1, 23):02d}" + start[13:]
    return {
        "resourceType": "Encounter", "id": f"{ID_PREFIX}enc-{n}",
        "meta": {"profile": [US_CORE + "us-core-encounter"]},
        "status": rng.choice(["finished", "finished", "finished", "planned", "cancelled"]),
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
        "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "185349003",
                              "display": "Encounter for check up"}], "text": "Encounter for check up"}],
        "subject": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                              "code": "PPRF"}]}],
                         "individual": {"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"}}],
        "period": {"start": start, "end": end},
        "reasonCode": [{"text": rng.choice(["Follow-up", "Second opinion", "Results", "Check-up"])}],
        "location": [{"location": {"display": f"Clinic {rng.randint(1, 40)}"}}],
    }


def document(rng, n, patients, practitioners):
    code, display = rng.choice(DOC_TYPES)
    body = (f"Synthetic {display.lower()} number {n}. " * rng.randint(25, 70)).encode()
    return {
        "resourceType": "DocumentReference", "id": f"{ID_PREFIX}doc-{n}",
        "meta": {"profile": [US_CORE + "us-core-documentreference"]},
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]},
        "category": [{"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                  "code": "clinical-note"}]}],
        "subject": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "date": moment(rng),
        "author": [{"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"}],
        "content": [{"attachment": {"contentType": "text/plain",
                                    "title": f"{display} {n}" + (f" {MARKER}" if MARKER else ""),
                                    "data": base64.b64encode(body).decode()},
                     "format": {"system": "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                                "code": "urn:ihe:iti:xds:2017:mimeTypeSufficient"}}],
    }


def observation(rng, n, patients):
    code, display, unit, low, high = rng.choice(VITALS)
    return {
        "resourceType": "Observation", "id": f"{ID_PREFIX}obs-{n}",
        "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}], "text": display},
        "subject": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "effectiveDateTime": moment(rng),
        "valueQuantity": {"value": round(rng.uniform(low, high), 1), "unit": unit,
                          "system": "http://unitsofmeasure.org", "code": unit},
    }


def lab(rng, n, patients, report=None):
    code, display, unit, low, high, lowest, highest = rng.choice(LABS)
    value = round(rng.uniform(lowest, highest), 1)
    flag = "H" if value > high else "L" if value < low else "N"
    resource = {
        "resourceType": "Observation", "id": f"{ID_PREFIX}lab-{n}",
        "meta": {"profile": [US_CORE + "us-core-observation-lab"]},
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}], "text": display},
        # Lab n is patient n mod patients's, so that a report can name labs of its own patient.
        "subject": {"reference": f"Patient/pat-{n % patients}"},
        "effectiveDateTime": moment(rng),
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
        "referenceRange": [{"low": {"value": low, "unit": unit}, "high": {"value": high, "unit": unit}}],
        "interpretation": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                        "code": flag}]}],
    }
    return resource


def diagnostic_report(rng, n, patients, practitioners, labs):
    patient = rng.randrange(patients)
    # The report's results are labs of the same patient (lab n belongs to patient n mod patients).
    mine = range(patient, labs, patients)
    members = [f"Observation/{ID_PREFIX}lab-{rng.choice(mine)}" for _ in range(rng.randint(2, 4))] if len(mine) else []
    return {
        "resourceType": "DiagnosticReport", "id": f"{ID_PREFIX}rep-{n}",
        "meta": {"profile": [US_CORE + "us-core-diagnosticreport-lab"]},
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "LAB"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "24323-8", "display": "Comprehensive metabolic panel"}]},
        "subject": {"reference": f"Patient/pat-{patient}"},
        "effectiveDateTime": moment(rng), "issued": moment(rng)[:19] + "Z",
        "performer": [{"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"}],
        "result": [{"reference": member} for member in dict.fromkeys(members)],
    }


def medication_request(rng, n, patients, practitioners, conditions):
    code, display = rng.choice(MEDICATIONS)
    patient = rng.randrange(patients)
    reasons = range(patient, conditions, patients)
    return {
        "resourceType": "MedicationRequest", "id": f"{ID_PREFIX}med-{n}",
        "meta": {"profile": [US_CORE + "us-core-medicationrequest"]},
        "status": rng.choice(["active", "active", "stopped", "completed"]), "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                  "code": code, "display": display}], "text": display},
        "subject": {"reference": f"Patient/pat-{patient}"},
        "authoredOn": moment(rng),
        "requester": {"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"},
        "reasonReference": [{"reference": f"Condition/{ID_PREFIX}cond-{rng.choice(reasons)}"}] if len(reasons) else [],
        "dosageInstruction": [{"text": rng.choice(["1 tablet by mouth once daily", "1 tablet twice daily",
                                                   "as needed for pain"])}],
    }


def procedure(rng, n, patients, practitioners):
    code, display = rng.choice(PROCEDURES)
    return {
        "resourceType": "Procedure", "id": f"{ID_PREFIX}proc-{n}",
        "meta": {"profile": [US_CORE + "us-core-procedure"]},
        "status": "completed",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": code, "display": display}], "text": display},
        "subject": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "performedDateTime": moment(rng),
        "performer": [{"actor": {"reference": f"Practitioner/{ID_PREFIX}prac-{rng.randrange(practitioners)}"}}],
    }


def immunization(rng, n, patients):
    code, display = rng.choice(VACCINES)
    return {
        "resourceType": "Immunization", "id": f"{ID_PREFIX}imm-{n}",
        "meta": {"profile": [US_CORE + "us-core-immunization"]},
        "status": "completed",
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": code, "display": display}],
                        "text": display},
        "patient": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "occurrenceDateTime": moment(rng), "primarySource": True,
    }


def allergy(rng, n, patients):
    code, display, category = rng.choice(ALLERGENS)
    system = "http://www.nlm.nih.gov/research/umls/rxnorm" if category == "medication" else "http://snomed.info/sct"
    return {
        "resourceType": "AllergyIntolerance", "id": f"{ID_PREFIX}alg-{n}",
        "meta": {"profile": [US_CORE + "us-core-allergyintolerance"]},
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                       "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                           "code": "confirmed"}]},
        "type": "allergy", "category": [category], "criticality": rng.choice(["low", "high"]),
        "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
        "patient": {"reference": f"Patient/pat-{rng.randrange(patients)}"},
        "recordedDate": moment(rng),
        "reaction": [{"manifestation": [{"text": rng.choice(["Hives", "Rash", "Wheezing"])}],
                      "severity": rng.choice(["mild", "moderate", "severe"])}],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write (created)")
    parser.add_argument("--resources", type=int, default=100_000, help="about how many resources (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-wave", action="store_true",
                        help="only the types phr stored before its clinical content, no Observations")
    parser.add_argument("--patients", type=int, default=None,
                        help="exactly this many patients (default: 1 per 100 resources)")
    parser.add_argument("--years", default="2018-2026", metavar="A-B",
                        help="the years events fall in, e.g. 2026-2026 (default 2018-2026)")
    parser.add_argument("--id-prefix", default="", metavar="P",
                        help="start every id but the patients' with P (default none)")
    parser.add_argument("--marker", default=None, metavar="WORD", help="a word added to every document's title")
    parser.add_argument("--uuid-ids", action="store_true", help="write every id as a UUID, as Synthea does")
    args = parser.parse_args()
    if args.patients is not None and args.patients < 1:
        parser.error("--patients must be at least 1")
    global YEARS, ID_PREFIX, MARKER, UUID_IDS
    try:
        first, last = (int(year) for year in args.years.split("-"))
    except ValueError:
        parser.error(f"--years takes two years, A-B; got {args.years!r}")
    if not 1 <= first <= last <= 9999:
        parser.error(f"--years: {args.years} is not a range of years")
    YEARS, ID_PREFIX, MARKER, UUID_IDS = (first, last), args.id_prefix, args.marker, args.uuid_ids
    rng = random.Random(args.seed)
    total = args.resources
    if args.first_wave:
        counts = {
            "Patient": max(1, total // 100),
            "Practitioner": max(1, total // 200),
            "Condition": total * 45 // 1000,
            "Encounter": total * 9 // 100,
            "DocumentReference": total * 9 // 100,
        }
    else:
        counts = {
            "Patient": max(1, total // 100),
            "Practitioner": max(1, total // 200),
            "Condition": total * 3 // 100,
            "Encounter": total * 6 // 100,
            "DocumentReference": total * 4 // 100,
            "MedicationRequest": total * 3 // 100,
            "Procedure": total * 3 // 100,
            "Immunization": total * 15 // 1000,
            "AllergyIntolerance": total * 5 // 1000,
        }
        observations = max(0, total - sum(counts.values()) - total * 2 // 100)
        if args.patients is not None:
            # The patients' share goes to (or comes from) Observations; the other types keep their counts.
            observations = max(0, observations + counts["Patient"] - args.patients)
        counts["Observation"] = observations
        counts["DiagnosticReport"] = total * 2 // 100
    if args.patients is not None:
        counts["Patient"] = args.patients
    patients, practitioners = counts["Patient"], counts["Practitioner"]
    conditions = counts["Condition"]
    labs = counts.get("Observation", 0) // 2
    makers = {
        "Patient": lambda n: patient(rng, n),
        "Practitioner": lambda n: practitioner(rng, n),
        "Condition": lambda n: condition(rng, n, patients, practitioners),
        "Encounter": lambda n: encounter(rng, n, patients, practitioners),
        "DocumentReference": lambda n: document(rng, n, patients, practitioners),
        "MedicationRequest": lambda n: medication_request(rng, n, patients, practitioners, conditions),
        "Procedure": lambda n: procedure(rng, n, patients, practitioners),
        "Immunization": lambda n: immunization(rng, n, patients),
        "AllergyIntolerance": lambda n: allergy(rng, n, patients),
        # Half laboratory results (lab-0 … lab-{labs-1}, which the reports name), half vital signs.
        "Observation": lambda n: lab(rng, n, patients) if n < labs else observation(rng, n, patients),
        "DiagnosticReport": lambda n: diagnostic_report(rng, n, patients, practitioners, labs),
    }
    os.makedirs(args.out, mode=0o700, exist_ok=True)
    size = 0
    for resource_type, count in counts.items():
        path = os.path.join(args.out, f"{resource_type}.000.ndjson")
        with open(path, "w", encoding="utf-8") as out:
            for n in range(count):
                line = json.dumps(makers[resource_type](n), separators=(",", ":"))
                out.write(with_uuid_ids(line) if UUID_IDS else line)
                out.write("\n")
        size += os.path.getsize(path)
    print(f"{sum(counts.values())} resources, {size / 1048576:.1f} MiB in {args.out}: "
          + ", ".join(f"{count} {resource_type}" for resource_type, count in counts.items()))


if __name__ == "__main__":
    main()
