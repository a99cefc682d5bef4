//! Python bindings for the HEAT grouped measures: one generic measure entry
//! point (the Python layer gives each measure its own function), the
//! many-case summary and the frame-column check. Conversion only: the rules
//! (ordering per case, missing values, the column contract) live in
//! `crate::measures::heat`.

use super::IntoPyResult;
use super::estimate::PyEstimate;
use crate::measures::heat::{
    Compatibility, Measure, Normalisation, Options, RegressionModel, Subgroups, SummaryColumns,
    SummaryTable, columns, summarise_table,
};
use crate::{MissingOptions, MissingPolicy};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::collections::HashMap;

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(heat_measure, m)?)?;
    m.add_function(wrap_pyfunction!(heat_summary, m)?)?;
    m.add_function(wrap_pyfunction!(heat_check_columns, m)?)?;
    m.add("HEAT_MEASURES", Measure::ALL.map(Measure::code).to_vec())?;
    m.add("HEAT_COLUMNS", columns::COLUMNS.map(|c| c.name).to_vec())?;
    // The package's one default seed (HEAT's simulations use it); Python's
    // `jamlik.DEFAULT_SEED` is this constant.
    m.add("DEFAULT_SEED", crate::DEFAULT_SEED)?;
    Ok(())
}

type Arr<'py> = Option<PyReadonlyArray1<'py, f64>>;

fn slice<'a>(a: &'a Arr<'_>) -> PyResult<Option<&'a [f64]>> {
    match a {
        Some(a) => Ok(Some(a.as_slice()?)),
        None => Ok(None),
    }
}

fn options(
    level: f64,
    seed: u64,
    draws: usize,
    linear: bool,
    method: Option<&str>,
    compat: Option<&str>,
    missing: &str,
) -> PyResult<Options> {
    Ok(Options {
        level,
        seed,
        draws,
        regression: if linear {
            RegressionModel::Linear
        } else {
            RegressionModel::Logistic
        },
        normalisation: match method {
            None => Normalisation::None,
            Some(s) => s.parse().py_err()?,
        },
        compat: match compat {
            None => Compatibility::Jamlik,
            Some(s) => s.parse().py_err()?,
        },
        missing: MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?,
    })
}

/// One HEAT measure of one case, as a `jamlik.Estimate` with `extra["measure"]`.
#[pyfunction]
#[pyo3(signature = (measure, estimate, se=None, population=None, subgroup_order=None,
    reference=None, favourable=true, scale=None, setting_average=None, lmin=None, lmax=None,
    level=0.95, seed=crate::DEFAULT_SEED, draws=100, linear=false, method=None, compat=None,
    missing="error"))]
fn heat_measure<'py>(
    py: Python<'py>,
    measure: &str,
    estimate: PyReadonlyArray1<'py, f64>,
    se: Arr<'py>,
    population: Arr<'py>,
    subgroup_order: Arr<'py>,
    reference: Arr<'py>,
    favourable: bool,
    scale: Option<f64>,
    setting_average: Option<f64>,
    lmin: Option<f64>,
    lmax: Option<f64>,
    level: f64,
    seed: u64,
    draws: usize,
    linear: bool,
    method: Option<&str>,
    compat: Option<&str>,
    missing: &str,
) -> PyResult<PyEstimate> {
    let m: Measure = measure.parse().py_err()?;
    let o = options(level, seed, draws, linear, method, compat, missing)?;
    let estimate = estimate.as_slice()?;
    let (se, population, order, reference) = (
        slice(&se)?,
        slice(&population)?,
        slice(&subgroup_order)?,
        slice(&reference)?,
    );
    let e = py
        .detach(|| {
            let mut b = Subgroups::new(estimate)
                .favourable(favourable)
                .bounds_opt(lmin, lmax)
                .missing(o.missing);
            if let Some(s) = se {
                b = b.se(s);
            }
            if let Some(p) = population {
                b = b.population(p);
            }
            if let Some(o) = order {
                b = b.subgroup_order(o);
            }
            if let Some(r) = reference {
                b = b.reference_flags(r);
            }
            if let Some(s) = scale {
                b = b.scale(s);
            }
            if let Some(a) = setting_average {
                b = b.setting_average(a);
            }
            let g = b.build()?;
            crate::measures::heat::measure(m, &g, &o)
        })
        .py_err()?;
    PyEstimate::wrap(
        py,
        e,
        &[("measure", PyString::new(py, m.code()).into_any().unbind())],
    )
}

