"""Small numbers: rank intervals, funnel flags per group and empirical-Bayes smoothing.

Each function returns the caller's frame with columns added beside the raw values,
never instead of them (see docs/methods.md, "Small numbers").
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import column_names
from jamlik.indicators._common import (
    Level,
    _get,
    _group_codes,
    _levels,
    _missing,
    _optional,
    _optional_number,
    _with_column,
)

_SEED: int = _jamlik.DEFAULT_SEED

By = Union[str, Sequence[str], None]


def _columns(by: By, toward: By = None) -> Optional[list[str]]:
    """The grouping columns: ``by`` then ``toward`` (each a name or a list of names)."""
    names: list[str] = []
    for arg, cols in (("by", by), ("toward", toward)):
        if cols is None:
            continue
        items = [cols] if isinstance(cols, str) else list(cols)
        if not all(isinstance(c, str) for c in items):
            raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name or a list of column names, got {cols!r}")
        names.extend(c for c in items if c not in names)
    return names or None


def _codes(frame: Any, names: Optional[list[str]], n: int) -> Optional[np.ndarray]:
    codes, _ = _group_codes(frame, names, n)
    return codes


def _with_columns(frame: Any, columns: dict[str, Any]) -> Any:
    for name, values in columns.items():
        frame = _with_column(frame, name, values)
    return frame


def rank_intervals(
    frame: Any,
    *,
    value: str = "value",
    se: str = "se",
    by: By = None,
    direction: str = "higher",
    level: float = 0.95,
    draws: int = 1000,
    seed: int = _SEED,
    missing: str = "error",
) -> Any:
    """The uncertainty of every area's rank within its ``by`` group, by simulation.

    Each of ``draws`` league tables draws every value as ``value + se · z`` (z standard
    normal, seeded with ``seed``), ranks the group's areas (``direction="higher"``: the
    highest value is rank 1; ``"lower"``: the lowest), and the rank interval is the
    ``level`` central interval of an area's simulated ranks (Goldstein & Spiegelhalter
    1996). Deterministic for a seed, whatever the number of threads.

    Returns the frame with ``rank`` (of the value itself; ties share the better rank),
    ``rank_lower`` and ``rank_upper``. ``missing="drop"`` leaves rows with a missing
    value or SE unranked (NaN) and out of the others' tables.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["a", "b", "c"], "value": [10.0, 20.0, 30.0], "se": [0.1, 0.1, 50.0]})
    >>> rank_intervals(df)[["rank", "rank_lower", "rank_upper"]].to_numpy().tolist()
    [[3.0, 2.0, 3.0], [2.0, 1.0, 2.0], [1.0, 1.0, 3.0]]
    """
    v = _get(frame, value, "value")
    s = _get(frame, se, "se")
    if direction not in ("higher", "lower"):
        raise _jamlik.InvalidArgumentError(
            f'`direction` must be "higher" (rank 1 = highest value) or "lower" (rank 1 = lowest), got {direction!r}'
        )
    if isinstance(draws, bool) or not isinstance(draws, numbers.Integral) or not 1 <= int(draws) < 2**63:
        raise _jamlik.InvalidArgumentError(f"`draws` must be a whole number of at least 1 (e.g. 1000), got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= int(seed) < 2**64:
        raise _jamlik.InvalidArgumentError(f"`seed` must be a whole number from 0 to 2**64 - 1, got {seed!r}")
    levels = _levels(level)
    if len(levels) != 1:
        raise _jamlik.InvalidArgumentError(f"`level`: rank intervals take one level such as 0.95, got {level!r}")
    res = _jamlik.indicator_rank_intervals(
        v, s, _codes(frame, _columns(by), len(v)), levels[0], int(draws), int(seed), direction == "higher",
        _missing(missing, ("error", "drop")),
    )
    return _with_columns(frame, {"rank": res["rank"], "rank_lower": res["lower"], "rank_upper": res["upper"]})


def funnel_flags(
    frame: Any,
    *,
    statistic: str = "proportion",
    count: str = "count",
    population: Optional[str] = "population",
    expected: Optional[str] = None,
    rate: Optional[str] = None,
    rate_type: str = "crude",
    multiplier: Optional[float] = None,
    by: By = None,
    level: Level = (0.95, 0.998),
    missing: str = "error",
) -> Any:
    """The funnel-plot flag of every row against the other rows of its ``by`` group.

    The labels of :func:`funnel_significance` ("High (0.001)", "High (0.025)",
    "Not significant", "Low (0.025)", "Low (0.001)"), computed group by group in one
    call: pass ``by=["kpi", "year", "sex"]`` on a long frame. Ratios take
    ``expected`` (set ``population=None``). Returns the frame with a ``significance``
    column; ``missing="drop"`` gives rows with a missing input no flag (null), and a
    group with no complete row none at all.
    """
    if statistic == "ratio" and population == "population":
        population = None  # ratios read observed and expected counts
    c = _get(frame, count, "count")
    p = _optional(frame, population, "population")
    e = _optional(frame, expected, "expected")
    r = _optional(frame, rate, "rate")
    levels = _levels(level)
    if not levels:
        raise _jamlik.InvalidArgumentError("`level`: funnel flags need at least one level")
    labels = _jamlik.indicator_funnel_flags(
        statistic, c, levels, p, e, r, _codes(frame, _columns(by), len(c)),
        _optional_number(multiplier, "multiplier"), rate_type, _missing(missing, ("error", "drop")),
    )
    return _with_column(frame, "significance", labels)


def smooth(
    frame: Any,
    *,
    statistic: str = "proportion",
    count: str = "count",
    population: Optional[str] = "population",
    expected: Optional[str] = None,
    toward: By = None,
    by: By = None,
    multiplier: Optional[float] = None,
    missing: str = "error",
) -> Any:
    """Empirical-Bayes estimates beside the raw values, shrunk toward a group mean.

    ``statistic="proportion"``: beta–binomial (Martuzzi & Elliott 1996) on ``count`` out
    of ``population``; ``"rate"``: Poisson–gamma (Marshall 1991) on ``count`` per
    ``population``; ``"ratio"``: Poisson–gamma on observed ``count`` over ``expected``
    counts (SMRs). The estimators are the global method-of-moments ones of R spdep's
    ``EBest`` (a negative between-area variance is truncated to 0: full shrinkage),
    computed within each group of ``by`` × ``toward``: ``toward=None`` shrinks toward
    the mean of all rows of the ``by`` group (the nation, when the frame holds the
    municipalities), ``toward="county_code"`` toward the county's mean, an SKR group
    column toward similar municipalities'.

    Returns the frame with ``smoothed``, ``shrinkage`` (the raw value's weight: 0 is
    full shrinkage), ``prior_mean`` and ``prior_variance`` (the group's mean and
    between-area variance), all in the unit of ``multiplier`` (default 100 for
    proportions, 100 000 for rates, 1 for ratios), plus ``value`` = count/denominator ×
    multiplier when the frame has no ``value`` column. The raw value is never replaced.
    """
    if statistic not in ("proportion", "rate", "ratio"):
        raise _jamlik.InvalidArgumentError(f'`statistic` must be "proportion", "rate" or "ratio", got {statistic!r}')
    c = _get(frame, count, "count")
    if statistic == "ratio":
        if expected is None:
            raise _jamlik.InvalidArgumentError('`expected`: statistic="ratio" smooths observed over expected counts; '
                                               "name the expected-count column")
        x = _get(frame, expected, "expected")
    else:
        if population is None:
            raise _jamlik.InvalidArgumentError(f'`population`: statistic="{statistic}" needs the population column')
        x = _get(frame, population, "population")
    res = _jamlik.indicator_smooth(
        statistic, c, x, _codes(frame, _columns(by, toward), len(c)), _optional_number(multiplier, "multiplier"),
        _missing(missing, ("error", "drop")),
    )
    out: dict[str, Any] = {} if "value" in column_names(frame) else {"value": res["value"]}
    for name in ("smoothed", "shrinkage", "prior_mean", "prior_variance"):
        out[name] = res[name]
    return _with_columns(frame, out)
