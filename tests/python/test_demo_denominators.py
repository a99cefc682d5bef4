"""The demo dataset carries its denominators: counts, populations, SEs and limits
computed by jamlik's own indicator statistics, so that HEAT CIs, Wilson intervals,
funnels and rank intervals work on it out of the box."""

from __future__ import annotations

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import datasets, heat, indicators

#: The count KPIs and their multipliers (shares in per cent, fall injuries per 100 000).
COUNT_KPIS = {"N80401": 100.0, "N15428": 100.0, "N20434": 100_000.0, "N00973": 100.0, "U01901": 100.0,
              "U21468": 100.0, "N33871": 100.0, "U01425": 100.0}


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return datasets.demo()


def test_value_is_count_over_population_for_count_kpis(demo: pd.DataFrame) -> None:
    published = demo[demo["value"].notna()]
    counts = published[published["kpi"].isin(list(COUNT_KPIS))]
    assert len(counts) > 50_000
    mult = counts["kpi"].map(COUNT_KPIS).to_numpy()
    np.testing.assert_allclose(counts["value"], counts["count"] / counts["population"] * mult, rtol=1e-12)
    assert (counts["count"] == np.round(counts["count"])).all()
    shares = counts[counts["kpi"] != "N20434"]
    assert (shares["count"] <= shares["population"]).all()
    # Life expectancy and the primary-care score are not counts.
    others = published[~published["kpi"].isin(list(COUNT_KPIS))]
    assert others[["count", "population", "se", "lower", "upper"]].isna().all().all()
    # Unpublished cells have no count and n = 0 (Kolada's count of values).
    assert demo.loc[demo["value"].isna(), "count"].isna().all()
    assert set(demo.loc[demo["value"].isna(), "n"]) == {0}
    assert set(published["n"]) == {1}


def test_regions_and_nation_sum_their_municipalities(demo: pd.DataFrame) -> None:
    geo = datasets.geography()
    munis = geo[geo["kind"] == "municipality"]
    sub = demo[(demo["kpi"] == "N15428") & (demo["year"] == 2022) & (demo["sex"] == "K")].set_index("area")
    nation = sub.loc["0000"]
    assert sub.loc[munis["area"], "count"].sum() == nation["count"]
    assert sub.loc[munis["area"], "population"].sum() == nation["population"]
    # Plausible sizes: grade-9 pupils are about 1 % of a municipality's population.
    pop = datasets.demo_population()
    pop = pop[(pop["year"] == 2022) & (pop["sex"] == "K")].set_index("area")["population"]
    share = sub.loc[munis["area"], "population"] / pop.loc[munis["area"]]
    assert share.between(0.009, 0.013).all()


@pytest.mark.parametrize("kpi", ["N15428", "N20434"])
def test_limits_are_jamliks_own_statistics(demo: pd.DataFrame, kpi: str) -> None:
    sub = demo[(demo["kpi"] == kpi) & (demo["year"] == 2023) & demo["value"].notna()].reset_index(drop=True)
    fn = indicators.rate if kpi == "N20434" else indicators.proportion
    res = fn("count", "population", data=sub, multiplier=COUNT_KPIS[kpi])
    np.testing.assert_allclose(res["lower"], sub["lower"], rtol=1e-12)
    np.testing.assert_allclose(res["upper"], sub["upper"], rtol=1e-12)
    np.testing.assert_allclose(res["value"], sub["value"], rtol=1e-12)
    assert (sub["lower"] <= sub["value"]).all() and (sub["value"] <= sub["upper"]).all()
    assert (sub["se"] > 0).all()


def test_heat_wilson_funnels_and_rank_intervals_work_on_the_demo(demo: pd.DataFrame) -> None:
    geo = datasets.geography()
    county = geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["area"]
    sub = demo[(demo["kpi"] == "N15428") & (demo["year"] == 2023) & (demo["sex"] == "T")
               & demo["area"].isin(county)].reset_index(drop=True)
    assert len(sub) == 10
    # HEAT: a CI from the municipalities' SEs.
    e = heat.idisw(sub["value"], se=sub["se"], population=sub["population"], scale=100)
    assert np.isfinite(e.lower) and np.isfinite(e.upper) and e.lower <= e.value <= e.upper
    # Wilson intervals per municipality.
    w = indicators.proportion("count", "population", data=sub, by="area", multiplier=100)
    assert (w["method"] == "Wilson").all() and len(w) == 10
    # Funnels and rank intervals over the whole long frame in one call each.
    long = demo[demo["kpi"].isin(["N15428", "N00973"]) & (demo["year"] >= 2022)].reset_index(drop=True)
    flags = indicators.funnel_flags(long, by=["kpi", "year", "sex"], missing="drop")
    have = flags["significance"].notna()
    assert have.sum() == long["count"].notna().sum()
    assert set(flags.loc[have, "significance"]) <= {"High (0.001)", "High (0.025)", "Not significant",
                                                    "Low (0.025)", "Low (0.001)"}
    munis = long[long["area"].isin(geo.loc[geo["kind"] == "municipality", "area"])].reset_index(drop=True)
    ranks = indicators.rank_intervals(munis, by=["kpi", "year", "sex"], missing="drop")
    ok = ranks["rank"].notna()
    assert ok.sum() == munis["se"].notna().sum()
    assert (ranks.loc[ok, "rank_lower"] <= ranks.loc[ok, "rank_upper"]).all()
    assert ranks.loc[ok, "rank_upper"].max() <= 290


def test_demo_stays_seeded_and_labelled(demo: pd.DataFrame) -> None:
    again = datasets.demo()
    pd.testing.assert_frame_equal(demo, again)
    assert again.attrs["synthetic"] is True and "SYNTHETIC" in again.attrs["label"]
    other = datasets.demo(seed=1)
    assert not np.array_equal(other["count"].to_numpy(), demo["count"].to_numpy(), equal_nan=True)
    assert jamlik.datasets.is_synthetic(demo)
