//! Kakwani progressivity index with a linearized SE.

use super::ConcentrationResult;
use super::se::linearized_totals;
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::measures::microdata::inequality::{InequalityOptions, SeChoice};
use crate::measures::microdata::prepare;
use crate::measures::microdata::variance::{Design, PsuMap};
use crate::rank::Ties;
use crate::rank::sample::{SortedSample, WithRow};
use crate::stats::z_value;

/// Kakwani progressivity index `K = C(payment by income) − G(income)` with a
/// linearized SE from the joint influence function (same design). Options:
/// `level`, `se` (linearized or none) and `missing`, as for the inequality
/// indices.
///
/// # Errors
/// As [`super::concentration_index`].
pub fn kakwani(
    payment: &[f64],
    income: &[f64],
    design: Design<'_>,
    opts: &InequalityOptions,
) -> Result<ConcentrationResult> {
    let (level, missing) = (opts.level, opts.missing);
    let cols = prepare(
        &[("payment", payment), ("income", income)],
        design.weights,
        &[("cluster", design.cluster), ("strata", design.strata)],
        missing,
    )?;
    let t: &[f64] = &cols.floats[0];
    let x: &[f64] = &cols.floats[1];
    let w = cols.weights.as_deref();
    let psu = PsuMap::new(cols.ints[0].as_deref(), cols.ints[1].as_deref())?;
    let z = z_value(level)?;
    // The variance of a difference needs PSU totals of both parts: without
    // clusters every row is its own PSU.
    let rows: Vec<i64>;
    let psu = if psu.cluster.is_some() {
        psu
    } else {
        rows = (0..t.len() as i64).collect();
        PsuMap::new(Some(&rows), cols.ints[1].as_deref())?
    };
    let max_chunks = (4 * t.len() / (psu.n_clusters + psu.n_strata).max(1)).max(1);
    let st = SortedSample::<WithRow>::new(t, x, w, Ties::Midpoint, max_chunks)?;
    let sx = SortedSample::<WithRow>::new(x, x, w, Ties::Midpoint, max_chunks)?;
    let (mt, mx) = (st.total_h / st.total_w, sx.total_h / sx.total_w);
    if mt == 0.0 {
        return Err(Error::ZeroMean {
            arg: "payment",
            what: "Kakwani index".into(),
        });
    }
    if mx == 0.0 {
        return Err(Error::ZeroMean {
            arg: "income",
            what: "Kakwani index".into(),
        });
    }
    let (gct, gcx) = (st.generalized_index(), sx.generalized_index());
    let (ct, g) = (gct / mt, gcx / mx);
    let label = "Kakwani index C(payment) − G(income)";
    if opts.se == SeChoice::None {
        return Ok(ConcentrationResult {
            estimate: Estimate::point(ct - g, level, format!("{label}; no SE"))
                .with_note("no SE requested (se=\"none\")"),
            n: t.len(),
            mean: mt,
        });
    }
    if cols.ints[0].is_none() && t.len() < 2 {
        // Every row is its own PSU here: the shortage is of observations, not of `cluster`s.
        return Err(Error::too_few(
            "Kakwani's linearized SE (`payment`, `income`)",
            "observations",
            2,
            t.len(),
        ));
    }
    let (acc_t, _) = linearized_totals(&st, &psu, gct, mt, 1.0 / mt, -ct / mt);
    let (acc_x, _) = linearized_totals(&sx, &psu, gcx, mx, -1.0 / mx, g / mx);
    let var = psu.variance(&acc_t.merge(acc_x))?;
    let design_label = if cols.ints[0].is_some() {
        psu.label()
    } else if cols.ints[1].is_some() {
        "strata"
    } else {
        "iid"
    };
    Ok(ConcentrationResult {
        estimate: Estimate::wald(
            ct - g,
            var.max(0.0).sqrt(),
            level,
            z,
            format!("{label}; SE linearized ({design_label})"),
        ),
        n: t.len(),
        mean: mt,
    })
}
