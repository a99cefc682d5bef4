"""jamlik.state: the two passes of the exact distributed concentration index and Gini, driven
from Python over random range partitions (through to_bytes/from_bytes), equal the
single-machine jamlik.concentration_index and jamlik.gini to 1e-12."""

from __future__ import annotations

import jamlik
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jamlik.state import ConcentrationSums, ConcentrationTotals, RankOffset, concentration_plan


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-3)


def two_pass(h: np.ndarray, x: np.ndarray, w: np.ndarray | None, splits: np.ndarray, seed: int) -> ConcentrationSums:
    """Both passes over ranges cut at `splits`, every state sent through bytes, merged in a random order."""
    rng = np.random.default_rng(seed)
    rid = np.searchsorted(np.unique(splits), x, side="left")
    ranges = range(int(rid.max()) + 1)
    pick = [np.flatnonzero(rid == j) for j in ranges]
    totals = []
    for idx in pick:
        # Pass 1 of a range may be split over tasks and merged.
        a, b = np.array_split(rng.permutation(idx), 2)
        t = ConcentrationTotals(h[a], x[a], None if w is None else w[a])
        t.merge(ConcentrationTotals.from_bytes(ConcentrationTotals(h[b], x[b], None if w is None else w[b]).to_bytes()))
        totals.append(t)
    plan = [RankOffset.from_bytes(o.to_bytes()) for o in concentration_plan(totals)]
    sums = [ConcentrationSums(h[i], x[i], None if w is None else w[i], off) for i, off in zip(pick, plan)]
    order = rng.permutation(len(sums))
    acc = ConcentrationSums.from_bytes(sums[order[0]].to_bytes())
    for j in order[1:]:
        acc.merge(ConcentrationSums.from_bytes(sums[j].to_bytes()))
    return acc


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 300), ties=st.booleans(), weighted=st.booleans(), k=st.integers(0, 6), seed=st.integers(0, 2**32))
def test_any_range_partition_gives_the_single_machine_index(n: int, ties: bool, weighted: bool, k: int,
                                                            seed: int) -> None:
    rng = np.random.default_rng(seed)
    h = rng.gamma(2.0, 1.0, n)
    x = rng.integers(0, 6, n).astype(float) if ties else rng.normal(size=n)
    w = rng.uniform(0.2, 4.0, n) if weighted else None
    if np.all(x == x[0]):
        return
    splits = rng.choice(x, size=k) if k else np.array([np.inf])
    sums = two_pass(h, x, w, splits, seed)
    for kind in ("standard", "generalized"):
        one = jamlik.concentration_index(h, x, w, kind=kind)
        got = sums.finish(kind=kind)
        assert close(got.value, one.value) and close(got.se, one.se), (kind, got, one)
        assert got.method == one.method and got.n == n
    g = two_pass(x - x.min(), x - x.min(), w, splits - x.min(), seed).finish_gini()
    one = jamlik.gini(x - x.min(), w)
    assert close(g.value, one.value) and close(g.se, one.se)


def test_overlapping_ranges_and_foreign_bytes_are_refused() -> None:
    h, x = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])
    t = ConcentrationTotals(h, x)
    assert t.n == 3
    with pytest.raises(jamlik.InvalidArgumentError, match="overlap"):
        concentration_plan([t, t])
    with pytest.raises(jamlik.ParseError, match="data"):
        ConcentrationTotals.from_bytes(b"not a state")
    with pytest.raises(jamlik.MissingValueError, match="rank_by"):
        ConcentrationTotals(h, np.array([1.0, np.nan, 3.0]))
    (off,) = concentration_plan([t])
    assert off.w_before == 0.0 and off.total_w == 3.0
    s = ConcentrationSums(h, x, None, off)
    with pytest.raises(jamlik.InvalidArgumentError, match="se"):
        s.finish(se="robust")
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"0\.95"):
        s.finish(level=95)
