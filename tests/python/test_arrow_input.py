"""Arrow in: pandas, pandas with Arrow dtypes, polars, pyarrow (tables, record
batches, chunked arrays) and any object exposing only ``__arrow_c_stream__``
give the same results; a float64 column without nulls is read without a copy;
nulls become missing values for ``missing=`` to handle."""

from __future__ import annotations

from typing import Any

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import _jamlik, heat, indicators
from jamlik._frames import as_float_array

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")


class StreamOnly:
    """Stands in for a DuckDB result: nothing but a one-shot ``__arrow_c_stream__``."""

    def __init__(self, table: Any) -> None:
        self._reader: Any = table.to_reader()

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        if self._reader is None:
            raise RuntimeError("this stream was already read")
        reader, self._reader = self._reader, None
        return reader.__arrow_c_stream__(requested_schema)


def _counts() -> pd.DataFrame:
    return pd.DataFrame({
        "area": ["Lund", "Lund", "Umeå", "Umeå", "Kiruna"],
        "count": [12.0, 30.0, 7.0, 19.0, 4.0],
        "population": [150.0, 400.0, 90.0, 310.0, 80.0],
    })


def _flavours(df: pd.DataFrame) -> dict[str, Any]:
    table = pa.Table.from_pandas(df, preserve_index=False)
    half = len(df) // 2
    return {
        "pandas": df,
        "pandas-arrow": df.convert_dtypes(dtype_backend="pyarrow"),
        "polars": pl.from_pandas(df),
        "pyarrow": table,
        "record-batch": table.to_batches()[0],
        "chunked": pa.Table.from_batches([table.slice(0, half).combine_chunks().to_batches()[0],
                                          table.slice(half).combine_chunks().to_batches()[0]]),
        "c-stream": StreamOnly(table),
    }


def _pandas(frame: Any) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame):
        return frame.reset_index(drop=True)
    if hasattr(frame, "to_pandas"):
        return frame.to_pandas()
    return pa.table(frame).to_pandas()


@pytest.mark.parametrize("flavour", list(_flavours(_counts())))
def test_indicators_give_the_same_frame_from_every_library(flavour: str) -> None:
    want = indicators.proportion("count", "population", data=_counts(), by="area")
    got = _pandas(indicators.proportion("count", "population", data=_flavours(_counts())[flavour], by="area"))
    assert list(got["area"]) == list(want["area"])
    for c in ("value", "lower", "upper"):
        np.testing.assert_array_equal(got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float))


@pytest.mark.parametrize("flavour", list(_flavours(heat.example())))
def test_heat_summary_gives_the_same_frame_from_every_library(flavour: str) -> None:
    want = heat.summary(heat.example(), by="dimension")
    got = _pandas(heat.summary(_flavours(heat.example())[flavour], by="dimension"))
    assert list(got["dimension"]) == list(want["dimension"])
    assert list(got["measure"].astype(str)) == list(want["measure"].astype(str))
    np.testing.assert_array_equal(got["value"].to_numpy(dtype=float), want["value"].to_numpy(dtype=float))
    np.testing.assert_array_equal(got["se"].to_numpy(dtype=float), want["se"].to_numpy(dtype=float))


@pytest.mark.parametrize("flavour", ["pandas-arrow", "polars", "pyarrow", "chunked", "c-stream"])
def test_microdata_columns_and_keys_from_arrow(flavour: str) -> None:
    rng = np.random.default_rng(7)
    n = 600
    df = pd.DataFrame({
        "health": rng.gamma(2.0, 1.0, n),
        "income": rng.integers(0, 30, n).astype(np.int32),  # a cast, once
        "region": rng.choice(["Norr", "Syd", "Mitt"], n),
    })
    frame = _flavours(df)[flavour]
    if flavour == "c-stream":
        frame = jamlik._frames.arrow_frame(frame)
    want = jamlik.concentration_index(df["health"].to_numpy(), df["income"].to_numpy(dtype=float))
    got = jamlik.concentration_index(frame["health"], frame["income"])
    assert got.value == want.value and got.se == want.se
    by_want = jamlik.gini(df["health"].to_numpy(), by=df[["region"]])
    keys = frame if flavour == "c-stream" else (frame.select(["region"]) if flavour in ("polars", "pyarrow", "chunked")
                                                else frame[["region"]])
    by_got = _pandas(jamlik.gini(frame["health"], by=keys if flavour != "c-stream" else StreamOnly(
        pa.table({"region": df["region"]}))))
    assert list(by_got["region"]) == list(by_want["region"])
    np.testing.assert_array_equal(by_got["value"].to_numpy(), by_want["value"].to_numpy())


