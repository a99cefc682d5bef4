//! Life expectancy by Chiang's abridged life table (Chiang II), with the
//! Silcocks et al. (2001) variance term for the open-ended final band.
//!
//! For band i with start age xᵢ, width nᵢ, deaths Dᵢ, population Pᵢ and
//! `Mᵢ = Dᵢ/Pᵢ`; `aᵢ` = 0.1 for the infant band [0, 1) and 0.5 otherwise:
//!
//! ```text
//! qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ))   (1 when nᵢMᵢaᵢ ≥ 1, and 1 in the last band)
//! l₀ = 100 000, lᵢ₊₁ = lᵢ(1 − qᵢ), dᵢ = lᵢ − lᵢ₊₁
//! Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ),  L_ω = l_ω / M_ω
//! eᵢ = Σ_{j≥i} Lⱼ / lᵢ
//! Var(qᵢ) = qᵢ²(1 − qᵢ)/Dᵢ (0 when dᵢ = 0)
//! Wᵢ = lᵢ² Var(qᵢ) ((1 − aᵢ)nᵢ + eᵢ₊₁)²,  W_ω = l_ω² / (D_ω M_ω²)
//! SE(eᵢ) = √(Σ_{j≥i} Wⱼ) / lᵢ
//! ```
//!
//! Any layout of bands works (0, 1–4, five-year bands to 85+, 90+ or 95+ as
//! Swedish statistics publish, or the 20 standard bands of Fingertips); give
//! the expected layout in [`LifeTableOptions::layout`] so that a group with a
//! missing band is an error rather than a silently wider band.
//!
//! Suppression rules (both options, on by default as in Fingertips): a group
//! whose total population is at most 5 000 gets no values; a value whose 95%
//! interval is wider than 20 years is withheld (its limits are still given).
//! Deaths are the `count` of a life table (as in every other indicator, the
//! numerator); `missing = MissingPolicy::Zero` counts a missing death count as
//! none, `MissingPolicy::Drop` drops the row (and then its band is missing).
//!
//! The code is in three parts: this module (options and the columnar
//! result), `chiang` (one group's table) and `grouped` (all groups in
//! parallel, the public entry points).
//!
//! Undefined values are `None` with a note: no deaths in the open-ended band
//! (M_ω = 0 makes L_ω infinite) and ages that nobody reaches (l = 0 after a
//! band with q = 1).

mod chiang;
mod grouped;

pub(in crate::indicators) use chiang::{Table, band_order};
pub use grouped::{life_expectancy, life_expectancy_by, life_tables_by};

use super::{Indicator, Limits, MissingPolicy};
use serde::Serialize;

/// The 20 standard bands of Fingertips: 0, 1–4, 5–9, …, 85–89, 90+.
pub const STANDARD_20: [f64; 20] = [
    0.0, 1.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0,
    75.0, 80.0, 85.0, 90.0,
];

/// Options of [`life_expectancy`].
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableOptions {
    /// Confidence levels.
    pub levels: Vec<f64>,
    /// Expected band start ages (every group must have exactly these); `None`
    /// accepts any increasing layout starting at 0. Default: [`STANDARD_20`].
    pub layout: Option<Vec<f64>>,
    /// Suppress a group whose total population is at most this (default 5 000).
    pub min_population: Option<f64>,
    /// Withhold a value whose 95% interval is wider than this many years (default 20).
    pub max_ci_width: Option<f64>,
    /// Missing values: [`MissingPolicy::Error`] (default), [`MissingPolicy::Drop`] or
    /// [`MissingPolicy::Zero`] (a missing death count is 0 deaths).
    pub missing: MissingPolicy,
}

impl Default for LifeTableOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            layout: Some(STANDARD_20.to_vec()),
            min_population: Some(5000.0),
            max_ci_width: Some(20.0),
            missing: MissingPolicy::Error,
        }
    }
}

/// Life expectancy at one age (the row view of [`LifeTables`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeTableRow {
    /// Start age of the band.
    pub age: f64,
    /// Standard error of the life expectancy, when defined.
    pub se: Option<f64>,
    /// Population at this age and older.
    pub population: f64,
    /// Deaths (the count) at this age and older.
    pub count: f64,
    /// Life expectancy and limits (method "Chiang, using Silcocks et al for confidence limits").
    pub indicator: Indicator,
}

