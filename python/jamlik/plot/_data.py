"""Selecting what a chart draws from jamlik's long frame (``kpi, area, year, sex, value[,
lower, upper, count, population]``): the indicator and its catalogue entry, areas through the
one area resolver, sexes, confidence levels. Only selection here; the numbers come from
jamlik's own functions."""

from __future__ import annotations

import difflib
import functools
import numbers
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from jamlik import _jamlik, goals
from jamlik._frames import require_columns, to_pandas

#: Sex codes and the aliases the vocabulary accepts (any case).
_SEXES = {"k": "K", "m": "M", "t": "T", "women": "K", "men": "M", "total": "T", "female": "K", "male": "M"}


def sex_code(sex: Any) -> str:
    """``"K"``, ``"M"`` or ``"T"`` from any accepted spelling."""
    if not isinstance(sex, str):
        raise TypeError(f"`sex` must be a str ('K', 'M', 'T', 'women', 'men', 'total'), not {type(sex).__name__}")
    code = _SEXES.get(sex.strip().lower())
    if code is None:
        raise _jamlik.InvalidArgumentError(
            f'`sex`: expected "K", "M" or "T" (or "women", "men", "total", "female", "male"; any case), got "{sex}"'
        )
    return code


def check_level(level: Any) -> float:
    """One confidence level strictly between 0 and 1 (``95`` suggests 0.95)."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise _jamlik.InvalidArgumentError(f"`level` must be a number such as 0.95, got {level!r}")
    v = float(level)
    if not 0 < v < 1:
        hint = f"; did you mean {v / 100:g}?" if 50 <= v < 100 else ""
        raise _jamlik.ConfidenceLevelError(f"confidence level `level` must lie strictly between 0 and 1, got {v:g}{hint}")
    return v


def area_id(value: Any, argument: str = "municipality") -> str:
    """A Kolada area id through jamlik's one resolver (ids or names; suggestions when unknown)."""
    return goals._area_id(value, argument)


@functools.lru_cache(maxsize=1)
def geography() -> Any:
    """The shipped geography (pandas), indexed by area id."""
    from jamlik import datasets

    return datasets.geography().set_index("area", drop=False)


def area_name(area: str) -> str:
    geo = geography()
    return str(geo.at[area, "name"]) if area in geo.index else area


def long_frame(data: Any) -> Any:
    """The long frame as pandas with zero-padded string area ids."""
    import pandas as pd

    df = to_pandas(data, name="data")
    require_columns(df, goals.DATA_COLUMNS, argument="data", expected=goals.DATA_COLUMNS)
    df = df.copy()
    if pd.api.types.is_integer_dtype(df["area"]):
        df["area"] = df["area"].map("{:04d}".format)
    else:
        df["area"] = df["area"].astype(str)
    df["kpi"] = df["kpi"].astype(str)
    df["sex"] = df["sex"].astype(str)
    return df


def has_ci(df: Any) -> bool:
    return "lower" in df.columns and "upper" in df.columns


def at_level(df: Any, level: float) -> Any:
    """Rows whose ``lower``/``upper`` are at ``level`` when the frame has a ``level`` column."""
    if "level" in df.columns and has_ci(df):
        keep = np.isclose(df["level"].to_numpy(dtype=np.float64), level) | df["level"].isna().to_numpy()
        return df[keep]
    return df


#: The catalogue's (Swedish) units in English.
UNITS_EN = {"år": "years", "per 100 000 inv 80+": "per 100,000 inhabitants aged 80+", "medelvärde (0–100)": "mean (0–100)"}


@dataclass
class Indicator:
    """An indicator as a chart needs it: its KPI, words, unit, direction and goal."""

    kpi: str
    title_sv: str
    title_en: str
    unit: str
    direction: Optional[str]
    goal: Optional[str]
    target_type: Optional[str]

    def title(self, lang: str) -> str:
        return self.title_sv if lang == "sv" else self.title_en

    def name(self, lang: str) -> str:
        """The title without the sex of a women/men KPI pair and without the KPI id."""
        title = self.title(lang).removesuffix(f" ({self.kpi})")
        for suffix in (", kvinnor", ", män", ", women", ", men"):
            title = title.removesuffix(suffix)
        return title

    def unit_in(self, lang: str) -> str:
        """The unit (the catalogue's are Swedish) in ``lang``."""
        return UNITS_EN.get(self.unit, self.unit) if lang == "en" else self.unit


