//! Python bindings for the microdata area (thin: parse options, release the
//! GIL, map errors). The Python layer (`jamlik.microdata`) converts inputs and
//! builds result objects.

use super::IntoPyResult;
use super::estimate::PyEstimate;
use crate::measures::microdata as md;
use crate::{Error, Ties};
use crate::{MissingOptions, MissingPolicy};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64s<'py> = PyReadonlyArray1<'py, f64>;
type I64s<'py> = PyReadonlyArray1<'py, i64>;

fn slice<'a>(a: Option<&'a F64s<'_>>) -> PyResult<Option<&'a [f64]>> {
    Ok(match a {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

fn ints<'a>(a: Option<&'a I64s<'_>>) -> PyResult<Option<&'a [i64]>> {
    Ok(match a {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

fn limits(lower: Option<f64>, upper: Option<f64>) -> PyResult<Option<md::OutcomeBounds>> {
    match (lower, upper) {
        (None, None) => Ok(None),
        (Some(lower), upper) => Ok(Some(md::OutcomeBounds { lower, upper })),
        (None, Some(_)) => Err(super::to_py_err(Error::invalid(
            "limits",
            "an upper limit needs a lower limit",
        ))),
    }
}

/// A concentration-type result as `jamlik.Estimate` with `n` and the outcome
/// mean in `extra["mean"]`.
fn wrap_result(py: Python<'_>, r: md::ConcentrationResult) -> PyResult<PyEstimate> {
    let mean = r.mean.into_pyobject(py)?.into_any().unbind();
    PyEstimate::wrap(py, r.estimate.with_n(r.n), &[("mean", mean)])
}
/// The concentration-index options from their Python spellings (also for the
/// grouped calls, `super::grouped`).
pub(super) fn options(
    kind: &str,
    lower: Option<f64>,
    upper: Option<f64>,
    nu: Option<f64>,
    beta: Option<f64>,
    se: &str,
    level: f64,
    ties: &str,
    missing: &str,
) -> PyResult<md::ConcentrationOptions> {
    Ok(md::ConcentrationOptions {
        kind: kind.parse().py_err()?,
        limits: limits(lower, upper)?,
        nu,
        beta,
        se: se.parse().py_err()?,
        level,
        ties: ties.parse::<Ties>().py_err()?,
        missing: MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?,
    })
}

#[pyfunction]
#[pyo3(signature = (outcome, rank_by, weights=None, kind="standard", lower=None, upper=None, nu=None, beta=None, se="linearized", cluster=None, strata=None, level=0.95, ties="midpoint", missing="error"))]
fn concentration_index(
    py: Python<'_>,
    outcome: F64s<'_>,
    rank_by: F64s<'_>,
    weights: Option<F64s<'_>>,
    kind: &str,
    lower: Option<f64>,
    upper: Option<f64>,
    nu: Option<f64>,
    beta: Option<f64>,
    se: &str,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    ties: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = options(kind, lower, upper, nu, beta, se, level, ties, missing)?;
    let (h, x) = (outcome.as_slice()?, rank_by.as_slice()?);
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let r = py
        .detach(|| md::concentration_index(h, x, design, &opts))
        .py_err()?;
    wrap_result(py, r)
}

/// The survey design from optional weight, cluster and strata arrays.
pub(super) fn design<'a>(
    weights: Option<&'a F64s<'_>>,
    cluster: Option<&'a I64s<'_>>,
    strata: Option<&'a I64s<'_>>,
) -> PyResult<md::Design<'a>> {
    Ok(md::Design {
        weights: slice(weights)?,
        cluster: ints(cluster)?,
        strata: ints(strata)?,
    })
}

pub(super) fn inequality_options(
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<md::InequalityOptions> {
    Ok(md::InequalityOptions {
        level,
        se: se.parse().py_err()?,
        missing: MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?,
    })
}

pub(super) fn gini_options(level: f64, se: &str, missing: &str) -> PyResult<md::GiniOptions> {
    Ok(md::GiniOptions {
        level,
        se: se.parse().py_err()?,
        missing: MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?,
    })
}

#[pyfunction]
#[pyo3(signature = (values, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn gini(
    py: Python<'_>,
    values: F64s<'_>,
    weights: Option<F64s<'_>>,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = gini_options(level, se, missing)?;
    let x = values.as_slice()?;
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let e = py.detach(|| md::gini(x, d, &opts)).py_err()?;
    PyEstimate::wrap(py, e, &[])
}

#[pyfunction]
#[pyo3(signature = (values, alpha, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn generalized_entropy(
    py: Python<'_>,
    values: F64s<'_>,
    alpha: f64,
    weights: Option<F64s<'_>>,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = inequality_options(level, se, missing)?;
    let x = values.as_slice()?;
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let e = py
        .detach(|| md::generalized_entropy(x, alpha, d, &opts))
        .py_err()?;
    PyEstimate::wrap(py, e, &[])
}

#[pyfunction]
#[pyo3(signature = (values, epsilon, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn atkinson(
    py: Python<'_>,
    values: F64s<'_>,
    epsilon: f64,
    weights: Option<F64s<'_>>,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = inequality_options(level, se, missing)?;
    let x = values.as_slice()?;
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let e = py.detach(|| md::atkinson(x, epsilon, d, &opts)).py_err()?;
    PyEstimate::wrap(py, e, &[])
}

#[pyfunction]
#[pyo3(signature = (values, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn hoover(
    py: Python<'_>,
    values: F64s<'_>,
    weights: Option<F64s<'_>>,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = inequality_options(level, se, missing)?;
    let x = values.as_slice()?;
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let e = py.detach(|| md::hoover(x, d, &opts)).py_err()?;
    PyEstimate::wrap(py, e, &[])
}

#[pyfunction]
#[pyo3(signature = (values, weights=None, *, lower=0.2, upper=0.8, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn quantile_share_ratio(
    py: Python<'_>,
    values: F64s<'_>,
    weights: Option<F64s<'_>>,
    lower: f64,
    upper: f64,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = inequality_options(level, se, missing)?;
    let x = values.as_slice()?;
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let e = py
        .detach(|| md::quantile_share_ratio(x, lower, upper, d, &opts))
        .py_err()?;
    PyEstimate::wrap(py, e, &[])
}