/// The method of every life expectancy.
pub const METHOD: &str = "Chiang, using Silcocks et al for confidence limits";

/// Why a life expectancy is missing or withheld; [`LifeTables::note_text`]
/// gives the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[repr(u8)]
pub enum LifeTableNote {
    /// The group's total population is at most `min_population`: no value, no limits.
    SmallPopulation = 1,
    /// No deaths in the open-ended last band (its mortality rate is 0, so
    /// `L_ω` is infinite): no value, no limits.
    NoDeathsInLastBand = 2,
    /// Nobody survives to this age (q = 1 in a younger band): no value, no limits.
    NobodySurvives = 3,
    /// The 95% interval is wider than `max_ci_width`: value withheld, limits given.
    WideInterval = 4,
}

/// Life tables of many groups, column by column: one entry per (group, band),
/// the groups in order of first appearance, the bands of each group by start
/// age.
///
/// Columnar so that one call over a long frame (17 400 groups × 20 bands)
/// fills a handful of vectors instead of allocating a result per row, and so
/// that the columns move to numpy without copying. The accessors give `None`
/// for a missing number ([`LifeTables::note`] says why); the `*_nan` slices
/// and [`LifeTables::into_columns`] hold NaN in its place, for array libraries.
///
/// ```
/// use jamlik::indicators::{life_tables_by, Groups, LifeTableOptions};
/// use jamlik::indicators::life_table::STANDARD_20;
/// // Two areas, 20 bands each.
/// let deaths: Vec<f64> = (0..40).map(|i| 5.0 + 3.0 * f64::from(i % 20).powi(2)).collect();
/// let population = vec![20_000.0; 40];
/// let ages: Vec<f64> = STANDARD_20.iter().chain(&STANDARD_20).copied().collect();
/// let codes: Vec<i64> = (0..40).map(|i| i / 20).collect();
/// let groups = Groups::from_codes(&codes)?;
/// let t = life_tables_by(&deaths, &population, &ages, &groups, &LifeTableOptions::default())?;
/// assert_eq!((t.groups(), t.len()), (2, 40));
/// let at_birth = t.group(1).start;
/// assert_eq!(t.age()[at_birth], 0.0);
/// assert!(t.value(at_birth).unwrap() > 40.0);
/// assert_eq!(t.row(at_birth).indicator.value, t.value(at_birth));
/// # Ok::<(), jamlik::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTables {
    pub(super) levels: Vec<f64>,
    pub(super) min_population: Option<f64>,
    pub(super) max_ci_width: Option<f64>,
    pub(super) offsets: Vec<usize>,
    pub(super) first_row: Vec<usize>,
    pub(super) age: Vec<f64>,
    pub(super) value: Vec<f64>,
    pub(super) se: Vec<f64>,
    pub(super) population: Vec<f64>,
    pub(super) count: Vec<f64>,
    pub(super) lower: Vec<Vec<f64>>,
    pub(super) upper: Vec<Vec<f64>>,
    pub(super) note: Vec<Option<LifeTableNote>>,
}

/// The columns of [`LifeTables`], owned, with NaN for a missing number.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableColumns {
    /// Output rows of group g: `offsets[g]..offsets[g + 1]`.
    pub offsets: Vec<usize>,
    /// First input row of each group (to attach the group keys).
    pub first_row: Vec<usize>,
    /// Start age of the band.
    pub age: Vec<f64>,
    /// Life expectancy (NaN when missing or withheld).
    pub value: Vec<f64>,
    /// Standard error (NaN when undefined).
    pub se: Vec<f64>,
    /// Population at this age and older.
    pub population: Vec<f64>,
    /// Deaths at this age and older.
    pub count: Vec<f64>,
    /// Lower limits, one column per requested level (NaN when missing).
    pub lower: Vec<Vec<f64>>,
    /// Upper limits, one column per requested level (NaN when missing).
    pub upper: Vec<Vec<f64>>,
    /// Why a number is missing.
    pub note: Vec<Option<LifeTableNote>>,
}

