"""jamlik: follow health goals and measure health equity.

Rust core with Python bindings. Main entry points:

- :mod:`jamlik.heat` — WHO HEAT's 21 grouped summary measures, ``jamlik.heat.summary(frame)``.
- :func:`concentration_index`, :func:`gini`, :func:`theil`, :func:`mld`,
  :func:`generalized_entropy`, :func:`atkinson`, :func:`palma` — microdata inequality
  measures, each with a design-based SE.
- :mod:`jamlik.indicators` — proportions, rates, DSR/ISR, life expectancy, healthy life years, funnels.
- :mod:`jamlik.goals`, :mod:`jamlik.report`, :mod:`jamlik.kolada`, :mod:`jamlik.datasets` —
  Strategi för hälsa follow-up.
- :mod:`jamlik.plot` — charts (the optional extra ``jamlik[plot]``).

Every result of one estimate is an :class:`Estimate`; :func:`table` stacks many into one
frame. Every error is a :class:`JamlikError` (a ``ValueError``) subclass naming the argument.
The names of arguments and columns are listed once in ``docs/api.md``.
"""

from jamlik import datasets, goals, heat, indicators, kolada, microdata, plot, report
from jamlik._extras import MissingExtraError
from jamlik._jamlik import (
    DEFAULT_SEED,
    ColumnError,
    ConfidenceLevelError,
    DataSourceError,
    DegenerateError,
    DomainError,
    InvalidArgumentError,
    JamlikError,
    MissingValueError,
    ParseError,
    ShapeError,
    TooFewError,
    __version__,
)
from jamlik._results import Estimate, table
from jamlik.microdata import (
    atkinson,
    compare_concentration,
    concentration_curve,
    concentration_index,
    decompose_concentration_index,
    generalized_entropy,
    gini,
    hoover,
    kakwani,
    mld,
    mld_decomposition,
    palma,
    quantile_share_ratio,
    theil,
    theil_decomposition,
)

__all__ = [
    "DEFAULT_SEED",
    "ColumnError",
    "ConfidenceLevelError",
    "DataSourceError",
    "DegenerateError",
    "DomainError",
    "Estimate",
    "InvalidArgumentError",
    "JamlikError",
    "MissingExtraError",
    "MissingValueError",
    "ParseError",
    "ShapeError",
    "TooFewError",
    "__version__",
    "atkinson",
    "compare_concentration",
    "concentration_curve",
    "concentration_index",
    "datasets",
    "decompose_concentration_index",
    "generalized_entropy",
    "gini",
    "goals",
    "heat",
    "hoover",
    "indicators",
    "kakwani",
    "kolada",
    "microdata",
    "mld",
    "mld_decomposition",
    "palma",
    "plot",
    "quantile_share_ratio",
    "report",
    "table",
    "theil",
    "theil_decomposition",
]
