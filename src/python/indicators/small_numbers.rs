//! Small numbers: rank intervals, funnel flags per group, empirical-Bayes smoothing.

use super::{F64, I64, arr, groups_or_single, opt_codes, opt_slice};
use crate::indicators::funnel::{FunnelData, FunnelOptions};
use crate::indicators::small_numbers::{self, RankOptions, SmoothOptions};
use crate::python::IntoPyResult;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Rank and rank interval per row: `rank`, `lower`, `upper` (NaN for dropped rows).
#[pyfunction]
#[pyo3(signature = (value, se, groups=None, level=0.95, draws=1000, seed=123_456, higher_first=true, missing="error"))]
#[allow(clippy::too_many_arguments)]
fn indicator_rank_intervals<'py>(
    py: Python<'py>,
    value: F64<'py>,
    se: F64<'py>,
    groups: Option<I64<'py>>,
    level: f64,
    draws: usize,
    seed: u64,
    higher_first: bool,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let (v, s) = (value.as_slice()?, se.as_slice()?);
    let g = groups_or_single(groups.as_ref(), v.len(), "value")?;
    let opts = RankOptions {
        level,
        draws,
        seed,
        higher_first,
        missing: super::missing(missing)?,
    };
    let r = py
        .detach(|| small_numbers::rank_intervals(v, s, &g, &opts))
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("rank", arr(py, r.rank))?;
    d.set_item("lower", arr(py, r.lower))?;
    d.set_item("upper", arr(py, r.upper))?;
    Ok(d)
}

/// Funnel label per row within its group (`None` for dropped rows).
#[pyfunction]
#[pyo3(signature = (statistic, count, levels, population=None, expected=None, rate=None, groups=None, multiplier=None, rate_type="crude", missing="error"))]
#[allow(clippy::too_many_arguments)]
fn indicator_funnel_flags<'py>(
    py: Python<'py>,
    statistic: &str,
    count: F64<'py>,
    levels: Vec<f64>,
    population: Option<F64<'py>>,
    expected: Option<F64<'py>>,
    rate: Option<F64<'py>>,
    groups: Option<I64<'py>>,
    multiplier: Option<f64>,
    rate_type: &str,
    missing: &str,
) -> PyResult<Vec<Option<String>>> {
    let opts = FunnelOptions {
        statistic: statistic.parse().py_err()?,
        levels,
        multiplier,
        rate_type: rate_type.parse().py_err()?,
        missing: super::missing(missing)?,
        ..FunnelOptions::default()
    };
    let data = FunnelData {
        count: count.as_slice()?,
        population: opt_slice(population.as_ref())?,
        expected: opt_slice(expected.as_ref())?,
        rate: opt_slice(rate.as_ref())?,
    };
    let codes = opt_codes(groups.as_ref())?;
    py.detach(|| {
        let g = crate::indicators::Groups::new(codes, data.count.len(), "count")?;
        small_numbers::funnel_flags(&data, &g, &opts)
    })
    .py_err()
}

/// Empirical-Bayes smoothing per group: `value`, `smoothed`, `shrinkage`,
/// `prior_mean`, `prior_variance` per row.
#[pyfunction]
#[pyo3(signature = (statistic, count, denominator, groups=None, multiplier=None, missing="error"))]
fn indicator_smooth<'py>(
    py: Python<'py>,
    statistic: &str,
    count: F64<'py>,
    denominator: F64<'py>,
    groups: Option<I64<'py>>,
    multiplier: Option<f64>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = SmoothOptions {
        statistic: statistic.parse().py_err()?,
        multiplier,
        missing: super::missing(missing)?,
    };
    let (c, x) = (count.as_slice()?, denominator.as_slice()?);
    let g = groups_or_single(groups.as_ref(), c.len(), "count")?;
    let s = py
        .detach(|| small_numbers::smooth(c, x, &g, &opts))
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("value", arr(py, s.value))?;
    d.set_item("smoothed", arr(py, s.smoothed))?;
    d.set_item("shrinkage", arr(py, s.shrinkage))?;
    d.set_item("prior_mean", arr(py, s.prior_mean))?;
    d.set_item("prior_variance", arr(py, s.prior_variance))?;
    Ok(d)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_rank_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_flags, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_smooth, m)?)?;
    Ok(())
}
