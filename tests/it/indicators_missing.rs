//! The `missing` policy of the indicator functions: one meaning everywhere,
//! only the policies a function offers, and error messages that suggest only
//! those.

use jamlik::MissingPolicy;
use jamlik::indicators::dsr::{DsrInput, DsrOptions, Standard, dsr_by};
use jamlik::indicators::funnel::{FunnelData, FunnelOptions, Points, funnel_limits};
use jamlik::indicators::life_table::STANDARD_20;
use jamlik::indicators::{
    CountOptions, Groups, IsrInput, IsrOptions, LifeTableOptions, MeanOptions, StandardPopulation,
    isr_by, life_tables_by, mean_by, proportion_by, rate_by,
};
use jamlik::{Error, MissingOptions};

fn options_of(e: &Error) -> MissingOptions {
    match e {
        Error::Missing { options, .. } => *options,
        other => panic!("expected a missing-value error, got {other:?}"),
    }
}

#[test]
fn counts_offer_error_and_drop_only() {
    let count = [1.0, f64::NAN, 3.0, 4.0];
    let population = [10.0, 10.0, 10.0, f64::NAN];
    let groups = Groups::from_codes(&[0, 0, 1, 1]).unwrap();
    let err = proportion_by(&count, &population, &groups, &CountOptions::default()).unwrap_err();
    assert_eq!(options_of(&err), MissingOptions::Drop);
    let msg = err.to_string();
    assert!(msg.contains("`count`") && msg.contains("row 1"), "{msg}");
    assert!(
        msg.contains("missing=\"drop\"") && !msg.contains("zero"),
        "{msg}"
    );
    // Drop: group 0 keeps row 0, group 1 keeps row 2.
    let drop = CountOptions {
        missing: MissingPolicy::Drop,
        ..CountOptions::default()
    };
    let r = proportion_by(&count, &population, &groups, &drop).unwrap();
    assert_eq!(r.first_row, vec![0, 2]);
    assert_eq!((r.results[0].count, r.results[0].population), (1.0, 10.0));
    assert_eq!((r.results[1].count, r.results[1].population), (3.0, 10.0));
    // Zero is not offered: a missing population is not a zero count.
    let zero = CountOptions {
        missing: MissingPolicy::Zero,
        ..CountOptions::default()
    };
    let err = rate_by(&count, &population, &groups, &zero).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { arg: "missing", .. }),
        "{err:?}"
    );
    // A group whose every row is dropped gives no result.
    let all_missing = [f64::NAN, f64::NAN, 3.0, 4.0];
    let r = rate_by(&all_missing, &[10.0; 4], &groups, &drop).unwrap();
    assert_eq!(r.first_row, vec![2]);
    assert_eq!(r.results[0].count, 7.0);
}

#[test]
fn mean_drops_missing_values() {
    let v = [1.0, f64::NAN, 3.0];
    let g = Groups::single(3);
    let err = mean_by(&v, &g, &MeanOptions::default()).unwrap_err();
    assert_eq!(options_of(&err), MissingOptions::Drop);
    let opts = MeanOptions {
        missing: MissingPolicy::Drop,
        ..MeanOptions::default()
    };
    let m = mean_by(&v, &g, &opts).unwrap();
    assert_eq!(m.results[0].indicator.value, Some(2.0));
    assert_eq!(m.results[0].n, 2);
}

