//! Slope and relative index of inequality (SII, RII) across quantiles
//! (Low & Low 2004), with confidence limits by seeded simulation or by an
//! analytic (delta-method) alternative.
//!
//! Quantiles are ordered by their label from least to most advantaged. With
//! population shares aₖ and midpoint ranks bₖ = Σ_{j<k} aⱼ + aₖ/2, the line
//! y = β₀ + β₁b is fitted by weighted least squares (weights aₖ), which is
//! the same estimator as the unweighted fit of √a·y on √a and b√a.
//!
//! - SII = β₁ · m (the difference between the fitted values at ranks 1 and 0);
//! - RII = (β₀ + β₁)/β₀, inverted (β₀/(β₀ + β₁)) when m < 0 so that it points
//!   the same way as the SII;
//! - intercept = β₀ · |m|, on the scale of the SII.
//!
//! For rates (log) and proportions (logit) the fit may be done on the
//! transformed scale (`transform`); then SII = (g(β₀+β₁) − g(β₀))·m and
//! RII = g(β₀+β₁)/g(β₀), and the slope's limits are mapped back pivoting on
//! the fitted value at rank ½, h = β₀ + β₁/2: SII limit (g(h + s/2) − g(h − s/2))·m.
//!
//! Standard errors per quantile come from `se` (on the scale of the value) or
//! from confidence limits at a stated level; for rates and proportions the
//! simulation draws on the log/logit scale. Limits are always returned in
//! order (lower ≤ upper) and contain the point estimate's direction.

use super::grouped::{Grouped, Groups, gather};
use super::{Limits, MissingPolicy, check_levels, z};
use crate::error::{Error, MissingOptions, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// Kind of indicator value, which sets the transformation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ValueType {
    /// Any value (life expectancy, a mean): no transformation.
    Normal,
    /// A rate (> 0): log scale.
    Rate,
    /// A proportion in (0, 1): logit scale.
    Proportion,
}

/// How the confidence limits are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SiiMethod {
    /// Monte-Carlo: redraw every quantile's value from its sampling
    /// distribution `draws` times (ChaCha20 seeded with `seed`).
    Simulation {
        /// Number of draws (at least 1 000).
        draws: usize,
        /// Seed; the same seed gives the same limits on every platform.
        seed: u64,
    },
    /// Normal limits from the WLS standard errors (delta method for the RII).
    Analytic,
}

/// Columns of an SII computation (one row per group × quantile).
#[derive(Debug, Clone, Copy)]
pub struct SiiInput<'a> {
    /// Quantile label; ordered ascending from least to most advantaged.
    pub quantile: &'a [f64],
    /// Population of each quantile (> 0).
    pub population: &'a [f64],
    /// Indicator value of each quantile.
    pub value: &'a [f64],
    /// Standard error of each value (on the scale of the value).
    pub se: Option<&'a [f64]>,
    /// Lower confidence limit of each value (with `upper`, instead of `se`).
    pub lower: Option<&'a [f64]>,
    /// Upper confidence limit of each value.
    pub upper: Option<&'a [f64]>,
    /// Level of `lower`/`upper` (usually 0.95).
    pub input_level: f64,
}

/// Options of [`sii`].
#[derive(Debug, Clone, PartialEq)]
pub struct SiiOptions {
    /// Kind of value.
    pub value_type: ValueType,
    /// Fit on the log (rate) or logit (proportion) scale.
    pub transform: bool,
    /// Multiplier of the SII (negative to reverse the direction).
    pub multiplier: f64,
    /// Confidence levels.
    pub levels: Vec<f64>,
    /// Limits by simulation or analytically.
    pub method: SiiMethod,
    /// Fewest quantiles a group may have (default 5).
    pub min_quantiles: usize,
    /// Missing values in any input column: [`MissingPolicy::Error`] (default) or
    /// [`MissingPolicy::Drop`] (the quantile leaves its group).
    pub missing: MissingPolicy,
}

