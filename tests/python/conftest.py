"""Shared pytest fixtures: paths to the reference vectors."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


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
    """The fuzz's call count and CPU time (tests/python/test_fuzz.py), when it ran."""
    for module in list(sys.modules.values()):
        calls = getattr(module, "CALLS", None)
        if module.__name__.endswith("test_fuzz") and calls and calls.get("n"):
            terminalreporter.write_line(module.summary())
