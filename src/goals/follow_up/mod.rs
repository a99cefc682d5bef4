//! The follow-up of one municipality against a goal catalogue: latest values for women,
//! men and total, change from baseline, progress against the target, comparisons with
//! its region, county, nation and similar municipalities ([`comparison`]) and the
//! health gaps around it ([`gaps()`]). Results leave as rows or as a columnar
//! [`Table`] (key columns first), the same table the Python bindings return.
//!
//! ```
//! use jamlik::data::{DemoData, DemoOptions, Geography};
//! use jamlik::goals::Catalogue;
//! use jamlik::goals::follow_up::{follow_up, FollowUpOptions};
//! let (geo, cat) = (Geography::embedded()?, Catalogue::shipped()?);
//! let demo = DemoData::generate(&DemoOptions::default())?;
//! let f = follow_up(&demo, &geo, &cat, "Arboga", &FollowUpOptions::default())?;
//! assert_eq!(f.area, "1984");
//! assert_eq!(f.table().names()[..6], ["area", "goal", "indicator", "sex", "year", "value"]);
//! # Ok::<(), jamlik::Error>(())
//! ```

pub mod comparison;
pub mod gaps;
pub mod table;

pub use comparison::{
    BetterOff, Comparison, GroupMean, PanelIndex, SexGap, ValueSource, compare_area, women_vs_men,
};
pub use gaps::{EqualWeights, GapRow, Gaps, PopulationIndex, PopulationSource, gaps};
pub use table::{Column, Table};

use crate::data::geography::{AreaKind, CREDIT, Geography};
use crate::error::{Error, Result};
use crate::goals::catalogue::Catalogue;
use crate::goals::model::{Direction, GoalArea, TargetKind};
use crate::goals::progress::{self, Category, Term};
use crate::vocabulary::Sex;
use serde::{Deserialize, Serialize};
use table::{float, int, text};

/// Options of [`follow_up`] and [`gaps()`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FollowUpOptions {
    /// Latest year to use (`None`: the latest year with a value).
    pub at: Option<i32>,
    /// Years within which a gap should close ("within a generation"): 25.
    pub generation_years: f64,
}

impl FollowUpOptions {
    /// Refuses a generation that is not a positive number of years.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] on `generation_years`.
    pub fn check(&self) -> Result<()> {
        let g = self.generation_years;
        if g.is_finite() && g > 0.0 {
            Ok(())
        } else {
            Err(Error::invalid(
                "generation_years",
                format!("must be a positive number of years, got {g}"),
            ))
        }
    }
}

impl Default for FollowUpOptions {
    fn default() -> Self {
        Self {
            at: None,
            generation_years: 25.0,
        }
    }
}

/// One line of a municipality's follow-up: one goal × indicator × sex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRow {
    /// Area whose value is shown: the municipality, or its region for region-only KPIs.
    pub area: String,
    /// That area's name.
    pub area_name: String,
    /// Goal id.
    pub goal: String,
    /// Goal area.
    pub goal_area: GoalArea,
    /// Goal title (Swedish).
    pub goal_title: String,
    /// Indicator id (KPI or `women/men` KPIs).
    pub indicator: String,
    /// KPI actually read for this sex.
    pub kpi: String,
    /// Indicator title.
    pub indicator_title: String,
    /// Unit.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Sex of the row.
    pub sex: Sex,
    /// Latest year with a value.
    pub year: Option<i32>,
    /// The value in that year.
    pub value: Option<f64>,
    /// Baseline year of the target.
    pub baseline_year: Option<i32>,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// `value − baseline`.
    pub change: Option<f64>,
    /// Target value in the KPI's unit.
    pub target_value: Option<f64>,
    /// SKR change-from-baseline category.
    pub progress: Option<Category>,
    /// Its one-line text, or why there is none.
    pub progress_text: String,
    /// Eurostat short-term category.
    pub eurostat_short: Option<Category>,
    /// Its one-line text, or why there is none.
    pub eurostat_text: String,
    /// Region value in the latest year.
    pub region: Option<f64>,
    /// Unweighted mean of the county's municipalities.
    pub county_municipalities: Option<f64>,
    /// Nation.
    pub nation: Option<f64>,
    /// Unweighted mean of the similar municipalities.
    pub similar: Option<f64>,
    /// Number of similar municipalities with a value.
    pub similar_n: usize,
    /// Unweighted mean of the SKR group.
    pub skr_group: Option<f64>,
}

