//! Slope and relative index of inequality, and quantiles.

use super::{F64, I64, arr, groups_or_single, nan, opt_slice, put_text, rows_array};
use crate::Error;
use crate::indicators::{SiiInput, SiiMethod, SiiOptions, SiiResult, ValueType};
use crate::python::{IntoPyResult, to_py_err};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// SII and RII per group.
#[pyfunction]
#[pyo3(signature = (quantile, population, value, levels, se=None, lower=None, upper=None, input_level=0.95, value_type="normal", transform=false, multiplier=1.0, method="simulation", draws=100_000, seed=None, min_quantiles=5, groups=None, missing="error"))]
fn indicator_sii<'py>(
    py: Python<'py>,
    quantile: F64<'py>,
    population: F64<'py>,
    value: F64<'py>,
    levels: Vec<f64>,
    se: Option<F64<'py>>,
    lower: Option<F64<'py>>,
    upper: Option<F64<'py>>,
    input_level: f64,
    value_type: &str,
    transform: bool,
    multiplier: f64,
    method: &str,
    draws: usize,
    seed: Option<u64>,
    min_quantiles: usize,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let input = SiiInput {
        quantile: quantile.as_slice()?,
        population: population.as_slice()?,
        value: value.as_slice()?,
        se: opt_slice(se.as_ref())?,
        lower: opt_slice(lower.as_ref())?,
        upper: opt_slice(upper.as_ref())?,
        input_level,
    };
    let value_type = match value_type {
        "normal" => ValueType::Normal,
        "rate" => ValueType::Rate,
        "proportion" => ValueType::Proportion,
        other => {
            return Err(to_py_err(Error::invalid(
                "value_type",
                format!("expected \"normal\", \"rate\" or \"proportion\", got {other:?}"),
            )));
        }
    };
    let method = match method {
        "simulation" => SiiMethod::Simulation {
            draws,
            seed: seed.unwrap_or(crate::DEFAULT_SEED),
        },
        "analytic" => SiiMethod::Analytic,
        other => {
            return Err(to_py_err(Error::invalid(
                "method",
                format!("expected \"simulation\" or \"analytic\", got {other:?}"),
            )));
        }
    };
    let opts = SiiOptions {
        value_type,
        transform,
        multiplier,
        levels,
        method,
        min_quantiles,
        missing: super::missing(missing)?,
    };
    let n = input.value.len();
    let g = groups_or_single(groups.as_ref(), n, "value")?;
    let res = py
        .detach(|| crate::indicators::sii_by(&input, &g, &opts))
        .py_err()?;
    let r = &res.results;
    let dict = PyDict::new(py);
    dict.set_item("sii", arr(py, r.iter().map(|x| x.sii).collect()))?;
    dict.set_item("rii", arr(py, r.iter().map(|x| x.rii).collect()))?;
    dict.set_item(
        "intercept",
        arr(py, r.iter().map(|x| x.intercept).collect()),
    )?;
    for (name, pick) in [("sii", 0), ("rii", 1)] {
        let lo = PyList::empty(py);
        let hi = PyList::empty(py);
        for k in 0..opts.levels.len() {
            let lim = |x: &SiiResult| {
                if pick == 0 {
                    x.sii_limits[k]
                } else {
                    x.rii_limits[k]
                }
            };
            lo.append(arr(py, r.iter().map(|x| nan(lim(x).lower)).collect()))?;
            hi.append(arr(py, r.iter().map(|x| nan(lim(x).upper)).collect()))?;
        }
        dict.set_item(format!("{name}_lower"), lo)?;
        dict.set_item(format!("{name}_upper"), hi)?;
    }
    dict.set_item(
        "quantiles",
        r.iter().map(|x| x.quantiles).collect::<Vec<_>>(),
    )?;
    put_text(&dict, "method", r.iter().map(|x| Some(x.method.as_str())))?;
    put_text(&dict, "note", r.iter().map(|x| x.note.as_deref()))?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
}

/// Quantile of each value within its group (-1 = none).
#[pyfunction]
#[pyo3(signature = (values, nquantiles, invert, groups=None, missing="error"))]
fn indicator_quantile<'py>(
    py: Python<'py>,
    values: F64<'py>,
    nquantiles: usize,
    invert: Vec<bool>,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let v = values.as_slice()?;
    let g = groups_or_single(groups.as_ref(), v.len(), "values")?;
    let missing = super::missing(missing)?;
    let q = py
        .detach(|| crate::indicators::quantiles_by(v, &g, nquantiles, &invert, missing))
        .py_err()?;
    Ok(PyArray1::from_vec(
        py,
        q.into_iter().map(|q| q.map_or(-1, i64::from)).collect(),
    ))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_sii, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_quantile, m)?)?;
    Ok(())
}
