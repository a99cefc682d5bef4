"""jamlik.indicators against PHEindicatormethods' outputs (tests/data/phe),
through the Python API: grouped calls, frames in and out, column naming,
errors. Closed forms at 1e-9 relative; SII limits within Monte-Carlo error.
Every test asserts how many reference rows it compared."""

from __future__ import annotations

import math

import jamlik
import numpy as np
import pandas as pd
import polars as pl
import pytest
from conftest import TEST_DATA, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st
from jamlik import indicators as ind

PHE = TEST_DATA / "phe"
REL = 1e-9


def levels_of(arg: str) -> list[float]:
    if arg in ("NA", "nan"):
        return []
    return [float(v) / 100 if float(v) >= 90 else float(v) for v in arg.split("|")]


def close(a, b, rel=REL, abs_=1e-12) -> bool:
    a_nan = a is None or (isinstance(a, float) and math.isnan(a))
    b_nan = b is None or (isinstance(b, float) and math.isnan(b))
    if a_nan or b_nan:
        return a_nan and b_nan
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def at_level(out: pd.DataFrame, level: float, **keys) -> pd.Series:
    """The one result row of the long frame at ``level`` for the given keys."""
    mask = np.isclose(out["level"].to_numpy(dtype=float), level, rtol=0, atol=1e-12)
    for k, v in keys.items():
        mask &= (out[k] == v).to_numpy()
    rows = out[mask]
    assert len(rows) == 1, (level, keys, len(rows))
    return rows.iloc[0]


def test_long_format_one_row_per_group_and_level():
    out = ind.proportion([5, 6], [10, 10], level=(0.95, 0.998))
    assert list(out.columns) == ["value", "lower", "upper", "level", "count", "population", "method", "note"]
    assert list(out["level"]) == [0.95, 0.998, 0.95, 0.998]
    assert list(out["count"]) == [5, 5, 6, 6]
    assert out["lower"].iloc[1] < out["lower"].iloc[0]  # 99.8% is wider
    out1 = ind.proportion([5], [10])
    assert list(out1["level"]) == [0.95]
    none = ind.proportion([5], [10], level=None)
    assert len(none) == 1 and none["lower"].isna().all() and none["level"].isna().all()
    grouped = ind.rate(
        "c", "p", by="g", data=pd.DataFrame({"g": ["a", "b"], "c": [3.0, 30.0], "p": [1e3, 1e4]}), level=(0.9, 0.95)
    )
    assert list(grouped.columns[:5]) == ["g", "value", "lower", "upper", "level"]
    assert list(grouped["g"]) == ["a", "a", "b", "b"]


def test_proportion_and_rate_match_reference():
    compared = 0
    for fname, fn in (("proportion.csv", ind.proportion), ("rate.csv", ind.rate)):
        ref = pd.read_csv(PHE / fname, keep_default_na=False, na_values=["NA"])
        for (arg, m), rows in ref.groupby(["confidence_arg", "multiplier"], sort=False, dropna=False):
            lv = levels_of(str(arg))
            if 1.0 in lv:
                with pytest.raises(jamlik.ConfidenceLevelError):
                    fn(rows["x"], rows["n"], level=lv, multiplier=m)
                compared += len(rows)
                continue
            out = fn(rows["x"].to_numpy(), rows["n"].to_numpy(), level=lv or None, multiplier=m)
            k = max(len(lv), 1)
            assert len(out) == len(rows) * k
            for j, (_, r) in enumerate(rows.iterrows()):
                # Each input row gives one output row per level, in level order.
                o = out.iloc[j * k + (lv.index(r["level"]) if lv else 0)]
                assert close(o["value"], r["value"])
                if lv:
                    assert o["level"] == r["level"]
                    assert close(o["lower"], r["lowercl"]), (fname, r.to_dict(), o["lower"])
                    assert close(o["upper"], r["uppercl"]), (fname, r.to_dict(), o["upper"])
                compared += 1
    assert compared == 204 + 182


