//! Bindings of [`crate::grouped`]: one microdata index for every group in one
//! native call. Results are columns (numpy arrays; `method` and `note` as
//! distinct texts plus an index per row), so a million groups build no
//! Python object per group.

use super::IntoPyResult;
use super::microdata::{design, gini_options, inequality_options, options};
use crate::grouped::{self, GroupedEstimates};
use crate::measures::microdata as md;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::HashMap;

type F64s<'py> = PyReadonlyArray1<'py, f64>;
type I64s<'py> = PyReadonlyArray1<'py, i64>;

/// Distinct texts and an index per row (-1 for none).
fn codes<'a>(texts: impl Iterator<Item = Option<&'a str>>) -> (Vec<String>, Vec<i64>) {
    let mut distinct: Vec<String> = Vec::new();
    let mut seen: HashMap<&str, i64> = HashMap::new();
    let index = texts
        .map(|t| match t {
            None => -1,
            Some(t) => *seen.entry(t).or_insert_with(|| {
                distinct.push(t.to_owned());
                distinct.len() as i64 - 1
            }),
        })
        .collect();
    (distinct, index)
}

/// Result columns of a grouped call; an input error names its group
/// (`labels[g]` when given, the group number otherwise).
fn columns(
    py: Python<'_>,
    result: GroupedEstimates,
    level: f64,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'_, PyDict>> {
    if let Some((g, err)) = result.input_error() {
        let label = labels
            .as_ref()
            .and_then(|l| l.get(g).cloned())
            .unwrap_or_else(|| format!("#{g}"));
        let msg = format!("group {label}: {err}");
        let ty = super::to_py_err(err.clone()).get_type(py);
        return Err(PyErr::from_type(ty, msg));
    }
    let first_row: Vec<i64> = result.first_row.iter().map(|&r| r as i64).collect();
    let rows = result.into_rows(level).py_err()?;
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let out = PyDict::new(py);
    out.set_item("first_row", PyArray1::from_vec(py, first_row))?;
    let col = |f: &dyn Fn(&crate::Estimate) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    out.set_item("value", PyArray1::from_vec(py, col(&|e| e.value)))?;
    out.set_item("se", PyArray1::from_vec(py, col(&|e| nan(e.se))))?;
    out.set_item("lower", PyArray1::from_vec(py, col(&|e| nan(e.lower))))?;
    out.set_item("upper", PyArray1::from_vec(py, col(&|e| nan(e.upper))))?;
    out.set_item("level", PyArray1::from_vec(py, col(&|e| e.level)))?;
    let n: Vec<i64> = rows.iter().map(|e| e.n.map_or(-1, |n| n as i64)).collect();
    out.set_item("n", PyArray1::from_vec(py, n))?;
    let (methods, method_index) = codes(rows.iter().map(|e| Some(e.method.as_str())));
    let (notes, note_index) = codes(rows.iter().map(|e| e.note.as_deref()));
    out.set_item("methods", methods)?;
    out.set_item("method_index", PyArray1::from_vec(py, method_index))?;
    out.set_item("notes", notes)?;
    out.set_item("note_index", PyArray1::from_vec(py, note_index))?;
    Ok(out)
}

#[pyfunction]
#[pyo3(signature = (outcome, rank_by, by, weights=None, *, kind="standard", lower=None, upper=None, nu=None, beta=None, se="linearized", cluster=None, strata=None, level=0.95, ties="midpoint", missing="error", labels=None))]
fn concentration_index_by<'py>(
    py: Python<'py>,
    outcome: F64s<'py>,
    rank_by: F64s<'py>,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    kind: &str,
    lower: Option<f64>,
    upper: Option<f64>,
    nu: Option<f64>,
    beta: Option<f64>,
    se: &str,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    ties: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = options(kind, lower, upper, nu, beta, se, level, ties, missing)?;
    let (h, x, g) = (outcome.as_slice()?, rank_by.as_slice()?, by.as_slice()?);
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let r = py
        .detach(|| grouped::concentration_index_by(h, x, g, design, &opts))
        .py_err()?;
    columns(py, r, level, labels)
}

/// The index a grouped inequality call computes.
enum Index {
    Gini,
    Entropy(f64),
    Atkinson(f64),
    Hoover,
    /// Share above `upper` over share below `lower` (Palma: 0.4, 0.9).
    ShareRatio(f64, f64),
}

