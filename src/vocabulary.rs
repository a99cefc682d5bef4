//! The small shared vocabulary of the data and goals areas: [`Sex`] (women, men,
//! total) and the Kolada publication [`Level`] of a KPI (municipalities, regions
//! or both). Both `data` and `goals` use these; neither depends on the other for them.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Women, men or total, coded as Kolada codes it: `K` kvinnor (women), `M` män (men),
/// `T` total.
///
/// Parses (case-insensitive) `"K"`, `"M"`, `"T"`, `"women"`, `"men"`, `"total"`,
/// `"female"` and `"male"`:
///
/// ```
/// use jamlik::Sex;
/// assert_eq!("Women".parse::<Sex>()?, Sex::Women);
/// assert_eq!("m".parse::<Sex>()?, Sex::Men);
/// assert_eq!(Sex::Total.code(), "T");
/// assert!("x".parse::<Sex>().is_err());
/// # Ok::<(), jamlik::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    /// `T`: everyone.
    #[serde(rename = "T")]
    Total,
    /// `K`: kvinnor, women.
    #[serde(rename = "K")]
    Women,
    /// `M`: män, men.
    #[serde(rename = "M")]
    Men,
}

impl Sex {
    /// Total, women, men: the row order of every frame.
    pub const ALL: [Sex; 3] = [Sex::Total, Sex::Women, Sex::Men];

    /// Kolada's one-letter code (`T`, `K`, `M`).
    pub fn code(self) -> &'static str {
        match self {
            Sex::Total => "T",
            Sex::Women => "K",
            Sex::Men => "M",
        }
    }

    /// The English word (`total`, `women`, `men`).
    pub fn word(self) -> &'static str {
        match self {
            Sex::Total => "total",
            Sex::Women => "women",
            Sex::Men => "men",
        }
    }
}

impl std::fmt::Display for Sex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Sex {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "t" | "total" => Ok(Sex::Total),
            "k" | "women" | "female" => Ok(Sex::Women),
            "m" | "men" | "male" => Ok(Sex::Men),
            _ => Err(Error::invalid(
                "sex",
                format!(
                    "expected \"K\", \"M\" or \"T\" (or \"women\", \"men\", \"total\", \
                     \"female\", \"male\"; any case), got {s:?}"
                ),
            )),
        }
    }
}

/// Which areas Kolada publishes a KPI for (its `municipality_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    /// `K`: municipalities (and the nation).
    #[serde(rename = "K")]
    Municipalities,
    /// `L`: regions (and the nation).
    #[serde(rename = "L")]
    Regions,
    /// `A`: both.
    #[serde(rename = "A")]
    Both,
}

impl Level {
    /// Kolada's code.
    pub fn code(self) -> &'static str {
        match self {
            Level::Municipalities => "K",
            Level::Regions => "L",
            Level::Both => "A",
        }
    }
    /// Published for municipalities?
    pub fn has_municipalities(self) -> bool {
        matches!(self, Level::Municipalities | Level::Both)
    }
    /// Published for regions?
    pub fn has_regions(self) -> bool {
        matches!(self, Level::Regions | Level::Both)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_parses_every_alias_and_names_the_argument() {
        for (text, sex) in [
            ("K", Sex::Women),
            ("women", Sex::Women),
            ("FEMALE", Sex::Women),
            ("m", Sex::Men),
            ("Men", Sex::Men),
            ("male", Sex::Men),
            ("T", Sex::Total),
            ("total", Sex::Total),
        ] {
            assert_eq!(text.parse::<Sex>().unwrap(), sex, "{text}");
        }
        let e = "x".parse::<Sex>().unwrap_err().to_string();
        assert!(e.contains("sex") && e.contains("\"K\""), "{e}");
    }
}
