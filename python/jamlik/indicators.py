"""Indicator statistics with confidence intervals (the methods of UKHSA's
PHEindicatormethods / Fingertips), computed in Rust.

Vocabulary: the numerator is ``count`` and the denominator ``population``
(for life tables ``count`` is the deaths); the number a function returns is
``value`` with limits ``lower`` / ``upper`` at confidence ``level``.

Every function returns ONE result shape, long format: one row per group and
level, columns ``[by..., value, lower, upper, level, extras..., method,
note]`` (life tables add ``age`` after the group keys; SII adds ``measure``,
"sii" or "rii"). ``level`` is a float or a tuple of levels; ``level=None``
gives values without limits (``lower``, ``upper`` and ``level`` missing).
A value a method declines to give (suppression rules, undefined cases) is
missing (NaN / null) and ``note`` says why.

Frames in, frames out in the same library (pandas, polars or pyarrow);
functions given arrays take ``backend="pandas"|"polars"|"pyarrow"``.
``missing="error"|"drop"|"zero"`` has one meaning everywhere: ``"drop"``
drops rows with a missing value in a column the function reads; ``"zero"``
(only where a missing count means no events: ``dsr``, ``isr``,
``life_expectancy``, ``health_expectancy``) counts a missing count as 0.

Grouped work (``by=``) runs in one native call over the whole long frame
(municipality × year × sex ...), in parallel, with the GIL released.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    as_float_array,
    check_backend,
    is_polars,
    is_pyarrow,
    library_of,
    require_columns,
)

__all__ = [
    "ESP2013",
    "STANDARD_20",
    "dsr",
    "esp2013",
    "funnel_limits",
    "funnel_significance",
    "health_expectancy",
    "health_expectancy_gap",
    "isr",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile",
    "rate",
    "sii",
]

Level = Union[float, Sequence[float], None]

#: The 20 standard life-table bands of Fingertips: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_20 = [0.0, 1.0] + [5.0 * i for i in range(1, 19)]

ESP2013 = "esp2013"


def esp2013(detailed: bool = False, *, backend: str = "pandas") -> Any:
    """The 2013 European Standard Population as a frame (``age``, ``weight``).

    19 bands 0-4 ... 90+ by default; ``detailed=True`` gives 0, 1-4, ..., 90-94, 95+.
    """
    starts, weights = _jamlik.indicator_esp2013(bool(detailed))
    return _build({"age": np.asarray(starts), "weight": np.asarray(weights)}, check_backend(backend))


# ---------------------------------------------------------------- helpers


def _levels(level: Level) -> list[float]:
    """The requested levels; ``level=95`` is a ConfidenceLevelError suggesting 0.95."""
    if level is None:
        return []
    values: Any = [level] if isinstance(level, numbers.Real) else level
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise _jamlik.InvalidArgumentError(f"`level` must be a number or a tuple of numbers, got {level!r}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise _jamlik.InvalidArgumentError(f"`level` must be numbers such as 0.95, got {v!r}")
        v = float(v)
        if 1 < v < 100:
            raise _jamlik.ConfidenceLevelError(
                f"confidence level `level` must lie strictly between 0 and 1, got {v:g}; did you mean {v / 100:g}?"
            )
        out.append(v)
    return out


def _number(value: Any, arg: str) -> float:
    """A float option; anything else is an InvalidArgumentError naming ``arg``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _jamlik.InvalidArgumentError(f"`{arg}` must be a number, got {value!r}")
    return float(value)


def _optional_number(value: Any, arg: str) -> Optional[float]:
    return None if value is None else _number(value, arg)


