"""Python API of the microdata measures: reference rows through the bindings,
input conversions, typed errors and properties (hypothesis)."""

from __future__ import annotations

import csv

import jamlik
import numpy as np
import pytest
from conftest import TEST_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

REF = TEST_DATA / "concentration"

KIND = {
    "ci": "standard",
    "gci": "generalized",
    "wagstaff": "wagstaff",
    "erreygers": "erreygers",
    "modified": "modified_conindex",
    "modified_direct": "modified",
    "extended": "extended",
    "symmetric": "symmetric",
    "gen_extended": "generalized_extended",
    "gen_symmetric": "generalized_symmetric",
}
SE = {
    "classical": ("classical", False, False),
    "hc1": ("robust", False, False),
    "cr1(cluster)": ("cluster", True, False),
    "kwvd": ("kwvd", False, False),
    "linearized(iid)": ("linearized", False, False),
    "linearized(psu=cluster)": ("linearized", True, False),
    "linearized(psu=cluster,strata=strata)": ("linearized", True, True),
    "none": ("none", False, False),
}


def _load(name: str) -> dict[str, np.ndarray]:
    data = np.genfromtxt(REF / f"{name}.csv", delimiter=",", names=True)
    return {k: np.asarray(data[k], dtype=np.float64) for k in data.dtype.names}


def _rows() -> list[dict[str, str]]:
    with open(REF / "outputs.csv", newline="") as f:
        return list(csv.DictReader(f))


def _close(a: float, b: float, rel: float = 1e-9) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b))


def test_reference_concentration_rows_through_python() -> None:
    """conindex and ref_ci.py rows of every index kind and SE method, via the bindings."""
    data = {n: _load(n) for n in ("small24", "medium2000", "ses5")}
    checked = 0
    for row in _rows():
        src = row["source"]
        if not (src.startswith("conindex") or src.startswith("jamlik-refgen")):
            continue
        if row["measure"] not in KIND or "ties" in row["options"]:
            continue
        opts = dict(kv.split("=", 1) for kv in row["options"].split(";"))
        if opts.get("se", "none") not in SE:
            continue
        d = data[row["dataset"]]
        se, use_cluster, use_strata = SE[opts.get("se", "none")]
        limits = tuple(float(v) for v in opts["limits"].split(",")) if "limits" in opts else None
        r = jamlik.concentration_index(
            d[opts["outcome"]],
            d[opts.get("rank", "x")],
            d["w"] if opts["weights"] == "w" else None,
            kind=KIND[row["measure"]],
            limits=limits,
            nu=float(opts["v"]) if "v" in opts else None,
            beta=float(opts["beta"]) if "beta" in opts else None,
            se=se,
            cluster=d["cluster"].astype(int) if use_cluster else None,
            strata=d["strata"].astype(int) if use_strata else None,
        )
        assert _close(r.value, float(row["estimate"])), row
        if row["se"] and se != "none":
            assert r.se is not None and _close(r.se, float(row["se"])), row
        checked += 1
    assert checked == 672


def test_inequality_reference_rows() -> None:
    d = _load("medium2000")
    by = {
        (r["dataset"], r["measure"], r["options"]): float(r["estimate"])
        for r in _rows()
        if r["source"].startswith("jamlik-refgen")
    }
    h, w = d["h"], d["w"]
    assert _close(jamlik.theil(h, w).value, by[("medium2000", "theil_t", "outcome=h;weights=w")])
    assert _close(jamlik.mld(h).value, by[("medium2000", "mld", "outcome=h;weights=none")])
    assert _close(jamlik.generalized_entropy(h, 2, w).value, by[("medium2000", "ge2", "outcome=h;weights=w")])
    assert _close(jamlik.atkinson(h, 2, w).value, by[("medium2000", "atkinson", "outcome=h;weights=w;eps=2")])
    dec = jamlik.theil_decomposition(h, d["group"], w)
    assert abs(dec.between - by[("medium2000", "theil_t_between", "outcome=h;weights=w;by=group")]) < 1e-12
    assert _close(jamlik.gini(h, w, se="none").value, by[("medium2000", "gini", "outcome=h;rank=h;weights=w;se=none")])


def test_inputs_pandas_polars_lists_and_string_ids() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    d = _load("small24")
    ref = jamlik.concentration_index(d["h"], d["x"], d["w"], cluster=d["cluster"].astype(int), strata=d["strata"].astype(int))
    frame = pd.DataFrame(d)
    r_pd = jamlik.concentration_index(
        frame["h"], frame["x"], frame["w"],
        cluster=frame["cluster"].map(lambda c: f"psu-{int(c)}"),
        strata=frame["strata"].map(lambda s: f"s{int(s)}"),
    )
    r_pl = jamlik.concentration_index(
        pl.Series(d["h"]),
        pl.Series(d["x"]),
        list(d["w"]),
        cluster=pl.Series(d["cluster"].astype(int)),
        strata=list(d["strata"].astype(int)),
    )
    for r in (r_pd, r_pl):
        assert r.value == pytest.approx(ref.value, rel=1e-12)
        assert r.se == pytest.approx(ref.se, rel=1e-12)
    assert "linearized" in ref.method and "standard" in ref.method
    assert ref.n == 24 and ref.lower is not None and ref.lower < ref.value < ref.upper


