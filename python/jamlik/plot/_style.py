"""The charts' look and words: one colour-blind-safe palette, the Swedish and English texts,
and the small pieces every chart shares (a new Axes, the SYNTHETIC note, the Kolada credit).

Colours are Okabe & Ito's (2008) palette, which stays distinct under the common colour-vision
deficiencies; each meaning (better, worse, women, the nation, ...) has one colour across all
charts, listed in ``docs/plot.md``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any, Optional

from jamlik import _jamlik
from jamlik._extras import require

#: Okabe-Ito colours by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: One colour per meaning, shared by every chart.
PALETTE: dict[str, str] = {
    "area": OKABE_ITO["black"],
    "county": OKABE_ITO["bluish_green"],
    "nation": OKABE_ITO["orange"],
    "similar": OKABE_ITO["reddish_purple"],
    "county_municipalities": OKABE_ITO["sky_blue"],
    "skr_group": OKABE_ITO["grey"],
    "target": OKABE_ITO["vermillion"],
    "better": OKABE_ITO["blue"],
    "similar_value": OKABE_ITO["yellow"],
    "worse": OKABE_ITO["vermillion"],
    "higher": OKABE_ITO["blue"],
    "lower": OKABE_ITO["sky_blue"],
    "not_compared": "#DDDDDD",
    "women": OKABE_ITO["vermillion"],
    "men": OKABE_ITO["blue"],
    "gap": OKABE_ITO["grey"],
    "band": "#BBBBBB",
    "range": "#D9D9D9",
    "iqr": "#8C8C8C",
    "highlight": OKABE_ITO["orange"],
}

#: Progress categories (SKR, Eurostat, UN) → colour: blues for progress, yellow for none,
#: vermillion for the wrong way, as an ordered, colour-blind-safe scale.
PROGRESS_COLOURS: dict[str, str] = {
    "target met": "#0072B2",
    "significant progress": "#0072B2",
    "on track": "#0072B2",
    "moderate progress": "#56B4E9",
    "fair progress": "#56B4E9",
    "improved, target not met": "#56B4E9",
    "insufficient progress": "#F0E442",
    "limited progress": "#F0E442",
    "no change": "#F0E442",
    "stagnation": "#F0E442",
    "moving away": "#E69F00",
    "moderate movement away": "#E69F00",
    "significant movement away": "#D55E00",
    "regression": "#D55E00",
    "worsened": "#D55E00",
}

#: Significance categories → colour.
SIGNIFICANCE_COLOURS: dict[str, str] = {
    "better": PALETTE["better"],
    "similar": PALETTE["similar_value"],
    "worse": PALETTE["worse"],
    "higher": PALETTE["higher"],
    "lower": PALETTE["lower"],
    "not compared": PALETTE["not_compared"],
}

#: Every text a chart writes: key → (English, Swedish).
TEXTS: dict[str, tuple[str, str]] = {
    # significance and progress categories
    "better": ("better", "bättre"),
    "similar": ("similar", "likvärdig"),
    "worse": ("worse", "sämre"),
    "higher": ("higher", "högre"),
    "lower": ("lower", "lägre"),
    "not compared": ("not compared (no CI)", "ej jämförd (inget KI)"),
    "target met": ("target met", "målet nått"),
    "significant progress": ("significant progress", "betydande framsteg"),
    "moderate progress": ("moderate progress", "måttliga framsteg"),
    "insufficient progress": ("insufficient progress", "otillräckliga framsteg"),
    "moving away": ("moving away", "rör sig bort från målet"),
    "moderate movement away": ("moderate movement away", "måttlig rörelse bort från målet"),
    "significant movement away": ("significant movement away", "betydande rörelse bort från målet"),
    "on track": ("on track", "i fas"),
    "fair progress": ("fair progress", "godtagbara framsteg"),
    "limited progress": ("limited progress", "begränsade framsteg"),
    "stagnation": ("stagnation", "stagnation"),
    "regression": ("regression", "tillbakagång"),
    "improved, target not met": ("improved, target not met", "förbättrat, målet ej nått"),
    "no change": ("no change", "oförändrat"),
    "worsened": ("worsened", "försämrat"),
    "no value": ("no value", "värde saknas"),
    # series
    "county": ("county", "län"),
    "nation": ("Sweden", "Riket"),
    "similar_mean": ("similar municipalities (mean)", "liknande kommuner (medel)"),
    "county_municipalities": ("county's municipalities (mean)", "länets kommuner (medel)"),
    "skr_group": ("SKR group (mean)", "SKR-grupp (medel)"),
    "women": ("women", "kvinnor"),
    "men": ("men", "män"),
    "total": ("total", "totalt"),
    "ci": ("{level:.0%} confidence interval", "{level:.0%} konfidensintervall"),
    "target": ("target {value:.3g} in {year}", "mål {value:.3g} år {year}"),
    "target_year": ("target year {year}", "målår {year}"),
    "compared_with": ("colour: compared with {comparator}", "färg: jämfört med {comparator}"),
    # axes and titles
    "year": ("year", "år"),
    "value": ("value", "värde"),
    "gap": ("gap women − men", "skillnad kvinnor − män"),
    "gap_trend": ("gap trend and projection", "skillnadens trend och prognos"),
    "gap_closes": ("gap closes ≈ {year:.0f} at its trend", "skillnaden sluts ≈ {year:.0f} med nuvarande trend"),
    "gap_open": ("gap does not close at its trend", "skillnaden sluts inte med nuvarande trend"),
    "women_vs_men": ("Women and men", "Kvinnor och män"),
    "compare_areas": ("{year}, municipalities of {group}", "{year}, kommuner i {group}"),
    "similar_group": ("the group similar to {name}", "gruppen liknande {name}"),
    "comparator": ("{name}: {value:.3g}", "{name}: {value:.3g}"),
    "spine_title": ("{name}: every indicator against all municipalities ({year})",
                    "{name}: alla indikatorer jämfört med landets kommuner ({year})"),
    "latest_year": ("latest year", "senaste året"),
    "county_level": ("county", "län"),
    "spine_scale": ("worst ← national median → best (municipalities)",
                    "sämst ← rikets median → bäst (kommuner)"),
    "spine_scale_nodir": ("lowest ← national median → highest (municipalities)",
                          "lägst ← rikets median → högst (kommuner)"),
    "spine_value": ("value", "värde"),
    "spine_count": ("count", "antal"),
    "spine_trend": ("trend", "trend"),
    "range": ("worst to best", "sämst till bäst"),
    "iqr": ("25th to 75th percentile", "25:e till 75:e percentilen"),
    "median": ("median", "median"),
    "overview_title": ("Goals by area, {year}: {colour_by}", "Mål per område, {year}: {colour_by}"),
    "progress": ("progress (SKR: change since baseline)", "utveckling (SKR: förändring sedan basår)"),
    "eurostat_short": ("progress (Eurostat, short term)", "utveckling (Eurostat, kort sikt)"),
    "significance": ("compared with Sweden", "jämfört med riket"),
    "funnel_title": ("Funnel plot", "Trattdiagram"),
    "funnel_x_population": ("population", "befolkning"),
    "funnel_x_count": ("observed count", "observerat antal"),
    "funnel_y_proportion": ("proportion (per {m})", "andel (per {m})"),
    "funnel_y_percent": ("proportion (%)", "andel (%)"),
    "funnel_y_rate": ("rate per {m}", "per {m}"),
    "funnel_limit": ("{level:g} % limits", "{level:g} %-gränser"),
    "baseline": ("overall value", "totalt värde"),
    "funnel_high": ("above the limits", "över gränserna"),
    "funnel_low": ("below the limits", "under gränserna"),
    "funnel_within": ("within the 95% limits", "inom 95 %-gränserna"),
    "equiplot_title": ("Estimates by subgroup", "Skattningar per undergrupp"),
    "estimate": ("estimate", "skattning"),
    "subgroup": ("subgroup", "undergrupp"),
    "summary_title": ("Summary measures of inequality over time", "Sammanfattande ojämlikhetsmått över tid"),
    "concentration_title": ("Concentration curve", "Koncentrationskurva"),
    "lorenz_title": ("Lorenz curve", "Lorenzkurva"),
    "equality": ("line of equality", "jämlikhetslinje"),
    "population_share": ("cumulative share of the population, ranked", "kumulativ andel av befolkningen, rangordnad"),
    "outcome_share": ("cumulative share of the outcome", "kumulativ andel av utfallet"),
    "ci_index": ("{name} = {value:.3f} ({level:.0%} CI {lower:.3f} to {upper:.3f})",
                 "{name} = {value:.3f} ({level:.0%} KI {lower:.3f} till {upper:.3f})"),
    "concentration_index": ("concentration index", "koncentrationsindex"),
    "gini": ("Gini", "Gini"),
    "curve": ("concentration curve", "koncentrationskurva"),
    "lorenz": ("Lorenz curve", "Lorenzkurva"),
    # notes
    "synthetic": ("SYNTHETIC DATA", "SYNTETISKA DATA"),
    "kolada": ("Source: Kolada (CC BY 4.0)", "Källa: Kolada (CC BY 4.0)"),
}

#: HEAT summary-measure names for axis labels.
MEASURE_NAMES: dict[str, tuple[str, str]] = {
    "sii": ("slope index of inequality (SII)", "lutningsindex för ojämlikhet (SII)"),
    "rii": ("relative index of inequality (RII)", "relativt ojämlikhetsindex (RII)"),
    "rci": ("relative concentration index (RCI)", "relativt koncentrationsindex (RCI)"),
    "aci": ("absolute concentration index (ACI)", "absolut koncentrationsindex (ACI)"),
    "d": ("difference (D)", "differens (D)"),
    "r": ("ratio (R)", "kvot (R)"),
}

LANGS = ("en", "sv")


def check_lang(lang: Any) -> str:
    """``lang`` as given, or an InvalidArgumentError naming it."""
    if not isinstance(lang, str) or lang not in LANGS:
        raise _jamlik.InvalidArgumentError(f'`lang`: expected "sv" (Swedish) or "en" (English), got {lang!r}')
    return lang


def text(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in."""
    en, sv = TEXTS[key]
    return (sv if lang == "sv" else en).format(**values)


