//! Weighted inequality indices of one variable, each with a design-based
//! (linearized) standard error.
//!
//! With `s_i = y_i/μ` and weighted means over `W = Σw`:
//! - Gini: the concentration index of `y` ranked by itself;
//! - GE(α) = `[Σw s^α/W − 1]/(α(α−1))`; GE(1) = Theil T = `Σw s ln s/W`
//!   (with `0·ln 0 = 0`); GE(0) = MLD = `−Σw ln s/W`;
//! - Atkinson(ε) = `1 − [Σw s^{1−ε}/W]^{1/(1−ε)}`, ε = 1: `1 − exp(Σw ln y/W)/μ`;
//! - Hoover = `Σw|y − μ|/(2Wμ)`;
//! - shares from the Lorenz curve with the boundary observation split
//!   proportionally: Palma = share of the top 10% / share of the bottom 40%,
//!   quantile share ratio = share above `upper` / share below `lower`.
//!
//! Standard errors: every index `T` is linearized as `T − θ ≈ Σ_i w_i z_i/W`
//! with the influence value `z_i = W·∂T/∂w_i` (the derivative of the estimator
//! with respect to the weight of row `i`); the variance is the
//! with-replacement PSU variance of the totals of `w_i z_i/W`
//! ([`super::variance`]), exactly as for the Gini coefficient. The influence
//! values of each index are listed in `docs/methods.md` and returned by
//! [`inequality_influence`].

mod formulas;

use super::concentration::{ConcentrationOptions, SeMethod, concentration_index};
use super::variance::{Design, PsuMap};
use super::{positive_total, prepare, weighted_totals};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::rank::Ties;
use crate::stats::{check_level, z_value};
use crate::validate::{self, MissingPolicy};
use formulas::{mean, value_and_influence};
use serde::{Deserialize, Serialize};

/// Whether an inequality index gets a standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeChoice {
    /// Design-based linearization (weights, clusters, strata). The default.
    #[default]
    Linearized,
    /// No standard error.
    None,
}

impl SeChoice {
    /// Name used in `method` strings and by `FromStr`.
    pub fn name(self) -> &'static str {
        match self {
            SeChoice::Linearized => "linearized",
            SeChoice::None => "none",
        }
    }
}

impl std::str::FromStr for SeChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "linearized" | "linearised" => Ok(SeChoice::Linearized),
            "none" => Ok(SeChoice::None),
            other => Err(Error::invalid(
                "se",
                format!("unknown SE method {other:?}; expected \"linearized\" or \"none\""),
            )),
        }
    }
}

/// Options of the inequality indices (Theil, MLD, GE, Atkinson, Hoover,
/// Palma, quantile share ratio).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InequalityOptions {
    /// Confidence level of the Wald interval, in (0, 1).
    pub level: f64,
    /// Standard error or none.
    pub se: SeChoice,
    /// What to do with missing values (`error` or `drop`).
    pub missing: MissingPolicy,
}

impl Default for InequalityOptions {
    fn default() -> Self {
        Self {
            level: 0.95,
            se: SeChoice::Linearized,
            missing: MissingPolicy::Error,
        }
    }
}

/// Options of [`gini`]: the Gini coefficient is the concentration index of
/// `values` ranked by themselves, so every SE method of the concentration
/// index is offered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GiniOptions {
    /// Confidence level of the Wald interval, in (0, 1).
    pub level: f64,
    /// How the SE is computed (linearized by default).
    pub se: SeMethod,
    /// What to do with missing values (`error` or `drop`).
    pub missing: MissingPolicy,
}

impl Default for GiniOptions {
    fn default() -> Self {
        Self {
            level: 0.95,
            se: SeMethod::Linearized,
            missing: MissingPolicy::Error,
        }
    }
}

/// Which inequality index (for [`inequality_influence`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InequalityIndex {
    /// Generalized entropy GE(α) (α = 0: MLD, α = 1: Theil T).
    GeneralizedEntropy(f64),
    /// Atkinson index with aversion ε ≥ 0.
    Atkinson(f64),
    /// Hoover index.
    Hoover,
    /// Share above the `upper` quantile over the share below `lower`.
    QuantileShareRatio { lower: f64, upper: f64 },
}