#[test]
fn dsr_offers_zero_for_counts_but_not_populations() {
    let esp = StandardPopulation::esp2013();
    let ages = esp.starts().to_vec();
    let mut count = vec![20.0; 19];
    count[4] = f64::NAN;
    let mut population = vec![1000.0; 19];
    let run = |c: &'_ [f64], p: &'_ [f64], missing: MissingPolicy| {
        let input = DsrInput {
            count: c,
            population: p,
            standard: Standard::Population(&esp),
            age_start: Some(&ages),
            event_frequency: None,
        };
        let opts = DsrOptions {
            missing,
            ..DsrOptions::default()
        };
        dsr_by(&input, &Groups::single(c.len()), &opts).map(|r| r.results[0].count)
    };
    // A missing count: the error suggests drop and zero; zero counts it as 0.
    let e = run(&count, &population, MissingPolicy::Error).unwrap_err();
    assert_eq!(options_of(&e), MissingOptions::DropOrZero);
    assert!(e.to_string().contains("missing=\"zero\""), "{e}");
    assert_eq!(
        run(&count, &population, MissingPolicy::Zero).unwrap(),
        18.0 * 20.0
    );
    // A missing population is not filled in by "zero", and "zero" is not suggested.
    population[2] = f64::NAN;
    count[4] = 20.0;
    let e = run(&count, &population, MissingPolicy::Zero).unwrap_err();
    assert_eq!(options_of(&e), MissingOptions::Drop);
    assert!(
        e.to_string().contains("`population`") && !e.to_string().contains("zero"),
        "{e}"
    );
}

#[test]
fn isr_zero_and_drop() {
    let input = IsrInput {
        count: &[5.0, f64::NAN],
        population: &[1000.0, 1000.0],
        reference_count: &[10.0, 10.0],
        reference_population: &[1000.0, 1000.0],
    };
    let g = Groups::single(2);
    let err = isr_by(&input, &g, &IsrOptions::default()).unwrap_err();
    assert_eq!(options_of(&err), MissingOptions::DropOrZero);
    let zero = isr_by(
        &input,
        &g,
        &IsrOptions {
            missing: MissingPolicy::Zero,
            ..IsrOptions::default()
        },
    )
    .unwrap();
    let drop = isr_by(
        &input,
        &g,
        &IsrOptions {
            missing: MissingPolicy::Drop,
            ..IsrOptions::default()
        },
    )
    .unwrap();
    // Zero: E = 20, O = 5; drop: E = 10, O = 5.
    assert_eq!(zero.results[0].expected, 20.0);
    assert_eq!(drop.results[0].expected, 10.0);
    assert_eq!(zero.results[0].count, 5.0);
}

#[test]
fn life_table_zero_deaths_and_drop_leaves_a_band_missing() {
    let mut deaths: Vec<f64> = (0..20).map(|i| 5.0 + 3.0 * f64::from(i).powi(2)).collect();
    let population = vec![20_000.0; 20];
    let g = Groups::single(20);
    let reference = deaths.clone();
    deaths[3] = f64::NAN;
    let err = life_tables_by(
        &deaths,
        &population,
        &STANDARD_20,
        &g,
        &LifeTableOptions::default(),
    )
    .unwrap_err();
    assert_eq!(options_of(&err), MissingOptions::DropOrZero);
    let zero = LifeTableOptions {
        missing: MissingPolicy::Zero,
        ..LifeTableOptions::default()
    };
    let t = life_tables_by(&deaths, &population, &STANDARD_20, &g, &zero).unwrap();
    let mut zeroed = reference.clone();
    zeroed[3] = 0.0;
    let u = life_tables_by(
        &zeroed,
        &population,
        &STANDARD_20,
        &g,
        &LifeTableOptions::default(),
    )
    .unwrap();
    assert_eq!(t.value_nan(), u.value_nan());
    assert_eq!(t.count()[0], zeroed.iter().sum::<f64>());
    let drop = LifeTableOptions {
        missing: MissingPolicy::Drop,
        ..LifeTableOptions::default()
    };
    let err = life_tables_by(&deaths, &population, &STANDARD_20, &g, &drop).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                arg: "age_band",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn funnel_drops_areas() {
    let data = FunnelData {
        count: &[10.0, f64::NAN, 30.0],
        population: Some(&[100.0, 100.0, 200.0]),
        ..FunnelData::default()
    };
    let err = funnel_limits(&data, Points::Count(10), &FunnelOptions::default()).unwrap_err();
    assert_eq!(options_of(&err), MissingOptions::Drop);
    let f = funnel_limits(
        &data,
        Points::Count(10),
        &FunnelOptions {
            missing: MissingPolicy::Drop,
            ..FunnelOptions::default()
        },
    )
    .unwrap();
    assert!((f.baseline - 40.0 / 300.0 * 100.0).abs() < 1e-12);
    assert_eq!(f.x.len(), 10);
}
