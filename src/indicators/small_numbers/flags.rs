//! Funnel flags per group: every area's funnel-plot label against the other areas
//! of its own group (KPI × year × sex, say), in one call over a long frame.

use crate::error::{Error, MissingOptions, Result};
use crate::indicators::Groups;
use crate::indicators::funnel::{FunnelData, FunnelOptions, funnel_significance};
use crate::validate::MissingPolicy;

/// The columns `data` has, with their names.
fn present<'a>(data: &FunnelData<'a>) -> Vec<(&'static str, &'a [f64])> {
    let mut cols = vec![("count", data.count)];
    for (arg, c) in [
        ("population", data.population),
        ("expected", data.expected),
        ("rate", data.rate),
    ] {
        if let Some(c) = c {
            cols.push((arg, c));
        }
    }
    cols
}

/// The label of [`funnel_significance`] for every row, computed within each group
/// (`None` for rows left out under [`MissingPolicy::Drop`], and for every row of a
/// group with no complete row).
///
/// # Errors
/// As [`funnel_significance`], naming the input row; a missing value under
/// [`MissingPolicy::Error`] names its column and row.
///
/// ```
/// use jamlik::indicators::{Groups, funnel::FunnelData, small_numbers::funnel_flags};
/// let count = [5.0, 50.0, 52.0, 500.0, 10.0, 11.0];
/// let population = [100.0, 100.0, 100.0, 1000.0, 100.0, 100.0];
/// let data = FunnelData { count: &count, population: Some(&population), ..FunnelData::default() };
/// let groups = Groups::from_codes(&[0, 0, 0, 0, 1, 1])?;
/// let flags = funnel_flags(&data, &groups, &Default::default())?;
/// assert_eq!(flags[0].as_deref(), Some("Low (0.001)"));
/// assert_eq!(flags[4].as_deref(), Some("Not significant"));
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn funnel_flags(
    data: &FunnelData<'_>,
    groups: &Groups,
    opts: &FunnelOptions,
) -> Result<Vec<Option<String>>> {
    let cols = present(data);
    let n = data.count.len();
    for &(arg, c) in &cols[1..] {
        crate::validate::same_length(arg, "count", n, c.len())?;
    }
    groups.check_len("count", n)?;
    opts.missing.check_offered(MissingOptions::Drop)?;
    if opts.missing == MissingPolicy::Error {
        for i in 0..n {
            if let Some(&(arg, _)) = cols.iter().find(|(_, c)| c[i].is_nan()) {
                return Err(Error::Missing {
                    arg,
                    index: i,
                    options: MissingOptions::Drop,
                });
            }
        }
    }
    let per_group = groups.map(|rows| {
        let complete: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| cols.iter().all(|(_, c)| !c[i].is_nan()))
            .collect();
        if complete.is_empty() {
            return Ok(Vec::new());
        }
        let pick = |c: &[f64]| complete.iter().map(|&i| c[i]).collect::<Vec<f64>>();
        let (count, population, expected, rate) = (
            pick(data.count),
            data.population.map(pick),
            data.expected.map(pick),
            data.rate.map(pick),
        );
        let subset = FunnelData {
            count: &count,
            population: population.as_deref(),
            expected: expected.as_deref(),
            rate: rate.as_deref(),
        };
        let s = funnel_significance(&subset, opts).map_err(|e| e.remap_rows(&complete))?;
        Ok(s.rows
            .into_iter()
            .zip(s.labels)
            .map(|(r, label)| (complete[r], label))
            .collect())
    })?;
    let mut out = vec![None; n];
    for (i, label) in per_group.into_iter().flatten() {
        out[i] = Some(label);
    }
    Ok(out)
}
