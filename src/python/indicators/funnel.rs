//! Funnel plots: control limits over an axis and a label per area.

use super::{F64, arr, nan, opt_slice, rows_array};
use crate::indicators::funnel::{self, FunnelData, FunnelOptions, Points};
use crate::python::IntoPyResult;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Options shared by both funnel functions, parsed by the core.
fn options(
    statistic: &str,
    levels: Vec<f64>,
    multiplier: Option<f64>,
    ratio_type: &str,
    rate_type: &str,
    years_of_data: f64,
    missing: &str,
) -> PyResult<FunnelOptions> {
    Ok(FunnelOptions {
        statistic: statistic.parse().py_err()?,
        levels,
        multiplier,
        ratio_type: ratio_type.parse().py_err()?,
        rate_type: rate_type.parse().py_err()?,
        years_of_data,
        missing: super::missing(missing)?,
    })
}

/// Control limits around the areas' baseline: `x`, `baseline`, and per
/// level `lower`/`upper` and `lower_expected`/`upper_expected`.
#[pyfunction]
#[pyo3(signature = (statistic, count, levels, population=None, expected=None, rate=None, multiplier=None, ratio_type="count", rate_type="crude", years_of_data=1.0, points=100, at=None, missing="error"))]
fn indicator_funnel_limits<'py>(
    py: Python<'py>,
    statistic: &str,
    count: F64<'py>,
    levels: Vec<f64>,
    population: Option<F64<'py>>,
    expected: Option<F64<'py>>,
    rate: Option<F64<'py>>,
    multiplier: Option<f64>,
    ratio_type: &str,
    rate_type: &str,
    years_of_data: f64,
    points: usize,
    at: Option<F64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = options(
        statistic,
        levels,
        multiplier,
        ratio_type,
        rate_type,
        years_of_data,
        missing,
    )?;
    let data = FunnelData {
        count: count.as_slice()?,
        population: opt_slice(population.as_ref())?,
        expected: opt_slice(expected.as_ref())?,
        rate: opt_slice(rate.as_ref())?,
    };
    let at = opt_slice(at.as_ref())?;
    let res = py
        .detach(|| {
            let pts = at.map_or(Points::Count(points), Points::At);
            funnel::funnel_limits(&data, pts, &opts)
        })
        .py_err()?;
    let dict = PyDict::new(py);
    let (lo, hi, elo, ehi) = (
        PyList::empty(py),
        PyList::empty(py),
        PyList::empty(py),
        PyList::empty(py),
    );
    for k in 0..opts.levels.len() {
        let l = &res.limits;
        lo.append(arr(py, l.iter().map(|p| p[k].lower).collect()))?;
        hi.append(arr(py, l.iter().map(|p| p[k].upper).collect()))?;
        elo.append(arr(
            py,
            l.iter().map(|p| nan(p[k].lower_expected)).collect(),
        ))?;
        ehi.append(arr(
            py,
            l.iter().map(|p| nan(p[k].upper_expected)).collect(),
        ))?;
    }
    dict.set_item("x", arr(py, res.x))?;
    dict.set_item("baseline", res.baseline)?;
    dict.set_item("lower", lo)?;
    dict.set_item("upper", hi)?;
    dict.set_item("lower_expected", elo)?;
    dict.set_item("upper_expected", ehi)?;
    Ok(dict)
}

/// Significance label per area: `(rows kept, labels)`.
#[pyfunction]
#[pyo3(signature = (statistic, count, levels, population=None, expected=None, rate=None, multiplier=None, rate_type="crude", missing="error"))]
fn indicator_funnel_significance<'py>(
    py: Python<'py>,
    statistic: &str,
    count: F64<'py>,
    levels: Vec<f64>,
    population: Option<F64<'py>>,
    expected: Option<F64<'py>>,
    rate: Option<F64<'py>>,
    multiplier: Option<f64>,
    rate_type: &str,
    missing: &str,
) -> PyResult<(Bound<'py, numpy::PyArray1<i64>>, Vec<String>)> {
    let opts = options(
        statistic, levels, multiplier, "count", rate_type, 1.0, missing,
    )?;
    let data = FunnelData {
        count: count.as_slice()?,
        population: opt_slice(population.as_ref())?,
        expected: opt_slice(expected.as_ref())?,
        rate: opt_slice(rate.as_ref())?,
    };
    let s = py
        .detach(|| funnel::funnel_significance(&data, &opts))
        .py_err()?;
    Ok((rows_array(py, s.rows), s.labels))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_significance, m)?)?;
    Ok(())
}
