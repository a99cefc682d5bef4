"""The report's charts: one call of :mod:`jamlik.plot` each, returned as inline SVG text.

A chart that cannot be drawn for these data (too few areas, no similar group, ...) becomes a
short note in the report instead of stopping it: the report is still worth reading without
that one figure, and the note says why it is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from jamlik._jamlik import JamlikError


@dataclass
class Figure:
    """One figure: its SVG text, or why there is none."""

    caption: str
    svg: Optional[str] = None
    missing: Optional[str] = None


def draw(name: str, caption: str, *args: Any, **kwargs: Any) -> Figure:
    """``jamlik.plot.<name>(*args, **kwargs)`` as SVG; a JamlikError becomes ``missing``."""
    import matplotlib.pyplot as plt

    from jamlik import plot

    chart = getattr(plot, name)
    try:
        ax = chart(*args, **kwargs)
        svg = plot.to_svg(ax)
    except JamlikError as e:
        plt.close("all")
        return Figure(caption, missing=str(e))
    plt.close(ax.figure)
    return Figure(caption, svg=_strip(svg))


def _strip(svg: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or DOCTYPE, which are invalid inside HTML)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
