//! Parsing Kolada responses: our own fixtures, the shared reference fixtures (read from
//! ../shared at test time, checked value by value against the snapshot tables), and
//! round-trip properties.

use crate::common;

use jamlik::Error;
use jamlik::data::kolada::model::{AreaType, KpiLevel};
use jamlik::data::kolada::parse::{
    ParseOptions, next_link, parse_data, parse_data_page, parse_group_page, parse_kpi_page,
    parse_municipality_page,
};
use jamlik::data::{Observation, Sex};
use proptest::prelude::*;
use std::collections::HashMap;

fn own(name: &str) -> String {
    std::fs::read_to_string(common::test_data(&format!("kolada/{name}"))).unwrap()
}

#[test]
fn v3_pages_parse_with_their_next_links() {
    let p1 = parse_data_page(&own("v3_data_page1.json"), ParseOptions::default()).unwrap();
    let p2 = parse_data_page(&own("v3_data_page2.json"), ParseOptions::default()).unwrap();
    assert_eq!((p1.values.len(), p2.values.len()), (5, 4));
    assert!(p1.next.unwrap().ends_with("?page=2&per_page=5"));
    assert_eq!(p2.next, None);
    assert_eq!(
        p1.values[1],
        Observation {
            kpi: "N00945".into(),
            area: "1280".into(),
            year: 2018,
            sex: Sex::Total,
            value: Some(36.5),
            count: Some(1.0),
            status: String::new(),
        }
    );
}

#[test]
fn v2_pages_use_next_page() {
    let p1 = parse_data_page(&own("v2_data_page1.json"), ParseOptions::default()).unwrap();
    let p2 = parse_data_page(&own("v2_data_page2.json"), ParseOptions::default()).unwrap();
    assert!(p1.next.is_some());
    assert_eq!(p2.next, None, "previous_page is not a next link");
    assert_eq!(p1.values[0].value, None);
    assert_eq!(p1.values[0].count, Some(1.0));
}

