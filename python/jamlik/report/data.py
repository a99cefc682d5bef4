"""The report's data: the embedded demo, a Kolada long-format file (``--data``) or Kolada itself
(``--fetch``), all brought to jamlik's long columns ``kpi, area, year, sex, value``."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from jamlik._jamlik import ColumnError, DataSourceError, InvalidArgumentError

#: Kolada's own column names (API, exports) -> jamlik's.
KOLADA_NAMES = {
    "municipality": "area",
    "municipality_id": "area",
    "area_id": "area",
    "period": "year",
    "gender": "sex",
    "kpi_id": "kpi",
    "municipality_name": "area_name",
    "name": "area_name",
}
#: Optional columns the report uses when they are there.
OPTIONAL = ("se", "lower", "upper", "count", "population", "area_name", "status")


def read_data(path: Union[str, os.PathLike[str]]) -> Any:
    """A Kolada long-format CSV or Parquet file as a pandas long frame.

    Accepts jamlik's names (``kpi, area, year, sex, value``) or Kolada's (``municipality`` or
    ``municipality_id``, ``period``, ``gender``); keeps ``lower, upper, count, population`` and
    a display name ``area_name`` (or Kolada's ``municipality_name``) when present."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise DataSourceError(f"`path`: no file {str(p)!r}; pass a Kolada long-format .csv or .parquet file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(p)
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(p, dtype={"area": str, "municipality": str, "municipality_id": str, "kpi": str})
        else:
            raise InvalidArgumentError(f"`path`: {p.name!r} is neither .csv nor .parquet; convert it to one of them")
    except (OSError, ValueError, ImportError) as e:
        if isinstance(e, InvalidArgumentError):
            raise
        raise DataSourceError(f"`path`: cannot read {str(p)!r}: {e}") from e
    frame = normalise(frame)
    frame.attrs["source"] = f"{p.name}"
    frame.attrs["data_date"] = datetime.fromtimestamp(p.stat().st_mtime, tz=timezone.utc).date().isoformat()
    return frame


def normalise(frame: Any) -> Any:
    """Kolada's names renamed to jamlik's, required columns checked, ids zero-padded."""
    import pandas as pd

    frame = frame.rename(columns={k: v for k, v in KOLADA_NAMES.items() if k in frame.columns and v not in frame.columns})
    missing = [c for c in ("kpi", "area", "year", "sex", "value") if c not in frame.columns]
    if missing:
        raise ColumnError(
            f"`data` lacks the column(s) {', '.join(missing)}; a Kolada long-format file has kpi, area (or "
            f"municipality), year (or period), sex (or gender) and value; it has {', '.join(map(str, frame.columns))}"
        )
    keep = ["kpi", "area", "year", "sex", "value"] + [c for c in OPTIONAL if c in frame.columns]
    out = frame[keep].copy()
    area = out["area"]
    if pd.api.types.is_numeric_dtype(area):
        out["area"] = area.map(lambda a: f"{int(a):04d}")
    else:
        out["area"] = area.astype(str).str.strip().map(lambda a: a.zfill(4) if a.isdigit() else a)
    out["kpi"] = out["kpi"].astype(str)
    out["sex"] = out["sex"].astype(str).str.upper().replace({"WOMEN": "K", "MEN": "M", "TOTAL": "T", "F": "K"})
    try:
        out["year"] = out["year"].astype(np.int64)
        out["value"] = pd.to_numeric(out["value"], errors="raise").astype(np.float64)
    except (ValueError, TypeError) as e:
        raise ColumnError(f"`data`: the columns year and value must be numbers ({e})") from e
    return out


def fetch(kpis: list[str], *, cache_dir: Optional[str], base_url: Optional[str], offline: bool,
          first_year: int, last_year: int, allow_http: bool = False) -> Any:
    """Every municipality, region and the nation for ``kpis`` from Kolada (``jamlik.kolada.fetch``
    with its on-disk cache)."""
    from jamlik import kolada

    frame = kolada.fetch(kpis, None, range(first_year, last_year + 1), cache_dir=cache_dir,
                         base_url=base_url, offline=offline, allow_http=allow_http)
    frame = normalise(frame)
    frame.attrs["source"] = f"{kolada.ATTRIBUTION} (API)"
    frame.attrs["data_date"] = datetime.now(timezone.utc).date().isoformat()
    return frame


def area_names(frame: Any) -> dict[str, str]:
    """Display names a data file gives its areas (column ``area_name``), else none."""
    if not hasattr(frame, "columns") or "area_name" not in frame.columns:
        return {}
    pairs = frame[["area", "area_name"]].dropna().drop_duplicates("area")
    return {str(a): str(n) for a, n in zip(pairs["area"], pairs["area_name"])}
