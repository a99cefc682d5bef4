//! Python bindings of the mergeable states (`jamlik.state`): the two passes of
//! the exact distributed concentration index and Gini, as objects that
//! serialise to bytes so Spark (or any other engine) can move them between
//! workers. Thin: convert, release the GIL, map errors.

use super::IntoPyResult;
use super::estimate::PyEstimate;
use crate::error::{Error, Result};
use crate::measures::microdata::{ConcentrationOptions, SeMethod};
use crate::state::{Mergeable, RangeSums, RangeTotals, RankOffset};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

type F64s<'py> = PyReadonlyArray1<'py, f64>;

fn slice<'a>(a: Option<&'a F64s<'_>>) -> PyResult<Option<&'a [f64]>> {
    Ok(match a {
        Some(a) => Some(a.as_slice()?),
        None => None,
    })
}

fn to_bytes<'py, T: Serialize>(py: Python<'py>, state: &T) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = serde_json::to_vec(state)
        .map_err(|e| Error::invalid("state", format!("cannot serialise the state: {e}")))
        .py_err()?;
    Ok(PyBytes::new(py, &bytes))
}

fn from_bytes<T: DeserializeOwned>(data: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(data).map_err(|e| Error::Parse {
        what: format!("`data` ({what} bytes from to_bytes())"),
        reason: e.to_string(),
    })
}

/// Pass 1 of one range partition of the distributed concentration index.
#[pyclass(name = "ConcentrationTotals", module = "jamlik.state")]
#[derive(Clone)]
pub(crate) struct PyTotals {
    inner: RangeTotals,
}

#[pymethods]
impl PyTotals {
    #[new]
    #[pyo3(signature = (outcome, rank_by, weights=None))]
    fn new(
        py: Python<'_>,
        outcome: F64s<'_>,
        rank_by: F64s<'_>,
        weights: Option<F64s<'_>>,
    ) -> PyResult<Self> {
        let (h, x, w) = (
            outcome.as_slice()?,
            rank_by.as_slice()?,
            slice(weights.as_ref())?,
        );
        let inner = py
            .detach(|| {
                let mut t = RangeTotals::default();
                t.update(h, x, w).map(|()| t)
            })
            .py_err()?;
        Ok(Self { inner })
    }

    /// Adds another piece of the same range.
    fn merge(&mut self, other: &Self) -> PyResult<()> {
        self.inner.merge(&other.inner).py_err()
    }

    /// Rows counted.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_bytes(py, &self.inner)
    }

    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: from_bytes(data, "ConcentrationTotals").py_err()?,
        })
    }
}

/// What pass 2 of one range needs from pass 1.
#[pyclass(name = "RankOffset", module = "jamlik.state", frozen)]
#[derive(Clone)]
pub(crate) struct PyOffset {
    inner: RankOffset,
}

#[pymethods]
impl PyOffset {
    /// Weight of the lower ranges.
    #[getter]
    fn w_before(&self) -> f64 {
        self.inner.w_before
    }

    /// Total weight of all ranges.
    #[getter]
    fn total_w(&self) -> f64 {
        self.inner.total_w
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_bytes(py, &self.inner)
    }

    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: from_bytes(data, "RankOffset").py_err()?,
        })
    }
}

/// Offsets of every range from the pass-1 totals, in ascending range order.
#[pyfunction]
fn concentration_plan(totals: Vec<PyRef<'_, PyTotals>>) -> PyResult<Vec<PyOffset>> {
    let ranges: Vec<RangeTotals> = totals.iter().map(|t| t.inner.clone()).collect();
    Ok(RankOffset::plan(&ranges)
        .py_err()?
        .into_iter()
        .map(|inner| PyOffset { inner })
        .collect())
}

/// Pass 2 of one or more range partitions.
#[pyclass(name = "ConcentrationSums", module = "jamlik.state")]
#[derive(Clone)]
pub(crate) struct PySums {
    inner: RangeSums,
}

#[pymethods]
impl PySums {
    #[new]
    #[pyo3(signature = (outcome, rank_by, weights, offset))]
    fn new(
        py: Python<'_>,
        outcome: F64s<'_>,
        rank_by: F64s<'_>,
        weights: Option<F64s<'_>>,
        offset: &PyOffset,
    ) -> PyResult<Self> {
        let (h, x, w) = (
            outcome.as_slice()?,
            rank_by.as_slice()?,
            slice(weights.as_ref())?,
        );
        let off = offset.inner;
        let inner = py.detach(|| RangeSums::of_range(h, x, w, &off)).py_err()?;
        Ok(Self { inner })
    }

    /// Adds another range's sums (offsets from the same plan).
    fn merge(&mut self, other: &Self) -> PyResult<()> {
        self.inner.merge(&other.inner).py_err()
    }

    /// Rows summed.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n
    }

    /// The concentration index of the merged ranges.
    #[pyo3(signature = (*, kind="standard", se="linearized", level=0.95))]
    fn finish(&self, py: Python<'_>, kind: &str, se: &str, level: f64) -> PyResult<PyEstimate> {
        let opts = ConcentrationOptions {
            kind: kind.parse().py_err()?,
            se: se.parse().py_err()?,
            level,
            ..ConcentrationOptions::default()
        };
        PyEstimate::wrap(py, self.inner.finish(&opts).py_err()?, &[])
    }

    /// The Gini coefficient of the merged ranges (outcome = rank_by = values).
    #[pyo3(signature = (*, se="linearized", level=0.95))]
    fn finish_gini(&self, py: Python<'_>, se: &str, level: f64) -> PyResult<PyEstimate> {
        let se: SeMethod = se.parse().py_err()?;
        PyEstimate::wrap(py, self.inner.finish_gini(se, level).py_err()?, &[])
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        to_bytes(py, &self.inner)
    }

    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: from_bytes(data, "ConcentrationSums").py_err()?,
        })
    }
}

/// Checks a confidence level (or levels) before a lazy engine runs the work
/// (the same message as every native function: `level=95` suggests 0.95).
#[pyfunction]
fn check_levels(levels: Vec<f64>) -> PyResult<()> {
    for level in levels {
        crate::stats::check_level("level", level).py_err()?;
    }
    Ok(())
}

/// Checks a `missing` policy of a function that offers "error" and "drop".
#[pyfunction]
fn check_missing(missing: &str) -> PyResult<()> {
    crate::MissingPolicy::parse_offered(missing, crate::MissingOptions::Drop)
        .map(|_| ())
        .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_levels, m)?)?;
    m.add_function(wrap_pyfunction!(check_missing, m)?)?;
    m.add_class::<PyTotals>()?;
    m.add_class::<PyOffset>()?;
    m.add_class::<PySums>()?;
    m.add_function(wrap_pyfunction!(concentration_plan, m)?)?;
    Ok(())
}
