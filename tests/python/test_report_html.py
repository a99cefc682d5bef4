"""The HTML municipality report without a browser: its content against jamlik's own numbers,
escaping, the command line (`python -m jamlik report`) and its errors, --data, --fetch (local
mock server, loopback only) and --county. The page in a real browser: test_report_chromium.py."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import jamlik
import pandas as pd
import pytest
from jamlik import heat
from jamlik.__main__ import main
from jamlik.report import follow_up, to_html
from jamlik.report.sections import fmt
from kolada_mock_server import MockKolada
from report_fixtures import MARKUP, empty_charts, small_data

pytest.importorskip("jinja2")

SECTIONS = ("summary", "god_och_jamlik_halsa", "god_kvalitet", "hallbart_och_uthalligt", "equity", "small-numbers",
            "source", "methods")


@pytest.fixture(scope="module")
def demo() -> Any:
    return jamlik.datasets.demo()


@pytest.fixture(scope="module")
def page(demo_report: Path) -> str:
    """The one full render, charts and all: the demo report of the session (conftest.py),
    which is ``to_html("Arboga", demo)`` written by the CLI."""
    return demo_report.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def quick_charts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every other render here checks text, numbers and the command line, not the charts:
    each chart becomes an empty SVG so the module stays fast (charts: the full render above,
    test_report_chromium.py and jamlik.plot's own tests)."""
    if "page" not in request.fixturenames:
        empty_charts(monkeypatch)


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}"')
    return page[start:page.index("</section>", start)]


def test_sections_banner_and_header(page: str) -> None:
    for name in SECTIONS:
        assert 'class="synthetic"' in _section(page, name), name  # the banner on every printed page
    assert "<h1>Arboga</h1>" in page and "Region Västmanland" in page and "<dd>2023</dd>" in page
    assert page.count('href="#') >= len(SECTIONS)  # table of contents
    # Every chart drew: spine, overview, a trend per KPI, women vs men, and the equity charts.
    assert page.count("<svg") >= 35 and 'class="missing"' not in page


def test_self_contained_no_script_no_remote_resource(page: str) -> None:
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "<style>" in page and "@media print" in page and "break-before: page" in page


def test_summary_values_are_the_follow_up_values(page: str, demo: Any) -> None:
    f = follow_up("1984", demo)
    total = f[f["sex"] == "T"].drop_duplicates("indicator")
    rows = re.findall(r'<tr><td>(G\d+)</td><td><a[^>]*>[^<]*</a></td><td class="num">([^<]*)</td>',
                      _section(page, "summary"))
    assert len(rows) == len(f.drop_duplicates("indicator"))
    shown = dict(rows)
    for goal, value in zip(total["goal"], total["value"]):
        if goal in shown and goal != "G7":  # G7 has two indicators; the first row is checked below
            assert shown[goal] == fmt(value), goal
    assert fmt(total[total["goal"] == "G7"]["value"].iloc[0]) in _section(page, "summary")


def test_equity_measures_match_heat_on_the_county(page: str, demo: Any) -> None:
    """The page's weighted index of disparity for G2 is HEAT's IDISW over the county's
    municipalities, computed here independently from the demo and its population."""
    geo = jamlik.datasets.geography()
    county = geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["area"]
    d = demo[(demo["kpi"] == "N15428") & (demo["sex"] == "T") & (demo["year"] == 2023) & demo["area"].isin(county)]
    pop = jamlik.datasets.demo_population()
    pop = pop[(pop["sex"] == "T") & (pop["year"] == 2023)].set_index("area")["population"]
    want = heat.idisw(d["value"].to_numpy(), population=pop.loc[d["area"]].to_numpy(), favourable=True)
    card = _section(page, "equity")
    card = card[card.index('id="g-g2-n15428-equity"'):]
    assert f'<td class="num">{fmt(want.value, 2)}</td>' in card[:card.index("</table>")]


def test_markup_in_names_is_escaped(tmp_path: Path) -> None:
    data = jamlik.report.read_data(small_data(tmp_path / "k.csv"))
    out = to_html("1984", data)
    assert MARKUP not in out and "<script" not in out
    assert f"<h1>{html.escape(MARKUP, quote=False)}</h1>" in out
    assert 'class="synthetic' not in out  # a user's file is not the synthetic demo


def test_lang_sv_and_bad_lang(demo: Any) -> None:
    sv = to_html("1984", demo, lang="sv")
    assert 'data-chart="trend"' in sv
    assert '<html lang="sv">' in sv and "Sammanfattning" in sv and "Metodbilaga" in sv
    with pytest.raises(jamlik.InvalidArgumentError, match="`lang`"):
        to_html("1984", demo, lang="de")


def test_unknown_municipality_names_the_argument(demo: Any) -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="Atlantis"):
        to_html("Atlantis", demo)


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch, demo: Any) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(jamlik.MissingExtraError, match=r"jamlik\[report\]"):
        to_html("1984", demo)


# --- small numbers ------------------------------------------------------------------------


