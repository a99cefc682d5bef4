//! Structured method descriptions of the HEAT measures.
//!
//! A measure records *how* it computed an estimate as a small [`Method`]
//! value (the measure kind plus the few parameters its sentence needs: the
//! compared rows, the declared scale, the number of draws...). The `method`
//! sentence is rendered from it by [`std::fmt::Display`]: once per estimate
//! for a single measure, but only once per *distinct* description in a
//! many-case summary, where 10⁵ cases share a handful of descriptions and
//! formatting a sentence per row would cost more than the measures.
//!
//! `Outcome` (crate-private) is an estimate whose method is still a [`Method`];
//! `Outcome::into_estimate` renders it into the public [`Estimate`].

use super::{Measure, Normalisation};
use crate::estimate::Estimate;
use std::borrow::Cow;
use std::fmt;

/// Which two subgroups D and R compare, and why (see `pairwise::choose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PairRule {
    /// Ordered, favourable: most advantaged − least advantaged.
    OrderedFavourable,
    /// Ordered, adverse: least advantaged − most advantaged.
    OrderedAdverse,
    /// Non-ordered without reference: highest − lowest estimate.
    HighestLowest,
    /// Non-ordered, favourable: reference − lowest non-reference estimate.
    ReferenceLowest,
    /// Non-ordered, adverse: highest non-reference estimate − reference.
    HighestReference,
}

/// The compared pair as the sentence names it: 0-based rows and how many
/// subgroups tied for each chosen extreme (1: no tie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PairChoice {
    /// Why these two.
    pub rule: PairRule,
    /// Row of y1.
    pub first: usize,
    /// Row of y2.
    pub second: usize,
    /// Subgroups tied as the first and as the second extreme.
    pub ties: [usize; 2],
}

/// Where the SII/RII scale came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScaleSource {
    /// healthequal's guess from max(estimate) (the value's bits).
    Guessed(u64),
    /// The declared `scale` (the value's bits).
    Declared(u64),
    /// Scale 1 for the linear fit without a declared scale.
    Unit,
}

/// How a HEAT estimate was computed; [`Display`](fmt::Display) renders the
/// `method` sentence. Floating-point parameters are kept as bits so that
/// descriptions can be compared and hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// A summary row whose measure is undefined for the case ("not computed").
    NotComputed,
    /// A sentence with no parameters.
    Fixed(&'static str),
    /// Difference D, with or without the Wald SE.
    Difference { pair: PairChoice, se: bool },
    /// Ratio R, with or without the delta-method SE of ln R.
    Ratio { pair: PairChoice, se: bool },
    /// Absolute concentration index (estimates normalised with lmin/lmax or not).
    Aci { bounded: bool },
    /// Relative concentration index with its normalisation.
    Rci(Normalisation),
    /// SII or RII: model, scale and weights.
    Regression {
        rii: bool,
        logistic: bool,
        scale: ScaleSource,
        weights: &'static str,
    },
    /// Theil index: zero estimates present, SE given.
    Theil { zeros: bool, se: bool },
    /// PAF or PAR.
    Attributable {
        paf: bool,
        reference: &'static str,
        mean: &'static str,
        truncated: bool,
        /// Walter's SE: the number of subgroups tied as reference.
        walter: Option<usize>,
    },
    /// A simulation-CI measure (BGSD, COV, MD*, IDIS*).
    Simulated {
        measure: Measure,
        centre: &'static str,
        /// Draws, whether the draws were capped at 100, and the seed.
        simulation: Option<(usize, bool, u64)>,
    },
}

const CONCENTRATION_SE: &str =
    "SE from HEAT's convenient regression (WLS of 2σ²·y on the rank, weights N, n − 2 df), Wald CI";

