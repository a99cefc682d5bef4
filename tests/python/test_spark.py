"""jamlik.spark on a local[2] Spark session against the single-machine results (equal to 1e-12).

Skips when pyspark or Java is missing, except under CI=true or JAMLIK_REQUIRE_SPARK=1, where that
fails (tests/python/spark_session.py).
"""

from __future__ import annotations

from typing import Any

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import heat, indicators
from spark_session import spark_session


@pytest.fixture(scope="module")
def spark() -> Any:
    return spark_session()


def close(a: float, b: float, floor: float = 1e-3) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), floor)


@pytest.fixture(scope="module")
def microdata() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    n = 6000
    return pd.DataFrame(
        {
            "area": rng.choice(["0180", "1480", "1280"], n),
            "year": rng.choice([2022, 2023], n).astype(np.int64),
            "health": rng.gamma(2.0, 1.5, n),
            # Few distinct incomes: many ties, some straddling the quantile splits.
            "income": np.round(rng.lognormal(10, 0.6, n), -3),
            "weight": rng.uniform(0.5, 3.0, n),
        }
    )


def test_concentration_index_equals_one_machine_per_group(spark: Any, microdata: pd.DataFrame) -> None:
    from jamlik import spark as js

    # Scatter every group over all partitions: a group is split across partitions.
    sdf = spark.createDataFrame(microdata).repartition(7)
    assert sdf.rdd.getNumPartitions() == 7
    out = js.concentration_index(sdf, "health", "income", "weight", by=["area", "year"], partitions=5).toPandas()
    assert list(out.columns) == ["area", "year", "value", "se", "lower", "upper", "level", "n", "method", "note"]
    assert len(out) == 6
    for _, row in out.iterrows():
        g = microdata[(microdata.area == row.area) & (microdata.year == row.year)]
        one = jamlik.concentration_index(g.health, g.income, g.weight)
        assert close(row.value, one.value), (row.value, one.value)
        assert close(row.se, one.se), (row.se, one.se)
        assert close(row.lower, one.lower) and close(row.upper, one.upper)
        assert row.n == len(g)
        assert row.method == one.method
        assert "two-pass" in row.note


def test_partition_count_does_not_change_the_result(spark: Any, microdata: pd.DataFrame) -> None:
    from jamlik import spark as js

    sdf = spark.createDataFrame(microdata)
    one = jamlik.concentration_index(microdata.health, microdata.income, kind="generalized")
    for parts in (1, 16):
        row = js.concentration_index(sdf, "health", "income", kind="generalized", partitions=parts).collect()[0]
        assert close(row["value"], one.value) and close(row["se"], one.se), parts


def test_gini_equals_one_machine(spark: Any, microdata: pd.DataFrame) -> None:
    from jamlik import spark as js

    sdf = spark.createDataFrame(microdata).repartition(3)
    out = js.gini(sdf, "income", "weight", by="area", partitions=4).toPandas()
    for _, row in out.iterrows():
        g = microdata[microdata.area == row.area]
        one = jamlik.gini(g.income, g.weight)
        assert close(row.value, one.value) and close(row.se, one.se)
        assert row.method == one.method


def test_missing_values_error_or_drop(spark: Any, microdata: pd.DataFrame) -> None:
    from jamlik import spark as js

    df = microdata.head(200).copy()
    df.loc[5, "health"] = np.nan
    sdf = spark.createDataFrame(df)
    with pytest.raises(jamlik.MissingValueError, match="outcome"):
        js.concentration_index(sdf, "health", "income", partitions=2)
    row = js.concentration_index(sdf, "health", "income", partitions=2, missing="drop").collect()[0]
    kept = df.dropna()
    one = jamlik.concentration_index(kept.health, kept.income)
    assert close(row["value"], one.value) and row["n"] == len(kept)


def test_bad_arguments_are_jamlik_errors(spark: Any, microdata: pd.DataFrame) -> None:
    from jamlik import spark as js

    sdf = spark.createDataFrame(microdata.head(50))
    with pytest.raises(jamlik.ColumnError, match="incme"):
        js.concentration_index(sdf, "health", "incme")
    with pytest.raises(jamlik.InvalidArgumentError, match="partitions"):
        js.concentration_index(sdf, "health", "income", partitions=0)
    with pytest.raises(jamlik.InvalidArgumentError, match="kind"):
        js.concentration_index(sdf, "health", "income", kind="wagstaff")
    with pytest.raises(jamlik.InvalidArgumentError, match="DataFrame"):
        js.concentration_index(microdata, "health", "income")


def test_heat_summary_equals_one_machine(spark: Any) -> None:
    from jamlik import spark as js

    frame = heat.example()
    frame = pd.concat([frame.assign(setting="A"), frame.assign(setting="B", estimate=frame.estimate * 1.1)])
    sdf = spark.createDataFrame(frame).repartition(3)
    keys = ["setting", "dimension", "measure", "level"]
    got = js.heat_summary(sdf, by=["setting", "dimension"]).toPandas().sort_values(keys)
    # Sorted as text on both sides (heat.summary's measure is a Categorical in MEASURES order).
    want = heat.summary(frame, by=["setting", "dimension"]).astype({"measure": str}).sort_values(keys)
    assert len(got) == len(want)
    np.testing.assert_allclose(got.value.to_numpy(float), want.value.to_numpy(float), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(got.se.to_numpy(float), want.se.to_numpy(float), rtol=1e-12, equal_nan=True)
    assert list(got.measure) == [str(m) for m in want.measure]


def test_indicator_statistics_equal_one_machine(spark: Any) -> None:
    from jamlik import spark as js

    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "area": rng.choice(["a", "b", "c"], 300),
            "count": rng.integers(0, 30, 300).astype(float),
            "population": rng.integers(100, 500, 300).astype(float),
        }
    )
    sdf = spark.createDataFrame(df).repartition(4)
    for name, mult in (("proportion", 100.0), ("rate", 1000.0)):
        got = getattr(js, name)(sdf, "count", "population", by="area", multiplier=mult).toPandas().sort_values("area")
        want = getattr(indicators, name)("count", "population", by="area", data=df, multiplier=mult).sort_values("area")
        for col in ("value", "lower", "upper", "count", "population"):
            np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float), rtol=1e-12)
    got = js.mean(sdf, "count", by="area").toPandas().sort_values("area")
    want = indicators.mean("count", by="area", data=df).sort_values("area")
    np.testing.assert_allclose(got.value.to_numpy(float), want.value.to_numpy(float), rtol=1e-12)
    np.testing.assert_allclose(got.lower.to_numpy(float), want.lower.to_numpy(float), rtol=1e-12)
