//! Gap closure against hand-computed OLS values.

use crate::common::{CLOSED_FORM, NOISE_ABS, assert_close};
use jamlik::Error;
use jamlik::goals::gap::{GapOptions, gap_closure};

#[test]
fn ols_slope_se_and_closure_year() {
    let years = [2010, 2011, 2012, 2013, 2014];
    let gaps = [4.0, 3.9, 3.3, 3.1, 2.7];
    let g = gap_closure(&years, &gaps, &GapOptions::default()).unwrap();
    assert_close("slope", g.slope.value, -0.34, CLOSED_FORM, NOISE_ABS);
    assert_close(
        "se",
        g.slope.se.unwrap(),
        0.038_297_084_310_246_4,
        CLOSED_FORM,
        0.0,
    );
    // t(0.975, 3) = 3.182446305284263
    assert_close(
        "lower",
        g.slope.lower.unwrap(),
        -0.34 - 3.182_446_305_284_263 * 0.038_297_084_310_246_4,
        1e-9,
        0.0,
    );
    assert_close("fitted", g.fitted_latest_gap, 2.72, CLOSED_FORM, NOISE_ABS);
    assert_close("closure", g.closure_year.unwrap(), 2022.0, CLOSED_FORM, 0.0);
    let (lo, hi) = g.closure_year_range;
    assert!(lo.unwrap() < 2022.0 && hi.unwrap() > 2022.0);
    assert_close(
        "required",
        g.required_annual_change,
        -0.108,
        CLOSED_FORM,
        0.0,
    );
    assert_close(
        "pace",
        g.pace_ratio.unwrap(),
        -0.34 / -0.108,
        CLOSED_FORM,
        0.0,
    );
    assert!(g.text.contains("closes about 2022"), "{}", g.text);
}

#[test]
fn widening_gap_does_not_close_and_negative_gaps_work() {
    let years = [2010, 2011, 2012, 2013];
    let g = gap_closure(&years, &[1.0, 1.2, 1.3, 1.6], &GapOptions::default()).unwrap();
    assert!(g.closure_year.is_none());
    assert!(g.text.contains("not closing at this trend"));
    assert!(g.pace_ratio.unwrap() < 0.0);
    // Mirror: a negative gap shrinking toward zero closes in the same year.
    let pos = gap_closure(&years, &[4.0, 3.0, 2.1, 0.9], &GapOptions::default()).unwrap();
    let neg = gap_closure(&years, &[-4.0, -3.0, -2.1, -0.9], &GapOptions::default()).unwrap();
    assert_close(
        "mirror",
        neg.closure_year.unwrap(),
        pos.closure_year.unwrap(),
        CLOSED_FORM,
        0.0,
    );
}

#[test]
fn generation_is_configurable_and_errors_are_typed() {
    let years = [2010, 2011, 2012];
    let g = gap_closure(
        &years,
        &[3.0, 2.0, 1.5],
        &GapOptions {
            generation_years: 10.0,
            level: 0.9,
        },
    )
    .unwrap();
    assert_close(
        "required",
        g.required_annual_change,
        -0.15,
        CLOSED_FORM,
        0.0,
    );
    assert!(matches!(
        gap_closure(&[2010, 2011], &[1.0, 0.5], &GapOptions::default()),
        Err(Error::TooFew { .. })
    ));
    assert!(matches!(
        gap_closure(&[2010], &[1.0, 0.5], &GapOptions::default()),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        gap_closure(
            &[2010, 2011, 2012],
            &[1.0, f64::NAN, 0.5],
            &GapOptions::default()
        ),
        Err(Error::Missing { .. })
    ));
    assert!(matches!(
        gap_closure(
            &[2010, 2010, 2012],
            &[1.0, 0.7, 0.5],
            &GapOptions::default()
        ),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        gap_closure(
            &years,
            &[1.0, 0.7, 0.5],
            &GapOptions {
                generation_years: 0.0,
                level: 0.95
            }
        ),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        gap_closure(
            &years,
            &[1.0, 0.7, 0.5],
            &GapOptions {
                generation_years: 25.0,
                level: 1.0
            }
        ),
        Err(Error::InvalidLevel { .. })
    ));
}

#[test]
fn slope_is_permutation_invariant() {
    let years = [2014, 2010, 2012, 2011, 2013];
    let gaps = [2.7, 4.0, 3.3, 3.9, 3.1];
    let g = gap_closure(&years, &gaps, &GapOptions::default()).unwrap();
    assert_close("slope", g.slope.value, -0.34, CLOSED_FORM, NOISE_ABS);
    assert_eq!(g.latest_gap, 2.7);
}
