"""``by=`` on the microdata indices: one native call for every group equals the
per-group calls bit for bit, groups in order of first appearance, undefined
groups as rows with a note, invalid input naming the group."""

from __future__ import annotations

import math
from typing import Any, Callable

import jamlik
import numpy as np
import pandas as pd
import pytest

RNG = np.random.default_rng(20261202)
N = 4_000
OUTCOME = RNG.gamma(2.0, 2.0, N) + 0.1
RANK = np.floor(RNG.uniform(0, 40, N))
WEIGHTS = RNG.uniform(0.5, 1.5, N)
KEYS = RNG.choice(np.array(["Uppsala", "Kiruna", "Lund", "Malmö", "Umeå"]), N)
YEARS = RNG.choice(np.array([2021, 2022]), N)


def _per_group(fn: Callable[..., Any], keys: np.ndarray, *arrays: Any, **kw: Any) -> dict[Any, Any]:
    out = {}
    for k in pd.unique(keys):
        m = keys == k
        out[k] = fn(*[a[m] for a in arrays], **kw)
    return out


def _bits(x: float) -> int:
    return int(np.float64(x).view(np.int64))


def _same(est: Any, row: Any) -> None:
    for name in ("value", "se", "lower", "upper"):
        got, want = row[name], getattr(est, name)
        if want is None:
            assert math.isnan(got)
        else:
            assert _bits(got) == _bits(want), name
    assert row["level"] == est.level
    assert row["n"] == est.n
    assert row["method"] == est.method


@pytest.mark.parametrize("kind", ["standard", "generalized", "erreygers", "wagstaff"])
def test_concentration_index_by_equals_per_group_calls_bitwise(kind: str) -> None:
    limits = (0.0, 40.0) if kind in ("erreygers", "wagstaff") else None
    got = jamlik.concentration_index(OUTCOME, RANK, WEIGHTS, by=pd.Series(KEYS, name="municipality"),
                                     kind=kind, limits=limits)
    assert list(got.columns) == ["municipality", "value", "se", "lower", "upper", "level", "n", "method", "note"]
    want = _per_group(lambda h, x, w: jamlik.concentration_index(h, x, w, kind=kind, limits=limits),
                      KEYS, OUTCOME, RANK, WEIGHTS)
    assert list(got["municipality"]) == list(want)  # first appearance
    for _, row in got.iterrows():
        _same(want[row["municipality"]], row)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("gini", lambda x, w, **kw: jamlik.gini(x, w, **kw)),
        ("theil", lambda x, w, **kw: jamlik.theil(x, w, **kw)),
        ("mld", lambda x, w, **kw: jamlik.mld(x, w, **kw)),
        ("ge2", lambda x, w, **kw: jamlik.generalized_entropy(x, 2.0, w, **kw)),
        ("atkinson", lambda x, w, **kw: jamlik.atkinson(x, 0.5, w, **kw)),
    ],
)
def test_inequality_indices_by_equal_per_group_calls(name: str, call: Callable[..., Any]) -> None:
    got = call(OUTCOME, WEIGHTS, by=KEYS)
    assert next(iter(got.columns)) == "by"
    want = _per_group(lambda x, w: call(x, w), KEYS, OUTCOME, WEIGHTS)
    assert len(got) == len(want)
    for _, row in got.iterrows():
        _same(want[row["by"]], row)


def test_several_key_columns_from_a_frame_and_group_order() -> None:
    keys = pd.DataFrame({"municipality": KEYS, "year": YEARS})
    got = jamlik.gini(OUTCOME, by=keys)
    assert list(got.columns)[:2] == ["municipality", "year"]
    first = keys.drop_duplicates()
    assert list(zip(got["municipality"], got["year"])) == list(zip(first["municipality"], first["year"]))
    m = (KEYS == got["municipality"][3]) & (YEARS == got["year"][3])
    assert got["value"][3] == jamlik.gini(OUTCOME[m]).value
    # A list of arrays is the same grouping.
    again = jamlik.gini(OUTCOME, by=[pd.Series(KEYS, name="municipality"), pd.Series(YEARS, name="year")])
    assert again.equals(got)