/// All applicable measures of every case in one call.
///
/// `columns` maps HEAT column names (`HEAT_COLUMNS`) to float64 arrays;
/// `group` numbers the cases 0..G. Returns a dict of arrays: `group`,
/// `measure` (index into `HEAT_MEASURES`), `value`, `se`, `lower`, `upper`,
/// `level`, `n` (subgroups used), `method_index` into `methods`, and
/// `note_index` into `notes` (-1: no note). NaN where a number does not exist.
#[pyfunction]
#[pyo3(signature = (columns, group=None, *, level=vec![0.95], seed=crate::DEFAULT_SEED,
    draws=100, compat=None, missing="error"))]
fn heat_summary<'py>(
    py: Python<'py>,
    columns: HashMap<String, PyReadonlyArray1<'py, f64>>,
    group: Option<PyReadonlyArray1<'py, i64>>,
    level: Vec<f64>,
    seed: u64,
    draws: usize,
    compat: Option<&str>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let o = options(
        level.first().copied().unwrap_or(0.95),
        seed,
        draws,
        false,
        None,
        compat,
        missing,
    )?;
    let group = match &group {
        Some(g) => Some(g.as_slice()?),
        None => None,
    };
    let mut cols = SummaryColumns {
        group,
        ..SummaryColumns::default()
    };
    let mut has_estimate = false;
    for (name, values) in &columns {
        cols.set(name, values.as_slice()?).py_err()?;
        has_estimate |= name == "estimate";
    }
    if !has_estimate {
        let names: Vec<&str> = columns.keys().map(String::as_str).collect();
        columns::check_columns(&names, &[]).py_err()?;
    }
    let (t, measure, note) = py
        .detach(|| -> crate::Result<(SummaryTable, Vec<u8>, Vec<i32>)> {
            let mut t = summarise_table(&cols, &o, &level)?;
            // Measure codes fit a byte (21 measures); note codes an i32
            // (at most one note per row).
            let measure = t.measure.iter().map(|m| m.index() as u8).collect();
            let note = std::mem::take(&mut t.note)
                .into_iter()
                .map(|i| i.map_or(-1, |i| i32::try_from(i).unwrap_or(i32::MAX)))
                .collect();
            Ok((t, measure, note))
        })
        .py_err()?;
    let as_i64 = |v: Vec<usize>| -> Vec<i64> { v.into_iter().map(|x| x as i64).collect() };
    let d = PyDict::new(py);
    d.set_item("group", PyArray1::from_vec(py, as_i64(t.group)))?;
    d.set_item("measure", PyArray1::from_vec(py, measure))?;
    d.set_item("value", PyArray1::from_vec(py, t.value))?;
    d.set_item("se", PyArray1::from_vec(py, t.se))?;
    d.set_item("lower", PyArray1::from_vec(py, t.lower))?;
    d.set_item("upper", PyArray1::from_vec(py, t.upper))?;
    d.set_item("level", PyArray1::from_vec(py, t.level))?;
    d.set_item("n", PyArray1::from_vec(py, as_i64(t.n)))?;
    d.set_item("method_index", PyArray1::from_vec(py, t.method))?;
    d.set_item("methods", t.methods)?;
    d.set_item("note_index", PyArray1::from_vec(py, note))?;
    d.set_item("notes", t.notes)?;
    Ok(d)
}

/// Checks a HEAT frame's column names (`present`) against the contract;
/// `allowed` are further names the caller uses (the `by` columns).
#[pyfunction]
#[pyo3(signature = (present, allowed=Vec::new()))]
fn heat_check_columns(present: Vec<String>, allowed: Vec<String>) -> PyResult<()> {
    columns::check_columns(&present, &allowed).py_err()
}
