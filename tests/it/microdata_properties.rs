//! Properties of the microdata measures: influence values against finite
//! differences, invariances (permutation, replication, scale, mirror), the
//! parallel path against a naive implementation, and typed errors.

use crate::common::{NUMERICAL_SE, assert_close};
use jamlik::Error;
use jamlik::measures::microdata::{
    ConcentrationOptions, Design, GiniOptions, InequalityOptions, Kind, OutcomeBounds, SeMethod,
    atkinson, concentration_index, concentration_influence, generalized_entropy, gini, hoover,
    palma,
};
use jamlik::rank::Ties;
use proptest::prelude::*;

fn opts(kind: Kind) -> ConcentrationOptions {
    ConcentrationOptions {
        kind,
        limits: Some(OutcomeBounds {
            lower: 0.0,
            upper: Some(10.0),
        }),
        se: SeMethod::Linearized,
        ..Default::default()
    }
}

fn value(h: &[f64], x: &[f64], w: &[f64], o: &ConcentrationOptions) -> f64 {
    let o = ConcentrationOptions {
        se: SeMethod::None,
        ..*o
    };
    concentration_index(
        h,
        x,
        Design {
            weights: Some(w),
            ..Default::default()
        },
        &o,
    )
    .unwrap()
    .estimate
    .value
}

const GC_KINDS: [Kind; 6] = [
    Kind::Standard,
    Kind::Generalized,
    Kind::Wagstaff,
    Kind::Erreygers,
    Kind::Modified,
    Kind::ModifiedConindex,
];

