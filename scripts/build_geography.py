#!/usr/bin/env python3
"""Maintainer tool: build data/geography/{areas,skr_groups}.csv from the offline
Kolada reference snapshot in ../shared/reference/kolada (public facts of Kolada's
open data; "Källa: Kolada", CC BY 4.0).

The network refresh (from Kolada's metadata endpoints) lives with the Kolada
client; it writes exactly the same columns. Usage:

    python scripts/build_geography.py [path/to/shared/reference/kolada]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "geography"
AREA_COLUMNS = [
    "id", "title", "type", "county_code", "region_id", "skr_group_code", "skr_group_id",
    "similar_group_id", "similar_group_year", "similar_ids",
]


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference" / "kolada"
    munis = list(csv.DictReader(open(src / "municipalities.csv", encoding="utf-8")))
    similar = {r["municipality_id"]: r for r in csv.DictReader(
        open(src / "similar_municipalities_socioeconomic.csv", encoding="utf-8"))}
    groups = list(csv.DictReader(open(src / "skr_municipality_groups.csv", encoding="utf-8")))
    rows = []
    for m in munis:
        s = similar.get(m["id"]) if m["type"] == "K" else None
        rows.append({
            "id": m["id"],
            "title": m["title"],
            "type": m["type"],
            "county_code": m["county_code"],
            "region_id": m["region_id"] if m["type"] == "K" else "",
            "skr_group_code": m["skr_group_code"],
            "skr_group_id": m["skr_group_id"],
            "similar_group_id": s["group_id"] if s else "",
            "similar_group_year": s["group_year"] if s else "",
            "similar_ids": ";".join(sorted(s["member_ids"].split(";"))) if s else "",
        })
    for r in rows:
        for v in r.values():
            if "," in v or '"' in v:
                raise SystemExit(f"unexpected comma/quote in {r}")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "areas.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, AREA_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(OUT / "skr_groups.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "kolada_group_id"])
        for g in groups:
            w.writerow([g["skr_code"], g["skr_name"], g["kolada_group_id"]])
    print(f"wrote {len(rows)} areas and {len(groups)} SKR groups to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