def test_typed_errors_name_the_argument() -> None:
    h = np.array([1.0, 2.0, 3.0, 4.0])
    x = np.array([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(jamlik.DegenerateError, match="outcome"):
        jamlik.concentration_index(np.zeros(4), x)
    with pytest.raises(jamlik.DomainError, match="weights"):
        jamlik.concentration_index(h, x, [1.0, -1.0, 1.0, 1.0])
    with pytest.raises(jamlik.DegenerateError, match="rank_by"):
        jamlik.concentration_index(h, np.ones(4))
    with pytest.raises(jamlik.MissingValueError, match="outcome"):
        jamlik.concentration_index([1.0, np.nan, 3.0, 4.0], x)
    with pytest.raises(jamlik.MissingValueError, match="rank_by"):
        jamlik.concentration_index(h, [1.0, np.inf, 3.0, 4.0])
    with pytest.raises(jamlik.ShapeError, match="rank_by"):
        jamlik.concentration_index(h, x[:3])
    with pytest.raises(jamlik.DomainError, match="outcome"):
        jamlik.concentration_index(h, x, kind="wagstaff", limits=(0, 3))
    with pytest.raises(jamlik.InvalidArgumentError, match="limits"):
        jamlik.concentration_index(h, x, kind="erreygers")
    with pytest.raises(jamlik.TooFewError, match="strata"):
        jamlik.concentration_index(h, x, cluster=[0, 1, 2, 2], strata=[0, 0, 1, 1])
    with pytest.raises(jamlik.InvalidArgumentError, match="kind"):
        jamlik.concentration_index(h, x, kind="nonsense")
    with pytest.raises(jamlik.ConfidenceLevelError):
        jamlik.concentration_index(h, x, level=1.5)
    r = jamlik.concentration_index([1.0, np.nan, 3.0, 4.0], x, missing="drop", se="none")
    assert r.n == 3


def test_compare_two_groups_and_f_test() -> None:
    d = _load("medium2000")
    c = jamlik.compare_concentration(d["h"], d["x"], d["group"].astype(int), se="classical")
    options = "outcome=h;rank=x;weights=none;compare=group;se=classical"
    rows = {
        r["measure"]: r
        for r in _rows()
        if r["source"].startswith("conindex") and r["options"] == options and r["dataset"] == "medium2000"
    }
    assert _close(c.f, float(rows["compare_F"]["estimate"]))
    assert _close(c.z, float(rows["compare_z"]["estimate"]), 1e-9)
    assert _close(c.difference.value, float(rows["compare_diff"]["estimate"]))
    assert set(c.groups) == {0, 1}
    frame = c.to_frame()
    assert list(frame["group"]) == ["overall", "0", "1", "difference"]
    # The difference's Wald interval comes from the core: value ± z·√(se₀² + se₁²).
    se = np.hypot(c.groups[0].se, c.groups[1].se)
    assert c.difference.se == pytest.approx(se, rel=1e-12)
    assert c.difference.lower == pytest.approx(c.difference.value - 1.959963984540054 * se, rel=1e-12)
    assert c.difference.upper == pytest.approx(c.difference.value + 1.959963984540054 * se, rel=1e-12)
    assert c.difference.n == 2000 and c.difference.level == 0.95
    narrow = jamlik.compare_concentration(d["h"], d["x"], d["group"].astype(int), se="classical", level=0.5)
    assert narrow.difference.upper - narrow.difference.lower < c.difference.upper - c.difference.lower
    assert not hasattr(jamlik.microdata, "compare")


@pytest.mark.parametrize(
    "call",
    [
        lambda **k: jamlik.concentration_index([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], **k),
        lambda **k: jamlik.gini([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.theil([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.mld([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.generalized_entropy([1.0, 2.0, 4.0], 2, **k),
        lambda **k: jamlik.atkinson([1.0, 2.0, 4.0], 1, **k),
        lambda **k: jamlik.hoover([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.palma([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.quantile_share_ratio([1.0, 2.0, 4.0], **k),
        lambda **k: jamlik.kakwani([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], **k),
        lambda **k: jamlik.compare_concentration([1.0, 2.0, 4.0, 3.0], [1.0, 2.0, 3.0, 4.0], [0, 0, 1, 1], se="none", **k),
    ],
)
def test_every_function_checks_missing_level_and_text(call) -> None:
    with pytest.raises(jamlik.InvalidArgumentError, match=r"missing.*\"error\" or \"drop\""):
        call(missing="zero")
    with pytest.raises(jamlik.ConfidenceLevelError, match=r"level.*95.*did you mean 0\.95"):
        call(level=95)
    with pytest.raises(jamlik.InvalidArgumentError, match="level"):
        call(level="0.95")


def test_missing_values_error_suggests_drop_and_text_names_the_argument() -> None:
    for f in (jamlik.gini, jamlik.theil, jamlik.palma, jamlik.hoover):
        with pytest.raises(jamlik.MissingValueError, match="values") as e:
            f([1.0, np.nan, 3.0])
        assert "drop" in str(e.value) and "zero" not in str(e.value)
        assert f([1.0, np.nan, 3.0, 5.0], missing="drop").n == 3
        with pytest.raises(jamlik.InvalidArgumentError, match="values"):
            f(["1", "a", "3"])
    with pytest.raises(jamlik.InvalidArgumentError, match="alpha"):
        jamlik.generalized_entropy([1.0, 2.0], "2")
    with pytest.raises(jamlik.InvalidArgumentError, match="epsilon"):
        jamlik.atkinson([1.0, 2.0], "1")
    with pytest.raises(jamlik.InvalidArgumentError, match="se"):
        jamlik.theil([1.0, 2.0], se="kwvd")


def test_curve_kakwani_decomposition_shares() -> None:
    d = _load("medium2000")
    curve = jamlik.concentration_curve(d["h"], d["x"], d["w"])
    assert curve["population_share"].iloc[0] == 0 and curve["outcome_share"].iloc[-1] == pytest.approx(1.0)
    pl = pytest.importorskip("polars")
    curve_pl = jamlik.concentration_curve(d["h"], d["x"], d["w"], backend="polars")
    assert isinstance(curve_pl, pl.DataFrame) and curve_pl["outcome_share"].to_list() == list(curve["outcome_share"])
    k = jamlik.kakwani(d["h"], d["x"], d["w"])
    g = jamlik.gini(d["x"], d["w"], se="none").value
    c = jamlik.concentration_index(d["h"], d["x"], d["w"], se="none").value
    assert k.value == pytest.approx(c - g, rel=1e-12) and k.se is not None and k.se > 0
    k0 = jamlik.kakwani(d["h"], d["x"], d["w"], se="none")
    assert k0.value == k.value and k0.se is None and k0.lower is None and k0.n == 2000
    dec = jamlik.decompose_concentration_index(d["h"], {"x": d["x"], "binary": d["h_binary"]}, d["x"], d["w"])
    assert dec.total == pytest.approx(c, rel=1e-12)
    assert dec.contributions["contribution"].sum() + dec.residual == pytest.approx(c, rel=1e-12)
    p = jamlik.palma(d["h"], d["w"]).value
    assert p > 0
    # Equal incomes: Palma = 10%/40% of the total = 0.25, S80/S20 = 1.
    assert jamlik.palma(np.ones(10)).value == pytest.approx(0.25)
    assert jamlik.quantile_share_ratio(np.ones(10)).value == pytest.approx(1.0)
    assert jamlik.hoover([1.0, 1.0, 1.0, 5.0]).value == pytest.approx(0.375)


finite = st.floats(min_value=0.1, max_value=100.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(finite, st.integers(0, 6), st.integers(1, 4)), min_size=4, max_size=40),
    st.randoms(use_true_random=False),
)
def test_properties(rows: list[tuple[float, int, int]], rnd) -> None:
    h = np.array([r[0] for r in rows])
    x = np.array([float(r[1]) for r in rows])
    w = np.array([float(r[2]) for r in rows])
    if np.all(x == x[0]):
        return
    base = jamlik.concentration_index(h, x, w)
    # Row permutation.
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    p = jamlik.concentration_index(h[perm], x[perm], w[perm])
    assert p.value == pytest.approx(base.value, abs=1e-12)
    assert p.se == pytest.approx(base.se, rel=1e-9, abs=1e-15)
    # Integer weights ≡ replicated rows (point estimate).
    rep = np.repeat(np.arange(len(rows)), w.astype(int))
    r = jamlik.concentration_index(h[rep], x[rep], se="none")
    assert r.value == pytest.approx(base.value, abs=1e-12)
    # Scale invariance of the relative index.
    s = jamlik.concentration_index(h * 7.5, x, w)
    assert s.value == pytest.approx(base.value, abs=1e-12)
    # Mirror property of Wagstaff and Erreygers with limits (0, 100).
    for kind in ("wagstaff", "erreygers"):
        a = jamlik.concentration_index(h, x, w, kind=kind, limits=(0, 100))
        b = jamlik.concentration_index(100 - h, x, w, kind=kind, limits=(0, 100))
        assert b.value == pytest.approx(-a.value, abs=1e-12)
        assert b.se == pytest.approx(a.se, rel=1e-9, abs=1e-12)
