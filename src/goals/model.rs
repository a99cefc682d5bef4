//! The goal domain: goal areas, goals, indicators (Kolada KPIs) and targets.
//!
//! All types are serde-(de)serialisable: the shipped catalogue is a JSON file of
//! these types, and Rust services can use them without Python.

use crate::error::{Error, Result};
use crate::vocabulary::{Level, Sex};
use serde::{Deserialize, Serialize};

/// The three areas of Strategi för hälsa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GoalArea {
    /// *En god och jämlik hälsa*: good and equal health.
    #[serde(rename = "god_och_jamlik_halsa")]
    GodOchJamlikHalsa,
    /// *God kvalitet*: good quality.
    #[serde(rename = "god_kvalitet")]
    GodKvalitet,
    /// *Hållbart och uthålligt*: sustainable.
    #[serde(rename = "hallbart_och_uthalligt")]
    HallbartOchUthalligt,
}

impl GoalArea {
    /// All areas in the strategy's order.
    pub const ALL: [GoalArea; 3] = [
        GoalArea::GodOchJamlikHalsa,
        GoalArea::GodKvalitet,
        GoalArea::HallbartOchUthalligt,
    ];

    /// The Swedish name as the strategy writes it.
    pub fn swedish(self) -> &'static str {
        match self {
            GoalArea::GodOchJamlikHalsa => "En god och jämlik hälsa",
            GoalArea::GodKvalitet => "God kvalitet",
            GoalArea::HallbartOchUthalligt => "Hållbart och uthålligt",
        }
    }

    /// English translation.
    pub fn english(self) -> &'static str {
        match self {
            GoalArea::GodOchJamlikHalsa => "Good and equal health",
            GoalArea::GodKvalitet => "Good quality",
            GoalArea::HallbartOchUthalligt => "Sustainable",
        }
    }

    /// The serde code (`god_och_jamlik_halsa`, ...).
    pub fn code(self) -> &'static str {
        match self {
            GoalArea::GodOchJamlikHalsa => "god_och_jamlik_halsa",
            GoalArea::GodKvalitet => "god_kvalitet",
            GoalArea::HallbartOchUthalligt => "hallbart_och_uthalligt",
        }
    }
}

/// Which way is better: `"higher"` or `"lower"` (in every frame, struct and file;
/// `"higher_is_better"` / `"lower_is_better"` are read as aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// `"higher"`: more is better (caries-free children, eligible pupils).
    #[serde(rename = "higher", alias = "higher_is_better")]
    HigherIsBetter,
    /// `"lower"`: less is better (fall injuries, smoking).
    #[serde(rename = "lower", alias = "lower_is_better")]
    LowerIsBetter,
}

impl Direction {
    /// `+1` when higher is better, `−1` otherwise (the `d` of the progress formulas).
    pub fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }

    /// `"higher"` or `"lower"`: the word every frame uses.
    pub fn code(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher",
            Direction::LowerIsBetter => "lower",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Direction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "higher" | "higher_is_better" => Ok(Direction::HigherIsBetter),
            "lower" | "lower_is_better" => Ok(Direction::LowerIsBetter),
            _ => Err(Error::invalid(
                "direction",
                format!("expected \"higher\" or \"lower\" (which way is better), got {s:?}"),
            )),
        }
    }
}

/// How an indicator gives values for women and men.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SexHandling {
    /// One KPI with rows `T`, `K` and `M`.
    Split,
    /// Two KPIs, one for women and one for men, each with a `T` row only
    /// (life expectancy: N00925 women, N00923 men). No total.
    TwoKpis,
    /// One KPI with a `T` row only.
    None,
}

/// How confident we are that a catalogue entry is what the strategy says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Stated by SKR/SKL (or the user's own goal).
    High,
    /// Supported indirectly.
    Medium,
    /// Between medium and low.
    MediumLow,
    /// Inferred.
    Low,
    /// A guess.
    Speculative,
}

