//! Arrow in: objects exposing `__arrow_c_stream__` / `__arrow_c_array__`
//! (pyarrow, polars, pandas Arrow dtypes, DuckDB results, nanoarrow, arro3...)
//! read through the Arrow C data and stream interfaces (the PyCapsule
//! protocol, imported with arrow-rs's `ffi`), without a pandas round trip.
//!
//! Numeric columns come out as float64 numpy arrays the core reads as slices:
//! a float64 column in one chunk without nulls is a read-only *view* of the
//! producer's buffer (zero-copy; the Arrow array stays alive as the view's
//! owner); other numeric types, several chunks or nulls are converted once,
//! nulls becoming NaN for the `missing=` policy to handle. Group keys (`by`)
//! are coded in Rust (first appearance), so no Python object per row is made.

use arrow_array::cast::AsArray;
use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi, from_ffi_and_data_type};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, RecordBatch, RecordBatchIterator, RecordBatchOptions, make_array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use numpy::PyArray1;
use numpy::ndarray::ArrayView1;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};
use std::collections::HashMap;
use std::ffi::CStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{ColumnError, InvalidArgumentError};

/// Columns handed over without a copy since the module was loaded (for tests).
static BORROWED: AtomicU64 = AtomicU64::new(0);

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

fn arrow_err(what: &str, e: impl std::fmt::Display) -> PyErr {
    InvalidArgumentError::new_err(format!("`{what}` could not be read as Arrow data: {e}"))
}

/// The producer's message for a failed stream call.
fn stream_error(stream: &mut FFI_ArrowArrayStream, what: &str, code: i32) -> PyErr {
    let text = stream.get_last_error.map_or(std::ptr::null(), |f| {
        // SAFETY: `stream` is a live, unreleased stream (checked by the caller).
        unsafe { f(stream) }
    });
    let reason = if text.is_null() {
        format!("error code {code}")
    } else {
        // SAFETY: the C stream interface returns a NUL-terminated string
        // valid until the next call on the stream.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    };
    arrow_err(what, reason)
}

/// Reads every chunk of a C stream (its field and its arrays; buffers are shared).
fn read_stream(stream: &mut FFI_ArrowArrayStream, what: &str) -> PyResult<(Field, Vec<ArrayRef>)> {
    let (Some(get_schema), Some(get_next)) = (stream.get_schema, stream.get_next) else {
        return Err(arrow_err(what, "the stream was already consumed"));
    };
    let mut schema = FFI_ArrowSchema::empty();
    // SAFETY: a live stream and an empty schema for it to fill.
    let rc = unsafe { get_schema(stream, &raw mut schema) };
    if rc != 0 {
        return Err(stream_error(stream, what, rc));
    }
    let field = Field::try_from(&schema).map_err(|e| arrow_err(what, e))?;
    let dt = field.data_type().clone();
    let mut chunks = Vec::new();
    loop {
        let mut array = FFI_ArrowArray::empty();
        // SAFETY: a live stream and an empty array for it to fill.
        let rc = unsafe { get_next(stream, &raw mut array) };
        if rc != 0 {
            return Err(stream_error(stream, what, rc));
        }
        if array.is_released() {
            break; // end of stream
        }
        // SAFETY: the array was produced by this stream, whose schema is `dt`.
        let data =
            unsafe { from_ffi_and_data_type(array, dt.clone()) }.map_err(|e| arrow_err(what, e))?;
        chunks.push(make_array(data));
    }
    Ok((field, chunks))
}

/// The field and chunks of any object with `__arrow_c_stream__` (preferred)
/// or `__arrow_c_array__` (the Arrow PyCapsule interface).
fn import(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<(Field, Vec<ArrayRef>)> {
    if obj.hasattr("__arrow_c_stream__")? {
        let capsule = obj
            .call_method0("__arrow_c_stream__")?
            .cast_into::<PyCapsule>()
            .map_err(PyErr::from)?;
        let ptr = capsule.pointer_checked(Some(STREAM))?;
        // SAFETY: a capsule named "arrow_array_stream" holds an
        // ArrowArrayStream; `from_raw` moves it out and leaves a released
        // stream behind for the capsule's destructor.
        let mut stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
        return read_stream(&mut stream, what);
    }
    if obj.hasattr("__arrow_c_array__")? {
        let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) =
            obj.call_method0("__arrow_c_array__")?.extract()?;
        let schema_ptr = schema.pointer_checked(Some(SCHEMA))?;
        let array_ptr = array.pointer_checked(Some(ARRAY))?;
        // SAFETY: capsules named "arrow_schema" / "arrow_array" hold an
        // ArrowSchema and an ArrowArray. The schema is only borrowed (its
        // capsule, alive here, releases it); the array is moved out.
        let schema = unsafe { &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>() };
        let array = unsafe { FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast()) };
        let field = Field::try_from(schema).map_err(|e| arrow_err(what, e))?;
        // SAFETY: the array and its schema come from the same export.
        let data = unsafe { from_ffi(array, schema) }.map_err(|e| arrow_err(what, e))?;
        return Ok((field, vec![make_array(data)]));
    }
    Err(InvalidArgumentError::new_err(format!(
        "`{what}` is not an Arrow object (no `__arrow_c_stream__` or `__arrow_c_array__`)"
    )))
}

