//! Progress toward targets: SKR-style change from a baseline, Eurostat's SDG
//! compound-annual-growth-rate method, the UN progress-chart ratio and "target met".
//!
//! Every assessment returns an [`Assessment`]: a [`Category`], the numbers behind it
//! ([`ProgressNumbers`]) and a one-line text. All methods are direction-aware: `d = +1`
//! when higher is better, `−1` otherwise. See `docs/methods.md` (goals section) for the formulas
//! and their sources.
//!
//! ```
//! use jamlik::goals::{progress, Direction};
//! let series = [(2018, 80.0), (2019, 80.5), (2020, 81.0), (2021, 81.4), (2022, 81.9), (2023, 82.5)];
//! let a = progress::eurostat(&series, Direction::HigherIsBetter, None, progress::Term::Short, None)?;
//! assert_eq!(a.category, progress::Category::ModerateProgress); // CAGR ≈ 0.6 %/yr
//! # Ok::<(), jamlik::Error>(())
//! ```

mod baseline;

pub use baseline::{assess_goal, assess_indicator, change_from_baseline};

use super::model::Direction;
use crate::error::{Error, MissingOptions, Result};
use serde::{Deserialize, Serialize};

/// Eurostat's cut-offs for the ratio of actual to required growth.
pub const EUROSTAT_SIGNIFICANT: f64 = 0.95;
/// Lower cut-off of "moderate progress" (ratio).
pub const EUROSTAT_MODERATE: f64 = 0.60;
/// Eurostat's cut-off (±1 % a year) for indicators without a quantified target.
pub const EUROSTAT_NO_TARGET: f64 = 0.01;

/// The outcome of an assessment. Each method uses its own subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The latest value meets the target.
    TargetMet,
    /// Eurostat: ratio ≥ 95 % (with target) or direction-adjusted CAGR > 1 %/yr.
    SignificantProgress,
    /// Eurostat: 60 % ≤ ratio < 95 %, or 0 ≤ d·CAGR ≤ 1 %/yr.
    ModerateProgress,
    /// Eurostat: 0 ≤ ratio < 60 %.
    InsufficientProgress,
    /// Eurostat with target: ratio < 0.
    MovingAway,
    /// Eurostat without target: −1 %/yr ≤ d·CAGR < 0.
    ModerateMovementAway,
    /// Eurostat without target: d·CAGR < −1 %/yr.
    SignificantMovementAway,
    /// UN progress chart: P ≥ 0.95.
    OnTrack,
    /// UN: 0.5 ≤ P < 0.95.
    FairProgress,
    /// UN: 0.1 ≤ P < 0.5.
    LimitedProgress,
    /// UN: −0.1 ≤ P < 0.1.
    Stagnation,
    /// UN: P < −0.1.
    Regression,
    /// Change from baseline in the right direction but short of the target.
    Improved,
    /// No change from baseline.
    NoChange,
    /// Change from baseline in the wrong direction.
    Worsened,
}

impl Category {
    /// Short English label.
    pub fn label(self) -> &'static str {
        match self {
            Category::TargetMet => "target met",
            Category::SignificantProgress => "significant progress",
            Category::ModerateProgress => "moderate progress",
            Category::InsufficientProgress => "insufficient progress",
            Category::MovingAway => "moving away",
            Category::ModerateMovementAway => "moderate movement away",
            Category::SignificantMovementAway => "significant movement away",
            Category::OnTrack => "on track",
            Category::FairProgress => "fair progress",
            Category::LimitedProgress => "limited progress",
            Category::Stagnation => "stagnation",
            Category::Regression => "regression",
            Category::Improved => "improved, target not met",
            Category::NoChange => "no change",
            Category::Worsened => "worsened",
        }
    }

    /// `+1` good, `0` neutral, `−1` bad: for colouring and sorting.
    pub fn score(self) -> i8 {
        match self {
            Category::TargetMet
            | Category::SignificantProgress
            | Category::OnTrack
            | Category::ModerateProgress
            | Category::FairProgress
            | Category::Improved => 1,
            Category::InsufficientProgress
            | Category::LimitedProgress
            | Category::Stagnation
            | Category::NoChange => 0,
            Category::MovingAway
            | Category::ModerateMovementAway
            | Category::SignificantMovementAway
            | Category::Regression
            | Category::Worsened => -1,
        }
    }
}

/// Short (5 years) or long (15 years) term, Eurostat's two windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// The last 5 years (fallback: at least 3).
    Short,
    /// The last 15 years (fallback: at least 10).
    Long,
}

impl Term {
    /// Nominal window length in years.
    pub fn years(self) -> i32 {
        match self {
            Term::Short => 5,
            Term::Long => 15,
        }
    }
    /// Shortest acceptable window when the nominal start year is missing.
    pub fn min_years(self) -> i32 {
        match self {
            Term::Short => 3,
            Term::Long => 10,
        }
    }
}