#[test]
fn nulls_statuses_genders_deleted_rows_and_extra_fields() {
    let text = own("v3_data_mixed.json");
    let obs = parse_data(&text, ParseOptions::default()).unwrap();
    // 6 rows, one deleted; the last has T/K/M: 4 + 3 observations.
    assert_eq!(obs.len(), 7);
    let statuses: Vec<(&str, Option<f64>)> = obs[..4]
        .iter()
        .map(|o| (o.status.as_str(), o.value))
        .collect();
    assert_eq!(
        statuses,
        [
            ("", None),
            ("Missing", None),
            ("", Some(47.25)),
            ("Not applicable", None)
        ]
    );
    assert_eq!(obs[0].count, Some(0.0));
    let split: Vec<(Sex, f64)> = obs[4..].iter().map(|o| (o.sex, o.value.unwrap())).collect();
    assert_eq!(
        split,
        [(Sex::Total, 90.0), (Sex::Women, 91.5), (Sex::Men, 88.5)]
    );
    assert!(obs[4..].iter().all(|o| o.year == 2022 && o.area == "0013"));
    let kept = parse_data(&text, ParseOptions { keep_deleted: true }).unwrap();
    assert_eq!(kept.len(), 8);
    assert!(kept.iter().any(|o| o.year == 2021 && o.value == Some(12.0)));
    assert_eq!(
        next_link(&text).unwrap(),
        None,
        "empty next_url is the last page"
    );
    assert!(
        parse_data(&own("v3_data_empty.json"), ParseOptions::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn malformed_input_is_a_typed_parse_error() {
    for (text, needle) in [
        (own("truncated.json"), "truncated"),
        (own("not_json.html"), "malformed"),
        ("[1, 2]".to_string(), "unexpected"),
        (r#"{"values": [{"kpi": "N1"}]}"#.to_string(), "municipality"),
        (
            r#"{"values":[{"kpi":"N1","municipality":"0180","period":"20x","values":[]}]}"#
                .to_string(),
            "not a year",
        ),
        (String::new(), "truncated"),
    ] {
        let err = parse_data(&text, ParseOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
        assert!(err.to_string().contains(needle), "{err} lacks {needle}");
    }
}

#[test]
fn metadata_v2_and_v3() {
    let v3 = parse_kpi_page(&own("v3_kpi.json")).unwrap().values;
    let v2 = parse_kpi_page(&own("v2_kpi.json")).unwrap().values;
    assert_eq!(v3.len(), 2);
    assert!(v3[0].is_divided_by_sex && v2[0].is_divided_by_sex);
    assert!(!v3[1].is_divided_by_sex && !v2[1].is_divided_by_sex);
    assert_eq!(v2[0].auspice.as_deref(), Some("T"));
    assert_eq!(v3[0].municipality_type, Some(KpiLevel::Region));
    assert_eq!(v2[1].municipality_type, Some(KpiLevel::All));
    assert_eq!(v3[0].has_ou_data, Some(false));
    let m = parse_municipality_page(&own("v3_municipality_page1.json")).unwrap();
    assert_eq!(m.values[0].id, "0000");
    assert_eq!(m.values[0].area_type, AreaType::Region);
    assert!(m.next.is_some());
    let g = parse_group_page(&own("v3_municipality_groups_page2.json")).unwrap();
    assert_eq!(g.next, None);
    assert_eq!(g.values[0].id, "G92794");
    let bad = r#"{"values":[{"id":"0180","title":"Stockholm","type":"X"}]}"#;
    assert!(matches!(
        parse_municipality_page(bad),
        Err(Error::Parse { .. })
    ));
}

/// Bodies of every response in a shared fixture file, with their provenance text.
fn shared_responses(file: &str) -> Option<Vec<(String, String, String)>> {
    let path = common::shared(&format!("reference/kolada/{file}"))?;
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Some(
        doc["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["provenance"].as_str().unwrap_or("").to_string(),
                    r["body"].to_string(),
                )
            })
            .collect(),
    )
}

type Key = (String, String, i32, String, String);
type Cell = (Option<f64>, Option<f64>, String);

/// values_by_snapshot.csv: (kpi, municipality, period, gender, commit) → (value, count, status).
fn snapshot_table() -> Option<HashMap<Key, Cell>> {
    let path = common::shared("reference/kolada/values_by_snapshot.csv")?;
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let r = rec.unwrap();
        out.insert(
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].parse().unwrap(),
                r[3].to_string(),
                r[10].to_string(),
            ),
            (
                common::opt_f64(&r[4]),
                common::opt_f64(&r[5]),
                r[6].to_string(),
            ),
        );
    }
    Some(out)
}

fn commit_in(provenance: &str) -> Option<String> {
    provenance
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 40)
        .map(String::from)
}

