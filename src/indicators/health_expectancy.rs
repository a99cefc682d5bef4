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
//! [`LifeTableNote`] as in the life table (no deaths in the open band, ages
//! nobody reaches). There is no suppression rule.

use super::grouped::Groups;
use super::life_table::{LifeTableNote, STANDARD_20, Table, band_order};
use super::{MissingPolicy, check_count, check_levels, check_positive, z};
use crate::Estimate;
use crate::error::{Error, MissingOptions, Result};
use rayon::prelude::*;

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

impl Prevalence<'_> {
    /// The two columns with their argument names.
    fn columns(&self) -> [(&'static str, &[f64]); 2] {
        match *self {
            Prevalence::SampleSize { prevalence, n } => {
                [("prevalence", prevalence), ("prevalence_n", n)]
            }
            Prevalence::StandardError { prevalence, se } => {
                [("prevalence", prevalence), ("prevalence_se", se)]
            }
            Prevalence::Counts {
                healthy,
                respondents,
            } => [("healthy", healthy), ("respondents", respondents)],
        }
    }

    /// The proportion and its sampling variance at row `i`.
    fn at(&self, i: usize) -> Result<(f64, f64)> {
        let [(a, x), (b, y)] = self.columns();
        let (x, y) = (x[i], y[i]);
        if x.is_nan() {
            return Err(Error::Missing {
                arg: a,
                index: i,
                options: MissingOptions::Drop,
            });
        }
        match self {
            Prevalence::SampleSize { .. } | Prevalence::StandardError { .. } => {
                if !(0.0..=1.0).contains(&x) {
                    return Err(Error::invalid(
                        "prevalence",
                        format!(
                            "must be a proportion in [0, 1], got {x} at row {i}; \
                             divide percentages by 100"
                        ),
                    ));
                }
                if matches!(self, Prevalence::SampleSize { .. }) {
                    check_positive(b, i, y)?;
                    Ok((x, x * (1.0 - x) / y))
                } else {
                    check_count(b, i, y)?;
                    Ok((x, y * y))
                }
            }
            Prevalence::Counts { .. } => {
                check_count(a, i, x)?;
                check_positive(b, i, y)?;
                if x > y {
                    return Err(Error::invalid(
                        "healthy",
                        format!(
                            "{x} healthy respondents at row {i} exceed the {y} respondents; \
                             `healthy` is the numerator of `respondents`"
                        ),
                    ));
                }
                let h = x / y;
                Ok((h, h * (1.0 - h) / y))
            }
        }
    }
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

/// Sullivan tables of many groups, column by column: one entry per (group,
/// band), the groups in order of first appearance, the bands of each group
/// by start age. NaN marks an undefined number ([`HealthExpectancies::note`]
/// says why).
#[derive(Debug, Clone, PartialEq)]
pub struct HealthExpectancies {
    levels: Vec<f64>,
    mortality_variance: bool,
    offsets: Vec<usize>,
    first_row: Vec<usize>,
    age: Vec<f64>,
    population: Vec<f64>,
    count: Vec<f64>,
    value: [Vec<f64>; 3],
    se: [Vec<f64>; 3],
    note: Vec<Option<LifeTableNote>>,
}

impl HealthExpectancies {
    /// Number of rows (all groups' bands).
    pub fn len(&self) -> usize {
        self.age.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// Number of groups.
    pub fn groups(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The rows of group `g`.
    pub fn group(&self, g: usize) -> std::ops::Range<usize> {
        self.offsets[g]..self.offsets[g + 1]
    }

    /// Row offsets of the groups (`offsets[g]..offsets[g + 1]`).
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// First input row of each group (to attach the group keys).
    pub fn first_row(&self) -> &[usize] {
        &self.first_row
    }

    /// The confidence levels, in the order requested.
    pub fn levels(&self) -> &[f64] {
        &self.levels
    }

    /// Start age of each row's band.
    pub fn age(&self) -> &[f64] {
        &self.age
    }

    /// Population at each row's age and older.
    pub fn population(&self) -> &[f64] {
        &self.population
    }

    /// Deaths at each row's age and older.
    pub fn count(&self) -> &[f64] {
        &self.count
    }

    /// Values of one measure (NaN where undefined).
    pub fn value_nan(&self, measure: HealthMeasure) -> &[f64] {
        &self.value[measure.index()]
    }

    /// Standard errors of one measure (NaN where undefined).
    pub fn se_nan(&self, measure: HealthMeasure) -> &[f64] {
        &self.se[measure.index()]
    }

    /// Normal limits `value ∓ z·se` of one measure at the `k`-th level.
    pub fn limits_nan(&self, measure: HealthMeasure, k: usize) -> (Vec<f64>, Vec<f64>) {
        let zk = z(self.levels[k]);
        let (v, s) = (self.value_nan(measure), self.se_nan(measure));
        v.iter()
            .zip(s)
            .map(|(&v, &s)| (v - zk * s, v + zk * s))
            .unzip()
    }

    /// Why row `i` has no numbers, if it has none.
    pub fn note(&self, i: usize) -> Option<LifeTableNote> {
        self.note[i]
    }

    /// Why row `i` has no numbers, as a sentence.
    pub fn note_text(&self, i: usize) -> Option<&'static str> {
        self.note[i].map(|n| match n {
            LifeTableNote::NoDeathsInLastBand => {
                "undefined: no deaths in the open-ended last band (its mortality rate is 0)"
            }
            LifeTableNote::NobodySurvives => {
                "undefined: nobody survives to this age (q = 1 in a younger band)"
            }
            LifeTableNote::SmallPopulation | LifeTableNote::WideInterval => "suppressed",
        })
    }

    /// The method of one measure.
    pub fn method(&self, measure: HealthMeasure) -> &'static str {
        match measure {
            HealthMeasure::LifeExpectancy => super::life_table::METHOD,
            HealthMeasure::HealthExpectancy if self.mortality_variance => METHOD_FULL,
            HealthMeasure::HealthExpectancy => METHOD_PREVALENCE,
            HealthMeasure::ProportionHealthy => METHOD_PROPORTION,
        }
    }

    /// Row `i`, one measure, at the `k`-th level as the crate's [`Estimate`];
    /// `None` when the row has no number (see [`HealthExpectancies::note`]) or
    /// there is no `k`-th level.
    pub fn estimate(&self, i: usize, measure: HealthMeasure, k: usize) -> Option<Estimate> {
        let level = *self.levels.get(k)?;
        let value = self.value_nan(measure)[i];
        if value.is_nan() {
            return None;
        }
        let se = self.se_nan(measure)[i];
        Some(Estimate::wald(
            value,
            se,
            level,
            z(level),
            self.method(measure),
        ))
    }
}

/// One group's rows.
struct GroupOut {
    age: Vec<f64>,
    population: Vec<f64>,
    count: Vec<f64>,
    value: [Vec<f64>; 3],
    se: [Vec<f64>; 3],
    note: Vec<Option<LifeTableNote>>,
}

/// Per-thread working memory.
#[derive(Default)]
struct Scratch {
    order: Vec<usize>,
    starts: Vec<f64>,
    table: Table,
    h: Vec<f64>,
    var_h: Vec<f64>,
    ax: Vec<f64>,
}

#[allow(clippy::too_many_lines)]
fn group(
    input: &HealthExpectancyInput<'_>,
    rows: &[usize],
    opts: &HealthExpectancyOptions,
    s: &mut Scratch,
) -> Result<GroupOut> {
    band_order(
        input.age,
        rows,
        opts.layout.as_deref(),
        &mut s.order,
        &mut s.starts,
    )?;
    let k = s.order.len();
    if k < 2 {
        return Err(Error::too_few("a life table", "age bands", 2, k));
    }
    let table = &mut s.table;
    table.d.clear();
    table.p.clear();
    s.h.clear();
    s.var_h.clear();
    s.ax.clear();
    for &i in &s.order {
        let mut d = input.count[i];
        if d.is_nan() && opts.missing == MissingPolicy::Zero {
            d = 0.0;
        }
        let p = input.population[i];
        check_count("count", i, d)?;
        check_positive("population", i, p)?;
        if d > p {
            return Err(Error::OutOfBounds {
                arg: "count",
                index: i,
                value: d,
                lower: 0.0,
                upper: p,
            });
        }
        let (h, var_h) = input.prevalence.at(i)?;
        if let Some(ax) = input.ax {
            let a = ax[i];
            check_count("ax", i, a)?;
            if a > 1.0 {
                return Err(Error::invalid(
                    "ax",
                    format!(
                        "the fraction of a band lived by those who die in it must lie in [0, 1], \
                         got {a} at row {i}"
                    ),
                ));
            }
            s.ax.push(a);
        }
        table.d.push(d);
        table.p.push(p);
        s.h.push(h);
        s.var_h.push(var_h);
    }
    let mut out = GroupOut {
        age: s.starts.clone(),
        population: vec![0.0; k],
        count: vec![0.0; k],
        value: [vec![f64::NAN; k], vec![f64::NAN; k], vec![f64::NAN; k]],
        se: [vec![f64::NAN; k], vec![f64::NAN; k], vec![f64::NAN; k]],
        note: vec![None; k],
    };
    let (mut sp, mut sd) = (0.0, 0.0);
    for j in (0..k).rev() {
        sp += table.p[j];
        sd += table.d[j];
        out.population[j] = sp;
        out.count[j] = sd;
    }
    table.compute(&s.starts, input.ax.map(|_| s.ax.as_slice()));
    if table.no_deaths_in_last_band() {
        out.note = vec![Some(LifeTableNote::NoDeathsInLastBand); k];
        return Ok(out);
    }
    let table = &*table;
    let (h, var_h) = (&s.h, &s.var_h);
    let last = k - 1;
    // Healthy person-years from the oldest band down, and the health expectancy.
    let mut hle = vec![0.0; k];
    let mut t_healthy = vec![0.0; k];
    let mut acc = 0.0;
    for j in (0..k).rev() {
        acc += h[j] * table.big_l[j];
        t_healthy[j] = acc;
        hle[j] = if table.l[j] > 0.0 {
            acc / table.l[j]
        } else {
            0.0
        };
    }
    // Mortality sensitivities c (life expectancy), c' (health expectancy)
    // and the variance v of each band's mortality parameter.
    let mut c = vec![0.0; k];
    let mut c_h = vec![0.0; k];
    let mut v = vec![0.0; k];
    for j in 0..k {
        let l = table.l[j];
        if l == 0.0 {
            continue;
        }
        if j == last {
            c[j] = l;
            c_h[j] = h[j] * l;
            v[j] = 1.0 / (table.d[j] * table.m[j] * table.m[j]);
        } else {
            let died = (1.0 - table.a[j]) * table.width[j];
            c[j] = l * (died + table.e[j + 1]);
            c_h[j] = l * (h[j] * died + hle[j + 1]);
            v[j] = table.var_q(j);
        }
    }
    let mortality = if opts.mortality_variance { 1.0 } else { 0.0 };
    let (mut var_le, mut var_hle_mort, mut var_prev) = (0.0, 0.0, 0.0);
    for j in (0..k).rev() {
        var_le += c[j] * c[j] * v[j];
        var_hle_mort += c_h[j] * c_h[j] * v[j];
        var_prev += table.big_l[j] * table.big_l[j] * var_h[j];
        let l = table.l[j];
        if l == 0.0 {
            out.note[j] = Some(LifeTableNote::NobodySurvives);
            continue;
        }
        let t = table.t[j];
        let r = t_healthy[j] / t;
        let mut var_r_mort = 0.0;
        for i in j..k {
            let g = c_h[i] - r * c[i];
            var_r_mort += g * g * v[i];
        }
        out.value[0][j] = table.e[j];
        out.se[0][j] = var_le.sqrt() / l;
        out.value[1][j] = hle[j];
        out.se[1][j] = (mortality * var_hle_mort + var_prev).sqrt() / l;
        out.value[2][j] = r;
        out.se[2][j] = (mortality * var_r_mort + var_prev).sqrt() / t;
    }
    Ok(out)
}

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

/// Gaps `first − second` between two independent groups' estimates (health
/// expectancies, or any of the three measures), column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthGaps {
    /// The confidence levels.
    pub levels: Vec<f64>,
    /// The differences (NaN where either value is missing).
    pub value: Vec<f64>,
    /// `√(se₁² + se₂²)`.
    pub se: Vec<f64>,
    /// Lower limits, one column per level.
    pub lower: Vec<Vec<f64>>,
    /// Upper limits, one column per level.
    pub upper: Vec<Vec<f64>>,
}

