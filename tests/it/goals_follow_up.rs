//! The follow-up's table and gaps in the core, the goal's choice of series and
//! methods, and the shared vocabulary.

use jamlik::data::{DemoData, DemoOptions, Geography};
use jamlik::goals::follow_up::{
    Column, EqualWeights, FollowUp, FollowUpOptions, PanelIndex, PopulationIndex, ValueSource,
    follow_up, gaps,
};
use jamlik::goals::gap::{GapOptions, gap_closure};
use jamlik::goals::progress::assess_goal;
use jamlik::goals::{Catalogue, Direction};
use jamlik::measures::heat::{Measure, Options, Subgroups, measure};
use jamlik::{Error, Sex};

fn setup() -> (Geography, Catalogue, DemoData) {
    (
        Geography::embedded().unwrap(),
        Catalogue::shipped().unwrap(),
        DemoData::generate(&DemoOptions::default()).unwrap(),
    )
}

fn floats(c: &Column) -> &[Option<f64>] {
    match c {
        Column::Float(v) => v,
        other => panic!("not a float column: {other:?}"),
    }
}

#[test]
fn follow_up_table_has_key_columns_first_and_one_row_per_result_row() {
    let (geo, cat, d) = setup();
    let f = follow_up(&d, &geo, &cat, "1984", &FollowUpOptions::default()).unwrap();
    let t = f.table();
    assert_eq!(
        t.names()[..11],
        [
            "area",
            "goal",
            "indicator",
            "sex",
            "year",
            "value",
            "change",
            "progress",
            "region",
            "nation",
            "similar"
        ]
    );
    assert!(t.names()[..FollowUp::KEY_COLUMNS].contains(&"unit"));
    assert_eq!(t.names()[FollowUp::KEY_COLUMNS - 1], "kpi");
    assert_eq!(t.rows(), f.rows.len());
    let values = floats(t.column("value").unwrap());
    for (row, v) in f.rows.iter().zip(values) {
        assert_eq!(row.value, *v);
    }
    let csv = t.to_csv();
    assert_eq!(csv.lines().count(), f.rows.len() + 1);
    assert!(csv.starts_with("area,goal,indicator,sex,year,value,"));
}

#[test]
fn gaps_match_a_direct_computation() {
    let (geo, cat, d) = setup();
    let o = FollowUpOptions::default();
    let f = follow_up(&d, &geo, &cat, "1984", &o).unwrap();
    let g = gaps(&d, &d, &geo, &cat, &f, &o).unwrap();
    assert_eq!(g.area, "1984");
    // Region-only KPIs have no municipality gaps; each (goal, KPI) appears once.
    assert!(g.rows.iter().all(|r| r.kpi != "N80401"));
    let row = g.rows.iter().find(|r| r.kpi == "N15428").unwrap();
    assert_eq!(row.year, Some(2023));
    // Women − men and its closure from the K and M series.
    let (w, m) = (
        d.series("N15428", "1984", Sex::Women),
        d.series("N15428", "1984", Sex::Men),
    );
    let years: Vec<i32> = w.iter().map(|p| p.0).collect();
    let gap: Vec<f64> = w.iter().zip(&m).map(|(a, b)| a.1 - b.1).collect();
    let want = gap_closure(&years, &gap, &GapOptions::default()).unwrap();
    assert_eq!(row.women_minus_men, Some(want.latest_gap));
    assert_eq!(row.sex_gap_closure_year, want.closure_year);
    // Municipality − nation in the latest year.
    let nation = d.value("N15428", "0000", 2023, Sex::Total).unwrap();
    let own = d.value("N15428", "1984", 2023, Sex::Total).unwrap();
    assert!((row.minus_nation.unwrap() - (own - nation)).abs() < 1e-12);
    // IDISW over all 290 municipalities weighted by the synthetic population.
    let (mut y, mut pop) = (Vec::new(), Vec::new());
    for a in geo.municipalities() {
        y.push(d.value("N15428", &a.id, 2023, Sex::Total).unwrap());
        pop.push(d.population(&a.id, 2023, Sex::Total).unwrap());
    }
    assert_eq!(y.len(), 290);
    let s = Subgroups::new(&y).population(&pop).build().unwrap();
    let idisw = measure(Measure::Idisw, &s, &Options::default())
        .unwrap()
        .value;
    assert!((row.idisw_nation.unwrap() - idisw).abs() <= 1e-12 * idisw.abs());
    // Equal weights give a different (unweighted) index.
    let eq = gaps(&d, &EqualWeights, &geo, &cat, &f, &o).unwrap();
    let eq_row = eq.rows.iter().find(|r| r.kpi == "N15428").unwrap();
    assert_ne!(eq_row.idisw_nation, row.idisw_nation);
    // A KPI not split by sex has no sex gap, and says so.
    let smoke = g.rows.iter().find(|r| r.kpi == "U01901").unwrap();
    assert_eq!(smoke.women_minus_men, None);
    assert_eq!(smoke.sex_gap_trend, "not split by sex");
}

