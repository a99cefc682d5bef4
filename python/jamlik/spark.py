"""jamlik on PySpark DataFrames (extra ``jamlik[spark]``: pyspark and pyarrow).

Every function takes a Spark DataFrame and returns one, with jamlik's result
columns (``by`` columns first). The work runs on the executors in grouped Arrow
UDFs (``applyInPandas``) that call the same native code as one machine, so the
results equal the single-machine functions':

- :func:`heat_summary`, :func:`proportion`, :func:`rate`, :func:`mean`: each
  group's rows are brought together by Spark and computed by
  :func:`jamlik.heat.summary` / :mod:`jamlik.indicators`.
- :func:`concentration_index` and :func:`gini`: the exact two-pass method of
  :mod:`jamlik.state` — rows are range-partitioned by ``rank_by`` (split
  values from approximate quantiles; a split is a value, so a tie stays in one
  range), pass 1 sums each range's weight, the driver turns those into rank
  offsets, pass 2 sorts each range and sums the index's and the linearized
  SE's terms with global ranks, and the driver merges the sums. A group of
  ``by`` may span any number of ranges and partitions; no executor needs more
  than one range of one group in memory.

``import jamlik.spark`` works without pyspark; calling a function without it
raises :class:`jamlik.MissingExtraError` naming the extra. See docs/spark.md for
running on a cluster (the workers need the jamlik wheel and pyarrow).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._extras import require

__all__ = ["concentration_index", "gini", "heat_summary", "mean", "proportion", "rate"]

By = Union[str, Sequence[str], None]

#: Result columns of an estimate row (after the ``by`` columns).
_ESTIMATE_FIELDS = (
    ("value", "double"),
    ("se", "double"),
    ("lower", "double"),
    ("upper", "double"),
    ("level", "double"),
    ("n", "long"),
    ("method", "string"),
    ("note", "string"),
)


def _spark() -> Any:
    require("pyarrow", extra="spark")
    return require("pyspark.sql", extra="spark")


def _by_list(by: By) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _check_frame(frame: Any, columns: Sequence[Optional[str]], argument: str = "frame") -> None:
    sql = _spark()
    if not isinstance(frame, sql.DataFrame):
        raise _jamlik.InvalidArgumentError(
            f"`{argument}`: expected a pyspark.sql.DataFrame, got {type(frame).__name__}; "
            "for pandas, polars or pyarrow frames use the functions of jamlik itself"
        )
    have = list(frame.columns)
    for name in columns:
        if name is not None and name not in have:
            raise _jamlik.ColumnError(
                f"`{argument}` has no column {name!r}. It has {', '.join(repr(c) for c in have)}."
            )


def _schema(frame: Any, by: list[str], fields: Sequence[tuple[str, str]]) -> Any:
    types = require("pyspark.sql.types", extra="spark")
    by_fields = [frame.schema[b] for b in by]
    mapping = {"double": types.DoubleType(), "long": types.LongType(), "string": types.StringType()}
    return types.StructType(
        [types.StructField(f.name, f.dataType, True) for f in by_fields]
        + [types.StructField(name, mapping[kind], True) for name, kind in fields]
    )


def _check(level: Any, missing: str) -> None:
    """Checks ``level`` and ``missing`` at once, before Spark runs anything (results are lazy)."""
    from jamlik.heat import _levels

    _jamlik.check_levels(_levels(level))
    _jamlik.check_missing(missing)


def _grouped(frame: Any, by: list[str], compute: Callable[[Any], Any], fields: Sequence[tuple[str, str]]) -> Any:
    """Runs ``compute(pandas_frame) -> pandas_frame`` on every group of ``by`` in
    a grouped Arrow UDF and returns a Spark frame with ``by`` + ``fields``."""
    schema = _schema(frame, by, fields)
    names = [*by, *(name for name, _ in fields)]

    def run(pdf: Any) -> Any:
        import pandas as pd

        out = compute(pdf)
        out = pd.DataFrame(out) if not isinstance(out, pd.DataFrame) else out
        for b in by:
            if b not in out.columns:
                out[b] = pdf[b].iloc[0] if len(pdf) else None
        for name, kind in fields:
            col = out[name]
            if kind == "string":
                out[name] = col.astype(object).where(col.notna(), None)
            elif kind == "long":
                out[name] = col.astype("int64")
            else:
                out[name] = col.astype("float64")
        return out[names]

    grouped = frame.groupBy(*by) if by else frame.groupBy()
    return grouped.applyInPandas(run, schema)


def heat_summary(
    frame: Any,
    *,
    by: By = None,
    level: Union[float, Sequence[float]] = 0.95,
    seed: int = _jamlik.DEFAULT_SEED,
    draws: int = 100,
    compat: Optional[str] = None,
    missing: str = "error",
) -> Any:
    """Every applicable HEAT measure of every case (group of ``by``), as :func:`jamlik.heat.summary`.

    ``frame`` has one row per subgroup with HEAT's column names. Returns a Spark
    DataFrame with the ``by`` columns, ``measure``, ``value``, ``se``, ``lower``,
    ``upper``, ``level``, ``method``, ``note``, ``n``.
    """
    from jamlik import heat

    _check(level, missing)
    by_cols = _by_list(by)
    _check_frame(frame, [*by_cols, "estimate"])
    levels = level

    def compute(pdf: Any) -> Any:
        return heat.summary(pdf.drop(columns=by_cols), level=levels, seed=seed, draws=draws, compat=compat,
                            missing=missing)

    fields = [("measure", "string"), *(f for f in _ESTIMATE_FIELDS if f[0] != "n"), ("n", "long")]
    return _grouped(frame, by_cols, compute, fields)


def _counts(kind: str, frame: Any, count: str, population: str, by: By, level: Any, multiplier: float,
            missing: str) -> Any:
    from jamlik import indicators

    _check(level, missing)
    by_cols = _by_list(by)
    _check_frame(frame, [count, population, *by_cols])
    fn = indicators.proportion if kind == "proportion" else indicators.rate

    def compute(pdf: Any) -> Any:
        return fn(count, population, level=level, multiplier=multiplier, by=by_cols or None, data=pdf,
                  missing=missing)

    fields = [("value", "double"), ("lower", "double"), ("upper", "double"), ("level", "double"),
              ("count", "double"), ("population", "double"), ("method", "string"), ("note", "string")]
    return _grouped(frame, by_cols, compute, fields)


def proportion(
    frame: Any,
    count: str,
    population: str,
    *,
    by: By = None,
    level: Union[float, Sequence[float]] = 0.95,
    multiplier: float = 1,
    missing: str = "error",
) -> Any:
    """Proportions per group of ``by`` with Wilson limits, as :func:`jamlik.indicators.proportion`.

    ``count`` and ``population`` are column names; they are summed within each
    group. Columns: ``[by..., value, lower, upper, level, count, population, method, note]``.
    """
    return _counts("proportion", frame, count, population, by, level, multiplier, missing)


def rate(
    frame: Any,
    count: str,
    population: str,
    *,
    by: By = None,
    level: Union[float, Sequence[float]] = 0.95,
    multiplier: float = 100_000,
    missing: str = "error",
) -> Any:
    """Crude rates per group of ``by`` (exact/Byars limits), as :func:`jamlik.indicators.rate`."""
    return _counts("rate", frame, count, population, by, level, multiplier, missing)


def mean(
    frame: Any,
    values: str,
    *,
    by: By = None,
    level: Union[float, Sequence[float]] = 0.95,
    missing: str = "error",
) -> Any:
    """Means per group of ``by`` with Student's t limits, as :func:`jamlik.indicators.mean`.

    Columns: ``[by..., value, lower, upper, level, n, sd, method, note]``.
    """
    from jamlik import indicators

    _check(level, missing)
    by_cols = _by_list(by)
    _check_frame(frame, [values, *by_cols])

    def compute(pdf: Any) -> Any:
        return indicators.mean(values, level=level, by=by_cols or None, data=pdf, missing=missing)

    fields = [("value", "double"), ("lower", "double"), ("upper", "double"), ("level", "double"),
              ("n", "long"), ("sd", "double"), ("method", "string"), ("note", "string")]
    return _grouped(frame, by_cols, compute, fields)


# ---- the exact two-pass concentration index ----------------------------------------------


def _key(value: Any) -> Any:
    """A grouping value as a plain Python value (Spark rows and Arrow UDF keys agree)."""
    return value.item() if isinstance(value, np.generic) else value


def _splits(frame: Any, rank_by: str, partitions: int) -> list[float]:
    if not isinstance(partitions, int) or isinstance(partitions, bool) or partitions < 1:
        raise _jamlik.InvalidArgumentError(
            f"`partitions`: expected a whole number >= 1 of range partitions, got {partitions!r}"
        )
    if partitions == 1:
        return []
    probs = [i / partitions for i in range(1, partitions)]
    qs = frame.approxQuantile(rank_by, probs, 0.001)
    return sorted({float(q) for q in qs if q is not None and np.isfinite(q)})


def _raise_first_error(rows: list[Any], by: list[str], where: str) -> None:
    """Re-raises, on the driver, the first jamlik error a worker reported."""
    for r in rows:
        if r["_error"] is not None:
            name, _, message = r["_error"].partition("\t")
            cls = getattr(_jamlik, name, _jamlik.JamlikError)
            group = f" of group {dict((b, _key(r[b])) for b in by)}" if by else ""
            raise cls(f"{message} (in {where}{group}, range partition {r['_range']}: row numbers count within it)")


def _two_pass(frame: Any, outcome: str, rank_by: str, weights: Optional[str], by: list[str], partitions: int,
              level: float, missing: str, finish: Callable[[Any], Any]) -> Any:
    """Both passes; ``finish(ConcentrationSums) -> Estimate`` per group."""
    _check(level, missing)
    F = require("pyspark.sql.functions", extra="spark")
    types = require("pyspark.sql.types", extra="spark")
    from jamlik.state import ConcentrationSums, ConcentrationTotals, RankOffset, concentration_plan

    _check_frame(frame, [outcome, rank_by, weights, *by])
    value_cols = [c for c in dict.fromkeys([outcome, rank_by, weights]) if c is not None]
    if missing == "drop":
        frame = frame.na.drop(subset=value_cols)
    cols = [F.col(c).cast("double").alias(f"_c{i}") for i, c in enumerate(value_cols)]
    h_col, x_col = f"_c{value_cols.index(outcome)}", f"_c{value_cols.index(rank_by)}"
    w_col = f"_c{value_cols.index(weights)}" if weights is not None else None
    keyed = frame.select(*[F.col(b) for b in by], *cols)
    splits = _splits(keyed.na.drop(subset=[x_col]), x_col, partitions)
    range_expr: Any = F.lit(0)
    for s in splits:
        range_expr = range_expr + (F.col(x_col) > F.lit(s)).cast("int")
    keyed = keyed.withColumn("_range", range_expr)
    by_fields = [keyed.schema[b] for b in by]
    state_schema = types.StructType(
        [types.StructField(f.name, f.dataType, True) for f in by_fields]
        + [types.StructField("_range", types.IntegerType(), True),
           types.StructField("_state", types.BinaryType(), True),
           types.StructField("_error", types.StringType(), True)]
    )

    def arrays(pdf: Any) -> tuple[Any, Any, Any]:
        h = pdf[h_col].to_numpy(dtype=np.float64, na_value=np.nan)
        x = pdf[x_col].to_numpy(dtype=np.float64, na_value=np.nan)
        w = pdf[w_col].to_numpy(dtype=np.float64, na_value=np.nan) if w_col is not None else None
        return h, x, w

    def emit(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        import pandas as pd

        row: dict[str, list[Any]] = {b: [_key(k)] for b, k in zip(by, key[:-1])}
        row["_range"] = [int(key[-1])]
        # A jamlik error travels back as a row, so the driver raises the same class.
        try:
            row["_state"], row["_error"] = [make().to_bytes()], [None]
        except _jamlik.JamlikError as e:
            row["_state"], row["_error"] = [None], [f"{type(e).__name__}\t{e}"]
        return pd.DataFrame(row)

    def pass1(key: tuple[Any, ...], pdf: Any) -> Any:
        return emit(key, lambda: ConcentrationTotals(*arrays(pdf)))

    group_cols = [*by, "_range"]
    keyed = keyed.persist()
    try:
        first = keyed.groupBy(*group_cols).applyInPandas(pass1, state_schema).collect()
        _raise_first_error(first, by, "pass 1")
        ranges: dict[tuple[Any, ...], dict[int, Any]] = defaultdict(dict)
        for r in first:
            gkey = tuple(_key(r[b]) for b in by)
            ranges[gkey][int(r["_range"])] = ConcentrationTotals.from_bytes(bytes(r["_state"]))
        offsets: dict[tuple[Any, ...], bytes] = {}
        for gkey, parts in ranges.items():
            order = sorted(parts)
            try:
                plan = concentration_plan([parts[j] for j in order])
            except _jamlik.JamlikError as e:
                raise type(e)(f"group {dict(zip(by, gkey))}: {e}" if by else str(e)) from e
            for j, off in zip(order, plan):
                offsets[(*gkey, j)] = off.to_bytes()

        def pass2(key: tuple[Any, ...], pdf: Any) -> Any:
            k = (*(_key(v) for v in key[:-1]), int(key[-1]))
            off = RankOffset.from_bytes(offsets[k])
            h, x, w = arrays(pdf)
            return emit(key, lambda: ConcentrationSums(h, x, w, off))

        second = keyed.groupBy(*group_cols).applyInPandas(pass2, state_schema).collect()
        _raise_first_error(second, by, "pass 2")
    finally:
        keyed.unpersist()
    merged: dict[tuple[Any, ...], Any] = {}
    for r in sorted(second, key=lambda r: int(r["_range"])):
        gkey = tuple(_key(r[b]) for b in by)
        part = ConcentrationSums.from_bytes(bytes(r["_state"]))
        if gkey in merged:
            merged[gkey].merge(part)
        else:
            merged[gkey] = part
    rows = []
    for gkey, sums in merged.items():
        try:
            est = finish(sums)
        except _jamlik.JamlikError as err:
            raise type(err)(f"group {dict(zip(by, gkey))}: {err}" if by else str(err)) from err
        rows.append((*gkey, est.value, est.se, est.lower, est.upper, est.level, est.n, est.method, est.note))
    spark = frame.sparkSession
    schema = _schema(frame, by, _ESTIMATE_FIELDS)
    return spark.createDataFrame(rows, schema)


def concentration_index(
    frame: Any,
    outcome: str,
    rank_by: str,
    weights: Optional[str] = None,
    *,
    by: By = None,
    kind: str = "standard",
    se: str = "linearized",
    level: float = 0.95,
    partitions: int = 8,
    missing: str = "error",
) -> Any:
    """Exact concentration index with its linearized SE per group of ``by``, over any number of partitions.

    ``outcome``, ``rank_by`` and ``weights`` are column names of the Spark
    DataFrame ``frame``. The result equals :func:`jamlik.concentration_index`
    on the same rows (iid design, midpoint ties) to 1e-12: kinds
    ``standard`` and ``generalized``; ``se`` ``linearized`` or ``none``.
    ``partitions`` is the number of ranges of ``rank_by`` (split at
    approximate quantiles); it changes the work per task, never the result.
    ``missing="drop"`` drops rows with a missing value first.

    Returns a Spark DataFrame: the ``by`` columns, ``value``, ``se``,
    ``lower``, ``upper``, ``level``, ``n``, ``method``, ``note``; one row per group.
    """
    by_cols = _by_list(by)

    def finish(sums: Any) -> Any:
        return sums.finish(kind=kind, se=se, level=level)

    return _two_pass(frame, outcome, rank_by, weights, by_cols, partitions, level, missing, finish)


def gini(
    frame: Any,
    values: str,
    weights: Optional[str] = None,
    *,
    by: By = None,
    se: str = "linearized",
    level: float = 0.95,
    partitions: int = 8,
    missing: str = "error",
) -> Any:
    """Exact Gini coefficient with its linearized SE per group of ``by`` (two-pass, as :func:`concentration_index`).

    Equals :func:`jamlik.gini` on the same rows (iid design) to 1e-12.
    Columns as :func:`concentration_index`.
    """
    by_cols = _by_list(by)

    def finish(sums: Any) -> Any:
        return sums.finish_gini(se=se, level=level)

    return _two_pass(frame, values, values, weights, by_cols, partitions, level, missing, finish)
