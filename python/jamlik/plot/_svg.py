"""Charts as inline SVG for the HTML report: glyphs drawn as paths (no font to fetch), no
script, no metadata and no namespace URLs, so the page requests nothing."""

from __future__ import annotations

import io
import re
from typing import Any

from jamlik import _jamlik
from jamlik.plot import _style

#: A fixed salt so the same chart gives the same SVG (stable ids, reproducible reports).
HASH_SALT = "jamlik"


def to_svg(ax_or_figure: Any) -> str:
    """The figure of an Axes (or a Figure) as ``<svg>`` text to inline in HTML."""
    _style.pyplot()
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    fig: Any
    if isinstance(ax_or_figure, Axes):
        fig = ax_or_figure.figure
        while not isinstance(fig, Figure):  # an Axes of a subfigure: its root figure
            fig = fig.figure
    elif isinstance(ax_or_figure, Figure):
        fig = ax_or_figure
    else:
        raise _jamlik.InvalidArgumentError(
            f"`ax_or_figure`: expected a matplotlib Axes or Figure, got {type(ax_or_figure).__name__}"
        )
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": HASH_SALT, "svg.image_inline": True}):
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05,
                    metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE (it names a DTD by URL)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    return svg.replace("xlink:href=", "href=")
