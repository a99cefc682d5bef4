"""WHO HEAT's 21 grouped summary measures of health inequality.

One row per subgroup: estimate, standard error, population, subgroup order
(ordered dimensions such as wealth quintiles), reference subgroup, direction
(favourable or adverse) and scale. Each measure returns a :class:`jamlik.Estimate`
(value, se, lower, upper, level, method, note, n = subgroups used, and
``extra["measure"]``); :func:`summary` returns every applicable measure of one
or many cases as a frame of the caller's library (pandas, polars or pyarrow).

The subgroup estimates come first; every other argument is keyword-only.

Definitions follow WHO HEAT / the R package healthequal with its scale bugs
fixed; ``compat="healthequal"`` reproduces healthequal's SII/RII exactly. See
``docs/methods.md`` (HEAT section) for formulas and every deliberate difference.

>>> import jamlik.heat as heat
>>> round(heat.d([38.2, 71.4], se=[2.41, 1.87], subgroup_order=[1, 2]).value, 9)
33.2
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional, TypeVar, Union

import numpy as np

from jamlik import _jamlik
from jamlik._frames import (
    arrow_frame,
    arrow_input,
    as_float_array,
    convert_frame,
    is_arrow_frame,
    is_frame,
    library_of,
    require_columns,
    to_pandas,
)

Estimate = _jamlik.Estimate

__all__ = [
    "COLUMNS",
    "MEASURES",
    "absolute_concentration_index",
    "aci",
    "between_group_standard_deviation",
    "between_group_variance",
    "bgsd",
    "bgv",
    "coefficient_of_variation",
    "cov",
    "d",
    "difference",
    "example",
    "idisu",
    "idisw",
    "index_of_disparity_unweighted",
    "index_of_disparity_weighted",
    "mdbu",
    "mdbw",
    "mdmu",
    "mdmw",
    "mdru",
    "mdrw",
    "mean_difference_from_best_unweighted",
    "mean_difference_from_best_weighted",
    "mean_difference_from_mean_unweighted",
    "mean_difference_from_mean_weighted",
    "mean_difference_from_reference_unweighted",
    "mean_difference_from_reference_weighted",
    "mean_log_deviation",
    "mld",
    "paf",
    "par",
    "population_attributable_fraction",
    "population_attributable_risk",
    "r",
    "ratio",
    "rci",
    "relative_concentration_index",
    "relative_index_of_inequality",
    "rii",
    "sii",
    "slope_index_of_inequality",
    "summary",
    "theil_index",
    "ti",
]

#: Lower-case HEAT codes, in HEAT's order.
MEASURES: tuple[str, ...] = tuple(_jamlik.HEAT_MEASURES)

#: The columns :func:`summary` reads (HEAT's data layout); only ``estimate`` is required.
COLUMNS: tuple[str, ...] = tuple(_jamlik.HEAT_COLUMNS)

#: The package's default simulation seed (123456, as WHO's healthequal).
_SEED: int = _jamlik.DEFAULT_SEED

#: Flag columns of a HEAT frame: 1/0 or true/false.
_FLAG_COLUMNS = ("ordered_dimension", "reference_subgroup", "favourable_indicator")


ArrayLike = Any
Reference = Union[None, int, ArrayLike]


def _arr(values: Any, name: str) -> Optional[np.ndarray]:
    """Fast path for float64 numpy vectors (no copy); everything else via _frames."""
    if values is None:
        return None
    if type(values) is np.ndarray and values.dtype == np.float64 and values.ndim == 1 and values.flags.c_contiguous:
        return values
    return as_float_array(values, name)


def _reference_flags(reference: Reference, n: int) -> Optional[np.ndarray]:
    """An int is the row of the reference subgroup; an array holds 0/1 flags."""
    if reference is None:
        return None
    if isinstance(reference, (int, np.integer)) and not isinstance(reference, bool):
        if not 0 <= int(reference) < n:
            raise _jamlik.InvalidArgumentError(
                f"`reference`: row {reference} is outside 0..{n - 1}"
            )
        flags = np.zeros(n)
        flags[int(reference)] = 1.0
        return flags
    return as_float_array(reference, "reference")


def _flag(value: Any, name: str) -> bool:
    """A yes/no option: True/False or 1/0."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Real) and value in (0, 1):
        return bool(value)
    raise _jamlik.InvalidArgumentError(f"`{name}` must be True or False (or 1 or 0), got {value!r}")


