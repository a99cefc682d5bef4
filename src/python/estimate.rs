//! `jamlik.Estimate`: the one Python result type for one estimate.
//!
//! A `#[pyclass]` over [`crate::Estimate`], so every binding returns the same
//! object (no positional tuples). Extra per-measure facts (the measure's code,
//! the mean, ...) ride along in `extra` and appear in `to_dict`/`to_frame`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// One estimated quantity: value, standard error, confidence limits, method.
#[pyclass(name = "Estimate", module = "jamlik", frozen)]
pub(crate) struct PyEstimate {
    inner: crate::Estimate,
    extra: Py<PyDict>,
}

impl PyEstimate {
    /// Wraps a core estimate with optional extra fields.
    pub(crate) fn wrap(
        py: Python<'_>,
        inner: crate::Estimate,
        extra: &[(&str, Py<PyAny>)],
    ) -> PyResult<Self> {
        let dict = PyDict::new(py);
        for (k, v) in extra {
            dict.set_item(k, v)?;
        }
        Ok(Self {
            inner,
            extra: dict.unbind(),
        })
    }
}

fn fmt_number(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format_g(v),
        Some(v) => v.to_string(),
        None => "—".to_string(),
    }
}

/// `%.6g`-like formatting: six significant digits, no trailing zeros.
fn format_g(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let exp = v.abs().log10().floor() as i32;
    if !(-5..6).contains(&exp) {
        let s = format!("{v:.5e}");
        let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (5 - exp).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[pymethods]
impl PyEstimate {
    #[new]
    #[pyo3(signature = (value, se=None, lower=None, upper=None, level=0.95, method=String::new(), *, note=None, n=None, extra=None))]
    #[pyo3(
        text_signature = "(value, se=None, lower=None, upper=None, level=0.95, method='', *, note=None, n=None, extra=None)"
    )]
    fn new(
        py: Python<'_>,
        value: f64,
        se: Option<f64>,
        lower: Option<f64>,
        upper: Option<f64>,
        level: f64,
        method: String,
        note: Option<String>,
        n: Option<usize>,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let dict = match extra {
            Some(d) => d.copy()?,
            None => PyDict::new(py),
        };
        Ok(Self {
            inner: crate::Estimate {
                value,
                se,
                lower,
                upper,
                level,
                method,
                note,
                n,
            },
            extra: dict.unbind(),
        })
    }

    /// The point estimate.
    #[getter]
    fn value(&self) -> f64 {
        self.inner.value
    }
    /// Standard error (for ratio measures, of the natural log; `method` says so).
    #[getter]
    fn se(&self) -> Option<f64> {
        self.inner.se
    }
    /// Lower confidence limit.
    #[getter]
    fn lower(&self) -> Option<f64> {
        self.inner.lower
    }
    /// Upper confidence limit.
    #[getter]
    fn upper(&self) -> Option<f64> {
        self.inner.upper
    }
    /// Confidence level of `lower`/`upper`.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// How the estimate and its interval were obtained.
    #[getter]
    fn method(&self) -> &str {
        &self.inner.method
    }
    /// Why a piece is missing, or a caveat; `None` when there is nothing to add.
    #[getter]
    fn note(&self) -> Option<&str> {
        self.inner.note.as_deref()
    }
    /// Number of observations the estimate used.
    #[getter]
    fn n(&self) -> Option<usize> {
        self.inner.n
    }
    /// Extra per-measure fields (a copy).
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.extra.bind(py).copy()
    }

    /// A plain dict: the vocabulary's fields first, then the extras.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("value", self.inner.value)?;
        d.set_item("se", self.inner.se)?;
        d.set_item("lower", self.inner.lower)?;
        d.set_item("upper", self.inner.upper)?;
        d.set_item("level", self.inner.level)?;
        d.set_item("method", &self.inner.method)?;
        d.set_item("note", self.inner.note.as_deref())?;
        d.set_item("n", self.inner.n)?;
        for (k, v) in self.extra.bind(py).iter() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// A one-row pandas DataFrame (`jamlik.table` stacks many).
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas")?;
        let rows = PyList::new(py, [self.to_dict(py)?])?;
        pandas.getattr("DataFrame")?.call1((rows,))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<PyEstimate>() else {
            return Ok(false);
        };
        let other = other.get();
        Ok(self.inner == other.inner && self.extra.bind(py).eq(other.extra.bind(py))?)
    }

    fn __float__(&self) -> f64 {
        self.inner.value
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        let ci = if e.lower.is_some() || e.upper.is_some() {
            format!(
                "{}% CI [{}, {}]",
                format_g(e.level * 100.0),
                fmt_number(e.lower),
                fmt_number(e.upper)
            )
        } else {
            "no CI".to_string()
        };
        let n = e.n.map(|n| format!(", n={n}")).unwrap_or_default();
        let note = e
            .note
            .as_deref()
            .map(|s| format!(", note={s:?}"))
            .unwrap_or_default();
        format!(
            "Estimate({}, se={}, {ci}, method={:?}{n}{note})",
            fmt_number(Some(e.value)),
            fmt_number(e.se),
            e.method
        )
    }

    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        let e = &self.inner;
        let pct = format_g(e.level * 100.0);
        let mut rows: Vec<(String, String)> = vec![
            ("value".into(), fmt_number(Some(e.value))),
            ("se".into(), fmt_number(e.se)),
            (format!("lower ({pct}%)"), fmt_number(e.lower)),
            (format!("upper ({pct}%)"), fmt_number(e.upper)),
            ("method".into(), escape_html(&e.method)),
        ];
        if let Some(note) = &e.note {
            rows.push(("note".into(), escape_html(note)));
        }
        if let Some(n) = e.n {
            rows.push(("n".into(), n.to_string()));
        }
        for (k, v) in self.extra.bind(py).iter() {
            let text = match v.extract::<f64>() {
                Ok(x) if !v.is_instance_of::<pyo3::types::PyBool>() => fmt_number(Some(x)),
                _ => v.str()?.to_string(),
            };
            rows.push((escape_html(&k.str()?.to_string()), escape_html(&text)));
        }
        let mut body = String::new();
        for (k, v) in &rows {
            body.push_str("<tr><th style='text-align:left'>");
            body.push_str(k);
            body.push_str("</th><td>");
            body.push_str(v);
            body.push_str("</td></tr>");
        }
        Ok(format!("<table class='jamlik-estimate'>{body}</table>"))
    }
}

#[cfg(test)]
mod tests {
    use super::format_g;

    #[test]
    fn format_g_like_python() {
        assert_eq!(format_g(95.0), "95");
        assert_eq!(format_g(0.123_456_78), "0.123457");
        assert_eq!(format_g(1_234_567.0), "1.23457e+06");
        assert_eq!(format_g(-0.000_012_345), "-1.2345e-05");
        assert_eq!(format_g(99.8), "99.8");
    }
}
