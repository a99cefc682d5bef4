"""A municipality's indicator over time: :func:`trend` (against county, nation and similar
municipalities, with the goal's target) and :func:`women_vs_men` (the gap and its closure).
The comparators come from :func:`jamlik.goals.compare_areas`, the target from
:func:`jamlik.goals.assess`, the sex gap from :func:`jamlik.goals.women_vs_men` and its trend
from :func:`jamlik.goals.gap_closure`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union, cast

import numpy as np

from jamlik import _jamlik, goals
from jamlik._frames import to_pandas
from jamlik.plot import _data, _style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: ``comparators=`` names → the row of :func:`jamlik.goals.compare_areas` and the text key.
COMPARATORS: dict[str, tuple[str, str]] = {
    "county": ("region", "county"),
    "nation": ("nation", "nation"),
    "similar": ("similar municipalities (mean)", "similar_mean"),
    "county_municipalities": ("county municipalities (mean)", "county_municipalities"),
    "skr_group": ("SKR group (mean)", "skr_group"),
}

_STYLES = {"county": "--", "nation": "-.", "similar": ":", "county_municipalities": (0, (5, 1)), "skr_group": (0, (1, 3))}


def _comparator_names(value: Any, argument: str, allow_none: bool = False) -> list[str]:
    names = [value] if isinstance(value, str) or value is None else list(value)
    out = []
    for name in names:
        if name is None and allow_none:
            continue
        if name not in COMPARATORS:
            raise _jamlik.InvalidArgumentError(
                f"`{argument}`: unknown comparator {name!r}; expected one of {', '.join(COMPARATORS)}"
                + (" or None" if allow_none else "")
            )
        out.append(name)
    return out


def comparator_series(kpi_rows: Any, kpi: str, area: str, years: Sequence[int], sex: str) -> dict[str, np.ndarray]:
    """Every comparator's value in each year, from :func:`jamlik.goals.compare_areas`."""
    out = {name: np.full(len(years), np.nan) for name in COMPARATORS}
    for i, year in enumerate(years):
        try:
            rows = to_pandas(goals.compare_areas(kpi_rows, kpi=kpi, municipality=area, year=int(year), sex=sex))
        except _jamlik.JamlikError:
            continue
        values = dict(zip(rows["comparison"], rows["value"]))
        for name, (row, _) in COMPARATORS.items():
            v = values.get(row)
            out[name][i] = np.nan if v is None else float(v)
    return out


def _target(kpi_rows: Any, ind: _data.Indicator, area: str, sex: str, catalogue: Any) -> tuple[float, Optional[int]]:
    """The goal's target value (NaN for a direction-only goal) and target year, from assess."""
    if ind.goal is None:
        return math.nan, None
    try:
        rows = to_pandas(goals.assess(kpi_rows, goal=ind.goal, municipality=area, kpi=ind.kpi, sex=sex,
                                      catalogue=catalogue))
    except _jamlik.JamlikError:
        return math.nan, None
    rows = rows[rows["method"] == "skr_change"] if "skr_change" in set(rows["method"]) else rows
    if rows.empty:
        return math.nan, None
    row = rows.iloc[0]
    year = row.get("target_year")
    value = row.get("target_value")
    return (math.nan if value is None else float(value)), (None if year is None or np.isnan(year) else int(year))


