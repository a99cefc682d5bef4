//! Health expectancy (Sullivan): properties against the life table, the
//! input forms, the gap, and bad-input errors. The independent numerical
//! check (a numpy implementation of the practical guide's formulas) is in
//! tests/python/test_health_expectancy.py.

use jamlik::indicators::life_table::{LifeTableOptions, STANDARD_20};
use jamlik::indicators::{
    Groups, HealthExpectancyInput, HealthExpectancyOptions, HealthMeasure, Prevalence,
    health_expectancy_by, health_expectancy_gap, life_tables_by,
};
use jamlik::{Error, MissingPolicy};
use proptest::prelude::*;

/// Swedish-like populations and deaths for 20 bands (mortality rising
/// exponentially from age 30; infant mortality about 2 per 1 000).
fn sweden(scale: f64) -> (Vec<f64>, Vec<f64>) {
    let pop: Vec<f64> = STANDARD_20
        .iter()
        .map(|&a| {
            let width = if a == 0.0 {
                1.0
            } else if a == 1.0 {
                4.0
            } else {
                5.0
            };
            let size = if a < 65.0 {
                120_000.0
            } else {
                120_000.0 * (-(a - 65.0) / 12.0).exp()
            };
            (width * size * scale).round()
        })
        .collect();
    let deaths: Vec<f64> = STANDARD_20
        .iter()
        .zip(&pop)
        .map(|(&a, &p)| {
            let m = if a == 0.0 {
                0.0022
            } else {
                0.00008 + 0.00002 * (0.095 * a).exp()
            };
            (p * m.min(0.6)).round()
        })
        .collect();
    (deaths, pop)
}

fn prevalence_curve(level: f64) -> Vec<f64> {
    STANDARD_20
        .iter()
        .map(|&a| (level - 0.0065 * (a - 20.0).max(0.0)).clamp(0.05, 0.99))
        .collect()
}

fn table(
    deaths: &[f64],
    pop: &[f64],
    prev: Prevalence<'_>,
    opts: &HealthExpectancyOptions,
) -> jamlik::Result<jamlik::indicators::HealthExpectancies> {
    let input = HealthExpectancyInput {
        count: deaths,
        population: pop,
        age: &STANDARD_20,
        prevalence: prev,
        ax: None,
    };
    health_expectancy_by(&input, &Groups::single(deaths.len()), opts)
}

fn arg(e: Error) -> &'static str {
    match e {
        Error::OutOfDomain { arg, .. }
        | Error::OutOfBounds { arg, .. }
        | Error::InvalidLevel { arg, .. }
        | Error::InvalidArgument { arg, .. }
        | Error::LengthMismatch { arg, .. }
        | Error::Missing { arg, .. } => arg,
        other => panic!("unexpected {other:?}"),
    }
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn prevalence_one_gives_life_expectancy_with_the_life_table_se() {
    let (d, p) = sweden(1.0);
    let ones = vec![1.0; 20];
    let n = vec![500.0; 20];
    let t = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &ones,
            n: &n,
        },
        &HealthExpectancyOptions::default(),
    )
    .unwrap();
    let lt_opts = LifeTableOptions {
        min_population: None,
        max_ci_width: None,
        ..LifeTableOptions::default()
    };
    let lt = life_tables_by(&d, &p, &STANDARD_20, &Groups::single(20), &lt_opts).unwrap();
    for i in 0..20 {
        let le = lt.value(i).unwrap();
        let se = lt.se(i).unwrap();
        for m in [
            HealthMeasure::LifeExpectancy,
            HealthMeasure::HealthExpectancy,
        ] {
            assert!(rel(t.value_nan(m)[i], le) < 1e-13, "{m:?} at {i}");
            assert!(rel(t.se_nan(m)[i], se) < 1e-12, "{m:?} se at {i}");
        }
        assert!((t.value_nan(HealthMeasure::ProportionHealthy)[i] - 1.0).abs() < 1e-14);
        assert!(t.se_nan(HealthMeasure::ProportionHealthy)[i].abs() < 1e-12);
    }
    assert!(t.value_nan(HealthMeasure::LifeExpectancy)[0] > 75.0);
    assert!(t.value_nan(HealthMeasure::LifeExpectancy)[0] < 90.0);
}

