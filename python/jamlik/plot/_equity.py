"""Equity charts: the equiplot of WHO HEAT subgroup estimates, the trend of HEAT summary
measures (:func:`jamlik.heat.summary` over years) and the concentration / Lorenz curve
(:func:`jamlik.concentration_curve` with :func:`jamlik.concentration_index` or
:func:`jamlik.gini` in the legend)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional, cast

import numpy as np

from jamlik import _jamlik, microdata
from jamlik._frames import require_columns, to_pandas
from jamlik._jamlik import JamlikError
from jamlik.plot import _style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Subgroup colours in subgroup order (Okabe-Ito without black and yellow, readable as dots).
SUBGROUP_COLOURS = ("#D55E00", "#E69F00", "#009E73", "#56B4E9", "#0072B2", "#CC79A7", "#999999")


def equiplot(
    frame: Any,
    *,
    setting: Optional[str] = "setting",
    year: Optional[str] = "year",
    subgroup: str = "subgroup",
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """A HEAT input frame (columns as :data:`jamlik.heat.COLUMNS`: ``estimate``, ``se``,
    ``subgroup_order``, ...) as an equiplot: one horizontal line per ``setting`` × ``year``
    (either may be None when the frame has one), the subgroups' ``estimate`` as coloured
    dots on it (in ``subgroup_order`` when the dimension is ordered), the line spanning the
    gap between the lowest and highest. Returns the Axes.
    """
    lang = _style.check_lang(lang)
    df = to_pandas(frame, name="frame")
    keys = [k for k in (setting, year) if k is not None]
    require_columns(df, ["estimate", subgroup, *keys], argument="frame", expected=["estimate", subgroup, *keys])
    if df.empty:
        raise _jamlik.InvalidArgumentError("`frame` has no rows")
    order = (df.groupby(subgroup, sort=False)["subgroup_order"].max() if "subgroup_order" in df.columns
             else None)
    groups = list(dict.fromkeys(df[subgroup].astype(str)))
    if order is not None and (order > 0).all():
        groups = [str(g) for g in order.sort_values(kind="stable").index]
    colours = {g: SUBGROUP_COLOURS[i % len(SUBGROUP_COLOURS)] for i, g in enumerate(groups)}
    lines = [()] if not keys else list(df[keys].drop_duplicates().itertuples(index=False, name=None))
    lines = sorted(lines, key=lambda t: tuple(str(v) for v in t), reverse=True)
    ax = _style.axes(ax, figsize=(7.5, 1.6 + 0.42 * max(len(lines), 2)))
    for y, key in enumerate(lines):
        rows = df
        for col, v in zip(keys, key):
            rows = rows[rows[col] == v]
        est = rows["estimate"].to_numpy(dtype=np.float64)
        ax.plot([np.nanmin(est), np.nanmax(est)], [y, y], color="#BBBBBB", linewidth=3, solid_capstyle="round", zorder=1)
        for g in groups:
            mine = rows[rows[subgroup].astype(str) == g]
            if mine.empty:
                continue
            dots = ax.scatter(mine["estimate"].to_numpy(dtype=np.float64), np.full(len(mine), float(y)), s=60,
                              color=colours[g], edgecolors="black", linewidths=0.5, zorder=3,
                              label=g if y == 0 else None)
            dots.set_gid(f"jamlik-equiplot:{'|'.join(str(v) for v in key)}:{g}")
    ax.set_yticks(np.arange(len(lines)), labels=[" ".join(str(v) for v in key) for key in lines], fontsize="small")
    ax.set_ylim(-0.7, len(lines) - 0.3)
    ax.set_xlabel(_style.text("estimate", lang))
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False, title=_style.text("subgroup", lang),
              title_fontsize="small", alignment="left")
    _style.title(ax, _style.text("equiplot_title", lang))
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(frame, synthetic), kolada=_style.is_kolada(frame))
    return cast("Axes", ax)


def summary_trend(
    frame: Any,
    *,
    measures: Sequence[str] = ("sii", "rci"),
    year: str = "year",
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """Summary measures over time from :func:`jamlik.heat.summary` run with ``by="year"``
    (``measure, value, lower, upper`` and the ``year`` column): each measure as a line with
    its confidence band; a second measure (its own scale) on the right-hand axis. At most two
    measures; one row per measure and year. Returns the Axes (the left one).
    """
    lang = _style.check_lang(lang)
    names = [measures] if isinstance(measures, str) else list(measures)
    if not 1 <= len(names) <= 2:
        raise _jamlik.InvalidArgumentError(
            f"`measures`: give one or two measures (each has its own scale), got {len(names)}; "
            "draw more with another call and ax="
        )
    df = to_pandas(frame, name="frame")
    require_columns(df, ["measure", "value", year], argument="frame", expected=["measure", "value", year])
    ax = _style.axes(ax, figsize=(7.5, 4.2))
    handles: list[Any] = []
    target = ax
    for i, (name, colour) in enumerate(zip(names, (_style.PALETTE["better"], _style.PALETTE["worse"]))):
        rows = df[df["measure"] == name].sort_values(year)
        if rows.empty:
            have = ", ".join(sorted(set(df["measure"].astype(str))))
            raise _jamlik.InvalidArgumentError(f"`measures`: {name!r} is not in the frame; it has {have}")
        if rows[year].duplicated().any():
            raise _jamlik.InvalidArgumentError(
                f"`frame` has several rows of {name!r} per {year}: summarise one dimension (filter it) or pass "
                f"heat.summary(..., by='{year}')"
            )
        if i == 1:
            target = ax.twinx()
        x = rows[year].to_numpy(dtype=np.float64)
        v = rows["value"].to_numpy(dtype=np.float64)
        if "lower" in rows.columns and "upper" in rows.columns:
            target.fill_between(x, rows["lower"].to_numpy(dtype=np.float64), rows["upper"].to_numpy(dtype=np.float64),
                                color=colour, alpha=0.15, linewidth=0).set_gid(f"jamlik-band-{name}")
        line = target.plot(x, v, color=colour, marker="o" if i == 0 else "s", linewidth=2,
                           linestyle="-" if i == 0 else "--", label=_style.measure_name(name, lang))[0]
        line.set_gid(f"jamlik-measure-{name}")
        handles.append(line)
        target.set_ylabel(_style.measure_name(name, lang), color=colour)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_style.text("year", lang))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.12 if len(names) == 2 else 1.01, 1.0),
              fontsize="small", frameon=False)
    _style.title(ax, _style.text("summary_title", lang))
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(frame, synthetic), kolada=_style.is_kolada(frame))
    return cast("Axes", ax)


def concentration_curve(
    outcome: Any,
    rank_by: Any = None,
    weights: Any = None,
    *,
    level: float = 0.95,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """The concentration curve of ``outcome`` over the population ranked by ``rank_by``
    (or, without ``rank_by``, the Lorenz curve of ``outcome``) from
    :func:`jamlik.concentration_curve`, the line of equality, and the concentration index
    (:func:`jamlik.concentration_index`) or Gini coefficient (:func:`jamlik.gini`) with its
    ``level`` confidence interval in the legend. Returns the Axes.
    """
    lang = _style.check_lang(lang)
    try:
        curve = to_pandas(microdata.concentration_curve(outcome, rank_by, weights))
        if rank_by is None:
            index, name, key, heading = microdata.gini(outcome, weights, level=level), "gini", "lorenz", "lorenz_title"
        else:
            index = microdata.concentration_index(outcome, rank_by, weights, level=level)
            name, key, heading = "concentration_index", "curve", "concentration_title"
    except JamlikError as e:
        # The Lorenz curve's Gini calls the outcome `values`: say which argument of this chart.
        if "`outcome`" in str(e) or "`rank_by`" in str(e) or "`weights`" in str(e):
            raise
        raise type(e)(f"`outcome`: {e}") from None
    ax = _style.axes(ax, figsize=(5.6, 5.0))
    ax.plot([0, 1], [0, 1], color="#777777", linestyle="--", linewidth=1, label=_style.text("equality", lang))[0] \
        .set_gid("jamlik-equality")
    words = _style.text("ci_index", lang, name=_style.text(name, lang), value=index.value, level=index.level,
                        lower=index.lower, upper=index.upper)
    ax.plot(curve["population_share"], curve["outcome_share"], color=_style.PALETTE["better"], linewidth=2,
            label=f"{_style.text(key, lang)}\n{words}")[0].set_gid("jamlik-curve")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(_style.text("population_share", lang))
    ax.set_ylabel(_style.text("outcome_share", lang))
    ax.grid(color="#EEEEEE", linewidth=0.8)
    ax.legend(loc="upper left", fontsize="small", frameon=True, framealpha=0.9)
    _style.title(ax, _style.text(heading, lang))
    _style.source_note(ax, lang, synthetic=bool(synthetic), kolada=False)
    return cast("Axes", ax)
