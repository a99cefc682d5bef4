"""A newcomer's mistakes, tried on every public function that can meet them.

Each mistake gets the right answer (a municipality given as ``180`` or ``"Vasteras"``)
or a ``jamlik.JamlikError`` whose message names the culprit and, where one exists,
the fix: ``level=95`` (did you mean 0.95?), a ``missing=`` policy the function does
not have (the message lists those it has), ``sex="W"`` (the accepted values), a
misspelt or missing frame column (did you mean ...?), text where numbers belong, and
a HEAT flag given as ``"yes"``. The registry below must cover every public function
that takes ``level``, ``missing``, ``sex`` or ``municipality``, so a new function is
tried too.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import jamlik
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from jamlik import datasets, goals, heat, indicators, microdata, report
from report_fixtures import empty_charts
from spark_session import spark_frame
from test_api_vocabulary import public_functions


@pytest.fixture(autouse=True)
def quick_report_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report's figures become empty SVGs here: these tests are about arguments (names,
    spellings, errors), not charts."""
    empty_charts(monkeypatch)

RNG = np.random.default_rng(7)
N = 400
HEALTH = 1 + RNG.gamma(2.0, 1.0, N)
INCOME = RNG.lognormal(10, 0.5, N)
WEIGHTS = RNG.uniform(0.5, 2.0, N)
GROUP = np.repeat([0, 1], N // 2)
Y = [38.2, 45.6, 51.9, 60.3, 71.4]
POP = [212400.0, 198700.0, 187300.0, 176900.0, 160200.0]
ORDER = [1, 2, 3, 4, 5]


def _life_table() -> pd.DataFrame:
    starts = [0, 1, *range(5, 95, 5)]
    labels = ["0"] + [f"{a}-{a + 3}" if a == 1 else f"{a}-{a + 4}" for a in starts[1:-1]] + ["90+"]
    rates = 0.0003 * np.exp(0.08 * np.array(starts, dtype=float))
    population = np.full(len(starts), 60000.0)
    return pd.DataFrame({"area": "A", "age_band": labels, "deaths": np.round(rates * population),
                         "population": population})


def _health_table() -> pd.DataFrame:
    """The life table for women and men with the proportion in good health and its sample size."""
    women, men = _life_table().assign(sex="K", prevalence=0.8), _life_table().assign(sex="M", prevalence=0.75)
    return pd.concat([women, men], ignore_index=True).assign(prevalence_n=400.0)


HEALTH_ARGS = {"count": "deaths", "population": "population", "age_band": "age_band", "prevalence": "prevalence",
               "prevalence_n": "prevalence_n", "by": "sex"}


def _areas() -> pd.DataFrame:
    return pd.DataFrame({"area": [f"a{i}" for i in range(12)],
                         "count": [30.0, 42, 51, 18, 77, 64, 25, 39, 58, 33, 47, 61],
                         "population": [1000.0, 1200, 1500, 700, 2100, 1800, 900, 1100, 1600, 1000, 1300, 1700]})


DEMO = datasets.demo()

# Public function → a valid call (args, kwargs). Every mistake below is this call with one thing wrong.
class _LazySpark:
    """A Spark frame made on first use, so collecting this module (in every xdist worker)
    starts no JVM: only the worker that runs the Spark calls starts the one session."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._pandas = frame

    def frame(self) -> Any:
        return spark_frame(self._pandas)


def _lazy_spark(frame: pd.DataFrame) -> _LazySpark:
    return _LazySpark(frame)


VALID: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "jamlik.concentration_index": ((HEALTH, INCOME, WEIGHTS), {}),
    "jamlik.compare_concentration": ((HEALTH, INCOME, GROUP, WEIGHTS), {}),
    "jamlik.concentration_curve": ((HEALTH, INCOME, WEIGHTS), {}),
    "jamlik.decompose_concentration_index": ((HEALTH, {"income": INCOME}, INCOME, WEIGHTS), {}),
    "jamlik.gini": ((INCOME, WEIGHTS), {}),
    "jamlik.theil": ((INCOME, WEIGHTS), {}),
    "jamlik.mld": ((INCOME, WEIGHTS), {}),
    "jamlik.generalized_entropy": ((INCOME, 2.0, WEIGHTS), {}),
    "jamlik.atkinson": ((INCOME, 1.5, WEIGHTS), {}),
    "jamlik.hoover": ((INCOME, WEIGHTS), {}),
    "jamlik.palma": ((INCOME, WEIGHTS), {}),
    "jamlik.quantile_share_ratio": ((INCOME, WEIGHTS), {}),
    "jamlik.kakwani": ((HEALTH, INCOME, WEIGHTS), {}),
    "jamlik.theil_decomposition": ((INCOME, GROUP, WEIGHTS), {}),
    "jamlik.mld_decomposition": ((INCOME, GROUP, WEIGHTS), {}),
    "jamlik.heat.summary": ((heat.example(),), {"by": "dimension"}),
    **{f"jamlik.heat.{m}": ((Y,), {"population": POP, "subgroup_order": ORDER, "scale": 100,
                                   "se": [2.41, 2.27, 2.18, 2.05, 1.87],
                                   **({"reference": 4} if m in ("mdru", "mdrw") else {})})
       for m in heat.MEASURES},
    "jamlik.indicators.proportion": (([12, 40], [150, 300]), {}),
    "jamlik.indicators.rate": (([12, 40], [15000, 30000]), {}),
    "jamlik.indicators.mean": (([1.0, 2.0, 4.0, 3.0],), {}),
    "jamlik.indicators.dsr": ((_life_table(),), {"count": "deaths", "population": "population",
                                                 "age_band": "age_band", "by": "area"}),
    "jamlik.indicators.isr": ((_life_table(),), {"count": "deaths", "population": "population",
                                                 "reference_count": _life_table()["deaths"].to_numpy() * 1.1,
                                                 "reference_population": _life_table()["population"].to_numpy(),
                                                 "by": "area"}),
    "jamlik.indicators.life_expectancy": ((_life_table(),), {"count": "deaths", "population": "population",
                                                             "age_band": "age_band", "by": "area"}),
    "jamlik.indicators.health_expectancy": ((_health_table(),), HEALTH_ARGS),
    "jamlik.indicators.health_expectancy_gap": ((indicators.health_expectancy(_health_table(), **HEALTH_ARGS),),
                                                {"between": "sex", "first": "K", "second": "M"}),
    "jamlik.indicators.sii": ((pd.DataFrame({"q": [1, 2, 3, 4, 5], "value": [50.0, 44, 39, 31, 25],
                                             "se": [2.1, 2.0, 1.9, 1.7, 1.5], "population": [1000.0] * 5}),),
                              {"quantile": "q", "population": "population", "value": "value", "se": "se",
                               "method": "analytic"}),
    "jamlik.indicators.quantile": ((_areas(),), {"value": "count", "nquantiles": 4}),
    "jamlik.indicators.funnel_limits": ((_areas(),), {"statistic": "proportion", "count": "count",
                                                      "population": "population"}),
    "jamlik.indicators.funnel_significance": ((_areas(),), {"statistic": "proportion", "count": "count",
                                                            "population": "population"}),
    "jamlik.indicators.rank_intervals": ((_areas().assign(value=np.linspace(10.0, 40.0, 12), se=2.0),), {}),
    "jamlik.indicators.funnel_flags": ((_areas(),), {}),
    "jamlik.indicators.smooth": ((_areas(),), {}),
    "jamlik.goals.assess": ((DEMO,), {"goal": "G2", "municipality": "0180"}),
    "jamlik.goals.compare_areas": ((DEMO,), {"kpi": "N00925", "municipality": "0180"}),
    "jamlik.goals.gap_closure": ((DEMO,), {"kpi": "N00925", "municipality": "0180", "between": "nation"}),
    "jamlik.goals.women_vs_men": ((DEMO,), {"kpi": "N80401", "municipality": "0180"}),
    "jamlik.report.follow_up": (("0180", DEMO), {}),
    "jamlik.report.gaps": (("0180", DEMO), {}),
    # One KPI keeps the HTML report quick; the page is compared as text.
    "jamlik.report.to_html": (("0180", DEMO[DEMO["kpi"] == "N15428"]), {}),
    "jamlik.plot.trend": ((DEMO,), {"municipality": "0180", "indicator": "N15428"}),
    "jamlik.plot.women_vs_men": ((DEMO,), {"municipality": "0180", "indicator": "N15428"}),
    "jamlik.plot.compare_areas": ((DEMO,), {"indicator": "N15428", "county": "03"}),
    "jamlik.plot.spine": ((DEMO,), {"municipality": "0180"}),
    "jamlik.plot.concentration_curve": ((HEALTH, INCOME, WEIGHTS), {}),
    # jamlik.spark: Spark DataFrames (tests/python/spark_session.py); level and missing are checked before Spark runs.
    "jamlik.spark.concentration_index": ((_lazy_spark(pd.DataFrame({"h": HEALTH, "x": INCOME, "w": WEIGHTS})),
                                          "h", "x", "w"), {"partitions": 2}),
    "jamlik.spark.gini": ((_lazy_spark(pd.DataFrame({"x": INCOME})), "x"), {"partitions": 2}),
    "jamlik.spark.heat_summary": ((_lazy_spark(heat.example()[["dimension", "subgroup", "estimate", "se", "population",
                                                               "subgroup_order"]]),), {"by": "dimension"}),
    "jamlik.spark.proportion": ((_lazy_spark(_areas()), "count", "population"), {"by": "area"}),
    "jamlik.spark.rate": ((_lazy_spark(_areas()), "count", "population"), {"by": "area"}),
    "jamlik.spark.mean": ((_lazy_spark(_areas()), "count"), {"by": "area"}),
}


def _frame(result: Any) -> pd.DataFrame:
    """A result as a frame; a chart (matplotlib Axes) as the data it drew, then closed."""
    if type(result).__module__.startswith("matplotlib"):
        import matplotlib.pyplot as plt

        drawn = [np.asarray(line.get_xydata(), dtype=float) for line in result.get_lines()]
        drawn += [np.asarray(c.get_offsets(), dtype=float) for c in result.collections if hasattr(c, "get_offsets")]
        frame = pd.DataFrame(np.concatenate(drawn) if drawn else np.empty((0, 2)), columns=["x", "y"])
        frame["title"] = result.get_title(loc="left")
        plt.close(result.figure)
        return frame
    return jamlik._frames.to_pandas(result)


def _function(name: str) -> Callable[..., Any]:
    module, _, attr = name.rpartition(".")
    obj = jamlik
    for part in module.split(".")[1:]:
        obj = getattr(obj, part)
    return getattr(obj, attr)  # type: ignore[no-any-return]


# The registry's name of each public function (aliases such as heat.slope_index_of_inequality
# resolve to the same function as heat.sii).
_CANONICAL = {id(_function(name)): name for name in VALID}


def _call(name: str, **changes: Any) -> Any:
    args, kwargs = VALID[name]
    args = tuple(a.frame() if isinstance(a, _LazySpark) else a for a in args)
    kwargs = {**kwargs, **changes}
    if "municipality" in changes and name.startswith("jamlik.report."):
        args = (kwargs.pop("municipality"), *args[1:])
    return _function(name)(*args, **kwargs)


def _takes(parameter: str) -> list[str]:
    """Registry names of the public functions with `parameter` (unregistered ones by their own name)."""
    return sorted({_CANONICAL.get(id(f), q) for q, f in public_functions() if parameter in inspect.signature(f).parameters})


def test_every_function_that_can_meet_a_mistake_is_tried() -> None:
    needed = set()
    for parameter in ("level", "missing", "sex", "municipality"):
        needed |= set(_takes(parameter))
    assert needed <= set(VALID), sorted(needed - set(VALID))
    for name in VALID:  # every valid call is valid
        result = _call(name)
        if type(result).__module__.startswith("matplotlib"):
            _frame(result)  # closes the chart


@pytest.mark.parametrize("name", _takes("level"))
def test_level_as_a_percentage_suggests_the_proportion(name: str) -> None:
    with pytest.raises(jamlik.ConfidenceLevelError) as info:
        _call(name, level=95)
    assert "level" in str(info.value) and "0.95" in str(info.value), str(info.value)


@pytest.mark.parametrize("name", _takes("missing"))
def test_an_unknown_missing_policy_lists_the_ones_there_are(name: str) -> None:
    with pytest.raises(jamlik.JamlikError) as info:
        _call(name, missing="skip")
    msg = str(info.value)
    assert "missing" in msg and '"error"' in msg and '"skip"' in msg, msg


def test_zero_is_offered_only_where_a_missing_count_means_none() -> None:
    offered = []
    for name in _takes("missing"):
        try:
            _call(name, missing="zero")
            offered.append(name)
        except jamlik.JamlikError as e:
            msg = str(e)
            assert "missing" in msg and '"zero"' not in msg.split("offers", 1)[1].split("got", 1)[0], msg
    assert set(offered) == {"jamlik.indicators.dsr", "jamlik.indicators.isr", "jamlik.indicators.life_expectancy",
                            "jamlik.indicators.health_expectancy"}


@pytest.mark.parametrize("name", _takes("sex"))
def test_sex_w_lists_the_accepted_values(name: str) -> None:
    with pytest.raises(jamlik.JamlikError) as info:
        _call(name, sex="W")
    msg = str(info.value)
    assert "sex" in msg and "K" in msg and "women" in msg, msg
    # The vocabulary's spellings all work and mean the same.
    a = _call(name, sex="K")
    b = _call(name, sex="women")
    pd.testing.assert_frame_equal(_frame(a), _frame(b))


@pytest.mark.parametrize("name", _takes("municipality"))
def test_municipality_as_a_number_or_a_name_without_diacritics(name: str) -> None:
    def same(a: Any, b: Any) -> None:
        if isinstance(a, str):  # the HTML report
            assert a == b
        else:
            pd.testing.assert_frame_equal(_frame(a), _frame(b))

    padded = _call(name, municipality="0180")
    for spelling in (180, "180", "Stockholm", "stockholm "):
        same(_call(name, municipality=spelling), padded)
    same(_call(name, municipality="Vasteras"), _call(name, municipality="1980"))
    with pytest.raises(jamlik.JamlikError) as info:
        _call(name, municipality="Vasterxs")
    assert "Västerås" in str(info.value) and "1980" in str(info.value)
    with pytest.raises(TypeError):
        _call(name, municipality=1980.5)


def test_no_silent_default_kpi_or_municipality() -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="kpi"):
        goals.compare_areas(DEMO, municipality="0180")
    with pytest.raises(jamlik.InvalidArgumentError, match="municipality"):
        goals.compare_areas(DEMO, kpi="N00925")
    with pytest.raises(TypeError):
        report.follow_up()  # type: ignore[call-arg]


def test_heat_pop_for_population_is_refused_with_the_expected_names() -> None:
    frame = heat.example().rename(columns={"population": "pop"})
    with pytest.raises(jamlik.ColumnError) as info:
        heat.summary(frame, by="dimension")
    msg = str(info.value)
    assert "pop" in msg and "population" in msg and "subgroup_order" in msg, msg


def test_heat_missing_estimate_column_and_flag_as_text() -> None:
    with pytest.raises(jamlik.ColumnError, match="estimate"):
        heat.summary(heat.example().drop(columns="estimate"), by="dimension")
    with pytest.raises(jamlik.InvalidArgumentError) as info:
        heat.summary(heat.example().assign(favourable_indicator="yes"), by="dimension")
    assert "favourable_indicator" in str(info.value) and "1 or 0" in str(info.value)
    with pytest.raises(jamlik.InvalidArgumentError, match="favourable"):
        heat.d(Y, favourable="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call, culprit",
    [
        (lambda: indicators.life_expectancy(_life_table().rename(columns={"deaths": "death"}), count="deaths",
                                            population="population", age_band="age_band", by="area"), "deaths"),
        (lambda: indicators.dsr(_life_table(), count="deaths", population="pop", age_band="age_band"), "pop"),
        (lambda: indicators.proportion("count", "population", data=_areas().rename(columns={"count": "n"})), "count"),
        (lambda: goals.compare_areas(DEMO.rename(columns={"value": "values"}), kpi="N00925", municipality="0180"),
         "value"),
    ],
    ids=["life_expectancy", "dsr", "proportion", "compare_areas"],
)
def test_a_missing_column_is_named_with_a_suggestion(call: Callable[[], Any], culprit: str) -> None:
    with pytest.raises(jamlik.ColumnError) as info:
        call()
    assert culprit in str(info.value), str(info.value)


@pytest.mark.parametrize(
    "call, culprit",
    [
        (lambda: jamlik.concentration_index(["a", "b", "c"], [1, 2, 3]), "outcome"),
        (lambda: jamlik.gini(np.array(["1", "x"])), "values"),
        (lambda: heat.sii(["38", "x", "51"], subgroup_order=[1, 2, 3]), "estimate"),
        (lambda: indicators.proportion(["12", "forty"], [150, 300]), "count"),
        (lambda: heat.summary(heat.example().assign(estimate="high"), by="dimension"), "estimate"),
    ],
    ids=["concentration_index", "gini", "heat.sii", "proportion", "heat.summary"],
)
def test_text_where_numbers_belong_names_the_argument(call: Callable[[], Any], culprit: str) -> None:
    with pytest.raises(jamlik.InvalidArgumentError) as info:
        call()
    assert culprit in str(info.value), str(info.value)


def test_a_pyarrow_table_comes_back_as_a_pyarrow_table() -> None:
    out = heat.summary(pa.Table.from_pandas(heat.example()), by="dimension")
    assert isinstance(out, pa.Table)
    pd.testing.assert_frame_equal(out.to_pandas(), heat.summary(heat.example(), by="dimension"),
                                  check_dtype=False)
    lt = indicators.life_expectancy(pa.Table.from_pandas(_life_table()), count="deaths", population="population",
                                    age_band="age_band", by="area")
    assert isinstance(lt, pa.Table)


def test_every_error_is_a_jamlik_error() -> None:
    assert issubclass(jamlik.ColumnError, jamlik.InvalidArgumentError)
    for cls in (jamlik.ShapeError, jamlik.MissingValueError, jamlik.DomainError, jamlik.ConfidenceLevelError,
                jamlik.TooFewError, jamlik.DegenerateError, jamlik.InvalidArgumentError, jamlik.ParseError,
                jamlik.DataSourceError, jamlik.ColumnError):
        assert issubclass(cls, jamlik.JamlikError) and issubclass(cls, ValueError)
    assert microdata.concentration_index is jamlik.concentration_index