/// A municipality's follow-up against a catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Municipality (or region) id.
    pub area: String,
    /// Its name.
    pub area_name: String,
    /// Its region id.
    pub region: Option<String>,
    /// Its SKR group code.
    pub skr_group: Option<String>,
    /// Its similar-municipality group id.
    pub similar_group: Option<String>,
    /// The year of that grouping.
    pub similar_group_year: Option<i32>,
    /// The catalogue's name.
    pub catalogue: String,
    /// The rows.
    pub rows: Vec<FollowUpRow>,
    /// Geography credit line.
    pub credit: String,
}

/// Progress categories as frame text: `"moderate progress"`.
fn category(c: Option<Category>) -> Option<String> {
    c.map(|c| c.label().to_string())
}

impl FollowUp {
    /// How many of the [`FollowUp::table`]'s columns are the key ones (through `kpi`):
    /// Python shows those by default, so a notebook renders the frame without
    /// widening pandas' display; the rest are texts and titles.
    pub const KEY_COLUMNS: usize = 20;

    /// The rows as a columnar table, key columns first: `area, goal, indicator, sex,
    /// year, value, change, progress, region, nation, similar`, then the other
    /// comparisons, `unit`, `direction`, the target and `kpi` (the first
    /// [`FollowUp::KEY_COLUMNS`]), then `similar_n`, the texts and the titles.
    pub fn table(&self) -> Table {
        let r = &self.rows;
        Table {
            columns: vec![
                ("area", text(r, |x| Some(x.area.clone()))),
                ("goal", text(r, |x| Some(x.goal.clone()))),
                ("indicator", text(r, |x| Some(x.indicator.clone()))),
                ("sex", text(r, |x| Some(x.sex.code().to_string()))),
                ("year", int(r, |x| x.year.map(i64::from))),
                ("value", float(r, |x| x.value)),
                ("change", float(r, |x| x.change)),
                ("progress", text(r, |x| category(x.progress))),
                ("region", float(r, |x| x.region)),
                ("nation", float(r, |x| x.nation)),
                ("similar", float(r, |x| x.similar)),
                (
                    "county_municipalities",
                    float(r, |x| x.county_municipalities),
                ),
                ("skr_group", float(r, |x| x.skr_group)),
                ("unit", text(r, |x| Some(x.unit.clone()))),
                (
                    "direction",
                    text(r, |x| Some(x.direction.code().to_string())),
                ),
                ("baseline_year", int(r, |x| x.baseline_year.map(i64::from))),
                ("baseline", float(r, |x| x.baseline)),
                ("target_value", float(r, |x| x.target_value)),
                ("eurostat_short", text(r, |x| category(x.eurostat_short))),
                ("kpi", text(r, |x| Some(x.kpi.clone()))),
                ("similar_n", int(r, |x| i64::try_from(x.similar_n).ok())),
                ("progress_text", text(r, |x| Some(x.progress_text.clone()))),
                ("eurostat_text", text(r, |x| Some(x.eurostat_text.clone()))),
                ("area_name", text(r, |x| Some(x.area_name.clone()))),
                (
                    "goal_area",
                    text(r, |x| Some(x.goal_area.swedish().to_string())),
                ),
                ("goal_title", text(r, |x| Some(x.goal_title.clone()))),
                (
                    "indicator_title",
                    text(r, |x| Some(x.indicator_title.clone())),
                ),
            ],
        }
    }
}

