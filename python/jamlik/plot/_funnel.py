"""Funnel plot: each area's proportion or rate against its size, with the 95 % and 99.8 %
control limits of :func:`jamlik.indicators.funnel_limits` and the outliers that
:func:`jamlik.indicators.funnel_significance` finds labelled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, cast

import numpy as np

from jamlik import _jamlik, indicators
from jamlik._frames import require_columns, to_pandas
from jamlik.plot import _data, _style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

STATISTICS = ("proportion", "rate")
#: Default multipliers, as jamlik.indicators' funnels: per cent and per 100,000.
MULTIPLIERS = {"proportion": 100.0, "rate": 100_000.0}
LEVELS = (0.95, 0.998)
#: At most this many outliers (beyond the 99.8 % limits) are labelled, the most extreme first.
MAX_LABELS = 8


def funnel(
    frame: Any,
    *,
    statistic: str = "proportion",
    count: str = "count",
    population: str = "population",
    label: str = "area",
    multiplier: Optional[float] = None,
    synthetic: Optional[bool] = None,
    ax: Optional[Axes] = None,
    lang: str = "en",
) -> Axes:
    """Each row of ``frame`` (one area: ``count`` events in ``population``) as a point, its
    proportion (``statistic="proportion"``, against the population) or rate (``"rate"``,
    against the observed count, as the rate funnel's x-axis) times ``multiplier`` (default
    100 and 100,000); the overall value and the 95 % and 99.8 % limits; points outside the
    95 % limits coloured higher / lower, and those outside the 99.8 % limits labelled with
    their ``label`` (area ids are shown by name; the eight most extreme when there are more).
    Returns the Axes.
    """
    lang = _style.check_lang(lang)
    if statistic not in STATISTICS:
        raise _jamlik.InvalidArgumentError(
            f"`statistic`: expected 'proportion' or 'rate', got {statistic!r} (ratio funnels need expected counts: "
            "use jamlik.indicators.funnel_limits directly)"
        )
    for arg, name in (("count", count), ("population", population), ("label", label)):
        if not isinstance(name, str):
            raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name of `frame`, got {type(name).__name__}")
    df = to_pandas(frame, name="frame")
    require_columns(df, [count, population, label], argument="frame", expected=[count, population, label])
    m = MULTIPLIERS[statistic] if multiplier is None else multiplier
    limits = to_pandas(indicators.funnel_limits(df, statistic=statistic, count=count, population=population,
                                                multiplier=m, level=LEVELS))
    flags = to_pandas(indicators.funnel_significance(df, statistic=statistic, count=count, population=population,
                                                     multiplier=m, level=LEVELS))["significance"].astype(str).tolist()
    compute = indicators.proportion if statistic == "proportion" else indicators.rate
    values = to_pandas(compute(df[count].to_numpy(dtype=np.float64), df[population].to_numpy(dtype=np.float64),
                               multiplier=m))["value"].to_numpy(dtype=np.float64)
    xname = "population" if statistic == "proportion" else "count"
    x = df[population if statistic == "proportion" else count].to_numpy(dtype=np.float64)

    ax = _style.axes(ax, figsize=(7.5, 4.6))
    for level, style in zip(LEVELS, ("--", ":")):
        lim = limits[np.isclose(limits["level"], level)]
        lw = 1.3 if level == LEVELS[0] else 1.1
        ax.plot(lim[xname], lim["upper"], color="#444444", linestyle=style, linewidth=lw,
                label=_style.text("funnel_limit", lang, level=round(level * 100, 1)))[0].set_gid(f"jamlik-upper-{level:g}")
        ax.plot(lim[xname], lim["lower"], color="#444444", linestyle=style, linewidth=lw)[0].set_gid(
            f"jamlik-lower-{level:g}")
    baseline = float(limits["baseline"].iloc[0])
    ax.axhline(baseline, color=_style.PALETTE["nation"], linewidth=1.5,
               label=f"{_style.text('baseline', lang)}: {_style.number(baseline)}").set_gid("jamlik-baseline")
    groups = {"funnel_high": "High", "funnel_low": "Low"}
    inside = np.array([not f.startswith(("High", "Low")) for f in flags])
    ax.scatter(x[inside], values[inside], s=22, color=_style.PALETTE["not_compared"], edgecolors="#555555",
               linewidths=0.5, zorder=3, label=_style.text("funnel_within", lang)).set_gid("jamlik-points-within")
    for key, prefix in groups.items():
        keep = np.array([f.startswith(prefix) for f in flags])
        if keep.any():
            colour = _style.PALETTE["higher" if prefix == "High" else "lower"]
            # Two blues (Fingertips' higher/lower) plus the marker's direction, so the two
            # groups differ without relying on shade alone.
            marker = "^" if prefix == "High" else "v"
            ax.scatter(x[keep], values[keep], s=34, color=colour, marker=marker, edgecolors="black", linewidths=0.6,
                       zorder=4,
                       label=_style.text(key, lang)).set_gid(f"jamlik-points-{prefix.lower()}")
    names = [_data.area_name(str(v)) for v in df[label]]
    outliers = [i for i, f in enumerate(flags) if f.endswith("(0.001)")]
    # Labels for the most extreme outliers only (distance from the overall value in standard
    # errors of a count, roughly), so that names stay readable.
    outliers.sort(key=lambda i: -abs(values[i] - baseline) * np.sqrt(max(x[i], 0.0)))
    for i in outliers[:MAX_LABELS]:
        ax.annotate(names[i], (x[i], values[i]), xytext=(4, 3), textcoords="offset points", fontsize="x-small").set_gid(
            "jamlik-outlier-label")
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    if hi / max(lo, 1e-12) > 30:
        ax.set_xscale("log")
        ax.set_xlim(lo / 1.5, hi * 1.5)
    else:
        ax.set_xlim(max(0.0, lo - 0.05 * (hi - lo)), hi + 0.05 * (hi - lo))
    top = max(float(np.nanmax(values)), float(limits[xname].pipe(lambda s: limits["upper"][s >= np.nanmin(x)]).max()))
    bottom = min(float(np.nanmin(values)), float(limits["lower"][limits[xname] >= np.nanmin(x)].min()))
    pad = 0.08 * (top - bottom)
    ax.set_ylim(bottom - pad, top + pad)
    ax.set_xlabel(_style.text("funnel_x_population" if statistic == "proportion" else "funnel_x_count", lang))
    percent = statistic == "proportion" and m == 100
    per = _style.number(m)
    ax.set_ylabel(_style.text("funnel_y_percent", lang) if percent else _style.text(f"funnel_y_{statistic}", lang, m=per))
    ax.grid(color="#EEEEEE", linewidth=0.8)
    ax.set_axisbelow(True)
    _style.title(ax, _style.text("funnel_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    _style.source_note(ax, lang, synthetic=_style.is_synthetic(frame, synthetic), kolada=_style.is_kolada(frame))
    return cast("Axes", ax)
