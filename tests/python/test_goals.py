"""Goals area: catalogue, demo dataset, progress, gap closure, comparisons, follow-up, CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

import jamlik
from jamlik import datasets, goals, report


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return datasets.demo()


def test_demo_shape_and_label(demo: pd.DataFrame) -> None:
    assert list(demo.columns) == ["kpi", "municipality_id", "period", "gender", "value", "count", "status"]
    assert demo.attrs["synthetic"] is True
    assert "SYNTHETIC" in demo.attrs["label"]
    assert "Källa: Kolada" in demo.attrs["geography_credit"]
    cat_kpis = goals.load_catalogue(jamlik._jamlik.catalogue_json(), base=None).kpis()
    assert set(cat_kpis) <= set(demo["kpi"].unique())
    for kpi, sub in demo.groupby("kpi"):
        assert len(sub) == 312 * 14 * 3, kpi
        assert sub["municipality_id"].nunique() == 312
        assert sorted(sub["period"].unique()) == list(range(2010, 2024))
        assert set(sub["gender"]) == {"T", "K", "M"}
    assert not demo.duplicated(["kpi", "municipality_id", "period", "gender"]).any()
    # Unpublished cells have a status, published ones none.
    assert (demo.loc[demo["value"].isna(), "status"] != "").all()
    assert (demo.loc[demo["value"].notna(), "status"] == "").all()
    # Region-only KPI: no municipality values.
    caries = demo[(demo["kpi"] == "N80401") & (demo["municipality_id"] == "1984")]
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
    munis = geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["id"]
    v = demo[(demo["kpi"] == "N15428") & (demo["period"] == 2020) & (demo["gender"] == "K")].set_index("municipality_id")["value"]
    w = pop[(pop["period"] == 2020) & (pop["gender"] == "K")].set_index("municipality_id")["population"]
    want = (v[munis] * w[munis]).sum() / w[munis].sum()
    assert v["0019"] == pytest.approx(want, rel=1e-12)


def test_catalogue_frame_and_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cat = goals.catalogue()
    assert {"G1", "G2", "G3", "G4"} <= set(cat["goal_id"])
    g3 = cat[cat["goal_id"] == "G3"].iloc[0]
    assert g3["target_value"] == -10.0 and g3["target_unit"] == "per1000" and g3["kpis"] == "N20434"
    assert (cat[cat["goal_id"].isin(["G1", "G2", "G3", "G4"])]["confidence"] == "high").all()
    assert "22" in cat.attrs["note"]
    local = {
        "name": "Arboga",
        "goals": [{
            "id": "G2", "area": "god_och_jamlik_halsa", "title": "Fler behöriga (lokalt mål +3 pp)",
            "indicators": [{"kpi": "N15428", "title": "Behöriga", "unit": "%", "direction": "higher_is_better",
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
    out = goals.assess(s, direction="higher_is_better", target=60.0, target_year=2025)
    row = out.iloc[0]
    assert row["category"] == "moderate progress"
    assert row["cagr"] == pytest.approx(1.1 ** 0.2 - 1, rel=1e-12)
    assert row["ratio"] == pytest.approx((1.1 ** 0.2 - 1) / (1.2 ** (1 / 7) - 1), rel=1e-12)
    un = goals.assess({2015 + i: 50.0 + i for i in range(6)}, direction="higher_is_better", method="un",
                      target=60.0, target_year=2025)
    assert un.iloc[0]["ratio"] == pytest.approx(1.05, rel=1e-12)
    assert un.iloc[0]["category"] == "on track"
    with pytest.raises(jamlik.DomainError):
        goals.assess({2018: 0.0, 2023: 1.0}, direction="higher_is_better")
    with pytest.raises(jamlik.TooFewError):
        goals.assess({2022: 1.0, 2023: 1.0}, direction="higher_is_better")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(s, direction="sideways")


def test_assess_goal_on_demo(demo: pd.DataFrame) -> None:
    out = goals.assess(demo, "G2", municipality="Arboga", gender="K")
    assert list(out["method"]) == ["skr_change", "eurostat_short", "eurostat_long", "un_progress_chart"]
    assert out["text"].str.len().min() > 10
    le = goals.assess(demo, "G6", kpi="N00923", municipality="0180")
    assert le.iloc[0]["method"] == "skr_change"
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(demo, "G6", municipality="0180")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(demo, "G99", municipality="0180")
    with pytest.raises(jamlik.InvalidArgumentError):
        goals.assess(demo, "G2")  # many series: must select one


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


def test_compare_and_women_vs_men(demo: pd.DataFrame) -> None:
    c = goals.compare(demo, "N15428", "Arboga", 2023)
    assert list(c["comparison"])[:4] == ["municipality", "region", "county municipalities (mean)", "nation"]
    sim = c.set_index("comparison").loc["similar municipalities (mean)"]
    assert sim["n"] == 7
    geo = datasets.geography().set_index("id")
    members = geo.loc["1984", "similar_ids"].split(";")
    d = demo[(demo["kpi"] == "N15428") & (demo["period"] == 2023) & (demo["gender"] == "T")].set_index("municipality_id")
    assert sim["value"] == pytest.approx(d.loc[members, "value"].mean(), rel=1e-12)
    g = goals.women_vs_men(demo, "N00925", "0180", 2020)
    assert g is not None and g["women"] > g["men"] and g["better_off"] == 1
    assert goals.women_vs_men(demo, "U01901", "0180", 2020) is None


def test_follow_up_frame(demo: pd.DataFrame) -> None:
    f = report.follow_up("Arboga", demo)
    assert f.attrs["synthetic"] is True and f.attrs["municipality"] == "1984"
    assert "Källa: Kolada" in f.attrs["credit"]
    assert set(f["goal_id"]) >= {"G1", "G2", "G3", "G4"}
    assert (f.loc[f["kpi"] == "N80401", "shown_area"] == "0019").all()
    g2 = f[(f["goal_id"] == "G2") & (f["sex"] == "T")].iloc[0]
    assert g2["change"] == pytest.approx(g2["latest"] - g2["baseline"])
    assert "<table" in f._repr_html_()
    # Real-data path: a plain frame without attrs is not labelled synthetic.
    plain = demo.copy()
    plain.attrs = {}
    assert report.follow_up("1984", plain).attrs["synthetic"] is False
    with pytest.raises(jamlik.InvalidArgumentError):
        report.follow_up("Atlantis")


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
    geo = datasets.geography().set_index("id")
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(geo) == 312
    for r in rows:
        a = geo.loc[r["id"]]
        assert a["title"] == r["title"]
        assert ("" if pd.isna(a["skr_group_code"]) else a["skr_group_code"]) == r["skr_group_code"]
        assert ("" if pd.isna(a["similar_group_id"]) else a["similar_group_id"]) == r["similar_socioeconomic_group_id"]
    assert geo.attrs["source"] == "Källa: Kolada"


def test_polars_frames_in_and_out() -> None:
    pl = pytest.importorskip("polars")
    p = datasets.demo(backend="polars")
    f = report.follow_up("1984", p, synthetic=True)
    assert f.attrs["synthetic"] is True and len(f) > 0
    c = goals.compare(p, "N15428", "1984", 2023)
    assert isinstance(c, pl.DataFrame) and c.height == 6
    a = goals.assess(p, "G2", municipality="1984")
    assert isinstance(a, pl.DataFrame)
    cat = goals.catalogue(backend="polars")
    assert isinstance(cat, pl.DataFrame)


def test_follow_up_at_year(demo: pd.DataFrame) -> None:
    f = report.follow_up("0180", demo, at=2022)
    assert f["latest_year"].max() == 2022
    text = report.format_follow_up(f)
    assert "Stockholm (0180)" in text and "SYNTHETIC DATA" in text
