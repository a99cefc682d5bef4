"""docs/errors.md stays true: every row of its catalogue is tried here.

Each row of the catalogue has an id; ``EXAMPLES`` maps the id to a call that makes the
mistake and to the argument (or column, or value) the message must name. For each row
parsed from the document, the call must raise exactly the documented class and its
message must contain the documented fragment. Every id in the document has an example
here and every example has a row there.
"""

from __future__ import annotations

import builtins
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import datasets, goals, heat, indicators, kolada, report, spark, state
from kolada_mock_server import MockKolada
from test_newcomer import _areas, _life_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"

RNG = np.random.default_rng(17)
N = 400
H = 1 + RNG.gamma(2.0, 1.0, N)
X = RNG.lognormal(10, 0.5, N)
W = RNG.uniform(0.5, 2.0, N)
Y = [38.2, 45.6, 51.9, 60.3, 71.4]
POP = [212400.0, 198700.0, 187300.0, 176900.0, 160200.0]
ORDER = [1, 2, 3, 4, 5]
LT = {"count": "deaths", "population": "population", "age_band": "age_band"}
AREAS = {"count": "count", "population": "population"}
NAN = float("nan")
EMPTY_CACHE = tempfile.mkdtemp(prefix="jamlik-empty-cache-")


def _demo() -> Any:
    return datasets.demo()


def _sii_frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"q": range(1, rows + 1), "value": np.linspace(50, 25, rows), "se": [2.0] * rows,
                         "population": [1000.0] * rows})


def _sii(rows: int, **kw: Any) -> Any:
    return indicators.sii(_sii_frame(rows), quantile="q", population="population", value="value", se="se",
                          **{"method": "analytic", **kw})


def _http_404() -> Any:
    with MockKolada({}) as srv:
        return kolada.metadata("kpi", ["N1"], base_url=srv.base, allow_http=True, retries=0, timeout=5)


P1 = "/v3/data/kpi/N00945/municipality/0180/year/2020"
P2 = P1 + "?page=2"


def _page(years: list[int], count: int, nxt: str | None) -> str:
    rows = ",".join(
        f'{{"kpi":"N00945","municipality":"0180","period":{y},"values":[{{"gender":"T","value":1.0}}]}}' for y in years
    )
    link = "null" if nxt is None else f'"{nxt}"'
    return f'{{"values":[{rows}],"count":{count},"next_url":{link}}}'


def _fetch_from(routes: dict[str, Any], **kw: Any) -> Any:
    with MockKolada(routes) as srv:
        return kolada.fetch("N00945", "0180", [2020], base_url=srv.base, allow_http=True, retries=0, timeout=5, **kw)


def _paging_changed() -> Any:
    first, second = _page([2020], 1, P2), _page([2021], 2, None)
    return _fetch_from({P1: lambda t, n: (200, {}, first), P2: lambda t, n: (200, {}, second)})


def _corrupt_cache() -> Any:
    cache = Path(tempfile.mkdtemp(prefix="jamlik-corrupt-cache-"))
    page = _page([2020], 1, None)
    with MockKolada({P1: lambda t, n: (200, {}, page)}) as srv:
        opts: dict[str, Any] = dict(base_url=srv.base, allow_http=True, cache_dir=cache, retries=0, timeout=5)
        kolada.fetch("N00945", "0180", [2020], **opts)
        (entry,) = cache.glob("*.kolada")
        data = bytearray(entry.read_bytes())
        data[-3] ^= 0x01
        entry.write_bytes(bytes(data))
        return kolada.fetch("N00945", "0180", [2020], offline=True, **opts)


def _nan_count() -> pd.DataFrame:
    lt = _life_table()
    lt.loc[3, "deaths"] = NAN
    return lt


def _fetch(*query: Any, **kw: Any) -> Any:
    return kolada.fetch(*(query or ("N00945", "0180", [2020])), **{"cache_dir": EMPTY_CACHE, "offline": True, **kw})


ONE_GROUP = np.zeros(N, dtype=np.int64)
EACH_ROW = np.arange(N, dtype=np.int64)

def _report_file(name: str, text: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix="jamlik-report-")) / name
    path.write_text(text, encoding="utf-8")
    return path


def _without_jinja2(call: Callable[[], Any]) -> Any:
    import sys

    saved = sys.modules.get("jinja2")
    sys.modules["jinja2"] = None  # type: ignore[assignment]
    try:
        return call()
    finally:
        if saved is None:
            del sys.modules["jinja2"]
        else:
            sys.modules["jinja2"] = saved


