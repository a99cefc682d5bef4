"""Indicator statistics with confidence intervals (the methods of UKHSA's
PHEindicatormethods / Fingertips), computed in Rust.

Every function takes numpy arrays, lists, or columns of a pandas or polars
frame and returns a frame in the same library (pandas by default, polars when
given polars) with ``value``, ``lower`` and ``upper`` columns. With several
confidence levels (``level=(0.95, 0.998)``) the limits are named per level:
``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8`` (the level in per
cent, "." written "_"). A value a method declines to give (suppression rules,
undefined cases) is missing (NaN / null) and the ``note`` column says why.

Grouped work (``by=``) runs in one native call over the whole long frame
(municipality × year × sex ...), in parallel, with the GIL released.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import as_float_array, is_polars

__all__ = [
    "ESP2013",
    "dsr",
    "esp2013",
    "funnel_limits",
    "funnel_significance",
    "isr",
    "level_suffix",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile",
    "rate",
    "sii",
]

Level = Union[float, Sequence[float]]

#: The 20 standard life-table bands of Fingertips: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_20 = [0.0, 1.0] + [5.0 * i for i in range(1, 19)]


def esp2013(detailed: bool = False) -> "Any":
    """The 2013 European Standard Population as a pandas frame (``age``, ``weight``).

    19 bands 0-4 ... 90+ by default; ``detailed=True`` gives 0, 1-4, ..., 90-94, 95+.
    """
    import pandas as pd

    starts, weights = _jamlik.indicator_esp2013(detailed)
    return pd.DataFrame({"age": starts, "weight": weights})


ESP2013 = "esp2013"


# ---------------------------------------------------------------- helpers


def _levels(level: Optional[Level]) -> list[float]:
    if level is None:
        return []
    if isinstance(level, (int, float, np.floating)):
        return [float(level)]
    return [float(v) for v in level]


def level_suffix(level: float) -> str:
    """Column suffix for a level: 0.95 -> "95", 0.998 -> "99_8"."""
    text = f"{round(level * 100, 10):.10f}".rstrip("0").rstrip(".")
    return text.replace(".", "_")


def _limit_names(levels: list[float], prefix: str = "") -> list[tuple[str, str]]:
    if len(levels) == 1:
        return [(f"{prefix}lower", f"{prefix}upper")]
    return [(f"{prefix}lower_{level_suffix(lv)}", f"{prefix}upper_{level_suffix(lv)}") for lv in levels]


def _get(data: Any, values: Any, name: str) -> np.ndarray:
    """A float64 array from an array-like, or from column ``values`` of ``data``."""
    if isinstance(values, str):
        if data is None:
            raise _jamlik.InvalidArgumentError(f"`{name}` is a column name but no frame was given")
        if values not in data.columns:
            raise _jamlik.InvalidArgumentError(f"frame has no column `{values}` (for `{name}`)")
        return as_float_array(data[values], name)
    return as_float_array(values, name)


def _optional(data: Any, values: Any, name: str) -> Optional[np.ndarray]:
    return None if values is None else _get(data, values, name)


def _group_codes(data: Any, by: Any, n: int) -> tuple[Optional[np.ndarray], Any]:
    """int64 codes of the ``by`` columns (or arrays) and a pandas frame of the keys."""
    if by is None:
        return None, None
    import pandas as pd

    if isinstance(by, str):
        by = [by]
    if all(isinstance(b, str) for b in by):
        if data is None:
            raise _jamlik.InvalidArgumentError("`by` names columns but no frame was given")
        missing = [b for b in by if b not in data.columns]
        if missing:
            raise _jamlik.InvalidArgumentError(f"frame has no column(s) {missing} (for `by`)")
        keys = data.select(list(by)).to_pandas() if is_polars(data) else data[list(by)]
        keys = keys.reset_index(drop=True)
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

    def __init__(self, res: dict, name: str) -> None:
        codes = np.asarray(res[f"{name}_codes"])
        self.codes = codes if codes.dtype.kind == "i" else codes.astype(np.int64)
        self.categories = list(res[f"{name}_categories"])


def _frame(columns: dict, like: Any) -> Any:
    if like is not None and is_polars(like):
        import polars as pl

        out = {}
        for k, v in columns.items():
            if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                out[k] = pl.Series(k, v, nan_to_null=True)
            elif isinstance(v, _Text):
                idx = pl.Series(k, v.codes.astype(np.int64, copy=False)).replace(-1, None)
                out[k] = pl.Series(k, v.categories, dtype=pl.String).gather(idx) if v.categories else pl.Series(k, [None] * len(v.codes), dtype=pl.String)
            else:
                out[k] = v
        return pl.DataFrame(out)
    import pandas as pd

    cols = {
        k: (pd.Categorical.from_codes(v.codes, categories=v.categories) if isinstance(v, _Text) else v)
        for k, v in columns.items()
    }
    return pd.DataFrame(cols)


def _assemble(res: dict, levels: list[float], keys: Any, like: Any, extra: dict, prefix: str = "") -> Any:
    cols: dict = {}
    if keys is not None:
        first = np.asarray(res["first_row"], dtype=np.int64)
        # Several output rows per group (life tables): the native side gives
        # each group's size; repeat its keys rather than index per row.
        size = res.get("group_size")
        pandas_out = like is None or not is_polars(like)
        for k in keys.columns:
            if size is None:
                cols[k] = keys[k].to_numpy()[first]
            elif pandas_out:
                # Take from pandas' own array: keeps the key's dtype and spares
                # pandas re-inferring a string column of every output row.
                cols[k] = keys[k].array.take(np.repeat(first, size))
            else:
                cols[k] = np.repeat(keys[k].to_numpy()[first], size)
    cols.update(extra)
    cols[f"{prefix}value"] = res["value"]
    for (lo, hi), a, b in zip(_limit_names(levels, prefix), res["lower"], res["upper"]):
        cols[lo] = a
        cols[hi] = b
    cols["method"] = _Text(res, "method")
    cols["note"] = _Text(res, "note")
    return _frame(cols, like)


def _like(data: Any, *arrays: Any) -> Any:
    if data is not None:
        return data
    for a in arrays:
        if is_polars(a):
            return a
    return None


# ---------------------------------------------------------------- counts


def _counts(kind: str, x: Any, n: Any, level: Level, multiplier: float, by: Any, data: Any) -> Any:
    xs, ns = _get(data, x, "x"), _get(data, n, "n")
    levels = _levels(level)
    codes, keys = _group_codes(data, by, len(xs))
    res = _jamlik.indicator_counts(kind, xs, ns, levels, float(multiplier), codes)
    extra = {"x": res["count"], "n": res["denominator"]} if codes is not None else {"x": xs, "n": ns}
    return _assemble(res, levels, keys, _like(data, x, n), extra)


def proportion(x: Any, n: Any, *, level: Level = 0.95, multiplier: float = 1, by: Any = None, data: Any = None) -> Any:
    """Proportions ``x/n × multiplier`` with Wilson score limits.

    Row by row; with ``by`` (column names of ``data``, or arrays), x and n are
    summed within each group first (also when there is only one group).
    ``level=None`` gives values without limits.
    """
    return _counts("proportion", x, n, level, multiplier, by, data)


def rate(x: Any, n: Any, *, level: Level = 0.95, multiplier: float = 100_000, by: Any = None, data: Any = None) -> Any:
    """Crude rates ``x/n × multiplier``: exact Poisson limits below 10 events, Byars from 10."""
    return _counts("rate", x, n, level, multiplier, by, data)


def mean(values: Any, *, level: Level = 0.95, by: Any = None, data: Any = None) -> Any:
    """Means with Student's t limits (per group with ``by``)."""
    v = _get(data, values, "values")
    levels = _levels(level)
    codes, keys = _group_codes(data, by, len(v))
    res = _jamlik.indicator_mean(v, levels, codes)
    extra = {"sum": res["sum"], "count": res["count"], "sd": res["sd"]}
    return _assemble(res, levels, keys, _like(data, values), extra)


