"""jamlik.kolada against a local mock server (never the real API) and fixtures."""

from __future__ import annotations

import json
import math
import time

import jamlik
import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st
from jamlik import kolada
from kolada_mock_server import MockKolada, fixture

V3_P1 = "/v3/data/kpi/N00945/municipality/0180,1280,1480/year/2018,2019,2020"
V3_P2 = V3_P1 + "?page=2&per_page=5"
FAST = dict(retries=3, backoff=0.001, timeout=5.0, allow_http=True)


def test_parse_matches_the_documented_columns() -> None:
    df = kolada.parse(fixture("v3_data_mixed.json"))
    assert list(df.columns) == ["kpi", "area", "year", "sex", "value", "count", "status"]
    assert kolada.COLUMNS == ("kpi", "area", "year", "sex", "value", "count", "status")
    assert len(df) == 7
    assert df["year"].dtype == np.int64
    assert df["value"].isna().sum() == 3
    assert list(df["status"][:4]) == ["", "Missing", "", "Not applicable"]
    split = df[df["kpi"] == "N80401"].set_index("sex")["value"].to_dict()
    assert split == {"T": 90.0, "K": 91.5, "M": 88.5}
    assert df.attrs["source"] == "Källa: Kolada"
    assert df.attrs["licence"] == "CC BY 4.0"
    assert len(kolada.parse(fixture("v3_data_mixed.json"), keep_deleted=True)) == 8


def test_parse_polars_has_nulls_not_nan() -> None:
    pl = pytest.importorskip("polars")
    df = kolada.parse(fixture("v3_data_mixed.json"), backend="polars")
    assert isinstance(df, pl.DataFrame)
    assert df.columns == list(kolada.COLUMNS)
    assert df["value"].null_count() == 3
    assert df["value"].is_nan().sum() == 0
    assert df.schema["year"] == pl.Int64 and df.schema["area"] == pl.String
    pandas = kolada.parse(fixture("v3_data_mixed.json"))
    np.testing.assert_array_equal(df["value"].to_numpy(), pandas["value"].to_numpy())
    assert df["area"].to_list() == pandas["area"].to_list()


def test_parse_pyarrow_has_nulls_and_credit() -> None:
    pa = pytest.importorskip("pyarrow")
    df = kolada.parse(fixture("v3_data_mixed.json"), backend="pyarrow")
    assert isinstance(df, pa.Table)
    assert df.column_names == list(kolada.COLUMNS)
    assert df.column("value").null_count == 3
    assert df.schema.field("year").type == pa.int64()
    assert df.schema.metadata[b"source"] == "Källa: Kolada".encode()
    pandas = kolada.parse(fixture("v3_data_mixed.json"))
    assert df.column("sex").to_pylist() == pandas["sex"].to_list()


def test_empty_response_keeps_columns_in_every_backend() -> None:
    body = json.dumps({"values": []})
    assert list(kolada.parse(body).columns) == list(kolada.COLUMNS)
    pytest.importorskip("polars")
    assert kolada.parse(body, backend="polars").columns == list(kolada.COLUMNS)
    pytest.importorskip("pyarrow")
    assert kolada.parse(body, backend="pyarrow").column_names == list(kolada.COLUMNS)
    with pytest.raises(jamlik.InvalidArgumentError, match="backend"):
        kolada.parse(body, backend="spark")
    with pytest.raises(TypeError):
        kolada.parse(body, as_polars=True)  # the old keyword is gone


@pytest.mark.parametrize("name", ["truncated.json", "not_json.html"])
def test_malformed_responses_raise_parse_error(name: str) -> None:
    with pytest.raises(jamlik.ParseError):
        kolada.parse(fixture(name))


def test_parse_shared_reference_fixtures_against_values_sample() -> None:
    path = shared_path("reference", "kolada", "api_v3_fixture.json")
    sample = pd.read_csv(shared_path("reference", "kolada", "values_sample.csv"), dtype={"municipality_id": str})
    sample = sample.rename(columns={"municipality_id": "area", "period": "year", "gender": "sex"})
    doc = json.loads(path.read_text(encoding="utf-8"))
    pages = [r for r in doc["responses"] if r["id"].startswith("v3_data_page")]
    df = pd.concat([kolada.parse(json.dumps(r["body"])) for r in pages], ignore_index=True)
    assert len(df) == 9
    merged = df.merge(sample, on=["kpi", "area", "year", "sex"], suffixes=("", "_ref"))
    assert len(merged) == 9
    np.testing.assert_array_equal(merged["value"].to_numpy(), merged["value_ref"].to_numpy())


