"""Shared helpers of :mod:`jamlik.indicators`: levels and option checks, columns,
group codes and the long result frame.
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

Level = Union[float, Sequence[float], None]


#: The 20 standard life-table bands of Fingertips: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_20 = [0.0, 1.0] + [5.0 * i for i in range(1, 19)]

ESP2013 = "esp2013"


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
        if 50 <= v < 100:  # a percentage: 95 meant 0.95 (the core refuses every other level outside (0, 1))
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
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= int(value) < 2**63:
        raise _jamlik.InvalidArgumentError(f"`{arg}` must be a non-negative whole number (below 2**63), got {value!r}")
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

        try:
            have = list(pa.table(frame).column_names)
        except (ValueError, TypeError, pa.ArrowException):  # a list of lists, a scalar: no table
            raise _jamlik.InvalidArgumentError(
                f"`frame` must be a data frame (pandas, polars or pyarrow), got {type(frame).__name__}"
            ) from None
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
    if isinstance(by, (bytes, bytearray, dict, set)) or np.ndim(by) == 0:
        raise _jamlik.InvalidArgumentError(
            f"`by` must be a column name, a list of column names, or arrays of group keys, got {by!r:.80}"
        )
    if all(isinstance(b, str) for b in by):
        if data is None:
            raise _jamlik.InvalidArgumentError("`by` names columns but no frame was given; pass the frame as `data=`")
        _require(data, list(by))
        keys = _key_frame(data, list(by))
    else:
        arrays = [b.to_numpy() if hasattr(b, "to_numpy") else np.asarray(b) for b in by]
        if not arrays or any(a.ndim != 1 for a in arrays):
            raise _jamlik.InvalidArgumentError(
                f"`by` must be a column name, a list of column names, or arrays of group keys, got {by!r:.80}"
            )
        keys = pd.DataFrame({f"by_{i}": a for i, a in enumerate(arrays)})
    if len(keys) != n:
        raise _jamlik.ShapeError(f"`by` has length {len(keys)}, expected {n}")
    # Factorise each key column (fast) and combine the codes arithmetically;
    # Rust numbers the groups by first appearance.
    parts = [_factorize(keys[c]) for c in keys.columns]
    sizes = [max(len(u), 1) for _, u in parts]
    if float(np.prod(np.asarray(sizes, dtype=np.float64))) < 2.0**62:
        codes = np.zeros(len(keys), dtype=np.int64)
        for (c, _), size in zip(parts, sizes):
            codes = codes * size + c.astype(np.int64)
    else:
        codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    return np.ascontiguousarray(codes), keys


def _factorize(column: Any) -> tuple[np.ndarray, Any]:
    """``pd.factorize(column, use_na_sentinel=False)``, faster on a sorted long frame.

    Long frames usually list each group's rows together, so a key column is
    a few long runs: one vectorised comparison of neighbours finds them, and
    only the first value of each run is hashed (3-4× faster than hashing every
    string). Codes still number the values by first appearance.
    """
    import pandas as pd

    values = column.array
    n = len(values)
    if n >= 4096:
        try:
            neq = values[1:] != values[:-1]
            changed = (neq.to_numpy(dtype=bool, na_value=True) if hasattr(neq, "to_numpy")
                       else np.asarray(neq, dtype=bool))
        except (TypeError, ValueError):  # values that do not compare elementwise
            changed = None
        if changed is not None and changed.shape == (n - 1,):
            heads = np.flatnonzero(np.concatenate(([True], changed)))
            if len(heads) <= n // 4:
                codes, uniques = pd.factorize(values.take(heads), use_na_sentinel=False)
                return np.repeat(codes, np.diff(np.append(heads, n))), uniques
    return pd.factorize(column, use_na_sentinel=False)


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
        cols["level"] = np.full(units, levels[0]) if k == 1 else np.tile(np.asarray(levels, dtype=np.float64), units)
    else:
        nan = np.full(units, np.nan)
        cols["lower"], cols["upper"], cols["level"] = nan, nan.copy(), nan.copy()
    for name, col in extra.items():
        cols[name] = rep(col)
    return _build(cols, lib)


def _standard_columns(res: dict[str, Any]) -> dict[str, _Text]:
    return {"method": _Text.of(res, "method"), "note": _Text.of(res, "note")}


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
