//! Per-subgroup moments of microdata: the inputs of WHO HEAT's grouped
//! measures (each subgroup's estimate, SE and population) built from rows
//! spread over many partitions.

use super::{Mergeable, MomentState};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::measures::heat::{Measure, Options, Subgroups, measure};
use crate::validate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Moments of an outcome per subgroup code. With ordered subgroups the code is
/// HEAT's `subgroup_order` (1 = most disadvantaged).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubgroupState {
    groups: BTreeMap<i64, MomentState>,
}

/// One subgroup's HEAT inputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SubgroupInput {
    /// The subgroup code.
    pub subgroup: i64,
    /// Weighted mean of the outcome, times the scale.
    pub estimate: f64,
    /// SE of that mean (`sd/√W`), times the scale.
    pub se: f64,
    /// Total weight: the subgroup's population.
    pub population: f64,
}

impl SubgroupState {
    /// Adds rows: an outcome (for example 0/1 for a prevalence) and each
    /// row's subgroup code, with optional weights.
    ///
    /// # Errors
    /// Length mismatches, missing or infinite outcomes, bad weights.
    pub fn update(
        &mut self,
        outcome: &[f64],
        subgroup: &[i64],
        weights: Option<&[f64]>,
    ) -> Result<()> {
        validate::same_length("subgroup", "outcome", outcome.len(), subgroup.len())?;
        validate::finite("outcome", outcome)?;
        super::check_weights(weights, "outcome", outcome.len())?;
        let mut rows: BTreeMap<i64, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
        for (i, (&h, &g)) in outcome.iter().zip(subgroup).enumerate() {
            let e = rows.entry(g).or_default();
            e.0.push(h);
            e.1.push(weights.map_or(1.0, |w| w[i]));
        }
        for (g, (h, w)) in rows {
            let mut m = MomentState::default();
            m.update(&h, Some(&w))?;
            self.groups.entry(g).or_default().merge(&m)?;
        }
        Ok(())
    }

    /// Each subgroup's estimate (mean × `scale`), SE and population, in code order.
    ///
    /// # Errors
    /// No subgroups, or a subgroup with one row or a zero weight (no SE).
    pub fn inputs(&self, scale: f64) -> Result<Vec<SubgroupInput>> {
        if self.groups.is_empty() {
            return Err(Error::Empty { arg: "outcome" });
        }
        self.groups
            .iter()
            .map(|(&g, m)| {
                let mean = m.mean()?;
                let var = m.variance().ok_or_else(|| {
                    Error::too_few(
                        format!("the SE of subgroup {g}"),
                        "rows (total weight)",
                        2,
                        m.n,
                    )
                })?;
                Ok(SubgroupInput {
                    subgroup: g,
                    estimate: mean * scale,
                    se: (var / m.weight()).sqrt() * scale,
                    population: m.weight(),
                })
            })
            .collect()
    }

    /// A HEAT measure of the subgroups: codes are `subgroup_order` when
    /// `ordered`, and the subgroup with code `reference` (if given) is the
    /// reference subgroup.
    ///
    /// # Errors
    /// As [`SubgroupState::inputs`] and [`measure`].
    pub fn finish(
        &self,
        which: Measure,
        scale: f64,
        ordered: bool,
        reference: Option<i64>,
        opts: &Options,
    ) -> Result<Estimate> {
        let inputs = self.inputs(scale)?;
        let est: Vec<f64> = inputs.iter().map(|s| s.estimate).collect();
        let se: Vec<f64> = inputs.iter().map(|s| s.se).collect();
        let pop: Vec<f64> = inputs.iter().map(|s| s.population).collect();
        let order: Vec<f64> = inputs.iter().map(|s| s.subgroup as f64).collect();
        let flags: Vec<f64> = inputs
            .iter()
            .map(|s| f64::from(u8::from(Some(s.subgroup) == reference)))
            .collect();
        let mut b = Subgroups::new(&est).se(&se).population(&pop).scale(scale);
        if ordered {
            b = b.subgroup_order(&order);
        }
        if reference.is_some() {
            b = b.reference_flags(&flags);
        }
        measure(which, &b.build()?, opts)
    }
}

impl Mergeable for SubgroupState {
    fn merge(&mut self, other: &Self) -> Result<()> {
        for (&g, m) in &other.groups {
            self.groups.entry(g).or_default().merge(m)?;
        }
        Ok(())
    }
}