# id → (the mistake, what the message must name)
EXAMPLES: dict[str, tuple[Callable[[], Any], str]] = {
    # grouped calls and Arrow input
    "grouped-missing-value": (lambda: jamlik.gini([1.0, NAN, 3.0, 4.0], by=["a", "a", "b", "b"]), "values"),
    "grouped-by-length": (lambda: jamlik.gini(X, by=["a", "b"]), "by"),
    "arrow-text-column": (lambda: jamlik.gini(__import__("pyarrow").array(["a", "b"])), "values"),
    # arrays of numbers
    "empty-array": (lambda: jamlik.gini([]), "values"),
    "all-rows-dropped": (lambda: jamlik.gini([NAN, NAN], missing="drop"), "values"),
    "length-mismatch": (lambda: jamlik.concentration_index(H, X[:10]), "rank_by"),
    "two-dimensional": (lambda: jamlik.gini(np.ones((3, 3))), "values"),
    "text-in-array": (lambda: jamlik.gini(np.array(["1", "x"])), "values"),
    "infinite-value": (lambda: jamlik.gini([1.0, np.inf, 3.0]), "values"),
    "parameter-as-text": (lambda: jamlik.generalized_entropy(X, "two"), "alpha"),  # type: ignore[arg-type]
    "parameter-out-of-range": (lambda: jamlik.atkinson(X, -1.0), "epsilon"),
    "parameter-nan": (lambda: jamlik.generalized_entropy(X, NAN), "alpha"),
    # weights, populations, counts
    "negative-weights": (lambda: jamlik.gini([1.0, 2, 3], [1.0, -1, 1]), "weights"),
    "weights-length": (lambda: jamlik.gini(X, W[:5]), "weights"),
    "negative-values": (lambda: jamlik.theil([1.0, -2, 3]), "values"),
    "negative-count": (lambda: indicators.proportion([-1, 40], [150, 300]), "count"),
    "count-above-population": (lambda: indicators.proportion([200, 40], [150, 300]), "count"),
    "negative-population": (lambda: heat.d(Y, population=[-1, 1, 1, 1, 1]), "population"),
    "negative-se": (lambda: heat.d(Y, se=[-1, 1, 1, 1, 1]), "se"),
    "outside-limits": (lambda: heat.d(Y, lmin=50, lmax=60), "estimate"),
    "standard-length": (lambda: indicators.dsr(_life_table(), **LT, standard=[1.0, 2.0]), "standard"),
    "multiplier-negative": (lambda: indicators.dsr(_life_table(), **LT, multiplier=-1), "multiplier"),
    # confidence level
    "level-percentage": (lambda: jamlik.gini(X, level=95), "level"),
    "level-zero": (lambda: jamlik.gini(X, level=0), "level"),
    "level-above-one": (lambda: jamlik.gini(X, level=1.5), "level"),
    "level-in-tuple": (lambda: indicators.funnel_limits(_areas(), statistic="proportion", **AREAS,
                                                        level=(0.95, 99.8)), "level"),
    "level-as-text": (lambda: jamlik.gini(X, level="95%"), "level"),  # type: ignore[arg-type]
    # missing values
    "nan-in-array": (lambda: jamlik.gini([1.0, NAN, 3.0]), "values"),
    "nan-count": (lambda: indicators.dsr(_nan_count(), **LT, by="area"), "count"),
    "nan-in-frame": (lambda: heat.summary(heat.example().assign(estimate=NAN), by="dimension"), "estimate"),
    "missing-unknown-policy": (lambda: jamlik.gini(X, missing="skip"), "missing"),
    "missing-zero-not-offered": (lambda: indicators.quantile(_areas(), value="count", nquantiles=4, missing="zero"),
                                 "missing"),
    # frames and columns
    "column-misspelt": (lambda: indicators.dsr(_life_table(), **{**LT, "count": "death"}), "death"),
    "by-column-missing": (lambda: heat.summary(heat.example(), by=["dimension", "nope"]), "nope"),
    "data-column-renamed": (lambda: goals.compare_areas(_demo().rename(columns={"value": "values"}), kpi="N00925",
                                                        municipality="0180"), "value"),
    "not-a-frame": (lambda: heat.summary([1, 2, 3]), "frame"),
    "text-column": (lambda: heat.summary(heat.example().assign(estimate="high"), by="dimension"), "estimate"),
    # HEAT frames and flags
    "heat-pop-for-population": (lambda: heat.summary(heat.example().rename(columns={"population": "pop"}),
                                                     by="dimension"), "population"),
    "heat-no-estimate": (lambda: heat.summary(heat.example().drop(columns="estimate"), by="dimension"), "estimate"),
    "heat-flag-text": (lambda: heat.summary(heat.example().assign(favourable_indicator="yes"), by="dimension"),
                       "favourable_indicator"),
    "heat-flag-two": (lambda: heat.summary(heat.example().assign(ordered_dimension=2), by="dimension"),
                      "ordered_dimension"),
    "heat-favourable-text": (lambda: heat.d(Y, favourable="yes"), "favourable"),  # type: ignore[arg-type]
    "heat-reference-out-of-range": (lambda: heat.d(Y, reference=9), "reference"),
    "heat-unordered-sii": (lambda: heat.sii(Y), "subgroup_order"),
    "heat-duplicate-order": (lambda: heat.sii(Y, subgroup_order=[1, 1, 1, 1, 1], population=POP),
                             "subgroup_order"),
    "heat-draws": (lambda: heat.summary(heat.example(), by="dimension", draws=0), "draws"),
    "heat-scale": (lambda: heat.d(Y, scale=-1), "scale"),
    "heat-seed": (lambda: heat.summary(heat.example(), by="dimension", seed=-1), "seed"),
    # areas
    "area-misspelt": (lambda: goals.compare_areas(_demo(), kpi="N00925", municipality="Vasterxs"), "Vasterxs"),
    "area-unknown-id": (lambda: goals.compare_areas(_demo(), kpi="N00925", municipality="9999"), "9999"),
    "area-unknown-report": (lambda: report.follow_up("Nowhere", _demo()), "Nowhere"),
    "area-float": (lambda: goals.compare_areas(_demo(), kpi="N00925", municipality=1980.5),  # type: ignore[arg-type]
                   "municipality"),
    # sex
    "sex-unknown": (lambda: goals.compare_areas(_demo(), kpi="N00925", municipality="0180", sex="W"), "sex"),
    # KPI and goal ids
    "kpi-not-in-data": (lambda: goals.compare_areas(_demo(), kpi="N99999", municipality="0180"), "N99999"),
    "kpi-not-given": (lambda: goals.compare_areas(_demo(), municipality="0180"), "kpi"),
    "goal-unknown": (lambda: goals.assess(_demo(), goal="G999", municipality="0180"), "G999"),
    # options given as text
    "kind-unknown": (lambda: jamlik.concentration_index(H, X, kind="wagstaf"), "kind"),
    "se-unknown": (lambda: jamlik.gini(X, se="boot"), "se"),
    "ties-unknown": (lambda: jamlik.concentration_index(H, X, ties="avg"), "ties"),
    "method-unknown": (lambda: _sii(5, method="magic"), "method"),
    "backend-unknown": (lambda: datasets.demo(backend="arrow"), "backend"),
    "statistic-unknown": (lambda: indicators.funnel_limits(_areas(), statistic="ratio2", **AREAS), "statistic"),
    "compat-unknown": (lambda: heat.sii(Y, subgroup_order=ORDER, compat="stata"), "compat"),
    "ratio-type-unknown": (lambda: indicators.funnel_limits(_areas(), statistic="ratio", **AREAS, ratio_type="odd"),
                           "ratio_type"),
    "catalogue-mode-unknown": (lambda: goals.load_catalogue({"goals": []}, mode="merge"), "mode"),
    "age-band-label": (lambda: indicators.life_expectancy(_life_table().assign(age_band="x"), **LT, by="area"),
                       "age_band"),
    # Kolada, network, cache
    "offline-cache-miss": (lambda: _fetch(), EMPTY_CACHE),
    "offline-without-cache": (lambda: _fetch(cache_dir=None), "cache_dir"),
    "http-status": (_http_404, "/kpi/N1"),
    "kolada-two-of-three": (lambda: _fetch("N00945", None, None), "kpis"),
    "kolada-api-unknown": (lambda: _fetch(api="v9"), "api"),
    "kolada-entity-unknown": (lambda: kolada.metadata("kpis", ["N1"], cache_dir=EMPTY_CACHE, offline=True), "entity"),
    "kolada-year-text": (lambda: _fetch("N00945", "0180", ["twenty"]), "years"),
    "kolada-retries-negative": (lambda: _fetch(retries=-1), "retries"),
    "kolada-plain-http": (lambda: kolada.fetch("N00945", "0180", 2020, base_url="http://127.0.0.1:9/v3"), "base_url"),
    "kolada-max-response-bytes": (lambda: _fetch(max_response_bytes=0), "max_response_bytes"),
    "kolada-not-a-response": (lambda: _fetch_from({P1: lambda t, n: (200, {}, "<html>502</html>")}), "127.0.0.1"),
    "kolada-response-too-large": (
        lambda: _fetch_from({P1: lambda t, n: (200, {}, "x" * 1000)}, max_response_bytes=100),
        "max_response_bytes",
    ),
    "kolada-paging-changed": (_paging_changed, "count"),
    "kolada-cache-corrupt": (_corrupt_cache, "cache"),
    "catalogue-file-missing": (lambda: goals.load_catalogue("/nonexistent/cat.json"), "/nonexistent/cat.json"),
    # parsing
    "kolada-malformed-json": (lambda: kolada.parse("{not json"), "Kolada"),
    "kolada-unexpected-content": (lambda: kolada.parse('{"values": 3}'), "Kolada"),
    "kolada-not-utf8": (lambda: kolada.parse(b"\xff\xfe"), "text"),
    "metadata-malformed": (lambda: kolada.parse_metadata("kpi", "[1,"), "kpi"),
    "catalogue-malformed-json": (lambda: goals.load_catalogue("{bad"), "catalogue"),
    "catalogue-unknown-field": (lambda: goals.load_catalogue({"goals": [{"id": "X", "bogus": 1}]}), "bogus"),
    # allocation, years and generations (the fuzz found these)
    "too-much-memory": (lambda: heat.mdbu(Y, se=[1.0] * 5, population=POP, scale=1, draws=10**12), "draws"),
    "follow-up-at-before-data": (lambda: jamlik.report.follow_up("Arboga", at=1900), "at"),
    "generation-years-negative": (lambda: jamlik.report.gaps("Arboga", generation_years=-1), "generation_years"),
    "year-out-of-range": (lambda: kolada.fetch("N00945", "0180", 10**20, offline=True), "years"),
    "too-few-observations-kakwani": (lambda: jamlik.kakwani([1.0], [2.0]), "payment"),
    # too few
    "too-few-clusters": (lambda: jamlik.gini(X, cluster=ONE_GROUP), "cluster"),
    "single-psu-stratum": (lambda: jamlik.gini(X, strata=EACH_ROW, cluster=EACH_ROW), "strata"),
    "too-few-groups": (lambda: jamlik.compare_concentration(H, X, ONE_GROUP, W), "group"),
    "too-few-quantiles": (lambda: _sii(1), "quantiles"),
    "nquantiles-too-small": (lambda: indicators.quantile(_areas(), value="count", nquantiles=1), "nquantiles"),
    "no-regressors": (lambda: jamlik.decompose_concentration_index(H, {}, X, W), "regressors"),
    # degenerate input
    "zero-mean": (lambda: jamlik.gini([0.0, 0.0, 0.0]), "values"),
    "zero-mean-outcome": (lambda: jamlik.concentration_index([0.0, 0, 0], [1.0, 2, 3]), "outcome"),
    "all-ranks-equal": (lambda: jamlik.concentration_index([1.0, 2, 3], [5.0, 5, 5]), "rank_by"),
    "ratio-zero-over-zero": (lambda: heat.r([0.0, 0, 0, 0, 0]), "estimate"),
    "all-estimates-equal": (lambda: heat.rii([5.0] * 5, subgroup_order=ORDER, population=POP), "estimate"),
    "zero-total-population": (lambda: indicators.funnel_limits(_areas().assign(population=0.0),
                                                               statistic="proportion", **AREAS), "population"),
    # the municipality report
    "report-lang-unknown": (lambda: report.to_html("1984", _demo(), lang="de"), "lang"),
    "report-data-file-missing": (lambda: report.read_data(Path(EMPTY_CACHE) / "missing.csv"), "path"),
    "report-data-format": (lambda: report.read_data(_report_file("values.xlsx", "kpi\n")), "values.xlsx"),
    "report-data-columns": (lambda: report.read_data(_report_file("v.csv", "kpi,area,year,value\nN1,0180,2020,1\n")),
                            "sex"),
    "report-extra-missing": (lambda: _without_jinja2(lambda: report.to_html("1984")), "jamlik[report]"),
    # charts
    "chart-lang": (lambda: jamlik.plot.trend(_demo(), municipality="Arboga", indicator="N15428", lang="de"), "lang"),
    "chart-comparator": (lambda: jamlik.plot.trend(_demo(), municipality="Arboga", indicator="N15428",
                                                   comparators=("world",)), "comparators"),
    "chart-not-a-county": (lambda: jamlik.plot.compare_areas(_demo(), indicator="N15428", county="Arboga"), "county"),
    "chart-no-values": (lambda: jamlik.plot.trend(_demo(), municipality="Arboga", indicator="N80401"), "municipality"),
    # small numbers and maps
    "rank-draws-zero": (lambda: indicators.rank_intervals(_areas().assign(value=1.0, se=1.0), draws=0), "draws"),
    "rank-direction-unknown": (lambda: indicators.rank_intervals(_areas().assign(value=1.0, se=1.0),
                                                                 direction="up"), "direction"),
    "smooth-ratio-without-expected": (lambda: indicators.smooth(_areas(), statistic="ratio"), "expected"),
    "map-area-repeated": (lambda: _map_twice(), "area"),
    # mergeable states and Spark
    "state-bytes-malformed": (lambda: state.ConcentrationSums.from_bytes(b"{bad"), "data"),
    "ranges-overlap": (lambda: state.concentration_plan([state.ConcentrationTotals(H, X)] * 2), "rank_by"),
    "distributed-kind": (lambda: _sums(H, X).finish(kind="wagstaff"), "kind"),
    "sums-of-two-plans": (lambda: _sums(H, X).merge(_sums(2 * H, X)), "plans"),
    "spark-not-a-dataframe": (lambda: spark.concentration_index(pd.DataFrame({"h": H, "x": X}), "h", "x"), "frame"),
}


