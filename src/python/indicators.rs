//! Python bindings for the indicators area (`jamlik.indicators` wraps these).
//!
//! Every function takes float64 arrays (zero-copy), optional int64 group
//! codes, releases the GIL for the work, and returns a dict of columns:
//! `value`, `lower`/`upper` (one array per level, NaN where the core says
//! `None`; the `note` column says why), `method`, `note`, and for grouped
//! calls `first_row` (to attach the group keys).

use super::IntoPyResult;
use crate::Error;
use crate::indicators::dsr::{DsrInput, DsrOptions, Standard};
use crate::indicators::funnel;
use crate::indicators::{
    Groups, Indicator, IsrInput, IsrKind, LifeTableOptions, SiiInput, SiiMethod, SiiOptions,
    StandardPopulation, ValueType,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

type F64<'py> = PyReadonlyArray1<'py, f64>;
type I64<'py> = PyReadonlyArray1<'py, i64>;

fn opt_slice<'a>(a: Option<&'a F64<'_>>) -> PyResult<Option<&'a [f64]>> {
    match a {
        Some(a) => Ok(Some(a.as_slice()?)),
        None => Ok(None),
    }
}

fn nan(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

fn rows_array(py: Python<'_>, rows: Vec<usize>) -> Bound<'_, PyArray1<i64>> {
    PyArray1::from_vec(py, rows.into_iter().map(|r| r as i64).collect())
}

fn arr(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    PyArray1::from_vec(py, v)
}

/// Adds value / lower / upper / method / note columns for a list of indicators.
fn put_indicators(dict: &Bound<'_, PyDict>, items: &[&Indicator], levels: &[f64]) -> PyResult<()> {
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
fn put_text<'a>(
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

fn opt_codes<'a>(codes: Option<&'a I64<'_>>) -> PyResult<Option<&'a [i64]>> {
    match codes {
        Some(c) => Ok(Some(c.as_slice()?)),
        None => Ok(None),
    }
}

fn groups_of(codes: Option<&I64<'_>>, n: usize, other: &'static str) -> PyResult<Option<Groups>> {
    match codes {
        Some(c) => Ok(Some(Groups::new(Some(c.as_slice()?), n, other).py_err()?)),
        None => Ok(None),
    }
}

/// Proportions (Wilson) or rates (exact/Byars), row by row or summed per group.
#[pyfunction]
#[pyo3(signature = (kind, x, n, levels, multiplier, groups=None))]
fn indicator_counts<'py>(
    py: Python<'py>,
    kind: &str,
    x: F64<'py>,
    n: F64<'py>,
    levels: Vec<f64>,
    multiplier: f64,
    groups: Option<I64<'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (xs, ns) = (x.as_slice()?, n.as_slice()?);
    let grouping = groups_of(groups.as_ref(), xs.len(), "x")?;
    let proportion = match kind {
        "proportion" => true,
        "rate" => false,
        other => {
            return Err(super::to_py_err(Error::invalid(
                "kind",
                format!("unknown kind {other:?}"),
            )));
        }
    };
    let dict = PyDict::new(py);
    if let Some(g) = grouping {
        {
            let res = py
                .detach(|| {
                    if proportion {
                        crate::indicators::proportion_by(xs, ns, &g, &levels, multiplier)
                    } else {
                        crate::indicators::rate_by(xs, ns, &g, &levels, multiplier)
                    }
                })
                .py_err()?;
            let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
            put_indicators(&dict, &items, &levels)?;
            dict.set_item(
                "count",
                arr(py, res.results.iter().map(|r| r.count).collect()),
            )?;
            dict.set_item(
                "denominator",
                arr(py, res.results.iter().map(|r| r.denominator).collect()),
            )?;
            dict.set_item("first_row", rows_array(py, res.first_row))?;
        }
    } else {
        {
            let res = py
                .detach(|| {
                    if proportion {
                        crate::indicators::proportions(xs, ns, &levels, multiplier)
                    } else {
                        crate::indicators::rates(xs, ns, &levels, multiplier)
                    }
                })
                .py_err()?;
            let items: Vec<&Indicator> = res.iter().collect();
            put_indicators(&dict, &items, &levels)?;
        }
    }
    Ok(dict)
}

/// Means with Student's t limits per group.
#[pyfunction]
#[pyo3(signature = (values, levels, groups=None))]
fn indicator_mean<'py>(
    py: Python<'py>,
    values: F64<'py>,
    levels: Vec<f64>,
    groups: Option<I64<'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let v = values.as_slice()?;
    let g =
        groups_of(groups.as_ref(), v.len(), "values")?.unwrap_or_else(|| Groups::single(v.len()));
    let res = py
        .detach(|| crate::indicators::mean_by(v, &g, &levels))
        .py_err()?;
    let dict = PyDict::new(py);
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    put_indicators(&dict, &items, &levels)?;
    dict.set_item("sum", arr(py, res.results.iter().map(|r| r.sum).collect()))?;
    dict.set_item(
        "count",
        arr(py, res.results.iter().map(|r| r.count as f64).collect()),
    )?;
    dict.set_item(
        "sd",
        arr(py, res.results.iter().map(|r| nan(r.sd)).collect()),
    )?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
}

/// Directly standardised rates (Dobson) per group.
#[pyfunction]
#[pyo3(signature = (count, population, levels, multiplier, weights=None, standard=None, age_start=None, event_frequency=None, groups=None, suppress_below=Some(10.0), missing_as_zero=false))]
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
    missing_as_zero: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let c = count.as_slice()?;
    let p = population.as_slice()?;
    let w = opt_slice(weights.as_ref())?;
    let age = opt_slice(age_start.as_ref())?;
    let f = opt_slice(event_frequency.as_ref())?;
    let sp = match standard {
        Some((starts, wts)) => Some(StandardPopulation::new("standard", starts, wts).py_err()?),
        None => None,
    };
    let std = match (&sp, w) {
        (Some(sp), _) => Standard::Population(sp),
        (None, Some(w)) => Standard::Weights(w),
        (None, None) => {
            return Err(super::to_py_err(Error::invalid(
                "standard",
                "give weights or a standard population",
            )));
        }
    };
    let g =
        groups_of(groups.as_ref(), c.len(), "count")?.unwrap_or_else(|| Groups::single(c.len()));
    let input = DsrInput {
        count: c,
        population: p,
        standard: std,
        age_start: age,
        event_frequency: f,
    };
    let opts = DsrOptions {
        levels: levels.clone(),
        multiplier,
        suppress_below,
        missing_count_as_zero: missing_as_zero,
    };
    let res = py
        .detach(|| crate::indicators::dsr_by(&input, &g, &opts))
        .py_err()?;
    let dict = PyDict::new(py);
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    put_indicators(&dict, &items, &levels)?;
    dict.set_item(
        "total_count",
        arr(py, res.results.iter().map(|r| r.total_count).collect()),
    )?;
    dict.set_item(
        "total_population",
        arr(py, res.results.iter().map(|r| r.total_population).collect()),
    )?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
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

/// Indirectly standardised ratios or rates per group.
#[pyfunction]
#[pyo3(signature = (count, population, reference_count, reference_population, kind, scale, levels, groups=None, missing_as_zero=false))]
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
    missing_as_zero: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let input = IsrInput {
        count: count.as_slice()?,
        population: population.as_slice()?,
        reference_count: reference_count.as_slice()?,
        reference_population: reference_population.as_slice()?,
    };
    let kind = match kind {
        "ratio" => IsrKind::Ratio { refvalue: scale },
        "rate" => IsrKind::Rate { multiplier: scale },
        other => {
            return Err(super::to_py_err(Error::invalid(
                "kind",
                format!("expected \"ratio\" or \"rate\", got {other:?}"),
            )));
        }
    };
    let g = groups_of(groups.as_ref(), input.count.len(), "count")?
        .unwrap_or_else(|| Groups::single(input.count.len()));
    let res = py
        .detach(|| crate::indicators::isr_by(&input, &g, kind, &levels, missing_as_zero))
        .py_err()?;
    let dict = PyDict::new(py);
    let items: Vec<&Indicator> = res.results.iter().map(|r| &r.indicator).collect();
    put_indicators(&dict, &items, &levels)?;
    dict.set_item(
        "observed",
        arr(py, res.results.iter().map(|r| r.observed).collect()),
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

/// Life expectancy at every band start age, per group.
#[pyfunction]
#[pyo3(signature = (deaths, population, age_start, levels, layout=None, min_population=Some(5000.0), max_ci_width=Some(20.0), groups=None))]
fn indicator_life_expectancy<'py>(
    py: Python<'py>,
    deaths: F64<'py>,
    population: F64<'py>,
    age_start: F64<'py>,
    levels: Vec<f64>,
    layout: Option<Vec<f64>>,
    min_population: Option<f64>,
    max_ci_width: Option<f64>,
    groups: Option<I64<'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (d, p, a) = (
        deaths.as_slice()?,
        population.as_slice()?,
        age_start.as_slice()?,
    );
    let codes = opt_codes(groups.as_ref())?;
    let opts = LifeTableOptions {
        levels,
        layout,
        min_population,
        max_ci_width,
    };
    let (table, note_codes, note_categories) = py
        .detach(|| {
            let g = Groups::new(codes, d.len(), "deaths")?;
            let t = crate::indicators::life_tables_by(d, p, a, &g, &opts)?;
            let (codes, categories) = life_table_notes(&t);
            Ok::<_, Error>((t.into_columns(), codes, categories))
        })
        .py_err()?;
    let dict = PyDict::new(py);
    let n = table.age.len();
    dict.set_item("value", arr(py, table.value))?;
    let lower = PyList::empty(py);
    for c in table.lower {
        lower.append(arr(py, c))?;
    }
    let upper = PyList::empty(py);
    for c in table.upper {
        upper.append(arr(py, c))?;
    }
    dict.set_item("lower", lower)?;
    dict.set_item("upper", upper)?;
    dict.set_item("method_codes", PyArray1::from_vec(py, vec![0i8; n]))?;
    dict.set_item(
        "method_categories",
        vec![crate::indicators::life_table::METHOD],
    )?;
    dict.set_item("note_codes", PyArray1::from_vec(py, note_codes))?;
    dict.set_item("note_categories", note_categories)?;
    dict.set_item("age", arr(py, table.age))?;
    dict.set_item("se", arr(py, table.se))?;
    dict.set_item("population_used", arr(py, table.population_used))?;
    dict.set_item("deaths_used", arr(py, table.deaths_used))?;
    // Group keys: the first input row of each group and its number of output
    // rows (the Python layer repeats the keys; no index per output row).
    let sizes: Vec<i64> = table
        .offsets
        .windows(2)
        .map(|w| (w[1] - w[0]) as i64)
        .collect();
    dict.set_item("first_row", rows_array(py, table.first_row))?;
    dict.set_item("group_size", PyArray1::from_vec(py, sizes))?;
    Ok(dict)
}

/// The note column of life tables as categorical codes (`-1` = none) and
/// their sentences: one category per kind of note (per group total for the
/// small-population note, whose sentence names it).
fn life_table_notes(t: &crate::indicators::LifeTables) -> (Vec<i32>, Vec<String>) {
    use crate::indicators::LifeTableNote;
    let mut keys: Vec<(LifeTableNote, u64)> = Vec::new();
    let mut categories = Vec::new();
    let mut codes = Vec::with_capacity(t.len());
    let mut last: Option<((LifeTableNote, u64), i32)> = None;
    for g in 0..t.groups() {
        let rows = t.group(g);
        let total = t.population_used()[rows.start].to_bits();
        for i in rows {
            let Some(note) = t.note(i) else {
                codes.push(-1);
                continue;
            };
            let key = match note {
                LifeTableNote::SmallPopulation => (note, total),
                _ => (note, 0),
            };
            let code = match last {
                Some((k, c)) if k == key => c,
                _ => {
                    let c = if let Some(c) = keys.iter().position(|k| *k == key) {
                        c as i32
                    } else {
                        keys.push(key);
                        categories.push(t.note_text(i).unwrap_or_default());
                        keys.len() as i32 - 1
                    };
                    last = Some((key, c));
                    c
                }
            };
            codes.push(code);
        }
    }
    (codes, categories)
}

/// SII and RII per group.
#[pyfunction]
#[pyo3(signature = (quantile, population, value, levels, se=None, lower=None, upper=None, input_level=0.95, value_type="normal", transform=false, multiplier=1.0, method="simulation", repetitions=100_000, seed=0, min_quantiles=5, groups=None))]
fn indicator_sii<'py>(
    py: Python<'py>,
    quantile: F64<'py>,
    population: F64<'py>,
    value: F64<'py>,
    levels: Vec<f64>,
    se: Option<F64<'py>>,
    lower: Option<F64<'py>>,
    upper: Option<F64<'py>>,
    input_level: f64,
    value_type: &str,
    transform: bool,
    multiplier: f64,
    method: &str,
    repetitions: usize,
    seed: u64,
    min_quantiles: usize,
    groups: Option<I64<'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let input = SiiInput {
        quantile: quantile.as_slice()?,
        population: population.as_slice()?,
        value: value.as_slice()?,
        se: opt_slice(se.as_ref())?,
        lower: opt_slice(lower.as_ref())?,
        upper: opt_slice(upper.as_ref())?,
        input_level,
    };
    let value_type = match value_type {
        "normal" => ValueType::Normal,
        "rate" => ValueType::Rate,
        "proportion" => ValueType::Proportion,
        other => {
            return Err(super::to_py_err(Error::invalid(
                "value_type",
                format!("expected \"normal\", \"rate\" or \"proportion\", got {other:?}"),
            )));
        }
    };
    let method = match method {
        "simulation" => SiiMethod::Simulation { repetitions, seed },
        "analytic" => SiiMethod::Analytic,
        other => {
            return Err(super::to_py_err(Error::invalid(
                "method",
                format!("expected \"simulation\" or \"analytic\", got {other:?}"),
            )));
        }
    };
    let opts = SiiOptions {
        value_type,
        transform,
        multiplier,
        levels: levels.clone(),
        method,
        min_quantiles,
    };
    let n = input.value.len();
    let g = groups_of(groups.as_ref(), n, "value")?.unwrap_or_else(|| Groups::single(n));
    let res = py
        .detach(|| crate::indicators::sii_by(&input, &g, &opts))
        .py_err()?;
    let r = &res.results;
    let dict = PyDict::new(py);
    dict.set_item("sii", arr(py, r.iter().map(|x| x.sii).collect()))?;
    dict.set_item("rii", arr(py, r.iter().map(|x| x.rii).collect()))?;
    dict.set_item(
        "intercept",
        arr(py, r.iter().map(|x| x.intercept).collect()),
    )?;
    for (name, pick) in [("sii", 0), ("rii", 1)] {
        let lo = PyList::empty(py);
        let hi = PyList::empty(py);
        for k in 0..levels.len() {
            let lim = |x: &crate::indicators::SiiResult| {
                if pick == 0 {
                    x.sii_limits[k]
                } else {
                    x.rii_limits[k]
                }
            };
            lo.append(arr(py, r.iter().map(|x| nan(lim(x).lower)).collect()))?;
            hi.append(arr(py, r.iter().map(|x| nan(lim(x).upper)).collect()))?;
        }
        dict.set_item(format!("{name}_lower"), lo)?;
        dict.set_item(format!("{name}_upper"), hi)?;
    }
    dict.set_item(
        "quantiles",
        r.iter().map(|x| x.quantiles).collect::<Vec<_>>(),
    )?;
    put_text(&dict, "method", r.iter().map(|x| Some(x.method.as_str())))?;
    put_text(&dict, "note", r.iter().map(|x| x.note.as_deref()))?;
    dict.set_item("first_row", rows_array(py, res.first_row))?;
    Ok(dict)
}

