//! Arrow in: objects exposing `__arrow_c_stream__` / `__arrow_c_array__`
//! (pyarrow, polars, pandas Arrow dtypes, DuckDB results, nanoarrow, arro3...)
//! read through the Arrow C interfaces (pyo3-arrow over arrow-rs), without a
//! pandas round trip.
//!
//! Numeric columns come out as float64 numpy arrays the core reads as slices:
//! a float64 column in one chunk without nulls is a read-only *view* of the
//! producer's buffer (zero-copy; the Arrow array stays alive as the view's
//! owner); other numeric types, several chunks or nulls are converted once,
//! nulls becoming NaN for the `missing=` policy to handle. Group keys (`by`)
//! are coded in Rust (first appearance), so no Python object per row is made.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use numpy::ndarray::ArrayView1;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::input::{AnyArray, AnyRecordBatch};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{ColumnError, InvalidArgumentError};

/// Columns handed over without a copy since the module was loaded (for tests).
static BORROWED: AtomicU64 = AtomicU64::new(0);

/// Keeps the Arrow buffer behind a zero-copy numpy view alive.
#[pyclass(frozen, module = "jamlik._jamlik")]
struct ArrowBufferOwner {
    _array: ArrayRef,
}

/// Numbers, booleans and dictionaries of numbers convert to float64; text,
/// dates and nested types do not.
fn numeric(dt: &DataType) -> bool {
    match dt {
        DataType::Dictionary(_, v) => numeric(v),
        DataType::Boolean | DataType::Null => true,
        other => other.is_numeric(),
    }
}

fn type_error(name: &str, dt: &DataType) -> PyErr {
    let what = if dt.is_temporal() {
        "dates or durations"
    } else {
        "a non-numeric type"
    };
    InvalidArgumentError::new_err(format!(
        "`{name}` must be numbers, got {what} (Arrow type {dt}); convert the column to numbers first"
    ))
}

/// Appends one chunk as float64, nulls as NaN.
fn push_f64(out: &mut Vec<f64>, chunk: &ArrayRef, name: &str) -> PyResult<()> {
    let cast;
    let floats = if chunk.data_type() == &DataType::Float64 {
        chunk.as_primitive::<Float64Type>()
    } else {
        cast = arrow_cast::cast(chunk, &DataType::Float64).map_err(|e| {
            InvalidArgumentError::new_err(format!("`{name}` could not be read as numbers: {e}"))
        })?;
        cast.as_primitive::<Float64Type>()
    };
    if floats.null_count() == 0 {
        out.extend_from_slice(floats.values());
    } else {
        out.extend(floats.iter().map(|v| v.unwrap_or(f64::NAN)));
    }
    Ok(())
}

/// float64 numpy array of `chunks`: a read-only view for one float64 chunk
/// without nulls, one conversion otherwise.
fn float_column<'py>(
    py: Python<'py>,
    chunks: &[ArrayRef],
    dt: &DataType,
    name: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    if !numeric(dt) {
        return Err(type_error(name, dt));
    }
    if let [chunk] = chunks
        && chunk.data_type() == &DataType::Float64
        && chunk.null_count() == 0
    {
        let values: &[f64] = chunk.as_primitive::<Float64Type>().values();
        let owner = Bound::new(
            py,
            ArrowBufferOwner {
                _array: chunk.clone(),
            },
        )?;
        let view = ArrayView1::from(values);
        // SAFETY: `values` lives in the Arrow buffer that `owner` keeps alive
        // (an immutable, reference-counted allocation that is never
        // reallocated); the numpy array is made read-only below.
        let arr = unsafe { PyArray1::borrow_from_array(&view, owner.into_any()) };
        arr.getattr("flags")?.setattr("writeable", false)?;
        BORROWED.fetch_add(1, Ordering::Relaxed);
        return Ok(arr);
    }
    let len = chunks.iter().map(|c| c.len()).sum();
    let mut out = Vec::with_capacity(len);
    for chunk in chunks {
        push_f64(&mut out, chunk, name)?;
    }
    Ok(PyArray1::from_vec(py, out))
}

