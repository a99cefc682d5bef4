"""Direct and indirect standardisation and the 2013 European Standard Population."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_input,
    as_float_array,
    check_backend,
    library_of,
)
from jamlik.indicators._common import (
    ESP2013,
    Level,
    _age_starts,
    _build,
    _get,
    _group_codes,
    _levels,
    _long,
    _missing,
    _number,
    _optional,
    _optional_number,
    _standard_columns,
)


def esp2013(detailed: bool = False, *, backend: str = "pandas") -> Any:
    """The 2013 European Standard Population as a frame (``age``, ``weight``).

    19 bands 0-4 ... 90+ by default; ``detailed=True`` gives 0, 1-4, ..., 90-94, 95+.
    """
    starts, weights = _jamlik.indicator_esp2013(bool(detailed))
    return _build({"age": np.asarray(starts), "weight": np.asarray(weights)}, check_backend(backend))


@arrow_input("frame")
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
    """Directly standardised rates (Dobson method), one row per group and level.

    ``standard``: ``"esp2013"`` (the 2013 European Standard Population, matched
    to the rows by ``age_band``; layouts 0, 1-4, ..., 85+, 90+ or 95+ are
    aggregated from the detailed ESP2013), a column name or array of weights
    per row, or a mapping ``{start_age: weight}`` (e.g. Sweden's population).
    ``suppress_below``: DSRs on fewer events get no value and a note
    (``None`` switches suppression off). ``event_frequency`` (column): rows hold
    the persons with exactly f events (non-independent events).
    ``missing``: "error", "drop" or "zero" (a missing count is 0 events).
    Columns: ``[by..., value, lower, upper, level, count, population, method, note]``.
    """
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    levels = _levels(level)
    age = _age_starts(frame, age_band) if age_band is not None else None
    weights = None
    std = None
    name = "given"
    if isinstance(standard, str) and standard.lower() == ESP2013:
        std = _jamlik.indicator_esp2013(True)
        name = "ESP2013"
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match the ESP2013 standard to the rows")
    elif isinstance(standard, dict):
        ages = as_float_array(list(standard.keys()), "standard")
        wts = as_float_array(list(standard.values()), "standard")
        order = np.argsort(ages, kind="stable")
        std = (ages[order].tolist(), wts[order].tolist())
        if age is None:
            raise _jamlik.InvalidArgumentError("`age_band` is required to match a standard population to the rows")
    else:
        weights = _get(frame, standard, "standard")
    freq = _optional(frame, event_frequency, "event_frequency")
    codes, keys = _group_codes(frame, by, len(c))
    res = _jamlik.indicator_dsr(
        c, p, levels, _number(multiplier, "multiplier"), weights, std, age, freq, codes,
        _optional_number(suppress_below, "suppress_below"), _missing(missing, ("error", "drop", "zero")), name,
    )
    extra = {"count": res["count"], "population": res["population"], **_standard_columns(res)}
    return _long(res, levels, keys, extra, library_of(frame))


@arrow_input("frame")
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
    ``kind="rate"`` (O/E × reference rate per multiplier), one row per group and level.

    ``reference_count`` / ``reference_population``: columns, arrays per row, or
    arrays with one entry per age band, matched by position within each group.
    ``missing``: "error", "drop" or "zero" (missing counts, populations and
    reference counts count as 0, as PHEindicatormethods does).
    Columns: ``[by..., value, lower, upper, level, count, expected,
    (reference_rate,) method, note]``; ``count`` is the observed count.
    """
    if kind not in ("ratio", "rate"):
        raise _jamlik.InvalidArgumentError(f'`kind`: expected "ratio" or "rate", got {kind!r}')
    c = _get(frame, count, "count")
    p = _get(frame, population, "population")
    codes, keys = _group_codes(frame, by, len(c))
    xr = _get(frame, reference_count, "reference_count")
    nr = _get(frame, reference_population, "reference_population")
    scale = _number(refvalue, "refvalue") if kind == "ratio" else _number(multiplier, "multiplier")
    levels = _levels(level)
    res = _jamlik.indicator_isr(c, p, xr, nr, kind, scale, levels, codes, _missing(missing, ("error", "drop", "zero")))
    extra = {"count": res["count"], "expected": res["expected"]}
    if kind == "rate":
        extra["reference_rate"] = res["reference_rate"]
    extra.update(_standard_columns(res))
    return _long(res, levels, keys, extra, library_of(frame))
