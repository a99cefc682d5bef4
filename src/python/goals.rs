//! Python bindings for the goals area: catalogue, geography, demo dataset,
//! progress, gap closure, comparisons and the follow-up.
//!
//! Structured results (assessments, follow-up rows) cross the boundary as JSON
//! text of the Rust result structs (serde), which `jamlik.goals` turns into frames;
//! bulk data (the demo dataset) crosses as numpy arrays.

use super::IntoPyResult;
use crate::data::demo::{DemoData, DemoOptions, STATUS_CODES};
use crate::data::geography::{self, Geography};
use crate::error::Error;
use crate::goals::catalogue::{Catalogue, MergeMode};
use crate::goals::follow_up::{self as cmp, PanelIndex};
use crate::goals::gap::{GapOptions, gap_closure as gap_core};
use crate::goals::model::Direction;
use crate::goals::progress::{self, Term};
use crate::vocabulary::Sex;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn to_json<T: serde::Serialize>(x: &T) -> PyResult<String> {
    serde_json::to_string(x)
        .map_err(|e| Error::Parse {
            what: "result".into(),
            reason: e.to_string(),
        })
        .py_err()
}

fn load(catalogue_json: Option<&str>) -> crate::Result<Catalogue> {
    match catalogue_json {
        Some(t) => Catalogue::from_json(t),
        None => Catalogue::shipped(),
    }
}

fn years_values(years: &[f64], values: &[f64]) -> crate::Result<Vec<(i32, f64)>> {
    if years.len() != values.len() {
        return Err(Error::LengthMismatch {
            arg: "values",
            other: "years",
            expected: years.len(),
            found: values.len(),
        });
    }
    years
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (&y, &v))| {
            if y.fract() != 0.0 || !y.is_finite() || y.abs() > 1e6 {
                Err(Error::OutOfDomain {
                    arg: "years",
                    index: i,
                    value: y,
                    requirement: "a whole year",
                })
            } else {
                Ok((y as i32, v))
            }
        })
        .collect()
}

fn sexes(codes: &[String]) -> crate::Result<Vec<Sex>> {
    codes.iter().map(|c| c.parse()).collect()
}

/// The shipped catalogue as JSON text.
#[pyfunction]
fn catalogue_json() -> &'static str {
    Catalogue::shipped_json()
}

/// Validates a catalogue (JSON text), optionally merged into a base catalogue, and
/// returns the result as normalised JSON.
#[pyfunction]
#[pyo3(signature = (text, base=None, mode="override"))]
fn load_catalogue(text: &str, base: Option<&str>, mode: &str) -> PyResult<String> {
    let mode: MergeMode = mode.parse().py_err()?;
    let user = Catalogue::from_json(text).py_err()?;
    let out = match base {
        None => user,
        Some(b) => {
            let mut cat = Catalogue::from_json(b).py_err()?;
            cat.merge(user, mode).py_err()?;
            cat
        }
    };
    out.to_json().py_err()
}

