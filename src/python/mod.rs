//! pyo3 bindings: the native module `jamlik._jamlik`.
//!
//! Thin wrappers only: convert inputs, release the GIL around the work, map
//! [`crate::Error`] to the `jamlik.JamlikError` hierarchy. Each area registers
//! its own functions from its own file.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

mod arrow;
mod estimate;
mod geography;
mod goals;
mod grouped;
mod heat;
mod indicators;
mod kolada;
mod microdata;
mod state;

create_exception!(
    _jamlik,
    JamlikError,
    PyValueError,
    "Base class of every jamlik error (a ValueError)."
);
create_exception!(
    _jamlik,
    ShapeError,
    JamlikError,
    "Empty input or inputs of different lengths."
);
create_exception!(
    _jamlik,
    MissingValueError,
    JamlikError,
    "NaN or infinite values where a number is required."
);
create_exception!(
    _jamlik,
    DomainError,
    JamlikError,
    "A value outside its allowed range (negative weight, outside bounds...)."
);
create_exception!(
    _jamlik,
    ConfidenceLevelError,
    JamlikError,
    "A confidence level outside (0, 1)."
);
create_exception!(
    _jamlik,
    TooFewError,
    JamlikError,
    "Too few subgroups, observations or clusters for the measure."
);
create_exception!(
    _jamlik,
    DegenerateError,
    JamlikError,
    "The measure is undefined for this input (zero mean, all ranks equal...)."
);
create_exception!(
    _jamlik,
    InvalidArgumentError,
    JamlikError,
    "An invalid option or unknown identifier."
);
create_exception!(
    _jamlik,
    ColumnError,
    InvalidArgumentError,
    "A frame lacks a column the function needs, or has one it does not know."
);
create_exception!(
    _jamlik,
    ParseError,
    JamlikError,
    "Text (Kolada JSON, catalogue) that could not be parsed."
);
create_exception!(
    _jamlik,
    DataSourceError,
    JamlikError,
    "HTTP, network or file-system failure while getting data."
);

/// Converts a crate error into the matching Python exception.
pub(crate) fn to_py_err(err: crate::Error) -> PyErr {
    use crate::Error as E;
    let msg = err.to_string();
    match err {
        E::Empty { .. } | E::LengthMismatch { .. } => ShapeError::new_err(msg),
        E::Missing { .. } | E::NonFinite { .. } => MissingValueError::new_err(msg),
        E::OutOfDomain { .. } | E::OutOfBounds { .. } => DomainError::new_err(msg),
        E::InvalidLevel { .. } => ConfidenceLevelError::new_err(msg),
        E::TooFew { .. } => TooFewError::new_err(msg),
        E::ZeroMean { .. } | E::Degenerate { .. } => DegenerateError::new_err(msg),
        E::Column { .. } => ColumnError::new_err(msg),
        E::InvalidArgument { .. } | E::UnknownId { .. } | E::UnknownArea { .. } => {
            InvalidArgumentError::new_err(msg)
        }
        E::Parse { .. } => ParseError::new_err(msg),
        E::Http { .. } | E::Network { .. } | E::Io { .. } => DataSourceError::new_err(msg),
    }
}

/// Extension trait: `result.py()?` inside bindings.
pub(crate) trait IntoPyResult<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for crate::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

#[pymodule]
fn _jamlik(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("JamlikError", py.get_type::<JamlikError>())?;
    m.add("ShapeError", py.get_type::<ShapeError>())?;
    m.add("MissingValueError", py.get_type::<MissingValueError>())?;
    m.add("DomainError", py.get_type::<DomainError>())?;
    m.add(
        "ConfidenceLevelError",
        py.get_type::<ConfidenceLevelError>(),
    )?;
    m.add("TooFewError", py.get_type::<TooFewError>())?;
    m.add("DegenerateError", py.get_type::<DegenerateError>())?;
    m.add(
        "InvalidArgumentError",
        py.get_type::<InvalidArgumentError>(),
    )?;
    m.add("ColumnError", py.get_type::<ColumnError>())?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("DataSourceError", py.get_type::<DataSourceError>())?;
    m.add_class::<estimate::PyEstimate>()?;
    m.add_function(wrap_pyfunction!(fractional_rank, m)?)?;
    heat::register(m)?;
    microdata::register(m)?;
    indicators::register(m)?;
    goals::register(m)?;
    kolada::register(m)?;
    geography::register(m)?;
    state::register(m)?;
    arrow::register(m)?;
    grouped::register(m)?;
    Ok(())
}

/// Weighted fractional rank with midpoint (default) or row-order ties.
#[pyfunction]
#[pyo3(signature = (keys, weights=None, ties="midpoint"))]
fn fractional_rank<'py>(
    py: Python<'py>,
    keys: numpy::PyReadonlyArray1<'py, f64>,
    weights: Option<numpy::PyReadonlyArray1<'py, f64>>,
    ties: &str,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let ties: crate::Ties = ties.parse().py_err()?;
    let keys = keys.as_slice()?;
    let weights = match &weights {
        Some(w) => Some(w.as_slice()?),
        None => None,
    };
    let ranks = py
        .detach(|| crate::rank::fractional_rank(keys, weights, ties))
        .py_err()?;
    Ok(numpy::PyArray1::from_vec(py, ranks))
}
