//! Python bindings for the HEAT grouped measures: one generic measure entry
//! point (the Python layer gives each measure its own function) and the
//! many-case summary.

use super::{EstimateTuple, IntoPyResult, estimate_tuple};
use crate::measures::heat::{
    Compatibility, Measure, Normalisation, Options, RegressionModel, Subgroups, SummaryColumns,
    summarise_groups,
};
use crate::validate::MissingPolicy;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use std::collections::HashMap;

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(heat_measure, m)?)?;
    m.add_function(wrap_pyfunction!(heat_summary, m)?)?;
    m.add("HEAT_MEASURES", Measure::ALL.map(Measure::code).to_vec())?;
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
    })
}

/// One HEAT measure of one case: `(value, se, lower, upper, level, method)`.
#[pyfunction]
#[pyo3(signature = (measure, estimate, se=None, population=None, subgroup_order=None,
    reference=None, favourable=true, scale=None, setting_average=None, lmin=None, lmax=None,
    level=0.95, seed=123_456, draws=100, linear=false, method=None, compat=None,
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
) -> PyResult<EstimateTuple> {
    let m: Measure = measure.parse().py_err()?;
    let o = options(level, seed, draws, linear, method, compat)?;
    let missing: MissingPolicy = missing.parse().py_err()?;
    let estimate = estimate.as_slice()?;
    let (se, population, order, reference) = (
        slice(&se)?,
        slice(&population)?,
        slice(&subgroup_order)?,
        slice(&reference)?,
    );
    py.detach(|| {
        let mut b = Subgroups::new(estimate)
            .favourable(favourable)
            .bounds_opt(lmin, lmax)
            .missing(missing);
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
    .py_err()
    .map(estimate_tuple)
}

/// Plain columns of a summary before conversion to numpy.
type Columns = (Vec<i64>, Vec<i64>, [Vec<f64>; 4], Vec<i64>, Vec<String>);

type SummaryOut<'py> = (
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<i64>>,
    Vec<String>,
);

/// All applicable measures of every case in one call.
///
/// Returns `(group, measure index into HEAT_MEASURES, estimate, se, lower, upper, method index,
/// methods)`: NaN where a number does not exist; `methods[method_index[i]]` is
/// row i's method (or "not computed: <reason>").
#[pyfunction]
#[pyo3(signature = (estimate, group=None, se=None, population=None, subgroup_order=None,
    ordered=None, reference=None, favourable=None, scale=None, setting_average=None,
    lmin=None, lmax=None, level=0.95, seed=123_456, draws=100, compat=None))]
fn heat_summary<'py>(
    py: Python<'py>,
    estimate: PyReadonlyArray1<'py, f64>,
    group: Option<PyReadonlyArray1<'py, i64>>,
    se: Arr<'py>,
    population: Arr<'py>,
    subgroup_order: Arr<'py>,
    ordered: Arr<'py>,
    reference: Arr<'py>,
    favourable: Arr<'py>,
    scale: Arr<'py>,
    setting_average: Arr<'py>,
    lmin: Arr<'py>,
    lmax: Arr<'py>,
    level: f64,
    seed: u64,
    draws: usize,
    compat: Option<&str>,
) -> PyResult<SummaryOut<'py>> {
    let o = options(level, seed, draws, false, None, compat)?;
    let group = match &group {
        Some(g) => Some(g.as_slice()?),
        None => None,
    };
    let cols = SummaryColumns {
        group,
        estimate: estimate.as_slice()?,
        se: slice(&se)?,
        population: slice(&population)?,
        subgroup_order: slice(&subgroup_order)?,
        ordered: slice(&ordered)?,
        reference: slice(&reference)?,
        favourable: slice(&favourable)?,
        scale: slice(&scale)?,
        setting_average: slice(&setting_average)?,
        lmin: slice(&lmin)?,
        lmax: slice(&lmax)?,
    };
    let out: Columns = py
        .detach(|| -> crate::Result<Columns> {
            let rows = summarise_groups(&cols, &o)?;
            let n = rows.len();
            let mut groups = Vec::with_capacity(n);
            let mut codes = Vec::with_capacity(n);
            let mut nums: [Vec<f64>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
            let mut method_index = Vec::with_capacity(n);
            let mut methods: Vec<String> = Vec::new();
            let mut seen: HashMap<String, i64> = HashMap::new();
            for row in rows {
                groups.push(row.group as i64);
                codes.push(
                    Measure::ALL
                        .iter()
                        .position(|m| *m == row.measure)
                        .unwrap_or(0) as i64,
                );
                let (vals, method) = match row.result {
                    Ok(e) => (
                        [
                            e.value,
                            e.se.unwrap_or(f64::NAN),
                            e.lower.unwrap_or(f64::NAN),
                            e.upper.unwrap_or(f64::NAN),
                        ],
                        e.method,
                    ),
                    Err(err) => ([f64::NAN; 4], format!("not computed: {err}")),
                };
                for (col, v) in nums.iter_mut().zip(vals) {
                    col.push(v);
                }
                let next = methods.len() as i64;
                let idx = *seen.entry(method).or_insert_with_key(|k| {
                    methods.push(k.clone());
                    next
                });
                method_index.push(idx);
            }
            Ok((groups, codes, nums, method_index, methods))
        })
        .py_err()?;
    let (groups, codes, [est, se, lo, hi], method_index, methods) = out;
    Ok((
        PyArray1::from_vec(py, groups),
        PyArray1::from_vec(py, codes),
        PyArray1::from_vec(py, est),
        PyArray1::from_vec(py, se),
        PyArray1::from_vec(py, lo),
        PyArray1::from_vec(py, hi),
        PyArray1::from_vec(py, method_index),
        methods,
    ))
}