impl std::str::FromStr for Term {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "short" => Ok(Term::Short),
            "long" => Ok(Term::Long),
            other => Err(Error::invalid(
                "term",
                format!("expected \"short\" or \"long\", got {other:?}"),
            )),
        }
    }
}

/// The numbers behind an assessment. Fields a method does not use are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressNumbers {
    /// First year of the comparison (baseline or window start).
    pub baseline_year: i32,
    /// Value in that year.
    pub baseline: f64,
    /// Last year of the comparison (the latest year, or `at`).
    pub year: i32,
    /// Value in that year.
    pub value: f64,
    /// `value − baseline`.
    pub change: f64,
    /// Target value in the KPI's unit.
    pub target_value: Option<f64>,
    /// Target year.
    pub target_year: Option<i32>,
    /// Change needed from the baseline (`target − baseline`).
    pub required_change: Option<f64>,
    /// `change / required_change`.
    pub share_of_required: Option<f64>,
    /// Observed compound annual growth rate (0.01 = 1 %/yr).
    pub cagr: Option<f64>,
    /// Required compound annual growth rate.
    pub required_cagr: Option<f64>,
    /// Eurostat ratio `cagr / required_cagr`, or the UN progress ratio `P`.
    pub ratio: Option<f64>,
    /// UN: the value projected to the target year at the observed CAGR.
    pub projected: Option<f64>,
}

/// One assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// `"skr_change"`, `"eurostat_short"`, `"eurostat_long"`, `"un_progress_chart"`.
    pub method: String,
    /// The category.
    pub category: Category,
    /// The numbers behind it.
    pub numbers: ProgressNumbers,
    /// One line of text saying what was found.
    pub text: String,
}

/// Compound annual growth rate `(end/start)^(1/years) − 1`.
///
/// # Errors
/// [`Error::OutOfDomain`] for non-positive or non-finite values (CAGR needs positive
/// values); [`Error::InvalidArgument`] when `years ≤ 0`.
///
/// ```
/// let g = jamlik::goals::progress::cagr(100.0, 121.0, 2.0)?;
/// assert!((g - 0.1).abs() < 1e-12);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn cagr(start: f64, end: f64, years: f64) -> Result<f64> {
    for (i, v) in [start, end].into_iter().enumerate() {
        if !(v.is_finite() && v > 0.0) {
            return Err(Error::OutOfDomain {
                arg: "value",
                index: i,
                value: v,
                requirement: "positive and finite (the CAGR needs positive values)",
            });
        }
    }
    if !(years.is_finite() && years > 0.0) {
        return Err(Error::invalid(
            "years",
            format!("must be positive, got {years}"),
        ));
    }
    Ok((end / start).powf(1.0 / years) - 1.0)
}

/// Eurostat category with a quantified target from the ratio of actual to required growth.
pub fn eurostat_category_with_target(ratio: f64) -> Category {
    if ratio >= EUROSTAT_SIGNIFICANT {
        Category::SignificantProgress
    } else if ratio >= EUROSTAT_MODERATE {
        Category::ModerateProgress
    } else if ratio >= 0.0 {
        Category::InsufficientProgress
    } else {
        Category::MovingAway
    }
}

/// Eurostat category without a target from the direction-adjusted CAGR `d·CAGR`.
pub fn eurostat_category_without_target(adjusted_cagr: f64) -> Category {
    if adjusted_cagr > EUROSTAT_NO_TARGET {
        Category::SignificantProgress
    } else if adjusted_cagr >= 0.0 {
        Category::ModerateProgress
    } else if adjusted_cagr >= -EUROSTAT_NO_TARGET {
        Category::ModerateMovementAway
    } else {
        Category::SignificantMovementAway
    }
}

/// UN progress-chart category from the progress ratio `P`.
pub fn un_category(p: f64) -> Category {
    if p >= 0.95 {
        Category::OnTrack
    } else if p >= 0.5 {
        Category::FairProgress
    } else if p >= 0.1 {
        Category::LimitedProgress
    } else if p >= -0.1 {
        Category::Stagnation
    } else {
        Category::Regression
    }
}

