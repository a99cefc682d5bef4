//! DSR and life expectancy for 290 municipalities × 20 years × 3 sexes
//! (17 400 groups) in one call each. Target: under 50 ms per call.

use criterion::{Criterion, criterion_group, criterion_main};
use jamlik::indicators::dsr::{DsrInput, DsrOptions, Standard, dsr_by};
use jamlik::indicators::life_table::{LifeTableOptions, STANDARD_20};
use jamlik::indicators::{Groups, StandardPopulation, life_expectancy_by, life_tables_by};
use std::hint::black_box;

const GROUPS: usize = 290 * 20 * 3;

/// Deterministic pseudo-random numbers (no dependency on an RNG crate's stream).
fn lcg(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 11) as f64) / ((1u64 << 53) as f64)
}

fn frame(ages: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<i64>) {
    let mut s = 42;
    let k = ages.len();
    let mut deaths = Vec::with_capacity(GROUPS * k);
    let mut pop = Vec::with_capacity(GROUPS * k);
    let mut age = Vec::with_capacity(GROUPS * k);
    let mut codes = Vec::with_capacity(GROUPS * k);
    for g in 0..GROUPS {
        let size = 2_000.0 + 60_000.0 * lcg(&mut s);
        for &a in ages {
            let p = (size / k as f64 * (0.5 + lcg(&mut s))).round().max(1.0);
            let m = 0.0005 * (0.085 * a).exp();
            deaths.push((p * m * (0.5 + lcg(&mut s))).round().min(p));
            pop.push(p);
            age.push(a);
            codes.push(g as i64);
        }
    }
    (deaths, pop, age, codes)
}

fn bench(c: &mut Criterion) {
    let esp = StandardPopulation::esp2013();
    let (count, pop, age, codes) = frame(esp.starts());
    let groups = Groups::from_codes(&codes).unwrap();
    let opts = DsrOptions {
        levels: vec![0.95, 0.998],
        ..DsrOptions::default()
    };
    c.bench_function("dsr_17400_groups", |b| {
        b.iter(|| {
            let g = Groups::from_codes(black_box(&codes)).unwrap();
            let input = DsrInput {
                count: &count,
                population: &pop,
                standard: Standard::Population(&esp),
                age_start: Some(&age),
                event_frequency: None,
            };
            black_box(dsr_by(&input, &g, &opts).unwrap())
        });
    });
    let _ = groups;
    let (deaths, lpop, lage, lcodes) = frame(&STANDARD_20);
    let lopts = LifeTableOptions {
        levels: vec![0.95, 0.998],
        ..LifeTableOptions::default()
    };
    // Columnar result (what the Python binding uses).
    c.bench_function("life_tables_17400_groups", |b| {
        b.iter(|| {
            let g = Groups::from_codes(black_box(&lcodes)).unwrap();
            black_box(life_tables_by(&deaths, &lpop, &lage, &g, &lopts).unwrap())
        });
    });
    // The same as one `Vec<LifeTableRow>` per group (one allocation per row).
    c.bench_function("life_expectancy_17400_groups", |b| {
        b.iter(|| {
            let g = Groups::from_codes(black_box(&lcodes)).unwrap();
            black_box(life_expectancy_by(&deaths, &lpop, &lage, &g, &lopts).unwrap())
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
