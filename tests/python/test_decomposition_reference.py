"""Independent cross-check of ``jamlik.decompose_concentration_index``
(Wagstaff, van Doorslaer & Watanabe 2003).

The reference is rebuilt here from scratch: the coefficients come from
statsmodels' WLS of the outcome on the regressors plus a constant, and every
concentration index from a plain numpy weighted fractional rank with midpoint
ties (a tie block of the rank variable shares the midpoint of its cumulative
weight), C = 2·Σ w_i y_i (r_i − 0.5) / (W·μ_y). Then

    η_k = β_k x̄_k / μ,   contribution_k = η_k C_k,
    residual = C(outcome) − Σ_k contribution_k = GC(ε)/μ,

where ε are the WLS residuals and GC the generalised concentration index.
The residual is checked both ways (by subtraction and directly from ε).

statsmodels is fitted with ``method="qr"``: its default ``"pinv"`` solve is
~1e-11 relative off the exact (rational-arithmetic) WLS solution on
medium2000, while jamlik's QR and statsmodels' QR are both within ~1e-14.
"""

from __future__ import annotations

from collections.abc import Mapping

import jamlik
import numpy as np
import pytest
from conftest import TEST_DATA

sm = pytest.importorskip("statsmodels.api")
pd = pytest.importorskip("pandas")

REL = 1e-9
ABS = 1e-12  # floor for quantities that are (close to) zero


def _load(name: str) -> dict[str, np.ndarray]:
    data = np.genfromtxt(TEST_DATA / "concentration" / f"{name}.csv", delimiter=",", names=True)
    return {k: np.asarray(data[k], dtype=np.float64) for k in data.dtype.names}


