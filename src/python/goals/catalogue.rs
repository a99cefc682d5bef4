//! The goal catalogue (shipped or given as JSON) and area look-up.

use crate::data::geography::Geography;
use crate::goals::catalogue::{Catalogue, MergeMode};
use crate::python::IntoPyResult;
use pyo3::prelude::*;

/// The shipped catalogue as JSON text.
#[pyfunction]
fn catalogue_json() -> &'static str {
    Catalogue::shipped_json()
}

/// Validates a catalogue (JSON text), optionally merged into a base catalogue, and
/// returns the result as normalised JSON.
#[pyfunction]
#[pyo3(signature = (text, base=None, mode="override"))]
fn load_catalogue(text: &str, base: Option<&str>, mode: &str) -> PyResult<String> {
    let mode: MergeMode = mode.parse().py_err()?;
    let user = Catalogue::from_json(text).py_err()?;
    let out = match base {
        None => user,
        Some(b) => {
            let mut cat = Catalogue::from_json(b).py_err()?;
            cat.merge(user, mode).py_err()?;
            cat
        }
    };
    out.to_json().py_err()
}

/// The Kolada id of an area given by id or name (resolved by `Geography::find`).
#[pyfunction]
fn find_area(query: &str) -> PyResult<String> {
    let geo = Geography::embedded().py_err()?;
    Ok(geo.find(query).py_err()?.id.clone())
}

/// Adds this module's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(catalogue_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(find_area, m)?)?;
    Ok(())
}