impl fmt::Display for PairChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tie = |f: &mut fmt::Formatter<'_>, ties: usize, which: &str| {
            if ties > 1 {
                write!(
                    f,
                    "; {ties} subgroups tied as the {which}, the first in input order is used"
                )
            } else {
                Ok(())
            }
        };
        write!(f, "rows {} and {}: ", self.first + 1, self.second + 1)?;
        match self.rule {
            PairRule::OrderedFavourable => {
                f.write_str("most advantaged − least advantaged (favourable indicator)")
            }
            PairRule::OrderedAdverse => {
                f.write_str("least advantaged − most advantaged (adverse indicator)")
            }
            PairRule::HighestLowest => {
                f.write_str("highest − lowest estimate (non-ordered, no reference)")?;
                tie(f, self.ties[0], "highest")?;
                tie(f, self.ties[1], "lowest")
            }
            PairRule::ReferenceLowest => {
                f.write_str("reference − lowest non-reference estimate (favourable)")?;
                tie(f, self.ties[1], "lowest non-reference")
            }
            PairRule::HighestReference => {
                f.write_str("highest non-reference estimate − reference (adverse)")?;
                tie(f, self.ties[0], "highest non-reference")
            }
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Method::NotComputed => f.write_str("not computed"),
            Method::Fixed(text) => f.write_str(text),
            Method::Difference { pair, se } => {
                write!(f, "difference D = y1 − y2, {pair}")?;
                if se {
                    f.write_str("; SE = √(s1² + s2²), Wald CI")?;
                }
                Ok(())
            }
            Method::Ratio { pair, se } => {
                write!(f, "ratio R = y1 / y2, {pair}")?;
                if se {
                    f.write_str("; se is SE(ln R) by the delta method, CI = exp(ln R ± z·se)")?;
                }
                Ok(())
            }
            Method::Aci { bounded } => write!(
                f,
                "absolute concentration index Σ w (2X − 1) y, {}{CONCENTRATION_SE}",
                if bounded {
                    "estimates normalised to 0–1 with lmin/lmax; "
                } else {
                    ""
                }
            ),
            Method::Rci(norm) => {
                let how = match norm {
                    Normalisation::None => {
                        "relative concentration index ACI / mean (a fraction, not ×100)"
                    }
                    Normalisation::Wagstaff => {
                        "Wagstaff-normalised RCI = RCI / (1 − mean) on the 0–1 scale"
                    }
                    Normalisation::Erreygers => {
                        "Erreygers-normalised RCI = 4·mean·RCI on the 0–1 scale"
                    }
                };
                write!(f, "{how}; {CONCENTRATION_SE}")
            }
            Method::Regression {
                rii,
                logistic,
                scale,
                weights,
            } => {
                f.write_str(if rii {
                    "relative index of inequality RII = ŷ(1)/ŷ(0), "
                } else {
                    "slope index of inequality SII = scale·(ŷ(1) − ŷ(0)), "
                })?;
                f.write_str(if logistic {
                    "logistic (quasi-binomial) regression"
                } else {
                    "linear weighted least squares"
                })?;
                f.write_str(" of estimate/scale on the population-weighted midpoint rank (")?;
                match scale {
                    ScaleSource::Guessed(bits) => write!(
                        f,
                        "scale {} guessed from max(estimate) as healthequal does",
                        f64::from_bits(bits)
                    )?,
                    ScaleSource::Declared(bits) => {
                        write!(f, "declared scale {}", f64::from_bits(bits))?;
                    }
                    ScaleSource::Unit => {
                        f.write_str("scale 1 (the linear fit does not depend on it)")?;
                    }
                }
                write!(
                    f,
                    "; {weights}); SE by the delta method with the HC1 sandwich covariance"
                )?;
                if rii {
                    f.write_str("; se is SE(ln RII), CI = exp(ln RII ± z·se)")?;
                }
                Ok(())
            }
            Method::Theil { zeros, se } => {
                f.write_str("Theil index 1000·Σ w (y/μ) ln(y/μ)")?;
                if zeros {
                    f.write_str("; zero estimates enter with the exact limit 0·ln 0 = 0")?;
                }
                if se {
                    f.write_str("; SE ×1000 by the delta method, Wald CI")?;
                }
                Ok(())
            }
            Method::Attributable {
                paf,
                reference,
                mean,
                truncated,
                walter,
            } => {
                f.write_str(if paf {
                    "population attributable fraction 100·(y_ref − m)/m"
                } else {
                    "population attributable risk y_ref − m"
                })?;
                write!(f, ", {reference}, m = {mean}")?;
                if truncated {
                    f.write_str("; truncated to 0 (the reference is on the wrong side of the mean), CI built around 0")?;
                }
                if let Some(tied) = walter {
                    f.write_str("; SE from Walter's (1978) variance of the attributable fraction")?;
                    f.write_str(if paf { " (×100)" } else { " (×|m|)" })?;
                    if tied > 1 {
                        write!(
                            f,
                            "; {tied} subgroups tied as reference, the largest population is used"
                        )?;
                    }
                    f.write_str(", Wald CI")?;
                }
                Ok(())
            }
            Method::Simulated {
                measure,
                centre,
                simulation,
            } => {
                write!(f, "{}{centre}", super::mean_difference::describe(measure))?;
                if let Some((draws, capped, seed)) = simulation {
                    write!(
                        f,
                        "; CI = quantiles (type 7) of {draws} simulated replicates, each estimate drawn from N(y, se) truncated to {} (ChaCha8, seed {seed})",
                        if capped { "[0, 100]" } else { "[0, ∞)" }
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// A note on an estimate: almost always a fixed sentence.
pub(crate) type Note = Cow<'static, str>;

/// A HEAT estimate whose method is still a [`Method`] (rendered on demand).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub value: f64,
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub method: Method,
    pub note: Option<Note>,
}

impl Outcome {
    /// A point estimate (no SE, no CI).
    pub(crate) fn point(value: f64, method: Method) -> Self {
        Self {
            value,
            se: None,
            lower: None,
            upper: None,
            method,
            note: None,
        }
    }

    /// A Wald interval `value ± z·se` (the arithmetic of [`Estimate::wald`]).
    pub(crate) fn wald(value: f64, se: f64, z: f64, method: Method) -> Self {
        Self {
            value,
            se: Some(se),
            lower: Some(value - z * se),
            upper: Some(value + z * se),
            method,
            note: None,
        }
    }

    /// The same outcome with a note.
    #[must_use]
    pub(crate) fn with_note(mut self, note: impl Into<Note>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The public estimate at `level`: the method sentence rendered.
    pub(crate) fn into_estimate(self, level: f64) -> Estimate {
        Estimate {
            value: self.value,
            se: self.se,
            lower: self.lower,
            upper: self.upper,
            level,
            method: self.method.to_string(),
            note: self.note.map(Cow::into_owned),
            n: None,
        }
    }
}