def _integer(value: Any, arg: str) -> int:
    """A whole-number option (non-negative); anything else is an InvalidArgumentError naming ``arg``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise _jamlik.InvalidArgumentError(f"`{arg}` must be a non-negative whole number, got {value!r}")
    return int(value)


def _missing(missing: str, offered: tuple[str, ...]) -> str:
    if missing not in offered:
        names = [f'"{o}"' for o in offered]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        extra = " (a missing value here is not a zero count)" if missing == "zero" else ""
        raise _jamlik.InvalidArgumentError(f'`missing`: this function offers {listed}, got "{missing}"{extra}')
    return missing


def _require(frame: Any, names: Sequence[str], expected: Optional[Sequence[str]] = None) -> None:
    """ColumnError (with did-you-mean) unless ``frame`` has every column in ``names``.

    Works on column names (a pyarrow table's ``.columns`` are its arrays).
    """
    if is_pyarrow(frame) or (not hasattr(frame, "iloc") and not is_polars(frame) and hasattr(frame, "column_names")):
        have = list(frame.column_names)
    elif hasattr(frame, "columns"):
        have = [str(c) for c in frame.columns]
    else:
        import pyarrow as pa

        have = list(pa.table(frame).column_names)
    require_columns(SimpleNamespace(columns=have), names, argument="frame", expected=expected)


def _get(data: Any, values: Any, arg: str) -> np.ndarray:
    """A float64 array from an array-like, or from column ``values`` of ``data``."""
    if isinstance(values, str):
        if data is None:
            raise _jamlik.InvalidArgumentError(
                f"`{arg}` is the column name {values!r} but no frame was given; pass the frame as `data=`"
            )
        _require(data, [values])
        try:
            return as_float_array(data[values], arg)
        except _jamlik.InvalidArgumentError as e:
            raise _jamlik.InvalidArgumentError(f"column {values!r} (`{arg}`): {e}") from None
    return as_float_array(values, arg)


def _optional(data: Any, values: Any, arg: str) -> Optional[np.ndarray]:
    return None if values is None else _get(data, values, arg)


def _key_frame(data: Any, names: list[str]) -> Any:
    """The ``by`` columns of a pandas, polars or pyarrow frame, as pandas."""
    if is_polars(data):
        return data.select(names).to_pandas()
    if is_pyarrow(data):
        return data.select(names).to_pandas()
    if not hasattr(data, "iloc") and hasattr(data, "__arrow_c_stream__"):
        import pyarrow as pa

        return pa.table(data).select(names).to_pandas()
    return data[names].reset_index(drop=True)


def _group_codes(data: Any, by: Any, n: int) -> tuple[Optional[np.ndarray], Any]:
    """int64 codes of the ``by`` columns (or arrays) and a pandas frame of the keys."""
    if by is None:
        return None, None
    import pandas as pd

    if isinstance(by, str):
        by = [by]
    if all(isinstance(b, str) for b in by):
        if data is None:
            raise _jamlik.InvalidArgumentError("`by` names columns but no frame was given; pass the frame as `data=`")
        _require(data, list(by))
        keys = _key_frame(data, list(by))
    else:
        keys = pd.DataFrame({f"by_{i}": (b.to_numpy() if hasattr(b, "to_numpy") else np.asarray(b)) for i, b in enumerate(by)})
    if len(keys) != n:
        raise _jamlik.ShapeError(f"`by` has length {len(keys)}, expected {n}")
    # Factorise each key column (fast) and combine the codes arithmetically;
    # Rust numbers the groups by first appearance.
    parts = [pd.factorize(keys[c], use_na_sentinel=False) for c in keys.columns]
    sizes = [max(len(u), 1) for _, u in parts]
    if float(np.prod(np.asarray(sizes, dtype=np.float64))) < 2.0**62:
        codes = np.zeros(len(keys), dtype=np.int64)
        for (c, _), size in zip(parts, sizes):
            codes = codes * size + c.astype(np.int64)
    else:
        codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    return np.ascontiguousarray(codes), keys


class _Text:
    """A text column as categorical codes (-1 = missing) and categories."""

    def __init__(self, codes: Any, categories: Sequence[str]) -> None:
        codes = np.asarray(codes)
        self.codes = codes if codes.dtype.kind == "i" else codes.astype(np.int64)
        self.categories = list(categories)

    @classmethod
    def of(cls, res: dict[str, Any], name: str) -> _Text:
        return cls(res[f"{name}_codes"], res[f"{name}_categories"])

    def repeat(self, k: int) -> _Text:
        return self if k == 1 else _Text(np.repeat(self.codes, k), self.categories)


def _build(columns: dict[str, Any], lib: str) -> Any:
    """A frame in library ``lib`` from numpy arrays, pandas arrays and _Text columns."""
    if lib == "polars":
        import polars as pl

        out: dict[str, Any] = {}
        for k, v in columns.items():
            if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                out[k] = pl.Series(k, v, nan_to_null=True)
            elif isinstance(v, _Text):
                idx = pl.Series(k, v.codes.astype(np.int64, copy=False)).replace(-1, None)
                out[k] = (
                    pl.Series(k, v.categories, dtype=pl.String).gather(idx)
                    if v.categories
                    else pl.Series(k, [None] * len(v.codes), dtype=pl.String)
                )
            else:
                out[k] = v
        return pl.DataFrame(out)
    import pandas as pd

    cols = {
        k: (pd.Categorical.from_codes(v.codes, dtype=pd.CategoricalDtype(v.categories)) if isinstance(v, _Text) else v)
        for k, v in columns.items()
    }
    # copy=False: the columns are fresh arrays; pandas then keeps one block
    # per column instead of copying the float columns into one 2-D block.
    df = pd.DataFrame(cols, copy=False)
    if lib == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(df, preserve_index=False)
    return df


def _lib(data: Any, backend: Optional[str], *arrays: Any) -> str:
    """The result's library: ``backend`` if given, else that of the frame or a series given."""
    if backend is not None:
        return check_backend(backend)
    if data is not None:
        return library_of(data)
    for a in arrays:
        if is_polars(a):
            return "polars"
        if is_pyarrow(a):
            return "pyarrow"
    return "pandas"


def _long(
    res: dict[str, Any],
    levels: list[float],
    keys: Any,
    extra: dict[str, Any],
    lib: str,
    *,
    lead: Optional[dict[str, Any]] = None,
    value: str = "value",
    limits: tuple[str, str] = ("lower", "upper"),
    size: Optional[np.ndarray] = None,
) -> Any:
    """The long result: one row per unit (group, or group × age) and level.

    ``res[value]`` has one entry per unit, ``res[limits[k]]`` one array per
    level; ``lead`` columns (per unit) follow the keys; ``extra`` columns
    (per unit) follow ``level``.
    """
    vals = np.asarray(res[value])
    units = len(vals)
    k = max(len(levels), 1)

    def rep(a: Any) -> Any:
        if isinstance(a, _Text):
            return a.repeat(k)
        return a if k == 1 else np.repeat(np.asarray(a), k)

    cols: dict[str, Any] = {}
    if keys is not None:
        first = np.asarray(res["first_row"], dtype=np.int64)
        take = first if size is None else np.repeat(first, size)
        if k > 1:
            take = np.repeat(take, k)
        for c in keys.columns:
            # pandas' own array keeps the key's dtype (and spares re-inferring strings).
            cols[c] = keys[c].array.take(take) if lib != "polars" else keys[c].to_numpy()[take]
    for name, col in (lead or {}).items():
        cols[name] = rep(col)
    cols["value"] = rep(vals)
    if levels:
        lo, hi = res[limits[0]], res[limits[1]]
        cols["lower"] = np.column_stack(lo).ravel() if k > 1 else np.asarray(lo[0])
        cols["upper"] = np.column_stack(hi).ravel() if k > 1 else np.asarray(hi[0])
        cols["level"] = np.tile(np.asarray(levels, dtype=np.float64), units)
    else:
        nan = np.full(units, np.nan)
        cols["lower"], cols["upper"], cols["level"] = nan, nan.copy(), nan.copy()
    for name, col in extra.items():
        cols[name] = rep(col)
    return _build(cols, lib)


def _standard_columns(res: dict[str, Any]) -> dict[str, _Text]:
    return {"method": _Text.of(res, "method"), "note": _Text.of(res, "note")}


# ---------------------------------------------------------------- counts


def _counts(kind: str, count: Any, population: Any, level: Level, multiplier: float, by: Any, data: Any,
            missing: str, backend: Optional[str]) -> Any:
    c, p = _get(data, count, "count"), _get(data, population, "population")
    levels = _levels(level)
    lib = _lib(data, backend, count, population)
    codes, keys = _group_codes(data, by, len(c))
    res = _jamlik.indicator_counts(
        kind, c, p, levels, _number(multiplier, "multiplier"), codes, _missing(missing, ("error", "drop"))
    )
    extra = {"count": res["count"], "population": res["population"], **_standard_columns(res)}
    return _long(res, levels, keys, extra, lib)


def proportion(count: Any, population: Any, *, level: Level = 0.95, multiplier: float = 1, by: Any = None,
               data: Any = None, missing: str = "error", backend: Optional[str] = None) -> Any:
    """Proportions ``count/population × multiplier`` with Wilson score limits.

    Row by row; with ``by`` (column names of ``data``, or arrays) count and
    population are summed within each group first (also when there is only
    one group). ``count``/``population`` are arrays or column names of
    ``data``. ``missing="drop"`` drops rows with a missing count or
    population. Columns: ``[by..., value, lower, upper, level, count,
    population, method, note]``.
    """
    return _counts("proportion", count, population, level, multiplier, by, data, missing, backend)


def rate(count: Any, population: Any, *, level: Level = 0.95, multiplier: float = 100_000, by: Any = None,
         data: Any = None, missing: str = "error", backend: Optional[str] = None) -> Any:
    """Crude rates ``count/population × multiplier``: exact Poisson limits below 10 events, Byars from 10.

    Same arguments and columns as :func:`proportion`.
    """
    return _counts("rate", count, population, level, multiplier, by, data, missing, backend)


def mean(values: Any, *, level: Level = 0.95, by: Any = None, data: Any = None, missing: str = "error",
         backend: Optional[str] = None) -> Any:
    """Means with Student's t limits (per group with ``by``).

    Columns: ``[by..., value, lower, upper, level, n, sum, sd, method, note]``
    (``n`` values per group).
    """
    v = _get(data, values, "values")
    levels = _levels(level)
    lib = _lib(data, backend, values)
    codes, keys = _group_codes(data, by, len(v))
    res = _jamlik.indicator_mean(v, levels, codes, _missing(missing, ("error", "drop")))
    extra = {"n": np.asarray(res["n"]).astype(np.int64), "sum": res["sum"], "sd": res["sd"], **_standard_columns(res)}
    return _long(res, levels, keys, extra, lib)


# ---------------------------------------------------------------- standardisation


def _age_starts(frame: Any, age_band: Any) -> np.ndarray:
    """Band start ages from numbers or labels such as "0-4", "90+", "<1", "85 år och äldre".

    Each distinct label is parsed once, by the core; missing labels are
    missing start ages (the ``missing`` policy applies).
    """
    if isinstance(age_band, str):
        _require(frame, [age_band])
        col = frame[age_band]
    else:
        col = age_band
    if hasattr(col, "to_numpy") and not isinstance(col, np.ndarray):
        try:
            arr = col.to_numpy(zero_copy_only=False) if is_pyarrow(col) else col.to_numpy()
        except TypeError:
            arr = col.to_numpy()
    else:
        arr = np.asarray(col)
    if arr.dtype.kind in "iufb":
        if arr.dtype.kind == "b":
            raise _jamlik.InvalidArgumentError("`age_band` must be start ages or labels such as \"0-4\", got booleans")
        return np.ascontiguousarray(arr, dtype=np.float64)
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(arr, dtype=object), use_na_sentinel=True)
    starts = np.asarray(_jamlik.indicator_age_band_starts([str(u) for u in uniques]), dtype=np.float64)
    out = np.full(len(codes), np.nan)
    ok = codes >= 0
    out[ok] = starts[codes[ok]]
    return out