def _map_twice() -> Any:
    from jamlik.plot._map import choropleth

    return choropleth(pd.DataFrame({"area": ["0180", "Stockholm"], "value": [1.0, 2.0]}))


def _sums(h: Any, x: Any) -> Any:
    """Pass 2 of one range holding every row (the distributed index's state)."""
    return state.ConcentrationSums(h, x, None, state.concentration_plan([state.ConcentrationTotals(h, x)])[0])


def _code(cell: str) -> str:
    """The text of a cell that is one inline code span (`` `x` `` or `x`)."""
    cell = cell.strip()
    m = re.fullmatch(r"(`+)(.*?)\1", cell)
    assert m, f"not a code span: {cell!r}"
    return m.group(2).strip()


def _rows() -> dict[str, tuple[str, bool, str]]:
    """id → (class name, subclasses allowed, message fragment) from the catalogue table."""
    text = DOC.read_text(encoding="utf-8").split("## The catalogue", 1)[1]
    rows: dict[str, tuple[str, bool, str]] = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = line.strip().strip("|").split("|")
        assert len(cells) == 5, line
        ident = _code(cells[0])
        m = re.match(r"\s*`(\w+)`", cells[2])
        assert m, line
        assert ident not in rows, f"duplicate id {ident}"
        rows[ident] = (m.group(1), "or a subclass" in cells[2], _code(cells[3]))
    return rows


