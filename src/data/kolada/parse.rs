//! Parsing Kolada API responses (v2 and v3) into jamlik types.
//!
//! Every response is an envelope `{"values": [...], "count": n, "next_page"|"next_url": url}`.
//! The parser follows what the API and its clients actually do, not only what the v2
//! README says:
//!
//! - the next-page link is `next_url` (v3) or `next_page` (v2); an absent, `null` or
//!   empty link means this is the last page;
//! - `count` is not trusted for totals; it is passed on in [`Page::count`] so the
//!   client can check that it does not change between pages;
//! - data rows carry up to three values, gender `T` (total), `K` (kvinnor, women),
//!   `M` (män, men); any other gender code is a parse error, not a silent drop;
//! - `value: null` is kept as an [`Observation`] with `value: None` and its `status`
//!   (`""`, `"Missing"`, `"Not applicable"` …), so "no data" stays visible;
//! - rows (or values) flagged `isdeleted` are dropped unless
//!   [`ParseOptions::keep_deleted`] is set, as rKolada does;
//! - unknown extra fields are ignored;
//! - malformed or truncated JSON is an [`Error::Parse`] naming the position.
//!
//! Kolada's field names are mapped to jamlik's vocabulary here, once: a data row's
//! `municipality` (or `ou`) becomes the observation's `area`, `period` its year,
//! `gender` its `sex`; `value`, `count` and `status` keep their names. Tables of
//! observations use the column names in [`COLUMNS`].

use super::model::{Group, Kpi, Municipality};
use crate::data::panel::Observation;
use crate::error::{Error, Result};
use crate::vocabulary::Sex;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// Column names of a table of parsed observations, in order: Kolada's
/// `municipality` → `area`, `period` → `year`, `gender` → `sex` (`T`, `K`, `M`).
/// The Python bindings and the demo dataset use these names.
pub const COLUMNS: [&str; 7] = ["kpi", "area", "year", "sex", "value", "count", "status"];

/// Options for parsing data responses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Keep rows that Kolada flags `isdeleted: true` (default: drop them).
    pub keep_deleted: bool,
}

/// One page of a response: its records and the link to the next page, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The records on this page.
    pub values: Vec<T>,
    /// The next page's URL; `None` on the last page.
    pub next: Option<String>,
    /// The envelope's `count`, when it is a non-negative integer. Kolada's meaning
    /// (records on this page or in total) is not established, so the client only
    /// checks that it does not change between pages.
    pub count: Option<u64>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    values: Option<Vec<T>>,
    #[serde(default)]
    next_url: Option<String>,
    #[serde(default)]
    next_page: Option<String>,
    #[serde(default)]
    count: Option<serde_json::Value>,
}

impl<T> Envelope<T> {
    fn into_page(self, what: &str) -> Result<Page<T>> {
        let values = self.values.ok_or_else(|| Error::Parse {
            what: what.to_string(),
            reason: "the response has no `values` list".into(),
        })?;
        let next = [self.next_url, self.next_page]
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty());
        let count = self.count.as_ref().and_then(serde_json::Value::as_u64);
        Ok(Page {
            values,
            next,
            count,
        })
    }
}

fn parse_envelope<'a, T: Deserialize<'a>>(text: &'a str, what: &str) -> Result<Page<T>> {
    let env: Envelope<T> = serde_json::from_str(text).map_err(|e| Error::Parse {
        what: what.to_string(),
        reason: describe_json_error(&e),
    })?;
    env.into_page(what)
}

fn describe_json_error(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Eof => "truncated JSON: ",
        serde_json::error::Category::Syntax => "malformed JSON: ",
        serde_json::error::Category::Data => "unexpected content: ",
        serde_json::error::Category::Io => "",
    };
    format!("{kind}{e}")
}

/// Borrowed from the response text where possible (strings without escapes), so a
/// large page allocates only the observations' own strings.
#[derive(Deserialize)]
struct RawRow<'a> {
    #[serde(borrow)]
    kpi: Cow<'a, str>,
    #[serde(borrow, alias = "ou")]
    municipality: Cow<'a, str>,
    #[serde(deserialize_with = "period")]
    period: i32,
    #[serde(default, deserialize_with = "super::model::flexible_opt_bool")]
    isdeleted: Option<bool>,
    #[serde(borrow)]
    values: Vec<RawValue<'a>>,
}

#[derive(Deserialize)]
struct RawValue<'a> {
    #[serde(borrow)]
    gender: Cow<'a, str>,
    #[serde(default)]
    count: Option<f64>,
    #[serde(default, borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default, deserialize_with = "super::model::flexible_opt_bool")]
    isdeleted: Option<bool>,
}

/// A period sent as a number (`2023`) or a string (`"2023"`).
fn period<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum P {
        Int(i64),
        Str(String),
    }
    let p = match P::deserialize(d)? {
        P::Int(i) => i,
        P::Str(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| serde::de::Error::custom(format!("period {s:?} is not a year")))?,
    };
    i32::try_from(p).map_err(|_| serde::de::Error::custom(format!("period {p} is out of range")))
}

