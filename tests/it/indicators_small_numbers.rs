//! Small numbers: rank intervals, funnel flags per group, empirical-Bayes
//! smoothing, and the demo dataset's counts, checked against independent
//! computations written here from the published formulas.

use jamlik::data::Sex;
use jamlik::data::demo::{DemoData, DemoOptions};
use jamlik::indicators::funnel::{FunnelData, FunnelOptions, Statistic, funnel_significance};
use jamlik::indicators::small_numbers::{
    RankOptions, SmoothOptions, funnel_flags, rank_intervals, smooth,
};
use jamlik::indicators::{Groups, proportion, rate};
use jamlik::{Error, MissingPolicy};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

fn areas() -> (Vec<f64>, Vec<f64>) {
    let value: Vec<f64> = (0..40).map(|i| 50.0 + f64::from(i) * 0.7).collect();
    let se: Vec<f64> = (0..40).map(|i| 0.5 + f64::from(i % 7)).collect();
    (value, se)
}

/// Rank intervals recomputed naively from the documented draw order.
fn naive_ranks(value: &[f64], se: &[f64], stream: u64, opts: &RankOptions) -> Vec<[f64; 3]> {
    let k = value.len();
    let better = |a: f64, b: f64| if opts.higher_first { a > b } else { a < b };
    let rank_of = |y: &[f64], j: usize| 1 + y.iter().filter(|&&x| better(x, y[j])).count();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    rng.set_stream(stream);
    let mut per_area = vec![Vec::new(); k];
    for _ in 0..opts.draws {
        let y: Vec<f64> = (0..k)
            .map(|j| {
                let z: f64 = StandardNormal.sample(&mut rng);
                value[j] + se[j] * z
            })
            .collect();
        for (j, ranks) in per_area.iter_mut().enumerate() {
            ranks.push(rank_of(&y, j));
        }
    }
    let alpha = 1.0 - opts.level;
    let d = opts.draws as f64;
    (0..k)
        .map(|j| {
            let mut r = per_area[j].clone();
            r.sort_unstable();
            let lo = r[((alpha / 2.0 * d).ceil() as usize).max(1) - 1];
            let hi = r[((1.0 - alpha / 2.0) * d).ceil() as usize - 1];
            [rank_of(value, j) as f64, lo as f64, hi as f64]
        })
        .collect()
}

#[test]
fn rank_intervals_match_a_naive_simulation_with_the_same_draws() {
    let (value, se) = areas();
    // Two groups: rows alternate, so group 1 uses stream 1.
    let codes: Vec<i64> = (0..40).map(|i| i64::from(i % 2)).collect();
    let groups = Groups::from_codes(&codes).unwrap();
    for higher_first in [true, false] {
        let opts = RankOptions {
            draws: 400,
            level: 0.9,
            higher_first,
            ..RankOptions::default()
        };
        let r = rank_intervals(&value, &se, &groups, &opts).unwrap();
        for g in 0..2_usize {
            let rows: Vec<usize> = (g..40).step_by(2).collect();
            let v: Vec<f64> = rows.iter().map(|&i| value[i]).collect();
            let s: Vec<f64> = rows.iter().map(|&i| se[i]).collect();
            let want = naive_ranks(&v, &s, g as u64, &opts);
            for (j, &i) in rows.iter().enumerate() {
                assert_eq!([r.rank[i], r.lower[i], r.upper[i]], want[j], "row {i}");
            }
        }
    }
}

#[test]
fn rank_intervals_are_deterministic_for_any_thread_count() {
    let (value, se) = areas();
    let codes: Vec<i64> = (0..40).map(|i| i64::from(i % 4)).collect();
    let groups = Groups::from_codes(&codes).unwrap();
    let opts = RankOptions::default();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| rank_intervals(&value, &se, &groups, &opts).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(4));
    let other = rank_intervals(
        &value,
        &se,
        &groups,
        &RankOptions {
            seed: 7,
            ..opts.clone()
        },
    )
    .unwrap();
    assert_ne!(one, other, "another seed gives other draws");
}

