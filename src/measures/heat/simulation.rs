//! Simulation confidence intervals (HEAT's method for BGSD, COV, MD*, IDIS*).
//!
//! Each replicate draws every estimate from N(y_j, s_j), by rejection keeping
//! draws ≥ 0 (and ≤ 100 when the scale is 100), and recomputes the measure
//! (means, best and reference subgroup included). The CI is the pair of
//! quantiles (R type 7) at the requested level. ChaCha8 seeded with `seed`:
//! the same seed gives the same interval on every platform and thread count.
//! Every measure of a case uses the same replicate matrix, as healthequal does
//! (each of its functions calls `set.seed(seed)`).

use super::mean_difference::{Context, statistic};
use super::method::{Method, Outcome};
use super::{Measure, Options, Subgroups};
use crate::error::{Error, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Rejection tries per draw before giving up (the truncation region would be
/// almost empty, for example an estimate far below 0 with a tiny SE).
const MAX_TRIES: usize = 10_000;

/// `draws × n` simulated estimates, row-major by replicate.
pub(crate) struct Replicates {
    values: Vec<f64>,
    n: usize,
    seed: u64,
    upper: Option<f64>,
}

impl Replicates {
    /// Draws the replicate matrix, or `None` when an SE or the scale is missing.
    pub(crate) fn draw(g: &Subgroups, o: &Options) -> Result<Option<Self>> {
        let (Some(se), Some(scale)) = (g.all_se(), g.scale) else {
            return Ok(None);
        };
        let upper = (scale == 100.0).then_some(100.0);
        let n = g.len();
        let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
        let mut values = crate::alloc::matrix_with_capacity("draws", o.draws, n)?;
        for _ in 0..o.draws {
            for (j, (&mean, &sd)) in g.estimate.iter().zip(&se).enumerate() {
                if sd == 0.0 {
                    values.push(mean);
                    continue;
                }
                let mut tries = 0;
                loop {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    let v = mean + sd * z;
                    if v >= 0.0 && upper.is_none_or(|u| v <= u) {
                        values.push(v);
                        break;
                    }
                    tries += 1;
                    if tries == MAX_TRIES {
                        return Err(Error::Degenerate {
                            arg: "se",
                            reason: format!(
                                "row {}: N({mean}, {sd}) almost never falls in the simulation range [0, {}]",
                                j + 1,
                                upper.unwrap_or(f64::INFINITY)
                            ),
                        });
                    }
                }
            }
        }
        Ok(Some(Self {
            values,
            n,
            seed: o.seed,
            upper,
        }))
    }

    fn rows(&self) -> impl Iterator<Item = &[f64]> {
        self.values.chunks_exact(self.n)
    }

    fn draws(&self) -> usize {
        self.values.len() / self.n
    }
}

/// Sample quantile, R's type 7 (linear interpolation between order
/// statistics), by selection in O(n) instead of a full sort. Reorders `x`.
pub(crate) fn quantile_type7(x: &mut [f64], p: f64) -> f64 {
    let h = (x.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (_, &mut at, above) = x.select_nth_unstable_by(lo, f64::total_cmp);
    let next = above.iter().copied().fold(f64::INFINITY, f64::min);
    if above.is_empty() || h == lo as f64 {
        at
    } else {
        at + (h - lo as f64) * (next - at)
    }
}

/// Point estimate and (when replicates exist) the simulation CI of `m`.
pub(crate) fn simulated_measure(
    m: Measure,
    g: &Subgroups,
    sims: Option<&Replicates>,
    level: f64,
) -> Result<Outcome> {
    let ctx = Context::new(m, g)?;
    let value = statistic(m, g, &ctx, &g.estimate)?;
    let centre = match m {
        Measure::Mdmu | Measure::Idisu => {
            if g.setting_average.is_some() {
                "; m = the setting average (kept fixed in the replicates)"
            } else {
                "; m = the population-weighted mean"
            }
        }
        _ => "",
    };
    let method = |simulation| Method::Simulated {
        measure: m,
        centre,
        simulation,
    };
    let Some(sims) = sims else {
        return Ok(Outcome::point(value, method(None))
            .with_note("no CI: the simulation needs every se and the scale"));
    };
    let mut reps = crate::alloc::vec_with_capacity("draws", sims.draws())?;
    for row in sims.rows() {
        reps.push(statistic(m, g, &ctx, row)?);
    }
    let alpha = (1.0 - level) / 2.0;
    Ok(Outcome {
        value,
        se: None,
        lower: Some(quantile_type7(&mut reps, alpha)),
        upper: Some(quantile_type7(&mut reps, 1.0 - alpha)),
        method: method(Some((sims.draws(), sims.upper.is_some(), sims.seed))),
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::quantile_type7;

    #[test]
    fn type7_matches_r() {
        // R: quantile(1:10, c(0.025, 0.975)) = 1.225, 9.775
        let mut x: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert!((quantile_type7(&mut x, 0.025) - 1.225).abs() < 1e-12);
        assert!((quantile_type7(&mut x, 0.975) - 9.775).abs() < 1e-12);
        assert_eq!(quantile_type7(&mut x, 1.0), 10.0);
        assert_eq!(quantile_type7(&mut x, 0.0), 1.0);
        assert!((quantile_type7(&mut x, 0.5) - 5.5).abs() < 1e-12);
    }
}