/// One column (any `__arrow_c_array__` / `__arrow_c_stream__` array) as float64.
#[pyfunction]
fn arrow_float_column<'py>(
    py: Python<'py>,
    values: AnyArray,
    name: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let chunked = values.into_chunked_array()?;
    let dt = chunked.data_type().clone();
    float_column(py, chunked.chunks(), &dt, name)
}

/// How many columns were handed over without a copy (zero-copy check in tests).
#[pyfunction]
fn arrow_borrowed_count() -> u64 {
    BORROWED.load(Ordering::Relaxed)
}

/// A table read once from any Arrow stream or record batch; columns are
/// taken from it by name (the stream itself may be readable only once).
#[pyclass(frozen, module = "jamlik._jamlik")]
pub(crate) struct ArrowFrame {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowFrame {
    fn index(&self, name: &str, argument: &str) -> PyResult<usize> {
        self.schema.index_of(name).map_err(|_| {
            let have: Vec<String> = self
                .schema
                .fields()
                .iter()
                .map(|f| format!("{:?}", f.name()))
                .collect();
            ColumnError::new_err(format!(
                "`{argument}` has no column {name:?}. It has {}.",
                have.join(", ")
            ))
        })
    }

    fn chunks(&self, i: usize) -> Vec<ArrayRef> {
        self.batches.iter().map(|b| b.column(i).clone()).collect()
    }
}

/// Dense codes by first appearance of one key column (nulls are one key).
fn key_codes(chunks: &[ArrayRef], dt: &DataType, name: &str) -> PyResult<Vec<u32>> {
    let err =
        |e: arrow_schema::ArrowError| InvalidArgumentError::new_err(format!("`by` {name:?}: {e}"));
    let mut codes = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
    let integer = dt.is_integer()
        || matches!(dt, DataType::Dictionary(_, v) if v.is_integer())
        || dt == &DataType::Boolean;
    if integer {
        let mut map: HashMap<Option<i64>, u32> = HashMap::new();
        for chunk in chunks {
            let c = arrow_cast::cast(chunk, &DataType::Int64).map_err(err)?;
            for v in c.as_primitive::<Int64Type>() {
                let next = map.len() as u32;
                codes.push(*map.entry(v).or_insert(next));
            }
        }
    } else {
        // Text keys borrow from the converted chunks (no allocation per row).
        let text = chunks
            .iter()
            .map(|c| arrow_cast::cast(c, &DataType::Utf8).map_err(err))
            .collect::<PyResult<Vec<_>>>()?;
        let mut map: HashMap<Option<&str>, u32> = HashMap::new();
        for c in &text {
            for v in c.as_string::<i32>() {
                let next = map.len() as u32;
                codes.push(*map.entry(v).or_insert(next));
            }
        }
    }
    Ok(codes)
}

/// Combines per-column codes into one dense code per row (first appearance).
fn combine(columns: &[Vec<u32>], n: usize) -> Vec<i64> {
    let mut out: Vec<i64> = match columns.first() {
        Some(c) => c.iter().map(|&v| i64::from(v)).collect(),
        None => vec![0; n],
    };
    for col in columns.iter().skip(1) {
        let mut map: HashMap<u64, i64> = HashMap::new();
        for (o, &v) in out.iter_mut().zip(col) {
            let key = ((*o as u64) << 32) | u64::from(v);
            let next = map.len() as i64;
            *o = *map.entry(key).or_insert(next);
        }
    }
    out
}

/// A Python value of row `row` of `chunks` (ints and floats as numbers, the rest as text).
fn key_value<'py>(
    py: Python<'py>,
    chunks: &[ArrayRef],
    dt: &DataType,
    mut row: usize,
) -> PyResult<Bound<'py, PyAny>> {
    for chunk in chunks {
        if row >= chunk.len() {
            row -= chunk.len();
            continue;
        }
        let one = chunk.slice(row, 1);
        if one.null_count() == 1 {
            return Ok(py.None().into_bound(py));
        }
        let err = |e: arrow_schema::ArrowError| InvalidArgumentError::new_err(e.to_string());
        let plain = match dt {
            DataType::Dictionary(_, v) => v.as_ref(),
            other => other,
        };
        if plain.is_integer() {
            let c = arrow_cast::cast(&one, &DataType::Int64).map_err(err)?;
            return Ok(c.as_primitive::<Int64Type>().value(0).into_pyobject(py)?.into_any());
        }
        if plain.is_floating() {
            let c = arrow_cast::cast(&one, &DataType::Float64).map_err(err)?;
            return Ok(c.as_primitive::<Float64Type>().value(0).into_pyobject(py)?.into_any());
        }
        if plain == &DataType::Boolean {
            return Ok(one
                .as_boolean()
                .value(0)
                .into_pyobject(py)?
                .to_owned()
                .into_any());
        }
        let c = arrow_cast::cast(&one, &DataType::Utf8).map_err(err)?;
        return Ok(c.as_string::<i32>().value(0).into_pyobject(py)?.into_any());
    }
    Err(InvalidArgumentError::new_err(format!(
        "row {row} is past the end of the frame"
    )))
}

