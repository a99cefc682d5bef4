//! The demo model's per-KPI parameters, read from `data/demo/kpi_models.csv`
//! (embedded with `include_str!`).

use crate::error::{Error, Result};
use crate::vocabulary::Level;

/// The parameter table, one row per KPI of the shipped catalogue.
const TABLE: &str = include_str!("../../../data/demo/kpi_models.csv");

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Link {
    Logit,
    Log,
    Identity,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Publish {
    /// One KPI with T/K/M rows.
    Split,
    /// One KPI with a T row only.
    Unsplit,
    /// This KPI is the women's value of a two-KPI pair (T row only).
    WomenOnly,
    /// The men's value of a two-KPI pair.
    MenOnly,
}

/// One KPI's generating parameters, in natural units at the national 2017 level.
#[derive(Debug, Clone, Copy)]
pub(super) struct KpiModel {
    pub(super) kpi: &'static str,
    pub(super) link: Link,
    pub(super) level: f64,
    pub(super) women_minus_men: f64,
    pub(super) trend: f64,
    pub(super) ses: f64,
    pub(super) county_sd: f64,
    pub(super) area_sd: f64,
    pub(super) slope_sd: f64,
    pub(super) noise_sd: f64,
    pub(super) published: Level,
    pub(super) publish: Publish,
}

impl KpiModel {
    /// d(natural)/d(link) at the national level: converts natural-unit effects.
    pub(super) fn slope_of_link(&self) -> f64 {
        match self.link {
            Link::Logit => {
                let p = self.level / 100.0;
                100.0 * p * (1.0 - p)
            }
            Link::Log => self.level,
            Link::Identity => 1.0,
        }
    }
    pub(super) fn link(&self, x: f64) -> f64 {
        match self.link {
            Link::Logit => {
                let p = x / 100.0;
                (p / (1.0 - p)).ln()
            }
            Link::Log => x.ln(),
            Link::Identity => x,
        }
    }
    pub(super) fn inverse_link(&self, eta: f64) -> f64 {
        match self.link {
            Link::Logit => 100.0 / (1.0 + (-eta).exp()),
            Link::Log => eta.exp(),
            Link::Identity => eta,
        }
    }
}

fn bad(line: usize, what: &str) -> Error {
    Error::Parse {
        what: "data/demo/kpi_models.csv".into(),
        reason: format!("line {line}: {what}"),
    }
}

/// Parses the embedded parameter table.
///
/// # Errors
/// [`Error::Parse`] naming the line of a malformed row (a build-time file: a bug, not
/// user input).
pub(super) fn models() -> Result<Vec<KpiModel>> {
    let mut out = Vec::new();
    let mut header = true;
    for (i, line) in TABLE.lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if header {
            header = false;
            continue;
        }
        let f: Vec<&'static str> = line.splitn(13, ',').collect();
        if f.len() != 13 {
            return Err(bad(line_no, "expected 13 fields"));
        }
        let num = |j: usize| -> Result<f64> {
            f[j].parse::<f64>()
                .map_err(|_| bad(line_no, &format!("field {j} {:?} is not a number", f[j])))
        };
        out.push(KpiModel {
            kpi: f[0],
            link: match f[1] {
                "logit" => Link::Logit,
                "log" => Link::Log,
                "identity" => Link::Identity,
                other => return Err(bad(line_no, &format!("unknown link {other:?}"))),
            },
            level: num(2)?,
            women_minus_men: num(3)?,
            trend: num(4)?,
            ses: num(5)?,
            county_sd: num(6)?,
            area_sd: num(7)?,
            slope_sd: num(8)?,
            noise_sd: num(9)?,
            published: match f[10] {
                "K" => Level::Municipalities,
                "L" => Level::Regions,
                "A" => Level::Both,
                other => return Err(bad(line_no, &format!("unknown level {other:?}"))),
            },
            publish: match f[11] {
                "split" => Publish::Split,
                "unsplit" => Publish::Unsplit,
                "women_only" => Publish::WomenOnly,
                "men_only" => Publish::MenOnly,
                other => return Err(bad(line_no, &format!("unknown publish {other:?}"))),
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_with_one_row_per_kpi() {
        let m = models().unwrap();
        assert_eq!(m.len(), 11);
        assert_eq!(m[1].kpi, "N15428");
        assert_eq!(m[1].link, Link::Logit);
        assert_eq!(m[1].level, 84.5);
        assert_eq!(m[0].published, Level::Regions);
    }
}
