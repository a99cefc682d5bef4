//! Proportions, rates and means.

use super::{F64, I64, arr, groups_or_single, opt_codes, put_indicators, rows_array};
use crate::indicators::{CountColumns, CountOptions, Groups, Indicator, MeanOptions};
use crate::python::IntoPyResult;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Proportions (Wilson) or rates (exact/Byars): row by row without groups,
/// summed per group with them.
#[pyfunction]
#[pyo3(signature = (kind, count, population, levels, multiplier, groups=None, missing="error"))]
fn indicator_counts<'py>(
    py: Python<'py>,
    kind: &str,
    count: F64<'py>,
    population: F64<'py>,
    levels: Vec<f64>,
    multiplier: f64,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let (c, p) = (count.as_slice()?, population.as_slice()?);
    let codes = opt_codes(groups.as_ref())?;
    let opts = CountOptions {
        levels,
        multiplier,
        missing: super::missing(missing)?,
    };
    let proportion = match kind {
        "proportion" => true,
        "rate" => false,
        other => {
            return Err(crate::python::to_py_err(crate::Error::invalid(
                "kind",
                format!("expected \"proportion\" or \"rate\", got {other:?}"),
            )));
        }
    };
    let res = py
        .detach(|| {
            let g = match codes {
                Some(codes) => Some(Groups::new(Some(codes), c.len(), "count")?),
                None => None,
            };
            if proportion {
                crate::indicators::proportion_columns(c, p, g.as_ref(), &opts)
            } else {
                crate::indicators::rate_columns(c, p, g.as_ref(), &opts)
            }
        })
        .py_err()?;
    count_columns_dict(py, res)
}

/// The dict of a columnar count result: the arrays move to numpy as they
/// are (no copy); `method` stays one byte a row with its names once.
fn count_columns_dict(py: Python<'_>, res: CountColumns) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    let n = res.count.len();
    dict.set_item("value", arr(py, res.value))?;
    let lower = PyList::empty(py);
    for l in res.lower {
        lower.append(arr(py, l))?;
    }
    let upper = PyList::empty(py);
    for u in res.upper {
        upper.append(arr(py, u))?;
    }
    dict.set_item("lower", lower)?;
    dict.set_item("upper", upper)?;
    dict.set_item("method_codes", PyArray1::from_vec(py, res.method))?;
    dict.set_item("method_categories", res.methods.to_vec())?;
    dict.set_item("note_codes", PyArray1::from_vec(py, vec![-1_i8; n]))?;
    dict.set_item("note_categories", PyList::empty(py))?;
    dict.set_item("count", arr(py, res.count))?;
    dict.set_item("population", arr(py, res.population))?;
    if let Some(first) = res.first_row {
        dict.set_item("first_row", rows_array(py, first))?;
    }
    Ok(dict)
}

/// Means with Student's t limits per group.
#[pyfunction]
#[pyo3(signature = (values, levels, groups=None, missing="error"))]
fn indicator_mean<'py>(
    py: Python<'py>,
    values: F64<'py>,
    levels: Vec<f64>,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let v = values.as_slice()?;
    let g = groups_or_single(groups.as_ref(), v.len(), "values")?;
    let opts = MeanOptions {
        levels,
        missing: super::missing(missing)?,
    };
    let res = py
        .detach(|| crate::indicators::mean_by(v, &g, &opts))
        .py_err()?;
    let dict = PyDict::new(py);
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    put_indicators(&dict, &items, &opts.levels)?;
    dict.set_item(
        "n",
        arr(py, res.results.iter().map(|r| r.n as f64).collect()),
    )?;
    dict.set_item("sum", arr(py, res.results.iter().map(|r| r.sum).collect()))?;
    dict.set_item(
        "sd",
        arr(py, res.results.iter().map(|r| super::nan(r.sd)).collect()),
    )?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_counts, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_mean, m)?)?;
    Ok(())
}