fn inequality_by<'py>(
    py: Python<'py>,
    index: &Index,
    values: &F64s<'py>,
    by: &I64s<'py>,
    design: md::Design<'_>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (x, g) = (values.as_slice()?, by.as_slice()?);
    let r = match *index {
        Index::Gini => {
            let opts = gini_options(level, se, missing)?;
            py.detach(|| grouped::gini_by(x, g, design, &opts))
        }
        Index::Entropy(alpha) => {
            let opts = inequality_options(level, se, missing)?;
            py.detach(|| grouped::generalized_entropy_by(x, alpha, g, design, &opts))
        }
        Index::Atkinson(epsilon) => {
            let opts = inequality_options(level, se, missing)?;
            py.detach(|| grouped::atkinson_by(x, epsilon, g, design, &opts))
        }
        Index::Hoover => {
            let opts = inequality_options(level, se, missing)?;
            py.detach(|| grouped::hoover_by(x, g, design, &opts))
        }
        Index::ShareRatio(lower, upper) => {
            let opts = inequality_options(level, se, missing)?;
            py.detach(|| grouped::quantile_share_ratio_by(x, lower, upper, g, design, &opts))
        }
    }
    .py_err()?;
    columns(py, r, level, labels)
}

#[pyfunction]
#[pyo3(signature = (values, by, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn gini_by<'py>(
    py: Python<'py>,
    values: F64s<'py>,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    inequality_by(
        py,
        &Index::Gini,
        &values,
        &by,
        design,
        level,
        se,
        missing,
        labels,
    )
}

#[pyfunction]
#[pyo3(signature = (values, alpha, by, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn generalized_entropy_by<'py>(
    py: Python<'py>,
    values: F64s<'py>,
    alpha: f64,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let index = Index::Entropy(alpha);
    inequality_by(py, &index, &values, &by, design, level, se, missing, labels)
}

#[pyfunction]
#[pyo3(signature = (values, epsilon, by, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn atkinson_by<'py>(
    py: Python<'py>,
    values: F64s<'py>,
    epsilon: f64,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let index = Index::Atkinson(epsilon);
    inequality_by(py, &index, &values, &by, design, level, se, missing, labels)
}

#[pyfunction]
#[pyo3(signature = (values, by, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn hoover_by<'py>(
    py: Python<'py>,
    values: F64s<'py>,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let index = Index::Hoover;
    inequality_by(py, &index, &values, &by, design, level, se, missing, labels)
}

#[pyfunction]
#[pyo3(signature = (values, by, weights=None, *, lower=0.2, upper=0.8, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn quantile_share_ratio_by<'py>(
    py: Python<'py>,
    values: F64s<'py>,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    lower: f64,
    upper: f64,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let index = Index::ShareRatio(lower, upper);
    inequality_by(py, &index, &values, &by, design, level, se, missing, labels)
}

#[pyfunction]
#[pyo3(signature = (payment, income, by, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error", labels=None))]
fn kakwani_by<'py>(
    py: Python<'py>,
    payment: F64s<'py>,
    income: F64s<'py>,
    by: I64s<'py>,
    weights: Option<F64s<'py>>,
    cluster: Option<I64s<'py>>,
    strata: Option<I64s<'py>>,
    level: f64,
    se: &str,
    missing: &str,
    labels: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = inequality_options(level, se, missing)?;
    let (t, x, g) = (payment.as_slice()?, income.as_slice()?, by.as_slice()?);
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let r = py
        .detach(|| grouped::kakwani_by(t, x, g, design, &opts))
        .py_err()?;
    columns(py, r, level, labels)
}

/// Adds the grouped functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(concentration_index_by, m)?)?;
    m.add_function(wrap_pyfunction!(gini_by, m)?)?;
    m.add_function(wrap_pyfunction!(generalized_entropy_by, m)?)?;
    m.add_function(wrap_pyfunction!(atkinson_by, m)?)?;
    m.add_function(wrap_pyfunction!(hoover_by, m)?)?;
    m.add_function(wrap_pyfunction!(quantile_share_ratio_by, m)?)?;
    m.add_function(wrap_pyfunction!(kakwani_by, m)?)?;
    Ok(())
}
