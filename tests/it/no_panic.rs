//! No public function panics on hostile input: NaN, ±inf, −0, empty and
//! one-element columns, magnitudes from 1e-300 to 1e300, zero and negative
//! weights and populations, and columns of mismatched lengths. Every call
//! returns `Ok` or a typed `Err`; a panic fails the test (no `catch_unwind`).
//! The Python fuzz (`tests/python/test_fuzz.py`) covers the bindings.

use jamlik::MissingPolicy;
use jamlik::indicators::{self, Groups};
use jamlik::measures::heat::{self, Measure, Subgroups};
use jamlik::measures::microdata::{
    self, ConcentrationOptions, Design, GiniOptions, InequalityOptions, Kind, SeMethod,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// One number from the classes that break naive code.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-300,
            -1e-300,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            f64::MAX,
            0.5,
        ]),
        2 => -1e6f64..1e6,
        1 => 1e-300f64..1e300,
    ]
}

/// A column of `n` numbers, or (one time in five) of another length.
fn column(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        4 => prop::collection::vec(number(), n),
        1 => prop::collection::vec(number(), 0..6),
    ]
}

/// A common length (empty and one element often) and three columns of it.
fn columns() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    prop_oneof![Just(0usize), Just(1usize), Just(2usize), 3usize..12]
        .prop_flat_map(|n| (column(n), column(n), column(n)))
}

fn codes(n: usize) -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        4 => prop::collection::vec(prop_oneof![0i64..4, Just(-1i64), Just(i64::MAX)], n),
        1 => prop::collection::vec(0i64..3, 0..6),
    ]
}

fn missing() -> impl Strategy<Value = MissingPolicy> {
    prop::sample::select(vec![
        MissingPolicy::Error,
        MissingPolicy::Drop,
        MissingPolicy::Zero,
    ])
}

fn level() -> impl Strategy<Value = f64> {
    prop::sample::select(vec![0.95, 0.5, 0.0, 1.0, -0.1, 95.0, f64::NAN])
}

fn config() -> Config {
    Config {
        cases: 1024,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every HEAT measure on one random table of subgroups, with random options.
    #[test]
    fn heat_measures(
        (estimate, se, population) in columns(),
        order in column(4),
        favourable in any::<bool>(),
        scale in prop::option::of(number()),
        bounds in prop::option::of((number(), number())),
        draws in prop_oneof![Just(0usize), Just(2usize), Just(20usize)],
        level in level(),
        missing in missing(),
        seed in any::<u64>(),
    ) {
        let mut b = Subgroups::new(&estimate)
            .se(&se)
            .population(&population)
            .favourable(favourable)
            .missing(missing);
        if order.len() == estimate.len() {
            b = b.subgroup_order(&order);
        }
        if let Some(s) = scale {
            b = b.scale(s);
        }
        if let Some((lo, hi)) = bounds {
            b = b.bounds(lo, hi);
        }
        if let Ok(g) = b.build() {
            let o = heat::Options { level, draws, seed, ..heat::Options::default() };
            for m in Measure::ALL {
                let _ = heat::measure(m, &g, &o);
            }
        }
    }

    /// The microdata inequality indices with weights, clusters and strata.
    #[test]
    fn microdata_inequality(
        (values, weights, other) in columns(),
        cluster in codes(6),
        alpha in number(),
        level in level(),
        missing in missing(),
    ) {
        let w = Some(weights.as_slice());
        let cl = (cluster.len() == values.len()).then_some(cluster.as_slice());
        let design = Design { weights: w, cluster: cl, strata: None };
        let io = InequalityOptions { level, missing, ..InequalityOptions::default() };
        let go = GiniOptions { level, missing, ..GiniOptions::default() };
        let _ = microdata::gini(&values, design, &go);
        let _ = microdata::theil(&values, design, &io);
        let _ = microdata::mld(&values, design, &io);
        let _ = microdata::atkinson(&values, alpha, design, &io);
        let _ = microdata::generalized_entropy(&values, alpha, design, &io);
        let _ = microdata::hoover(&values, design, &io);
        let _ = microdata::palma(&values, design, &io);
        let _ = microdata::quantile_share_ratio(&values, alpha, 0.8, design, &io);
        let _ = microdata::kakwani(&values, &other, design, &io);
        let groups: Vec<i64> = (0..values.len() as i64).map(|i| i % 3).collect();
        let _ = microdata::theil_decomposition(&values, &groups, w, missing);
        let _ = microdata::mld_decomposition(&values, &cluster, w, missing);
    }

    /// Concentration indices of every kind, their comparison and decomposition.
    #[test]
    fn microdata_concentration(
        (outcome, rank_by, weights) in columns(),
        group in codes(6),
        lower in number(),
        kind in prop::sample::select(vec![
            Kind::Standard, Kind::Generalized, Kind::Wagstaff, Kind::Erreygers,
            Kind::Modified, Kind::ModifiedConindex,
        ]),
        se in prop::sample::select(vec![SeMethod::None, SeMethod::Linearized]),
        missing in missing(),
    ) {
        let design = Design { weights: Some(&weights), cluster: None, strata: None };
        let limits = Some(microdata::OutcomeBounds { lower, upper: Some(lower + 10.0) });
        let o = ConcentrationOptions { kind, se, limits, missing, ..ConcentrationOptions::default() };
        let _ = microdata::concentration_index(&outcome, &rank_by, design, &o);
        let _ = microdata::compare_concentration(&outcome, &rank_by, &group, design, &o);
        let _ = microdata::decompose_concentration_index(
            &outcome, &[&weights], &rank_by, None, missing,
        );
        let _ = microdata::decompose_concentration_index(&outcome, &[], &rank_by, None, missing);
    }

    /// Rates, proportions and means of single values and of groups.
    #[test]
    fn indicators_counts(
        (count, population, values) in columns(),
        multiplier in number(),
        level in level(),
        nq in prop_oneof![Just(0usize), Just(1usize), 2usize..12, Just(usize::MAX)],
    ) {
        let levels = [level];
        for (&c, &p) in count.iter().zip(&population) {
            let _ = indicators::rate(c, p, &levels, multiplier);
            let _ = indicators::proportion(c, p, &levels, multiplier);
        }
        let _ = indicators::mean(&values, &levels);
        let _ = indicators::quantiles(&values, nq, true);
        let g = Groups::single(values.len());
        let _ = indicators::quantiles_by(&values, &g, nq, &[false], MissingPolicy::Drop);
    }

    /// The funnel axis with hostile bounds and point counts (huge counts are an
    /// error, not an abort: fallible allocation).
    #[test]
    fn funnel_axis(
        min in number(),
        max in number(),
        points in prop_oneof![0usize..5, Just(1_000usize), Just(usize::MAX), Just(1usize << 60)],
    ) {
        let _ = indicators::funnel::axis(min, max, points);
    }
}
