"""Small-numbers notes: where one year's value of a small municipality says little.

Each note sits beside the raw value, never instead of it, and uses only what the data
carry: counts and populations (few events, funnel flags against the county's
municipalities, empirical-Bayes smoothing toward the county's mean), standard errors or
confidence limits (rank intervals within the county, a wide interval), and, always, how
much the yearly values scatter around their own trend compared with the typical
municipality (which needs no extra column)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from jamlik._frames import to_pandas

if TYPE_CHECKING:
    from jamlik.report.sections import Builder

Z95 = 1.959963984540054


def _scatter(k: Any) -> dict[str, float]:
    """Each area's residual standard deviation around its own least-squares line (NaN with
    fewer than four years), computed for all areas at once."""
    wide = k.pivot_table(index="area", columns="year", values="value", aggfunc="first")
    y = wide.to_numpy(dtype=np.float64)
    x = np.broadcast_to(wide.columns.to_numpy(dtype=np.float64), y.shape)
    m = ~np.isnan(y)
    n = m.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(m, x, 0).sum(axis=1) / n
        my = np.where(m, y, 0).sum(axis=1) / n
        dx = np.where(m, x - mx[:, None], 0)
        dy = np.where(m, y - my[:, None], 0)
        slope = (dx * dy).sum(axis=1) / (dx * dx).sum(axis=1)
        resid = np.where(m, dy - slope[:, None] * dx, 0)
        sd = np.sqrt((resid * resid).sum(axis=1) / (n - 2))
    sd[n < 4] = np.nan
    return dict(zip(wide.index.astype(str), sd))


def _finite(row: Any, column: str) -> Optional[float]:
    if column not in row.index:
        return None
    try:
        v = float(row[column])
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _se_column(frame: Any) -> Optional[Any]:
    """SEs of the rows: the ``se`` column, else from 95 % ``lower``/``upper``; None if absent."""
    if "se" in frame.columns and frame["se"].notna().all():
        return frame["se"].to_numpy(dtype=np.float64)
    if {"lower", "upper"} <= set(frame.columns) and frame[["lower", "upper"]].notna().all().all():
        return ((frame["upper"] - frame["lower"]) / (2 * Z95)).to_numpy(dtype=np.float64)
    return None


def _multiplier(row: Any) -> Optional[float]:
    """Per how many the value is given (100, 100 000), read off value = count/population × m."""
    count, population, value = _finite(row, "count"), _finite(row, "population"), _finite(row, "value")
    if not count or not population or value is None:
        return None
    return float(10 ** round(math.log10(value / (count / population))))


def notes(b: Builder) -> list[str]:
    from jamlik.report.sections import NOISY_RATIO, SMALL_POPULATION, fmt

    sv = b.lang == "sv"
    out: list[str] = []
    d = to_pandas(b.data, name="data")
    d = d[d["sex"] == "T"]
    pop = _population(b)
    if pop is not None and pop < SMALL_POPULATION:
        out.append(
            f"{b.name(b.id)} har {fmt(pop)} invånare: årliga värden bygger på få personer och varierar av slump."
            if sv else
            f"{b.name(b.id)} has {fmt(pop)} inhabitants: yearly values rest on few people and vary by chance."
        )
    municipalities = d["area"].astype(str).map(lambda a: len(a) == 4 and not a.startswith("00"))
    for _goal, ind, kpi, row in b._municipal_indicators():
        title = b._indicator_title(ind, row)
        k = d[(d["kpi"] == kpi) & d["value"].notna() & municipalities]
        k = k[k["year"] <= (b.year or 9999)]
        mine = k[k["area"] == b.id].sort_values("year")
        if mine.empty:
            continue
        last = mine.iloc[-1]
        year = int(last["year"])
        county = k[(k["year"] == year) & k["area"].isin(b.county)].reset_index(drop=True)
        parts = _indicator_parts(b, county, last, str(row["direction"]), str(row["unit"]), sv)
        if parts:
            out.append(f"{title} ({year}): " + "; ".join(parts) + ".")
        scatter = _scatter(k)
        mine_scatter = scatter.get(b.id, float("nan"))
        typical = float(np.nanmedian(list(scatter.values())))
        if typical > 0 and mine_scatter > NOISY_RATIO * typical:
            ratio = mine_scatter / typical
            out.append(
                f"{title}: årsvärdena sprider sig {ratio:.1f} gånger mer kring sin trend än i den typiska kommunen; "
                f"läs trenden snarare än ett enskilt år."
                if sv else
                f"{title}: the yearly values scatter {ratio:.1f} times more around their trend than in the typical "
                f"municipality; read the trend rather than a single year."
            )
    return out


def _indicator_parts(b: Builder, county: Any, last: Any, direction: str, unit: str, sv: bool) -> list[str]:
    """The notes on one indicator's latest value, from the columns the data carry."""
    from jamlik import DEFAULT_SEED
    from jamlik.indicators import funnel_flags, rank_intervals, smooth
    from jamlik.report.sections import FEW_EVENTS, fmt

    parts: list[str] = []
    value = float(last["value"])
    lower, upper = _finite(last, "lower"), _finite(last, "upper")
    if lower is not None and upper is not None and upper - lower > 0.25 * abs(value):
        parts.append(f"brett 95 % konfidensintervall {fmt(lower)}–{fmt(upper)} kring {fmt(value)}" if sv else
                     f"a wide 95 % confidence interval {fmt(lower)}–{fmt(upper)} around {fmt(value)}")
    count, population = _finite(last, "count"), _finite(last, "population")
    multiplier = _multiplier(last)
    counted = county.dropna(subset=["count", "population"]) if {"count", "population"} <= set(county.columns) else None
    if count is not None and population is not None and count < FEW_EVENTS:
        parts.append(f"bara {fmt(count, 0)} händelser av {fmt(population, 0)} (färre än {FEW_EVENTS})" if sv else
                     f"only {fmt(count, 0)} events among {fmt(population, 0)} (fewer than {FEW_EVENTS})")
    if counted is not None and multiplier is not None and len(counted) >= 3 and b.id in set(counted["area"]):
        statistic = "proportion" if unit.startswith("%") else "rate"
        flags = funnel_flags(counted, statistic=statistic, count="count", population="population",
                             multiplier=multiplier)
        flag = str(flags.loc[flags["area"] == b.id, "significance"].iloc[0])
        if flag.startswith(("High", "Low")):
            parts.append(f"utanför länets tratt: {flag}" if sv else f"outside the county's funnel: {flag}")
        eb = smooth(counted, statistic=statistic, count="count", population="population", multiplier=multiplier)
        mine = eb[eb["area"] == b.id].iloc[0]
        parts.append(
            f"empiriskt Bayes-utjämnat mot länets medelvärde: {fmt(mine['smoothed'])} (rått {fmt(value)})" if sv else
            f"empirical-Bayes smoothed toward the county's mean: {fmt(mine['smoothed'])} (raw {fmt(value)})"
        )
    se = _se_column(county)
    if se is not None and len(county) >= 3 and b.id in set(county["area"]):
        ranked = rank_intervals(county.assign(se=se), value="value", se="se", direction=direction,
                                seed=DEFAULT_SEED)
        r = ranked[ranked["area"] == b.id].iloc[0]
        parts.append(
            f"plats {int(r['rank'])} av {len(county)} i länet (95 % intervall {int(r['rank_lower'])}–"
            f"{int(r['rank_upper'])})" if sv else
            f"rank {int(r['rank'])} of {len(county)} in the county (95 % interval {int(r['rank_lower'])}–"
            f"{int(r['rank_upper'])})"
        )
    return parts


def _population(b: Builder) -> Optional[float]:
    if b.population is not None:
        p = b.population
        p = p[(p["area"] == b.id) & (p["sex"] == "T")]
        if len(p):
            return float(p.sort_values("year")["population"].iloc[-1])
    return None
