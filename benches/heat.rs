//! Criterion benches of the HEAT measures: the 21-measure set on one
//! 5-subgroup case, and HEAT summaries of 100,000 cases in one call.

use criterion::{Criterion, criterion_group, criterion_main};
use jamlik::measures::heat::{
    Measure, Options, Subgroups, SummaryColumns, measure, summarise, summarise_groups,
};
use std::hint::black_box;

const Y: [f64; 5] = [38.2, 45.6, 51.9, 60.3, 71.4];
const SE: [f64; 5] = [2.41, 2.27, 2.18, 2.05, 1.87];
const POP: [f64; 5] = [212_400.0, 198_700.0, 187_300.0, 176_900.0, 160_200.0];
const ORDER: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
const REF: [f64; 5] = [0.0, 0.0, 0.0, 0.0, 1.0];

fn one_case(c: &mut Criterion) {
    let g = Subgroups::new(&Y)
        .se(&SE)
        .population(&POP)
        .subgroup_order(&ORDER)
        .reference_flags(&REF)
        .setting_average(53.0)
        .scale(100.0)
        .build()
        .unwrap();
    let o = Options::default();
    c.bench_function("heat all 21 measures, one 5-subgroup case", |b| {
        b.iter(|| {
            for m in Measure::ALL {
                black_box(measure(m, black_box(&g), &o).unwrap());
            }
        });
    });
    let nonordered = Subgroups::new(&Y)
        .se(&SE)
        .population(&POP)
        .reference_flags(&REF)
        .scale(100.0)
        .build()
        .unwrap();
    c.bench_function("heat summary, one ordered 5-subgroup case", |b| {
        b.iter(|| black_box(summarise(black_box(&g), &o).unwrap()));
    });
    c.bench_function("heat summary, one non-ordered 5-subgroup case", |b| {
        b.iter(|| black_box(summarise(black_box(&nonordered), &o).unwrap()));
    });
}

fn many_cases(c: &mut Criterion) {
    let cases = 100_000usize;
    let n = cases * 5;
    let mut group = Vec::with_capacity(n);
    let mut est = Vec::with_capacity(n);
    let mut se = Vec::with_capacity(n);
    let mut pop = Vec::with_capacity(n);
    let mut order = Vec::with_capacity(n);
    let mut ordered = Vec::with_capacity(n);
    let mut reference = Vec::with_capacity(n);
    for k in 0..cases {
        let shift = (k % 97) as f64 / 10.0;
        for j in 0..5 {
            group.push(k as i64);
            est.push(Y[j] + shift);
            se.push(SE[j]);
            pop.push(POP[j] + (k % 13) as f64);
            order.push(ORDER[j]);
            ordered.push(if k % 2 == 0 { 1.0 } else { 0.0 });
            reference.push(REF[j]);
        }
    }
    let scale = vec![100.0; n];
    let cols = SummaryColumns {
        group: Some(&group),
        estimate: &est,
        se: Some(&se),
        population: Some(&pop),
        subgroup_order: Some(&order),
        ordered: Some(&ordered),
        reference: Some(&reference),
        scale: Some(&scale),
        ..SummaryColumns::default()
    };
    let o = Options::default();
    let mut g = c.benchmark_group("heat many cases");
    g.sample_size(10);
    g.bench_function("summary of 100,000 cases (half ordered), one call", |b| {
        b.iter(|| black_box(summarise_groups(black_box(&cols), &o).unwrap()));
    });
    // No ordered_dimension column: ordering decided per case from the
    // subgroup order (0 on every row of the non-ordered half).
    let implicit: Vec<f64> = order
        .iter()
        .zip(&ordered)
        .map(|(&o, &flag)| if flag == 1.0 { o } else { 0.0 })
        .collect();
    let per_case = SummaryColumns {
        subgroup_order: Some(&implicit),
        ordered: None,
        ..cols
    };
    g.bench_function(
        "summary of 100,000 cases (half ordered, decided per case), one call",
        |b| {
            b.iter(|| black_box(summarise_groups(black_box(&per_case), &o).unwrap()));
        },
    );
    g.finish();
}

criterion_group!(benches, one_case, many_cases);
criterion_main!(benches);