def test_grouped_proportion_sums_per_group_in_one_call():
    inp = pd.read_csv(PHE / "proportion_grouped_inputs.csv")
    ref = pd.read_csv(PHE / "proportion_grouped_outputs.csv")
    multi = inp[inp.case_id == "propg_multi"]
    out = ind.proportion("x", "n", by="group", data=multi, level=(0.95, 0.998), multiplier=100)
    assert list(out["group"]) == ["A", "A", "B", "B", "C", "C"]
    compared = 0
    for _, r in ref[ref.case_id == "propg_multi"].iterrows():
        o = at_level(out, r["level"], group=r["group"])
        assert o["count"] == r["x"] and o["population"] == r["n"]
        assert close(o["lower"], r["lowercl"]) and close(o["upper"], r["uppercl"])
        compared += 1
    # Q1: one group is still summed (the package does not).
    single = inp[inp.case_id == "propg_single"]
    out1 = ind.proportion("x", "n", by="group", data=single, multiplier=100)
    assert len(out1) == 1 and out1["count"].iloc[0] == 35
    assert compared == 6


def test_dsr_grouped_matches_reference_in_one_call_per_configuration():
    inp = pd.read_csv(PHE / "dsr_inputs.csv")
    ref = pd.read_csv(PHE / "dsr_outputs.csv", keep_default_na=False, na_values=["NA"])
    compared = 0
    for (case, indep, m, arg), rows in ref.groupby(["case_id", "independent_events", "multiplier", "confidence_arg"], sort=False):
        frame = inp[inp.case_id == case]
        lv = levels_of(str(arg))
        kw = dict(count="x", population="n", by="group", level=lv, multiplier=m, missing="zero")
        if case == "dsr_esp":
            out = ind.dsr(frame, standard="esp2013", age_band="ageband", **kw)
        elif not indep:
            out = ind.dsr(frame, standard="stdpop", age_band="ageband", event_frequency="eventfreq", **kw)
        else:
            out = ind.dsr(frame, standard="stdpop", **kw)
        for _, r in rows.iterrows():
            o = at_level(out, r["level"], group=r["group"])
            assert o["count"] == r["total_count"]
            assert close(o["value"], r["value"]), (case, r["group"])
            assert close(o["lower"], r["lowercl"]) and close(o["upper"], r["uppercl"]), (case, r["group"])
            if math.isnan(r["value"]):
                assert "suppressed" in o["note"]
            compared += 1
    assert compared == 76


def test_life_expectancy_grouped_matches_reference():
    inp = pd.read_csv(PHE / "le_inputs.csv")
    ref = pd.read_csv(PHE / "le_outputs.csv")
    # Groups the package returns as NA are errors in jamlik (deaths > population ...):
    bad = []
    for g, rows in inp.groupby("group"):
        try:
            ind.life_expectancy(rows, count="deaths", population="pops", age_band="startage")
        except jamlik.JamlikError:
            bad.append(g)
    good = inp[~inp.group.isin(bad)]
    compared = 0
    for arg, rows in ref.groupby("confidence_arg", sort=False):
        lv = levels_of(arg)
        out = ind.life_expectancy(good, count="deaths", population="pops", age_band="startage", by="group", level=lv)
        for _, r in rows.iterrows():
            if r["group"] in bad:
                assert math.isnan(r["value"])
                compared += 1
                continue
            o = at_level(out, r["level"], group=r["group"], age=r["startage"])
            lo, hi = "lower", "upper"
            if not math.isnan(o["value"]):
                assert close(o["value"], r["value"])
            elif not math.isnan(r["value"]):
                assert r["value"] == 0 and "nobody survives" in o["note"]
            if np.isfinite(float(r["lowercl"])) and np.isfinite(float(r["uppercl"])):
                assert close(o[lo], r["lowercl"]) and close(o[hi], r["uppercl"])
            compared += 1
    assert compared == 700