#[test]
fn prevalence_zero_gives_zero_health_expectancy() {
    let (d, p) = sweden(1.0);
    let zeros = vec![0.0; 20];
    let n = vec![500.0; 20];
    let t = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &zeros,
            n: &n,
        },
        &HealthExpectancyOptions::default(),
    )
    .unwrap();
    for i in 0..20 {
        assert_eq!(t.value_nan(HealthMeasure::HealthExpectancy)[i], 0.0);
        assert_eq!(t.se_nan(HealthMeasure::HealthExpectancy)[i], 0.0);
        assert_eq!(t.value_nan(HealthMeasure::ProportionHealthy)[i], 0.0);
        assert!(t.value_nan(HealthMeasure::LifeExpectancy)[i] > 0.0);
    }
}

#[test]
fn the_three_prevalence_forms_agree_and_components_add_up() {
    let (d, p) = sweden(0.3);
    let h = prevalence_curve(0.85);
    let n: Vec<f64> = (0..20).map(|i| 300.0 + 17.0 * f64::from(i)).collect();
    let healthy: Vec<f64> = h.iter().zip(&n).map(|(a, b)| a * b).collect();
    let se: Vec<f64> = h
        .iter()
        .zip(&n)
        .map(|(a, b)| (a * (1.0 - a) / b).sqrt())
        .collect();
    let opts = HealthExpectancyOptions::default();
    let a = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        &opts,
    )
    .unwrap();
    let b = table(
        &d,
        &p,
        Prevalence::StandardError {
            prevalence: &h,
            se: &se,
        },
        &opts,
    )
    .unwrap();
    let c = table(
        &d,
        &p,
        Prevalence::Counts {
            healthy: &healthy,
            respondents: &n,
        },
        &opts,
    )
    .unwrap();
    let prev_only = HealthExpectancyOptions {
        mortality_variance: false,
        ..HealthExpectancyOptions::default()
    };
    let e = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        &prev_only,
    )
    .unwrap();
    let full_h = HealthExpectancyOptions::default();
    let ones = vec![1.0; 20];
    let lt = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &ones,
            n: &n,
        },
        &full_h,
    )
    .unwrap();
    for m in HealthMeasure::ALL {
        for i in 0..20 {
            let v = a.value_nan(m)[i];
            assert!(rel(b.value_nan(m)[i], v) < 1e-14);
            assert!(rel(c.value_nan(m)[i], v) < 1e-12);
            assert!(rel(b.se_nan(m)[i], a.se_nan(m)[i]) < 1e-12);
            assert!(rel(c.se_nan(m)[i], a.se_nan(m)[i]) < 1e-10);
            assert!(e.se_nan(m)[i] <= a.se_nan(m)[i] + 1e-15);
        }
    }
    // Life expectancy and its SE do not depend on the prevalence or on
    // `mortality_variance`; the prevalence-only SE is strictly smaller than
    // the full one where mortality varies.
    let le = HealthMeasure::LifeExpectancy;
    assert_eq!(a.value_nan(le), lt.value_nan(le));
    assert_eq!(a.se_nan(le), e.se_nan(le));
    assert!(
        e.se_nan(HealthMeasure::HealthExpectancy)[0] < a.se_nan(HealthMeasure::HealthExpectancy)[0]
    );
    // Estimates carry method and level.
    let est = a.estimate(0, HealthMeasure::HealthExpectancy, 0).unwrap();
    assert_eq!(est.level, 0.95);
    assert!(est.method.starts_with("Sullivan"));
    let (lo, hi) = a.limits_nan(HealthMeasure::HealthExpectancy, 0);
    assert_eq!((est.lower.unwrap(), est.upper.unwrap()), (lo[0], hi[0]));
}

#[test]
fn ax_per_band_changes_the_table_and_the_default_is_the_life_tables() {
    let (d, p) = sweden(1.0);
    let h = prevalence_curve(0.8);
    let n = vec![400.0; 20];
    let default_ax: Vec<f64> = STANDARD_20
        .iter()
        .map(|&a| if a == 0.0 { 0.1 } else { 0.5 })
        .collect();
    let halves = vec![0.5; 20];
    let run = |ax: Option<&[f64]>| {
        let input = HealthExpectancyInput {
            count: &d,
            population: &p,
            age: &STANDARD_20,
            prevalence: Prevalence::SampleSize {
                prevalence: &h,
                n: &n,
            },
            ax,
        };
        health_expectancy_by(
            &input,
            &Groups::single(20),
            &HealthExpectancyOptions::default(),
        )
        .unwrap()
    };
    let none = run(None);
    let given = run(Some(&default_ax));
    let guide = run(Some(&halves));
    let le = HealthMeasure::LifeExpectancy;
    assert_eq!(none.value_nan(le), given.value_nan(le));
    // a₀ = 0.5 instead of 0.1 adds about 0.4 × q₀ years at birth.
    let diff = guide.value_nan(le)[0] - none.value_nan(le)[0];
    assert!(diff > 0.0 && diff < 0.01, "{diff}");
    // Later bands do not depend on the infant band's ax (l₁ cancels).
    assert!(rel(guide.value_nan(le)[1], none.value_nan(le)[1]) < 1e-14);
}