def category(name: Optional[str], lang: str) -> str:
    """A category (significance or progress) in ``lang``; unknown ones as they are."""
    if name is None:
        return text("no value", lang)
    return text(name, lang) if name in TEXTS else name


def measure_name(measure: str, lang: str) -> str:
    names = MEASURE_NAMES.get(measure)
    if names is None:
        return measure.upper()
    return names[1] if lang == "sv" else names[0]


def pyplot() -> Any:
    """matplotlib.pyplot, or MissingExtraError naming ``jamlik[plot]``."""
    require("matplotlib", extra="plot")
    return require("matplotlib.pyplot", extra="plot")


def axes(ax: Any, figsize: tuple[float, float] = (7.0, 4.2), margins: Optional[dict[str, float]] = None) -> Any:
    """``ax`` when given (checked), else the Axes of a new figure: with a constrained layout,
    or with fixed ``margins`` (figure fractions) for charts with text beside the Axes."""
    plt = pyplot()
    if ax is None:
        if margins is not None:
            fig, ax = plt.subplots(figsize=figsize)
            fig.subplots_adjust(**margins)
            return ax
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise _jamlik.InvalidArgumentError(
            f"`ax`: expected a matplotlib Axes (or None for a new figure), got {type(ax).__name__}"
        )
    return ax


