//! Python bindings for the goals area: catalogue, geography, demo dataset,
//! progress, gap closure, comparisons and the follow-up.
//!
//! Results cross the boundary as columnar dicts (lists and numpy arrays) that
//! `jamlik.goals` / `jamlik.report` turn into frames; the logic (area resolution,
//! choice of indicator and methods, the follow-up and its gaps) is in the core.

mod catalogue;
mod datasets;
mod follow_up;
mod panel;
mod progress;

use crate::error::Error;
use crate::goals::catalogue::Catalogue;
use crate::goals::follow_up::PanelIndex;
use crate::vocabulary::Sex;
use pyo3::prelude::*;

fn load(catalogue_json: Option<&str>) -> crate::Result<Catalogue> {
    match catalogue_json {
        Some(t) => Catalogue::from_json(t),
        None => Catalogue::shipped(),
    }
}

fn years_values(years: &[f64], values: &[f64]) -> crate::Result<Vec<(i32, f64)>> {
    if years.len() != values.len() {
        return Err(Error::LengthMismatch {
            arg: "values",
            other: "years",
            expected: years.len(),
            found: values.len(),
        });
    }
    years
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (&y, &v))| {
            if y.fract() != 0.0 || !y.is_finite() || y.abs() > 1e6 {
                Err(Error::OutOfDomain {
                    arg: "years",
                    index: i,
                    value: y,
                    requirement: "a whole year",
                })
            } else {
                Ok((y as i32, v))
            }
        })
        .collect()
}

fn sexes(codes: &[String]) -> crate::Result<Vec<Sex>> {
    codes.iter().map(|c| c.parse()).collect()
}

fn opt_f64(x: Option<f64>) -> f64 {
    x.unwrap_or(f64::NAN)
}

fn whole_years(arg: &'static str, years: &[f64]) -> crate::Result<Vec<i32>> {
    years
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            if p.fract() == 0.0 && p.is_finite() && p.abs() < 1e6 {
                Ok(p as i32)
            } else {
                Err(Error::OutOfDomain {
                    arg,
                    index: i,
                    value: p,
                    requirement: "a whole year",
                })
            }
        })
        .collect()
}

fn index(
    kpi: Vec<String>,
    area: Vec<String>,
    year: &[f64],
    sex: &[String],
    value: &[f64],
) -> crate::Result<PanelIndex> {
    let sex = sexes(sex)?;
    let year = whole_years("year", year)?;
    PanelIndex::from_columns(&kpi, &area, &year, &sex, value)
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    catalogue::register(m)?;
    datasets::register(m)?;
    progress::register(m)?;
    follow_up::register(m)?;
    panel::register(m)?;
    Ok(())
}
