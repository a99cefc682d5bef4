//! Shared helpers for the integration tests: the tolerance policy and CSV access.
//!
//! Tolerance policy (written once, used everywhere):
//! - closed forms against reference vectors: relative 1e-9 ([`CLOSED_FORM`]);
//! - iterative fits (SII/RII logit): estimates 1e-8 ([`ITERATIVE`]);
//! - SEs from references that take numerical derivatives: 1e-5 ([`NUMERICAL_SE`]);
//! - quantities that are floating noise around zero: absolute 1e-12 ([`NOISE_ABS`]);
//! - Monte-Carlo limits: a bound derived from the number of draws, stated in the test.
#![allow(dead_code)]

use std::path::PathBuf;

pub const CLOSED_FORM: f64 = 1e-9;
pub const ITERATIVE: f64 = 1e-8;
pub const NUMERICAL_SE: f64 = 1e-5;
pub const NOISE_ABS: f64 = 1e-12;

/// `|a − b| ≤ rel·max(|a|, |b|)` or `|a − b| ≤ abs`.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a == b {
        return true;
    }
    let d = (a - b).abs();
    d <= abs || d <= rel * a.abs().max(b.abs())
}

/// Asserts closeness with a message that names what was compared.
#[track_caller]
pub fn assert_close(what: &str, ours: f64, reference: f64, rel: f64, abs: f64) {
    assert!(
        close(ours, reference, rel, abs),
        "{what}: ours {ours:.17e} vs reference {reference:.17e} (rel diff {:.3e})",
        (ours - reference).abs() / reference.abs().max(f64::MIN_POSITIVE)
    );
}

/// Path of a file in tests/data.
pub fn test_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Path of a file in ../shared, or `None` after printing a skip message (the
/// caller returns). With `JAMLIK_REQUIRE_SHARED=1` (set by `.ci/run`, where
/// ../shared is always beside the clone) an absent file fails the test instead.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        assert!(
            std::env::var("JAMLIK_REQUIRE_SHARED").as_deref() != Ok("1"),
            "{} is absent and JAMLIK_REQUIRE_SHARED=1: ../shared must be beside this checkout",
            p.display()
        );
        eprintln!(
            "skipping: {} is absent (../shared is not beside this checkout)",
            p.display()
        );
        None
    }
}

/// Parses an optional float from a CSV cell ("" and "NA" are None).
pub fn opt_f64(cell: &str) -> Option<f64> {
    match cell.trim() {
        "" | "NA" => None,
        "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        s => s.parse().ok(),
    }
}
