//! Pairwise measures: difference D and ratio R between two chosen subgroups.
//!
//! The two subgroups follow HEAT / healthequal: ordered dimensions compare the
//! most and least advantaged ends (by direction); non-ordered ones compare the
//! highest and lowest estimates, or the reference against the non-reference
//! extreme. Ties keep the first tied subgroup in input order and `method` says
//! how many were tied.

use super::Subgroups;
use crate::error::{Error, Result};
use crate::estimate::Estimate;

/// The chosen pair `(y1 row, y2 row)` and a description of the choice.
pub(crate) struct Pair {
    pub first: usize,
    pub second: usize,
    pub how: String,
}

fn first_extreme(y: &[f64], rows: &[usize], max: bool) -> (usize, usize) {
    let pick = rows
        .iter()
        .copied()
        .fold(None::<usize>, |best, i| match best {
            None => Some(i),
            Some(b) if (max && y[i] > y[b]) || (!max && y[i] < y[b]) => Some(i),
            keep => keep,
        });
    let best = pick.unwrap_or(0);
    let ties = rows.iter().filter(|&&i| y[i] == y[best]).count();
    (best, ties)
}

fn tie_note(ties: usize, which: &str) -> String {
    if ties > 1 {
        format!("; {ties} subgroups tied as the {which}, the first in input order is used")
    } else {
        String::new()
    }
}

pub(crate) fn choose(g: &Subgroups) -> Result<Pair> {
    let y = &g.estimate;
    let row = |i: usize| i + 1;
    if let Some(order) = &g.order {
        let (lo, hi) = (order[0], order[order.len() - 1]);
        let (first, second, how) = if g.favourable {
            (
                hi,
                lo,
                "most advantaged − least advantaged (favourable indicator)",
            )
        } else {
            (
                lo,
                hi,
                "least advantaged − most advantaged (adverse indicator)",
            )
        };
        return Ok(Pair {
            first,
            second,
            how: format!("rows {} and {}: {how}", row(first), row(second)),
        });
    }
    let all: Vec<usize> = (0..y.len()).collect();
    match g.reference {
        None => {
            let (first, t1) = first_extreme(y, &all, true);
            let (second, t2) = first_extreme(y, &all, false);
            Ok(Pair {
                first,
                second,
                how: format!(
                    "rows {} and {}: highest − lowest estimate (non-ordered, no reference){}{}",
                    row(first),
                    row(second),
                    tie_note(t1, "highest"),
                    tie_note(t2, "lowest")
                ),
            })
        }
        Some(r) => {
            let others: Vec<usize> = all.into_iter().filter(|&i| i != r).collect();
            if others.is_empty() {
                return Err(Error::too_few(
                    "a comparison with the reference subgroup (`estimate`)",
                    "subgroups",
                    2,
                    1,
                ));
            }
            if g.favourable {
                let (second, t) = first_extreme(y, &others, false);
                Ok(Pair {
                    first: r,
                    second,
                    how: format!(
                        "rows {} and {}: reference − lowest non-reference estimate (favourable){}",
                        row(r),
                        row(second),
                        tie_note(t, "lowest non-reference")
                    ),
                })
            } else {
                let (first, t) = first_extreme(y, &others, true);
                Ok(Pair {
                    first,
                    second: r,
                    how: format!(
                        "rows {} and {}: highest non-reference estimate − reference (adverse){}",
                        row(first),
                        row(r),
                        tie_note(t, "highest non-reference")
                    ),
                })
            }
        }
    }
}

/// D = y1 − y2, SE = √(s1² + s2²).
pub(crate) fn difference(g: &Subgroups, level: f64, z: f64) -> Result<Estimate> {
    let p = choose(g)?;
    let value = g.estimate[p.first] - g.estimate[p.second];
    match (g.se[p.first], g.se[p.second]) {
        (Some(s1), Some(s2)) => Ok(Estimate::wald(
            value,
            s1.hypot(s2),
            level,
            z,
            format!(
                "difference D = y1 − y2, {}; SE = √(s1² + s2²), Wald CI",
                p.how
            ),
        )),
        _ => Ok(
            Estimate::point(value, level, format!("difference D = y1 − y2, {}", p.how))
                .with_note("no SE or CI: a compared subgroup has no se"),
        ),
    }
}

/// R = y1 / y2; SE of ln R by the delta method; CI exp(ln R ± z·SE).
pub(crate) fn ratio(g: &Subgroups, level: f64, z: f64) -> Result<Estimate> {
    let p = choose(g)?;
    let (y1, y2) = (g.estimate[p.first], g.estimate[p.second]);
    if y2 == 0.0 {
        if y1 == 0.0 {
            return Err(Error::Degenerate {
                arg: "estimate",
                reason: "both compared subgroups have estimate 0, so the ratio 0/0 is undefined"
                    .into(),
            });
        }
        return Ok(
            Estimate::point(y1 / y2, level, format!("ratio R = y1 / y2, {}", p.how))
                .with_note("no SE or CI: y2 = 0, so R is infinite"),
        );
    }
    let value = y1 / y2;
    let base = format!("ratio R = y1 / y2, {}", p.how);
    if value <= 0.0 {
        return Ok(Estimate::point(value, level, base)
            .with_note("no SE or CI: R ≤ 0, so ln R (and its CI) is undefined"));
    }
    match (g.se[p.first], g.se[p.second]) {
        (Some(s1), Some(s2)) => {
            let se_log = s1.hypot(value * s2) / (y2 * value).abs();
            let (l, u) = (value.ln() - z * se_log, value.ln() + z * se_log);
            Ok(Estimate {
                value,
                se: Some(se_log),
                lower: Some(l.exp()),
                upper: Some(u.exp()),
                level,
                method: format!(
                    "{base}; se is SE(ln R) by the delta method, CI = exp(ln R ± z·se)"
                ),
                note: None,
                n: None,
            })
        }
        _ => Ok(Estimate::point(value, level, base)
            .with_note("no SE or CI: a compared subgroup has no se")),
    }
}