def test_sii_within_monte_carlo_error_full_repetitions():
    inp = pd.read_csv(PHE / "sii_inputs.csv")
    ref = pd.read_csv(PHE / "sii_outputs.csv")
    compared = 0
    for (run, arg), rows in ref.groupby(["run_id", "confidence_arg"], sort=False):
        r0 = rows.iloc[0]
        frame = inp[inp.case_id == r0["case_id"]]
        lv = levels_of(arg)
        vt = {0: "normal", 1: "rate", 2: "proportion"}[int(r0["value_type"])]
        src = r0["input_from"]
        kw = dict(quantile="quantile", population="population", value_type=vt, transform=bool(r0["transform"]),
                  multiplier=float(r0["multiplier"]), level=lv, draws=100_000, seed=7, by="group")
        if src == "se":
            out = ind.sii(frame, value="value", se="se", **kw)
        elif src == "cl":
            out = ind.sii(frame, value="value", lower="lower_cl", upper="upper_cl", **kw)
        else:
            out = ind.sii(frame, count="x", lower="lower_cl", upper="upper_cl", **kw)
        m = float(r0["multiplier"])
        for _, r in rows.iterrows():
            s_row = at_level(out, r["level"], group=r["group"], measure="sii")
            r_row = at_level(out, r["level"], group=r["group"], measure="rii")
            assert close(s_row["value"], r["sii"]) and close(r_row["value"], r["rii"])
            ref_int = r["intercept"] if r0["transform"] else r["intercept"] * abs(m)
            assert close(s_row["intercept"], ref_int) and close(r_row["intercept"], ref_int)
            got = {
                "sii_lower": s_row["lower"],
                "sii_upper": s_row["upper"],
                "rii_lower": r_row["lower"],
                "rii_upper": r_row["upper"],
            }
            refs = {
                "sii_lower": (r["sii_lowercl"], r["sii_lowercl_mc_sd"]),
                "sii_upper": (r["sii_uppercl"], r["sii_uppercl_mc_sd"]),
                "rii_lower": (r["rii_lowercl"], r["rii_lowercl_mc_sd"]),
                "rii_upper": (r["rii_uppercl"], r["rii_uppercl_mc_sd"]),
            }
            if r0["transform"] and vt == "rate" and 0 < m < 1:
                # Q8: the package swaps SII limits and inverts RII limits here.
                refs["sii_lower"], refs["sii_upper"] = refs["sii_upper"], refs["sii_lower"]
                (a, sa), (b, sb) = refs["rii_lower"], refs["rii_upper"]
                refs["rii_lower"] = (1 / b, sb / b**2)
                refs["rii_upper"] = (1 / a, sa / a**2)
            for col, (val, sd) in refs.items():
                assert abs(got[col] - val) <= 4 * math.sqrt(2) * sd, (run, col, got[col], val, sd)
            compared += 1
    assert compared == 15


def test_quantile_matches_reference_and_polars():
    ref = pd.read_csv(PHE / "quantile.csv", keep_default_na=False, na_values=["NA"])
    compared = 0
    for case, rows in ref.groupby("case_id", sort=False):
        inv = "invert" if case == "q_field" else bool(rows["invert"].iloc[0])
        nq = int(rows["nquantiles"].iloc[0])
        out = ind.quantile(rows, value="value", nquantiles=nq, invert=inv, by="group", missing="drop")
        for got, want in zip(out["quantile"], rows["quantile"]):
            assert (pd.isna(got) and pd.isna(want)) or got == want
            compared += 1
        pout = ind.quantile(pl.from_pandas(rows), value="value", nquantiles=nq, invert=inv, by="group", missing="drop")
        assert isinstance(pout, pl.DataFrame)
        assert pout["quantile"].null_count() == int(rows["quantile"].isna().sum())
    assert compared == 74


