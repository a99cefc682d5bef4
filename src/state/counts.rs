//! Count and population totals: the state of proportions and rates.

use super::{ExactSum, Mergeable};
use crate::error::Result;
use crate::indicators::{Indicator, proportion, rate};
use crate::validate;
use serde::{Deserialize, Serialize};

/// Summed counts (numerators) and populations (denominators) of some rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CountState {
    count: ExactSum,
    population: ExactSum,
    /// Rows added.
    pub n: usize,
}

impl CountState {
    /// Adds rows of counts and populations.
    ///
    /// # Errors
    /// A length mismatch, a missing or infinite value, a negative count or population.
    pub fn update(&mut self, count: &[f64], population: &[f64]) -> Result<()> {
        validate::same_length("population", "count", count.len(), population.len())?;
        validate::non_negative("count", count)?;
        validate::non_negative("population", population)?;
        for (&c, &p) in count.iter().zip(population) {
            self.count.add(c);
            self.population.add(p);
        }
        self.n += count.len();
        Ok(())
    }

    /// Total count.
    pub fn count(&self) -> f64 {
        self.count.value()
    }

    /// Total population.
    pub fn population(&self) -> f64 {
        self.population.value()
    }

    /// The proportion of the totals with Wilson limits ([`proportion()`]).
    ///
    /// # Errors
    /// As [`proportion()`] (a count above the population, a zero population, a bad level or multiplier).
    pub fn finish_proportion(&self, levels: &[f64], multiplier: f64) -> Result<Indicator> {
        proportion(self.count(), self.population(), levels, multiplier)
    }

    /// The rate of the totals with exact or Byars limits ([`rate()`]).
    ///
    /// # Errors
    /// As [`rate()`].
    pub fn finish_rate(&self, levels: &[f64], multiplier: f64) -> Result<Indicator> {
        rate(self.count(), self.population(), levels, multiplier)
    }
}

impl Mergeable for CountState {
    fn merge(&mut self, other: &Self) -> Result<()> {
        self.count.merge(&other.count);
        self.population.merge(&other.population);
        self.n += other.n;
        Ok(())
    }
}
