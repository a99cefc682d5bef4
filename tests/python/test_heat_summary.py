"""jamlik.heat.summary's contract: ordering decided per case, missing=,
several levels, the column check (misspelt columns refused), flags and levels
refused with the fix in the message, frames in and out in the same library,
and single measures as jamlik.Estimate with n and the measure code."""

from __future__ import annotations

import math

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import _jamlik, heat

Y = [38.2, 45.6, 51.9, 60.3, 71.4]
SE = [2.41, 2.27, 2.18, 2.05, 1.87]
POP = [212400.0, 198700.0, 187300.0, 176900.0, 160200.0]


def _two_cases() -> pd.DataFrame:
    """Case A ordered (orders 1..5), case B a region dimension (order 0); no ordered_dimension column."""
    a = pd.DataFrame(dict(case="A", estimate=Y, se=SE, population=POP, subgroup_order=[1, 2, 3, 4, 5]))
    b = pd.DataFrame(dict(case="B", estimate=[50.0, 61.0, 44.0, 58.0, 47.0], se=SE, population=POP,
                          subgroup_order=0))
    return pd.concat([a, b], ignore_index=True).assign(scaleval=100, favourable_indicator=1)


def test_ordering_is_decided_per_case() -> None:
    out = heat.summary(_two_cases(), by="case")
    a = out[out.case == "A"]
    b = out[out.case == "B"]
    assert {"aci", "rci", "sii", "rii"} <= set(a.measure)
    assert "bgv" not in set(a.measure)
    assert {"bgv", "mdmw", "mld", "ti"} <= set(b.measure)
    assert not {"aci", "rci", "sii", "rii"} & set(b.measure)
    # A's numbers are those of A alone with an explicit ordered_dimension.
    alone = heat.summary(_two_cases().query("case == 'A'").assign(ordered_dimension=1)).set_index("measure")
    mine = a.set_index("measure")
    np.testing.assert_allclose(mine["value"], alone.loc[mine.index, "value"], rtol=1e-12)
    np.testing.assert_allclose(mine["se"], alone.loc[mine.index, "se"], rtol=1e-12)
    assert heat.sii(Y, population=POP, subgroup_order=[1, 2, 3, 4, 5], scale=100).value == pytest.approx(
        mine.loc["sii", "value"], rel=1e-12)


def test_missing_error_or_drop_counts_n_after_dropping() -> None:
    df = _two_cases()
    df.loc[1, "estimate"] = np.nan  # case A, quintile 2
    df.loc[7, "population"] = np.nan  # case B, third region
    with pytest.raises(jamlik.MissingValueError) as info:
        heat.summary(df, by="case")
    msg = str(info.value)
    assert "estimate" in msg and "row 1" in msg and 'missing="drop"' in msg and "zero" not in msg
    out = heat.summary(df, by="case", missing="drop")
    assert (out["n"] == 4).all()
    # Same as the complete rows alone; A's order keeps the gap its dropped
    # quintile leaves (1, 3, 4, 5), which ranks as 1..4 would.
    complete = df.drop(index=[1, 7])
    for case, frame in (("A", complete.query("case == 'A'").assign(subgroup_order=[1, 2, 3, 4])),
                        ("B", complete.query("case == 'B'"))):
        ref = heat.summary(frame)
        mine = out[out.case == case]
        assert list(mine.measure) == list(ref.measure)
        np.testing.assert_allclose(mine["value"], ref["value"], rtol=1e-12)
        np.testing.assert_allclose(mine["lower"], ref["lower"], rtol=1e-12)
    # Without dropping, a gap in the order is an error naming the column.
    with pytest.raises(jamlik.InvalidArgumentError, match="subgroup_order"):
        heat.summary(complete, by="case")
    with pytest.raises(jamlik.InvalidArgumentError, match="missing"):
        heat.summary(df, by="case", missing="zero")


def test_single_measures_missing_and_n() -> None:
    y = [38.2, np.nan, 51.9, 60.3, 71.4]
    with pytest.raises(jamlik.MissingValueError, match='missing="drop"'):
        heat.bgv(y, population=POP)
    e = heat.bgv(y, population=POP, missing="drop")
    assert e.n == 4
    assert e.value == pytest.approx(heat.bgv([38.2, 51.9, 60.3, 71.4], population=POP[:1] + POP[2:]).value, rel=1e-12)
    assert heat.d(Y, se=SE, subgroup_order=[1, 2, 3, 4, 5]).n == 5