def test_fetch_follows_pages_and_records_attribution() -> None:
    with MockKolada({V3_P1: "v3_data_page1.json", V3_P2: "v3_data_page2.json"}) as srv:
        df = kolada.fetch("N00945", ["0180", 1280, "1480"], range(2018, 2021), base_url=srv.base, **FAST)
        assert srv.requests == [V3_P1, V3_P2]
    assert len(df) == 9
    assert math.isclose(df["value"].sum(), 346.05, rel_tol=1e-12)
    assert df.attrs["source"] == "Källa: Kolada"
    assert df.attrs["kolada_query"]["municipalities"] == ["0180", "1280", "1480"]


def test_fetch_chunks_more_than_25_ids() -> None:
    def echo(target: str, nth: int):
        parts = target.split("/")
        kpis = parts[parts.index("kpi") + 1].split(",")
        assert len(kpis) <= 25
        rows = [
            {
                "kpi": k,
                "municipality": "0180",
                "period": 2020,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 1.0}],
            }
            for k in kpis
        ]
        return 200, {}, json.dumps({"values": rows})

    kpis = [f"N{i:05d}" for i in range(60)]
    routes = {}
    for start in range(0, 60, 25):
        routes[f"/v3/data/kpi/{','.join(kpis[start:start + 25])}/municipality/0180"] = echo
    with MockKolada(routes) as srv:
        df = kolada.fetch(kpis, "0180", None, base_url=srv.base, **FAST)
        assert len(srv.requests) == 3
    assert sorted(df["kpi"]) == kpis


def test_429_then_success_and_500_exhausted() -> None:
    def limited(target: str, nth: int):
        if nth == 0:
            return 429, {"Retry-After": "0"}, "{}"
        return 200, {}, fixture("v3_kpi.json")

    with MockKolada({"/v3/kpi/N80401,N00925": limited, "/v3/kpi/N1": lambda t, n: (500, {}, "{}")}) as srv:
        meta = kolada.metadata("kpi", ["N80401", "N00925"], base_url=srv.base, **FAST)
        assert len(meta) == 2
        assert list(meta["is_divided_by_sex"]) == [True, False]
        with pytest.raises(jamlik.DataSourceError, match="HTTP 500"):
            kolada.metadata("kpi", ["N1"], base_url=srv.base, **FAST)
        assert srv.requests.count("/v3/kpi/N1") == 4


def test_timeout_is_a_data_source_error() -> None:
    def slow(target: str, nth: int):
        time.sleep(1.0)
        return 200, {}, fixture("v3_kpi.json")

    with MockKolada({"/v3/kpi/N80401": slow}) as srv:
        with pytest.raises(jamlik.DataSourceError):
            kolada.metadata("kpi", "N80401", base_url=srv.base, allow_http=True, timeout=0.1, retries=0)


