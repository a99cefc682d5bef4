"""One municipality's follow-up against the goal catalogue (tables and terminal text).

:func:`follow_up` returns a frame, key columns first (``area, goal, indicator, sex, year,
value, change, progress, region, nation, similar``, then the other comparisons, the
target, the texts and the titles); :func:`gaps` the health gaps around the municipality
(women vs men, municipality vs nation, disparity between municipalities). Both are computed
in the Rust core (``jamlik::goals::follow_up``), which a Rust program gets the same way
(``examples/follow_up.rs``). :func:`format_follow_up` / :func:`format_gaps` render them for a
terminal (``python -m jamlik demo``). Both work on the embedded **synthetic** dataset by
default and on any frame with the long columns ``kpi, area, year, sex, value``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from jamlik import _jamlik
from jamlik._frames import (
    arrow_frame,
    convert_frame,
    is_arrow_frame,
    is_arrow_table,
    library_of,
    require_columns,
    to_pandas,
)
from jamlik.datasets import GEOGRAPHY_CREDIT, SYNTHETIC_LABEL, demo, demo_population, is_synthetic
from jamlik.goals import (
    GOAL_AREAS,
    Catalogue,
    _area_text,
    _as_catalogue,
    _municipality,
    _optional_year,
    _panel,
    is_frame,
)

__all__ = ["follow_up", "format_follow_up", "format_gaps", "gaps"]

_SEX_LABEL = {"T": "total", "K": "women", "M": "men"}
_SHORT = {
    "improved, target not met": "improved",
    "significant progress": "significant",
    "moderate progress": "moderate",
    "insufficient progress": "insufficient",
    "moderate movement away": "mod. away",
    "significant movement away": "signif. away",
}


def _frame(table: Mapping[str, Any], attrs: dict[str, Any], like: Any, detail: bool = True) -> Any:
    """A core table (``names``, ``ints``, ``columns``) as a frame in ``like``'s library;
    without ``detail`` only its first ``key`` columns."""
    import pandas as pd

    cols = table["columns"]
    names = list(table["names"]) if detail or "key" not in table else list(table["names"])[: table["key"]]
    frame = pd.DataFrame({name: cols[name] for name in names}, columns=names)
    for name in table["ints"]:
        if name in names:
            frame[name] = pd.array(cols[name], dtype="Int64")
    if like is not None and library_of(like) != "pandas":
        return convert_frame(frame, like)
    frame.attrs.update(attrs)
    return frame


def _meta(raw: Mapping[str, Any], cat: Catalogue, synthetic: bool) -> dict[str, Any]:
    cols = raw["columns"]
    return {
        # Titles of the rows' goals and areas, for format_follow_up on the key columns alone.
        "goal_titles": dict(zip(cols["goal"], cols["goal_title"])),
        "goal_areas": dict(zip(cols["goal"], cols["goal_area"])),
        "area_names": dict(zip(cols["area"], cols["area_name"])),
        "municipality": raw["area"],
        "title": raw["area_name"],
        "region": raw["region"],
        "skr_group": raw["skr_group"],
        "similar_group": raw["similar_group"],
        "similar_group_year": raw["similar_group_year"],
        "catalogue": raw["catalogue"] or cat.name,
        "synthetic": bool(synthetic),
        "label": SYNTHETIC_LABEL if synthetic else "",
        "credit": raw["credit"],
    }


def follow_up(
    municipality: Union[int, str],
    data: Any = None,
    *,
    catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None,
    at: Optional[int] = None,
    synthetic: Optional[bool] = None,
    detail: bool = False,
) -> Any:
    """One municipality's follow-up as a frame in ``data``'s library (pandas for the demo).

    ``municipality``: a Kolada id (``1984``, ``"1984"``) or a name (``"Arboga"``); required.
    ``data``: a long frame (``kpi, area, year, sex, value``); default the synthetic demo
    dataset. Region-only KPIs (caries-free 3-year-olds, patient surveys) show the
    municipality's region (column ``area``). The frame has the 20 key columns (``area, goal,
    indicator, sex, year, value, change, progress, region, nation, similar``, the other
    comparisons, ``unit``, ``direction``, the target, ``kpi``), so it reads in a notebook
    without widening pandas' display; ``detail=True`` adds ``similar_n``, the progress texts
    and the titles (the same table as the Rust ``FollowUp::table``). pandas ``attrs`` carry the
    municipality, ``synthetic``, the label, the geography credit and the goal and area titles.
    """
    municipality = _municipality(municipality)
    if data is None:
        data = demo()
    if synthetic is None:
        synthetic = is_synthetic(data)
    cat = _as_catalogue(catalogue)
    raw = _jamlik.follow_up(_panel(data, cat.kpis()), municipality, cat.json, _optional_year(at, "at"))
    return _frame(raw, _meta(raw, cat, bool(synthetic)), data, detail=detail)


# The columns format_follow_up / format_gaps read: any other frame is a ColumnError, not a KeyError.
_FOLLOW_UP_COLUMNS = ["goal", "indicator", "area", "direction", "unit", "sex", "year", "value", "change",
                      "target_value", "progress", "eurostat_short", "region", "county_municipalities", "nation",
                      "similar"]
_GAPS_COLUMNS = ["goal", "kpi", "year", "women_minus_men", "sex_gap_trend", "minus_nation", "nation_gap_trend",
                 "idisw_county", "idisw_nation", "ti_nation"]


def _formattable(frame: Any, columns: list[str]) -> Any:
    """A pandas view of a frame to render, with the columns the renderer reads."""
    frame = to_pandas(frame, name="frame")
    require_columns(frame, columns, argument="frame")
    return frame


def _num(x: Any, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    try:
        x = float(x)
    except (TypeError, ValueError):  # a cell that is no number is shown as it is
        return str(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.1f}"


def _signed(x: Any) -> str:
    s = _num(x)
    if s != "–" and not s.startswith("-"):
        s = "+" + s
    return s


def format_follow_up(frame: Any, *, width: int = 120) -> str:
    """Renders a pandas :func:`follow_up` frame as aligned text for a terminal."""
    frame = _formattable(frame, _FOLLOW_UP_COLUMNS)
    a = frame.attrs
    synthetic = bool(a.get("synthetic"))
    lines: list[str] = []
    bar = "=" * width
    lines.append(bar)
    if synthetic:
        lines.append("*** SYNTHETIC DATA — generated by jamlik's seeded demo model, NOT real Kolada values ***")
    lines.append(
        f"Uppföljning / follow-up: {a.get('title')} ({a.get('municipality')}), region {a.get('region')}, "
        f"SKR-grupp {a.get('skr_group')}, liknande kommuner {a.get('similar_group')} ({a.get('similar_group_year')})"
    )
    lines.append(f"Katalog / catalogue: {a.get('catalogue')}  (baseline 2017, target year 2022)")
    lines.append(bar)
    head = (
        f"{'':<3}{'sex':<6}{'year':>5}{'value':>9}{'Δ 2017':>9}{'target':>9}  {'vs target':<12}{'Eurostat 5y':<14}"
        f"{'region':>8}{'county':>8}{'nation':>8}{'similar':>8}"
    )
    goal_titles = a.get("goal_titles") or {}
    goal_areas = a.get("goal_areas") or {}
    area_names = a.get("area_names") or {}
    frame = frame.copy()
    if "goal_area" not in frame.columns:
        frame["goal_area"] = frame["goal"].map(goal_areas)
    for area_sv in [v[0] for v in GOAL_AREAS.values()]:
        sub = frame[frame["goal_area"] == area_sv]
        if sub.empty:
            continue
        lines.append("")
        en = next(v[1] for v in GOAL_AREAS.values() if v[0] == area_sv)
        lines.append(f"{area_sv.upper()} ({en})")
        for goal_id in dict.fromkeys(sub["goal"]):
            g = sub[sub["goal"] == goal_id]
            title = g["goal_title"].iloc[0] if "goal_title" in g.columns else goal_titles.get(goal_id, "")
            lines.append(f"  {goal_id} {title}")
            for ind in dict.fromkeys(g["indicator"]):
                rows = g[g["indicator"] == ind]
                first = rows.iloc[0]
                where = ""
                if first["area"] != a.get("municipality"):
                    where = f" — shown for {area_names.get(first['area'], first['area'])} (region-level KPI)"
                better = "higher is better" if first["direction"] == "higher" else "lower is better"
                lines.append(f"     {ind} [{first['unit']}, {better}]{where}")
                lines.append("   " + head)
                for _, r in rows.iterrows():
                    prog = _SHORT.get(r["progress"], r["progress"] or "no data")
                    euro = _SHORT.get(r["eurostat_short"], r["eurostat_short"] or "–")
                    year = "" if r["year"] is None or str(r["year"]) == "<NA>" else r["year"]
                    lines.append(
                        f"   {'':<3}{_SEX_LABEL.get(r['sex'], r['sex']):<6}"
                        f"{year:>5}"
                        f"{_num(r['value']):>9}{_signed(r['change']):>9}{_num(r['target_value']):>9}  {prog:<12.12}{euro:<14.14}"
                        f"{_num(r['region']):>8}{_num(r['county_municipalities']):>8}{_num(r['nation']):>8}"
                        f"{_num(r['similar']):>8}"
                    )
    lines.append("")
    notes = (
        "Δ 2017: change from the baseline year. vs target: SKR-style change against the target (direction-only "
        "targets: improved/worsened). Eurostat 5y: CAGR over 5 years vs required (or ±1 %/yr without target). "
        "county: unweighted mean of the county's municipalities; similar: unweighted mean of the 7 "
        "socioeconomically similar municipalities (Kolada's groups)."
    )
    lines.extend(textwrap.wrap(notes, width=width))
    lines.append(bar)
    if synthetic:
        lines.append(SYNTHETIC_LABEL)
    lines.append(a.get("credit") or GEOGRAPHY_CREDIT)
    return "\n".join(lines)


def _population(
    data: Any, population: Any
) -> Optional[tuple[list[str], npt.NDArray[np.float64], list[str], npt.NDArray[np.float64]]]:
    """Population columns for the gaps' weights: ``population`` (a frame ``area, year, sex,
    population``), else the demo's synthetic population for the demo, else a ``population``
    column of ``data``, else None (every municipality weighs the same)."""
    if population is None:
        if is_synthetic(data):
            years = to_pandas(data)["year"]
            population = demo_population(seed=data.attrs["seed"], first_year=int(years.min()),
                                         last_year=int(years.max()))
        elif is_frame(data) and "population" in list(data.columns):
            population = data
        else:
            return None
    population = arrow_frame(population)
    if is_arrow_table(population):  # read through the Arrow C interfaces, no pandas
        require_columns(population, ["area", "year", "sex", "population"], argument="population")
        af = population if is_arrow_frame(population) else _jamlik.ArrowFrame(population)
        return (
            [f"{a:04d}" if isinstance(a, int) else str(a) for a in af["area"]],
            af.float_column("year", argument="population"),
            [str(s) for s in af["sex"]],
            af.float_column("population", argument="population"),
        )
    p = to_pandas(population, name="population")
    require_columns(p, ["area", "year", "sex", "population"], argument="population")
    return (
        _area_text(p["area"]).tolist(),
        p["year"].to_numpy(dtype=np.float64),
        p["sex"].astype(str).tolist(),
        p["population"].to_numpy(dtype=np.float64),
    )


def gaps(
    municipality: Union[int, str],
    data: Any = None,
    *,
    catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None,
    at: Optional[int] = None,
    generation_years: float = 25.0,
    population: Any = None,
    synthetic: Optional[bool] = None,
) -> Any:
    """The health gaps around one municipality, per municipality-level goal indicator of its
    follow-up (computed in the Rust core, ``jamlik::goals::follow_up::gaps``).

    For the latest year (or ``at``): the gap between women and men and between the
    municipality and the nation, each with the year it closes at its trend since 2010
    (``goals.gap_closure``, series cut at ``at``); and the inequality between
    municipalities, within the county and in the whole country, as HEAT's
    population-weighted index of disparity (IDISW, %) and Theil index (TI, ×1000) over the
    municipalities' values. Weights: ``population`` (a frame ``area, year, sex,
    population``), else the demo's synthetic population for the demo, else a
    ``population`` column of ``data``, else equal. Returns a frame in ``data``'s library.
    """
    municipality = _municipality(municipality)
    if data is None:
        data = demo()
    if synthetic is None:
        synthetic = is_synthetic(data)
    cat = _as_catalogue(catalogue)
    if isinstance(generation_years, (bool, np.bool_)) or not isinstance(generation_years, (int, float, np.number)):
        raise _jamlik.InvalidArgumentError(f"`generation_years` must be a number of years, got {generation_years!r}")
    raw = _jamlik.follow_up_gaps(_panel(data, cat.kpis()), municipality, cat.json, _optional_year(at, "at"),
                                 float(generation_years), _population(data, population))
    return _frame(raw, _meta(raw["follow_up"], cat, bool(synthetic)), data)


def format_gaps(frame: Any, *, width: int = 120) -> str:
    """Terminal rendering of :func:`gaps`."""
    frame = _formattable(frame, _GAPS_COLUMNS)
    out = ["", "GAPS (jämlikhet, equity) — women vs men, municipality vs nation, between municipalities".ljust(width)[:width]]
    header = (f"  {'goal':<4} {'kpi':<7} {'year':>4}  {'women−men':>9}  {'trend':<18} {'vs nation':>9}  {'trend':<18}"
              f" {'IDISW cty':>9} {'IDISW nat':>9} {'TI nat':>7}")
    out.append(header)
    for r in frame.itertuples(index=False):
        out.append(
            f"  {r.goal:<4} {r.kpi:<7} {'' if r.year is None or str(r.year) == '<NA>' else r.year:>4}"
            f"  {_signed(r.women_minus_men):>9}  {str(r.sex_gap_trend)[:18]:<18}"
            f" {_signed(r.minus_nation):>9}  {str(r.nation_gap_trend)[:18]:<18}"
            f" {_num(r.idisw_county):>9} {_num(r.idisw_nation):>9} {_num(r.ti_nation):>7}"
        )
    out.append("trend: year the gap closes at its linear trend since 2010. IDISW: HEAT's population-weighted index of")
    out.append("disparity between the county's (cty) or all (nat) municipalities, %; TI: Theil index ×1000.")
    return "\n".join(out)
