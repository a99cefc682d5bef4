"""docs/api.md stays true: every public argument and every column of the frames jamlik
returns is a name that page lists, and no retired name comes back."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import jamlik
import numpy as np
import pytest
from jamlik import datasets, goals, heat, indicators, kolada, microdata, plot, report

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"
MODULES = [jamlik, heat, microdata, indicators, goals, report, kolada, datasets, plot]


def _sections() -> dict[str, str]:
    text = API_MD.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    return {p.split("\n", 1)[0].strip(): p for p in parts[1:]}


def listed_names() -> set[str]:
    """Backticked names in the first column of every table of docs/api.md."""
    names: set[str] = set()
    for line in API_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            first = line.split("|")[1]
            names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", first))
    return names


def retired_names() -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", _sections()["Retired names"]))


def public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for module in MODULES:
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if isinstance(obj, type) or not callable(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            yield f"{module.__name__}.{name}", obj


def parameters(f: Callable[..., Any]) -> list[str]:
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in sig.parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


def test_the_page_lists_the_roles_and_retires_the_old_names() -> None:
    listed = listed_names()
    for role in ("value", "se", "lower", "upper", "level", "method", "note", "weights", "count", "population",
                 "sex", "municipality", "area", "year", "by", "draws", "seed", "missing", "backend"):
        assert role in listed, role
    assert {"gender", "latest", "period"} <= retired_names()
    assert not (listed & retired_names()), listed & retired_names()


def test_every_public_argument_is_listed() -> None:
    listed, retired = listed_names(), retired_names()
    functions = list(public_functions())
    assert len(functions) > 60, len(functions)
    unlisted = sorted(
        f"{qual}({p})" for qual, f in functions for p in parameters(f) if p not in listed or p in retired
    )
    assert not unlisted, "names missing from docs/api.md (or retired): " + ", ".join(unlisted)


def _frames() -> Iterator[tuple[str, Any]]:
    """Every kind of frame jamlik returns, from the shipped (synthetic) data."""
    demo = datasets.demo()
    yield "datasets.demo", demo
    yield "datasets.demo_population", datasets.demo_population()
    yield "datasets.geography", datasets.geography()
    yield "datasets.kolada_sample", datasets.kolada_sample()
    yield "goals.catalogue", goals.catalogue()
    yield "heat.example", heat.example()
    yield "heat.summary", heat.summary(heat.example(), by="dimension")
    yield "report.follow_up", report.follow_up("Arboga")
    yield "report.gaps", report.gaps("Arboga")
    yield "indicators.proportion", indicators.proportion([12, 40], [150, 300], level=(0.95, 0.998))
    yield "indicators.rate", indicators.rate([12, 40], [15000, 30000])
    yield "jamlik.table", jamlik.table({"gini": jamlik.gini(np.arange(1.0, 50.0))})


@pytest.mark.parametrize("name, frame", list(_frames()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_returned_column_is_listed(name: str, frame: Any) -> None:
    from jamlik._frames import to_pandas

    listed, retired = listed_names(), retired_names()
    frame = getattr(frame, "frame", frame)
    columns = [str(c) for c in to_pandas(frame).columns]
    bad = [c for c in columns if c not in listed or c in retired]
    assert not bad, f"{name}: columns missing from docs/api.md (or retired): {bad}"
