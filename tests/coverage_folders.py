#!/usr/bin/env python3
"""make coverage: gcovr's per-file JSON summary (--json-summary) → line and branch totals
per source folder, then the whole.  Usage: coverage_folders.py SUMMARY.json"""
import json
import os
import sys


def pct(hit, total):
    return f"{100.0 * hit / total:5.1f}%" if total else "    -"


def main(path):
    with open(path, encoding="utf-8") as f:
        files = json.load(f)["files"]
    folders = {}
    for entry in files:
        d = os.path.dirname(entry["filename"]) or "."
        t = folders.setdefault(d, [0, 0, 0, 0])
        t[0] += entry["line_covered"]
        t[1] += entry["line_total"]
        t[2] += entry["branch_covered"]
        t[3] += entry["branch_total"]
    rows = sorted(folders.items())
    rows.append(("TOTAL", [sum(t[i] for _, t in rows) for i in range(4)]))
    print(f"{'folder':28} {'lines':>17} {'':>6}  {'branches':>17} {'':>6}")
    for name, (lc, lt, bc, bt) in rows:
        print(f"{name:28} {lc:>8}/{lt:<8} {pct(lc, lt)}  {bc:>8}/{bt:<8} {pct(bc, bt)}")


if __name__ == "__main__":
    main(sys.argv[1])
