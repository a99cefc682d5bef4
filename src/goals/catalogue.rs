//! The goal catalogue: the shipped Strategi för hälsa goals as data, user catalogues
//! and overrides (a municipality's own local goals, corrected KPI ids).
//!
//! ```
//! use jamlik::goals::Catalogue;
//! let cat = Catalogue::shipped()?;
//! let g1 = cat.goal("G1")?;
//! assert_eq!(g1.indicators[0].kpi.as_deref(), Some("N80401"));
//! # Ok::<(), jamlik::Error>(())
//! ```

use super::model::{Goal, Indicator};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

const SHIPPED: &str = include_str!("../../data/catalogue/strategi_for_halsa.json");

/// A set of goals with the strategy's default baseline and target years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Name of the strategy or local plan.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Version or date of the catalogue.
    #[serde(default)]
    pub version: String,
    /// Default baseline year.
    #[serde(default)]
    pub baseline_year: Option<i32>,
    /// Default target year.
    #[serde(default)]
    pub target_year: Option<i32>,
    /// What the catalogue holds and what it lacks.
    #[serde(default)]
    pub note: String,
    /// The goals.
    pub goals: Vec<Goal>,
}

/// How [`Catalogue::merge`] treats a goal id that is already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeMode {
    /// Replace the existing goal (override) and append new ones.
    Override,
    /// Only add new goals; an existing id is an error.
    AddOnly,
    /// Only replace existing goals; an unknown id is an error.
    ReplaceOnly,
}

impl std::str::FromStr for MergeMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "override" => Ok(MergeMode::Override),
            "add" | "add_only" => Ok(MergeMode::AddOnly),
            "replace" | "replace_only" => Ok(MergeMode::ReplaceOnly),
            other => Err(Error::invalid(
                "mode",
                format!("expected \"override\", \"add\" or \"replace\", got {other:?}"),
            )),
        }
    }
}

impl Catalogue {
    /// The shipped Strategi för hälsa catalogue (G1–G4 confirmed, G5–G9 likely).
    ///
    /// # Errors
    /// Only if the embedded file was corrupted at build time.
    pub fn shipped() -> Result<Self> {
        Self::from_json(SHIPPED)
    }

    /// The shipped catalogue's JSON text.
    pub fn shipped_json() -> &'static str {
        SHIPPED
    }

    /// Parses and validates a catalogue from JSON.
    ///
    /// # Errors
    /// [`Error::Parse`] for malformed JSON or unknown fields; the errors of
    /// [`Catalogue::validate`].
    pub fn from_json(text: &str) -> Result<Self> {
        let cat: Catalogue = serde_json::from_str(text).map_err(|e| Error::Parse {
            what: "goal catalogue".into(),
            reason: e.to_string(),
        })?;
        cat.validate()?;
        Ok(cat)
    }

    /// Reads a catalogue file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, then as [`Catalogue::from_json`].
    pub fn from_path(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_json(&text)
    }

    /// The catalogue as pretty JSON.
    ///
    /// # Errors
    /// [`Error::Parse`] if serialisation fails (it does not for valid catalogues).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Parse {
            what: "goal catalogue".into(),
            reason: e.to_string(),
        })
    }

    /// Checks every goal and that goal ids are unique.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the goal and the problem.
    pub fn validate(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for g in &self.goals {
            g.validate()?;
            if !seen.insert(g.id.as_str()) {
                return Err(Error::invalid(
                    "goal",
                    format!("duplicate goal id {:?}", g.id),
                ));
            }
        }
        Ok(())
    }

    /// The goal with this id.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when absent.
    pub fn goal(&self, id: &str) -> Result<&Goal> {
        self.goals
            .iter()
            .find(|g| g.id == id)
            .ok_or_else(|| Error::UnknownId {
                kind: "goal",
                id: id.to_string(),
            })
    }

    /// The first indicator reading this KPI id, with its goal.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when no indicator reads it.
    pub fn indicator(&self, kpi: &str) -> Result<(&Goal, &Indicator)> {
        self.goals
            .iter()
            .flat_map(|g| g.indicators.iter().map(move |i| (g, i)))
            .find(|(_, i)| i.kpi_ids().contains(&kpi))
            .ok_or_else(|| Error::UnknownId {
                kind: "KPI in the catalogue",
                id: kpi.to_string(),
            })
    }

    /// Every KPI id the catalogue reads, in catalogue order, without repeats.
    pub fn kpi_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in &self.goals {
            for i in &g.indicators {
                for k in i.kpi_ids() {
                    if !out.iter().any(|o| o == k) {
                        out.push(k.to_string());
                    }
                }
            }
        }
        out
    }

    /// Adds a new goal (a municipality's own local goal).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the id exists or the goal is invalid.
    pub fn add_goal(&mut self, goal: Goal) -> Result<()> {
        goal.validate()?;
        if self.goals.iter().any(|g| g.id == goal.id) {
            return Err(Error::invalid(
                "goal",
                format!("goal {:?} exists; use override_goal to replace it", goal.id),
            ));
        }
        self.goals.push(goal);
        Ok(())
    }

    /// Replaces the goal with the same id.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when no goal has that id; validation errors.
    pub fn override_goal(&mut self, goal: Goal) -> Result<()> {
        goal.validate()?;
        let slot = self
            .goals
            .iter_mut()
            .find(|g| g.id == goal.id)
            .ok_or_else(|| Error::UnknownId {
                kind: "goal",
                id: goal.id.clone(),
            })?;
        *slot = goal;
        Ok(())
    }

    /// Removes a goal, returning it.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when absent.
    pub fn remove_goal(&mut self, id: &str) -> Result<Goal> {
        let pos = self
            .goals
            .iter()
            .position(|g| g.id == id)
            .ok_or_else(|| Error::UnknownId {
                kind: "goal",
                id: id.to_string(),
            })?;
        Ok(self.goals.remove(pos))
    }

    /// Merges another catalogue's goals into this one. All-or-nothing: on error
    /// `self` is unchanged.
    ///
    /// # Errors
    /// As [`Catalogue::add_goal`] / [`Catalogue::override_goal`] for the mode.
    pub fn merge(&mut self, other: Catalogue, mode: MergeMode) -> Result<()> {
        let mut next = self.clone();
        for g in other.goals {
            let exists = next.goals.iter().any(|x| x.id == g.id);
            match (mode, exists) {
                (MergeMode::Override | MergeMode::ReplaceOnly, true) => next.override_goal(g)?,
                (MergeMode::Override | MergeMode::AddOnly, false) => next.add_goal(g)?,
                (MergeMode::AddOnly, true) => {
                    return Err(Error::invalid(
                        "goal",
                        format!("goal {:?} exists (mode add)", g.id),
                    ));
                }
                (MergeMode::ReplaceOnly, false) => {
                    return Err(Error::UnknownId {
                        kind: "goal",
                        id: g.id,
                    });
                }
            }
        }
        *self = next;
        Ok(())
    }
}