def test_funnel_significance_and_limits():
    sig = pd.read_csv(PHE / "funnel_significance.csv")
    compared = 0
    for case, rows in sig.groupby("case_id", sort=False):
        if case == "funnel_prop":
            out = ind.funnel_significance(rows, statistic="proportion", count="numerator", population="denominator")
        elif case == "funnel_ratio":
            out = ind.funnel_significance(rows, statistic="ratio", count="numerator", expected="denominator")
        elif case == "funnel_rate_crude":
            out = ind.funnel_significance(rows, statistic="rate", count="numerator", population="denominator", multiplier=100_000)
        else:
            out = ind.funnel_significance(
                rows, statistic="rate", count="numerator", rate="rate", rate_type="dsr", multiplier=100_000
            )
        assert list(out["significance"]) == list(rows["significance"])
        compared += len(rows)
    assert compared == 105
    inputs = pd.read_csv(PHE / "funnel_prop_inputs.csv")
    ref = pd.read_csv(PHE / "funnel_limits_proportion_m100.csv")
    out = ind.funnel_limits(inputs, statistic="proportion", count="numerator", population="denominator",
                            multiplier=100, points=ref["Population"].to_numpy(dtype=float))
    assert len(out) == 200
    o998, o95 = out[out.level == 0.998], out[out.level == 0.95]
    assert len(o998) == 100 and np.array_equal(o998["population"].to_numpy(), ref["Population"].to_numpy(dtype=float))
    assert np.allclose(o998["upper"], ref["upper_3s_limit"], rtol=1e-9)
    assert np.allclose(o95["lower"], ref["lower_2s_limit"], rtol=1e-9, atol=1e-12)
    auto = ind.funnel_limits(inputs, statistic="proportion", count="numerator", population="denominator")
    assert len(auto) == 200 and auto["population"].is_monotonic_increasing


def test_polars_in_polars_out_with_nulls_for_suppressed():
    inp = pd.read_csv(PHE / "dsr_inputs.csv")
    frame = pl.from_pandas(inp[inp.case_id == "dsr_esp"])
    out = ind.dsr(frame, count="x", population="n", age_band="ageband", by="group", missing="zero")
    assert isinstance(out, pl.DataFrame)
    total9 = out.filter(pl.col("group") == "total9")
    assert total9["value"].null_count() == 1
    assert "suppressed" in total9["note"][0]


def test_bad_input_errors_name_the_argument():
    with pytest.raises(jamlik.DomainError, match="`count`"):
        ind.proportion([11], [10])
    with pytest.raises(jamlik.DomainError, match="`population`"):
        ind.rate([1], [0])
    with pytest.raises(jamlik.DomainError, match="`count`"):
        ind.rate([-1], [10])
    with pytest.raises(jamlik.ConfidenceLevelError):
        ind.rate([1], [10], level=1.5)
    with pytest.raises(jamlik.ConfidenceLevelError):
        ind.mean([1.0, 2.0], level=0)
    f = pd.DataFrame({"d": [10.0] * 20, "p": [1e4] * 20, "a": ind.STANDARD_20})
    ind.life_expectancy(f, count="d", population="p", age_band="a")
    with pytest.raises(jamlik.InvalidArgumentError, match="age_band"):
        ind.life_expectancy(f.iloc[:19], count="d", population="p", age_band="a")
    g = f.copy()
    g.loc[3, "d"] = 2e4
    with pytest.raises(jamlik.DomainError, match="`count`"):
        ind.life_expectancy(g, count="d", population="p", age_band="a")
    h = f.copy()
    h.loc[3, "p"] = -1
    with pytest.raises(jamlik.DomainError, match="population"):
        ind.life_expectancy(h, count="d", population="p", age_band="a")
    d = pd.DataFrame({"c": [5.0] * 19, "p": [1e3] * 19, "band": ["0-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90+"]})
    with pytest.raises(jamlik.MissingValueError, match="count"):
        ind.dsr(d.assign(c=[np.nan] + [5.0] * 18), count="c", population="p", age_band="band")
    with pytest.raises(jamlik.InvalidArgumentError, match="age_band"):
        ind.dsr(d.iloc[1:], count="c", population="p", age_band="band")


def test_esp2013_against_shared_file():
    path = shared_path("reference", "phe", "esp2013.csv")
    ref = pd.read_csv(path)
    esp = ind.esp2013()
    assert len(ref) == 19 == len(esp)
    assert list(esp["weight"]) == list(ref["esp2013"].astype(float))
    assert ind.esp2013(detailed=True)["weight"].sum() == 100_000


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 300)), min_size=1, max_size=30), st.sampled_from([1, 100]))
def test_grouped_equals_one_row_groups(pairs, m):
    x = np.array([a for a, _ in pairs], dtype=float)
    n = x + np.array([b for _, b in pairs], dtype=float)
    rows = ind.proportion(x, n, multiplier=m)
    grouped = ind.proportion(x, n, multiplier=m, by=[np.arange(len(x))])
    assert np.array_equal(rows["value"].to_numpy(), grouped["value"].to_numpy())
    assert np.array_equal(rows["upper"].to_numpy(), grouped["upper"].to_numpy())
    assert np.array_equal(grouped["by_0"].to_numpy(), np.arange(len(x)))
    assert (rows["upper"] <= m).all() and (rows["lower"] >= 0).all()


