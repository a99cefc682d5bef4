//! The health gaps around one municipality, per municipality-level goal indicator
//! of its follow-up: women against men and the municipality against the nation,
//! each with the year it closes at its linear trend ([`gap_closure`]); and the
//! inequality between municipalities, within the county and in the whole country,
//! as HEAT's population-weighted index of disparity (IDISW, %) and Theil index
//! (TI, ×1000) over the municipalities' values in the latest year.
//!
//! ```
//! use jamlik::data::{DemoData, DemoOptions, Geography};
//! use jamlik::goals::Catalogue;
//! use jamlik::goals::follow_up::{follow_up, gaps, FollowUpOptions};
//! let (geo, cat) = (Geography::embedded()?, Catalogue::shipped()?);
//! let demo = DemoData::generate(&DemoOptions::default())?;
//! let o = FollowUpOptions::default();
//! let f = follow_up(&demo, &geo, &cat, "0180", &o)?;
//! let g = gaps(&demo, &demo, &geo, &cat, &f, &o)?;
//! let row = g.rows.iter().find(|r| r.kpi == "N15428").unwrap();
//! assert!(row.idisw_nation.unwrap() > 0.0);
//! # Ok::<(), jamlik::Error>(())
//! ```

use super::table::{Table, float, int, text};
use super::{FollowUp, FollowUpOptions, ValueSource};
use crate::data::demo::DemoData;
use crate::data::geography::{Geography, NATION_ID};
use crate::error::{Error, Result};
use crate::goals::catalogue::Catalogue;
use crate::goals::gap::{GapOptions, gap_closure};
use crate::goals::model::Indicator;
use crate::measures::heat::{Measure, Options, Subgroups, measure};
use crate::vocabulary::Sex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Population weights per area, year and sex.
pub trait PopulationSource {
    /// The population of one area in one year, if known.
    fn population(&self, area: &str, year: i32, sex: Sex) -> Option<f64>;
}

impl PopulationSource for DemoData {
    fn population(&self, area: &str, year: i32, sex: Sex) -> Option<f64> {
        DemoData::population(self, area, year, sex)
    }
}

/// Every area weighs the same (for data without a population).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EqualWeights;

impl PopulationSource for EqualWeights {
    fn population(&self, _: &str, _: i32, _: Sex) -> Option<f64> {
        Some(1.0)
    }
}

/// Populations from long columns (`area, year, sex, population`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopulationIndex {
    values: HashMap<(String, i32, Sex), f64>,
}

impl PopulationIndex {
    /// Builds the index; NaN populations are unknown and skipped.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for columns of different lengths;
    /// [`Error::OutOfDomain`] for a negative or infinite population.
    pub fn from_columns(
        area: &[String],
        year: &[i32],
        sex: &[Sex],
        population: &[f64],
    ) -> Result<Self> {
        let n = area.len();
        for (arg, len) in [
            ("year", year.len()),
            ("sex", sex.len()),
            ("population", population.len()),
        ] {
            if len != n {
                return Err(Error::LengthMismatch {
                    arg,
                    other: "area",
                    expected: n,
                    found: len,
                });
            }
        }
        let mut values = HashMap::with_capacity(n);
        for i in 0..n {
            let p = population[i];
            if p.is_nan() {
                continue;
            }
            if !(p.is_finite() && p >= 0.0) {
                return Err(Error::OutOfDomain {
                    arg: "population",
                    index: i,
                    value: p,
                    requirement: "a finite population ≥ 0",
                });
            }
            values.insert((area[i].clone(), year[i], sex[i]), p);
        }
        Ok(Self { values })
    }
}

impl PopulationSource for PopulationIndex {
    fn population(&self, area: &str, year: i32, sex: Sex) -> Option<f64> {
        self.values.get(&(area.to_string(), year, sex)).copied()
    }
}

