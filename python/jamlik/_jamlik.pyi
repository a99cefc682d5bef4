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


# ---- end goals ----