/// Quantile of each value within its group (-1 = none).
#[pyfunction]
#[pyo3(signature = (values, nquantiles, invert, groups=None))]
fn indicator_quantile<'py>(
    py: Python<'py>,
    values: F64<'py>,
    nquantiles: usize,
    invert: Vec<bool>,
    groups: Option<I64<'py>>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let v = values.as_slice()?;
    let g =
        groups_of(groups.as_ref(), v.len(), "values")?.unwrap_or_else(|| Groups::single(v.len()));
    let q = py
        .detach(|| crate::indicators::quantiles_by(v, &g, nquantiles, &invert))
        .py_err()?;
    Ok(PyArray1::from_vec(
        py,
        q.into_iter().map(|q| q.map_or(-1, i64::from)).collect(),
    ))
}

/// Funnel control limits at the points `x` (population, observed events).
/// Returns one dict per level with lower/upper (and expected/population).
#[pyfunction]
#[pyo3(signature = (statistic, x, levels, baseline=f64::NAN, multiplier=1.0, ratio_type="count", years=1.0))]
fn indicator_funnel_limits<'py>(
    py: Python<'py>,
    statistic: &str,
    x: F64<'py>,
    levels: Vec<f64>,
    baseline: f64,
    multiplier: f64,
    ratio_type: &str,
    years: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let xs = x.as_slice()?;
    let res = match statistic {
        "proportion" => funnel::proportion_limits(baseline, xs, &levels, multiplier),
        "ratio" => {
            let t = match ratio_type {
                "count" => funnel::RatioType::Count,
                "isr" => funnel::RatioType::Isr,
                other => {
                    return Err(super::to_py_err(Error::invalid(
                        "ratio_type",
                        format!("expected \"count\" or \"isr\", got {other:?}"),
                    )));
                }
            };
            funnel::ratio_limits(xs, &levels, t)
        }
        "rate" => funnel::rate_limits(xs, baseline, multiplier, years, &levels),
        other => {
            return Err(super::to_py_err(Error::invalid(
                "statistic",
                format!("expected \"proportion\", \"ratio\" or \"rate\", got {other:?}"),
            )));
        }
    }
    .py_err()?;
    let dict = PyDict::new(py);
    let (lo, hi, elo, ehi) = (
        PyList::empty(py),
        PyList::empty(py),
        PyList::empty(py),
        PyList::empty(py),
    );
    for k in 0..levels.len() {
        lo.append(arr(py, res.iter().map(|p| p[k].lower).collect()))?;
        hi.append(arr(py, res.iter().map(|p| p[k].upper).collect()))?;
        elo.append(arr(
            py,
            res.iter().map(|p| nan(p[k].lower_expected)).collect(),
        ))?;
        ehi.append(arr(
            py,
            res.iter().map(|p| nan(p[k].upper_expected)).collect(),
        ))?;
    }
    dict.set_item("lower", lo)?;
    dict.set_item("upper", hi)?;
    dict.set_item("lower_expected", elo)?;
    dict.set_item("upper_expected", ehi)?;
    Ok(dict)
}