/// The follow-up of one municipality (or region) against every goal of a catalogue:
/// latest values for women, men and total, change from baseline, progress against
/// the target and the comparison with region, county municipalities, nation,
/// similar municipalities and SKR group. `area` is a Kolada id or a name, resolved
/// by [`Geography::find`]; `options.at` limits the latest year.
///
/// Rows without data get `None` numbers and a text saying why; they do not fail.
///
/// # Errors
/// [`Error::UnknownId`] for an unknown area; [`Error::InvalidArgument`] for the nation.
pub fn follow_up(
    source: &impl ValueSource,
    geo: &Geography,
    catalogue: &Catalogue,
    area: &str,
    options: &FollowUpOptions,
) -> Result<FollowUp> {
    options.check()?;
    let at = options.at;
    let a = geo.find(area)?;
    if a.kind == AreaKind::Nation {
        return Err(Error::invalid(
            "municipality",
            "follow-up is for a municipality or region, not the nation",
        ));
    }
    let region = match a.kind {
        AreaKind::Municipality => a.region_id.clone(),
        _ => Some(a.id.clone()),
    };
    let mut rows = Vec::new();
    // The first year with data of any series, to refuse an `at` before all of it.
    let mut first_year: Option<i32> = None;
    for goal in &catalogue.goals {
        for ind in &goal.indicators {
            let shown = if a.kind == AreaKind::Municipality && !ind.level.has_municipalities() {
                geo.area(region.as_deref().unwrap_or_default())?
            } else {
                a
            };
            for sex in Sex::ALL {
                let Some((kpi, row_sex)) = ind.source_for(sex) else {
                    continue;
                };
                let mut series = source.series(kpi, &shown.id, row_sex);
                if let Some(&(y, _)) = series.first() {
                    first_year = Some(first_year.map_or(y, |f| f.min(y)));
                }
                if let Some(at) = at {
                    series.retain(|&(y, _)| y <= at);
                }
                let latest = series.last().copied();
                let baseline_year = goal.target.baseline_year;
                let baseline =
                    baseline_year.and_then(|b| series.iter().find(|p| p.0 == b).map(|p| p.1));
                let (progress, progress_text, target_value) =
                    match progress::change_from_baseline(&series, ind, &goal.target, None) {
                        Ok(x) => (Some(x.category), x.text, x.numbers.target_value),
                        Err(e) if series.is_empty() => (None, format!("no data ({e})"), None),
                        Err(e) => (None, e.to_string(), None),
                    };
                let quantified = match (&goal.target.kind, target_value, goal.target.target_year) {
                    (TargetKind::Direction, _, _) => None,
                    (_, Some(v), Some(y)) => Some((v, y)),
                    _ => None,
                };
                let (eurostat_short, eurostat_text) = if series.is_empty() {
                    (None, "no data".to_string())
                } else {
                    match progress::eurostat(&series, ind.direction, quantified, Term::Short, None)
                    {
                        Ok(x) => (Some(x.category), x.text),
                        Err(e) => (None, e.to_string()),
                    }
                };
                let cmp = match latest {
                    Some((y, _)) => Some(compare_area(source, geo, kpi, row_sex, &shown.id, y)?),
                    None => None,
                };
                rows.push(FollowUpRow {
                    area: shown.id.clone(),
                    area_name: shown.title.clone(),
                    goal: goal.id.clone(),
                    goal_area: goal.area,
                    goal_title: goal.title.clone(),
                    indicator: ind.label(),
                    kpi: kpi.to_string(),
                    indicator_title: ind.title.clone(),
                    unit: ind.unit.clone(),
                    direction: ind.direction,
                    sex,
                    year: latest.map(|p| p.0),
                    value: latest.map(|p| p.1),
                    baseline_year,
                    baseline,
                    change: match (latest, baseline) {
                        (Some((_, l)), Some(b)) => Some(l - b),
                        _ => None,
                    },
                    target_value,
                    progress,
                    progress_text,
                    eurostat_short,
                    eurostat_text,
                    region: cmp.as_ref().and_then(|c| c.region),
                    county_municipalities: cmp.as_ref().and_then(|c| c.county_municipalities.mean),
                    nation: cmp.as_ref().and_then(|c| c.nation),
                    similar: cmp.as_ref().and_then(|c| c.similar.mean),
                    similar_n: cmp.as_ref().map_or(0, |c| c.similar.n),
                    skr_group: cmp.as_ref().and_then(|c| c.skr_group.mean),
                });
            }
        }
    }
    if let (Some(at), Some(first)) = (at, first_year) {
        if at < first {
            return Err(Error::invalid(
                "at",
                format!(
                    "{at} is before the first year with data ({first}); give a later year or none"
                ),
            ));
        }
    }
    Ok(FollowUp {
        area: a.id.clone(),
        area_name: a.title.clone(),
        region,
        skr_group: a.skr_group_code.clone(),
        similar_group: a.similar_group_id.clone(),
        similar_group_year: a.similar_group_year,
        catalogue: catalogue.name.clone(),
        rows,
        credit: CREDIT.to_string(),
    })
}
