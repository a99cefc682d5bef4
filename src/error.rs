//! The one error type of jamlik.
//!
//! Every bad input becomes an [`enum@Error`] that names the argument and the problem;
//! nothing in the library panics on user data. The Python bindings map each
//! variant to a subclass of `jamlik.JamlikError` (a `ValueError`).

use thiserror::Error;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in jamlik, with structured fields.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// An input that must have rows has none.
    #[error("`{arg}` is empty")]
    Empty { arg: &'static str },

    /// Two inputs that must line up row by row do not.
    #[error("`{arg}` has length {found}, expected {expected} (the length of `{other}`)")]
    LengthMismatch {
        arg: &'static str,
        other: &'static str,
        expected: usize,
        found: usize,
    },

    /// NaN where a value is required (missing policy `error`). `options` are
    /// the other missing-value policies the failing function offers, so the
    /// message suggests only what exists.
    #[error("`{arg}` is missing (NaN) at row {index}{}", missing_hint(*options))]
    Missing {
        arg: &'static str,
        index: usize,
        options: MissingOptions,
    },

    /// A frame lacks a column the function needs (or has one it does not know).
    #[error(
        "`{arg}` has no column `{column}`{}",
        column_hint(suggestions, expected)
    )]
    Column {
        arg: &'static str,
        column: String,
        suggestions: Vec<String>,
        expected: Vec<String>,
    },

    /// Infinite value.
    #[error("`{arg}` is not finite at row {index} ({value})")]
    NonFinite {
        arg: &'static str,
        index: usize,
        value: f64,
    },

    /// A value below its allowed minimum (negative weights, counts, populations).
    #[error("`{arg}` must be {requirement}; row {index} has {value}")]
    OutOfDomain {
        arg: &'static str,
        index: usize,
        value: f64,
        requirement: &'static str,
    },

    /// Data outside declared bounds (limits, lmin/lmax).
    #[error("`{arg}` has {value} at row {index}, outside the bounds [{lower}, {upper}]")]
    OutOfBounds {
        arg: &'static str,
        index: usize,
        value: f64,
        lower: f64,
        upper: f64,
    },

    /// A confidence level outside the open interval (0, 1).
    #[error(
        "confidence level `{arg}` must lie strictly between 0 and 1, got {value}{}",
        level_hint(*value)
    )]
    InvalidLevel { arg: &'static str, value: f64 },

    /// Too few subgroups / observations / clusters for a measure.
    #[error("{what} needs at least {needed} {unit}, got {found}")]
    TooFew {
        what: String,
        unit: &'static str,
        needed: usize,
        found: usize,
    },

    /// A mean (or other divisor) is zero where the measure divides by it.
    #[error(
        "{what}: the mean of `{arg}` is zero, so the measure (which divides by it) is undefined"
    )]
    ZeroMean { arg: &'static str, what: String },

    /// Input is degenerate for the measure (all ranks equal, all estimates equal, ...).
    #[error("`{arg}`: {reason}")]
    Degenerate { arg: &'static str, reason: String },

    /// Any other invalid argument value or combination of options.
    #[error("`{arg}`: {reason}")]
    InvalidArgument { arg: &'static str, reason: String },

    /// An identifier (KPI, municipality, goal...) that is not known.
    #[error("unknown {kind} `{id}`")]
    UnknownId { kind: &'static str, id: String },

    /// A municipality, region or nation (id or name) that the geography does not
    /// know, or a name that fits several; `suggestions` are the nearest areas as
    /// `(title, id)`, best first.
    #[error("unknown municipality or area `{query}`{}", area_hint(suggestions))]
    UnknownArea {
        query: String,
        suggestions: Vec<(String, String)>,
    },

    /// Text that could not be parsed (Kolada JSON, catalogue files, CSV).
    #[error("could not parse {what}: {reason}")]
    Parse { what: String, reason: String },

    /// An HTTP status that is not success (after retries where they apply).
    #[error("HTTP {status} from {url}")]
    Http { status: u16, url: String },

    /// Network failure (connection, timeout) or no network in offline mode.
    #[error("network error for {url}: {reason}")]
    Network { url: String, reason: String },

    /// File-system error (cache directory, catalogue file).
    #[error("I/O error on {path}: {reason}")]
    Io { path: String, reason: String },
}

/// The missing-value policies a function offers besides `error`, named in
/// the message of [`Error::Missing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingOptions {
    /// The function needs complete data: there is no policy to choose.
    None,
    /// `missing = "drop"` drops incomplete rows.
    Drop,
    /// `missing = "drop"` or `missing = "zero"` (a missing count means none).
    DropOrZero,
}

fn missing_hint(options: MissingOptions) -> &'static str {
    match options {
        MissingOptions::None => "; remove or impute missing values first",
        MissingOptions::Drop => "; use missing=\"drop\" to drop such rows",
        MissingOptions::DropOrZero => {
            "; use missing=\"drop\" to drop such rows or missing=\"zero\" to count them as zero"
        }
    }
}

fn area_hint(suggestions: &[(String, String)]) -> String {
    if suggestions.is_empty() {
        return "; give a Kolada id (\"0180\", 180) or a name (\"Stockholm\")".to_string();
    }
    let names: Vec<String> = suggestions
        .iter()
        .map(|(title, id)| format!("`{title}` ({id})"))
        .collect();
    format!("; did you mean {}?", names.join(", "))
}

/// A level given as a percentage (95) suggests the fraction (0.95); a value
/// such as 1.5 is no percentage anyone means, so it gets no suggestion.
fn level_hint(value: f64) -> String {
    if (50.0..100.0).contains(&value) {
        format!("; did you mean {}?", value / 100.0)
    } else {
        String::new()
    }
}

fn column_hint(suggestions: &[String], expected: &[String]) -> String {
    let mut s = String::new();
    if !suggestions.is_empty() {
        s.push_str("; did you mean ");
        s.push_str(&quoted_list(suggestions));
        s.push('?');
    }
    if !expected.is_empty() {
        s.push_str(" Expected columns: ");
        s.push_str(&quoted_list(expected));
    }
    s
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// Re-labels the row index of an error about `rows` (a selection of the input's
    /// rows: a group, the complete rows) as the row of the whole input.
    #[must_use]
    pub(crate) fn remap_rows(self, rows: &[usize]) -> Self {
        let map = |i: usize| rows.get(i).copied().unwrap_or(i);
        match self {
            Error::Missing {
                arg,
                index,
                options,
            } => Error::Missing {
                arg,
                index: map(index),
                options,
            },
            Error::NonFinite { arg, index, value } => Error::NonFinite {
                arg,
                index: map(index),
                value,
            },
            Error::OutOfDomain {
                arg,
                index,
                value,
                requirement,
            } => Error::OutOfDomain {
                arg,
                index: map(index),
                value,
                requirement,
            },
            Error::OutOfBounds {
                arg,
                index,
                value,
                lower,
                upper,
            } => Error::OutOfBounds {
                arg,
                index: map(index),
                value,
                lower,
                upper,
            },
            other => other,
        }
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid(arg: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            arg,
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::TooFew`].
    pub fn too_few(
        what: impl Into<String>,
        unit: &'static str,
        needed: usize,
        found: usize,
    ) -> Self {
        Error::TooFew {
            what: what.into(),
            unit,
            needed,
            found,
        }
    }
}