impl Default for SiiOptions {
    fn default() -> Self {
        Self {
            value_type: ValueType::Normal,
            transform: false,
            multiplier: 1.0,
            levels: vec![0.95],
            method: SiiMethod::Simulation {
                draws: 100_000,
                seed: crate::DEFAULT_SEED,
            },
            min_quantiles: 5,
            missing: MissingPolicy::Error,
        }
    }
}

/// SII, RII and intercept of one group with their limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiiResult {
    /// Slope index of inequality.
    pub sii: f64,
    /// Relative index of inequality.
    pub rii: f64,
    /// Fitted value at rank 0 (× |m|).
    pub intercept: f64,
    /// SII limits, one per level.
    pub sii_limits: Vec<Limits>,
    /// RII limits, one per level.
    pub rii_limits: Vec<Limits>,
    /// Number of quantiles used.
    pub quantiles: usize,
    /// "simulation (R draws, seed s)" or "analytic (delta method)", and the scale.
    pub method: String,
    /// Why some limits are missing, when they are.
    pub note: Option<String>,
}

#[derive(Clone, Copy)]
enum Scale {
    Identity,
    Log,
    Logit,
}

impl Scale {
    fn to(self, v: f64) -> f64 {
        match self {
            Scale::Identity => v,
            Scale::Log => v.ln(),
            Scale::Logit => (v / (1.0 - v)).ln(),
        }
    }
    fn back(self, t: f64) -> f64 {
        match self {
            Scale::Identity => t,
            Scale::Log => t.exp(),
            Scale::Logit => 1.0 / (1.0 + (-t).exp()),
        }
    }
    /// dg/dt at the value v = g(t).
    fn slope(self, v: f64) -> f64 {
        match self {
            Scale::Identity => 1.0,
            Scale::Log => v,
            Scale::Logit => v * (1.0 - v),
        }
    }
}

