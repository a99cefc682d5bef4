//! Health expectancy (healthy life years) by the Sullivan method, with the
//! gap between two groups.
//!
//! The life table is the abridged Chiang II table of
//! [`life_table`](super::life_table) (same layouts, same checks), with the
//! fraction of each band lived by those who die in it (`ax`) settable per
//! band. With `hᵢ` the proportion of band i in the health state (the
//! *prevalence* of good health, for example good self-rated health or no
//! long-standing activity limitation), `Lᵢ` the person-years lived in the
//! band and `lₓ` the survivors at age x (Jagger et al., *Health expectancy
//! calculation by the Sullivan method: a practical guide*):
//!
//! ```text
//! HLEₓ = Σ_{i≥x} hᵢ Lᵢ / lₓ          (health expectancy: years in good health)
//! LEₓ  = Σ_{i≥x} Lᵢ / lₓ             (life expectancy)
//! Rₓ   = Σ_{i≥x} hᵢ Lᵢ / Σ_{i≥x} Lᵢ  (proportion of remaining life in good health)
//! ```
//!
//! Variance (both components, Mathers 1991; the guide's prevalence term and
//! Chiang's life-table term):
//!
//! ```text
//! Var(hᵢ)    = hᵢ(1 − hᵢ)/nᵢ, or the given SE², or with counts h = y/n: h(1 − h)/n
//! cᵢ  = lᵢ((1 − aᵢ)nᵢ + LEᵢ₊₁),   c'ᵢ = lᵢ(hᵢ(1 − aᵢ)nᵢ + HLEᵢ₊₁),   vᵢ = Var(qᵢ) = qᵢ²(1 − qᵢ)/Dᵢ
//! last band: c_ω = l_ω, c'_ω = h_ω l_ω, v_ω = Var(1/M_ω) = 1/(D_ω M_ω²)   (Silcocks)
//! Var(LEₓ)  = Σ cᵢ² vᵢ / lₓ²                                (Chiang, as in life_expectancy)
//! Var(HLEₓ) = [Σ c'ᵢ² vᵢ + Σ Lᵢ² Var(hᵢ)] / lₓ²
//! Var(Rₓ)   = [Σ (c'ᵢ − Rₓcᵢ)² vᵢ + Σ Lᵢ² Var(hᵢ)] / Tₓ²      (delta method)
//! ```
//!
//! The mortality terms are the derivatives of the health expectancy with
//! respect to each band's death probability (and to `1/M` in the open band);
//! with `h = 1` everywhere they give Chiang's variance, so the health
//! expectancy is then the life expectancy with its SE.
//! [`HealthExpectancyOptions::mortality_variance`] `= false` keeps only the
//! prevalence term (the guide's worked examples).
//!
//! Limits are normal (`value ± z·se`). Undefined values are NaN with a
//! [`LifeTableNote`](super::LifeTableNote) as in the life table (no deaths
//! in the open band, ages nobody reaches). There is no suppression rule.

// Here: the public input types and the driver; `table`: the result columns;
// `sullivan`: one group's table with its Chiang and prevalence variance;
// `gap`: the gap between two groups.
mod gap;
mod sullivan;
mod table;

pub use gap::{HealthGaps, health_expectancy_gap};
pub use table::HealthExpectancies;

use super::grouped::Groups;
use super::life_table::STANDARD_20;
use super::{MissingPolicy, check_levels};
use crate::error::{Error, MissingOptions, Result};
use rayon::prelude::*;
use sullivan::{GroupOut, Scratch, group};

/// The prevalence of the health state per row (proportions in good health).
#[derive(Debug, Clone, Copy)]
pub enum Prevalence<'a> {
    /// Proportions with the sample size each was estimated from:
    /// `Var(h) = h(1 − h)/n`.
    SampleSize {
        /// Proportion in the health state, in [0, 1].
        prevalence: &'a [f64],
        /// Respondents behind each proportion (> 0).
        n: &'a [f64],
    },
    /// Proportions with their standard errors (survey designs: carries the
    /// design effect in).
    StandardError {
        /// Proportion in the health state, in [0, 1].
        prevalence: &'a [f64],
        /// Standard error of each proportion (≥ 0).
        se: &'a [f64],
    },
    /// Numerator and denominator from a survey: `h = healthy/respondents`,
    /// `Var(h) = h(1 − h)/respondents`.
    Counts {
        /// Respondents in the health state.
        healthy: &'a [f64],
        /// Respondents (> 0).
        respondents: &'a [f64],
    },
}

