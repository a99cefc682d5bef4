//! Health expectancy (Sullivan) per group, and the gap between two groups.

use super::{F64, I64, arr, opt_codes, opt_slice, put_text};
use crate::Error;
use crate::indicators::{
    Groups, HealthExpectancyInput, HealthExpectancyOptions, HealthMeasure, Prevalence,
};
use crate::python::IntoPyResult;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The prevalence input from the optional columns: exactly one of
/// `prevalence` + `prevalence_n`, `prevalence` + `prevalence_se`,
/// `healthy` + `respondents`.
fn prevalence_input<'a>(
    prevalence: Option<&'a [f64]>,
    prevalence_n: Option<&'a [f64]>,
    prevalence_se: Option<&'a [f64]>,
    healthy: Option<&'a [f64]>,
    respondents: Option<&'a [f64]>,
) -> Result<Prevalence<'a>, Error> {
    match (
        prevalence,
        prevalence_n,
        prevalence_se,
        healthy,
        respondents,
    ) {
        (Some(prevalence), Some(n), None, None, None) => {
            Ok(Prevalence::SampleSize { prevalence, n })
        }
        (Some(prevalence), None, Some(se), None, None) => {
            Ok(Prevalence::StandardError { prevalence, se })
        }
        (None, None, None, Some(healthy), Some(respondents)) => Ok(Prevalence::Counts {
            healthy,
            respondents,
        }),
        _ => Err(Error::invalid(
            "prevalence",
            "give the prevalence of the health state as `prevalence` with `prevalence_n` \
             (sample size) or `prevalence_se` (standard error), or as `healthy` with \
             `respondents` (numerator and denominator)",
        )),
    }
}

/// Life expectancy, health expectancy and proportion healthy at every band
/// start age, per group; `count` is the deaths.
#[pyfunction]
#[pyo3(signature = (count, population, age_start, levels, *, prevalence=None, prevalence_n=None, prevalence_se=None, healthy=None, respondents=None, ax=None, layout=None, mortality_variance=true, groups=None, missing="error"))]
#[allow(clippy::too_many_arguments)]
fn indicator_health_expectancy<'py>(
    py: Python<'py>,
    count: F64<'py>,
    population: F64<'py>,
    age_start: F64<'py>,
    levels: Vec<f64>,
    prevalence: Option<F64<'py>>,
    prevalence_n: Option<F64<'py>>,
    prevalence_se: Option<F64<'py>>,
    healthy: Option<F64<'py>>,
    respondents: Option<F64<'py>>,
    ax: Option<F64<'py>>,
    layout: Option<Vec<f64>>,
    mortality_variance: bool,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let prev = prevalence_input(
        opt_slice(prevalence.as_ref())?,
        opt_slice(prevalence_n.as_ref())?,
        opt_slice(prevalence_se.as_ref())?,
        opt_slice(healthy.as_ref())?,
        opt_slice(respondents.as_ref())?,
    )
    .py_err()?;
    let input = HealthExpectancyInput {
        count: count.as_slice()?,
        population: population.as_slice()?,
        age: age_start.as_slice()?,
        prevalence: prev,
        ax: opt_slice(ax.as_ref())?,
    };
    let codes = opt_codes(groups.as_ref())?;
    let opts = HealthExpectancyOptions {
        levels,
        layout,
        mortality_variance,
        missing: super::missing(missing)?,
    };
    let t = py
        .detach(|| {
            let g = Groups::new(codes, input.count.len(), "count")?;
            crate::indicators::health_expectancy_by(&input, &g, &opts)
        })
        .py_err()?;
    let dict = PyDict::new(py);
    let methods = PyList::empty(py);
    for m in HealthMeasure::ALL {
        let name = m.name();
        dict.set_item(format!("value_{name}"), arr(py, t.value_nan(m).to_vec()))?;
        dict.set_item(format!("se_{name}"), arr(py, t.se_nan(m).to_vec()))?;
        let lower = PyList::empty(py);
        let upper = PyList::empty(py);
        for k in 0..t.levels().len() {
            let (lo, hi) = t.limits_nan(m, k);
            lower.append(arr(py, lo))?;
            upper.append(arr(py, hi))?;
        }
        dict.set_item(format!("lower_{name}"), lower)?;
        dict.set_item(format!("upper_{name}"), upper)?;
        methods.append(t.method(m))?;
    }
    dict.set_item(
        "measures",
        HealthMeasure::ALL.map(HealthMeasure::name).to_vec(),
    )?;
    dict.set_item("methods", methods)?;
    put_text(&dict, "note", (0..t.len()).map(|i| t.note_text(i)))?;
    dict.set_item("age", arr(py, t.age().to_vec()))?;
    dict.set_item("population", arr(py, t.population().to_vec()))?;
    dict.set_item("count", arr(py, t.count().to_vec()))?;
    let sizes: Vec<i64> = t
        .offsets()
        .windows(2)
        .map(|w| (w[1] - w[0]) as i64)
        .collect();
    dict.set_item("first_row", super::rows_array(py, t.first_row().to_vec()))?;
    dict.set_item("group_size", PyArray1::from_vec(py, sizes))?;
    Ok(dict)
}

/// Gaps `first − second` between independent groups with SE √(se₁² + se₂²).
#[pyfunction]
#[pyo3(signature = (first, first_se, second, second_se, levels))]
fn indicator_health_expectancy_gap<'py>(
    py: Python<'py>,
    first: F64<'py>,
    first_se: F64<'py>,
    second: F64<'py>,
    second_se: F64<'py>,
    levels: Vec<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let (a, sa, b, sb) = (
        first.as_slice()?,
        first_se.as_slice()?,
        second.as_slice()?,
        second_se.as_slice()?,
    );
    let g = py
        .detach(|| crate::indicators::health_expectancy_gap(a, sa, b, sb, &levels))
        .py_err()?;
    let dict = PyDict::new(py);
    dict.set_item("value", arr(py, g.value))?;
    dict.set_item("se", arr(py, g.se))?;
    let lower = PyList::empty(py);
    for c in g.lower {
        lower.append(arr(py, c))?;
    }
    let upper = PyList::empty(py);
    for c in g.upper {
        upper.append(arr(py, c))?;
    }
    dict.set_item("lower", lower)?;
    dict.set_item("upper", upper)?;
    dict.set_item("method", crate::indicators::health_expectancy::METHOD_GAP)?;
    Ok(dict)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_health_expectancy, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_health_expectancy_gap, m)?)?;
    Ok(())
}
