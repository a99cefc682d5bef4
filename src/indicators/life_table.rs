//! Life expectancy by Chiang's abridged life table (Chiang II), with the
//! Silcocks et al. (2001) variance term for the open-ended final band.
//!
//! For band i with start age xᵢ, width nᵢ, deaths Dᵢ, population Pᵢ and
//! `Mᵢ = Dᵢ/Pᵢ`; `aᵢ` = 0.1 for the infant band [0, 1) and 0.5 otherwise:
//!
//! ```text
//! qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ))   (1 when nᵢMᵢaᵢ ≥ 1, and 1 in the last band)
//! l₀ = 100 000, lᵢ₊₁ = lᵢ(1 − qᵢ), dᵢ = lᵢ − lᵢ₊₁
//! Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ),  L_ω = l_ω / M_ω
//! eᵢ = Σ_{j≥i} Lⱼ / lᵢ
//! Var(qᵢ) = qᵢ²(1 − qᵢ)/Dᵢ (0 when dᵢ = 0)
//! Wᵢ = lᵢ² Var(qᵢ) ((1 − aᵢ)nᵢ + eᵢ₊₁)²,  W_ω = l_ω² / (D_ω M_ω²)
//! SE(eᵢ) = √(Σ_{j≥i} Wⱼ) / lᵢ
//! ```
//!
//! Any layout of bands works (0, 1–4, five-year bands to 85+, 90+ or 95+ as
//! Swedish statistics publish, or the 20 standard bands of Fingertips); give
//! the expected layout in [`LifeTableOptions::layout`] so that a group with a
//! missing band is an error rather than a silently wider band.
//!
//! Suppression rules (both options, on by default as in Fingertips): a group
//! whose total population is at most 5 000 gets no values; a value whose 95%
//! interval is wider than 20 years is withheld (its limits are still given).
//! Undefined values are `None` with a note: no deaths in the open-ended band
//! (M_ω = 0 makes L_ω infinite) and ages that nobody reaches (l = 0 after a
//! band with q = 1).

use super::grouped::{Grouped, Groups};
use super::{Indicator, Limits, check_count, check_levels, check_positive, z};
use crate::error::{Error, Result};
use serde::Serialize;

/// The 20 standard bands of Fingertips: 0, 1–4, 5–9, …, 85–89, 90+.
pub const STANDARD_20: [f64; 20] = [
    0.0, 1.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0,
    75.0, 80.0, 85.0, 90.0,
];

/// Options of [`life_expectancy`].
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableOptions {
    /// Confidence levels.
    pub levels: Vec<f64>,
    /// Expected band start ages (every group must have exactly these); `None`
    /// accepts any increasing layout starting at 0. Default: [`STANDARD_20`].
    pub layout: Option<Vec<f64>>,
    /// Suppress a group whose total population is at most this (default 5 000).
    pub min_population: Option<f64>,
    /// Withhold a value whose 95% interval is wider than this many years (default 20).
    pub max_ci_width: Option<f64>,
}

impl Default for LifeTableOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            layout: Some(STANDARD_20.to_vec()),
            min_population: Some(5000.0),
            max_ci_width: Some(20.0),
        }
    }
}

/// Life expectancy at one age.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeTableRow {
    /// Start age of the band.
    pub age: f64,
    /// Standard error of the life expectancy, when defined.
    pub se: Option<f64>,
    /// Population at this age and older.
    pub population_used: f64,
    /// Deaths at this age and older.
    pub deaths_used: f64,
    /// Life expectancy and limits (method "Chiang, using Silcocks et al for confidence limits").
    pub indicator: Indicator,
}

const METHOD: &str = "Chiang, using Silcocks et al for confidence limits";

/// Critical values computed once per call (Φ⁻¹ is not free).
struct Zs {
    levels: Vec<f64>,
    z95: f64,
    wide_note: String,
}

impl Zs {
    fn new(opts: &LifeTableOptions) -> Self {
        Self {
            levels: opts.levels.iter().map(|&l| z(l)).collect(),
            z95: z(0.95),
            wide_note: format!(
                "withheld: the 95% interval is wider than {} years",
                opts.max_ci_width.unwrap_or(f64::NAN)
            ),
        }
    }
}