#[test]
fn gaps_from_a_panel_with_population_columns_equal_the_demo_gaps() {
    let (geo, cat, d) = setup();
    let o = FollowUpOptions {
        at: Some(2021),
        ..FollowUpOptions::default()
    };
    let idx = PanelIndex::from_panel(&d.to_panel()).unwrap();
    let f = follow_up(&idx, &geo, &cat, "Arboga", &o).unwrap();
    let (mut area, mut year, mut sex, mut pop) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in d.areas() {
        for &y in d.years() {
            area.push(a.clone());
            year.push(y);
            sex.push(Sex::Total);
            pop.push(d.population(a, y, Sex::Total).unwrap());
        }
    }
    let w = PopulationIndex::from_columns(&area, &year, &sex, &pop).unwrap();
    let from_panel = gaps(&idx, &w, &geo, &cat, &f, &o).unwrap();
    let from_demo = gaps(&d, &d, &geo, &cat, &f, &o).unwrap();
    assert_eq!(from_panel, from_demo);
    assert!(
        from_demo
            .rows
            .iter()
            .all(|r| r.year.is_none_or(|y| y <= 2021))
    );
    pop[0] = -1.0;
    let e = PopulationIndex::from_columns(&area, &year, &sex, &pop).unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfDomain {
                arg: "population",
                ..
            }
        ),
        "{e}"
    );
    let e = PopulationIndex::from_columns(&area, &year[1..], &sex, &pop).unwrap_err();
    assert!(
        matches!(e, Error::LengthMismatch { arg: "year", .. }),
        "{e}"
    );
}

#[test]
fn assess_goal_picks_the_indicator_and_the_kolada_row() {
    let (geo, cat, d) = setup();
    let _ = geo;
    let g2 = cat.goal("G2").unwrap();
    let a = assess_goal(&d, g2, None, "1984", Sex::Women, None).unwrap();
    assert_eq!(a[0].method, "skr_change");
    assert_eq!(
        a[0].numbers.value,
        d.value("N15428", "1984", 2023, Sex::Women).unwrap()
    );
    // A women/men KPI pair: the men's KPI is read from its T row, whatever sex is asked.
    let g6 = cat.goal("G6").unwrap();
    let le = assess_goal(&d, g6, Some("N00923"), "0180", Sex::Men, None).unwrap();
    assert_eq!(
        le[0].numbers.value,
        d.value("N00923", "0180", 2023, Sex::Total).unwrap()
    );
    let e = assess_goal(&d, g6, None, "0180", Sex::Total, None).unwrap_err();
    assert!(
        e.to_string().contains("kpi") && e.to_string().contains("N00925"),
        "{e}"
    );
    let e = assess_goal(&d, g2, Some("N99999"), "0180", Sex::Total, None).unwrap_err();
    assert!(e.to_string().contains("N15428"), "{e}");
    let e = assess_goal(&d, g2, None, "9999", Sex::Total, None).unwrap_err();
    assert!(e.to_string().contains("no values"), "{e}");
}

#[test]
fn vocabulary_sex_and_direction() {
    for (t, s) in [
        ("K", Sex::Women),
        ("female", Sex::Women),
        ("MEN", Sex::Men),
        ("Total", Sex::Total),
    ] {
        assert_eq!(t.parse::<Sex>().unwrap(), s);
    }
    let e = "kvinna".parse::<Sex>().unwrap_err();
    assert!(
        matches!(e, Error::InvalidArgument { arg: "sex", .. }),
        "{e}"
    );
    assert_eq!(
        serde_json::to_string(&Direction::HigherIsBetter).unwrap(),
        "\"higher\""
    );
    let old: Direction = serde_json::from_str("\"lower_is_better\"").unwrap();
    assert_eq!(old, Direction::LowerIsBetter);
    assert_eq!(
        "lower".parse::<Direction>().unwrap(),
        Direction::LowerIsBetter
    );
    let e = "down".parse::<Direction>().unwrap_err().to_string();
    assert!(e.contains("\"higher\" or \"lower\""), "{e}");
}