/// One indicator's gaps around the municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapRow {
    /// The municipality.
    pub area: String,
    /// Goal id.
    pub goal: String,
    /// Goal title.
    pub goal_title: String,
    /// Indicator id.
    pub indicator: String,
    /// The KPI whose gaps these are.
    pub kpi: String,
    /// Unit.
    pub unit: String,
    /// Latest year of the follow-up for this KPI.
    pub year: Option<i32>,
    /// Women − men in the latest common year.
    pub women_minus_men: Option<f64>,
    /// Year the women − men gap closes at its trend (`None`: not at this trend).
    pub sex_gap_closure_year: Option<f64>,
    /// `"closes 2031"`, `"not at this trend"`, `"not split by sex"`.
    pub sex_gap_trend: String,
    /// Municipality − nation (total) in the latest common year.
    pub minus_nation: Option<f64>,
    /// Year the municipality − nation gap closes at its trend.
    pub nation_gap_closure_year: Option<f64>,
    /// Its text, as `sex_gap_trend`, or `"no national series"`.
    pub nation_gap_trend: String,
    /// Population-weighted index of disparity between the county's municipalities (%).
    pub idisw_county: Option<f64>,
    /// Theil index between the county's municipalities (×1000).
    pub ti_county: Option<f64>,
    /// Index of disparity between all municipalities (%).
    pub idisw_nation: Option<f64>,
    /// Theil index between all municipalities (×1000).
    pub ti_nation: Option<f64>,
}

/// The gaps section of a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gaps {
    /// The municipality.
    pub area: String,
    /// The rows, one per goal × municipality-level KPI.
    pub rows: Vec<GapRow>,
}

impl Gaps {
    /// The rows as a columnar table, key columns first.
    pub fn table(&self) -> Table {
        let r = &self.rows;
        Table {
            columns: vec![
                ("area", text(r, |x| Some(x.area.clone()))),
                ("goal", text(r, |x| Some(x.goal.clone()))),
                ("indicator", text(r, |x| Some(x.indicator.clone()))),
                ("kpi", text(r, |x| Some(x.kpi.clone()))),
                ("year", int(r, |x| x.year.map(i64::from))),
                ("women_minus_men", float(r, |x| x.women_minus_men)),
                ("sex_gap_closure_year", float(r, |x| x.sex_gap_closure_year)),
                ("sex_gap_trend", text(r, |x| Some(x.sex_gap_trend.clone()))),
                ("minus_nation", float(r, |x| x.minus_nation)),
                (
                    "nation_gap_closure_year",
                    float(r, |x| x.nation_gap_closure_year),
                ),
                (
                    "nation_gap_trend",
                    text(r, |x| Some(x.nation_gap_trend.clone())),
                ),
                ("idisw_county", float(r, |x| x.idisw_county)),
                ("ti_county", float(r, |x| x.ti_county)),
                ("idisw_nation", float(r, |x| x.idisw_nation)),
                ("ti_nation", float(r, |x| x.ti_nation)),
                ("unit", text(r, |x| Some(x.unit.clone()))),
                ("goal_title", text(r, |x| Some(x.goal_title.clone()))),
            ],
        }
    }
}

/// The latest gap, the year it closes and a text; `Err` when no trend can be fitted.
type Closure = (Option<f64>, Option<f64>, String);

fn closure(a: &[(i32, f64)], b: &[(i32, f64)], opts: &FollowUpOptions) -> Result<Closure> {
    let b: HashMap<i32, f64> = b.iter().copied().collect();
    let (years, gap): (Vec<i32>, Vec<f64>) = a
        .iter()
        .filter_map(|&(y, v)| b.get(&y).map(|w| (y, v - w)))
        .unzip();
    let g = gap_closure(
        &years,
        &gap,
        &GapOptions {
            generation_years: opts.generation_years,
            ..GapOptions::default()
        },
    )?;
    let text = match g.closure_year {
        // The year the trend line crosses zero, as a calendar year (truncated).
        Some(y) => format!("closes {}", y.trunc() as i64),
        None => "not at this trend".to_string(),
    };
    Ok((Some(g.latest_gap), g.closure_year, text))
}

fn cut(mut s: Vec<(i32, f64)>, at: Option<i32>) -> Vec<(i32, f64)> {
    if let Some(at) = at {
        s.retain(|&(y, _)| y <= at);
    }
    s
}

