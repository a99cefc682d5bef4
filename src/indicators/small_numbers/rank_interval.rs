//! Rank intervals: how uncertain an area's place in a league table is.
//!
//! For draw `d` every area's value is drawn as `y = value + se · z` with `z`
//! standard normal, the areas of a group are ranked (1 = highest value, or
//! lowest with `higher_first = false`; ties share the smallest rank), and the
//! interval of an area's rank is the `(1 − level)/2` and `(1 + level)/2`
//! inverse-empirical-CDF quantiles of its `draws` ranks (numpy's
//! `quantile(method="inverted_cdf")`). Goldstein & Spiegelhalter (1996).
//!
//! Determinism: the draws of group `g` (0-based, in order of first appearance)
//! come from one ChaCha8 generator seeded with `seed` on stream `g`, in the order
//! draw by draw and, within a draw, the group's rows in input order. Groups run in
//! parallel but each has its own stream, so results do not depend on the number of
//! threads.

use crate::error::{Error, MissingOptions, Result};
use crate::indicators::Groups;
use crate::validate::MissingPolicy;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// One group's rows and their `[rank, lower, upper]`.
type GroupRanks = (Vec<usize>, Vec<[f64; 3]>);

/// Largest `draws × rows` of one group (memory for the simulated ranks).
const MAX_CELLS: usize = 200_000_000;

/// Options of [`rank_intervals`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    /// Confidence level of the rank interval (default 0.95).
    pub level: f64,
    /// Number of simulated league tables (default 1000).
    pub draws: usize,
    /// Seed (default [`crate::DEFAULT_SEED`]).
    pub seed: u64,
    /// Rank 1 is the highest value (default) or, when false, the lowest.
    pub higher_first: bool,
    /// Missing values or SEs: [`MissingPolicy::Error`] (default) or
    /// [`MissingPolicy::Drop`] (the row gets no rank and is not ranked against).
    pub missing: MissingPolicy,
}

impl Default for RankOptions {
    fn default() -> Self {
        Self {
            level: 0.95,
            draws: 1000,
            seed: crate::DEFAULT_SEED,
            higher_first: true,
            missing: MissingPolicy::Error,
        }
    }
}

/// Ranks per input row (NaN for rows left out under [`MissingPolicy::Drop`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RankIntervals {
    /// Rank of the value itself within its group.
    pub rank: Vec<f64>,
    /// Lower end of the rank interval (the better rank).
    pub lower: Vec<f64>,
    /// Upper end of the rank interval.
    pub upper: Vec<f64>,
}

/// Competition ranks (1 + number of strictly better values) of `y`, written to `out`
/// (an unstable sort is enough: equal values get one rank whatever their order).
fn ranks(y: &[f64], higher_first: bool, order: &mut Vec<usize>, out: &mut [u32]) {
    order.clear();
    order.extend(0..y.len());
    if higher_first {
        order.sort_unstable_by(|&a, &b| y[b].total_cmp(&y[a]));
    } else {
        order.sort_unstable_by(|&a, &b| y[a].total_cmp(&y[b]));
    }
    let mut rank = 1_u32;
    for (pos, &i) in order.iter().enumerate() {
        if pos > 0 && y[i] != y[order[pos - 1]] {
            rank = u32::try_from(pos + 1).unwrap_or(u32::MAX);
        }
        out[i] = rank;
    }
}

/// The `k`-th smallest (1-based, clamped) of `v`, which is reordered.
fn kth(v: &mut [u32], k: usize) -> u32 {
    let k = k.clamp(1, v.len());
    *v.select_nth_unstable(k - 1).1
}

fn check(value: &[f64], se: &[f64], opts: &RankOptions) -> Result<()> {
    crate::validate::same_length("se", "value", value.len(), se.len())?;
    crate::stats::check_level("level", opts.level)?;
    opts.missing.check_offered(MissingOptions::Drop)?;
    if opts.draws == 0 {
        return Err(Error::invalid(
            "draws",
            "must be at least 1 (1000 or more for stable rank intervals)",
        ));
    }
    for (i, (&v, &s)) in value.iter().zip(se).enumerate() {
        for (arg, x) in [("value", v), ("se", s)] {
            if x.is_nan() && opts.missing == MissingPolicy::Error {
                return Err(Error::Missing {
                    arg,
                    index: i,
                    options: MissingOptions::Drop,
                });
            }
            if x.is_infinite() {
                return Err(Error::NonFinite {
                    arg,
                    index: i,
                    value: x,
                });
            }
        }
        if s < 0.0 {
            return Err(Error::OutOfDomain {
                arg: "se",
                index: i,
                value: s,
                requirement: "non-negative",
            });
        }
    }
    Ok(())
}

