"""jamlik.heat: summary on the healthequal reference inputs (pandas, polars,
by=), every measure function, typed errors naming the argument, and the
default SII/RII against an independent fit (statsmodels)."""

from __future__ import annotations

import math

import jamlik
import numpy as np
import pandas as pd
import pytest
from conftest import TEST_DATA
from jamlik import heat

INPUTS = TEST_DATA / "healthequal" / "inputs.csv"
EXPECTED = TEST_DATA / "healthequal" / "expected_fixed.csv"


@pytest.fixture(scope="module")
def inputs() -> pd.DataFrame:
    return pd.read_csv(INPUTS)


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(EXPECTED)


def _summary_option(case: pd.DataFrame, measure: str) -> str:
    """Which expected_fixed option a summary row corresponds to."""
    has_pop = case["population"].notna().any()
    has_sa = case["setting_average"].notna().any()
    has_ref = (case["reference_subgroup"] == 1).any()
    if measure in ("D", "R"):
        return "reference" if has_ref else "default"
    if measure in ("ACI", "RCI"):
        return "bounded" if case["lmin"].notna().any() else "default"
    if measure in ("PAF", "PAR"):
        return "default" if has_pop else "setting_average"
    if measure in ("MDMU", "IDISU") and has_sa:
        return "pop_and_setting_average" if has_pop else "setting_average"
    if measure in ("MDRU", "MDRW"):
        return "reference"
    return "default"


def test_summary_matches_reference_estimates(inputs: pd.DataFrame, expected: pd.DataFrame) -> None:
    out = heat.summary(inputs, by="case_id", compat="healthequal")
    assert list(out.columns) == ["case_id", "measure", "value", "se", "lower", "upper", "level", "method", "note", "n"]
    matched = 0
    for (case_id, measure), row in out.set_index(["case_id", "measure"]).iterrows():
        case = inputs[inputs.case_id == case_id]
        option = _summary_option(case, measure.upper())
        exp = expected[
            (expected.case_id == case_id)
            & (expected.measure == measure.upper())
            & (expected.option == option)
            & (expected.result_index == 1)
        ]
        assert len(exp) == 1, (case_id, measure, option)
        e = exp.iloc[0]
        if e.status in ("skip", "error") or (case_id == "V13" and measure in ("mld", "ti")):
            continue
        if math.isinf(e.estimate):
            assert math.isinf(row.value)
        else:
            assert row.value == pytest.approx(e.estimate, rel=1e-8, abs=1e-12), (case_id, measure)
        if e.ci_kind == "analytic" and math.isnan(e.se):
            assert math.isnan(row.se)
        elif e.ci_kind == "analytic":
            tol = 1e-5 if measure in ("sii", "rii") else 1e-9
            assert row.se == pytest.approx(e.se, rel=tol), (case_id, measure)
        matched += 1
    assert matched >= 150, matched
    # V13 MLD: refused (zero estimate) with the reason in `note`.
    v13 = out[(out.case_id == "V13") & (out.measure == "mld")].iloc[0]
    assert math.isnan(v13.value) and v13.method == "not computed" and "estimate 0" in v13.note
    # n counts each case's subgroups.
    sizes = inputs.groupby("case_id").size()
    assert (out["n"].to_numpy() == sizes.loc[out["case_id"]].to_numpy()).all()
    assert (out["level"] == 0.95).all()


def test_summary_polars_same_as_pandas(inputs: pd.DataFrame) -> None:
    pl = pytest.importorskip("polars")
    a = heat.summary(inputs, by="case_id")
    b = heat.summary(pl.from_pandas(inputs), by="case_id")
    assert isinstance(b, pl.DataFrame)
    assert b.height == len(a)
    np.testing.assert_allclose(b["value"].fill_null(np.nan).to_numpy(), a["value"].to_numpy(), rtol=0)
    # Missing numbers are nulls in polars, NaN in pandas.
    assert b["se"].null_count() == int(a["se"].isna().sum())


def test_summary_single_case_and_by_two_columns(inputs: pd.DataFrame) -> None:
    one = heat.summary(inputs[inputs.case_id == "V01"])
    assert list(one.measure) == ["d", "r", "aci", "rci", "sii", "rii", "paf", "par"]
    assert "case_id" not in one.columns
    two = inputs.assign(copy="a")
    both = pd.concat([two, two.assign(copy="b")], ignore_index=True)
    res = heat.summary(both, by=["case_id", "copy"])
    assert len(res) == 2 * len(heat.summary(inputs, by="case_id"))
    a = res[res["copy"] == "a"].reset_index(drop=True)
    b = res[res["copy"] == "b"].reset_index(drop=True)
    np.testing.assert_array_equal(a["value"].to_numpy(), b["value"].to_numpy())
    np.testing.assert_array_equal(a["lower"].to_numpy(), b["lower"].to_numpy())


def test_summary_interleaved_groups_equal_separate_calls(inputs: pd.DataFrame) -> None:
    shuffled = inputs.sample(frac=1.0, random_state=3)
    together = heat.summary(shuffled.sort_values("case_id", kind="stable"), by="case_id")
    for case_id in ["V04", "V08"]:
        alone = heat.summary(inputs[inputs.case_id == case_id])
        part = together[together.case_id == case_id].reset_index(drop=True)
        np.testing.assert_allclose(part["value"], alone["value"], rtol=1e-12)


def test_example_and_demo_summary() -> None:
    ex = heat.example()
    assert "INVENTED" in ex.attrs["description"]
    res = heat.summary(ex, by="dimension")
    assert set(res.dimension) == {"income quintile", "region"}
    assert res["value"].notna().all()