def test_offline_cache_hit_and_miss(tmp_path) -> None:
    with MockKolada({V3_P1: "v3_data_page1.json", V3_P2: "v3_data_page2.json"}) as srv:
        query = ("N00945", ["0180", "1280", "1480"], [2018, 2019, 2020])
        online = kolada.fetch(*query, base_url=srv.base, cache_dir=tmp_path, **FAST)
        offline = kolada.fetch(*query, base_url=srv.base, allow_http=True, cache_dir=tmp_path, offline=True)
        assert len(srv.requests) == 2
        pd.testing.assert_frame_equal(online, offline)
        with pytest.raises(jamlik.DataSourceError, match="offline"):
            kolada.fetch("N00945", "0180", 2021, base_url=srv.base, allow_http=True, cache_dir=tmp_path, offline=True)
        assert len(srv.requests) == 2
    # An interrupted write elsewhere leaves a stray temp file; a truncated entry is refused offline.
    (tmp_path / ".tmp-crash.partial").write_text('{"values": [', encoding="utf-8")
    entries = sorted(tmp_path.glob("*.kolada"))
    assert len(entries) == 1, "one entry holds both pages"
    data = entries[0].read_bytes()
    entries[0].write_bytes(data[: len(data) // 2])
    with pytest.raises(jamlik.DataSourceError, match="corrupt"):
        kolada.fetch(
            "N00945", ["0180", "1280", "1480"], [2018, 2019, 2020],
            base_url=srv.base, allow_http=True, cache_dir=tmp_path, offline=True,
        )
    assert kolada.clear_cache(tmp_path) == 2


def test_offline_without_cache_dir_and_bad_arguments(tmp_path) -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match="offline"):
        kolada.fetch("N1", "0180", 2020, offline=True)
    with pytest.raises(jamlik.InvalidArgumentError, match="years"):
        kolada.fetch("N1", "0180", [1700], offline=True, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists(), "a bad query touches nothing"
    with pytest.raises(jamlik.InvalidArgumentError, match=r"`kpis`: .*not a Kolada id"):
        kolada.fetch("N1/../x", "0180", 2020, base_url="http://127.0.0.1:9/v3", allow_http=True)
    with pytest.raises(jamlik.InvalidArgumentError, match="two of"):
        kolada.fetch("N1", None, None, base_url="http://127.0.0.1:9/v3", allow_http=True)
    with pytest.raises(jamlik.InvalidArgumentError, match="api"):
        kolada.fetch("N1", "0180", 2020, api="v9")
    with pytest.raises(jamlik.InvalidArgumentError, match="entity"):
        kolada.metadata("kommun")


def test_metadata_frames_and_records() -> None:
    routes = {
        "/v3/municipality": "v3_municipality_page1.json",
        "/v3/municipality?page=2": "v3_municipality_page2.json",
        "/v3/municipality_groups/G92787,G176199": lambda t, n: (
            200,
            {},
            json.dumps({"values": [g for page in ("v3_municipality_groups_page1.json", "v3_municipality_groups_page2.json")
                                   for g in json.loads(fixture(page))["values"] if g["id"] in ("G92787", "G176199")]}),
        ),
    }
    with MockKolada(routes) as srv:
        m = kolada.metadata("municipality", base_url=srv.base, **FAST)
        assert list(m.columns) == ["id", "title", "type"]
        assert len(m) == 8 and (m["type"] == "K").sum() == 5
        g = kolada.metadata("municipality_groups", ["G92787", "G176199"], base_url=srv.base, **FAST)
        assert list(g.columns) == ["id", "title", "member_id", "member_title"]
        assert len(g) == 1 + 3
        recs = kolada.metadata("municipality_groups", ["G92787", "G176199"], base_url=srv.base, as_frame=False, **FAST)
        assert recs[1]["members"][0] == {"id": "1980", "title": "Västerås"}
        pl = pytest.importorskip("polars")
        mp = kolada.metadata("municipality", base_url=srv.base, backend="polars", **FAST)
        assert isinstance(mp, pl.DataFrame) and mp.columns == ["id", "title", "type"]
        assert mp["id"].to_list() == m["id"].to_list()
        pa = pytest.importorskip("pyarrow")
        ga = kolada.metadata("municipality_groups", ["G92787", "G176199"], base_url=srv.base, backend="pyarrow", **FAST)
        assert isinstance(ga, pa.Table) and ga.column("member_id").to_pylist() == g["member_id"].to_list()


def test_parse_metadata_v2_and_v3_agree() -> None:
    v3 = kolada.parse_metadata("kpi", fixture("v3_kpi.json"), as_frame=False)
    v2 = kolada.parse_metadata("kpi", fixture("v2_kpi.json"), as_frame=False)
    for a, b in zip(v3, v2):
        assert (a["id"], a["is_divided_by_sex"], a["auspice"]) == (b["id"], b["is_divided_by_sex"], b["auspice"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[NU][0-9]{5}", fullmatch=True),
            st.from_regex(r"[0-9]{4}", fullmatch=True),
            st.integers(1970, 2030),
            st.sampled_from("TKM"),
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
            st.sampled_from(["", "Missing", "Not applicable"]),
        ),
        max_size=30,
    )
)
def test_parse_round_trips_exact_values(rows) -> None:
    body = {"values": [{"kpi": k, "municipality": m, "period": p, "values": [{"gender": g, "count": 1, "status": s, "value": v}]}
                       for k, m, p, g, v, s in rows], "next_url": None}
    df = kolada.parse(json.dumps(body))
    assert len(df) == len(rows)
    for (k, m, p, g, v, s), got in zip(rows, df.itertuples(index=False)):
        assert (got.kpi, got.area, got.year, got.sex, got.status) == (k, m, p, g, s)
        assert (v is None and math.isnan(got.value)) or got.value == v


def test_unknown_municipality_is_refused_before_any_request() -> None:
    # Port 9 (discard) is never contacted: the id is checked against the shipped geography first.
    with pytest.raises(jamlik.InvalidArgumentError, match="`municipalities`: unknown municipality or area `9999`"):
        kolada.fetch("N00945", ["0180", "9999"], 2020, base_url="http://127.0.0.1:9/v3", allow_http=True, retries=0)
    with pytest.raises(jamlik.InvalidArgumentError, match=r"`municipalities`: .*did you mean `Västerås` \(1980\)\?"):
        kolada.fetch("N00945", ["Vasterxs"], 2020, base_url="http://127.0.0.1:9/v3", allow_http=True, retries=0)
    with pytest.raises(jamlik.InvalidArgumentError, match=r"`municipalities`: 180\.0 is not an id"):
        kolada.fetch("N00945", [180.0], 2020, base_url="http://127.0.0.1:9/v3", allow_http=True, retries=0)
    with pytest.raises(jamlik.InvalidArgumentError, match="`kpis`: 945 is not an id"):
        kolada.fetch([945], "0180", 2020, base_url="http://127.0.0.1:9/v3", allow_http=True, retries=0)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("180", "0180"),
        (180, "0180"),
        (np.int64(180), "0180"),
        ("0180", "0180"),
        ("Stockholm", "0180"),
        ("stockholm", "0180"),
        ("Vasteras", "1980"),
        ("  Malmö ", "1280"),
        ("Göteborg", "1480"),
        ("goteborg", "1480"),
        ("Gotland", "0980"),  # municipality 0980 wins over Region Gotland 0009
        ("Region Gotland", "0009"),
        ("0001", "0001"),
        (1, "0001"),
        ("Region Västmanland", "0019"),
        ("Västmanland", "0019"),
        ("0000", "0000"),
        (0, "0000"),
        ("Riket", "0000"),
        ("G92787", "G92787"),
        ("Habo", "0643"),
        ("Håbo", "0305"),
    ],
)
def test_resolve_area(query, expected) -> None:
    assert kolada.resolve_area(query) == expected


