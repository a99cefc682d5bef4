"""jamlik.plot draws what jamlik computes: the plotted data equal the frame's numbers and the
library's own results, the texts follow `lang`, bad input names the argument, and a missing
matplotlib names the extra. A few charts are also compared with PNG baselines (tolerance).

Regenerate the baselines (after a deliberate change of look) with
``JAMLIK_UPDATE_BASELINES=1 pytest tests/python/test_plot.py -k image``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import jamlik
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import polars as pl
import pytest
from jamlik import datasets, goals, heat, indicators, plot, report
from matplotlib.colors import to_hex

BASELINES = Path(__file__).resolve().parent / "baseline_images"
DEMO = datasets.demo()
KPI = "N15428"  # grade-9 pupils eligible for upper secondary school (%), higher is better


@pytest.fixture(autouse=True)
def _close() -> Any:
    yield
    plt.close("all")


def _with_ci(demo: pd.DataFrame) -> pd.DataFrame:
    """The demo with count, population and Wilson limits for KPI (made here with jamlik's own
    proportion when the demo does not carry them yet)."""
    if {"lower", "upper", "population"} <= set(demo.columns) and demo.loc[demo["kpi"] == KPI, "lower"].notna().any():
        return demo
    df = demo.copy()
    rows = (df["kpi"] == KPI) & df["value"].notna()
    population = np.where(df["area"] == "0000", 100000.0, 150.0 + (df["area"].str[-2:].astype(int) * 13) % 300)
    count = np.round(df["value"].to_numpy() / 100 * population)
    df["population"] = np.where(rows, population, np.nan)
    df["count"] = np.where(rows, count, np.nan)
    est = indicators.proportion(count[rows], population[rows], multiplier=100)
    df["value"] = df["value"].astype(float)
    df.loc[rows, "value"] = est["value"].to_numpy()
    df["lower"] = np.nan
    df["upper"] = np.nan
    df.loc[rows, "lower"] = est["lower"].to_numpy()
    df.loc[rows, "upper"] = est["upper"].to_numpy()
    df.attrs.update(demo.attrs)
    return df


CI = _with_ci(DEMO)
#: The demo without intervals (plain lines, points not compared).
PLAIN = DEMO.drop(columns=["lower", "upper"], errors="ignore")


def _by_gid(ax: Any, gid: str) -> list[Any]:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _series(df: pd.DataFrame, kpi: str, area: str, sex: str = "T") -> pd.DataFrame:
    s = df[(df["kpi"] == kpi) & (df["area"] == area) & (df["sex"] == sex) & df["value"].notna()]
    return s.sort_values("year")


# --- trend ----------------------------------------------------------------------------------


def test_trend_draws_the_municipality_and_its_comparators() -> None:
    ax = plot.trend(PLAIN, municipality="Arboga", indicator=KPI)
    own = _series(DEMO, KPI, "1984")
    line = _by_gid(ax, "jamlik-area")[0]
    np.testing.assert_array_equal(line.get_xdata(), own["year"].to_numpy())
    np.testing.assert_allclose(line.get_ydata(), own["value"].to_numpy())
    nation = _series(DEMO, KPI, "0000")
    np.testing.assert_allclose(_by_gid(ax, "jamlik-nation")[0].get_ydata(), nation["value"].to_numpy())
    county = _series(DEMO, KPI, "0019")
    np.testing.assert_allclose(_by_gid(ax, "jamlik-county")[0].get_ydata(), county["value"].to_numpy())
    similar = goals.compare_areas(DEMO, kpi=KPI, municipality="Arboga", year=2015)
    want = similar.loc[similar["comparison"] == "similar municipalities (mean)", "value"].iloc[0]
    got = _by_gid(ax, "jamlik-similar")[0].get_ydata()[list(own["year"]).index(2015)]
    assert got == pytest.approx(want)
    # No interval: no band, points not compared.
    assert not _by_gid(ax, "jamlik-ci-band")
    assert _by_gid(ax, "jamlik-points-not-compared")
    assert any(t.get_text() == "SYNTHETIC DATA" for t in ax.texts)


def test_trend_target_is_the_goals_target() -> None:
    ax = plot.trend(DEMO, municipality="Arboga", indicator=KPI)
    a = goals.assess(DEMO, goal="G2", municipality="Arboga")
    skr = a[a["method"] == "skr_change"].iloc[0]
    star = _by_gid(ax, "jamlik-target")[0]
    assert star.get_xdata()[0] == skr["target_year"]
    assert star.get_ydata()[0] == pytest.approx(skr["target_value"])
    # A direction-only goal draws the target year only.
    ax = plot.trend(DEMO, municipality="Arboga", indicator="U01901")
    assert _by_gid(ax, "jamlik-target-year") and not _by_gid(ax, "jamlik-target")


def test_trend_band_and_significance_from_lower_and_upper() -> None:
    ax = plot.trend(CI, municipality="Arboga", indicator=KPI, significance="nation")
    own = _series(CI, KPI, "1984")
    band = _by_gid(ax, "jamlik-ci-band")[0]
    vertices = band.get_paths()[0].vertices
    for year, lo, hi in zip(own["year"], own["lower"], own["upper"]):
        at = vertices[np.isclose(vertices[:, 0], year)][:, 1]
        assert np.any(np.isclose(at, lo)) and np.any(np.isclose(at, hi)), year
    nation = _series(CI, KPI, "0000").set_index("year")["value"]
    for cat, colour in (("better", plot.SIGNIFICANCE_COLOURS["better"]), ("worse", plot.SIGNIFICANCE_COLOURS["worse"]),
                        ("similar", plot.SIGNIFICANCE_COLOURS["similar"])):
        want = own[[(lo > nation[y]) if cat == "better" else (hi < nation[y]) if cat == "worse"
                    else (lo <= nation[y] <= hi) for y, lo, hi in zip(own["year"], own["lower"], own["upper"])]]
        pts = _by_gid(ax, f"jamlik-points-{cat}")
        if want.empty:
            assert not pts
            continue
        offsets = pts[0].get_offsets()
        np.testing.assert_array_equal(np.asarray(offsets[:, 0]), want["year"].to_numpy())
        assert to_hex(pts[0].get_facecolor()[0]).upper() == colour.upper()


def test_trend_speaks_swedish_and_english() -> None:
    en = plot.trend(DEMO, municipality="Arboga", indicator=KPI, lang="en")
    sv = plot.trend(DEMO, municipality="Arboga", indicator=KPI, lang="sv")
    en_legend = [t.get_text() for t in en.get_legend().get_texts()]
    sv_legend = [t.get_text() for t in sv.get_legend().get_texts()]
    assert "Sweden" in en_legend and "Riket" in sv_legend
    assert "similar municipalities (mean)" in en_legend and "liknande kommuner (medel)" in sv_legend
    assert en.get_xlabel() == "year" and sv.get_xlabel() == "år"
    assert "eligible" in en.get_title(loc="left") and "behöriga" in sv.get_title(loc="left")
    assert any(t.get_text() == "SYNTETISKA DATA" for t in sv.texts)
    assert "compared with Sweden" in en.get_legend().get_title().get_text()
    assert "jämfört med Riket" in sv.get_legend().get_title().get_text()


def test_significance_categories_are_translated() -> None:
    ax = plot.trend(CI, municipality="Arboga", indicator=KPI, lang="sv")
    texts = {t.get_text() for t in ax.get_legend().get_texts()}
    assert texts & {"bättre", "likvärdig", "sämre"}
    assert not texts & {"better", "similar", "worse"}
    # Without a direction: higher / similar / lower.
    nodir = CI.assign(kpi=CI["kpi"].replace({KPI: "X00001"}))
    ax = plot.trend(nodir, municipality="Arboga", indicator="X00001", lang="sv", target=False)
    texts = {t.get_text() for t in ax.get_legend().get_texts()}
    assert texts & {"högre", "likvärdig", "lägre"} and not texts & {"bättre", "sämre"}


def test_trend_takes_an_axes_and_any_frame_library() -> None:
    _, (left, right) = plt.subplots(1, 2)
    before = plt.get_fignums()
    out = plot.trend(pl.from_pandas(DEMO), municipality=1984, indicator=KPI, ax=right)
    assert out is right and plt.get_fignums() == before
    assert len(_by_gid(right, "jamlik-area")) == 1 and not _by_gid(left, "jamlik-area")
    # polars frames have no attrs: synthetic=True labels them.
    assert not any(t.get_text() == "SYNTHETIC DATA" for t in right.texts)
    ax = plot.trend(pl.from_pandas(DEMO), municipality="Arboga", indicator=KPI, synthetic=True)
    assert any(t.get_text() == "SYNTHETIC DATA" for t in ax.texts)


def test_real_kolada_data_is_credited() -> None:
    sample = datasets.kolada_sample()
    ax = plot.trend(sample, municipality="Arboga", indicator="N00300", comparators=(), significance=None)
    assert any(t.get_text() == "Source: Kolada (CC BY 4.0)" for t in ax.texts)
    assert not any("SYNTHETIC" in t.get_text() for t in ax.texts)


@pytest.mark.parametrize(
    "kwargs, culprit",
    [
        ({"lang": "de"}, "lang"),
        ({"indicator": "N15248"}, "indicator"),
        ({"municipality": "Arbgoa"}, "Arboga"),
        ({"comparators": ("county", "world")}, "comparators"),
        ({"significance": "world"}, "significance"),
        ({"sex": "W"}, "sex"),
        ({"level": 95}, "0.95"),
    ],
)
def test_trend_bad_input_names_the_argument(kwargs: dict[str, Any], culprit: str) -> None:
    args = {"municipality": "Arboga", "indicator": KPI, **kwargs}
    with pytest.raises(jamlik.JamlikError) as info:
        plot.trend(DEMO, **args)
    assert culprit in str(info.value), str(info.value)


def test_unknown_indicator_suggests_the_nearest() -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="did you mean N15428"):
        plot.trend(DEMO, municipality="Arboga", indicator="N15248")


def test_a_region_only_indicator_says_so() -> None:
    with pytest.raises(jamlik.InvalidArgumentError) as info:
        plot.trend(DEMO, municipality="Arboga", indicator="N80401")
    assert "municipality" in str(info.value) and "region" in str(info.value)


# --- women vs men ---------------------------------------------------------------------------


def test_women_vs_men_lines_and_projection_come_from_goals() -> None:
    ax = plot.women_vs_men(DEMO, municipality="Arboga", indicator="N00925")
    women = _by_gid(ax, "jamlik-women")[0]
    men = _by_gid(ax, "jamlik-men")[0]
    years = women.get_xdata()
    for i in (0, len(years) - 1):
        r = goals.women_vs_men(DEMO, kpi="N00925", municipality="Arboga", year=int(years[i])).iloc[0]
        assert women.get_ydata()[i] == pytest.approx(r["women"])
        assert men.get_ydata()[i] == pytest.approx(r["men"])
    gap = np.asarray(women.get_ydata()) - np.asarray(men.get_ydata())
    closure = goals.gap_closure((np.asarray(years, dtype=float), gap)).iloc[0]
    twin = next(a for a in ax.figure.axes if a is not ax)
    proj = _by_gid(twin, "jamlik-gap-projection")[0]
    xs, ys = np.asarray(proj.get_xdata()), np.asarray(proj.get_ydata())
    np.testing.assert_allclose(ys, closure["fitted_latest_gap"] + closure["slope"] * (xs - closure["last_year"]))
    np.testing.assert_allclose(_by_gid(twin, "jamlik-gap")[0].get_ydata(), gap)
    sv = plot.women_vs_men(DEMO, municipality="Arboga", indicator="N15428", lang="sv", projection=False)
    assert {t.get_text() for t in sv.get_legend().get_texts()} == {"kvinnor", "män"}


def test_women_vs_men_of_an_indicator_not_split_by_sex() -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="indicator"):
        plot.women_vs_men(DEMO, municipality="Arboga", indicator="U01901")


# --- compare areas --------------------------------------------------------------------------


def test_compare_areas_bars_are_the_county_sorted() -> None:
    ax = plot.compare_areas(DEMO, indicator=KPI, county="19", highlight="Arboga")
    geo = datasets.geography()
    areas = geo[(geo["kind"] == "municipality") & (geo["county_code"] == "19")]["area"]
    latest = int(DEMO[DEMO["kpi"] == KPI]["year"].max())
    want = DEMO[(DEMO["kpi"] == KPI) & (DEMO["sex"] == "T") & (DEMO["year"] == latest) & DEMO["area"].isin(areas)]
    bars = _by_gid(ax, "jamlik-bar")
    np.testing.assert_allclose([b.get_width() for b in bars], np.sort(want["value"].to_numpy()))
    nation = goals.compare_areas(DEMO, kpi=KPI, municipality="Arboga", year=latest)
    line = _by_gid(ax, "jamlik-comparator")[0]
    assert line.get_xdata()[0] == pytest.approx(nation.loc[nation["comparison"] == "nation", "value"].iloc[0])
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Arboga"]
    # The same county by name.
    ax2 = plot.compare_areas(DEMO, indicator=KPI, county="Västmanland", lang="sv")
    assert [b.get_width() for b in _by_gid(ax2, "jamlik-bar")] == [b.get_width() for b in bars]
    assert "kommuner i Region Västmanland" in ax2.get_title(loc="left")


def test_compare_areas_error_bars_and_similar_group() -> None:
    ax = plot.compare_areas(CI, indicator=KPI, similar_to="Arboga", comparator="similar", year=2020)
    geo = datasets.geography().set_index("area")
    group = ["1984", *geo.at["1984", "similar_areas"].split(";")]
    rows = CI[(CI["kpi"] == KPI) & (CI["sex"] == "T") & (CI["year"] == 2020) & CI["area"].isin(group)]
    rows = rows.sort_values("value")
    np.testing.assert_allclose([b.get_width() for b in _by_gid(ax, "jamlik-bar")], rows["value"].to_numpy())
    segments = _by_gid(ax, "jamlik-ci")[0].get_segments()
    np.testing.assert_allclose([s[0][0] for s in segments], rows["lower"].to_numpy())
    np.testing.assert_allclose([s[1][0] for s in segments], rows["upper"].to_numpy())


@pytest.mark.parametrize(
    "kwargs, culprit",
    [
        ({"county": "Arboga"}, "county"),
        ({"county": "77"}, "county"),
        ({"county": "19", "similar_to": "Arboga"}, "similar_to"),
        ({"county": "19", "highlight": "Stockholm"}, "highlight"),
        ({"county": "19", "comparator": "world"}, "comparator"),
        ({"county": "19", "lang": "fi"}, "lang"),
    ],
)
def test_compare_areas_bad_input(kwargs: dict[str, Any], culprit: str) -> None:
    with pytest.raises(jamlik.JamlikError) as info:
        plot.compare_areas(DEMO, indicator=KPI, **kwargs)
    assert culprit in str(info.value), str(info.value)


# --- spine and overview ---------------------------------------------------------------------


def test_spine_places_the_municipality_in_the_national_distribution() -> None:
    ax = plot.spine(DEMO, municipality="Arboga")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    row = next(i for i, t in enumerate(labels) if KPI in t)
    geo = datasets.geography()
    munis = geo[geo["kind"] == "municipality"]["area"]
    rows = DEMO[(DEMO["kpi"] == KPI) & (DEMO["sex"] == "T") & DEMO["value"].notna()]
    now = rows[rows["year"] == rows["year"].max()]
    dist = now[now["area"].isin(munis)]["value"].to_numpy()
    med = np.median(dist)
    half = max(dist.max() - med, med - dist.min())
    own = now[now["area"] == "1984"]["value"].iloc[0]
    x = _by_gid(ax, "jamlik-spine-area")[0].get_offsets()[row, 0]
    assert x == pytest.approx((own - med) / half)
    assert f"{own:.3g}" in [t.get_text() for t in ax.texts]
    # Fewer fall injuries (lower is better): the best is on the right, so the scale flips.
    fall = next(i for i, t in enumerate(labels) if "N20434" in t)
    f = DEMO[(DEMO["kpi"] == "N20434") & (DEMO["sex"] == "T") & DEMO["value"].notna()]
    f = f[f["year"] == f["year"].max()]
    d = f[f["area"].isin(munis)]["value"].to_numpy()
    m = np.median(d)
    h = max(d.max() - m, m - d.min())
    v = f[f["area"] == "1984"]["value"].iloc[0]
    assert _by_gid(ax, "jamlik-spine-area")[0].get_offsets()[fall, 0] == pytest.approx(-(v - m) / h)
    sv = plot.spine(DEMO, municipality="Arboga", lang="sv")
    assert {"värde", "antal", "trend"} <= {t.get_text() for t in sv.texts}


def test_overview_cells_are_coloured_by_follow_up_progress() -> None:
    ax = plot.overview(DEMO, municipalities=["Arboga", "Köping"], lang="sv")
    for name, area in (("Arboga", "1984"), ("Köping", "1983")):
        f = report.follow_up(name, DEMO)
        for _, r in f[f["sex"] == "T"].iterrows():
            cell = _by_gid(ax, f"jamlik-cell:{area}:{r['indicator']}:T")
            assert len(cell) == 1
            assert to_hex(cell[0].get_facecolor()).upper() == plot.PROGRESS_COLOURS[r["progress"]].upper()
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend <= {"målet nått", "förbättrat, målet ej nått", "oförändrat", "försämrat", "värde saknas"}
    with pytest.raises(jamlik.InvalidArgumentError, match="colour_by"):
        plot.overview(DEMO, municipalities=["Arboga"], colour_by="rainbow")
    with pytest.raises(jamlik.InvalidArgumentError, match="county"):
        plot.overview(DEMO)


# --- funnel ---------------------------------------------------------------------------------


def _areas() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    geo = datasets.geography()
    df = pd.DataFrame({"area": geo[geo["kind"] == "municipality"]["area"].to_numpy()[:40]})
    df["population"] = rng.integers(800, 60000, len(df)).astype(float)
    df["count"] = rng.binomial(df["population"].astype(int), 0.1 * rng.lognormal(0, 0.2, len(df))).astype(float)
    return df


def test_funnel_limits_points_and_outliers() -> None:
    areas = _areas()
    ax = plot.funnel(areas, lang="sv")
    limits = indicators.funnel_limits(areas, statistic="proportion", count="count", population="population",
                                      multiplier=100)
    for level in (0.95, 0.998):
        lim = limits[np.isclose(limits["level"], level)]
        np.testing.assert_allclose(_by_gid(ax, f"jamlik-upper-{level:g}")[0].get_ydata(), lim["upper"])
        np.testing.assert_allclose(_by_gid(ax, f"jamlik-lower-{level:g}")[0].get_ydata(), lim["lower"])
        np.testing.assert_allclose(_by_gid(ax, f"jamlik-upper-{level:g}")[0].get_xdata(), lim["population"])
    drawn = np.concatenate([c.get_offsets() for c in ax.collections if str(c.get_gid()).startswith("jamlik-points")])
    want = np.column_stack([areas["population"], areas["count"] / areas["population"] * 100])
    np.testing.assert_allclose(np.sort(drawn[:, 1]), np.sort(want[:, 1]))
    flags = indicators.funnel_significance(areas, statistic="proportion", count="count", population="population")
    outliers = {jamlik.plot._data.area_name(a) for a, f in zip(areas["area"], flags["significance"]) if "0.001" in f}
    labelled = {t.get_text() for t in ax.texts if t.get_gid() == "jamlik-outlier-label"}
    assert labelled and labelled <= outliers and len(labelled) == min(len(outliers), 8)
    assert ax.get_ylabel() == "andel (%)"
    with pytest.raises(jamlik.InvalidArgumentError, match="statistic"):
        plot.funnel(areas, statistic="ratio")
    with pytest.raises(jamlik.ColumnError, match="pop"):
        plot.funnel(areas, population="pop")


def test_funnel_of_rates() -> None:
    areas = _areas()
    ax = plot.funnel(areas, statistic="rate")
    limits = indicators.funnel_limits(areas, statistic="rate", count="count", population="population",
                                      multiplier=100000)
    lim = limits[np.isclose(limits["level"], 0.95)]
    np.testing.assert_allclose(_by_gid(ax, "jamlik-upper-0.95")[0].get_ydata(), lim["upper"])
    assert ax.get_ylabel() == "rate per 100\u2009000"


# --- HEAT and microdata ---------------------------------------------------------------------


def _heat_years() -> pd.DataFrame:
    e = heat.example()
    e = e[e["dimension"] == "income quintile"]
    frames = []
    for i, year in enumerate((2019, 2021, 2023)):
        f = e.copy()
        f["year"] = year
        f["setting"] = "Län A"
        f["estimate"] = f["estimate"] + 0.5 * i * (f["subgroup_order"] - 3)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def test_equiplot_dots_are_the_estimates() -> None:
    frame = _heat_years()
    ax = plot.equiplot(frame)
    for _, r in frame.iterrows():
        dots = _by_gid(ax, f"jamlik-equiplot:Län A|{r['year']}:{r['subgroup']}")
        assert len(dots) == 1 and dots[0].get_offsets()[0, 0] == pytest.approx(r["estimate"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == list(frame["subgroup"].unique())  # in subgroup order
    sv = plot.equiplot(heat.example(), setting="dimension", year=None, lang="sv")
    assert sv.get_xlabel() == "skattning"
    with pytest.raises(jamlik.ColumnError, match="setting"):
        plot.equiplot(heat.example())


def test_summary_trend_lines_are_heat_summary() -> None:
    summary = heat.summary(_heat_years(), by="year")
    ax = plot.summary_trend(summary)
    sii = summary[summary["measure"] == "sii"].sort_values("year")
    np.testing.assert_allclose(_by_gid(ax, "jamlik-measure-sii")[0].get_ydata(), sii["value"])
    twin = next(a for a in ax.figure.axes if a is not ax)
    rci = summary[summary["measure"] == "rci"].sort_values("year")
    np.testing.assert_allclose(_by_gid(twin, "jamlik-measure-rci")[0].get_ydata(), rci["value"])
    band = _by_gid(ax, "jamlik-band-sii")[0].get_paths()[0].vertices
    assert np.any(np.isclose(band[:, 1], sii["lower"].iloc[0])) and np.any(np.isclose(band[:, 1], sii["upper"].iloc[0]))
    with pytest.raises(jamlik.InvalidArgumentError, match="measures"):
        plot.summary_trend(summary, measures=("sii", "rci", "d"))
    with pytest.raises(jamlik.InvalidArgumentError, match="measures"):
        plot.summary_trend(summary, measures=("nope",))


def test_concentration_curve_and_index_in_the_legend() -> None:
    rng = np.random.default_rng(3)
    income = rng.lognormal(10, 0.5, 300)
    health = 1 + rng.gamma(2.0, 1.0, 300) - income / 1e5
    ax = plot.concentration_curve(health, income)
    curve = jamlik.concentration_curve(health, income)
    line = _by_gid(ax, "jamlik-curve")[0]
    np.testing.assert_allclose(line.get_xdata(), curve["population_share"])
    np.testing.assert_allclose(line.get_ydata(), curve["outcome_share"])
    np.testing.assert_allclose(_by_gid(ax, "jamlik-equality")[0].get_ydata(), [0, 1])
    ci = jamlik.concentration_index(health, income)
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert f"concentration index = {ci.value:.3f}" in legend and f"{ci.lower:.3f}" in legend
    lorenz = plot.concentration_curve(income, lang="sv")
    legend = " ".join(t.get_text() for t in lorenz.get_legend().get_texts())
    assert f"Gini = {jamlik.gini(income).value:.3f}" in legend and "Lorenzkurva" in legend


# --- SVG, the extra, guards -----------------------------------------------------------------


def test_to_svg_is_inline_svg_that_fetches_nothing() -> None:
    ax = plot.trend(DEMO, municipality="Arboga", indicator=KPI)
    svg = plot.to_svg(ax)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    low = svg.lower()
    for bad in ("<script", "http:", "https:", "@font-face", "url(http", "<!doctype", "<?xml", "<image"):
        assert bad not in low, bad
    again = plot.trend(DEMO, municipality="Arboga", indicator=KPI)
    assert plot.to_svg(again.figure) == svg  # stable: the same chart gives the same text
    with pytest.raises(jamlik.InvalidArgumentError, match="ax_or_figure"):
        plot.to_svg("not a chart")


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import jamlik._extras

    real = jamlik._extras.importlib.import_module

    def fake(name: str, *args: Any) -> Any:
        if name.split(".")[0] == "matplotlib":
            raise ImportError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(jamlik._extras.importlib, "import_module", fake)
    for call in (lambda: plot.trend(DEMO, municipality="Arboga", indicator=KPI),
                 lambda: plot.funnel(_areas()), lambda: plot.to_svg(None)):
        with pytest.raises(jamlik.MissingExtraError, match=r"jamlik\[plot\]"):
            call()


def test_import_needs_no_matplotlib() -> None:
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "import jamlik, jamlik.plot\n"
            "try:\n    jamlik.plot.concentration_curve([1.0, 2.0, 3.0])\n"
            "except jamlik.MissingExtraError as e:\n    print('extra:', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "jamlik[plot]" in out.stdout, out.stderr


# --- image comparisons ----------------------------------------------------------------------

STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "figure.dpi": 50, "savefig.dpi": 50, "text.hinting": "none",
         "axes.unicode_minus": True}


def _image_funnel() -> Any:
    return plot.funnel(_areas())


def _image_equiplot() -> Any:
    return plot.equiplot(_heat_years())


def _image_summary() -> Any:
    return plot.summary_trend(heat.summary(_heat_years(), by="year"), lang="sv")


def _image_lorenz() -> Any:
    return plot.concentration_curve(np.random.default_rng(3).lognormal(10, 0.5, 300))


@pytest.mark.parametrize("name", ["funnel", "equiplot", "summary", "lorenz"])
def test_image_matches_its_baseline(name: str, tmp_path: Path) -> None:
    from matplotlib.testing.compare import compare_images

    with matplotlib.rc_context(STYLE):
        ax = globals()[f"_image_{name}"]()
        actual = tmp_path / f"{name}.png"
        ax.figure.savefig(actual, metadata={"Software": None})
    expected = BASELINES / f"{name}.png"
    if os.environ.get("JAMLIK_UPDATE_BASELINES"):
        expected.write_bytes(actual.read_bytes())
    assert expected.stat().st_size < 60_000
    result = compare_images(str(expected), str(actual), tol=6)
    assert result is None, result
