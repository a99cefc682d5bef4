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

# The functions live in private modules by family (_counts, _standardised,
# _life_table, _inequality, _funnel; shared helpers in _common). The public
# names are re-exported here; so are the helpers and imports the former
# single module had, so that every ``jamlik.indicators.<name>`` still resolves.
import numbers  # noqa: F401
from collections.abc import Sequence  # noqa: F401
from types import SimpleNamespace  # noqa: F401
from typing import Any, Optional, Union  # noqa: F401

import numpy as np  # noqa: F401

from jamlik import _jamlik  # noqa: F401
from jamlik._frames import (  # noqa: F401
    as_float_array,
    check_backend,
    is_polars,
    is_pyarrow,
    library_of,
    require_columns,
)
from jamlik.indicators._common import (  # noqa: F401
    ESP2013,
    STANDARD_20,
    Level,
    _age_starts,
    _build,
    _get,
    _group_codes,
    _integer,
    _key_frame,
    _levels,
    _lib,
    _long,
    _missing,
    _number,
    _optional,
    _optional_number,
    _require,
    _standard_columns,
    _Text,
    _with_column,
)
from jamlik.indicators._counts import _counts, mean, proportion, rate  # noqa: F401
from jamlik.indicators._funnel import _funnel_columns, funnel_limits, funnel_significance  # noqa: F401
from jamlik.indicators._inequality import quantile, sii
from jamlik.indicators._life_table import (  # noqa: F401
    HEALTH_MEASURES,
    _column_name,
    health_expectancy,
    health_expectancy_gap,
    life_expectancy,
)
from jamlik.indicators._small_numbers import funnel_flags, rank_intervals, smooth
from jamlik.indicators._standardised import dsr, esp2013, isr

__all__ = [
    "ESP2013",
    "STANDARD_20",
    "dsr",
    "esp2013",
    "funnel_flags",
    "funnel_limits",
    "funnel_significance",
    "health_expectancy",
    "health_expectancy_gap",
    "isr",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile",
    "rank_intervals",
    "rate",
    "sii",
    "smooth",
]
