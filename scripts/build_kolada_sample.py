"""Maintainer tool: build jamlik's real Kolada sample series from the public snapshot facts.

Reads ``../shared/reference/kolada/values_sample.csv`` (Kolada API output stored in a public
snapshot; Källa: Kolada, CC BY 4.0) and writes ``python/jamlik/data/kolada_sample.csv`` in
jamlik's long Kolada columns plus the snapshot date and API version of each row. Run from the
repository root: ``python scripts/build_kolada_sample.py``.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

COLUMNS = ["kpi", "municipality_id", "period", "gender", "value", "count", "status", "snapshot_date", "api"]


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    source = root.parent / "shared" / "reference" / "kolada" / "values_sample.csv"
    target = root / "python" / "jamlik" / "data" / "kolada_sample.csv"
    if not source.exists():
        print(f"{source} is absent", file=sys.stderr)
        return 1
    with source.open(newline="", encoding="utf-8") as f:
        rows = [
            {**{k: r[k] for k in COLUMNS[:-2]}, "snapshot_date": r["snapshot_date"], "api": r["snapshot_api"]}
            for r in csv.DictReader(f)
        ]
    rows.sort(key=lambda r: (r["kpi"], r["municipality_id"], int(r["period"]), r["gender"]))
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, target)
    print(f"wrote {len(rows)} rows to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
