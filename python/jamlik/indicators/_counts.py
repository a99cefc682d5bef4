"""Proportions, crude rates and means."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from jamlik import _jamlik
from jamlik._frames import arrow_input
from jamlik.indicators._common import (
    Level,
    _get,
    _group_codes,
    _levels,
    _lib,
    _long,
    _missing,
    _number,
    _standard_columns,
)


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


@arrow_input("data")
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


@arrow_input("data")
def rate(count: Any, population: Any, *, level: Level = 0.95, multiplier: float = 100_000, by: Any = None,
         data: Any = None, missing: str = "error", backend: Optional[str] = None) -> Any:
    """Crude rates ``count/population × multiplier``: exact Poisson limits below 10 events, Byars from 10.

    Same arguments and columns as :func:`proportion`.
    """
    return _counts("rate", count, population, level, multiplier, by, data, missing, backend)


@arrow_input("data")
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
