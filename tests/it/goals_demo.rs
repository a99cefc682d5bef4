//! Properties of the embedded synthetic demo dataset.

use jamlik::data::Sex;
use jamlik::data::demo::{DemoData, DemoOptions};
use jamlik::data::geography::{AreaKind, Geography};
use jamlik::goals::{Catalogue, Level};

fn demo() -> DemoData {
    DemoData::generate(&DemoOptions::default()).unwrap()
}

#[test]
fn shape_covers_every_area_year_sex_per_kpi() {
    let d = demo();
    assert_eq!(d.areas().len(), 312);
    assert_eq!(d.years(), (2010..=2023).collect::<Vec<_>>().as_slice());
    assert_eq!(d.len(), d.kpis().len() * 312 * 14 * 3);
    // Every KPI of the shipped catalogue is in the dataset.
    let cat = Catalogue::shipped().unwrap();
    for k in cat.kpi_ids() {
        assert!(d.kpis().contains(&k), "{k} missing from demo");
    }
}

#[test]
fn region_and_nation_are_population_weighted_means_of_municipalities_or_sum_their_counts() {
    let d = demo();
    let geo = Geography::embedded().unwrap();
    for kpi in ["N15428", "N20434", "U01425", "N00925"] {
        for &year in &[2010, 2017, 2023] {
            for sex in [Sex::Women, Sex::Men] {
                // N00925 has only the women's value in its T row.
                let (row, wsex) = if kpi == "N00925" {
                    (Sex::Total, Sex::Women)
                } else {
                    (sex, sex)
                };
                let mut nat = (0.0, 0.0);
                for region in geo.regions() {
                    let cc = region.county_code.as_deref().unwrap();
                    let mut acc = (0.0, 0.0);
                    for m in geo.county_municipalities(cc) {
                        // Count KPIs sum counts: their weight is the KPI's population.
                        let w = d
                            .count(kpi, &m.id, year, row)
                            .map_or_else(|| d.population(&m.id, year, wsex).unwrap(), |c| c.1);
                        let v = d.value(kpi, &m.id, year, row).unwrap();
                        acc.0 += w * v;
                        acc.1 += w;
                    }
                    nat.0 += acc.0;
                    nat.1 += acc.1;
                    let r = d.value(kpi, &region.id, year, row).unwrap();
                    assert!(
                        (r - acc.0 / acc.1).abs() < 1e-9 * r.abs(),
                        "{kpi} {} {year}",
                        region.id
                    );
                }
                let n = d.value(kpi, "0000", year, row).unwrap();
                assert!(
                    (n - nat.0 / nat.1).abs() < 1e-9 * n.abs(),
                    "{kpi} nation {year}"
                );
            }
        }
    }
}

#[test]
fn total_lies_between_women_and_men_and_is_their_weighted_mean() {
    let d = demo();
    for kpi in [
        "N80401", "N15428", "N20434", "N00973", "U21468", "N78111", "U01425",
    ] {
        for area in d.areas() {
            for &y in d.years() {
                let (Some(t), Some(k), Some(m)) = (
                    d.value(kpi, area, y, Sex::Total),
                    d.value(kpi, area, y, Sex::Women),
                    d.value(kpi, area, y, Sex::Men),
                ) else {
                    continue;
                };
                assert!(
                    t >= k.min(m) - 1e-9 && t <= k.max(m) + 1e-9,
                    "{kpi} {area} {y}"
                );
                // Count KPIs are weighted by the KPI's own population.
                let weight = |sex| {
                    d.count(kpi, area, y, sex)
                        .map_or_else(|| d.population(area, y, sex).unwrap(), |c| c.1)
                };
                let (pk, pm) = (weight(Sex::Women), weight(Sex::Men));
                assert!((t - (pk * k + pm * m) / (pk + pm)).abs() <= 1e-9 * t.abs().max(1.0));
                assert_eq!(weight(Sex::Total), pk + pm);
            }
        }
    }
}

#[test]
fn published_cells_follow_kolada_levels_and_sex_splits() {
    let d = demo();
    let geo = Geography::embedded().unwrap();
    let cat = Catalogue::shipped().unwrap();
    for g in &cat.goals {
        for ind in &g.indicators {
            for kpi in ind.kpi_ids() {
                for a in geo.areas() {
                    let expect = match a.kind {
                        AreaKind::Nation => true,
                        AreaKind::Region => ind.level != Level::Municipalities,
                        AreaKind::Municipality => ind.level != Level::Regions,
                    };
                    for sex in Sex::ALL {
                        let split = ind.sex_handling == jamlik::goals::SexHandling::Split;
                        let want = expect && (sex == Sex::Total || split);
                        assert_eq!(
                            d.value(kpi, &a.id, 2020, sex).is_some(),
                            want,
                            "{kpi} {} {sex:?}",
                            a.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn seeded_and_reproducible() {
    let a = demo();
    let b = demo();
    assert_eq!(
        a.columns()
            .value
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>(),
        b.columns()
            .value
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    );
    let c = DemoData::generate(&DemoOptions {
        seed: 7,
        ..DemoOptions::default()
    })
    .unwrap();
    assert_ne!(
        a.value("N15428", "1984", 2023, Sex::Total),
        c.value("N15428", "1984", 2023, Sex::Total)
    );
    // A pinned value guards against accidental model changes (update with the docs).
    let v = a.value("N15428", "0000", 2017, Sex::Total).unwrap();
    assert!((v - 84.5).abs() < 1.5, "national N15428 2017 = {v}");
}

#[test]
fn realistic_levels_and_gradients() {
    let d = demo();
    let geo = Geography::embedded().unwrap();
    // Shares stay in (0, 100); life expectancy plausible; women live longer.
    for a in geo.areas() {
        for &y in d.years() {
            if let Some(v) = d.value("N15428", &a.id, y, Sex::Total) {
                assert!(v > 30.0 && v < 100.0);
            }
            let (w, m) = (
                d.value("N00925", &a.id, y, Sex::Total).unwrap(),
                d.value("N00923", &a.id, y, Sex::Total).unwrap(),
            );
            assert!(w > 76.0 && w < 90.0 && m > 72.0 && m < 87.0);
        }
    }
    let nat_w = d.value("N00925", "0000", 2023, Sex::Total).unwrap();
    let nat_m = d.value("N00923", "0000", 2023, Sex::Total).unwrap();
    assert!(nat_w - nat_m > 2.5 && nat_w - nat_m < 4.5);
    // Socioeconomic gradient: commuter municipalities near big cities (A2) have
    // higher eligibility than rural municipalities (C8) on average.
    let mean = |code: &str| {
        let v: Vec<f64> = geo
            .skr_group_members(code)
            .filter_map(|m| d.value("N15428", &m.id, 2023, Sex::Total))
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean("A2") > mean("C8") + 1.0);
    // Synthetic populations add up to a Swedish-sized nation.
    let p = d.population("0000", 2017, Sex::Total).unwrap();
    assert!(p > 7e6 && p < 14e6, "population {p}");
}

#[test]
fn bad_years_are_errors() {
    let e = DemoData::generate(&DemoOptions {
        first_year: 2023,
        last_year: 2010,
        ..DemoOptions::default()
    });
    assert!(e.is_err());
}
