//! Comparisons for goal follow-up: a municipality against its region, its county's
//! municipalities, the nation, its socioeconomically similar municipalities and its
//! SKR municipality group; women against men.
//!
//! Group means follow Kolada's convention for municipality groups: the **unweighted**
//! mean of the members with a value (the count is reported). Region and nation values
//! are read from the data (Kolada publishes them; the demo dataset builds them
//! population-weighted).
//!
//! ```
//! use jamlik::goals::follow_up::compare_area;
//! use jamlik::data::{DemoData, DemoOptions, Geography, Sex};
//! let geo = Geography::embedded()?;
//! let demo = DemoData::generate(&DemoOptions::default())?;
//! let c = compare_area(&demo, &geo, "N15428", Sex::Total, "1984", 2023)?;
//! assert_eq!(c.similar.n, 7);
//! assert!(c.nation.is_some());
//! # Ok::<(), jamlik::Error>(())
//! ```

use crate::data::demo::DemoData;
use crate::data::geography::{AreaKind, Geography};
use crate::data::panel::Panel;
use crate::error::{Error, Result};
use crate::goals::model::Indicator;
use crate::vocabulary::Sex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Anything that can give a KPI's value for an area, year and Kolada sex row.
pub trait ValueSource {
    /// The value of one cell, if published.
    fn value(&self, kpi: &str, area: &str, year: i32, sex: Sex) -> Option<f64>;
    /// The `(year, value)` series of one KPI, area and sex row, sorted, values only.
    fn series(&self, kpi: &str, area: &str, sex: Sex) -> Vec<(i32, f64)>;
}

impl ValueSource for DemoData {
    fn value(&self, kpi: &str, area: &str, year: i32, sex: Sex) -> Option<f64> {
        DemoData::value(self, kpi, area, year, sex)
    }
    fn series(&self, kpi: &str, area: &str, sex: Sex) -> Vec<(i32, f64)> {
        self.years()
            .iter()
            .filter_map(|&y| DemoData::value(self, kpi, area, y, sex).map(|v| (y, v)))
            .collect()
    }
}

/// A hash index over long Kolada-style rows for fast look-ups.
#[derive(Debug, Clone, Default)]
pub struct PanelIndex {
    series: HashMap<(String, String, Sex), Vec<(i32, f64)>>,
}

impl PanelIndex {
    /// Builds the index from long columns (`kpi, area, year, sex, value`); NaN values
    /// are unpublished cells and skipped.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for columns of different lengths;
    /// [`Error::InvalidArgument`] for a duplicated `(kpi, area, year, sex)` row;
    /// [`Error::NonFinite`] for infinite values.
    pub fn from_columns(
        kpi: &[String],
        area: &[String],
        year: &[i32],
        sex: &[Sex],
        value: &[f64],
    ) -> Result<Self> {
        let n = kpi.len();
        for (arg, len) in [
            ("area", area.len()),
            ("year", year.len()),
            ("sex", sex.len()),
            ("value", value.len()),
        ] {
            if len != n {
                return Err(Error::LengthMismatch {
                    arg,
                    other: "kpi",
                    expected: n,
                    found: len,
                });
            }
        }
        let mut series: HashMap<(String, String, Sex), Vec<(i32, f64)>> = HashMap::new();
        for i in 0..n {
            let v = value[i];
            if v.is_nan() {
                continue;
            }
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    arg: "value",
                    index: i,
                    value: v,
                });
            }
            series
                .entry((kpi[i].clone(), area[i].clone(), sex[i]))
                .or_default()
                .push((year[i], v));
        }
        for ((k, a, s), rows) in &mut series {
            rows.sort_by_key(|&(p, _)| p);
            if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(Error::invalid(
                    "frame",
                    format!(
                        "duplicate row for kpi {k}, area {a}, year {}, sex {}",
                        w[0].0,
                        s.code()
                    ),
                ));
            }
        }
        Ok(Self { series })
    }

    /// Builds the index from a [`Panel`].
    ///
    /// # Errors
    /// As [`PanelIndex::from_columns`].
    pub fn from_panel(panel: &Panel) -> Result<Self> {
        let o = &panel.observations;
        Self::from_columns(
            &o.iter().map(|x| x.kpi.clone()).collect::<Vec<_>>(),
            &o.iter().map(|x| x.area.clone()).collect::<Vec<_>>(),
            &o.iter().map(|x| x.year).collect::<Vec<_>>(),
            &o.iter().map(|x| x.sex).collect::<Vec<_>>(),
            &o.iter()
                .map(|x| x.value.unwrap_or(f64::NAN))
                .collect::<Vec<_>>(),
        )
    }
}

impl PanelIndex {
    /// The latest year in which `kpi` has a value for any area and sex.
    pub fn latest_year(&self, kpi: &str) -> Option<i32> {
        self.series
            .iter()
            .filter(|((k, _, _), _)| k == kpi)
            .filter_map(|(_, s)| s.last().map(|p| p.0))
            .max()
    }
}

impl ValueSource for PanelIndex {
    fn value(&self, kpi: &str, area: &str, year: i32, sex: Sex) -> Option<f64> {
        let s = self.series.get(&(kpi.to_string(), area.to_string(), sex))?;
        s.binary_search_by_key(&year, |&(p, _)| p)
            .ok()
            .map(|i| s[i].1)
    }
    fn series(&self, kpi: &str, area: &str, sex: Sex) -> Vec<(i32, f64)> {
        self.series
            .get(&(kpi.to_string(), area.to_string(), sex))
            .cloned()
            .unwrap_or_default()
    }
}