fn data() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    (3usize..30).prop_flat_map(|n| {
        (
            prop::collection::vec(0.5f64..9.5, n),
            prop::collection::vec(0u8..6, n),
            prop::collection::vec(0.2f64..5.0, n),
        )
            .prop_map(|(h, x, w)| (h, x.into_iter().map(f64::from).collect(), w))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// z_i = W·∂T/∂w_i, checked by central differences, including tie blocks.
    #[test]
    fn influence_values_are_weight_derivatives((h, x, w) in data()) {
        prop_assume!(x.iter().any(|&v| v != x[0]));
        let total: f64 = w.iter().sum();
        for kind in GC_KINDS {
            let o = opts(kind);
            let z = concentration_influence(&h, &x, Some(&w), &o).unwrap();
            let scale = z.iter().fold(1e-3f64, |m, v| m.max(v.abs()));
            for i in 0..h.len() {
                let eps = 1e-6 * w[i];
                let mut up = w.clone();
                up[i] += eps;
                let mut down = w.clone();
                down[i] -= eps;
                let d = (value(&h, &x, &up, &o) - value(&h, &x, &down, &o)) / (2.0 * eps) * total;
                prop_assert!((d - z[i]).abs() <= NUMERICAL_SE * scale, "{kind:?} row {i}: fd {d} vs z {}", z[i]);
            }
        }
    }

    #[test]
    fn permutation_replication_scale_mirror((h, x, w) in data(), seed in 0u64..1000) {
        prop_assume!(x.iter().any(|&v| v != x[0]));
        let design = Design { weights: Some(&w), ..Default::default() };
        for kind in GC_KINDS {
            let o = opts(kind);
            let base = concentration_index(&h, &x, design, &o).unwrap().estimate;
            // Permutation.
            let n = h.len();
            let perm: Vec<usize> = (0..n).map(|i| (i * 7 + seed as usize) % n).collect();
            let mut seen = vec![false; n];
            let perm: Vec<usize> = perm.into_iter().chain(0..n).filter(|&i| !std::mem::replace(&mut seen[i], true)).collect();
            let (hp, xp, wp): (Vec<f64>, Vec<f64>, Vec<f64>) = (perm.iter().map(|&i| h[i]).collect(), perm.iter().map(|&i| x[i]).collect(), perm.iter().map(|&i| w[i]).collect());
            let p = concentration_index(&hp, &xp, Design { weights: Some(&wp), ..Default::default() }, &o).unwrap().estimate;
            prop_assert!((p.value - base.value).abs() < 1e-12);
            prop_assert!((p.se.unwrap() - base.se.unwrap()).abs() < 1e-12);
            // Replication: every row twice gives the same estimate.
            let h2: Vec<f64> = h.iter().chain(&h).copied().collect();
            let x2: Vec<f64> = x.iter().chain(&x).copied().collect();
            let w2: Vec<f64> = w.iter().chain(&w).copied().collect();
            let r = concentration_index(&h2, &x2, Design { weights: Some(&w2), ..Default::default() }, &o).unwrap().estimate;
            prop_assert!((r.value - base.value).abs() < 1e-12);
        }
        // Integer weights ≡ replicated rows.
        let wi: Vec<f64> = w.iter().map(|v| v.ceil()).collect();
        let mut hr = Vec::new();
        let mut xr = Vec::new();
        for i in 0..h.len() {
            for _ in 0..wi[i] as usize { hr.push(h[i]); xr.push(x[i]); }
        }
        let o = opts(Kind::Standard);
        let a = value(&h, &x, &wi, &o);
        let b = concentration_index(&hr, &xr, Design::default(), &o).unwrap().estimate.value;
        prop_assert!((a - b).abs() < 1e-12);
        // Scale invariance of the relative index.
        let hs: Vec<f64> = h.iter().map(|v| v * 3.25).collect();
        let plain = ConcentrationOptions::default();
        prop_assert!((value(&hs, &x, &w, &plain) - value(&h, &x, &w, &plain)).abs() < 1e-12);
        // Mirror: index of b − h = −index of h (Wagstaff, Erreygers), SE equal.
        let hm: Vec<f64> = h.iter().map(|v| 10.0 - v).collect();
        for kind in [Kind::Wagstaff, Kind::Erreygers] {
            let a = concentration_index(&h, &x, design, &opts(kind)).unwrap().estimate;
            let b = concentration_index(&hm, &x, design, &opts(kind)).unwrap().estimate;
            prop_assert!((a.value + b.value).abs() < 1e-12);
            prop_assert!((a.se.unwrap() - b.se.unwrap()).abs() < 1e-12);
        }
    }
}

/// The parallel, chunked path against a direct O(n log n) computation.
#[test]
fn large_sample_matches_naive_computation() {
    let n = 700_000;
    let mut s: u64 = 7;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let x: Vec<f64> = (0..n).map(|_| (next() * 5000.0).floor()).collect(); // many ties
    let h: Vec<f64> = x.iter().map(|v| 1.0 + v / 1000.0 + next()).collect();
    let w: Vec<f64> = (0..n).map(|_| 0.5 + next()).collect();
    // Naive: stable sort, block midpoints.
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let total: f64 = w.iter().sum();
    let mu = h.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / total;
    let mut before = 0.0;
    let mut acc = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && x[idx[j]] == x[idx[i]] {
            j += 1;
        }
        let bw: f64 = idx[i..j].iter().map(|&k| w[k]).sum();
        let bh: f64 = idx[i..j].iter().map(|&k| w[k] * h[k]).sum();
        let r = (before + bw / 2.0) / total;
        acc += bh * (r - 0.5);
        before += bw;
        i = j;
    }
    let naive = 2.0 * acc / total / mu;
    let ours = concentration_index(
        &h,
        &x,
        Design {
            weights: Some(&w),
            ..Default::default()
        },
        &ConcentrationOptions::default(),
    )
    .unwrap();
    assert_close("C at n=7e5", ours.estimate.value, naive, 1e-9, 0.0);
    assert!(ours.estimate.se.unwrap() > 0.0);
    let ranks = jamlik::rank::fractional_rank(&x, Some(&w), Ties::Midpoint).unwrap();
    let mean_rank: f64 = ranks.iter().zip(&w).map(|(r, w)| r * w).sum::<f64>() / total;
    assert!((mean_rank - 0.5).abs() < 1e-12);
}

