"""Shared pytest fixtures: paths to the reference vectors."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with a message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the ../shared reference folder is not beside this checkout)")
    return path