def dsr(
    frame: Any,
    *,
    count: str,
    population: str,
    standard: Any = ESP2013,
    age_band: Optional[str] = None,
    by: Any = None,
    event_frequency: Optional[str] = None,
    level: Level = 0.95,
    multiplier: float = 100_000,
    suppress_below: Optional[float] = 10,
    missing: str = "error",
) -> Any:
    """Directly standardised rates (Dobson method), one row per group and level.

    ``standard``: ``"esp2013"`` (the 2013 European Standard Population, matched
    to the rows by ``age_band``; layouts 0, 1-4, ..., 85+, 90+ or 95+ are
    aggregated from the detailed ESP2013), a column name or array of weights
    per row, or a mapping ``{start_age: weight}`` (e.g. Sweden's population).
    ``suppress_below``: DSRs on fewer events get no value and a note
    (``None`` switches suppression off). ``event_frequency`` (column): rows hold
    the persons with exactly f events (non-independent events).
    ``missing``: "error", "drop" or "zero" (a missing count is 0 events).
    Columns: ``[by..., value, lower, upper, level, count, population, method, note]``.
    """
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    levels = _levels(level)
    age = _age_starts(frame, age_band) if age_band is not None else None
    weights = None
    std = None
    name = "given"
    if isinstance(standard, str) and standard.lower() == ESP2013:
        std = _jamlik.indicator_esp2013(True)
        name = "ESP2013"
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match the ESP2013 standard to the rows")
    elif isinstance(standard, dict):
        ages = as_float_array(list(standard.keys()), "standard")
        wts = as_float_array(list(standard.values()), "standard")
        order = np.argsort(ages, kind="stable")
        std = (ages[order].tolist(), wts[order].tolist())
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match a standard population to the rows")
    else:
        weights = _get(frame, standard, "standard")
    freq = _optional(frame, event_frequency, "event_frequency")
    codes, keys = _group_codes(frame, by, len(c))
    res = _jamlik.indicator_dsr(
        c, p, levels, _number(multiplier, "multiplier"), weights, std, age, freq, codes,
        _optional_number(suppress_below, "suppress_below"), _missing(missing, ("error", "drop", "zero")), name,
    )
    extra = {"count": res["count"], "population": res["population"], **_standard_columns(res)}
    return _long(res, levels, keys, extra, library_of(frame))


