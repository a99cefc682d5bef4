//! The panel of indicator observations: KPI × area × year × sex → value.
//!
//! Shared by Kolada ingestion, the embedded demo dataset and the goal follow-up.

use crate::vocabulary::Sex;
use serde::{Deserialize, Serialize};

/// One published value (or a published absence of value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Kolada KPI id, for example `N80401`.
    pub kpi: String,
    /// Area id: municipality (`0180`), region (`0001`), nation (`0000`) or group (`G…`).
    pub area: String,
    /// Year.
    pub year: i32,
    /// Total, women or men.
    pub sex: Sex,
    /// The value; `None` when Kolada publishes no value (see `status`).
    pub value: Option<f64>,
    /// Kolada's `count` (members or units behind the value), when given.
    pub count: Option<f64>,
    /// Kolada's status text (`""`, `"Missing"`, `"Not applicable"`...), empty when none.
    pub status: String,
}

/// A collection of observations with simple look-ups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    /// The observations, in no particular order.
    pub observations: Vec<Observation>,
}

impl Panel {
    /// A panel from observations.
    pub fn new(observations: Vec<Observation>) -> Self {
        Self { observations }
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.observations.len()
    }

    /// True when there are no observations.
    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The value of one cell, if present.
    pub fn value(&self, kpi: &str, area: &str, year: i32, sex: Sex) -> Option<f64> {
        self.observations
            .iter()
            .find(|o| o.kpi == kpi && o.area == area && o.year == year && o.sex == sex)
            .and_then(|o| o.value)
    }

    /// The `(year, value)` series of one KPI, area and sex, sorted by year,
    /// skipping years without a value.
    pub fn series(&self, kpi: &str, area: &str, sex: Sex) -> Vec<(i32, f64)> {
        let mut s: Vec<(i32, f64)> = self
            .observations
            .iter()
            .filter(|o| o.kpi == kpi && o.area == area && o.sex == sex)
            .filter_map(|o| o.value.map(|v| (o.year, v)))
            .collect();
        s.sort_by_key(|&(p, _)| p);
        s
    }

    /// Appends another panel.
    pub fn extend(&mut self, other: Panel) {
        self.observations.extend(other.observations);
    }
}
