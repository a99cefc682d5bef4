"""Health expectancy (Sullivan method): jamlik against an independent numpy
implementation of the practical guide's formulas (Jagger et al.), with the
life-table (Chiang) variance term of Mathers (1991), on three invented groups
of 20 bands with realistic Swedish mortality and prevalence of good
self-rated health; properties; the gap; HEAT summary; bad input."""

from __future__ import annotations

import jamlik
import numpy as np
import pandas as pd
import pytest
from jamlik import indicators as ind

STARTS = np.array([0.0, 1.0] + [5.0 * i for i in range(1, 19)])
# Deaths per 1 000 person-years, Sweden around 2022, both sexes (rounded).
RATES = np.array([2.2, 0.10, 0.06, 0.08, 0.25, 0.40, 0.45, 0.50, 0.65, 0.90,
                  1.5, 2.3, 3.8, 6.0, 9.5, 15.5, 27.0, 50.0, 95.0, 220.0]) / 1000
# Share in good or very good self-rated health (children: as reported by parents).
GOOD_HEALTH = np.array([0.97, 0.96, 0.95, 0.93, 0.88, 0.85, 0.84, 0.82, 0.80, 0.78,
                        0.74, 0.70, 0.66, 0.64, 0.63, 0.60, 0.55, 0.50, 0.45, 0.40])
BAND_YEARS = np.diff(np.append(STARTS, 95.0))


def groups() -> pd.DataFrame:
    """Women, men (national) and one municipality, 20 bands each."""
    rows = []
    for group, mort, prev, scale, n_scale in (
        ("women", 0.82, 1.00, 1.0, 1.0),
        ("men", 1.22, 1.04, 1.0, 0.9),
        ("municipality", 1.05, 0.95, 0.04, 0.25),
    ):
        size = np.where(STARTS < 65, 62_000.0, 62_000.0 * np.exp(-(STARTS - 65) / 11.0)) * BAND_YEARS * scale
        pop = np.round(size)
        deaths = np.round(pop * RATES * mort)
        p = np.clip(GOOD_HEALTH * prev, 0.0, 1.0)
        n = np.round((600 + 40 * np.arange(20)) * n_scale)
        healthy = np.round(p * n)
        for j in range(20):
            rows.append({
                "group": group, "band": STARTS[j], "deaths": deaths[j], "pop": pop[j],
                "prev": p[j], "n": n[j], "healthy": healthy[j], "respondents": n[j],
            })
    return pd.DataFrame(rows)


def sullivan(deaths, pop, starts, h, var_h, ax=None, mortality=True):
    """The guide's worked formulas, written out band by band (no jamlik)."""
    k = len(starts)
    width = np.append(np.diff(starts), np.nan)
    if ax is None:
        ax = np.where((starts == 0) & (width == 1), 0.1, 0.5)
    m = deaths / pop
    q = width * m / (1 + width * m * (1 - ax))
    q[-1] = 1.0
    lx = np.empty(k)
    lx[0] = 100_000.0
    for i in range(k - 1):
        lx[i + 1] = lx[i] * (1 - q[i])
    dx = lx * q
    big_l = np.empty(k)
    big_l[:-1] = width[:-1] * (lx[1:] + ax[:-1] * dx[:-1])
    big_l[-1] = lx[-1] / m[-1]
    tx = np.cumsum(big_l[::-1])[::-1]
    ex = tx / lx
    healthy_l = h * big_l
    healthy_t = np.cumsum(healthy_l[::-1])[::-1]
    hle = healthy_t / lx
    # Variances of the mortality parameters: q of each closed band
    # (q^2 (1 - q) / D) and 1/M of the open band (1 / (D M^2)).
    var_par = np.append(q[:-1] ** 2 * (1 - q[:-1]) / deaths[:-1], 1 / (deaths[-1] * m[-1] ** 2))
    # Jacobians dT_x / dpar_i and dT'_x / dpar_i (rows x, columns i >= x).
    jt = np.zeros((k, k))
    jh = np.zeros((k, k))
    for x in range(k):
        for i in range(x, k):
            if i < k - 1:
                jt[x, i] = -lx[i] * ((1 - ax[i]) * width[i] + ex[i + 1])
                jh[x, i] = -lx[i] * ((1 - ax[i]) * width[i] * h[i] + hle[i + 1])
            else:
                jt[x, i] = lx[i]
                jh[x, i] = h[i] * lx[i]
    cov = np.diag(var_par)
    var_t = np.einsum("xi,ij,xj->x", jt, cov, jt)
    var_ht_mort = np.einsum("xi,ij,xj->x", jh, cov, jh)
    var_ht_prev = np.array([np.sum(big_l[x:] ** 2 * var_h[x:]) for x in range(k)])
    ratio = healthy_t / tx
    jr = (jh * tx[:, None] - healthy_t[:, None] * jt) / tx[:, None] ** 2
    var_r_mort = np.einsum("xi,ij,xj->x", jr, cov, jr)
    var_r_prev = var_ht_prev / tx**2
    w = 1.0 if mortality else 0.0
    return {
        "life_expectancy": (ex, np.sqrt(var_t) / lx),
        "health_expectancy": (hle, np.sqrt(w * var_ht_mort + var_ht_prev) / lx),
        "proportion_healthy": (ratio, np.sqrt(w * var_r_mort + var_r_prev)),
    }


