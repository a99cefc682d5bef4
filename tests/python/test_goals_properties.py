"""Hypothesis properties of the progress and gap-closure methods."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jamlik import goals


@settings(max_examples=20, deadline=None)
@given(
    start=st.floats(1.0, 100.0),
    growth=st.floats(-0.08, 0.08),
    target_mult=st.floats(0.5, 2.0),
    scale=st.floats(0.01, 1000.0),
)
def test_eurostat_scale_invariance(start: float, growth: float, target_mult: float, scale: float) -> None:
    years = list(range(2018, 2024))
    values = [start * (1 + growth) ** i for i in range(6)]
    a = goals.assess((years, values), direction="higher", target=start * target_mult, target_year=2026)
    b = goals.assess(
        (years, [scale * v for v in values]), direction="higher", target=scale * start * target_mult, target_year=2026
    )
    assert a.iloc[0]["category"] == b.iloc[0]["category"]
    assert a.iloc[0]["cagr"] == pytest.approx(b.iloc[0]["cagr"], rel=1e-9, abs=1e-12)


@settings(max_examples=20, deadline=None)
@given(
    gap0=st.floats(0.5, 50.0),
    slope=st.floats(-2.0, -0.05),
    n=st.integers(3, 15),
)
def test_linear_gap_closes_where_the_line_hits_zero(gap0: float, slope: float, n: int) -> None:
    assume(gap0 + slope * (n - 1) > 0.1)  # still open in the last year
    years = list(range(2000, 2000 + n))
    gaps = [gap0 + slope * i for i in range(n)]
    r = goals.gap_closure((years, gaps)).iloc[0]
    assert r["slope"] == pytest.approx(slope, rel=1e-9)
    assert r["closure_year"] == pytest.approx(2000 - gap0 / slope, rel=1e-9)
    mirrored = goals.gap_closure((years, [-g for g in gaps])).iloc[0]
    assert mirrored["closure_year"] == pytest.approx(r["closure_year"], rel=1e-12)
