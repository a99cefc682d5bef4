//! SKR-style change from the baseline, every applicable assessment of an indicator
//! against its goal, and the choice of series and methods for a catalogue goal.

use super::{
    Assessment, Category, ProgressNumbers, Term, eurostat, num, prepare, signed, target_met,
    un_progress_chart, value_at,
};
use crate::error::{Error, Result};
use crate::goals::follow_up::ValueSource;
use crate::goals::model::{Goal, Indicator, Target, TargetKind};
use crate::vocabulary::Sex;

/// SKR-style follow-up: the change from the baseline year to the latest year (or
/// `at`) against the target.
///
/// - change target (`+2 pp`, `−10 per 1,000`): share = change / required change;
///   ≥ 1 target met, > 0 improved, 0 no change, < 0 worsened;
/// - level target: target met when the latest value meets the level, else as above
///   with required change = level − baseline;
/// - direction-only target: improved / no change / worsened.
///
/// # Errors
/// [`Error::InvalidArgument`] when the target has no baseline year, the baseline or
/// `at` year is missing from the series, or the target's unit does not fit the
/// indicator (see [`Target::change_in_kpi_units`]).
pub fn change_from_baseline(
    series: &[(i32, f64)],
    indicator: &Indicator,
    target: &Target,
    at: Option<i32>,
) -> Result<Assessment> {
    let s = prepare(series, at)?;
    let b = target
        .baseline_year
        .ok_or_else(|| Error::invalid("baseline_year", "the target has no baseline year"))?;
    let x_b = value_at(&s, b, "baseline_year")?;
    let (t, x_t) = s[s.len() - 1];
    if t < b {
        return Err(Error::invalid(
            "at",
            format!("latest year {t} is before the baseline year {b}"),
        ));
    }
    let direction = indicator.direction;
    let d = direction.sign();
    let change = x_t - x_b;
    let target_value = target.target_value(indicator, x_b)?;
    let mut numbers = ProgressNumbers {
        baseline_year: b,
        baseline: x_b,
        year: t,
        value: x_t,
        change,
        target_value,
        target_year: target.target_year,
        required_change: target_value.map(|v| v - x_b),
        share_of_required: None,
        cagr: None,
        required_cagr: None,
        ratio: None,
        projected: None,
    };
    let by_direction = |c: f64| {
        if d * c > 0.0 {
            Category::Improved
        } else if c == 0.0 {
            Category::NoChange
        } else {
            Category::Worsened
        }
    };
    let category = match (&target.kind, target_value) {
        (TargetKind::Direction, _) | (_, None) => by_direction(change),
        (_, Some(tv)) => {
            let required = tv - x_b;
            if required != 0.0 {
                numbers.share_of_required = Some(change / required);
            }
            if target_met(x_t, tv, direction) {
                Category::TargetMet
            } else {
                by_direction(change)
            }
        }
    };
    let goal = match (&target.kind, numbers.required_change) {
        (TargetKind::Direction, _) | (_, None) => {
            format!("target: {}", if d > 0.0 { "increase" } else { "decrease" })
        }
        (_, Some(r)) => format!(
            "target {} ({} by {})",
            signed(r),
            num(x_b + r),
            target
                .target_year
                .map_or_else(|| "—".to_string(), |y| y.to_string())
        ),
    };
    let text = format!(
        "change {b}–{t}: {} ({} → {}), {goal}: {}",
        signed(change),
        num(x_b),
        num(x_t),
        category.label()
    );
    Ok(Assessment {
        method: "skr_change".into(),
        category,
        numbers,
        text,
    })
}

/// All applicable assessments of one indicator series against its goal's target:
/// the SKR change from baseline; Eurostat short and long term (with the target
/// value when the target is quantified); the UN progress chart when quantified.
/// Methods that cannot run on the series (too few years, non-positive values) are
/// left out; the SKR change is always attempted and its error returned.
///
/// # Errors
/// As [`change_from_baseline`].
pub fn assess_indicator(
    series: &[(i32, f64)],
    indicator: &Indicator,
    target: &Target,
    at: Option<i32>,
) -> Result<Vec<Assessment>> {
    let skr = change_from_baseline(series, indicator, target, at)?;
    let quantified = match (skr.numbers.target_value, target.target_year) {
        (Some(v), Some(y)) => Some((v, y)),
        _ => None,
    };
    let mut out = vec![skr];
    for term in [Term::Short, Term::Long] {
        if let Ok(a) = eurostat(series, indicator.direction, quantified, term, at) {
            out.push(a);
        }
    }
    if let Some((v, y)) = quantified {
        if let Ok(a) =
            un_progress_chart(series, indicator.direction, v, y, target.baseline_year, at)
        {
            out.push(a);
        }
    }
    Ok(out)
}

/// Every applicable assessment ([`assess_indicator`]) of one area's series against a
/// catalogue goal: picks the goal's indicator (`kpi`, or its only KPI), reads the
/// right Kolada row for `sex` (the `T` row of a women/men KPI pair or of a KPI not
/// split by sex) from `source`, and assesses it. `area` is a Kolada id.
///
/// # Errors
/// As [`Goal::indicator_for`]; [`Error::Empty`] (argument `data`) when the source has
/// no value for the series; then as [`assess_indicator`].
pub fn assess_goal(
    source: &impl ValueSource,
    goal: &Goal,
    kpi: Option<&str>,
    area: &str,
    sex: Sex,
    at: Option<i32>,
) -> Result<Vec<Assessment>> {
    let indicator = goal.indicator_for(kpi)?;
    let kpi = match kpi {
        Some(k) => k,
        None => indicator
            .kpi
            .as_deref()
            .ok_or(Error::Empty { arg: "kpi" })?,
    };
    let series = source.series(kpi, area, indicator.row_for(kpi, sex));
    if series.is_empty() {
        return Err(Error::invalid(
            "data",
            format!(
                "no values for KPI {kpi}, area {area}, sex {}: check kpi=, municipality= and sex=",
                indicator.row_for(kpi, sex).code()
            ),
        ));
    }
    assess_indicator(&series, indicator, &goal.target, at)
}
