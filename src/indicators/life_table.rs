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
use rayon::prelude::*;
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

/// Life expectancy at one age (the row view of [`LifeTables`]).
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

/// The method of every life expectancy.
pub const METHOD: &str = "Chiang, using Silcocks et al for confidence limits";

/// Why a life expectancy is missing or withheld; [`LifeTables::note_text`]
/// gives the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[repr(u8)]
pub enum LifeTableNote {
    /// The group's total population is at most `min_population`: no value, no limits.
    SmallPopulation = 1,
    /// No deaths in the open-ended last band (its mortality rate is 0, so
    /// `L_ω` is infinite): no value, no limits.
    NoDeathsInLastBand = 2,
    /// Nobody survives to this age (q = 1 in a younger band): no value, no limits.
    NobodySurvives = 3,
    /// The 95% interval is wider than `max_ci_width`: value withheld, limits given.
    WideInterval = 4,
}

/// Life tables of many groups, column by column: one entry per (group, band),
/// the groups in order of first appearance, the bands of each group by start
/// age.
///
/// Columnar so that one call over a long frame (17 400 groups × 20 bands)
/// fills a handful of vectors instead of allocating a result per row, and so
/// that the columns move to numpy without copying. The accessors give `None`
/// for a missing number ([`LifeTables::note`] says why); the `*_nan` slices
/// and [`LifeTables::into_columns`] hold NaN in its place, for array libraries.
///
/// ```
/// use jamlik::indicators::{life_tables_by, Groups, LifeTableOptions};
/// use jamlik::indicators::life_table::STANDARD_20;
/// // Two areas, 20 bands each.
/// let deaths: Vec<f64> = (0..40).map(|i| 5.0 + 3.0 * f64::from(i % 20).powi(2)).collect();
/// let population = vec![20_000.0; 40];
/// let ages: Vec<f64> = STANDARD_20.iter().chain(&STANDARD_20).copied().collect();
/// let codes: Vec<i64> = (0..40).map(|i| i / 20).collect();
/// let groups = Groups::from_codes(&codes)?;
/// let t = life_tables_by(&deaths, &population, &ages, &groups, &LifeTableOptions::default())?;
/// assert_eq!((t.groups(), t.len()), (2, 40));
/// let at_birth = t.group(1).start;
/// assert_eq!(t.age()[at_birth], 0.0);
/// assert!(t.value(at_birth).unwrap() > 40.0);
/// assert_eq!(t.row(at_birth).indicator.value, t.value(at_birth));
/// # Ok::<(), jamlik::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTables {
    levels: Vec<f64>,
    min_population: Option<f64>,
    max_ci_width: Option<f64>,
    offsets: Vec<usize>,
    first_row: Vec<usize>,
    age: Vec<f64>,
    value: Vec<f64>,
    se: Vec<f64>,
    population_used: Vec<f64>,
    deaths_used: Vec<f64>,
    lower: Vec<Vec<f64>>,
    upper: Vec<Vec<f64>>,
    note: Vec<Option<LifeTableNote>>,
}

/// The columns of [`LifeTables`], owned, with NaN for a missing number.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableColumns {
    /// Output rows of group g: `offsets[g]..offsets[g + 1]`.
    pub offsets: Vec<usize>,
    /// First input row of each group (to attach the group keys).
    pub first_row: Vec<usize>,
    /// Start age of the band.
    pub age: Vec<f64>,
    /// Life expectancy (NaN when missing or withheld).
    pub value: Vec<f64>,
    /// Standard error (NaN when undefined).
    pub se: Vec<f64>,
    /// Population at this age and older.
    pub population_used: Vec<f64>,
    /// Deaths at this age and older.
    pub deaths_used: Vec<f64>,
    /// Lower limits, one column per requested level (NaN when missing).
    pub lower: Vec<Vec<f64>>,
    /// Upper limits, one column per requested level (NaN when missing).
    pub upper: Vec<Vec<f64>>,
    /// Why a number is missing.
    pub note: Vec<Option<LifeTableNote>>,
}