def binomial(g):
    """Prevalence and its sampling variance p(1 - p)/n."""
    p = g["prev"].to_numpy()
    return p, p * (1 - p) / g["n"].to_numpy()


def check_against_numpy(out, frame, var_of, ax=None, mortality=True, level=0.95):
    z = {0.95: 1.959963984540054, 0.9: 1.6448536269514722}
    for group, g in frame.groupby("group", sort=False):
        g = g.sort_values("band")
        h, var_h = var_of(g)
        expected = sullivan(g["deaths"].to_numpy(), g["pop"].to_numpy(), g["band"].to_numpy(), h, var_h,
                            ax=ax, mortality=mortality)
        for measure, (value, se) in expected.items():
            rows = out[(out["group"] == group) & (out["measure"] == measure) & (out["level"] == level)]
            rows = rows.sort_values("age")
            assert len(rows) == 20
            np.testing.assert_allclose(rows["value"].to_numpy(), value, rtol=0, atol=1e-10)
            np.testing.assert_allclose(rows["se"].to_numpy(), se, rtol=0, atol=1e-8)
            np.testing.assert_allclose(rows["lower"].to_numpy(), value - z[level] * se, rtol=0, atol=1e-8)


def test_matches_independent_numpy_sample_size():
    f = groups()
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_n="n", by="group", level=(0.95, 0.9))
    assert list(out.columns) == ["group", "age", "measure", "value", "lower", "upper", "level", "se",
                                 "count", "population", "method", "note"]
    assert len(out) == 3 * 20 * 3 * 2
    check_against_numpy(out, f, binomial)
    check_against_numpy(out, f, binomial, level=0.9)
    # Plausible: women live longer and the proportion healthy is in (0, 1).
    at_birth = out[(out["age"] == 0) & (out["level"] == 0.95)].set_index(["group", "measure"])["value"]
    assert 82 < at_birth[("women", "life_expectancy")] < 87
    assert 78 < at_birth[("men", "life_expectancy")] < 83
    assert 0.5 < at_birth[("men", "proportion_healthy")] < 0.9
    assert out["note"].isna().all()