fn group_table(
    deaths: &[f64],
    population: &[f64],
    age: &[f64],
    rows: &[usize],
    opts: &LifeTableOptions,
    zs: &Zs,
) -> Result<Vec<LifeTableRow>> {
    let levels = &opts.levels;
    let mut order: Vec<usize> = rows.to_vec();
    order.sort_by(|&a, &b| age[a].total_cmp(&age[b]));
    for w in order.windows(2) {
        if age[w[0]] == age[w[1]] {
            return Err(Error::invalid(
                "age_band",
                format!(
                    "the band starting at {} appears twice in one group (rows {} and {})",
                    age[w[0]], w[0], w[1]
                ),
            ));
        }
    }
    let starts: Vec<f64> = order.iter().map(|&i| age[i]).collect();
    if let Some(layout) = &opts.layout {
        if starts != *layout {
            let missing: Vec<f64> = layout
                .iter()
                .copied()
                .filter(|a| !starts.contains(a))
                .collect();
            let extra: Vec<f64> = starts
                .iter()
                .copied()
                .filter(|a| !layout.contains(a))
                .collect();
            return Err(Error::invalid(
                "age_band",
                format!(
                    "a group (first row {}) does not have the expected age bands: missing {missing:?}, unexpected {extra:?}",
                    rows[0]
                ),
            ));
        }
    } else if starts[0] != 0.0 {
        return Err(Error::invalid(
            "age_band",
            format!(
                "the youngest band of a group (first row {}) must start at 0",
                rows[0]
            ),
        ));
    }
    let k = order.len();
    if k < 2 {
        return Err(Error::too_few("a life table", "age bands", 2, k));
    }
    // One scratch allocation per group for every column of the table.
    let mut buf = vec![0.0f64; 14 * k];
    let (d, rest) = buf.split_at_mut(k);
    let (p, rest) = rest.split_at_mut(k);
    let (pops_used, rest) = rest.split_at_mut(k);
    let (dths_used, rest) = rest.split_at_mut(k);
    let (width, rest) = rest.split_at_mut(k);
    let (a, rest) = rest.split_at_mut(k);
    let (m, rest) = rest.split_at_mut(k);
    let (q, rest) = rest.split_at_mut(k);
    let (l, rest) = rest.split_at_mut(k);
    let (big_l, rest) = rest.split_at_mut(k);
    let (t, rest) = rest.split_at_mut(k);
    let (e, rest) = rest.split_at_mut(k);
    let (w, se_rev) = rest.split_at_mut(k);
    for (j, &i) in order.iter().enumerate() {
        d[j] = deaths[i];
        p[j] = population[i];
        check_count("deaths", i, d[j])?;
        check_positive("population", i, p[j])?;
        if d[j] > p[j] {
            return Err(Error::OutOfBounds {
                arg: "deaths",
                index: i,
                value: d[j],
                lower: 0.0,
                upper: p[j],
            });
        }
    }
    // Cumulative totals from the oldest band down.
    let (mut sp, mut sd) = (0.0, 0.0);
    for j in (0..k).rev() {
        sp += p[j];
        sd += d[j];
        pops_used[j] = sp;
        dths_used[j] = sd;
    }
    let pops_used = &*pops_used;
    let dths_used = &*dths_used;
    let row = |j: usize, se: Option<f64>, indicator: Indicator| LifeTableRow {
        age: starts[j],
        se,
        population_used: pops_used[j],
        deaths_used: dths_used[j],
        indicator,
    };
    if let Some(min) = opts.min_population {
        if pops_used[0] <= min {
            let note = format!(
                "suppressed: total population {} is at most {min}",
                pops_used[0]
            );
            return Ok((0..k)
                .map(|j| row(j, None, Indicator::suppressed(levels, METHOD, note.clone())))
                .collect());
        }
    }
    let last = k - 1;
    for j in 0..k {
        width[j] = if j < last {
            starts[j + 1] - starts[j]
        } else {
            f64::NAN
        };
        a[j] = if starts[j] == 0.0 && width[j] == 1.0 {
            0.1
        } else {
            0.5
        };
        m[j] = d[j] / p[j];
        q[j] = if j == last {
            1.0
        } else {
            let nm = width[j] * m[j];
            if nm * a[j] >= 1.0 {
                1.0
            } else {
                nm / (1.0 + nm * (1.0 - a[j]))
            }
        };
    }
    l[0] = 100_000.0;
    for j in 0..last {
        l[j + 1] = l[j] * (1.0 - q[j]);
    }
    if l[last] > 0.0 && d[last] == 0.0 {
        let note = "undefined: no deaths in the open-ended last band (its mortality rate is 0)";
        return Ok((0..k)
            .map(|j| row(j, None, Indicator::suppressed(levels, METHOD, note)))
            .collect());
    }
    for j in 0..k {
        big_l[j] = if j == last {
            if l[j] > 0.0 { l[j] / m[j] } else { 0.0 }
        } else {
            let dj = l[j] - l[j + 1];
            width[j] * (l[j + 1] + a[j] * dj)
        };
    }
    let mut acc = 0.0;
    for j in (0..k).rev() {
        acc += big_l[j];
        t[j] = acc;
    }
    for j in 0..k {
        e[j] = if l[j] > 0.0 { t[j] / l[j] } else { 0.0 };
    }
    for j in 0..k {
        w[j] = if l[j] == 0.0 {
            0.0
        } else if j == last {
            l[j] * l[j] / (d[j] * m[j] * m[j])
        } else {
            let dj = l[j] - l[j + 1];
            let var_q = if dj == 0.0 || d[j] == 0.0 {
                0.0
            } else {
                q[j] * q[j] * (1.0 - q[j]) / d[j]
            };
            let f = (1.0 - a[j]) * width[j] + e[j + 1];
            l[j] * l[j] * var_q * f * f
        };
    }
    let z95 = zs.z95;
    let mut out = Vec::with_capacity(k);
    let mut sum_w = 0.0;
    for j in (0..k).rev() {
        sum_w += w[j];
        se_rev[j] = if l[j] > 0.0 {
            sum_w.sqrt() / l[j]
        } else {
            f64::NAN
        };
    }
    for j in 0..k {
        if l[j] == 0.0 {
            out.push(row(
                j,
                None,
                Indicator::suppressed(
                    levels,
                    METHOD,
                    "undefined: nobody survives to this age (q = 1 in a younger band)",
                ),
            ));
            continue;
        }
        let se = se_rev[j];
        let limits = levels
            .iter()
            .zip(&zs.levels)
            .map(|(&level, &zl)| Limits::new(level, e[j] - zl * se, e[j] + zl * se))
            .collect();
        let too_wide = opts.max_ci_width.is_some_and(|wmax| 2.0 * z95 * se > wmax);
        let note = too_wide.then(|| zs.wide_note.clone());
        out.push(row(
            j,
            Some(se),
            Indicator {
                value: if too_wide { None } else { Some(e[j]) },
                limits,
                method: METHOD,
                note,
            },
        ));
    }
    Ok(out)
}

