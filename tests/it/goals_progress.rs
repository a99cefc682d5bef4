//! Progress methods against hand-computed values and at their cut-offs.

use crate::common::{CLOSED_FORM, assert_close};
use jamlik::Error;
use jamlik::goals::progress::{
    self, Category, Term, cagr, eurostat, eurostat_category_with_target,
    eurostat_category_without_target, un_category, un_progress_chart,
};
use jamlik::goals::{Catalogue, Direction};

fn linear(first: i32, values: &[f64]) -> Vec<(i32, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (first + i as i32, v))
        .collect()
}

#[test]
fn cagr_formula() {
    assert_close(
        "cagr",
        cagr(100.0, 121.0, 2.0).unwrap(),
        0.1,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "cagr 1.1^(1/5)",
        cagr(50.0, 55.0, 5.0).unwrap(),
        0.019_244_876_491_456_564,
        CLOSED_FORM,
        0.0,
    );
    assert!(matches!(
        cagr(0.0, 1.0, 1.0),
        Err(Error::OutOfDomain { .. })
    ));
    assert!(matches!(
        cagr(-1.0, 1.0, 1.0),
        Err(Error::OutOfDomain { .. })
    ));
    assert!(matches!(
        cagr(1.0, 2.0, 0.0),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn eurostat_cutoffs_with_target() {
    assert_eq!(
        eurostat_category_with_target(0.95),
        Category::SignificantProgress
    );
    assert_eq!(
        eurostat_category_with_target(2.0),
        Category::SignificantProgress
    );
    assert_eq!(
        eurostat_category_with_target(0.949_999_999),
        Category::ModerateProgress
    );
    assert_eq!(
        eurostat_category_with_target(0.60),
        Category::ModerateProgress
    );
    assert_eq!(
        eurostat_category_with_target(0.599_999_999),
        Category::InsufficientProgress
    );
    assert_eq!(
        eurostat_category_with_target(0.0),
        Category::InsufficientProgress
    );
    assert_eq!(eurostat_category_with_target(-1e-12), Category::MovingAway);
}

#[test]
fn eurostat_cutoffs_without_target() {
    assert_eq!(
        eurostat_category_without_target(0.010_000_001),
        Category::SignificantProgress
    );
    assert_eq!(
        eurostat_category_without_target(0.01),
        Category::ModerateProgress
    );
    assert_eq!(
        eurostat_category_without_target(0.0),
        Category::ModerateProgress
    );
    assert_eq!(
        eurostat_category_without_target(-1e-12),
        Category::ModerateMovementAway
    );
    assert_eq!(
        eurostat_category_without_target(-0.01),
        Category::ModerateMovementAway
    );
    assert_eq!(
        eurostat_category_without_target(-0.010_000_001),
        Category::SignificantMovementAway
    );
}

#[test]
fn un_cutoffs() {
    assert_eq!(un_category(0.95), Category::OnTrack);
    assert_eq!(un_category(0.9499), Category::FairProgress);
    assert_eq!(un_category(0.5), Category::FairProgress);
    assert_eq!(un_category(0.4999), Category::LimitedProgress);
    assert_eq!(un_category(0.1), Category::LimitedProgress);
    assert_eq!(un_category(0.0999), Category::Stagnation);
    assert_eq!(un_category(-0.1), Category::Stagnation);
    assert_eq!(un_category(-0.1001), Category::Regression);
}

#[test]
fn eurostat_with_target_higher_is_better() {
    // 2018: 50 → 2023: 55; target 60 in 2025.
    let s = linear(2018, &[50.0, 51.0, 52.0, 53.0, 54.0, 55.0]);
    let a = eurostat(
        &s,
        Direction::HigherIsBetter,
        Some((60.0, 2025)),
        Term::Short,
        None,
    )
    .unwrap();
    let n = &a.numbers;
    assert_eq!((n.baseline_year, n.year), (2018, 2023));
    assert_close(
        "cagr",
        n.cagr.unwrap(),
        0.019_244_876_491_456_564,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "required",
        n.required_cagr.unwrap(),
        0.026_388_096_257_039_53,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "ratio",
        n.ratio.unwrap(),
        0.729_301_435_920_093_2,
        CLOSED_FORM,
        0.0,
    );
    assert_eq!(a.category, Category::ModerateProgress);
    assert!(a.text.contains("moderate progress"), "{}", a.text);
    assert_eq!(a.method, "eurostat_short");
}

#[test]
fn eurostat_with_target_lower_is_better() {
    let s = linear(2018, &[100.0, 98.0, 96.0, 94.0, 92.0, 90.0]);
    let a = eurostat(
        &s,
        Direction::LowerIsBetter,
        Some((80.0, 2025)),
        Term::Short,
        None,
    )
    .unwrap();
    assert_close(
        "cagr",
        a.numbers.cagr.unwrap(),
        -0.020_851_637_639_023_2,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "required",
        a.numbers.required_cagr.unwrap(),
        -0.031_374_914_073_002_635,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "ratio",
        a.numbers.ratio.unwrap(),
        0.664_595_848_470_085_1,
        CLOSED_FORM,
        0.0,
    );
    assert_eq!(a.category, Category::ModerateProgress);
    // Rising when lower is better: moving away.
    let up = linear(2018, &[90.0, 91.0, 92.0, 93.0, 94.0, 95.0]);
    let b = eurostat(
        &up,
        Direction::LowerIsBetter,
        Some((80.0, 2025)),
        Term::Short,
        None,
    )
    .unwrap();
    assert_eq!(b.category, Category::MovingAway);
    assert!(b.numbers.ratio.unwrap() < 0.0);
}

#[test]
fn eurostat_target_met_and_without_target() {
    let s = linear(2018, &[50.0, 52.0, 54.0, 56.0, 58.0, 61.0]);
    let a = eurostat(
        &s,
        Direction::HigherIsBetter,
        Some((60.0, 2025)),
        Term::Short,
        None,
    )
    .unwrap();
    assert_eq!(a.category, Category::TargetMet);
    let b = eurostat(&s, Direction::HigherIsBetter, None, Term::Short, None).unwrap();
    assert_eq!(b.category, Category::SignificantProgress); // 4 %/yr
    let c = eurostat(&s, Direction::LowerIsBetter, None, Term::Short, None).unwrap();
    assert_eq!(c.category, Category::SignificantMovementAway);
}

#[test]
fn eurostat_windows_and_fallbacks() {
    // Long term needs 15 years or at least 10 as fallback.
    let s = linear(2010, &[10.0; 14]);
    let long = eurostat(&s, Direction::HigherIsBetter, None, Term::Long, None).unwrap();
    assert_eq!(long.numbers.baseline_year, 2010); // 2023 - 15 = 2008 missing → earliest ≥ 10 years back
    assert!(long.text.contains("shortened window"));
    let short = linear(2020, &[10.0, 11.0, 12.0]);
    let e = eurostat(&short, Direction::HigherIsBetter, None, Term::Short, None).unwrap_err();
    assert!(matches!(e, Error::TooFew { .. }), "{e}");
    // `at` limits the latest year; a year outside the series is an error.
    let s = linear(
        2010,
        &(0..14).map(|i| 10.0 + f64::from(i)).collect::<Vec<_>>(),
    );
    let at = eurostat(&s, Direction::HigherIsBetter, None, Term::Short, Some(2020)).unwrap();
    assert_eq!((at.numbers.baseline_year, at.numbers.year), (2015, 2020));
    assert!(matches!(
        eurostat(&s, Direction::HigherIsBetter, None, Term::Short, Some(2030)),
        Err(Error::InvalidArgument { .. })
    ));
    // Non-positive values cannot have a CAGR.
    let z = linear(2018, &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    assert!(matches!(
        eurostat(&z, Direction::HigherIsBetter, None, Term::Short, None),
        Err(Error::OutOfDomain { .. })
    ));
    // Duplicated years and NaN are errors.
    assert!(
        eurostat(
            &[(2018, 1.0), (2018, 2.0)],
            Direction::HigherIsBetter,
            None,
            Term::Short,
            None
        )
        .is_err()
    );
    assert!(matches!(
        eurostat(
            &[(2018, f64::NAN), (2023, 2.0)],
            Direction::HigherIsBetter,
            None,
            Term::Short,
            None
        ),
        Err(Error::Missing { .. })
    ));
    assert!(matches!(
        eurostat(&[], Direction::HigherIsBetter, None, Term::Short, None),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn un_progress_chart_hand_computed() {
    // 50 in 2015 → 55 in 2020: CAGR = 1.1^(1/5) − 1; projected to 2025: 55·1.1 = 60.5;
    // P = (60.5 − 50)/(60 − 50) = 1.05: on track.
    let s = linear(2015, &[50.0, 51.0, 52.0, 53.0, 54.0, 55.0]);
    let a = un_progress_chart(&s, Direction::HigherIsBetter, 60.0, 2025, None, None).unwrap();
    assert_close(
        "projected",
        a.numbers.projected.unwrap(),
        60.5,
        CLOSED_FORM,
        0.0,
    );
    assert_close("P", a.numbers.ratio.unwrap(), 1.05, CLOSED_FORM, 0.0);
    assert_eq!(a.category, Category::OnTrack);
    let b = un_progress_chart(&s, Direction::HigherIsBetter, 70.0, 2025, None, None).unwrap();
    assert_close("P", b.numbers.ratio.unwrap(), 0.525, CLOSED_FORM, 0.0);
    assert_eq!(b.category, Category::FairProgress);
    let met = un_progress_chart(&s, Direction::HigherIsBetter, 54.0, 2025, None, None).unwrap();
    assert_eq!(met.category, Category::TargetMet);
    assert!(
        un_progress_chart(&s, Direction::HigherIsBetter, 60.0, 2025, Some(2000), None).is_err()
    );
}

#[test]
fn skr_change_targets_with_unit_conversion() {
    let cat = Catalogue::shipped().unwrap();
    // G2: +2 pp from 2017.
    let g2 = cat.goal("G2").unwrap();
    let s = linear(2015, &[80.0, 80.5, 81.0, 81.7, 82.2, 82.9, 83.1, 83.4]);
    let a = progress::change_from_baseline(&s, &g2.indicators[0], &g2.target, None).unwrap();
    assert_eq!(a.category, Category::TargetMet);
    assert_close("change", a.numbers.change, 2.4, CLOSED_FORM, 1e-12);
    assert_close(
        "share",
        a.numbers.share_of_required.unwrap(),
        1.2,
        CLOSED_FORM,
        1e-12,
    );
    let b = progress::change_from_baseline(&s, &g2.indicators[0], &g2.target, Some(2019)).unwrap();
    assert_eq!(b.category, Category::Improved);
    assert_close(
        "share",
        b.numbers.share_of_required.unwrap(),
        0.6,
        CLOSED_FORM,
        1e-12,
    );
    // G3: −10 per 1,000 = −1,000 per 100 000 (Kolada's unit).
    let g3 = cat.goal("G3").unwrap();
    let f = linear(2017, &[5000.0, 4800.0, 4500.0, 4300.0, 4100.0, 3950.0]);
    let c = progress::change_from_baseline(&f, &g3.indicators[0], &g3.target, None).unwrap();
    assert_close(
        "target",
        c.numbers.target_value.unwrap(),
        4000.0,
        CLOSED_FORM,
        0.0,
    );
    assert_eq!(c.category, Category::TargetMet);
    let d = progress::change_from_baseline(&f, &g3.indicators[0], &g3.target, Some(2020)).unwrap();
    assert_eq!(d.category, Category::Improved);
    let worse = linear(2017, &[5000.0, 5100.0]);
    let w = progress::change_from_baseline(&worse, &g3.indicators[0], &g3.target, None).unwrap();
    assert_eq!(w.category, Category::Worsened);
    // Baseline year missing: a clear error.
    let late = linear(2019, &[1.0, 2.0]);
    let e = progress::change_from_baseline(&late, &g2.indicators[0], &g2.target, None).unwrap_err();
    assert!(e.to_string().contains("2017"), "{e}");
    // Direction-only target.
    let g6 = cat.goal("G6").unwrap();
    let le = linear(2017, &[83.0, 83.2]);
    let l = progress::change_from_baseline(&le, &g6.indicators[0], &g6.target, None).unwrap();
    assert_eq!(l.category, Category::Improved);
    assert!(l.numbers.target_value.is_none());
}

#[test]
fn assess_indicator_runs_every_applicable_method() {
    let cat = Catalogue::shipped().unwrap();
    let g1 = cat.goal("G1").unwrap();
    let s = linear(
        2010,
        &(0..14)
            .map(|i| 94.0 + 0.2 * f64::from(i))
            .collect::<Vec<_>>(),
    );
    let all = progress::assess_indicator(&s, &g1.indicators[0], &g1.target, None).unwrap();
    let methods: Vec<&str> = all.iter().map(|a| a.method.as_str()).collect();
    assert_eq!(
        methods,
        [
            "skr_change",
            "eurostat_short",
            "eurostat_long",
            "un_progress_chart"
        ]
    );
    for a in &all {
        assert!(!a.text.is_empty());
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // CAGR-based assessments are invariant to the unit of the indicator.
        #[test]
        fn eurostat_is_scale_invariant(
            start in 1.0f64..100.0, growth in -0.1f64..0.1, target_mult in 0.5f64..2.0, c in 0.01f64..1000.0
        ) {
            let s: Vec<(i32, f64)> = (0..6).map(|i| (2018 + i, start * (1.0 + growth).powi(i))).collect();
            let scaled: Vec<(i32, f64)> = s.iter().map(|&(y, v)| (y, c * v)).collect();
            let target = start * target_mult;
            let a = eurostat(&s, Direction::HigherIsBetter, Some((target, 2026)), Term::Short, None).unwrap();
            let b = eurostat(&scaled, Direction::HigherIsBetter, Some((c * target, 2026)), Term::Short, None).unwrap();
            prop_assert_eq!(a.category, b.category);
            if let (Some(r1), Some(r2)) = (a.numbers.ratio, b.numbers.ratio) {
                prop_assert!((r1 - r2).abs() <= 1e-9 * r1.abs().max(1.0));
            }
        }

        // Reversing the direction and inverting the series mirrors the no-target categories.
        #[test]
        fn direction_mirror(start in 1.0f64..100.0, growth in -0.1f64..0.1) {
            let s: Vec<(i32, f64)> = (0..6).map(|i| (2018 + i, start * (1.0 + growth).powi(i))).collect();
            let up = eurostat(&s, Direction::HigherIsBetter, None, Term::Short, None).unwrap();
            let down = eurostat(&s, Direction::LowerIsBetter, None, Term::Short, None).unwrap();
            prop_assert_eq!(up.numbers.cagr, down.numbers.cagr);
            let g = up.numbers.cagr.unwrap();
            if g.abs() > 1e-12 && (g.abs() - 0.01).abs() > 1e-12 {
                prop_assert_eq!(up.category.score(), -down.category.score());
            }
        }
    }
}
