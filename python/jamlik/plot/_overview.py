"""The overview ("tartan rug", as in Fingertips): the catalogue's goals × areas, each cell
coloured by the progress category of :func:`jamlik.report.follow_up` (or Eurostat's short
term category, or the comparison with the nation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union, cast

import numpy as np

from jamlik import _jamlik, goals, report
from jamlik._frames import to_pandas
from jamlik.plot import _data, _style
from jamlik.plot._compare import group_areas

if TYPE_CHECKING:
    from matplotlib.axes import Axes

COLOUR_BY = ("progress", "eurostat_short", "significance")


def _areas(municipalities: Optional[Sequence[Union[int, str]]], county: Any) -> list[str]:
    if municipalities is not None and county is not None:
        raise _jamlik.InvalidArgumentError("pass one of `municipalities` (a list) and `county`, not both")
    if municipalities is None:
        if county is None:
            raise _jamlik.InvalidArgumentError(
                "`municipalities` or `county` is required: e.g. county='19' or municipalities=['Arboga', 'Köping']"
            )
        return group_areas(county, None)[0]
    if isinstance(municipalities, (str, int)):
        municipalities = [municipalities]
    out = [_data.area_id(m, "municipalities") for m in municipalities]
    if not out:
        raise _jamlik.InvalidArgumentError("`municipalities` is empty: give at least one municipality")
    return list(dict.fromkeys(out))


def overview_cells(df: Any, data: Any, areas: list[str], year: Optional[int], colour_by: str,
                   cat: goals.Catalogue) -> tuple[list[tuple[str, str, str]], dict[tuple[str, str, str, str], tuple[str, float]]]:
    """Rows (goal, indicator, sex) and each cell's (category, value) by (area, goal, indicator, sex)."""
    rows: dict[tuple[str, str, str], None] = {}
    cells: dict[tuple[str, str, str, str], tuple[str, float]] = {}
    limits: dict[tuple[str, str, int, str], tuple[float, float]] = {}
    if colour_by == "significance" and _data.has_ci(df):
        ci = df[df["lower"].notna() & df["upper"].notna()]
        for k, a, y, x, lo, hi in zip(ci["kpi"], ci["area"], ci["year"], ci["sex"], ci["lower"], ci["upper"]):
            limits[(k, a, int(y), x)] = (float(lo), float(hi))
    for area in areas:
        records = to_pandas(report.follow_up(area, data, catalogue=cat, at=year)).to_dict("records")
        with_total = {(r["goal"], r["indicator"]) for r in records if r["sex"] == "T"}
        for r in records:
            if r["sex"] != "T" and (r["goal"], r["indicator"]) in with_total:
                continue
            key = (str(r["goal"]), str(r["indicator"]), str(r["sex"]))
            rows[key] = None
            category: Optional[str]
            if colour_by == "significance":
                lo_hi = limits.get((str(r["kpi"]), str(r["area"]), int(r["year"]), str(r["sex"])))
                category = ("not compared" if lo_hi is None else
                            _data.classify([lo_hi[0]], [lo_hi[1]], [r["nation"]], r["direction"])[0])
            else:
                value = r[colour_by]
                category = None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            cells[(area, *key)] = (category or "no value", float(r["value"]))
    return list(rows), cells


def overview(
    data: Any,
    *,
    municipalities: Optional[Sequence[Union[int, str]]] = None,
    county: Union[int, str, None] = None,
    year: Optional[int] = None,
    colour_by: str = "progress",
    catalogue: Union[goals.Catalogue, str, Mapping[str, Any], None] = None,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """Goals × areas for the ``municipalities`` (a list) or every municipality of a
    ``county``: one row per catalogue indicator (women and men for a women/men KPI pair), one
    column per municipality, each cell coloured by ``colour_by``: ``"progress"`` (SKR's change
    from the baseline), ``"eurostat_short"`` or ``"significance"`` (against the nation, when
    ``data`` has ``lower``/``upper``), from :func:`jamlik.report.follow_up` at ``year``
    (default: the latest). Cells show the value when there are at most 15 columns. Returns the Axes.
    """
    lang = _style.check_lang(lang)
    if colour_by not in COLOUR_BY:
        raise _jamlik.InvalidArgumentError(f"`colour_by`: expected one of {', '.join(COLOUR_BY)}, got {colour_by!r}")
    areas = _areas(municipalities, county)
    df = _data.long_frame(data)
    cat = _data.catalogue_of(catalogue)
    rows, cells = overview_cells(df, data, areas, year, colour_by, cat)
    if not rows:
        raise _jamlik.InvalidArgumentError("`data`: no catalogue indicator has values for these municipalities")
    titles = {}
    for g in cat.goals:
        for ind in g["indicators"]:
            name = ind.get("kpi") or "/".join(ind[k] for k in ("kpi_women", "kpi_men") if ind.get(k))
            titles[(g["id"], name)] = g.get("title_en") or ind["title"] if lang == "en" else ind["title"]
    nrow, ncol = len(rows), len(areas)
    ax = _style.axes(ax, figsize=(max(6.0, 3.8 + 0.55 * ncol), 1.9 + 0.36 * nrow))
    from matplotlib.patches import Patch, Rectangle

    colours = _style.SIGNIFICANCE_COLOURS if colour_by == "significance" else _style.PROGRESS_COLOURS
    seen: dict[str, None] = {}
    for i, (goal, indicator, sex) in enumerate(rows):
        y = nrow - 1 - i
        for j, area in enumerate(areas):
            category, value = cells.get((area, goal, indicator, sex), ("no value", np.nan))
            seen[category] = None
            cell = Rectangle((j - 0.5, y - 0.5), 1, 1, facecolor=colours.get(category, "#FFFFFF"), edgecolor="white",
                             linewidth=1.5)
            cell.set_gid(f"jamlik-cell:{area}:{indicator}:{sex}")
            ax.add_patch(cell)
            if ncol <= 15 and not np.isnan(value):
                dark = colours.get(category) in ("#0072B2", "#D55E00")
                ax.text(j, y, _style.number(value), ha="center", va="center", fontsize=6.5,
                        color="white" if dark else "black")
    labels = []
    for goal, indicator, sex in rows:
        t = titles.get((goal, indicator), indicator)
        t = t if len(t) <= 38 else t[:37].rstrip() + "…"
        who = "" if sex == "T" else f" ({_style.text({'K': 'women', 'M': 'men'}[sex], lang)})"
        labels.append(f"{goal} {t}{who}")
    ax.set_xlim(-0.5, ncol - 0.5)
    ax.set_ylim(-0.5, nrow - 0.5)
    ax.set_yticks(np.arange(nrow)[::-1], labels=labels, fontsize="small")
    ax.set_xticks(np.arange(ncol), labels=[_data.area_name(a) for a in areas], rotation=55, ha="right",
                  rotation_mode="anchor", fontsize="small")
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Patch(facecolor=colours.get(c, "#FFFFFF"), edgecolor="#999999", label=_style.category(c, lang))
               for c in [*colours, "no value"] if c in seen]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    when = _style.text("latest_year", lang) if year is None else str(year)
    _style.title(ax, _style.text("overview_title", lang, year=when, colour_by=_style.text(colour_by, lang)),
                 width=max(30, 5 * ncol))
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(data, synthetic), kolada=_style.is_kolada(data), where="above")
    return cast("Axes", ax)
