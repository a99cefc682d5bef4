"""Goals area: catalogue, demo dataset, progress, gap closure, comparisons, follow-up, CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import jamlik
import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from jamlik import datasets, goals, report


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return datasets.demo()


def test_demo_shape_and_label(demo: pd.DataFrame) -> None:
    assert list(demo.columns) == ["kpi", "area", "year", "sex", "value", "count", "population", "se", "lower", "upper",
                                  "n", "status"]
    assert demo.attrs["synthetic"] is True
    assert "SYNTHETIC" in demo.attrs["label"]
    assert "Källa: Kolada" in demo.attrs["geography_credit"]
    cat_kpis = goals.load_catalogue(jamlik._jamlik.catalogue_json(), base=None).kpis()
    assert set(cat_kpis) <= set(demo["kpi"].unique())
    for kpi, sub in demo.groupby("kpi"):
        assert len(sub) == 312 * 14 * 3, kpi
        assert sub["area"].nunique() == 312
        assert sorted(sub["year"].unique()) == list(range(2010, 2024))
        assert set(sub["sex"]) == {"T", "K", "M"}
    assert not demo.duplicated(["kpi", "area", "year", "sex"]).any()
    # Unpublished cells have a status, published ones none.
    assert (demo.loc[demo["value"].isna(), "status"] != "").all()
    assert (demo.loc[demo["value"].notna(), "status"] == "").all()
    # Region-only KPI: no municipality values.
    caries = demo[(demo["kpi"] == "N80401") & (demo["area"] == "1984")]
    assert caries["value"].isna().all() and (caries["status"] == "Not applicable").all()


def test_demo_reproducible_and_polars() -> None:
    a = datasets.demo(seed=5)
    b = datasets.demo(seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["value"].fillna(0), datasets.demo()["value"].fillna(0))
    pl = pytest.importorskip("polars")
    p = datasets.demo(backend="polars")
    assert isinstance(p, pl.DataFrame)
    assert p.height == len(a)


def test_region_is_population_weighted_mean(demo: pd.DataFrame) -> None:
    pop = datasets.demo_population()
    geo = datasets.geography()
    munis = geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["area"]
    v = demo[(demo["kpi"] == "N00925") & (demo["year"] == 2020) & (demo["sex"] == "T")].set_index("area")["value"]
    w = pop[(pop["year"] == 2020) & (pop["sex"] == "K")].set_index("area")["population"]
    want = (v[munis] * w[munis]).sum() / w[munis].sum()
    assert v["0019"] == pytest.approx(want, rel=1e-12)
    # A count KPI's region sums its municipalities' counts and populations.
    c = demo[(demo["kpi"] == "N15428") & (demo["year"] == 2020) & (demo["sex"] == "K")].set_index("area")
    assert c.loc["0019", "value"] == pytest.approx(c.loc[munis, "count"].sum() / c.loc[munis, "population"].sum() * 100,
                                                   rel=1e-12)


def test_catalogue_frame_and_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = goals.catalogue()
    assert {"G1", "G2", "G3", "G4"} <= set(cat["goal"])
    assert set(cat["direction"]) == {"higher", "lower"}
    g3 = cat[cat["goal"] == "G3"].iloc[0]
    assert g3["target_value"] == -10.0 and g3["target_unit"] == "per1000" and g3["kpis"] == "N20434"
    assert (cat[cat["goal"].isin(["G1", "G2", "G3", "G4"])]["confidence"] == "high").all()
    assert "22" in cat.attrs["note"]
    local = {
        "name": "Arboga",
        "goals": [{
            "id": "G2", "area": "god_och_jamlik_halsa", "title": "Fler behöriga (lokalt mål +3 pp)",
            "indicators": [{"kpi": "N15428", "title": "Behöriga", "unit": "%", "direction": "higher",
                            "sex_handling": "split", "level": "A"}],
            "target": {"kind": {"type": "change", "value": 3.0, "unit": "percentage_points"},
                       "baseline_year": 2017, "target_year": 2025},
            "source": "Kommunfullmäktige", "confidence": "high", "local": True}],
    }
    merged = goals.load_catalogue(local)
    assert merged.goal("G2")["target"]["kind"]["value"] == 3.0
    assert len(merged.goals) == len(goals.load_catalogue(local, base="shipped").goals)
    path = tmp_path / "local.json"
    path.write_text(json.dumps(local), encoding="utf-8")
    assert goals.load_catalogue(str(path), base=None).goal("G2")["local"] is True
    with pytest.raises(jamlik.ParseError):
        goals.load_catalogue("{not json")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.load_catalogue(local, mode="add")
    bad = json.loads(json.dumps(local))
    bad["goals"][0]["indicators"][0]["sex_handling"] = "two_kpis"
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.load_catalogue(bad)
    with pytest.raises(jamlik.DataSourceError):
        goals.load_catalogue(str(tmp_path / "missing.json"))


def test_assess_against_hand_computed_values() -> None:
    s = pd.Series([50.0, 51.0, 52.0, 53.0, 54.0, 55.0], index=range(2018, 2024))
    out = goals.assess(s, direction="higher", target=60.0, target_year=2025)
    row = out.iloc[0]
    assert row["category"] == "moderate progress"
    assert row["cagr"] == pytest.approx(1.1 ** 0.2 - 1, rel=1e-12)
    assert row["ratio"] == pytest.approx((1.1 ** 0.2 - 1) / (1.2 ** (1 / 7) - 1), rel=1e-12)
    un = goals.assess({2015 + i: 50.0 + i for i in range(6)}, direction="higher", method="un",
                      target=60.0, target_year=2025)
    assert un.iloc[0]["ratio"] == pytest.approx(1.05, rel=1e-12)
    assert un.iloc[0]["category"] == "on track"
    with pytest.raises(jamlik.DomainError):
        goals.assess({2018: 0.0, 2023: 1.0}, direction="higher")
    with pytest.raises(jamlik.TooFewError):
        goals.assess({2022: 1.0, 2023: 1.0}, direction="higher")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(s, direction="sideways")


def test_assess_goal_on_demo(demo: pd.DataFrame) -> None:
    out = goals.assess(demo, goal="G2", municipality="Arboga", sex="K")
    assert list(out["method"]) == ["skr_change", "eurostat_short", "eurostat_long", "un_progress_chart"]
    assert out["text"].str.len().min() > 10
    # Same numbers from the women's rows selected by any alias of the sex.
    women = goals.assess(demo, goal="G2", municipality=1984, sex="women")
    pd.testing.assert_frame_equal(out, women)
    le = goals.assess(demo, goal="G6", kpi="N00923", municipality="0180")
    assert le.iloc[0]["method"] == "skr_change"
    with pytest.raises(jamlik.InvalidArgumentError, match="kpi"):
        goals.assess(demo, goal="G6", municipality="0180")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(demo, goal="G99", municipality="0180")
    with pytest.raises(jamlik.InvalidArgumentError, match="municipality"):
        goals.assess(demo, goal="G2")  # many series: must select one
    with pytest.raises(jamlik.InvalidArgumentError, match="sex"):
        goals.assess(demo, goal="G2", municipality="Arboga", sex="X")
    with pytest.raises(TypeError):
        goals.assess(demo, goal="G2", municipality=19.84)


def test_gap_closure() -> None:
    out = goals.gap_closure({2010: 4.0, 2011: 3.9, 2012: 3.3, 2013: 3.1, 2014: 2.7})
    r = out.iloc[0]
    assert r["slope"] == pytest.approx(-0.34, abs=1e-12)
    assert r["slope_se"] == pytest.approx(0.0382970843102464, rel=1e-9)
    assert r["closure_year"] == pytest.approx(2022.0, rel=1e-12)
    assert r["required_annual_change"] == pytest.approx(-2.7 / 25, rel=1e-12)
    ten = goals.gap_closure(([2010, 2011, 2012], [3.0, 2.0, 1.5]), generation_years=10)
    assert ten.iloc[0]["required_annual_change"] == pytest.approx(-0.15)
    with pytest.raises(jamlik.TooFewError):
        goals.gap_closure({2010: 1.0, 2011: 0.5})


def test_gap_closure_from_demo(demo: pd.DataFrame) -> None:
    sex = goals.gap_closure(demo, kpi="N15428", municipality="0180", between="sex")
    assert sex.iloc[0]["n"] == 14
    nat = goals.gap_closure(demo, kpi="N15428", municipality="0180", between="nation")
    assert "closing within 25 years needs" in nat.iloc[0]["text"]


def test_compare_areas_and_women_vs_men(demo: pd.DataFrame) -> None:
    c = goals.compare_areas(demo, kpi="N15428", municipality="Arboga", year=2023)
    assert list(c["comparison"])[:4] == ["municipality", "region", "county municipalities (mean)", "nation"]
    assert c.attrs["area"] == "1984" and c.attrs["year"] == 2023
    sim = c.set_index("comparison").loc["similar municipalities (mean)"]
    assert sim["n"] == 7
    geo = datasets.geography().set_index("area")
    members = geo.loc["1984", "similar_areas"].split(";")
    d = demo[(demo["kpi"] == "N15428") & (demo["year"] == 2023) & (demo["sex"] == "T")].set_index("area")
    assert sim["value"] == pytest.approx(d.loc[members, "value"].mean(), rel=1e-12)
    # The year defaults to the KPI's latest; int and str ids name the same municipality.
    pd.testing.assert_frame_equal(goals.compare_areas(demo, kpi="N15428", municipality=1984), c)
    # No silent defaults: the KPI and the municipality are required.
    with pytest.raises(jamlik.InvalidArgumentError, match="kpi"):
        goals.compare_areas(demo)
    with pytest.raises(jamlik.InvalidArgumentError, match="municipality"):
        goals.compare_areas(demo, kpi="N15428")
    with pytest.raises(TypeError):
        goals.compare_areas(demo, kpi="N15428", municipality=["1984"])
    # Integer area ids and sex words in the data frame mean the same rows.
    words = demo.assign(area=demo["area"].astype(int), sex=demo["sex"].map({"T": "total", "K": "women", "M": "men"}))
    pd.testing.assert_frame_equal(goals.compare_areas(words, kpi="N15428", municipality="Arboga", year=2023), c)
    with pytest.raises(jamlik.ColumnError, match="year"):
        goals.compare_areas(demo.rename(columns={"year": "period"}), kpi="N15428", municipality="1984")
    g = goals.women_vs_men(demo, kpi="N00925", municipality="0180", year=2020).iloc[0]
    women = d = demo[(demo["kpi"] == "N00925") & (demo["year"] == 2020) & (demo["area"] == "0180") & (demo["sex"] == "T")]
    assert g["women"] == women["value"].iloc[0]
    assert g["women"] > g["men"] and g["better_off"] == "women" and g["note"] == ""
    assert g["difference"] == pytest.approx(g["women"] - g["men"], rel=1e-12)
    none = goals.women_vs_men(demo, kpi="U01901", municipality="0180", year=2020).iloc[0]
    assert none["better_off"] is None and np.isnan(none["women"]) and "not split by sex" in none["note"]
    with pytest.raises(jamlik.InvalidArgumentError, match="municipality"):
        goals.women_vs_men(demo, kpi="N00925")


def test_follow_up_frame(demo: pd.DataFrame) -> None:
    f = report.follow_up("Arboga", demo)
    assert list(f.columns[:11]) == ["area", "goal", "indicator", "sex", "year", "value", "change", "progress",
                                    "region", "nation", "similar"]
    # At most 20 columns: a notebook shows them all with pandas' default display options.
    assert "unit" in f.columns and len(f.columns) <= 20  # pandas' max_columns in a notebook
    full = report.follow_up("Arboga", demo, detail=True)
    assert list(full.columns[: len(f.columns)]) == list(f.columns)
    assert {"progress_text", "goal_title", "area_name"} <= set(full.columns)
    assert report.format_follow_up(full) == report.format_follow_up(f)
    assert f.attrs["synthetic"] is True and f.attrs["municipality"] == "1984"
    assert "Källa: Kolada" in f.attrs["credit"]
    assert set(f["goal"]) >= {"G1", "G2", "G3", "G4"}
    assert (f.loc[f["kpi"] == "N80401", "area"] == "0019").all()
    assert set(f["direction"]) == {"higher", "lower"}
    g2 = f[(f["goal"] == "G2") & (f["sex"] == "T")].iloc[0]
    assert g2["change"] == pytest.approx(g2["value"] - g2["baseline"])
    raw = demo[(demo["kpi"] == "N15428") & (demo["area"] == "1984") & (demo["sex"] == "T") & (demo["year"] == 2023)]
    assert g2["value"] == raw["value"].iloc[0] and g2["year"] == 2023
    assert "<table" in f._repr_html_()
    # int id, str id and name resolve to the same municipality (once, in the core).
    pd.testing.assert_frame_equal(report.follow_up(1984, demo), f)
    # Real-data path: a plain frame without attrs is not labelled synthetic.
    plain = demo.copy()
    plain.attrs = {}
    assert report.follow_up("1984", plain).attrs["synthetic"] is False
    with pytest.raises(jamlik.InvalidArgumentError, match="Atlantis"):
        report.follow_up("Atlantis")
    with pytest.raises(jamlik.InvalidArgumentError, match="municipality"):
        report.follow_up(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        report.follow_up(1984.0)  # type: ignore[arg-type]


def test_municipality_resolution(demo: pd.DataFrame) -> None:
    a = report.follow_up(180, demo)
    assert a.attrs["municipality"] == "0180"
    b = report.follow_up("stockholm", demo)
    pd.testing.assert_frame_equal(a, b)
    assert report.follow_up("Malmo", demo).attrs["municipality"] == "1280"


def test_cli_output_is_labelled_synthetic() -> None:
    out = subprocess.run([sys.executable, "-m", "jamlik", "demo"], capture_output=True, text=True, check=True).stdout
    assert "SYNTHETIC DATA" in out
    assert "Arboga" in out and "En god och jämlik hälsa".upper() in out
    assert out.rstrip().endswith("Källa: Kolada (CC BY 4.0), geografi 2026-03-23")
    out2 = subprocess.run([sys.executable, "-m", "jamlik", "demo", "--municipality", "Stockholm"],
                          capture_output=True, text=True, check=True).stdout
    assert "Stockholm (0180)" in out2
    bad = subprocess.run([sys.executable, "-m", "jamlik", "demo", "--municipality", "Atlantis"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Atlantis" in bad.stderr


def test_geography_against_shared_reference() -> None:
    path = shared_path("reference", "kolada", "municipalities.csv")
    geo = datasets.geography().set_index("area")
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(geo) == 312
    for r in rows:
        a = geo.loc[r["id"]]
        assert a["name"] == r["title"]
        assert ("" if pd.isna(a["skr_group_code"]) else a["skr_group_code"]) == r["skr_group_code"]
        assert ("" if pd.isna(a["similar_group_id"]) else a["similar_group_id"]) == r["similar_socioeconomic_group_id"]
    assert geo.attrs["source"] == "Källa: Kolada"


def test_polars_frames_in_and_out() -> None:
    pl = pytest.importorskip("polars")
    p = datasets.demo(backend="polars")
    f = report.follow_up("1984", p, synthetic=True)
    assert isinstance(f, pl.DataFrame) and f.height > 0 and f.columns[:3] == ["area", "goal", "indicator"]
    c = goals.compare_areas(p, kpi="N15428", municipality="1984", year=2023)
    assert isinstance(c, pl.DataFrame) and c.height == 6
    a = goals.assess(p, goal="G2", municipality="1984")
    assert isinstance(a, pl.DataFrame)
    g = report.gaps("1984", p)
    assert isinstance(g, pl.DataFrame) and g.height > 0
    pa = pytest.importorskip("pyarrow")
    t = datasets.demo(backend="pyarrow")
    assert isinstance(t, pa.Table) and t.column_names[:5] == ["kpi", "area", "year", "sex", "value"]
    assert isinstance(report.follow_up("1984", t), pa.Table)
    assert isinstance(datasets.geography(backend="pyarrow"), pa.Table)
    assert isinstance(datasets.kolada_sample(backend="pyarrow"), pa.Table)
    with pytest.raises(jamlik.InvalidArgumentError, match="backend"):
        datasets.demo(backend="arrow")
    cat = goals.catalogue(backend="polars")
    assert isinstance(cat, pl.DataFrame)


def test_follow_up_at_year(demo: pd.DataFrame) -> None:
    f = report.follow_up("0180", demo, at=2022)
    assert f["year"].max() == 2022
    text = report.format_follow_up(f)
    assert "Stockholm (0180)" in text and "SYNTHETIC DATA" in text
