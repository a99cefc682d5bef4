"""The follow-up's gaps section: women−men and municipality−nation gaps, HEAT disparity between municipalities."""

from __future__ import annotations

import numpy as np

import jamlik


def test_gaps_match_direct_computation() -> None:
    g = jamlik.report.gaps("Arboga")
    assert g.attrs["synthetic"]
    demo = jamlik.datasets.demo()
    pop = jamlik.datasets.demo_population()
    year = 2023

    def value(kpi: str, area: str, gender: str) -> float:
        row = demo[(demo.kpi == kpi) & (demo.municipality_id == area) & (demo.period == year) & (demo.gender == gender)]
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
    munis = set(geo.id[geo.kind == "municipality"])
    cur = demo[(demo.kpi == "N15428") & (demo.period == year) & (demo.gender == "T") & demo.municipality_id.isin(munis)]
    cur = cur.merge(pop[(pop.period == year) & (pop.gender == "T")], on=["municipality_id", "period", "gender"])
    assert len(cur) == 290
    expected = jamlik.heat.idisw(cur["value"].to_numpy(), population=cur["population"].to_numpy()).value
    assert np.isclose(g2.idisw_nation, expected, rtol=1e-12)
    # Region-only KPIs (caries-free 3-year-olds) have no municipality gaps.
    assert "N80401" not in set(g.kpi)


def test_gaps_are_printed_in_the_demo() -> None:
    from jamlik.report import format_gaps

    text = format_gaps(jamlik.report.gaps("0180"))
    assert "GAPS" in text and "N15428" in text