# ---------------------------------------------------------------- vocabulary, missing, errors, libraries


def _le_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "area": ["A"] * 20 + ["B"] * 20,
        "deaths": [5.0 + 3.0 * (i % 20) ** 2 for i in range(40)],
        "pop": [20_000.0] * 40,
        "band": ind.STANDARD_20 * 2,
    })


def test_missing_policies_offer_only_what_makes_sense():
    # Counts: error (suggesting only "drop") or drop; "zero" is refused.
    with pytest.raises(jamlik.MissingValueError, match='missing="drop"') as e:
        ind.proportion([1, np.nan, 3], [10, 10, 10])
    assert "zero" not in str(e.value)
    out = ind.proportion([1, np.nan, 3], [10, 10, 10], missing="drop")
    assert list(out["count"]) == [1, 3]
    with pytest.raises(jamlik.InvalidArgumentError, match="missing"):
        ind.rate([1, np.nan], [10, 10], missing="zero")
    grouped = ind.rate(
        "c", "p", by="g", data=pd.DataFrame({"g": ["a", "a", "b"], "c": [1, None, 4], "p": [10, 10, 10]}), missing="drop"
    )
    assert list(grouped["g"]) == ["a", "b"] and list(grouped["count"]) == [1, 4] and list(grouped["population"]) == [10, 10]
    m = ind.mean([1.0, np.nan, 3.0], missing="drop")
    assert m["value"].iloc[0] == 2.0 and m["n"].iloc[0] == 2
    with pytest.raises(jamlik.MissingValueError):
        ind.mean([1.0, np.nan, 3.0])
    # Life tables: "zero" is a missing death count of 0; the error names all three.
    f = _le_frame()
    f.loc[3, "deaths"] = np.nan
    with pytest.raises(jamlik.MissingValueError, match='missing="zero"'):
        ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area")
    zero = ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area", missing="zero")
    g = f.copy()
    g.loc[3, "deaths"] = 0.0
    ref = ind.life_expectancy(g, count="deaths", population="pop", age_band="band", by="area")
    assert np.array_equal(zero["value"].to_numpy(), ref["value"].to_numpy(), equal_nan=True)
    # Drop removes the row, so area A misses a band.
    with pytest.raises(jamlik.InvalidArgumentError, match="age_band"):
        ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area", missing="drop")
    # DSR: the message suggests drop and zero.
    d = pd.DataFrame(
        {"c": [np.nan] + [5.0] * 18, "p": [1e3] * 19, "band": ["0-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90+"]}
    )
    with pytest.raises(jamlik.MissingValueError, match='missing="zero"'):
        ind.dsr(d, count="c", population="p", age_band="band")
    assert ind.dsr(d, count="c", population="p", age_band="band", missing="zero")["count"].iloc[0] == 90
    # Functions that add a column keep every row: a dropped row gets no result.
    with pytest.raises(jamlik.MissingValueError, match='missing="drop"'):
        ind.quantile(pd.DataFrame({"v": [1.0, None, 3.0]}), value="v", nquantiles=2)
    sig = ind.funnel_significance(pd.DataFrame({"c": [5.0, None, 50.0, 20.0], "p": [100.0, 100.0, 200.0, 300.0]}),
                                  statistic="proportion", count="c", population="p", missing="drop")
    assert len(sig) == 4 and pd.isna(sig["significance"].iloc[1]) and sig["significance"].iloc[2].startswith("High")
    with pytest.raises(jamlik.InvalidArgumentError, match="missing"):
        ind.sii(
            pd.DataFrame({"q": [1.0], "p": [1.0], "v": [1.0], "s": [1.0]}),
            quantile="q",
            population="p",
            value="v",
            se="s",
            missing="zero",
        )