V01 = dict(
    estimate=[38.2, 45.6, 51.9, 60.3, 71.4],
    se=[2.41, 2.27, 2.18, 2.05, 1.87],
    population=[212400, 198700, 187300, 176900, 160200],
)


@pytest.mark.parametrize("name", [m for m in heat.MEASURES])
def test_each_function_returns_estimate(name: str) -> None:
    f = getattr(heat, name)
    kwargs: dict = dict(V01, scale=100, setting_average=53.0)
    if name in ("aci", "rci", "sii", "rii"):
        kwargs["subgroup_order"] = [1, 2, 3, 4, 5]
    if name in ("mdru", "mdrw"):
        kwargs["reference"] = 4
    e = f(**kwargs)
    assert isinstance(e, jamlik.Estimate)
    assert math.isfinite(e.value)
    assert e.level == 0.95 and e.method
    assert e.n == 5 and e.extra["measure"] == name and e.to_dict()["measure"] == name
    assert "<table" in e._repr_html_()
    assert repr(e).startswith("Estimate(")


def test_aliases_and_inputs_of_many_types() -> None:
    assert heat.slope_index_of_inequality is heat.sii
    assert heat.population_attributable_risk is heat.par
    a = heat.d(np.array(V01["estimate"]), se=pd.Series(V01["se"]), subgroup_order=[1, 2, 3, 4, 5])
    with pytest.raises(TypeError):
        heat.d(V01["estimate"], V01["se"])  # type: ignore[misc]  (options are keyword-only)
    b = heat.d(V01["estimate"], se=V01["se"], subgroup_order=np.arange(1, 6))
    assert a.value == b.value == pytest.approx(33.2)


def test_level_is_respected() -> None:
    e95 = heat.mdmw(**V01, scale=100)
    e80 = heat.mdmw(**V01, scale=100, level=0.8)
    assert e80.lower > e95.lower and e80.upper < e95.upper
    assert heat.mdmw(**V01, scale=100, seed=1) != heat.mdmw(**V01, scale=100, seed=2)
    assert heat.mdmw(**V01, scale=100, seed=1) == heat.mdmw(**V01, scale=100, seed=1)


@pytest.mark.parametrize(
    "call, exc, arg",
    [
        (lambda: heat.bgv([1.0, 2.0], population=[1, 1]), jamlik.TooFewError, "BGV"),
        (lambda: heat.aci([1.0, 2.0, 3.0], subgroup_order=[1, 2, 4]), jamlik.InvalidArgumentError, "subgroup_order"),
        (lambda: heat.bgv([1.0, 2.0, 3.0], population=[1, -1, 1]), jamlik.DomainError, "population"),
        (lambda: heat.bgv([1.0, 2.0, 3.0], population=[1, np.nan, 1]), jamlik.MissingValueError, "population"),
        (lambda: heat.d([1.0, np.nan, 3.0]), jamlik.MissingValueError, "estimate"),
        (lambda: heat.d([1.0, np.inf, 3.0]), jamlik.MissingValueError, "estimate"),
        (lambda: heat.d([1.0, 2.0, 3.0], se=[1.0, 1.0]), jamlik.ShapeError, "se"),
        (lambda: heat.rci([0.0, 0.0, 0.0], subgroup_order=[1, 2, 3]), jamlik.DegenerateError, "estimate"),
        (lambda: heat.d([1.0, 2.0, 3.0], reference=[1, 1, 0]), jamlik.InvalidArgumentError, "reference"),
        (lambda: heat.aci([1.0, 2.0, 3.0], subgroup_order=[1, 2, 3], lmin=0, lmax=2.5), jamlik.DomainError, "estimate"),
        (lambda: heat.d([1.0, 2.0, 3.0], level=1.0), jamlik.ConfidenceLevelError, "level"),
        (lambda: heat.mld([0.0, 2.0, 3.0], population=[1, 1, 1]), jamlik.DegenerateError, "estimate"),
        (lambda: heat.sii([1.0, 2.0, 3.0], subgroup_order=[1, 2, 3]), jamlik.InvalidArgumentError, "scale"),
        (lambda: heat.rci([1.0, 2.0, 3.0], subgroup_order=[1, 2, 3], method="wagstaff"), jamlik.InvalidArgumentError, "lmin"),
        (lambda: heat.mdru([1.0, 2.0, 3.0]), jamlik.InvalidArgumentError, "reference"),
        (
            lambda: heat.sii([1.0, 2.0, 3.0], subgroup_order=[1, 2, 3], compat="healthequal"),
            jamlik.InvalidArgumentError,
            "population",
        ),
    ],
)
def test_errors_are_typed_and_name_the_argument(call, exc, arg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert arg in str(info.value)


def test_summary_errors(inputs: pd.DataFrame) -> None:
    with pytest.raises(jamlik.ColumnError, match="estimate"):
        heat.summary(inputs.drop(columns="estimate"))
    with pytest.raises(jamlik.ColumnError, match="nope"):
        heat.summary(inputs, by="nope")
    bad = inputs.copy()
    bad.loc[bad.index[1], "favourable_indicator"] = 0
    with pytest.raises(jamlik.InvalidArgumentError, match="favourable_indicator"):
        heat.summary(bad, by="case_id")
    with pytest.raises(jamlik.ConfidenceLevelError):
        heat.summary(inputs, by="case_id", level=0)
    neg = inputs.copy()
    neg.loc[neg.index[7], "population"] = -1
    with pytest.raises(jamlik.DomainError, match="row 7"):
        heat.summary(neg, by="case_id")