fn defined(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

impl LifeTables {
    /// Number of output rows (all groups).
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

    /// The output rows of group `g`.
    pub fn group(&self, g: usize) -> std::ops::Range<usize> {
        self.offsets[g]..self.offsets[g + 1]
    }

    /// The group of output row `i`.
    pub fn group_of(&self, i: usize) -> usize {
        self.offsets.partition_point(|&o| o <= i) - 1
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

    /// Deaths (the count) at each row's age and older.
    pub fn count(&self) -> &[f64] {
        &self.count
    }

    /// Life expectancy of row `i`, unless missing or withheld.
    pub fn value(&self, i: usize) -> Option<f64> {
        defined(self.value[i])
    }

    /// Standard error of row `i`, when defined.
    pub fn se(&self, i: usize) -> Option<f64> {
        defined(self.se[i])
    }

    /// Limits of row `i` at the `k`-th requested level.
    pub fn limits(&self, i: usize, k: usize) -> Limits {
        Limits {
            level: self.levels[k],
            lower: defined(self.lower[k][i]),
            upper: defined(self.upper[k][i]),
        }
    }

    /// Why row `i` has no value (or no limits), if it has none.
    pub fn note(&self, i: usize) -> Option<LifeTableNote> {
        self.note[i]
    }

    /// The note of every row.
    pub fn notes(&self) -> &[Option<LifeTableNote>] {
        &self.note
    }

    /// The note of row `i` as a sentence.
    pub fn note_text(&self, i: usize) -> Option<String> {
        self.note[i].map(|n| self.sentence(self.group_of(i), n))
    }

    /// The sentence of a note in group `g`.
    fn sentence(&self, g: usize, note: LifeTableNote) -> String {
        match note {
            LifeTableNote::SmallPopulation => format!(
                "suppressed: total population {} is at most {}",
                self.population[self.offsets[g]],
                self.min_population.unwrap_or(f64::NAN)
            ),
            LifeTableNote::NoDeathsInLastBand => {
                "undefined: no deaths in the open-ended last band (its mortality rate is 0)".into()
            }
            LifeTableNote::NobodySurvives => {
                "undefined: nobody survives to this age (q = 1 in a younger band)".into()
            }
            LifeTableNote::WideInterval => format!(
                "withheld: the 95% interval is wider than {} years",
                self.max_ci_width.unwrap_or(f64::NAN)
            ),
        }
    }

    /// Life expectancies, NaN where [`LifeTables::value`] is `None`.
    pub fn value_nan(&self) -> &[f64] {
        &self.value
    }

    /// Standard errors, NaN where [`LifeTables::se`] is `None`.
    pub fn se_nan(&self) -> &[f64] {
        &self.se
    }

    /// Lower limits at the `k`-th level, NaN where missing.
    pub fn lower_nan(&self, k: usize) -> &[f64] {
        &self.lower[k]
    }

    /// Upper limits at the `k`-th level, NaN where missing.
    pub fn upper_nan(&self, k: usize) -> &[f64] {
        &self.upper[k]
    }

    /// Row `i` as a [`LifeTableRow`].
    pub fn row(&self, i: usize) -> LifeTableRow {
        self.row_with_note(i, self.note_text(i))
    }

    fn row_with_note(&self, i: usize, note: Option<String>) -> LifeTableRow {
        LifeTableRow {
            age: self.age[i],
            se: self.se(i),
            population: self.population[i],
            count: self.count[i],
            indicator: Indicator {
                value: self.value(i),
                limits: (0..self.levels.len()).map(|k| self.limits(i, k)).collect(),
                method: METHOD,
                note,
            },
        }
    }

    /// The rows of group `g`.
    pub fn rows(&self, g: usize) -> Vec<LifeTableRow> {
        // Each sentence is formatted once per group.
        let mut sentences: [Option<String>; 4] = Default::default();
        self.group(g)
            .map(|i| {
                let note = self.note[i].map(|n| {
                    sentences[n as usize - 1]
                        .get_or_insert_with(|| self.sentence(g, n))
                        .clone()
                });
                self.row_with_note(i, note)
            })
            .collect()
    }

    /// The owned columns (no copy).
    pub fn into_columns(self) -> LifeTableColumns {
        LifeTableColumns {
            offsets: self.offsets,
            first_row: self.first_row,
            age: self.age,
            value: self.value,
            se: self.se,
            population: self.population,
            count: self.count,
            lower: self.lower,
            upper: self.upper,
            note: self.note,
        }
    }
}