def catalogue_of(catalogue: Any) -> goals.Catalogue:
    return goals._as_catalogue(catalogue)


def indicator(value: Any, df: Any, catalogue: Any) -> Indicator:
    """The indicator ``value`` (a KPI id) with its catalogue entry, or an error naming
    ``indicator`` with the nearest ids."""
    if not isinstance(value, str) or not value.strip():
        raise _jamlik.InvalidArgumentError(f"`indicator`: expected a Kolada KPI id such as 'N15428', got {value!r}")
    kpi = value.strip()
    cat = catalogue_of(catalogue)
    in_data = set(df["kpi"].unique().tolist())
    for g in cat.goals:
        for ind in g["indicators"]:
            kpis = [ind[k] for k in ("kpi", "kpi_women", "kpi_men") if ind.get(k)]
            if kpi in kpis:
                break
        else:
            continue
        if kpi not in in_data:
            raise _jamlik.InvalidArgumentError(f"`indicator`: {kpi!r} is in the catalogue but not in `data`")
        who = {ind.get("kpi_women"): (", kvinnor", ", women"), ind.get("kpi_men"): (", män", ", men")}.get(kpi, ("", ""))
        return Indicator(kpi, f"{ind['title']}{who[0]} ({kpi})", f"{g.get('title_en') or ind['title']}{who[1]} ({kpi})",
                         ind["unit"],
                         ind["direction"], g["id"], g["target"]["kind"]["type"])
    if kpi in in_data:
        return Indicator(kpi, kpi, kpi, "", None, None, None)
    known = sorted(in_data | set(cat.kpis()))
    near = difflib.get_close_matches(kpi, known, n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; the data has {', '.join(known[:12])}"
    raise _jamlik.InvalidArgumentError(f"`indicator`: unknown indicator {kpi!r}{hint}")


def series(df: Any, kpi: str, area: str, sex: str) -> Any:
    """One area's rows of one KPI and sex with a value, by year."""
    rows = df[(df["kpi"] == kpi) & (df["area"] == area) & (df["sex"] == sex) & df["value"].notna()]
    return rows.sort_values("year")


def no_values(kpi: str, area: str, sex: str, df: Any, argument: str = "municipality") -> Exception:
    """The error for a series with no values, saying what the data does hold."""
    other = sorted(df[(df["kpi"] == kpi) & (df["area"] == area) & df["value"].notna()]["sex"].unique().tolist())
    if other:
        hint = f"; it has sex {', '.join(other)}: pass sex={other[-1]!r}"
    else:
        kinds = geography().reindex(df[(df["kpi"] == kpi) & df["value"].notna()]["area"].unique())["kind"]
        found = sorted(set(kinds.dropna().tolist()))
        hint = f"; the data has {kpi} for {' and '.join(found)} areas only" if found else ""
    return _jamlik.InvalidArgumentError(
        f"`{argument}`: no values of indicator {kpi} for {area_name(area)} ({area}), sex {sex}{hint}"
    )


def classify(lower: Any, upper: Any, comparator: Any, direction: Optional[str]) -> list[str]:
    """Fingertips' comparison of a confidence interval with a comparator's value: outside the
    interval is a significant difference (better/worse with a direction, else higher/lower)."""
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    c = np.asarray(comparator, dtype=np.float64)
    out = []
    for a, b, v in zip(lo, hi, c):
        if np.isnan(a) or np.isnan(b) or np.isnan(v):
            out.append("not compared")
        elif a > v:
            out.append({"higher": "better", "lower": "worse"}.get(direction or "", "higher"))
        elif b < v:
            out.append({"higher": "worse", "lower": "better"}.get(direction or "", "lower"))
        else:
            out.append("similar")
    return out


def latest_year(df: Any, kpi: str, sex: str) -> int:
    years = df[(df["kpi"] == kpi) & (df["sex"] == sex) & df["value"].notna()]["year"]
    if years.empty:
        raise _jamlik.InvalidArgumentError(f"`indicator`: no values of {kpi} with sex {sex} in `data`")
    return int(years.max())
