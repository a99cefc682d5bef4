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

HEAT_MEASURES: list[str]

def heat_measure(
    measure: str,
    estimate: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64] | None = None,
    population: npt.NDArray[np.float64] | None = None,
    subgroup_order: npt.NDArray[np.float64] | None = None,
    reference: npt.NDArray[np.float64] | None = None,
    favourable: bool = True,
    scale: float | None = None,
    setting_average: float | None = None,
    lmin: float | None = None,
    lmax: float | None = None,
    level: float = 0.95,
    seed: int = 123456,
    draws: int = 100,
    linear: bool = False,
    method: str | None = None,
    compat: str | None = None,
    missing: str = "error",
) -> tuple[float, float | None, float | None, float | None, float, str]: ...
def heat_summary(
    estimate: npt.NDArray[np.float64],
    group: npt.NDArray[np.int64] | None = None,
    se: npt.NDArray[np.float64] | None = None,
    population: npt.NDArray[np.float64] | None = None,
    subgroup_order: npt.NDArray[np.float64] | None = None,
    ordered: npt.NDArray[np.float64] | None = None,
    reference: npt.NDArray[np.float64] | None = None,
    favourable: npt.NDArray[np.float64] | None = None,
    scale: npt.NDArray[np.float64] | None = None,
    setting_average: npt.NDArray[np.float64] | None = None,
    lmin: npt.NDArray[np.float64] | None = None,
    lmax: npt.NDArray[np.float64] | None = None,
    level: float = 0.95,
    seed: int = 123456,
    draws: int = 100,
    compat: str | None = None,
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int64],
    list[str],
]: ...

# ---- end heat ----

# ---- microdata (concentration indices, inequality indices) ----


# ---- end microdata ----

# ---- indicators (indicator statistics) ----


# ---- end indicators ----

# ---- goals (catalogue, Kolada, dataset, progress) ----


# ---- end goals ----
