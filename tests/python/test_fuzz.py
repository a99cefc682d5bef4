"""Fuzz every public Python entry point with hypothesis.

The functions are discovered from the ``__all__`` of ``jamlik`` and its modules, so a new
function is covered as soon as it is exported. Each argument is drawn from the strategy
of its *role* (the names of docs/api.md): arrays of numbers in many dtypes and shapes with
NaN, ±inf, −0.0 and extreme magnitudes; frames in pandas, polars and pyarrow with right,
missing and misspelt columns; options given right, wrong and as the wrong Python type.

Every call must return or raise a ``jamlik.JamlikError`` (or ``TypeError`` for a wrong
Python type) whose message names an argument, a column or a value of that call. Kolada
functions run with ``offline=True`` and a temporary ``cache_dir``: no network, ever.
"""

from __future__ import annotations

import importlib
import inspect
import math
import os
import pkgutil
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

import jamlik
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

try:  # polars is an optional extra
    import polars as pl
except ImportError:  # pragma: no cover - depends on the environment
    pl = None

# Public modules that are not fuzzed, each with the reason (every other public module is).
EXCLUDED_MODULES = {
    "jamlik.spark": "every function needs a running SparkSession (a JVM per test session); "
    "its wrappers call the same core the other modules' fuzz covers",
    "jamlik.__main__": "the command line (`python -m jamlik`), not an API",
}