ROWS = _rows()


def _class(name: str) -> type[BaseException]:
    cls = getattr(jamlik, name, None) or getattr(builtins, name)
    assert isinstance(cls, type) and issubclass(cls, BaseException)
    return cls


def test_every_row_has_an_example_and_every_example_a_row() -> None:
    assert len(ROWS) >= 40
    assert sorted(set(ROWS) - set(EXAMPLES)) == [], "rows without an example"
    assert sorted(set(EXAMPLES) - set(ROWS)) == [], "examples without a row"


def test_the_class_table_matches_the_hierarchy() -> None:
    assert issubclass(jamlik.JamlikError, ValueError)
    assert issubclass(jamlik.ColumnError, jamlik.InvalidArgumentError)
    for name in {cls for cls, _, _ in ROWS.values()} - {"TypeError"}:
        assert issubclass(_class(name), jamlik.JamlikError), name


@pytest.mark.parametrize("ident", sorted(ROWS))
def test_catalogue_row(ident: str) -> None:
    name, subclasses, fragment = ROWS[ident]
    call, culprit = EXAMPLES[ident]
    expected = _class(name)
    with pytest.raises(BaseException) as info:
        call()
    err = info.value
    if subclasses:
        assert isinstance(err, expected), (type(err), err)
    else:
        assert type(err) is expected, (type(err).__name__, str(err))
    msg = str(err)
    assert fragment in msg, (fragment, msg)
    assert culprit in msg, (culprit, msg)
    if expected is not TypeError:
        assert isinstance(err, jamlik.JamlikError) and isinstance(err, ValueError)