/// Record batches from struct chunks (a table's stream or a record batch).
fn batches(
    field: &Field,
    chunks: &[ArrayRef],
    what: &str,
) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    let DataType::Struct(fields) = field.data_type() else {
        return Err(InvalidArgumentError::new_err(format!(
            "`{what}` must be a table (an Arrow stream of record batches), got a column of type {}",
            field.data_type()
        )));
    };
    let schema = Arc::new(Schema::new(fields.clone()));
    let mut out = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let s = chunk.as_struct();
        if s.null_count() > 0 {
            return Err(arrow_err(what, "a record batch with null rows"));
        }
        let options = RecordBatchOptions::new().with_row_count(Some(s.len()));
        let batch =
            RecordBatch::try_new_with_options(schema.clone(), s.columns().to_vec(), &options)
                .map_err(|e| arrow_err(what, e))?;
        out.push(batch);
    }
    Ok((schema, out))
}

/// Group codes per row and the first row of every group.
type Codes<'py> = (Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>);

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
    let len = chunks.iter().map(Array::len).sum();
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
    values: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (field, chunks) = import(values, name)?;
    float_column(py, &chunks, field.data_type(), name)
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

    /// Reads a table from any Arrow producer once, naming `what` in errors.
    pub(super) fn read(data: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        let (field, chunks) = import(data, what)?;
        let (schema, batches) = batches(&field, &chunks, what)?;
        Ok(Self { schema, batches })
    }

    /// True when the table has a column `name`.
    pub(super) fn has_column(&self, name: &str) -> bool {
        self.schema.index_of(name).is_ok()
    }

    /// A numeric column's values as float64 (nulls as NaN), for the core.
    pub(super) fn f64_values(&self, name: &str, argument: &str) -> PyResult<Vec<f64>> {
        let i = self.index(name, argument)?;
        let label = format!("{argument}[{name:?}]");
        let dt = self.schema.field(i).data_type();
        if !numeric(dt) {
            return Err(type_error(&label, dt));
        }
        let mut out = Vec::with_capacity(self.__len__());
        for chunk in self.chunks(i) {
            push_f64(&mut out, &chunk, &label)?;
        }
        Ok(out)
    }

    /// A key column as text, one entry per row (`None` for a null): strings and
    /// dictionaries of strings as they are; integers zero-padded to `pad` digits
    /// (a Kolada id stored as the number 180 is "0180").
    pub(super) fn text_values(
        &self,
        name: &str,
        argument: &str,
        pad: usize,
    ) -> PyResult<Vec<Option<String>>> {
        let i = self.index(name, argument)?;
        let dt = self.schema.field(i).data_type();
        let plain = match dt {
            DataType::Dictionary(_, v) => v.as_ref(),
            other => other,
        };
        let err = |e: arrow_schema::ArrowError| {
            InvalidArgumentError::new_err(format!(
                "`{argument}[{name:?}]` could not be read as text: {e}"
            ))
        };
        let mut out = Vec::with_capacity(self.__len__());
        for chunk in self.chunks(i) {
            if plain.is_integer() {
                let ints = arrow_cast::cast(&chunk, &DataType::Int64).map_err(err)?;
                out.extend(
                    ints.as_primitive::<Int64Type>()
                        .iter()
                        .map(|v| v.map(|v| format!("{v:0pad$}"))),
                );
            } else {
                let text = arrow_cast::cast(&chunk, &DataType::Utf8).map_err(err)?;
                out.extend(text.as_string::<i32>().iter().map(|v| v.map(str::to_owned)));
            }
        }
        Ok(out)
    }
}

