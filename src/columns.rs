//! Columns of numbers as the core reads them: `&[f64]`, `Vec<f64>` and, with
//! the `ndarray` feature, `ndarray` arrays and views.
//!
//! Every measure works on plain slices. A service that holds its data in
//! `ndarray` arrays converts through [`AsColumn`]: a contiguous view is
//! borrowed as it is, a strided one (a column of a row-major matrix) is
//! copied once.
//!
//! ```
//! use jamlik::columns::AsColumn;
//! let v = vec![1.0, 2.0, 3.0];
//! assert_eq!(&*v.as_column(), &[1.0, 2.0, 3.0]);
//! ```

use std::borrow::Cow;

/// Anything that can be read as one column of `f64`.
pub trait AsColumn {
    /// The values as a slice: borrowed when the layout allows, else copied once.
    fn as_column(&self) -> Cow<'_, [f64]>;
}

impl AsColumn for [f64] {
    fn as_column(&self) -> Cow<'_, [f64]> {
        Cow::Borrowed(self)
    }
}

impl AsColumn for Vec<f64> {
    fn as_column(&self) -> Cow<'_, [f64]> {
        Cow::Borrowed(self.as_slice())
    }
}

impl<const N: usize> AsColumn for [f64; N] {
    fn as_column(&self) -> Cow<'_, [f64]> {
        Cow::Borrowed(self.as_slice())
    }
}

#[cfg(feature = "ndarray")]
impl<S> AsColumn for ndarray::ArrayBase<S, ndarray::Ix1>
where
    S: ndarray::Data<Elem = f64>,
{
    fn as_column(&self) -> Cow<'_, [f64]> {
        match self.as_slice() {
            Some(slice) => Cow::Borrowed(slice),
            None => Cow::Owned(self.iter().copied().collect()),
        }
    }
}

#[cfg(all(test, feature = "ndarray"))]
mod tests {
    use super::AsColumn;
    use std::borrow::Cow;

    #[test]
    fn contiguous_views_are_borrowed_and_strided_ones_copied() {
        let m =
            ndarray::Array2::from_shape_vec((3, 2), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        let row = m.row(1);
        assert!(matches!(row.as_column(), Cow::Borrowed(&[3.0, 4.0])));
        let col = m.column(1);
        let c = col.as_column();
        assert!(matches!(c, Cow::Owned(_)));
        assert_eq!(&*c, &[2.0, 4.0, 6.0]);
    }
}
