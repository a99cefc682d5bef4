//! One group's Sullivan table: the prevalence and its sampling variance per
//! band, the life table, and the Chiang (mortality) and prevalence variance
//! components of the three measures.

use super::{HealthExpectancyInput, HealthExpectancyOptions, Prevalence};
use crate::error::{Error, MissingOptions, Result};
use crate::indicators::life_table::{LifeTableNote, Table, band_order};
use crate::indicators::{MissingPolicy, check_count, check_positive};

impl Prevalence<'_> {
    /// The two columns with their argument names.
    pub(super) fn columns(&self) -> [(&'static str, &[f64]); 2] {
        match *self {
            Prevalence::SampleSize { prevalence, n } => {
                [("prevalence", prevalence), ("prevalence_n", n)]
            }
            Prevalence::StandardError { prevalence, se } => {
                [("prevalence", prevalence), ("prevalence_se", se)]
            }
            Prevalence::Counts {
                healthy,
                respondents,
            } => [("healthy", healthy), ("respondents", respondents)],
        }
    }

    /// The proportion and its sampling variance at row `i`.
    fn at(&self, i: usize) -> Result<(f64, f64)> {
        let [(a, x), (b, y)] = self.columns();
        let (x, y) = (x[i], y[i]);
        if x.is_nan() {
            return Err(Error::Missing {
                arg: a,
                index: i,
                options: MissingOptions::Drop,
            });
        }
        match self {
            Prevalence::SampleSize { .. } | Prevalence::StandardError { .. } => {
                if !(0.0..=1.0).contains(&x) {
                    return Err(Error::invalid(
                        "prevalence",
                        format!(
                            "must be a proportion in [0, 1], got {x} at row {i}; \
                             divide percentages by 100"
                        ),
                    ));
                }
                if matches!(self, Prevalence::SampleSize { .. }) {
                    check_positive(b, i, y)?;
                    Ok((x, x * (1.0 - x) / y))
                } else {
                    check_count(b, i, y)?;
                    Ok((x, y * y))
                }
            }
            Prevalence::Counts { .. } => {
                check_count(a, i, x)?;
                check_positive(b, i, y)?;
                if x > y {
                    return Err(Error::invalid(
                        "healthy",
                        format!(
                            "{x} healthy respondents at row {i} exceed the {y} respondents; \
                             `healthy` is the numerator of `respondents`"
                        ),
                    ));
                }
                let h = x / y;
                Ok((h, h * (1.0 - h) / y))
            }
        }
    }
}

/// One group's rows.
pub(super) struct GroupOut {
    pub(super) age: Vec<f64>,
    pub(super) population: Vec<f64>,
    pub(super) count: Vec<f64>,
    pub(super) value: [Vec<f64>; 3],
    pub(super) se: [Vec<f64>; 3],
    pub(super) note: Vec<Option<LifeTableNote>>,
}

/// Per-thread working memory.
#[derive(Default)]
pub(super) struct Scratch {
    order: Vec<usize>,
    starts: Vec<f64>,
    table: Table,
    h: Vec<f64>,
    var_h: Vec<f64>,
    ax: Vec<f64>,
}