impl HealthGaps {
    /// Gap `i` at the `k`-th level as an [`Estimate`] (`None` when missing).
    pub fn estimate(&self, i: usize, k: usize) -> Option<Estimate> {
        let value = *self.value.get(i)?;
        let level = *self.levels.get(k)?;
        if value.is_nan() {
            return None;
        }
        Some(Estimate::wald(
            value,
            self.se[i],
            level,
            z(level),
            METHOD_GAP,
        ))
    }
}

/// The gap between two independent groups: `first − second` with SE
/// `√(se₁² + se₂²)` and normal limits. A missing (NaN) value or SE gives a
/// missing gap.
///
/// # Errors
/// Columns of different lengths, a negative or infinite SE, bad levels.
///
/// ```
/// use jamlik::indicators::health_expectancy_gap;
/// let g = health_expectancy_gap(&[62.0], &[0.3], &[60.0], &[0.4], &[0.95])?;
/// let e = g.estimate(0, 0).unwrap();
/// assert!((e.value - 2.0).abs() < 1e-12 && (e.se.unwrap() - 0.5).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn health_expectancy_gap(
    first: &[f64],
    first_se: &[f64],
    second: &[f64],
    second_se: &[f64],
    levels: &[f64],
) -> Result<HealthGaps> {
    check_levels(levels)?;
    let n = first.len();
    crate::validate::same_length("first_se", "first", n, first_se.len())?;
    crate::validate::same_length("second", "first", n, second.len())?;
    crate::validate::same_length("second_se", "first", n, second_se.len())?;
    for (arg, col) in [("first_se", first_se), ("second_se", second_se)] {
        for (i, &s) in col.iter().enumerate() {
            if !s.is_nan() {
                check_count(arg, i, s)?;
            }
        }
    }
    let value: Vec<f64> = first.iter().zip(second).map(|(a, b)| a - b).collect();
    let se: Vec<f64> = first_se
        .iter()
        .zip(second_se)
        .map(|(a, b)| a.hypot(*b))
        .collect();
    let (lower, upper) = levels
        .iter()
        .map(|&level| {
            let zl = z(level);
            value
                .iter()
                .zip(&se)
                .map(|(&v, &s)| (v - zl * s, v + zl * s))
                .unzip()
        })
        .unzip();
    Ok(HealthGaps {
        levels: levels.to_vec(),
        value,
        se,
        lower,
        upper,
    })
}
