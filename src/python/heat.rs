//! Python bindings for the heat area.

use pyo3::prelude::*;

#[allow(clippy::unnecessary_wraps)] // placeholder until the area lands
/// Adds this area's functions to the native module.
pub(super) fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
