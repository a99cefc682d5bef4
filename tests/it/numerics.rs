//! Numerics at the extremes: sums over ten million rows where naive
//! summation loses digits, valid extreme inputs (populations of 1e9,
//! proportions of 0, 1 and 1e-9, one event per million, a single huge weight,
//! all-equal values) against closed forms, and requests for more memory than
//! any machine has, which are errors and not aborts.

use jamlik::Error;
use jamlik::indicators::{self, CountOptions, Groups, SiiInput, SiiMethod, SiiOptions};
use jamlik::measures::heat::{self, Measure, Subgroups};
use jamlik::measures::microdata::{self, Design, GiniOptions, InequalityOptions, SeChoice};

const ROWS: usize = 10_000_000;

/// `1e9 + (i mod 1000)/1024`: every value is exact in f64 (41 significant bits),
/// but their running sum passes 1e16, where an f64 holds no fraction at all.
fn offset_value(i: usize) -> f64 {
    1e9 + (i % 1000) as f64 / 1024.0
}

/// Σ (i mod 1000) over the rows, exactly.
fn offset_fraction_sum() -> u64 {
    let full = (ROWS / 1000) as u64 * 499_500;
    let rest: u64 = (0..(ROWS % 1000) as u64).sum();
    full + rest
}

fn naive_sum(values: &[f64]) -> f64 {
    let mut s = 0.0;
    for &v in values {
        s += v;
    }
    s
}

#[test]
fn mean_of_ten_million_offset_values_is_exact() {
    let values: Vec<f64> = (0..ROWS).map(offset_value).collect();
    // Exact mean 1e9 + S/(1024 n) = 1e9 + 999/2048, itself exact in f64.
    let exact = 1e9 + offset_fraction_sum() as f64 / 1024.0 / ROWS as f64;
    assert_eq!(exact, 1e9 + 999.0 / 2048.0);
    let naive = naive_sum(&values) / ROWS as f64;
    assert!(
        (naive - exact).abs() > 1e-3,
        "the data must defeat naive summation: naive {naive}, exact {exact}"
    );
    let m = indicators::mean(&values, &[0.95]).unwrap();
    let value = m.indicator.value.unwrap();
    let ulp = exact * f64::EPSILON;
    assert!((value - exact).abs() <= ulp, "{value} vs {exact}");
    // Sample SD of (i mod 1000)/1024: population variance (1000² − 1)/12 / 1024².
    let var =
        (1000.0_f64 * 1000.0 - 1.0) / 12.0 / (1024.0 * 1024.0) * ROWS as f64 / (ROWS as f64 - 1.0);
    let sd = m.sd.unwrap();
    assert!(
        (sd - var.sqrt()).abs() <= 1e-9 * var.sqrt(),
        "{sd} vs {}",
        var.sqrt()
    );
}

#[test]
fn rate_over_ten_million_populations_is_exact() {
    // Populations (the weights of the pooled rate) 1e9 + a varying fraction;
    // counts 1, 2, 3 in turn.
    let population: Vec<f64> = (0..ROWS).map(offset_value).collect();
    let count: Vec<f64> = (0..ROWS).map(|i| (1 + i % 3) as f64).collect();
    let count_exact: u64 = (0..ROWS as u64).map(|i| 1 + i % 3).sum();
    let pop_exact = 1e16 + offset_fraction_sum() as f64 / 1024.0; // one rounding
    let naive = naive_sum(&population);
    assert!(
        (naive - pop_exact).abs() > 100.0,
        "naive {naive} vs {pop_exact}"
    );
    let opts = CountOptions {
        multiplier: 1e5,
        ..CountOptions::default()
    };
    let r = indicators::rate_by(&count, &population, &Groups::single(ROWS), &opts).unwrap();
    let r = &r.results[0];
    assert_eq!(r.count, count_exact as f64);
    assert!(
        (r.population - pop_exact).abs() <= 2.0,
        "{} vs {pop_exact}",
        r.population
    );
    let rate = count_exact as f64 / pop_exact * 1e5;
    let value = r.indicator.value.unwrap();
    assert!(
        (value - rate).abs() <= 4.0 * f64::EPSILON * rate,
        "{value} vs {rate}"
    );
}