#[pymethods]
impl ArrowFrame {
    /// Reads an Arrow stream or record batch once (buffers are shared, not copied).
    #[new]
    fn new(data: AnyRecordBatch) -> PyResult<Self> {
        let reader = data.into_reader()?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| InvalidArgumentError::new_err(format!("could not read the Arrow stream: {e}")))?;
        Ok(Self { schema, batches })
    }

    /// Column names, in order.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    /// Number of rows.
    fn __len__(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Number of record batches (chunks).
    #[getter]
    fn num_chunks(&self) -> usize {
        self.batches.len()
    }

    /// True when the column is numbers (or booleans), so it converts to float64.
    fn is_numeric(&self, name: &str) -> PyResult<bool> {
        let i = self.index(name, "frame")?;
        Ok(numeric(self.schema.field(i).data_type()))
    }

    /// A numeric column as float64 (a zero-copy view where the layout allows).
    #[pyo3(signature = (name, *, argument="frame"))]
    fn float_column<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        argument: &str,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let i = self.index(name, argument)?;
        let dt = self.schema.field(i).data_type().clone();
        float_column(py, &self.chunks(i), &dt, &format!("{argument}[{name:?}]"))
    }

    /// Group codes of the key columns `names` (dense, by first appearance;
    /// a null is a key of its own) and the first row of every group.
    fn group_codes<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
    ) -> PyResult<(Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>)> {
        let n = self.__len__();
        let mut per_column = Vec::with_capacity(names.len());
        for name in &names {
            let i = self.index(name, "by")?;
            let dt = self.schema.field(i).data_type().clone();
            per_column.push(key_codes(&self.chunks(i), &dt, name)?);
        }
        let codes = py.detach(|| combine(&per_column, n));
        let mut first = Vec::new();
        for (row, &c) in codes.iter().enumerate() {
            if c as usize == first.len() {
                first.push(row as i64);
            }
        }
        Ok((PyArray1::from_vec(py, codes), PyArray1::from_vec(py, first)))
    }

    /// The values of the key columns at `rows` (one list per column).
    fn key_values<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        rows: Vec<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for name in &names {
            let i = self.index(name, "by")?;
            let dt = self.schema.field(i).data_type().clone();
            let chunks = self.chunks(i);
            let list = PyList::empty(py);
            for &r in &rows {
                list.append(key_value(py, &chunks, &dt, r)?)?;
            }
            out.set_item(name, list)?;
        }
        Ok(out)
    }

    /// The table as a pyarrow Table (needs pyarrow), for functions that need text columns.
    fn to_pyarrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let table = pyo3_arrow::PyTable::try_new(self.batches.clone(), self.schema.clone())?;
        table.into_pyarrow(py)
    }
}

/// Adds the Arrow readers to the native module.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ArrowFrame>()?;
    m.add_class::<ArrowBufferOwner>()?;
    m.add_function(wrap_pyfunction!(arrow_float_column, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_borrowed_count, m)?)?;
    Ok(())
}
