//! The long panel (`kpi, area, year, sex, value`) that the goal functions read,
//! indexed once in Rust. From Arrow (pyarrow, polars, DuckDB, any C stream) the
//! columns are read through the Arrow C interfaces with no pandas round trip;
//! from pandas they arrive as lists. Either way the goal functions then take the
//! one native `Panel`.

use super::index;
use crate::error::Error;
use crate::goals::follow_up::PanelIndex;
use crate::python::IntoPyResult;
use crate::python::arrow::ArrowFrame;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

/// Long Kolada-style data indexed by `(kpi, area, sex)`; rows without a value
/// are unpublished cells and left out.
#[pyclass(frozen, module = "jamlik._jamlik")]
pub(crate) struct Panel {
    pub(super) index: PanelIndex,
    rows: usize,
}

/// The text of a kept row, or an error naming the column and the row.
fn text_at(column: &mut [Option<String>], row: usize, name: &str) -> crate::Result<String> {
    column[row].take().ok_or_else(|| {
        Error::invalid(
            "data",
            format!("column {name:?} is missing at row {row}, a row that has a value"),
        )
    })
}

#[pymethods]
impl Panel {
    /// Indexes long columns (the pandas path: lists and float64 arrays).
    #[new]
    #[pyo3(signature = (kpi, area, year, sex, value))]
    fn new(
        py: Python<'_>,
        kpi: Vec<String>,
        area: Vec<String>,
        year: PyReadonlyArray1<'_, f64>,
        sex: Vec<String>,
        value: PyReadonlyArray1<'_, f64>,
    ) -> PyResult<Self> {
        let (year, value) = (year.as_slice()?, value.as_slice()?);
        let rows = value.iter().filter(|v| !v.is_nan()).count();
        let index = py.detach(|| index(kpi, area, year, &sex, value)).py_err()?;
        Ok(Self { index, rows })
    }

    /// Reads `kpi, area, year, sex, value` from any Arrow table or stream
    /// (keeping only the KPIs in `kpis` when given) and indexes them. An
    /// integer `area` is a Kolada id zero-padded to four digits.
    #[staticmethod]
    #[pyo3(signature = (data, kpis=None))]
    fn from_arrow(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        kpis: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let frame = ArrowFrame::read(data, "data")?; // each read below names a missing column
        let value = frame.f64_values("value", "data")?;
        let year = frame.f64_values("year", "data")?;
        let mut kpi = frame.text_values("kpi", "data", 0)?;
        let mut area = frame.text_values("area", "data", 4)?;
        let mut sex = frame.text_values("sex", "data", 0)?;
        let (index, rows) = py
            .detach(|| -> crate::Result<_> {
                let wanted = |k: &Option<String>| {
                    kpis.as_ref()
                        .is_none_or(|ks| k.as_ref().is_some_and(|k| ks.contains(k)))
                };
                let kept: Vec<usize> = (0..value.len())
                    .filter(|&i| !value[i].is_nan() && wanted(&kpi[i]))
                    .collect();
                let mut columns = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for &i in &kept {
                    columns.0.push(text_at(&mut kpi, i, "kpi")?);
                    columns.1.push(text_at(&mut area, i, "area")?);
                    columns.2.push(year[i]);
                    columns.3.push(text_at(&mut sex, i, "sex")?);
                    columns.4.push(value[i]);
                }
                let (k, a, y, s, v) = columns;
                let index = index(k, a, &y, &s, &v).map_err(|e| e.remap_rows(&kept))?;
                Ok((index, kept.len()))
            })
            .py_err()?;
        Ok(Self { index, rows })
    }

    /// Number of rows with a value.
    fn __len__(&self) -> usize {
        self.rows
    }

    fn __repr__(&self) -> String {
        format!("Panel({} rows with a value)", self.rows)
    }
}

/// A series' years and values.
type Series<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Years and values of one series from any Arrow table: the rows whose `kpi`,
/// `area` and `sex` equal the given ones (a filter applies only when given and
/// the column exists) and whose `value` column is not missing, in row order.
#[pyfunction]
#[pyo3(signature = (data, value="value", kpi=None, area=None, sex=None))]
fn series_from_arrow<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    value: &str,
    kpi: Option<&str>,
    area: Option<&str>,
    sex: Option<&str>,
) -> PyResult<Series<'py>> {
    let frame = ArrowFrame::read(data, "data")?;
    let years = frame.f64_values("year", "data")?;
    let values = frame.f64_values(value, "data")?;
    let mut keep: Vec<bool> = values.iter().map(|v| !v.is_nan()).collect();
    for (name, wanted, pad) in [("kpi", kpi, 0), ("area", area, 4), ("sex", sex, 0)] {
        let Some(wanted) = wanted else { continue };
        if !frame.has_column(name) {
            continue;
        }
        for (k, v) in keep.iter_mut().zip(frame.text_values(name, "data", pad)?) {
            *k &= v.as_deref() == Some(wanted);
        }
    }
    let pick = |column: &[f64]| -> Vec<f64> {
        column
            .iter()
            .zip(&keep)
            .filter_map(|(&x, &k)| k.then_some(x))
            .collect()
    };
    Ok((
        PyArray1::from_vec(py, pick(&years)),
        PyArray1::from_vec(py, pick(&values)),
    ))
}

/// Adds the panel and the Arrow series reader to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Panel>()?;
    m.add_function(wrap_pyfunction!(series_from_arrow, m)?)?;
    Ok(())
}
