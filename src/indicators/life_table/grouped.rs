//! All groups' life tables in parallel, and the public entry points.

use super::chiang::{Input, Out, Scratch, Zs, group_table, take_front};
use super::{LifeTableOptions, LifeTableRow, LifeTables};
use crate::error::{Error, MissingOptions, Result};
use crate::indicators::check_levels;
use crate::indicators::grouped::{Grouped, Groups};
use rayon::prelude::*;

/// Groups per parallel task (the work of one group is small).
const GROUPS_PER_TASK: usize = 64;

/// All groups' tables into columns, groups in parallel (each on its own, so
/// the numbers do not depend on the thread count).
fn tables(input: Input<'_>, groups: &Groups, opts: &LifeTableOptions) -> Result<LifeTables> {
    let zs = Zs::new(opts);
    let n = groups.rows_len();
    let nl = opts.levels.len();
    let mut t = LifeTables {
        levels: opts.levels.clone(),
        min_population: opts.min_population,
        max_ci_width: opts.max_ci_width,
        offsets: groups.offsets().to_vec(),
        first_row: groups.first_rows(),
        age: vec![0.0; n],
        value: vec![0.0; n],
        se: vec![0.0; n],
        population: vec![0.0; n],
        count: vec![0.0; n],
        lower: vec![vec![0.0; n]; nl],
        upper: vec![vec![0.0; n]; nl],
        note: vec![None; n],
    };
    let offsets = &t.offsets;
    let ng = offsets.len() - 1;
    let mut tasks: Vec<(usize, usize, Out<'_>)> = Vec::with_capacity(ng / GROUPS_PER_TASK + 1);
    {
        let mut age = &mut t.age[..];
        let mut value = &mut t.value[..];
        let mut se = &mut t.se[..];
        let mut population = &mut t.population[..];
        let mut count = &mut t.count[..];
        let mut lower: Vec<&mut [f64]> = t.lower.iter_mut().map(|v| &mut v[..]).collect();
        let mut upper: Vec<&mut [f64]> = t.upper.iter_mut().map(|v| &mut v[..]).collect();
        let mut note = &mut t.note[..];
        for g0 in (0..ng).step_by(GROUPS_PER_TASK) {
            let g1 = (g0 + GROUPS_PER_TASK).min(ng);
            let len = offsets[g1] - offsets[g0];
            tasks.push((
                g0,
                g1,
                Out {
                    age: take_front(&mut age, len),
                    value: take_front(&mut value, len),
                    se: take_front(&mut se, len),
                    population: take_front(&mut population, len),
                    count: take_front(&mut count, len),
                    lower: lower.iter_mut().map(|c| take_front(c, len)).collect(),
                    upper: upper.iter_mut().map(|c| take_front(c, len)).collect(),
                    note: take_front(&mut note, len),
                },
            ));
        }
    }
    let first_failure = tasks
        .into_par_iter()
        .map_init(Scratch::default, |scratch, (g0, g1, mut out)| {
            for g in g0..g1 {
                let at = offsets[g] - offsets[g0];
                if let Err(e) = group_table(input, groups.rows(g), opts, &zs, scratch, &mut out, at)
                {
                    return Some((g, e));
                }
            }
            None
        })
        .filter_map(|failure| failure)
        .min_by_key(|(g, _)| *g);
    match first_failure {
        Some((_, e)) => Err(e),
        None => Ok(t),
    }
}

fn check(count: &[f64], population: &[f64], age: &[f64], opts: &LifeTableOptions) -> Result<()> {
    check_levels(&opts.levels)?;
    crate::validate::non_empty("count", count)?;
    crate::validate::same_length("population", "count", count.len(), population.len())?;
    crate::validate::same_length("age_band", "count", count.len(), age.len())?;
    if let Some(i) = age.iter().position(|a| a.is_infinite()) {
        return Err(Error::NonFinite {
            arg: "age_band",
            index: i,
            value: age[i],
        });
    }
    if let Some(layout) = &opts.layout {
        crate::validate::finite("layout", layout)?;
        if layout.first() != Some(&0.0) || layout.windows(2).any(|w| w[1] <= w[0]) {
            return Err(Error::invalid(
                "layout",
                "band start ages must increase strictly from 0",
            ));
        }
    }
    for (arg, v) in [
        ("min_population", opts.min_population),
        ("max_ci_width", opts.max_ci_width),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(
                    arg,
                    format!("must be a non-negative number, got {v}"),
                ));
            }
        }
    }
    Ok(())
}

/// Life expectancy at every band start age of one population.
///
/// # Errors
/// Negative death counts, populations ≤ 0, deaths above population, a
/// missing value (see [`LifeTableOptions::missing`]), a missing, repeated or
/// unexpected age band, bad levels or options.
///
/// ```
/// use jamlik::indicators::{life_expectancy, LifeTableOptions};
/// use jamlik::indicators::life_table::STANDARD_20;
/// let deaths: Vec<f64> = (0..20).map(|i| 5.0 + 3.0 * f64::from(i) * f64::from(i)).collect();
/// let population = vec![20_000.0; 20];
/// let rows = life_expectancy(&deaths, &population, &STANDARD_20, &LifeTableOptions::default())?;
/// assert_eq!(rows.len(), 20);
/// assert!(rows[0].indicator.value.unwrap() > rows[1].indicator.value.unwrap() - 1.0);
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn life_expectancy(
    count: &[f64],
    population: &[f64],
    age: &[f64],
    opts: &LifeTableOptions,
) -> Result<Vec<LifeTableRow>> {
    let t = life_tables_by(count, population, age, &Groups::single(count.len()), opts)?;
    if t.groups() == 0 {
        return Err(Error::Empty { arg: "count" });
    }
    Ok(t.rows(0))
}

/// Life expectancy per group (municipality × year × sex ...) in one call, as
/// columns: the fast form for long frames (no allocation per row).
///
/// # Errors
/// As [`life_expectancy`], for the first failing group (in group order).
pub fn life_tables_by(
    count: &[f64],
    population: &[f64],
    age: &[f64],
    groups: &Groups,
    opts: &LifeTableOptions,
) -> Result<LifeTables> {
    check(count, population, age, opts)?;
    groups.check_len("count", count.len())?;
    let groups = opts.missing.apply(
        groups,
        &[
            ("count", count, true),
            ("population", population, false),
            ("age_band", age, false),
        ],
        MissingOptions::DropOrZero,
    )?;
    let input = Input {
        count,
        population,
        age,
    };
    tables(input, &groups, opts)
}

/// Life expectancy per group in one call, as rows per group (convenient for
/// a few groups; [`life_tables_by`] is the fast form for many).
///
/// # Errors
/// As [`life_expectancy`], for the first failing group (in group order).
pub fn life_expectancy_by(
    count: &[f64],
    population: &[f64],
    age: &[f64],
    groups: &Groups,
    opts: &LifeTableOptions,
) -> Result<Grouped<Vec<LifeTableRow>>> {
    let t = life_tables_by(count, population, age, groups, opts)?;
    Ok(Grouped {
        first_row: t.first_row.clone(),
        results: (0..t.groups()).into_par_iter().map(|g| t.rows(g)).collect(),
    })
}
