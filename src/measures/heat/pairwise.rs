//! Pairwise measures: difference D and ratio R between two chosen subgroups.
//!
//! The two subgroups follow HEAT / healthequal: ordered dimensions compare the
//! most and least advantaged ends (by direction); non-ordered ones compare the
//! highest and lowest estimates, or the reference against the non-reference
//! extreme. Ties keep the first tied subgroup in input order and `method` says
//! how many were tied.

use super::Subgroups;
use super::method::{Method, Outcome, PairChoice, PairRule};
use crate::error::{Error, Result};

fn first_extreme(
    y: &[f64],
    rows: impl Iterator<Item = usize> + Clone,
    max: bool,
) -> (usize, usize) {
    let pick = rows.clone().fold(None::<usize>, |best, i| match best {
        None => Some(i),
        Some(b) if (max && y[i] > y[b]) || (!max && y[i] < y[b]) => Some(i),
        keep => keep,
    });
    let best = pick.unwrap_or(0);
    let ties = rows.filter(|&i| y[i] == y[best]).count();
    (best, ties)
}

/// The chosen pair: `first` is y1's row, `second` y2's.
pub(crate) fn choose(g: &Subgroups) -> Result<PairChoice> {
    let y = &g.estimate;
    let pair = |rule, first, second, ties| PairChoice {
        rule,
        first,
        second,
        ties,
    };
    if let Some(order) = &g.order {
        let (lo, hi) = (order[0], order[order.len() - 1]);
        return Ok(if g.favourable {
            pair(PairRule::OrderedFavourable, hi, lo, [1, 1])
        } else {
            pair(PairRule::OrderedAdverse, lo, hi, [1, 1])
        });
    }
    let all = 0..y.len();
    match g.reference {
        None => {
            let (first, t1) = first_extreme(y, all.clone(), true);
            let (second, t2) = first_extreme(y, all, false);
            Ok(pair(PairRule::HighestLowest, first, second, [t1, t2]))
        }
        Some(r) => {
            let others = all.filter(move |&i| i != r);
            if others.clone().next().is_none() {
                return Err(Error::too_few(
                    "a comparison with the reference subgroup (`estimate`)",
                    "subgroups",
                    2,
                    1,
                ));
            }
            if g.favourable {
                let (second, t) = first_extreme(y, others, false);
                Ok(pair(PairRule::ReferenceLowest, r, second, [1, t]))
            } else {
                let (first, t) = first_extreme(y, others, true);
                Ok(pair(PairRule::HighestReference, first, r, [t, 1]))
            }
        }
    }
}

const NO_SE: &str = "no SE or CI: a compared subgroup has no se";

/// D = y1 − y2, SE = √(s1² + s2²).
pub(crate) fn difference(g: &Subgroups, z: f64) -> Result<Outcome> {
    let pair = choose(g)?;
    let value = g.estimate[pair.first] - g.estimate[pair.second];
    match (g.se[pair.first], g.se[pair.second]) {
        (Some(s1), Some(s2)) => Ok(Outcome::wald(
            value,
            s1.hypot(s2),
            z,
            Method::Difference { pair, se: true },
        )),
        _ => Ok(Outcome::point(value, Method::Difference { pair, se: false }).with_note(NO_SE)),
    }
}

/// R = y1 / y2; SE of ln R by the delta method; CI exp(ln R ± z·SE).
pub(crate) fn ratio(g: &Subgroups, z: f64) -> Result<Outcome> {
    let pair = choose(g)?;
    let (y1, y2) = (g.estimate[pair.first], g.estimate[pair.second]);
    let base = Method::Ratio { pair, se: false };
    if y2 == 0.0 {
        if y1 == 0.0 {
            return Err(Error::Degenerate {
                arg: "estimate",
                reason: "both compared subgroups have estimate 0, so the ratio 0/0 is undefined"
                    .into(),
            });
        }
        return Ok(Outcome::point(y1 / y2, base).with_note("no SE or CI: y2 = 0, so R is infinite"));
    }
    let value = y1 / y2;
    if value <= 0.0 {
        return Ok(Outcome::point(value, base)
            .with_note("no SE or CI: R ≤ 0, so ln R (and its CI) is undefined"));
    }
    match (g.se[pair.first], g.se[pair.second]) {
        (Some(s1), Some(s2)) => {
            let se_log = s1.hypot(value * s2) / (y2 * value).abs();
            let (l, u) = (value.ln() - z * se_log, value.ln() + z * se_log);
            Ok(Outcome {
                value,
                se: Some(se_log),
                lower: Some(l.exp()),
                upper: Some(u.exp()),
                method: Method::Ratio { pair, se: true },
                note: None,
            })
        }
        _ => Ok(Outcome::point(value, base).with_note(NO_SE)),
    }
}