def trend(
    data: Any,
    *,
    municipality: Union[int, str],
    indicator: str,
    sex: str = "T",
    comparators: Sequence[str] = ("county", "nation", "similar"),
    significance: Optional[str] = "nation",
    target: bool = True,
    catalogue: Union[goals.Catalogue, str, Mapping[str, Any], None] = None,
    level: float = 0.95,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """A municipality's series of one indicator with its confidence band (when ``data`` has
    ``lower``/``upper``), lines for the ``comparators`` (``"county"``, ``"nation"``,
    ``"similar"``, ``"county_municipalities"``, ``"skr_group"``), the goal's target and target
    year (``target=True``), and points coloured by comparison with ``significance``: better /
    similar / worse (higher / similar / lower without a direction) when the interval excludes
    the comparator's value; grey when there is no interval. ``level``: the level of the
    frame's ``lower``/``upper`` (rows at other levels of a ``level`` column are left out).
    Returns the Axes.
    """
    lang = _style.check_lang(lang)
    level = _data.check_level(level)
    names = _comparator_names(comparators, "comparators")
    against = _comparator_names(significance, "significance", allow_none=True)
    sex = _data.sex_code(sex)
    area = _data.area_id(municipality)
    df = _data.long_frame(data)
    ind = _data.indicator(indicator, df, catalogue)
    rows = _data.at_level(df[df["kpi"] == ind.kpi], level)
    own = _data.series(rows, ind.kpi, area, sex)
    if own.empty:
        raise _data.no_values(ind.kpi, area, sex, df)
    ax = _style.axes(ax, figsize=(8.0, 4.2))
    years = own["year"].to_numpy(dtype=np.int64)
    values = own["value"].to_numpy(dtype=np.float64)
    columns = [c for c in ("kpi", "area", "year", "sex", "value") if c in rows.columns]
    # One sex is enough for compare_areas (a third of the rows to convert each year).
    comp = comparator_series(rows[rows["sex"] == sex][columns], ind.kpi, area, years.tolist(), sex)

    if _data.has_ci(own):
        band = ax.fill_between(years, own["lower"].to_numpy(dtype=np.float64), own["upper"].to_numpy(dtype=np.float64),
                               color=_style.PALETTE["band"], alpha=0.5, linewidth=0,
                               label=_style.text("ci", lang, level=level))
        band.set_gid("jamlik-ci-band")
    line = ax.plot(years, values, color=_style.PALETTE["area"], linewidth=2, label=_data.area_name(area), zorder=3)[0]
    line.set_gid("jamlik-area")
    for name in names:
        y = comp[name]
        if np.all(np.isnan(y)):
            continue
        key = COMPARATORS[name][1]
        label = _data.area_name(str(_data.geography().at[area, "region"])) if name == "county" else _style.text(key, lang)
        c = ax.plot(years, y, color=_style.PALETTE[name], linestyle=_STYLES[name], linewidth=1.5, label=label)[0]
        c.set_gid(f"jamlik-{name}")

    legend_title = None
    if against:
        if _data.has_ci(own):
            cats = _data.classify(own["lower"], own["upper"], comp[against[0]], ind.direction)
        else:
            cats = ["not compared"] * len(years)
        for cat in dict.fromkeys(cats):
            keep = np.array([c == cat for c in cats])
            pts = ax.scatter(years[keep], values[keep], s=36, color=_style.SIGNIFICANCE_COLOURS[cat], edgecolors="black",
                             linewidths=0.6, zorder=4, label=_style.category(cat, lang))
            pts.set_gid(f"jamlik-points-{cat.replace(' ', '-')}")
        comparator = COMPARATORS[against[0]][1]
        legend_title = _style.text("compared_with", lang, comparator=_style.text(comparator, lang))

    if target:
        value, year = _target(rows[columns], ind, area, sex, catalogue)
        if year is not None and not math.isnan(value):
            t = ax.plot([year], [value], marker="*", markersize=13, color=_style.PALETTE["target"], linestyle="none",
                        markeredgecolor="black", markeredgewidth=0.5, zorder=5,
                        label=_style.text("target", lang, value=value, year=year))[0]
            t.set_gid("jamlik-target")
        elif year is not None:
            t = ax.axvline(year, color=_style.PALETTE["target"], linestyle=":", linewidth=1.2,
                           label=_style.text("target_year", lang, year=year))
            t.set_gid("jamlik-target-year")

    _style.title(ax, f"{_data.area_name(area)}: {ind.title(lang)}", width=75)
    ax.set_xlabel(_style.text("year", lang))
    ax.set_ylabel(ind.unit_in(lang) or _style.text("value", lang))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False, title=legend_title,
              title_fontsize="x-small", alignment="left")
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(data, synthetic), kolada=_style.is_kolada(data))
    return cast("Axes", ax)


