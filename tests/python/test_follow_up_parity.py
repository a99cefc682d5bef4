"""Rust parity: `examples/follow_up.rs` (plain Rust, public API only) prints the same
follow-up and gaps tables as `jamlik.report.follow_up` / `jamlik.report.gaps`."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import jamlik
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _rust_csv(municipality: str, what: str) -> pd.DataFrame:
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not installed: the Rust example cannot run")
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--example", "follow_up", "--", municipality, what],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert out.returncode == 0, out.stderr
    return pd.read_csv(io.StringIO(out.stdout), keep_default_na=False, na_values={"": ""},
                       dtype=str)


def _same(rust: pd.DataFrame, py: pd.DataFrame) -> None:
    assert list(rust.columns) == list(py.columns)
    assert len(rust) == len(py) > 0
    for name in py.columns:
        col = py[name]
        r = rust[name]
        if pd.api.types.is_float_dtype(col.dtype) or str(col.dtype) == "Int64":
            want = col.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
            got = pd.to_numeric(r.replace("", np.nan)).to_numpy(dtype=np.float64)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=name)
        else:
            want = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in col]
            assert r.fillna("").tolist() == want, name


@pytest.mark.parametrize("municipality", ["1984", "Stockholm"])
def test_rust_example_matches_python_frames(municipality: str) -> None:
    _same(_rust_csv(municipality, "follow_up"), jamlik.report.follow_up(municipality, detail=True))
    _same(_rust_csv(municipality, "gaps"), jamlik.report.gaps(municipality))


def test_rust_example_rejects_an_unknown_municipality() -> None:
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not installed")
    out = subprocess.run(["cargo", "run", "--quiet", "--example", "follow_up", "--", "Atlantis"],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert out.returncode == 2 and "Atlantis" in out.stderr
