//! Python bindings for the goals area: catalogue, geography, demo dataset,
//! progress, gap closure, comparisons and the follow-up.
//!
//! Results cross the boundary as columnar dicts (lists and numpy arrays) that
//! `jamlik.goals` / `jamlik.report` turn into frames; the logic (area resolution,
//! choice of indicator and methods, the follow-up and its gaps) is in the core.

use super::IntoPyResult;
use crate::data::demo::{DemoData, DemoOptions, STATUS_CODES};
use crate::data::geography::{self, Geography};
use crate::error::Error;
use crate::goals::catalogue::{Catalogue, MergeMode};
use crate::goals::follow_up::{
    self as cmp, Column, FollowUpOptions, PanelIndex, PopulationIndex, Table,
};
use crate::goals::gap::{GapOptions, gap_closure as gap_core};
use crate::goals::model::Direction;
use crate::goals::progress::{self, Assessment, Term};
use crate::vocabulary::Sex;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

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
    d.set_item("status", PyArray1::from_vec(py, cols.status))?;
    d.set_item("pop_area", PyArray1::from_vec(py, pop.0))?;
    d.set_item("pop_year", PyArray1::from_vec(py, pop.1))?;
    d.set_item("pop_sex", PyArray1::from_vec(py, pop.2))?;
    d.set_item("pop_value", PyArray1::from_vec(py, pop.3))?;
    d.set_item("seed", data.seed())?;
    d.set_item("label", crate::data::demo::SYNTHETIC_LABEL)?;
    Ok(d)
}

fn opt_f64(x: Option<f64>) -> f64 {
    x.unwrap_or(f64::NAN)
}

/// Reads one number of an assessment (NaN when the method has none).
type NumberOf = dyn Fn(&Assessment) -> f64;

/// Population columns from Python: `(area, year, sex, population)`.
type PopulationColumns<'py> = (
    Vec<String>,
    PyReadonlyArray1<'py, f64>,
    Vec<String>,
    PyReadonlyArray1<'py, f64>,
);

/// Assessments as columns: `method, category, text` and the numbers behind them.
fn assessments<'py>(py: Python<'py>, items: &[Assessment]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let col = |f: &NumberOf| -> Vec<f64> { items.iter().map(f).collect() };
    d.set_item(
        "method",
        items.iter().map(|a| a.method.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "category",
        items.iter().map(|a| a.category.label()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "text",
        items.iter().map(|a| a.text.clone()).collect::<Vec<_>>(),
    )?;
    let numbers: [(&str, &NumberOf); 13] = [
        ("baseline_year", &|a| f64::from(a.numbers.baseline_year)),
        ("baseline", &|a| a.numbers.baseline),
        ("year", &|a| f64::from(a.numbers.year)),
        ("value", &|a| a.numbers.value),
        ("change", &|a| a.numbers.change),
        ("target_value", &|a| opt_f64(a.numbers.target_value)),
        ("target_year", &|a| {
            opt_f64(a.numbers.target_year.map(f64::from))
        }),
        ("required_change", &|a| opt_f64(a.numbers.required_change)),
        ("share_of_required", &|a| {
            opt_f64(a.numbers.share_of_required)
        }),
        ("cagr", &|a| opt_f64(a.numbers.cagr)),
        ("required_cagr", &|a| opt_f64(a.numbers.required_cagr)),
        ("ratio", &|a| opt_f64(a.numbers.ratio)),
        ("projected", &|a| opt_f64(a.numbers.projected)),
    ];
    for (name, f) in numbers {
        d.set_item(name, PyArray1::from_vec(py, col(f)))?;
    }
    Ok(d)
}

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

/// One progress assessment of a `(years, values)` series, as columns.
#[pyfunction]
#[pyo3(signature = (years, values, direction, method="eurostat", term="short", target_value=None, target_year=None, baseline_year=None, at=None))]
fn assess_series<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    direction: &str,
    method: &str,
    term: &str,
    target_value: Option<f64>,
    target_year: Option<i32>,
    baseline_year: Option<i32>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let series = years_values(years.as_slice()?, values.as_slice()?).py_err()?;
    let direction: Direction = direction.parse().py_err()?;
    let a = match method {
        "eurostat" => {
            let term: Term = term.parse().py_err()?;
            let target = match (target_value, target_year) {
                (Some(v), Some(y)) => Some((v, y)),
                (None, None) => None,
                _ => {
                    return Err(Error::invalid(
                        "target",
                        "give both target and target_year, or neither",
                    ))
                    .py_err();
                }
            };
            progress::eurostat(&series, direction, target, term, at)
        }
        "un" | "un_progress_chart" => {
            let (Some(v), Some(y)) = (target_value, target_year) else {
                return Err(Error::invalid(
                    "target",
                    "the UN progress chart needs target and target_year",
                ))
                .py_err();
            };
            progress::un_progress_chart(&series, direction, v, y, baseline_year, at)
        }
        other => Err(Error::invalid(
            "method",
            format!("expected \"eurostat\" or \"un\" for a series without a goal, got {other:?}"),
        )),
    }
    .py_err()?;
    assessments(py, std::slice::from_ref(&a))
}