def test_small_numbers_notes_with_and_without_counts(tmp_path: Path) -> None:
    plain = jamlik.report.read_data(small_data(tmp_path / "plain.csv"))
    assert "count" not in plain.columns and "se" not in plain.columns
    without = _section(to_html("1984", plain), "small-numbers")
    for absent in ("events", "rank", "confidence interval", "smoothed"):
        assert absent not in without, absent
    counted = jamlik.report.read_data(small_data(tmp_path / "counted.csv", counts=True))
    row = (counted["kpi"] == "N15428") & (counted["area"] == "1984") & (counted["year"] == 2023) & (
        counted["sex"] == "T")
    counted.loc[row, "count"] = 5
    notes = _section(to_html("1984", counted), "small-numbers")
    population = counted.loc[row, "population"].iloc[0]
    assert f"only 5 events among {fmt(population, 0)} (fewer than 20)" in notes
    assert "empirical-Bayes smoothed toward the county&#39;s mean" in notes
    # The rank shown is Arboga's place among the county's municipalities (1 = best).
    geo = jamlik.datasets.geography()
    county = set(geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["area"])
    latest = counted[(counted["kpi"] == "N15428") & (counted["sex"] == "T") & (counted["year"] == 2023)
                     & counted["area"].isin(county)]
    place = int((latest["value"] > latest.loc[latest["area"] == "1984", "value"].iloc[0]).sum()) + 1
    assert re.search(rf"rank {place} of {len(county)} in the county \(95 % interval \d+–\d+\)", notes), notes


# --- command line -------------------------------------------------------------------------


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["report", "--help"])
    assert e.value.code == 0
    text = capsys.readouterr().out
    for option in ("--municipality", "--county", "--out", "--lang", "--year", "--data", "--fetch", "--cache-dir",
                   "--offline", "--kolada-url", "--catalogue"):
        assert option in text, option


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--municipality", "Atlantis"], "Atlantis"),
        (["--lang", "de"], "--lang"),
        (["--data", "no-such-file.csv"], "no-such-file.csv"),
        (["--county", "99"], "county"),
        (["--municipality", "1984", "--county", "19"], "not both"),
    ],
)
def test_errors_are_one_line_and_exit_2(argv: list[str], fragment: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["report", *argv, "--out", str(tmp_path / "r.html")])
    except SystemExit as e:
        code = int(e.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err and err.startswith("jamlik report:")
    assert not (tmp_path / "r.html").exists()


def test_data_file_with_kolada_names_and_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_data(tmp_path / "k.csv")
    parquet = tmp_path / "k.parquet"
    pd.read_csv(path, dtype={"municipality": str}).to_parquet(parquet)
    out = tmp_path / "r.html"
    assert main(["report", "--data", str(parquet), "-m", "1984", "--out", str(out)]) == 0
    assert html.escape(MARKUP, quote=False) in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    pd.read_csv(path).drop(columns=["gender"]).to_csv(bad, index=False)
    assert main(["report", "--data", str(bad), "--out", str(tmp_path / "x.html")]) == 2
    assert "sex" in capsys.readouterr().err


def test_county_writes_one_report_per_municipality(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = small_data(tmp_path / "gotland.csv", municipality="0980")  # Gotland: a county of one municipality
    out = tmp_path / "reports"
    assert main(["report", "--county", "09", "--data", str(data), "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["0980-gotland.html"]
    assert "1/1" in capsys.readouterr().err  # the progress bar


class _AnyData(dict):  # type: ignore[type-arg]
    """Mock routes answering every data request with the demo rows of the requested KPIs and
    years for a few areas (one page)."""

    def __init__(self, rows: pd.DataFrame) -> None:
        super().__init__()
        self.rows = rows

    def get(self, target: str, default: Any = None) -> Any:
        def answer(target: str, nth: int) -> tuple[int, dict[str, str], str]:
            parts = target.split("?")[0].split("/")
            kpis = parts[parts.index("kpi") + 1].split(",")
            years = [int(y) for y in parts[parts.index("year") + 1].split(",")] if "year" in parts else None
            d = self.rows[self.rows["kpi"].isin(kpis)]
            if years is not None:
                d = d[d["year"].isin(years)]
            values = [
                {"kpi": k, "municipality": a, "period": int(y),
                 "values": [{"gender": s, "count": 1, "status": "", "value": float(v)}
                            for s, v in zip(g["sex"], g["value"])]}
                for (k, a, y), g in d.groupby(["kpi", "area", "year"])
            ]
            return 200, {}, json.dumps({"values": values})

        return answer


def test_fetch_uses_kolada_through_the_cache(tmp_path: Path, demo: Any) -> None:
    geo = jamlik.datasets.geography()
    me = geo[geo["area"] == "0980"].iloc[0]
    keep = {"0980", "0009", "0000", *me["similar_areas"].split(";")}
    rows = demo[demo["area"].isin(keep) & demo["value"].notna() & (demo["year"] >= 2014)]
    cache = tmp_path / "cache"
    with MockKolada(_AnyData(rows)) as server:
        argv = ["report", "--fetch", "--kolada-url", server.base, "--allow-http", "--cache-dir", str(cache), "--year", "2023",
                "-m", "Gotland", "--out", str(tmp_path / "r.html")]
        assert main(argv) == 0
        first = len(server.requests)
        assert first > 0 and all(t.startswith("/v3/data/") for t in server.requests)
        assert main([*argv[:-1], str(tmp_path / "again.html")]) == 0
        assert len(server.requests) == first  # the second run is served from the cache
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h1>Gotland</h1>" in page and "Kolada" in _section(page, "source")
