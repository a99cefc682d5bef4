"""Result objects returned by jamlik's Python API.

They print well in a terminal (``repr``) and render as a table in Jupyter
(``_repr_html_``), and convert to plain dicts or one-row DataFrames.
"""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Optional


def _fmt(x: Optional[float]) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, int):
        return str(x)
    return f"{x:.6g}"


@dataclass(frozen=True)
class Estimate:
    """One estimated quantity: point estimate, standard error, confidence limits.

    ``se`` is on the scale of ``estimate``; for ratio measures it is the SE of
    the natural log of the ratio (``method`` says so). ``None`` means the
    method gives no such number.
    """

    estimate: float
    se: Optional[float]
    lower: Optional[float]
    upper: Optional[float]
    level: float
    method: str
    n: Optional[int] = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_tuple(cls, t: tuple[Any, ...], **kw: Any) -> "Estimate":
        """Builds an Estimate from the native ``(value, se, lower, upper, level, method)`` tuple."""
        value, se, lower, upper, level, method = t
        return cls(value, se, lower, upper, level, method, **kw)

    @property
    def value(self) -> float:
        """Alias of ``estimate``."""
        return self.estimate

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        extra = d.pop("extra")
        d.update(extra)
        return d

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([self.to_dict()])

    def __float__(self) -> float:
        return float(self.estimate)

    def __repr__(self) -> str:
        pct = f"{self.level * 100:g}%"
        ci = f"{pct} CI [{_fmt(self.lower)}, {_fmt(self.upper)}]" if self.lower is not None else "no CI"
        n = f", n={self.n}" if self.n is not None else ""
        return f"Estimate({_fmt(self.estimate)}, se={_fmt(self.se)}, {ci}, method={self.method!r}{n})"

    def _repr_html_(self) -> str:
        rows = [
            ("estimate", _fmt(self.estimate)),
            ("se", _fmt(self.se)),
            (f"lower ({self.level * 100:g}%)", _fmt(self.lower)),
            (f"upper ({self.level * 100:g}%)", _fmt(self.upper)),
            ("method", html.escape(self.method)),
        ]
        if self.n is not None:
            rows.append(("n", str(self.n)))
        rows += [(html.escape(str(k)), html.escape(_fmt(v) if isinstance(v, (int, float)) else str(v))) for k, v in self.extra.items()]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return f"<table class='jamlik-estimate'>{body}</table>"