def title(ax: Any, main: str, width: int = 70, pad: float = 6.0) -> None:
    """A left-aligned title, wrapped so it never runs into the note on the right."""
    lines = [textwrap.fill(line, width) for line in main.split("\n")]
    ax.set_title("\n".join(lines), loc="left", fontsize="medium", pad=pad)


def number(value: float) -> str:
    """A value for a cell or a table: three significant digits, thousands in full."""
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", "\u2009")
    return f"{value:.3g}"


def source_note(ax: Any, lang: str, *, synthetic: bool, kolada: bool, where: str = "below", offset: float = -22.0) -> None:
    """The SYNTHETIC label (synthetic data) or the Kolada credit (real Kolada data), small,
    under the Axes' lower right corner (``where="below"``, ``offset`` points down) or above
    its upper right corner (``"above"``), where it covers neither data nor the title."""
    if synthetic:
        words, colour, weight = text("synthetic", lang), PALETTE["worse"], "bold"
    elif kolada:
        words, colour, weight = text("kolada", lang), "#555555", "normal"
    else:
        return
    above = where == "above"
    note = ax.annotate(words, xy=(1.0, 1.0 if above else 0.0), xycoords="axes fraction", xytext=(0, 3 if above else offset),
                       textcoords="offset points", ha="right", va="bottom" if above else "top", fontsize="x-small",
                       color=colour, fontweight=weight, annotation_clip=False)
    note.set_gid("jamlik-source-note")


def is_synthetic(data: Any, synthetic: Optional[bool]) -> bool:
    """``synthetic`` when given, else the frame's own label (pandas ``attrs``)."""
    if synthetic is not None:
        if not isinstance(synthetic, bool):
            raise _jamlik.InvalidArgumentError(f"`synthetic` must be True, False or None, got {synthetic!r}")
        return synthetic
    attrs = getattr(data, "attrs", None)
    return bool(isinstance(attrs, Mapping) and attrs.get("synthetic"))


def is_kolada(data: Any) -> bool:
    """Whether a frame says it holds Kolada's data (its ``attrs["source"]``)."""
    attrs = getattr(data, "attrs", None)
    return bool(isinstance(attrs, Mapping) and "Kolada" in str(attrs.get("source", "")) and not attrs.get("synthetic"))