def _fractional_rank(rank: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted fractional rank; a tie block shares the midpoint of its cumulative weight."""
    keys, block = np.unique(rank, return_inverse=True)  # keys sorted ascending
    block_w = np.bincount(block, weights=w, minlength=len(keys))
    before = np.concatenate(([0.0], np.cumsum(block_w)[:-1]))
    return (before + block_w / 2.0)[block] / w.sum()


def _generalized_ci(y: np.ndarray, r: np.ndarray, w: np.ndarray) -> float:
    return float(2.0 * np.sum(w * y * (r - 0.5)) / w.sum())


def _ci(y: np.ndarray, r: np.ndarray, w: np.ndarray) -> float:
    return _generalized_ci(y, r, w) / float(np.average(y, weights=w))


def _reference(h: np.ndarray, regs: Mapping[str, np.ndarray], rank: np.ndarray, w: np.ndarray | None) -> dict:
    ww = np.ones_like(h) if w is None else w
    X = sm.add_constant(np.column_stack([regs[k] for k in regs]), prepend=True, has_constant="add")
    fit = sm.WLS(h, X, weights=ww).fit(method="qr")
    beta = np.asarray(fit.params)
    r = _fractional_rank(rank, ww)
    mu = float(np.average(h, weights=ww))
    means = np.array([np.average(regs[k], weights=ww) for k in regs])
    indices = np.array([_ci(regs[k], r, ww) for k in regs])
    elasticities = beta[1:] * means / mu
    contributions = elasticities * indices
    total = _ci(h, r, ww)
    return {
        "intercept": beta[0],
        "coefficient": beta[1:],
        "mean": means,
        "elasticity": elasticities,
        "concentration_index": indices,
        "contribution": contributions,
        "total": total,
        "residual": total - contributions.sum(),
        # GC of the WLS residuals over μ: the generalised-error term computed directly.
        "residual_direct": _generalized_ci(np.asarray(fit.resid), r, ww) / mu,
    }


def _assert_close(actual, expected, what: str) -> None:
    a = np.atleast_1d(np.asarray(actual, dtype=np.float64))
    e = np.atleast_1d(np.asarray(expected, dtype=np.float64))
    assert a.shape == e.shape, what
    tol = np.maximum(REL * np.maximum(np.abs(a), np.abs(e)), ABS)
    bad = np.abs(a - e) > tol
    assert not bad.any(), f"{what}: jamlik {a[bad]} vs reference {e[bad]}"


def _check(h, regs, rank, w, *, frame: bool = False) -> None:
    ref = _reference(h, regs, rank, w)
    arg = pd.DataFrame(dict(regs)) if frame else regs
    dec = jamlik.decompose_concentration_index(h, arg, rank, w)
    table = dec.contributions
    assert list(table["regressor"]) == list(regs)
    assert list(table.columns) == ["regressor", "coefficient", "mean", "elasticity", "concentration_index", "contribution"]
    assert table["concentration_index"].notna().all()
    for col in ("coefficient", "mean", "elasticity", "concentration_index", "contribution"):
        _assert_close(table[col].to_numpy(dtype=np.float64), ref[col], col)
    _assert_close(dec.intercept, ref["intercept"], "intercept")
    _assert_close(dec.total, ref["total"], "total")
    _assert_close(dec.residual, ref["residual"], "residual")
    _assert_close(dec.residual, ref["residual_direct"], "residual (GC of WLS residuals / mu)")
    # The decomposition is exact: Σ contributions + residual = C(outcome).
    _assert_close(table["contribution"].sum() + dec.residual, dec.total, "sum identity")
    _assert_close(dec.total, jamlik.concentration_index(h, rank, w, se="none").value, "total vs concentration_index")


MEDIUM_REGRESSORS = ("x", "h_binary", "h_bounded", "group")


@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize("rank_col", ["x", "h_bounded"], ids=["rank_x", "rank_tied"])
def test_medium2000_against_statsmodels(weighted: bool, rank_col: str) -> None:
    d = _load("medium2000")
    regs = {k: d[k] for k in MEDIUM_REGRESSORS}
    # rank_x has no ties; h_bounded has 718 distinct values in 2000 rows (midpoint ties).
    _check(d["h"], regs, d[rank_col], d["w"] if weighted else None)


def _synthetic(seed: int = 20240611, n: int = 1500) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Income rounded to 500s: many ties in the rank variable.
    income = np.round(rng.lognormal(mean=10.0, sigma=0.6, size=n) / 500.0) * 500.0
    income = np.maximum(income, 500.0)
    age = rng.integers(18, 91, size=n).astype(np.float64)
    female = (rng.random(n) < 0.52).astype(np.float64)
    region = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])  # categorical, level 0 = reference
    score = rng.normal(0.3, 1.0, size=n)  # takes negative values
    effect = np.array([0.0, 0.35, -0.25, 0.6])
    h = (
        3.0
        + 0.02 * age
        + 0.4 * female
        + effect[region]
        + 0.5 * np.log(income / 1000.0)
        + 0.2 * score
        + rng.gamma(2.0, 0.5, size=n)
    )
    assert (h > 0).all()
    w = rng.gamma(3.0, 1.0, size=n)
    regs = {
        "log_income": np.log(income),
        "age": age,
        "female": female,
        "region_1": (region == 1).astype(np.float64),
        "region_2": (region == 2).astype(np.float64),
        "region_3": (region == 3).astype(np.float64),
        "score": score,
    }
    return h, regs, income, w


@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize("frame", [False, True], ids=["mapping", "dataframe"])
def test_synthetic_against_statsmodels(weighted: bool, frame: bool) -> None:
    h, regs, income, w = _synthetic()
    assert len(np.unique(income)) < len(income) // 4  # the rank variable is heavily tied
    _check(h, regs, income, w if weighted else None, frame=frame)


def test_reference_rank_helper() -> None:
    # The doc example of jamlik's fractional_rank (midpoint ties), unweighted.
    r = _fractional_rank(np.array([3.0, 1.0, 2.0, 2.0]), np.ones(4))
    np.testing.assert_array_equal(r, [0.875, 0.125, 0.5, 0.5])
    # Weighted: blocks {1: w=1}, {2: w=2+3}, {3: w=4}; W = 10.
    r = _fractional_rank(np.array([3.0, 1.0, 2.0, 2.0]), np.array([4.0, 1.0, 2.0, 3.0]))
    np.testing.assert_allclose(r, [0.8, 0.05, 0.35, 0.35], rtol=0, atol=1e-15)