/// The input columns of [`health_expectancy_by`], one entry per row (one row
/// per group and age band).
#[derive(Debug, Clone, Copy)]
pub struct HealthExpectancyInput<'a> {
    /// Deaths per band.
    pub count: &'a [f64],
    /// Population (person-years at risk) per band.
    pub population: &'a [f64],
    /// Start age of each row's band.
    pub age: &'a [f64],
    /// Prevalence of the health state per band.
    pub prevalence: Prevalence<'a>,
    /// Fraction of the band lived by those who die in it, per row (in
    /// [0, 1]; unused in the open-ended band). `None`: 0.1 for the infant
    /// band [0, 1) and 0.5 otherwise, as in the life table.
    pub ax: Option<&'a [f64]>,
}

/// Options of [`health_expectancy_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct HealthExpectancyOptions {
    /// Confidence levels.
    pub levels: Vec<f64>,
    /// Expected band start ages (every group must have exactly these);
    /// `None` accepts any increasing layout starting at 0. Default:
    /// [`STANDARD_20`].
    pub layout: Option<Vec<f64>>,
    /// Include the life-table (Chiang) component in the SEs of the health
    /// expectancy and the proportion healthy (default `true`); `false` keeps
    /// the prevalence sampling component only.
    pub mortality_variance: bool,
    /// Missing values: [`MissingPolicy::Error`] (default), [`MissingPolicy::Drop`] (the
    /// row goes, so its band is then missing) or [`MissingPolicy::Zero`] (a missing
    /// death count is 0 deaths).
    pub missing: MissingPolicy,
}

impl Default for HealthExpectancyOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            layout: Some(STANDARD_20.to_vec()),
            mortality_variance: true,
            missing: MissingPolicy::Error,
        }
    }
}

/// The three measures of a Sullivan table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HealthMeasure {
    /// Life expectancy (years).
    LifeExpectancy,
    /// Health expectancy: years lived in the health state.
    HealthExpectancy,
    /// Proportion of the remaining life lived in the health state.
    ProportionHealthy,
}

impl HealthMeasure {
    /// The three measures, in output order.
    pub const ALL: [HealthMeasure; 3] = [
        HealthMeasure::LifeExpectancy,
        HealthMeasure::HealthExpectancy,
        HealthMeasure::ProportionHealthy,
    ];

