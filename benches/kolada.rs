//! Criterion bench of Kolada response parsing: one full 5000-row v3 page (T/K/M values).

use criterion::{Criterion, criterion_group, criterion_main};
use jamlik::data::kolada::parse::{ParseOptions, parse_data};
use std::fmt::Write as _;
use std::hint::black_box;

fn page(rows: usize) -> String {
    let mut s = String::from("{\"values\":[");
    for i in 0..rows {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"kpi":"N{:05}","municipality":"{:04}","period":{},"values":["#,
            i % 50,
            i % 290,
            2000 + i % 24
        );
        for (j, g) in ["T", "K", "M"].iter().enumerate() {
            let v = ((i * 7919 + j) % 10007) as f64 / 97.0;
            let sep = if j == 2 { "" } else { "," };
            let _ = write!(
                s,
                r#"{{"gender":"{g}","count":1,"status":"","value":{v}}}{sep}"#
            );
        }
        s.push_str("]}");
    }
    s.push_str("],\"count\":5000,\"next_url\":null}");
    s
}

fn bench_parse(c: &mut Criterion) {
    let text = page(5000);
    c.bench_function("kolada parse_data 5000 rows x 3 genders", |b| {
        b.iter(|| parse_data(black_box(&text), ParseOptions::default()));
    });
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
