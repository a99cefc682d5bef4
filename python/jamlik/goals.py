"""Goals, targets and progress: the Strategi för hälsa catalogue, progress toward
targets (SKR change from baseline, Eurostat SDG, UN progress chart), gap closure and
comparisons with county, nation and similar municipalities.

The core is Rust (``jamlik::goals``, ``jamlik::goals::follow_up``); this module turns
frames into arrays and results into frames. Data frames have the long columns
``kpi, area, year, sex, value`` (``datasets.demo()``, ``kolada.fetch(...)``); results come
back in the frame's library (pandas, polars or pyarrow).

Examples
--------
>>> import jamlik
>>> cat = jamlik.goals.catalogue()
>>> sorted(cat["goal"].unique())[:4]
['G1', 'G2', 'G3', 'G4']
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_frame,
    backend_frame,
    check_backend,
    is_arrow_table,
    output_frame,
    require_columns,
    to_pandas,
)

__all__ = [
    "DATA_COLUMNS",
    "GOAL_AREAS",
    "Catalogue",
    "assess",
    "catalogue",
    "compare_areas",
    "gap_closure",
    "load_catalogue",
    "women_vs_men",
]

#: The three goal areas: code → (Swedish name, English translation).
GOAL_AREAS: dict[str, tuple[str, str]] = {
    "god_och_jamlik_halsa": ("En god och jämlik hälsa", "Good and equal health"),
    "god_kvalitet": ("God kvalitet", "Good quality"),
    "hallbart_och_uthalligt": ("Hållbart och uthålligt", "Sustainable"),
}

#: The long columns every data frame has: one row per KPI × area × year × sex.
DATA_COLUMNS = ("kpi", "area", "year", "sex", "value")


class Catalogue:
    """A validated goal catalogue (the shipped one, a user's, or a merge of both)."""

    def __init__(self, text: str) -> None:
        self.json: str = text
        self.data: dict[str, Any] = json.loads(text)

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @property
    def goals(self) -> list[dict[str, Any]]:
        return list(self.data["goals"])

    def goal(self, goal_id: str) -> dict[str, Any]:
        for g in self.data["goals"]:
            if g["id"] == goal_id:
                return dict(g)
        from jamlik._jamlik import InvalidArgumentError

        ids = ", ".join(g["id"] for g in self.data["goals"])
        raise InvalidArgumentError(f"`goal`: unknown goal {goal_id!r}; the catalogue has {ids}")

    def kpis(self) -> list[str]:
        out: list[str] = []
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

    def _repr_html_(self) -> Optional[str]:
        # pandas gives None when its option `display.notebook_repr_html` is off.
        html: Optional[str] = self.to_frame()._repr_html_()
        return html


def _shipped() -> Catalogue:
    return Catalogue(_jamlik.catalogue_json())


def _as_catalogue(cat: Union[Catalogue, str, Mapping[str, Any], os.PathLike[str], None]) -> Catalogue:
    if cat is None:
        return _shipped()
    if isinstance(cat, Catalogue):
        return cat
    return load_catalogue(cat, base=None)


def _catalogue_frame(cat: Catalogue, backend: str) -> Any:
    rows: dict[str, list[Any]] = {k: [] for k in (
        "goal", "goal_area", "goal_area_sv", "goal_area_en", "goal_title", "goal_title_en", "indicator", "kpis",
        "indicator_title", "unit", "direction", "sex_handling", "level", "target_type", "target_value",
        "target_unit", "baseline_year", "target_year", "target_text", "confidence", "local", "source")}
    for g in cat.data["goals"]:
        t = g["target"]
        kind = t["kind"]
        for ind in g["indicators"]:
            kp = [ind[k] for k in ("kpi", "kpi_women", "kpi_men") if ind.get(k)]
            rows["goal"].append(g["id"])
            rows["goal_area"].append(g["area"])
            rows["goal_area_sv"].append(GOAL_AREAS[g["area"]][0])
            rows["goal_area_en"].append(GOAL_AREAS[g["area"]][1])
            rows["goal_title"].append(g["title"])
            rows["goal_title_en"].append(g.get("title_en", ""))
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
    frame = backend_frame(rows, check_backend(backend))
    if backend == "pandas":
        frame.attrs["catalogue"] = cat.name
        frame.attrs["note"] = cat.data.get("note", "")
    return frame


def catalogue(catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None, *, backend: str = "pandas") -> Any:
    """The goal catalogue as a frame, one row per goal × indicator (``goal, goal_area, ...,
    indicator, kpis, unit, direction`` ("higher" or "lower": which way is better), ...).

    Without an argument: the shipped Strategi för hälsa catalogue (G1–G4 confirmed with
    their targets, G5–G9 likely, marked by ``confidence``; the authoritative list of all
    22 goals is not available offline — see the frame's ``attrs["note"]``).
    """
    return _as_catalogue(catalogue).to_frame(backend)


def load_catalogue(
    source: Union[str, Mapping[str, Any], os.PathLike[str], Catalogue],
    *,
    base: Union[str, Catalogue, None] = "shipped",
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
            except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path, or text not UTF-8
                raise DataSourceError(f"I/O error on {s}: {e}") from e
    if base is None:
        return Catalogue(_jamlik.load_catalogue(text, None, mode))
    base_text = _jamlik.catalogue_json() if isinstance(base, str) and base == "shipped" else _as_catalogue(base).json
    return Catalogue(_jamlik.load_catalogue(text, base_text, mode))


# --- data frames → columns -------------------------------------------------------------------


def _err() -> Any:
    return _jamlik


def is_frame(obj: Any) -> bool:
    """A pandas, polars or pyarrow table (or an Arrow stream that is not a Series)."""
    return hasattr(obj, "columns") or (hasattr(obj, "__arrow_c_stream__") and not hasattr(obj, "index"))


def _municipality(value: Any, argument: str = "municipality") -> str:
    """A municipality argument as text for the core: an int id (``180``), a str id (``"0180"``)
    or a name (``"Stockholm"``); the core resolves it (``Geography::find``)."""
    if value is None:
        raise _err().InvalidArgumentError(
            f"`{argument}` is required: pass a Kolada id (180 or '0180') or a name ('Stockholm')"
        )
    if isinstance(value, bool) or not isinstance(value, (int, str, np.integer)):
        raise TypeError(f"`{argument}` must be an int or str Kolada id or a name, not {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise _err().InvalidArgumentError(
            f"`{argument}` is empty: pass a Kolada id (180 or '0180') or a name ('Stockholm')"
        )
    return str(value)


def _optional_year(value: Any, argument: str = "year") -> Optional[int]:
    """None or a whole-number year that fits the core's 32-bit years."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise _err().InvalidArgumentError(f"`{argument}` must be a whole-number year such as 2022, got {value!r}")
    if not -(2**31) <= value < 2**31:
        raise _err().InvalidArgumentError(f"`{argument}`: {value!r} is out of range for a year")
    return int(value)


def _area_id(value: Any, argument: str = "municipality") -> str:
    return str(_jamlik.find_area(_municipality(value, argument)))


def _sex(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"`sex` must be a str ('K', 'M', 'T', 'women', 'men', 'total'), not {type(value).__name__}")
    return value


def _area_text(area: Any) -> Any:
    """A pandas area column as text: integer ids (180) are Kolada ids zero-padded to four
    digits ("0180"), as the Arrow reader does."""
    import pandas as pd

    return area.map("{:04d}".format) if pd.api.types.is_integer_dtype(area) else area.astype(str)


def _panel(data: Any, kpis: Optional[Sequence[str]] = None) -> Any:
    """The long columns ``kpi, area, year, sex, value`` of a frame (rows with a value only),
    indexed once in Rust as a native ``Panel``.

    Arrow data (pyarrow, polars, DuckDB results, any ``__arrow_c_stream__``) is read through
    the Arrow C interfaces with no pandas round trip; a pandas frame passes its columns."""
    if not is_frame(data):
        raise TypeError(f"`data` must be a pandas, polars or pyarrow frame, not {type(data).__name__}")
    data = arrow_frame(data)
    wanted = None if kpis is None else [str(k) for k in kpis]
    if is_arrow_table(data):
        require_columns(data, DATA_COLUMNS, argument="data", expected=DATA_COLUMNS)
        return _jamlik.Panel.from_arrow(data, kpis=wanted)
    df = to_pandas(data, name="data")
    require_columns(df, DATA_COLUMNS, argument="data", expected=DATA_COLUMNS)
    if wanted is not None:
        df = df[df["kpi"].isin(wanted)]
    df = df[df["value"].notna()]
    return _jamlik.Panel(
        df["kpi"].astype(str).tolist(),
        _area_text(df["area"]).tolist(),
        df["year"].to_numpy(dtype=np.float64),
        df["sex"].astype(str).tolist(),
        df["value"].to_numpy(dtype=np.float64),
    )


def _several_rows_per_year() -> Exception:
    """The error for a frame that holds more than one series (either reading path)."""
    error: Exception = _err().InvalidArgumentError(
        "`data` has several rows per year: pass kpi=, municipality= and sex= to select one series"
    )
    return error


def _series(
    data: Any,
    kpi: Optional[str] = None,
    municipality: Optional[str] = None,
    sex: Optional[str] = "T",
    value: str = "value",
) -> tuple[np.ndarray, np.ndarray]:
    """(years, values) from a Series indexed by year, a mapping, a (years, values) pair or a
    long frame (filtered by kpi / area / sex where given; ``municipality`` is a resolved id)."""
    if isinstance(data, Mapping):
        try:
            items = sorted(data.items())
            return np.array([float(k) for k, _ in items]), np.array([float(v) for _, v in items])
        except (TypeError, ValueError) as e:  # keys that are no years, values that are no numbers
            raise _err().InvalidArgumentError(f"`data`: a mapping must be year -> number ({e})") from None
    if isinstance(data, tuple) and len(data) == 2:
        try:
            return np.asarray(data[0], dtype=np.float64), np.asarray(data[1], dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise _err().InvalidArgumentError(f"`data`: a pair must be (years, values) of numbers ({e})") from None
    if is_frame(data):
        data = arrow_frame(data)
        if is_arrow_table(data):  # read in Rust, no pandas
            require_columns(data, ["year", value], argument="data", expected=DATA_COLUMNS)
            years, values = _jamlik.series_from_arrow(data, value, kpi=kpi, area=municipality, sex=sex)
            if len(np.unique(years)) < len(years):
                raise _several_rows_per_year()
            return years, values
        df = to_pandas(data, name="data")
        require_columns(df, ["year", value], argument="data", expected=DATA_COLUMNS)
        if kpi is not None and "kpi" in df.columns:
            df = df[df["kpi"] == kpi]
        if municipality is not None and "area" in df.columns:
            df = df[_area_text(df["area"]) == municipality]
        if sex is not None and "sex" in df.columns:
            df = df[df["sex"] == sex]
        df = df[df[value].notna()]
        if df["year"].duplicated().any():
            raise _several_rows_per_year()
        try:
            return df["year"].to_numpy(dtype=np.float64), df[value].to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as e:  # text where years or numbers belong
            raise _err().InvalidArgumentError(f"`data`: columns 'year' and {value!r} must be numbers ({e})") from None
    if hasattr(data, "index") and hasattr(data, "to_numpy"):  # pandas Series indexed by year
        s = data.dropna()
        try:
            return np.asarray(s.index, dtype=np.float64), s.to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise _err().InvalidArgumentError(f"`data`: a Series must be numbers indexed by year ({e})") from None
    raise _err().InvalidArgumentError("`data`: expected a frame, a Series indexed by year, a dict or (years, values)")


def _like(data: Any) -> Any:
    return data if is_frame(data) else None


def assess(
    data: Any,
    *,
    goal: Optional[str] = None,
    kpi: Optional[str] = None,
    municipality: Union[int, str, None] = None,
    sex: str = "T",
    direction: Optional[str] = None,
    target: Optional[float] = None,
    target_year: Optional[int] = None,
    baseline_year: Optional[int] = None,
    method: str = "eurostat",
    term: str = "short",
    at: Optional[int] = None,
    catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None,
) -> Any:
    """Progress of one series toward a target; a frame with one row per assessment
    (``method, category, text`` and the numbers behind it).

    ``data``: a long frame (``kpi, area, year, sex, value``; select the series with
    ``municipality`` — an id such as ``180``/``"0180"`` or a name — ``sex`` and, for goals
    with several KPIs, ``kpi``), a Series indexed by year, a ``{year: value}`` dict or
    ``(years, values)``.

    With ``goal`` (``"G2"``): every applicable method against the catalogue goal's target
    (SKR change from baseline, Eurostat short and long term, UN progress chart), the
    indicator and Kolada row chosen by the core. Without: ``method="eurostat"`` (``term``
    short/long, optional ``target``/``target_year``) or ``method="un"`` (needs ``target``
    and ``target_year``), with ``direction`` ``"higher"`` or ``"lower"`` (which way is better).
    """
    like = _like(data)
    if goal is not None:
        cat = _as_catalogue(catalogue)
        if is_frame(data):
            if municipality is None:
                raise _err().InvalidArgumentError(
                    "`municipality` is required with a frame: the frame holds many series "
                    "(pass e.g. municipality='Arboga' or 1984)"
                )
            out = _jamlik.assess_goal(_panel(data, cat.kpis()), goal, _municipality(municipality),
                                      kpi, _sex(sex), cat.json, _optional_year(at, "at"))
        else:
            years, values = _series(data)
            out = _jamlik.assess_goal_series(years, values, goal, kpi, cat.json, _optional_year(at, "at"))
        return output_frame(out, like=like)
    if direction is None:
        raise _err().InvalidArgumentError("`direction`: give 'higher' or 'lower' (which way is better), or a catalogue goal=")
    area = None if municipality is None else _area_id(municipality)
    years, values = _series(data, kpi, area, _sex(sex))
    out = _jamlik.assess_series(years, values, direction, method, term, target,
                                 _optional_year(target_year, "target_year"),
                                 _optional_year(baseline_year, "baseline_year"), _optional_year(at, "at"))
    return output_frame(out, like=like)


def gap_closure(
    data: Any,
    *,
    kpi: Optional[str] = None,
    municipality: Union[int, str, None] = None,
    between: Optional[str] = None,
    value: str = "value",
    generation_years: float = 25.0,
    level: float = 0.95,
) -> Any:
    """Trend of a gap series with its uncertainty (OLS slope, SE, t interval), the year the
    gap closes at that trend (or none), and the annual reduction needed to close it within
    a generation (25 years by default). Returns a one-row frame.

    ``data``: a gap series (Series indexed by year, dict, ``(years, gaps)``, or a frame with
    ``year`` and ``value``), or a long frame with ``kpi`` and ``municipality`` and
    ``between="sex"`` (women − men) or ``between="nation"`` (municipality − nation, total).
    """
    area: Optional[str]
    if kpi is not None and not isinstance(kpi, str):
        raise _err().InvalidArgumentError(f"`kpi` must be a Kolada KPI id (text such as 'N15428'), got {kpi!r:.60}")
    if between is not None:
        if kpi is None or municipality is None:
            raise _err().InvalidArgumentError("`between` needs kpi= and municipality=")
        area = _area_id(municipality)
        if between == "sex":
            a = _series(data, kpi, area, "K")
            b = _series(data, kpi, area, "M")
        elif between == "nation":
            a = _series(data, kpi, area, "T")
            b = _series(data, kpi, "0000", "T")
        else:
            raise _err().InvalidArgumentError(f"`between`: expected 'sex' or 'nation', got {between!r}")
        common, ia, ib = np.intersect1d(a[0], b[0], return_indices=True)
        years, gaps = common, a[1][ia] - b[1][ib]
    else:
        area = None if municipality is None else _area_id(municipality)
        years, gaps = _series(data, kpi, area, None if kpi is None else "T", value)
    if len(years) == 0:  # the core names its own `years`; here the series comes from `data`
        raise _err().ShapeError("`data` holds no gap to follow (no year with a value for this selection)")
    r = _jamlik.gap_closure(np.ascontiguousarray(years, dtype=np.float64),
                            np.ascontiguousarray(gaps, dtype=np.float64), generation_years, level)
    return output_frame({k: [v] for k, v in r.items()}, like=_like(data))


def compare_areas(
    data: Any,
    *,
    kpi: Optional[str] = None,
    municipality: Union[int, str, None] = None,
    year: Optional[int] = None,
    sex: str = "T",
) -> Any:
    """One KPI in one year: a municipality's value against its region, its county's
    municipalities (unweighted mean), the nation, its socioeconomically similar
    municipalities and its SKR group (unweighted means, as Kolada's groups).

    ``kpi`` and ``municipality`` (id or name) are required; ``year`` defaults to the KPI's
    latest year in ``data``. Returns a frame ``comparison, value, n`` in ``data``'s library.
    """
    if kpi is None or municipality is None:
        raise _err().InvalidArgumentError(
            "`kpi` and `municipality` are required: compare_areas(data, kpi='N15428', municipality='Arboga')"
        )
    r = dict(_jamlik.compare_areas(_panel(data, [kpi]), kpi, _municipality(municipality),
                                   _optional_year(year), _sex(sex)))
    meta = {"kpi": kpi, "area": r.pop("area"), "year": r.pop("year"), "sex": r.pop("sex")}
    out = output_frame(r, like=data)
    if hasattr(out, "attrs"):
        out.attrs.update(getattr(data, "attrs", {}) or {})
        out.attrs.update(meta)
    return out


def women_vs_men(
    data: Any,
    *,
    kpi: Optional[str] = None,
    municipality: Union[int, str, None] = None,
    year: Optional[int] = None,
    catalogue: Union[Catalogue, str, Mapping[str, Any], None] = None,
) -> Any:
    """Women vs men for a catalogue indicator (split KPI or a women/men KPI pair such as
    life expectancy N00925/N00923) in one year (default: the KPI's latest): a one-row frame
    ``area, kpi, year, women, men, difference, ratio, better_off, note`` where
    ``better_off`` is ``"women"``, ``"men"`` or ``"equal"`` (in the indicator's direction).
    When the indicator is not split by sex or a value is missing, the numbers are missing,
    ``better_off`` is None and ``note`` says why."""
    if kpi is None or municipality is None:
        raise _err().InvalidArgumentError(
            "`kpi` and `municipality` are required: women_vs_men(data, kpi='N00925', municipality='Arboga')"
        )
    cat = _as_catalogue(catalogue)
    r = _jamlik.women_vs_men(_panel(data, cat.kpis()), kpi, _municipality(municipality),
                             _optional_year(year), cat.json)
    cols = {k: [r[k]] for k in ("area", "kpi", "year", "women", "men", "difference", "ratio", "better_off", "note")}
    for k in ("women", "men", "difference", "ratio"):
        cols[k] = [np.nan if r[k] is None else float(r[k])]
    return output_frame(cols, like=data)
