"""``by=`` for the microdata indices: group keys in, one native call for every
group (parallel in Rust), one result frame out with the ``by`` columns first.

Groups come in order of first appearance. A group on which the index is
undefined (one row, zero mean, all ranks equal, every row dropped) is a row
with ``value`` NaN, ``method`` "not computed" and a ``note``; invalid input
(a missing value under ``missing="error"``, a negative weight) fails the call
with an error that names the group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from jamlik import _jamlik
from jamlik._frames import arrow_frame, backend_frame, column_names, is_arrow_frame, is_frame, is_polars, is_pyarrow

RESULT_COLUMNS = ("value", "se", "lower", "upper", "level", "n", "method", "note")


class Keys:
    """Group codes (one per row) and the key columns' names and values."""

    def __init__(self, codes: np.ndarray, names: list[str], columns: list[Any], library: str) -> None:
        self.codes = codes
        self.names = names
        self.columns = columns  # one array-like per name, one value per row (or None: Arrow, lazily)
        self.library = library
        self.frame: Any = None  # an ArrowFrame to take key values from

    def values(self, rows: np.ndarray) -> dict[str, Any]:
        """The key values at ``rows`` (one per group), per key name."""
        if self.frame is not None:
            got = self.frame.key_values(self.names, [int(r) for r in rows])
            return {n: np.asarray(got[n]) for n in self.names}
        out: dict[str, Any] = {}
        for name, col in zip(self.names, self.columns):
            arr = col.array if hasattr(col, "array") and hasattr(col, "iloc") else np.asarray(col)
            out[name] = arr.take(rows)
        return out


def _library(obj: Any) -> str:
    """The library results come back in: that of ``by`` (pyarrow for other Arrow producers)."""
    if is_polars(obj):
        return "polars"
    if is_pyarrow(obj) or is_arrow_frame(obj):
        return "pyarrow"
    if type(obj).__module__.split(".")[0] not in ("pandas", "numpy") and hasattr(obj, "__arrow_c_stream__"):
        return "pyarrow"
    return "pandas"


def _one_key(values: Any) -> Any:
    """A key column as something pandas can factorise (numpy or pandas)."""
    if hasattr(values, "iloc"):
        return values
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        try:
            return values.to_numpy(zero_copy_only=False)
        except TypeError:
            return values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise _jamlik.ShapeError(f"`by` must be one-dimensional keys, got shape {arr.shape}")
    return arr


def keys(by: Any, n: int) -> Keys:
    """Group codes of ``by``: a frame of key columns, one array/Series of keys, or a list of them."""
    import pandas as pd

    library = _library(by)
    by = arrow_frame(by)
    framed = hasattr(by, "columns") or hasattr(by, "column_names")
    if is_arrow_frame(by) or (framed and not hasattr(by, "iloc") and not is_polars(by)):
        frame = by if is_arrow_frame(by) else _jamlik.ArrowFrame(by)
        names = list(frame.columns)
        if not names:
            raise _jamlik.InvalidArgumentError("`by` is a frame without columns; pass the key columns")
        codes, _ = frame.group_codes(names)
        k = Keys(np.ascontiguousarray(codes), names, [], library)
        k.frame = frame
        _check_length(len(codes), n)
        return k
    if framed and is_frame(by):
        names = column_names(by)
        cols = [by[c] for c in names]
    elif isinstance(by, (list, tuple)) and by and all(hasattr(b, "__len__") and not isinstance(b, str) for b in by):
        cols = list(by)
        names = [str(getattr(b, "name", None) or f"by_{i}") for i, b in enumerate(cols)]
        library = next((_library(b) for b in cols if _library(b) != "pandas"), "pandas")
    else:
        cols = [by]
        names = [str(getattr(by, "name", None) or "by")]
    cols = [_one_key(c) for c in cols]
    for c in cols:
        _check_length(len(c), n)
    if len(cols) == 1:
        arr = cols[0].to_numpy() if hasattr(cols[0], "iloc") else cols[0]
        if isinstance(arr, np.ndarray) and arr.dtype.kind in "iu" and arr.size and _small_codes(arr):
            # Small non-negative integers are codes already (the native side
            # numbers groups by first appearance with a table lookup): no
            # factorisation, no copy of an int64 column. Other integers are
            # factorised, so the native side never needs a hash map per row.
            return Keys(np.ascontiguousarray(arr, dtype=np.int64), names, cols, library)
    parts = [pd.factorize(c, use_na_sentinel=False)[0].astype(np.int64) for c in cols]
    codes = parts[0]
    for p in parts[1:]:
        codes = codes * (int(p.max(initial=0)) + 1) + p
    return Keys(np.ascontiguousarray(codes), names, cols, library)


def _small_codes(arr: np.ndarray) -> bool:
    """True when every key lies in [0, rows + 1024): a lookup table no larger than the rows."""
    return bool(arr.min() >= 0 and arr.max() < arr.size + 1024)


def _check_length(found: int, n: int) -> None:
    if found != n:
        raise _jamlik.ShapeError(f"`by` has length {found}, expected {n} (one key per row)")


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The first row of every group, in order of first appearance."""
    _, first = np.unique(codes, return_index=True)
    return np.sort(first)


def _scalar(value: Any) -> Any:
    """A numpy scalar as the plain Python value (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def call(native: Callable[..., dict[str, Any]], k: Keys, *args: Any, **kwargs: Any) -> Any:
    """Runs a native grouped function; an error names the group by its keys."""
    try:
        res = native(*args, **kwargs)
    except _jamlik.JamlikError as e:
        msg = str(e)
        if msg.startswith("group #"):
            num, _, rest = msg[len("group #"):].partition(": ")
            rows = _first_rows(k.codes)
            g = int(num)
            vals = k.values(rows[g : g + 1])
            label = ", ".join(f"{name}={_scalar(vals[name][0])!r}" for name in k.names)
            raise type(e)(f"group {label}: {rest}") from None
        raise
    return frame(res, k)


def frame(res: dict[str, Any], k: Keys) -> Any:
    """The result frame: by columns, value, se, lower, upper, level, n, method, note."""
    first = np.asarray(res["first_row"], dtype=np.int64)
    cols: dict[str, Any] = dict(k.values(first))
    for name in ("value", "se", "lower", "upper", "level", "n"):
        cols[name] = res[name]
    methods = np.array([*res["methods"], None], dtype=object)
    notes = np.array([*res["notes"], None], dtype=object)
    cols["method"] = methods[res["method_index"]]
    cols["note"] = notes[res["note_index"]]
    out = backend_frame(cols, k.library)
    return out
