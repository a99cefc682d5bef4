"""Kolada ingestion: fetch and parse Kolada API v2/v3 responses into long frames.

Kolada (https://www.kolada.se) is the Swedish municipal and regional statistics
database. Its data is open data (CC BY 4.0): credit it as **"Källa: Kolada"**
wherever it is used. Frames returned here carry that line in ``frame.attrs``
(pandas) or the schema metadata (pyarrow); polars frames have no attributes, so
credit :data:`ATTRIBUTION` yourself.

Data frames are in long format, one row per KPI × area × year × sex, with the
columns :data:`COLUMNS`::

    kpi, area, year, sex, value, count, status

Kolada's own field names are renamed once, where its JSON is parsed (in Rust):
``municipality`` → ``area`` (the 4-digit id, or a group id ``G…``), ``period`` →
``year``, ``gender`` → ``sex``. ``sex`` is ``T`` (total), ``K`` (kvinnor, women) or
``M`` (män, men). A value Kolada publishes as ``null`` stays a row with a missing
``value`` and its ``status`` (``""``, ``"Missing"``, ``"Not applicable"``...), so
"no data" stays visible. Rows Kolada flags ``isdeleted`` are dropped unless
``keep_deleted=True``.

Every function returns a frame in the library named by ``backend`` (``"pandas"``,
the default, ``"polars"`` or ``"pyarrow"``). In polars and pyarrow a missing value
is a null; in pandas it is NaN.

Areas are resolved by :func:`resolve_area` (one resolver, in Rust): Kolada ids as
strings or integers (``180`` → ``"0180"``), names ignoring case and diacritics
(``"Vasteras"`` → ``"1980"``), group ids (``"G92787"``) unchanged.

The client splits id lists into requests of at most 25 ids per path segment,
follows ``next_url``/``next_page`` paging (checking that the pages agree), retries
429 and 5xx responses and network failures a bounded number of times with
exponential backoff and jitter (honouring ``Retry-After``, capped), talks HTTPS only
unless ``allow_http=True``, and keeps a checksummed on-disk cache with atomic writes
when ``cache_dir`` is given; ``offline=True`` serves only that cache.
Network and parsing run in Rust with the GIL released.

Example (needs the network, or a filled cache with ``offline=True``)::

    import jamlik
    df = jamlik.kolada.fetch(["N00925", "N00923"], ["Stockholm", 1480], range(2015, 2024),
                             cache_dir="~/.cache/jamlik/kolada")
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any, Optional, Union

import numpy as np

from jamlik import _frames, _jamlik
from jamlik._jamlik import InvalidArgumentError, JamlikError, ParseError

__all__ = [
    "ATTRIBUTION",
    "COLUMNS",
    "LICENCE",
    "MAX_RESPONSE_BYTES",
    "clear_cache",
    "fetch",
    "metadata",
    "parse",
    "parse_metadata",
    "resolve_area",
]

#: The credit line Kolada's licence asks for.
ATTRIBUTION: str = _jamlik.KOLADA_ATTRIBUTION
#: Licence of Kolada's open data.
LICENCE: str = _jamlik.KOLADA_LICENCE
#: Columns of a data frame, in order (the names come from the Rust parser).
COLUMNS: tuple[str, ...] = tuple(_jamlik.KOLADA_COLUMNS)
#: Default largest response body accepted by :func:`fetch` and :func:`metadata` (512 MiB).
MAX_RESPONSE_BYTES: int = 512 * 1024 * 1024
#: Metadata entities.
ENTITIES = ("kpi", "kpi_groups", "municipality", "municipality_groups")

PathLike = Union[str, "os.PathLike[str]"]


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def resolve_area(query: Union[str, int]) -> str:
    """The Kolada id of a municipality, region or the nation, or a group id unchanged.

    ``query`` is an id as a string or an integer (zero-padded to four digits: ``180``
    and ``"180"`` are ``"0180"``, ``1`` is ``"0001"`` Region Stockholm, ``0`` is
    ``"0000"`` Riket), a name matched ignoring case, surrounding whitespace and
    diacritics (``"Vasteras"`` → ``"1980"``, ``"  Malmö "`` → ``"1280"``), a region
    name with or without "Region " (``"Västmanland"`` → ``"0019"``), or a Kolada group
    id (``"G92787"``). A name that is both a municipality and a region (Stockholm,
    Uppsala, Kalmar, Gotland) is the municipality.

    Raises :class:`jamlik.InvalidArgumentError` for an unknown area, with the nearest
    names in the message, and ``TypeError`` for anything but ``str`` or ``int``.
    """
    if _is_int(query):
        query = str(int(query))
    elif not isinstance(query, str):
        raise TypeError(f"`query` must be a str or an int, got {type(query).__name__}")
    if not query.strip():
        raise InvalidArgumentError('`query`: is empty; give a Kolada id ("0180", 180) or a name ("Stockholm")')
    return _jamlik.resolve_area(query)


def _id_list(values: Any, name: str, *, ints: bool = False) -> list[Any]:
    """A list of ids. ``None`` is an empty list; a single string (or integer, with
    ``ints``) is one id."""
    if values is None:
        return []
    if isinstance(values, str) or (ints and _is_int(values)):
        return [values]
    try:
        items = list(values)
    except TypeError:
        raise InvalidArgumentError(
            f"`{name}` must be an id or a list of ids, got {type(values).__name__}"
        ) from None
    for v in items:
        if not (isinstance(v, str) or (ints and _is_int(v))):
            kind = "a string or an integer" if ints else "a string"
            raise InvalidArgumentError(f"`{name}`: {v!r} is not an id ({kind})")
    return items


def _area_list(values: Any, name: str) -> list[str]:
    """Area ids for ``values`` through :func:`resolve_area`; errors name ``name``."""
    out = []
    for v in _id_list(values, name, ints=True):
        try:
            out.append(resolve_area(v))
        except JamlikError as e:
            raise InvalidArgumentError(f"`{name}`: {e}") from None
    return out


def _year_list(years: Any) -> list[int]:
    if years is None:
        return []
    if _is_int(years):
        return [_year(years)]
    if isinstance(years, str):
        raise InvalidArgumentError(f"`years`: {years!r} is not an integer year")
    try:
        items = list(years)
    except TypeError:
        raise InvalidArgumentError(f"`years` must be a year or a list of years, got {type(years).__name__}") from None
    out = []
    for y in items:
        if not _is_int(y):
            raise InvalidArgumentError(f"`years`: {y!r} is not an integer year")
        out.append(_year(y))
    return out


def _year(y: Any) -> int:
    """A year Kolada could hold (a 32-bit integer): 10**20 names `years`, not a bare OverflowError."""
    if not -(2**31) <= y < 2**31:
        raise InvalidArgumentError(f"`years`: {y!r} is out of range for a year")
    return int(y)


def _path(p: Optional[PathLike], name: str = "cache_dir") -> Optional[str]:
    if p is None:
        return None
    try:
        return os.path.expanduser(os.fspath(p))
    except TypeError:
        raise InvalidArgumentError(f"`{name}` must be a path, got {type(p).__name__}") from None


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgumentError(f"`{name}` must be a number of seconds, got {value!r}")
    return float(value)


def _count(value: Any, name: str, *, optional: bool = False) -> Optional[int]:
    if optional and value is None:
        return None
    if not _is_int(value) or value < 0 or value > 2**32 - 1:
        raise InvalidArgumentError(f"`{name}` must be a non-negative integer, got {value!r}")
    return int(value)


def _network(
    cache_dir: Optional[PathLike],
    offline: bool,
    api: str,
    base_url: Optional[str],
    allow_http: bool,
    timeout: Any,
    connect_timeout: Any,
    retries: Any,
    backoff: Any,
    max_retry_after: Any,
    max_response_bytes: Any,
    per_page: Any,
) -> dict[str, Any]:
    """The client options every fetching function passes to the native module."""
    if not isinstance(api, str):
        raise InvalidArgumentError(f"`api` must be 'v3' or 'v2', got {api!r}")
    if base_url is not None and not isinstance(base_url, str):
        raise InvalidArgumentError(f"`base_url` must be a URL string, got {base_url!r}")
    if not isinstance(allow_http, (bool, np.bool_)):
        raise InvalidArgumentError(f"`allow_http` must be True or False, got {allow_http!r}")
    if not _is_int(max_response_bytes) or not 1 <= max_response_bytes <= 2**64 - 1:
        raise InvalidArgumentError(
            f"`max_response_bytes` must be a positive integer number of bytes, got {max_response_bytes!r}"
        )
    return dict(
        cache_dir=_path(cache_dir),
        offline=bool(offline),
        api=api,
        base_url=base_url,
        allow_http=bool(allow_http),
        timeout=_seconds(timeout, "timeout"),
        connect_timeout=_seconds(connect_timeout, "connect_timeout"),
        retries=_count(retries, "retries"),
        backoff=_seconds(backoff, "backoff"),
        max_retry_after=_seconds(max_retry_after, "max_retry_after"),
        max_response_bytes=int(max_response_bytes),
        per_page=_count(per_page, "per_page", optional=True),
    )


def _text(text: Any) -> str:
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ParseError(f"`text` is not UTF-8 ({e})") from None
    if not isinstance(text, str):
        raise InvalidArgumentError(f"`text` must be str or bytes, got {type(text).__name__}")
    return text


def _with_attrs(frame: Any, backend: str, attrs: dict[str, Any]) -> Any:
    """Credit and query details: ``frame.attrs`` (pandas) or the schema metadata
    (pyarrow, as text); polars frames carry none."""
    if backend == "pandas":
        frame.attrs.update(attrs)
    elif backend == "pyarrow":
        meta = dict(frame.schema.metadata or {})
        meta.update({k.encode(): str(v).encode() for k, v in attrs.items()})
        frame = frame.replace_schema_metadata(meta)
    return frame


def _data_frame(cols: dict[str, Any], backend: str, info: dict[str, Any]) -> Any:
    attrs = {"source": ATTRIBUTION, "licence": LICENCE, **info}
    strings = ("kpi", "area", "sex", "status")
    if backend == "polars":
        import polars as pl

        frame = pl.DataFrame(
            {
                c: pl.Series(c, list(cols[c]), dtype=pl.String)
                if c in strings
                else pl.Series(c, cols[c], dtype=pl.Int64 if c == "year" else pl.Float64)
                for c in COLUMNS
            }
        ).with_columns(pl.col("value").fill_nan(None), pl.col("count").fill_nan(None))
        return frame
    if backend == "pyarrow":
        import pyarrow as pa

        frame = pa.table(
            {
                c: pa.array(list(cols[c]), type=pa.string())
                if c in strings
                else pa.array(cols[c], type=pa.int64() if c == "year" else pa.float64(), from_pandas=True)
                for c in COLUMNS
            }
        )
        return _with_attrs(frame, backend, attrs)
    frame = _frames.backend_frame({c: cols[c] for c in COLUMNS}, "pandas")
    frame["year"] = frame["year"].astype("int64")
    return _with_attrs(frame, backend, attrs)


def parse(text: Union[str, bytes], *, keep_deleted: bool = False, backend: str = "pandas") -> Any:
    """Parses one Kolada data response (v2 or v3) into a long frame (:data:`COLUMNS`).

    Raises :class:`jamlik.ParseError` for malformed or truncated JSON, a body that is
    not a Kolada data response, or a gender code other than T/K/M, and
    :class:`jamlik.InvalidArgumentError` for a ``text`` that is not str/bytes or an
    unknown ``backend``.
    """
    _frames.check_backend(backend)
    cols = _jamlik.kolada_parse(_text(text), keep_deleted=bool(keep_deleted))
    return _data_frame(cols, backend, {"kolada_query": "parsed response"})


def fetch(
    kpis: Any,
    municipalities: Any,
    years: Any,
    *,
    cache_dir: Optional[PathLike] = None,
    offline: bool = False,
    api: str = "v3",
    base_url: Optional[str] = None,
    allow_http: bool = False,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    retries: int = 4,
    backoff: float = 0.5,
    max_retry_after: float = 120.0,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
    per_page: Optional[int] = None,
    keep_deleted: bool = False,
    backend: str = "pandas",
) -> Any:
    """Fetches Kolada values for KPIs × municipalities × years as a long frame
    (:data:`COLUMNS`).

    Any two of ``kpis``, ``municipalities`` and ``years`` must be given (``None`` or
    empty leaves one out, as Kolada allows). ``municipalities`` are municipalities,
    regions, the nation or Kolada groups, each resolved by :func:`resolve_area`: ids
    as strings or integers (``180`` → ``"0180"``), names (``"Arboga"``, ``"malmo"``)
    or group ids (``"G92787"``); an area not in the shipped geography is an error
    before any request.

    Parameters: ``cache_dir`` caches every response on disk (one checksummed entry
    per request holding all its pages, written atomically and only once every page
    arrived); ``offline`` serves only that cache (a miss or a corrupt entry raises
    :class:`jamlik.DataSourceError`); ``api`` is ``"v3"`` (default) or ``"v2"``;
    ``base_url`` points at a mirror or a local test server, and must be ``https://``
    unless ``allow_http=True``; ``timeout`` (seconds for a whole request) and
    ``connect_timeout`` (seconds to connect); ``retries`` on 429/5xx/network errors,
    waiting the server's ``Retry-After`` (at most ``max_retry_after`` seconds) or an
    exponential backoff with jitter starting at ``backoff`` seconds;
    ``max_response_bytes`` the largest body accepted; ``per_page`` (1-5000);
    ``backend`` the frame library of the result.

    Raises :class:`jamlik.InvalidArgumentError` for bad ids, years or options (naming
    the argument) and :class:`jamlik.DataSourceError` for HTTP/network/cache failures,
    a body over ``max_response_bytes``, an answer that is not a Kolada response (HTML,
    truncated JSON, a missing field) and pages that disagree (the data changed while
    paging). Nothing from a failed request is cached.
    """
    _frames.check_backend(backend)
    k = _id_list(kpis, "kpis")
    m = _area_list(municipalities, "municipalities")
    y = _year_list(years)
    net = _network(
        cache_dir, offline, api, base_url, allow_http, timeout, connect_timeout,
        retries, backoff, max_retry_after, max_response_bytes, per_page,
    )
    cols = _jamlik.kolada_fetch(k, m, y, keep_deleted=bool(keep_deleted), **net)
    info = {
        "kolada_api": api,
        "kolada_query": {"kpis": k, "municipalities": m, "years": y},
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "offline": bool(offline),
    }
    return _data_frame(cols, backend, info)


def _metadata_frame(entity: str, records: list[dict[str, Any]], backend: str) -> Any:
    if entity in ("municipality_groups", "kpi_groups"):
        rows = []
        for g in records:
            members = g.get("members") or [{"id": None, "title": None}]
            for mem in members:
                rows.append(
                    {"id": g["id"], "title": g["title"], "member_id": mem["id"], "member_title": mem["title"]}
                )
        columns = ["id", "title", "member_id", "member_title"]
    else:
        rows = records
        columns = list(records[0].keys()) if records else (
            ["id", "title", "type"] if entity == "municipality" else ["id", "title"]
        )
    data = {c: [r.get(c) for r in rows] for c in columns}
    if backend == "polars" and not rows:
        import polars as pl

        return pl.DataFrame({c: pl.Series(c, [], dtype=pl.String) for c in columns})
    if backend == "pyarrow" and not rows:
        import pyarrow as pa

        frame = pa.table({c: pa.array([], type=pa.string()) for c in columns})
    else:
        frame = _frames.backend_frame(data, backend)
    if backend == "polars":
        return frame
    return _with_attrs(frame, backend, {"source": ATTRIBUTION, "licence": LICENCE, "kolada_entity": entity})


def _check_entity(entity: Any) -> None:
    if entity not in ENTITIES:
        raise InvalidArgumentError(f"`entity`: expected one of {', '.join(ENTITIES)}, got {entity!r}")


def metadata(
    entity: str,
    ids: Any = None,
    title: Optional[str] = None,
    *,
    as_frame: bool = True,
    backend: str = "pandas",
    cache_dir: Optional[PathLike] = None,
    offline: bool = False,
    api: str = "v3",
    base_url: Optional[str] = None,
    allow_http: bool = False,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    retries: int = 4,
    backoff: float = 0.5,
    max_retry_after: float = 120.0,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
    per_page: Optional[int] = None,
) -> Any:
    """Kolada metadata: ``"kpi"``, ``"kpi_groups"``, ``"municipality"`` or
    ``"municipality_groups"``.

    ``ids`` selects records (≤25 per request, split automatically); for
    ``"municipality"`` integer ids are zero-padded (``180`` → ``"0180"``). ``title`` is
    Kolada's title search. With ``as_frame`` (default) a frame in ``backend``'s library:
    one row per record, groups unnested to ``id, title, member_id, member_title`` (a
    group without members keeps one row with empty member columns). KPI records say
    ``is_divided_by_sex`` (Kolada's ``is_divided_by_gender``). With ``as_frame=False``
    the records as dicts (groups with a ``members`` list). Network options as in
    :func:`fetch`.
    """
    _check_entity(entity)
    _frames.check_backend(backend)
    if title is not None and not isinstance(title, str):
        raise InvalidArgumentError(f"`title` must be a string, got {title!r}")
    wanted = _id_list(ids, "ids", ints=entity == "municipality")
    wanted = [f"{int(v):04d}" if _is_int(v) and 0 <= v <= 9999 else str(v) for v in wanted]
    net = _network(
        cache_dir, offline, api, base_url, allow_http, timeout, connect_timeout,
        retries, backoff, max_retry_after, max_response_bytes, per_page,
    )
    records = _jamlik.kolada_metadata(entity, wanted, title, **net)
    return _metadata_frame(entity, records, backend) if as_frame else records


def parse_metadata(entity: str, text: Union[str, bytes], *, as_frame: bool = True, backend: str = "pandas") -> Any:
    """Parses one metadata response (v2 or v3); see :func:`metadata`."""
    _check_entity(entity)
    _frames.check_backend(backend)
    records = _jamlik.kolada_parse_metadata(entity, _text(text))
    return _metadata_frame(entity, records, backend) if as_frame else records


def clear_cache(cache_dir: PathLike) -> int:
    """Removes every cached Kolada response (and stray temporary files left by
    interrupted writes) from ``cache_dir``; returns the number of files removed."""
    path = _path(cache_dir)
    if path is None:
        raise InvalidArgumentError("`cache_dir` must be a path, got None")
    return int(_jamlik.kolada_clear_cache(path))


