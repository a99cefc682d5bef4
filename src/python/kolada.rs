//! Python bindings for Kolada ingestion (`jamlik.kolada` wraps these).
//!
//! Data come back as a dict of columns named by [`parse::COLUMNS`] (`kpi`, `area`,
//! `year`, `sex`, `value`, `count`, `status`: Kolada's `municipality`, `period` and
//! `gender` renamed where the JSON is parsed): strings as lists, numbers as numpy arrays with NaN
//! where Kolada sent `null` (JSON has no NaN, so NaN here always means "no value").
//! Network, cache and parsing run with the GIL released.

use super::IntoPyResult;
use crate::data::Observation;
use crate::data::kolada::{
    self, Api, Client, ClientConfig, DataQuery, Entity, ParseOptions, parse,
};
use numpy::PyArray1;
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// Adds this area's functions to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(kolada_parse, m)?)?;
    m.add_function(wrap_pyfunction!(kolada_parse_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(kolada_fetch, m)?)?;
    m.add_function(wrap_pyfunction!(kolada_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(kolada_clear_cache, m)?)?;
    m.add("KOLADA_ATTRIBUTION", kolada::ATTRIBUTION)?;
    m.add("KOLADA_LICENCE", kolada::LICENCE)?;
    m.add("KOLADA_COLUMNS", parse::COLUMNS.to_vec())?;
    Ok(())
}

/// Python strings made once per distinct value: KPI ids, area ids, genders and statuses
/// repeat across rows, so each row only adds a reference.
struct Interner<'py> {
    py: Python<'py>,
    seen: HashMap<String, Py<PyAny>>,
}

impl<'py> Interner<'py> {
    fn new(py: Python<'py>) -> Self {
        Self {
            py,
            seen: HashMap::new(),
        }
    }

    fn get(&mut self, s: &str) -> Py<PyAny> {
        if let Some(v) = self.seen.get(s) {
            return v.clone_ref(self.py);
        }
        let v: Py<PyAny> = PyString::new(self.py, s).into_any().unbind();
        self.seen.insert(s.to_string(), v.clone_ref(self.py));
        v
    }
}

/// Observations as columns: strings as numpy object arrays (pandas takes them without
/// re-inferring), numbers as float64/int64 arrays.
fn columns(py: Python<'_>, obs: Vec<Observation>) -> PyResult<Bound<'_, PyDict>> {
    let n = obs.len();
    let mut strings = Interner::new(py);
    let mut kpi = Vec::with_capacity(n);
    let mut area = Vec::with_capacity(n);
    let mut year = Vec::with_capacity(n);
    let mut sex = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    let mut count = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    for o in &obs {
        kpi.push(strings.get(&o.kpi));
        area.push(strings.get(&o.area));
        year.push(i64::from(o.year));
        sex.push(strings.get(o.sex.code()));
        value.push(o.value.unwrap_or(f64::NAN));
        count.push(o.count.unwrap_or(f64::NAN));
        status.push(strings.get(&o.status));
    }
    drop(obs);
    let [c_kpi, c_area, c_year, c_sex, c_value, c_count, c_status] = parse::COLUMNS;
    let d = PyDict::new(py);
    d.set_item(c_kpi, PyArray1::from_vec(py, kpi))?;
    d.set_item(c_area, PyArray1::from_vec(py, area))?;
    d.set_item(c_year, PyArray1::from_vec(py, year))?;
    d.set_item(c_sex, PyArray1::from_vec(py, sex))?;
    d.set_item(c_value, PyArray1::from_vec(py, value))?;
    d.set_item(c_count, PyArray1::from_vec(py, count))?;
    d.set_item(c_status, PyArray1::from_vec(py, status))?;
    Ok(d)
}

fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    match v {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into_bound_py_any(py),
            (None, Some(f)) => f.into_bound_py_any(py),
            (None, None) => n.to_string().into_bound_py_any(py),
        },
        Value::String(s) => s.into_bound_py_any(py),
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| json_to_py(py, x))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_bound_py_any(py)
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_bound_py_any(py)
        }
    }
}

