//! conindex `compare(group)`: the index within each group (ranks recomputed
//! within the group), the difference between two groups with
//! `se = √(se₀² + se₁²)` and its z test, and conindex's Chow-type F test on
//! the pooled convenient regressions.
//!
//! The z test treats the groups as independent samples; when groups share
//! PSUs that is an approximation (documented).

use super::concentration::{
    ConcentrationOptions, ConcentrationResult, Kind, check_options, concentration_index,
};
use super::prepare;
use super::variance::Design;
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::rank::sample::{SortedSample, WithRow};
use crate::stats::{CompensatedSum, normal_cdf, z_value};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// Result of [`compare_concentration`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcentrationComparison {
    /// The index on all rows.
    pub overall: ConcentrationResult,
    /// Group codes in ascending order, with the index within each.
    pub groups: Vec<(i64, ConcentrationResult)>,
    /// `index(second group) − index(first group)` when there are exactly two
    /// groups, with `se = √(se₀² + se₁²)` (independent groups) and a Wald
    /// interval at the options' `level` when both groups have an SE.
    pub difference: Option<Estimate>,
    /// `difference/se` and its two-sided normal p-value.
    pub z: Option<f64>,
    pub z_p_value: Option<f64>,
    /// conindex's Chow-type F statistic, its degrees of freedom and p-value.
    pub f: Option<f64>,
    pub f_df: Option<(f64, f64)>,
    pub f_p_value: Option<f64>,
}

