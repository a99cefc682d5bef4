"""The area profile ("spine chart", as in Fingertips): every indicator of the catalogue for
one municipality against the national distribution of municipalities, with its value, count
and the direction of its recent trend (:func:`jamlik.goals.assess`, Eurostat short term)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union, cast

import numpy as np

from jamlik import _jamlik, goals
from jamlik._frames import to_pandas
from jamlik.plot import _data, _style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: A trend slower than this (compound annual rate) is drawn as flat.
FLAT_CAGR = 0.001


@dataclass
class SpineRow:
    """One indicator's row: where the area sits in the distribution, scaled to [-1, 1]."""

    kpi: str
    title: str
    area: str
    value: float
    count: float
    scaled: float
    quantiles: tuple[float, float, float, float, float]  # worst, 25th, median, 75th, best (scaled)
    category: str
    arrow: str
    arrow_colour: str


def _short(title: str, width: int = 48) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def spine_scale(values: np.ndarray, direction: Optional[str]) -> tuple[float, float, float]:
    """(median, half-width, sign): the national median at 0, the farther extreme at ±1, and
    better to the right (higher to the right without a direction)."""
    median = float(np.median(values))
    half = float(max(np.max(values) - median, median - np.min(values)))
    sign = -1.0 if direction == "lower" else 1.0
    return median, half if half > 0 else 1.0, sign


def _arrow(rows: Any, kpi: str, area: str, sex: str, direction: Optional[str], year: int) -> tuple[str, str]:
    try:
        r = to_pandas(goals.assess(rows, kpi=kpi, municipality=area, sex=sex, direction=direction or "higher",
                                   method="eurostat", term="short", at=year)).iloc[0]
        cagr = float(r["cagr"])
    except (_jamlik.JamlikError, KeyError, IndexError, TypeError):
        return "", "#777777"
    if math.isnan(cagr):
        return "", "#777777"
    if abs(cagr) < FLAT_CAGR:
        return "→", "#777777"
    up = cagr > 0
    if direction is None:
        return ("↑" if up else "↓"), "#777777"
    good = up == (direction == "higher")
    return ("↑" if up else "↓"), _style.PALETTE["better" if good else "worse"]


def spine_rows(df: Any, area: str, year: Optional[int], sex: str, cat: goals.Catalogue, lang: str) -> list[SpineRow]:
    """The rows of the chart: each catalogue KPI with a value for the area (or, for a KPI
    published for regions only, the area's region) in ``year`` (default: the KPI's latest)."""
    geo = _data.geography()
    municipalities = set(geo[geo["kind"] == "municipality"]["area"])
    regions = set(geo[geo["kind"] == "region"]["area"])
    out = []
    for kpi in cat.kpis():
        rows = df[(df["kpi"] == kpi) & df["value"].notna()]
        if rows.empty:
            continue
        ind = _data.indicator(kpi, df, cat)
        kpi_sex = sex if (rows["sex"] == sex).any() else "T"
        rows = rows[rows["sex"] == kpi_sex]
        peers, where = municipalities, area
        if not rows["area"].isin(list(municipalities)).any() and area in geo.index:
            peers, where = regions, str(geo.at[area, "region"])
        y = int(rows["year"].max()) if year is None else int(year)
        now = rows[rows["year"] == y]
        dist = now[now["area"].isin(list(peers))]["value"].to_numpy(dtype=np.float64)
        own = now[now["area"] == where]
        if len(dist) < 2 or own.empty:
            continue
        median, half, sign = spine_scale(dist, ind.direction)
        qs = np.percentile(dist, [0, 25, 50, 75, 100])
        if sign < 0:
            qs = qs[::-1]
        scaled_q = tuple(float(sign * (q - median) / half) for q in qs)
        value = float(own["value"].iloc[0])
        nation = now[now["area"] == "0000"]["value"]
        if _data.has_ci(own) and not nation.empty:
            category = _data.classify(own["lower"], own["upper"], [float(nation.iloc[0])], ind.direction)[0]
        else:
            category = "not compared"
        count = float(own["count"].iloc[0]) if "population" in own.columns and "count" in own.columns else math.nan
        arrow, colour = _arrow(df[df["kpi"] == kpi][["kpi", "area", "year", "sex", "value"]], kpi, where, kpi_sex,
                               ind.direction, y)
        name = ind.title(lang).removesuffix(f" ({kpi})")
        label = f"{_short(name, 42)} ({kpi})"
        if where != area:
            label = f"{_short(name, 34)} ({kpi}, {_style.text('county_level', lang)})"
        out.append(SpineRow(kpi, label, where, value, count, float(sign * (value - median) / half),
                            (scaled_q[0], scaled_q[1], scaled_q[2], scaled_q[3], scaled_q[4]), category, arrow, colour))
    return out