def test_float64_without_nulls_is_read_without_a_copy() -> None:
    x = pa.chunked_array([pa.array(np.linspace(0.0, 1.0, 1000))])
    before = _jamlik.arrow_borrowed_count()
    arr = as_float_array(x, "values")
    assert _jamlik.arrow_borrowed_count() == before + 1
    assert np.shares_memory(arr, x.chunks[0].to_numpy(zero_copy_only=True))
    assert not arr.flags.writeable
    # A column of a table, and a polars column, too.
    t = pa.table({"v": np.arange(10, dtype=np.float64)})
    col = _jamlik.ArrowFrame(t).float_column("v")
    assert np.shares_memory(col, t.column("v").chunks[0].to_numpy(zero_copy_only=True))
    s = pl.Series("v", np.arange(5, dtype=np.float64))
    assert np.shares_memory(as_float_array(s, "values"), s.to_numpy())


def test_other_layouts_are_converted_once() -> None:
    before = _jamlik.arrow_borrowed_count()
    ints = as_float_array(pa.array([1, 2, 3], type=pa.int16()), "values")
    np.testing.assert_array_equal(ints, [1.0, 2.0, 3.0])
    chunked = as_float_array(pa.chunked_array([[1.5, 2.5], [3.5]]), "values")
    np.testing.assert_array_equal(chunked, [1.5, 2.5, 3.5])
    dictionary = as_float_array(pa.array([2.0, 2.0, 5.0]).dictionary_encode(), "values")
    np.testing.assert_array_equal(dictionary, [2.0, 2.0, 5.0])
    assert _jamlik.arrow_borrowed_count() == before


def test_nulls_are_missing_values_for_the_missing_policy() -> None:
    h = pa.array([1.0, None, 3.0, 4.0, 2.0])
    x = pa.array([1.0, 2.0, 3.0, 4.0, 5.0])
    arr = as_float_array(h, "outcome")
    assert np.isnan(arr[1]) and np.isfinite(np.delete(arr, 1)).all()
    with pytest.raises(jamlik.MissingValueError, match="`outcome`"):
        jamlik.concentration_index(h, x)
    dropped = jamlik.concentration_index(h, x, missing="drop")
    assert dropped.n == 4
    df = pd.DataFrame({"count": pd.array([3, None, 5], dtype="int64[pyarrow]"), "population": [10, 20, 30]})
    with pytest.raises(jamlik.MissingValueError):
        indicators.proportion("count", "population", data=df)


def test_text_where_numbers_belong_names_the_column() -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match=r"`outcome` must be numbers.*Utf8|`outcome` must be numbers.*String"):
        as_float_array(pa.array(["a", "b"]), "outcome")
    with pytest.raises(jamlik.InvalidArgumentError, match="dates or durations"):
        as_float_array(pa.array([1, 2], type=pa.date32()), "outcome")
    with pytest.raises(jamlik.ColumnError, match=r"has no column .nope."):
        _jamlik.ArrowFrame(pa.table({"a": [1.0]})).float_column("nope")


