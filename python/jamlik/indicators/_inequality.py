"""Slope and relative index of inequality, and quantiles within groups."""

from __future__ import annotations

from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_input,
    library_of,
)
from jamlik.indicators._common import (
    Level,
    _get,
    _group_codes,
    _integer,
    _key_frame,
    _levels,
    _long,
    _missing,
    _number,
    _optional,
    _require,
    _Text,
    _with_column,
)


@arrow_input("frame")
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


@arrow_input("frame")
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
    try:
        q = np.asarray(_jamlik.indicator_quantile(v, _integer(nquantiles, "nquantiles"), inv, codes,
                                                  _missing(missing, ("error", "drop"))))
    except _jamlik.JamlikError as e:  # the core calls the column `values`; here it is `value`
        if str(e).startswith("`values`"):
            raise type(e)(f"`value` (column {value!r})" + str(e)[len("`values`"):]) from None
        raise
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
