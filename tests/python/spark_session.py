"""The one local[2] Spark session of the test suite (jamlik.spark), started on first use.

Quiet, bound to loopback, workers on this interpreter. Skips when pyspark or Java is
missing, except under CI=true or JAMLIK_REQUIRE_SPARK=1, where that fails.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
from typing import Any

import pytest

REQUIRED = os.environ.get("CI", "").lower() == "true" or os.environ.get("JAMLIK_REQUIRE_SPARK") == "1"


def unavailable_reason() -> str | None:
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "java is not installed"
    return None


def spark_session() -> Any:
    """The shared session; skips (or fails under CI) when Spark cannot run."""
    reason = unavailable_reason()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"{reason} and CI=true (or JAMLIK_REQUIRE_SPARK=1): `make test` installs both")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("jamlik-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    atexit.register(session.stop)
    return session


def spark_frame(frame: Any) -> Any:
    """``frame`` (pandas) as a Spark DataFrame of the shared session; the pandas frame itself when
    Spark cannot run here (a valid call then fails naming what is missing, and CI=true has both)."""
    if unavailable_reason() is not None:
        return frame
    return spark_session().createDataFrame(frame)
