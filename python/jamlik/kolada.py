"""Kolada ingestion: fetch and parse Kolada API v2/v3 responses into long frames.

Kolada (https://www.kolada.se) is the Swedish municipal and regional statistics
database. Its data is open data (CC BY 4.0): credit it as **"Källa: Kolada"**
wherever it is used. Frames returned here carry that line in ``frame.attrs``
(pandas); polars frames have no attrs, so credit :data:`ATTRIBUTION` yourself.

Data frames are in long format with the columns of Kolada's own rows::

    kpi, municipality_id, period, gender, value, count, status

``gender`` is ``T`` (total), ``K`` (kvinnor, women) or ``M`` (män, men). A value
Kolada publishes as ``null`` stays a row with a missing ``value`` and its
``status`` (``""``, ``"Missing"``, ``"Not applicable"``...), so "no data" stays
visible. Rows Kolada flags ``isdeleted`` are dropped unless ``keep_deleted=True``.

The client splits id lists into requests of at most 25 ids per path segment,
follows ``next_url``/``next_page`` paging, retries 429 and 5xx responses with
exponential backoff (honouring ``Retry-After``), and keeps an on-disk cache with
atomic writes when ``cache_dir`` is given; ``offline=True`` serves only that cache.
Network and parsing run in Rust with the GIL released.

Example (needs the network, or a filled cache with ``offline=True``)::

    import jamlik
    df = jamlik.kolada.fetch(["N00925", "N00923"], ["0180", "1480"], range(2015, 2024),
                             cache_dir="~/.cache/jamlik/kolada")
"""

from __future__ import annotations

import functools
import re

import os
from datetime import datetime, timezone
from typing import Any, Optional, Union

import numpy as np

from jamlik import _jamlik
from jamlik._jamlik import InvalidArgumentError

__all__ = [
    "ATTRIBUTION",
    "COLUMNS",
    "LICENCE",
    "clear_cache",
    "fetch",
    "metadata",
    "parse",
    "parse_metadata",
]

#: The credit line Kolada's licence asks for.
ATTRIBUTION: str = _jamlik.KOLADA_ATTRIBUTION
#: Licence of Kolada's open data.
LICENCE: str = _jamlik.KOLADA_LICENCE
#: Columns of a data frame, in order.
COLUMNS = ("kpi", "municipality_id", "period", "gender", "value", "count", "status")
#: Metadata entities.
ENTITIES = ("kpi", "kpi_groups", "municipality", "municipality_groups")

PathLike = Union[str, "os.PathLike[str]"]


def _id_list(values: Any, name: str, *, pad: bool = False) -> list[str]:
    """A list of id strings. ``None`` is an empty list; a single string is one id.

    With ``pad`` (municipality ids), integers are zero-padded to Kolada's four digits
    (``180`` → ``"0180"``), since spreadsheets often drop the leading zero.
    """
    if values is None:
        return []
    if isinstance(values, (str, int, np.integer)):
        values = [values]
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif pad and isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 0 <= v <= 9999:
            out.append(f"{int(v):04d}")
        else:
            raise InvalidArgumentError(f"`{name}`: {v!r} is not an id string")
    return out


@functools.lru_cache(maxsize=1)
def _known_areas() -> tuple[frozenset[str], dict[str, str]]:
    """Area ids of the shipped geography, and lower-case titles → id (municipality first)."""
    geo = dict(_jamlik.geography_columns())
    ids = [str(i) for i in geo["id"]]
    by_title: dict[str, str] = {}
    for area_id, title, kind in zip(ids, geo["title"], geo["kind"]):
        if kind == "municipality" or str(title).lower() not in by_title:
            by_title[str(title).lower()] = area_id
    return frozenset(ids), by_title


def _area_ids(values: list[str]) -> list[str]:
    """Checks municipality ids against the shipped geography (Kolada group ids ``G…`` pass),
    and turns municipality or region names (``"Arboga"``) into ids."""
    known, by_title = _known_areas()
    out = []
    for v in values:
        if v in known or re.fullmatch(r"G\d+", v):
            out.append(v)
        elif v.lower() in by_title:
            out.append(by_title[v.lower()])
        else:
            raise InvalidArgumentError(
                f"`municipalities`: unknown municipality or region {v!r} (not in the shipped geography; "
                "group ids look like 'G92787')"
            )
    return out


def _year_list(years: Any) -> list[int]:
    if years is None:
        return []
    if isinstance(years, (int, np.integer)) and not isinstance(years, bool):
        return [int(years)]
    out = []
    for y in years:
        if isinstance(y, bool) or not isinstance(y, (int, np.integer)):
            raise InvalidArgumentError(f"`years`: {y!r} is not an integer year")
        out.append(int(y))
    return out