/// Checks the parameters of an index before any data is read.
pub(crate) fn check_index(index: InequalityIndex) -> Result<()> {
    match index {
        InequalityIndex::GeneralizedEntropy(alpha) if !alpha.is_finite() => Err(Error::invalid(
            "alpha",
            format!("must be finite, got {alpha}"),
        )),
        InequalityIndex::Atkinson(epsilon) if !(epsilon.is_finite() && epsilon >= 0.0) => Err(
            Error::invalid("epsilon", format!("must be finite and >= 0, got {epsilon}")),
        ),
        InequalityIndex::QuantileShareRatio { lower, upper } => {
            if !(lower > 0.0 && lower < 1.0) {
                return Err(Error::invalid(
                    "lower",
                    format!("must lie in (0, 1), got {lower}"),
                ));
            }
            if !(upper > 0.0 && upper < 1.0 && upper >= lower) {
                return Err(Error::invalid(
                    "upper",
                    format!("must lie in [lower, 1) = [{lower}, 1), got {upper}"),
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Values must be non-negative; indices that take logs (or negative powers)
/// need them positive.
fn check_values(index: InequalityIndex, y: &[f64]) -> Result<()> {
    validate::non_negative("values", y)?;
    let needs_positive = match index {
        InequalityIndex::GeneralizedEntropy(alpha) => alpha <= 0.0,
        InequalityIndex::Atkinson(epsilon) => epsilon >= 1.0,
        _ => false,
    };
    if needs_positive {
        if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| **v <= 0.0) {
            return Err(Error::OutOfDomain {
                arg: "values",
                index,
                value,
                requirement: "positive for MLD, GE(alpha <= 0) and Atkinson(epsilon >= 1) (log or negative power of zero)",
            });
        }
    }
    Ok(())
}

fn label(index: InequalityIndex) -> String {
    match index {
        InequalityIndex::GeneralizedEntropy(1.0) => "Theil T, GE(1)".into(),
        InequalityIndex::GeneralizedEntropy(0.0) => "mean log deviation, GE(0)".into(),
        InequalityIndex::GeneralizedEntropy(a) => format!("generalized entropy GE({a})"),
        InequalityIndex::Atkinson(e) => format!("Atkinson index (epsilon={e})"),
        InequalityIndex::Hoover => "Hoover index".into(),
        InequalityIndex::QuantileShareRatio { lower, upper } if lower == 0.4 && upper == 0.9 => {
            "Palma ratio (top 10% share / bottom 40% share)".into()
        }
        InequalityIndex::QuantileShareRatio { lower, upper } => {
            // Percentages without binary noise (0.07 · 100 = 7.000000000000001).
            let pct = |p: f64| (p * 1e8).round() / 1e6;
            format!("quantile share ratio S{}/S{}", pct(upper), pct(lower))
        }
    }
}

/// Design variance of `Σ w_i z_i/W` from PSU totals.
fn linearized_variance(z: &[f64], w: Option<&[f64]>, psu: &PsuMap<'_>) -> Result<f64> {
    let (tw, _) = weighted_totals(z, w);
    let inv_w = 1.0 / positive_total(tw)?;
    let mut acc = psu.accumulator();
    for (i, &zi) in z.iter().enumerate() {
        let wi = w.map_or(1.0, |w| w[i]);
        psu.add(&mut acc, i, wi * zi * inv_w);
    }
    psu.variance(&acc)
}

/// Shared driver: missing policy, validation, value, SE and interval.
fn estimate(
    index: InequalityIndex,
    values: &[f64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<Estimate> {
    check_level("level", opts.level)?;
    check_index(index)?;
    let cols = prepare(
        &[("values", values)],
        design.weights,
        &[("cluster", design.cluster), ("strata", design.strata)],
        opts.missing,
    )?;
    let y: &[f64] = &cols.floats[0];
    let w = cols.weights.as_deref();
    check_values(index, y)?;
    let psu = PsuMap::new(cols.ints[0].as_deref(), cols.ints[1].as_deref())?;
    let with_se = opts.se == SeChoice::Linearized;
    let (value, z) = value_and_influence(index, y, w, with_se)?;
    let name = label(index);
    let n = y.len();
    Ok(match z {
        None => Estimate::point(value, opts.level, format!("{name}; no SE"))
            .with_note("no SE requested (se=\"none\")"),
        Some(z) => {
            let var = linearized_variance(&z, w, &psu)?;
            Estimate::wald(
                value,
                var.max(0.0).sqrt(),
                opts.level,
                z_value(opts.level)?,
                format!(
                    "{name}; SE linearized ({}; with-replacement PSU variance)",
                    psu.label()
                ),
            )
        }
    }
    .with_n(n))
}

/// Influence values `z_i = W·∂T/∂w_i` of an inequality index in input order
/// (no missing values allowed): the variable whose weighted PSU totals give
/// the linearized variance. Useful for custom variance estimators
/// (replicate weights, bootstrap) and to check the derivation by finite
/// differences.
///
/// # Errors
/// As the index itself.
pub fn inequality_influence(
    index: InequalityIndex,
    values: &[f64],
    weights: Option<&[f64]>,
) -> Result<Vec<f64>> {
    check_index(index)?;
    let cols = prepare(&[("values", values)], weights, &[], MissingPolicy::Error)?;
    let y: &[f64] = &cols.floats[0];
    check_values(index, y)?;
    let (_, z) = value_and_influence(index, y, cols.weights.as_deref(), true)?;
    Ok(z.unwrap_or_default())
}

/// Weighted Gini coefficient with an SE by the chosen method (the
/// concentration index of `values` ranked by themselves, midpoint ties). A
/// constant `values` gives 0 with no SE.
///
/// # Errors
/// Negative or non-finite `values`, zero mean, bad weights, design or level.
pub fn gini(values: &[f64], design: Design<'_>, opts: &GiniOptions) -> Result<Estimate> {
    check_level("level", opts.level)?;
    validate::non_empty("values", values)?;
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(Error::OutOfDomain {
            arg: "values",
            index,
            value,
            requirement: "non-negative",
        });
    }
    let o = ConcentrationOptions {
        se: opts.se,
        level: opts.level,
        missing: opts.missing,
        ties: Ties::Midpoint,
        ..ConcentrationOptions::default()
    };
    let rename = |e: Error| match e {
        Error::ZeroMean { .. } => Error::ZeroMean {
            arg: "values",
            what: "Gini".into(),
        },
        Error::NonFinite {
            arg: "outcome" | "rank_by",
            index,
            value,
        } => Error::NonFinite {
            arg: "values",
            index,
            value,
        },
        Error::Missing {
            arg: "outcome" | "rank_by",
            index,
            options,
        } => Error::Missing {
            arg: "values",
            index,
            options,
        },
        Error::Empty {
            arg: "outcome" | "rank_by",
        } => Error::Empty { arg: "values" },
        e => e,
    };
    match concentration_index(values, values, design, &o) {
        Err(Error::Degenerate { arg: "rank_by", .. }) => {
            let cols = prepare(&[("values", values)], design.weights, &[], opts.missing)?;
            let n = cols.floats[0].len();
            mean(&cols.floats[0], cols.weights.as_deref(), "Gini")?;
            Ok(Estimate::point(0.0, opts.level, "Gini (all values equal)")
                .with_note("all values are equal: the Gini coefficient is 0 and has no SE")
                .with_n(n))
        }
        Err(e) => Err(rename(e)),
        Ok(r) => {
            let mut e = r.estimate;
            e.method = e.method.replace("concentration index (standard)", "Gini");
            Ok(e.with_n(r.n))
        }
    }
}

/// Generalized entropy GE(α) (α = 0: MLD, α = 1: Theil T) with a linearized SE.
///
/// # Errors
/// Negative `values`; zeros when α ≤ 0; zero mean; bad weights or design;
/// non-finite α; `level` outside (0, 1).
pub fn generalized_entropy(
    values: &[f64],
    alpha: f64,
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<Estimate> {
    estimate(
        InequalityIndex::GeneralizedEntropy(alpha),
        values,
        design,
        opts,
    )
}

/// Theil T index, GE(1).
///
/// # Errors
/// As [`generalized_entropy`].
pub fn theil(values: &[f64], design: Design<'_>, opts: &InequalityOptions) -> Result<Estimate> {
    generalized_entropy(values, 1.0, design, opts)
}

/// Mean log deviation, GE(0).
///
/// # Errors
/// As [`generalized_entropy`].
pub fn mld(values: &[f64], design: Design<'_>, opts: &InequalityOptions) -> Result<Estimate> {
    generalized_entropy(values, 0.0, design, opts)
}

/// Atkinson index with inequality aversion `epsilon ≥ 0`.
///
/// # Errors
/// Negative `values`, zeros when ε ≥ 1, zero mean, negative ε, bad design.
pub fn atkinson(
    values: &[f64],
    epsilon: f64,
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<Estimate> {
    estimate(InequalityIndex::Atkinson(epsilon), values, design, opts)
}

/// Hoover (Robin Hood, Pietra) index `Σw|y − μ|/(2Wμ)`.
///
/// # Errors
/// Negative `values`, zero mean, bad weights or design.
pub fn hoover(values: &[f64], design: Design<'_>, opts: &InequalityOptions) -> Result<Estimate> {
    estimate(InequalityIndex::Hoover, values, design, opts)
}

/// Ratio of the share of the total above the `upper` population quantile to
/// the share below the `lower` one (S80/S20 with 0.2, 0.8; Palma with 0.4, 0.9).
///
/// # Errors
/// `lower`/`upper` outside (0, 1) or `lower > upper`, negative `values`, zero
/// total, nothing below `lower`, bad design.
pub fn quantile_share_ratio(
    values: &[f64],
    lower: f64,
    upper: f64,
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<Estimate> {
    estimate(
        InequalityIndex::QuantileShareRatio { lower, upper },
        values,
        design,
        opts,
    )
}

/// Palma ratio: share of the top 10% over the share of the bottom 40%.
///
/// # Errors
/// As [`quantile_share_ratio`].
pub fn palma(values: &[f64], design: Design<'_>, opts: &InequalityOptions) -> Result<Estimate> {
    quantile_share_ratio(values, 0.4, 0.9, design, opts)
}

/// Point value of GE(α) for internal callers (decomposition): no SE.
pub(crate) fn ge_value(values: &[f64], alpha: f64, weights: Option<&[f64]>) -> Result<f64> {
    let opts = InequalityOptions {
        se: SeChoice::None,
        ..InequalityOptions::default()
    };
    let d = Design {
        weights,
        ..Design::default()
    };
    generalized_entropy(values, alpha, d, &opts).map(|e| e.value)
}
