"""All municipalities of a county (or a group of similar municipalities) for one indicator
and year: sorted bars with confidence intervals and a comparator line from
:func:`jamlik.goals.compare_areas`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union, cast

import numpy as np

from jamlik import _jamlik, goals
from jamlik._frames import to_pandas
from jamlik.plot import _data, _style
from jamlik.plot._trend import COMPARATORS, _comparator_names

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def county_code(county: Any) -> str:
    """A county's two-digit code from the code (``19``, ``"19"``), the region's id (``"0019"``)
    or its name (``"Region Västmanland"``, ``"Västmanland"``)."""
    geo = _data.geography()
    codes = set(geo[geo["kind"] == "region"]["county_code"].dropna())
    number = isinstance(county, (int, np.integer)) and not isinstance(county, bool)
    if number or (isinstance(county, str) and county.strip().isdigit() and len(county.strip()) <= 2):
        code = f"{int(county):02d}"
        if code not in codes:
            raise _jamlik.InvalidArgumentError(f"`county`: no county has the code {code}; codes are {', '.join(sorted(codes))}")
        return code
    try:
        area = _data.area_id(county, "county")
    except _jamlik.InvalidArgumentError as first:
        try:
            area = _data.area_id(f"Region {county}", "county")
        except _jamlik.JamlikError:
            raise _jamlik.InvalidArgumentError(f"`county`: {first}") from None
    row = geo.loc[area] if area in geo.index else None
    if row is None or row["kind"] != "region":
        raise _jamlik.InvalidArgumentError(
            f"`county`: {_data.area_name(area)} ({area}) is not a county; pass a county code such as '19' or a "
            "region such as 'Region Västmanland' (or similar_to= for a municipality's similar group)"
        )
    return str(row["county_code"])


def group_areas(county: Any, similar_to: Any) -> tuple[list[str], str, Optional[str]]:
    """The municipalities drawn, the group's name for the title and the municipality the
    comparator is looked up for (the similar_to municipality)."""
    if (county is None) == (similar_to is None):
        raise _jamlik.InvalidArgumentError(
            "pass exactly one of `county` (e.g. county='19') and `similar_to` (e.g. similar_to='Arboga')"
        )
    geo = _data.geography()
    if county is not None:
        code = county_code(county)
        areas = geo[(geo["kind"] == "municipality") & (geo["county_code"] == code)]["area"].tolist()
        region = geo[(geo["kind"] == "region") & (geo["county_code"] == code)]["name"]
        return areas, str(region.iloc[0]) if len(region) else code, None
    own = _data.area_id(similar_to, "similar_to")
    similar = [a for a in str(geo.at[own, "similar_areas"] or "").split(";") if a]
    return [own, *similar], _data.area_name(own), own


def compare_areas(
    data: Any,
    *,
    indicator: str,
    year: Optional[int] = None,
    county: Union[int, str, None] = None,
    similar_to: Union[int, str, None] = None,
    sex: str = "T",
    highlight: Union[int, str, None] = None,
    comparator: str = "nation",
    level: float = 0.95,
    catalogue: Union[goals.Catalogue, str, Mapping[str, Any], None] = None,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """One indicator in one year (default: the latest) for every municipality of a
    ``county`` or of the group of municipalities similar to ``similar_to``: bars sorted by
    value (highest at the top), confidence intervals when ``data`` has ``lower``/``upper``
    (bars then coloured better / similar / worse, or higher / similar / lower, against the
    comparator), the ``comparator`` (``"nation"``, ``"county"``, ``"similar"``,
    ``"county_municipalities"``, ``"skr_group"``) as a vertical line, and the ``highlight``
    municipality in bold. Returns the Axes.
    """
    lang = _style.check_lang(lang)
    level = _data.check_level(level)
    against = _comparator_names(comparator, "comparator")[0]
    sex = _data.sex_code(sex)
    df = _data.long_frame(data)
    ind = _data.indicator(indicator, df, catalogue)
    areas, group, own = group_areas(county, similar_to)
    marked = None if highlight is None else _data.area_id(highlight, "highlight")
    if marked is not None and marked not in areas:
        raise _jamlik.InvalidArgumentError(f"`highlight`: {_data.area_name(marked)} ({marked}) is not among the areas drawn")
    rows = _data.at_level(df[(df["kpi"] == ind.kpi) & (df["sex"] == sex)], level)
    if year is None:
        year = _data.latest_year(rows, ind.kpi, sex)
    drawn = rows[(rows["year"] == int(year)) & rows["area"].isin(areas) & rows["value"].notna()].sort_values("value")
    if drawn.empty:
        raise _jamlik.InvalidArgumentError(f"`year`: no values of {ind.kpi} (sex {sex}) for these municipalities in {year}")
    lookup = own or marked or str(drawn["area"].iloc[-1])
    compared = to_pandas(goals.compare_areas(rows[["kpi", "area", "year", "sex", "value"]], kpi=ind.kpi,
                                             municipality=lookup, year=int(year), sex=sex))
    values_of = dict(zip(compared["comparison"], compared["value"]))
    reference = float(values_of.get(COMPARATORS[against][0], np.nan))

    n = len(drawn)
    ax = _style.axes(ax, figsize=(7.0, 1.6 + 0.26 * n))
    y = np.arange(n)
    values = drawn["value"].to_numpy(dtype=np.float64)
    if _data.has_ci(drawn):
        lower = drawn["lower"].to_numpy(dtype=np.float64)
        upper = drawn["upper"].to_numpy(dtype=np.float64)
        cats = _data.classify(lower, upper, np.full(n, reference), ind.direction)
    else:
        lower = upper = None
        cats = ["not compared"] * n
    colours = [_style.SIGNIFICANCE_COLOURS[c] for c in cats]
    bars = ax.barh(y, values, color=colours, edgecolor="#555555", linewidth=0.5, height=0.75)
    for bar in bars:
        bar.set_gid("jamlik-bar")
    if lower is not None and upper is not None:
        ax.errorbar(values, y, xerr=[values - lower, upper - values], fmt="none", ecolor="black", elinewidth=0.9,
                    capsize=2, label=_style.text("ci", lang, level=level)).lines[2][0].set_gid("jamlik-ci")
    names = [_data.area_name(a) for a in drawn["area"]]
    ax.set_yticks(y, labels=names, fontsize="small")
    for tick, area, bar in zip(ax.get_yticklabels(), drawn["area"], bars):
        if area == marked:
            tick.set_fontweight("bold")
            bar.set_edgecolor("black")
            bar.set_linewidth(2.0)
    if not np.isnan(reference):
        name = _style.text(COMPARATORS[against][1], lang)
        if against == "county":
            name = _data.area_name(str(_data.geography().at[lookup, "region"]))
        ax.axvline(reference, color=_style.PALETTE[against], linestyle="--", linewidth=1.6,
                   label=_style.text("comparator", lang, name=name, value=reference)).set_gid("jamlik-comparator")
    for cat in dict.fromkeys(cats):
        ax.barh([np.nan], [np.nan], color=_style.SIGNIFICANCE_COLOURS[cat], edgecolor="#555555", linewidth=0.5,
                label=_style.category(cat, lang))
    lo = float(np.nanmin(lower if lower is not None else values))
    hi = float(np.nanmax(upper if upper is not None else values))
    if lo > 0.5 * hi > 0:  # values far from zero: start the axis near them so differences show
        ax.set_xlim(lo - 0.15 * (hi - lo), hi + 0.05 * (hi - lo))
    ax.set_ylim(-0.7, n - 0.3)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.set_xlabel(ind.unit_in(lang) or _style.text("value", lang))
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    _style.title(ax, f"{ind.title(lang)}\n{_style.text('compare_areas', lang, year=int(year), group=group)}"
                 if county is not None else
                 f"{ind.title(lang)}\n{int(year)}, {_style.text('similar_group', lang, name=group)}", width=80)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(data, synthetic), kolada=_style.is_kolada(data))
    return cast("Axes", ax)
