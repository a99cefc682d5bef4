"""Small inputs shared by the report tests: a Kolada long-format file cut from the demo for one
county, with names that contain markup, and a catalogue whose indicator title does too; and
`empty_charts`, for renders that check text rather than charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jamlik
import pytest

#: A name a browser would execute or mangle if the report did not escape it.
MARKUP = "<script>alert(1)</script> & <b>Co</b>"
MUNICIPALITY = "1984"


def small_data(path: Path, municipality: str = MUNICIPALITY, *, counts: bool = False) -> Path:
    """The municipality's county, region and similar municipalities and the nation from the
    demo, written as a Kolada-style CSV (``municipality, period, gender``) with a display name
    column ``municipality_name`` that holds markup for the municipality. With ``counts`` the
    file keeps the demo's ``count, population, se, lower, upper``; without, only values."""
    geo = jamlik.datasets.geography()
    me = geo[geo["area"] == municipality].iloc[0]
    county = str(me["county_code"])
    keep = set(geo[geo["county_code"] == county]["area"]) | {"0000", "00" + county} | set(me["similar_areas"].split(";"))
    demo = jamlik.datasets.demo()
    d = demo[demo["area"].isin(keep) & (demo["year"] >= 2012)].copy()
    names = dict(zip(geo["area"], geo["name"]))
    names[municipality] = MARKUP
    d["municipality_name"] = d["area"].map(names)
    d = d.rename(columns={"area": "municipality", "year": "period", "sex": "gender"})
    extra = ["n", "status"] if counts else ["count", "population", "se", "lower", "upper", "n", "status"]
    d.drop(columns=[c for c in extra if c in d.columns]).to_csv(path, index=False)
    return path


def markup_catalogue(path: Path) -> Path:
    """The shipped goal G2 with its indicator titled :data:`MARKUP` (Swedish and English)."""
    shipped = jamlik.goals.load_catalogue({"name": "x", "goals": []}, base="shipped")
    goal = next(g for g in shipped.data["goals"] if g["id"] == "G2")
    goal["indicators"][0]["title"] = MARKUP
    goal["indicators"][0]["title_en"] = MARKUP
    path.write_text(json.dumps({"name": "markup test", "goals": [goal]}), encoding="utf-8")
    return path


def empty_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report figure becomes an empty SVG naming its chart: a render then checks text,
    numbers and arguments in a fraction of the time (a report draws about 50 charts). The
    charts are tested in test_plot.py, one full render in test_report_html.py and
    test_report_chromium.py."""
    from jamlik.report import charts, sections

    def empty(name: str, caption: str, *args: Any, **kwargs: Any) -> charts.Figure:
        return charts.Figure(caption, svg=f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="{name}"></svg>')

    monkeypatch.setattr(sections, "draw", empty)