def isr(
    frame: Any,
    *,
    count: str,
    population: str,
    reference_count: Any,
    reference_population: Any,
    by: Any = None,
    kind: str = "ratio",
    refvalue: float = 1,
    multiplier: float = 100_000,
    level: Level = 0.95,
    missing: str = "error",
) -> Any:
    """Indirect standardisation: ``kind="ratio"`` (SMR = O/E × refvalue) or
    ``kind="rate"`` (O/E × reference rate per multiplier), one row per group and level.

    ``reference_count`` / ``reference_population``: columns, arrays per row, or
    arrays with one entry per age band, matched by position within each group.
    ``missing``: "error", "drop" or "zero" (missing counts, populations and
    reference counts count as 0, as PHEindicatormethods does).
    Columns: ``[by..., value, lower, upper, level, count, expected,
    (reference_rate,) method, note]``; ``count`` is the observed count.
    """
    if kind not in ("ratio", "rate"):
        raise _jamlik.InvalidArgumentError(f'`kind`: expected "ratio" or "rate", got {kind!r}')
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    codes, keys = _group_codes(frame, by, len(c))
    xr = _get(frame, reference_count, "reference_count")
    nr = _get(frame, reference_population, "reference_population")
    scale = _number(refvalue, "refvalue") if kind == "ratio" else _number(multiplier, "multiplier")
    levels = _levels(level)
    res = _jamlik.indicator_isr(c, p, xr, nr, kind, scale, levels, codes, _missing(missing, ("error", "drop", "zero")))
    extra = {"count": res["count"], "expected": res["expected"]}
    if kind == "rate":
        extra["reference_rate"] = res["reference_rate"]
    extra.update(_standard_columns(res))
    return _long(res, levels, keys, extra, library_of(frame))


# ---------------------------------------------------------------- life expectancy