type Curve<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

#[pyfunction]
#[pyo3(signature = (outcome, rank_by, weights=None, missing="error"))]
fn concentration_curve<'py>(
    py: Python<'py>,
    outcome: F64s<'py>,
    rank_by: F64s<'py>,
    weights: Option<F64s<'py>>,
    missing: &str,
) -> PyResult<Curve<'py>> {
    let missing = MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?;
    let (h, x, w) = (
        outcome.as_slice()?,
        rank_by.as_slice()?,
        slice(weights.as_ref())?,
    );
    let c = py
        .detach(|| md::concentration_curve(h, x, w, missing))
        .py_err()?;
    Ok((
        PyArray1::from_vec(py, c.population_share),
        PyArray1::from_vec(py, c.outcome_share),
    ))
}

#[pyfunction]
#[pyo3(signature = (payment, income, weights=None, *, cluster=None, strata=None, level=0.95, se="linearized", missing="error"))]
fn kakwani(
    py: Python<'_>,
    payment: F64s<'_>,
    income: F64s<'_>,
    weights: Option<F64s<'_>>,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    se: &str,
    missing: &str,
) -> PyResult<PyEstimate> {
    let opts = inequality_options(level, se, missing)?;
    let (t, x) = (payment.as_slice()?, income.as_slice()?);
    let d = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let r = py.detach(|| md::kakwani(t, x, d, &opts)).py_err()?;
    wrap_result(py, r)
}

