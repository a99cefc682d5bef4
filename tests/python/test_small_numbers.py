"""Small numbers: empirical-Bayes smoothing against spdep's EBest written in numpy
from the published formulas, rank intervals against a numpy simulation and by their
statistical properties, funnel flags against funnel_significance group by group."""

from __future__ import annotations

import jamlik
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from jamlik import datasets, indicators


def ebest(n: np.ndarray, x: np.ndarray, family: str) -> np.ndarray:
    """spdep's EBest: Marshall (1991) for "poisson", Martuzzi & Elliott (1996) for "binomial"."""
    p = n / x
    b = n.sum() / x.sum()
    s2 = np.sum(x * (p - b) ** 2) / x.sum()
    xbar = x.mean()
    if family == "poisson":
        a = max(s2 - b / xbar, 0.0)
        return b + a * (p - b) / (a + b / x)
    v = b * (1 - b)
    with np.errstate(divide="ignore", invalid="ignore"):  # a county where every share is 0
        rho = (x * s2 - (x / xbar) * v) / ((x - 1) * s2 + ((xbar - x) / xbar) * v)
        return rho * p + (1 - rho) * b  # type: ignore[no-any-return]


def _areas(seed: int = 3, k: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    population = rng.integers(20, 5000, k).astype(float)
    risk = rng.beta(8, 30, k)
    return pd.DataFrame({
        "area": [f"a{i}" for i in range(k)],
        "county": rng.choice(["01", "03", "12"], k),
        "count": rng.binomial(population.astype(int), risk).astype(float),
        "population": population,
        "expected": population * 0.2,
    })


@pytest.mark.parametrize(("statistic", "family", "denominator", "multiplier"), [
    ("proportion", "binomial", "population", 100.0),
    ("rate", "poisson", "population", 100_000.0),
    ("ratio", "poisson", "expected", 1.0),
])
def test_smoothing_equals_ebest(statistic: str, family: str, denominator: str, multiplier: float) -> None:
    df = _areas()
    out = indicators.smooth(df, statistic=statistic, expected="expected" if statistic == "ratio" else None)
    want = ebest(df["count"].to_numpy(), df[denominator].to_numpy(), family) * multiplier
    np.testing.assert_allclose(out["smoothed"], want, rtol=1e-12, atol=1e-12 * multiplier)
    np.testing.assert_allclose(out["value"], df["count"] / df[denominator] * multiplier, rtol=1e-13)
    assert list(out.columns[:5]) == list(df.columns)  # the raw frame is kept
    assert (out["shrinkage"].between(0, 1)).all()


def test_smoothing_toward_a_grouping_column() -> None:
    df = _areas()
    out = indicators.smooth(df, statistic="rate", toward="county", multiplier=1)
    for _, rows in df.groupby("county"):
        want = ebest(rows["count"].to_numpy(), rows["population"].to_numpy(), "poisson")
        np.testing.assert_allclose(out.loc[rows.index, "smoothed"], want, rtol=1e-12)
        np.testing.assert_allclose(out.loc[rows.index, "prior_mean"], rows["count"].sum() / rows["population"].sum(),
                                   rtol=1e-13)


def test_smoothing_truncates_a_negative_variance() -> None:
    df = pd.DataFrame({"count": [10.0, 20.0, 31.0], "population": [1000.0, 2000.0, 3000.0]})
    # The raw rates vary less than Poisson noise would: a < 0, truncated to 0.
    out = indicators.smooth(df, statistic="rate", multiplier=1)
    b = df["count"].sum() / df["population"].sum()
    s2 = np.sum(df["population"] * (df["count"] / df["population"] - b) ** 2) / df["population"].sum()
    assert s2 - b / df["population"].mean() < 0
    np.testing.assert_allclose(out["smoothed"], b, rtol=1e-14)
    assert (out["prior_variance"] == 0).all() and (out["shrinkage"] == 0).all()
    # spdep's beta-binomial has no truncation (its rho turns negative); jamlik shrinks fully.
    prop = indicators.smooth(df, statistic="proportion", multiplier=1)
    np.testing.assert_allclose(prop["smoothed"], b, rtol=1e-14)


def test_smoothing_on_the_demo_toward_the_county() -> None:
    demo = datasets.demo()
    geo = datasets.geography()[["area", "county_code", "kind"]]
    sub = demo[(demo["kpi"] == "N00973") & (demo["year"] == 2023) & (demo["sex"] == "T")].merge(geo, on="area")
    sub = sub[sub["kind"] == "municipality"].reset_index(drop=True)
    out = indicators.smooth(sub, toward="county_code")
    assert out["value"].equals(sub["value"])  # never replaced
    for _, rows in sub.groupby("county_code"):
        want = ebest(rows["count"].to_numpy(), rows["population"].to_numpy(), "binomial") * 100
        got = out.loc[rows.index, "smoothed"].to_numpy()
        if (out.loc[rows.index, "prior_variance"] > 0).all():
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-10)
    # Small municipalities move more than large ones.
    small = out["population"] < out["population"].quantile(0.25)
    large = out["population"] > out["population"].quantile(0.75)
    assert out.loc[small, "shrinkage"].mean() < out.loc[large, "shrinkage"].mean()