#[test]
fn groups_in_one_call_equal_separate_calls() {
    let mut d = Vec::new();
    let mut p = Vec::new();
    let mut h = Vec::new();
    let mut codes = Vec::new();
    let mut age = Vec::new();
    for (g, (scale, level)) in [(1.0, 0.85), (0.5, 0.75), (0.2, 0.7)]
        .into_iter()
        .enumerate()
    {
        let (dg, pg) = sweden(scale);
        d.extend(dg);
        p.extend(pg);
        h.extend(prevalence_curve(level));
        codes.extend(std::iter::repeat_n(g as i64, 20));
        age.extend(STANDARD_20);
    }
    // Reverse the rows: the bands are sorted within each group.
    for v in [&mut d, &mut p, &mut h, &mut age] {
        v.reverse();
    }
    codes.reverse();
    let n = vec![350.0; 60];
    let input = HealthExpectancyInput {
        count: &d,
        population: &p,
        age: &age,
        prevalence: Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        ax: None,
    };
    let opts = HealthExpectancyOptions::default();
    let all = health_expectancy_by(&input, &Groups::from_codes(&codes).unwrap(), &opts).unwrap();
    assert_eq!((all.groups(), all.len()), (3, 60));
    for g in 0..3 {
        let rows: Vec<usize> = (0..60).filter(|&i| codes[i] == 2 - g as i64).collect();
        let pick = |v: &[f64]| -> Vec<f64> { rows.iter().rev().map(|&i| v[i]).collect() };
        let one = table(
            &pick(&d),
            &pick(&p),
            Prevalence::SampleSize {
                prevalence: &pick(&h),
                n: &n[..20],
            },
            &opts,
        )
        .unwrap();
        let range = all.group(g);
        for m in HealthMeasure::ALL {
            assert_eq!(&all.value_nan(m)[range.clone()], one.value_nan(m));
            assert_eq!(&all.se_nan(m)[range.clone()], one.se_nan(m));
        }
        assert_eq!(all.first_row()[g], g * 20);
    }
}

#[test]
fn gap_is_the_difference_with_root_sum_of_squares() {
    let g = health_expectancy_gap(
        &[64.5, f64::NAN],
        &[0.6, 0.1],
        &[61.0, 60.0],
        &[0.8, 0.2],
        &[0.95, 0.9],
    )
    .unwrap();
    let e = g.estimate(0, 0).unwrap();
    assert!((e.value - 3.5).abs() < 1e-12);
    assert!((e.se.unwrap() - 1.0).abs() < 1e-12);
    assert!((e.upper.unwrap() - (3.5 + 1.959_963_984_540_054)).abs() < 1e-9);
    assert!(g.estimate(0, 1).unwrap().upper.unwrap() < e.upper.unwrap());
    assert!(g.estimate(1, 0).is_none());
    assert_eq!(
        arg(health_expectancy_gap(&[1.0], &[-0.1], &[1.0], &[0.1], &[0.95]).unwrap_err()),
        "first_se"
    );
    assert_eq!(
        arg(health_expectancy_gap(&[1.0], &[0.1], &[1.0, 2.0], &[0.1], &[0.95]).unwrap_err()),
        "second"
    );
}