def _number(value: Any, name: str) -> Optional[float]:
    """An optional single number (None stays None)."""
    if value is None:
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    raise _jamlik.InvalidArgumentError(f"`{name}` must be a number, got {type(value).__name__} {value!r}")


def _integer(value: Any, name: str, minimum: int) -> int:
    """A whole number >= minimum (seed, draws)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)) and minimum <= int(value) < 2**64:
        return int(value)
    raise _jamlik.InvalidArgumentError(f"`{name}` must be a whole number >= {minimum} (below 2**64), got {value!r}")


def _level(level: Any) -> float:
    if isinstance(level, (tuple, list)):
        raise _jamlik.InvalidArgumentError(
            f"`level` must be one confidence level such as 0.95 for a single measure, got {level!r}; "
            "heat.summary takes a tuple of levels"
        )
    out = _number(level, "level")
    if out is None:
        raise _jamlik.InvalidArgumentError("`level` must be a number such as 0.95, got None")
    return out


def _call(
    code: str,
    estimate: ArrayLike,
    se: ArrayLike,
    population: ArrayLike,
    subgroup_order: ArrayLike,
    reference: Reference,
    favourable: bool,
    scale: Optional[float],
    setting_average: Optional[float],
    lmin: Optional[float],
    lmax: Optional[float],
    level: float,
    seed: int = _SEED,
    draws: int = 100,
    linear: bool = False,
    method: Optional[str] = None,
    compat: Optional[str] = None,
    missing: str = "error",
) -> Estimate:
    y = _arr(estimate, "estimate")
    if y is None:
        raise _jamlik.InvalidArgumentError("`estimate` must be an array of subgroup estimates, got None")
    return _jamlik.heat_measure(
        code,
        y,
        _arr(se, "se"),
        _arr(population, "population"),
        _arr(subgroup_order, "subgroup_order"),
        _reference_flags(reference, len(y)),
        _flag(favourable, "favourable"),
        _number(scale, "scale"),
        _number(setting_average, "setting_average"),
        _number(lmin, "lmin"),
        _number(lmax, "lmax"),
        _level(level),
        _integer(seed, "seed", 0),
        _integer(draws, "draws", 0),
        _flag(linear, "linear"),
        method,
        compat,
        missing,
    )


_COMMON_DOC = """

Parameters
----------
estimate : array-like
    Subgroup estimates on the indicator's scale (for example % for scale 100).
    Every other argument is keyword-only.
se : array-like, optional
    Standard errors (NaN where missing: CIs that need them are then omitted).
population : array-like, optional
    Subgroup populations (the weights).
subgroup_order : array-like, optional
    Ordered dimensions: consecutive integers, 1 = most disadvantaged.
    Omit for non-ordered dimensions (regions, sex).
reference : int or array-like, optional
    Row of the reference subgroup, or 0/1 flags (at most one 1).
favourable : bool
    True when higher values are better, False for adverse indicators.
scale : float, optional
    Declared indicator scale (1, 100, 1000, 100000...).
setting_average : float, optional
    Setting (national) average supplied from outside.
lmin, lmax : float, optional
    Bounds of a bounded indicator.
level : float
    Confidence level in (0, 1), default 0.95 (one level; :func:`summary` takes several).
missing : {"error", "drop"}
    A missing (NaN) estimate, population or subgroup order: an error, or drop
    that subgroup (``n`` of the result counts the subgroups used).

Returns
-------
jamlik.Estimate
    ``value``, ``se``, ``lower``, ``upper``, ``level``, ``method`` (how it was
    computed), ``note`` (why a piece is missing), ``n`` (subgroups used) and
    ``extra["measure"]`` (the HEAT code).
