"""The package imports, errors map to the JamlikError hierarchy, ranks are right."""

import jamlik
import numpy as np
import pytest
from jamlik import _jamlik


def test_error_hierarchy_is_value_error() -> None:
    for name in ["ShapeError", "MissingValueError", "DomainError", "ConfidenceLevelError",
                 "TooFewError", "DegenerateError", "InvalidArgumentError", "ParseError", "DataSourceError"]:
        cls = getattr(jamlik, name)
        assert issubclass(cls, jamlik.JamlikError)
        assert issubclass(cls, ValueError)


def test_fractional_rank_midpoint_ties() -> None:
    r = _jamlik.fractional_rank(np.array([3.0, 1.0, 2.0, 2.0]))
    np.testing.assert_allclose(r, [0.875, 0.125, 0.5, 0.5])


def test_fractional_rank_row_order_ties() -> None:
    r = _jamlik.fractional_rank(np.array([1.0, 1.0]), None, "row_order")
    np.testing.assert_allclose(r, [0.25, 0.75])


def test_bad_input_is_typed() -> None:
    with pytest.raises(jamlik.ShapeError, match="weights"):
        _jamlik.fractional_rank(np.array([1.0, 2.0]), np.array([1.0]))
    with pytest.raises(jamlik.MissingValueError, match="rank_by"):
        _jamlik.fractional_rank(np.array([1.0, np.nan]))
    with pytest.raises(jamlik.DomainError, match="weights"):
        _jamlik.fractional_rank(np.array([1.0, 2.0]), np.array([1.0, -1.0]))
    with pytest.raises(jamlik.InvalidArgumentError, match="ties"):
        _jamlik.fractional_rank(np.array([1.0]), None, "random")
