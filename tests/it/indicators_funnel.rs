//! Funnel limits and significance labels against PHEindicatormethods 2.1.0
//! (tests/data/phe). The package solves the expected counts of ratio/rate
//! funnels by ~23 bisection steps; jamlik solves them exactly, so those
//! limits are compared at BISECTION (relative); proportion limits and all
//! labels exactly or at CLOSED_FORM. Limits are compared at the package's
//! own x-axis points (jamlik's default axis differs, see docs).

use crate::common::{CLOSED_FORM, NOISE_ABS, assert_close, opt_f64, test_data};
use jamlik::indicators::funnel::{
    RatioType, proportion_limits, proportion_significance, rate_baseline, rate_limits,
    rate_significance, ratio_limits, ratio_significance,
};
use std::collections::HashMap;

/// The package bisects v in (0, 1) with λ = (1 + O)·v/(1 − v) for about 23
/// steps, so its expected count E is off by up to dλ = (1 + O)/(1 − v)²·2⁻²²
/// (a step of 2⁻²³, doubled for safety); the relative bound on E (and on O/E)
/// follows.
fn bisection_rel(observed: f64, expected: f64) -> f64 {
    let v = expected / (1.0 + observed + expected);
    (1.0 + observed) / (1.0 - v).powi(2) * 2f64.powi(-22) / expected
}
type Row = HashMap<String, String>;

fn load(name: &str) -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(test_data(&format!("phe/{name}"))).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn col(rows: &[Row], k: &str) -> Vec<f64> {
    rows.iter().map(|r| opt_f64(&r[k]).unwrap()).collect()
}