def test_errors_name_the_argument_or_column():
    f = _le_frame()
    with pytest.raises(jamlik.ColumnError, match="did you mean 'deaths'"):
        ind.life_expectancy(f, count="death", population="pop", age_band="band")
    with pytest.raises(jamlik.ColumnError):
        ind.dsr(f, count="deaths", population="popn", age_band="band")
    text = f.assign(pop=["many"] + ["1"] * 39)
    with pytest.raises(jamlik.InvalidArgumentError, match=r"'pop'.*population|population.*'pop'"):
        ind.life_expectancy(text, count="deaths", population="pop", age_band="band")
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"0\.95"):
        ind.proportion([1], [10], level=95)
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"0\.998"):
        ind.rate([1], [10], level=(0.95, 99.8))
    with pytest.raises(jamlik.DomainError, match="`population`"):
        ind.proportion([0], [0])
    with pytest.raises(jamlik.DomainError, match="`population`"):
        ind.life_expectancy(f.assign(pop=[-1.0] + [2e4] * 39), count="deaths", population="pop", age_band="band", by="area")
    bands = f.assign(band=["total"] + [str(b) for b in ind.STANDARD_20[1:]] + [str(b) for b in ind.STANDARD_20])
    with pytest.raises(jamlik.InvalidArgumentError, match=r'age_band.*"total"'):
        ind.life_expectancy(bands, count="deaths", population="pop", age_band="band", by="area")
    with pytest.raises(jamlik.InvalidArgumentError, match="backend"):
        ind.proportion([1], [10], backend="excel")
    with pytest.raises(jamlik.InvalidArgumentError, match="expected"):
        ind.funnel_significance(pd.DataFrame({"o": [1.0, 2.0]}), statistic="ratio", count="o")
    with pytest.raises(jamlik.InvalidArgumentError, match="statistic"):
        ind.funnel_limits(pd.DataFrame({"o": [1.0, 2.0]}), statistic="ratios", count="o")


def test_age_band_labels_are_parsed_by_the_core():
    labels = ["<1", "1-4"] + [f"{a}-{a + 4}" for a in range(5, 85, 5)] + ["85 år och äldre"]
    f = pd.DataFrame({"d": [3.0 + i * i for i in range(19)], "p": [2e4] * 19, "band": labels})
    out = ind.life_expectancy(f, count="d", population="p", age_band="band", layout="any")
    assert list(out["age"]) == [0.0, 1.0] + [float(a) for a in range(5, 90, 5)]
    nums = ind.life_expectancy(f.assign(band=out["age"].to_numpy()), count="d", population="p", age_band="band", layout="any")
    assert np.array_equal(out["value"].to_numpy(), nums["value"].to_numpy(), equal_nan=True)


def test_frames_come_back_in_the_callers_library():
    pa = pytest.importorskip("pyarrow")
    f = _le_frame()
    pd_out = ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area", level=(0.95, 0.998))
    assert len(pd_out) == 2 * 20 * 2
    assert list(pd_out.columns) == [
        "area", "age", "value", "lower", "upper", "level", "se", "count", "population", "method", "note"
    ]
    options = dict(count="deaths", population="pop", age_band="band", by="area", level=(0.95, 0.998))
    pl_out = ind.life_expectancy(pl.from_pandas(f), **options)
    pa_out = ind.life_expectancy(pa.Table.from_pandas(f), **options)
    assert isinstance(pl_out, pl.DataFrame) and isinstance(pa_out, pa.Table)
    assert np.allclose(pl_out["value"].to_numpy(), pd_out["value"].to_numpy(), equal_nan=True)
    assert pa_out.column("area").to_pylist() == list(pd_out["area"])
    sig = ind.funnel_significance(
        pa.table({"c": [5.0, 50.0, 20.0], "p": [100.0, 200.0, 300.0]}), statistic="proportion", count="c", population="p"
    )
    assert isinstance(sig, pa.Table) and sig.column("significance").to_pylist()[1].startswith("High")
    q = ind.quantile(pa.table({"v": [1.0, 2.0, 3.0, None]}), value="v", nquantiles=3, missing="drop")
    assert q.column("quantile").to_pylist() == [3, 2, 1, None]
    for backend, kind in (("polars", pl.DataFrame), ("pyarrow", pa.Table), ("pandas", pd.DataFrame)):
        assert isinstance(ind.proportion([1, 2], [10, 10], backend=backend), kind)
    assert isinstance(ind.proportion(pl.Series([1, 2]), pl.Series([10, 10])), pl.DataFrame)
    assert isinstance(ind.esp2013(backend="polars"), pl.DataFrame)


