//! Criterion benches of the weighted concentration index with its linearized
//! SE (the register-scale path) and the Gini, at 1e5, 1e6 and 1e7 rows.
//! Sample sizes are kept small at 1e7 so `cargo bench` stays reasonable.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jamlik::measures::microdata::{
    ConcentrationOptions, Design, GiniOptions, SeMethod, concentration_index, gini,
};
use std::hint::black_box;

fn data(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let x: Vec<f64> = (0..n).map(|_| (3.0 * next()).exp() * 10_000.0).collect();
    let h: Vec<f64> = x
        .iter()
        .map(|v| 1.0 + (v / 10_000.0).ln() + next())
        .collect();
    let w: Vec<f64> = (0..n).map(|_| 0.5 + next()).collect();
    (h, x, w)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("microdata");
    for &n in &[100_000usize, 1_000_000, 10_000_000] {
        let (h, x, w) = data(n);
        group.sample_size(if n >= 10_000_000 { 10 } else { 20 });
        let design = Design {
            weights: Some(&w),
            ..Default::default()
        };
        let lin = ConcentrationOptions::default();
        let none = ConcentrationOptions {
            se: SeMethod::None,
            ..Default::default()
        };
        let gini_none = GiniOptions {
            se: SeMethod::None,
            ..Default::default()
        };
        group.bench_with_input(
            BenchmarkId::new("ci_weighted_linearized_se", n),
            &n,
            |b, _| {
                b.iter(|| concentration_index(black_box(&h), black_box(&x), design, &lin));
            },
        );
        group.bench_with_input(BenchmarkId::new("ci_weighted_no_se", n), &n, |b, _| {
            b.iter(|| concentration_index(black_box(&h), black_box(&x), design, &none));
        });
        group.bench_with_input(BenchmarkId::new("gini_weighted", n), &n, |b, _| {
            b.iter(|| gini(black_box(&x), design, &gini_none));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
