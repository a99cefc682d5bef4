"""Microdata equity measures: concentration indices with standard errors and
inequality indices, for one row per person (survey or register data).

Inputs may be numpy arrays (float64 contiguous arrays are read without a copy),
lists, pandas or polars Series. Cluster, strata and group ids may be integers or
strings; they are mapped once to dense integer codes. The computation runs in
Rust with the GIL released.

>>> import jamlik
>>> r = jamlik.concentration_index([1.0, 2.0, 3.0, 4.0], [10, 20, 30, 40], se="none")
>>> round(r.value, 6)
0.25
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from jamlik import _grouped, _jamlik
from jamlik._frames import _is_arrow_array, as_float_array, optional_float_array
from jamlik._results import Estimate

__all__ = [
    "CiDecomposition",
    "ConcentrationComparison",
    "EntropyDecomposition",
    "atkinson",
    "compare_concentration",
    "concentration_curve",
    "concentration_index",
    "decompose_concentration_index",
    "generalized_entropy",
    "gini",
    "hoover",
    "kakwani",
    "mld",
    "mld_decomposition",
    "palma",
    "quantile_share_ratio",
    "theil",
    "theil_decomposition",
]


def _column_to_numpy(values: Any) -> Any:
    """A pandas, polars or pyarrow column as numpy (pyarrow with nulls needs a copy)."""
    try:
        return values.to_numpy(zero_copy_only=False) if _is_arrow_array(values) else values.to_numpy()
    except TypeError:
        return values.to_numpy()


def _codes(values: Any, name: str) -> Optional[np.ndarray]:
    """Dense int64 codes 0..G-1 for ids (ints, strings, categoricals), or None."""
    if values is None:
        return None
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = _column_to_numpy(values)
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise _jamlik.ShapeError(f"`{name}` must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind in "iu" and arr.size and arr.min() >= 0 and arr.max() < 2 * arr.size + 1024:
        # Already small non-negative integer codes: pass through (no remapping needed).
        return np.ascontiguousarray(arr, dtype=np.int64)
    if arr.dtype == object:
        if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in arr):
            raise _jamlik.MissingValueError(f"`{name}` has missing ids")
        arr = arr.astype(str)
    elif arr.dtype.kind == "f" and np.isnan(arr).any():
        raise _jamlik.MissingValueError(f"`{name}` has missing ids (NaN)")
    _, inverse = np.unique(arr, return_inverse=True)
    return np.ascontiguousarray(inverse.reshape(-1), dtype=np.int64)


def _group_codes(values: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes plus the original labels (for reporting groups)."""
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = _column_to_numpy(values)
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise _jamlik.ShapeError(f"`{name}` must be one-dimensional, got shape {arr.shape}")
    if arr.dtype == object:
        arr = arr.astype(str)
    labels, inverse = np.unique(arr, return_inverse=True)
    return np.ascontiguousarray(inverse.reshape(-1), dtype=np.int64), labels


def _limits(limits: Any) -> tuple[Optional[float], Optional[float]]:
    if limits is None:
        return None, None
    if isinstance(limits, (str, bytes, dict)) or not hasattr(limits, "__iter__"):
        return _number(limits, "limits"), None
    lim = list(limits)
    if len(lim) == 1:
        return _number(lim[0], "limits"), None
    if len(lim) == 2:
        return _number(lim[0], "limits"), _number(lim[1], "limits")
    raise _jamlik.InvalidArgumentError("`limits`: expected a or (a,) or (a, b)")


