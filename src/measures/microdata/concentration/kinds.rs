//! Limits of bounded outcomes, each kind's value and its chain-rule
//! constants, and the rank-weighted (extended, symmetric) kinds.

use super::{Kind, OutcomeBounds};
use crate::error::{Error, Result};
use crate::rank::sample::{SampleRecord, SortedSample};
use crate::stats::CompensatedSum;

/// Point value and linearization constants of one index kind.
pub(super) struct KindValue {
    pub value: f64,
    /// Index = `scale·GC` for the GC-based kinds (convenient-regression factor `K`).
    pub scale: f64,
    /// Chain rule: `z = A·z_GC + B·(h − μ)`.
    pub a: f64,
    pub b: f64,
}

pub(super) fn check_limits(
    kind: Kind,
    limits: Option<OutcomeBounds>,
    h: &[f64],
) -> Result<(Option<f64>, Option<f64>)> {
    let (lo, hi) = match limits {
        None => (None, None),
        Some(l) => {
            if !l.lower.is_finite() {
                return Err(Error::invalid("limits", "the lower limit must be finite"));
            }
            if let Some(u) = l.upper {
                if !(u.is_finite() && u > l.lower) {
                    return Err(Error::invalid(
                        "limits",
                        format!("need lower < upper (both finite), got ({}, {u})", l.lower),
                    ));
                }
            }
            (Some(l.lower), l.upper)
        }
    };
    let needs_both = matches!(kind, Kind::Wagstaff | Kind::Erreygers);
    let needs_lower = matches!(kind, Kind::Modified | Kind::ModifiedConindex);
    if needs_both && hi.is_none() {
        return Err(Error::invalid(
            "limits",
            format!(
                "kind={:?} needs limits=(lower, upper), the theoretical bounds of the outcome",
                kind.name()
            ),
        ));
    }
    if needs_lower && lo.is_none() {
        return Err(Error::invalid(
            "limits",
            format!(
                "kind={:?} needs limits=(lower,), the theoretical minimum of the outcome",
                kind.name()
            ),
        ));
    }
    if let Some(a) = lo {
        let b = hi.unwrap_or(f64::INFINITY);
        if let Some((index, &value)) = h.iter().enumerate().find(|(_, v)| **v < a || **v > b) {
            return Err(Error::OutOfBounds {
                arg: "outcome",
                index,
                value,
                lower: a,
                upper: b,
            });
        }
    }
    Ok((lo, hi))
}

pub(super) fn kind_value(
    kind: Kind,
    gc: f64,
    mu: f64,
    lo: Option<f64>,
    hi: Option<f64>,
) -> Result<KindValue> {
    let zero_mean = || Error::ZeroMean {
        arg: "outcome",
        what: format!("concentration index ({})", kind.name()),
    };
    let a = lo.unwrap_or(0.0);
    let b = hi.unwrap_or(f64::INFINITY);
    Ok(match kind {
        Kind::Standard => {
            if mu == 0.0 {
                return Err(zero_mean());
            }
            let c = gc / mu;
            KindValue {
                value: c,
                scale: 1.0 / mu,
                a: 1.0 / mu,
                b: -c / mu,
            }
        }
        Kind::Generalized => KindValue {
            value: gc,
            scale: 1.0,
            a: 1.0,
            b: 0.0,
        },
        Kind::Erreygers => {
            let s = 4.0 / (b - a);
            KindValue {
                value: s * gc,
                scale: s,
                a: s,
                b: 0.0,
            }
        }
        Kind::Wagstaff => {
            if mu == a || mu == b {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals a limit, so the Wagstaff index (which divides by (μ−a)(b−μ)) is undefined".into(),
                });
            }
            let s = (b - a) / ((mu - a) * (b - mu));
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: v * (1.0 / (b - mu) - 1.0 / (mu - a)),
            }
        }
        Kind::Modified => {
            if mu == a {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals the lower limit, so the modified index (which divides by μ−a) is undefined".into(),
                });
            }
            let s = 1.0 / (mu - a);
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: -v / (mu - a),
            }
        }
        Kind::ModifiedConindex => {
            if mu == a || mu == 0.0 {
                return Err(Error::Degenerate {
                    arg: "outcome",
                    reason: "the mean equals the lower limit (or zero), so conindex's modified index is undefined".into(),
                });
            }
            let s = mu / ((mu - a) * (mu - a));
            let v = s * gc;
            KindValue {
                value: v,
                scale: s,
                a: s,
                b: v * (1.0 / mu - 2.0 / (mu - a)),
            }
        }
        _ => unreachable_kind(),
    })
}

#[cold]
fn unreachable_kind() -> KindValue {
    KindValue {
        value: f64::NAN,
        scale: f64::NAN,
        a: f64::NAN,
        b: f64::NAN,
    }
}

/// Rank-weighted kinds (extended, symmetric): `Σ_k (H_k/W) g_k / p_k` style sums.
pub(super) fn rank_weighted_value<R: SampleRecord>(
    s: &SortedSample<R>,
    kind: Kind,
    param: f64,
    mu: f64,
) -> f64 {
    let total = s.total_w;
    let parts = s.pass(CompensatedSum::new, |acc, b| {
        if b.w <= 0.0 {
            return;
        }
        let p0 = b.w_before / total;
        let p1 = (b.w_before + b.w) / total;
        let mean = b.h / b.w;
        let g = match kind {
            Kind::Extended | Kind::GeneralizedExtended => {
                b.w / total + (1.0 - p1).max(0.0).powf(param) - (1.0 - p0).max(0.0).powf(param)
            }
            _ => {
                2f64.powf(param - 2.0)
                    * ((p1 - 0.5).abs().powf(param) - (p0 - 0.5).abs().powf(param))
            }
        };
        acc.add(mean * g);
    });
    let sum = parts
        .into_iter()
        .fold(CompensatedSum::new(), CompensatedSum::merge)
        .value();
    match kind {
        Kind::Extended | Kind::Symmetric => sum / mu,
        Kind::GeneralizedExtended => param.powf(param / (param - 1.0)) / (param - 1.0) * sum,
        _ => 4.0 * sum,
    }
}
