//! One group's abridged life table (Chiang II with Silcocks' final-interval
//! variance), written into a slice of the output columns.

use super::{LifeTableNote, LifeTableOptions};
use crate::error::{Error, Result};
use crate::indicators::{MissingPolicy, check_count, check_positive, z};

/// Critical values computed once per call (Φ⁻¹ is not free).
pub(super) struct Zs {
    levels: Vec<f64>,
    z95: f64,
}

impl Zs {
    pub(super) fn new(opts: &LifeTableOptions) -> Self {
        Self {
            levels: opts.levels.iter().map(|&l| z(l)).collect(),
            z95: z(0.95),
        }
    }
}

/// Per-thread working memory, reused from group to group.
#[derive(Default)]
pub(super) struct Scratch {
    order: Vec<usize>,
    starts: Vec<f64>,
    table: Table,
    w: Vec<f64>,
    se_rev: Vec<f64>,
}

/// One group's abridged life table, band by band (bands sorted by start
/// age): the numbers behind its life expectancy, for measures built on the
/// table (health expectancy). Fill `d` and `p`, then call [`Table::compute`].
#[derive(Debug, Default, Clone)]
pub(in crate::indicators) struct Table {
    /// Deaths per band.
    pub d: Vec<f64>,
    /// Population per band.
    pub p: Vec<f64>,
    /// Band width (NaN for the open-ended last band).
    pub width: Vec<f64>,
    /// Fraction of the band lived by those who die in it (`ax`).
    pub a: Vec<f64>,
    /// Death rate `M = D/P`.
    pub m: Vec<f64>,
    /// Probability of dying in the band (1 in the last band).
    pub q: Vec<f64>,
    /// Survivors at the band's start age (`l₀ = 100 000`).
    pub l: Vec<f64>,
    /// Person-years lived in the band (`L`; infinite in the last band when it has no deaths).
    pub big_l: Vec<f64>,
    /// Person-years lived from the band's start age on (`T`).
    pub t: Vec<f64>,
    /// Life expectancy at the band's start age (0 where `l = 0`).
    pub e: Vec<f64>,
}

impl Table {
    /// The table from `d`, `p` and the sorted band start ages; `ax` (one per
    /// band) overrides the default fraction lived by those who die in a
    /// band (0.1 for the infant band [0, 1), 0.5 otherwise).
    pub(in crate::indicators) fn compute(&mut self, starts: &[f64], ax: Option<&[f64]>) {
        let k = starts.len();
        let last = k - 1;
        for v in [
            &mut self.width,
            &mut self.a,
            &mut self.m,
            &mut self.q,
            &mut self.l,
            &mut self.big_l,
            &mut self.t,
            &mut self.e,
        ] {
            v.clear();
            v.resize(k, 0.0);
        }
        for j in 0..k {
            let width = if j < last {
                starts[j + 1] - starts[j]
            } else {
                f64::NAN
            };
            let a = match ax {
                Some(ax) => ax[j],
                None if starts[j] == 0.0 && width == 1.0 => 0.1,
                None => 0.5,
            };
            let m = self.d[j] / self.p[j];
            self.q[j] = if j == last {
                1.0
            } else {
                let nm = width * m;
                if nm * a >= 1.0 {
                    1.0
                } else {
                    nm / (1.0 + nm * (1.0 - a))
                }
            };
            self.width[j] = width;
            self.a[j] = a;
            self.m[j] = m;
        }
        self.l[0] = 100_000.0;
        for j in 0..last {
            self.l[j + 1] = self.l[j] * (1.0 - self.q[j]);
        }
        for j in 0..k {
            let l = self.l[j];
            self.big_l[j] = if j == last {
                if l > 0.0 { l / self.m[j] } else { 0.0 }
            } else {
                let dj = l - self.l[j + 1];
                self.width[j] * (self.l[j + 1] + self.a[j] * dj)
            };
        }
        let mut acc = 0.0;
        for j in (0..k).rev() {
            acc += self.big_l[j];
            self.t[j] = acc;
        }
        for j in 0..k {
            self.e[j] = if self.l[j] > 0.0 {
                self.t[j] / self.l[j]
            } else {
                0.0
            };
        }
    }

    /// Chiang's variance of the death probability of band `j` (not the
    /// last): `q²(1 − q)/D`, 0 when nobody dies in the band.
    pub(in crate::indicators) fn var_q(&self, j: usize) -> f64 {
        let (q, d) = (self.q[j], self.d[j]);
        if self.l[j] - self.l[j + 1] == 0.0 || d == 0.0 {
            0.0
        } else {
            q * q * (1.0 - q) / d
        }
    }

