//! The result columns of [`health_expectancy_by`](super::health_expectancy_by).

use super::{HealthMeasure, METHOD_FULL, METHOD_PREVALENCE, METHOD_PROPORTION};
use crate::Estimate;
use crate::indicators::life_table::{self, LifeTableNote};
use crate::indicators::z;

/// Sullivan tables of many groups, column by column: one entry per (group,
/// band), the groups in order of first appearance, the bands of each group
/// by start age. NaN marks an undefined number ([`HealthExpectancies::note`]
/// says why).
#[derive(Debug, Clone, PartialEq)]
pub struct HealthExpectancies {
    pub(super) levels: Vec<f64>,
    pub(super) mortality_variance: bool,
    pub(super) offsets: Vec<usize>,
    pub(super) first_row: Vec<usize>,
    pub(super) age: Vec<f64>,
    pub(super) population: Vec<f64>,
    pub(super) count: Vec<f64>,
    pub(super) value: [Vec<f64>; 3],
    pub(super) se: [Vec<f64>; 3],
    pub(super) note: Vec<Option<LifeTableNote>>,
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
            HealthMeasure::LifeExpectancy => life_table::METHOD,
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