fn records<'py, T: serde::Serialize>(py: Python<'py>, rows: &[T]) -> PyResult<Bound<'py, PyList>> {
    let items = rows
        .iter()
        .map(|r| {
            let v = serde_json::to_value(r).map_err(|e| {
                super::to_py_err(crate::Error::Parse {
                    what: "Kolada metadata".into(),
                    reason: e.to_string(),
                })
            })?;
            json_to_py(py, &v)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

enum Metadata {
    Kpi(Vec<kolada::Kpi>),
    Municipality(Vec<kolada::Municipality>),
    Groups(Vec<kolada::Group>),
}

impl Metadata {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        match self {
            Metadata::Kpi(v) => records(py, v),
            Metadata::Municipality(v) => records(py, v),
            Metadata::Groups(v) => records(py, v),
        }
    }
}

/// Parses one Kolada data response (v2 or v3) into columns.
#[pyfunction]
#[pyo3(signature = (text, keep_deleted=false))]
fn kolada_parse<'py>(
    py: Python<'py>,
    text: &str,
    keep_deleted: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let obs = py
        .detach(|| parse::parse_data(text, ParseOptions { keep_deleted }))
        .py_err()?;
    columns(py, obs)
}

/// Parses one metadata response (`kpi`, `kpi_groups`, `municipality`,
/// `municipality_groups`) into a list of dicts.
#[pyfunction]
fn kolada_parse_metadata<'py>(
    py: Python<'py>,
    entity: &str,
    text: &str,
) -> PyResult<Bound<'py, PyList>> {
    let entity: Entity = entity.parse().py_err()?;
    let meta = py
        .detach(|| -> crate::Result<Metadata> {
            Ok(match entity {
                Entity::Kpi => Metadata::Kpi(parse::parse_kpi_page(text)?.values),
                Entity::Municipality => {
                    Metadata::Municipality(parse::parse_municipality_page(text)?.values)
                }
                Entity::KpiGroups | Entity::MunicipalityGroups => {
                    Metadata::Groups(parse::parse_group_page(text)?.values)
                }
            })
        })
        .py_err()?;
    meta.to_py(py)
}

fn seconds(arg: &'static str, s: f64) -> crate::Result<Duration> {
    if !(s.is_finite() && s >= 0.0) || s > 86_400.0 {
        return Err(crate::Error::invalid(
            arg,
            format!("must be a number of seconds in [0, 86400], got {s}"),
        ));
    }
    Ok(Duration::from_secs_f64(s))
}

/// The client options shared by the fetching functions, as Python passes them.
struct NetOptions {
    cache_dir: Option<PathBuf>,
    offline: bool,
    api: String,
    base_url: Option<String>,
    allow_http: bool,
    timeout: f64,
    connect_timeout: f64,
    retries: u32,
    backoff: f64,
    max_retry_after: f64,
    max_response_bytes: u64,
    per_page: Option<u32>,
}

impl NetOptions {
    fn config(self, keep_deleted: bool) -> crate::Result<ClientConfig> {
        let api: Api = self.api.parse()?;
        let mut c = ClientConfig::for_api(api);
        if let Some(b) = self.base_url {
            c.base_url = b;
        }
        c.allow_insecure_http = self.allow_http;
        c.timeout = seconds("timeout", self.timeout)?;
        if c.timeout.is_zero() {
            return Err(crate::Error::invalid("timeout", "must be positive"));
        }
        c.connect_timeout = seconds("connect_timeout", self.connect_timeout)?;
        if c.connect_timeout.is_zero() {
            return Err(crate::Error::invalid("connect_timeout", "must be positive"));
        }
        c.retries = self.retries;
        c.backoff_initial = seconds("backoff", self.backoff)?;
        c.backoff_max = c.backoff_max.max(c.backoff_initial);
        c.max_retry_after = seconds("max_retry_after", self.max_retry_after)?;
        c.max_response_bytes = self.max_response_bytes;
        c.per_page = self.per_page;
        c.cache_dir = self.cache_dir;
        c.offline = self.offline;
        c.keep_deleted = keep_deleted;
        Ok(c)
    }
}