#[test]
fn rank_intervals_contain_the_rank_and_widen_with_the_se() {
    let (value, se) = areas();
    let g = Groups::single(40);
    let r = rank_intervals(&value, &se, &g, &RankOptions::default()).unwrap();
    for i in 0..40 {
        assert!(r.lower[i] <= r.upper[i] && r.lower[i] >= 1.0 && r.upper[i] <= 40.0);
    }
    // Highest value ranks first.
    assert_eq!(r.rank[39], 1.0);
    // A tiny SE everywhere: the interval collapses onto the rank.
    let tiny = vec![1e-9; 40];
    let t = rank_intervals(&value, &tiny, &g, &RankOptions::default()).unwrap();
    assert_eq!(t.lower, t.rank);
    assert_eq!(t.upper, t.rank);
    // Doubling every SE never narrows the average interval.
    let wide: Vec<f64> = se.iter().map(|s| 2.0 * s).collect();
    let w = rank_intervals(&value, &wide, &g, &RankOptions::default()).unwrap();
    let width = |x: &jamlik::indicators::small_numbers::RankIntervals| {
        x.upper
            .iter()
            .zip(&x.lower)
            .map(|(u, l)| u - l)
            .sum::<f64>()
    };
    assert!(width(&w) > width(&r));
}

#[test]
fn rank_interval_errors_name_the_argument_and_row() {
    let g = Groups::single(3);
    let opts = RankOptions::default();
    let e = rank_intervals(&[1.0, 2.0, 3.0], &[1.0, -1.0, 1.0], &g, &opts).unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfDomain {
                arg: "se",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = rank_intervals(&[1.0, f64::NAN, 3.0], &[1.0; 3], &g, &opts).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "value",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("drop"));
    let e = rank_intervals(
        &[1.0; 3],
        &[1.0; 3],
        &g,
        &RankOptions {
            draws: 0,
            ..opts.clone()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("draws"));
    let e = rank_intervals(
        &[1.0; 3],
        &[1.0; 3],
        &g,
        &RankOptions {
            level: 95.0,
            ..opts.clone()
        },
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidLevel { .. }));
    let dropped = rank_intervals(
        &[1.0, f64::NAN, 3.0],
        &[1.0; 3],
        &g,
        &RankOptions {
            missing: MissingPolicy::Drop,
            ..opts
        },
    )
    .unwrap();
    assert!(dropped.rank[1].is_nan());
    assert_eq!(dropped.rank[0], 2.0);
}

/// spdep's EBest, written from Marshall (1991) and Martuzzi & Elliott (1996).
fn ebest(n: &[f64], x: &[f64], binomial: bool) -> Vec<f64> {
    let m = n.len() as f64;
    let (nsum, xsum): (f64, f64) = (n.iter().sum(), x.iter().sum());
    let b = nsum / xsum;
    let s2: f64 = n
        .iter()
        .zip(x)
        .map(|(&ni, &xi)| xi * (ni / xi - b).powi(2))
        .sum::<f64>()
        / xsum;
    let xbar = xsum / m;
    n.iter()
        .zip(x)
        .map(|(&ni, &xi)| {
            let p = ni / xi;
            if binomial {
                let v = b * (1.0 - b);
                let rho = (xi * s2 - xi / xbar * v) / ((xi - 1.0) * s2 + (xbar - xi) / xbar * v);
                rho * p + (1.0 - rho) * b
            } else {
                let a = (s2 - b / xbar).max(0.0);
                b + a * (p - b) / (a + b / xi)
            }
        })
        .collect()
}

#[test]
fn smoothing_matches_the_published_moment_estimators() {
    let n = [3.0, 25.0, 0.0, 140.0, 9.0, 60.0, 1.0];
    let x = [40.0, 180.0, 15.0, 900.0, 35.0, 300.0, 12.0];
    for (statistic, binomial) in [(Statistic::Proportion, true), (Statistic::Rate, false)] {
        let opts = SmoothOptions {
            statistic,
            multiplier: Some(1.0),
            ..SmoothOptions::default()
        };
        let s = smooth(&n, &x, &Groups::single(7), &opts).unwrap();
        let want = ebest(&n, &x, binomial);
        for i in 0..7 {
            assert!((s.smoothed[i] - want[i]).abs() < 1e-12, "{statistic:?} {i}");
            assert!((s.value[i] - n[i] / x[i]).abs() < 1e-15);
        }
    }
}

#[test]
fn smoothing_truncates_a_negative_variance_to_full_shrinkage() {
    // Counts exactly proportional to the populations: no between-area variance.
    let n = [2.0, 4.0, 6.0];
    let x = [100.0, 200.0, 300.0];
    for statistic in [Statistic::Proportion, Statistic::Rate] {
        let opts = SmoothOptions {
            statistic,
            ..SmoothOptions::default()
        };
        let s = smooth(&n, &x, &Groups::single(3), &opts).unwrap();
        assert_eq!(s.prior_variance, vec![0.0; 3]);
        for i in 0..3 {
            assert_eq!(s.shrinkage[i], 0.0);
            assert!((s.smoothed[i] - s.prior_mean[i]).abs() < 1e-12);
        }
    }
}