/// Every applicable assessment of a series against a catalogue goal's target, as columns.
#[pyfunction]
#[pyo3(signature = (years, values, goal_id, kpi=None, catalogue=None, at=None))]
fn assess_goal_series<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray1<'_, f64>,
    goal_id: &str,
    kpi: Option<&str>,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let series = years_values(years.as_slice()?, values.as_slice()?).py_err()?;
    let cat = load(catalogue).py_err()?;
    let goal = cat.goal(goal_id).py_err()?;
    let ind = goal.indicator_for(kpi).py_err()?;
    let items = progress::assess_indicator(&series, ind, &goal.target, at).py_err()?;
    assessments(py, &items)
}

/// Every applicable assessment of one area's series in long columns against a
/// catalogue goal (the core picks the indicator, the Kolada row and the methods).
#[pyfunction]
#[pyo3(signature = (kpi, area, year, sex, value, goal_id, municipality, indicator_kpi=None, row_sex="T", catalogue=None, at=None))]
fn assess_goal<'py>(
    py: Python<'py>,
    kpi: Vec<String>,
    area: Vec<String>,
    year: PyReadonlyArray1<'_, f64>,
    sex: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    goal_id: &str,
    municipality: &str,
    indicator_kpi: Option<&str>,
    row_sex: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let (year, value) = (year.as_slice()?, value.as_slice()?);
    let items = py
        .detach(|| -> crate::Result<_> {
            let row_sex: Sex = row_sex.parse()?;
            let idx = index(kpi, area, year, &sex, value)?;
            let geo = Geography::embedded()?;
            let id = geo.find(municipality)?.id.clone();
            let cat = load(catalogue)?;
            let goal = cat.goal(goal_id)?;
            progress::assess_goal(&idx, goal, indicator_kpi, &id, row_sex, at)
        })
        .py_err()?;
    assessments(py, &items)
}

/// Gap closure of a gap series: a dict of scalars.
#[pyfunction]
#[pyo3(signature = (years, gaps, generation_years=25.0, level=0.95))]
fn gap_closure<'py>(
    py: Python<'py>,
    years: PyReadonlyArray1<'_, f64>,
    gaps: PyReadonlyArray1<'_, f64>,
    generation_years: f64,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let pts = years_values(years.as_slice()?, gaps.as_slice()?).py_err()?;
    let (y, g): (Vec<i32>, Vec<f64>) = pts.into_iter().unzip();
    let r = gap_core(
        &y,
        &g,
        &GapOptions {
            generation_years,
            level,
        },
    )
    .py_err()?;
    let d = PyDict::new(py);
    d.set_item("n", r.n)?;
    d.set_item("first_year", r.first_year)?;
    d.set_item("last_year", r.last_year)?;
    d.set_item("latest_gap", r.latest_gap)?;
    d.set_item("fitted_latest_gap", r.fitted_latest_gap)?;
    d.set_item("slope", r.slope.value)?;
    d.set_item("slope_se", opt_f64(r.slope.se))?;
    d.set_item("slope_lower", opt_f64(r.slope.lower))?;
    d.set_item("slope_upper", opt_f64(r.slope.upper))?;
    d.set_item("level", r.slope.level)?;
    d.set_item("closure_year", opt_f64(r.closure_year))?;
    d.set_item("closure_year_earliest", opt_f64(r.closure_year_range.0))?;
    d.set_item("closure_year_latest", opt_f64(r.closure_year_range.1))?;
    d.set_item("generation_years", r.generation_years)?;
    d.set_item("required_annual_change", r.required_annual_change)?;
    d.set_item("pace_ratio", opt_f64(r.pace_ratio))?;
    d.set_item("text", r.text)?;
    Ok(d)
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
#[pyo3(signature = (kpi, area, year, sex, value, municipality, catalogue=None, at=None))]
fn follow_up<'py>(
    py: Python<'py>,
    kpi: Vec<String>,
    area: Vec<String>,
    year: PyReadonlyArray1<'_, f64>,
    sex: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    municipality: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
) -> PyResult<Bound<'py, PyDict>> {
    let (year, value) = (year.as_slice()?, value.as_slice()?);
    let f = py
        .detach(|| -> crate::Result<_> {
            let idx = index(kpi, area, year, &sex, value)?;
            let geo = Geography::embedded()?;
            let cat = load(catalogue)?;
            let o = FollowUpOptions {
                at,
                ..FollowUpOptions::default()
            };
            cmp::follow_up(&idx, &geo, &cat, municipality, &o)
        })
        .py_err()?;
    follow_up_dict(py, &f)
}

