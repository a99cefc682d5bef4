"""jamlik: follow health goals and measure health equity.

Rust core with Python bindings. Main entry points:

- :mod:`jamlik.heat` — WHO HEAT's 21 grouped summary measures, ``jamlik.heat.summary(frame)``.
- :func:`concentration_index`, :func:`gini`, :func:`theil`, :func:`mld`,
  :func:`generalized_entropy`, :func:`atkinson` — microdata inequality measures.
- :mod:`jamlik.indicators` — proportions, rates, DSR/ISR, life expectancy, funnels.
- :mod:`jamlik.goals`, :mod:`jamlik.kolada`, :mod:`jamlik.datasets` — Strategi för hälsa follow-up.

Every error is a :class:`JamlikError` (a ``ValueError``) subclass naming the argument.
"""

from jamlik._jamlik import (
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

__all__ = [
    "ColumnError",
    "ConfidenceLevelError",
    "DataSourceError",
    "DegenerateError",
    "DomainError",
    "Estimate",
    "InvalidArgumentError",
    "JamlikError",
    "MissingValueError",
    "ParseError",
    "ShapeError",
    "TooFewError",
    "__version__",
    "table",
]

from jamlik import indicators  # noqa: E402

__all__ += ["indicators"]
from jamlik import kolada  # noqa: E402

__all__ += ["kolada"]
from jamlik import datasets, goals, report  # noqa: E402

__all__ += ["datasets", "goals", "report"]
from jamlik import heat  # noqa: E402  (WHO HEAT grouped measures: jamlik.heat.summary, jamlik.heat.sii, ...)

__all__ += ["heat"]
from jamlik import microdata
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

__all__ += [
    "atkinson",
    "compare_concentration",
    "concentration_curve",
    "concentration_index",
    "decompose_concentration_index",
    "generalized_entropy",
    "gini",
    "hoover",
    "kakwani",
    "microdata",
    "mld",
    "mld_decomposition",
    "palma",
    "quantile_share_ratio",
    "theil",
    "theil_decomposition",
]
