"""Funnel-plot control limits and significance labels."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_input,
    as_float_array,
    library_of,
)
from jamlik.indicators._common import (
    Level,
    _build,
    _get,
    _levels,
    _missing,
    _number,
    _optional,
    _optional_number,
    _with_column,
)


def _funnel_columns(frame: Any, count: str, population: Optional[str], expected: Optional[str],
                    rate: Optional[str]) -> tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray], Optional[np.ndarray]]:
    return (
        _get(frame, count, "count"),
        _optional(frame, population, "population"),
        _optional(frame, expected, "expected"),
        _optional(frame, rate, "rate"),
    )


@arrow_input("frame")
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


@arrow_input("frame")
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
