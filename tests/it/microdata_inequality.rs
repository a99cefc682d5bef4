//! Linearized SEs of the inequality indices: influence values against finite
//! differences of the index in each row's weight, and invariances of the SE
//! (permutation, scale, replication).

use jamlik::measures::microdata::{
    Design, InequalityIndex, InequalityOptions, SeChoice, atkinson, generalized_entropy, hoover,
    inequality_influence, mld, palma, quantile_share_ratio, theil,
};
use jamlik::{Error, Estimate};
use proptest::prelude::*;

type Index = fn(&[f64], Design<'_>, &InequalityOptions) -> jamlik::Result<Estimate>;

fn ge2(v: &[f64], d: Design<'_>, o: &InequalityOptions) -> jamlik::Result<Estimate> {
    generalized_entropy(v, 2.0, d, o)
}
fn ge_minus_half(v: &[f64], d: Design<'_>, o: &InequalityOptions) -> jamlik::Result<Estimate> {
    generalized_entropy(v, -0.5, d, o)
}
fn atkinson1(v: &[f64], d: Design<'_>, o: &InequalityOptions) -> jamlik::Result<Estimate> {
    atkinson(v, 1.0, d, o)
}
fn atkinson_half(v: &[f64], d: Design<'_>, o: &InequalityOptions) -> jamlik::Result<Estimate> {
    atkinson(v, 0.5, d, o)
}
fn s90s10(v: &[f64], d: Design<'_>, o: &InequalityOptions) -> jamlik::Result<Estimate> {
    quantile_share_ratio(v, 0.1, 0.9, d, o)
}

const INDICES: [(&str, Index); 9] = [
    ("theil", theil),
    ("mld", mld),
    ("ge2", ge2),
    ("ge-0.5", ge_minus_half),
    ("atkinson1", atkinson1),
    ("atkinson0.5", atkinson_half),
    ("hoover", hoover),
    ("palma", palma),
    ("s90s10", s90s10),
];

/// Deterministic skewed positive sample with weights.
fn sample(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut s = seed | 1;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let y = (0..n).map(|_| (2.0 * next()).exp() + 0.1).collect();
    let w = (0..n).map(|_| 0.5 + 2.0 * next()).collect();
    (y, w)
}

fn se(f: Index, y: &[f64], d: Design<'_>) -> f64 {
    f(y, d, &InequalityOptions::default()).unwrap().se.unwrap()
}

#[test]
fn influence_values_are_weight_derivatives() {
    // n·p never an integer multiple of the weights' boundaries here: weights
    // are irregular, so every quantile falls strictly inside a block.
    let (y, w) = sample(57, 7);
    let total: f64 = w.iter().sum();
    let indices = [
        InequalityIndex::GeneralizedEntropy(1.0),
        InequalityIndex::GeneralizedEntropy(0.0),
        InequalityIndex::GeneralizedEntropy(3.0),
        InequalityIndex::Atkinson(1.0),
        InequalityIndex::Atkinson(2.5),
        InequalityIndex::Hoover,
        InequalityIndex::QuantileShareRatio {
            lower: 0.4,
            upper: 0.9,
        },
    ];
    let point = InequalityOptions {
        se: SeChoice::None,
        ..InequalityOptions::default()
    };
    for index in indices {
        let value = |w: &[f64]| {
            let d = Design {
                weights: Some(w),
                ..Design::default()
            };
            match index {
                InequalityIndex::GeneralizedEntropy(a) => generalized_entropy(&y, a, d, &point),
                InequalityIndex::Atkinson(e) => atkinson(&y, e, d, &point),
                InequalityIndex::Hoover => hoover(&y, d, &point),
                InequalityIndex::QuantileShareRatio { lower, upper } => {
                    quantile_share_ratio(&y, lower, upper, d, &point)
                }
            }
            .unwrap()
            .value
        };
        let z = inequality_influence(index, &y, Some(&w)).unwrap();
        let h = 1e-6;
        for i in 0..y.len() {
            let (mut up, mut down) = (w.clone(), w.clone());
            up[i] += h;
            down[i] -= h;
            let numeric = (value(&up) - value(&down)) / (2.0 * h) * total;
            assert!(
                (numeric - z[i]).abs() < 1e-6 * (1.0 + z[i].abs()),
                "{index:?} row {i}: numeric {numeric}, analytic {}",
                z[i]
            );
        }
        // Influence values are centred: Σ w z = 0.
        let centre: f64 = z.iter().zip(&w).map(|(a, b)| a * b).sum();
        assert!(centre.abs() < 1e-9 * total, "{index:?}: Σwz = {centre}");
    }
}

#[test]
fn replication_halves_the_variance() {
    // Stacking the sample twice (iid): every influence value is unchanged, so
    // var(2n)/var(n) = (n − 1)/(2n − 1) exactly.
    let (y, _) = sample(301, 11);
    let twice: Vec<f64> = y.iter().chain(&y).copied().collect();
    let n = y.len() as f64;
    for (name, f) in INDICES {
        let (a, b) = (
            se(f, &y, Design::default()),
            se(f, &twice, Design::default()),
        );
        let ratio = b * b / (a * a);
        let expected = (n - 1.0) / (2.0 * n - 1.0);
        assert!(
            (ratio - expected).abs() < 1e-9,
            "{name}: {ratio} vs {expected}"
        );
    }
}

#[test]
fn se_is_invariant_to_scale_of_values_and_weights() {
    let (y, w) = sample(200, 3);
    let cluster: Vec<i64> = (0..200).map(|i| i / 10).collect();
    let strata: Vec<i64> = (0..200).map(|i| i / 50).collect();
    let d = Design {
        weights: Some(&w),
        cluster: Some(&cluster),
        strata: Some(&strata),
    };
    let y3: Vec<f64> = y.iter().map(|v| v * 1000.0).collect();
    let w7: Vec<f64> = w.iter().map(|v| v * 7.0).collect();
    for (name, f) in INDICES {
        let base = f(&y, d, &InequalityOptions::default()).unwrap();
        for (yy, ww) in [(&y3, &w), (&y, &w7)] {
            let other = f(
                yy,
                Design {
                    weights: Some(ww),
                    ..d
                },
                &InequalityOptions::default(),
            )
            .unwrap();
            assert!(
                (other.value - base.value).abs() < 1e-10 * base.value.abs().max(1e-3),
                "{name}"
            );
            let (s0, s1) = (base.se.unwrap(), other.se.unwrap());
            assert!((s1 - s0).abs() < 1e-9 * s0, "{name}: {s0} vs {s1}");
        }
    }
}

#[test]
fn clustering_changes_the_se_and_a_lone_psu_is_refused() {
    let (y, w) = sample(120, 5);
    let cluster: Vec<i64> = (0..120).map(|i| i % 6).collect();
    let d = Design {
        weights: Some(&w),
        ..Design::default()
    };
    let dc = Design {
        cluster: Some(&cluster),
        ..d
    };
    for (name, f) in INDICES {
        let (a, b) = (se(f, &y, d), se(f, &y, dc));
        assert!(
            a > 0.0 && b > 0.0 && (a - b).abs() > 1e-6 * a,
            "{name}: {a} {b}"
        );
        let one = vec![0i64; 120];
        let e = f(
            &y,
            Design {
                cluster: Some(&one),
                ..d
            },
            &InequalityOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::TooFew { .. }), "{name}: {e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn se_is_invariant_to_row_order(seed in 1u64..10_000, shift in 1usize..99) {
        let (y, w) = sample(100, seed);
        let cluster: Vec<i64> = (0..100i64).map(|i| i % 20).collect();
        let strata: Vec<i64> = (0..100i64).map(|i| i % 20 / 5).collect();
        // A permutation: i ↦ (i·k) mod 100 with k coprime to 100.
        let k = [3usize, 7, 11, 13, 17, 19, 21, 23, 27, 29][shift % 10];
        let order: Vec<usize> = (0..100).map(|i| (i * k + shift) % 100).collect();
        let p = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pi = |v: &[i64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let (yp, wp, cp, sp) = (p(&y), p(&w), pi(&cluster), pi(&strata));
        let d = Design { weights: Some(&w), cluster: Some(&cluster), strata: Some(&strata) };
        let dp = Design { weights: Some(&wp), cluster: Some(&cp), strata: Some(&sp) };
        for (name, f) in INDICES {
            let (a, b) = (f(&y, d, &InequalityOptions::default()).unwrap(), f(&yp, dp, &InequalityOptions::default()).unwrap());
            prop_assert!((a.value - b.value).abs() <= 1e-12 * a.value.abs().max(1e-3), "{}", name);
            let (sa, sb) = (a.se.unwrap(), b.se.unwrap());
            prop_assert!((sa - sb).abs() <= 1e-10 * sa, "{}: {} vs {}", name, sa, sb);
        }
    }
}