/// Compares the concentration index across groups (conindex `compare`).
///
/// # Errors
/// As [`concentration_index`] within each group; fewer than two groups.
pub fn compare_concentration(
    outcome: &[f64],
    rank_by: &[f64],
    group: &[i64],
    design: Design<'_>,
    opts: &ConcentrationOptions,
) -> Result<ConcentrationComparison> {
    let cols = prepare(
        &[("outcome", outcome), ("rank_by", rank_by)],
        design.weights,
        &[
            ("group", Some(group)),
            ("cluster", design.cluster),
            ("strata", design.strata),
        ],
        opts.missing,
    )?;
    let h: &[f64] = &cols.floats[0];
    let x: &[f64] = &cols.floats[1];
    let w = cols.weights.as_deref();
    let g = cols.ints[0].as_deref().unwrap_or(&[]);
    let cluster = cols.ints[1].as_deref();
    let strata = cols.ints[2].as_deref();
    let mut codes: Vec<i64> = g.to_vec();
    codes.sort_unstable();
    codes.dedup();
    if codes.len() < 2 {
        return Err(Error::too_few(
            "compare_concentration (`group`)",
            "groups",
            2,
            codes.len(),
        ));
    }
    let whole = Design {
        weights: w,
        cluster,
        strata,
    };
    let overall = concentration_index(h, x, whole, opts)?;
    let prep = check_options(opts, h)?;
    let mut groups = Vec::new();
    let mut chow = Vec::new();
    for &code in &codes {
        let rows: Vec<usize> = (0..h.len()).filter(|&i| g[i] == code).collect();
        let hs: Vec<f64> = rows.iter().map(|&i| h[i]).collect();
        let xs: Vec<f64> = rows.iter().map(|&i| x[i]).collect();
        let ws: Option<Vec<f64>> = w.map(|w| rows.iter().map(|&i| w[i]).collect());
        let cs: Option<Vec<i64>> = cluster.map(|c| rows.iter().map(|&i| c[i]).collect());
        let ss: Option<Vec<i64>> = strata.map(|c| rows.iter().map(|&i| c[i]).collect());
        let d = Design {
            weights: ws.as_deref(),
            cluster: cs.as_deref(),
            strata: ss.as_deref(),
        };
        let r = concentration_index(&hs, &xs, d, opts)?;
        // Convenient-regression pieces for the Chow test.
        if !matches!(
            prep.kind,
            Kind::Extended
                | Kind::GeneralizedExtended
                | Kind::Symmetric
                | Kind::GeneralizedSymmetric
        ) {
            // conindex regresses the √w-scaled vectors with *unscaled*
            // intercepts (lm(lhs ~ rhs + grp) vs lm(lhs ~ rhs * grp)).
            let s = SortedSample::<WithRow>::new(&hs, &xs, ws.as_deref(), opts.ties, usize::MAX)?;
            let (gc, sigma2) = (s.generalized_index(), s.rank_variance());
            let scale = if gc == 0.0 {
                0.0
            } else {
                r.estimate.value / gc
            };
            let a = 2.0 * sigma2 * scale;
            let ranks = s.ranks_in_input_order();
            let sq = |i: usize| ws.as_ref().map_or(1.0, |w| w[i]).sqrt();
            let m = hs.len() as f64;
            let mu_u = (0..hs.len()).map(|i| sq(i) * ranks[i]).sum::<f64>() / m;
            let mu_v = (0..hs.len()).map(|i| sq(i) * a * hs[i]).sum::<f64>() / m;
            let (mut suu, mut suv, mut svv) = (
                CompensatedSum::new(),
                CompensatedSum::new(),
                CompensatedSum::new(),
            );
            for i in 0..hs.len() {
                let u = sq(i) * ranks[i] - mu_u;
                let v = sq(i) * a * hs[i] - mu_v;
                suu.add(u * u);
                suv.add(u * v);
                svv.add(v * v);
            }
            let (syy, sxy, sxx) = (svv.value(), suv.value(), suu.value());
            chow.push((syy, sxy, sxx, hs.len()));
        }
        groups.push((code, r));
    }
    let (mut difference, mut z, mut z_p_value) = (None, None, None);
    if groups.len() == 2 {
        let (e0, e1) = (&groups[0].1.estimate, &groups[1].1.estimate);
        let d = e1.value - e0.value;
        let what = format!(
            "difference of group indices (group {} − group {})",
            groups[1].0, groups[0].0
        );
        let n = groups[0].1.n + groups[1].1.n;
        difference = Some(if let (Some(s0), Some(s1)) = (e0.se, e1.se) {
            let se = (s0 * s0 + s1 * s1).sqrt();
            let zz = d / se;
            z = Some(zz);
            z_p_value = Some(2.0 * (1.0 - normal_cdf(zz.abs())));
            Estimate::wald(
                d,
                se,
                opts.level,
                z_value(opts.level)?,
                format!("{what}; SE sqrt(se0^2 + se1^2), groups treated as independent"),
            )
            .with_n(n)
        } else {
            Estimate::point(d, opts.level, format!("{what}; no SE"))
                .with_note("no SE: the group indices have none")
                .with_n(n)
        });
    }
    let (mut f, mut f_df, mut f_p_value) = (None, None, None);
    if chow.len() == codes.len() {
        let gq = codes.len() as f64;
        let n: usize = chow.iter().map(|c| c.3).sum();
        let sse_u: f64 = chow.iter().map(|c| c.0 - c.1 * c.1 / c.2).sum();
        let syy: f64 = chow.iter().map(|c| c.0).sum();
        let sxy: f64 = chow.iter().map(|c| c.1).sum();
        let sxx: f64 = chow.iter().map(|c| c.2).sum();
        let sse_r = syy - sxy * sxy / sxx;
        let df2 = n as f64 - 2.0 * gq;
        if df2 > 0.0 && sse_u > 0.0 {
            let ff = ((sse_r - sse_u) / (gq - 1.0)) / (sse_u / df2);
            f = Some(ff);
            f_df = Some((gq - 1.0, df2));
            f_p_value = FisherSnedecor::new(gq - 1.0, df2)
                .ok()
                .map(|d| 1.0 - d.cdf(ff));
        }
    }
    Ok(ConcentrationComparison {
        overall,
        groups,
        difference,
        z,
        z_p_value,
        f,
        f_df,
        f_p_value,
    })
}