def test_several_levels() -> None:
    df = _two_cases()
    both = heat.summary(df, by="case", level=(0.9, 0.95))
    at95 = heat.summary(df, by="case")
    at90 = heat.summary(df, by="case", level=0.9)
    assert len(both) == len(at95) + len(at90)
    assert sorted(set(both["level"])) == [0.9, 0.95]
    for lvl, alone in ((0.95, at95), (0.9, at90)):
        part = both[both["level"] == lvl].reset_index(drop=True)
        assert list(part.measure) == list(alone.measure)
        np.testing.assert_array_equal(part["lower"].to_numpy(), alone["lower"].to_numpy())
    lo90 = at90["lower"].to_numpy()
    lo95 = at95["lower"].to_numpy()
    ok = ~np.isnan(lo90)
    assert ok.sum() > 10 and (lo90[ok] >= lo95[ok]).all()


@pytest.mark.parametrize(
    "rename, column, look_alike",
    [({"population": "pop"}, "population", "pop"), ({"se": "se_"}, "se", "se_"),
     ({"favourable_indicator": "favorable_indicator"}, "favourable_indicator", "favorable_indicator"),
     ({"scaleval": "scale"}, "scaleval", "scale"), ({"estimate": "Estimate"}, "estimate", "Estimate")],
)
def test_misspelt_columns_are_refused(rename: dict, column: str, look_alike: str) -> None:
    with pytest.raises(jamlik.ColumnError) as info:
        heat.summary(_two_cases().rename(columns=rename), by="case")
    msg = str(info.value)
    assert f"`{column}`" in msg and f"`{look_alike}`" in msg and "`subgroup_order`" in msg


def test_unrelated_columns_are_allowed() -> None:
    df = _two_cases().assign(case_id=1, dimension="x", subgroup="s", setting="SE", sex="T", year=2024)
    out = heat.summary(df, by="case")
    assert len(out) == len(heat.summary(_two_cases(), by="case"))
    # A `by` column may look like anything.
    heat.summary(_two_cases().rename(columns={"case": "pop"}).drop(columns="population"), by="pop")
    with pytest.raises(jamlik.ColumnError, match="nope"):
        heat.summary(_two_cases(), by="nope")


def test_bad_flags_text_and_levels() -> None:
    df = _two_cases()
    with pytest.raises(jamlik.InvalidArgumentError) as info:
        heat.summary(df.assign(favourable_indicator="yes"), by="case")
    assert "favourable_indicator" in str(info.value) and "1 or 0" in str(info.value)
    with pytest.raises(jamlik.InvalidArgumentError, match=r"favourable_indicator.*1 or 0"):
        heat.summary(df.assign(favourable_indicator=2), by="case")
    with pytest.raises(jamlik.InvalidArgumentError, match="ordered_dimension"):
        heat.summary(df.assign(ordered_dimension="ordered"), by="case")
    with pytest.raises(jamlik.InvalidArgumentError, match="population"):
        heat.summary(df.assign(population="many"), by="case")
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"0\.95"):
        heat.summary(df, by="case", level=95)
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"0\.95"):
        heat.d(Y, level=95)
    with pytest.raises(jamlik.InvalidArgumentError, match="favourable"):
        heat.d(Y, favourable="yes")  # type: ignore[arg-type]
    with pytest.raises(jamlik.InvalidArgumentError, match="level"):
        heat.d(Y, level=(0.9, 0.95))  # type: ignore[arg-type]
    with pytest.raises(jamlik.InvalidArgumentError, match="scale"):
        heat.sii(Y, subgroup_order=[1, 2, 3, 4, 5], scale="100")  # type: ignore[arg-type]
    for bad in ({"seed": -1}, {"seed": "1"}, {"draws": 2.5}):
        with pytest.raises(jamlik.InvalidArgumentError, match=next(iter(bad))):
            heat.summary(df, by="case", **bad)
        with pytest.raises(jamlik.InvalidArgumentError, match=next(iter(bad))):
            heat.mdmw(Y, se=SE, population=POP, scale=100, **bad)
    with pytest.raises(jamlik.InvalidArgumentError, match="draws"):
        heat.mdmw(Y, se=SE, population=POP, scale=100, draws=1)
    # Booleans are flags too.
    flags = heat.summary(df.assign(favourable_indicator=False), by="case")
    zeros = heat.summary(df.assign(favourable_indicator=0), by="case")
    np.testing.assert_array_equal(flags["value"].to_numpy(), zeros["value"].to_numpy())


def test_frames_out_in_the_callers_library() -> None:
    pa = pytest.importorskip("pyarrow")
    df = _two_cases()
    out = heat.summary(pa.Table.from_pandas(df), by="case")
    assert isinstance(out, pa.Table)
    assert out.column_names == ["case", "measure", "value", "se", "lower", "upper", "level", "method", "note", "n"]
    pl = pytest.importorskip("polars")
    p = heat.summary(pl.from_pandas(df), by="case")
    assert isinstance(p, pl.DataFrame) and p.columns == out.column_names


