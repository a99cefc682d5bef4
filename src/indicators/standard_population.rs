//! Standard populations for direct standardisation.
//!
//! The 2013 European Standard Population (ESP2013, Eurostat 2013, *Revision of
//! the European Standard Population*, Methodologies and Working papers) is
//! written here from its published definition: 1 000 aged under 1, 4 000 aged
//! 1–4, then five-year bands 5–9 … 85–89 (5 500, 5 500, 5 500, 6 000, 6 000,
//! 6 500, 7 000, 7 000, 7 000, 7 000, 6 500, 6 000, 5 500, 5 000, 4 000,
//! 2 500, 1 500), 800 aged 90–94 and 200 aged 95 and over: 100 000 in all.
//! Its usual 19-band form (0–4 … 85–89, 90+: 5 000, 5 500, …, 1 500, 1 000,
//! as bundled by PHEindicatormethods) is [`StandardPopulation::esp2013`].
//!
//! Any other standard (Sweden's own population of a given year, the WHO world
//! standard, ...) is a [`StandardPopulation`] built with
//! [`StandardPopulation::new`], or simply a weight per input row.
//!
//! A standard can serve data in a coarser layout: the weight of a data band is
//! the sum of the standard's bands inside it (e.g. 0 and 1–4 → 0–4; 90–94 and
//! 95+ → 90+). Data bands must start on the standard's band boundaries.

use crate::error::{Error, Result};
use serde::Serialize;

/// A standard population: band start ages (the last band open-ended) and weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardPopulation {
    name: String,
    starts: Vec<f64>,
    weights: Vec<f64>,
}

/// ESP2013 five-year weights for 5–9 … 85–89 (Eurostat 2013).
const ESP2013_FIVE_YEAR: [f64; 17] = [
    5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0, 7000.0, 6500.0, 6000.0,
    5500.0, 5000.0, 4000.0, 2500.0, 1500.0,
];

impl StandardPopulation {
    /// A standard from band start ages (strictly increasing, first 0) and
    /// non-negative weights; the last band is open-ended.
    ///
    /// # Errors
    /// Empty or mismatched inputs, starts not increasing from 0, negative or
    /// non-finite weights, or all weights zero.
    pub fn new(name: impl Into<String>, starts: Vec<f64>, weights: Vec<f64>) -> Result<Self> {
        crate::validate::non_empty("starts", &starts)?;
        crate::validate::same_length("weights", "starts", starts.len(), weights.len())?;
        crate::validate::finite("starts", &starts)?;
        crate::validate::non_negative("weights", &weights)?;
        if starts[0] != 0.0 {
            return Err(Error::invalid(
                "starts",
                "the first band must start at age 0",
            ));
        }
        if starts.windows(2).any(|w| w[1] <= w[0]) {
            return Err(Error::invalid(
                "starts",
                "band start ages must increase strictly",
            ));
        }
        if weights.iter().all(|&w| w == 0.0) {
            return Err(Error::invalid("weights", "all weights are zero"));
        }
        Ok(Self {
            name: name.into(),
            starts,
            weights,
        })
    }

    /// ESP2013 in 19 bands: 0–4, 5–9, …, 85–89, 90+ (sum 100 000).
    pub fn esp2013() -> Self {
        let mut starts = vec![0.0];
        let mut weights = vec![5000.0];
        for (i, &w) in ESP2013_FIVE_YEAR.iter().enumerate() {
            starts.push(5.0 * (i as f64 + 1.0));
            weights.push(w);
        }
        starts.push(90.0);
        weights.push(1000.0);
        Self {
            name: "ESP2013".into(),
            starts,
            weights,
        }
    }

    /// ESP2013 at its finest published resolution: 0, 1–4, 5–9, …, 85–89,
    /// 90–94, 95+ (21 bands). Serves data in the layouts Swedish statistics
    /// publish (0, 1–4, five-year bands to 85+, 90+ or 95+).
    pub fn esp2013_detailed() -> Self {
        let mut starts = vec![0.0, 1.0];
        let mut weights = vec![1000.0, 4000.0];
        for (i, &w) in ESP2013_FIVE_YEAR.iter().enumerate() {
            starts.push(5.0 * (i as f64 + 1.0));
            weights.push(w);
        }
        starts.extend([90.0, 95.0]);
        weights.extend([800.0, 200.0]);
        Self {
            name: "ESP2013".into(),
            starts,
            weights,
        }
    }

    /// Name of the standard.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Band start ages.
    pub fn starts(&self) -> &[f64] {
        &self.starts
    }

    /// Weights.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Weights for data bands given by their start ages (increasing, first 0;
    /// the last band is open-ended): each data band gets the sum of the
    /// standard's bands that start inside it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `age_band` when the bands do not start
    /// at 0, do not increase, or a band starts inside one of the standard's bands.
    pub fn weights_for(&self, starts: &[f64]) -> Result<Vec<f64>> {
        if starts.first() != Some(&0.0) {
            return Err(Error::invalid(
                "age_band",
                format!(
                    "the youngest age band must start at 0 to use the {} standard (missing age bands?)",
                    self.name
                ),
            ));
        }
        let mut out = Vec::with_capacity(starts.len());
        for (i, &s) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(f64::INFINITY);
            if end <= s {
                return Err(Error::invalid(
                    "age_band",
                    format!(
                        "age bands must increase; band starting at {s} repeats or is out of order"
                    ),
                ));
            }
            if !self.starts.contains(&s) {
                return Err(Error::invalid(
                    "age_band",
                    format!(
                        "a band starting at age {s} does not match the {} standard's bands \
                         (starting at {:?}); use bands that start where the standard's do, \
                         or give a standard with these bands",
                        self.name, self.starts
                    ),
                ));
            }
            let w: f64 = self
                .starts
                .iter()
                .zip(&self.weights)
                .filter(|&(&b, _)| b >= s && b < end)
                .map(|(_, &w)| w)
                .sum();
            out.push(w);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esp_sums_to_100000() {
        assert_eq!(
            StandardPopulation::esp2013().weights().iter().sum::<f64>(),
            100_000.0
        );
        assert_eq!(
            StandardPopulation::esp2013_detailed()
                .weights()
                .iter()
                .sum::<f64>(),
            100_000.0
        );
        assert_eq!(StandardPopulation::esp2013().weights().len(), 19);
    }

    #[test]
    fn detailed_aggregates_to_19_bands() {
        let nineteen = StandardPopulation::esp2013();
        let agg = StandardPopulation::esp2013_detailed()
            .weights_for(nineteen.starts())
            .unwrap();
        assert_eq!(agg, nineteen.weights());
        let sw: Vec<f64> = std::iter::once(0.0)
            .chain(std::iter::once(1.0))
            .chain((1..=17).map(|i| 5.0 * f64::from(i)))
            .collect();
        let w = StandardPopulation::esp2013_detailed()
            .weights_for(&sw)
            .unwrap();
        assert_eq!(*w.last().unwrap(), 2500.0); // 85+ = 1 500 + 800 + 200
        assert!(
            StandardPopulation::esp2013()
                .weights_for(&[0.0, 3.0])
                .is_err()
        );
    }
}