    /// The measure's name in result frames.
    pub fn name(self) -> &'static str {
        match self {
            HealthMeasure::LifeExpectancy => "life_expectancy",
            HealthMeasure::HealthExpectancy => "health_expectancy",
            HealthMeasure::ProportionHealthy => "proportion_healthy",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Method of the health expectancy with both variance components.
pub const METHOD_FULL: &str =
    "Sullivan; SE from prevalence sampling and the Chiang life table (Mathers 1991)";
/// Method of the health expectancy with the prevalence component only.
pub const METHOD_PREVALENCE: &str = "Sullivan; SE from prevalence sampling only (Jagger et al.)";
/// Method of the proportion healthy.
pub const METHOD_PROPORTION: &str =
    "Sullivan: health expectancy / life expectancy; delta-method SE";
/// Method of a gap between two groups.
pub const METHOD_GAP: &str = "difference of independent groups; SE = sqrt(se1^2 + se2^2)";

fn check(input: &HealthExpectancyInput<'_>, opts: &HealthExpectancyOptions) -> Result<()> {
    check_levels(&opts.levels)?;
    let n = input.count.len();
    crate::validate::non_empty("count", input.count)?;
    crate::validate::same_length("population", "count", n, input.population.len())?;
    crate::validate::same_length("age_band", "count", n, input.age.len())?;
    for (arg, col) in input.prevalence.columns() {
        crate::validate::same_length(arg, "count", n, col.len())?;
    }
    if let Some(ax) = input.ax {
        crate::validate::same_length("ax", "count", n, ax.len())?;
    }
    if let Some(i) = input.age.iter().position(|a| a.is_infinite()) {
        return Err(Error::NonFinite {
            arg: "age_band",
            index: i,
            value: input.age[i],
        });
    }
    if let Some(layout) = &opts.layout {
        crate::validate::finite("layout", layout)?;
        if layout.first() != Some(&0.0) || layout.windows(2).any(|w| w[1] <= w[0]) {
            return Err(Error::invalid(
                "layout",
                "band start ages must increase strictly from 0",
            ));
        }
    }
    Ok(())
}

/// Life expectancy, health expectancy and the proportion of life in good
/// health at every band start age, per group (Sullivan method).
///
/// # Errors
/// A prevalence outside [0, 1] (or healthy respondents above respondents),
/// a sample size, respondents or population ≤ 0, a negative SE, negative
/// deaths or deaths above population, an `ax` outside [0, 1], a missing
/// value (see [`HealthExpectancyOptions::missing`]), a missing, repeated or
/// unexpected age band, bad levels or layout; each names its argument.
///
/// ```
/// use jamlik::indicators::{Groups, HealthExpectancyInput, HealthExpectancyOptions,
///     HealthMeasure, Prevalence, health_expectancy_by};
/// use jamlik::indicators::life_table::STANDARD_20;
/// let deaths: Vec<f64> = (0..20).map(|i| 5.0 + 3.0 * f64::from(i) * f64::from(i)).collect();
/// let population = vec![20_000.0; 20];
/// let healthy = vec![0.8; 20];
/// let n = vec![400.0; 20];
/// let input = HealthExpectancyInput {
///     count: &deaths,
///     population: &population,
///     age: &STANDARD_20,
///     prevalence: Prevalence::SampleSize { prevalence: &healthy, n: &n },
///     ax: None,
/// };
/// let t = health_expectancy_by(&input, &Groups::single(20), &HealthExpectancyOptions::default())?;
/// let le = t.estimate(0, HealthMeasure::LifeExpectancy, 0).unwrap();
/// let hle = t.estimate(0, HealthMeasure::HealthExpectancy, 0).unwrap();
/// assert!((hle.value - 0.8 * le.value).abs() < 1e-9);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn health_expectancy_by(
    input: &HealthExpectancyInput<'_>,
    groups: &Groups,
    opts: &HealthExpectancyOptions,
) -> Result<HealthExpectancies> {
    check(input, opts)?;
    groups.check_len("count", input.count.len())?;
    let [(pa, pc), (qa, qc)] = input.prevalence.columns();
    let mut columns = vec![
        ("count", input.count, true),
        ("population", input.population, false),
        ("age_band", input.age, false),
        (pa, pc, false),
        (qa, qc, false),
    ];
    if let Some(ax) = input.ax {
        columns.push(("ax", ax, false));
    }
    let groups = opts
        .missing
        .apply(groups, &columns, MissingOptions::DropOrZero)?;
    if groups.is_empty() {
        return Err(Error::Empty { arg: "count" });
    }
    let parts: Vec<Result<GroupOut>> = (0..groups.len())
        .into_par_iter()
        .map_init(Scratch::default, |s, g| {
            group(input, groups.rows(g), opts, s)
        })
        .collect();
    let mut t = HealthExpectancies {
        levels: opts.levels.clone(),
        mortality_variance: opts.mortality_variance,
        offsets: vec![0],
        first_row: groups.first_rows(),
        age: Vec::new(),
        population: Vec::new(),
        count: Vec::new(),
        value: Default::default(),
        se: Default::default(),
        note: Vec::new(),
    };
    for part in parts {
        let part = part?;
        t.age.extend(part.age);
        t.population.extend(part.population);
        t.count.extend(part.count);
        for m in 0..3 {
            t.value[m].extend_from_slice(&part.value[m]);
            t.se[m].extend_from_slice(&part.se[m]);
        }
        t.note.extend(part.note);
        t.offsets.push(t.age.len());
    }
    Ok(t)
}