# ---------------------------------------------------------------- standardisation

_AGE = re.compile(r"\d+(?:\.\d+)?")


def _age_starts(data: Any, age_band: Any) -> np.ndarray:
    """Band start ages from numbers or labels such as "0-4", "90+", "<1", "85 år och äldre"."""
    col = data[age_band] if isinstance(age_band, str) else age_band
    arr = col.to_numpy() if hasattr(col, "to_numpy") else np.asarray(col)
    if arr.dtype.kind in "iuf":
        return np.ascontiguousarray(arr, dtype=np.float64)
    import pandas as pd

    # Parse each distinct label once (a long frame repeats a handful of labels).
    codes, uniques = pd.factorize(np.asarray(arr, dtype=object), use_na_sentinel=False)
    starts = np.empty(len(uniques), dtype=np.float64)
    for j, label in enumerate(uniques):
        text = str(label).strip()
        if text.startswith("<"):
            starts[j] = 0.0
            continue
        m = _AGE.search(text)
        if m is None:
            row = int(np.flatnonzero(codes == j)[0])
            raise _jamlik.InvalidArgumentError(f"`age_band`: cannot read a start age from {label!r} (row {row})")
        starts[j] = float(m.group())
    return np.ascontiguousarray(starts[codes])


def _missing_flag(missing: str) -> bool:
    if missing not in ("error", "zero"):
        raise _jamlik.InvalidArgumentError(f'`missing`: expected "error" or "zero", got {missing!r}')
    return missing == "zero"


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
    """Directly standardised rates (Dobson method), one row per group.

    ``standard``: ``"esp2013"`` (the 2013 European Standard Population, matched
    to the rows by ``age_band``; layouts 0, 1-4, ..., 85+, 90+ or 95+ are
    aggregated from the detailed ESP2013), a column name or array of weights
    per row, or a mapping ``{start_age: weight}`` (e.g. Sweden's population).
    ``suppress_below``: DSRs on fewer events get no value and a note
    (``None`` switches suppression off). ``event_frequency`` (column): rows hold
    the persons with exactly f events (non-independent events).
    ``missing="zero"`` treats missing counts as 0.
    """
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    levels = _levels(level)
    age = _age_starts(frame, age_band) if age_band is not None else None
    weights = None
    std = None
    if isinstance(standard, str) and standard.lower() == ESP2013:
        std = _jamlik.indicator_esp2013(True)
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match the ESP2013 standard to the rows")
    elif isinstance(standard, dict):
        items = sorted((float(k), float(v)) for k, v in standard.items())
        std = ([k for k, _ in items], [v for _, v in items])
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match a standard population to the rows")
    else:
        weights = _get(frame, standard, "standard")
    freq = _optional(frame, event_frequency, "event_frequency")
    codes, keys = _group_codes(frame, by, len(c))
    res = _jamlik.indicator_dsr(
        c, p, levels, float(multiplier), weights, std, age, freq, codes,
        None if suppress_below is None else float(suppress_below), _missing_flag(missing),
    )
    extra = {"total_count": res["total_count"], "total_population": res["total_population"]}
    return _assemble(res, levels, keys, frame, extra)


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
    ``kind="rate"`` (O/E × reference rate per multiplier), one row per group.

    ``reference_count`` / ``reference_population``: columns, arrays per row, or
    arrays with one entry per age band, matched by position within each group.
    """
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    n = len(c)
    codes, keys = _group_codes(frame, by, n)

    def per_row(v: Any, name: str) -> np.ndarray:
        arr = _get(frame, v, name)
        if len(arr) == n:
            return arr
        # One entry per band: repeat by position within each group.
        g = codes if codes is not None else np.zeros(n, dtype=np.int64)
        pos = _position_in_group(g)
        if pos.max() >= len(arr) or np.any(np.bincount(g) != len(arr)):
            raise _jamlik.ShapeError(f"`{name}` has {len(arr)} entries: expected one per row or one per age band of every group")
        return np.ascontiguousarray(arr[pos])

    xr = per_row(reference_count, "reference_count")
    nr = per_row(reference_population, "reference_population")
    scale = float(refvalue) if kind == "ratio" else float(multiplier)
    levels = _levels(level)
    res = _jamlik.indicator_isr(c, p, xr, nr, kind, scale, levels, codes, _missing_flag(missing))
    extra = {"observed": res["observed"], "expected": res["expected"]}
    if kind == "rate":
        extra["reference_rate"] = res["reference_rate"]
    return _assemble(res, levels, keys, frame, extra)


def _position_in_group(codes: np.ndarray) -> np.ndarray:
    pos = np.empty(len(codes), dtype=np.int64)
    seen: dict = {}
    for i, g in enumerate(codes.tolist()):
        k = seen.get(g, 0)
        pos[i] = k
        seen[g] = k + 1
    return pos


# ---------------------------------------------------------------- life expectancy


def life_expectancy(
    frame: Any,
    *,
    deaths: str,
    population: str,
    age_band: str,
    by: Any = None,
    level: Level = 0.95,
    layout: Union[str, Sequence[float]] = "standard",
    min_population: Optional[float] = 5000,
    max_ci_width: Optional[float] = 20,
) -> Any:
    """Life expectancy at every band start age (Chiang II abridged life table,
    Silcocks' variance for the open-ended band), one row per group × age.

    ``layout``: ``"standard"`` (the 20 bands 0, 1-4, ..., 85-89, 90+), a list
    of band start ages (e.g. Swedish statistics' 0, 1, 5, ..., 85 for 85+), or
    ``"any"`` (any increasing layout starting at 0). A group with a missing or
    unexpected band is an error. Suppression rules (``None`` switches off):
    total population at most ``min_population`` → no values; 95% interval
    wider than ``max_ci_width`` years → value withheld (limits kept).
    """
    d = _get(frame, deaths, "deaths")
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
        lay = [float(a) for a in layout]
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(d))
    res = _jamlik.indicator_life_expectancy(
        d, p, age, levels, lay,
        None if min_population is None else float(min_population),
        None if max_ci_width is None else float(max_ci_width),
        codes,
    )
    extra = {"age": res["age"], "se": res["se"], "population_used": res["population_used"], "deaths_used": res["deaths_used"]}
    return _assemble(res, levels, keys, frame, extra)


# ---------------------------------------------------------------- SII / RII


def sii(
    frame: Any,
    *,
    quantile: str,
    population: str,
    value: Optional[str] = None,
    x: Optional[str] = None,
    se: Optional[str] = None,
    lower: Optional[str] = None,
    upper: Optional[str] = None,
    input_level: float = 0.95,
    value_type: str = "normal",
    transform: bool = False,
    multiplier: float = 1,
    level: Level = 0.95,
    method: str = "simulation",
    repetitions: int = 100_000,
    seed: int = 0,
    min_quantiles: int = 5,
    by: Any = None,
) -> Any:
    """Slope and relative index of inequality across quantiles (Low & Low).

    Quantiles are ordered by label from least to most advantaged. Give each
    quantile's ``value`` (or ``x``, a count: value = x/population) and either
    ``se`` (on the scale of the value) or ``lower``/``upper`` limits at
    ``input_level``. ``value_type``: "normal", "rate" (log scale) or
    "proportion" (logit scale); ``transform=True`` fits on that scale.
    ``method``: "simulation" (``repetitions`` draws, ChaCha20 ``seed``) or
    "analytic" (WLS standard errors, delta method for the RII).
    Columns: sii, rii, intercept and sii_/rii_ limits per level.
    """
    q = _get(frame, quantile, "quantile")
    pop = _get(frame, population, "population")
    if value is not None:
        v = _get(frame, value, "value")
    elif x is not None:
        v = np.ascontiguousarray(_get(frame, x, "x") / pop)
    else:
        raise _jamlik.InvalidArgumentError("`value`: give `value` or `x`")
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(q))
    res = _jamlik.indicator_sii(
        q, pop, v, levels, _optional(frame, se, "se"), _optional(frame, lower, "lower"),
        _optional(frame, upper, "upper"), float(input_level), value_type, bool(transform),
        float(multiplier), method, int(repetitions), int(seed), int(min_quantiles), codes,
    )
    cols: dict = {}
    if keys is not None:
        first = np.asarray(res["first_row"], dtype=np.int64)
        for k in keys.columns:
            cols[k] = keys[k].to_numpy()[first]
    cols["sii"] = res["sii"]
    for (lo, hi), a, b in zip(_limit_names(levels, "sii_"), res["sii_lower"], res["sii_upper"]):
        cols[lo], cols[hi] = a, b
    cols["rii"] = res["rii"]
    for (lo, hi), a, b in zip(_limit_names(levels, "rii_"), res["rii_lower"], res["rii_upper"]):
        cols[lo], cols[hi] = a, b
    cols["intercept"] = res["intercept"]
    cols["quantiles"] = res["quantiles"]
    cols["method"] = _Text(res, "method")
    cols["note"] = _Text(res, "note")
    return _frame(cols, frame)


# ---------------------------------------------------------------- quantiles


def quantile(
    frame: Any,
    *,
    value: str,
    nquantiles: int = 10,
    invert: Union[bool, str] = True,
    by: Any = None,
) -> Any:
    """Quantile (1 … nquantiles) of each row's value within its group.

    ``invert=True``: the highest value gets quantile 1 (deprivation deciles);
    ``invert`` may name a boolean column, constant within each group. Ties
    share the lowest rank. Missing values, and every row of a group with
    fewer values than quantiles, get no quantile. Returns the frame with a
    ``quantile`` column added.
    """
    v = _get(frame, value, "value")
    if isinstance(invert, str):
        col = frame[invert]
        inv = [bool(b) for b in (col.to_numpy() if hasattr(col, "to_numpy") else col)]
    else:
        inv = [bool(invert)]
    codes, _ = _group_codes(frame, by, len(v))
    q = _jamlik.indicator_quantile(v, int(nquantiles), inv, codes)
    if is_polars(frame):
        import polars as pl

        return frame.with_columns(pl.Series("quantile", q).replace(-1, None).cast(pl.Int64))
    import pandas as pd

    out = frame.copy()
    out["quantile"] = pd.array(np.where(q < 0, None, q).tolist(), dtype="Int64")
    return out


# ---------------------------------------------------------------- funnels


def _baseline(statistic: str, num: np.ndarray, den: Optional[np.ndarray], rt: Optional[np.ndarray], multiplier: float, rate_type: str) -> float:
    if statistic == "proportion":
        if den is None:
            raise _jamlik.InvalidArgumentError("`denominator` is required for proportions")
        return float(num.sum() / den.sum())
    if statistic == "rate":
        if rate_type == "dsr":
            if rt is None:
                raise _jamlik.InvalidArgumentError("`rate` is required for DSR funnels")
            return _jamlik.indicator_funnel_rate_baseline(num, multiplier, None, rt)
        return _jamlik.indicator_funnel_rate_baseline(num, multiplier, den, None if den is not None else rt)
    return float("nan")


def funnel_limits(
    frame: Any,
    *,
    statistic: str,
    numerator: str,
    denominator: Optional[str] = None,
    rate: Optional[str] = None,
    multiplier: Optional[float] = None,
    ratio_type: str = "count",
    rate_type: str = "crude",
    years_of_data: float = 1,
    level: Level = (0.95, 0.998),
    points: Union[int, Sequence[float]] = 100,
) -> Any:
    """Funnel-plot control limits (default 95% and 99.8%) over an x-axis.

    ``statistic``: "proportion" (x = population), "ratio" (x = observed
    events, O/E; ``ratio_type`` "count" gives O/E − 1, "isr" × 100) or "rate"
    (x = observed events; ``rate_type`` "crude" or "dsr"). ``points``: number
    of axis points (geometric between the data's extremes) or the x values.
    Proportion limits are clamped to [0, multiplier].
    """
    num = _get(frame, numerator, "numerator")
    den = _optional(frame, denominator, "denominator")
    rt = _optional(frame, rate, "rate")
    levels = _levels(level)
    if multiplier is None:
        multiplier = {"proportion": 100.0, "ratio": 1.0, "rate": 100_000.0}.get(statistic, 1.0)
    base = _baseline(statistic, num, den, rt, float(multiplier), rate_type)
    if isinstance(points, int):
        xs = den if statistic == "proportion" else num
        assert xs is not None
        lo = float(xs.min()) * 0.95
        hi = float(xs.max()) * 1.05
        x = np.asarray(_jamlik.indicator_funnel_axis(0.0 if xs.max() > 2 * xs.min() else lo, hi, points), dtype=np.float64)
    else:
        x = np.ascontiguousarray(points, dtype=np.float64)
    res = _jamlik.indicator_funnel_limits(statistic, x, levels, base, float(multiplier), ratio_type, float(years_of_data))
    xname = "population" if statistic == "proportion" else "observed"
    cols: dict = {xname: x}
    for (lo_n, hi_n), a, b, ea, eb in zip(_limit_names(levels), res["lower"], res["upper"], res["lower_expected"], res["upper_expected"]):
        if statistic != "proportion":
            name = "expected" if statistic == "ratio" else "population_per_year"
            cols[f"{lo_n}_{name}"] = ea
            cols[f"{hi_n}_{name}"] = eb
        cols[lo_n] = a
        cols[hi_n] = b
    if statistic == "proportion":
        cols["baseline"] = np.full(len(x), base * float(multiplier))
    elif statistic == "ratio":
        cols["baseline"] = np.full(len(x), 100.0 if ratio_type == "isr" else 0.0)
    else:
        cols["baseline"] = np.full(len(x), base)
    return _frame(cols, frame)


def funnel_significance(
    frame: Any,
    *,
    statistic: str,
    numerator: str,
    denominator: Optional[str] = None,
    rate: Optional[str] = None,
    rate_type: str = "crude",
    multiplier: float = 100_000,
    level: Level = (0.95, 0.998),
) -> Any:
    """One label per row: "High (0.001)", "High (0.025)", "Low (0.025)",
    "Low (0.001)" or "Not significant" (the tail probabilities follow
    ``level``); DSRs on fewer than 10 events: "Not applicable for events
    less than 10 for dsrs". Returns the frame with a ``significance`` column."""
    num = _get(frame, numerator, "numerator")
    den = _optional(frame, denominator, "denominator")
    rt = _optional(frame, rate, "rate")
    levels = _levels(level)
    base = float("nan")
    if statistic == "rate":
        base = _baseline(statistic, num, den, rt, float(multiplier), rate_type)
        if den is None or rate_type == "dsr":
            if rt is None:
                raise _jamlik.InvalidArgumentError("`rate` (or `denominator`) is required for rate funnels")
            with np.errstate(divide="ignore", invalid="ignore"):
                den = np.where(num > 0, float(multiplier) * num / np.where(rt > 0, rt, 1.0), 1.0)
            den = np.ascontiguousarray(den, dtype=np.float64)
    if den is None:
        raise _jamlik.InvalidArgumentError("`denominator` is required")
    labels = _jamlik.indicator_funnel_significance(statistic, num, den, levels, base, float(multiplier), rate_type == "dsr")
    if is_polars(frame):
        import polars as pl

        return frame.with_columns(pl.Series("significance", labels))
    out = frame.copy()
    out["significance"] = labels
    return out