/// Naive C and linearized iid SE: a stable comparison sort, then the
/// influence formula row by row (`tie_blocks = false` ranks every row alone,
/// in row order within ties).
fn naive_index_and_se(h: &[f64], x: &[f64], w: &[f64], tie_blocks: bool) -> (f64, f64) {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    // −0.0 and +0.0 are the same key (total_cmp would order them).
    idx.sort_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap());
    let total: f64 = w.iter().sum();
    let mu = h.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / total;
    // Per sorted position: rank and (S_{k-1} + S_k) / W of its block.
    let (mut rank, mut s_mid) = (vec![0.0; n], vec![0.0; n]);
    let (mut w_before, mut s_before, mut i) = (0.0, 0.0, 0);
    while i < n {
        let mut j = i + 1;
        while tie_blocks && j < n && x[idx[j]] == x[idx[i]] {
            j += 1;
        }
        let bw: f64 = idx[i..j].iter().map(|&k| w[k]).sum();
        let bh: f64 = idx[i..j].iter().map(|&k| w[k] * h[k]).sum();
        for p in i..j {
            rank[p] = (w_before + bw / 2.0) / total;
            s_mid[p] = (2.0 * s_before + bh) / total;
        }
        w_before += bw;
        s_before += bh;
        i = j;
    }
    let gc = 2.0
        * (0..n)
            .map(|p| w[idx[p]] * h[idx[p]] * (rank[p] - 0.5))
            .sum::<f64>()
        / total;
    let c = gc / mu;
    let u: Vec<f64> = (0..n)
        .map(|p| {
            let (hi, wi) = (h[idx[p]], w[idx[p]]);
            let z_gc = hi * (2.0 * rank[p] - 1.0) + mu - s_mid[p] - 2.0 * gc;
            let z = z_gc / mu - c / mu * (hi - mu);
            wi * z / total
        })
        .collect();
    let mean = u.iter().sum::<f64>() / n as f64;
    let ss: f64 = u.iter().map(|v| (v - mean) * (v - mean)).sum();
    (c, (n as f64 / (n as f64 - 1.0) * ss).sqrt())
}

#[test]
fn every_sort_path_matches_naive_computation() {
    let n: usize = 300_000;
    let mut s: u64 = 11;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let u: Vec<f64> = (0..n).map(|_| next()).collect();
    let continuous: Vec<f64> = u.iter().map(|v| (8.0 + 6.0 * v).exp()).collect();
    let signed: Vec<f64> = u
        .iter()
        .map(|v| {
            if *v < 0.1 {
                0.0
            } else if *v < 0.2 {
                -0.0
            } else {
                v - 0.6
            }
        })
        .collect();
    // One far outlier puts every other key in one bucket (sorted in place).
    let mut outlier: Vec<f64> = u.iter().map(|v| 1000.0 + v).collect();
    outlier[17] = 1e300;
    let categorical: Vec<f64> = u.iter().map(|v| (v * 7.0).floor()).collect();
    let h: Vec<f64> = u.iter().map(|v| 1.0 + v + next()).collect();
    let w: Vec<f64> = (0..n).map(|_| 0.25 + next()).collect();
    for (name, x) in [
        ("continuous", &continuous),
        ("signed with zeros", &signed),
        ("outlier", &outlier),
        ("categorical", &categorical),
    ] {
        let design = Design {
            weights: Some(&w),
            ..Default::default()
        };
        for (ties, tie_blocks) in [(Ties::Midpoint, true), (Ties::RowOrder, false)] {
            let o = ConcentrationOptions {
                ties,
                ..Default::default()
            };
            let ours = concentration_index(&h, x, design, &o).unwrap();
            let (c, se) = naive_index_and_se(&h, x, &w, tie_blocks);
            let what = format!("{name}, {ties:?}");
            assert_close(&format!("C ({what})"), ours.estimate.value, c, 1e-11, 0.0);
            assert_close(
                &format!("SE ({what})"),
                ours.estimate.se.unwrap(),
                se,
                1e-9,
                0.0,
            );
        }
        // Every row its own cluster: the row-carrying path gives the iid SE.
        let rows: Vec<i64> = (0i64..).take(n).collect();
        let clustered = Design {
            weights: Some(&w),
            cluster: Some(&rows),
            strata: None,
        };
        let o = ConcentrationOptions::default();
        let iid = concentration_index(&h, x, design, &o).unwrap();
        let by_row = concentration_index(&h, x, clustered, &o).unwrap();
        assert_close(
            &format!("C by row ({name})"),
            by_row.estimate.value,
            iid.estimate.value,
            1e-14,
            0.0,
        );
        assert_close(
            &format!("SE by row ({name})"),
            by_row.estimate.se.unwrap(),
            iid.estimate.se.unwrap(),
            1e-12,
            0.0,
        );
    }
}

fn err<T: std::fmt::Debug>(r: jamlik::Result<T>) -> Error {
    r.unwrap_err()
}

