//! Properties of the shared weighted fractional rank.

use jamlik::rank::{Ties, fractional_rank};
use proptest::prelude::*;

#[test]
fn weighted_midpoints() {
    let r = fractional_rank(&[1.0, 2.0, 3.0], Some(&[1.0, 2.0, 1.0]), Ties::Midpoint).unwrap();
    assert_eq!(r, vec![0.125, 0.5, 0.875]);
}

proptest! {
    #[test]
    fn weighted_mean_rank_is_one_half(keys in prop::collection::vec(0u8..5, 1..60),
                                      w in prop::collection::vec(0.1f64..10.0, 60)) {
        let keys: Vec<f64> = keys.into_iter().map(f64::from).collect();
        let w = &w[..keys.len()];
        let r = fractional_rank(&keys, Some(w), Ties::Midpoint).unwrap();
        let total: f64 = w.iter().sum();
        let mean: f64 = r.iter().zip(w).map(|(r, w)| r * w).sum::<f64>() / total;
        prop_assert!((mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn midpoint_ranks_do_not_depend_on_row_order(keys in prop::collection::vec(0u8..4, 2..40)) {
        let keys: Vec<f64> = keys.into_iter().map(f64::from).collect();
        let r = fractional_rank(&keys, None, Ties::Midpoint).unwrap();
        let rev: Vec<f64> = keys.iter().rev().copied().collect();
        let r_rev = fractional_rank(&rev, None, Ties::Midpoint).unwrap();
        for (a, b) in r.iter().zip(r_rev.iter().rev()) {
            prop_assert!((a - b).abs() < 1e-15);
        }
    }
}

/// Keys whose range forces truncation of the packed sort words (huge and tiny
/// magnitudes, low-bit differences) still sort and tie exactly.
#[test]
fn truncated_keys_are_fixed_up_exactly() {
    let base = [
        1e300,
        -1e300,
        1.0,
        1.0 + f64::EPSILON,
        1.0,
        -0.0,
        0.0,
        5e-324,
        1.0 + 2.0 * f64::EPSILON,
    ];
    let keys: Vec<f64> = (0..2000)
        .map(|i| {
            base[i % base.len()]
                * if i % 3 == 0 {
                    1.0
                } else {
                    1.0 + (i as f64) * 1e-15
                }
        })
        .collect();
    let r = fractional_rank(&keys, None, Ties::Midpoint).unwrap();
    let n = keys.len() as f64;
    for i in 0..keys.len() {
        let below = keys.iter().filter(|&&k| k < keys[i]).count() as f64;
        let equal = keys.iter().filter(|&&k| k == keys[i]).count() as f64;
        assert!((r[i] - (below + equal / 2.0) / n).abs() < 1e-12, "row {i}");
    }
}

#[test]
fn row_order_ties_follow_rows() {
    let r = fractional_rank(&[2.0, 1.0, 2.0, 2.0], None, Ties::RowOrder).unwrap();
    assert_eq!(r, vec![0.375, 0.125, 0.625, 0.875]);
}