/// Parses one data response (`/data/...` or `/oudata/...`) into observations in long
/// format, one per KPI × area × period × gender.
///
/// ```
/// use jamlik::data::kolada::parse::{parse_data_page, ParseOptions};
/// let text = r#"{"values":[{"kpi":"N80401","municipality":"0013","period":2022,
///   "values":[{"gender":"T","count":1,"status":"","value":90.0},
///             {"gender":"K","count":1,"status":"","value":null}]}],
///   "count":1,"next_url":null}"#;
/// let page = parse_data_page(text, ParseOptions::default())?;
/// assert_eq!(page.values.len(), 2);
/// assert_eq!(page.values[1].value, None);
/// assert!(page.next.is_none());
/// # Ok::<(), jamlik::Error>(())
/// ```
///
/// # Errors
/// [`Error::Parse`] for malformed or truncated JSON, a missing `values` list, a row
/// without `kpi`/`municipality`/`period`/`values`, or a gender other than T/K/M.
pub fn parse_data_page(text: &str, options: ParseOptions) -> Result<Page<Observation>> {
    const WHAT: &str = "Kolada data response";
    let page: Page<RawRow<'_>> = parse_envelope(text, WHAT)?;
    let mut out = Vec::with_capacity(page.values.len() * 3);
    for row in page.values {
        if row.isdeleted == Some(true) && !options.keep_deleted {
            continue;
        }
        for v in row.values {
            if v.isdeleted == Some(true) && !options.keep_deleted {
                continue;
            }
            let sex: Sex = v.gender.parse().map_err(|_| Error::Parse {
                what: WHAT.into(),
                reason: format!(
                    "gender {:?} for {} {} {} (expected T, K or M)",
                    v.gender, row.kpi, row.municipality, row.period
                ),
            })?;
            out.push(Observation {
                kpi: row.kpi.to_string(),
                area: row.municipality.to_string(),
                year: row.period,
                sex,
                value: v.value,
                count: v.count,
                status: v.status.map(Cow::into_owned).unwrap_or_default(),
            });
        }
    }
    Ok(Page {
        values: out,
        next: page.next,
        count: page.count,
    })
}

/// Parses one data response and returns only its observations.
///
/// # Errors
/// As [`parse_data_page`].
pub fn parse_data(text: &str, options: ParseOptions) -> Result<Vec<Observation>> {
    parse_data_page(text, options).map(|p| p.values)
}

/// Parses one `/kpi` response.
///
/// # Errors
/// [`Error::Parse`] for malformed JSON or records without `id`/`title`.
pub fn parse_kpi_page(text: &str) -> Result<Page<Kpi>> {
    parse_envelope(text, "Kolada kpi response")
}

/// Parses one `/municipality` response (municipalities, regions, the nation).
///
/// # Errors
/// [`Error::Parse`] for malformed JSON, records without `id`/`title`/`type`, or a
/// type other than `K`/`L`.
pub fn parse_municipality_page(text: &str) -> Result<Page<Municipality>> {
    parse_envelope(text, "Kolada municipality response")
}

/// Parses one `/municipality_groups` or `/kpi_groups` response.
///
/// # Errors
/// [`Error::Parse`] for malformed JSON or groups without `id`/`title`.
pub fn parse_group_page(text: &str) -> Result<Page<Group>> {
    parse_envelope(text, "Kolada group response")
}

/// Only the next-page link of a response (`next_url`, else `next_page`), without
/// parsing the records.
///
/// # Errors
/// [`Error::Parse`] for malformed or truncated JSON.
pub fn next_link(text: &str) -> Result<Option<String>> {
    let page: Page<serde::de::IgnoredAny> = parse_envelope(text, "Kolada response")?;
    Ok(page.next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(extra: &str) -> String {
        format!(
            r#"{{"values":[{{"kpi":"N1","municipality":"0180","period":"2020"{extra},
            "values":[{{"gender":"T","count":1,"status":"","value":1.5}}]}}]}}"#
        )
    }

    #[test]
    fn next_link_prefers_next_url_and_treats_empty_as_last() {
        let t = r#"{"values":[],"next_url":"a","next_page":"b"}"#;
        assert_eq!(next_link(t).unwrap().as_deref(), Some("a"));
        let t = r#"{"values":[],"next_url":null,"next_page":"b"}"#;
        assert_eq!(next_link(t).unwrap().as_deref(), Some("b"));
        let t = r#"{"values":[],"next_page":""}"#;
        assert_eq!(next_link(t).unwrap(), None);
        assert_eq!(next_link(r#"{"values":[]}"#).unwrap(), None);
    }

    #[test]
    fn deleted_rows_dropped_unless_kept() {
        let t = row(r#","isdeleted":true"#);
        assert!(parse_data(&t, ParseOptions::default()).unwrap().is_empty());
        let kept = parse_data(&t, ParseOptions { keep_deleted: true }).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].year, 2020);
        let t = row(r#","isdeleted":false"#);
        assert_eq!(parse_data(&t, ParseOptions::default()).unwrap().len(), 1);
    }

    #[test]
    fn bad_gender_and_truncation_are_parse_errors() {
        let t = row("").replace("\"T\"", "\"F\"");
        let e = parse_data(&t, ParseOptions::default()).unwrap_err();
        assert!(matches!(e, Error::Parse { .. }), "{e}");
        assert!(e.to_string().contains("\"F\""));
        let t = row("");
        let e = parse_data(&t[..t.len() / 2], ParseOptions::default()).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse_data(r#"{"count":3}"#, ParseOptions::default()).unwrap_err();
        assert!(e.to_string().contains("no `values`"), "{e}");
    }
}