/// R's `round()`: half to even.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// Order statistic at 1-based position `pos` of sorted values.
fn order_stat(sorted: &[f64], pos: f64) -> f64 {
    let i = (pos as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

fn ordered(level: f64, a: f64, b: f64) -> Limits {
    Limits::new(level, a.min(b), a.max(b))
}

fn group_sii(
    input: &SiiInput<'_>,
    rows: &[usize],
    opts: &SiiOptions,
    stream: u64,
) -> Result<SiiResult> {
    let mut order = rows.to_vec();
    order.sort_by(|&a, &b| input.quantile[a].total_cmp(&input.quantile[b]));
    for w in order.windows(2) {
        if input.quantile[w[0]] == input.quantile[w[1]] {
            return Err(Error::invalid(
                "quantile",
                format!(
                    "quantile {} appears twice in one group (rows {} and {})",
                    input.quantile[w[0]], w[0], w[1]
                ),
            ));
        }
    }
    let k = order.len();
    if k < opts.min_quantiles {
        return Err(Error::too_few(
            format!(
                "the SII of a group (`quantile`, first row {}; see `min_quantiles`)",
                rows[0]
            ),
            "quantiles",
            opts.min_quantiles,
            k,
        ));
    }
    let scale = match opts.value_type {
        ValueType::Normal => Scale::Identity,
        ValueType::Rate => Scale::Log,
        ValueType::Proportion => Scale::Logit,
    };
    let pop = gather(input.population, &order);
    let v = gather(input.value, &order);
    for (j, &i) in order.iter().enumerate() {
        super::check_positive("population", i, pop[j])?;
        let ok = match opts.value_type {
            ValueType::Normal => v[j].is_finite(),
            ValueType::Rate => v[j].is_finite() && v[j] > 0.0,
            ValueType::Proportion => v[j] > 0.0 && v[j] < 1.0,
        };
        if !ok {
            return Err(Error::OutOfDomain {
                arg: "value",
                index: i,
                value: v[j],
                requirement: match opts.value_type {
                    ValueType::Normal => "finite",
                    ValueType::Rate => "positive (a rate, log scale)",
                    ValueType::Proportion => "strictly between 0 and 1 (a proportion, logit scale)",
                },
            });
        }
    }
    // Values and SEs on the transformed scale t (identity for Normal).
    let t: Vec<f64> = v.iter().map(|&x| scale.to(x)).collect();
    let mut se_t = Vec::with_capacity(k);
    for (j, &i) in order.iter().enumerate() {
        let s = if let Some(se) = input.se {
            let s = se[i];
            if !(s.is_finite() && s >= 0.0) {
                return Err(Error::OutOfDomain {
                    arg: "se",
                    index: i,
                    value: s,
                    requirement: "non-negative and finite",
                });
            }
            s / scale.slope(v[j])
        } else if let (Some(lo), Some(hi)) = (input.lower, input.upper) {
            let (l, u) = (lo[i], hi[i]);
            let (tl, tu) = (scale.to(l), scale.to(u));
            if !(tl.is_finite() && tu.is_finite() && l <= u) {
                return Err(Error::invalid(
                    "lower",
                    format!(
                        "row {i}: limits ({l}, {u}) must be ordered and valid on the {} scale",
                        match scale {
                            Scale::Identity => "value",
                            Scale::Log => "log",
                            Scale::Logit => "logit",
                        }
                    ),
                ));
            }
            (tu - tl) / (2.0 * z(input.input_level))
        } else {
            return Err(Error::invalid(
                "se",
                "give either `se` or both `lower` and `upper`",
            ));
        };
        se_t.push(s);
    }
    // WLS coefficients as linear combinations of y: β₁ = Σ c1·y, β₀ = Σ c0·y.
    let total: f64 = crate::stats::sum(pop.iter().copied());
    let a: Vec<f64> = pop.iter().map(|p| p / total).collect();
    let mut b = Vec::with_capacity(k);
    let mut cum = 0.0;
    for &ak in &a {
        b.push(cum + ak / 2.0);
        cum += ak;
    }
    let bbar: f64 = crate::stats::sum(a.iter().zip(&b).map(|(a, b)| a * b));
    let sbb: f64 = crate::stats::sum(a.iter().zip(&b).map(|(a, b)| a * (b - bbar) * (b - bbar)));
    let c1: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(a, b)| a * (b - bbar) / sbb)
        .collect();
    let c0: Vec<f64> = a.iter().zip(&c1).map(|(a, c1)| a - bbar * c1).collect();
    let fit = |y: &[f64]| -> (f64, f64) {
        let (mut s0, mut s1) = (0.0, 0.0);
        for j in 0..k {
            s0 += c0[j] * y[j];
            s1 += c1[j] * y[j];
        }
        (s0, s1)
    };
    let m = opts.multiplier;
    let transformed = opts.transform && !matches!(scale, Scale::Identity);
    let y: Vec<f64> = if transformed { t.clone() } else { v.clone() };
    let (b0, b1) = fit(&y);
    let invert = m < 0.0;
    let rii_of = |lo: f64, hi: f64| if invert { lo / hi } else { hi / lo };
    let (sii, rii, intercept) = if transformed {
        let (g0, g1) = (scale.back(b0), scale.back(b0 + b1));
        ((g1 - g0) * m, rii_of(g0, g1), g0 * m.abs())
    } else {
        (b1 * m, rii_of(b0, b0 + b1), b0 * m.abs())
    };
    let h = b0 + b1 / 2.0;
    let pivot_sii = |s: f64| (scale.back(h + s / 2.0) - scale.back(h - s / 2.0)) * m;
    let pivot_rii = |s: f64| rii_of(scale.back(h - s / 2.0), scale.back(h + s / 2.0));
    let scale_name = match (transformed, scale) {
        (true, Scale::Log) => ", log scale",
        (true, Scale::Logit) => ", logit scale",
        _ => "",
    };
    let mut note = None;
    let (sii_limits, rii_limits, method) = match opts.method {
        SiiMethod::Simulation { draws, seed } => {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            rng.set_stream(stream);
            let mut sims_a = crate::alloc::vec_with_capacity("draws", draws)?;
            let mut sims_b = crate::alloc::vec_with_capacity("draws", draws)?;
            let mut ystar = vec![0.0; k];
            for _ in 0..draws {
                for j in 0..k {
                    let e: f64 = StandardNormal.sample(&mut rng);
                    let tt = t[j] + se_t[j] * e;
                    ystar[j] = if transformed { tt } else { scale.back(tt) };
                }
                let (s0, s1) = fit(&ystar);
                if transformed {
                    sims_a.push(s1);
                } else {
                    sims_a.push(s1 * m);
                    sims_b.push(rii_of(s0, s0 + s1));
                }
            }
            sims_a.sort_unstable_by(f64::total_cmp);
            sims_b.sort_unstable_by(f64::total_cmp);
            let r = draws as f64;
            let mut sl = Vec::new();
            let mut rl = Vec::new();
            for &level in &opts.levels {
                let lo = round_half_even(r * (1.0 - level) / 2.0);
                let hi = round_half_even(r * (1.0 + level) / 2.0);
                let (qa, qb) = (order_stat(&sims_a, lo), order_stat(&sims_a, hi));
                if transformed {
                    sl.push(ordered(level, pivot_sii(qa), pivot_sii(qb)));
                    rl.push(ordered(level, pivot_rii(qa), pivot_rii(qb)));
                } else {
                    sl.push(ordered(level, qa, qb));
                    rl.push(ordered(
                        level,
                        order_stat(&sims_b, lo),
                        order_stat(&sims_b, hi),
                    ));
                }
            }
            (
                sl,
                rl,
                format!("simulation ({draws} draws, seed {seed}){scale_name}"),
            )
        }
        SiiMethod::Analytic => {
            // Variances on the regression scale.
            let se_y: Vec<f64> = if transformed {
                se_t.clone()
            } else {
                (0..k).map(|j| se_t[j] * scale.slope(v[j])).collect()
            };
            let (mut v00, mut v01, mut v11) = (0.0, 0.0, 0.0);
            for j in 0..k {
                let s2 = se_y[j] * se_y[j];
                v00 += c0[j] * c0[j] * s2;
                v01 += c0[j] * c1[j] * s2;
                v11 += c1[j] * c1[j] * s2;
            }
            let sd1 = v11.sqrt();
            let mut sl = Vec::new();
            let mut rl = Vec::new();
            for &level in &opts.levels {
                let zl = z(level);
                if transformed {
                    let (s_lo, s_hi) = (b1 - zl * sd1, b1 + zl * sd1);
                    sl.push(ordered(level, pivot_sii(s_lo), pivot_sii(s_hi)));
                    rl.push(ordered(level, pivot_rii(s_lo), pivot_rii(s_hi)));
                } else {
                    sl.push(ordered(level, (b1 - zl * sd1) * m, (b1 + zl * sd1) * m));
                    if b0 > 0.0 && b0 + b1 > 0.0 {
                        // log RII = ln(β₀+β₁) − ln β₀; gradient (1/(β₀+β₁) − 1/β₀, 1/(β₀+β₁)).
                        let g0 = 1.0 / (b0 + b1) - 1.0 / b0;
                        let g1 = 1.0 / (b0 + b1);
                        let sd = (g0 * g0 * v00 + 2.0 * g0 * g1 * v01 + g1 * g1 * v11).sqrt();
                        let lr = rii.ln();
                        rl.push(ordered(level, (lr - zl * sd).exp(), (lr + zl * sd).exp()));
                    } else {
                        note = Some(
                            "RII limits need positive fitted values at ranks 0 and 1".to_string(),
                        );
                        rl.push(Limits::none(level));
                    }
                }
            }
            (sl, rl, format!("analytic (delta method){scale_name}"))
        }
    };
    Ok(SiiResult {
        sii,
        rii,
        intercept,
        sii_limits,
        rii_limits,
        quantiles: k,
        method,
        note,
    })
}

fn check(input: &SiiInput<'_>, opts: &SiiOptions) -> Result<()> {
    check_levels(&opts.levels)?;
    // A negative multiplier reverses the direction (as PHEindicatormethods).
    if !(opts.multiplier.is_finite() && opts.multiplier != 0.0) {
        return Err(Error::invalid(
            "multiplier",
            format!("must be finite and non-zero, got {}", opts.multiplier),
        ));
    }
    crate::stats::check_level("input_level", input.input_level)?;
    let n = input.value.len();
    crate::validate::non_empty("value", input.value)?;
    crate::validate::same_length("quantile", "value", n, input.quantile.len())?;
    crate::validate::same_length("population", "value", n, input.population.len())?;
    crate::validate::finite("quantile", input.quantile)?;
    for (arg, col) in [
        ("se", input.se),
        ("lower", input.lower),
        ("upper", input.upper),
    ] {
        if let Some(c) = col {
            crate::validate::same_length(arg, "value", n, c.len())?;
        }
    }
    if input.se.is_none() && (input.lower.is_none() || input.upper.is_none()) {
        return Err(Error::invalid(
            "se",
            "give either `se` or both `lower` and `upper`",
        ));
    }
    if let SiiMethod::Simulation { draws, .. } = opts.method {
        if draws < 1000 {
            return Err(Error::invalid(
                "draws",
                format!("must be at least 1000, got {draws}"),
            ));
        }
    }
    if opts.min_quantiles < 2 {
        return Err(Error::invalid("min_quantiles", "must be at least 2"));
    }
    Ok(())
}

/// SII and RII of one set of quantiles.
///
/// # Errors
/// Repeated quantiles, fewer than `min_quantiles`, populations ≤ 0, values
/// outside the domain of the transformation, missing SEs/limits, fewer than
/// 1 000 draws, bad levels or multiplier.
///
/// ```
/// use jamlik::indicators::{sii, SiiInput, SiiOptions, SiiMethod};
/// let q = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let pop = [100.0; 5];
/// let value = [70.0, 72.0, 74.0, 76.0, 78.0];
/// let se = [0.5; 5];
/// let input = SiiInput { quantile: &q, population: &pop, value: &value, se: Some(&se),
///     lower: None, upper: None, input_level: 0.95 };
/// let opts = SiiOptions { method: SiiMethod::Analytic, ..SiiOptions::default() };
/// let r = sii(&input, &opts)?;
/// assert!((r.sii - 10.0).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn sii(input: &SiiInput<'_>, opts: &SiiOptions) -> Result<SiiResult> {
    check(input, opts)?;
    let all = Groups::single(input.value.len());
    let groups = apply_missing(input, &all, opts.missing)?;
    if groups.is_empty() {
        return Err(Error::Empty { arg: "value" });
    }
    group_sii(input, groups.rows(0), opts, 0)
}