def test_resolve_area_errors() -> None:
    with pytest.raises(jamlik.InvalidArgumentError) as e:
        kolada.resolve_area("Vasterxs")
    assert str(e.value) == "unknown municipality or area `Vasterxs`; did you mean `Västerås` (1980)?"
    with pytest.raises(jamlik.InvalidArgumentError, match="unknown municipality or area `Atlantis`"):
        kolada.resolve_area("Atlantis")
    with pytest.raises(jamlik.InvalidArgumentError, match="unknown municipality or area `12345`"):
        kolada.resolve_area(12345)
    with pytest.raises(jamlik.InvalidArgumentError, match="`query`"):
        kolada.resolve_area("  ")
    for bad in (180.0, None, True, b"0180", ["0180"]):
        with pytest.raises(TypeError, match="`query`"):
            kolada.resolve_area(bad)


def test_municipality_names_and_ints_resolve_before_the_request() -> None:
    with MockKolada({V3_P1: "v3_data_page1.json", V3_P2: "v3_data_page2.json"}) as srv:
        df = kolada.fetch("N00945", ["stockholm", "Malmo", 1480], range(2018, 2021), base_url=srv.base, **FAST)
        assert srv.requests == [V3_P1, V3_P2]
    assert sorted(df["area"].unique()) == ["0180", "1280", "1480"]


def test_bad_options_are_jamlik_errors_naming_the_argument() -> None:
    url = "http://127.0.0.1:9/v3"
    for kwargs, name in [
        (dict(retries=-1), "retries"),
        (dict(retries=1.5), "retries"),
        (dict(per_page=-5), "per_page"),
        (dict(timeout="fast"), "timeout"),
        (dict(backoff=None), "backoff"),
        (dict(cache_dir=3), "cache_dir"),
        (dict(api=3), "api"),
        (dict(backend="excel"), "backend"),
    ]:
        with pytest.raises(jamlik.InvalidArgumentError, match=f"`{name}`"):
            kolada.fetch("N1", "0180", 2020, base_url=url, **kwargs)
    with pytest.raises(jamlik.InvalidArgumentError, match="`years`"):
        kolada.fetch("N1", "0180", "2020", base_url=url)
    with pytest.raises(jamlik.InvalidArgumentError, match="`text`"):
        kolada.parse(42)
    with pytest.raises(jamlik.ParseError, match="`text`"):
        kolada.parse(b"\xff\xfe")
    with pytest.raises(jamlik.InvalidArgumentError, match="`title`"):
        kolada.metadata("kpi", title=5, base_url=url)
    with pytest.raises(jamlik.InvalidArgumentError, match="`ids`"):
        kolada.metadata("kpi", [5], base_url=url)


def test_metadata_municipality_ids_accept_integers() -> None:
    body = json.dumps({"values": [{"id": "0180", "title": "Stockholm", "type": "K"}]})
    with MockKolada({"/v3/municipality/0180,1480": lambda t, n: (200, {}, body)}) as srv:
        m = kolada.metadata("municipality", [180, "1480"], base_url=srv.base, **FAST)
        assert srv.requests == ["/v3/municipality/0180,1480"]
    assert list(m["id"]) == ["0180"]
    with pytest.raises(jamlik.InvalidArgumentError, match="`ids`"):
        kolada.metadata("kpi", [80401], base_url="http://127.0.0.1:9/v3", allow_http=True)