def life_expectancy(
    frame: Any,
    *,
    count: str,
    population: str,
    age_band: str,
    by: Any = None,
    level: Level = 0.95,
    layout: Union[str, Sequence[float]] = "standard",
    min_population: Optional[float] = 5000,
    max_ci_width: Optional[float] = 20,
    missing: str = "error",
) -> Any:
    """Life expectancy at every band start age (Chiang II abridged life table,
    Silcocks' variance for the open-ended band), one row per group, age and level.

    ``count`` is the column of deaths (the numerator, as in every indicator).
    ``layout``: ``"standard"`` (the 20 bands 0, 1-4, ..., 85-89, 90+), a list
    of band start ages (e.g. Swedish statistics' 0, 1, 5, ..., 85 for 85+), or
    ``"any"`` (any increasing layout starting at 0). A group with a missing or
    unexpected band is an error. Suppression rules (``None`` switches off):
    total population at most ``min_population`` → no values; 95% interval
    wider than ``max_ci_width`` years → value withheld (limits kept).
    ``missing``: "error", "drop" (the row goes, so its band is then missing)
    or "zero" (a missing death count is 0 deaths).
    Columns: ``[by..., age, value, lower, upper, level, se, count,
    population, method, note]``; ``count``/``population`` are the deaths and
    population at that age and older.
    """
    for arg, col in (("count", count), ("population", population), ("age_band", age_band)):
        if not isinstance(col, str):
            raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name of `frame`, got {type(col).__name__}")
    _require(frame, [count, population, age_band],
             expected=[count, population, age_band] + ([by] if isinstance(by, str) else list(by or [])))
    d = _get(frame, count, "count")
    p = _get(frame, population, "population")
    age = _age_starts(frame, age_band)
    if isinstance(layout, str):
        if layout == "standard":
            lay: Optional[list[float]] = STANDARD_20
        elif layout == "any":
            lay = None
        else:
            raise _jamlik.InvalidArgumentError(f'`layout`: expected "standard", "any" or a list of start ages, got {layout!r}')
    else:
        lay = as_float_array(layout, "layout").tolist()
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(d))
    res = _jamlik.indicator_life_expectancy(
        d, p, age, levels, lay,
        _optional_number(min_population, "min_population"),
        _optional_number(max_ci_width, "max_ci_width"),
        codes, _missing(missing, ("error", "drop", "zero")),
    )
    extra = {"se": res["se"], "count": res["count"], "population": res["population"], **_standard_columns(res)}
    size = np.asarray(res["group_size"]) if keys is not None else None
    return _long(res, levels, keys, extra, library_of(frame), lead={"age": res["age"]}, size=size)


# ---------------------------------------------------------------- SII / RII


def sii(
    frame: Any,
    *,
    quantile: str,
    population: str,
    value: Optional[str] = None,
    count: Optional[str] = None,
    se: Optional[str] = None,
    lower: Optional[str] = None,
    upper: Optional[str] = None,
    input_level: float = 0.95,
    value_type: str = "normal",
    transform: bool = False,
    multiplier: float = 1,
    level: Level = 0.95,
    method: str = "simulation",
    draws: int = 100_000,
    seed: Optional[int] = None,
    min_quantiles: int = 5,
    by: Any = None,
    missing: str = "error",
) -> Any:
    """Slope and relative index of inequality across quantiles (Low & Low).

    Quantiles are ordered by label from least to most advantaged. Give each
    quantile's ``value`` (or ``count``: value = count/population) and either
    ``se`` (on the scale of the value) or ``lower``/``upper`` limits at
    ``input_level``. ``value_type``: "normal", "rate" (log scale) or
    "proportion" (logit scale); ``transform=True`` fits on that scale.
    ``method``: "simulation" (``draws`` draws, ChaCha20 ``seed``; ``None`` is
    the package default seed) or "analytic" (WLS standard errors, delta
    method for the RII). ``missing="drop"`` drops quantiles with a missing input.
    Columns: ``[by..., measure, value, lower, upper, level, intercept,
    quantiles, method, note]``, one row per group, measure ("sii", "rii") and level.
    """
    q = _get(frame, quantile, "quantile")
    pop = _get(frame, population, "population")
    if value is not None:
        v = _get(frame, value, "value")
    elif count is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.ascontiguousarray(_get(frame, count, "count") / pop)
    else:
        raise _jamlik.InvalidArgumentError("`value`: give `value` (a column of values) or `count` (a column of counts)")
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(q))
    res = _jamlik.indicator_sii(
        q, pop, v, levels, _optional(frame, se, "se"), _optional(frame, lower, "lower"),
        _optional(frame, upper, "upper"), _number(input_level, "input_level"), value_type, bool(transform),
        _number(multiplier, "multiplier"), method, _integer(draws, "draws"),
        None if seed is None else _integer(seed, "seed"), _integer(min_quantiles, "min_quantiles"), codes,
        _missing(missing, ("error", "drop")),
    )
    # Interleave the two measures: unit = (group, measure).
    groups = len(res["sii"])
    stacked = {
        "value": np.column_stack([res["sii"], res["rii"]]).ravel(),
        "lower": [np.column_stack([a, b]).ravel() for a, b in zip(res["sii_lower"], res["rii_lower"])],
        "upper": [np.column_stack([a, b]).ravel() for a, b in zip(res["sii_upper"], res["rii_upper"])],
        "first_row": np.repeat(np.asarray(res["first_row"], dtype=np.int64), 2),
    }

    def two(a: Any) -> np.ndarray:
        return np.repeat(np.asarray(a), 2)

    extra = {
        "intercept": two(res["intercept"]),
        "quantiles": two(res["quantiles"]),
        "method": _Text.of(res, "method").repeat(2),
        "note": _Text.of(res, "note").repeat(2),
    }
    measure = _Text(np.tile(np.array([0, 1], dtype=np.int64), groups), ["sii", "rii"])
    return _long(stacked, levels, keys, extra, library_of(frame), lead={"measure": measure})


# ---------------------------------------------------------------- quantiles


def _with_column(frame: Any, name: str, values: Any) -> Any:
    """``frame`` with a column added, in its own library."""
    lib = library_of(frame)
    if lib == "polars":
        import polars as pl

        return frame.with_columns(pl.Series(name, values))
    if lib == "pyarrow":
        import pyarrow as pa

        table = frame if is_pyarrow(frame) else pa.table(frame)
        return table.append_column(name, pa.array(values))
    out = frame.copy()
    out[name] = values
    return out