/// One indicator: a Kolada KPI (or a women/men pair of KPIs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The KPI with `T`(/`K`/`M`) rows; `None` for [`SexHandling::TwoKpis`].
    #[serde(default)]
    pub kpi: Option<String>,
    /// The women's KPI for [`SexHandling::TwoKpis`].
    #[serde(default)]
    pub kpi_women: Option<String>,
    /// The men's KPI for [`SexHandling::TwoKpis`].
    #[serde(default)]
    pub kpi_men: Option<String>,
    /// Kolada's title (Swedish).
    pub title: String,
    /// English translation of the title.
    #[serde(default)]
    pub title_en: String,
    /// Unit as printed (`"%"`, `"per 100 000 inv 80+"`, `"år"`).
    pub unit: String,
    /// For rates: the population base of the unit (100 000 for "per 100 000").
    /// Used to convert per-1,000 targets into the KPI's unit.
    #[serde(default)]
    pub rate_base: Option<f64>,
    /// Is higher better?
    pub direction: Direction,
    /// How women and men are published.
    pub sex_handling: SexHandling,
    /// Municipalities, regions or both.
    pub level: Level,
    /// First year the KPI is valid for this goal.
    #[serde(default)]
    pub valid_from: Option<i32>,
    /// Last year the KPI is valid (retired KPIs).
    #[serde(default)]
    pub valid_to: Option<i32>,
    /// Free-text note (definition changes, retirement).
    #[serde(default)]
    pub note: String,
}

impl Indicator {
    /// Every KPI id the indicator reads.
    pub fn kpi_ids(&self) -> Vec<&str> {
        [&self.kpi, &self.kpi_women, &self.kpi_men]
            .into_iter()
            .filter_map(|k| k.as_deref())
            .collect()
    }

    /// A short id for display: the KPI, or `women/men` ids.
    pub fn label(&self) -> String {
        match (&self.kpi, &self.kpi_women, &self.kpi_men) {
            (Some(k), _, _) => k.clone(),
            (None, Some(w), Some(m)) => format!("{w}/{m}"),
            _ => String::new(),
        }
    }

    /// Which KPI and which Kolada gender row hold this indicator's value for `sex`,
    /// or `None` when the indicator has no such value (no total for a two-KPI
    /// indicator; no women/men for an unsplit KPI).
    pub fn source_for(&self, sex: Sex) -> Option<(&str, Sex)> {
        match self.sex_handling {
            SexHandling::Split => self.kpi.as_deref().map(|k| (k, sex)),
            SexHandling::None => match sex {
                Sex::Total => self.kpi.as_deref().map(|k| (k, Sex::Total)),
                _ => None,
            },
            SexHandling::TwoKpis => match sex {
                Sex::Women => self.kpi_women.as_deref().map(|k| (k, Sex::Total)),
                Sex::Men => self.kpi_men.as_deref().map(|k| (k, Sex::Total)),
                Sex::Total => None,
            },
        }
    }

    /// Which Kolada sex row of `kpi` (one of this indicator's KPIs) holds the value
    /// asked for as `sex`: the `T` row for each KPI of a women/men pair and for a KPI
    /// not split by sex, `sex` itself for a split KPI.
    pub fn row_for(&self, kpi: &str, sex: Sex) -> Sex {
        let pair = [self.kpi_women.as_deref(), self.kpi_men.as_deref()];
        if self.sex_handling == SexHandling::None || pair.contains(&Some(kpi)) {
            Sex::Total
        } else {
            sex
        }
    }

    /// Checks the fields fit together.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the inconsistent field.
    pub fn validate(&self) -> Result<()> {
        let ok = match self.sex_handling {
            SexHandling::Split | SexHandling::None => {
                self.kpi.is_some() && self.kpi_women.is_none() && self.kpi_men.is_none()
            }
            SexHandling::TwoKpis => {
                self.kpi.is_none() && self.kpi_women.is_some() && self.kpi_men.is_some()
            }
        };
        if !ok {
            return Err(Error::invalid(
                "indicator",
                format!(
                    "{:?}: sex_handling {:?} needs {}",
                    self.title,
                    self.sex_handling,
                    if self.sex_handling == SexHandling::TwoKpis {
                        "kpi_women and kpi_men (and no kpi)"
                    } else {
                        "kpi (and no kpi_women/kpi_men)"
                    }
                ),
            ));
        }
        for id in self.kpi_ids() {
            if id.trim().is_empty() {
                return Err(Error::invalid("kpi", "empty KPI id"));
            }
        }
        if let Some(b) = self.rate_base {
            if !(b.is_finite() && b > 0.0) {
                return Err(Error::invalid(
                    "rate_base",
                    format!("must be positive, got {b}"),
                ));
            }
        }
        if let (Some(a), Some(b)) = (self.valid_from, self.valid_to) {
            if a > b {
                return Err(Error::invalid(
                    "valid_to",
                    format!("{b} is before valid_from {a}"),
                ));
            }
        }
        Ok(())
    }
}

/// The unit of a change target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeUnit {
    /// Percentage points of a KPI in per cent.
    PercentagePoints,
    /// Per 1,000 of the population, converted with the indicator's `rate_base`.
    Per1000,
    /// The KPI's own unit.
    KpiUnits,
}