def _path(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.path.expanduser(os.fspath(p))


def _data_frame(cols: dict, as_polars: bool, info: dict) -> Any:
    attrs = {"source": ATTRIBUTION, "licence": LICENCE, **info}
    if as_polars:
        import polars as pl

        return pl.DataFrame(
            {
                "kpi": pl.Series(cols["kpi"], dtype=pl.String),
                "municipality_id": pl.Series(cols["municipality_id"], dtype=pl.String),
                "period": pl.Series(cols["period"], dtype=pl.Int64),
                "gender": pl.Series(cols["gender"], dtype=pl.String),
                "value": pl.Series(cols["value"], dtype=pl.Float64).fill_nan(None),
                "count": pl.Series(cols["count"], dtype=pl.Float64).fill_nan(None),
                "status": pl.Series(cols["status"], dtype=pl.String),
            }
        )
    import pandas as pd

    frame = pd.DataFrame({c: cols[c] for c in COLUMNS})
    frame["period"] = frame["period"].astype("int64")
    frame.attrs.update(attrs)
    return frame


def parse(text: Union[str, bytes], *, keep_deleted: bool = False, as_polars: bool = False) -> Any:
    """Parses one Kolada data response (v2 or v3) into a long frame.

    Raises :class:`jamlik.ParseError` for malformed or truncated JSON, a body that is
    not a Kolada data response, or a gender code other than T/K/M.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    cols = _jamlik.kolada_parse(text, keep_deleted=keep_deleted)
    return _data_frame(cols, as_polars, {"kolada_query": "parsed response"})


def fetch(
    kpis: Any,
    municipalities: Any,
    years: Any,
    *,
    cache_dir: Optional[PathLike] = None,
    offline: bool = False,
    api: str = "v3",
    base_url: Optional[str] = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 0.5,
    per_page: Optional[int] = None,
    keep_deleted: bool = False,
    as_polars: bool = False,
) -> Any:
    """Fetches Kolada values for KPIs × municipalities × years as a long frame.

    Any two of ``kpis``, ``municipalities`` and ``years`` must be given (``None`` or
    empty leaves one out, as Kolada allows). Municipality ids are strings (``"0180"``);
    integers are zero-padded; names (``"Arboga"``) are looked up in the shipped geography,
    and an id that is not there is an error. Group ids (``"G92787"``) work as municipalities.

    Parameters: ``cache_dir`` caches every page on disk (atomic writes); ``offline``
    serves only that cache (a miss raises :class:`jamlik.DataSourceError`); ``api`` is
    ``"v3"`` (default) or ``"v2"``; ``base_url`` points at a mirror or a local test
    server; ``timeout`` (seconds per request); ``retries`` on 429/5xx/network errors
    with exponential backoff starting at ``backoff`` seconds; ``per_page`` (1-5000).

    Raises :class:`jamlik.InvalidArgumentError` for bad ids, years or options,
    :class:`jamlik.DataSourceError` for HTTP/network/cache failures and
    :class:`jamlik.ParseError` for responses that are not Kolada responses.
    """
    k = _id_list(kpis, "kpis")
    m = _area_ids(_id_list(municipalities, "municipalities", pad=True))
    y = _year_list(years)
    cols = _jamlik.kolada_fetch(
        k,
        m,
        y,
        cache_dir=_path(cache_dir),
        offline=offline,
        api=api,
        base_url=base_url,
        timeout=float(timeout),
        retries=int(retries),
        backoff=float(backoff),
        per_page=per_page,
        keep_deleted=keep_deleted,
    )
    info = {
        "kolada_api": api,
        "kolada_query": {"kpis": k, "municipalities": m, "years": y},
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "offline": offline,
    }
    return _data_frame(cols, as_polars, info)


def _metadata_frame(entity: str, records: list, as_polars: bool) -> Any:
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
    if as_polars:
        import polars as pl

        if not rows:
            return pl.DataFrame({c: pl.Series([], dtype=pl.String) for c in columns})
        return pl.DataFrame(rows)
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs.update({"source": ATTRIBUTION, "licence": LICENCE, "kolada_entity": entity})
    return frame


def _check_entity(entity: str) -> None:
    if entity not in ENTITIES:
        raise InvalidArgumentError(f"`entity`: expected one of {', '.join(ENTITIES)}, got {entity!r}")


def metadata(
    entity: str,
    ids: Any = None,
    title: Optional[str] = None,
    *,
    as_frame: bool = True,
    as_polars: bool = False,
    cache_dir: Optional[PathLike] = None,
    offline: bool = False,
    api: str = "v3",
    base_url: Optional[str] = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 0.5,
    per_page: Optional[int] = None,
) -> Any:
    """Kolada metadata: ``"kpi"``, ``"kpi_groups"``, ``"municipality"`` or
    ``"municipality_groups"``.

    ``ids`` selects records (≤25 per request, split automatically); ``title`` is
    Kolada's title search. With ``as_frame`` (default) a frame: one row per record,
    groups unnested to ``id, title, member_id, member_title`` (a group without members
    keeps one row with empty member columns). With ``as_frame=False`` the records as
    dicts (groups with a ``members`` list). Network options as in :func:`fetch`.
    """
    _check_entity(entity)
    records = _jamlik.kolada_metadata(
        entity,
        _id_list(ids, "ids"),
        title,
        cache_dir=_path(cache_dir),
        offline=offline,
        api=api,
        base_url=base_url,
        timeout=float(timeout),
        retries=int(retries),
        backoff=float(backoff),
        per_page=per_page,
    )
    return _metadata_frame(entity, records, as_polars) if as_frame else records


def parse_metadata(entity: str, text: Union[str, bytes], *, as_frame: bool = True, as_polars: bool = False) -> Any:
    """Parses one metadata response (v2 or v3); see :func:`metadata`."""
    _check_entity(entity)
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    records = _jamlik.kolada_parse_metadata(entity, text)
    return _metadata_frame(entity, records, as_polars) if as_frame else records


def clear_cache(cache_dir: PathLike) -> int:
    """Removes every cached Kolada response (and stray temporary files left by
    interrupted writes) from ``cache_dir``; returns the number of files removed."""
    return int(_jamlik.kolada_clear_cache(_path(cache_dir)))


