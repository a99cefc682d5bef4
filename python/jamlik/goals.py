"""Goals, targets and progress: the Strategi för hälsa catalogue, progress toward
targets (SKR change from baseline, Eurostat SDG, UN progress chart), gap closure and
comparisons with county, nation and similar municipalities.

The core is Rust (``jamlik::goals``, ``jamlik::compare``); this module turns frames
into arrays and results into frames.

>>> import jamlik
>>> cat = jamlik.goals.catalogue()
>>> sorted(cat["goal_id"].unique())[:4]
['G1', 'G2', 'G3', 'G4']
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import is_polars, output_frame, to_pandas

__all__ = [
    "AREAS",
    "Catalogue",
    "assess",
    "catalogue",
    "compare",
    "gap_closure",
    "load_catalogue",
    "women_vs_men",
]

#: The three goal areas: code → (Swedish name, English translation).
AREAS: Dict[str, Tuple[str, str]] = {
    "god_och_jamlik_halsa": ("En god och jämlik hälsa", "Good and equal health"),
    "god_kvalitet": ("God kvalitet", "Good quality"),
    "hallbart_och_uthalligt": ("Hållbart och uthålligt", "Sustainable"),
}

KOLADA_COLUMNS = ("kpi", "municipality_id", "period", "gender", "value")


class Catalogue:
    """A validated goal catalogue (the shipped one, a user's, or a merge of both)."""

    def __init__(self, text: str) -> None:
        self.json: str = text
        self.data: Dict[str, Any] = json.loads(text)

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @property
    def goals(self) -> List[Dict[str, Any]]:
        return list(self.data["goals"])

    def goal(self, goal_id: str) -> Dict[str, Any]:
        for g in self.data["goals"]:
            if g["id"] == goal_id:
                return dict(g)
        from jamlik._jamlik import InvalidArgumentError

        raise InvalidArgumentError(f"unknown goal `{goal_id}`")

    def kpis(self) -> List[str]:
        out: List[str] = []
        for g in self.data["goals"]:
            for ind in g["indicators"]:
                for key in ("kpi", "kpi_women", "kpi_men"):
                    k = ind.get(key)
                    if k and k not in out:
                        out.append(k)
        return out

    def to_frame(self, backend: str = "pandas") -> Any:
        return _catalogue_frame(self, backend)

    def __repr__(self) -> str:
        return f"Catalogue({self.name!r}, {len(self.data['goals'])} goals)"

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()  # type: ignore[no-any-return]


def _shipped() -> Catalogue:
    return Catalogue(_jamlik.catalogue_json())


def _as_catalogue(cat: Union[None, Catalogue, str, Mapping[str, Any], "os.PathLike[str]"]) -> Catalogue:
    if cat is None:
        return _shipped()
    if isinstance(cat, Catalogue):
        return cat
    return load_catalogue(cat, base=None)


def _catalogue_frame(cat: Catalogue, backend: str) -> Any:
    rows: Dict[str, List[Any]] = {k: [] for k in (
        "goal_id", "area", "area_sv", "area_en", "goal", "goal_en", "indicator", "kpis", "indicator_title",
        "unit", "direction", "sex_handling", "level", "target_type", "target_value", "target_unit",
        "baseline_year", "target_year", "target_text", "confidence", "local", "source")}
    for g in cat.data["goals"]:
        t = g["target"]
        kind = t["kind"]
        for ind in g["indicators"]:
            kp = [ind[k] for k in ("kpi", "kpi_women", "kpi_men") if ind.get(k)]
            rows["goal_id"].append(g["id"])
            rows["area"].append(g["area"])
            rows["area_sv"].append(AREAS[g["area"]][0])
            rows["area_en"].append(AREAS[g["area"]][1])
            rows["goal"].append(g["title"])
            rows["goal_en"].append(g.get("title_en", ""))
            rows["indicator"].append(ind.get("kpi") or "/".join(kp))
            rows["kpis"].append(",".join(kp))
            rows["indicator_title"].append(ind["title"])
            rows["unit"].append(ind["unit"])
            rows["direction"].append(ind["direction"])
            rows["sex_handling"].append(ind["sex_handling"])
            rows["level"].append(ind["level"])
            rows["target_type"].append(kind["type"])
            rows["target_value"].append(kind.get("value", float("nan")))
            rows["target_unit"].append(kind.get("unit", ""))
            rows["baseline_year"].append(t.get("baseline_year"))
            rows["target_year"].append(t.get("target_year"))
            rows["target_text"].append(t.get("text", ""))
            rows["confidence"].append(g["confidence"])
            rows["local"].append(bool(g.get("local", False)))
            rows["source"].append(g["source"])
    frame = output_frame(rows, like=_polars_marker() if backend == "polars" else None)
    if backend != "polars":
        frame.attrs["catalogue"] = cat.name
        frame.attrs["note"] = cat.data.get("note", "")
    return frame


def _polars_marker() -> Any:
    import polars as pl

    return pl.DataFrame()


def catalogue(catalogue: Union[None, Catalogue, str, Mapping[str, Any]] = None, *, backend: str = "pandas") -> Any:
    """The goal catalogue as a frame, one row per goal × indicator.

    Without an argument: the shipped Strategi för hälsa catalogue (G1–G4 confirmed with
    their targets, G5–G9 likely, marked by ``confidence``; the authoritative list of all
    22 goals is not available offline — see the frame's ``attrs["note"]``).
    """
    return _as_catalogue(catalogue).to_frame(backend)


def load_catalogue(
    source: Union[str, Mapping[str, Any], "os.PathLike[str]", Catalogue],
    *,
    base: Union[None, str, Catalogue] = "shipped",
    mode: str = "override",
) -> Catalogue:
    """Loads a user catalogue (a path to a JSON file, JSON text or a dict) and, by default,
    merges it into the shipped catalogue: ``mode="override"`` replaces goals with the same
    id and adds new ones (a municipality's own local goals), ``"add"`` only adds,
    ``"replace"`` only replaces. ``base=None`` returns the user catalogue alone.

    Raises ``ParseError`` for malformed JSON or unknown fields and ``InvalidArgumentError``
    for inconsistent goals (wrong sex handling, a target unit that does not fit the KPI,
    duplicate ids, ...).
    """
    if isinstance(source, Catalogue):
        text = source.json
    elif isinstance(source, Mapping):
        text = json.dumps(source)
    else:
        s = os.fspath(source)
        if s.lstrip().startswith("{"):
            text = s
        else:
            from jamlik._jamlik import DataSourceError

            try:
                with open(s, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                raise DataSourceError(f"I/O error on {s}: {e}") from e
    if base is None:
        return Catalogue(_jamlik.load_catalogue(text, None, mode))
    base_text = _jamlik.catalogue_json() if isinstance(base, str) and base == "shipped" else _as_catalogue(base).json
    return Catalogue(_jamlik.load_catalogue(text, base_text, mode))


# --- series extraction -------------------------------------------------------------------------


def _filter(frame: Any, kpi: Optional[str], municipality: Optional[str], gender: Optional[str]) -> Any:
    df = to_pandas(frame)
    if kpi is not None and "kpi" in df.columns:
        df = df[df["kpi"] == kpi]
    if municipality is not None and "municipality_id" in df.columns:
        df = df[df["municipality_id"] == _area_id(municipality)]
    if gender is not None and "gender" in df.columns:
        df = df[df["gender"] == gender]
    return df


def _series(
    data: Any,
    kpi: Optional[str] = None,
    municipality: Optional[str] = None,
    gender: Optional[str] = "T",
    value: str = "value",
) -> Tuple[np.ndarray, np.ndarray]:
    """(years, values) from a Series indexed by year, a mapping, a (years, values) pair or a
    long frame (filtered by kpi / municipality_id / gender where given)."""
    from jamlik._jamlik import InvalidArgumentError

    if isinstance(data, Mapping):
        items = sorted(data.items())
        return np.array([float(k) for k, _ in items]), np.array([float(v) for _, v in items])
    if isinstance(data, tuple) and len(data) == 2:
        return np.asarray(data[0], dtype=np.float64), np.asarray(data[1], dtype=np.float64)
    if hasattr(data, "columns"):
        df = _filter(data, kpi, municipality, gender)
        if "period" not in df.columns or value not in df.columns:
            raise InvalidArgumentError(f"frame needs columns `period` and `{value}`")
        df = df[df[value].notna()]
        if df["period"].duplicated().any():
            raise InvalidArgumentError(
                "frame has several rows per period: pass kpi=, municipality= and gender= to select one series"
            )
        return df["period"].to_numpy(dtype=np.float64), df[value].to_numpy(dtype=np.float64)
    if hasattr(data, "index") and hasattr(data, "to_numpy"):  # pandas Series indexed by year
        s = data.dropna()
        return np.asarray(s.index, dtype=np.float64), s.to_numpy(dtype=np.float64)
    raise InvalidArgumentError("`data`: expected a frame, a Series indexed by year, a dict or (years, values)")


def _area_id(municipality: str) -> str:
    from jamlik.datasets import geography

    m = str(municipality).strip()
    if len(m) == 4 and m.isdigit():
        return m
    geo = geography()
    hit = geo[geo["title"].str.lower() == m.lower()]
    if hit.empty:
        from jamlik._jamlik import InvalidArgumentError

        raise InvalidArgumentError(f"unknown municipality or region `{municipality}`")
    hit = hit.sort_values("kind", key=lambda s: s != "municipality")
    return str(hit["id"].iloc[0])


_NUMBER_COLUMNS = (
    "baseline_year", "baseline_value", "latest_year", "latest_value", "change", "target_value", "target_year",
    "required_change", "share_of_required", "cagr", "required_cagr", "ratio", "projected",
)


def _assessment_frame(items: Sequence[Dict[str, Any]], like: Any) -> Any:
    cols: Dict[str, List[Any]] = {"method": [], "category": [], "text": []}
    for c in _NUMBER_COLUMNS:
        cols[c] = []
    for a in items:
        cols["method"].append(a["method"])
        cols["category"].append(a["category"].replace("_", " "))
        cols["text"].append(a["text"])
        for c in _NUMBER_COLUMNS:
            v = a["numbers"][c]
            cols[c].append(float("nan") if v is None else v)
    return output_frame(cols, like=like if like is not None and is_polars(like) else None)


def assess(
    data: Any,
    goal: Optional[str] = None,
    *,
    kpi: Optional[str] = None,
    municipality: Optional[str] = None,
    gender: str = "T",
    direction: Optional[str] = None,
    target: Optional[float] = None,
    target_year: Optional[int] = None,
    baseline_year: Optional[int] = None,
    method: str = "eurostat",
    term: str = "short",
    at: Optional[int] = None,
    catalogue: Union[None, Catalogue, str, Mapping[str, Any]] = None,
) -> Any:
    """Progress of one series toward a target; a frame with one row per assessment
    (``method, category, text`` and the numbers behind it).

    ``data``: a long Kolada frame (select the series with ``kpi``, ``municipality`` and
    ``gender``), a Series indexed by year, a ``{year: value}`` dict or ``(years, values)``.

    With ``goal`` (``"G2"``): every applicable method against the catalogue goal's target
    (SKR change from baseline, Eurostat short and long term, UN progress chart). Without:
    ``method="eurostat"`` (``term`` short/long, optional ``target``/``target_year``) or
    ``method="un"`` (needs ``target`` and ``target_year``), with ``direction``
    ``"higher_is_better"`` or ``"lower_is_better"``.
    """
    from jamlik._jamlik import InvalidArgumentError

    like = data if hasattr(data, "columns") else None
    if goal is not None:
        cat = _as_catalogue(catalogue)
        g = cat.goal(goal)
        if kpi is None:
            ind = g["indicators"][0]
            if ind.get("sex_handling") == "two_kpis":
                raise InvalidArgumentError(
                    f"goal {goal} reads two KPIs ({ind['kpi_women']} women, {ind['kpi_men']} men): pass kpi="
                )
            kpi = ind.get("kpi")
        row_gender = gender
        for ind in g["indicators"]:
            if kpi in (ind.get("kpi_women"), ind.get("kpi_men")) or ind.get("sex_handling") == "none":
                row_gender = "T"
        years, values = _series(data, kpi, municipality, row_gender)
        items = json.loads(_jamlik.assess_goal_series(years, values, goal, kpi, cat.json, at))
        return _assessment_frame(items, like)
    if direction is None:
        raise InvalidArgumentError("`direction`: give 'higher_is_better' or 'lower_is_better' (or a catalogue goal=)")
    years, values = _series(data, kpi, municipality, gender)
    item = json.loads(
        _jamlik.assess_series(years, values, direction, method, term, target, target_year, baseline_year, at)
    )
    return _assessment_frame([item], like)


def gap_closure(
    data: Any,
    *,
    kpi: Optional[str] = None,
    municipality: Optional[str] = None,
    between: Optional[str] = None,
    value: str = "value",
    generation_years: float = 25.0,
    level: float = 0.95,
) -> Any:
    """Trend of a gap series with its uncertainty (OLS slope, SE, t interval), the year the
    gap closes at that trend (or none), and the annual reduction needed to close it within
    a generation (25 years by default). Returns a one-row frame.

    ``data``: a gap series (Series indexed by year, dict, ``(years, gaps)``, or a frame with
    ``period`` and ``value``), or a long Kolada frame with ``kpi`` and ``municipality`` and
    ``between="sex"`` (women − men) or ``between="nation"`` (municipality − nation, total).
    """
    from jamlik._jamlik import InvalidArgumentError

    if between is not None:
        if kpi is None or municipality is None:
            raise InvalidArgumentError("`between` needs kpi= and municipality=")
        if between == "sex":
            a = _series(data, kpi, municipality, "K")
            b = _series(data, kpi, municipality, "M")
        elif between == "nation":
            a = _series(data, kpi, municipality, "T")
            b = _series(data, kpi, "0000", "T")
        else:
            raise InvalidArgumentError(f"`between`: expected 'sex' or 'nation', got {between!r}")
        common, ia, ib = np.intersect1d(a[0], b[0], return_indices=True)
        years, gaps = common, a[1][ia] - b[1][ib]
    else:
        years, gaps = _series(data, kpi, municipality, None if kpi is None else "T", value)
    r = json.loads(_jamlik.gap_closure(np.ascontiguousarray(years, dtype=np.float64),
                                        np.ascontiguousarray(gaps, dtype=np.float64), generation_years, level))
    lo, hi = r["closure_year_range"]
    s = r["slope"]
    cols = {
        "n": [r["n"]], "first_year": [r["first_year"]], "last_year": [r["last_year"]],
        "latest_gap": [r["latest_gap"]], "fitted_latest_gap": [r["fitted_latest_gap"]],
        "slope": [s["value"]], "slope_se": [s["se"]], "slope_lower": [s["lower"]], "slope_upper": [s["upper"]],
        "level": [s["level"]],
        "closure_year": [np.nan if r["closure_year"] is None else r["closure_year"]],
        "closure_year_earliest": [np.nan if lo is None else lo],
        "closure_year_latest": [np.nan if hi is None else hi],
        "generation_years": [r["generation_years"]],
        "required_annual_change": [r["required_annual_change"]],
        "pace_ratio": [np.nan if r["pace_ratio"] is None else r["pace_ratio"]],
        "text": [r["text"]],
    }
    return output_frame(cols, like=data if hasattr(data, "columns") else None)


def _long_columns(data: Any, kpis: Optional[Sequence[str]] = None) -> Tuple[List[str], List[str], np.ndarray, List[str], np.ndarray]:
    from jamlik._jamlik import InvalidArgumentError

    df = to_pandas(data)
    missing = [c for c in KOLADA_COLUMNS if c not in df.columns]
    if missing:
        raise InvalidArgumentError(f"frame lacks Kolada columns {missing} (needs {list(KOLADA_COLUMNS)})")
    if kpis is not None:
        df = df[df["kpi"].isin(list(kpis))]
    df = df[df["value"].notna()]
    return (
        df["kpi"].astype(str).tolist(),
        df["municipality_id"].astype(str).tolist(),
        df["period"].to_numpy(dtype=np.float64),
        df["gender"].astype(str).tolist(),
        df["value"].to_numpy(dtype=np.float64),
    )


def _latest_year(data: Any, kpi: str) -> int:
    df = to_pandas(data)
    sel = df[(df["kpi"] == kpi) & df["value"].notna()]
    if sel.empty:
        from jamlik._jamlik import InvalidArgumentError

        raise InvalidArgumentError(f"no values for KPI `{kpi}` in the frame")
    return int(sel["period"].max())


def compare(
    data: Any = None,
    kpi: str = "N15428",
    municipality: str = "1984",
    year: Optional[int] = None,
    gender: str = "T",
) -> Any:
    """A municipality's value against its region, its county's municipalities (unweighted
    mean), the nation, its socioeconomically similar municipalities and its SKR group
    (unweighted means, as Kolada's groups). ``data`` defaults to the synthetic demo."""
    if data is None:
        from jamlik.datasets import demo

        data = demo()
    year = _latest_year(data, kpi) if year is None else year
    r = json.loads(_jamlik.compare_area(*_long_columns(data, [kpi]), kpi, municipality, int(year), gender))

    def g(x: Dict[str, Any]) -> Tuple[Any, Any]:
        return (np.nan if x["mean"] is None else x["mean"], x["n"])

    rows = [
        ("municipality", r["value"], 1),
        ("region", r["region"], 1),
        ("county municipalities (mean)", *g(r["county_municipalities"])),
        ("nation", r["nation"], 1),
        ("similar municipalities (mean)", *g(r["similar"])),
        ("SKR group (mean)", *g(r["skr_group"])),
    ]
    out = output_frame(
        {
            "comparison": [x[0] for x in rows],
            "value": [np.nan if x[1] is None else x[1] for x in rows],
            "n": [x[2] for x in rows],
        },
        like=data,
    )
    if hasattr(out, "attrs"):
        out.attrs.update({"kpi": kpi, "municipality": r["area"], "period": int(year), "gender": gender})
        out.attrs.update(getattr(data, "attrs", {}) or {})
    return out


def women_vs_men(
    data: Any = None,
    kpi: str = "N15428",
    municipality: str = "1984",
    year: Optional[int] = None,
    catalogue: Union[None, Catalogue, str, Mapping[str, Any]] = None,
) -> Optional[Dict[str, Any]]:
    """Women vs men for a catalogue indicator (split KPI or a women/men KPI pair such as
    life expectancy N00925/N00923): ``{women, men, difference, ratio, better_off}`` or
    ``None`` when the indicator is not by sex or a value is missing."""
    if data is None:
        from jamlik.datasets import demo

        data = demo()
    cat = _as_catalogue(catalogue)
    kpis = cat.kpis()
    year = _latest_year(data, kpi) if year is None else year
    r = _jamlik.women_vs_men(*_long_columns(data, kpis), kpi, municipality, int(year), cat.json)
    return None if r is None else dict(json.loads(r))