def women_vs_men(
    data: Any,
    *,
    municipality: Union[int, str],
    indicator: str,
    projection: bool = True,
    catalogue: Union[goals.Catalogue, str, Mapping[str, Any], None] = None,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """Women and men over time with the gap between them shaded (values from
    :func:`jamlik.goals.women_vs_men`, so a women/men KPI pair such as life expectancy
    N00925/N00923 works). ``projection=True`` adds the gap (women − men) on the right-hand
    axis with its linear trend from :func:`jamlik.goals.gap_closure`, projected ahead (up to
    ten years) and the year it closes at that trend. Returns the Axes (the left one).
    """
    lang = _style.check_lang(lang)
    area = _data.area_id(municipality)
    df = _data.long_frame(data)
    ind = _data.indicator(indicator, df, catalogue)
    cat = _data.catalogue_of(catalogue)
    own = df[(df["area"] == area) & df["value"].notna()]
    kpis = {ind.kpi}
    for g in cat.goals:
        for entry in g["indicators"]:
            pair = {entry.get(k) for k in ("kpi", "kpi_women", "kpi_men")} - {None}
            if ind.kpi in pair:
                kpis |= pair
    years = sorted(int(y) for y in own[own["kpi"].isin(list(kpis))]["year"].unique())
    own = own[[c for c in ("kpi", "area", "year", "sex", "value") if c in own.columns]]
    women, men, notes = [], [], []
    for year in years:
        r = to_pandas(goals.women_vs_men(own, kpi=ind.kpi, municipality=area, year=year, catalogue=cat)).iloc[0]
        women.append(float(r["women"]))
        men.append(float(r["men"]))
        notes.append(r["note"])
    w, m, yrs = np.array(women), np.array(men), np.array(years)
    keep = ~(np.isnan(w) | np.isnan(m))
    if not keep.any():
        why = next((n for n in notes if n), "no year has values for both women and men")
        raise _jamlik.InvalidArgumentError(
            f"`indicator`: {ind.kpi} for {_data.area_name(area)} has no women-vs-men series: {why}"
        )
    w, m, yrs = w[keep], m[keep], yrs[keep]
    ax = _style.axes(ax, figsize=(8.0, 4.2))
    ax.fill_between(yrs, w, m, color=_style.PALETTE["gap"], alpha=0.2, linewidth=0).set_gid("jamlik-gap-area")
    ax.plot(yrs, w, color=_style.PALETTE["women"], linewidth=2, marker="o", markersize=4,
            label=_style.text("women", lang))[0].set_gid("jamlik-women")
    ax.plot(yrs, m, color=_style.PALETTE["men"], linewidth=2, marker="s", markersize=4,
            label=_style.text("men", lang))[0].set_gid("jamlik-men")
    handles, labels = ax.get_legend_handles_labels()
    if projection and len(yrs) >= 3:
        gap = goals.gap_closure((yrs.astype(np.float64), w - m))
        g = to_pandas(gap).iloc[0]
        twin = ax.twinx()
        twin.plot(yrs, w - m, color=_style.PALETTE["gap"], linewidth=1, marker=".", label=_style.text("gap", lang))[0] \
            .set_gid("jamlik-gap")
        last = float(g["last_year"])
        closure = float(g["closure_year"]) if g["closure_year"] is not None else math.nan
        end = last + 10.0 if math.isnan(closure) else min(max(closure, last + 1.0), last + 10.0)
        xs = np.array([float(yrs[0]), last, end])
        ys = float(g["fitted_latest_gap"]) + float(g["slope"]) * (xs - last)
        twin.plot(xs, ys, color=_style.PALETTE["gap"], linestyle="--", linewidth=1.2,
                  label=_style.text("gap_trend", lang))[0].set_gid("jamlik-gap-projection")
        twin.axhline(0.0, color="#BBBBBB", linewidth=0.8)
        twin.set_ylabel(_style.text("gap", lang), color="#555555")
        # Two bands, like two panels: women and men in the upper 60 %, the gap in the lower 35 %.
        g_lo = min(0.0, float(np.nanmin(ys)), float(np.nanmin(w - m)))
        g_hi = max(0.0, float(np.nanmax(ys)), float(np.nanmax(w - m)))
        g_span = (g_hi - g_lo) or 1.0
        twin.set_ylim(g_lo - 0.05 * g_span, g_lo + g_span / 0.35)
        v_lo, v_hi = float(min(np.nanmin(w), np.nanmin(m))), float(max(np.nanmax(w), np.nanmax(m)))
        v_span = (v_hi - v_lo) or 1.0
        ax.set_ylim(v_hi + 0.05 * v_span - 1.05 * v_span / 0.6, v_hi + 0.05 * v_span)
        # Ticks only where each band has data.
        from matplotlib.ticker import MaxNLocator as Ticks

        twin.set_yticks([t for t in Ticks(4).tick_values(g_lo, g_hi) if g_lo - 0.05 * g_span <= t <= g_hi + 0.05 * g_span])
        ax.set_yticks([t for t in Ticks(5).tick_values(v_lo, v_hi) if v_lo - 0.05 * v_span <= t <= v_hi + 0.05 * v_span])
        note = _style.text("gap_open", lang) if math.isnan(closure) else _style.text("gap_closes", lang, year=closure)
        ax.annotate(note, xy=(0, 0), xycoords="axes fraction", xytext=(4, 4), textcoords="offset points",
                    fontsize="x-small", color="#444444")
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.1 if projection else 1.01, 1.0), fontsize="small",
              frameon=False)
    _style.title(ax, f"{_data.area_name(area)}: {ind.name(lang)} — {_style.text('women_vs_men', lang).lower()}", width=75)
    ax.set_xlabel(_style.text("year", lang))
    ax.set_ylabel(ind.unit_in(lang) or _style.text("value", lang))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(data, synthetic), kolada=_style.is_kolada(data))
    return cast("Axes", ax)
