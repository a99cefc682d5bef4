"""Charts on jamlik's own frames (matplotlib, the optional extra ``pip install 'jamlik[plot]'``).

``import jamlik.plot`` needs no matplotlib; calling a chart without it raises
:class:`jamlik.MissingExtraError` naming the extra. Every chart takes its data first, every
option by keyword, ``ax=`` (a new figure when None) and ``lang="en" | "sv"``, and returns the
matplotlib Axes. Colours are the Okabe-Ito colour-blind-safe palette (:data:`PALETTE`);
charts of the synthetic demo say SYNTHETIC DATA, charts of Kolada's data credit Kolada.
See ``docs/plot.md``.
"""

from __future__ import annotations

from jamlik.plot._compare import compare_areas
from jamlik.plot._equity import concentration_curve, equiplot, summary_trend
from jamlik.plot._funnel import funnel
from jamlik.plot._overview import overview
from jamlik.plot._spine import spine
from jamlik.plot._style import PALETTE, PROGRESS_COLOURS, SIGNIFICANCE_COLOURS
from jamlik.plot._svg import to_svg
from jamlik.plot._trend import trend, women_vs_men

# The map engineer's choropleth (extra jamlik[maps]) is imported here:
# from jamlik.plot._map import choropleth

__all__ = [
    "PALETTE",
    "PROGRESS_COLOURS",
    "SIGNIFICANCE_COLOURS",
    "compare_areas",
    "concentration_curve",
    "equiplot",
    "funnel",
    "overview",
    "spine",
    "summary_trend",
    "to_svg",
    "trend",
    "women_vs_men",
]