/// Dense codes by first appearance of one key column (nulls are one key).
fn key_codes(chunks: &[ArrayRef], dt: &DataType, name: &str) -> PyResult<Vec<u32>> {
    let err =
        |e: arrow_schema::ArrowError| InvalidArgumentError::new_err(format!("`by` {name:?}: {e}"));
    let mut codes = Vec::with_capacity(chunks.iter().map(Array::len).sum());
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

/// Python values of `rows` of `chunks` (ints and floats as numbers, booleans
/// as bools, the rest as text, nulls as None); each chunk is converted once.
fn py_values<'py>(
    py: Python<'py>,
    chunks: &[ArrayRef],
    dt: &DataType,
    rows: impl Iterator<Item = usize>,
) -> PyResult<Bound<'py, PyList>> {
    let plain = match dt {
        DataType::Dictionary(_, v) => v.as_ref(),
        other => other,
    };
    let target = if plain.is_integer() {
        DataType::Int64
    } else if plain.is_floating() {
        DataType::Float64
    } else if plain == &DataType::Boolean {
        DataType::Boolean
    } else {
        DataType::Utf8
    };
    let converted = chunks
        .iter()
        .map(|c| arrow_cast::cast(c, &target))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| InvalidArgumentError::new_err(e.to_string()))?;
    let mut ends = Vec::with_capacity(converted.len());
    let mut total = 0;
    for c in &converted {
        total += c.len();
        ends.push(total);
    }
    let list = PyList::empty(py);
    for row in rows {
        let k = ends.partition_point(|&e| e <= row);
        let Some(c) = converted.get(k) else {
            return Err(InvalidArgumentError::new_err(format!(
                "row {row} is past the end of the frame ({total} rows)"
            )));
        };
        let i = row - (ends[k] - c.len());
        if c.is_null(i) {
            list.append(py.None())?;
            continue;
        }
        match target {
            DataType::Int64 => list.append(c.as_primitive::<Int64Type>().value(i))?,
            DataType::Float64 => list.append(c.as_primitive::<Float64Type>().value(i))?,
            DataType::Boolean => list.append(c.as_boolean().value(i))?,
            _ => list.append(c.as_string::<i32>().value(i))?,
        }
    }
    Ok(list)
}

#[pymethods]
impl ArrowFrame {
    /// Reads an Arrow stream or record batch once (buffers are shared, not copied).
    #[new]
    fn new(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::read(data, "frame")
    }

    /// Column names, in order.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// Column names (pyarrow's spelling).
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.columns()
    }

    /// A column: float64 for numbers, a list of values (text, None) otherwise.
    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let i = self.index(name, "frame")?;
        let dt = self.schema.field(i).data_type().clone();
        let chunks = self.chunks(i);
        if numeric(&dt) {
            return Ok(float_column(py, &chunks, &dt, &format!("frame[{name:?}]"))?.into_any());
        }
        Ok(py_values(py, &chunks, &dt, 0..self.__len__())?.into_any())
    }

    /// Exports the table again as an Arrow stream (the buffers are shared).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema; // the table is exported as it is
        let reader = RecordBatchIterator::new(
            self.batches.clone().into_iter().map(Ok),
            self.schema.clone(),
        );
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, STREAM)
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
    fn group_codes<'py>(&self, py: Python<'py>, names: Vec<String>) -> PyResult<Codes<'py>> {
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
            out.set_item(
                name,
                py_values(py, &self.chunks(i), &dt, rows.iter().copied())?,
            )?;
        }
        Ok(out)
    }

    /// The table as a pyarrow Table (needs pyarrow), for functions that need text columns.
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
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
