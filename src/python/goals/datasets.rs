//! The embedded geography and the synthetic demo dataset as columns.

use crate::data::demo::{DemoData, DemoOptions, STATUS_CODES};
use crate::data::geography::{self, Geography};
use crate::python::IntoPyResult;
use crate::vocabulary::Sex;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The geography as columns (Kolada's names: `id, title, ...`; `jamlik.datasets.geography`
/// renames them to the vocabulary) plus its credit line.
#[pyfunction]
fn geography_columns(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let geo = Geography::embedded().py_err()?;
    let d = PyDict::new(py);
    let a = geo.areas();
    let kind = |k| match k {
        geography::AreaKind::Municipality => "municipality",
        geography::AreaKind::Region => "region",
        geography::AreaKind::Nation => "nation",
    };
    d.set_item("id", a.iter().map(|x| x.id.clone()).collect::<Vec<_>>())?;
    d.set_item(
        "title",
        a.iter().map(|x| x.title.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item("kind", a.iter().map(|x| kind(x.kind)).collect::<Vec<_>>())?;
    d.set_item(
        "county_code",
        a.iter().map(|x| x.county_code.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "region_id",
        a.iter().map(|x| x.region_id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "skr_group_code",
        a.iter()
            .map(|x| x.skr_group_code.clone())
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "skr_group_id",
        a.iter().map(|x| x.skr_group_id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_group_id",
        a.iter()
            .map(|x| x.similar_group_id.clone())
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_group_year",
        a.iter().map(|x| x.similar_group_year).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "similar_ids",
        a.iter()
            .map(|x| x.similar_ids.join(";"))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("credit", geography::CREDIT)?;
    d.set_item("snapshot_date", geography::SNAPSHOT_DATE)?;
    Ok(d)
}

// The signature below writes the demo seed out; it must stay `DEMO_SEED`.
const _: () = assert!(crate::data::demo::DEMO_SEED == 20_171_219);

/// Generates the synthetic demo dataset; returns its long columns as numpy arrays
/// with lookup lists, and the synthetic population.
#[pyfunction]
// seed = `DEMO_SEED` (written out so the signature shows it).
#[pyo3(signature = (seed=20_171_219, first_year=2010, last_year=2023))]
fn demo_columns(
    py: Python<'_>,
    seed: u64,
    first_year: i32,
    last_year: i32,
) -> PyResult<Bound<'_, PyDict>> {
    let opts = DemoOptions {
        seed,
        first_year,
        last_year,
    };
    let (data, cols, pop) = py
        .detach(|| -> crate::Result<_> {
            let data = DemoData::generate(&opts)?;
            let cols = data.columns();
            let mut pop = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (a, area) in data.areas().iter().enumerate() {
                for &y in data.years() {
                    for (s, sex) in Sex::ALL.into_iter().enumerate() {
                        pop.0.push(a as u32);
                        pop.1.push(y);
                        pop.2.push(s as u8);
                        pop.3
                            .push(data.population(area, y, sex).unwrap_or(f64::NAN));
                    }
                }
            }
            Ok((data, cols, pop))
        })
        .py_err()?;
    let d = PyDict::new(py);
    d.set_item("kpis", data.kpis().to_vec())?;
    d.set_item("areas", data.areas().to_vec())?;
    d.set_item("sexes", ["T", "K", "M"])?;
    d.set_item("statuses", STATUS_CODES.to_vec())?;
    d.set_item("kpi", PyArray1::from_vec(py, cols.kpi))?;
    d.set_item("area", PyArray1::from_vec(py, cols.area))?;
    d.set_item("year", PyArray1::from_vec(py, cols.year))?;
    d.set_item("sex", PyArray1::from_vec(py, cols.sex))?;
    d.set_item("value", PyArray1::from_vec(py, cols.value))?;
    d.set_item("count", PyArray1::from_vec(py, cols.count))?;
    d.set_item("population", PyArray1::from_vec(py, cols.population))?;
    d.set_item("se", PyArray1::from_vec(py, cols.se))?;
    d.set_item("lower", PyArray1::from_vec(py, cols.lower))?;
    d.set_item("upper", PyArray1::from_vec(py, cols.upper))?;
    d.set_item("status", PyArray1::from_vec(py, cols.status))?;
    d.set_item("pop_area", PyArray1::from_vec(py, pop.0))?;
    d.set_item("pop_year", PyArray1::from_vec(py, pop.1))?;
    d.set_item("pop_sex", PyArray1::from_vec(py, pop.2))?;
    d.set_item("pop_value", PyArray1::from_vec(py, pop.3))?;
    d.set_item("seed", data.seed())?;
    d.set_item("label", crate::data::demo::SYNTHETIC_LABEL)?;
    Ok(d)
}

/// Adds this module's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(geography_columns, m)?)?;
    m.add_function(wrap_pyfunction!(demo_columns, m)?)?;
    Ok(())
}