/// Baseline rate for a rate funnel (see `funnel::rate_baseline`).
#[pyfunction]
#[pyo3(signature = (observed, multiplier, denominator=None, rate=None))]
fn indicator_funnel_rate_baseline<'py>(
    observed: F64<'py>,
    multiplier: f64,
    denominator: Option<F64<'py>>,
    rate: Option<F64<'py>>,
) -> PyResult<f64> {
    funnel::rate_baseline(
        observed.as_slice()?,
        opt_slice(denominator.as_ref())?,
        opt_slice(rate.as_ref())?,
        multiplier,
    )
    .py_err()
}

/// Significance labels per area.
#[pyfunction]
#[pyo3(signature = (statistic, numerator, denominator, levels, baseline=f64::NAN, multiplier=1.0, dsr=false))]
fn indicator_funnel_significance<'py>(
    py: Python<'py>,
    statistic: &str,
    numerator: F64<'py>,
    denominator: F64<'py>,
    levels: Vec<f64>,
    baseline: f64,
    multiplier: f64,
    dsr: bool,
) -> PyResult<Vec<String>> {
    let (num, den) = (numerator.as_slice()?, denominator.as_slice()?);
    py.detach(|| match statistic {
        "proportion" => funnel::proportion_significance(num, den, &levels),
        "ratio" => funnel::ratio_significance(num, den, &levels),
        "rate" => funnel::rate_significance(num, den, baseline, multiplier, dsr, &levels),
        other => Err(Error::invalid(
            "statistic",
            format!("expected \"proportion\", \"ratio\" or \"rate\", got {other:?}"),
        )),
    })
    .py_err()
}

/// jamlik's funnel x-axis (geometric, rounded, strictly increasing).
#[pyfunction]
fn indicator_funnel_axis(min: f64, max: f64, points: usize) -> PyResult<Vec<f64>> {
    funnel::axis(min, max, points).py_err()
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_counts, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_mean, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_dsr, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_esp2013, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_isr, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_life_expectancy, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_sii, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_quantile, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_rate_baseline, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_significance, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_funnel_axis, m)?)?;
    Ok(())
}