def test_polars_and_pyarrow_keys_answer_in_their_library() -> None:
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    by_pl = jamlik.gini(OUTCOME, by=pl.DataFrame({"municipality": KEYS}))
    assert type(by_pl).__module__.startswith("polars")
    by_pa = jamlik.gini(OUTCOME, by=pa.table({"municipality": pa.array(KEYS).dictionary_encode()}))
    assert type(by_pa).__module__.startswith("pyarrow")
    want = jamlik.gini(OUTCOME, by=pd.Series(KEYS, name="municipality"))
    assert by_pl["value"].to_list() == want["value"].tolist()
    assert by_pa.column("value").to_pylist() == want["value"].tolist()
    assert by_pa.column("municipality").to_pylist() == want["municipality"].tolist()


def test_one_row_and_emptied_groups_get_a_note() -> None:
    h = np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan, np.nan])
    x = np.array([1.0, 2.0, 3.0, 4.0, 1.0, 1.0, 2.0])
    by = np.array(["a", "a", "a", "a", "one row", "all missing", "all missing"])
    got = jamlik.concentration_index(h, x, by=by, missing="drop")
    assert list(got["by"]) == ["a", "one row", "all missing"]
    assert math.isfinite(got["value"][0]) and pd.isna(got["note"][0])
    for i in (1, 2):
        assert math.isnan(got["value"][i])
        assert got["method"][i] == "not computed"
        assert got["note"][i].startswith("not computed for this group")
    assert list(got["n"]) == [4, 1, 2]


def test_invalid_input_names_the_group() -> None:
    h = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0])
    by = pd.DataFrame({"municipality": ["Lund"] * 3 + ["Kiruna"] * 3, "year": [2022] * 6})
    with pytest.raises(jamlik.MissingValueError, match=r"group municipality='Kiruna', year=2022: `values`"):
        jamlik.gini(h, by=by)
    with pytest.raises(jamlik.ShapeError, match="`by` has length 2"):
        jamlik.gini(h, by=["a", "b"])
    with pytest.raises(jamlik.DomainError, match="group"):
        jamlik.atkinson(h[:4], 1.0, [1.0, -1.0, 1.0, 1.0], by=np.array([0, 0, 1, 1]))


def test_grouped_results_do_not_depend_on_row_order() -> None:
    perm = RNG.permutation(N)
    a = jamlik.concentration_index(OUTCOME, RANK, WEIGHTS, by=KEYS).set_index("by").sort_index()
    b = jamlik.concentration_index(OUTCOME[perm], RANK[perm], WEIGHTS[perm], by=KEYS[perm]).set_index("by").sort_index()
    np.testing.assert_allclose(a["value"], b["value"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a["se"], b["se"], rtol=1e-9)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("hoover", lambda x, w, **kw: jamlik.hoover(x, w, **kw)),
        ("palma", lambda x, w, **kw: jamlik.palma(x, w, **kw)),
        ("s80s20", lambda x, w, **kw: jamlik.quantile_share_ratio(x, w, **kw)),
        ("qsr_25_75", lambda x, w, **kw: jamlik.quantile_share_ratio(x, w, lower=0.25, upper=0.75, **kw)),
    ],
)
def test_share_indices_by_equal_per_group_calls_bitwise(name: str, call: Callable[..., Any]) -> None:
    got = call(OUTCOME, WEIGHTS, by=pd.Series(KEYS, name="municipality"))
    assert list(got.columns) == ["municipality", "value", "se", "lower", "upper", "level", "n", "method", "note"]
    want = _per_group(lambda x, w: call(x, w), KEYS, OUTCOME, WEIGHTS)
    assert list(got["municipality"]) == list(want)  # first appearance
    for _, row in got.iterrows():
        _same(want[row["municipality"]], row)


