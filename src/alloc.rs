//! Fallible allocation for buffers sized from a user argument (`draws`,
//! `points`): a request larger than the machine can hold is an
//! [`Error::InvalidArgument`] naming that argument, not an abort of the
//! process (a notebook kernel would die with it).

use crate::error::{Error, Result};

/// An empty vector with room for `len` elements, or an error naming `arg`
/// when the memory cannot be had.
///
/// # Errors
/// [`Error::InvalidArgument`] on `arg` when `len` elements do not fit in memory.
pub(crate) fn vec_with_capacity<T>(arg: &'static str, len: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| too_large::<T>(arg, len))?;
    Ok(v)
}

/// As [`vec_with_capacity`] for `rows × columns` elements (a matrix of
/// replicates), also refusing a product that overflows `usize`.
///
/// # Errors
/// [`Error::InvalidArgument`] on `arg` when the product overflows or does not fit.
pub(crate) fn matrix_with_capacity<T>(
    arg: &'static str,
    rows: usize,
    columns: usize,
) -> Result<Vec<T>> {
    let len = rows
        .checked_mul(columns)
        .ok_or_else(|| too_large::<T>(arg, usize::MAX))?;
    vec_with_capacity(arg, len)
}

fn too_large<T>(arg: &'static str, len: usize) -> Error {
    #[allow(clippy::cast_precision_loss)] // a rough size for the message
    let bytes = len as f64 * std::mem::size_of::<T>().max(1) as f64;
    Error::invalid(
        arg,
        format!(
            "needs about {bytes:.3e} bytes of memory, more than can be allocated; use a smaller `{arg}`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_requests_are_errors_naming_the_argument() {
        let e = vec_with_capacity::<f64>("draws", usize::MAX / 2).unwrap_err();
        assert!(e.to_string().contains("`draws`"), "{e}");
        let e = matrix_with_capacity::<f64>("draws", usize::MAX, 3).unwrap_err();
        assert!(e.to_string().contains("`draws`"), "{e}");
        let v = vec_with_capacity::<f64>("points", 10).unwrap();
        assert!(v.capacity() >= 10);
    }
}