/// What a goal aims for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TargetKind {
    /// Reach a level (in the KPI's unit).
    Level {
        /// The level.
        value: f64,
    },
    /// Change from the baseline year by at least `value` (signed: +2 pp, −10 per 1,000).
    Change {
        /// Signed change.
        value: f64,
        /// Unit of `value`.
        unit: ChangeUnit,
    },
    /// Only a direction: improve.
    Direction,
}

/// A target with its baseline and target year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Level, change or direction.
    pub kind: TargetKind,
    /// Baseline year of a change target (2017 for Strategi för hälsa).
    #[serde(default)]
    pub baseline_year: Option<i32>,
    /// Year the target should be met (2022 for Strategi för hälsa).
    #[serde(default)]
    pub target_year: Option<i32>,
    /// The target as written (`"+2 procentenheter"`).
    #[serde(default)]
    pub text: String,
}

impl Target {
    /// A change target's signed change expressed in the indicator's unit.
    ///
    /// Percentage points need a per-cent KPI and pass through; per 1,000 is
    /// multiplied by `rate_base / 1000` (−10 per 1,000 is −1,000 per 100 000).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the target is not a change target, a
    /// percentage-point target meets a KPI not in per cent, or a per-1,000 target
    /// meets an indicator without `rate_base`.
    pub fn change_in_kpi_units(&self, indicator: &Indicator) -> Result<f64> {
        let TargetKind::Change { value, unit } = self.kind else {
            return Err(Error::invalid("target", "not a change target"));
        };
        match unit {
            ChangeUnit::KpiUnits => Ok(value),
            ChangeUnit::PercentagePoints => {
                if indicator.unit.contains('%') {
                    Ok(value)
                } else {
                    Err(Error::invalid(
                        "target",
                        format!(
                            "a percentage-point target needs a KPI in per cent; {} is in {:?}",
                            indicator.label(),
                            indicator.unit
                        ),
                    ))
                }
            }
            ChangeUnit::Per1000 => match indicator.rate_base {
                Some(base) => Ok(value * base / 1000.0),
                None => Err(Error::invalid(
                    "target",
                    format!(
                        "a per-1,000 target needs the indicator's rate_base; {} has none",
                        indicator.label()
                    ),
                )),
            },
        }
    }

    /// The target value in the KPI's unit given the baseline value: the level, or
    /// baseline + change; `None` for a direction-only target.
    ///
    /// # Errors
    /// As [`Target::change_in_kpi_units`].
    pub fn target_value(&self, indicator: &Indicator, baseline: f64) -> Result<Option<f64>> {
        match self.kind {
            TargetKind::Level { value } => Ok(Some(value)),
            TargetKind::Change { .. } => Ok(Some(baseline + self.change_in_kpi_units(indicator)?)),
            TargetKind::Direction => Ok(None),
        }
    }

