"""``python -m jamlik report``: the municipality report as one HTML file, or one per
municipality of a county."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, Optional

#: The county (län) code of a municipality id is its first two digits; regions are "00" + code.
DESCRIPTION = """\
Writes the municipality report: one self-contained HTML file (no script, font or style
from the network) with the summary, the three goal areas, equity across the county,
small-numbers notes, the data source and a methods appendix. Data: the embedded SYNTHETIC
demo by default, a Kolada long-format file (--data) or Kolada itself (--fetch)."""

EPILOG = """\
examples:
  python -m jamlik report --municipality 0180 --out report.html
  python -m jamlik report -m Arboga --lang sv --out arboga.html
  python -m jamlik report --data kolada.csv -m 1984 --out report.html
  python -m jamlik report --fetch --cache-dir ~/.cache/jamlik -m 1984 --out report.html
  python -m jamlik report --county 19 --out reports/"""


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"jamlik report: {message} (see --help)\n")


def add_parser(sub: Any, default_municipality: str) -> None:
    p = sub.add_parser("report", help="the municipality report as one self-contained HTML file",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.__class__ = _Parser
    p.add_argument("--municipality", "-m", default=None,
                   help=f"Kolada id (0180, 180) or name (Arboga, Vasteras); default {default_municipality}")
    p.add_argument("--county", default=None,
                   help="a county code (19), region id (0019) or name: one report per municipality of the "
                        "county, written into the directory --out (with a progress bar)")
    p.add_argument("--out", "-o", default=None,
                   help="output file (default report.html), or directory with --county (default reports/)")
    p.add_argument("--lang", choices=("sv", "en"), default="en", help="language of the report (default en)")
    p.add_argument("--year", type=int, default=None, help="follow-up year (default: the latest in the data)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--data", default=None, metavar="FILE",
                        help="Kolada long-format .csv or .parquet: kpi, area (or municipality / municipality_id), "
                             "year (or period), sex (or gender), value; optional lower, upper, count, population "
                             "and area_name (or municipality_name)")
    source.add_argument("--fetch", action="store_true",
                        help="fetch the catalogue's KPIs for every area from the Kolada API (needs the network "
                             "once; pages are cached in --cache-dir)")
    p.add_argument("--cache-dir", default=None, help="on-disk cache of Kolada pages for --fetch")
    p.add_argument("--offline", action="store_true", help="with --fetch: use only the cache, no request")
    p.add_argument("--kolada-url", default=None, help="with --fetch: a Kolada API mirror (default the real API)")
    p.add_argument("--allow-http", action="store_true",
                   help="with --kolada-url: allow a plain-http mirror (a local test server); https otherwise")
    p.add_argument("--catalogue", default=None, metavar="FILE",
                   help="a goal catalogue (JSON) merged into the shipped one, e.g. local goals")


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-") or "municipality"


def _county_municipalities(county: str) -> list[tuple[str, str]]:
    from jamlik import datasets
    from jamlik._jamlik import InvalidArgumentError, find_area

    geo = datasets.geography()
    code = county.strip()
    if code.isdigit() and len(code) <= 2:
        code = code.zfill(2)
    else:
        region = str(find_area(code))
        row = geo[geo["area"] == region]
        code = str(row["county_code"].iloc[0]) if len(row) else ""
    rows = geo[(geo["kind"] == "municipality") & (geo["county_code"] == code)]
    if rows.empty:
        codes = ", ".join(sorted(set(geo["county_code"].dropna())))
        raise InvalidArgumentError(f"`county`: no county {county!r}; pass a county code ({codes}) or a region")
    return list(zip(rows["area"].astype(str), rows["name"].astype(str)))


def _load(args: argparse.Namespace, kpis: list[str]) -> Any:
    from jamlik import datasets
    from jamlik.report import data as report_data

    if args.data:
        return report_data.read_data(args.data)
    if args.fetch:
        last = args.year or date.today().year - 1
        return report_data.fetch(kpis, cache_dir=args.cache_dir, base_url=args.kolada_url, offline=args.offline,
                                 first_year=2010, last_year=last, allow_http=args.allow_http)
    return datasets.demo()


def run(args: argparse.Namespace, default_municipality: str) -> int:
    """The ``report`` command; every jamlik or file error is one line on stderr and exit 2."""
    from jamlik import JamlikError
    from jamlik.goals import _as_catalogue, load_catalogue
    from jamlik.report.html import to_html

    try:
        # No window is ever shown: draw off-screen even where a display is set.
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        pass  # to_html names the missing extra
    try:
        if args.county and args.municipality:
            raise _usage("give either --municipality or --county, not both")
        catalogue = load_catalogue(args.catalogue) if args.catalogue else _as_catalogue(None)
        if args.county:
            targets = _county_municipalities(args.county)
            out_dir = Path(args.out or "reports")
            if out_dir.suffix.lower() == ".html":
                raise _usage("with --county, --out is a directory (one file per municipality)")
            data = _load(args, catalogue.kpis())
            out_dir.mkdir(parents=True, exist_ok=True)
            from jamlik._extras import require

            tqdm = require("tqdm", extra="report").tqdm
            for area, name in tqdm(targets, desc=f"county {args.county}", unit="report", file=sys.stderr):
                path = out_dir / f"{area}-{_slug(name)}.html"
                path.write_text(to_html(area, data, catalogue=catalogue, at=args.year, lang=args.lang),
                                encoding="utf-8")
            print(out_dir.resolve())
            return 0
        data = _load(args, catalogue.kpis())
        page = to_html(args.municipality or default_municipality, data, catalogue=catalogue, at=args.year,
                       lang=args.lang)
        out = Path(args.out or "report.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
        print(out.resolve())
        return 0
    except (JamlikError, OSError) as e:
        message = " ".join(str(e).split())
        print(f"jamlik report: {message}", file=sys.stderr)
        return 2


def _usage(message: str) -> Exception:
    from jamlik._jamlik import InvalidArgumentError

    return InvalidArgumentError(message)


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m jamlik report`` alone (used by tests)."""
    from jamlik.__main__ import main as jamlik_main

    return jamlik_main(["report", *(argv or [])])
