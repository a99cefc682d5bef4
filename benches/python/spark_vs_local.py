"""Spark local[2] against one machine on the same rows: the weighted concentration index
with its linearized SE (exact two-pass on Spark), and the HEAT-style grouped proportion.

Run:  .venv/bin/python benches/python/spark_vs_local.py [--n 10000000] [--partitions 8] [--repeats 1]

The rows are generated once and written to a Parquet file that both sides read, so the
Spark timing covers what a cluster job pays (reading, the quantile job, both passes, the
driver's merge) and the one-machine timing covers reading the same file with pyarrow plus
`jamlik.concentration_index`. The Spark session is started (and warmed on a tiny frame)
before the clock starts. Both results are compared (relative difference of value and SE).
Writes benches/python/results/spark_vs_local.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def make_rows(n: int, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(2026)
    table = pa.table(
        {
            "health": rng.gamma(2.0, 1.5, n),
            "income": np.round(rng.lognormal(10, 0.6, n), -2),
            "weight": rng.uniform(0.5, 3.0, n),
        }
    )
    pq.write_table(table, path)


def local(path: Path) -> tuple[float, object]:
    import jamlik
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    t = pq.read_table(path)
    r = jamlik.concentration_index(t["health"].to_numpy(), t["income"].to_numpy(), t["weight"].to_numpy())
    return time.perf_counter() - t0, r


def session() -> object:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    s = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "4g")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    return s


def on_spark(spark: object, path: Path, partitions: int) -> tuple[float, object]:
    import jamlik.spark as js

    t0 = time.perf_counter()
    df = spark.read.parquet(str(path))  # type: ignore[attr-defined]
    row = js.concentration_index(df, "health", "income", "weight", partitions=partitions).collect()[0]
    return time.perf_counter() - t0, row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="jamlik-spark-bench-") as tmp:
        path = Path(tmp) / "rows.parquet"
        make_rows(args.n, path)
        spark = session()
        import jamlik.spark as js

        warm = spark.createDataFrame([(1.0, 1.0), (2.0, 2.0), (3.0, 4.0)], ["h", "x"])  # type: ignore[attr-defined]
        js.concentration_index(warm, "h", "x", partitions=2)
        t_local, r_local = min((local(path) for _ in range(args.repeats)), key=lambda p: p[0])
        t_spark, r_spark = min((on_spark(spark, path, args.partitions) for _ in range(args.repeats)),
                               key=lambda p: p[0])
        spark.stop()  # type: ignore[attr-defined]
    dv = abs(r_spark["value"] - r_local.value) / abs(r_local.value)  # type: ignore[index, attr-defined]
    ds = abs(r_spark["se"] - r_local.se) / r_local.se  # type: ignore[index, attr-defined]
    load = os.getloadavg()[0]
    lines = [
        "# Spark local[2] vs one machine: weighted concentration index + linearized SE",
        "",
        f"{args.n:,} rows (Parquet), {args.partitions} range partitions, best of {args.repeats}; "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end.",
        "",
        "| run | seconds | rows/s |",
        "|---|---|---|",
        f"| one machine (pyarrow read + jamlik.concentration_index) | {t_local:.2f} | {args.n / t_local:,.0f} |",
        f"| Spark local[2] (jamlik.spark.concentration_index, two-pass) | {t_spark:.2f} | {args.n / t_spark:,.0f} |",
        "",
        f"Overhead of Spark: {t_spark / t_local:.1f}× the one-machine time. "
        f"Agreement: value {dv:.1e} relative ({dv * abs(r_local.value):.1e} absolute; "  # type: ignore[attr-defined]
        f"the index is {r_local.value:.3g}), SE {ds:.1e} relative.",  # type: ignore[attr-defined]
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = HERE / "results" / "spark_vs_local.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
