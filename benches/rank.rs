//! Criterion bench of the shared weighted fractional rank.

use criterion::{Criterion, criterion_group, criterion_main};
use jamlik::rank::{Ties, fractional_rank};
use std::hint::black_box;

fn bench_rank(c: &mut Criterion) {
    let n: usize = 100_000;
    let keys: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64).collect();
    let w: Vec<f64> = (0..n).map(|i| 1.0 + (i % 7) as f64).collect();
    c.bench_function("fractional_rank 1e5 weighted", |b| {
        b.iter(|| fractional_rank(black_box(&keys), Some(black_box(&w)), Ties::Midpoint));
    });
}

criterion_group!(benches, bench_rank);
criterion_main!(benches);