/// Sorted, validated copy of a `(year, value)` series cut at `at` (inclusive).
fn prepare(series: &[(i32, f64)], at: Option<i32>) -> Result<Vec<(i32, f64)>> {
    if series.is_empty() {
        return Err(Error::Empty { arg: "series" });
    }
    let mut s = series.to_vec();
    s.sort_by_key(|&(y, _)| y);
    for (i, w) in s.windows(2).enumerate() {
        if w[0].0 == w[1].0 {
            return Err(Error::invalid(
                "series",
                format!("year {} appears twice (row {})", w[0].0, i + 1),
            ));
        }
    }
    for (i, &(_, v)) in s.iter().enumerate() {
        if v.is_nan() {
            return Err(Error::Missing {
                arg: "series",
                index: i,
                options: MissingOptions::None,
            });
        }
        if !v.is_finite() {
            return Err(Error::NonFinite {
                arg: "series",
                index: i,
                value: v,
            });
        }
    }
    if let Some(at) = at {
        if !s.iter().any(|&(y, _)| y == at) {
            return Err(period_out_of_range("at", at, &s));
        }
        s.retain(|&(y, _)| y <= at);
    }
    Ok(s)
}

fn period_out_of_range(arg: &'static str, year: i32, s: &[(i32, f64)]) -> Error {
    let (first, last) = (s[0].0, s[s.len() - 1].0);
    Error::invalid(
        arg,
        format!(
            "no value for {year} in the series (it has {} years, {first}–{last})",
            s.len()
        ),
    )
}

fn value_at(s: &[(i32, f64)], year: i32, arg: &'static str) -> Result<f64> {
    s.iter()
        .find(|&&(y, _)| y == year)
        .map(|&(_, v)| v)
        .ok_or_else(|| period_out_of_range(arg, year, s))
}

fn pct(x: f64) -> String {
    format!("{:+.2} %/yr", 100.0 * x)
}