#[test]
fn proportions_of_zero_one_and_one_in_a_billion_with_populations_of_a_billion() {
    let n = 1e9;
    let zero = indicators::proportion(0.0, n, &[0.95], 1.0).unwrap();
    assert_eq!(zero.value, Some(0.0));
    let (lo, hi) = (zero.limits[0].lower.unwrap(), zero.limits[0].upper.unwrap());
    assert_eq!(lo, 0.0);
    // Wilson's upper limit at x = 0 is z²/(n + z²).
    let z2 = 1.959_963_984_540_054_f64.powi(2);
    assert!((hi - z2 / (n + z2)).abs() <= 1e-12 * hi, "{hi}");

    let all = indicators::proportion(n, n, &[0.95], 1.0).unwrap();
    assert_eq!(all.value, Some(1.0));
    assert_eq!(all.limits[0].upper, Some(1.0));
    assert!((all.limits[0].lower.unwrap() - n / (n + z2)).abs() <= 1e-12);

    let tiny = indicators::proportion(1.0, n, &[0.95], 1.0).unwrap();
    assert_eq!(tiny.value, Some(1e-9));
    let (lo, hi) = (tiny.limits[0].lower.unwrap(), tiny.limits[0].upper.unwrap());
    assert!(lo.is_finite() && hi.is_finite() && 0.0 < lo && lo < 1e-9 && 1e-9 < hi && hi < 1e-8);
}

#[test]
fn one_event_per_million_is_a_rate_of_one_per_million() {
    let r = indicators::rate(1.0, 1e6, &[0.95], 1e5).unwrap();
    let v = r.value.unwrap();
    assert!((v - 0.1).abs() <= 2.0 * f64::EPSILON * 0.1, "{v}");
    let (lo, hi) = (r.limits[0].lower.unwrap(), r.limits[0].upper.unwrap());
    // Exact Poisson limits of one event: 0.025317 and 5.571643 per 1e6 (× 1e5).
    assert!((lo - 0.002_531_780_798_428_65).abs() < 1e-9, "{lo}");
    assert!((hi - 0.557_164_3).abs() < 1e-6, "{hi}");
}

#[test]
fn all_equal_values_have_no_inequality() {
    let x = vec![7.25; 1000];
    let d = Design::default();
    let io = InequalityOptions {
        se: SeChoice::None,
        ..InequalityOptions::default()
    };
    assert_eq!(
        microdata::gini(&x, d, &GiniOptions::default())
            .unwrap()
            .value,
        0.0
    );
    for e in [
        microdata::theil(&x, d, &io),
        microdata::mld(&x, d, &io),
        microdata::atkinson(&x, 0.5, d, &io),
    ] {
        assert!(e.unwrap().value.abs() <= 1e-15);
    }
    let m = indicators::mean(&x, &[0.95]).unwrap();
    assert_eq!(m.indicator.value, Some(7.25));
    assert_eq!(m.sd, Some(0.0));
    let g = Subgroups::new(&[5.0, 5.0, 5.0])
        .population(&[1e9, 1e9, 1e9])
        .build()
        .unwrap();
    for m in [Measure::Bgv, Measure::Bgsd, Measure::Mdmw, Measure::D] {
        assert_eq!(
            heat::measure(m, &g, &heat::Options::default())
                .unwrap()
                .value,
            0.0
        );
    }
}

