"""The municipality report as one self-contained HTML page.

jinja2 with autoescape renders ``templates/report.html.j2``; the stylesheet
(``static/report.css``) is inlined and every chart is inline SVG, so the page loads nothing
from anywhere: no script, no font, no style from the network."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any, Optional, Union

from jamlik._extras import require
from jamlik.goals import Catalogue, _as_catalogue, _municipality
from jamlik.report._text import TEXTS, check_lang, pick

__all__ = ["to_html"]


def _environment() -> Any:
    jinja2 = require("jinja2", extra="report")
    # The charts draw through matplotlib; the caller's backend is left alone (a notebook keeps
    # showing its own figures), the command line picks Agg itself.
    require("matplotlib", extra="report")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jamlik.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _css() -> str:
    return (resources.files("jamlik.report") / "static" / "report.css").read_text(encoding="utf-8") + badge_css()


def badge_css() -> str:
    """One rule per progress category in the charts' colours, with dark text on light colours."""
    from jamlik.plot import PROGRESS_COLOURS
    from jamlik.report.sections import progress_class

    rules = []
    for category, colour in PROGRESS_COLOURS.items():
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        ink = "#1d2430" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"
        rules.append(f".badge.{progress_class(category)} {{ background: {colour}; color: {ink}; }}")
    return "\n" + "\n".join(rules) + "\n"


def _population(data: Any, synthetic: bool) -> Any:
    """Populations behind the gaps' weights and the small-numbers notes: the demo's synthetic
    population for the demo; otherwise None (a data file's ``population`` column is each
    KPI's own denominator, which the gaps and HEAT read per KPI themselves)."""
    from jamlik import datasets
    from jamlik._frames import to_pandas

    if not synthetic:
        return None
    years = to_pandas(data, name="data")["year"]
    seed = getattr(data, "attrs", {}).get("seed", datasets.DEMO_SEED)
    return datasets.demo_population(seed=seed, first_year=int(years.min()), last_year=int(years.max()))


def to_html(
    municipality: Union[int, str],
    data: Any = None,
    *,
    catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None,
    at: Optional[int] = None,
    lang: str = "en",
    synthetic: Optional[bool] = None,
    source: Optional[str] = None,
) -> str:
    """One municipality's report as a self-contained HTML page (text).

    ``municipality``: Kolada id or name. ``data``: the long frame (``kpi, area, year, sex,
    value``, optionally ``lower, upper, count, population`` and a display name ``area_name``);
    default the embedded SYNTHETIC demo. ``at``: the follow-up year (default the latest).
    ``lang``: ``"sv"`` or ``"en"``. ``synthetic``: label the page SYNTHETIC (default: whether
    ``data`` is the demo). ``source``: the data source line (default from the data).
    Needs ``jamlik[report]``; raises :class:`jamlik.MissingExtraError` without it.
    """
    import jamlik
    from jamlik import datasets
    from jamlik.report.data import area_names
    from jamlik.report.sections import Builder

    lang = check_lang(lang)
    municipality = _municipality(municipality)
    env = _environment()
    if data is None:
        data = datasets.demo()
    if synthetic is None:
        synthetic = datasets.is_synthetic(data)
    cat = _as_catalogue(catalogue)
    attrs = dict(getattr(data, "attrs", {}) or {})
    b = Builder(municipality, data, catalogue=cat, at=at, lang=lang, synthetic=bool(synthetic),
                names=area_names(data), population=_population(data, bool(synthetic)))
    if source is None:
        source = attrs.get("source") or ("jamlik demo model" if synthetic else "Kolada")
    texts = {key: pick(pair, lang) for key, pair in TEXTS.items()}
    page = env.get_template("report.html.j2").render(
        t=texts,
        lang=lang,
        css=_css(),
        synthetic=bool(synthetic),
        header=b.header(),
        summary_figures=b.summary_figures(),
        summary_rows=b.summary_rows(),
        areas=b.goal_areas(),
        equity=b.equity(),
        small_numbers=b.small_numbers(),
        source={
            "data": source,
            "licence": "CC BY 4.0 (Kolada)" if not synthetic else "MIT OR Apache-2.0 (jamlik's synthetic data)",
            "date": attrs.get("data_date") or attrs.get("fetched_at") or date.today().isoformat(),
            "geography": datasets.GEOGRAPHY_CREDIT,
            "catalogue": cat.name,
            "software": f"jamlik {jamlik.__version__}",
            "seed": attrs.get("seed"),
        },
    )
    return str(page)
