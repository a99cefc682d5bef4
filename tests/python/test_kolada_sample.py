"""The shipped real Kolada sample series load, keep ids and nulls, and match the snapshot."""

from __future__ import annotations

import csv

import jamlik
import numpy as np
from conftest import shared_path


def test_kolada_sample_shape_and_types() -> None:
    df = jamlik.datasets.kolada_sample()
    assert len(df) == 1807
    assert list(df.columns[:7]) == ["kpi", "area", "year", "sex", "value", "count", "status"]
    assert df["area"].str.len().eq(4).all()  # leading zeros kept
    assert df.attrs["source"] == "Källa: Kolada"
    assert not jamlik.datasets.is_synthetic(df)
    # Nulls stay nulls, with their status ("Not applicable" for region KPIs asked of municipalities).
    na = df[df["kpi"] == "N03700"]
    assert na["value"].isna().all() and (na["status"] == "Not applicable").all()


def test_kolada_sample_polars_matches_pandas() -> None:
    pd_df = jamlik.datasets.kolada_sample()
    pl_df = jamlik.datasets.kolada_sample(backend="polars")
    assert pl_df.height == len(pd_df)
    np.testing.assert_array_equal(pl_df["value"].to_numpy(), pd_df["value"].to_numpy())


def test_kolada_sample_matches_snapshot() -> None:
    path = shared_path("reference", "kolada", "values_sample.csv")
    with path.open(newline="", encoding="utf-8") as f:
        ref = {(r["kpi"], r["municipality_id"], int(r["period"]), r["gender"]): r["value"] for r in csv.DictReader(f)}
    df = jamlik.datasets.kolada_sample()
    assert len(ref) == len(df)
    for kpi, mun, period, gender, value in df[["kpi", "area", "year", "sex", "value"]].itertuples(index=False):
        expected = ref[(kpi, mun, int(period), gender)]
        if expected == "":
            assert np.isnan(value)
        else:
            assert value == float(expected)