#[test]
fn a_single_huge_weight_dominates_as_the_closed_form_says() {
    let x = [1.0, 2.0, 3.0, 4.0];
    let big = 1e12;
    let w = [big, 1.0, 1.0, 1.0];
    let io = InequalityOptions {
        se: SeChoice::None,
        ..InequalityOptions::default()
    };
    let d = Design {
        weights: Some(&w),
        ..Design::default()
    };
    // Theil T = Σ s_i ln(x_i/μ), s_i = w_i x_i / Σ w x.
    let sw: f64 = w.iter().sum();
    let swx: f64 = w.iter().zip(&x).map(|(w, x)| w * x).sum();
    let mu = swx / sw;
    let t: f64 = w
        .iter()
        .zip(&x)
        .map(|(w, x)| w * x / swx * (x / mu).ln())
        .sum();
    let got = microdata::theil(&x, d, &io).unwrap().value;
    assert!(
        got.is_finite() && (got - t).abs() <= 1e-9 * t.abs().max(1e-12),
        "{got} vs {t}"
    );
    assert!(t > 0.0 && t < 1e-10);
    // HEAT BGV with one population of 1e9 and two of 1: Σ p_j (y_j − μ)², p = shares.
    let (y, pop) = ([10.0, 20.0, 30.0], [1e9, 1.0, 1.0]);
    let g = Subgroups::new(&y).population(&pop).build().unwrap();
    let total: f64 = pop.iter().sum();
    let m: f64 = y.iter().zip(&pop).map(|(y, p)| y * p / total).sum();
    let bgv: f64 = y
        .iter()
        .zip(&pop)
        .map(|(y, p)| p / total * (y - m).powi(2))
        .sum();
    let got = heat::measure(Measure::Bgv, &g, &heat::Options::default())
        .unwrap()
        .value;
    assert!(
        (got - bgv).abs() <= 1e-12 * bgv.max(1e-300) + 1e-15,
        "{got} vs {bgv}"
    );
}

fn names(e: &Error, arg: &str) -> bool {
    e.to_string().contains(&format!("`{arg}`"))
}

#[test]
fn heat_simulation_too_large_for_memory_is_an_error() {
    let g = Subgroups::new(&[10.0, 20.0, 30.0])
        .se(&[1.0, 1.0, 1.0])
        .population(&[1.0, 1.0, 1.0])
        .scale(1.0)
        .build()
        .unwrap();
    for draws in [1_000_000_000_000, usize::MAX / 2] {
        let o = heat::Options {
            draws,
            ..heat::Options::default()
        };
        let e = heat::measure(Measure::Mdbu, &g, &o).unwrap_err();
        assert!(
            matches!(e, Error::InvalidArgument { arg: "draws", .. }) && names(&e, "draws"),
            "{e}"
        );
    }
}

#[test]
fn sii_simulation_too_large_for_memory_is_an_error() {
    let q = [1.0, 2.0, 3.0, 4.0, 5.0];
    let input = SiiInput {
        quantile: &q,
        population: &[1000.0; 5],
        value: &[50.0, 45.0, 40.0, 32.0, 25.0],
        se: Some(&[2.0; 5]),
        lower: None,
        upper: None,
        input_level: 0.95,
    };
    let opts = SiiOptions {
        method: SiiMethod::Simulation {
            draws: 1_000_000_000_000,
            seed: 1,
        },
        ..SiiOptions::default()
    };
    let e = indicators::sii(&input, &opts).unwrap_err();
    assert!(names(&e, "draws"), "{e}");
}

#[test]
fn funnel_axis_too_large_for_memory_is_an_error() {
    let e = indicators::funnel::axis(0.0, 1e6, 1_000_000_000_000).unwrap_err();
    assert!(
        matches!(e, Error::InvalidArgument { arg: "points", .. }),
        "{e}"
    );
    assert_eq!(indicators::funnel::axis(0.0, 100.0, 3).unwrap().len(), 3);
}

#[test]
fn cluster_codes_too_large_for_memory_are_an_error() {
    let x = [1.0, 2.0, 3.0, 4.0];
    for big in [1_000_000_000_000_i64, i64::MAX] {
        let cluster = [0, 1, 2, big];
        let d = Design {
            cluster: Some(&cluster),
            ..Design::default()
        };
        let e = microdata::gini(&x, d, &GiniOptions::default()).unwrap_err();
        assert!(names(&e, "cluster"), "{e}");
        let e = microdata::theil(
            &x,
            Design {
                strata: Some(&cluster),
                ..Design::default()
            },
            &InequalityOptions::default(),
        )
        .unwrap_err();
        assert!(names(&e, "strata"), "{e}");
    }
}
