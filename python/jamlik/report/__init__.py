"""The municipality report: the goal follow-up as frames, terminal text and one HTML page.

- :func:`follow_up` / :func:`gaps` — one municipality's follow-up and its health gaps as
  frames (computed in the Rust core); :func:`format_follow_up` / :func:`format_gaps` render
  them for a terminal (``python -m jamlik demo``).
- :func:`to_html` — the whole municipality report as one self-contained HTML page (summary,
  the three goal areas, equity across the county, small-numbers notes, source and methods),
  charts inline as SVG; ``python -m jamlik report`` writes it (see ``docs/report.md``).
  Needs the extra ``jamlik[report]`` (jinja2, matplotlib, tqdm).
- :func:`read_data` — a Kolada long-format CSV or Parquet file (jamlik's or Kolada's own column
  names) as the long frame the report and the follow-up read.
"""

from __future__ import annotations

from jamlik.report._follow_up import follow_up, format_follow_up, format_gaps, gaps
from jamlik.report.data import read_data
from jamlik.report.html import to_html

__all__ = ["follow_up", "format_follow_up", "format_gaps", "gaps", "read_data", "to_html"]
