"""Shared pytest fixtures: paths to the reference vectors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report `make demo` writes (the CLI's defaults: Arboga, English, the demo data), rendered
    once per session (per xdist worker) (about 20 s of CPU, charts and all): test_report_html.py reads its text,
    test_report_chromium.py loads it in the browser."""
    from jamlik.__main__ import main

    out = tmp_path_factory.mktemp("demo-report") / "demo-report.html"
    assert main(["report", "--out", str(out)]) == 0
    return out


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with a message when it is absent.

    With ``JAMLIK_REQUIRE_SHARED=1`` (set by ``.ci/run``, where ../shared is always
    beside the clone) an absent file fails the test instead of skipping it.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("JAMLIK_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} is absent and JAMLIK_REQUIRE_SHARED=1: ../shared must be beside this checkout")
        pytest.skip(f"{path} is absent (the ../shared reference folder is not beside this checkout)")
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fuzz's call count and CPU time (tests/python/test_fuzz.py), when it ran; read from
    the test report's properties, so it also arrives from an xdist worker."""
    for report in terminalreporter.stats.get("passed", []):
        for key, value in getattr(report, "user_properties", []):
            if key == "fuzz_summary":
                terminalreporter.write_line(str(value))
