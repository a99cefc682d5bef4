//! The shipped catalogue, user catalogues, overrides and their errors.

use jamlik::Error;
use jamlik::goals::{
    Catalogue, ChangeUnit, Confidence, GoalArea, MergeMode, SexHandling, TargetKind,
};

#[test]
fn shipped_catalogue_holds_the_confirmed_and_likely_goals() {
    let cat = Catalogue::shipped().unwrap();
    assert_eq!(cat.baseline_year, Some(2017));
    assert_eq!(cat.target_year, Some(2022));
    assert!(cat.note.contains("22") && cat.note.to_lowercase().contains("not available offline"));
    let ids: Vec<&str> = cat.goals.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9"]);
    let expect = [
        ("G1", "N80401", 2.0, ChangeUnit::PercentagePoints),
        ("G2", "N15428", 2.0, ChangeUnit::PercentagePoints),
        ("G3", "N20434", -10.0, ChangeUnit::Per1000),
        ("G4", "N00973", 7.0, ChangeUnit::PercentagePoints),
    ];
    for (id, kpi, value, unit) in expect {
        let g = cat.goal(id).unwrap();
        assert_eq!(g.confidence, Confidence::High);
        assert_eq!(g.indicators[0].kpi.as_deref(), Some(kpi));
        assert_eq!(g.target.kind, TargetKind::Change { value, unit });
        assert_eq!(
            (g.target.baseline_year, g.target.target_year),
            (Some(2017), Some(2022))
        );
    }
    for id in ["G5", "G6", "G7", "G8", "G9"] {
        let g = cat.goal(id).unwrap();
        assert!(
            g.confidence > Confidence::High,
            "{id} should not claim high confidence"
        );
        assert_eq!(g.target.kind, TargetKind::Direction);
    }
    let g6 = cat.goal("G6").unwrap();
    assert_eq!(g6.indicators[0].sex_handling, SexHandling::TwoKpis);
    assert_eq!(g6.indicators[0].kpi_ids(), ["N00925", "N00923"]);
    assert_eq!(cat.goal("G1").unwrap().area, GoalArea::GodOchJamlikHalsa);
    // −10 per 1,000 in Kolada's per-100 000 unit.
    let g3 = cat.goal("G3").unwrap();
    assert_eq!(
        g3.target.change_in_kpi_units(&g3.indicators[0]).unwrap(),
        -1000.0
    );
    // Round trip through JSON.
    let again = Catalogue::from_json(&cat.to_json().unwrap()).unwrap();
    assert_eq!(again, cat);
}

const LOCAL: &str = r#"{
  "name": "Arboga lokala mål",
  "goals": [{
    "id": "ARBOGA-1", "area": "god_och_jamlik_halsa", "title": "Fler behöriga elever",
    "indicators": [{"kpi": "N15428", "title": "Behöriga", "unit": "%", "direction": "higher_is_better",
                    "sex_handling": "split", "level": "A"}],
    "target": {"kind": {"type": "level", "value": 90.0}, "target_year": 2025},
    "source": "Kommunfullmäktige", "confidence": "high", "local": true
  }]
}"#;

#[test]
fn user_catalogue_and_merge_modes() {
    let mut cat = Catalogue::shipped().unwrap();
    let local = Catalogue::from_json(LOCAL).unwrap();
    cat.merge(local.clone(), MergeMode::Override).unwrap();
    assert!(cat.goal("ARBOGA-1").unwrap().local);
    assert_eq!(cat.goals.len(), 10);
    // Adding the same id again is an error and leaves the catalogue unchanged.
    let before = cat.clone();
    assert!(cat.merge(local.clone(), MergeMode::AddOnly).is_err());
    assert_eq!(cat, before);
    // Replace-only with an unknown id fails.
    let mut fresh = Catalogue::shipped().unwrap();
    assert!(matches!(
        fresh.merge(local, MergeMode::ReplaceOnly),
        Err(Error::UnknownId { .. })
    ));
    // Override an entry: a corrected KPI id for G3.
    let mut g3 = fresh.goal("G3").unwrap().clone();
    g3.indicators[0].kpi = Some("N20402".into());
    fresh.override_goal(g3).unwrap();
    assert_eq!(
        fresh.goal("G3").unwrap().indicators[0].kpi.as_deref(),
        Some("N20402")
    );
    assert!(fresh.remove_goal("G9").is_ok());
    assert!(matches!(fresh.goal("G9"), Err(Error::UnknownId { .. })));
    assert!(matches!(
        fresh.remove_goal("G9"),
        Err(Error::UnknownId { .. })
    ));
}

#[test]
fn bad_catalogues_are_clear_errors() {
    assert!(matches!(
        Catalogue::from_json("{"),
        Err(Error::Parse { .. })
    ));
    assert!(matches!(
        Catalogue::from_json(r#"{"name": "x"}"#),
        Err(Error::Parse { .. })
    ));
    // Unknown field.
    let extra = LOCAL.replace("\"local\": true", "\"local\": true, \"colour\": 1");
    assert!(matches!(
        Catalogue::from_json(&extra),
        Err(Error::Parse { .. })
    ));
    // Unknown area.
    let area = LOCAL.replace("god_och_jamlik_halsa", "good_health");
    assert!(matches!(
        Catalogue::from_json(&area),
        Err(Error::Parse { .. })
    ));
    // Two-KPI handling without the two KPIs.
    let two = LOCAL.replace(
        "\"sex_handling\": \"split\"",
        "\"sex_handling\": \"two_kpis\"",
    );
    let e = Catalogue::from_json(&two).unwrap_err();
    assert!(e.to_string().contains("kpi_women"), "{e}");
    // Percentage points on a KPI not in per cent.
    let pp = LOCAL
        .replace(r#"{"type": "level", "value": 90.0}, "target_year": 2025"#, r#"{"type": "change", "value": 2.0, "unit": "percentage_points"}, "baseline_year": 2017, "target_year": 2022"#)
        .replace("\"unit\": \"%\"", "\"unit\": \"år\"");
    let e = Catalogue::from_json(&pp).unwrap_err();
    assert!(e.to_string().contains("per cent"), "{e}");
    // A change pointing the wrong way for the direction.
    let wrong = LOCAL.replace(r#"{"type": "level", "value": 90.0}, "target_year": 2025"#, r#"{"type": "change", "value": -2.0, "unit": "percentage_points"}, "baseline_year": 2017, "target_year": 2022"#);
    assert!(
        Catalogue::from_json(&wrong)
            .unwrap_err()
            .to_string()
            .contains("wrong way")
    );
    // Per-1,000 without rate_base.
    let rate = LOCAL.replace(r#"{"type": "level", "value": 90.0}, "target_year": 2025"#, r#"{"type": "change", "value": 2.0, "unit": "per1000"}, "baseline_year": 2017, "target_year": 2022"#);
    assert!(
        Catalogue::from_json(&rate)
            .unwrap_err()
            .to_string()
            .contains("rate_base")
    );
    // Target year before baseline.
    let years = LOCAL.replace(
        r#""target_year": 2025"#,
        r#""baseline_year": 2025, "target_year": 2020"#,
    );
    assert!(Catalogue::from_json(&years).is_err());
    // Duplicate ids.
    let mut cat = Catalogue::from_json(LOCAL).unwrap();
    let g = cat.goals[0].clone();
    assert!(cat.add_goal(g.clone()).is_err());
    cat.goals.push(g);
    assert!(cat.validate().is_err());
    // Missing file.
    assert!(matches!(
        Catalogue::from_path(std::path::Path::new("/nonexistent/cat.json")),
        Err(Error::Io { .. })
    ));
}
