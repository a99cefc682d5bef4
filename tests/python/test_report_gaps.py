"""The follow-up's gaps section: women−men and municipality−nation gaps, HEAT disparity between municipalities."""

from __future__ import annotations

import jamlik
import numpy as np


def test_gaps_match_direct_computation() -> None:
    g = jamlik.report.gaps("Arboga")
    assert g.attrs["synthetic"]
    demo = jamlik.datasets.demo()
    pop = jamlik.datasets.demo_population()
    year = 2023

    def value(kpi: str, area: str, sex: str) -> float:
        row = demo[(demo.kpi == kpi) & (demo.area == area) & (demo.year == year) & (demo.sex == sex)]
        return float(row["value"].iloc[0])

    # Life expectancy is two KPIs (women N00925, men N00923): the sex gap is their difference.
    g6 = g[g.kpi == "N00925"].iloc[0]
    assert np.isclose(g6.women_minus_men, value("N00925", "1984", "T") - value("N00923", "1984", "T"))
    # A sex-split KPI: K − M; and the municipality minus the nation.
    g2 = g[g.kpi == "N15428"].iloc[0]
    assert np.isclose(g2.women_minus_men, value("N15428", "1984", "K") - value("N15428", "1984", "M"))
    assert np.isclose(g2.minus_nation, value("N15428", "1984", "T") - value("N15428", "0000", "T"))
    # Index of disparity over all 290 municipalities, weighted by the (synthetic) population.
    geo = jamlik.datasets.geography()
    munis = set(geo.area[geo.kind == "municipality"])
    cur = demo[(demo.kpi == "N15428") & (demo.year == year) & (demo.sex == "T") & demo.area.isin(munis)]
    # The area's whole population (demo_population), not the KPI's own `population` column.
    cur = cur.drop(columns="population").merge(pop[(pop.year == year) & (pop.sex == "T")], on=["area", "year", "sex"])
    assert len(cur) == 290
    expected = jamlik.heat.idisw(cur["value"].to_numpy(), population=cur["population"].to_numpy()).value
    assert np.isclose(g2.idisw_nation, expected, rtol=1e-12)
    # Theil index within the county (19, Västmanland), weighted the same way.
    county = set(geo.area[(geo.kind == "municipality") & (geo.county_code == "19")])
    cty = cur[cur.area.isin(county)]
    expected_ti = jamlik.heat.ti(cty["value"].to_numpy(), population=cty["population"].to_numpy()).value
    assert np.isclose(g2.ti_county, expected_ti, rtol=1e-12)
    # The sex gap's trend: the year the fitted women − men line closes, as gap_closure finds it.
    sex = jamlik.goals.gap_closure(demo, kpi="N15428", municipality="1984", between="sex").iloc[0]
    assert g2.women_minus_men == sex["latest_gap"]
    if np.isnan(sex["closure_year"]):
        assert g2.sex_gap_trend == "not at this trend"
    else:
        assert g2.sex_gap_closure_year == sex["closure_year"]
        assert g2.sex_gap_trend == f"closes {int(sex['closure_year'])}"
    # Region-only KPIs (caries-free 3-year-olds) have no municipality gaps.
    assert "N80401" not in set(g.kpi)
    # Without a population every municipality weighs the same.
    # (The demo's own `population` column is the count KPIs' denominator, per KPI: drop it too.)
    plain = demo.drop(columns="population")
    plain.attrs = {}
    eq = jamlik.report.gaps("Arboga", plain)
    unweighted = jamlik.heat.idisw(cur["value"].to_numpy(), population=np.ones(len(cur))).value
    assert np.isclose(eq[eq.kpi == "N15428"].iloc[0].idisw_nation, unweighted, rtol=1e-12)


def test_gaps_require_the_municipality() -> None:
    import pytest

    with pytest.raises(TypeError):
        jamlik.report.gaps()  # type: ignore[call-arg]
    with pytest.raises(jamlik.InvalidArgumentError, match="Atlantis"):
        jamlik.report.gaps("Atlantis")


def test_gaps_are_printed_in_the_demo() -> None:
    from jamlik.report import format_gaps

    text = format_gaps(jamlik.report.gaps("0180"))
    assert "GAPS" in text and "N15428" in text
