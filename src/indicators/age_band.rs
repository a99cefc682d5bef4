//! Age-band labels to band start ages.
//!
//! Frames label their bands in many ways: numbers (`0`, `5`, ...), ranges
//! (`"0-4"`, `"85-89"`), open bands (`"90+"`, `"85 år och äldre"`,
//! `"85 and over"`) and the youngest band (`"<1"`, `"under 1"`, `"Under 1 år"`).
//! The start age is the first number in the label, except that a label
//! starting with `<` or "under" starts at 0.

use crate::error::{Error, Result};

/// Start age of one age-band label, or `None` when it has no number.
///
/// ```
/// use jamlik::indicators::age_band_start;
/// assert_eq!(age_band_start("0-4"), Some(0.0));
/// assert_eq!(age_band_start("90+"), Some(90.0));
/// assert_eq!(age_band_start("85 år och äldre"), Some(85.0));
/// assert_eq!(age_band_start("<1"), Some(0.0));
/// assert_eq!(age_band_start("Under 1 år"), Some(0.0));
/// assert_eq!(age_band_start("total"), None);
/// ```
pub fn age_band_start(label: &str) -> Option<f64> {
    let text = label.trim();
    let lower = text.to_lowercase();
    if text.starts_with('<') || lower.starts_with("under") {
        return Some(0.0);
    }
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let mut end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    // One decimal part ("0.5-1").
    if rest[end..].starts_with('.') {
        let tail = &rest[end + 1..];
        let digits = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        if digits > 0 {
            end += 1 + digits;
        }
    }
    rest[..end].parse().ok()
}

/// Start ages of a list of age-band labels.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `age_band`, the label and its position,
/// for a label without a start age.
pub fn age_band_starts<S: AsRef<str>>(labels: &[S]) -> Result<Vec<f64>> {
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let label = label.as_ref();
            age_band_start(label).ok_or_else(|| {
                Error::invalid(
                    "age_band",
                    format!(
                        "cannot read a start age from {label:?} (entry {i}); label the bands \
                         like \"0-4\", \"85+\" or \"<1\", or give the start ages as numbers"
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(age_band_start("  5-9 "), Some(5.0));
        assert_eq!(age_band_start("0.5-1"), Some(0.5));
        assert_eq!(age_band_start("85 and over"), Some(85.0));
        assert_eq!(age_band_start("12."), Some(12.0));
        assert!(age_band_starts(&["0-4", "x"]).is_err());
        assert_eq!(age_band_starts(&["0-4", "5+"]).unwrap(), vec![0.0, 5.0]);
    }
}
