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

# ---- kolada ----
from typing import Any as _KoladaAny

KOLADA_ATTRIBUTION: str
KOLADA_LICENCE: str

def kolada_parse(text: str, keep_deleted: bool = False) -> dict[str, _KoladaAny]: ...
def kolada_parse_metadata(entity: str, text: str) -> list[dict[str, _KoladaAny]]: ...
def kolada_fetch(
    kpis: list[str],
    municipalities: list[str],
    years: list[int],
    *,
    cache_dir: str | None = None,
    offline: bool = False,
    api: str = "v3",
    base_url: str | None = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 0.5,
    per_page: int | None = None,
    keep_deleted: bool = False,
) -> dict[str, _KoladaAny]: ...
def kolada_metadata(
    entity: str,
    ids: list[str] | None = None,
    title: str | None = None,
    *,
    cache_dir: str | None = None,
    offline: bool = False,
    api: str = "v3",
    base_url: str | None = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 0.5,
    per_page: int | None = None,
) -> list[dict[str, _KoladaAny]]: ...
def kolada_clear_cache(cache_dir: str) -> int: ...

# ---- end kolada ----
