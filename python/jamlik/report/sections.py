"""The report's content as plain data (no HTML): header, summary, goal areas, equity, small
numbers, source and methods. ``html.py`` renders it with a template; everything numeric comes
from jamlik's own functions (follow-up and gaps from the Rust core, HEAT measures, the
concentration index, funnel significance)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

import numpy as np

from jamlik.goals import GOAL_AREAS, Catalogue
from jamlik.report._text import EQUITY_MEASURES, MEASURE_NAMES, pick, text
from jamlik.report.charts import Figure, draw

#: KPI ranking municipalities in the concentration curve: pupils in year 9 eligible for upper
#: secondary school (an education measure, the socioeconomic ranking the demo carries).
RANK_BY_KPI = "N15428"
#: A municipality's yearly values vary "a lot" when their scatter around the trend is this many
#: times the median scatter of all municipalities.
NOISY_RATIO = 1.5
#: Fewer events than this make a rate or proportion unstable (the usual publication rule).
FEW_EVENTS = 20
#: Municipalities with fewer inhabitants than this are "small" in the notes.
SMALL_POPULATION = 10_000


@dataclass
class Row:
    sex: str
    year: str
    value: str
    change: str
    target: str
    progress: str
    progress_class: str
    progress_text: str
    eurostat: str
    eurostat_class: str
    region: str
    county: str
    nation: str
    similar: str


@dataclass
class Indicator:
    id: str
    title: str
    unit: str
    direction: str
    where: str
    rows: list[Row]
    gap: list[tuple[str, str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Goal:
    id: str
    title: str
    indicators: list[Indicator]


@dataclass
class GoalArea:
    id: str
    title: str
    goals: list[Goal]


@dataclass
class EquityCard:
    id: str
    title: str
    year: str
    n: int
    measures: list[tuple[str, str, str]]
    concentration: str
    figures: list[Figure]


def fmt(x: Any, digits: int = 1) -> str:
    """A number for a table: thin-space thousands, ``–`` when missing."""
    if x is None:
        return "–"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}".replace(",", "\u202f")
    return f"{v:.{digits}f}"


def signed(x: Any) -> str:
    s = fmt(x)
    return s if s == "–" or s.startswith("-") else "+" + s


def _category(progress: Any, lang: str) -> str:
    """A progress category in the report's language (the charts' own translations)."""
    if not progress:
        return text("no_data", lang)
    from jamlik.plot._style import category

    return category(str(progress), lang)


def progress_class(progress: Any) -> str:
    """CSS class of a progress category (``p-target-met``); its colour is the charts' colour
    for that category (:data:`jamlik.plot.PROGRESS_COLOURS`, see ``html.badge_css``)."""
    p = str(progress or "").strip().lower()
    return "p-" + ("".join(ch if ch.isalnum() else "-" for ch in p) if p else "none")


def _sex_label(sex: str, lang: str) -> str:
    return text({"K": "women", "M": "men", "T": "total"}.get(sex, "total"), lang)


class Builder:
    """Builds every section of one municipality's report."""

    def __init__(self, municipality: str, data: Any, *, catalogue: Catalogue, at: Optional[int], lang: str,
                 synthetic: bool, names: dict[str, str], population: Any) -> None:
        from jamlik import datasets
        from jamlik.report._follow_up import follow_up, gaps

        self.lang = lang
        self.data = data
        self.catalogue = catalogue
        self.synthetic = synthetic
        self.follow = follow_up(municipality, data, catalogue=catalogue, at=at, synthetic=synthetic, detail=True)
        self.gaps = gaps(municipality, data, catalogue=catalogue, at=at, synthetic=synthetic, population=population)
        self.id = str(self.follow.attrs["municipality"])
        geo = datasets.geography()
        self.geo_names = dict(zip(geo["area"], geo["name"]))
        self.names = {**self.geo_names, **names}
        me = geo[geo["area"] == self.id].iloc[0]
        self.county_code = str(me["county_code"])
        self.similar = [a for a in str(me["similar_areas"] or "").split(";") if a]
        self.region = str(me["region"])
        self.county = geo[(geo["kind"] == "municipality") & (geo["county_code"] == self.county_code)]["area"].tolist()
        years = self.follow["year"].dropna()
        self.year = int(years.max()) if len(years) else at
        self.population = population
        self._pandas: Any = None
        cat = catalogue.to_frame()
        self.titles_en = {
            str(ind.get("kpi") or f"{ind.get('kpi_women')}/{ind.get('kpi_men')}"): str(ind.get("title_en") or ind["title"])
            for goal in catalogue.goals for ind in goal["indicators"]
        }
        self.goal_titles_en = dict(zip(cat["goal"], cat["goal_title_en"]))
        self.target_years = dict(zip(cat["goal"], cat["target_year"]))

    # -- header and summary ---------------------------------------------------------------
    def name(self, area: str) -> str:
        return str(self.names.get(area, area))

    def header(self) -> dict[str, Any]:
        return {
            "municipality": self.name(self.id),
            "id": self.id,
            "county": self.name(self.region),
            "year": self.year,
            "catalogue": self.follow.attrs.get("catalogue", ""),
            "similar": [self.name(a) for a in self.similar],
            "skr_group": self.follow.attrs.get("skr_group", ""),
            "generated": date.today().isoformat(),
        }

    def summary_figures(self) -> list[Figure]:
        lang, cat = self.lang, self.catalogue
        return [
            draw("spine", text("spine", lang), self.data, municipality=self.id, year=self.year, catalogue=cat,
                 lang=lang, synthetic=self.synthetic),
            draw("overview", text("overview", lang), self.data, county=self.county_code, year=self.year,
                 catalogue=cat, lang=lang, synthetic=self.synthetic),
        ]

    def summary_rows(self) -> list[dict[str, str]]:
        rows = []
        f = self.follow
        for goal_id in dict.fromkeys(f["goal"]):
            g = f[f["goal"] == goal_id]
            for ind in dict.fromkeys(g["indicator"]):
                r = g[g["indicator"] == ind]
                first = r[r["sex"] == "T"].iloc[0] if (r["sex"] == "T").any() else r.iloc[0]
                rows.append({
                    "goal": goal_id,
                    "indicator": self._indicator_title(ind, first),
                    "value": fmt(first["value"]),
                    "unit": str(first["unit"]),
                    "nation": fmt(first["nation"]),
                    "progress": _category(first["progress"], self.lang),
                    "progress_class": progress_class(first["progress"]),
                    "anchor": _anchor(goal_id, ind),
                })
        return rows

    def _indicator_title(self, indicator: str, row: Any) -> str:
        return str(row["indicator_title"]) if self.lang == "sv" else str(self.titles_en.get(indicator, row["indicator_title"]))

    # -- goal areas -----------------------------------------------------------------------
    def goal_areas(self) -> list[GoalArea]:
        f, lang = self.follow, self.lang
        out = []
        for key, pair in GOAL_AREAS.items():
            sub = f[f["goal_area"] == pair[0]]
            goals = []
            for goal_id in dict.fromkeys(sub["goal"]):
                g = sub[sub["goal"] == goal_id]
                title = str(g["goal_title"].iloc[0]) if lang == "sv" else str(self.goal_titles_en.get(goal_id, ""))
                goals.append(Goal(goal_id, title, [self._indicator(goal_id, ind, g[g["indicator"] == ind])
                                                   for ind in dict.fromkeys(g["indicator"])]))
            if goals:
                out.append(GoalArea(key, pick(pair, lang), goals))
        return out

    def _indicator(self, goal_id: str, ind: str, rows: Any) -> Indicator:
        lang = self.lang
        first = rows.iloc[0]
        where = "" if first["area"] == self.id else text("region_level", lang)
        table = [
            Row(
                sex=_sex_label(str(r["sex"]), lang),
                year="" if r["year"] is None or str(r["year"]) == "<NA>" else str(r["year"]),
                value=fmt(r["value"]),
                change=signed(r["change"]),
                target=fmt(r["target_value"]),
                progress=_category(r["progress"], lang),
                progress_class=progress_class(r["progress"]),
                progress_text=str(r["progress_text"] or ""),
                eurostat=_category(r["eurostat_short"], lang) if r["eurostat_short"] else "–",
                eurostat_class=progress_class(r["eurostat_short"]),
                region=fmt(r["region"]),
                county=fmt(r["county_municipalities"]),
                nation=fmt(r["nation"]),
                similar=fmt(r["similar"]),
            )
            for _, r in rows.iterrows()
        ]
        direction = text("higher_better" if first["direction"] == "higher" else "lower_better", lang)
        out = Indicator(_anchor(goal_id, ind), self._indicator_title(ind, first), str(first["unit"]), direction,
                        where, table)
        gp = self.gaps[(self.gaps["goal"] == goal_id) & (self.gaps["indicator"] == ind)]
        if len(gp):
            r = gp.iloc[0]
            out.gap = [
                (text("women_minus_men", lang), signed(r["women_minus_men"]), str(r["sex_gap_trend"])),
                (text("minus_nation", lang), signed(r["minus_nation"]), str(r["nation_gap_trend"])),
            ]
        area = str(first["area"])
        kpis = list(dict.fromkeys(str(k) for k in rows["kpi"]))
        data = self.kpi_rows(kpis)
        for kpi in kpis:
            # A women/men KPI pair (life expectancy) has one series per KPI, each stored as total.
            caption = text("progress", lang) if len(kpis) == 1 else f"{text('progress', lang)}: {kpi}"
            # A region-level indicator has no county or similar municipalities to compare with.
            comparators = ("county", "nation", "similar") if area == self.id else ("nation",)
            out.figures.append(draw("trend", caption, data, municipality=area, indicator=ind if len(kpis) == 1 else kpi,
                                    comparators=comparators, catalogue=self.catalogue, lang=lang,
                                    synthetic=self.synthetic))
        if {"K", "M"} <= set(rows["sex"]):
            out.figures.append(draw("women_vs_men", f"{text('women', lang)} / {text('men', lang)}", data,
                                    municipality=area, indicator=ind if len(kpis) == 1 else kpis[0],
                                    catalogue=self.catalogue, lang=lang, synthetic=self.synthetic))
        return out

    def kpi_rows(self, kpis: list[str]) -> Any:
        """The data's rows of ``kpis`` (every area): what one indicator's charts read."""
        from jamlik._frames import to_pandas

        if self._pandas is None:
            self._pandas = to_pandas(self.data, name="data")
        d = self._pandas
        return d[d["kpi"].isin(kpis)]

    # -- equity ---------------------------------------------------------------------------
    def _municipal_indicators(self) -> list[tuple[str, str, str, Any]]:
        """(goal, indicator, kpi, total row) of the municipality-level indicators with a total."""
        f = self.follow
        t = f[(f["area"] == self.id) & (f["sex"] == "T")]
        return [(str(r["goal"]), str(r["indicator"]), str(r["kpi"]), r) for _, r in t.iterrows()]

    def heat_input(self, kpi: str, favourable: bool, percent: bool) -> Any:
        """HEAT's input frame for one KPI: the county's municipalities as subgroups, one case per
        year (``setting`` the county, ``subgroup`` the municipality)."""
        import pandas as pd

        from jamlik._frames import to_pandas

        d = to_pandas(self.data, name="data")
        d = d[(d["kpi"] == kpi) & (d["sex"] == "T") & d["area"].isin(self.county) & d["value"].notna()]
        frame = pd.DataFrame({
            "setting": self.name(self.region),
            "year": d["year"].astype(np.int64).to_numpy(),
            "area": d["area"].astype(str).to_numpy(),
            "subgroup": [self.name(a) for a in d["area"]],
            "estimate": d["value"].to_numpy(dtype=np.float64),
        })
        frame["se"] = _standard_errors(d, percent)
        frame["population"] = self._populations(d)
        frame["favourable_indicator"] = 1 if favourable else 0
        frame["ordered_dimension"] = 0
        frame["scaleval"] = 100.0 if percent else 1.0
        frame["dimension"] = text("subgroups", self.lang)
        return frame.sort_values(["year", "area"]).reset_index(drop=True)

    def _populations(self, d: Any) -> Any:
        if "population" in d.columns and d["population"].notna().all():
            return d["population"].to_numpy(dtype=np.float64)
        if self.population is not None:
            p = self.population
            p = p[p["sex"] == "T"].set_index(["area", "year"])["population"]
            keys = list(zip(d["area"].astype(str), d["year"].astype(np.int64)))
            vals = np.array([p.get(k, np.nan) for k in keys], dtype=np.float64)
            if not np.isnan(vals).any():
                return vals
        return np.ones(len(d))

    def equity(self) -> list[EquityCard]:
        import jamlik
        from jamlik import heat

        lang = self.lang
        cards = []
        ranking = self._latest_by_area(RANK_BY_KPI)
        rank_title = self.titles_en.get(RANK_BY_KPI, RANK_BY_KPI) if lang == "en" else self._sv_title(RANK_BY_KPI)
        for goal_id, ind, kpi, row in self._municipal_indicators():
            percent = str(row["unit"]).startswith("%")
            frame = self.heat_input(kpi, row["direction"] == "higher", percent)
            if frame["area"].nunique() < 2:
                continue
            heat_cols = [c for c in heat.COLUMNS if c in frame.columns]
            summ = heat.summary(frame[[*heat_cols, "year"]], by="year", missing="drop")
            latest = int(frame["year"].max())
            last = summ[summ["year"] == latest].set_index("measure")
            measures = []
            for m in EQUITY_MEASURES:
                if m in last.index:
                    r = last.loc[m]
                    ci = f"{fmt(r['lower'], 2)} – {fmt(r['upper'], 2)}" if not _nan(r["lower"]) else "–"
                    measures.append((pick(MEASURE_NAMES[m], lang), fmt(r["value"], 2), ci))
            title = self._indicator_title(ind, row)
            figures = [
                draw("equiplot", text("equiplot", lang), frame[frame["year"].isin(_spaced_years(frame["year"]))],
                     setting="setting", year="year", subgroup="subgroup", lang=lang, synthetic=self.synthetic),
                draw("summary_trend", " · ".join(pick(MEASURE_NAMES[m], lang) for m in ("d", "idisw")), summ,
                     measures=("d", "idisw"), lang=lang, synthetic=self.synthetic),
            ]
            concentration = "–"
            outcome = self._latest_by_area(kpi)
            both = sorted(set(outcome) & set(ranking))
            if len(both) >= 3 and kpi != RANK_BY_KPI:
                y = np.array([outcome[a] for a in both])
                x = np.array([ranking[a] for a in both])
                w = self._weights(both)
                est = jamlik.concentration_index(y, x, w)
                concentration = f"{fmt(est.value, 3)} ({fmt(est.lower, 3)} – {fmt(est.upper, 3)})"
                figures.append(draw("concentration_curve", f"{text('ranked_by', lang)} {rank_title}", y, x, w,
                                    lang=lang, synthetic=self.synthetic))
            if outcome:
                import pandas as pd

                national = pd.DataFrame({"area": list(outcome), "value": list(outcome.values())})
                figures.append(draw("choropleth", text("map", lang), national, value="value", area="area",
                                    areas="municipality", synthetic=self.synthetic, lang=lang))
            cards.append(EquityCard(_anchor(goal_id, ind) + "-equity", title, str(latest),
                                    int((frame["year"] == latest).sum()), measures, concentration, figures))
        return cards

    def _sv_title(self, indicator: str) -> str:
        f = self.follow
        r = f[f["indicator"] == indicator]
        return str(r["indicator_title"].iloc[0]) if len(r) else indicator

    def _latest_by_area(self, kpi: str) -> dict[str, float]:
        """Each municipality's value of ``kpi`` (total) in the report year (or its latest)."""
        from jamlik._frames import to_pandas

        d = to_pandas(self.data, name="data")
        d = d[(d["kpi"] == kpi) & (d["sex"] == "T") & d["value"].notna() & (d["year"] <= (self.year or 9999))]
        d = d[d["area"].astype(str).map(lambda a: a in self.geo_names and len(a) == 4 and not a.startswith("00"))]
        if d.empty:
            return {}
        d = d[d["year"] == d["year"].max()]
        return dict(zip(d["area"].astype(str), d["value"].astype(float)))

    def _weights(self, areas: list[str]) -> Optional[Any]:
        if self.population is None:
            return None
        p = self.population
        p = p[(p["sex"] == "T") & (p["year"] == p["year"].max())].set_index("area")["population"]
        w = np.array([p.get(a, np.nan) for a in areas], dtype=np.float64)
        return None if np.isnan(w).any() else w

    # -- small numbers --------------------------------------------------------------------
    def small_numbers(self) -> list[str]:
        from jamlik.report._small import notes

        return notes(self)


