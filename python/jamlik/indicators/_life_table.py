"""Life expectancy and health expectancy (Sullivan) from abridged life tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_input,
    as_float_array,
    library_of,
    require_columns,
)
from jamlik.indicators._common import (
    STANDARD_20,
    Level,
    _age_starts,
    _get,
    _group_codes,
    _levels,
    _long,
    _missing,
    _number,
    _optional_number,
    _require,
    _standard_columns,
    _Text,
)


@arrow_input("frame")
def life_expectancy(
    frame: Any,
    *,
    count: str,
    population: str,
    age_band: str,
    by: Any = None,
    level: Level = 0.95,
    layout: Union[str, Sequence[float]] = "standard",
    min_population: Optional[float] = 5000,
    max_ci_width: Optional[float] = 20,
    missing: str = "error",
) -> Any:
    """Life expectancy at every band start age (Chiang II abridged life table,
    Silcocks' variance for the open-ended band), one row per group, age and level.

    ``count`` is the column of deaths (the numerator, as in every indicator).
    ``layout``: ``"standard"`` (the 20 bands 0, 1-4, ..., 85-89, 90+), a list
    of band start ages (e.g. Swedish statistics' 0, 1, 5, ..., 85 for 85+), or
    ``"any"`` (any increasing layout starting at 0). A group with a missing or
    unexpected band is an error. Suppression rules (``None`` switches off):
    total population at most ``min_population`` → no values; 95% interval
    wider than ``max_ci_width`` years → value withheld (limits kept).
    ``missing``: "error", "drop" (the row goes, so its band is then missing)
    or "zero" (a missing death count is 0 deaths).
    Columns: ``[by..., age, value, lower, upper, level, se, count,
    population, method, note]``; ``count``/``population`` are the deaths and
    population at that age and older.
    """
    for arg, col in (("count", count), ("population", population), ("age_band", age_band)):
        if not isinstance(col, str):
            raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name of `frame`, got {type(col).__name__}")
    _require(frame, [count, population, age_band],
             expected=[count, population, age_band] + ([by] if isinstance(by, str) else list(by or [])))
    d = _get(frame, count, "count")
    p = _get(frame, population, "population")
    age = _age_starts(frame, age_band)
    if isinstance(layout, str):
        if layout == "standard":
            lay: Optional[list[float]] = STANDARD_20
        elif layout == "any":
            lay = None
        else:
            raise _jamlik.InvalidArgumentError(f'`layout`: expected "standard", "any" or a list of start ages, got {layout!r}')
    else:
        lay = as_float_array(layout, "layout").tolist()
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(d))
    res = _jamlik.indicator_life_expectancy(
        d, p, age, levels, lay,
        _optional_number(min_population, "min_population"),
        _optional_number(max_ci_width, "max_ci_width"),
        codes, _missing(missing, ("error", "drop", "zero")),
    )
    extra = {"se": res["se"], "count": res["count"], "population": res["population"], **_standard_columns(res)}
    size = np.asarray(res["group_size"]) if keys is not None else None
    return _long(res, levels, keys, extra, library_of(frame), lead={"age": res["age"]}, size=size)


#: The measures of :func:`health_expectancy`, in row order.
HEALTH_MEASURES = ("life_expectancy", "health_expectancy", "proportion_healthy")


def _column_name(value: Any, arg: str) -> str:
    if not isinstance(value, str):
        raise _jamlik.InvalidArgumentError(f"`{arg}` must be a column name of `frame`, got {type(value).__name__}")
    return value


@arrow_input("frame")
def health_expectancy(
    frame: Any,
    *,
    count: str,
    population: str,
    age_band: str,
    prevalence: Optional[str] = None,
    prevalence_n: Optional[str] = None,
    prevalence_se: Optional[str] = None,
    healthy: Optional[str] = None,
    respondents: Optional[str] = None,
    by: Any = None,
    ax: Union[float, str, None] = None,
    level: Level = 0.95,
    layout: Union[str, Sequence[float]] = "standard",
    mortality_variance: bool = True,
    missing: str = "error",
) -> Any:
    """Healthy life years by the Sullivan method: life expectancy, health
    expectancy (years in good health) and the proportion of remaining life in
    good health at every band start age, one row per group, age, measure and level.

    The life table is that of :func:`life_expectancy` (Chiang II, ``count``
    = deaths, same ``layout`` choices, no suppression rules). The prevalence
    of the health state (the proportion *in good health*, e.g. good
    self-rated health) per band is given as one of:

    - ``prevalence`` (column of proportions in [0, 1]) with ``prevalence_n``
      (sample size): sampling variance p(1 - p)/n;
    - ``prevalence`` with ``prevalence_se`` (its SE, e.g. from a survey design
      with its design effect);
    - ``healthy`` with ``respondents`` (numerator and denominator).

    ``ax``: the fraction of a band lived by those who die in it; ``None`` is
    the life table's default (0.1 for the infant band, 0.5 otherwise), a
    number applies to every band (the practical guide uses 0.5), a column
    name gives it per row. SEs add the prevalence sampling variance and the
    life-table (Chiang) variance; ``mortality_variance=False`` keeps only the
    prevalence part (as the guide's worked examples). ``missing``: "error",
    "drop" (the row goes, so its band is then missing) or "zero" (a missing
    death count is 0 deaths).

    Columns: ``[by..., age, measure, value, lower, upper, level, se, count,
    population, method, note]``; ``measure`` is "life_expectancy",
    "health_expectancy" or "proportion_healthy"; ``count``/``population``
    are the deaths and population at that age and older. To compare groups
    use :func:`health_expectancy_gap`; for HEAT summary measures across
    groups, pass the rows of one age and measure with ``value`` renamed
    ``estimate`` (and ``se``, ``population``) to :func:`jamlik.heat.summary`.
    """
    count = _column_name(count, "count")
    population = _column_name(population, "population")
    age_band = _column_name(age_band, "age_band")
    named = {"prevalence": prevalence, "prevalence_n": prevalence_n, "prevalence_se": prevalence_se,
             "healthy": healthy, "respondents": respondents}
    given = {k: _column_name(v, k) for k, v in named.items() if v is not None}
    forms = ({"prevalence", "prevalence_n"}, {"prevalence", "prevalence_se"}, {"healthy", "respondents"})
    if set(given) not in forms:
        raise _jamlik.InvalidArgumentError(
            "`prevalence`: give `prevalence` with `prevalence_n` (sample size) or `prevalence_se` (standard "
            f"error), or `healthy` with `respondents` (numerator and denominator); got {sorted(given) or 'none'}"
        )
    by_cols = [by] if isinstance(by, str) else list(by or [])
    ax_col = ax if isinstance(ax, str) else None
    needed = [count, population, age_band, *given.values(), *([ax_col] if ax_col else [])]
    _require(frame, needed, expected=needed + [b for b in by_cols if isinstance(b, str)])
    d = _get(frame, count, "count")
    p = _get(frame, population, "population")
    age = _age_starts(frame, age_band)
    columns = {k: _get(frame, v, k) for k, v in given.items()}
    if ax is None:
        ax_values = None
    elif ax_col is not None:
        ax_values = _get(frame, ax_col, "ax")
    else:
        ax_values = np.full(len(d), _number(ax, "ax"))
    if isinstance(layout, str):
        if layout == "standard":
            lay: Optional[list[float]] = STANDARD_20
        elif layout == "any":
            lay = None
        else:
            raise _jamlik.InvalidArgumentError(f'`layout`: expected "standard", "any" or a list of start ages, got {layout!r}')
    else:
        lay = as_float_array(layout, "layout").tolist()
    if not isinstance(mortality_variance, bool):
        raise _jamlik.InvalidArgumentError(f"`mortality_variance` must be True or False, got {mortality_variance!r}")
    levels = _levels(level)
    codes, keys = _group_codes(frame, by, len(d))
    res = _jamlik.indicator_health_expectancy(
        d, p, age, levels, **columns, ax=ax_values, layout=lay, mortality_variance=mortality_variance,
        groups=codes, missing=_missing(missing, ("error", "drop", "zero")),
    )
    measures = list(res["measures"])
    m = len(measures)
    rows = len(res["age"])

    def interleave(parts: list[Any]) -> np.ndarray:
        return np.column_stack(parts).ravel()

    stacked = {
        "value": interleave([res[f"value_{name}"] for name in measures]),
        "lower": [interleave(list(c)) for c in zip(*(res[f"lower_{name}"] for name in measures))],
        "upper": [interleave(list(c)) for c in zip(*(res[f"upper_{name}"] for name in measures))],
        "first_row": res["first_row"],
    }

    def three(a: Any) -> np.ndarray:
        return np.repeat(np.asarray(a), m)

    extra = {
        "se": interleave([res[f"se_{name}"] for name in measures]),
        "count": three(res["count"]),
        "population": three(res["population"]),
        "method": _Text(np.tile(np.arange(m, dtype=np.int64), rows), list(res["methods"])),
        "note": _Text.of(res, "note").repeat(m),
    }
    lead = {"age": three(res["age"]), "measure": _Text(np.tile(np.arange(m, dtype=np.int64), rows), measures)}
    size = np.asarray(res["group_size"]) * m if keys is not None else None
    return _long(stacked, levels, keys, extra, library_of(frame), lead=lead, size=size)


def health_expectancy_gap(
    result: Any,
    *,
    between: str,
    first: Any,
    second: Any,
    measure: Optional[str] = "health_expectancy",
    level: Level = 0.95,
) -> Any:
    """The gap ``first - second`` between two groups of a :func:`health_expectancy`
    result (women/men, two areas, highest/lowest education), per age, measure
    and the other group keys, with SE sqrt(se1^2 + se2^2) (independent groups)
    and normal limits at ``level``.

    ``between``: the column of ``result`` that holds the two groups (e.g.
    ``"sex"``); ``first`` / ``second``: its two values (e.g. "K", "M").
    ``measure``: one measure (default "health_expectancy") or ``None`` for
    all three. Rows are matched on every other key column (e.g. ``year``,
    ``municipality``) and ``age``; a value missing in one group gives a
    missing gap. Columns: ``[keys..., age, measure, value, lower, upper,
    level, se, method]``, in the result's library. A gap series by ``year``
    (one age, one measure) feeds :func:`jamlik.goals.gap_closure` directly
    (it reads ``year`` and ``value``).
    """
    from jamlik._frames import to_pandas

    df = to_pandas(result, name="result")
    between = _column_name(between, "between")
    base = ["age", "measure", "value", "se", "level"]
    require_columns(df, [between, *base], argument="result", expected=[between, *base])
    if measure is not None:
        if measure not in HEALTH_MEASURES:
            raise _jamlik.InvalidArgumentError(
                f"`measure`: expected one of {', '.join(HEALTH_MEASURES)} or None, got {measure!r}"
            )
        df = df[df["measure"].astype(str) == measure]
    present = set(df[between].astype(object).tolist())
    for arg, value in (("first", first), ("second", second)):
        if value not in present:
            raise _jamlik.InvalidArgumentError(
                f"`{arg}`: {value!r} is not a value of column {between!r}; it has {sorted(map(str, present))}"
            )
    outputs = {"value", "lower", "upper", "level", "se", "count", "population", "method", "note", between}
    keys = [c for c in df.columns if c not in outputs and c not in ("age", "measure")]
    # One row per unit: the first level's rows (value and SE do not depend on it).
    lv = df["level"].to_numpy(dtype=np.float64)
    if len(lv) and not np.isnan(lv).all():
        df = df[lv == np.nanmin(lv)]
    on = [*keys, "age", "measure"]
    cols = [*on, "value", "se"]
    a = df[df[between] == first][cols].assign(measure=lambda x: x["measure"].astype(str))
    b = df[df[between] == second][cols].assign(measure=lambda x: x["measure"].astype(str))
    merged = a.merge(b, on=on, how="inner", suffixes=("_first", "_second"), sort=False)
    levels = _levels(level)
    res = _jamlik.indicator_health_expectancy_gap(
        as_float_array(merged["value_first"], "first"), as_float_array(merged["se_first"], "first"),
        as_float_array(merged["value_second"], "second"), as_float_array(merged["se_second"], "second"),
        levels,
    )
    n = len(merged)
    keyframe = merged[on].reset_index(drop=True)
    return _long(
        {"value": res["value"], "lower": res["lower"], "upper": res["upper"], "first_row": np.arange(n)},
        levels,
        keyframe,
        {"se": res["se"], "method": _Text(np.zeros(n, dtype=np.int64), [res["method"]])},
        library_of(result),
    )