def _goal_calls(data: Any, population: Any = None) -> dict[str, Any]:
    """Every goal function that reads a long frame, on one municipality of the demo."""
    from jamlik import goals, report

    return {
        "assess goal": goals.assess(data, goal="G2", municipality="Arboga"),
        "assess series": goals.assess(data, kpi="N15428", municipality="Arboga", direction="lower"),
        "gap between sexes": goals.gap_closure(data, kpi="N15428", municipality="Arboga", between="sex"),
        "compare areas": goals.compare_areas(data, kpi="N15428", municipality="Arboga"),
        "women vs men": goals.women_vs_men(data, kpi="N00925", municipality="Arboga"),
        "follow-up": report.follow_up("Arboga", data, synthetic=True),
        "gaps": report.gaps("Arboga", data, population=population, synthetic=True),
    }


@pytest.mark.parametrize("flavour", ["pandas-arrow", "polars", "pyarrow", "chunked", "c-stream"])
def test_goal_functions_read_arrow_without_pandas(flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow frames go to the Rust panel through the C interfaces: the same numbers as
    from pandas, and no pandas conversion of the data on the way."""
    from jamlik.datasets import demo, demo_population

    df = demo()
    kpis = {"N15428", "N00925", "N00923"} | set(jamlik.goals._shipped().kpis())
    df = df[df["kpi"].isin(kpis) & df["year"].ge(2016)].reset_index(drop=True)
    df = df[["kpi", "area", "year", "sex", "value"]]
    pop = demo_population(first_year=2016)
    want = {k: _pandas(v) for k, v in _goal_calls(df, pop).items()}
    frame, pop_frame = _flavours(df)[flavour], _flavours(pop)[flavour]
    if flavour == "c-stream":  # one-shot streams: read once per call
        frame, pop_frame = jamlik._frames.arrow_frame(frame), jamlik._frames.arrow_frame(pop_frame)
    if flavour != "pandas-arrow":
        def no_pandas(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the data went through pandas")

        monkeypatch.setattr(jamlik.goals, "to_pandas", no_pandas)
        monkeypatch.setattr(jamlik.report._follow_up, "to_pandas", no_pandas)
    got = {k: _pandas(v) for k, v in _goal_calls(frame, pop_frame).items()}
    for name, w in want.items():
        g = got[name]
        assert list(g.columns) == list(w.columns), name
        for c in w.columns:
            a, b = w[c].to_numpy(), g[c].to_numpy()
            if a.dtype.kind == "f" or b.dtype.kind == "f":
                np.testing.assert_array_equal(a.astype(float), b.astype(float), err_msg=f"{name}: {c}")
            else:
                assert [str(x) for x in a] == [str(x) for x in b], f"{name}: {c}"


def test_goal_panel_from_arrow_names_bad_columns() -> None:
    t = pa.table({"kpi": ["N15428"], "area": [180], "year": [2020], "sex": [None], "value": [3.0]})
    with pytest.raises(jamlik.InvalidArgumentError, match=r"`data`.*\"sex\" is missing at row 0"):
        jamlik.goals.compare_areas(t, kpi="N15428", municipality="0180")
    with pytest.raises(jamlik.ColumnError, match="`data` has no column 'sex'"):
        jamlik.goals.compare_areas(t.drop_columns(["sex"]), kpi="N15428", municipality="0180")
    bad = pa.table({"kpi": ["N15428"], "area": ["0180"], "year": [2020.5], "sex": ["T"], "value": [3.0]})
    with pytest.raises(jamlik.DomainError, match=r"`year` must be a whole year; row 0 has 2020\.5"):
        jamlik.goals.compare_areas(bad, kpi="N15428", municipality="0180")
    with pytest.raises(jamlik.DomainError, match=r"`year` must be a whole year; row 0 has 2020\.5"):
        jamlik.goals.compare_areas(bad.to_pandas(), kpi="N15428", municipality="0180")  # as from pandas
    # An integer area is a Kolada id, zero-padded as from pandas.
    ok = pa.table({"kpi": ["N15428"] * 2, "area": [180, 0], "year": [2020] * 2, "sex": ["T"] * 2,
                   "value": [3.0, 4.0]})
    assert len(_jamlik.Panel.from_arrow(ok)) == 2
    r = _pandas(jamlik.goals.compare_areas(ok, kpi="N15428", municipality="Stockholm"))
    assert r["value"].iloc[0] == 3.0