def _nan(x: Any) -> bool:
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _standard_errors(d: Any, percent: bool) -> Any:
    """SEs of the values: the ``se`` column, else from ``lower``/``upper`` (95 %), else
    binomial from ``count``/``population`` for percentages, else missing (HEAT then gives no
    CI)."""
    if "se" in d.columns and d["se"].notna().any():
        return d["se"].to_numpy(dtype=np.float64)
    if {"lower", "upper"} <= set(d.columns):
        return ((d["upper"] - d["lower"]) / (2 * 1.959963984540054)).to_numpy(dtype=np.float64)
    if percent and {"count", "population"} <= set(d.columns):
        n = d["population"].to_numpy(dtype=np.float64)
        p = d["value"].to_numpy(dtype=np.float64) / 100.0
        with np.errstate(invalid="ignore", divide="ignore"):
            return 100.0 * np.sqrt(p * (1 - p) / n)
    return np.full(len(d), np.nan)


def _spaced_years(years: Any, count: int = 4) -> list[int]:
    """At most ``count`` years, the latest and every few years back: an equiplot stays readable."""
    have = sorted({int(y) for y in years})
    step = max(1, -(-(have[-1] - have[0]) // (count - 1))) if len(have) > count else 1
    return [y for y in have if (have[-1] - y) % step == 0][-count:]


def _anchor(goal_id: str, indicator: str) -> str:
    return "g-" + "".join(ch if ch.isalnum() else "-" for ch in f"{goal_id}-{indicator}").lower()
