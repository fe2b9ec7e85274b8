#!/usr/bin/env python3
"""Validate a FHIR document Bundle (JSON) with the R4B models of fhir.resources.

Usage: validate_fhir.py BUNDLE.json

Exit status: 0 when the bundle and every resource in it validate; 1 with the validation errors
on stderr when they do not; 64 on a usage error; 66 when the file cannot be read.

The R4B models are the closest fhir.resources has to R4 (4.0.1): the resources phr writes
(Composition, Patient, Practitioner, PractitionerRole, Organization, Condition, Appointment,
ClinicalImpression, DocumentReference) have the same elements in both. Unknown elements, wrong
types, bad codes for required bindings' primitive patterns and missing required elements fail.
"""
import json
import sys


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError as error:
        print(f"validate_fhir: fhir.resources is not installed ({error}); "
              "run: python3 -m venv .venv-fhir && .venv-fhir/bin/pip install -r scripts/requirements-fhir.txt",
              file=sys.stderr)
        return 69
    try:
        with open(argv[1], "rb") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"validate_fhir: cannot read {argv[1]}: {error}", file=sys.stderr)
        return 66
    try:
        bundle = Bundle.model_validate(data)
    except Exception as error:  # pydantic.ValidationError and fhir.resources' own checks
        print(f"validate_fhir: {argv[1]} is not a valid FHIR bundle:\n{error}", file=sys.stderr)
        return 1
    # Each entry must have become its own resource class, not a generic one.
    for index, entry in enumerate(bundle.entry or []):
        expected = (data["entry"][index].get("resource") or {}).get("resourceType")
        actual = type(entry.resource).__name__ if entry.resource is not None else None
        if actual != expected:
            print(f"validate_fhir: entry {index}: {expected} was read as {actual}", file=sys.stderr)
            return 1
    print(f"valid: Bundle ({bundle.type}) with {len(bundle.entry or [])} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
