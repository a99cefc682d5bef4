"""Conversions between user inputs (numpy, lists, pandas, polars) and the
contiguous float64 arrays the native module reads without copying."""

from __future__ import annotations

from typing import Any, Mapping, Optional

import numpy as np


def as_float_array(values: Any, name: str) -> np.ndarray:
    """A 1-D C-contiguous float64 view of ``values``.

    float64 numpy arrays pass through without a copy; other dtypes, lists,
    pandas and polars Series are converted once. Raises ``ShapeError`` for
    anything that is not one-dimensional.
    """
    from jamlik._jamlik import ShapeError

    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.dtype == object:
        # pandas nullable / None entries: None becomes NaN (a missing value).
        arr = np.array([np.nan if v is None else v for v in arr.ravel()], dtype=np.float64).reshape(arr.shape)
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.ndim != 1:
        raise ShapeError(f"`{name}` must be one-dimensional, got shape {arr.shape}")
    return arr


def optional_float_array(values: Any, name: str) -> Optional[np.ndarray]:
    """Like :func:`as_float_array`, but ``None`` stays ``None``."""
    return None if values is None else as_float_array(values, name)


def is_polars(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] == "polars"


def column(frame: Any, name: str) -> np.ndarray:
    """One column of a pandas or polars frame as float64."""
    from jamlik._jamlik import InvalidArgumentError

    if name not in frame.columns:
        raise InvalidArgumentError(f"frame has no column `{name}`")
    return as_float_array(frame[name], name)


def to_pandas(frame: Any) -> Any:
    """A pandas view of a pandas or polars frame."""
    if is_polars(frame):
        return frame.to_pandas()
    return frame


def output_frame(columns: Mapping[str, Any], like: Any = None) -> Any:
    """Builds the result frame in the user's library: polars if ``like`` is polars, else pandas."""
    if like is not None and is_polars(like):
        import polars as pl

        return pl.DataFrame(dict(columns))
    import pandas as pd

    return pd.DataFrame(dict(columns))
