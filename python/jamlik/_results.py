"""Result objects returned by jamlik's Python API.

:class:`Estimate` is the native result type for one estimate (value, se, lower,
upper, level, method, note, n, plus per-measure ``extra`` fields). It prints
well in a terminal, renders as a table in Jupyter and converts with
``to_dict()`` / ``to_frame()``. :func:`table` stacks many results into one frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Optional

from jamlik._jamlik import Estimate, InvalidArgumentError

__all__ = ["Estimate", "table"]


def _rows(result: Any, label: Optional[str]) -> list[dict[str, Any]]:
    """The result's rows as dicts, each tagged with its label when one is given."""
    if hasattr(result, "to_dict") and not hasattr(result, "columns"):
        rows = [dict(result.to_dict())]
    elif hasattr(result, "to_frame") and not hasattr(result, "columns"):
        return _rows(result.to_frame(), label)
    elif hasattr(result, "to_dict") and hasattr(result, "columns"):
        from jamlik._frames import to_pandas

        rows = to_pandas(result).to_dict("records")
    else:
        raise InvalidArgumentError(
            f"`results`: cannot tabulate a {type(result).__name__}; pass Estimates, result objects or frames"
        )
    if label is not None:
        for row in rows:
            row["label"] = label
    return rows


def table(results: Iterable[Any] | Mapping[str, Any], *, backend: str = "pandas") -> Any:
    """Stacks estimates (and result objects or frames) into one frame.

    ``results`` is a list, or a dict whose keys become a ``label`` column.
    Columns follow the vocabulary (``value, se, lower, upper, level, method,
    note, n``), then any extra fields.

    >>> import jamlik
    >>> a = jamlik.Estimate(0.25, 0.01, 0.23, 0.27, 0.95, "example")
    >>> jamlik.table({"a": a, "b": a})[["label", "value", "lower"]].to_string(index=False)
    'label  value  lower\\n    a   0.25   0.23\\n    b   0.25   0.23'
    """
    from jamlik._frames import backend_frame

    if isinstance(results, Mapping):
        rows = [row for label, r in results.items() for row in _rows(r, str(label))]
    else:
        rows = [row for r in results for row in _rows(r, None)]
    if not rows:
        raise InvalidArgumentError("`results` is empty: pass at least one estimate")
    names: list[str] = ["label"] if "label" in rows[0] else []
    for row in rows:
        for key in row:
            if key not in names:
                names.append(key)
    columns = {name: [row.get(name) for row in rows] for name in names}
    return backend_frame(columns, backend)