def spine(
    data: Any,
    *,
    municipality: Union[int, str],
    year: Optional[int] = None,
    sex: str = "T",
    catalogue: Union[goals.Catalogue, str, Mapping[str, Any], None] = None,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """Every indicator of the catalogue for one municipality against the national
    distribution of municipalities (regions for an indicator published for regions only):
    light bar from worst to best, dark bar from the 25th to the 75th percentile, the median
    at the centre, better to the right; the municipality as a circle (coloured better /
    similar / worse against the nation when ``data`` has ``lower``/``upper``), and on the
    right its value, count (when ``data`` has ``population``) and trend arrow (green-blue
    when improving, vermillion when worsening). ``year`` defaults to each indicator's latest.
    Returns the Axes.
    """
    lang = _style.check_lang(lang)
    sex = _data.sex_code(sex)
    area = _data.area_id(municipality)
    df = _data.long_frame(data)
    cat = _data.catalogue_of(catalogue)
    rows = spine_rows(df, area, year, sex, cat, lang)
    if not rows:
        raise _jamlik.InvalidArgumentError(
            f"`municipality`: no catalogue indicator has a value for {_data.area_name(area)} ({area})"
            + (f" in {year}" if year is not None else "")
        )
    n = len(rows)
    height = 1.9 + 0.42 * n
    ax = _style.axes(ax, figsize=(10.0, height),
                     margins={"left": 0.36, "right": 0.76, "top": 1 - 0.75 / height, "bottom": 1.0 / height})
    from matplotlib.transforms import blended_transform_factory

    y = np.arange(n)[::-1].astype(np.float64)
    for yi, r in zip(y, rows):
        worst, q25, _, q75, best = r.quantiles
        ax.barh(yi, best - worst, left=worst, height=0.5, color=_style.PALETTE["range"], linewidth=0)
        ax.barh(yi, q75 - q25, left=q25, height=0.5, color=_style.PALETTE["iqr"], linewidth=0)
    ax.axvline(0.0, color="black", linewidth=1.2, zorder=2)
    scaled = np.array([r.scaled for r in rows])
    colours = [_style.SIGNIFICANCE_COLOURS[r.category] for r in rows]
    ax.scatter(scaled, y, s=70, c=colours, edgecolors="black", linewidths=0.8, zorder=4).set_gid("jamlik-spine-area")
    ax.set_yticks(y, labels=[r.title for r in rows], fontsize="small")
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    nodir = all(_data.indicator(r.kpi, df, cat).direction is None for r in rows)
    ax.set_xlabel(_style.text("spine_scale_nodir" if nodir else "spine_scale", lang), fontsize="small")
    where = blended_transform_factory(ax.transAxes, ax.transData)
    columns = ((1.07, "spine_value"), (1.22, "spine_count"), (1.35, "spine_trend"))
    for x, key in columns:
        ax.text(x, n - 0.35, _style.text(key, lang), transform=where, ha="center", va="bottom", fontsize="small",
                fontweight="bold")
    for yi, r in zip(y, rows):
        ax.text(1.07, yi, _style.number(r.value), transform=where, ha="center", va="center", fontsize="small")
        ax.text(1.22, yi, "–" if math.isnan(r.count) else _style.number(r.count), transform=where,
                ha="center", va="center", fontsize="small")
        ax.text(1.35, yi, r.arrow or "–", transform=where, ha="center", va="center", fontsize="medium",
                color=r.arrow_colour, fontweight="bold")
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(color=_style.PALETTE["range"], label=_style.text("range", lang)),
               Patch(color=_style.PALETTE["iqr"], label=_style.text("iqr", lang))]
    for c in dict.fromkeys(r.category for r in rows):
        handles.append(ax.scatter([], [], s=50, c=_style.SIGNIFICANCE_COLOURS[c], edgecolors="black",
                                  label=_style.category(c, lang)))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=len(handles), fontsize="x-small",
              frameon=False)
    when = _style.text("latest_year", lang) if year is None else str(year)
    _style.title(ax, _style.text("spine_title", lang, name=_data.area_name(area), year=when), width=90, pad=22)
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(data, synthetic), kolada=_style.is_kolada(data), offset=-44)
    return cast("Axes", ax)