def test_isr_reference_per_band_matches_per_row():
    frame = pd.DataFrame(
        {"g": ["a"] * 3 + ["b"] * 3, "c": [1.0, 5.0, 9.0, 2.0, 4.0, 12.0], "p": [1e3, 2e3, 1e3, 1.5e3, 1e3, 2e3]}
    )
    ref_c, ref_p = np.array([10.0, 40.0, 90.0]), np.array([1e4, 2e4, 1e4])
    per_band = ind.isr(frame, count="c", population="p", reference_count=ref_c, reference_population=ref_p, by="g")
    per_row = ind.isr(
        frame, count="c", population="p", reference_count=np.tile(ref_c, 2), reference_population=np.tile(ref_p, 2), by="g"
    )
    assert np.array_equal(per_band["value"].to_numpy(), per_row["value"].to_numpy())
    # Expected count of group a: 1e3·10/1e4 + 2e3·40/2e4 + 1e3·90/1e4 = 1 + 4 + 9.
    assert per_band["expected"].iloc[0] == pytest.approx(14.0, rel=1e-12)
    with pytest.raises(jamlik.InvalidArgumentError, match="reference_count"):
        ind.isr(frame, count="c", population="p", reference_count=ref_c[:2], reference_population=ref_p, by="g")


def test_options_of_the_wrong_type_are_jamlik_errors():
    f = _le_frame()
    for call in (
        lambda: ind.proportion([1], [10], multiplier="100"),
        lambda: ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area", min_population="5k"),
        lambda: ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="area", layout=["0", "x"]),
        lambda: ind.quantile(f, value="deaths", nquantiles=2.5),
        lambda: ind.dsr(f, count="deaths", population="pop", age_band="band", standard={0: "a"}),
    ):
        with pytest.raises(jamlik.InvalidArgumentError):
            call()


def test_grouping_a_sorted_long_frame_by_runs_equals_grouping_it_shuffled():
    # From 4,096 rows the key columns are factorised run by run (a sorted
    # frame's groups are contiguous); the groups must be exactly those of the
    # same rows in random order, missing keys included.
    rng = np.random.default_rng(7)
    g, b = 600, 9
    keys = pd.DataFrame({
        "area": np.repeat(np.array([f"A{i % 200}" if i % 97 else None for i in range(g)], dtype=object), b),
        "year": np.repeat(2000 + np.arange(g) % 3, b),
        "x": rng.integers(0, 50, g * b).astype(float),
        "n": rng.integers(50, 500, g * b).astype(float),
    })
    assert len(keys) >= 4096
    shuffled = keys.iloc[rng.permutation(len(keys))].reset_index(drop=True)
    by = ["area", "year"]
    ours = ind.proportion("x", "n", by=by, data=keys)
    theirs = ind.proportion("x", "n", by=by, data=shuffled)
    assert len(ours) == len(theirs) == len(keys[by].drop_duplicates())
    join = ours.merge(theirs, on=by, suffixes=("", "_s"), how="outer")
    assert len(join) == len(ours)
    np.testing.assert_allclose(join["count"], join["count_s"], rtol=0, atol=0)
    np.testing.assert_allclose(join["value"], join["value_s"], rtol=1e-12)
    # A direct check of the partition: the same group totals as pandas' groupby.
    expected = keys.groupby(by, dropna=False, sort=False)["x"].sum()
    np.testing.assert_array_equal(ours["count"].to_numpy(), expected.to_numpy())