def test_matches_independent_numpy_se_counts_and_ax():
    f = groups()
    se = np.sqrt(f["prev"] * (1 - f["prev"]) / f["n"]) * 1.3  # a design effect of 1.69
    f["prev_se"] = se
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_se="prev_se", by="group", ax=0.5)
    check_against_numpy(out, f, lambda g: (g["prev"].to_numpy(), g["prev_se"].to_numpy() ** 2), ax=np.full(20, 0.5))
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", healthy="healthy",
                                respondents="respondents", by="group", mortality_variance=False)

    def counts(g):
        p = g["healthy"].to_numpy() / g["respondents"].to_numpy()
        return p, p * (1 - p) / g["respondents"].to_numpy()

    check_against_numpy(out, f, counts, mortality=False)
    # ax per row from a column.
    f["ax"] = np.where(f["band"] == 0, 0.15, 0.45)
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_n="n", by="group", ax="ax")
    check_against_numpy(out, f, binomial, ax=np.where(STARTS == 0, 0.15, 0.45))


def test_mortality_term_is_the_derivative_of_the_health_expectancy():
    """Finite differences confirm the analytic mortality term of Var(HLE₀)."""
    f = groups()
    g = f[f["group"] == "municipality"]
    d, p, h = g["deaths"].to_numpy(), g["pop"].to_numpy(), g["prev"].to_numpy()
    width = np.append(np.diff(STARTS), np.nan)
    ax = np.where(STARTS == 0, 0.1, 0.5)
    m = d / p
    q = width[:-1] * m[:-1] / (1 + width[:-1] * m[:-1] * (1 - ax[:-1]))

    def hle0(params):
        qq, inv_m = params[:-1], params[-1]
        lx = np.concatenate([[1e5], 1e5 * np.cumprod(1 - qq)])
        big_l = np.append(width[:-1] * (lx[1:] + ax[:-1] * lx[:-1] * qq), lx[-1] * inv_m)
        return np.sum(h * big_l) / lx[0]

    x0 = np.append(q, 1 / m[-1])
    grad = np.empty(20)
    for i in range(20):
        step = 1e-6 * x0[i]
        up, down = x0.copy(), x0.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (hle0(up) - hle0(down)) / (2 * step)
    var_par = np.append(q**2 * (1 - q) / d[:-1], 1 / (d[-1] * m[-1] ** 2))
    mortality_var = np.sum(grad**2 * var_par)
    out = ind.health_expectancy(g, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_n="n")
    prev_only = ind.health_expectancy(g, count="deaths", population="pop", age_band="band", prevalence="prev",
                                      prevalence_n="n", mortality_variance=False)
    sel = lambda o: o[(o["age"] == 0) & (o["measure"] == "health_expectancy")]["se"].iloc[0]  # noqa: E731
    assert sel(out) ** 2 - sel(prev_only) ** 2 == pytest.approx(mortality_var, rel=1e-6)


def test_properties_zero_one_and_bounded():
    f = groups()
    for value in (0.0, 1.0):
        f["const"] = value
        out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="const",
                                    prevalence_n="n", by="group")
        he = out[out["measure"] == "health_expectancy"].reset_index(drop=True)
        le = out[out["measure"] == "life_expectancy"].reset_index(drop=True)
        if value == 0.0:
            assert (he["value"] == 0).all() and (he["se"] == 0).all()
        else:
            lt = ind.life_expectancy(f, count="deaths", population="pop", age_band="band", by="group",
                                     min_population=None, max_ci_width=None)
            np.testing.assert_allclose(he["value"], lt["value"], rtol=1e-13)
            np.testing.assert_allclose(he["se"], lt["se"], rtol=1e-12)
            np.testing.assert_allclose(le["se"], lt["se"], rtol=1e-12)
    rng = np.random.default_rng(jamlik.DEFAULT_SEED)
    for _ in range(20):
        f["rand"] = rng.uniform(0, 1, len(f))
        out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="rand",
                                    prevalence_n="n", by="group")
        he = out[out["measure"] == "health_expectancy"]["value"].to_numpy()
        le = out[out["measure"] == "life_expectancy"]["value"].to_numpy()
        assert (he <= le).all() and (he >= 0).all()


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_frames_in_frames_out(library):
    f = groups()
    ref = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_n="n", by="group")
    if library == "polars":
        pl = pytest.importorskip("polars")
        other = pl.from_pandas(f)
        out = ind.health_expectancy(other, count="deaths", population="pop", age_band="band",
                                    prevalence="prev", prevalence_n="n", by="group")
        assert isinstance(out, pl.DataFrame)
        values = out["value"].to_numpy()
    else:
        pa = pytest.importorskip("pyarrow")
        other = pa.Table.from_pandas(f)
        out = ind.health_expectancy(other, count="deaths", population="pop", age_band="band",
                                    prevalence="prev", prevalence_n="n", by="group")
        assert isinstance(out, pa.Table)
        values = out.column("value").to_numpy()
    np.testing.assert_array_equal(values, ref["value"].to_numpy())
    gap = ind.health_expectancy_gap(out, between="group", first="women", second="men")
    assert len(gap) == 20