fn defined(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

impl LifeTables {
    /// Number of output rows (all groups).
    pub fn len(&self) -> usize {
        self.age.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// Number of groups.
    pub fn groups(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The output rows of group `g`.
    pub fn group(&self, g: usize) -> std::ops::Range<usize> {
        self.offsets[g]..self.offsets[g + 1]
    }

    /// The group of output row `i`.
    pub fn group_of(&self, i: usize) -> usize {
        self.offsets.partition_point(|&o| o <= i) - 1
    }

    /// First input row of each group (to attach the group keys).
    pub fn first_row(&self) -> &[usize] {
        &self.first_row
    }

    /// The confidence levels, in the order requested.
    pub fn levels(&self) -> &[f64] {
        &self.levels
    }

    /// Start age of each row's band.
    pub fn age(&self) -> &[f64] {
        &self.age
    }

    /// Population at each row's age and older.
    pub fn population_used(&self) -> &[f64] {
        &self.population_used
    }

    /// Deaths at each row's age and older.
    pub fn deaths_used(&self) -> &[f64] {
        &self.deaths_used
    }

    /// Life expectancy of row `i`, unless missing or withheld.
    pub fn value(&self, i: usize) -> Option<f64> {
        defined(self.value[i])
    }

    /// Standard error of row `i`, when defined.
    pub fn se(&self, i: usize) -> Option<f64> {
        defined(self.se[i])
    }

    /// Limits of row `i` at the `k`-th requested level.
    pub fn limits(&self, i: usize, k: usize) -> Limits {
        Limits {
            level: self.levels[k],
            lower: defined(self.lower[k][i]),
            upper: defined(self.upper[k][i]),
        }
    }

    /// Why row `i` has no value (or no limits), if it has none.
    pub fn note(&self, i: usize) -> Option<LifeTableNote> {
        self.note[i]
    }

    /// The note of every row.
    pub fn notes(&self) -> &[Option<LifeTableNote>] {
        &self.note
    }

    /// The note of row `i` as a sentence.
    pub fn note_text(&self, i: usize) -> Option<String> {
        self.note[i].map(|n| self.sentence(self.group_of(i), n))
    }

    /// The sentence of a note in group `g`.
    fn sentence(&self, g: usize, note: LifeTableNote) -> String {
        match note {
            LifeTableNote::SmallPopulation => format!(
                "suppressed: total population {} is at most {}",
                self.population_used[self.offsets[g]],
                self.min_population.unwrap_or(f64::NAN)
            ),
            LifeTableNote::NoDeathsInLastBand => {
                "undefined: no deaths in the open-ended last band (its mortality rate is 0)".into()
            }
            LifeTableNote::NobodySurvives => {
                "undefined: nobody survives to this age (q = 1 in a younger band)".into()
            }
            LifeTableNote::WideInterval => format!(
                "withheld: the 95% interval is wider than {} years",
                self.max_ci_width.unwrap_or(f64::NAN)
            ),
        }
    }

    /// Life expectancies, NaN where [`LifeTables::value`] is `None`.
    pub fn value_nan(&self) -> &[f64] {
        &self.value
    }

    /// Standard errors, NaN where [`LifeTables::se`] is `None`.
    pub fn se_nan(&self) -> &[f64] {
        &self.se
    }

    /// Lower limits at the `k`-th level, NaN where missing.
    pub fn lower_nan(&self, k: usize) -> &[f64] {
        &self.lower[k]
    }

    /// Upper limits at the `k`-th level, NaN where missing.
    pub fn upper_nan(&self, k: usize) -> &[f64] {
        &self.upper[k]
    }

    /// Row `i` as a [`LifeTableRow`].
    pub fn row(&self, i: usize) -> LifeTableRow {
        self.row_with_note(i, self.note_text(i))
    }

    fn row_with_note(&self, i: usize, note: Option<String>) -> LifeTableRow {
        LifeTableRow {
            age: self.age[i],
            se: self.se(i),
            population_used: self.population_used[i],
            deaths_used: self.deaths_used[i],
            indicator: Indicator {
                value: self.value(i),
                limits: (0..self.levels.len()).map(|k| self.limits(i, k)).collect(),
                method: METHOD,
                note,
            },
        }
    }

    /// The rows of group `g`.
    pub fn rows(&self, g: usize) -> Vec<LifeTableRow> {
        // Each sentence is formatted once per group.
        let mut sentences: [Option<String>; 4] = Default::default();
        self.group(g)
            .map(|i| {
                let note = self.note[i].map(|n| {
                    sentences[n as usize - 1]
                        .get_or_insert_with(|| self.sentence(g, n))
                        .clone()
                });
                self.row_with_note(i, note)
            })
            .collect()
    }

    /// The owned columns (no copy).
    pub fn into_columns(self) -> LifeTableColumns {
        LifeTableColumns {
            offsets: self.offsets,
            first_row: self.first_row,
            age: self.age,
            value: self.value,
            se: self.se,
            population_used: self.population_used,
            deaths_used: self.deaths_used,
            lower: self.lower,
            upper: self.upper,
            note: self.note,
        }
    }
}

/// Critical values computed once per call (Φ⁻¹ is not free).
struct Zs {
    levels: Vec<f64>,
    z95: f64,
}

impl Zs {
    fn new(opts: &LifeTableOptions) -> Self {
        Self {
            levels: opts.levels.iter().map(|&l| z(l)).collect(),
            z95: z(0.95),
        }
    }
}

/// Per-thread working memory, reused from group to group.
#[derive(Default)]
struct Scratch {
    order: Vec<usize>,
    starts: Vec<f64>,
    buf: Vec<f64>,
}

/// The output rows of a run of consecutive groups.
struct Out<'a> {
    age: &'a mut [f64],
    value: &'a mut [f64],
    se: &'a mut [f64],
    population_used: &'a mut [f64],
    deaths_used: &'a mut [f64],
    lower: Vec<&'a mut [f64]>,
    upper: Vec<&'a mut [f64]>,
    note: &'a mut [Option<LifeTableNote>],
}

impl Out<'_> {
    /// Row `i` gets no value, no SE and no limits.
    fn missing(&mut self, i: usize, note: LifeTableNote) {
        self.value[i] = f64::NAN;
        self.se[i] = f64::NAN;
        for c in self.lower.iter_mut().chain(self.upper.iter_mut()) {
            c[i] = f64::NAN;
        }
        self.note[i] = Some(note);
    }
}

/// Splits the first `len` entries off a mutable slice (the slice variable is
/// advanced past them, hence the `&mut &mut`).
#[allow(clippy::mut_mut)]
fn take_front<'a, T>(s: &mut &'a mut [T], len: usize) -> &'a mut [T] {
    let (front, back) = std::mem::take(s).split_at_mut(len);
    *s = back;
    front
}

