//! What bounds the concentration index at register scale: one sort of the
//! ranking keys is the floor. Times, side by side in one run (best of 5), a
//! bare `sort_unstable` of the 10^7 keys' order-preserving u64 bits (single
//! thread and rayon's parallel sort), the weighted concentration index with
//! its linearised SE, and the Gini (unweighted and weighted), for a
//! continuous ranking variable and for one with 100 distinct values (many
//! ties). Prints markdown table rows. Run: `cargo bench --bench sort_floor`.

use jamlik::measures::microdata::{
    ConcentrationOptions, Design, GiniOptions, concentration_index, gini,
};
use rayon::slice::ParallelSliceMut;
use std::hint::black_box;
use std::time::Instant;

fn uniforms(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

/// Order-preserving bits of a finite f64 (as the crate's rank module).
fn bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

fn best<T>(f: impl Fn() -> T) -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let n = 10_000_000;
    let u = uniforms(n, 0x9E37_79B9_7F4A_7C15);
    let e = uniforms(n, 0x2545_F491_4F6C_DD1D);
    let w: Vec<f64> = uniforms(n, 0xD1B5_4A32_D192_ED03)
        .iter()
        .map(|v| 0.5 + 2.5 * v)
        .collect();
    let continuous: Vec<f64> = u.iter().map(|v| (3.0 * v).exp() * 10_000.0).collect();
    let tied: Vec<f64> = u.iter().map(|v| (v * 100.0).floor()).collect();
    println!(
        "| ranking variable, n = 10^7 | sort_unstable u64 keys (1 thread / rayon) | CI + linearised SE, weighted | Gini + SE unweighted / weighted |"
    );
    println!("|---|---|---|---|");
    for (name, x) in [("continuous", &continuous), ("100 distinct values", &tied)] {
        let keys: Vec<u64> = x.iter().map(|&v| bits(v)).collect();
        let sort1 = best(|| {
            let mut k = keys.clone();
            k.sort_unstable();
            k
        });
        let sort2 = best(|| {
            let mut k = keys.clone();
            k.par_sort_unstable();
            k
        });
        let h: Vec<f64> = x.iter().zip(&e).map(|(v, e)| 1.0 + v.ln_1p() + e).collect();
        let o = ConcentrationOptions::default();
        let ci = best(|| {
            concentration_index(
                &h,
                x,
                Design {
                    weights: Some(&w),
                    ..Design::default()
                },
                &o,
            )
        });
        let g = GiniOptions::default();
        let gu = best(|| gini(x, Design::default(), &g));
        let gw = best(|| {
            gini(
                x,
                Design {
                    weights: Some(&w),
                    ..Design::default()
                },
                &g,
            )
        });
        println!("| {name} | {sort1:.3} s / {sort2:.3} s | {ci:.3} s | {gu:.3} s / {gw:.3} s |");
    }
}
