"""The Kolada client under faults, through the Python API, against a local mock
server on 127.0.0.1: every failure is a ``DataSourceError`` naming what went wrong
(or a correct retry), nothing from a failed request is cached, plain http needs
``allow_http=True`` and a damaged cache entry is never served."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path
from typing import Any, Callable

import jamlik
import pytest
from jamlik import kolada
from kolada_mock_server import MockKolada, Reply

FAST: dict[str, Any] = dict(retries=2, backoff=0.001, timeout=5.0, allow_http=True)

P1 = "/v3/data/kpi/N1/municipality/0180,1280"
P2 = P1 + "?page=2&per_page=2"


def rows(areas: list[str], years: list[int]) -> str:
    return ",".join(
        f'{{"kpi":"N1","municipality":"{a}","period":{y},'
        f'"values":[{{"gender":"T","count":1,"status":"","value":{y}.5}}]}}'
        for a in areas
        for y in years
    )


def page(body_rows: str, count: int, nxt: str | None) -> str:
    link = "null" if nxt is None else f'"{nxt}"'
    return f'{{"values":[{body_rows}],"count":{count},"next_url":{link}}}'


def good(n: int) -> Reply:
    if n == 1:
        return 200, {}, page(rows(["0180"], [2020, 2021]), 2, P2)
    return 200, {}, page(rows(["1280"], [2020]), 1, None)


def two_pages(second: Callable[[int], Reply]) -> MockKolada:
    return MockKolada({P1: lambda t, n: good(1), P2: lambda t, n: second(n)})


def fetch(srv: MockKolada, cache: Path | None = None, **kw: Any) -> Any:
    return kolada.fetch("N1", ["0180", "1280"], None, base_url=srv.base, cache_dir=cache, **{**FAST, **kw})


def test_good_pages_are_cached_as_one_entry(tmp_path: Path) -> None:
    with two_pages(lambda n: good(2)) as srv:
        df = fetch(srv, tmp_path)
        assert len(df) == 3
        assert len(list(tmp_path.iterdir())) == 1
        again = fetch(srv, tmp_path, offline=True)
        assert again["value"].tolist() == df["value"].tolist()
        assert len(srv.requests) == 2


BROKEN_SECOND_PAGES = {
    "truncated JSON": (lambda n: (200, {}, page(rows(["1280"], [2020]), 1, None)[:40]), "truncated JSON"),
    "HTML": (lambda n: (200, {}, "<html><body>Service unavailable</body></html>"), "not a Kolada response"),
    "missing field": (
        lambda n: (200, {}, page('{"kpi":"N1","municipality":"1280","values":[]}', 1, None)),
        "missing field `period`",
    ),
    "duplicate row": (lambda n: (200, {}, page(rows(["0180"], [2021]), 1, None)), "changed while paging"),
    "count changes": (lambda n: (200, {}, page(rows(["1280"], [2020]), 7, None)), "`count` was 2 on page 1"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_SECOND_PAGES))
def test_a_broken_second_page_is_a_data_source_error_and_caches_nothing(name: str, tmp_path: Path) -> None:
    reply, message = BROKEN_SECOND_PAGES[name]
    with two_pages(reply) as srv:
        with pytest.raises(jamlik.DataSourceError, match=message) as info:
            fetch(srv, tmp_path)
        assert P2 in str(info.value), "the message names the page's URL"
        assert srv.requests == [P1, P2], "a deterministic fault is not retried"
    assert list(tmp_path.iterdir()) == [], "nothing partial is cached"


def test_unknown_fields_are_tolerated() -> None:
    extra = '"values":[{"kpi":"N1","municipality":"0180","period":2020,"new":{"a":[1]},'
    extra += '"values":[{"gender":"K","value":2.5,"status":"","count":1,"flag":true}]}]'
    with MockKolada({P1: lambda t, n: (200, {}, "{" + extra + ',"api_version":"3.1","next_url":null}')}) as srv:
        df = fetch(srv)
    assert df["value"].tolist() == [2.5]


def test_retry_after_is_honoured_with_a_cap_and_without_it_backs_off() -> None:
    def limited(t: str, n: int) -> Reply:
        if n == 0:
            return 429, {"Retry-After": "3600"}, "{}"
        if n == 1:
            return 429, {}, "{}"
        return good(2)

    with MockKolada({P1: limited}) as srv:
        # A one-hour Retry-After capped at 10 ms; then backoff; then success.
        df = fetch(srv, max_retry_after=0.01)
        assert len(df) == 1
        assert len(srv.requests) == 3


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_storms_end_after_bounded_retries_naming_status_and_url(status: int) -> None:
    with MockKolada({P1: lambda t, n: (status, {"Retry-After": "0"}, "{}")}) as srv:
        with pytest.raises(jamlik.DataSourceError, match=re.escape(f"HTTP {status} from http://127.0.0.1:{srv.port}/v3/data")):
            fetch(srv, retries=3)
        assert len(srv.requests) == 4


def test_a_stalled_body_times_out() -> None:
    with MockKolada({P1: lambda t, n: (200, {"X-Mock-Stall": "2"}, page(rows(["0180"], [2020]), 1, None))}) as srv:
        with pytest.raises(jamlik.DataSourceError, match="timeout"):
            fetch(srv, timeout=0.2, retries=1)
        assert len(srv.requests) == 2


def test_a_connection_reset_mid_body_is_retried_then_reported(tmp_path: Path) -> None:
    body = page(rows(["0180", "1280"], [2020, 2021]), 4, None)

    def once(t: str, n: int) -> Reply:
        return (200, {"X-Mock-Cut": "30"} if n == 0 else {}, body)

    with MockKolada({P1: once}) as srv:
        assert len(fetch(srv, tmp_path)) == 4
        assert len(srv.requests) == 2
    cache = tmp_path / "always"
    with MockKolada({P1: lambda t, n: (200, {"X-Mock-Cut": "30"}, body)}) as srv:
        with pytest.raises(jamlik.DataSourceError, match="network error"):
            fetch(srv, cache)
        assert len(srv.requests) == 3
    assert list(cache.iterdir()) == []


def test_a_response_over_max_response_bytes_names_the_limit(tmp_path: Path) -> None:
    big = page(rows(["0180"], list(range(1950, 2100))), 150, None)
    with MockKolada({P1: lambda t, n: (200, {}, big)}) as srv:
        with pytest.raises(jamlik.DataSourceError, match="max_response_bytes = 1000 bytes"):
            fetch(srv, tmp_path, max_response_bytes=1000)
        assert len(srv.requests) == 1, "not retried"
        assert list(tmp_path.iterdir()) == []
        assert len(fetch(srv, max_response_bytes=len(big))) == 150


def test_plain_http_needs_allow_http() -> None:
    for call in (
        lambda: kolada.fetch("N1", "0180", 2020, base_url="http://127.0.0.1:9/v3"),
        lambda: kolada.metadata("kpi", ["N1"], base_url="http://127.0.0.1:9/v3"),
    ):
        with pytest.raises(jamlik.InvalidArgumentError, match=r"`base_url`.*allow_http=True"):
            call()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(allow_http="yes"), "allow_http"),
        (dict(max_response_bytes=0), "max_response_bytes"),
        (dict(max_response_bytes=1.5), "max_response_bytes"),
        (dict(connect_timeout=0), "connect_timeout"),
        (dict(connect_timeout="slow"), "connect_timeout"),
        (dict(max_retry_after=-1), "max_retry_after"),
    ],
)
def test_new_options_are_checked(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match=f"`{name}`"):
        kolada.fetch("N1", "0180", 2020, base_url="http://127.0.0.1:9/v3", **{**FAST, **kwargs})


def test_a_flipped_byte_in_the_cache_is_detected_offline_and_refetched_online(tmp_path: Path) -> None:
    with two_pages(lambda n: good(2)) as srv:
        df = fetch(srv, tmp_path)
        (entry,) = tmp_path.glob("*.kolada")
        data = bytearray(entry.read_bytes())
        data[-5] ^= 0x01
        entry.write_bytes(bytes(data))
        with pytest.raises(jamlik.DataSourceError, match=r"corrupt.*checksum"):
            fetch(srv, tmp_path, offline=True)
        again = fetch(srv, tmp_path)
        assert again["value"].tolist() == df["value"].tolist()
        assert len(srv.requests) == 4, "refetched both pages"
        assert fetch(srv, tmp_path, offline=True)["value"].tolist() == df["value"].tolist()


def test_a_connection_that_never_completes_hits_the_connect_timeout() -> None:
    # A listener with a full accept queue: the kernel drops further SYNs, so a new
    # connection never completes. Loopback only.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(c)
        time.sleep(0.1)
        with pytest.raises(jamlik.DataSourceError, match="timeout: connect"):
            kolada.fetch(
                "N1", "0180", 2020, base_url=f"http://127.0.0.1:{port}/v3",
                allow_http=True, connect_timeout=0.3, timeout=30, retries=0,
            )
    finally:
        for c in fillers:
            c.close()
        listener.close()
