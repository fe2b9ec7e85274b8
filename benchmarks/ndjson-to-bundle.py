#!/usr/bin/env python3
"""Writes the resources of a folder of NDJSON files (one resource per line, as generate-fhir.py
writes them) as one FHIR collection Bundle, entry by entry, so a bundle and NDJSON of the same
resources can be imported side by side (issue 15: a bundle within 1.2 x of the same NDJSON).

    benchmarks/ndjson-to-bundle.py IN_DIR OUT.json

Each entry holds only the resource, as it was on its line (keys in their order there): no
fullUrl, so both forms give phr the same resources with the same source keys, and the
comparison is of reading them.
"""
import json
import os
import sys


def main():
    folder, out = sys.argv[1], sys.argv[2]
    names = sorted(name for name in os.listdir(folder) if name.endswith(".ndjson"))
    count = 0
    with open(out, "w", encoding="utf-8") as bundle:
        bundle.write('{"resourceType":"Bundle","type":"collection","entry":[')
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as lines:
                for line in lines:
                    line = line.strip()
                    if not line:
                        continue
                    json.loads(line)  # each line must be JSON
                    bundle.write("," if count else "")
                    bundle.write('\n{"resource":' + line + "}")
                    count += 1
        bundle.write("\n]}\n")
    print(f"{count} resources as one bundle, {os.path.getsize(out) / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
