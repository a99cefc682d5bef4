//! A municipality's follow-up and its gaps, comparisons with reference areas
//! and women vs men.

use super::panel::Panel;
use super::{load, opt_f64, sexes, whole_years};
use crate::data::geography::Geography;
use crate::error::Error;
use crate::goals::follow_up::{self as cmp, Column, FollowUpOptions, PopulationIndex, Table};
use crate::python::IntoPyResult;
use crate::vocabulary::Sex;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Population columns from Python: `(area, year, sex, population)`.
type PopulationColumns<'py> = (
    Vec<String>,
    PyReadonlyArray1<'py, f64>,
    Vec<String>,
    PyReadonlyArray1<'py, f64>,
);

/// A core [`Table`] as `{"names": [...], "ints": [...], "columns": {name: list or array}}`.
fn table<'py>(py: Python<'py>, t: &Table) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let cols = PyDict::new(py);
    let mut ints = Vec::new();
    for (name, c) in &t.columns {
        match c {
            Column::Text(v) => cols.set_item(name, v.clone())?,
            Column::Int(v) => {
                ints.push(*name);
                cols.set_item(name, v.clone())?;
            }
            Column::Float(v) => cols.set_item(
                name,
                PyArray1::from_vec(py, v.iter().map(|x| opt_f64(*x)).collect()),
            )?,
        }
    }
    d.set_item("names", t.names())?;
    d.set_item("ints", ints)?;
    d.set_item("columns", cols)?;
    Ok(d)
}

/// The follow-up's metadata and its table.
fn follow_up_dict<'py>(py: Python<'py>, f: &cmp::FollowUp) -> PyResult<Bound<'py, PyDict>> {
    let d = table(py, &f.table())?;
    d.set_item("key", cmp::FollowUp::KEY_COLUMNS)?;
    d.set_item("area", &f.area)?;
    d.set_item("area_name", &f.area_name)?;
    d.set_item("region", &f.region)?;
    d.set_item("skr_group", &f.skr_group)?;
    d.set_item("similar_group", &f.similar_group)?;
    d.set_item("similar_group_year", f.similar_group_year)?;
    d.set_item("catalogue", &f.catalogue)?;
    d.set_item("credit", &f.credit)?;
    Ok(d)
}

/// A municipality's follow-up from long columns (`kpi, area, year, sex, value`):
/// its table (key columns first) and metadata.
#[pyfunction]
#[pyo3(signature = (panel, municipality, catalogue=None, at=None))]
fn follow_up<'py>(
    py: Python<'py>,
    panel: &Bound<'_, Panel>,
    municipality: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let idx = &panel.get().index;
    let f = py
        .detach(|| -> crate::Result<_> {
            let geo = Geography::embedded()?;
            let cat = load(catalogue)?;
            let o = FollowUpOptions {
                at,
                ..FollowUpOptions::default()
            };
            cmp::follow_up(idx, &geo, &cat, municipality, &o)
        })
        .py_err()?;
    follow_up_dict(py, &f)
}

/// The gaps section of a municipality's follow-up from long columns, weighted by
/// the population columns when given (else every municipality weighs the same).
#[pyfunction]
#[pyo3(signature = (panel, municipality, catalogue=None, at=None, generation_years=25.0, population=None))]
fn follow_up_gaps<'py>(
    py: Python<'py>,
    panel: &Bound<'_, Panel>,
    municipality: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
    generation_years: f64,
    population: Option<PopulationColumns<'_>>,
) -> PyResult<Bound<'py, PyDict>> {
    let idx = &panel.get().index;
    let pop = match &population {
        Some((a, y, s, p)) => Some((a, y.as_slice()?, s, p.as_slice()?)),
        None => None,
    };
    let (f, g) = py
        .detach(|| -> crate::Result<_> {
            let geo = Geography::embedded()?;
            let cat = load(catalogue)?;
            let o = FollowUpOptions {
                at,
                generation_years,
            };
            let f = cmp::follow_up(idx, &geo, &cat, municipality, &o)?;
            let g = match pop {
                Some((a, y, s, p)) => {
                    let w = PopulationIndex::from_columns(
                        a,
                        &whole_years("population year", y)?,
                        &sexes(s)?,
                        p,
                    )?;
                    cmp::gaps(idx, &w, &geo, &cat, &f, &o)?
                }
                None => cmp::gaps(idx, &cmp::EqualWeights, &geo, &cat, &f, &o)?,
            };
            Ok((f, g))
        })
        .py_err()?;
    let d = table(py, &g.table())?;
    d.set_item("follow_up", follow_up_dict(py, &f)?)?;
    Ok(d)
}

