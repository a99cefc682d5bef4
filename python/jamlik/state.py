"""Mergeable states: the exact two-pass concentration index and Gini over rows
spread across machines (the building blocks of :mod:`jamlik.spark`).

A ranking needs every row's place among all rows, so the rows are
range-partitioned by ``rank_by`` (split at values, so a tie never straddles two
ranges). Pass 1: one :class:`ConcentrationTotals` per range;
:func:`concentration_plan` turns them, in ascending range order, into one
:class:`RankOffset` per range. Pass 2: one :class:`ConcentrationSums` per range
with its offset; merge them in any order and ``finish()`` gives exactly what
:func:`jamlik.concentration_index` gives on one machine (iid design). Every
state has ``to_bytes()`` / ``from_bytes()`` to travel between workers.

>>> import numpy as np
>>> from jamlik.state import ConcentrationSums, ConcentrationTotals, concentration_plan
>>> h, x = np.array([1.0, 2.0, 3.0, 4.0]), np.array([10.0, 20.0, 30.0, 40.0])
>>> low, high = x <= 20, x > 20
>>> plan = concentration_plan([ConcentrationTotals(h[low], x[low]), ConcentrationTotals(h[high], x[high])])
>>> sums = ConcentrationSums(h[high], x[high], None, plan[1])
>>> sums.merge(ConcentrationSums(h[low], x[low], None, plan[0]))
>>> round(sums.finish(se="none").value, 6)
0.25
"""

from __future__ import annotations

from jamlik._jamlik import ConcentrationSums, ConcentrationTotals, RankOffset, concentration_plan

__all__ = ["ConcentrationSums", "ConcentrationTotals", "RankOffset", "concentration_plan"]