"""


_Function = TypeVar("_Function", bound=Callable[..., Any])


def _doc(text: str) -> Callable[[_Function], _Function]:
    def wrap(f: _Function) -> _Function:
        f.__doc__ = text + _COMMON_DOC
        return f

    return wrap


# pairwise


@_doc("Difference D = y1 − y2 between the two subgroups HEAT compares; SE √(s1² + s2²).")
def d(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
      subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
      setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
      level: float = 0.95, missing: str = "error") -> Estimate:
    return _call("d", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, missing=missing)


@_doc("Ratio R = y1 / y2; ``se`` is SE(ln R), CI = exp(ln R ± z·se).")
def r(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
      subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
      setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
      level: float = 0.95, missing: str = "error") -> Estimate:
    return _call("r", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, missing=missing)


# ordered: concentration indices and regression


@_doc("Absolute concentration index Σ w (2X − 1) y (ordered dimensions; normalised to 0–1 when lmin/lmax are given).")
def aci(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
        subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
        setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
        level: float = 0.95, missing: str = "error") -> Estimate:
    return _call("aci", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, missing=missing)


@_doc("Relative concentration index ACI / mean (a fraction). ``method=\"wagstaff\"`` or ``\"erreygers\"`` "
      "normalises it for bounded indicators (needs lmin/lmax).")
def rci(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
        subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
        setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
        level: float = 0.95, method: Optional[str] = None, missing: str = "error") -> Estimate:
    return _call("rci", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, method=method, missing=missing)


@_doc("Slope index of inequality: logistic regression (default; ``linear=True`` for WLS) of estimate/scale on the "
      "population-weighted rank, SII = scale·(ŷ(1) − ŷ(0)); delta-method SE with the HC1 sandwich. "
      "``compat=\"healthequal\"`` reproduces healthequal (N² weights, guessed scale, rounded events).")
def sii(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
        subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
        setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
        level: float = 0.95, linear: bool = False, compat: Optional[str] = None,
        missing: str = "error") -> Estimate:
    return _call("sii", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, linear=linear, compat=compat, missing=missing)


@_doc("Relative index of inequality ŷ(1)/ŷ(0) from the same regression as :func:`sii`; ``se`` is SE(ln RII).")
def rii(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
        subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True, scale: Optional[float] = None,
        setting_average: Optional[float] = None, lmin: Optional[float] = None, lmax: Optional[float] = None,
        level: float = 0.95, linear: bool = False, compat: Optional[str] = None,
        missing: str = "error") -> Estimate:
    return _call("rii", estimate, se, population, subgroup_order, reference, favourable, scale, setting_average,
                 lmin, lmax, level, linear=linear, compat=compat, missing=missing)


# analytic non-ordered


def _analytic(code: str, text: str) -> Callable[..., Estimate]:
    @_doc(text)
    def f(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
          subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True,
          scale: Optional[float] = None, setting_average: Optional[float] = None, lmin: Optional[float] = None,
          lmax: Optional[float] = None, level: float = 0.95, missing: str = "error") -> Estimate:
        return _call(code, estimate, se, population, subgroup_order, reference, favourable, scale,
                     setting_average, lmin, lmax, level, missing=missing)

    f.__name__ = f.__qualname__ = code
    return f


def _simulated(code: str, text: str) -> Callable[..., Estimate]:
    @_doc(
        text
        + " CI by simulation: ``draws`` replicates with ``seed`` (defaults 100 and ``jamlik.DEFAULT_SEED`` = 123456, as HEAT)."
    )
    def f(estimate: ArrayLike, *, se: ArrayLike = None, population: ArrayLike = None,
          subgroup_order: ArrayLike = None, reference: Reference = None, favourable: bool = True,
          scale: Optional[float] = None, setting_average: Optional[float] = None, lmin: Optional[float] = None,
          lmax: Optional[float] = None, level: float = 0.95, seed: int = _SEED, draws: int = 100,
          missing: str = "error") -> Estimate:
        return _call(code, estimate, se, population, subgroup_order, reference, favourable, scale,
                     setting_average, lmin, lmax, level, seed=seed, draws=draws, missing=missing)

    f.__name__ = f.__qualname__ = code
    return f


bgv = _analytic("bgv", "Between-group variance Σ w (y − μ)² with Ahn et al.'s analytic SE (needs population).")
mld = _analytic("mld", "Mean log deviation ×1000 (needs population; refuses zero estimates, where it is infinite).")
ti = _analytic("ti", "Theil index ×1000 (needs population; 0·ln 0 = 0).")
paf = _analytic("paf", "Population attributable fraction 100·(y_ref − m)/m, truncated at 0; Walter's SE (%).")
par = _analytic("par", "Population attributable risk y_ref − m, truncated at 0; Walter's SE.")
bgsd = _simulated("bgsd", "Between-group standard deviation √BGV (needs population).")
cov = _simulated("cov", "Coefficient of variation 100·BGSD/μ (needs population).")
mdmu = _simulated("mdmu", "Mean difference from the mean, unweighted; m = setting average if given, else the "
                          "population-weighted mean.")
mdmw = _simulated("mdmw", "Mean difference from the mean, weighted Σ w|y − μ|.")
mdbu = _simulated("mdbu", "Mean difference from the best subgroup, unweighted.")
mdbw = _simulated("mdbw", "Mean difference from the best subgroup, weighted.")
mdru = _simulated("mdru", "Mean difference from the reference subgroup, unweighted (needs ``reference``).")
mdrw = _simulated("mdrw", "Mean difference from the reference subgroup, weighted (needs ``reference``).")
idisu = _simulated("idisu", "Index of disparity, unweighted: 100·MDMU/m.")
idisw = _simulated("idisw", "Index of disparity, weighted: 100·MDMW/μ.")

difference = d
ratio = r
absolute_concentration_index = aci
relative_concentration_index = rci
slope_index_of_inequality = sii
relative_index_of_inequality = rii
between_group_variance = bgv
between_group_standard_deviation = bgsd
coefficient_of_variation = cov
mean_difference_from_mean_unweighted = mdmu
mean_difference_from_mean_weighted = mdmw
mean_difference_from_best_unweighted = mdbu
mean_difference_from_best_weighted = mdbw
mean_difference_from_reference_unweighted = mdru
mean_difference_from_reference_weighted = mdrw
index_of_disparity_unweighted = idisu
index_of_disparity_weighted = idisw
mean_log_deviation = mld
theil_index = ti
population_attributable_fraction = paf
population_attributable_risk = par


# summary


def _flag_column(values: Any, name: str) -> np.ndarray:
    """A 1/0 flag column as float64 (empty cells NaN); text is an error naming the column."""
    if hasattr(values, "dtype") and values.dtype.kind in "biuf":
        return as_float_array(values, name)
    raw = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values, dtype=object)
    out = np.empty(len(raw), dtype=np.float64)
    for i, v in enumerate(raw):
        if v is None or (v is not v) or type(v).__name__ in ("NAType", "NaTType"):
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_, numbers.Real)):
            out[i] = float(v)
        else:
            raise _jamlik.InvalidArgumentError(
                f"`{name}` must be 1 or 0 (true or false), got {type(v).__name__} {v!r} at row {i}"
            )
    return out


def _levels(level: Any) -> list[float]:
    """One confidence level or a tuple/list of them."""
    many = level if isinstance(level, (tuple, list)) else (level,)
    out = []
    for v in many:
        number = _number(v, "level")
        if number is None:
            raise _jamlik.InvalidArgumentError("`level` must be a number such as 0.95, got None")
        out.append(number)
    return out


@arrow_input("frame")
def summary(
    frame: Any,
    *,
    by: Union[str, Sequence[str], None] = None,
    level: Union[float, Sequence[float]] = 0.95,
    seed: int = _SEED,
    draws: int = 100,
    compat: Optional[str] = None,
    missing: str = "error",
) -> Any:
    """Every applicable HEAT measure of one case, or of every group with ``by``.

    ``frame`` (pandas, polars or pyarrow) has one row per subgroup with HEAT's
    column names (:data:`COLUMNS`): ``estimate`` (required), ``se``,
    ``population``, ``subgroup_order``, ``ordered_dimension`` (1/0),
    ``reference_subgroup`` (1/0), ``favourable_indicator`` (1/0),
    ``scaleval``, ``setting_average``, ``lmin``, ``lmax``. Per-case settings
    repeat on every row of a case. Other columns (labels, ``by`` columns) are
    allowed, except one that looks like a misspelt HEAT column the frame
    lacks (``pop``, ``se_``): that is a :class:`jamlik.ColumnError` rather than
    a column silently ignored. With ``by`` (column name or list), all groups
    are computed in one native call.

    A case is ordered when ``ordered_dimension`` is 1; where that column is
    absent (or empty for the case), when its ``subgroup_order`` values are all
    present and distinct. Ordered cases get ACI, RCI, SII and RII, non-ordered
    ones the variance, mean-difference and entropy families.

    ``level`` is one confidence level or a tuple of levels (one set of rows per
    level). ``missing="drop"`` drops subgroups with a missing estimate,
    population or subgroup order (default ``"error"``).

    Returns a frame of the input's library with columns (by columns,)
    ``measure``, ``value``, ``se``, ``lower``, ``upper``, ``level``, ``method``,
    ``note``, ``n`` (subgroups used); one row per applicable measure (and
    level). A measure that is undefined for a case (for example MLD with a
    zero estimate) has empty numbers, ``method`` "not computed" and ``note``
    saying why; ``note`` also says why an SE or CI is missing.
    """
    import pandas as pd

    by_cols: list[str] = [by] if isinstance(by, str) else list(by or [])
    cols: dict[str, np.ndarray] = {}
    group = None
    keys = None
    source = arrow_frame(frame)
    if is_frame(source) and not hasattr(source, "iloc") and not isinstance(source, Mapping):
        # Arrow in (pyarrow, polars, DuckDB, any C stream): numeric columns read
        # in Rust (zero-copy where the layout allows), keys coded in Rust.
        table = source if is_arrow_frame(source) else _jamlik.ArrowFrame(source)
        have = list(table.columns)
        require_columns(table, by_cols, argument="by")
        _jamlik.heat_check_columns(have, by_cols)
        for name in COLUMNS:
            if name in have:
                numeric = table.is_numeric(name)
                if name in _FLAG_COLUMNS and not numeric:
                    cols[name] = _flag_column(table[name], name)
                else:
                    cols[name] = np.asarray(table.float_column(name, argument="frame"))
        if by_cols:
            codes, first = table.group_codes(by_cols)
            group = np.ascontiguousarray(codes, dtype=np.int64)
            keys = pd.DataFrame(table.key_values(by_cols, [int(r) for r in first]))
    else:
        pdf = to_pandas(source)
        require_columns(pdf, by_cols, argument="by")
        _jamlik.heat_check_columns([str(c) for c in pdf.columns], by_cols)
        for name in COLUMNS:
            if name in pdf.columns:
                cols[name] = _flag_column(pdf[name], name) if name in _FLAG_COLUMNS else as_float_array(pdf[name], name)
        if by_cols:
            grouped = pdf.groupby(by_cols, sort=False, dropna=False)
            group = np.ascontiguousarray(grouped.ngroup().to_numpy(), dtype=np.int64)
            keys = pdf[by_cols].drop_duplicates().reset_index(drop=True)
    res = _jamlik.heat_summary(
        cols,
        group,
        level=_levels(level),
        seed=_integer(seed, "seed", 0),
        draws=_integer(draws, "draws", 0),
        compat=compat,
        missing=missing,
    )
    g, m, mi, ni = res["group"], res["measure"], res["method_index"], res["note_index"]
    methods, notes = res["methods"], res["notes"]
    out: dict[str, Any] = {}
    if keys is not None:
        for b in by_cols:
            out[b] = keys[b].to_numpy()[g]
    # Text columns hold each distinct text once (as the indicator functions do): a Categorical
    # whose values compare equal to the strings, built from the native codes.
    out["measure"] = pd.Categorical.from_codes(m, dtype=pd.CategoricalDtype(list(MEASURES)))
    for name in ("value", "se", "lower", "upper", "level"):
        out[name] = res[name]
    out["method"] = pd.Categorical.from_codes(mi, categories=methods)
    out["note"] = pd.Categorical.from_codes(ni, categories=notes)
    out["n"] = res["n"]
    # The arrays are fresh from the native call: no copy into pandas blocks.
    result = pd.DataFrame(out, copy=False)
    if library_of(frame) == "polars":
        import polars as pl

        return pl.from_pandas(result, nan_to_null=True)
    return convert_frame(result, frame)


def example() -> Any:
    """A built-in example frame (INVENTED numbers, for demos only).

    Caries-free 3-year-olds (%, favourable) in an invented county, by
    household income quintile (ordered) and by region (non-ordered, with the
    capital as reference). Use ``summary(example(), by="dimension")``.
    """
    import pandas as pd

    quintiles = ["Q1 lowest income", "Q2", "Q3", "Q4", "Q5 highest income"]
    regions = ["Capital", "North", "East", "South", "West", "Islands"]
    rows = []
    for i, (label, est, se, pop) in enumerate(
        zip(quintiles, [86.1, 89.4, 91.2, 93.0, 95.3], [0.9, 0.8, 0.7, 0.6, 0.5],
            [4120, 3980, 3890, 3760, 3610]),
        start=1,
    ):
        rows.append(("income quintile", label, i, est, se, pop, 1, 0))
    for label, est, se, pop, ref in zip(
        regions, [93.4, 88.7, 90.5, 91.8, 89.9, 86.2], [0.5, 1.1, 0.9, 0.8, 1.0, 1.9],
        [7450, 2210, 3380, 2960, 3050, 310], [1, 0, 0, 0, 0, 0],
    ):
        rows.append(("region", label, 0, est, se, pop, 0, ref))
    df = pd.DataFrame(
        rows,
        columns=["dimension", "subgroup", "subgroup_order", "estimate", "se", "population",
                 "ordered_dimension", "reference_subgroup"],
    )
    df["setting_average"] = 91.0
    df["favourable_indicator"] = 1
    df["scaleval"] = 100
    df.attrs["description"] = ("INVENTED example data: caries-free 3-year-olds (%) by income quintile and by "
                               "region. Not real statistics.")
    return df