/// An unweighted group mean with the number of members that had a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMean {
    /// Mean of the members with a value; `None` when none had one.
    pub mean: Option<f64>,
    /// Members with a value.
    pub n: usize,
    /// Members in the group.
    pub members: usize,
}

fn group_mean<'a>(
    source: &impl ValueSource,
    kpi: &str,
    sex: Sex,
    year: i32,
    ids: impl Iterator<Item = &'a str>,
) -> GroupMean {
    let mut members = 0;
    let vals: Vec<f64> = ids
        .inspect(|_| members += 1)
        .filter_map(|id| source.value(kpi, id, year, sex))
        .collect();
    GroupMean {
        mean: (!vals.is_empty())
            .then(|| crate::stats::sum(vals.iter().copied()) / vals.len() as f64),
        n: vals.len(),
        members,
    }
}

/// One area's value against its reference areas in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// KPI id.
    pub kpi: String,
    /// Kolada gender row.
    pub sex: Sex,
    /// Year.
    pub year: i32,
    /// The area compared.
    pub area: String,
    /// Its value.
    pub value: Option<f64>,
    /// Its region's value (the area itself for a region).
    pub region: Option<f64>,
    /// Unweighted mean of the county's municipalities (Kolada "<län> läns kommuner").
    pub county_municipalities: GroupMean,
    /// The nation (0000).
    pub nation: Option<f64>,
    /// Unweighted mean of the socioeconomically similar municipalities.
    pub similar: GroupMean,
    /// Unweighted mean of the SKR municipality group (the area itself excluded).
    pub skr_group: GroupMean,
}

/// Compares one area with its region, county municipalities, nation, similar
/// municipalities and SKR group in one year.
///
/// # Errors
/// [`Error::UnknownId`] for an unknown area.
pub fn compare_area(
    source: &impl ValueSource,
    geo: &Geography,
    kpi: &str,
    sex: Sex,
    area: &str,
    year: i32,
) -> Result<Comparison> {
    let a = geo.area(area)?;
    let region = match a.kind {
        AreaKind::Nation => None,
        AreaKind::Region => Some(a.id.as_str()),
        AreaKind::Municipality => a.region_id.as_deref(),
    };
    let county = a.county_code.as_deref().unwrap_or("");
    let empty = GroupMean {
        mean: None,
        n: 0,
        members: 0,
    };
    Ok(Comparison {
        kpi: kpi.to_string(),
        sex,
        year,
        area: a.id.clone(),
        value: source.value(kpi, &a.id, year, sex),
        region: region.and_then(|r| source.value(kpi, r, year, sex)),
        county_municipalities: if county.is_empty() {
            empty.clone()
        } else {
            group_mean(
                source,
                kpi,
                sex,
                year,
                geo.county_municipalities(county).map(|m| m.id.as_str()),
            )
        },
        nation: source.value(kpi, crate::data::geography::NATION_ID, year, sex),
        similar: group_mean(
            source,
            kpi,
            sex,
            year,
            a.similar_ids.iter().map(String::as_str),
        ),
        skr_group: match a.skr_group_code.as_deref() {
            Some(code) => group_mean(
                source,
                kpi,
                sex,
                year,
                geo.skr_group_members(code)
                    .filter(|m| m.id != a.id)
                    .map(|m| m.id.as_str()),
            ),
            None => empty,
        },
    })
}

/// Women against men for one indicator, area and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SexGap {
    /// Women's value.
    pub women: f64,
    /// Men's value.
    pub men: f64,
    /// `women − men`.
    pub difference: f64,
    /// `women / men` (`None` when men's value is 0).
    pub ratio: Option<f64>,
    /// Who fares better in the indicator's direction.
    pub better_off: BetterOff,
}

/// Who fares better: `"women"`, `"men"` or `"equal"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BetterOff {
    /// Women fare better.
    Women,
    /// Men fare better.
    Men,
    /// Equal values.
    Equal,
}

impl BetterOff {
    /// `"women"`, `"men"` or `"equal"`.
    pub fn code(self) -> &'static str {
        match self {
            BetterOff::Women => "women",
            BetterOff::Men => "men",
            BetterOff::Equal => "equal",
        }
    }
}

/// Women against men, reading the indicator's KPIs the right way (split KPI or
/// two KPIs). `None` when either value is missing or the indicator is not by sex.
pub fn women_vs_men(
    source: &impl ValueSource,
    indicator: &Indicator,
    area: &str,
    year: i32,
) -> Option<SexGap> {
    let read = |sex| {
        indicator
            .source_for(sex)
            .and_then(|(k, row)| source.value(k, area, year, row))
    };
    let (women, men) = (read(Sex::Women)?, read(Sex::Men)?);
    let d = women - men;
    let signed = indicator.direction.sign() * d;
    Some(SexGap {
        women,
        men,
        difference: d,
        ratio: (men != 0.0).then(|| women / men),
        better_off: if signed > 0.0 {
            BetterOff::Women
        } else if signed < 0.0 {
            BetterOff::Men
        } else {
            BetterOff::Equal
        },
    })
}
