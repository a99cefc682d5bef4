//! Mergeable states: a state built from any partition of the rows, merged in
//! any order (and through serde), gives the one-pass result to 1e-12, and the
//! same result as the existing single-machine functions.

use jamlik::indicators::{CountOptions, Groups, mean, proportion_by, rate};
use jamlik::measures::heat::{Measure, Options, Subgroups, measure};
use jamlik::measures::microdata::{Design, InequalityOptions, generalized_entropy};
use jamlik::state::{
    CountState, EntropyMeasure, EntropyState, Mergeable, MomentState, SubgroupState,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
}

/// Splits `0..n` at the sorted `cuts`.
fn pieces(n: usize, cuts: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut c: Vec<usize> = cuts.iter().map(|&c| c.min(n)).collect();
    c.push(0);
    c.push(n);
    c.sort_unstable();
    c.dedup();
    c.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Builds one state per piece and merges them in reverse order through JSON.
fn merged<S: Mergeable + Serialize + DeserializeOwned + Clone>(states: Vec<S>) -> S {
    let mut it = states.into_iter().rev();
    let first = it.next().expect("a piece");
    let mut acc: S = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
    for s in it {
        let s: S = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        acc.merge(&s).unwrap();
    }
    acc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn counts_partition_invariant(rows in prop::collection::vec((0u32..50, 50u32..500), 1..80),
                                  cuts in prop::collection::vec(0usize..80, 0..6)) {
        let count: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
        let population: Vec<f64> = rows.iter().map(|r| f64::from(r.1)).collect();
        let states = pieces(count.len(), &cuts).into_iter().map(|r| {
            let mut s = CountState::default();
            s.update(&count[r.clone()], &population[r]).unwrap();
            s
        }).collect();
        let s: CountState = merged(states);
        let p = s.finish_proportion(&[0.95], 100.0).unwrap();
        let one = proportion_by(&count, &population, &Groups::single(count.len()),
            &CountOptions { multiplier: 100.0, ..CountOptions::default() }).unwrap();
        let q = &one.results[0].indicator;
        prop_assert!(close(p.value.unwrap(), q.value.unwrap()));
        prop_assert!(close(p.limits[0].lower.unwrap(), q.limits[0].lower.unwrap()));
        prop_assert!(close(p.limits[0].upper.unwrap(), q.limits[0].upper.unwrap()));
        let r = s.finish_rate(&[0.95], 1000.0).unwrap();
        let r1 = rate(count.iter().sum(), population.iter().sum(), &[0.95], 1000.0).unwrap();
        prop_assert!(close(r.value.unwrap(), r1.value.unwrap()));
        prop_assert_eq!(r.method, r1.method);
        prop_assert_eq!(s.n, count.len());
    }

    #[test]
    fn moments_partition_invariant(values in prop::collection::vec(-1e3f64..1e3, 2..100),
                                   cuts in prop::collection::vec(0usize..100, 0..6)) {
        let states = pieces(values.len(), &cuts).into_iter().map(|r| {
            let mut s = MomentState::default();
            s.update(&values[r], None).unwrap();
            s
        }).collect();
        let s: MomentState = merged(states);
        let m = s.finish_mean(&[0.9]).unwrap();
        let one = mean(&values, &[0.9]).unwrap();
        prop_assert!(close(m.value.unwrap(), one.indicator.value.unwrap()));
        let sd = s.variance().unwrap().sqrt();
        // The variance is a difference of nearby sums only in the one-pass
        // reference's rounding: allow its last digits.
        prop_assert!((sd - one.sd.unwrap()).abs() <= 1e-12 * one.sd.unwrap().max(1e-9 * 1e3));
        let (l, u) = (m.limits[0].lower.unwrap(), one.indicator.limits[0].lower.unwrap());
        prop_assert!((l - u).abs() <= 1e-12 * l.abs().max(u.abs()).max(1.0));
    }

    #[test]
    fn heat_subgroups_partition_invariant(rows in prop::collection::vec((0.0f64..1.0, 1i64..5, 0.5f64..3.0), 40..160),
                                          cuts in prop::collection::vec(0usize..160, 0..6)) {
        let h: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let g: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.2).collect();
        prop_assume!((1..5).all(|c| g.iter().filter(|&&x| x == c).count() >= 2));
        let states = pieces(h.len(), &cuts).into_iter().map(|r| {
            let mut s = SubgroupState::default();
            s.update(&h[r.clone()], &g[r.clone()], Some(&w[r])).unwrap();
            s
        }).collect();
        let s: SubgroupState = merged(states);
        let mut one = SubgroupState::default();
        one.update(&h, &g, Some(&w)).unwrap();
        let opts = Options::default();
        for m in [Measure::D, Measure::Aci, Measure::Bgv, Measure::Idisw, Measure::Ti] {
            let a = s.finish(m, 100.0, true, None, &opts).unwrap();
            let b = one.finish(m, 100.0, true, None, &opts).unwrap();
            prop_assert!(close(a.value, b.value), "{m:?}: {} vs {}", a.value, b.value);
        }
        // The same inputs built by hand from per-subgroup means.
        let ins = s.inputs(100.0).unwrap();
        let by_hand: Vec<f64> = (1..5).map(|c| {
            let (sw, swh) = rows.iter().filter(|r| r.1 == c).fold((0.0, 0.0), |(a, b), r| (a + r.2, b + r.2 * r.0));
            100.0 * swh / sw
        }).collect();
        for (i, e) in ins.iter().zip(&by_hand) {
            prop_assert!((i.estimate - e).abs() <= 1e-12 * e.abs().max(1.0));
        }
        let est: Vec<f64> = ins.iter().map(|i| i.estimate).collect();
        let se: Vec<f64> = ins.iter().map(|i| i.se).collect();
        let pop: Vec<f64> = ins.iter().map(|i| i.population).collect();
        let order = [1.0, 2.0, 3.0, 4.0];
        let direct = measure(Measure::Sii, &Subgroups::new(&est).se(&se).population(&pop).scale(100.0).subgroup_order(&order).build().unwrap(), &opts).unwrap();
        let via = s.finish(Measure::Sii, 100.0, true, None, &opts).unwrap();
        prop_assert!(close(direct.value, via.value));
    }

    #[test]
    fn entropy_partition_invariant(values in prop::collection::vec(0.1f64..100.0, 2..100),
                                   cuts in prop::collection::vec(0usize..100, 0..6),
                                   which in 0usize..4) {
        let measure = [EntropyMeasure::Theil, EntropyMeasure::Mld, EntropyMeasure::GeneralizedEntropy(2.0), EntropyMeasure::GeneralizedEntropy(-0.5)][which];
        let alpha = [1.0, 0.0, 2.0, -0.5][which];
        let parts = pieces(values.len(), &cuts);
        let moments: MomentState = merged(parts.iter().map(|r| {
            let mut s = MomentState::default();
            s.update(&values[r.clone()], None).unwrap();
            s
        }).collect());
        let mu = moments.mean().unwrap();
        let s: EntropyState = merged(parts.iter().map(|r| {
            let mut s = EntropyState::new(measure, mu).unwrap();
            s.update(&values[r.clone()], None).unwrap();
            s
        }).collect());
        let got = s.finish(0.95).unwrap();
        let one = generalized_entropy(&values, alpha, Design::default(), &InequalityOptions::default()).unwrap();
        prop_assert!((got.value - one.value).abs() <= 1e-12 * one.value.abs().max(1e-3), "{} vs {}", got.value, one.value);
        prop_assert_eq!(got.n, Some(values.len()));
    }
}