def quantile(
    frame: Any,
    *,
    value: str,
    nquantiles: int = 10,
    invert: Union[bool, str] = True,
    by: Any = None,
    missing: str = "error",
) -> Any:
    """Quantile (1 … nquantiles) of each row's value within its group.

    ``invert=True``: the highest value gets quantile 1 (deprivation deciles);
    ``invert`` may name a boolean column, constant within each group. Ties
    share the lowest rank. Rows of a group with fewer values than quantiles
    get no quantile (null). ``missing="drop"`` leaves missing values out of
    the ranking: their rows stay in the frame with no quantile (as in
    PHEindicatormethods); ``"error"`` (default) refuses them. Returns the
    frame with a ``quantile`` column added.
    """
    v = _get(frame, value, "value")
    if isinstance(invert, str):
        _require(frame, [invert])
        inv = [bool(b) for b in _key_frame(frame, [invert])[invert].to_numpy()]
    else:
        inv = [bool(invert)]
    codes, _ = _group_codes(frame, by, len(v))
    q = np.asarray(_jamlik.indicator_quantile(v, _integer(nquantiles, "nquantiles"), inv, codes,
                                              _missing(missing, ("error", "drop"))))
    lib = library_of(frame)
    if lib == "polars":
        import polars as pl

        return frame.with_columns(pl.Series("quantile", q).replace(-1, None).cast(pl.Int64))
    if lib == "pyarrow":
        import pyarrow as pa

        return _with_column(frame, "quantile", pa.array(q, mask=q < 0, type=pa.int64()))
    import pandas as pd

    q = q.astype(np.int64, copy=False)
    return _with_column(frame, "quantile", pd.arrays.IntegerArray(np.where(q < 0, 0, q), q < 0))


# ---------------------------------------------------------------- funnels


def _funnel_columns(frame: Any, count: str, population: Optional[str], expected: Optional[str],
                    rate: Optional[str]) -> tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray], Optional[np.ndarray]]:
    return (
        _get(frame, count, "count"),
        _optional(frame, population, "population"),
        _optional(frame, expected, "expected"),
        _optional(frame, rate, "rate"),
    )


def funnel_limits(
    frame: Any,
    *,
    statistic: str,
    count: str,
    population: Optional[str] = None,
    rate: Optional[str] = None,
    multiplier: Optional[float] = None,
    ratio_type: str = "count",
    rate_type: str = "crude",
    years_of_data: float = 1,
    level: Level = (0.95, 0.998),
    points: Union[int, Sequence[float]] = 100,
    missing: str = "error",
) -> Any:
    """Funnel-plot control limits (default 95% and 99.8%) over an x-axis.

    ``statistic``: "proportion" (x = population; needs ``population``),
    "ratio" (x = observed count, O/E; ``ratio_type`` "count" gives O/E − 1,
    "isr" × 100) or "rate" (x = observed count; ``rate_type`` "crude" needs
    ``population`` or ``rate``, "dsr" needs ``rate``). The baseline is set
    from the areas' data. ``points``: number of axis points (geometric over
    the data's range) or the x values. Proportion limits are clamped to
    [0, multiplier]. Columns: ``[population | count, lower, upper, level,
    (lower_expected, upper_expected | lower_population, upper_population,)
    baseline]``, one row per point and level.
    """
    c, p, _, r = _funnel_columns(frame, count, population, None, rate)
    levels = _levels(level)
    if not levels:
        raise _jamlik.InvalidArgumentError("`level`: funnel limits need at least one level")
    if isinstance(points, numbers.Integral) and not isinstance(points, bool):
        n_points, at = int(points), None
    else:
        n_points, at = 100, as_float_array(points, "points")
    res = _jamlik.indicator_funnel_limits(
        statistic, c, levels, p, None, r, _optional_number(multiplier, "multiplier"),
        ratio_type, rate_type, _number(years_of_data, "years_of_data"), n_points, at, _missing(missing, ("error", "drop")),
    )
    x = np.asarray(res["x"])
    xname = "population" if statistic == "proportion" else "count"
    extra: dict[str, Any] = {}
    if statistic != "proportion":
        name = "expected" if statistic == "ratio" else "population"
        extra[f"lower_{name}"] = np.column_stack(res["lower_expected"]).ravel()
        extra[f"upper_{name}"] = np.column_stack(res["upper_expected"]).ravel()
    k = len(levels)
    cols = {
        xname: np.repeat(x, k),
        "lower": np.column_stack(res["lower"]).ravel(),
        "upper": np.column_stack(res["upper"]).ravel(),
        "level": np.tile(np.asarray(levels), len(x)),
        **extra,
        "baseline": np.full(len(x) * k, float(res["baseline"])),
    }
    return _build(cols, library_of(frame))


