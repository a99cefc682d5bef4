//! Invariances of the HEAT measures (proptest): row permutation, scaling of the
//! indicator, replication of populations.

use crate::common::close;
use jamlik::measures::heat::{Measure, Options, Subgroups, measure};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    y: Vec<f64>,
    se: Vec<f64>,
    pop: Vec<f64>,
    order: Vec<f64>,
    reference: Vec<f64>,
    favourable: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (3usize..8).prop_flat_map(|n| {
        (
            prop::collection::vec(1.0f64..90.0, n),
            prop::collection::vec(0.1f64..5.0, n),
            prop::collection::vec(100.0f64..1e5, n),
            Just((1..=n).map(|v| v as f64).collect::<Vec<_>>()).prop_shuffle(),
            0..n,
            any::<bool>(),
        )
            .prop_map(|(y, se, pop, order, r, favourable)| {
                let mut reference = vec![0.0; y.len()];
                reference[r] = 1.0;
                Case {
                    y,
                    se,
                    pop,
                    order,
                    reference,
                    favourable,
                }
            })
    })
}

fn build(c: &Case, ordered: bool, scale: f64) -> Subgroups {
    let mut b = Subgroups::new(&c.y)
        .se(&c.se)
        .population(&c.pop)
        .favourable(c.favourable)
        .scale(scale);
    if ordered {
        b = b.subgroup_order(&c.order);
    } else {
        b = b.reference_flags(&c.reference);
    }
    b.build().unwrap()
}

fn measures(ordered: bool) -> Vec<Measure> {
    Measure::ALL
        .into_iter()
        .filter(|m| {
            matches!(m, Measure::D | Measure::R | Measure::Paf | Measure::Par)
                || m.needs_order() == ordered
        })
        .collect()
}

fn permuted(c: &Case, perm: &[usize]) -> Case {
    let p = |v: &[f64]| perm.iter().map(|&i| v[i]).collect::<Vec<_>>();
    Case {
        y: p(&c.y),
        se: p(&c.se),
        pop: p(&c.pop),
        order: p(&c.order),
        reference: p(&c.reference),
        favourable: c.favourable,
    }
}

fn distinct(y: &[f64]) -> bool {
    let mut s = y.to_vec();
    s.sort_by(f64::total_cmp);
    s.windows(2).all(|w| w[1] - w[0] > 1e-6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn permutation_of_rows(c in case(), ordered in any::<bool>(), seed in any::<u64>()) {
        prop_assume!(distinct(&c.y));
        let n = c.y.len();
        let mut perm: Vec<usize> = (0..n).collect();
        perm.rotate_left((seed % n as u64) as usize);
        perm.swap(0, n - 1);
        let d = permuted(&c, &perm);
        let (g, h) = (build(&c, ordered, 100.0), build(&d, ordered, 100.0));
        let o = Options::default();
        for m in measures(ordered) {
            let (a, b) = (measure(m, &g, &o), measure(m, &h, &o));
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    prop_assert!(close(a.value, b.value, 1e-9, 1e-12), "{m}: {} vs {}", a.value, b.value);
                    if let (Some(x), Some(y)) = (a.se, b.se) {
                        prop_assert!(close(x, y, 1e-7, 1e-12), "{m} se: {x} vs {y}");
                    }
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{m}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn scaling_the_indicator(c in case(), ordered in any::<bool>(), k in 0.2f64..5.0) {
        // Base scale 1000 so the ×k copy never hits the special ≤ 100 truncation.
        let g = build(&c, ordered, 1000.0);
        let scaled = Case {
            y: c.y.iter().map(|v| v * k).collect(),
            se: c.se.iter().map(|v| v * k).collect(),
            ..c.clone()
        };
        let h = build(&scaled, ordered, 1000.0 * k);
        let o = Options::default();
        for m in measures(ordered) {
            let (Ok(a), Ok(b)) = (measure(m, &g, &o), measure(m, &h, &o)) else { continue };
            let factor = match m {
                Measure::R | Measure::Rci | Measure::Rii | Measure::Cov | Measure::Idisu
                | Measure::Idisw | Measure::Mld | Measure::Ti | Measure::Paf => 1.0,
                Measure::Bgv => k * k,
                _ => k,
            };
            prop_assert!(close(a.value * factor, b.value, 1e-8, 1e-12), "{m}: {}·{factor} vs {}", a.value, b.value);
            if let (Some(x), Some(y)) = (a.lower, b.lower) {
                let f = if matches!(m, Measure::R | Measure::Rii) { 1.0 } else { factor };
                prop_assert!(close(x * f, y, 1e-7, 1e-10), "{m} lower: {x}·{f} vs {y}");
            }
        }
    }

    #[test]
    fn replicating_populations(c in case(), ordered in any::<bool>(), k in 2.0f64..50.0) {
        let g = build(&c, ordered, 100.0);
        let rep = Case { pop: c.pop.iter().map(|p| p * k).collect(), ..c.clone() };
        let h = build(&rep, ordered, 100.0);
        let o = Options::default();
        for m in measures(ordered) {
            let (Ok(a), Ok(b)) = (measure(m, &g, &o), measure(m, &h, &o)) else { continue };
            prop_assert!(close(a.value, b.value, 1e-8, 1e-12), "{m}: {} vs {}", a.value, b.value);
            // Walter's PAF/PAR SE depends on the population size by design.
            if !matches!(m, Measure::Paf | Measure::Par)
                && let (Some(x), Some(y)) = (a.se, b.se)
            {
                prop_assert!(close(x, y, 1e-6, 1e-12), "{m} se: {x} vs {y}");
            }
        }
    }
}

#[test]
fn same_seed_same_interval_and_level_respected() {
    let y = [91.2, 84.5, 77.3, 95.8, 88.1];
    let se = [1.4, 2.2, 2.9, 1.0, 1.9];
    let pop = [48_200.0, 31_500.0, 22_800.0, 65_400.0, 27_300.0];
    let g = Subgroups::new(&y)
        .se(&se)
        .population(&pop)
        .scale(100.0)
        .build()
        .unwrap();
    let o = Options {
        draws: 400,
        ..Options::default()
    };
    let a = measure(Measure::Mdmw, &g, &o).unwrap();
    let b = measure(Measure::Mdmw, &g, &o).unwrap();
    assert_eq!(a, b);
    let narrow = measure(Measure::Mdmw, &g, &Options { level: 0.5, ..o }).unwrap();
    assert!(narrow.lower.unwrap() > a.lower.unwrap() && narrow.upper.unwrap() < a.upper.unwrap());
    let other = measure(Measure::Mdmw, &g, &Options { seed: 7, ..o }).unwrap();
    assert_ne!(a.lower, other.lower);
}