#[test]
fn states_refuse_bad_rows_and_mismatched_merges() {
    let mut c = CountState::default();
    assert!(matches!(
        c.update(&[1.0], &[1.0, 2.0]),
        Err(jamlik::Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        c.update(&[-1.0], &[2.0]),
        Err(jamlik::Error::OutOfDomain { arg: "count", .. })
    ));
    let mut m = MomentState::default();
    assert!(matches!(
        m.update(&[f64::NAN], None),
        Err(jamlik::Error::Missing { arg: "values", .. })
    ));
    assert!(matches!(
        m.finish_mean(&[0.95]),
        Err(jamlik::Error::Empty { .. })
    ));
    let mut a = EntropyState::new(EntropyMeasure::Theil, 2.0).unwrap();
    let b = EntropyState::new(EntropyMeasure::Theil, 3.0).unwrap();
    assert!(matches!(
        a.merge(&b),
        Err(jamlik::Error::InvalidArgument { arg: "other", .. })
    ));
    assert!(EntropyState::new(EntropyMeasure::Mld, 0.0).is_err());
    let mut mld = EntropyState::new(EntropyMeasure::Mld, 2.0).unwrap();
    assert!(matches!(
        mld.update(&[1.0, 0.0], None),
        Err(jamlik::Error::OutOfDomain {
            arg: "values",
            index: 1,
            ..
        })
    ));
    let mut s = SubgroupState::default();
    s.update(&[1.0, 0.0, 1.0], &[1, 1, 2], None).unwrap();
    assert!(matches!(s.inputs(1.0), Err(jamlik::Error::TooFew { .. })));
}