/// The rank and rank interval of every row within its group, by simulation.
///
/// # Errors
/// Lengths that differ, a level outside (0, 1), `draws` of 0, a negative or
/// infinite SE or value, a missing value under [`MissingPolicy::Error`], or a
/// group too large to simulate (`draws × rows` above 2·10⁸): an error naming
/// the argument and row.
///
/// ```
/// use jamlik::indicators::{Groups, small_numbers::{rank_intervals, RankOptions}};
/// let value = [10.0, 20.0, 30.0];
/// let r = rank_intervals(&value, &[0.1, 0.1, 50.0], &Groups::single(3), &RankOptions::default())?;
/// assert_eq!(r.rank, vec![3.0, 2.0, 1.0]);
/// assert_eq!((r.lower[0], r.upper[0]), (2.0, 3.0)); // the third area may overtake it
/// assert_eq!((r.lower[2], r.upper[2]), (1.0, 3.0)); // a very uncertain area: any rank
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn rank_intervals(
    value: &[f64],
    se: &[f64],
    groups: &Groups,
    opts: &RankOptions,
) -> Result<RankIntervals> {
    check(value, se, opts)?;
    groups.check_len("value", value.len())?;
    let alpha = 1.0 - opts.level;
    let per_group: Vec<Result<GroupRanks>> = (0..groups.len())
        .into_par_iter()
        .map(|g| {
            let rows: Vec<usize> = groups
                .rows(g)
                .iter()
                .copied()
                .filter(|&i| !value[i].is_nan() && !se[i].is_nan())
                .collect();
            let k = rows.len();
            if k == 0 {
                return Ok((rows, Vec::new()));
            }
            if k.saturating_mul(opts.draws) > MAX_CELLS {
                return Err(Error::invalid(
                    "draws",
                    format!(
                        "{} draws × {k} areas in one group is too many; use fewer draws or smaller `by` groups",
                        opts.draws
                    ),
                ));
            }
            let v: Vec<f64> = rows.iter().map(|&i| value[i]).collect();
            let s: Vec<f64> = rows.iter().map(|&i| se[i]).collect();
            let mut point = vec![0_u32; k];
            let mut order = Vec::with_capacity(k);
            ranks(&v, opts.higher_first, &mut order, &mut point);
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            rng.set_stream(g as u64);
            let mut y = vec![0.0; k];
            let mut drawn = vec![0_u32; k];
            // Row-major per area: the `draws` ranks of area j at j·draws.
            let mut all = vec![0_u32; k * opts.draws];
            for d in 0..opts.draws {
                for j in 0..k {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    y[j] = v[j] + s[j] * z;
                }
                ranks(&y, opts.higher_first, &mut order, &mut drawn);
                for j in 0..k {
                    all[j * opts.draws + d] = drawn[j];
                }
            }
            let n = opts.draws as f64;
            // Inverse empirical CDF: the smallest r with F(r) ≥ p is the ⌈p·D⌉-th.
            let k_lo = ((alpha / 2.0) * n).ceil() as usize;
            let k_hi = ((1.0 - alpha / 2.0) * n).ceil() as usize;
            let out = (0..k)
                .map(|j| {
                    let mine = &mut all[j * opts.draws..(j + 1) * opts.draws];
                    let lo = kth(mine, k_lo);
                    let hi = kth(mine, k_hi);
                    [f64::from(point[j]), f64::from(lo), f64::from(hi)]
                })
                .collect();
            Ok((rows, out))
        })
        .collect();
    let n = value.len();
    let mut res = RankIntervals {
        rank: vec![f64::NAN; n],
        lower: vec![f64::NAN; n],
        upper: vec![f64::NAN; n],
    };
    for group in per_group {
        let (rows, out) = group?;
        for (&i, [r, l, u]) in rows.iter().zip(out) {
            res.rank[i] = r;
            res.lower[i] = l;
            res.upper[i] = u;
        }
    }
    Ok(res)
}