fn sex_gap(
    source: &impl ValueSource,
    ind: &Indicator,
    area: &str,
    opts: &FollowUpOptions,
) -> Closure {
    let read = |sex| {
        ind.source_for(sex)
            .map(|(k, row)| cut(source.series(k, area, row), opts.at))
            .unwrap_or_default()
    };
    let (women, men) = (read(Sex::Women), read(Sex::Men));
    let common = women
        .iter()
        .filter(|(y, _)| men.iter().any(|(m, _)| m == y))
        .count();
    if common < 3 {
        return (None, None, "not split by sex".to_string());
    }
    closure(&women, &men, opts).unwrap_or_else(|e| (None, None, format!("no trend: {e}")))
}

/// IDISW and TI over `(value, population)` pairs; `None` for fewer than three areas,
/// a missing population or a measure that is undefined for the values.
fn disparity(cells: &[(f64, Option<f64>)]) -> (Option<f64>, Option<f64>) {
    if cells.len() < 3 || cells.iter().any(|c| c.1.is_none()) {
        return (None, None);
    }
    let y: Vec<f64> = cells.iter().map(|c| c.0).collect();
    let w: Vec<f64> = cells.iter().filter_map(|c| c.1).collect();
    let Ok(g) = Subgroups::new(&y).population(&w).build() else {
        return (None, None);
    };
    let o = Options::default();
    let get = |m| measure(m, &g, &o).ok().map(|e| e.value);
    (get(Measure::Idisw), get(Measure::Ti))
}

/// The gaps around the municipality of a [`FollowUp`] (computed on the same
/// `source`), one row per goal × KPI read at municipality level (region-only KPIs
/// have none). Series are cut at `options.at`; the disparities use the follow-up's
/// latest year, the total (`T`) values of the municipalities with a value, and their
/// `population` weights.
///
/// # Errors
/// [`Error::UnknownId`] when the follow-up's area or a goal is not in `geo` /
/// `catalogue`.
pub fn gaps(
    source: &impl ValueSource,
    population: &impl PopulationSource,
    geo: &Geography,
    catalogue: &Catalogue,
    follow: &FollowUp,
    options: &FollowUpOptions,
) -> Result<Gaps> {
    options.check()?;
    let area = geo.area(&follow.area)?;
    let county = area.county_code.as_deref();
    let mut rows: Vec<GapRow> = Vec::new();
    for r in follow.rows.iter().filter(|r| r.area == area.id) {
        if rows.iter().any(|g| g.goal == r.goal && g.kpi == r.kpi) {
            continue;
        }
        let goal = catalogue.goal(&r.goal)?;
        let Some(ind) = goal.indicators.iter().find(|i| i.label() == r.indicator) else {
            continue;
        };
        let year = follow
            .rows
            .iter()
            .filter(|x| x.goal == r.goal && x.kpi == r.kpi)
            .filter_map(|x| x.year)
            .max();
        let (women_minus_men, sex_gap_closure_year, sex_gap_trend) =
            sex_gap(source, ind, &area.id, options);
        let own = cut(source.series(&r.kpi, &area.id, Sex::Total), options.at);
        let nation = cut(source.series(&r.kpi, NATION_ID, Sex::Total), options.at);
        let (minus_nation, nation_gap_closure_year, nation_gap_trend) =
            closure(&own, &nation, options)
                .unwrap_or_else(|_| (None, None, "no national series".to_string()));
        let (mut all, mut in_county) = (Vec::new(), Vec::new());
        if let Some(y) = year {
            for m in geo.municipalities() {
                if let Some(v) = source.value(&r.kpi, &m.id, y, Sex::Total) {
                    let cell = (v, population.population(&m.id, y, Sex::Total));
                    if county.is_some() && m.county_code.as_deref() == county {
                        in_county.push(cell);
                    }
                    all.push(cell);
                }
            }
        }
        let (idisw_county, ti_county) = disparity(&in_county);
        let (idisw_nation, ti_nation) = disparity(&all);
        rows.push(GapRow {
            area: area.id.clone(),
            goal: r.goal.clone(),
            goal_title: r.goal_title.clone(),
            indicator: r.indicator.clone(),
            kpi: r.kpi.clone(),
            unit: r.unit.clone(),
            year,
            women_minus_men,
            sex_gap_closure_year,
            sex_gap_trend,
            minus_nation,
            nation_gap_closure_year,
            nation_gap_trend,
            idisw_county,
            ti_county,
            idisw_nation,
            ti_nation,
        });
    }
    Ok(Gaps {
        area: area.id.clone(),
        rows,
    })
}