/// Fetches Kolada data (all pages, ≤25 ids per request) into columns.
#[pyfunction]
#[pyo3(signature = (kpis, municipalities, years, *, cache_dir=None, offline=false, api="v3",
    base_url=None, allow_http=false, timeout=30.0, connect_timeout=10.0, retries=4, backoff=0.5,
    max_retry_after=120.0, max_response_bytes=536_870_912,
    per_page=None, keep_deleted=false))]
fn kolada_fetch<'py>(
    py: Python<'py>,
    kpis: Vec<String>,
    municipalities: Vec<String>,
    years: Vec<i32>,
    cache_dir: Option<PathBuf>,
    offline: bool,
    api: &str,
    base_url: Option<String>,
    allow_http: bool,
    timeout: f64,
    connect_timeout: f64,
    retries: u32,
    backoff: f64,
    max_retry_after: f64,
    max_response_bytes: u64,
    per_page: Option<u32>,
    keep_deleted: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = NetOptions {
        cache_dir,
        offline,
        api: api.to_string(),
        base_url,
        allow_http,
        timeout,
        connect_timeout,
        retries,
        backoff,
        max_retry_after,
        max_response_bytes,
        per_page,
    }
    .config(keep_deleted)
    .py_err()?;
    let query = DataQuery {
        kpis,
        municipalities,
        years,
    };
    // Bad queries fail before anything touches the disk or the network.
    kolada::url::data_urls(&cfg.base_url, &query, cfg.per_page).py_err()?;
    let obs = py.detach(|| Client::new(cfg)?.data(&query)).py_err()?;
    columns(py, obs)
}

/// Fetches metadata records as a list of dicts.
#[pyfunction]
#[pyo3(signature = (entity, ids=None, title=None, *, cache_dir=None, offline=false, api="v3",
    base_url=None, allow_http=false, timeout=30.0, connect_timeout=10.0, retries=4, backoff=0.5,
    max_retry_after=120.0, max_response_bytes=536_870_912,
    per_page=None))]
fn kolada_metadata<'py>(
    py: Python<'py>,
    entity: &str,
    ids: Option<Vec<String>>,
    title: Option<String>,
    cache_dir: Option<PathBuf>,
    offline: bool,
    api: &str,
    base_url: Option<String>,
    allow_http: bool,
    timeout: f64,
    connect_timeout: f64,
    retries: u32,
    backoff: f64,
    max_retry_after: f64,
    max_response_bytes: u64,
    per_page: Option<u32>,
) -> PyResult<Bound<'py, PyList>> {
    let entity: Entity = entity.parse().py_err()?;
    let cfg = NetOptions {
        cache_dir,
        offline,
        api: api.to_string(),
        base_url,
        allow_http,
        timeout,
        connect_timeout,
        retries,
        backoff,
        max_retry_after,
        max_response_bytes,
        per_page,
    }
    .config(false)
    .py_err()?;
    let ids = ids.unwrap_or_default();
    kolada::url::metadata_urls(&cfg.base_url, entity, &ids, title.as_deref(), cfg.per_page)
        .py_err()?;
    let meta = py
        .detach(|| -> crate::Result<Metadata> {
            let client = Client::new(cfg)?;
            let t = title.as_deref();
            Ok(match entity {
                Entity::Kpi => Metadata::Kpi(client.kpis(&ids, t)?),
                Entity::Municipality => Metadata::Municipality(client.municipalities(&ids, t)?),
                Entity::MunicipalityGroups => {
                    Metadata::Groups(client.municipality_groups(&ids, t)?)
                }
                Entity::KpiGroups => Metadata::Groups(client.kpi_groups(&ids, t)?),
            })
        })
        .py_err()?;
    meta.to_py(py)
}

/// Removes every cached response (and stray temporary files) from a cache directory;
/// returns the number of files removed.
#[pyfunction]
fn kolada_clear_cache(py: Python<'_>, cache_dir: PathBuf) -> PyResult<usize> {
    py.detach(|| kolada::Cache::open(cache_dir)?.clear())
        .py_err()
}

// The Python default of `max_response_bytes` is written out in the signatures above.
const _: () = assert!(ClientConfig::DEFAULT_MAX_RESPONSE_BYTES == 536_870_912);
