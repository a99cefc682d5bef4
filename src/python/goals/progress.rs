//! Progress assessments of a series (against a target or a catalogue goal)
//! and gap closure.

use super::panel::Panel;
use super::{load, opt_f64, years_values};
use crate::data::geography::Geography;
use crate::error::Error;
use crate::goals::gap::{GapOptions, gap_closure as gap_core};
use crate::goals::model::Direction;
use crate::goals::progress::{self, Assessment, Term};
use crate::python::IntoPyResult;
use crate::vocabulary::Sex;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Reads one number of an assessment (NaN when the method has none).
type NumberOf = dyn Fn(&Assessment) -> f64;

/// Assessments as columns: `method, category, text` and the numbers behind them.
fn assessments<'py>(py: Python<'py>, items: &[Assessment]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let col = |f: &NumberOf| -> Vec<f64> { items.iter().map(f).collect() };
    d.set_item(
        "method",
        items.iter().map(|a| a.method.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "category",
        items.iter().map(|a| a.category.label()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "text",
        items.iter().map(|a| a.text.clone()).collect::<Vec<_>>(),
    )?;
    let numbers: [(&str, &NumberOf); 13] = [
        ("baseline_year", &|a| f64::from(a.numbers.baseline_year)),
        ("baseline", &|a| a.numbers.baseline),
        ("year", &|a| f64::from(a.numbers.year)),
        ("value", &|a| a.numbers.value),
        ("change", &|a| a.numbers.change),
        ("target_value", &|a| opt_f64(a.numbers.target_value)),
        ("target_year", &|a| {
            opt_f64(a.numbers.target_year.map(f64::from))
        }),
        ("required_change", &|a| opt_f64(a.numbers.required_change)),
        ("share_of_required", &|a| {
            opt_f64(a.numbers.share_of_required)
        }),
        ("cagr", &|a| opt_f64(a.numbers.cagr)),
        ("required_cagr", &|a| opt_f64(a.numbers.required_cagr)),
        ("ratio", &|a| opt_f64(a.numbers.ratio)),
        ("projected", &|a| opt_f64(a.numbers.projected)),
    ];
    for (name, f) in numbers {
        d.set_item(name, PyArray1::from_vec(py, col(f)))?;
    }
    Ok(d)
}

/// One progress assessment of a `(years, values)` series, as columns.
#[pyfunction]
#[pyo3(signature = (years, values, direction, method="eurostat", term="short", target_value=None, target_year=None, baseline_year=None, at=None))]
fn assess_series<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    direction: &str,
    method: &str,
    term: &str,
    target_value: Option<f64>,
    target_year: Option<i32>,
    baseline_year: Option<i32>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
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
    assessments(py, std::slice::from_ref(&a))
}

/// Every applicable assessment of a series against a catalogue goal's target, as columns.
#[pyfunction]
#[pyo3(signature = (years, values, goal_id, kpi=None, catalogue=None, at=None))]
fn assess_goal_series<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    goal_id: &str,
    kpi: Option<&str>,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let series = years_values(years.as_slice()?, values.as_slice()?).py_err()?;
    let cat = load(catalogue).py_err()?;
    let goal = cat.goal(goal_id).py_err()?;
    let ind = goal.indicator_for(kpi).py_err()?;
    let items = progress::assess_indicator(&series, ind, &goal.target, at).py_err()?;
    assessments(py, &items)
}

/// Every applicable assessment of one area's series in long columns against a
/// catalogue goal (the core picks the indicator, the Kolada row and the methods).
#[pyfunction]
#[pyo3(signature = (panel, goal_id, municipality, indicator_kpi=None, row_sex="T", catalogue=None, at=None))]
fn assess_goal<'py>(
    py: Python<'py>,
    panel: &Bound<'_, Panel>,
    goal_id: &str,
    municipality: &str,
    indicator_kpi: Option<&str>,
    row_sex: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let idx = &panel.get().index;
    let items = py
        .detach(|| -> crate::Result<_> {
            let row_sex: Sex = row_sex.parse()?;
            let geo = Geography::embedded()?;
            let id = geo.find(municipality)?.id.clone();
            let cat = load(catalogue)?;
            let goal = cat.goal(goal_id)?;
            progress::assess_goal(idx, goal, indicator_kpi, &id, row_sex, at)
        })
        .py_err()?;
    assessments(py, &items)
}

/// Gap closure of a gap series: a dict of scalars.
#[pyfunction]
#[pyo3(signature = (years, gaps, generation_years=25.0, level=0.95))]
fn gap_closure<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    gaps: PyReadonlyArray1<'_, f64>,
    generation_years: f64,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let pts = years_values(years.as_slice()?, gaps.as_slice()?).py_err()?;
    let (y, g): (Vec<i32>, Vec<f64>) = pts.into_iter().unzip();
    let r = gap_core(
        &y,
        &g,
        &GapOptions {
            generation_years,
            level,
        },
    )
    .py_err()?;
    let d = PyDict::new(py);
    d.set_item("n", r.n)?;
    d.set_item("first_year", r.first_year)?;
    d.set_item("last_year", r.last_year)?;
    d.set_item("latest_gap", r.latest_gap)?;
    d.set_item("fitted_latest_gap", r.fitted_latest_gap)?;
    d.set_item("slope", r.slope.value)?;
    d.set_item("slope_se", opt_f64(r.slope.se))?;
    d.set_item("slope_lower", opt_f64(r.slope.lower))?;
    d.set_item("slope_upper", opt_f64(r.slope.upper))?;
    d.set_item("level", r.slope.level)?;
    d.set_item("closure_year", opt_f64(r.closure_year))?;
    d.set_item("closure_year_earliest", opt_f64(r.closure_year_range.0))?;
    d.set_item("closure_year_latest", opt_f64(r.closure_year_range.1))?;
    d.set_item("generation_years", r.generation_years)?;
    d.set_item("required_annual_change", r.required_annual_change)?;
    d.set_item("pace_ratio", opt_f64(r.pace_ratio))?;
    d.set_item("text", r.text)?;
    Ok(d)
}

/// Adds this module's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess_series, m)?)?;
    m.add_function(wrap_pyfunction!(assess_goal_series, m)?)?;
    m.add_function(wrap_pyfunction!(assess_goal, m)?)?;
    m.add_function(wrap_pyfunction!(gap_closure, m)?)?;
    Ok(())
}
