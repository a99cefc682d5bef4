//! Python bindings for the geography: the one area resolver.

use super::IntoPyResult;
use crate::data::geography::Geography;
use pyo3::prelude::*;

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(resolve_area, m)?)?;
    Ok(())
}

/// The Kolada id of a municipality, region or the nation given by id (zero-padded
/// to four digits) or name (case, whitespace and diacritics ignored), or a Kolada
/// group id (`G…`) unchanged. See `Geography::find` and `Geography::resolve`.
#[pyfunction]
fn resolve_area(query: &str) -> PyResult<String> {
    Geography::shared()
        .and_then(|geo| geo.resolve(query))
        .py_err()
}
