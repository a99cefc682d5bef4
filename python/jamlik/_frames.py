"""Frames in, frames out: conversions between user inputs (numpy, lists,
pandas, polars, pyarrow and anything with ``__arrow_c_stream__``) and the
contiguous float64 arrays the native module reads without copying, and back
into the caller's frame library."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Optional, TypeVar, cast

import numpy as np

BACKENDS = ("pandas", "polars", "pyarrow")


def _errors() -> Any:
    import jamlik._jamlik as native

    return native


def as_float_array(values: Any, name: str) -> np.ndarray:
    """A 1-D C-contiguous float64 view of ``values``.

    float64 numpy arrays pass through without a copy; other dtypes, lists,
    pandas, polars and pyarrow columns are converted once. Raises
    ``ShapeError`` for anything that is not one-dimensional and
    ``InvalidArgumentError`` naming ``name`` for text where numbers belong.
    """
    err = _errors()
    if isinstance(values, np.ndarray) and values.dtype == np.float64 and values.ndim == 1:
        return np.ascontiguousarray(values)
    arrow = _arrow_source(values)
    if arrow is not None:
        return np.asarray(err.arrow_float_column(arrow, name))
    if isinstance(values, (str, bytes)):
        raise err.InvalidArgumentError(f"`{name}` must be numbers, got the text {values!r}")
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        try:
            values = values.to_numpy(zero_copy_only=False) if _is_arrow_array(values) else values.to_numpy()
        except TypeError:
            values = values.to_numpy()
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError) as e:
        raise err.ShapeError(f"`{name}` must be a one-dimensional sequence of numbers ({e})") from None
    if arr.dtype == object or arr.dtype.kind in "USO":
        arr = _object_to_float(arr, name)
    if arr.dtype.kind == "c":
        raise err.InvalidArgumentError(f"`{name}` must be real numbers, got complex values")
    if arr.dtype.kind == "M" or arr.dtype.kind == "m":
        raise err.InvalidArgumentError(f"`{name}` must be numbers, got dates or durations ({arr.dtype})")
    try:
        arr = np.ascontiguousarray(arr, dtype=np.float64)
    except (ValueError, TypeError) as e:
        raise err.InvalidArgumentError(f"`{name}` must be numbers ({e})") from None
    if arr.ndim == 0:
        raise err.ShapeError(f"`{name}` must be one-dimensional, got a single value {values!r}; wrap it in a list")
    if arr.ndim != 1:
        raise err.ShapeError(f"`{name}` must be one-dimensional, got shape {arr.shape}")
    return arr


def _object_to_float(arr: np.ndarray, name: str) -> np.ndarray:
    """None/NA become NaN (a missing value); text is an error naming the argument."""
    err = _errors()
    out = np.empty(arr.shape, dtype=np.float64)
    flat_in = arr.ravel()
    flat_out = out.ravel()
    for i, v in enumerate(flat_in):
        if v is None or (v is not v) or type(v).__name__ in ("NAType", "NaTType"):
            flat_out[i] = np.nan
        elif isinstance(v, (str, bytes)):
            raise err.InvalidArgumentError(
                f"`{name}` must be numbers, got the text {str(v)!r} at position {i}"
            )
        else:
            try:
                flat_out[i] = float(v)
            except (TypeError, ValueError):
                raise err.InvalidArgumentError(
                    f"`{name}` must be numbers, got {type(v).__name__} {str(v)!r} at position {i}"
                ) from None
    return out


def _arrow_source(values: Any) -> Any:
    """The Arrow array behind ``values`` (read in Rust through the Arrow C
    interfaces), or None for numpy, lists and numpy-backed pandas.

    pyarrow arrays, polars Series and anything with ``__arrow_c_array__`` /
    ``__arrow_c_stream__`` qualify; a pandas Series qualifies when its dtype
    is ``pd.ArrowDtype`` (its chunked array, not a pandas conversion).
    """
    if isinstance(values, (np.ndarray, str, bytes, list, tuple)):
        return None
    if _module(values) == "pandas":
        dtype = getattr(values, "dtype", None)
        if type(dtype).__name__ == "ArrowDtype" and hasattr(values, "array"):
            return values.array.__arrow_array__()
        return None
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__"):
        return values
    return None


def arrow_frame(frame: Any) -> Any:
    """Any other Arrow producer (a DuckDB result, a RecordBatchReader, nanoarrow,
    a small object with ``__arrow_c_stream__``) read once into a native
    :class:`jamlik._jamlik.ArrowFrame`; pandas, polars, pyarrow tables and
    record batches, mappings and non-frames pass through unchanged.

    A stream may be readable only once, so frame-taking functions call this
    first and then take every column from the result.
    """
    if frame is None or isinstance(frame, (np.ndarray, Mapping, str, bytes, list, tuple)):
        return frame
    if _module(frame) in ("pandas", "polars", "jamlik") or hasattr(frame, "iloc"):
        return frame
    if is_pyarrow(frame) and type(frame).__name__ != "RecordBatchReader":
        return frame  # tables, record batches and arrays are read as they are
    if hasattr(frame, "__arrow_c_stream__") or (
        hasattr(frame, "__arrow_c_array__") and hasattr(frame, "__arrow_c_schema__")
    ):
        return _errors().ArrowFrame(frame)
    return frame


def is_arrow_table(frame: Any) -> bool:
    """A table whose columns Rust reads through the Arrow C interfaces: a pyarrow Table or
    RecordBatch, a polars DataFrame, or a native ArrowFrame (after :func:`arrow_frame`)."""
    if is_arrow_frame(frame):
        return True
    if is_pyarrow(frame):
        return type(frame).__name__ in ("Table", "RecordBatch")
    return is_polars(frame) and type(frame).__name__ == "DataFrame"


def is_arrow_frame(frame: Any) -> bool:
    """True for a native ArrowFrame (see :func:`arrow_frame`)."""
    return type(frame).__name__ == "ArrowFrame" and _module(frame) == "jamlik"


def optional_float_array(values: Any, name: str) -> Optional[np.ndarray]:
    """Like :func:`as_float_array`, but ``None`` stays ``None``."""
    return None if values is None else as_float_array(values, name)


def _module(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def is_polars(frame: Any) -> bool:
    return _module(frame) == "polars"


def is_pyarrow(frame: Any) -> bool:
    return _module(frame) == "pyarrow"


def _is_arrow_array(values: Any) -> bool:
    return is_pyarrow(values) and not hasattr(values, "columns")


def library_of(frame: Any) -> str:
    """The frame library results should come back in: 'pandas', 'polars' or 'pyarrow'."""
    if is_polars(frame):
        return "polars"
    if is_pyarrow(frame) or is_arrow_frame(frame) or (not hasattr(frame, "iloc") and hasattr(frame, "__arrow_c_stream__")):
        return "pyarrow"
    return "pandas"


def is_frame(obj: Any) -> bool:
    """True for pandas, polars and pyarrow tables and anything exporting an Arrow stream."""
    return hasattr(obj, "columns") or hasattr(obj, "__arrow_c_stream__")


def to_pandas(frame: Any, *, name: str = "frame") -> Any:
    """A pandas view of a pandas, polars or pyarrow frame (or any ``__arrow_c_stream__`` object)."""
    err = _errors()
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return frame
    if is_arrow_frame(frame):
        return frame.to_pyarrow().to_pandas()
    if is_polars(frame) and hasattr(frame, "to_pandas"):
        return frame.to_pandas()
    if is_pyarrow(frame) and hasattr(frame, "to_pandas"):
        return frame.to_pandas()
    if hasattr(frame, "__arrow_c_stream__"):
        import pyarrow as pa

        try:
            return pa.table(frame).to_pandas()
        except (pa.ArrowException, TypeError, ValueError):  # a Series or an array: a stream but no table
            raise err.InvalidArgumentError(
                f"`{name}` must be a data frame (pandas, polars or pyarrow), got {type(frame).__name__}"
            ) from None
    if isinstance(frame, Mapping):
        try:
            return pd.DataFrame(dict(frame))
        except (ValueError, TypeError) as e:  # scalars only, ragged columns
            raise err.InvalidArgumentError(f"`{name}`: a mapping that is no table of columns ({e})") from None
    raise err.InvalidArgumentError(
        f"`{name}` must be a data frame (pandas, polars or pyarrow), got {type(frame).__name__}"
    )


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise _errors().InvalidArgumentError(
            f"`backend` must be one of {', '.join(repr(b) for b in BACKENDS)}, got {backend!r}"
        )
    return backend


def backend_frame(columns: Mapping[str, Any], backend: str) -> Any:
    """Builds a frame from named columns in the named library."""
    check_backend(backend)
    if backend == "polars":
        import polars as pl

        return pl.DataFrame(dict(columns), strict=False)
    import pandas as pd

    df = pd.DataFrame(dict(columns))
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(df, preserve_index=False)
    return df


def output_frame(columns: Mapping[str, Any], like: Any = None) -> Any:
    """Builds the result frame in the caller's library (that of ``like``; pandas if None)."""
    return backend_frame(columns, "pandas" if like is None else library_of(like))