def funnel_significance(
    frame: Any,
    *,
    statistic: str,
    count: str,
    population: Optional[str] = None,
    expected: Optional[str] = None,
    rate: Optional[str] = None,
    rate_type: str = "crude",
    multiplier: Optional[float] = None,
    level: Level = (0.95, 0.998),
    missing: str = "error",
) -> Any:
    """One label per row: "High (0.001)", "High (0.025)", "Low (0.025)",
    "Low (0.001)" or "Not significant" (the tail probabilities follow
    ``level``); DSRs on fewer than 10 events: "Not applicable for events
    less than 10 for dsrs". Proportions need ``population``, ratios
    ``expected`` (observed/expected), rates ``population`` or ``rate``
    (DSRs: ``rate``). Returns the frame with a ``significance`` column;
    ``missing="drop"`` leaves areas with a missing value out of the baseline
    and gives them no label (null).
    """
    c, p, e, r = _funnel_columns(frame, count, population, expected, rate)
    levels = _levels(level)
    if not levels:
        raise _jamlik.InvalidArgumentError("`level`: significance needs at least one level")
    rows, labels = _jamlik.indicator_funnel_significance(
        statistic, c, levels, p, e, r, _optional_number(multiplier, "multiplier"), rate_type,
        _missing(missing, ("error", "drop")),
    )
    if len(rows) != len(c):
        # Rows left out (missing="drop") stay in the frame with no label.
        full: list[Optional[str]] = [None] * len(c)
        for i, label in zip(np.asarray(rows, dtype=np.int64).tolist(), labels):
            full[i] = label
        return _with_column(frame, "significance", full)
    return _with_column(frame, "significance", labels)


# ---------------------------------------------------------------- health expectancy

#: The measures of :func:`health_expectancy`, in row order.
HEALTH_MEASURES = ("life_expectancy", "health_expectancy", "proportion_healthy")


def _column_name(value: Any, arg: str) -> str:
    if not isinstance(value, str):
        raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name of `frame`, got {type(value).__name__}")
    return value


def health_expectancy(
    frame: Any,
    *,
    count: str,
    population: str,
    age_band: str,
    prevalence: Optional[str] = None,
    prevalence_n: Optional[str] = None,
    prevalence_se: Optional[str] = None,
    healthy: Optional[str] = None,
    respondents: Optional[str] = None,
    by: Any = None,
    ax: Union[float, str, None] = None,
    level: Level = 0.95,
    layout: Union[str, Sequence[float]] = "standard",
    mortality_variance: bool = True,
    missing: str = "error",
) -> Any:
    """Healthy life years by the Sullivan method: life expectancy, health
    expectancy (years in good health) and the proportion of remaining life in
    good health at every band start age, one row per group, age, measure and level.

    The life table is that of :func:`life_expectancy` (Chiang II, ``count``
    = deaths, same ``layout`` choices, no suppression rules). The prevalence
    of the health state (the proportion *in good health*, e.g. good
    self-rated health) per band is given as one of:

    - ``prevalence`` (column of proportions in [0, 1]) with ``prevalence_n``
      (sample size): sampling variance p(1 - p)/n;
    - ``prevalence`` with ``prevalence_se`` (its SE, e.g. from a survey design
      with its design effect);
    - ``healthy`` with ``respondents`` (numerator and denominator).

    ``ax``: the fraction of a band lived by those who die in it; ``None`` is
    the life table's default (0.1 for the infant band, 0.5 otherwise), a
    number applies to every band (the practical guide uses 0.5), a column
    name gives it per row. SEs add the prevalence sampling variance and the
    life-table (Chiang) variance; ``mortality_variance=False`` keeps only the
    prevalence part (as the guide's worked examples). ``missing``: "error",
    "drop" (the row goes, so its band is then missing) or "zero" (a missing
    death count is 0 deaths).

    Columns: ``[by..., age, measure, value, lower, upper, level, se, count,
    population, method, note]``; ``measure`` is "life_expectancy",
    "health_expectancy" or "proportion_healthy"; ``count``/``population``
    are the deaths and population at that age and older. To compare groups
    use :func:`health_expectancy_gap`; for HEAT summary measures across
    groups, pass the rows of one age and measure with ``value`` renamed
    ``estimate`` (and ``se``, ``population``) to :func:`jamlik.heat.summary`.
    """
    count = _column_name(count, "count")
    population = _column_name(population, "population")
    age_band = _column_name(age_band, "age_band")
    named = {"prevalence": prevalence, "prevalence_n": prevalence_n, "prevalence_se": prevalence_se,
             "healthy": healthy, "respondents": respondents}
    given = {k: _column_name(v, k) for k, v in named.items() if v is not None}
    forms = ({"prevalence", "prevalence_n"}, {"prevalence", "prevalence_se"}, {"healthy", "respondents"})
    if set(given) not in forms:
        raise _jamlik.InvalidArgumentError(
            "`prevalence`: give `prevalence` with `prevalence_n` (sample size) or `prevalence_se` (standard "
            f"error), or `healthy` with `respondents` (numerator and denominator); got {sorted(given) or 'none'}"
        )
    by_cols = [by] if isinstance(by, str) else list(by or [])
    ax_col = ax if isinstance(ax, str) else None
    needed = [count, population, age_band, *given.values(), *([ax_col] if ax_col else [])]
    _require(frame, needed, expected=needed + [b for b in by_cols if isinstance(b, str)])
    d = _get(frame, count, "count")
    p = _get(frame, population, "population")
    age = _age_starts(frame, age_band)
    columns = {k: _get(frame, v, k) for k, v in given.items()}
    if ax is None:
        ax_values = None
    elif ax_col is not None:
        ax_values = _get(frame, ax_col, "ax")
    else:
        ax_values = np.full(len(d), _number(ax, "ax"))
    if isinstance(layout, str):
        if layout == "standard":
            lay: Optional[list[float]] = STANDARD_20
        elif layout == "any":
            lay = None
        else:
            raise _jamlik.InvalidArgumentError(f'`layout`: expected "standard", "any" or a list of start ages, got {layout!r}')
    else:
        lay = as_float_array(layout, "layout").tolist()
    if not isinstance(mortality_variance, bool):
        raise _jamlik.InvalidArgumentError(f"`mortality_variance` must be True or False, got {mortality_variance!r}")
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(d))
    res = _jamlik.indicator_health_expectancy(
        d, p, age, levels, **columns, ax=ax_values, layout=lay, mortality_variance=mortality_variance,
        groups=codes, missing=_missing(missing, ("error", "drop", "zero")),
    )
    measures = list(res["measures"])
    m = len(measures)
    rows = len(res["age"])

    def interleave(parts: list[Any]) -> np.ndarray:
        return np.column_stack(parts).ravel()

    stacked = {
        "value": interleave([res[f"value_{name}"] for name in measures]),
        "lower": [interleave(list(c)) for c in zip(*(res[f"lower_{name}"] for name in measures))],
        "upper": [interleave(list(c)) for c in zip(*(res[f"upper_{name}"] for name in measures))],
        "first_row": res["first_row"],
    }

    def three(a: Any) -> np.ndarray:
        return np.repeat(np.asarray(a), m)

    extra = {
        "se": interleave([res[f"se_{name}"] for name in measures]),
        "count": three(res["count"]),
        "population": three(res["population"]),
        "method": _Text(np.tile(np.arange(m, dtype=np.int64), rows), list(res["methods"])),
        "note": _Text.of(res, "note").repeat(m),
    }
    lead = {"age": three(res["age"]), "measure": _Text(np.tile(np.arange(m, dtype=np.int64), rows), measures)}
    size = np.asarray(res["group_size"]) * m if keys is not None else None
    return _long(stacked, levels, keys, extra, library_of(frame), lead=lead, size=size)


