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

_F = npt.NDArray[np.float64]
_I = npt.NDArray[np.int64]
_EstTuple = tuple[float, float | None, float | None, float | None, float, str]
_Result = tuple[_EstTuple, int, float]

def concentration_index(
    outcome: _F,
    rank_by: _F,
    weights: _F | None = None,
    kind: str = "standard",
    lower: float | None = None,
    upper: float | None = None,
    nu: float | None = None,
    beta: float | None = None,
    se: str = "linearized",
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    ties: str = "midpoint",
    missing: str = "error",
) -> _Result: ...
def gini(
    x: _F,
    weights: _F | None = None,
    se: str = "linearized",
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    missing: str = "error",
) -> _Result: ...
def generalized_entropy(x: _F, alpha: float, weights: _F | None = None, missing: str = "error") -> float: ...
def atkinson(x: _F, epsilon: float, weights: _F | None = None, missing: str = "error") -> float: ...
def hoover(x: _F, weights: _F | None = None, missing: str = "error") -> float: ...
def quantile_share_ratio(
    x: _F, weights: _F | None = None, upper: float = 0.8, lower: float = 0.2, missing: str = "error"
) -> float: ...
def concentration_curve(
    outcome: _F, rank_by: _F, weights: _F | None = None, missing: str = "error"
) -> tuple[_F, _F]: ...
def kakwani(
    payment: _F,
    income: _F,
    weights: _F | None = None,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    missing: str = "error",
) -> _Result: ...
def compare_concentration(
    outcome: _F,
    rank_by: _F,
    group: _I,
    weights: _F | None = None,
    kind: str = "standard",
    lower: float | None = None,
    upper: float | None = None,
    nu: float | None = None,
    beta: float | None = None,
    se: str = "linearized",
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    ties: str = "midpoint",
    missing: str = "error",
) -> tuple[
    _Result,
    list[tuple[int, _Result]],
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
]: ...
def entropy_decomposition(
    x: _F, group: _I, alpha: float, weights: _F | None = None, missing: str = "error"
) -> tuple[float, float, float, list[tuple[int, float, float, float, float]]]: ...
def decompose_concentration_index(
    outcome: _F, regressors: list[_F], rank_by: _F, weights: _F | None = None, missing: str = "error"
) -> tuple[float, float, float, list[tuple[float, float, float, float | None, float]]]: ...

# ---- end microdata ----

# ---- indicators (indicator statistics) ----


# ---- end indicators ----

# ---- goals (catalogue, Kolada, dataset, progress) ----


# ---- end goals ----