def convert_frame(df: Any, like: Any) -> Any:
    """A pandas result frame converted to the library of ``like``."""
    lib = "pandas" if like is None else library_of(like)
    if lib == "polars":
        import polars as pl

        return pl.from_pandas(df)
    if lib == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(df, preserve_index=False)
    return df


def column_names(frame: Any) -> list[str]:
    """The column names of a pandas, polars or pyarrow frame."""
    names = getattr(frame, "column_names", None)  # pyarrow: `.columns` are the arrays
    if names is None:
        names = frame.columns
    return [str(c) for c in names]


def require_columns(
    frame: Any, names: Iterable[str], *, argument: str = "frame", expected: Optional[Sequence[str]] = None
) -> None:
    """Raises a ColumnError naming each missing column, what the frame has, and the close matches."""
    import difflib

    have = column_names(frame)
    for name in names:
        if name not in have:
            close = difflib.get_close_matches(name, have, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "."
            exp = f" It expects {', '.join(repr(c) for c in expected)}." if expected else ""
            raise _errors().ColumnError(
                f"`{argument}` has no column {name!r}{hint} It has {', '.join(repr(c) for c in have)}.{exp}"
            )


def column(frame: Any, name: str, *, argument: str = "frame") -> np.ndarray:
    """One column of a pandas, polars or pyarrow frame as float64."""
    require_columns(frame, [name], argument=argument)
    return as_float_array(frame[name], f"{argument}[{name!r}]")


_F = TypeVar("_F", bound=Callable[..., Any])


def arrow_input(name: str) -> Callable[[_F], _F]:
    """Decorator: the frame argument ``name`` goes through :func:`arrow_frame`
    first, so a one-shot Arrow stream (a DuckDB result, a RecordBatchReader)
    is read once and every column is then taken from it."""

    def decorate(fn: _F) -> _F:
        position = list(inspect.signature(fn).parameters).index(name)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name in kwargs:
                kwargs[name] = arrow_frame(kwargs[name])
            elif len(args) > position:
                args = (*args[:position], arrow_frame(args[position]), *args[position + 1 :])
            return fn(*args, **kwargs)

        return cast(_F, wrapper)

    return decorate