def test_kakwani_by_equals_per_group_calls_bitwise() -> None:
    payment = 0.1 * OUTCOME + RNG.uniform(0.0, 0.5, N)
    income = OUTCOME * 3.0 + RANK
    got = jamlik.kakwani(payment, income, WEIGHTS, by=KEYS)
    want = _per_group(lambda t, x, w: jamlik.kakwani(t, x, w), KEYS, payment, income, WEIGHTS)
    assert list(got["by"]) == list(want)
    for _, row in got.iterrows():
        _same(want[row["by"]], row)
    unweighted = jamlik.kakwani(payment, income, by=KEYS, se="none")
    assert unweighted["value"][0] == jamlik.kakwani(payment[KEYS == KEYS[0]], income[KEYS == KEYS[0]], se="none").value


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_share_indices_and_kakwani_take_polars_and_pyarrow_keys(library: str) -> None:
    lib = pytest.importorskip(library)
    keys = lib.DataFrame({"municipality": KEYS}) if library == "polars" else lib.table({"municipality": KEYS})
    want_key = pd.Series(KEYS, name="municipality")
    for fn in (
        lambda by: jamlik.hoover(OUTCOME, WEIGHTS, by=by),
        lambda by: jamlik.palma(OUTCOME, by=by),
        lambda by: jamlik.quantile_share_ratio(OUTCOME, WEIGHTS, by=by),
        lambda by: jamlik.kakwani(OUTCOME, OUTCOME + RANK, WEIGHTS, by=by),
    ):
        got, want = fn(keys), fn(want_key)
        assert type(got).__module__.startswith(library)
        values = got["value"].to_list() if library == "polars" else got.column("value").to_pylist()
        names = got["municipality"].to_list() if library == "polars" else got.column("municipality").to_pylist()
        assert values == want["value"].tolist()
        assert names == want["municipality"].tolist()


def test_share_indices_and_kakwani_by_bad_input_and_undefined_groups() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 2.0, -1.0, 3.0, 7.0])
    by = pd.DataFrame({"municipality": ["Lund"] * 4 + ["Kiruna"] + ["Umeå"] * 4})
    with pytest.raises(jamlik.DomainError, match=r"group municipality='Umeå': `values`"):
        jamlik.hoover(x, by=by)
    with pytest.raises(jamlik.DomainError, match="group municipality='Umeå'"):
        jamlik.palma(x, by=by)
    with pytest.raises(jamlik.InvalidArgumentError, match="`upper`"):
        jamlik.quantile_share_ratio(np.abs(x), lower=0.6, upper=0.5, by=by)
    with pytest.raises(jamlik.MissingValueError, match=r"group municipality='Kiruna': `income`"):
        jamlik.kakwani(np.abs(x), np.where(np.arange(9) == 4, np.nan, np.abs(x)), by=by)
    # A one-row group is undefined: a NaN row with a note, the others computed.
    got = jamlik.kakwani(np.abs(x), np.abs(x) + 1.0, by=by)
    assert list(got["municipality"]) == ["Lund", "Kiruna", "Umeå"]
    assert math.isnan(got["value"][1]) and got["method"][1] == "not computed"
    assert got["note"][1].startswith("not computed for this group")
    assert math.isfinite(got["value"][0]) and math.isfinite(got["value"][2])
    with pytest.raises(jamlik.ShapeError, match="`by` has length 2"):
        jamlik.hoover(np.abs(x), by=["a", "b"])


def test_integer_keys_are_passed_as_codes_and_group_like_any_keys() -> None:
    # Integer keys (negative and huge ones factorised, small codes passed as they
    # are, unsigned): same groups, same order and key values as text keys.
    labels = {"Uppsala": -7, "Kiruna": 2**62, "Lund": 0, "Malmö": 3, "Umeå": -(2**40)}
    ints = np.array([labels[k] for k in KEYS], dtype=np.int64)
    got = jamlik.hoover(OUTCOME, WEIGHTS, by=pd.Series(ints, name="kommun"))
    want = jamlik.hoover(OUTCOME, WEIGHTS, by=pd.Series(KEYS, name="kommun"))
    assert list(got["kommun"]) == [labels[k] for k in want["kommun"]]
    assert got["value"].tolist() == want["value"].tolist()
    codes = np.unique(KEYS, return_inverse=True)[1].astype(np.uint16)
    small = jamlik.hoover(OUTCOME, WEIGHTS, by=codes)
    assert len(small) == 5 and small["by"].dtype.kind == "u"
    assert small["value"].tolist() == want["value"].tolist()
