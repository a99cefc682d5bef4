//! Criterion benches of the goals area: demo generation, follow-up, progress.

use criterion::{Criterion, criterion_group, criterion_main};
use jamlik::data::{DemoData, DemoOptions, Geography};
use jamlik::goals::follow_up::{FollowUpOptions, follow_up, gaps};
use jamlik::goals::progress::{Term, eurostat};
use jamlik::goals::{Catalogue, Direction};
use std::hint::black_box;

fn bench_goals(c: &mut Criterion) {
    c.bench_function("demo dataset generate (144 144 rows)", |b| {
        b.iter(|| DemoData::generate(black_box(&DemoOptions::default())));
    });
    let geo = Geography::embedded().unwrap();
    let cat = Catalogue::shipped().unwrap();
    let demo = DemoData::generate(&DemoOptions::default()).unwrap();
    c.bench_function("follow_up one municipality", |b| {
        b.iter(|| {
            follow_up(
                &demo,
                &geo,
                &cat,
                black_box("1984"),
                &FollowUpOptions::default(),
            )
        });
    });
    let o = FollowUpOptions::default();
    let follow = follow_up(&demo, &geo, &cat, "1984", &o).unwrap();
    c.bench_function("gaps one municipality (IDISW/TI over 290)", |b| {
        b.iter(|| gaps(&demo, &demo, &geo, &cat, black_box(&follow), &o));
    });
    let s: Vec<(i32, f64)> = (0..14)
        .map(|i| (2010 + i, 80.0 + 0.3 * f64::from(i)))
        .collect();
    c.bench_function("eurostat short with target", |b| {
        b.iter(|| {
            eurostat(
                black_box(&s),
                Direction::HigherIsBetter,
                Some((90.0, 2030)),
                Term::Short,
                None,
            )
        });
    });
}

criterion_group!(benches, bench_goals);
criterion_main!(benches);