/// (overall, [(code, result)], difference, z, z_p, F, df1, df2, F_p)
type CompareTuple = (
    PyEstimate,
    Vec<(i64, PyEstimate)>,
    Option<PyEstimate>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

#[pyfunction]
#[pyo3(signature = (outcome, rank_by, group, weights=None, kind="standard", lower=None, upper=None, nu=None, beta=None, se="linearized", cluster=None, strata=None, level=0.95, ties="midpoint", missing="error"))]
fn compare_concentration(
    py: Python<'_>,
    outcome: F64s<'_>,
    rank_by: F64s<'_>,
    group: I64s<'_>,
    weights: Option<F64s<'_>>,
    kind: &str,
    lower: Option<f64>,
    upper: Option<f64>,
    nu: Option<f64>,
    beta: Option<f64>,
    se: &str,
    cluster: Option<I64s<'_>>,
    strata: Option<I64s<'_>>,
    level: f64,
    ties: &str,
    missing: &str,
) -> PyResult<CompareTuple> {
    let opts = options(kind, lower, upper, nu, beta, se, level, ties, missing)?;
    let (h, x, g) = (outcome.as_slice()?, rank_by.as_slice()?, group.as_slice()?);
    let design = design(weights.as_ref(), cluster.as_ref(), strata.as_ref())?;
    let r = py
        .detach(|| md::compare_concentration(h, x, g, design, &opts))
        .py_err()?;
    Ok((
        wrap_result(py, r.overall)?,
        r.groups
            .into_iter()
            .map(|(c, g)| Ok((c, wrap_result(py, g)?)))
            .collect::<PyResult<_>>()?,
        r.difference
            .map(|d| PyEstimate::wrap(py, d, &[]))
            .transpose()?,
        r.z,
        r.z_p_value,
        r.f,
        r.f_df.map(|d| d.0),
        r.f_df.map(|d| d.1),
        r.f_p_value,
    ))
}

/// (total, between, within, [(group, pop share, outcome share, mean, index)])
type EntropyTuple = (f64, f64, f64, Vec<(i64, f64, f64, f64, f64)>);

#[pyfunction]
#[pyo3(signature = (values, group, alpha, weights=None, missing="error"))]
fn entropy_decomposition(
    py: Python<'_>,
    values: F64s<'_>,
    group: I64s<'_>,
    alpha: f64,
    weights: Option<F64s<'_>>,
    missing: &str,
) -> PyResult<EntropyTuple> {
    let missing = MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?;
    let (x, g, w) = (
        values.as_slice()?,
        group.as_slice()?,
        slice(weights.as_ref())?,
    );
    let d = py
        .detach(|| {
            if alpha == 1.0 {
                md::theil_decomposition(x, g, w, missing)
            } else if alpha == 0.0 {
                md::mld_decomposition(x, g, w, missing)
            } else {
                Err(Error::invalid(
                    "alpha",
                    "decomposition supports alpha 0 (MLD) or 1 (Theil T)",
                ))
            }
        })
        .py_err()?;
    Ok((
        d.total,
        d.between,
        d.within,
        d.groups
            .into_iter()
            .map(|g| {
                (
                    g.group,
                    g.population_share,
                    g.outcome_share,
                    g.mean,
                    g.index,
                )
            })
            .collect(),
    ))
}

/// (total C, intercept, residual, [(coef, mean, elasticity, C_k, contribution)])
type CiDecompTuple = (f64, f64, f64, Vec<(f64, f64, f64, Option<f64>, f64)>);

#[pyfunction]
#[pyo3(signature = (outcome, regressors, rank_by, weights=None, missing="error"))]
fn decompose_concentration_index(
    py: Python<'_>,
    outcome: F64s<'_>,
    regressors: Vec<F64s<'_>>,
    rank_by: F64s<'_>,
    weights: Option<F64s<'_>>,
    missing: &str,
) -> PyResult<CiDecompTuple> {
    let missing = MissingPolicy::parse_offered(missing, MissingOptions::Drop).py_err()?;
    let (h, x, w) = (
        outcome.as_slice()?,
        rank_by.as_slice()?,
        slice(weights.as_ref())?,
    );
    let regs: Vec<&[f64]> = regressors
        .iter()
        .map(|r| r.as_slice())
        .collect::<Result<_, _>>()?;
    let d = py
        .detach(|| md::decompose_concentration_index(h, &regs, x, w, missing))
        .py_err()?;
    let rows = (0..d.coefficients.len())
        .map(|k| {
            (
                d.coefficients[k],
                d.means[k],
                d.elasticities[k],
                d.indices[k],
                d.contributions[k],
            )
        })
        .collect();
    Ok((d.total, d.intercept, d.residual, rows))
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(concentration_index, m)?)?;
    m.add_function(wrap_pyfunction!(gini, m)?)?;
    m.add_function(wrap_pyfunction!(generalized_entropy, m)?)?;
    m.add_function(wrap_pyfunction!(atkinson, m)?)?;
    m.add_function(wrap_pyfunction!(hoover, m)?)?;
    m.add_function(wrap_pyfunction!(quantile_share_ratio, m)?)?;
    m.add_function(wrap_pyfunction!(concentration_curve, m)?)?;
    m.add_function(wrap_pyfunction!(kakwani, m)?)?;
    m.add_function(wrap_pyfunction!(compare_concentration, m)?)?;
    m.add_function(wrap_pyfunction!(entropy_decomposition, m)?)?;
    m.add_function(wrap_pyfunction!(decompose_concentration_index, m)?)?;
    Ok(())
}