def concentration_index(
    outcome: Any,
    rank_by: Any,
    weights: Any = None,
    *,
    kind: str = "standard",
    limits: Any = None,
    nu: Optional[float] = None,
    beta: Optional[float] = None,
    se: str = "linearized",
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    ties: str = "midpoint",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Concentration index of ``outcome`` by the weighted fractional rank of ``rank_by``.

    kind: ``standard`` (2cov(h,r)/μ), ``generalized`` (μC), ``wagstaff`` and
    ``erreygers`` (need ``limits=(a, b)``), ``modified`` (Erreygers & Van Ourti,
    ``limits=(a,)``), ``modified_conindex`` (conindex 1.5's value), ``extended``
    (``nu``), ``symmetric`` (``beta``), ``generalized_extended``,
    ``generalized_symmetric``.

    se: ``linearized`` (design-based; weights, ``cluster``, ``strata``; the
    default), ``kwvd`` (Kakwani–Wagstaff–van Doorslaer 1997), ``classical`` /
    ``robust`` / ``cluster`` (conindex's convenient regression), ``none``.

    ties: ``midpoint`` (tie blocks share the midpoint rank; conindex) or
    ``row_order`` (rineq/IC2). missing: ``error`` or ``drop``.

    by: group keys (one per row: an array or Series, a list of them, or a
    frame of key columns). Every group is computed in one native call,
    groups in parallel, ranks within each group; the result is then a frame
    (pandas, or polars/pyarrow when ``by`` is one) with the ``by`` columns
    first and ``value, se, lower, upper, level, n, method, note``, one row
    per group in order of first appearance. A group where the index is
    undefined gets ``value`` NaN, method "not computed" and a note.
    """
    lo, hi = _limits(limits)
    if by is not None:
        h = as_float_array(outcome, "outcome")
        k = _grouped.keys(by, len(h))
        return _grouped.call(
            _jamlik.concentration_index_by, k,
            h, as_float_array(rank_by, "rank_by"), k.codes, optional_float_array(weights, "weights"),
            kind=kind, lower=lo, upper=hi, nu=_optional_number(nu, "nu"), beta=_optional_number(beta, "beta"),
            se=se, cluster=_codes(cluster, "cluster"), strata=_codes(strata, "strata"),
            level=_number(level, "level"), ties=ties, missing=missing,
        )
    return _jamlik.concentration_index(
        as_float_array(outcome, "outcome"),
        as_float_array(rank_by, "rank_by"),
        optional_float_array(weights, "weights"),
        kind,
        lo,
        hi,
        _optional_number(nu, "nu"),
        _optional_number(beta, "beta"),
        se,
        _codes(cluster, "cluster"),
        _codes(strata, "strata"),
        _number(level, "level"),
        ties,
        missing,
    )


def _inequality_kwargs(
    cluster: Any, strata: Any, level: float, se: str, missing: str
) -> dict[str, Any]:
    return {
        "cluster": _codes(cluster, "cluster"),
        "strata": _codes(strata, "strata"),
        "level": _number(level, "level"),
        "se": se,
        "missing": missing,
    }


def gini(
    values: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Weighted Gini coefficient (population form) with a standard error.

    se: ``linearized`` (design-based: weights, ``cluster``, ``strata``; the
    default) or ``none``; the concentration-index methods ``kwvd``,
    ``classical``, ``robust`` and ``cluster`` are accepted too.
    missing: ``error`` or ``drop``. by: group keys, as in
    :func:`concentration_index` (a frame with one row per group).
    """
    x = as_float_array(values, "values")
    if by is not None:
        k = _grouped.keys(by, len(x))
        return _grouped.call(
            _jamlik.gini_by, k, x, k.codes, optional_float_array(weights, "weights"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.gini(
        x,
        optional_float_array(weights, "weights"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


def generalized_entropy(
    values: Any,
    alpha: float,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Generalized entropy GE(α) with a linearized SE; α=0 is the MLD, α=1
    Theil T, α=2 half the squared CV.

    se: ``linearized`` (weights, ``cluster``, ``strata``) or ``none``.
    missing: ``error`` or ``drop``. by: group keys, as in
    :func:`concentration_index` (a frame with one row per group).
    """
    x = as_float_array(values, "values")
    if by is not None:
        k = _grouped.keys(by, len(x))
        return _grouped.call(
            _jamlik.generalized_entropy_by, k, x, _number(alpha, "alpha"), k.codes,
            optional_float_array(weights, "weights"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.generalized_entropy(
        x,
        _number(alpha, "alpha"),
        optional_float_array(weights, "weights"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


def theil(
    values: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Theil T index, GE(1), with a linearized SE."""
    return generalized_entropy(
        values, 1.0, weights, cluster=cluster, strata=strata, level=level, se=se, missing=missing, by=by
    )


def mld(
    values: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Mean log deviation, GE(0), with a linearized SE."""
    return generalized_entropy(
        values, 0.0, weights, cluster=cluster, strata=strata, level=level, se=se, missing=missing, by=by
    )


def atkinson(
    values: Any,
    epsilon: float,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Atkinson index with inequality aversion ε ≥ 0 (ε = 1 included), with a
    linearized SE. by: group keys, as in :func:`concentration_index`."""
    x = as_float_array(values, "values")
    if by is not None:
        k = _grouped.keys(by, len(x))
        return _grouped.call(
            _jamlik.atkinson_by, k, x, _number(epsilon, "epsilon"), k.codes,
            optional_float_array(weights, "weights"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.atkinson(
        x,
        _number(epsilon, "epsilon"),
        optional_float_array(weights, "weights"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


def hoover(
    values: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Hoover (Robin Hood) index: the share of the total to move for equality,
    with a linearized SE. by: group keys, as in :func:`concentration_index`."""
    if by is not None:
        x = as_float_array(values, "values")
        k = _grouped.keys(by, len(x))
        return _grouped.call(
            _jamlik.hoover_by, k, x, k.codes, optional_float_array(weights, "weights"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.hoover(
        as_float_array(values, "values"),
        optional_float_array(weights, "weights"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


def quantile_share_ratio(
    values: Any,
    weights: Any = None,
    *,
    lower: float = 0.2,
    upper: float = 0.8,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Share of the total held above the ``upper`` population quantile over the
    share below ``lower`` (S80/S20 by default); boundary units split
    proportionally. Linearized SE from the influence functions of the shares.
    by: group keys, as in :func:`concentration_index`."""
    if by is not None:
        x = as_float_array(values, "values")
        k = _grouped.keys(by, len(x))
        return _grouped.call(
            _jamlik.quantile_share_ratio_by, k, x, k.codes, optional_float_array(weights, "weights"),
            lower=_number(lower, "lower"), upper=_number(upper, "upper"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.quantile_share_ratio(
        as_float_array(values, "values"),
        optional_float_array(weights, "weights"),
        lower=_number(lower, "lower"),
        upper=_number(upper, "upper"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


def palma(
    values: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Palma ratio: share of the top 10% over the share of the bottom 40%, with
    a linearized SE. by: group keys, as in :func:`concentration_index`."""
    return quantile_share_ratio(
        values, weights, lower=0.4, upper=0.9, cluster=cluster, strata=strata, level=level, se=se, missing=missing,
        by=by,
    )


def _number(value: Any, name: str) -> float:
    """A float option; text or other non-numbers name the argument."""
    if isinstance(value, (bool, str, bytes)) or not isinstance(value, (int, float, np.number)):
        raise _jamlik.InvalidArgumentError(f"`{name}` must be a number, got {value!r}")
    return float(value)


def _optional_number(value: Any, name: str) -> Optional[float]:
    return None if value is None else _number(value, name)


def concentration_curve(
    outcome: Any,
    rank_by: Any = None,
    weights: Any = None,
    *,
    missing: str = "error",
    backend: str = "pandas",
) -> Any:
    """Concentration-curve ordinates (Lorenz curve when ``rank_by`` is omitted),
    one point per tie block from (0, 0) to (1, 1), as a frame (``backend``:
    pandas, polars or pyarrow) with columns ``population_share`` and
    ``outcome_share``."""
    from jamlik._frames import backend_frame, check_backend

    check_backend(backend)
    h = as_float_array(outcome, "outcome")
    x = h if rank_by is None else as_float_array(rank_by, "rank_by")
    p, q = _jamlik.concentration_curve(h, x, optional_float_array(weights, "weights"), missing)
    return backend_frame({"population_share": p, "outcome_share": q}, backend)


def kakwani(
    payment: Any,
    income: Any,
    weights: Any = None,
    *,
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    by: Any = None,
) -> Any:
    """Kakwani progressivity index C(payment by income) − Gini(income), with a
    linearized SE (``se="linearized"`` or ``"none"``). by: group keys, as in
    :func:`concentration_index` (the ``mean`` of each group is not a column)."""
    if by is not None:
        t = as_float_array(payment, "payment")
        k = _grouped.keys(by, len(t))
        return _grouped.call(
            _jamlik.kakwani_by, k, t, as_float_array(income, "income"), k.codes,
            optional_float_array(weights, "weights"),
            **_inequality_kwargs(cluster, strata, level, se, missing),
        )
    return _jamlik.kakwani(
        as_float_array(payment, "payment"),
        as_float_array(income, "income"),
        optional_float_array(weights, "weights"),
        **_inequality_kwargs(cluster, strata, level, se, missing),
    )


@dataclass(frozen=True)
class ConcentrationComparison:
    """conindex ``compare``: the index overall and within each group; for two
    groups their difference (an :class:`Estimate` with a Wald interval, computed
    in the Rust core), its z test, and conindex's Chow-type F test."""

    overall: Estimate
    groups: dict[Any, Estimate]
    difference: Optional[Estimate]
    z: Optional[float]
    z_p_value: Optional[float]
    f: Optional[float]
    f_df: Optional[tuple[float, float]]
    f_p_value: Optional[float]

    def to_frame(self, *, backend: str = "pandas") -> Any:
        """One row per estimate: ``group`` is "overall", each group label, or
        "difference"; columns ``value, se, lower, upper, level, method, note,
        n`` and ``mean``."""
        from jamlik._frames import backend_frame

        rows = [("overall", self.overall), *self.groups.items()]
        if self.difference is not None:
            rows.append(("difference", self.difference))
        keys = ["value", "se", "lower", "upper", "level", "method", "note", "n", "mean"]
        columns: dict[str, list[Any]] = {"group": [str(g) for g, _ in rows]}
        for k in keys:
            columns[k] = [e.to_dict().get(k) for _, e in rows]
        return backend_frame(columns, backend)


def compare_concentration(
    outcome: Any,
    rank_by: Any,
    group: Any,
    weights: Any = None,
    *,
    kind: str = "standard",
    limits: Any = None,
    nu: Optional[float] = None,
    beta: Optional[float] = None,
    se: str = "linearized",
    cluster: Any = None,
    strata: Any = None,
    level: float = 0.95,
    ties: str = "midpoint",
    missing: str = "error",
) -> ConcentrationComparison:
    """The concentration index within each group (ranks recomputed within the
    group); for two groups the difference (second − first, sorted labels) with
    SE √(se₀²+se₁²), Wald interval at ``level`` and z test (groups treated as
    independent); conindex's Chow-type F test."""
    lo, hi = _limits(limits)
    codes, labels = _group_codes(group, "group")
    overall, groups, difference, z, zp, f, df1, df2, fp = _jamlik.compare_concentration(
        as_float_array(outcome, "outcome"),
        as_float_array(rank_by, "rank_by"),
        codes,
        optional_float_array(weights, "weights"),
        kind,
        lo,
        hi,
        _optional_number(nu, "nu"),
        _optional_number(beta, "beta"),
        se,
        _codes(cluster, "cluster"),
        _codes(strata, "strata"),
        _number(level, "level"),
        ties,
        missing,
    )
    by = {labels[c].item() if hasattr(labels[c], "item") else labels[c]: g for c, g in groups}
    return ConcentrationComparison(
        overall, by, difference, z, zp, f, None if df1 is None or df2 is None else (df1, df2), fp
    )


@dataclass(frozen=True)
class EntropyDecomposition:
    """Between/within split of Theil T or the MLD."""

    total: float
    between: float
    within: float
    groups: Any = field(repr=False)


def _entropy_decomposition(values: Any, group: Any, alpha: float, weights: Any, missing: str) -> EntropyDecomposition:
    codes, labels = _group_codes(group, "group")
    total, between, within, rows = _jamlik.entropy_decomposition(
        as_float_array(values, "values"), codes, alpha, optional_float_array(weights, "weights"), missing
    )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["group", "population_share", "outcome_share", "mean", "index"])
    frame["group"] = [labels[c] for c in frame["group"]]
    return EntropyDecomposition(total, between, within, frame)


def theil_decomposition(values: Any, group: Any, weights: Any = None, *, missing: str = "error") -> EntropyDecomposition:
    """Theil T = within + between, by ``group``."""
    return _entropy_decomposition(values, group, 1.0, weights, missing)


def mld_decomposition(values: Any, group: Any, weights: Any = None, *, missing: str = "error") -> EntropyDecomposition:
    """MLD = within + between, by ``group``."""
    return _entropy_decomposition(values, group, 0.0, weights, missing)


@dataclass(frozen=True)
class CiDecomposition:
    """Wagstaff, van Doorslaer & Watanabe (2003) decomposition of C."""

    total: float
    intercept: float
    residual: float
    contributions: Any = field(repr=False)


def decompose_concentration_index(
    outcome: Any,
    regressors: Any,
    rank_by: Any,
    weights: Any = None,
    *,
    missing: str = "error",
) -> CiDecomposition:
    """C = Σ_k η_k C_k + GC_ε/μ from the weighted least-squares fit of the outcome
    on ``regressors`` (a mapping name → column, or a DataFrame)."""
    if hasattr(regressors, "columns"):
        keys = list(getattr(regressors, "column_names", None) or regressors.columns)  # pyarrow or pandas/polars
        names: Sequence[str] = [str(c) for c in keys]
        cols = [as_float_array(regressors[c], f"regressors[{str(c)!r}]") for c in keys]
    elif isinstance(regressors, Mapping):
        names = [str(k) for k in regressors]
        cols = [as_float_array(regressors[k], f"regressors[{str(k)!r}]") for k in regressors]
    else:
        raise TypeError(
            f"`regressors` must be a mapping name -> column or a DataFrame, got {type(regressors).__name__}"
        )
    total, intercept, residual, rows = _jamlik.decompose_concentration_index(
        as_float_array(outcome, "outcome"), cols, as_float_array(rank_by, "rank_by"),
        optional_float_array(weights, "weights"), missing,
    )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["coefficient", "mean", "elasticity", "concentration_index", "contribution"])
    frame.insert(0, "regressor", list(names))
    return CiDecomposition(total, intercept, residual, frame)
