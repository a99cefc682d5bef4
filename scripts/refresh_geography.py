#!/usr/bin/env python3
"""Rebuild jamlik's geography files from Kolada's metadata endpoints (maintainer command).

    python scripts/refresh_geography.py --out data/geography

needs the network (or ``--base-url`` pointing at a mirror / test server, or
``--cache-dir ... --offline`` with a filled cache). It writes

- ``areas.csv``: ``id,title,type,county_code,region_id,skr_group_code,skr_group_id,
  similar_group_id,similar_group_year,similar_ids``, one row per municipality (type K),
  region (type L) and ``0000`` Riket, sorted by id;
- ``skr_groups.csv``: ``code,name,kolada_group_id`` for SKR's nine municipality
  groups (kommungrupper) A1-C9.

Rules: ``county_code`` is the first two digits of a municipality id or the last two of a
region id (empty for 0000); ``region_id`` is ``00`` + county code for municipalities.
SKR groups are recognised by their Kolada titles (``<name> (ovägt medel)``); the
socioeconomically similar municipalities come from each municipality's newest
"Liknande kommuner socioekonomi, <kommun>, <år>" group (members ``;``-separated,
sorted). Both files are written to temporary files first and renamed into place
together, so a failed or interrupted run leaves the previous files untouched.

Data: Källa: Kolada (CC BY 4.0).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

AREA_COLUMNS = [
    "id",
    "title",
    "type",
    "county_code",
    "region_id",
    "skr_group_code",
    "skr_group_id",
    "similar_group_id",
    "similar_group_year",
    "similar_ids",
]
SKR_COLUMNS = ["code", "name", "kolada_group_id"]

# SKR kommungruppsindelning: code, SKR's name, the titles Kolada uses (without the
# " (ovägt medel)" suffix), and the Kolada ids known from the 2024 and 2026 snapshots
# (used only to break ties if Kolada ever has two groups with the same title).
SKR_GROUPS = [
    ("A1", "Storstäder", ["Storstäder"], "G92787"),
    ("A2", "Pendlingskommun nära storstad", ["Pendlingskommun nära storstad"], "G92793"),
    ("B3", "Större stad", ["Större stad"], "G92790"),
    ("B4", "Pendlingskommun nära större stad", ["Pendlingskommun nära större stad"], "G92792"),
    ("B5", "Lågpendlingskommun nära större stad", ["Lågpendlingskommun nära större stad"], "G92786"),
    ("C6", "Mindre stad/tätort", ["Mindre stad/tätort"], "G92788"),
    ("C7", "Pendlingskommun nära mindre tätort", ["Pendlingskommun nära mindre tätort"], "G92789"),
    ("C8", "Landsbygdskommun", ["Landsbygdskommun, ej nära större stad", "Landsbygdskommun"], "G92791"),
    ("C9", "Landsbygdskommun med besöksnäring", ["Landsbygdskommun med besöksnäring"], "G92794"),
]
SIMILAR = re.compile(r"^Liknande kommuner socioekonomi, (?P<name>.+), (?P<year>\d{4})$")
EXPECTED = {"K": 290, "L": 22}


class GeographyError(RuntimeError):
    """The metadata does not support a consistent geography file."""


def _strip_mean(title: str) -> str:
    title = title.strip()
    suffix = "(ovägt medel)"
    if title.endswith(suffix):
        title = title[: -len(suffix)].strip()
    return title


def skr_groups(groups: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    """The nine SKR groups found among Kolada's municipality groups, by title."""
    out = []
    for code, name, titles, known_id in SKR_GROUPS:
        wanted = {t.casefold() for t in titles}
        found = [g for g in groups if _strip_mean(g["title"]).casefold() in wanted]
        if len(found) > 1:
            preferred = [g for g in found if g["id"] == known_id]
            if len(preferred) != 1:
                ids = ", ".join(g["id"] for g in found)
                raise GeographyError(f"SKR group {code} ({name}) matches several Kolada groups: {ids}")
            found = preferred
        if not found:
            raise GeographyError(f"SKR group {code} ({name}) not found among Kolada's municipality groups")
        out.append((code, name, found[0]))
    return out