def test_rank_intervals_match_a_numpy_simulation() -> None:
    rng = np.random.default_rng(11)
    k = 30
    df = pd.DataFrame({"value": np.sort(rng.normal(50, 5, k)), "se": rng.uniform(0.5, 4, k)})
    draws = 4000
    out = indicators.rank_intervals(df, draws=draws, level=0.9)
    # Independent simulation (numpy's generator, so the draws differ: compare within one rank).
    y = df["value"].to_numpy() + df["se"].to_numpy() * rng.standard_normal((draws, k))
    ranks = 1 + (y[:, None, :] > y[:, :, None]).sum(axis=2)
    lo = np.quantile(ranks, 0.05, axis=0, method="inverted_cdf")
    hi = np.quantile(ranks, 0.95, axis=0, method="inverted_cdf")
    assert np.abs(out["rank_lower"] - lo).max() <= 1
    assert np.abs(out["rank_upper"] - hi).max() <= 1
    np.testing.assert_array_equal(out["rank"], np.arange(k, 0, -1))


def test_rank_interval_properties() -> None:
    k = 25
    df = pd.DataFrame({"value": np.linspace(0, 48, k), "se": np.full(k, 3.0), "g": ["x"] * k})
    a = indicators.rank_intervals(df)
    # Seeded: the same result twice; another seed other draws.
    pd.testing.assert_frame_equal(a, indicators.rank_intervals(df, seed=jamlik.DEFAULT_SEED))
    few = indicators.rank_intervals(df, draws=20)
    assert not indicators.rank_intervals(df, draws=20, seed=1)[["rank_lower", "rank_upper"]].equals(
        few[["rank_lower", "rank_upper"]])
    # Monotone: a higher value never has a worse interval (equal SEs; one rank of Monte Carlo slack).
    assert (np.diff(a["rank_lower"].to_numpy()) <= 1).all() and (np.diff(a["rank_upper"].to_numpy()) <= 1).all()
    assert (a["rank_lower"] <= a["rank"]).all() and (a["rank"] <= a["rank_upper"]).all()
    # direction="lower" ranks the other way.
    low = indicators.rank_intervals(df, direction="lower")
    np.testing.assert_array_equal(low["rank"], k + 1 - a["rank"])
    # Coverage: true values ranked from noisy estimates; the true rank falls in its 95 % interval
    # for most areas (rank intervals are conservative-to-nominal for well separated values).
    rng = np.random.default_rng(5)
    hits, total = 0, 0
    for rep in range(40):
        truth = np.linspace(0, 48, k)
        est = truth + 3.0 * rng.standard_normal(k)
        r = indicators.rank_intervals(pd.DataFrame({"value": est, "se": 3.0}), draws=500, seed=rep)
        true_rank = k - np.arange(k)
        hits += int(((r["rank_lower"] <= true_rank) & (true_rank <= r["rank_upper"])).sum())
        total += k
    assert hits / total > 0.9


def test_rank_intervals_by_group_and_frame_libraries() -> None:
    df = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 4, "value": [1.0, 5, 3, 4, 2, 9, 7, 8, 6],
                       "se": [0.5] * 9})
    out = indicators.rank_intervals(df, by="g")
    np.testing.assert_array_equal(out["rank"], [5, 1, 3, 2, 4, 1, 3, 2, 4])
    # The first group uses the first stream: alone it gives the same intervals.
    alone = indicators.rank_intervals(df[df["g"] == "a"])
    np.testing.assert_array_equal(out["rank_lower"][:5], alone["rank_lower"])
    pl_out = indicators.rank_intervals(pl.from_pandas(df), by="g")
    assert isinstance(pl_out, pl.DataFrame)
    np.testing.assert_array_equal(pl_out["rank_upper"].to_numpy(), out["rank_upper"])
    pa_out = indicators.rank_intervals(pa.Table.from_pandas(df), by="g")
    assert isinstance(pa_out, pa.Table) and "rank" in pa_out.column_names


def test_funnel_flags_equal_funnel_significance_per_group() -> None:
    df = _areas(k=45)
    out = indicators.funnel_flags(df, by="county")
    for _, rows in df.groupby("county"):
        want = indicators.funnel_significance(rows.reset_index(drop=True), statistic="proportion", count="count",
                                              population="population")
        assert list(out.loc[rows.index, "significance"]) == list(want["significance"])


def test_bad_input_is_a_jamlik_error_naming_the_argument() -> None:
    df = pd.DataFrame({"value": [1.0, 2.0], "se": [1.0, -1.0], "count": [5.0, 12.0], "population": [10.0, 10.0]})
    with pytest.raises(jamlik.JamlikError, match="`se`"):
        indicators.rank_intervals(df)
    with pytest.raises(jamlik.JamlikError, match="draws"):
        indicators.rank_intervals(df.assign(se=1.0), draws=0)
    with pytest.raises(jamlik.JamlikError, match="direction"):
        indicators.rank_intervals(df.assign(se=1.0), direction="up")
    with pytest.raises(jamlik.JamlikError, match=r"0\.95"):
        indicators.rank_intervals(df.assign(se=1.0), level=95)
    with pytest.raises(jamlik.JamlikError, match="`count`"):
        indicators.smooth(df)  # 12 out of 10
    with pytest.raises(jamlik.JamlikError, match="expected"):
        indicators.smooth(df, statistic="ratio")
    with pytest.raises(jamlik.JamlikError, match="drop"):
        indicators.smooth(df.assign(count=[np.nan, 1.0]))
    with pytest.raises(jamlik.ColumnError, match="sex"):
        indicators.funnel_flags(df.assign(count=[5.0, 6.0]), by="sex")