fn num(x: f64) -> String {
    if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

fn signed(x: f64) -> String {
    let s = num(x);
    if x >= 0.0 { format!("+{s}") } else { s }
}

/// True when `latest` meets `target` in the indicator's direction.
pub fn target_met(latest: f64, target: f64, direction: Direction) -> bool {
    direction.sign() * (latest - target) >= 0.0
}

/// Eurostat's SDG method over the short (5-year) or long (15-year) window ending at
/// the latest year (or `at`).
///
/// With `target = Some((value, year))`: required CAGR from the window start to the
/// target, ratio = observed / required, cut-offs 95 / 60 / 0 %; "target met" when the
/// latest value already meets the target. Without a target: direction-adjusted CAGR
/// against ±1 %/yr. The window starts `term.years()` before the latest year; when
/// that year is missing, the earliest year inside the window at least
/// `term.min_years()` before the latest is used (the text says so).
///
/// # Errors
/// [`Error::TooFew`] when no acceptable window start exists; [`Error::OutOfDomain`]
/// for non-positive values; [`Error::InvalidArgument`] for a target year not after
/// the window start, an `at` year not in the series, duplicated years.
pub fn eurostat(
    series: &[(i32, f64)],
    direction: Direction,
    target: Option<(f64, i32)>,
    term: Term,
    at: Option<i32>,
) -> Result<Assessment> {
    let s = prepare(series, at)?;
    let (t, x_t) = s[s.len() - 1];
    let nominal = t - term.years();
    let (b, x_b) = match s.iter().find(|&&(y, _)| y == nominal) {
        Some(&p) => p,
        None => *s
            .iter()
            .find(|&&(y, _)| y > nominal && t - y >= term.min_years())
            .ok_or_else(|| {
                Error::too_few(
                    format!(
                        "Eurostat {} term (window {nominal}–{t})",
                        if term == Term::Short { "short" } else { "long" }
                    ),
                    "years of span",
                    term.min_years() as usize,
                    (t - s[0].0).max(0) as usize,
                )
            })?,
    };
    let method = match term {
        Term::Short => "eurostat_short",
        Term::Long => "eurostat_long",
    };
    let observed = cagr(x_b, x_t, f64::from(t - b))?;
    let d = direction.sign();
    let fallback = if b == nominal {
        String::new()
    } else {
        format!(" (shortened window: no value for {nominal})")
    };
    let mut numbers = ProgressNumbers {
        baseline_year: b,
        baseline: x_b,
        year: t,
        value: x_t,
        change: x_t - x_b,
        target_value: None,
        target_year: None,
        required_change: None,
        share_of_required: None,
        cagr: Some(observed),
        required_cagr: None,
        ratio: None,
        projected: None,
    };
    let label = format!("Eurostat {b}–{t}{fallback}");
    let (category, text) = match target {
        None => {
            let c = eurostat_category_without_target(d * observed);
            (
                c,
                format!(
                    "{label}: CAGR {} ({}), no quantified target: {}",
                    pct(observed),
                    if d > 0.0 {
                        "higher is better"
                    } else {
                        "lower is better"
                    },
                    c.label()
                ),
            )
        }
        Some((x_star, year)) => {
            if !x_star.is_finite() {
                return Err(Error::invalid("target", "must be finite"));
            }
            numbers.target_value = Some(x_star);
            numbers.target_year = Some(year);
            numbers.required_change = Some(x_star - x_b);
            if target_met(x_t, x_star, direction) {
                (
                    Category::TargetMet,
                    format!(
                        "{label}: latest {} meets the target {}: target met",
                        num(x_t),
                        num(x_star)
                    ),
                )
            } else {
                if year <= b {
                    return Err(Error::invalid(
                        "target_year",
                        format!("{year} must be after the window start {b}"),
                    ));
                }
                let required = cagr(x_b, x_star, f64::from(year - b))?;
                numbers.required_cagr = Some(required);
                if d * required <= 0.0 {
                    // The window start already met the target and the latest value no
                    // longer does: the indicator moved away from it.
                    (
                        Category::MovingAway,
                        format!(
                            "{label}: {} in {b} met the target {} but {} in {t} does not: moving away",
                            num(x_b),
                            num(x_star),
                            num(x_t)
                        ),
                    )
                } else {
                    let ratio = observed / required;
                    numbers.ratio = Some(ratio);
                    let c = eurostat_category_with_target(ratio);
                    (
                        c,
                        format!(
                            "{label}: CAGR {} vs {} needed for {} by {year} (ratio {:.0} %): {}",
                            pct(observed),
                            pct(required),
                            num(x_star),
                            100.0 * ratio,
                            c.label()
                        ),
                    )
                }
            }
        }
    };
    Ok(Assessment {
        method: method.into(),
        category,
        numbers,
        text,
    })
}

/// The UN SDG progress-chart ratio: project the latest value to the target year at
/// the CAGR observed since the baseline, `x̂_T = x_t (1 + CAGR)^(T − t)`, and compare
/// the projected change with the change needed, `P = (x̂_T − x_b) / (x* − x_b)`.
/// Categories: ≥ 0.95 on track, 0.5–0.95 fair, 0.1–0.5 limited, −0.1–0.1 stagnation,
/// < −0.1 regression; "target met" when the latest value meets the target. When the
/// target year has passed, the projection is the latest value.
///
/// `baseline_year` defaults to the first year of the series.
///
/// # Errors
/// [`Error::TooFew`] with fewer than two years; [`Error::OutOfDomain`] for
/// non-positive values; [`Error::InvalidArgument`] for a baseline or `at` year
/// missing from the series.
pub fn un_progress_chart(
    series: &[(i32, f64)],
    direction: Direction,
    target_value: f64,
    target_year: i32,
    baseline_year: Option<i32>,
    at: Option<i32>,
) -> Result<Assessment> {
    let s = prepare(series, at)?;
    if !target_value.is_finite() {
        return Err(Error::invalid("target_value", "must be finite"));
    }
    let b = baseline_year.unwrap_or(s[0].0);
    let x_b = value_at(&s, b, "baseline_year")?;
    let (t, x_t) = s[s.len() - 1];
    if t <= b {
        return Err(Error::too_few(
            "UN progress chart (baseline to latest)",
            "years",
            2,
            1,
        ));
    }
    let g = cagr(x_b, x_t, f64::from(t - b))?;
    let horizon = f64::from((target_year - t).max(0));
    let projected = x_t * (1.0 + g).powf(horizon);
    let mut numbers = ProgressNumbers {
        baseline_year: b,
        baseline: x_b,
        year: t,
        value: x_t,
        change: x_t - x_b,
        target_value: Some(target_value),
        target_year: Some(target_year),
        required_change: Some(target_value - x_b),
        share_of_required: None,
        cagr: Some(g),
        required_cagr: None,
        ratio: None,
        projected: Some(projected),
    };
    let d = direction.sign();
    let (category, text) = if target_met(x_t, target_value, direction) {
        (
            Category::TargetMet,
            format!(
                "UN progress chart {b}–{t}: latest {} meets the target {}: target met",
                num(x_t),
                num(target_value)
            ),
        )
    } else if d * (target_value - x_b) <= 0.0 {
        (
            Category::Regression,
            format!(
                "UN progress chart {b}–{t}: {} in {b} met the target {} but {} in {t} does not: regression",
                num(x_b),
                num(target_value),
                num(x_t)
            ),
        )
    } else {
        let p = (projected - x_b) / (target_value - x_b);
        numbers.ratio = Some(p);
        let c = un_category(p);
        (
            c,
            format!(
                "UN progress chart {b}–{t}: projected {} in {target_year} covers {:.0} % of the change to {}: {}",
                num(projected),
                100.0 * p,
                num(target_value),
                c.label()
            ),
        )
    };
    Ok(Assessment {
        method: "un_progress_chart".into(),
        category,
        numbers,
        text,
    })
}
