"""Small-numbers notes: where one year's value of a small municipality says little.

Each note sits beside the raw value, never instead of it. What is checked depends on what
the data carry: counts and populations (few events, funnel significance against the county),
confidence limits (a wide interval), and, always, how much the yearly values scatter around
their own trend compared with the typical municipality (which needs no extra columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from jamlik._frames import to_pandas

if TYPE_CHECKING:
    from jamlik.report.sections import Builder


def _scatter(k: Any) -> Any:
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


def notes(b: Builder) -> list[str]:
    from jamlik.report.sections import FEW_EVENTS, NOISY_RATIO, SMALL_POPULATION, fmt

    sv = b.lang == "sv"
    out: list[str] = []
    d = to_pandas(b.data, name="data")
    d = d[d["sex"] == "T"]
    pop = _population(b, d)
    if pop is not None and pop < SMALL_POPULATION:
        out.append(
            f"{b.name(b.id)} har {fmt(pop)} invånare: årliga värden bygger på få personer och varierar av slump."
            if sv else
            f"{b.name(b.id)} has {fmt(pop)} inhabitants: yearly values rest on few people and vary by chance."
        )
    municipalities = d["area"].astype(str).map(lambda a: len(a) == 4 and not a.startswith("00"))
    for _goal, ind, kpi, row in b._municipal_indicators():
        title = b._indicator_title(ind, row)
        k = d[(d["kpi"] == kpi) & (d["sex"] == "T") & d["value"].notna() & municipalities]
        k = k[k["year"] <= (b.year or 9999)]
        mine = k[k["area"] == b.id].sort_values("year")
        if mine.empty:
            continue
        last = mine.iloc[-1]
        if {"count", "population"} <= set(k.columns) and not np.isnan(float(last.get("population", np.nan))):
            events = float(last["count"])
            if events < FEW_EVENTS:
                out.append(
                    f"{title}: {fmt(events, 0)} händelser {int(last['year'])} — färre än {FEW_EVENTS}; värdet är osäkert."
                    if sv else
                    f"{title}: {fmt(events, 0)} events in {int(last['year'])} — fewer than {FEW_EVENTS}; the value "
                    f"is unstable."
                )
            flag = _funnel_flag(b, k, int(last["year"]), str(row["unit"]))
            if flag:
                out.append(f"{title}: {'trattdiagram mot länet' if sv else 'funnel plot against the county'}: {flag}.")
        if {"lower", "upper"} <= set(k.columns) and not np.isnan(float(last.get("lower", np.nan))):
            width = float(last["upper"]) - float(last["lower"])
            if width > 0.25 * abs(float(last["value"])):
                out.append(
                    f"{title}: 95 % konfidensintervall {fmt(last['lower'])}–{fmt(last['upper'])} är brett jämfört "
                    f"med värdet {fmt(last['value'])}."
                    if sv else
                    f"{title}: the 95 % confidence interval {fmt(last['lower'])}–{fmt(last['upper'])} is wide "
                    f"against the value {fmt(last['value'])}."
                )
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


def _population(b: Builder, d: Any) -> Any:
    if b.population is not None:
        p = b.population
        p = p[(p["area"] == b.id) & (p["sex"] == "T")]
        if len(p):
            return float(p.sort_values("year")["population"].iloc[-1])
    return None


def _funnel_flag(b: Builder, k: Any, year: int, unit: str) -> str:
    """The municipality's funnel significance among the county's municipalities (proportions
    for percentages, rates otherwise), or "" when not significant."""
    from jamlik.indicators import funnel_significance

    f = k[(k["year"] == year) & k["area"].isin(b.county)][["area", "count", "population"]].dropna()
    if len(f) < 3 or b.id not in set(f["area"]):
        return ""
    statistic = "proportion" if unit.startswith("%") else "rate"
    flags = funnel_significance(f.reset_index(drop=True), statistic=statistic, count="count",
                                population="population")
    label = str(flags.loc[flags["area"] == b.id, "significance"].iloc[0])
    return "" if label in ("Not significant", "None", "nan") else label
