//! A compensated sum that serialises: the building block of every state.

use serde::{Deserialize, Serialize};

/// Running sum with its exact rounding error kept aside (Knuth's TwoSum), so
/// a sum split over partitions and merged in any order agrees with one pass
/// to the last digit or two.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ExactSum {
    sum: f64,
    compensation: f64,
}

impl ExactSum {
    /// An empty sum.
    pub const fn new() -> Self {
        Self {
            sum: 0.0,
            compensation: 0.0,
        }
    }

    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        let x_part = t - self.sum;
        self.compensation += (self.sum - (t - x_part)) + (x - x_part);
        self.sum = t;
    }

    /// Adds another partial sum.
    #[inline]
    pub fn merge(&mut self, other: &Self) {
        self.add(other.sum);
        self.add(other.compensation);
    }

    /// The compensated total.
    #[inline]
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// The sum of a batch of terms.
pub(crate) fn exact_sum(terms: impl IntoIterator<Item = f64>) -> ExactSum {
    let mut s = ExactSum::new();
    for t in terms {
        s.add(t);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_small_terms_next_to_large_ones() {
        let mut a = exact_sum([1e16, 1.0]);
        a.merge(&exact_sum([-1e16, 1.0]));
        assert_eq!(a.value(), 2.0);
    }
}