fn check(deaths: &[f64], population: &[f64], age: &[f64], opts: &LifeTableOptions) -> Result<()> {
    check_levels(&opts.levels)?;
    crate::validate::non_empty("deaths", deaths)?;
    crate::validate::same_length("population", "deaths", deaths.len(), population.len())?;
    crate::validate::same_length("age_band", "deaths", deaths.len(), age.len())?;
    crate::validate::finite("age_band", age)?;
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
/// Negative deaths, populations ≤ 0, deaths above population, a missing,
/// repeated or unexpected age band, bad levels or options.
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
    deaths: &[f64],
    population: &[f64],
    age: &[f64],
    opts: &LifeTableOptions,
) -> Result<Vec<LifeTableRow>> {
    check(deaths, population, age, opts)?;
    let rows: Vec<usize> = (0..deaths.len()).collect();
    group_table(deaths, population, age, &rows, opts, &Zs::new(opts))
}

/// Life expectancy per group (municipality × year × sex ...) in one call.
///
/// # Errors
/// As [`life_expectancy`], for the first failing group.
pub fn life_expectancy_by(
    deaths: &[f64],
    population: &[f64],
    age: &[f64],
    groups: &Groups,
    opts: &LifeTableOptions,
) -> Result<Grouped<Vec<LifeTableRow>>> {
    check(deaths, population, age, opts)?;
    groups.check_len("deaths", deaths.len())?;
    let zs = Zs::new(opts);
    let results = groups.map(|rows| group_table(deaths, population, age, rows, opts, &zs))?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}