/// The gaps section of a municipality's follow-up from long columns, weighted by
/// the population columns when given (else every municipality weighs the same).
#[pyfunction]
#[pyo3(signature = (kpi, area, year, sex, value, municipality, catalogue=None, at=None, generation_years=25.0, population=None))]
fn follow_up_gaps<'py>(
    py: Python<'py>,
    kpi: Vec<String>,
    area: Vec<String>,
    year: PyReadonlyArray1<'_, f64>,
    sex: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    municipality: &str,
    catalogue: Option<&str>,
    at: Option<i32>,
    generation_years: f64,
    population: Option<PopulationColumns<'_>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (year, value) = (year.as_slice()?, value.as_slice()?);
    let pop = match &population {
        Some((a, y, s, p)) => Some((a, y.as_slice()?, s, p.as_slice()?)),
        None => None,
    };
    let (f, g) = py
        .detach(|| -> crate::Result<_> {
            let idx = index(kpi, area, year, &sex, value)?;
            let geo = Geography::embedded()?;
            let cat = load(catalogue)?;
            let o = FollowUpOptions {
                at,
                generation_years,
            };
            let f = cmp::follow_up(&idx, &geo, &cat, municipality, &o)?;
            let g = match pop {
                Some((a, y, s, p)) => {
                    let w = PopulationIndex::from_columns(
                        a,
                        &whole_years("population year", y)?,
                        &sexes(s)?,
                        p,
                    )?;
                    cmp::gaps(&idx, &w, &geo, &cat, &f, &o)?
                }
                None => cmp::gaps(&idx, &cmp::EqualWeights, &geo, &cat, &f, &o)?,
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
#[pyo3(signature = (kpi, area, year, sex, value, target_kpi, municipality, at_year=None, row_sex="T"))]
fn compare_areas<'py>(
    py: Python<'py>,
    kpi: Vec<String>,
    area: Vec<String>,
    year: PyReadonlyArray1<'_, f64>,
    sex: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    target_kpi: &str,
    municipality: &str,
    at_year: Option<i32>,
    row_sex: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let (year, value) = (year.as_slice()?, value.as_slice()?);
    let c = py
        .detach(|| -> crate::Result<_> {
            let row_sex: Sex = row_sex.parse()?;
            let idx = index(kpi, area, year, &sex, value)?;
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
            cmp::compare_area(&idx, &geo, target_kpi, row_sex, &id, y)
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
#[pyo3(signature = (kpi, area, year, sex, value, indicator_kpi, municipality, at_year=None, catalogue=None))]
fn women_vs_men<'py>(
    py: Python<'py>,
    kpi: Vec<String>,
    area: Vec<String>,
    year: PyReadonlyArray1<'_, f64>,
    sex: Vec<String>,
    value: PyReadonlyArray1<'_, f64>,
    indicator_kpi: &str,
    municipality: &str,
    at_year: Option<i32>,
    catalogue: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let (year, value) = (year.as_slice()?, value.as_slice()?);
    let (id, y, g) = py
        .detach(|| -> crate::Result<_> {
            let idx = index(kpi, area, year, &sex, value)?;
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
            let g = y.and_then(|y| cmp::women_vs_men(&idx, ind, &id, y));
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

/// The Kolada id of an area given by id or name (resolved by `Geography::find`).
#[pyfunction]
fn find_area(query: &str) -> PyResult<String> {
    let geo = Geography::embedded().py_err()?;
    Ok(geo.find(query).py_err()?.id.clone())
}

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(catalogue_json, m)?)?;
    m.add_function(wrap_pyfunction!(load_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(geography_columns, m)?)?;
    m.add_function(wrap_pyfunction!(demo_columns, m)?)?;
    m.add_function(wrap_pyfunction!(assess_series, m)?)?;
    m.add_function(wrap_pyfunction!(assess_goal_series, m)?)?;
    m.add_function(wrap_pyfunction!(assess_goal, m)?)?;
    m.add_function(wrap_pyfunction!(gap_closure, m)?)?;
    m.add_function(wrap_pyfunction!(follow_up, m)?)?;
    m.add_function(wrap_pyfunction!(follow_up_gaps, m)?)?;
    m.add_function(wrap_pyfunction!(compare_areas, m)?)?;
    m.add_function(wrap_pyfunction!(women_vs_men, m)?)?;
    m.add_function(wrap_pyfunction!(find_area, m)?)?;
    Ok(())
}