/// The input columns.
#[derive(Clone, Copy)]
struct Input<'a> {
    deaths: &'a [f64],
    population: &'a [f64],
    age: &'a [f64],
}

/// Computes the life table of one group into `out[at..at + rows.len()]`.
#[allow(clippy::too_many_lines)]
fn group_table(
    input: Input<'_>,
    rows: &[usize],
    opts: &LifeTableOptions,
    zs: &Zs,
    scratch: &mut Scratch,
    out: &mut Out<'_>,
    at: usize,
) -> Result<()> {
    let Input {
        deaths,
        population,
        age,
    } = input;
    let order = &mut scratch.order;
    order.clear();
    order.extend_from_slice(rows);
    // Long frames usually list the bands in order: skip the sort then.
    if order
        .windows(2)
        .any(|w| age[w[0]].total_cmp(&age[w[1]]).is_gt())
    {
        order.sort_by(|&a, &b| age[a].total_cmp(&age[b]));
    }
    let order = &*order;
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
    let starts = &mut scratch.starts;
    starts.clear();
    starts.extend(order.iter().map(|&i| age[i]));
    let starts = &*starts;
    if let Some(layout) = &opts.layout {
        if starts != layout {
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
    // Every column of the table in one reused buffer; each entry is written
    // before it is read.
    if scratch.buf.len() < 12 * k {
        scratch.buf.resize(12 * k, 0.0);
    }
    let (d, rest) = scratch.buf.split_at_mut(k);
    let (p, rest) = rest.split_at_mut(k);
    let (width, rest) = rest.split_at_mut(k);
    let (a, rest) = rest.split_at_mut(k);
    let (m, rest) = rest.split_at_mut(k);
    let (q, rest) = rest.split_at_mut(k);
    let (l, rest) = rest.split_at_mut(k);
    let (big_l, rest) = rest.split_at_mut(k);
    let (t, rest) = rest.split_at_mut(k);
    let (e, rest) = rest.split_at_mut(k);
    let (w, rest) = rest.split_at_mut(k);
    let se_rev = &mut rest[..k];
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
    // Cumulative totals from the oldest band down, straight into the output.
    let (mut sp, mut sd) = (0.0, 0.0);
    for j in (0..k).rev() {
        sp += p[j];
        sd += d[j];
        out.population_used[at + j] = sp;
        out.deaths_used[at + j] = sd;
        out.age[at + j] = starts[j];
    }
    if let Some(min) = opts.min_population {
        if sp <= min {
            for j in 0..k {
                out.missing(at + j, LifeTableNote::SmallPopulation);
            }
            return Ok(());
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
        for j in 0..k {
            out.missing(at + j, LifeTableNote::NoDeathsInLastBand);
        }
        return Ok(());
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
        let i = at + j;
        if l[j] == 0.0 {
            out.missing(i, LifeTableNote::NobodySurvives);
            continue;
        }
        let se = se_rev[j];
        for ((lo, hi), &zl) in out
            .lower
            .iter_mut()
            .zip(out.upper.iter_mut())
            .zip(&zs.levels)
        {
            lo[i] = e[j] - zl * se;
            hi[i] = e[j] + zl * se;
        }
        let too_wide = opts
            .max_ci_width
            .is_some_and(|wmax| 2.0 * zs.z95 * se > wmax);
        out.se[i] = se;
        if too_wide {
            out.value[i] = f64::NAN;
            out.note[i] = Some(LifeTableNote::WideInterval);
        } else {
            out.value[i] = e[j];
            out.note[i] = None;
        }
    }
    Ok(())
}

/// Groups per parallel task (the work of one group is small).
const GROUPS_PER_TASK: usize = 64;

/// All groups' tables into columns, groups in parallel (each on its own, so
/// the numbers do not depend on the thread count).
fn tables(input: Input<'_>, groups: &Groups, opts: &LifeTableOptions) -> Result<LifeTables> {
    let zs = Zs::new(opts);
    let n = input.deaths.len();
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
        population_used: vec![0.0; n],
        deaths_used: vec![0.0; n],
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
        let mut population_used = &mut t.population_used[..];
        let mut deaths_used = &mut t.deaths_used[..];
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
                    population_used: take_front(&mut population_used, len),
                    deaths_used: take_front(&mut deaths_used, len),
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
    let input = Input {
        deaths,
        population,
        age,
    };
    Ok(tables(input, &Groups::single(deaths.len()), opts)?.rows(0))
}

/// Life expectancy per group (municipality × year × sex ...) in one call, as
/// columns: the fast form for long frames (no allocation per row).
///
/// # Errors
/// As [`life_expectancy`], for the first failing group (in group order).
pub fn life_tables_by(
    deaths: &[f64],
    population: &[f64],
    age: &[f64],
    groups: &Groups,
    opts: &LifeTableOptions,
) -> Result<LifeTables> {
    check(deaths, population, age, opts)?;
    groups.check_len("deaths", deaths.len())?;
    let input = Input {
        deaths,
        population,
        age,
    };
    tables(input, groups, opts)
}

/// Life expectancy per group in one call, as rows per group (convenient for
/// a few groups; [`life_tables_by`] is the fast form for many).
///
/// # Errors
/// As [`life_expectancy`], for the first failing group (in group order).
pub fn life_expectancy_by(
    deaths: &[f64],
    population: &[f64],
    age: &[f64],
    groups: &Groups,
    opts: &LifeTableOptions,
) -> Result<Grouped<Vec<LifeTableRow>>> {
    let t = life_tables_by(deaths, population, age, groups, opts)?;
    Ok(Grouped {
        first_row: t.first_row.clone(),
        results: (0..t.groups()).into_par_iter().map(|g| t.rows(g)).collect(),
    })
}
