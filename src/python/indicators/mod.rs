//! Python bindings for the indicators area (`jamlik.indicators` wraps these).
//!
//! Bindings only convert: float64 arrays in (zero-copy), optional int64
//! group codes, the `missing` policy and option strings parsed by the core,
//! the GIL released for the work. Each returns a dict of per-group columns:
//! `value`, `lower`/`upper` (one array per level, NaN where the core says
//! `None`; the `note` column says why), `method`, `note` (categorical codes
//! and categories), `first_row` (the input row that carries each group's
//! keys) and the function's extra columns. The Python layer turns these into
//! the long result frame (one row per group and level).

mod counts;
mod funnel;
mod health_expectancy;
mod life_table;
mod sii;
mod small_numbers;
mod standardised;

use super::IntoPyResult;
use crate::MissingPolicy;
use crate::indicators::{Groups, Indicator};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

pub(super) type F64<'py> = PyReadonlyArray1<'py, f64>;
pub(super) type I64<'py> = PyReadonlyArray1<'py, i64>;

pub(super) fn opt_slice<'a>(a: Option<&'a F64<'_>>) -> PyResult<Option<&'a [f64]>> {
    match a {
        Some(a) => Ok(Some(a.as_slice()?)),
        None => Ok(None),
    }
}

pub(super) fn nan(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

pub(super) fn rows_array(py: Python<'_>, rows: Vec<usize>) -> Bound<'_, PyArray1<i64>> {
    PyArray1::from_vec(py, rows.into_iter().map(|r| r as i64).collect())
}

pub(super) fn arr(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    PyArray1::from_vec(py, v)
}

/// The `missing` policy, parsed by the core (an error names `missing`).
pub(super) fn missing(text: &str) -> PyResult<MissingPolicy> {
    text.parse::<MissingPolicy>().py_err()
}

/// The columns of a count-based result (proportions, rates, DSRs): the
/// indicators, their `count` and `population`, and each group's first input row.
pub(super) fn count_result_dict<'py>(
    py: Python<'py>,
    items: &[&Indicator],
    levels: &[f64],
    count: Vec<f64>,
    population: Vec<f64>,
    first_row: Vec<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    put_indicators(&dict, items, levels)?;
    dict.set_item("count", arr(py, count))?;
    dict.set_item("population", arr(py, population))?;
    dict.set_item("first_row", rows_array(py, first_row))?;
    Ok(dict)
}

/// Adds value / lower / upper / method / note columns for a list of indicators.
pub(super) fn put_indicators(
    dict: &Bound<'_, PyDict>,
    items: &[&Indicator],
    levels: &[f64],
) -> PyResult<()> {
    let py = dict.py();
    dict.set_item(
        "value",
        arr(py, items.iter().map(|i| nan(i.value)).collect()),
    )?;
    let lower = PyList::empty(py);
    let upper = PyList::empty(py);
    for k in 0..levels.len() {
        lower.append(arr(
            py,
            items.iter().map(|i| nan(i.limits[k].lower)).collect(),
        ))?;
        upper.append(arr(
            py,
            items.iter().map(|i| nan(i.limits[k].upper)).collect(),
        ))?;
    }
    dict.set_item("lower", lower)?;
    dict.set_item("upper", upper)?;
    put_text(dict, "method", items.iter().map(|i| Some(i.method)))?;
    put_text(dict, "note", items.iter().map(|i| i.note.as_deref()))?;
    Ok(())
}

/// A text column as categorical codes (`-1` = none) and its distinct values:
/// no Python string per row, and a pandas `Categorical` / polars categorical
/// on the Python side.
pub(super) fn put_text<'a>(
    dict: &Bound<'_, PyDict>,
    name: &str,
    values: impl Iterator<Item = Option<&'a str>>,
) -> PyResult<()> {
    let mut categories: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    // Neighbouring rows usually share their text: compare with the last one
    // before hashing.
    let mut last: Option<(&str, i64)> = None;
    let codes: Vec<i64> = values
        .map(|v| match v {
            None => -1,
            Some(s) => {
                if let Some((t, c)) = last {
                    if t == s {
                        return c;
                    }
                }
                let c = *index.entry(s).or_insert_with(|| {
                    categories.push(s);
                    categories.len() as i64 - 1
                });
                last = Some((s, c));
                c
            }
        })
        .collect();
    dict.set_item(
        format!("{name}_codes"),
        PyArray1::from_vec(dict.py(), codes),
    )?;
    dict.set_item(format!("{name}_categories"), categories)?;
    Ok(())
}

pub(super) fn opt_codes<'a>(codes: Option<&'a I64<'_>>) -> PyResult<Option<&'a [i64]>> {
    match codes {
        Some(c) => Ok(Some(c.as_slice()?)),
        None => Ok(None),
    }
}

/// Groups from optional codes; `None` gives one group of all `n` rows.
pub(super) fn groups_or_single(
    codes: Option<&I64<'_>>,
    n: usize,
    other: &'static str,
) -> PyResult<Groups> {
    Groups::new(opt_codes(codes)?, n, other).py_err()
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    counts::register(m)?;
    standardised::register(m)?;
    life_table::register(m)?;
    sii::register(m)?;
    funnel::register(m)?;
    health_expectancy::register(m)?;
    small_numbers::register(m)?;
    Ok(())
}