#[test]
fn bad_input_is_a_typed_error_naming_the_argument() {
    let h = [1.0, 2.0, 3.0, 4.0];
    let x = [1.0, 2.0, 3.0, 4.0];
    let d = Design::default();
    let o = ConcentrationOptions::default();
    assert!(matches!(
        err(concentration_index(&[0.0; 4], &x, d, &o)),
        Error::ZeroMean { arg: "outcome", .. }
    ));
    assert!(matches!(
        err(concentration_index(
            &h,
            &x,
            Design {
                weights: Some(&[1.0, -1.0, 1.0, 1.0]),
                ..d
            },
            &o
        )),
        Error::OutOfDomain {
            arg: "weights",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        err(concentration_index(&h, &[2.0; 4], d, &o)),
        Error::Degenerate { arg: "rank_by", .. }
    ));
    assert!(matches!(
        err(concentration_index(&[1.0, f64::NAN, 2.0, 3.0], &x, d, &o)),
        Error::Missing {
            arg: "outcome",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        err(concentration_index(
            &h,
            &[1.0, f64::INFINITY, 2.0, 3.0],
            d,
            &o
        )),
        Error::NonFinite { arg: "rank_by", .. }
    ));
    assert!(matches!(
        err(concentration_index(&h, &x[..3], d, &o)),
        Error::LengthMismatch { arg: "rank_by", .. }
    ));
    let wag = ConcentrationOptions {
        kind: Kind::Wagstaff,
        limits: Some(OutcomeBounds {
            lower: 0.0,
            upper: Some(3.0),
        }),
        ..o
    };
    assert!(matches!(
        err(concentration_index(&h, &x, d, &wag)),
        Error::OutOfBounds {
            arg: "outcome",
            index: 3,
            ..
        }
    ));
    let wag_no_limits = ConcentrationOptions {
        kind: Kind::Wagstaff,
        ..o
    };
    assert!(matches!(
        err(concentration_index(&h, &x, d, &wag_no_limits)),
        Error::InvalidArgument { arg: "limits", .. }
    ));
    let e = err(concentration_index(
        &h,
        &x,
        Design {
            cluster: Some(&[0, 1, 2, 2]),
            strata: Some(&[0, 0, 1, 1]),
            ..d
        },
        &o,
    ));
    assert!(
        matches!(e, Error::TooFew { .. })
            && e.to_string().contains("strata")
            && e.to_string().contains("cluster"),
        "{e}"
    );
    let io = InequalityOptions::default();
    assert!(matches!(
        err(gini(&[-1.0, 2.0], d, &GiniOptions::default())),
        Error::OutOfDomain { arg: "values", .. }
    ));
    assert!(matches!(
        err(generalized_entropy(&[0.0, 2.0], 0.0, d, &io)),
        Error::OutOfDomain { arg: "values", .. }
    ));
    assert!(matches!(
        err(atkinson(&[1.0, 2.0], -1.0, d, &io)),
        Error::InvalidArgument { arg: "epsilon", .. }
    ));
    assert!(matches!(
        err(hoover(&[0.0, 0.0], d, &io)),
        Error::ZeroMean { arg: "values", .. }
    ));
    assert!(matches!(
        err(hoover(
            &[1.0, 2.0],
            d,
            &InequalityOptions { level: 95.0, ..io }
        )),
        Error::InvalidLevel { arg: "level", .. }
    ));
    assert!(matches!(
        err(palma(&[1.0, f64::NAN, 2.0], d, &io)),
        Error::Missing {
            arg: "values",
            index: 1,
            ..
        }
    ));
}

#[test]
fn inequality_closed_forms() {
    let d = Design::default();
    let io = InequalityOptions::default();
    // Two people, incomes 1 and 3: Gini = 0.25, Hoover = 0.25.
    let g = gini(
        &[1.0, 3.0],
        d,
        &GiniOptions {
            se: SeMethod::None,
            ..Default::default()
        },
    )
    .unwrap();
    assert!((g.value - 0.25).abs() < 1e-15);
    assert!((hoover(&[1.0, 3.0], d, &io).unwrap().value - 0.25).abs() < 1e-15);
    // Equal incomes: Gini 0, Palma 0.25 (SE 0: nothing varies).
    let g = gini(&[2.0; 5], d, &GiniOptions::default()).unwrap();
    assert_eq!(g.value, 0.0);
    let p = palma(&[2.0; 10], d, &io).unwrap();
    assert!((p.value - 0.25).abs() < 1e-15);
    assert!(p.se.unwrap().abs() < 1e-15);
    // GE(2) = CV²/2.
    let v = [1.0, 2.0, 3.0, 6.0];
    let mu = 3.0;
    let var = v.iter().map(|a| (a - mu) * (a - mu)).sum::<f64>() / 4.0;
    assert!(
        (generalized_entropy(&v, 2.0, d, &io).unwrap().value - var / mu / mu / 2.0).abs() < 1e-15
    );
}