    /// True when survivors reach the open-ended band and nobody dies in it
    /// (its rate is 0, so its person-years are infinite).
    pub(in crate::indicators) fn no_deaths_in_last_band(&self) -> bool {
        let last = self.l.len() - 1;
        self.l[last] > 0.0 && self.d[last] == 0.0
    }
}

/// The output rows of a run of consecutive groups.
pub(super) struct Out<'a> {
    pub(super) age: &'a mut [f64],
    pub(super) value: &'a mut [f64],
    pub(super) se: &'a mut [f64],
    pub(super) population: &'a mut [f64],
    pub(super) count: &'a mut [f64],
    pub(super) lower: Vec<&'a mut [f64]>,
    pub(super) upper: Vec<&'a mut [f64]>,
    pub(super) note: &'a mut [Option<LifeTableNote>],
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
pub(super) fn take_front<'a, T>(s: &mut &'a mut [T], len: usize) -> &'a mut [T] {
    let (front, back) = std::mem::take(s).split_at_mut(len);
    *s = back;
    front
}

/// Sorts one group's rows by band start age into `order` (and the start ages
/// into `starts`) and checks the bands: no band twice, exactly `layout` when
/// given, else starting at 0.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `age_band`.
pub(in crate::indicators) fn band_order(
    age: &[f64],
    rows: &[usize],
    layout: Option<&[f64]>,
    order: &mut Vec<usize>,
    starts: &mut Vec<f64>,
) -> Result<()> {
    order.clear();
    order.extend_from_slice(rows);
    // Long frames usually list the bands in order: skip the sort then.
    if order
        .windows(2)
        .any(|w| age[w[0]].total_cmp(&age[w[1]]).is_gt())
    {
        order.sort_by(|&a, &b| age[a].total_cmp(&age[b]));
    }
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
    starts.clear();
    starts.extend(order.iter().map(|&i| age[i]));
    if let Some(layout) = layout {
        if starts.as_slice() != layout {
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
    Ok(())
}

/// The input columns.
#[derive(Clone, Copy)]
pub(super) struct Input<'a> {
    pub(super) count: &'a [f64],
    pub(super) population: &'a [f64],
    pub(super) age: &'a [f64],
}

/// Computes the life table of one group into `out[at..at + rows.len()]`.
pub(super) fn group_table(
    input: Input<'_>,
    rows: &[usize],
    opts: &LifeTableOptions,
    zs: &Zs,
    scratch: &mut Scratch,
    out: &mut Out<'_>,
    at: usize,
) -> Result<()> {
    let Input {
        count: deaths,
        population,
        age,
    } = input;
    band_order(
        age,
        rows,
        opts.layout.as_deref(),
        &mut scratch.order,
        &mut scratch.starts,
    )?;
    let order = &*scratch.order;
    let starts = &*scratch.starts;
    let k = order.len();
    if k < 2 {
        return Err(Error::too_few("a life table", "age bands", 2, k));
    }
    let table = &mut scratch.table;
    table.d.clear();
    table.p.clear();
    for &i in order {
        let mut d = deaths[i];
        if d.is_nan() && opts.missing == MissingPolicy::Zero {
            d = 0.0;
        }
        let p = population[i];
        check_count("count", i, d)?;
        check_positive("population", i, p)?;
        if d > p {
            return Err(Error::OutOfBounds {
                arg: "count",
                index: i,
                value: d,
                lower: 0.0,
                upper: p,
            });
        }
        table.d.push(d);
        table.p.push(p);
    }
    // Cumulative totals from the oldest band down, straight into the output.
    let (mut sp, mut sd) = (0.0, 0.0);
    for j in (0..k).rev() {
        sp += table.p[j];
        sd += table.d[j];
        out.population[at + j] = sp;
        out.count[at + j] = sd;
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
    table.compute(starts, None);
    if table.no_deaths_in_last_band() {
        for j in 0..k {
            out.missing(at + j, LifeTableNote::NoDeathsInLastBand);
        }
        return Ok(());
    }
    let last = k - 1;
    let table = &*table;
    let Table {
        d,
        width,
        a,
        m,
        l,
        e,
        ..
    } = table;
    let w = &mut scratch.w;
    w.clear();
    for j in 0..k {
        w.push(if l[j] == 0.0 {
            0.0
        } else if j == last {
            l[j] * l[j] / (d[j] * m[j] * m[j])
        } else {
            let var_q = table.var_q(j);
            let f = (1.0 - a[j]) * width[j] + e[j + 1];
            l[j] * l[j] * var_q * f * f
        });
    }
    let se_rev = &mut scratch.se_rev;
    se_rev.clear();
    se_rev.resize(k, 0.0);
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