#[test]
fn bad_input_names_the_argument() {
    let (d, p) = sweden(1.0);
    let h = prevalence_curve(0.8);
    let n = vec![400.0; 20];
    let opts = HealthExpectancyOptions::default();
    let sample = |h: &[f64], n: &[f64], d: &[f64], p: &[f64]| {
        table(d, p, Prevalence::SampleSize { prevalence: h, n }, &opts).unwrap_err()
    };
    let mut bad = h.clone();
    bad[5] = 1.2;
    let e = sample(&bad, &n, &d, &p);
    assert!(e.to_string().contains("divide percentages by 100"), "{e}");
    assert_eq!(arg(e), "prevalence");
    bad[5] = -0.1;
    let e = sample(&bad, &n, &d, &p);
    assert!(e.to_string().contains("[0, 1]"), "{e}");
    assert_eq!(arg(e), "prevalence");
    let mut zero_n = n.clone();
    zero_n[3] = 0.0;
    assert_eq!(arg(sample(&h, &zero_n, &d, &p)), "prevalence_n");
    let mut zero_pop = p.clone();
    zero_pop[7] = 0.0;
    assert_eq!(arg(sample(&h, &n, &d, &zero_pop)), "population");
    let mut nan_h = h.clone();
    nan_h[2] = f64::NAN;
    let e = sample(&nan_h, &n, &d, &p);
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "prevalence",
                index: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.to_string().contains("zero"), "{e}");
    // A missing band.
    let input = HealthExpectancyInput {
        count: &d[..19],
        population: &p[..19],
        age: &STANDARD_20[..19],
        prevalence: Prevalence::SampleSize {
            prevalence: &h[..19],
            n: &n[..19],
        },
        ax: None,
    };
    let e = health_expectancy_by(&input, &Groups::single(19), &opts).unwrap_err();
    assert_eq!(arg(e), "age_band");
    // Healthy above respondents; negative SE; ax outside [0, 1]; lengths.
    let mut many = h.clone();
    many[0] = 401.0;
    let e = table(
        &d,
        &p,
        Prevalence::Counts {
            healthy: &many,
            respondents: &n,
        },
        &opts,
    )
    .unwrap_err();
    assert_eq!(arg(e), "healthy");
    let mut neg = vec![0.01; 20];
    neg[4] = -0.01;
    let e = table(
        &d,
        &p,
        Prevalence::StandardError {
            prevalence: &h,
            se: &neg,
        },
        &opts,
    )
    .unwrap_err();
    assert_eq!(arg(e), "prevalence_se");
    let mut ax = vec![0.5; 20];
    ax[9] = 1.5;
    let input = HealthExpectancyInput {
        count: &d,
        population: &p,
        age: &STANDARD_20,
        prevalence: Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        ax: Some(&ax),
    };
    assert_eq!(
        arg(health_expectancy_by(&input, &Groups::single(20), &opts).unwrap_err()),
        "ax"
    );
    let e = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &h[..10],
            n: &n,
        },
        &opts,
    )
    .unwrap_err();
    assert_eq!(arg(e), "prevalence");
    // Missing deaths: "zero" counts them as none, "drop" leaves the band missing.
    let mut nan_d = d.clone();
    nan_d[4] = f64::NAN;
    let zero = HealthExpectancyOptions {
        missing: MissingPolicy::Zero,
        ..HealthExpectancyOptions::default()
    };
    assert!(
        table(
            &nan_d,
            &p,
            Prevalence::SampleSize {
                prevalence: &h,
                n: &n
            },
            &zero
        )
        .is_ok()
    );
    let drop = HealthExpectancyOptions {
        missing: MissingPolicy::Drop,
        ..HealthExpectancyOptions::default()
    };
    let e = table(
        &nan_d,
        &p,
        Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        &drop,
    )
    .unwrap_err();
    assert_eq!(arg(e), "age_band");
}

#[test]
fn no_deaths_in_the_open_band_is_a_note_not_a_number() {
    let (mut d, p) = sweden(1.0);
    d[19] = 0.0;
    let h = prevalence_curve(0.8);
    let n = vec![400.0; 20];
    let t = table(
        &d,
        &p,
        Prevalence::SampleSize {
            prevalence: &h,
            n: &n,
        },
        &HealthExpectancyOptions::default(),
    )
    .unwrap();
    assert!(
        t.value_nan(HealthMeasure::HealthExpectancy)
            .iter()
            .all(|v| v.is_nan())
    );
    assert!(t.note(0).is_some());
    assert!(t.estimate(0, HealthMeasure::HealthExpectancy, 0).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn health_expectancy_never_exceeds_life_expectancy(
        scale in 0.05f64..2.0,
        prev in proptest::collection::vec(0.0f64..=1.0, 20),
        n in proptest::collection::vec(20.0f64..5000.0, 20),
    ) {
        let (d, p) = sweden(scale);
        let t = table(&d, &p, Prevalence::SampleSize { prevalence: &prev, n: &n }, &HealthExpectancyOptions::default()).unwrap();
        for i in 0..20 {
            let le = t.value_nan(HealthMeasure::LifeExpectancy)[i];
            let hle = t.value_nan(HealthMeasure::HealthExpectancy)[i];
            let r = t.value_nan(HealthMeasure::ProportionHealthy)[i];
            prop_assert!(hle >= 0.0 && hle <= le, "{hle} > {le} at {i}");
            prop_assert!((0.0..=1.0).contains(&r));
            prop_assert!(t.se_nan(HealthMeasure::HealthExpectancy)[i] >= 0.0);
            prop_assert!(t.se_nan(HealthMeasure::ProportionHealthy)[i] >= 0.0);
        }
    }
}