#[test]
fn proportion_limits_match_reference() {
    let inputs = load("funnel_prop_inputs.csv");
    let num = col(&inputs, "numerator");
    let den = col(&inputs, "denominator");
    let av = num.iter().sum::<f64>() / den.iter().sum::<f64>();
    let mut compared = 0;
    for (file, m) in [
        ("funnel_limits_proportion_m100.csv", 100.0),
        ("funnel_limits_proportion_m1.csv", 1.0),
    ] {
        let rows = load(file);
        let pop = col(&rows, "Population");
        assert_close(
            "baseline",
            av * m,
            opt_f64(&rows[0]["baseline"]).unwrap(),
            CLOSED_FORM,
            0.0,
        );
        let lim = proportion_limits(av, &pop, &[0.95, 0.998], m).unwrap();
        for (r, l) in rows.iter().zip(&lim) {
            for (k, name) in [(0, "2s"), (1, "3s")] {
                // Q9: the package clamps at 100 whatever the multiplier; jamlik at the multiplier.
                let rl = opt_f64(&r[&format!("lower_{name}_limit")]).unwrap().min(m);
                let ru = opt_f64(&r[&format!("upper_{name}_limit")]).unwrap().min(m);
                assert_close(
                    &format!("{file} {} lower {name}", r["Population"]),
                    l[k].lower,
                    rl,
                    CLOSED_FORM,
                    NOISE_ABS,
                );
                assert_close(
                    &format!("{file} {} upper {name}", r["Population"]),
                    l[k].upper,
                    ru,
                    CLOSED_FORM,
                    NOISE_ABS,
                );
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 200);
}

#[test]
fn ratio_limits_match_reference() {
    let mut compared = 0;
    for (file, t) in [
        ("funnel_limits_ratio_count.csv", RatioType::Count),
        ("funnel_limits_ratio_isr.csv", RatioType::Isr),
    ] {
        let rows = load(file);
        let obs = col(&rows, "Observed_events");
        let lim = ratio_limits(&obs, &[0.95, 0.998], t).unwrap();
        for (r, l) in rows.iter().zip(&lim) {
            for (k, name) in [(0, "2s"), (1, "3s")] {
                let g = |c: &str| opt_f64(&r[c]).unwrap();
                let what = format!("{file} O={}", r["Observed_events"]);
                let o = g("Observed_events");
                let (el, eu) = (l[k].lower_expected.unwrap(), l[k].upper_expected.unwrap());
                let (tl, tu) = (bisection_rel(o, el), bisection_rel(o, eu));
                assert_close(
                    &format!("{what} lower E {name}"),
                    el,
                    g(&format!("lower_{name}_exp_events")),
                    tl,
                    0.0,
                );
                assert_close(
                    &format!("{what} upper E {name}"),
                    eu,
                    g(&format!("upper_{name}_exp_events")),
                    tu,
                    0.0,
                );
                // Limits: O/E (− 1 or × 100): the same relative error as E on O/E.
                let back = |x: f64| {
                    if t == RatioType::Count {
                        x + 1.0
                    } else {
                        x / 100.0
                    }
                };
                assert_close(
                    &format!("{what} lower {name}"),
                    back(l[k].lower),
                    back(g(&format!("lower_{name}_limit"))),
                    tl,
                    0.0,
                );
                assert_close(
                    &format!("{what} upper {name}"),
                    back(l[k].upper),
                    back(g(&format!("upper_{name}_limit"))),
                    tu,
                    0.0,
                );
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 200);
}

#[test]
fn rate_limits_match_reference() {
    let inputs = load("funnel_rate_inputs.csv");
    let ev = col(&inputs, "ev");
    let pop = col(&inputs, "pop");
    let dsr_rate = col(&inputs, "rate_dsr");
    let mut compared = 0;
    for (file, baseline) in [
        (
            "funnel_limits_rate_crude.csv",
            rate_baseline(&ev, Some(&pop), None, 1e5).unwrap(),
        ),
        (
            "funnel_limits_rate_dsr.csv",
            rate_baseline(&ev, None, Some(&dsr_rate), 1e5).unwrap(),
        ),
    ] {
        let rows = load(file);
        assert_close(
            &format!("{file} baseline"),
            baseline,
            opt_f64(&rows[0]["baseline"]).unwrap(),
            CLOSED_FORM,
            0.0,
        );
        let obs = col(&rows, "Events");
        let lim = rate_limits(&obs, baseline, 1e5, 3.0, &[0.95, 0.998]).unwrap();
        for (r, l) in rows.iter().zip(&lim) {
            for (k, name) in [(0, "2s"), (1, "3s")] {
                let g = |c: String| opt_f64(&r[&c]).unwrap();
                let what = format!("{file} O={}", r["Events"]);
                let o = g("Events".into());
                // Populations per year back to expected counts: × years × baseline.
                let to_e = |p: f64| p * 3.0 * baseline / 1e5;
                let (el, eu) = (
                    to_e(l[k].lower_expected.unwrap()),
                    to_e(l[k].upper_expected.unwrap()),
                );
                let (tl, tu) = (bisection_rel(o, el), bisection_rel(o, eu));
                assert_close(
                    &format!("{what} lower pop"),
                    l[k].lower_expected.unwrap(),
                    g(format!("lower_{name}_population_1_year")),
                    tl,
                    0.0,
                );
                assert_close(
                    &format!("{what} upper pop"),
                    l[k].upper_expected.unwrap(),
                    g(format!("upper_{name}_population_1_year")),
                    tu,
                    0.0,
                );
                assert_close(
                    &format!("{what} lower"),
                    l[k].lower,
                    g(format!("lower_{name}_limit")),
                    tl,
                    0.0,
                );
                assert_close(
                    &format!("{what} upper"),
                    l[k].upper,
                    g(format!("upper_{name}_limit")),
                    tu,
                    0.0,
                );
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 200);
}

#[test]
fn significance_labels_match_reference() {
    let rows = load("funnel_significance.csv");
    let levels = [0.95, 0.998];
    let mut compared = 0;
    for case in [
        "funnel_prop",
        "funnel_ratio",
        "funnel_rate_crude",
        "funnel_rate_dsr",
    ] {
        let sub: Vec<Row> = rows
            .iter()
            .filter(|r| r["case_id"] == case)
            .cloned()
            .collect();
        let num = col(&sub, "numerator");
        let labels = match case {
            "funnel_prop" => {
                proportion_significance(&num, &col(&sub, "denominator"), &levels).unwrap()
            }
            "funnel_ratio" => ratio_significance(&num, &col(&sub, "denominator"), &levels).unwrap(),
            "funnel_rate_crude" => {
                let den = col(&sub, "denominator");
                let b = rate_baseline(&num, Some(&den), None, 1e5).unwrap();
                rate_significance(&num, &den, b, 1e5, false, &levels).unwrap()
            }
            _ => {
                let rate = col(&sub, "rate");
                let b = rate_baseline(&num, None, Some(&rate), 1e5).unwrap();
                let den: Vec<f64> = num
                    .iter()
                    .zip(&rate)
                    .map(|(o, r)| if *o > 0.0 { 1e5 * o / r } else { 1.0 })
                    .collect();
                rate_significance(&num, &den, b, 1e5, true, &levels).unwrap()
            }
        };
        for (r, l) in sub.iter().zip(&labels) {
            assert_eq!(*l, r["significance"], "{case} {}", r["area"]);
            compared += 1;
        }
    }
    assert_eq!(compared, 105);
}
