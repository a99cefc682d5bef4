"""Hypothesis properties of jamlik.heat through the Python layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from jamlik import heat

case = st.integers(min_value=3, max_value=8).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(1.0, 90.0), min_size=n, max_size=n, unique=True),
        st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n),
        st.lists(st.floats(100.0, 1e5), min_size=n, max_size=n),
        st.permutations(list(range(n))),
        st.booleans(),
    )
)


@settings(max_examples=25, deadline=None)
@given(case)
def test_summary_estimates_invariant_to_row_order(c) -> None:  # type: ignore[no-untyped-def]
    y, se, pop, perm, ordered = c
    n = len(y)
    df = pd.DataFrame(dict(
        estimate=y, se=se, population=pop,
        subgroup_order=np.arange(1, n + 1) if ordered else 0,
        ordered_dimension=int(ordered), favourable_indicator=1, scaleval=100,
    ))
    a = heat.summary(df).set_index("measure")
    b = heat.summary(df.iloc[list(perm)]).set_index("measure")
    np.testing.assert_allclose(a["value"], b.loc[a.index, "value"], rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(case, st.floats(0.2, 5.0))
def test_relative_measures_scale_free(c, k: float) -> None:  # type: ignore[no-untyped-def]
    y, se, pop, _, _ = c
    y, se = np.array(y), np.array(se)
    for f in (heat.r, heat.cov, heat.idisw, heat.mld, heat.ti):
        a = f(y, se=se, population=pop, scale=1000)
        b = f(y * k, se=se * k, population=pop, scale=1000 * k)
        assert np.isclose(a.value, b.value, rtol=1e-9)
    for f in (heat.d, heat.mdmw, heat.bgsd):
        a = f(y, se=se, population=pop, scale=1000)
        b = f(y * k, se=se * k, population=pop, scale=1000 * k)
        assert np.isclose(a.value * k, b.value, rtol=1e-9)