def test_gap_between_groups_and_heat_summary():
    f = groups()
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="band", prevalence="prev",
                                prevalence_n="n", by="group", level=(0.95, 0.9))
    gap = ind.health_expectancy_gap(out, between="group", first="women", second="men")
    assert list(gap.columns) == ["age", "measure", "value", "lower", "upper", "level", "se", "method"]
    assert len(gap) == 20
    sel = out[(out["measure"] == "health_expectancy") & (out["level"] == 0.95)].set_index(["group", "age"])
    w, m = sel.loc["women"], sel.loc["men"]
    g = gap.set_index("age")
    np.testing.assert_allclose(g["value"], w["value"] - m["value"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(g["se"], np.sqrt(w["se"] ** 2 + m["se"] ** 2), rtol=0, atol=1e-12)
    np.testing.assert_allclose(g["upper"], g["value"] + 1.959963984540054 * g["se"], rtol=0, atol=1e-10)
    every = ind.health_expectancy_gap(out, between="group", first="women", second="municipality",
                                      measure=None, level=(0.95, 0.9))
    assert len(every) == 20 * 3 * 2
    # HEAT summary across the three groups at birth: value → estimate.
    heat_in = out[(out["measure"] == "health_expectancy") & (out["age"] == 0) & (out["level"] == 0.95)]
    heat_in = heat_in.rename(columns={"value": "estimate", "group": "area"})[["area", "estimate", "se", "population"]]
    s = jamlik.heat.summary(heat_in)
    d = s[s["measure"] == "d"]
    values = heat_in["estimate"].to_numpy()
    ses = heat_in["se"].to_numpy()
    assert len(d) == 1
    # HEAT's D without a reference subgroup: highest − lowest, SE from both.
    hi, lo = np.argmax(values), np.argmin(values)
    assert d["value"].iloc[0] == pytest.approx(values[hi] - values[lo], abs=1e-10)
    assert d["se"].iloc[0] == pytest.approx(np.hypot(ses[hi], ses[lo]), abs=1e-10)


def test_swedish_85_plus_labels_and_a_gap_series_for_gap_closure():
    """Bands labelled as Statistics Sweden does (0, 1-4, ..., 85+), women and
    men over five years; the women − men gap in health expectancy at birth
    by year goes straight into goals.gap_closure."""
    base = groups()
    base = base[base["group"] != "municipality"]
    base = base[base["band"] <= 85].copy()
    open_band = base["band"] == 85
    labels = {0.0: "0", 1.0: "1-4", 85.0: "85+"}
    base["label"] = [labels.get(b, f"{int(b)}-{int(b) + 4}") for b in base["band"]]
    base.loc[open_band, "deaths"] = base.loc[open_band, "deaths"] * 2.5
    frames = []
    for k, year in enumerate(range(2018, 2023)):
        y = base.copy()
        y["year"] = year
        y["sex"] = y["group"].map({"women": "K", "men": "M"})
        # Men's prevalence of good health improves faster: the gap narrows.
        y.loc[y["sex"] == "M", "prev"] = np.minimum(y.loc[y["sex"] == "M", "prev"] + 0.01 * k, 1.0)
        frames.append(y)
    f = pd.concat(frames, ignore_index=True)
    layout = [0.0, 1.0] + [5.0 * i for i in range(1, 18)]
    out = ind.health_expectancy(f, count="deaths", population="pop", age_band="label", prevalence="prev",
                                prevalence_n="n", by=["year", "sex"], layout=layout)
    assert len(out) == 5 * 2 * 19 * 3
    with pytest.raises(jamlik.InvalidArgumentError, match="age_band"):
        ind.health_expectancy(f, count="deaths", population="pop", age_band="label", prevalence="prev",
                              prevalence_n="n", by=["year", "sex"])
    gap = ind.health_expectancy_gap(out, between="sex", first="K", second="M")
    series = gap[gap["age"] == 0][["year", "value"]].reset_index(drop=True)
    assert list(series["year"]) == [2018, 2019, 2020, 2021, 2022]
    assert np.all(np.diff(series["value"]) < 0)
    closure = jamlik.goals.gap_closure(series)
    assert len(closure) == 1


def test_bad_input_names_the_argument():
    f = groups()
    kw = dict(count="deaths", population="pop", age_band="band", by="group")
    bad = f.copy()
    bad.loc[5, "prev"] = 1.4
    with pytest.raises(jamlik.InvalidArgumentError, match=r"prevalence.*divide percentages by 100"):
        ind.health_expectancy(bad, prevalence="prev", prevalence_n="n", **kw)
    bad.loc[5, "prev"] = -0.2
    with pytest.raises(jamlik.InvalidArgumentError, match=r"prevalence.*\[0, 1\]"):
        ind.health_expectancy(bad, prevalence="prev", prevalence_se="n", **kw)
    with pytest.raises(jamlik.InvalidArgumentError, match="age_band"):
        ind.health_expectancy(f.drop(index=7), prevalence="prev", prevalence_n="n", **kw)
    bad = f.copy()
    bad.loc[3, "pop"] = 0
    with pytest.raises(jamlik.JamlikError, match="population"):
        ind.health_expectancy(bad, prevalence="prev", prevalence_n="n", **kw)
    with pytest.raises(jamlik.InvalidArgumentError, match="prevalence_n"):
        ind.health_expectancy(f, prevalence="prev", **kw)
    with pytest.raises(jamlik.InvalidArgumentError, match="prevalence"):
        ind.health_expectancy(f, prevalence="prev", prevalence_n="n", healthy="healthy", **kw)
    with pytest.raises(jamlik.ColumnError, match="prev"):
        ind.health_expectancy(f, prevalence="prevalence", prevalence_n="n", **kw)
    bad = f.copy()
    bad.loc[2, "prev"] = np.nan
    with pytest.raises(jamlik.MissingValueError, match="prevalence") as e:
        ind.health_expectancy(bad, prevalence="prev", prevalence_n="n", **kw)
    assert "zero" not in str(e.value)
    with pytest.raises(jamlik.InvalidArgumentError, match="ax"):
        ind.health_expectancy(f, prevalence="prev", prevalence_n="n", ax=1.5, **kw)
    bad = f.copy()
    bad.loc[4, "healthy"] = 10_000
    with pytest.raises(jamlik.InvalidArgumentError, match="healthy"):
        ind.health_expectancy(bad, healthy="healthy", respondents="respondents", **kw)
    out = ind.health_expectancy(f, prevalence="prev", prevalence_n="n", **kw)
    with pytest.raises(jamlik.InvalidArgumentError, match="first"):
        ind.health_expectancy_gap(out, between="group", first="K", second="men")
    with pytest.raises(jamlik.ColumnError):
        ind.health_expectancy_gap(out, between="sex", first="K", second="M")
    with pytest.raises(jamlik.InvalidArgumentError, match="measure"):
        ind.health_expectancy_gap(out, between="group", first="women", second="men", measure="le")