#[test]
fn smoothing_within_groups_shrinks_toward_each_group_mean() {
    let n = [1.0, 30.0, 5.0, 2.0, 50.0, 20.0];
    let x = [10.0, 100.0, 40.0, 10.0, 100.0, 40.0];
    let g = Groups::from_codes(&[0, 0, 0, 1, 1, 1]).unwrap();
    let opts = SmoothOptions {
        statistic: Statistic::Rate,
        multiplier: Some(1.0),
        ..SmoothOptions::default()
    };
    let s = smooth(&n, &x, &g, &opts).unwrap();
    let first = ebest(&n[..3], &x[..3], false);
    let second = ebest(&n[3..], &x[3..], false);
    for i in 0..3 {
        assert!((s.smoothed[i] - first[i]).abs() < 1e-12);
        assert!((s.smoothed[i + 3] - second[i]).abs() < 1e-12);
    }
    let e = smooth(
        &[5.0, 11.0],
        &[10.0, 10.0],
        &Groups::single(2),
        &SmoothOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfBounds {
                arg: "count",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = smooth(
        &[5.0, 1.0],
        &[10.0, 0.0],
        &Groups::single(2),
        &SmoothOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("population"), "{e}");
}

#[test]
fn funnel_flags_equal_funnel_significance_group_by_group() {
    let count = [5.0, 50.0, 52.0, 500.0, 10.0, 11.0, 30.0, f64::NAN];
    let population = [100.0, 100.0, 100.0, 1000.0, 100.0, 100.0, 100.0, 100.0];
    let codes = [0, 0, 0, 0, 1, 1, 1, 1];
    let data = FunnelData {
        count: &count,
        population: Some(&population),
        ..FunnelData::default()
    };
    let g = Groups::from_codes(&codes).unwrap();
    let e = funnel_flags(&data, &g, &FunnelOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "count",
                index: 7,
                ..
            }
        ),
        "{e}"
    );
    let opts = FunnelOptions {
        missing: MissingPolicy::Drop,
        ..FunnelOptions::default()
    };
    let flags = funnel_flags(&data, &g, &opts).unwrap();
    assert_eq!(flags[7], None);
    for rows in [0..4, 4..7] {
        let sub = FunnelData {
            count: &count[rows.clone()],
            population: Some(&population[rows.clone()]),
            ..FunnelData::default()
        };
        let want = funnel_significance(&sub, &FunnelOptions::default()).unwrap();
        for (k, i) in rows.enumerate() {
            assert_eq!(flags[i].as_deref(), Some(want.labels[k].as_str()));
        }
    }
}

#[test]
fn demo_count_kpis_carry_counts_and_their_own_statistics() {
    let d = DemoData::generate(&DemoOptions::default()).unwrap();
    let cols = d.columns();
    let mut checked = 0;
    for (kpi, mult, is_rate) in [("N15428", 100.0, false), ("N20434", 100_000.0, true)] {
        for area in ["0000", "0180", "2506", "0014"] {
            for sex in [Sex::Total, Sex::Women, Sex::Men] {
                let (c, n) = d.count(kpi, area, 2020, sex).unwrap();
                let v = d.value(kpi, area, 2020, sex).unwrap();
                assert_eq!(c.fract(), 0.0);
                assert!((v - c / n * mult).abs() < 1e-9 * v.abs().max(1.0));
                let want = if is_rate {
                    rate(c, n, &[0.95], mult).unwrap()
                } else {
                    proportion(c, n, &[0.95], mult).unwrap()
                };
                // Find the row in the columns and compare the limits.
                let k = d.kpis().iter().position(|x| x == kpi).unwrap() as u32;
                let a = d.areas().iter().position(|x| x == area).unwrap() as u32;
                let s = match sex {
                    Sex::Total => 0,
                    Sex::Women => 1,
                    Sex::Men => 2,
                };
                let i = (0..cols.kpi.len())
                    .find(|&i| {
                        cols.kpi[i] == k
                            && cols.area[i] == a
                            && cols.year[i] == 2020
                            && cols.sex[i] == s
                    })
                    .unwrap();
                assert_eq!(cols.count[i], c);
                assert_eq!(Some(cols.lower[i]), want.limits[0].lower);
                assert_eq!(Some(cols.upper[i]), want.limits[0].upper);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 24);
    // Life expectancy is not a count.
    assert!(d.count("N00925", "0180", 2020, Sex::Total).is_none());
}
