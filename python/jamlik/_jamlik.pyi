# Hand-written stub of the native module jamlik._jamlik, checked by
# `python -m mypy.stubtest jamlik._jamlik` in `make test`.
# Each area keeps its functions in its own section below.

from collections.abc import Sequence
from typing import Any, ClassVar, Optional, final

import numpy as np
import numpy.typing as npt
import pandas as pd

__version__: str

class JamlikError(ValueError): ...
class ShapeError(JamlikError): ...
class MissingValueError(JamlikError): ...
class DomainError(JamlikError): ...
class ConfidenceLevelError(JamlikError): ...
class TooFewError(JamlikError): ...
class DegenerateError(JamlikError): ...
class InvalidArgumentError(JamlikError): ...
class ColumnError(InvalidArgumentError): ...
class ParseError(JamlikError): ...

# A native class: pyo3 builds it in `__new__` (no `__init__`) and it cannot be
# subclassed (`@final`). `method` defaults to "" (pyo3 renders the default as `...`).
@final
class Estimate:
    def __new__(
        cls,
        value: float,
        se: float | None = None,
        lower: float | None = None,
        upper: float | None = None,
        level: float = 0.95,
        method: str = "",
        *,
        note: str | None = None,
        n: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Estimate: ...
    @property
    def value(self) -> float: ...
    @property
    def se(self) -> float | None: ...
    @property
    def lower(self) -> float | None: ...
    @property
    def upper(self) -> float | None: ...
    @property
    def level(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def n(self) -> int | None: ...
    @property
    def extra(self) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_frame(self) -> pd.DataFrame: ...
    def __eq__(self, other: object, /) -> bool: ...
    # pyo3 defines `__eq__` without `__hash__`, so Python sets `__hash__ = None`
    # (unhashable); typeshed spells that as a `ClassVar[None]` overriding `object.__hash__`.
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __float__(self) -> float: ...
    def _repr_html_(self) -> str: ...

class DataSourceError(JamlikError): ...

def fractional_rank(
    keys: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64] | None = None,
    ties: str = "midpoint",
) -> npt.NDArray[np.float64]: ...

# ---- heat (grouped HEAT measures) ----

HEAT_MEASURES: list[str]
HEAT_COLUMNS: list[str]
DEFAULT_SEED: int

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
    seed: int = ...,
    draws: int = 100,
    linear: bool = False,
    method: str | None = None,
    compat: str | None = None,
    missing: str = "error",
) -> Estimate: ...
def heat_summary(
    columns: dict[str, npt.NDArray[np.float64]],
    group: npt.NDArray[np.int64] | None = None,
    *,
    level: list[float] = ...,
    seed: int = ...,
    draws: int = 100,
    compat: str | None = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def heat_check_columns(present: list[str], allowed: list[str] = ...) -> None: ...

# ---- end heat ----

# ---- microdata (concentration indices, inequality indices) ----

_F = npt.NDArray[np.float64]
_I = npt.NDArray[np.int64]

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
) -> Estimate: ...
def gini(
    values: _F,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
def generalized_entropy(
    values: _F,
    alpha: float,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
def atkinson(
    values: _F,
    epsilon: float,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
def hoover(
    values: _F,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
def quantile_share_ratio(
    values: _F,
    weights: _F | None = None,
    *,
    lower: float = 0.2,
    upper: float = 0.8,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
def concentration_curve(
    outcome: _F, rank_by: _F, weights: _F | None = None, missing: str = "error"
) -> tuple[_F, _F]: ...
def kakwani(
    payment: _F,
    income: _F,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
) -> Estimate: ...
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
    Estimate,
    list[tuple[int, Estimate]],
    Estimate | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
]: ...
def entropy_decomposition(
    values: _F, group: _I, alpha: float, weights: _F | None = None, missing: str = "error"
) -> tuple[float, float, float, list[tuple[int, float, float, float, float]]]: ...
def decompose_concentration_index(
    outcome: _F, regressors: list[_F], rank_by: _F, weights: _F | None = None, missing: str = "error"
) -> tuple[float, float, float, list[tuple[float, float, float, float | None, float]]]: ...

# ---- end microdata ----

# ---- indicators (indicator statistics) ----

def indicator_counts(
    kind: str,
    count: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    levels: Sequence[float],
    multiplier: float,
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_mean(
    values: npt.NDArray[np.float64],
    levels: Sequence[float],
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_dsr(
    count: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    levels: Sequence[float],
    multiplier: float,
    weights: Optional[npt.NDArray[np.float64]] = None,
    standard: Optional[tuple[Sequence[float], Sequence[float]]] = None,
    age_start: Optional[npt.NDArray[np.float64]] = None,
    event_frequency: Optional[npt.NDArray[np.float64]] = None,
    groups: Optional[npt.NDArray[np.int64]] = None,
    suppress_below: Optional[float] = ...,
    missing: str = "error",
    standard_name: str = "given",
) -> dict[str, Any]: ...
def indicator_esp2013(detailed: bool = False) -> tuple[list[float], list[float]]: ...
def indicator_age_band_starts(labels: Sequence[str]) -> list[float]: ...
def indicator_isr(
    count: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    reference_count: npt.NDArray[np.float64],
    reference_population: npt.NDArray[np.float64],
    kind: str,
    scale: float,
    levels: Sequence[float],
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_life_expectancy(
    count: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    age_start: npt.NDArray[np.float64],
    levels: Sequence[float],
    layout: Optional[Sequence[float]] = None,
    min_population: Optional[float] = ...,
    max_ci_width: Optional[float] = ...,
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_sii(
    quantile: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    value: npt.NDArray[np.float64],
    levels: Sequence[float],
    se: Optional[npt.NDArray[np.float64]] = None,
    lower: Optional[npt.NDArray[np.float64]] = None,
    upper: Optional[npt.NDArray[np.float64]] = None,
    input_level: float = 0.95,
    value_type: str = "normal",
    transform: bool = False,
    multiplier: float = 1.0,
    method: str = "simulation",
    draws: int = 100000,
    seed: Optional[int] = None,
    min_quantiles: int = 5,
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_quantile(
    values: npt.NDArray[np.float64],
    nquantiles: int,
    invert: Sequence[bool],
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> npt.NDArray[np.int64]: ...
def indicator_funnel_limits(
    statistic: str,
    count: npt.NDArray[np.float64],
    levels: Sequence[float],
    population: Optional[npt.NDArray[np.float64]] = None,
    expected: Optional[npt.NDArray[np.float64]] = None,
    rate: Optional[npt.NDArray[np.float64]] = None,
    multiplier: Optional[float] = None,
    ratio_type: str = "count",
    rate_type: str = "crude",
    years_of_data: float = 1.0,
    points: int = 100,
    at: Optional[npt.NDArray[np.float64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_funnel_significance(
    statistic: str,
    count: npt.NDArray[np.float64],
    levels: Sequence[float],
    population: Optional[npt.NDArray[np.float64]] = None,
    expected: Optional[npt.NDArray[np.float64]] = None,
    rate: Optional[npt.NDArray[np.float64]] = None,
    multiplier: Optional[float] = None,
    rate_type: str = "crude",
    missing: str = "error",
) -> tuple[npt.NDArray[np.int64], list[str]]: ...

def indicator_health_expectancy(
    count: npt.NDArray[np.float64],
    population: npt.NDArray[np.float64],
    age_start: npt.NDArray[np.float64],
    levels: Sequence[float],
    *,
    prevalence: Optional[npt.NDArray[np.float64]] = None,
    prevalence_n: Optional[npt.NDArray[np.float64]] = None,
    prevalence_se: Optional[npt.NDArray[np.float64]] = None,
    healthy: Optional[npt.NDArray[np.float64]] = None,
    respondents: Optional[npt.NDArray[np.float64]] = None,
    ax: Optional[npt.NDArray[np.float64]] = None,
    layout: Optional[Sequence[float]] = None,
    mortality_variance: bool = True,
    groups: Optional[npt.NDArray[np.int64]] = None,
    missing: str = "error",
) -> dict[str, Any]: ...
def indicator_health_expectancy_gap(
    first: npt.NDArray[np.float64],
    first_se: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64],
    second_se: npt.NDArray[np.float64],
    levels: Sequence[float],
) -> dict[str, Any]: ...
# ---- end indicators ----

# ---- goals (catalogue, Kolada, dataset, progress) ----

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
) -> dict[str, Any]: ...
def assess_goal_series(
    years: npt.NDArray[np.float64],
    values: npt.NDArray[np.float64],
    goal_id: str,
    kpi: str | None = None,
    catalogue: str | None = None,
    at: int | None = None,
) -> dict[str, Any]: ...
def assess_goal(
    panel: Panel,
    goal_id: str,
    municipality: str,
    indicator_kpi: str | None = None,
    row_sex: str = "T",
    catalogue: str | None = None,
    at: int | None = None,
) -> dict[str, Any]: ...
def gap_closure(
    years: npt.NDArray[np.float64],
    gaps: npt.NDArray[np.float64],
    generation_years: float = 25.0,
    level: float = 0.95,
) -> dict[str, Any]: ...
def follow_up(
    panel: Panel,
    municipality: str,
    catalogue: str | None = None,
    at: int | None = None,
) -> dict[str, Any]: ...
def follow_up_gaps(
    panel: Panel,
    municipality: str,
    catalogue: str | None = None,
    at: int | None = None,
    generation_years: float = 25.0,
    population: tuple[list[str], npt.NDArray[np.float64], list[str], npt.NDArray[np.float64]] | None = None,
) -> dict[str, Any]: ...
def compare_areas(
    panel: Panel,
    target_kpi: str,
    municipality: str,
    at_year: int | None = None,
    row_sex: str = "T",
) -> dict[str, Any]: ...
def women_vs_men(
    panel: Panel,
    indicator_kpi: str,
    municipality: str,
    at_year: int | None = None,
    catalogue: str | None = None,
) -> dict[str, Any]: ...
def find_area(query: str) -> str: ...
@final
class Panel:
    """Long data (kpi, area, year, sex, value) indexed once for the goal functions."""

    def __new__(
        cls,
        kpi: list[str],
        area: list[str],
        year: npt.NDArray[np.float64],
        sex: list[str],
        value: npt.NDArray[np.float64],
    ) -> Panel: ...
    @staticmethod
    def from_arrow(data: Any, kpis: list[str] | None = None) -> Panel: ...
    def __len__(self) -> int: ...

def series_from_arrow(
    data: Any,
    value: str = "value",
    kpi: str | None = None,
    area: str | None = None,
    sex: str | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...



# ---- end goals ----

# ---- kolada ----

KOLADA_ATTRIBUTION: str
KOLADA_LICENCE: str
KOLADA_COLUMNS: list[str]

def kolada_parse(text: str, keep_deleted: bool = False) -> dict[str, Any]: ...
def kolada_parse_metadata(entity: str, text: str) -> list[dict[str, Any]]: ...
def kolada_fetch(
    kpis: list[str],
    municipalities: list[str],
    years: list[int],
    *,
    cache_dir: str | None = None,
    offline: bool = False,
    api: str = "v3",
    base_url: str | None = None,
    allow_http: bool = False,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    retries: int = 4,
    backoff: float = 0.5,
    max_retry_after: float = 120.0,
    max_response_bytes: int = 536870912,
    per_page: int | None = None,
    keep_deleted: bool = False,
) -> dict[str, Any]: ...
def kolada_metadata(
    entity: str,
    ids: list[str] | None = None,
    title: str | None = None,
    *,
    cache_dir: str | None = None,
    offline: bool = False,
    api: str = "v3",
    base_url: str | None = None,
    allow_http: bool = False,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    retries: int = 4,
    backoff: float = 0.5,
    max_retry_after: float = 120.0,
    max_response_bytes: int = 536870912,
    per_page: int | None = None,
) -> list[dict[str, Any]]: ...
def kolada_clear_cache(cache_dir: str) -> int: ...
def resolve_area(query: str) -> str: ...

# ---- end kolada ----

# --- small numbers (issue 11): rank intervals, funnel flags per group, EB smoothing ---
def indicator_rank_intervals(
    value: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64],
    groups: Optional[npt.NDArray[np.int64]] = None,
    level: float = 0.95,
    draws: int = 1000,
    seed: int = 123_456,
    higher_first: bool = True,
    missing: str = "error",
) -> dict[str, npt.NDArray[np.float64]]: ...
def indicator_funnel_flags(
    statistic: str,
    count: npt.NDArray[np.float64],
    levels: Sequence[float],
    population: Optional[npt.NDArray[np.float64]] = None,
    expected: Optional[npt.NDArray[np.float64]] = None,
    rate: Optional[npt.NDArray[np.float64]] = None,
    groups: Optional[npt.NDArray[np.int64]] = None,
    multiplier: Optional[float] = None,
    rate_type: str = "crude",
    missing: str = "error",
) -> list[Optional[str]]: ...
def indicator_smooth(
    statistic: str,
    count: npt.NDArray[np.float64],
    denominator: npt.NDArray[np.float64],
    groups: Optional[npt.NDArray[np.int64]] = None,
    multiplier: Optional[float] = None,
    missing: str = "error",
) -> dict[str, npt.NDArray[np.float64]]: ...
# ---- state (mergeable states: the two-pass distributed concentration index) ----
@final
class ConcentrationTotals:
    def __new__(cls, outcome: _F, rank_by: _F, weights: _F | None = None) -> ConcentrationTotals: ...
    def merge(self, other: ConcentrationTotals) -> None: ...
    @property
    def n(self) -> int: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> ConcentrationTotals: ...

@final
class RankOffset:
    @property
    def w_before(self) -> float: ...
    @property
    def total_w(self) -> float: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> RankOffset: ...

def concentration_plan(totals: list[ConcentrationTotals]) -> list[RankOffset]: ...

@final
class ConcentrationSums:
    def __new__(cls, outcome: _F, rank_by: _F, weights: _F | None, offset: RankOffset) -> ConcentrationSums: ...
    def merge(self, other: ConcentrationSums) -> None: ...
    @property
    def n(self) -> int: ...
    def finish(self, *, kind: str = "standard", se: str = "linearized", level: float = 0.95) -> Estimate: ...
    def finish_gini(self, *, se: str = "linearized", level: float = 0.95) -> Estimate: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> ConcentrationSums: ...

def check_levels(levels: list[float]) -> None: ...
def check_missing(missing: str) -> None: ...

# ---- end state ----
# ---- arrow and grouped (issue 12) ----
@final
class ArrowBufferOwner:
    """Keeps the Arrow buffer behind a zero-copy numpy view alive."""

@final
class ArrowFrame:
    """A table read once from any Arrow stream or record batch."""

    def __new__(cls, data: Any) -> ArrowFrame: ...
    @property
    def columns(self) -> list[str]: ...
    @property
    def column_names(self) -> list[str]: ...
    @property
    def num_chunks(self) -> int: ...
    def __len__(self) -> int: ...
    def __getitem__(self, key: str, /) -> Any: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def is_numeric(self, name: str) -> bool: ...
    def float_column(self, name: str, *, argument: str = "frame") -> npt.NDArray[np.float64]: ...
    def group_codes(self, names: list[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
    def key_values(self, names: list[str], rows: list[int]) -> dict[str, list[Any]]: ...
    def to_pyarrow(self) -> Any: ...

def arrow_float_column(values: Any, name: str) -> npt.NDArray[np.float64]: ...
def arrow_borrowed_count() -> int: ...
def concentration_index_by(
    outcome: _F,
    rank_by: _F,
    by: _I,
    weights: _F | None = None,
    *,
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
    labels: list[str] | None = None,
) -> dict[str, Any]: ...
def gini_by(
    values: _F,
    by: _I,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...
def generalized_entropy_by(
    values: _F,
    alpha: float,
    by: _I,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...
def atkinson_by(
    values: _F,
    epsilon: float,
    by: _I,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...

def hoover_by(
    values: _F,
    by: _I,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...
def quantile_share_ratio_by(
    values: _F,
    by: _I,
    weights: _F | None = None,
    *,
    lower: float = 0.2,
    upper: float = 0.8,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...
def kakwani_by(
    payment: _F,
    income: _F,
    by: _I,
    weights: _F | None = None,
    *,
    cluster: _I | None = None,
    strata: _I | None = None,
    level: float = 0.95,
    se: str = "linearized",
    missing: str = "error",
    labels: list[str] | None = None,
) -> dict[str, Any]: ...

# ---- end arrow and grouped ----