def _public_modules() -> list[str]:
    """``jamlik`` and every public submodule (no leading underscore) that has ``__all__``."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # jamlik.plot draws off-screen
    names = ["jamlik"]
    for info in pkgutil.walk_packages(jamlik.__path__, "jamlik.", onerror=lambda _name: None):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or any(
            info.name == e or info.name.startswith(e + ".") for e in EXCLUDED_MODULES
        ):
            continue
        if hasattr(importlib.import_module(info.name), "__all__"):
            names.append(info.name)
    return names


MODULES = _public_modules()
CACHE_DIR = tempfile.mkdtemp(prefix="jamlik-fuzz-cache-")
EXAMPLES_PER_FUNCTION = 60
CALLS_PER_EXAMPLE = 4
# Functions whose one call costs tens of milliseconds (a whole follow-up) get fewer examples.
SLOW = {
    "jamlik.report.follow_up": 4,
    "jamlik.goals.assess": 8,
    "jamlik.report.gaps": 8,
    "jamlik.report.format_follow_up": 8,
    # A first_year of 0 is a valid request for two thousand years of synthetic data.
    "jamlik.datasets.demo": 10,
    "jamlik.datasets.demo_population": 10,
    "jamlik.report.format_gaps": 8,
    # A valid report renders every chart of a municipality (seconds).
    "jamlik.report.to_html": 1,
    "jamlik.report.html.to_html": 1,
}
# Each chart that draws takes a few hundred milliseconds.
SLOW_PREFIXES = {"jamlik.plot.": 6}
MIN_CALLS = 100_000
CALLS = {"n": 0}
CPU_SECONDS = {"s": 0.0}
FUZZED: set[str] = set()  # the functions whose fuzz test ran to the end


def _public_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if callable(obj) and not inspect.isclass(obj):
                found[f"{name}.{attr}"] = obj
    return found


FUNCTIONS = _public_functions()


def _parameters(fn: Callable[..., Any]) -> list[inspect.Parameter]:
    return [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


# ---------------------------------------------------------------------------------------
# Numbers and arrays
# ---------------------------------------------------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf, 1e-300, -1e-300, 1e300, -1e300, 0.5, 2.0, 100.0]
number = st.one_of(st.sampled_from(SPECIAL), st.floats(-1e6, 1e6, allow_nan=False), st.integers(-5, 100))
positive = st.one_of(st.sampled_from([1.0, 2.0, 10.0, 1e-300, 1e300, 1000.0]), st.floats(0.01, 1e5))
WRONG_TYPE = st.sampled_from([None, {}, {"a": 1}, "abc", "1,2", b"\xff", object(), [[1.0, 2.0]], ("x",)])

DTYPES = [
    "float64",
    "float32",
    "int64",
    "int32",
    "uint8",
    "bool",
    "object",
    "str",
    "Float64",
    "Int64",
    "pyarrow",
    "list",
    "tuple",
]


def _to_container(values: list[float], dtype: str) -> Any:
    arr = np.asarray(values, dtype=np.float64)
    finite = np.nan_to_num(arr, nan=0.0, posinf=1e300, neginf=-1e300)
    if dtype in ("float64", "float32"):
        with np.errstate(over="ignore"):
            return arr.astype(dtype)
    if dtype in ("int64", "int32", "uint8"):
        return np.clip(finite, -1e6, 1e6).astype(np.int64).astype(dtype, casting="unsafe")
    if dtype == "bool":
        return finite != 0
    if dtype == "object":
        return np.array(values, dtype=object)
    if dtype == "str":
        return np.array([str(v) for v in values])
    if dtype == "Float64":
        return pd.Series(arr, dtype="Float64").mask(np.isnan(arr))
    if dtype == "Int64":
        return pd.Series(np.clip(finite, -1e6, 1e6).astype(np.int64), dtype="Int64").mask(np.isnan(arr))
    if dtype == "pyarrow":
        return pa.array(arr, from_pandas=True)
    if dtype == "tuple":
        return tuple(values)
    return list(values)


@st.composite
def column(draw: st.DrawFn, n: int, elements: st.SearchStrategy[float] = number) -> Any:
    """One column of ``n`` numbers (sometimes of another length) in a random container."""
    if draw(st.integers(0, 19)) == 0:
        n = draw(st.integers(0, 50))
    values = draw(st.lists(elements, min_size=n, max_size=n))
    return _to_container(values, draw(st.sampled_from(DTYPES)))


def array(n: int, elements: st.SearchStrategy[float] = number) -> st.SearchStrategy[Any]:
    return st.one_of(
        column(n, elements), column(n, elements), column(n, elements), WRONG_TYPE, st.just(np.ones((2, 2)))
    )


# ---------------------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------------------


def _life_table() -> pd.DataFrame:
    bands = ["0", "1-4", *[f"{a}-{a + 4}" for a in range(5, 85, 5)], "85+"]
    pop = np.linspace(5000, 800, len(bands))
    deaths = np.linspace(3, 400, len(bands)).round()
    return pd.DataFrame(
        {
            "age_band": bands,
            "deaths": deaths,
            "population": pop,
            "count": deaths,
            "prevalence": np.linspace(0.95, 0.5, len(bands)),
            "prevalence_n": [200] * len(bands),
            "healthy": np.linspace(190, 100, len(bands)).round(),
            "respondents": [200] * len(bands),
            "sex": ["K"] * len(bands),
            "area": ["0180"] * len(bands),
        }
    )


def _quantile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "q": [1, 2, 3, 4, 5],
            "quantile": [1, 2, 3, 4, 5],
            "value": [50.0, 45, 40, 32, 25],
            "se": [2.0] * 5,
            "lower": [46.0, 41, 36, 28, 21],
            "upper": [54.0, 49, 44, 36, 29],
            "population": [1000.0] * 5,
            "count": [50, 45, 40, 32, 25],
            "expected": [40.0] * 5,
            "rate": [5.0, 4.5, 4, 3.2, 2.5],
            "area": ["0180", "0114", "0115", "0117", "0120"],
            "year": [2020] * 5,
        }
    )


BASE_FRAMES: dict[str, pd.DataFrame] = {
    "heat": jamlik.heat.example().pipe(lambda f: f if isinstance(f, pd.DataFrame) else pd.DataFrame(f)).head(40),
    "demo": jamlik.datasets.demo().head(400),
    "life_table": _life_table(),
    "quantiles": _quantile_frame(),
}


def _misspell(name: str) -> str:
    return name[:-1] if len(name) > 1 else name + "x"


@st.composite
def frame(draw: st.DrawFn) -> Any:
    """A known-good frame, perhaps damaged (a column dropped, misspelt, emptied, made NaN), in a random library."""
    base = BASE_FRAMES[draw(st.sampled_from(sorted(BASE_FRAMES)))].copy()
    damage = draw(
        st.sampled_from(["none", "none", "drop", "misspell", "nan", "inf", "text", "negative", "empty", "one", "wrong"])
    )
    col = draw(st.sampled_from(list(base.columns)))
    if damage == "drop":
        base = base.drop(columns=[col])
    elif damage == "misspell":
        base = base.rename(columns={col: _misspell(col)})
    elif damage in ("nan", "inf", "negative") and pd.api.types.is_numeric_dtype(base[col]):
        row = draw(st.integers(0, len(base) - 1))
        base[col] = base[col].astype("float64")
        base.loc[base.index[row], col] = {"nan": math.nan, "inf": math.inf, "negative": -1.0}[damage]
    elif damage == "text":
        base[col] = base[col].astype(str)
    elif damage == "empty":
        base = base.iloc[:0]
    elif damage == "one":
        base = base.iloc[:1]
    elif damage == "wrong":
        return draw(WRONG_TYPE)
    library = draw(st.sampled_from(["pandas", "pandas", "polars", "pyarrow"]))
    if library == "polars" and pl is not None:
        return pl.from_pandas(base)
    if library == "pyarrow":
        return pa.Table.from_pandas(base, preserve_index=False)
    return base.reset_index(drop=True)


COLUMN_NAMES = sorted({c for f in BASE_FRAMES.values() for c in f.columns})
column_name = st.one_of(
    st.sampled_from(COLUMN_NAMES), st.sampled_from(COLUMN_NAMES).map(_misspell), st.just("nope"), WRONG_TYPE
)

# ---------------------------------------------------------------------------------------
# One strategy per argument role (docs/api.md)
# ---------------------------------------------------------------------------------------

level = st.one_of(
    st.sampled_from([0.95, 0.9, 0.998, 0.5, 0.0, 1.0, 95, 1.5, -0.1, math.nan, "95%"]),
    st.tuples(st.sampled_from([0.95, 0.998, 99.8]), st.sampled_from([0.95, 0.998, 99.8])),
    WRONG_TYPE,
)
missing = st.sampled_from(["error", "drop", "zero", "skip", "", None, 1])
text_option = st.one_of(
    st.sampled_from(
        [
            "",
            "x",
            "standard",
            "wagstaff",
            "erreygers",
            "generalized",
            "midpoint",
            "row_order",
            "life_expectancy",
            "healthy_life_expectancy",
            "simulation",
            "analytic",
            "proportion",
            "ratio",
            "rate",
            "count",
            "isr",
            "jamlik",
            "healthequal",
            "override",
            "add",
            "replace",
            "v2",
            "v3",
            "kpi",
            "municipality",
            "ou",
            "higher",
            "lower",
            "short",
            "long",
            "sex",
            "nation",
            "normal",
            "esp2013",
            "wagstaf",
            "boot",
        ]
    ),
    WRONG_TYPE,
    number,
)
flag = st.one_of(st.booleans(), st.sampled_from([0, 1, 2, "yes", None]))
whole = st.one_of(st.integers(-3, 12), st.sampled_from([0, 2, 5, 10**20, -(10**20), 2.5, math.nan, "2"]))
seed = st.one_of(st.integers(-2, 2**40), st.sampled_from([2**64, 1.5, "1", None]))
backend = st.sampled_from(["pandas", "polars", "pyarrow", "arrow", None, 1])
area = st.one_of(
    st.sampled_from(
        [
            "0180",
            "180",
            180,
            "Stockholm",
            "Vasteras",
            "Västerås",
            "Vasterxs",
            "9999",
            "Nowhere",
            "",
            "00",
            "Riket",
            "SE",
            0,
            -1,
            1980.5,
            10**20,
        ]
    ),
    WRONG_TYPE,
)
kpi = st.one_of(st.sampled_from(["N00945", "N00925", "N99999", "", "n00945", "N1"]), WRONG_TYPE)
goal = st.one_of(st.sampled_from(["G1", "G2", "G999", "", "g2"]), WRONG_TYPE)
sex = st.one_of(st.sampled_from(["K", "M", "T", "women", "Men", "total", "female", "male", "W", ""]), WRONG_TYPE)
year = st.one_of(st.integers(1990, 2030), st.sampled_from([0, -1, 10**20, 2020.5, "2020", "twenty"]), WRONG_TYPE)
years = st.one_of(st.lists(year, max_size=4), year, WRONG_TYPE)
areas = st.one_of(st.lists(area, max_size=4), area)
kpis = st.one_of(st.lists(kpi, max_size=3), kpi)
text = st.one_of(
    st.sampled_from(
        [
            "",
            "{not json",
            '{"values": 3}',
            '{"values": []}',
            "[1,",
            "{}",
            "[]",
            '{"goals": [{"id": "X", "bogus": 1}]}',
            b"\xff\xfe",
            "/nonexistent/cat.json",
        ]
    ),
    st.text(max_size=20),
    WRONG_TYPE,
)
limits = st.one_of(st.tuples(number, number), st.just((0.0, 100.0)), WRONG_TYPE)
scalar_or_column = st.one_of(number, column_name)


def _arrays(*names: str, elements: st.SearchStrategy[float] = number) -> dict[str, Callable[[int], Any]]:
    return {name: (lambda n, e=elements: array(n, e)) for name in names}


def _fixed(strategy: st.SearchStrategy[Any], *names: str) -> dict[str, Callable[[int], Any]]:
    return {name: (lambda n, s=strategy: s) for name in names}


# role name → (length of the call's arrays) → strategy
ROLES: dict[str, Callable[[int], st.SearchStrategy[Any]]] = {
    **_arrays(
        "estimate",
        "values",
        "outcome",
        "rank_by",
        "se",
        "lower",
        "upper",
        "payment",
        "income",
        "subgroup_order",
        "setting_average",
        "expected",
        "event_frequency",
    ),
    **_arrays(
        "weights",
        "population",
        "count",
        "cluster",
        "strata",
        "group",
        elements=st.one_of(positive, st.sampled_from([0.0, -1.0, math.nan, 1e300])),
    ),
    **_fixed(frame(), "frame", "data", "result"),
    **_fixed(level, "level", "input_level"),
    **_fixed(missing, "missing"),
    **_fixed(
        text_option,
        "kind",
        "method",
        "ties",
        "statistic",
        "compat",
        "rate_type",
        "ratio_type",
        "value_type",
        "mode",
        "entity",
        "measure",
        "api",
        "direction",
        "term",
        "between",
        "layout",
        "transform",
    ),
    **_fixed(
        flag,
        "favourable",
        "linear",
        "invert",
        "detail",
        "as_frame",
        "offline",
        "keep_deleted",
        "mortality_variance",
        "synthetic",
        "detailed",
    ),
    **_fixed(
        whole,
        "draws",
        "nquantiles",
        "min_quantiles",
        "width",
        "retries",
        "per_page",
        "years_of_data",
        "suppress_below",
        "generation_years",
        "points",
        "reference",
    ),
    **_fixed(seed, "seed"),
    **_fixed(backend, "backend"),
    **_fixed(area, "municipality", "area", "query"),
    **_fixed(areas, "municipalities"),
    **_fixed(kpi, "kpi"),
    **_fixed(kpis, "kpis", "ids"),
    **_fixed(goal, "goal"),
    **_fixed(sex, "sex"),
    **_fixed(year, "at", "year", "baseline_year", "target_year", "first_year", "last_year"),
    **_fixed(years, "years"),
    **_fixed(text, "text", "catalogue", "base", "title", "source"),
    **_fixed(limits, "limits"),
    **_fixed(
        st.one_of(number, WRONG_TYPE),
        "lmin",
        "lmax",
        "scale",
        "multiplier",
        "nu",
        "beta",
        "alpha",
        "epsilon",
        "refvalue",
        "timeout",
        "backoff",
        "min_population",
        "max_ci_width",
        "ax",
        "target",
    ),
    **_fixed(
        column_name,
        "by",
        "age_band",
        "quantile",
        "rate",
        "prevalence",
        "prevalence_n",
        "prevalence_se",
        "healthy",
        "respondents",
        "first",
        "second",
        "value",
        "reference_count",
        "reference_population",
    ),
    **_fixed(
        st.one_of(
            st.sampled_from(["esp2013", "x"]),
            st.lists(positive, max_size=21),
            st.dictionaries(st.integers(0, 90), positive, max_size=3),
            WRONG_TYPE,
        ),
        "standard",
    ),
    **_fixed(
        st.one_of(st.dictionaries(st.sampled_from(["a", "b", ""]), array(30), max_size=3), WRONG_TYPE), "regressors"
    ),
    **_fixed(
        st.one_of(
            st.lists(st.one_of(st.floats(allow_nan=True), st.none()), max_size=3),
            WRONG_TYPE,
            st.dictionaries(st.sampled_from(["a", "b"]), st.floats(), max_size=2),
        ),
        "results",
    ),
    **_fixed(st.sampled_from(["http://127.0.0.1:9", "", "ftp://x", None]), "base_url"),
    **_fixed(st.sampled_from([CACHE_DIR]), "cache_dir"),
    **_fixed(st.one_of(st.sampled_from(["2024-01-01", "", "yesterday"]), WRONG_TYPE), "snapshot_date"),
}

# Charts, maps, the report, the Kolada client's limits and the mergeable states.
chart_option = st.one_of(
    st.sampled_from(["sv", "en", "de", "", "municipality", "county", "region", "nation", "similar", "progress",
                     "significance", "eurostat_short", "sii", "rci", "x"]),
    WRONG_TYPE,
)
ROLES.update(
    {
        **_fixed(chart_option, "lang", "areas", "comparator", "colour_by", "significance"),
        **_fixed(st.one_of(st.lists(chart_option, max_size=3), chart_option), "comparators", "measures"),
        **_fixed(area, "county", "highlight", "similar_to"),
        **_fixed(kpi, "indicator"),
        **_fixed(column_name, "toward", "category", "label", "setting", "subgroup"),
        **_fixed(flag, "projection", "allow_http"),
        **_fixed(st.one_of(number, WRONG_TYPE), "connect_timeout", "max_retry_after"),
        **_fixed(whole, "max_response_bytes"),
        **_fixed(text, "path"),
        **_fixed(st.one_of(st.sampled_from([None]), WRONG_TYPE), "ax_or_figure"),
        **_fixed(st.one_of(st.lists(WRONG_TYPE, max_size=2), WRONG_TYPE), "totals"),
    }
)

# Frame columns given as keyword arguments on frame-taking functions share the names of
# array roles; when the function takes a frame, such a parameter is a column name.
FRAME_PARAMETERS = {"frame", "data", "result"}


def _strategy(fn_name: str, param: str, n: int, takes_frame: bool) -> st.SearchStrategy[Any]:
    if (
        takes_frame
        and param not in FRAME_PARAMETERS
        and param in ROLES
        and param not in ("level", "missing", "seed", "draws", "backend", "by")
    ):
        role = ROLES[param](n)
        return st.one_of(column_name, column_name, role) if not param.startswith("reference") else column_name
    return ROLES[param](n)


# ---------------------------------------------------------------------------------------
# The call and its checks
# ---------------------------------------------------------------------------------------

NETWORK = {"jamlik.kolada.fetch", "jamlik.kolada.metadata", "jamlik.kolada.clear_cache"}


@st.composite
def call_arguments(draw: st.DrawFn, fn_name: str) -> tuple[list[Any], dict[str, Any]]:
    params = _parameters(FUNCTIONS[fn_name])
    takes_frame = any(p.name in FRAME_PARAMETERS for p in params)
    n = draw(st.sampled_from([0, 1, 2, 3, 5, 5, 5, 8, 20, 50]))
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in params:
        required = p.default is inspect.Parameter.empty
        if not required and not draw(st.integers(0, 2)) == 0:
            continue
        value = draw(_strategy(fn_name, p.name, n, takes_frame))
        if p.kind is inspect.Parameter.POSITIONAL_ONLY or (
            p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and required and not kwargs
        ):
            args.append(value)
        else:
            kwargs[p.name] = value
    if fn_name in NETWORK:
        names = {p.name for p in params}
        kwargs.update({k: v for k, v in {"offline": True, "cache_dir": CACHE_DIR}.items() if k in names})
        kwargs.pop("base_url", None)
    return args, kwargs


def _scalar_text(value: Any) -> list[str]:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return [str(value), repr(value)]
    if isinstance(value, (list, tuple)) and len(value) <= 4:
        return [s for v in value for s in _scalar_text(v)]
    if isinstance(value, dict):
        return [str(k) for k in value]
    return []


def _columns(value: Any) -> list[str]:
    for attr in ("column_names", "columns"):  # a pyarrow table's `columns` are its arrays
        cols = getattr(value, attr, None)
        if cols is not None:
            return [str(c) for c in cols]
    return []


def _names_something(message: str, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> bool:
    if message.startswith("could not parse"):  # a ParseError names what it parsed: the text passed
        return True
    words = [p.name for p in _parameters(fn)]
    for value in [*args, *kwargs.values()]:
        words += _columns(value) + _scalar_text(value)
    return any(w and w in message for w in words)


def _check_call(fn_name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    fn = FUNCTIONS[fn_name]
    CALLS["n"] += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            fn(*args, **kwargs)
    except jamlik.JamlikError as exc:
        assert _names_something(str(exc), fn, args, kwargs), (
            f"{fn_name}: the message names no argument, column or value: {exc!r}"
        )
    except TypeError:
        pass
    except BaseException as exc:  # a bare ValueError, a panic, a RuntimeWarning, ...
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise AssertionError(
            f"{fn_name}(*{args!r:.300}, **{kwargs!r:.300}) raised {type(exc).__name__}: {exc}"
        ) from exc
    finally:
        if fn_name.startswith("jamlik.plot") and "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


def test_discovers_every_public_function() -> None:
    assert len(FUNCTIONS) >= 100, sorted(FUNCTIONS)
    without = sorted(
        f"{name}({p.name})" for name, fn in FUNCTIONS.items() for p in _parameters(fn) if p.name not in ROLES
    )
    assert not without, f"parameters without a strategy: {without}"


@pytest.mark.parametrize("fn_name", sorted(FUNCTIONS))
def test_fuzz(fn_name: str) -> None:
    examples = SLOW.get(fn_name, EXAMPLES_PER_FUNCTION)
    for prefix, few in SLOW_PREFIXES.items():
        if fn_name.startswith(prefix):
            examples = few

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),
    )
    @given(st.lists(call_arguments(fn_name), min_size=CALLS_PER_EXAMPLE, max_size=CALLS_PER_EXAMPLE))
    def run(calls: list[tuple[list[Any], dict[str, Any]]]) -> None:
        for args, kwargs in calls:
            _check_call(fn_name, args, kwargs)
            if fn_name in SLOW or any(fn_name.startswith(p) for p in SLOW_PREFIXES):
                continue
            for name in list(kwargs):  # and again without each keyword: more calls, no more drawing
                if not (fn_name in NETWORK and name in ("offline", "cache_dir")):
                    _check_call(fn_name, args, {k: v for k, v in kwargs.items() if k != name})

    start = time.process_time()
    try:
        run()
    finally:
        CPU_SECONDS["s"] += time.process_time() - start
    FUZZED.add(fn_name)


# ---------------------------------------------------------------------------------------
# The bugs the fuzz found, one precise test each (they stay fixed whatever the draws)
# ---------------------------------------------------------------------------------------

_DEMO = BASE_FRAMES["demo"]
_QUANTILES = BASE_FRAMES["quantiles"]

REGRESSIONS: list[tuple[str, Callable[[], Any], type[BaseException], str]] = [
    ("too-few-subgroups", lambda: jamlik.heat.mdbu([1.0]), jamlik.TooFewError, "`estimate`"),
    ("kakwani-one-row", lambda: jamlik.kakwani([1.0], [2.0]), jamlik.TooFewError, "observations"),
    ("year-10**20-demo", lambda: jamlik.datasets.demo(first_year=10**20), jamlik.JamlikError, "`first_year`"),
    ("seed-negative-demo", lambda: jamlik.datasets.demo_population(seed=-1), jamlik.JamlikError, "`seed`"),
    ("year-10**20-fetch", lambda: jamlik.kolada.fetch("N00945", "0180", 10**20, offline=True, cache_dir=CACHE_DIR),
     jamlik.JamlikError, "`years`"),
    ("resolve-area-empty", lambda: jamlik.kolada.resolve_area(""), jamlik.JamlikError, "`query`"),
    ("gap-closure-empty-municipality", lambda: jamlik.goals.gap_closure(_DEMO, kpi="N00945", municipality=""),
     jamlik.JamlikError, "`municipality`"),
    ("compare-areas-text-year", lambda: jamlik.goals.compare_areas(_DEMO, kpi="N00945", municipality="0180",
                                                                  year="age_band"), jamlik.JamlikError, "`year`"),
    ("women-vs-men-year-10**20", lambda: jamlik.goals.women_vs_men(_DEMO, kpi="N00925", municipality="0180",
                                                                  year=10**20), jamlik.JamlikError, "`year`"),
    ("catalogue-nul-byte", lambda: jamlik.goals.load_catalogue("cat\x00.json"), jamlik.JamlikError, "cat"),
    ("follow-up-at-1900", lambda: jamlik.report.follow_up("Arboga", at=1900), jamlik.JamlikError, "`at`"),
    ("gaps-generation-negative", lambda: jamlik.report.gaps("Arboga", generation_years=-1), jamlik.JamlikError,
     "`generation_years`"),
    ("gaps-generation-text", lambda: jamlik.report.gaps("Arboga", generation_years="x"), jamlik.JamlikError,
     "`generation_years`"),
    ("format-gaps-other-frame", lambda: jamlik.report.format_gaps(pa.Table.from_pandas(_DEMO)), jamlik.ColumnError,
     "`frame`"),
    ("format-follow-up-polars", lambda: jamlik.report.format_follow_up(_DEMO if pl is None else pl.from_pandas(_DEMO)),
     jamlik.ColumnError, "`frame`"),
    ("sii-list-of-lists", lambda: jamlik.indicators.sii([[1.0, 2.0]], quantile="q", population="p"),
     jamlik.JamlikError, "`frame`"),
    ("funnel-list-of-lists", lambda: jamlik.indicators.funnel_limits([[1.0, 2.0]], statistic="proportion",
                                                                     count="c", population="p"),
     jamlik.JamlikError, "`frame`"),
    ("health-expectancy-gap-scalars", lambda: jamlik.indicators.health_expectancy_gap(
        {"a": 1}, between="sex", first="K", second="M"), jamlik.JamlikError, "`result`"),
    ("quantile-nan-names-value", lambda: jamlik.indicators.quantile(
        _QUANTILES.assign(value=[1.0, math.nan, 3.0, 4.0, 5.0]), value="value"), jamlik.MissingValueError, "`value`"),
    ("limits-text", lambda: jamlik.concentration_index([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], limits={"a": 1}),
     jamlik.JamlikError, "`limits`"),
    ("gap-closure-empty-series", lambda: jamlik.goals.gap_closure(pd.Series([], dtype=float)), jamlik.ShapeError,
     "`data`"),
    ("gap-closure-text-mapping", lambda: jamlik.goals.gap_closure({"a": 1}), jamlik.JamlikError, "`data`"),
    ("regressor-unnamed-2d", lambda: jamlik.decompose_concentration_index(
        [1.0, 2.0], {"": np.ones((2, 2))}, [1.0, 2.0]), jamlik.ShapeError, "regressors"),
    ("gaps-population-series", lambda: jamlik.report.gaps("Arboga", population=pd.Series([90.0, 80.0])),
     jamlik.JamlikError, "`population`"),
    ("quantile-nquantiles-10**20", lambda: jamlik.indicators.quantile(_QUANTILES, value="value", nquantiles=10**20),
     jamlik.JamlikError, "`nquantiles`"),
    ("regressors-bytes", lambda: jamlik.decompose_concentration_index([1.0, 2.0], b"\xff", [1.0, 2.0]), TypeError,
     "`regressors`"),
]


@pytest.mark.parametrize(("call", "error", "names"), [r[1:] for r in REGRESSIONS], ids=[r[0] for r in REGRESSIONS])
def test_found_bug_stays_fixed(call: Callable[[], Any], error: type[BaseException], names: str) -> None:
    with pytest.raises(error, match=re.escape(names)):
        call()


def test_float_cluster_ids_are_not_truncated() -> None:
    """Cluster ids 1.5 and 1.7 are two clusters, as 0 and 1 are (no int truncation)."""
    h, x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    as_floats = jamlik.concentration_index(h, x, cluster=[1.5, 1.5, 1.7, 1.7, 2.0, 2.0])
    as_codes = jamlik.concentration_index(h, x, cluster=[0, 0, 1, 1, 2, 2])
    assert as_floats.se == as_codes.se


def summary() -> str:
    """The line the test session's summary shows (tests/python/conftest.py)."""
    return (
        f"jamlik fuzz: {CALLS['n']} calls over {len(FUNCTIONS)} functions in {len(MODULES)} modules, "
        f"{CPU_SECONDS['s']:.0f} s of CPU; not fuzzed: {sorted(EXCLUDED_MODULES)}"
    )


def test_zz_call_count(record_property: Any) -> None:
    """Runs last (pytest keeps file order; under xdist `--dist loadfile` one worker runs
    the whole file in order): the fuzz made at least MIN_CALLS calls."""
    print("\n" + summary())
    record_property("fuzz_summary", summary())  # reaches the session summary, also from an xdist worker
    if len(FUZZED) < len(FUNCTIONS):
        pytest.skip(f"only {len(FUZZED)} of the {len(FUNCTIONS)} fuzz tests passed in this session")
    assert CALLS["n"] >= MIN_CALLS
