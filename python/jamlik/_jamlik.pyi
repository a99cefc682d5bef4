# Hand-written stub of the native module jamlik._jamlik, checked by
# `python -m mypy.stubtest jamlik._jamlik` in `make test`.
# Each area keeps its functions in its own section below.

import numpy as np
import numpy.typing as npt

__version__: str

class JamlikError(ValueError): ...
class ShapeError(JamlikError): ...
class MissingValueError(JamlikError): ...
class DomainError(JamlikError): ...
class ConfidenceLevelError(JamlikError): ...
class TooFewError(JamlikError): ...
class DegenerateError(JamlikError): ...
class InvalidArgumentError(JamlikError): ...
class ParseError(JamlikError): ...
class DataSourceError(JamlikError): ...

def fractional_rank(
    keys: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64] | None = None,
    ties: str = "midpoint",
) -> npt.NDArray[np.float64]: ...

# ---- heat (grouped HEAT measures) ----


# ---- end heat ----

# ---- microdata (concentration indices, inequality indices) ----


# ---- end microdata ----

# ---- indicators (indicator statistics) ----


# ---- end indicators ----

# ---- goals (catalogue, Kolada, dataset, progress) ----
from typing import Any

def catalogue_json() -> str: ...
def load_catalogue(text: str, base: str | None = None, mode: str = "override") -> str: ...
def geography_columns() -> dict[str, Any]: ...
def demo_columns(seed: int = 20_171_219, first_year: int = 2010, last_year: int = 2023) -> dict[str, Any]: ...
def assess_series(
    years: npt.NDArray[np.float64],
    values: npt.NDArray[np.float64],
    direction: str,
    method: str = "eurostat",
    term: str = "short",
    target_value: float | None = None,
    target_year: int | None = None,
    baseline_year: int | None = None,
    at: int | None = None,
) -> str: ...
def assess_goal_series(
    years: npt.NDArray[np.float64],
    values: npt.NDArray[np.float64],
    goal_id: str,
    kpi: str | None = None,
    catalogue: str | None = None,
    at: int | None = None,
) -> str: ...
def gap_closure(
    years: npt.NDArray[np.float64],
    gaps: npt.NDArray[np.float64],
    generation_years: float = 25.0,
    level: float = 0.95,
) -> str: ...
def follow_up(
    kpi: list[str],
    area: list[str],
    period: npt.NDArray[np.float64],
    gender: list[str],
    value: npt.NDArray[np.float64],
    municipality: str,
    catalogue: str | None = None,
    at: int | None = None,
) -> str: ...
def compare_area(
    kpi: list[str],
    area: list[str],
    period: npt.NDArray[np.float64],
    gender: list[str],
    value: npt.NDArray[np.float64],
    target_kpi: str,
    municipality: str,
    year: int,
    sex: str = "T",
) -> str: ...
def women_vs_men(
    kpi: list[str],
    area: list[str],
    period: npt.NDArray[np.float64],
    gender: list[str],
    value: npt.NDArray[np.float64],
    indicator_kpi: str,
    municipality: str,
    year: int,
    catalogue: str | None = None,
) -> str | None: ...


# ---- end goals ----