    /// Checks the fields fit together and with the goal's indicators.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the problem.
    pub fn validate(&self, indicators: &[Indicator]) -> Result<()> {
        match self.kind {
            TargetKind::Level { value } | TargetKind::Change { value, .. }
                if !value.is_finite() =>
            {
                return Err(Error::invalid("target", "value must be finite"));
            }
            TargetKind::Change { value, .. } => {
                if self.baseline_year.is_none() {
                    return Err(Error::invalid(
                        "baseline_year",
                        "a change target needs a baseline year",
                    ));
                }
                for ind in indicators {
                    let delta = self.change_in_kpi_units(ind)?;
                    if delta * ind.direction.sign() < 0.0 || value == 0.0 {
                        return Err(Error::invalid(
                            "target",
                            format!(
                                "change {value} points the wrong way for {} ({:?})",
                                ind.label(),
                                ind.direction
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
        if let (Some(b), Some(t)) = (self.baseline_year, self.target_year) {
            if t <= b {
                return Err(Error::invalid(
                    "target_year",
                    format!("{t} is not after baseline year {b}"),
                ));
            }
        }
        Ok(())
    }
}

/// One goal of the strategy (or a user's local goal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Short id (`"G1"`, or a user's own `"ARBOGA-1"`).
    pub id: String,
    /// The goal area.
    pub area: GoalArea,
    /// The goal in Swedish.
    pub title: String,
    /// The goal in English.
    #[serde(default)]
    pub title_en: String,
    /// Indicators that follow the goal (at least one).
    pub indicators: Vec<Indicator>,
    /// The target.
    pub target: Target,
    /// Where the goal and its target come from.
    pub source: String,
    /// How sure we are the goal and its indicator are the strategy's.
    pub confidence: Confidence,
    /// True for a municipality's or region's own goal.
    #[serde(default)]
    pub local: bool,
    /// Free-text note.
    #[serde(default)]
    pub note: String,
}

impl Goal {
    /// The indicator of this goal that reads `kpi`, or its only KPI when `kpi` is
    /// `None`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (argument `kpi`) when `kpi` is `None` and the goal's
    /// first indicator reads two KPIs (women and men), or when no indicator reads `kpi`.
    pub fn indicator_for(&self, kpi: Option<&str>) -> Result<&Indicator> {
        match kpi {
            None => {
                let ind = self
                    .indicators
                    .first()
                    .ok_or(Error::Empty { arg: "indicators" })?;
                if ind.sex_handling == SexHandling::TwoKpis {
                    return Err(Error::invalid(
                        "kpi",
                        format!(
                            "goal {} reads two KPIs ({} women, {} men): pass kpi= one of them",
                            self.id,
                            ind.kpi_women.as_deref().unwrap_or_default(),
                            ind.kpi_men.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                Ok(ind)
            }
            Some(k) => self
                .indicators
                .iter()
                .find(|i| i.kpi_ids().contains(&k))
                .ok_or_else(|| {
                    let ids: Vec<&str> = self
                        .indicators
                        .iter()
                        .flat_map(Indicator::kpi_ids)
                        .collect();
                    Error::invalid(
                        "kpi",
                        format!(
                            "goal {} has no indicator {k:?}; its KPIs are {}",
                            self.id,
                            ids.join(", ")
                        ),
                    )
                }),
        }
    }

    /// Checks the goal, its indicators and its target.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] / [`Error::Empty`] naming the problem and the goal.
    pub fn validate(&self) -> Result<()> {
        let wrap = |e: Error| Error::invalid("goal", format!("{}: {e}", self.id));
        if self.id.trim().is_empty() {
            return Err(Error::invalid("goal", "empty goal id"));
        }
        if self.indicators.is_empty() {
            return Err(wrap(Error::Empty { arg: "indicators" }));
        }
        for ind in &self.indicators {
            ind.validate().map_err(wrap)?;
        }
        self.target.validate(&self.indicators).map_err(wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(sex_handling: SexHandling) -> Indicator {
        Indicator {
            kpi: (sex_handling != SexHandling::TwoKpis).then(|| "N1".to_string()),
            kpi_women: (sex_handling == SexHandling::TwoKpis).then(|| "NW".to_string()),
            kpi_men: (sex_handling == SexHandling::TwoKpis).then(|| "NM".to_string()),
            title: "t".into(),
            title_en: String::new(),
            unit: "%".into(),
            rate_base: None,
            direction: Direction::HigherIsBetter,
            sex_handling,
            level: Level::Both,
            valid_from: None,
            valid_to: None,
            note: String::new(),
        }
    }

    #[test]
    fn source_for_reads_the_right_kpi_and_row() {
        let split = indicator(SexHandling::Split);
        assert_eq!(split.source_for(Sex::Women), Some(("N1", Sex::Women)));
        let two = indicator(SexHandling::TwoKpis);
        assert_eq!(two.source_for(Sex::Women), Some(("NW", Sex::Total)));
        assert_eq!(two.source_for(Sex::Men), Some(("NM", Sex::Total)));
        assert_eq!(two.source_for(Sex::Total), None);
        assert_eq!(two.label(), "NW/NM");
        let none = indicator(SexHandling::None);
        assert_eq!(none.source_for(Sex::Men), None);
        assert_eq!(none.source_for(Sex::Total), Some(("N1", Sex::Total)));
        for i in [split, two, none] {
            i.validate().unwrap();
        }
    }

    #[test]
    fn per_1000_needs_rate_base() {
        let mut ind = indicator(SexHandling::Split);
        ind.direction = Direction::LowerIsBetter;
        ind.unit = "per 100 000".into();
        let t = Target {
            kind: TargetKind::Change {
                value: -10.0,
                unit: ChangeUnit::Per1000,
            },
            baseline_year: Some(2017),
            target_year: Some(2022),
            text: String::new(),
        };
        assert!(t.change_in_kpi_units(&ind).is_err());
        ind.rate_base = Some(100_000.0);
        assert_eq!(t.change_in_kpi_units(&ind).unwrap(), -1000.0);
        assert_eq!(t.target_value(&ind, 5000.0).unwrap(), Some(4000.0));
        t.validate(std::slice::from_ref(&ind)).unwrap();
    }

    #[test]
    fn direction_parses_and_signs() {
        assert_eq!("lower".parse::<Direction>().unwrap().sign(), -1.0);
        assert!("sideways".parse::<Direction>().is_err());
        assert_eq!(GoalArea::GodKvalitet.swedish(), "God kvalitet");
    }
}