def test_notes_say_why_a_piece_is_missing() -> None:
    out = heat.summary(_two_cases().drop(columns="se"), by="case")
    d = out[(out.case == "A") & (out.measure == "d")].iloc[0]
    assert math.isnan(d["se"]) and "no SE" in d["note"] and "no SE" not in d["method"]
    assert out[out.measure == "sii"]["note"].isna().all()


def test_default_seed_and_estimate_results() -> None:
    assert _jamlik.DEFAULT_SEED == 123456
    a = heat.mdmw(Y, se=SE, population=POP, scale=100)
    assert a == heat.mdmw(Y, se=SE, population=POP, scale=100, seed=_jamlik.DEFAULT_SEED)
    assert a != heat.mdmw(Y, se=SE, population=POP, scale=100, seed=1)
    assert isinstance(a, jamlik.Estimate)
    assert a.extra == {"measure": "mdmw"} and a.n == 5
    frame = a.to_frame()
    assert frame["value"].iloc[0] == a.value and frame["measure"].iloc[0] == "mdmw"


_SIMULATED = {"bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw"}


def _coverage_frame(cases: int) -> pd.DataFrame:
    """Ordered and non-ordered cases, favourable and adverse, references, missing se and scale."""
    rng = np.random.default_rng(3)
    frames = []
    for k in range(cases):
        n = 3 + k % 3
        ordered = k % 2 == 0
        ref = np.zeros(n)
        if not ordered and k % 4 == 1:
            ref[k % n] = 1.0
        frames.append(pd.DataFrame(dict(
            case=k,
            estimate=np.round(rng.uniform(5, 95, n), 1),
            se=rng.uniform(0.5, 3, n) if k % 5 else np.full(n, np.nan),
            population=np.round(rng.uniform(100, 9000, n)) if k % 7 else np.full(n, np.nan),
            subgroup_order=np.roll(np.arange(1.0, n + 1), k % n) if ordered else np.zeros(n),
            ordered_dimension=float(ordered),
            reference_subgroup=ref,
            favourable_indicator=float(k % 3 != 0),
            scaleval=100.0 if k % 3 else np.nan,
        )))
    return pd.concat(frames, ignore_index=True)


def _check_rows_against_single_measures(df: pd.DataFrame, out: pd.DataFrame) -> set[str]:
    """Each summary row's method, note and numbers are those of the single measure."""
    cases = {k: g for k, g in df.groupby("case")}
    seen = set()
    for row in out.itertuples(index=False):
        case = cases[row.case]
        ordered = case["ordered_dimension"].iloc[0] == 1.0
        refs = np.flatnonzero(case["reference_subgroup"].to_numpy() == 1.0)
        scale = case["scaleval"].iloc[0]
        pop = case["population"].to_numpy()
        kw: dict = dict(
            se=case["se"].to_numpy(),
            population=None if np.isnan(pop).all() else pop,
            subgroup_order=case["subgroup_order"].to_numpy() if ordered else None,
            reference=int(refs[0]) if len(refs) else None,
            favourable=bool(case["favourable_indicator"].iloc[0]),
            scale=None if np.isnan(scale) else float(scale),
            level=row.level,
        )
        if row.measure in _SIMULATED:
            kw.update(seed=11, draws=30)
        note = row.note if isinstance(row.note, str) else None
        try:
            e = getattr(heat, row.measure)(case["estimate"].to_numpy(), **kw)
        except jamlik.JamlikError as err:
            assert row.method == "not computed" and note == str(err)
            assert math.isnan(row.value)
        else:
            assert row.method == e.method
            assert note == e.note
            assert row.value == e.value or (math.isnan(row.value) and math.isnan(e.value))
            assert row.upper == e.upper or (math.isnan(row.upper) and e.upper is None)
        seen.add(row.measure)
    return seen


def test_method_column_equals_each_single_measure_small_and_large() -> None:
    """The method codes cannot drift from Estimate.method, in large results and small ones
    (both a categorical built from the codes)."""
    df = _coverage_frame(320)
    out = heat.summary(df, by="case", level=(0.9, 0.95), seed=11, draws=30)
    assert len(out) > 5000
    assert isinstance(out["method"].dtype, pd.CategoricalDtype)
    assert out["method"].cat.categories.is_unique
    assert _check_rows_against_single_measures(df, out) == set(heat.MEASURES)
    small = df[df.case < 12]
    out = heat.summary(small, by="case", level=(0.9, 0.95), seed=11, draws=30)
    assert isinstance(out["method"].dtype, pd.CategoricalDtype)
    _check_rows_against_single_measures(small, out)
