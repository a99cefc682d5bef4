//! Directly and indirectly standardised rates, the ESP2013 standard and
//! age-band labels.

use super::{
    F64, I64, arr, count_result_dict, groups_or_single, nan, opt_slice, put_indicators, rows_array,
};
use crate::Error;
use crate::indicators::dsr::{DsrInput, DsrOptions, Standard};
use crate::indicators::{Indicator, IsrInput, IsrKind, IsrOptions, StandardPopulation};
use crate::python::{IntoPyResult, to_py_err};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Directly standardised rates (Dobson) per group.
#[pyfunction]
#[pyo3(signature = (count, population, levels, multiplier, weights=None, standard=None, age_start=None, event_frequency=None, groups=None, suppress_below=Some(10.0), missing="error", standard_name="given"))]
fn indicator_dsr<'py>(
    py: Python<'py>,
    count: F64<'py>,
    population: F64<'py>,
    levels: Vec<f64>,
    multiplier: f64,
    weights: Option<F64<'py>>,
    standard: Option<(Vec<f64>, Vec<f64>)>,
    age_start: Option<F64<'py>>,
    event_frequency: Option<F64<'py>>,
    groups: Option<I64<'py>>,
    suppress_below: Option<f64>,
    missing: &str,
    standard_name: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let c = count.as_slice()?;
    let p = population.as_slice()?;
    let w = opt_slice(weights.as_ref())?;
    let age = opt_slice(age_start.as_ref())?;
    let f = opt_slice(event_frequency.as_ref())?;
    let sp = match standard {
        Some((starts, wts)) => Some(StandardPopulation::new(standard_name, starts, wts).py_err()?),
        None => None,
    };
    let std = match (&sp, w) {
        (Some(sp), _) => Standard::Population(sp),
        (None, Some(w)) => Standard::Weights(w),
        (None, None) => {
            return Err(to_py_err(Error::invalid(
                "standard",
                "give weights or a standard population",
            )));
        }
    };
    let g = groups_or_single(groups.as_ref(), c.len(), "count")?;
    let input = DsrInput {
        count: c,
        population: p,
        standard: std,
        age_start: age,
        event_frequency: f,
    };
    let opts = DsrOptions {
        levels,
        multiplier,
        suppress_below,
        missing: super::missing(missing)?,
    };
    let res = py
        .detach(|| crate::indicators::dsr_by(&input, &g, &opts))
        .py_err()?;
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    count_result_dict(
        py,
        &items,
        &opts.levels,
        res.results.iter().map(|r| r.count).collect(),
        res.results.iter().map(|r| r.population).collect(),
        res.first_row,
    )
}

/// The ESP2013 standard: (start ages, weights); `detailed` gives the 21-band form.
#[pyfunction]
#[pyo3(signature = (detailed=false))]
fn indicator_esp2013(detailed: bool) -> (Vec<f64>, Vec<f64>) {
    let sp = if detailed {
        StandardPopulation::esp2013_detailed()
    } else {
        StandardPopulation::esp2013()
    };
    (sp.starts().to_vec(), sp.weights().to_vec())
}

/// Start ages of age-band labels ("0-4", "90+", "<1", "85 år och äldre").
#[pyfunction]
fn indicator_age_band_starts(labels: Vec<String>) -> PyResult<Vec<f64>> {
    crate::indicators::age_band_starts(&labels).py_err()
}

/// Indirectly standardised ratios or rates per group. The reference columns
/// have one entry per row, or one per age band (matched by position within
/// each group).
#[pyfunction]
#[pyo3(signature = (count, population, reference_count, reference_population, kind, scale, levels, groups=None, missing="error"))]
fn indicator_isr<'py>(
    py: Python<'py>,
    count: F64<'py>,
    population: F64<'py>,
    reference_count: F64<'py>,
    reference_population: F64<'py>,
    kind: &str,
    scale: f64,
    levels: Vec<f64>,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = match kind {
        "ratio" => IsrKind::Ratio { refvalue: scale },
        "rate" => IsrKind::Rate { multiplier: scale },
        other => {
            return Err(to_py_err(Error::invalid(
                "kind",
                format!("expected \"ratio\" or \"rate\", got {other:?}"),
            )));
        }
    };
    let c = count.as_slice()?;
    let p = population.as_slice()?;
    let (xr, nr) = (
        reference_count.as_slice()?,
        reference_population.as_slice()?,
    );
    let g = groups_or_single(groups.as_ref(), c.len(), "count")?;
    let opts = IsrOptions {
        kind,
        levels,
        missing: super::missing(missing)?,
    };
    let res = py
        .detach(|| {
            let xr = per_row(xr, c.len(), &g, "reference_count")?;
            let nr = per_row(nr, c.len(), &g, "reference_population")?;
            let input = IsrInput {
                count: c,
                population: p,
                reference_count: &xr,
                reference_population: &nr,
            };
            crate::indicators::isr_by(&input, &g, &opts)
        })
        .py_err()?;
    let dict = PyDict::new(py);
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    put_indicators(&dict, &items, &opts.levels)?;
    dict.set_item(
        "count",
        arr(py, res.results.iter().map(|r| r.count).collect()),
    )?;
    dict.set_item(
        "expected",
        arr(py, res.results.iter().map(|r| r.expected).collect()),
    )?;
    dict.set_item(
        "reference_rate",
        arr(
            py,
            res.results.iter().map(|r| nan(r.reference_rate)).collect(),
        ),
    )?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
}

/// Reference values per row: given per row, or once per age band.
fn per_row<'a>(
    v: &'a [f64],
    n: usize,
    g: &crate::indicators::Groups,
    arg: &'static str,
) -> crate::Result<std::borrow::Cow<'a, [f64]>> {
    if v.len() == n {
        Ok(std::borrow::Cow::Borrowed(v))
    } else {
        crate::indicators::reference_per_row(v, g, arg).map(std::borrow::Cow::Owned)
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_dsr, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_esp2013, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_age_band_starts, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_isr, m)?)?;
    Ok(())
}