fn apply_missing<'g>(
    input: &SiiInput<'_>,
    groups: &'g Groups,
    missing: MissingPolicy,
) -> Result<std::borrow::Cow<'g, Groups>> {
    let mut columns = vec![
        ("quantile", input.quantile, false),
        ("population", input.population, false),
        ("value", input.value, false),
    ];
    for (arg, col) in [
        ("se", input.se),
        ("lower", input.lower),
        ("upper", input.upper),
    ] {
        if let Some(c) = col {
            columns.push((arg, c, false));
        }
    }
    missing.apply(groups, &columns, MissingOptions::Drop)
}

/// SII and RII per group; group g draws from ChaCha20 stream g of the seed.
///
/// # Errors
/// As [`sii`].
pub fn sii_by(
    input: &SiiInput<'_>,
    groups: &Groups,
    opts: &SiiOptions,
) -> Result<Grouped<SiiResult>> {
    check(input, opts)?;
    groups.check_len("value", input.value.len())?;
    let groups = apply_missing(input, groups, opts.missing)?;
    let ids: Vec<usize> = (0..groups.len()).collect();
    let all: Vec<Result<SiiResult>> = {
        use rayon::prelude::*;
        ids.par_iter()
            .map(|&g| group_sii(input, groups.rows(g), opts, g as u64))
            .collect()
    };
    Ok(Grouped {
        first_row: groups.first_rows(),
        results: all.into_iter().collect::<Result<Vec<_>>>()?,
    })
}
