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
    buf: Vec<f64>,
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
        if d[j].is_nan() && opts.missing == MissingPolicy::Zero {
            d[j] = 0.0;
        }
        p[j] = population[i];
        check_count("count", i, d[j])?;
        check_positive("population", i, p[j])?;
        if d[j] > p[j] {
            return Err(Error::OutOfBounds {
                arg: "count",
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