def health_expectancy_gap(
    result: Any,
    *,
    between: str,
    first: Any,
    second: Any,
    measure: Optional[str] = "health_expectancy",
    level: Level = 0.95,
) -> Any:
    """The gap ``first - second`` between two groups of a :func:`health_expectancy`
    result (women/men, two areas, highest/lowest education), per age, measure
    and the other group keys, with SE sqrt(se1^2 + se2^2) (independent groups)
    and normal limits at ``level``.

    ``between``: the column of ``result`` that holds the two groups (e.g.
    ``"sex"``); ``first`` / ``second``: its two values (e.g. "K", "M").
    ``measure``: one measure (default "health_expectancy") or ``None`` for
    all three. Rows are matched on every other key column (e.g. ``year``,
    ``municipality``) and ``age``; a value missing in one group gives a
    missing gap. Columns: ``[keys..., age, measure, value, lower, upper,
    level, se, method]``, in the result's library. A gap series by ``year``
    (one age, one measure) feeds :func:`jamlik.goals.gap_closure` directly
    (it reads ``year`` and ``value``).
    """
    from jamlik._frames import to_pandas

    df = to_pandas(result, name="result")
    between = _column_name(between, "between")
    base = ["age", "measure", "value", "se", "level"]
    require_columns(df, [between, *base], argument="result", expected=[between, *base])
    if measure is not None:
        if measure not in HEALTH_MEASURES:
            raise _jamlik.InvalidArgumentError(
                f"`measure`: expected one of {', '.join(HEALTH_MEASURES)} or None, got {measure!r}"
            )
        df = df[df["measure"].astype(str) == measure]
    present = set(df[between].astype(object).tolist())
    for arg, value in (("first", first), ("second", second)):
        if value not in present:
            raise _jamlik.InvalidArgumentError(
                f"`{arg}`: {value!r} is not a value of column {between!r}; it has {sorted(map(str, present))}"
            )
    outputs = {"value", "lower", "upper", "level", "se", "count", "population", "method", "note", between}
    keys = [c for c in df.columns if c not in outputs and c not in ("age", "measure")]
    # One row per unit: the first level's rows (value and SE do not depend on it).
    lv = df["level"].to_numpy(dtype=np.float64)
    if len(lv) and not np.isnan(lv).all():
        df = df[lv == np.nanmin(lv)]
    on = [*keys, "age", "measure"]
    cols = [*on, "value", "se"]
    a = df[df[between] == first][cols].assign(measure=lambda x: x["measure"].astype(str))
    b = df[df[between] == second][cols].assign(measure=lambda x: x["measure"].astype(str))
    merged = a.merge(b, on=on, how="inner", suffixes=("_first", "_second"), sort=False)
    levels = _levels(level)
    res = _jamlik.indicator_health_expectancy_gap(
        as_float_array(merged["value_first"], "first"), as_float_array(merged["se_first"], "first"),
        as_float_array(merged["value_second"], "second"), as_float_array(merged["se_second"], "second"),
        levels,
    )
    n = len(merged)
    keyframe = merged[on].reset_index(drop=True)
    return _long(
        {"value": res["value"], "lower": res["lower"], "upper": res["upper"], "first_row": np.arange(n)},
        levels,
        keyframe,
        {"se": res["se"], "method": _Text(np.zeros(n, dtype=np.int64), [res["method"]])},
        library_of(result),
    )
