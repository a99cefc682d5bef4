//! Life expectancy (Chiang II life tables) per group.

use super::{F64, I64, arr, opt_codes, rows_array};
use crate::Error;
use crate::indicators::{Groups, LifeTableNote, LifeTableOptions, LifeTables};
use crate::python::IntoPyResult;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Life expectancy at every band start age, per group; `count` is the deaths.
#[pyfunction]
#[pyo3(signature = (count, population, age_start, levels, layout=None, min_population=Some(5000.0), max_ci_width=Some(20.0), groups=None, missing="error"))]
fn indicator_life_expectancy<'py>(
    py: Python<'py>,
    count: F64<'py>,
    population: F64<'py>,
    age_start: F64<'py>,
    levels: Vec<f64>,
    layout: Option<Vec<f64>>,
    min_population: Option<f64>,
    max_ci_width: Option<f64>,
    groups: Option<I64<'py>>,
    missing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let (d, p, a) = (
        count.as_slice()?,
        population.as_slice()?,
        age_start.as_slice()?,
    );
    let codes = opt_codes(groups.as_ref())?;
    let opts = LifeTableOptions {
        levels,
        layout,
        min_population,
        max_ci_width,
        missing: super::missing(missing)?,
    };
    let (table, note_codes, note_categories) = py
        .detach(|| {
            let g = Groups::new(codes, d.len(), "count")?;
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
    dict.set_item("population", arr(py, table.population))?;
    dict.set_item("count", arr(py, table.count))?;
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
fn life_table_notes(t: &LifeTables) -> (Vec<i32>, Vec<String>) {
    let mut keys: Vec<(LifeTableNote, u64)> = Vec::new();
    let mut categories = Vec::new();
    let mut codes = Vec::with_capacity(t.len());
    let mut last: Option<((LifeTableNote, u64), i32)> = None;
    for g in 0..t.groups() {
        let rows = t.group(g);
        let total = t.population()[rows.start].to_bits();
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

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indicator_life_expectancy, m)?)?;
    Ok(())
}
