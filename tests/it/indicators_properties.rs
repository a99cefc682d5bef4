//! Properties of the indicator statistics (proptest) and bad-input errors.

use jamlik::Error;
use jamlik::indicators::dsr::{DsrInput, DsrOptions, Standard, dsr, dsr_by};
use jamlik::indicators::life_table::{LifeTableOptions, STANDARD_20};
use jamlik::indicators::{
    Groups, SiiInput, SiiMethod, SiiOptions, StandardPopulation, life_expectancy,
    life_expectancy_by, proportion, quantiles, rate, sii,
};
use proptest::prelude::*;

fn esp_ages() -> Vec<f64> {
    StandardPopulation::esp2013().starts().to_vec()
}

fn dsr_value(count: &[f64], pop: &[f64], w: &[f64]) -> (f64, f64, f64) {
    let input = DsrInput {
        count,
        population: pop,
        standard: Standard::Weights(w),
        age_start: None,
        event_frequency: None,
    };
    let r = dsr(&input, &DsrOptions::default()).unwrap();
    let l = r.indicator.limits[0];
    (
        r.indicator.value.unwrap(),
        l.lower.unwrap(),
        l.upper.unwrap(),
    )
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Scaling every standard weight by c leaves the DSR unchanged.
    #[test]
    fn dsr_invariant_to_weight_scale(
        counts in prop::collection::vec(0u32..200, 19),
        pops in prop::collection::vec(100u32..100_000, 19),
        c in 0.001f64..1000.0,
    ) {
        let count: Vec<f64> = counts.iter().map(|&x| f64::from(x) + 1.0).collect();
        let pop: Vec<f64> = pops.iter().map(|&x| f64::from(x)).collect();
        let w = StandardPopulation::esp2013().weights().to_vec();
        let ws: Vec<f64> = w.iter().map(|x| x * c).collect();
        let a = dsr_value(&count, &pop, &w);
        let b = dsr_value(&count, &pop, &ws);
        prop_assert!(rel(a.0, b.0) < 1e-12 && rel(a.1, b.1) < 1e-12 && rel(a.2, b.2) < 1e-12);
    }

    /// Permuting the rows (bands) of a DSR or a life table changes nothing.
    #[test]
    fn band_order_does_not_matter(seed in 0u64..1000) {
        let ages = esp_ages();
        let count: Vec<f64> = (0..19).map(|i| f64::from(i) * 3.0 + 1.0 + (seed % 7) as f64).collect();
        let pop: Vec<f64> = (0..19).map(|i| 5000.0 + f64::from(i) * 100.0).collect();
        let mut perm: Vec<usize> = (0..19).collect();
        // Deterministic shuffle from the seed.
        let mut s = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        for i in (1..perm.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let pc: Vec<f64> = perm.iter().map(|&i| count[i]).collect();
        let pp: Vec<f64> = perm.iter().map(|&i| pop[i]).collect();
        let pa: Vec<f64> = perm.iter().map(|&i| ages[i]).collect();
        let esp = StandardPopulation::esp2013();
        let run = |c: &[f64], p: &[f64], a: &[f64]| {
            let input = DsrInput { count: c, population: p, standard: Standard::Population(&esp), age_start: Some(a), event_frequency: None };
            dsr(&input, &DsrOptions::default()).unwrap().indicator.value.unwrap()
        };
        prop_assert!(rel(run(&count, &pop, &ages), run(&pc, &pp, &pa)) < 1e-13);

        let lt_ages = STANDARD_20.to_vec();
        let d: Vec<f64> = (0..20).map(|i| 2.0 + f64::from(i * i)).collect();
        let p: Vec<f64> = (0..20).map(|_| 10_000.0).collect();
        let opts = LifeTableOptions::default();
        let base = life_expectancy(&d, &p, &lt_ages, &opts).unwrap();
        let rev_d: Vec<f64> = d.iter().rev().copied().collect();
        let rev_p: Vec<f64> = p.iter().rev().copied().collect();
        let rev_a: Vec<f64> = lt_ages.iter().rev().copied().collect();
        let rev = life_expectancy(&rev_d, &rev_p, &rev_a, &opts).unwrap();
        prop_assert_eq!(base, rev);
    }

    /// Wilson limits bracket the proportion and lie in [0, m].
    #[test]
    fn wilson_brackets(x in 0u32..500, extra in 0u32..500, m in prop::sample::select(vec![1.0, 100.0, 1000.0])) {
        let n = f64::from(x + extra + 1);
        let p = proportion(f64::from(x), n, &[0.9, 0.95, 0.998], m).unwrap();
        let v = p.value.unwrap();
        for l in &p.limits {
            prop_assert!(l.lower.unwrap() >= 0.0 && l.lower.unwrap() <= v + 1e-12);
            prop_assert!(l.upper.unwrap() <= m && l.upper.unwrap() >= v - 1e-12);
        }
        // Wider level, wider interval.
        prop_assert!(p.limits[2].lower.unwrap() <= p.limits[0].lower.unwrap());
    }

    /// Grouped DSR equals the DSR of each group computed alone (and replicating
    /// a frame does not change the per-group values).
    #[test]
    fn grouped_dsr_equals_single(groups in 1usize..6) {
        let w = StandardPopulation::esp2013().weights().to_vec();
        let mut count = vec![];
        let mut pop = vec![];
        let mut ws = vec![];
        let mut codes = vec![];
        for g in 0..groups {
            for (b, &wb) in w.iter().enumerate() {
                count.push((g * 7 + b) as f64 + 1.0);
                pop.push(1000.0 + (g * 100 + b * 10) as f64);
                ws.push(wb);
                codes.push(g as i64 * 11);
            }
        }
        let input = DsrInput { count: &count, population: &pop, standard: Standard::Weights(&ws), age_start: None, event_frequency: None };
        let res = dsr_by(&input, &Groups::from_codes(&codes).unwrap(), &DsrOptions::default()).unwrap();
        prop_assert_eq!(res.results.len(), groups);
        for g in 0..groups {
            let r = g * 19..(g + 1) * 19;
            let single = dsr_value(&count[r.clone()], &pop[r.clone()], &ws[r]);
            prop_assert_eq!(res.results[g].indicator.value.unwrap(), single.0);
        }
    }
}

#[test]
fn same_seed_same_sii_and_order_of_limits() {
    let q = [1.0, 2.0, 3.0, 4.0, 5.0];
    let pop = [1000.0, 1200.0, 900.0, 1100.0, 1000.0];
    let v = [0.30, 0.26, 0.22, 0.2, 0.15];
    let lo = [0.27, 0.23, 0.19, 0.17, 0.12];
    let hi = [0.33, 0.29, 0.25, 0.23, 0.18];
    let input = SiiInput {
        quantile: &q,
        population: &pop,
        value: &v,
        se: None,
        lower: Some(&lo),
        upper: Some(&hi),
        input_level: 0.95,
    };
    for (transform, m) in [
        (false, 1.0),
        (true, 1.0),
        (true, -100.0),
        (false, -1.0),
        (true, 0.5),
    ] {
        let opts = SiiOptions {
            value_type: jamlik::indicators::ValueType::Proportion,
            transform,
            multiplier: m,
            levels: vec![0.95, 0.998],
            method: SiiMethod::Simulation {
                draws: 2000,
                seed: 9,
            },
            min_quantiles: 5,
            ..SiiOptions::default()
        };
        let a = sii(&input, &opts).unwrap();
        let b = sii(&input, &opts).unwrap();
        assert_eq!(a, b);
        for (l, point) in a
            .sii_limits
            .iter()
            .map(|l| (l, a.sii))
            .chain(a.rii_limits.iter().map(|l| (l, a.rii)))
        {
            assert!(
                l.lower.unwrap() <= point && point <= l.upper.unwrap(),
                "{transform} {m}: {l:?} {point}"
            );
        }
        let an = sii(
            &input,
            &SiiOptions {
                method: SiiMethod::Analytic,
                ..opts.clone()
            },
        )
        .unwrap();
        assert_eq!(an.sii, a.sii);
        for l in an.sii_limits.iter().chain(&an.rii_limits) {
            assert!(l.lower.unwrap() <= l.upper.unwrap());
        }
    }
}

#[test]
fn bad_inputs_are_typed_errors_naming_the_argument() {
    let arg = |e: Error| match e {
        Error::OutOfDomain { arg, .. }
        | Error::OutOfBounds { arg, .. }
        | Error::InvalidLevel { arg, .. }
        | Error::InvalidArgument { arg, .. }
        | Error::Missing { arg, .. } => arg,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        arg(proportion(11.0, 10.0, &[0.95], 1.0).unwrap_err()),
        "count"
    );
    assert_eq!(
        arg(proportion(-1.0, 10.0, &[0.95], 1.0).unwrap_err()),
        "count"
    );
    assert_eq!(arg(rate(1.0, 0.0, &[0.95], 1e5).unwrap_err()), "population");
    assert_eq!(
        arg(rate(1.0, -5.0, &[0.95], 1e5).unwrap_err()),
        "population"
    );
    assert_eq!(arg(rate(1.0, 5.0, &[1.2], 1e5).unwrap_err()), "level");
    assert_eq!(arg(rate(1.0, 5.0, &[0.0], 1e5).unwrap_err()), "level");

    let ages = esp_ages();
    let esp = StandardPopulation::esp2013();
    let count = vec![5.0; 19];
    let mut pop = vec![1000.0; 19];
    let ok = |c: &[f64], p: &[f64], a: &[f64]| {
        let input = DsrInput {
            count: c,
            population: p,
            standard: Standard::Population(&esp),
            age_start: Some(a),
            event_frequency: None,
        };
        dsr(&input, &DsrOptions::default())
    };
    assert!(ok(&count, &pop, &ages).is_ok());
    pop[3] = 0.0;
    assert_eq!(arg(ok(&count, &pop, &ages).unwrap_err()), "population");
    pop[3] = 1000.0;
    let mut neg = count.clone();
    neg[0] = -1.0;
    assert_eq!(arg(ok(&neg, &pop, &ages).unwrap_err()), "count");
    let mut nan = count.clone();
    nan[0] = f64::NAN;
    assert_eq!(arg(ok(&nan, &pop, &ages).unwrap_err()), "count");
    // Missing youngest band.
    assert_eq!(
        arg(ok(&count[1..], &pop[1..], &ages[1..]).unwrap_err()),
        "age_band"
    );
    // Repeated band.
    let mut dup = ages.clone();
    dup[5] = dup[4];
    assert_eq!(arg(ok(&count, &pop, &dup).unwrap_err()), "age_band");

    // Suppression is a documented result, not an error or NaN.
    let few = vec![0.0; 19];
    let mut few2 = few.clone();
    few2[10] = 9.0;
    let r = ok(&few2, &pop, &ages).unwrap();
    assert_eq!(r.indicator.value, None);
    assert!(r.indicator.note.unwrap().contains("below 10"));

    // Life tables: missing band, deaths above population, non-monotone duplicates.
    let d = vec![10.0; 20];
    let p = vec![10_000.0; 20];
    let opts = LifeTableOptions::default();
    assert!(life_expectancy(&d, &p, &STANDARD_20, &opts).is_ok());
    assert_eq!(
        arg(life_expectancy(&d[..19], &p[..19], &STANDARD_20[..19], &opts).unwrap_err()),
        "age_band"
    );
    let mut big = d.clone();
    big[4] = 20_000.0;
    assert_eq!(
        arg(life_expectancy(&big, &p, &STANDARD_20, &opts).unwrap_err()),
        "count"
    );
    let mut dup = STANDARD_20.to_vec();
    dup[7] = dup[6];
    assert_eq!(
        arg(life_expectancy(&d, &p, &dup, &opts).unwrap_err()),
        "age_band"
    );
    let bad_level = LifeTableOptions {
        levels: vec![1.0],
        ..LifeTableOptions::default()
    };
    assert_eq!(
        arg(life_expectancy(&d, &p, &STANDARD_20, &bad_level).unwrap_err()),
        "level"
    );
    // Small population: documented suppression.
    let small = vec![200.0; 20];
    let rows = life_expectancy(&[1.0; 20], &small, &STANDARD_20, &opts).unwrap();
    assert!(
        rows.iter()
            .all(|r| r.indicator.value.is_none() && r.indicator.note.is_some())
    );
    let off = LifeTableOptions {
        min_population: None,
        max_ci_width: None,
        ..LifeTableOptions::default()
    };
    assert!(
        life_expectancy(&[1.0; 20], &small, &STANDARD_20, &off).unwrap()[0]
            .indicator
            .value
            .is_some()
    );
    assert!(quantiles(&[1.0, 2.0], 1, true).is_err());
}

#[test]
fn swedish_layouts_work() {
    // 0, 1–4, five-year bands to 85+ (19 bands) and to 95+ (21 bands).
    for last in [85.0, 90.0, 95.0] {
        let mut ages = vec![0.0, 1.0];
        let mut a = 5.0;
        while a <= last {
            ages.push(a);
            a += 5.0;
        }
        let k = ages.len();
        let d: Vec<f64> = (0..k).map(|i| 3.0 + (i * i) as f64 * 2.0).collect();
        let p = vec![20_000.0; k];
        let opts = LifeTableOptions {
            layout: Some(ages.clone()),
            ..LifeTableOptions::default()
        };
        let g = Groups::from_codes(&vec![0; k]).unwrap();
        let res = life_expectancy_by(&d, &p, &ages, &g, &opts).unwrap();
        assert_eq!(res.results[0].len(), k);
        assert!(res.results[0][0].indicator.value.unwrap() > 40.0);
        // ESP2013 serves the same layout for a DSR.
        let w = StandardPopulation::esp2013_detailed()
            .weights_for(&ages)
            .unwrap();
        assert!((w.iter().sum::<f64>() - 100_000.0).abs() < 1e-9);
    }
}

#[test]
fn columnar_counts_are_bitwise_equal_on_1_2_and_8_threads() {
    use jamlik::indicators::{CountOptions, proportion_columns, rate_columns};
    // Enough rows for many parallel chunks, with counts below and above 10.
    let n = 100_003;
    let pop: Vec<f64> = (0..n).map(|i| 30.0 + f64::from(i % 1013)).collect();
    let x: Vec<f64> = (0..n).map(|i| f64::from((i * 37) % 29)).collect();
    let opts = CountOptions {
        levels: vec![0.95, 0.998],
        ..CountOptions::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (
                proportion_columns(&x, &pop, None, &opts).unwrap(),
                rate_columns(&x, &pop, None, &opts).unwrap(),
            )
        })
    };
    let bits = |c: &jamlik::indicators::CountColumns| -> Vec<u64> {
        c.value
            .iter()
            .chain(c.lower.iter().flatten())
            .chain(c.upper.iter().flatten())
            .chain(&c.count)
            .chain(&c.population)
            .map(|v| v.to_bits())
            .collect()
    };
    let (p1, r1) = run(1);
    for threads in [2, 8] {
        let (p, r) = run(threads);
        assert_eq!(bits(&p), bits(&p1), "proportions on {threads} threads");
        assert_eq!(bits(&r), bits(&r1), "rates on {threads} threads");
        assert_eq!(r.method, r1.method);
    }
}