/// The geography as columns plus its credit line.
#[pyfunction]
fn geography_columns(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let geo = Geography::embedded().py_err()?;
    let d = PyDict::new(py);
    let a = geo.areas();
    let kind = |k| match k {
        geography::AreaKind::Municipality => "municipality",
        geography::AreaKind::Region => "region",
        geography::AreaKind::Nation => "nation",
    };
    d.set_item("id", a.iter().map(|x| x.id.clone()).collect::<Vec<_>>())?;
    d.set_item(
        "title",
        a.iter().map(|x| x.title.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item("kind", a.iter().map(|x| kind(x.kind)).collect::<Vec<_>>())?;
    d.set_item(
        "county_code",
        a.iter().map(|x| x.county_code.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "region_id",
        a.iter().map(|x| x.region_id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "skr_group_code",
        a.iter()
            .map(|x| x.skr_group_code.clone())
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "skr_group_id",
        a.iter().map(|x| x.skr_group_id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_group_id",
        a.iter()
            .map(|x| x.similar_group_id.clone())
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_group_year",
        a.iter().map(|x| x.similar_group_year).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_ids",
        a.iter()
            .map(|x| x.similar_ids.join(";"))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("credit", geography::CREDIT)?;
    d.set_item("snapshot_date", geography::SNAPSHOT_DATE)?;
    Ok(d)
}

/// Generates the synthetic demo dataset; returns its long columns as numpy arrays
/// with lookup lists, and the synthetic population.
#[pyfunction]
#[pyo3(signature = (seed=20_171_219, first_year=2010, last_year=2023))]
fn demo_columns(
    py: Python<'_>,
    seed: u64,
    first_year: i32,
    last_year: i32,
) -> PyResult<Bound<'_, PyDict>> {
    let opts = DemoOptions {
        seed,
        first_year,
        last_year,
    };
    let (data, cols, pop) = py
        .detach(|| -> crate::Result<_> {
            let data = DemoData::generate(&opts)?;
            let cols = data.columns();
            let mut pop = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (a, area) in data.areas().iter().enumerate() {
                for &y in data.years() {
                    for (s, sex) in crate::data::demo::SEXES.into_iter().enumerate() {
                        pop.0.push(a as u32);
                        pop.1.push(y);
                        pop.2.push(s as u8);
                        pop.3
                            .push(data.population(area, y, sex).unwrap_or(f64::NAN));
                    }
                }
            }
            Ok((data, cols, pop))
        })
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("kpis", data.kpis().to_vec())?;
    d.set_item("areas", data.areas().to_vec())?;
    d.set_item("sexes", ["T", "K", "M"])?;
    d.set_item("statuses", STATUS_CODES.to_vec())?;
    d.set_item("kpi", PyArray1::from_vec(py, cols.kpi))?;
    d.set_item("area", PyArray1::from_vec(py, cols.area))?;
    d.set_item("period", PyArray1::from_vec(py, cols.period))?;
    d.set_item("sex", PyArray1::from_vec(py, cols.sex))?;
    d.set_item("value", PyArray1::from_vec(py, cols.value))?;
    d.set_item("status", PyArray1::from_vec(py, cols.status))?;
    d.set_item("pop_area", PyArray1::from_vec(py, pop.0))?;
    d.set_item("pop_period", PyArray1::from_vec(py, pop.1))?;
    d.set_item("pop_sex", PyArray1::from_vec(py, pop.2))?;
    d.set_item("pop_value", PyArray1::from_vec(py, pop.3))?;
    d.set_item("seed", data.seed())?;
    d.set_item("label", crate::data::demo::SYNTHETIC_LABEL)?;
    Ok(d)
}

/// One progress assessment of a `(years, values)` series; returns JSON.
#[pyfunction]
#[pyo3(signature = (years, values, direction, method="eurostat", term="short", target_value=None, target_year=None, baseline_year=None, at=None))]
fn assess_series(
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    direction: &str,
    method: &str,
    term: &str,
    target_value: Option<f64>,
    target_year: Option<i32>,
    baseline_year: Option<i32>,
    at: Option<i32>,
) -> PyResult<String> {
    let series = years_values(years.as_slice()?, values.as_slice()?).py_err()?;
    let direction: Direction = direction.parse().py_err()?;
    let a = match method {
        "eurostat" => {
            let term: Term = term.parse().py_err()?;
            let target = match (target_value, target_year) {
                (Some(v), Some(y)) => Some((v, y)),
                (None, None) => None,
                _ => {
                    return Err(Error::invalid(
                        "target",
                        "give both target and target_year, or neither",
                    ))
                    .py_err();
                }
            };
            progress::eurostat(&series, direction, target, term, at)
        }
        "un" | "un_progress_chart" => {
            let (Some(v), Some(y)) = (target_value, target_year) else {
                return Err(Error::invalid(
                    "target",
                    "the UN progress chart needs target and target_year",
                ))
                .py_err();
            };
            progress::un_progress_chart(&series, direction, v, y, baseline_year, at)
        }
        other => Err(Error::invalid(
            "method",
            format!("expected \"eurostat\" or \"un\" for a series without a goal, got {other:?}"),
        )),
    }
    .py_err()?;
    to_json(&a)
}

/// Every applicable assessment of a series against a catalogue goal's target; JSON list.
#[pyfunction]
#[pyo3(signature = (years, values, goal_id, kpi=None, catalogue=None, at=None))]
fn assess_goal_series(
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    goal_id: &str,
    kpi: Option<&str>,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<String> {
    let series = years_values(years.as_slice()?, values.as_slice()?).py_err()?;
    let cat = load(catalogue).py_err()?;
    let goal = cat.goal(goal_id).py_err()?;
    let ind = match kpi {
        None => &goal.indicators[0],
        Some(k) => goal
            .indicators
            .iter()
            .find(|i| i.kpi_ids().contains(&k))
            .ok_or_else(|| Error::UnknownId {
                kind: "KPI of this goal",
                id: k.to_string(),
            })
            .py_err()?,
    };
    to_json(&progress::assess_indicator(&series, ind, &goal.target, at).py_err()?)
}

/// Gap closure of a gap series; JSON.
#[pyfunction]
#[pyo3(signature = (years, gaps, generation_years=25.0, level=0.95))]
fn gap_closure(
    years: PyReadonlyArray1<'_, f64>,
    gaps: PyReadonlyArray1<'_, f64>,
    generation_years: f64,
    level: f64,
) -> PyResult<String> {
    let pts = years_values(years.as_slice()?, gaps.as_slice()?).py_err()?;
    let (y, g): (Vec<i32>, Vec<f64>) = pts.into_iter().unzip();
    to_json(
        &gap_core(
            &y,
            &g,
            &GapOptions {
                generation_years,
                level,
            },
        )
        .py_err()?,
    )
}

fn index(
    kpi: Vec<String>,
    area: Vec<String>,
    period: &[f64],
    gender: &[String],
    value: &[f64],
) -> crate::Result<PanelIndex> {
    let sex = sexes(gender)?;
    let period: Vec<i32> = period
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            if p.fract() == 0.0 && p.is_finite() && p.abs() < 1e6 {
                Ok(p as i32)
            } else {
                Err(Error::OutOfDomain {
                    arg: "period",
                    index: i,
                    value: p,
                    requirement: "a whole year",
                })
            }
        })
        .collect::<crate::Result<_>>()?;
    PanelIndex::from_columns(&kpi, &area, &period, &sex, value)
}

/// A municipality's follow-up from long Kolada columns; JSON.
#[pyfunction]
#[pyo3(signature = (kpi, area, period, gender, value, municipality, catalogue=None, at=None))]
fn follow_up(
    py: Python<'_>,
    kpi: Vec<String>,
    area: Vec<String>,
    period: PyReadonlyArray1<'_, f64>,
    gender: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    municipality: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<String> {
    let (period, value) = (period.as_slice()?, value.as_slice()?);
    let f = py
        .detach(|| -> crate::Result<_> {
            let idx = index(kpi, area, period, &gender, value)?;
            let geo = Geography::embedded()?;
            let cat = load(catalogue)?;
            cmp::follow_up(&idx, &geo, &cat, municipality, at)
        })
        .py_err()?;
    to_json(&f)
}

/// Comparison of one area with its reference areas, and women vs men; JSON.
#[pyfunction]
#[pyo3(signature = (kpi, area, period, gender, value, target_kpi, municipality, year, sex="T"))]
fn compare_area(
    kpi: Vec<String>,
    area: Vec<String>,
    period: PyReadonlyArray1<'_, f64>,
    gender: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    target_kpi: &str,
    municipality: &str,
    year: i32,
    sex: &str,
) -> PyResult<String> {
    let idx = index(kpi, area, period.as_slice()?, &gender, value.as_slice()?).py_err()?;
    let geo = Geography::embedded().py_err()?;
    let id = geo.find(municipality).py_err()?.id.clone();
    let sex: Sex = sex.parse().py_err()?;
    to_json(&cmp::compare_area(&idx, &geo, target_kpi, sex, &id, year).py_err()?)
}

/// Women vs men for a catalogue indicator (split or two-KPI); JSON or None.
#[pyfunction]
#[pyo3(signature = (kpi, area, period, gender, value, indicator_kpi, municipality, year, catalogue=None))]
fn women_vs_men(
    kpi: Vec<String>,
    area: Vec<String>,
    period: PyReadonlyArray1<'_, f64>,
    gender: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    indicator_kpi: &str,
    municipality: &str,
    year: i32,
    catalogue: Option<&str>,
) -> PyResult<Option<String>> {
    let idx = index(kpi, area, period.as_slice()?, &gender, value.as_slice()?).py_err()?;
    let geo = Geography::embedded().py_err()?;
    let id = geo.find(municipality).py_err()?.id.clone();
    let cat = load(catalogue).py_err()?;
    let (_, ind) = cat.indicator(indicator_kpi).py_err()?;
    cmp::women_vs_men(&idx, ind, &id, year)
        .map(|g| to_json(&g))
        .transpose()
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(catalogue_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(geography_columns, m)?)?;
    m.add_function(wrap_pyfunction!(demo_columns, m)?)?;
    m.add_function(wrap_pyfunction!(assess_series, m)?)?;
    m.add_function(wrap_pyfunction!(assess_goal_series, m)?)?;
    m.add_function(wrap_pyfunction!(gap_closure, m)?)?;
    m.add_function(wrap_pyfunction!(follow_up, m)?)?;
    m.add_function(wrap_pyfunction!(compare_area, m)?)?;
    m.add_function(wrap_pyfunction!(women_vs_men, m)?)?;
    Ok(())
}
