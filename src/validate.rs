//! Input checks shared by every measure. Each returns a typed [`Error`] that
//! names the argument and the first offending row.

use crate::error::{Error, MissingOptions, Result};
use serde::{Deserialize, Serialize};

/// What to do with missing (NaN) values: `missing = "error" | "drop" | "zero"`,
/// one meaning everywhere.
///
/// Each function says which policies it offers ([`MissingOptions`]); asking
/// for one it does not offer is an [`Error::InvalidArgument`] naming
/// `missing`, and a missing value under [`MissingPolicy::Error`] is an
/// [`Error::Missing`] whose message suggests only the policies the function has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// A missing value is an error (the default).
    #[default]
    Error,
    /// Rows with a missing value in any column the function reads are
    /// dropped (a group left without rows gives no result).
    Drop,
    /// A missing count means none: it counts as zero (counts only; a missing
    /// population is still an error). Offered where a missing count means no
    /// events (DSR, ISR, life-table deaths).
    Zero,
}

impl std::str::FromStr for MissingPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "error" => Ok(Self::Error),
            "drop" => Ok(Self::Drop),
            "zero" => Ok(Self::Zero),
            other => Err(Error::invalid(
                "missing",
                format!("expected \"error\", \"drop\" or \"zero\", got {other:?}"),
            )),
        }
    }
}

impl MissingPolicy {
    /// Parses a policy name and checks the function offers it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `missing` for an unknown name or a
    /// policy the function does not offer.
    pub fn parse_offered(name: &str, options: MissingOptions) -> Result<Self> {
        match name.parse::<Self>() {
            Ok(policy) => policy.check_offered(options).map(|()| policy),
            Err(_) => Err(Self::not_offered(options, name)),
        }
    }

    fn not_offered(options: MissingOptions, got: &str) -> Error {
        let offered = match options {
            MissingOptions::None => "only \"error\"",
            MissingOptions::Drop => "\"error\" or \"drop\"",
            MissingOptions::DropOrZero => "\"error\", \"drop\" or \"zero\"",
        };
        Error::invalid(
            "missing",
            format!("this function offers {offered}, got {got:?}"),
        )
    }

    /// Checks the policy is one a function offers (`options`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `missing` and the policies offered.
    pub fn check_offered(self, options: MissingOptions) -> Result<()> {
        let ok = match self {
            MissingPolicy::Error => true,
            MissingPolicy::Drop => options != MissingOptions::None,
            MissingPolicy::Zero => options == MissingOptions::DropOrZero,
        };
        if ok {
            Ok(())
        } else {
            Err(Self::not_offered(options, self.name()))
        }
    }

    /// The policy's name as written in `missing = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            MissingPolicy::Error => "error",
            MissingPolicy::Drop => "drop",
            MissingPolicy::Zero => "zero",
        }
    }
}

/// Errors unless `values` has at least one element.
///
/// # Errors
/// [`Error::Empty`].
pub fn non_empty(arg: &'static str, values: &[f64]) -> Result<()> {
    if values.is_empty() {
        Err(Error::Empty { arg })
    } else {
        Ok(())
    }
}

/// Errors unless `values.len() == expected`.
///
/// # Errors
/// [`Error::LengthMismatch`].
pub fn same_length(
    arg: &'static str,
    other: &'static str,
    expected: usize,
    found: usize,
) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            arg,
            other,
            expected,
            found,
        })
    }
}

/// Errors on the first NaN ([`Error::Missing`]) or infinite value ([`Error::NonFinite`]).
///
/// # Errors
/// As above.
pub fn finite(arg: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(index) if values[index].is_nan() => Err(Error::Missing {
            arg,
            index,
            options: MissingOptions::None,
        }),
        Some(index) => Err(Error::NonFinite {
            arg,
            index,
            value: values[index],
        }),
    }
}

/// True when every value is finite: one branch-free parallel scan, so clean
/// input (the usual case) can skip the rule-by-rule checks that find and
/// name the first bad value.
pub fn all_finite(values: &[f64]) -> bool {
    all_chunks(values, f64::is_finite)
}

/// True when every value is finite and `>= 0` (see [`all_finite`]).
pub fn all_non_negative(values: &[f64]) -> bool {
    all_chunks(values, |v| (0.0..f64::INFINITY).contains(&v))
}

fn all_chunks(values: &[f64], ok: impl Fn(f64) -> bool + Sync) -> bool {
    // `&` (not `&&`) keeps the scan branch-free and vectorised.
    use rayon::prelude::*;
    #[allow(clippy::needless_bitwise_bool)]
    let chunk_ok = |c: &[f64]| c.iter().fold(true, |all, &v| all & ok(v));
    if values.len() >= 1 << 16 {
        values.par_chunks(1 << 14).all(chunk_ok)
    } else {
        chunk_ok(values)
    }
}

/// Errors unless every value is finite and `>= 0`.
///
/// # Errors
/// [`Error::Missing`], [`Error::NonFinite`] or [`Error::OutOfDomain`].
pub fn non_negative(arg: &'static str, values: &[f64]) -> Result<()> {
    finite(arg, values)?;
    match values.iter().position(|&v| v < 0.0) {
        None => Ok(()),
        Some(index) => Err(Error::OutOfDomain {
            arg,
            index,
            value: values[index],
            requirement: "non-negative",
        }),
    }
}

/// Errors unless every value is finite and `> 0`.
///
/// # Errors
/// [`Error::Missing`], [`Error::NonFinite`] or [`Error::OutOfDomain`].
pub fn positive(arg: &'static str, values: &[f64]) -> Result<()> {
    finite(arg, values)?;
    match values.iter().position(|&v| v <= 0.0) {
        None => Ok(()),
        Some(index) => Err(Error::OutOfDomain {
            arg,
            index,
            value: values[index],
            requirement: "positive",
        }),
    }
}

/// Rows to keep under a missing-value policy, given the required columns.
///
/// Returns `None` when every row is complete (no copy needed), or the indices
/// of complete rows under [`MissingPolicy::Drop`].
///
/// # Errors
/// Under [`MissingPolicy::Error`], [`Error::Missing`] for the first NaN found.
pub fn complete_rows(
    columns: &[(&'static str, &[f64])],
    policy: MissingPolicy,
) -> Result<Option<Vec<usize>>> {
    let n = columns.first().map_or(0, |(_, c)| c.len());
    let is_missing = |i: usize| columns.iter().any(|(_, c)| c[i].is_nan());
    let Some(first) = (0..n).find(|&i| is_missing(i)) else {
        return Ok(None);
    };
    policy.check_offered(MissingOptions::Drop)?;
    match policy {
        MissingPolicy::Error => {
            let arg = columns
                .iter()
                .find(|(_, c)| c[first].is_nan())
                .map_or("input", |(a, _)| a);
            Err(Error::Missing {
                arg,
                index: first,
                options: MissingOptions::Drop,
            })
        }
        MissingPolicy::Drop => Ok(Some((0..n).filter(|&i| !is_missing(i)).collect())),
        MissingPolicy::Zero => unreachable!("refused by check_offered above"),
    }
}