/// One area against its reference areas for one KPI, year (default: the KPI's latest)
/// and sex, as columns `comparison, value, n` plus the resolved area and year.
#[pyfunction]
#[pyo3(signature = (panel, target_kpi, municipality, at_year=None, row_sex="T"))]
fn compare_areas<'py>(
    py: Python<'py>,
    panel: &Bound<'_, Panel>,
    target_kpi: &str,
    municipality: &str,
    at_year: Option<i32>,
    row_sex: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let idx = &panel.get().index;
    let c = py
        .detach(|| -> crate::Result<_> {
            let row_sex: Sex = row_sex.parse()?;
            let geo = Geography::embedded()?;
            let id = geo.find(municipality)?.id.clone();
            let y = match at_year {
                Some(y) => y,
                None => idx.latest_year(target_kpi).ok_or_else(|| {
                    Error::invalid(
                        "kpi",
                        format!("no values for KPI {target_kpi:?} in the frame"),
                    )
                })?,
            };
            cmp::compare_area(idx, &geo, target_kpi, row_sex, &id, y)
        })
        .py_err()?;
    let d = PyDict::new(py);
    let groups = [
        ("municipality", c.value, 1),
        ("region", c.region, 1),
        (
            "county municipalities (mean)",
            c.county_municipalities.mean,
            c.county_municipalities.n,
        ),
        ("nation", c.nation, 1),
        ("similar municipalities (mean)", c.similar.mean, c.similar.n),
        ("SKR group (mean)", c.skr_group.mean, c.skr_group.n),
    ];
    d.set_item("comparison", groups.iter().map(|g| g.0).collect::<Vec<_>>())?;
    d.set_item(
        "value",
        PyArray1::from_vec(py, groups.iter().map(|g| opt_f64(g.1)).collect()),
    )?;
    d.set_item("n", groups.iter().map(|g| g.2).collect::<Vec<_>>())?;
    d.set_item("area", c.area)?;
    d.set_item("year", c.year)?;
    d.set_item("sex", c.sex.code())?;
    Ok(d)
}

/// Women vs men for a catalogue indicator (split or two-KPI) in one year (default:
/// the latest year of the KPI): a dict, with `None` values and a `note` when the
/// indicator is not split by sex or a value is missing.
#[pyfunction]
#[pyo3(signature = (panel, indicator_kpi, municipality, at_year=None, catalogue=None))]
fn women_vs_men<'py>(
    py: Python<'py>,
    panel: &Bound<'_, Panel>,
    indicator_kpi: &str,
    municipality: &str,
    at_year: Option<i32>,
    catalogue: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let idx = &panel.get().index;
    let (id, y, g) = py
        .detach(|| -> crate::Result<_> {
            let geo = Geography::embedded()?;
            let id = geo.find(municipality)?.id.clone();
            let cat = load(catalogue)?;
            let (_, ind) = cat.indicator(indicator_kpi)?;
            let y = match at_year {
                Some(y) => Some(y),
                None => ind
                    .kpi_ids()
                    .iter()
                    .filter_map(|k| idx.latest_year(k))
                    .max(),
            };
            let g = y.and_then(|y| cmp::women_vs_men(idx, ind, &id, y));
            Ok((id, y, g))
        })
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("area", id)?;
    d.set_item("kpi", indicator_kpi)?;
    d.set_item("year", y)?;
    d.set_item("women", g.as_ref().map(|g| g.women))?;
    d.set_item("men", g.as_ref().map(|g| g.men))?;
    d.set_item("difference", g.as_ref().map(|g| g.difference))?;
    d.set_item("ratio", g.as_ref().and_then(|g| g.ratio))?;
    d.set_item("better_off", g.as_ref().map(|g| g.better_off.code()))?;
    d.set_item(
        "note",
        if g.is_some() {
            ""
        } else {
            "no women and men values: the indicator is not split by sex, or a value is missing"
        },
    )?;
    Ok(d)
}

/// Adds this module's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(follow_up, m)?)?;
    m.add_function(wrap_pyfunction!(follow_up_gaps, m)?)?;
    m.add_function(wrap_pyfunction!(compare_areas, m)?)?;
    m.add_function(wrap_pyfunction!(women_vs_men, m)?)?;
    Ok(())
}
