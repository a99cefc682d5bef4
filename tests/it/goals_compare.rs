//! Comparisons and the municipality follow-up on the demo dataset.

use jamlik::data::demo::{DemoData, DemoOptions};
use jamlik::data::{Geography, Sex};
use jamlik::goals::Catalogue;
use jamlik::goals::follow_up::{
    BetterOff, FollowUpOptions, PanelIndex, ValueSource, compare_area, follow_up, women_vs_men,
};

#[test]
fn comparison_means_are_unweighted_member_means() {
    let geo = Geography::embedded().unwrap();
    let d = DemoData::generate(&DemoOptions::default()).unwrap();
    let c = compare_area(&d, &geo, "N15428", Sex::Women, "1984", 2023).unwrap();
    let a = geo.area("1984").unwrap();
    let want: f64 = a
        .similar_ids
        .iter()
        .map(|m| d.value("N15428", m, 2023, Sex::Women).unwrap())
        .sum::<f64>()
        / 7.0;
    assert!((c.similar.mean.unwrap() - want).abs() < 1e-12);
    let county: Vec<f64> = geo
        .county_municipalities("19")
        .map(|m| d.value("N15428", &m.id, 2023, Sex::Women).unwrap())
        .collect();
    assert!(
        (c.county_municipalities.mean.unwrap() - county.iter().sum::<f64>() / county.len() as f64)
            .abs()
            < 1e-12
    );
    assert_eq!(c.region, d.value("N15428", "0019", 2023, Sex::Women));
    assert_eq!(c.skr_group.n, geo.skr_group_members("C7").count() - 1);
    assert!(compare_area(&d, &geo, "N15428", Sex::Women, "9999", 2023).is_err());
}

#[test]
fn women_vs_men_reads_two_kpi_indicators() {
    let d = DemoData::generate(&DemoOptions::default()).unwrap();
    let cat = Catalogue::shipped().unwrap();
    let le = &cat.goal("G6").unwrap().indicators[0];
    let g = women_vs_men(&d, le, "0180", 2020).unwrap();
    assert_eq!(
        g.women,
        d.value("N00925", "0180", 2020, Sex::Total).unwrap()
    );
    assert_eq!(g.men, d.value("N00923", "0180", 2020, Sex::Total).unwrap());
    assert_eq!(g.better_off, BetterOff::Women);
    let smoke = &cat.goal("G5").unwrap().indicators[0];
    assert!(women_vs_men(&d, smoke, "0180", 2020).is_none());
}

#[test]
fn follow_up_covers_every_goal_and_uses_the_region_for_region_kpis() {
    let geo = Geography::embedded().unwrap();
    let d = DemoData::generate(&DemoOptions::default()).unwrap();
    let cat = Catalogue::shipped().unwrap();
    let o = FollowUpOptions::default();
    let f = follow_up(&d, &geo, &cat, "Arboga", &o).unwrap();
    assert_eq!(f.area, "1984");
    for g in &cat.goals {
        assert!(f.rows.iter().any(|r| r.goal == g.id), "{} missing", g.id);
    }
    let caries: Vec<_> = f.rows.iter().filter(|r| r.kpi == "N80401").collect();
    assert_eq!(caries.len(), 3);
    assert!(caries.iter().all(|r| r.area == "0019" && r.value.is_some()));
    let g2 = f
        .rows
        .iter()
        .find(|r| r.goal == "G2" && r.sex == Sex::Total)
        .unwrap();
    assert_eq!(g2.year, Some(2023));
    assert!(g2.progress.is_some() && g2.eurostat_short.is_some());
    assert!((g2.change.unwrap() - (g2.value.unwrap() - g2.baseline.unwrap())).abs() < 1e-12);
    assert!(g2.similar.is_some() && g2.nation.is_some() && g2.county_municipalities.is_some());
    // The same follow-up from a Kolada-style panel gives the same rows.
    let idx = PanelIndex::from_panel(&d.to_panel()).unwrap();
    assert_eq!(
        idx.series("N15428", "1984", Sex::Men),
        d.series("N15428", "1984", Sex::Men)
    );
    let f2 = follow_up(&idx, &geo, &cat, "1984", &o).unwrap();
    assert_eq!(f, f2);
    // `at` limits the latest year.
    let f3 = follow_up(
        &d,
        &geo,
        &cat,
        "1984",
        &FollowUpOptions {
            at: Some(2020),
            ..o
        },
    )
    .unwrap();
    assert!(f3.rows.iter().all(|r| r.year.is_none_or(|y| y <= 2020)));
    assert!(follow_up(&d, &geo, &cat, "0000", &o).is_err());
    assert!(follow_up(&d, &geo, &cat, "Nowhere", &o).is_err());
}

#[test]
fn panel_index_rejects_duplicates() {
    let k = vec!["N1".to_string(); 2];
    let a = vec!["0180".to_string(); 2];
    let e = PanelIndex::from_columns(
        &k,
        &a,
        &[2020, 2020],
        &[Sex::Total, Sex::Total],
        &[1.0, 2.0],
    );
    assert!(e.is_err());
    assert!(
        PanelIndex::from_columns(&k, &a, &[2020], &[Sex::Total, Sex::Total], &[1.0, 2.0]).is_err()
    );
}