def build(municipalities: list[dict[str, Any]], groups: list[dict[str, Any]]) -> tuple[list[dict], list[dict], list[str]]:
    """Rows of areas.csv and skr_groups.csv, and warnings."""
    warnings: list[str] = []
    areas = sorted(municipalities, key=lambda m: m["id"])
    ids = [a["id"] for a in areas]
    if len(set(ids)) != len(ids):
        raise GeographyError("duplicate municipality ids in Kolada's metadata")
    kommun_by_title: dict[str, str] = {}
    for a in areas:
        if a["type"] == "K":
            if a["title"] in kommun_by_title:
                raise GeographyError(f"two municipalities are called {a['title']!r}")
            kommun_by_title[a["title"]] = a["id"]

    skr = skr_groups(groups)
    skr_of: dict[str, tuple[str, str]] = {}
    for code, _name, g in skr:
        for mem in g.get("members") or []:
            if mem["id"] in skr_of:
                raise GeographyError(f"municipality {mem['id']} is in two SKR groups ({skr_of[mem['id']][0]}, {code})")
            skr_of[mem["id"]] = (code, g["id"])

    similar: dict[str, tuple[int, str, list[str]]] = {}
    for g in groups:
        m = SIMILAR.match(g["title"].strip())
        if not m:
            continue
        mid = kommun_by_title.get(m["name"])
        if mid is None:
            warnings.append(f"{g['id']} {g['title']!r}: no municipality of that name")
            continue
        year = int(m["year"])
        members = sorted(mem["id"] for mem in g.get("members") or [])
        prev = similar.get(mid)
        if prev is None or year > prev[0]:
            similar[mid] = (year, g["id"], members)
        elif year == prev[0] and g["id"] != prev[1]:
            raise GeographyError(f"two socioeconomic groups for {m['name']} in {year}: {prev[1]}, {g['id']}")

    rows = []
    for a in areas:
        aid, typ = a["id"], a["type"]
        row = dict.fromkeys(AREA_COLUMNS, "")
        row.update(id=aid, title=a["title"], type=typ)
        if typ == "K":
            row["county_code"] = aid[:2]
            row["region_id"] = "00" + aid[:2]
            if aid in skr_of:
                row["skr_group_code"], row["skr_group_id"] = skr_of[aid]
            else:
                warnings.append(f"municipality {aid} {a['title']} is in no SKR group")
            if aid in similar:
                year, gid, members = similar[aid]
                row["similar_group_id"] = gid
                row["similar_group_year"] = str(year)
                row["similar_ids"] = ";".join(members)
            else:
                warnings.append(f"municipality {aid} {a['title']} has no socioeconomic similar-municipality group")
        elif aid != "0000":
            row["county_code"] = aid[-2:]
        rows.append(row)

    counts = {t: sum(1 for a in areas if a["type"] == t) for t in EXPECTED}
    for t, n in EXPECTED.items():
        if counts[t] != n:
            warnings.append(f"{counts[t]} areas of type {t}, expected {n}")
    skr_rows = [{"code": c, "name": n, "kolada_group_id": g["id"]} for c, n, g in skr]
    return rows, skr_rows, warnings


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_atomically(out: Path, files: dict[str, str]) -> None:
    """Writes every file to a temporary file in ``out``, then renames them all into place."""
    out.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=out)
            temps.append((name, Path(tmp)))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        for name, tmp in temps:
            os.replace(tmp, out / name)
    finally:
        for _name, tmp in temps:
            if tmp.exists():
                tmp.unlink()


def refresh(out: Path, *, strict: bool = False, **client: Any) -> list[str]:
    """Fetches the metadata, builds both files and writes them; returns warnings."""
    from jamlik import kolada

    municipalities = kolada.metadata("municipality", as_frame=False, **client)
    groups = kolada.metadata("municipality_groups", as_frame=False, **client)
    rows, skr_rows, warnings = build(municipalities, groups)
    if strict and warnings:
        raise GeographyError("; ".join(warnings))
    write_atomically(
        out,
        {"areas.csv": _csv_text(AREA_COLUMNS, rows), "skr_groups.csv": _csv_text(SKR_COLUMNS, skr_rows)},
    )
    return warnings


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data/geography", type=Path, help="output directory")
    p.add_argument("--base-url", default=None, help="Kolada base URL (default: the public v3 API)")
    p.add_argument("--allow-http", action="store_true", help="accept a plain http:// --base-url (a local mirror)")
    p.add_argument("--api", default="v3", choices=["v3", "v2"])
    p.add_argument("--cache-dir", default=None, help="cache responses here")
    p.add_argument("--offline", action="store_true", help="serve only from --cache-dir")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--retries", type=int, default=4)
    p.add_argument("--backoff", type=float, default=1.0, help="first retry delay, seconds")
    p.add_argument("--strict", action="store_true", help="fail on any warning (missing groups, counts)")
    a = p.parse_args(argv)
    try:
        warnings = refresh(
            a.out,
            strict=a.strict,
            base_url=a.base_url,
            allow_http=a.allow_http,
            api=a.api,
            cache_dir=a.cache_dir,
            offline=a.offline,
            timeout=a.timeout,
            retries=a.retries,
            backoff=a.backoff,
        )
    except GeographyError as e:
        print(f"refresh_geography: {e}", file=sys.stderr)
        return 1
    except ValueError as e:  # jamlik errors (network, HTTP, parse) are ValueErrors
        print(f"refresh_geography: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"wrote {a.out / 'areas.csv'} and {a.out / 'skr_groups.csv'} (Källa: Kolada, CC BY 4.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