#[allow(clippy::too_many_lines)]
pub(super) fn group(
    input: &HealthExpectancyInput<'_>,
    rows: &[usize],
    opts: &HealthExpectancyOptions,
    s: &mut Scratch,
) -> Result<GroupOut> {
    band_order(
        input.age,
        rows,
        opts.layout.as_deref(),
        &mut s.order,
        &mut s.starts,
    )?;
    let k = s.order.len();
    if k < 2 {
        return Err(Error::too_few("a life table", "age bands", 2, k));
    }
    let table = &mut s.table;
    table.d.clear();
    table.p.clear();
    s.h.clear();
    s.var_h.clear();
    s.ax.clear();
    for &i in &s.order {
        let mut d = input.count[i];
        if d.is_nan() && opts.missing == MissingPolicy::Zero {
            d = 0.0;
        }
        let p = input.population[i];
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
        let (h, var_h) = input.prevalence.at(i)?;
        if let Some(ax) = input.ax {
            let a = ax[i];
            check_count("ax", i, a)?;
            if a > 1.0 {
                return Err(Error::invalid(
                    "ax",
                    format!(
                        "the fraction of a band lived by those who die in it must lie in [0, 1], \
                         got {a} at row {i}"
                    ),
                ));
            }
            s.ax.push(a);
        }
        table.d.push(d);
        table.p.push(p);
        s.h.push(h);
        s.var_h.push(var_h);
    }
    let mut out = GroupOut {
        age: s.starts.clone(),
        population: vec![0.0; k],
        count: vec![0.0; k],
        value: [vec![f64::NAN; k], vec![f64::NAN; k], vec![f64::NAN; k]],
        se: [vec![f64::NAN; k], vec![f64::NAN; k], vec![f64::NAN; k]],
        note: vec![None; k],
    };
    let (mut sp, mut sd) = (0.0, 0.0);
    for j in (0..k).rev() {
        sp += table.p[j];
        sd += table.d[j];
        out.population[j] = sp;
        out.count[j] = sd;
    }
    table.compute(&s.starts, input.ax.map(|_| s.ax.as_slice()));
    if table.no_deaths_in_last_band() {
        out.note = vec![Some(LifeTableNote::NoDeathsInLastBand); k];
        return Ok(out);
    }
    let table = &*table;
    let (h, var_h) = (&s.h, &s.var_h);
    let last = k - 1;
    // Healthy person-years from the oldest band down, and the health expectancy.
    let mut hle = vec![0.0; k];
    let mut t_healthy = vec![0.0; k];
    let mut acc = 0.0;
    for j in (0..k).rev() {
        acc += h[j] * table.big_l[j];
        t_healthy[j] = acc;
        hle[j] = if table.l[j] > 0.0 {
            acc / table.l[j]
        } else {
            0.0
        };
    }
    // Mortality sensitivities c (life expectancy), c' (health expectancy)
    // and the variance v of each band's mortality parameter.
    let mut c = vec![0.0; k];
    let mut c_h = vec![0.0; k];
    let mut v = vec![0.0; k];
    for j in 0..k {
        let l = table.l[j];
        if l == 0.0 {
            continue;
        }
        if j == last {
            c[j] = l;
            c_h[j] = h[j] * l;
            v[j] = 1.0 / (table.d[j] * table.m[j] * table.m[j]);
        } else {
            let died = (1.0 - table.a[j]) * table.width[j];
            c[j] = l * (died + table.e[j + 1]);
            c_h[j] = l * (h[j] * died + hle[j + 1]);
            v[j] = table.var_q(j);
        }
    }
    let mortality = if opts.mortality_variance { 1.0 } else { 0.0 };
    let (mut var_le, mut var_hle_mort, mut var_prev) = (0.0, 0.0, 0.0);
    for j in (0..k).rev() {
        var_le += c[j] * c[j] * v[j];
        var_hle_mort += c_h[j] * c_h[j] * v[j];
        var_prev += table.big_l[j] * table.big_l[j] * var_h[j];
        let l = table.l[j];
        if l == 0.0 {
            out.note[j] = Some(LifeTableNote::NobodySurvives);
            continue;
        }
        let t = table.t[j];
        let r = t_healthy[j] / t;
        let mut var_r_mort = 0.0;
        for i in j..k {
            let g = c_h[i] - r * c[i];
            var_r_mort += g * g * v[i];
        }
        out.value[0][j] = table.e[j];
        out.se[0][j] = var_le.sqrt() / l;
        out.value[1][j] = hle[j];
        out.se[1][j] = (mortality * var_hle_mort + var_prev).sqrt() / l;
        out.value[2][j] = r;
        out.se[2][j] = (mortality * var_r_mort + var_prev).sqrt() / t;
    }
    Ok(out)
}