#[test]
fn shared_reference_fixtures_match_the_snapshot_tables() {
    let (Some(v3), Some(v2), Some(table)) = (
        shared_responses("api_v3_fixture.json"),
        shared_responses("api_v2_fixture.json"),
        snapshot_table(),
    ) else {
        return;
    };
    let mut matched = 0;
    let mut total = 0;
    for (id, provenance, body) in v3.iter().chain(&v2) {
        let obs = parse_data(body, ParseOptions::default()).unwrap();
        let raw: serde_json::Value = serde_json::from_str(body).unwrap();
        let expected: usize = raw["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["values"].as_array().unwrap().len())
            .sum();
        assert_eq!(obs.len(), expected, "{id}");
        total += obs.len();
        if provenance.contains("SYNTHETIC") {
            assert!(obs.iter().any(|o| o.sex == Sex::Women));
            continue;
        }
        let Some(commit) = commit_in(provenance) else {
            continue;
        };
        for o in &obs {
            let key = (
                o.kpi.clone(),
                o.area.clone(),
                o.year,
                o.sex.code().to_string(),
                commit.clone(),
            );
            let (value, count, status) = table
                .get(&key)
                .unwrap_or_else(|| panic!("{id}: {key:?} not in values_by_snapshot.csv"));
            assert_eq!(o.value, *value, "{id} {key:?}");
            assert_eq!(o.count, *count, "{id} {key:?}");
            if !provenance.contains("RECONSTRUCTED") {
                assert_eq!(&o.status, status, "{id} {key:?}");
            }
            matched += 1;
        }
    }
    eprintln!(
        "shared Kolada fixtures: {matched} of {total} observations matched the snapshot table"
    );
    assert!(matched >= 20, "{matched}");
}

#[test]
fn shared_metadata_fixtures_parse() {
    for (file, n) in [
        ("api_v3_kpi_fixture.json", 4),
        ("api_v2_kpi_fixture.json", 4),
    ] {
        let Some(resps) = shared_responses(file) else {
            return;
        };
        let kpis = parse_kpi_page(&resps[0].2).unwrap().values;
        assert_eq!(kpis.len(), n, "{file}");
        assert!(kpis.iter().all(|k| k.auspice.is_some()), "{file}");
        let caries = kpis.iter().find(|k| k.id == "N80401").unwrap();
        assert!(caries.is_divided_by_sex);
        assert_eq!(caries.municipality_type, Some(KpiLevel::Region));
    }
    for file in [
        "api_v3_municipality_fixture.json",
        "api_v2_municipality_fixture.json",
    ] {
        let Some(resps) = shared_responses(file) else {
            return;
        };
        let m = parse_municipality_page(&resps[0].2).unwrap().values;
        assert_eq!(m.len(), 6);
        assert_eq!(
            m.iter()
                .filter(|a| a.area_type == AreaType::Municipality)
                .count(),
            3
        );
    }
}

fn observation() -> impl Strategy<Value = Observation> {
    (
        "[NU][0-9]{5}",
        "[0-9]{4}",
        1970i32..2030,
        prop_oneof![Just(Sex::Total), Just(Sex::Women), Just(Sex::Men)],
        prop::option::of(-1e6f64..1e6),
        prop::option::of(0u32..400),
        prop_oneof![Just(""), Just("Missing"), Just("Not applicable")],
    )
        .prop_map(
            |(kpi, area, period, sex, value, count, status)| Observation {
                kpi,
                area,
                year: period,
                sex,
                value,
                count: count.map(f64::from),
                status: status.to_string(),
            },
        )
}

fn to_v3(obs: &[Observation], next: Option<&str>) -> String {
    let rows: Vec<serde_json::Value> = obs
        .iter()
        .map(|o| {
            serde_json::json!({
                "kpi": o.kpi, "municipality": o.area, "period": o.year,
                "values": [{"gender": o.sex.code(), "count": o.count, "status": o.status, "value": o.value}]
            })
        })
        .collect();
    serde_json::json!({"values": rows, "count": 7, "next_url": next}).to_string()
}

proptest! {
    #[test]
    fn serialised_observations_round_trip(obs in prop::collection::vec(observation(), 0..40),
                                          next in prop::option::of("http://x/v3/[a-z]{1,8}")) {
        let text = to_v3(&obs, next.as_deref());
        let page = parse_data_page(&text, ParseOptions::default()).unwrap();
        prop_assert_eq!(page.values, obs);
        prop_assert_eq!(page.next, next);
    }

    #[test]
    fn any_truncation_is_an_error_never_a_panic(obs in prop::collection::vec(observation(), 1..5),
                                                cut in 0.0f64..1.0) {
        let text = to_v3(&obs, None);
        let at = ((text.len() - 1) as f64 * cut) as usize;
        let r = parse_data(&text[..at], ParseOptions::default());
        let is_parse_error = matches!(r, Err(Error::Parse { .. }));
        prop_assert!(is_parse_error, "{:?}", r);
    }
}
