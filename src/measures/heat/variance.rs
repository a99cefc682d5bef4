//! Between-group variance (BGV) with Ahn et al.'s (2018) analytic SE.

use super::Subgroups;
use super::method::{Method, Outcome};
use crate::error::Result;
use crate::stats::sum;

/// BGV = Σ w_j (y_j − μ)².
pub(crate) fn bgv_value(w: &[f64], y: &[f64]) -> f64 {
    let mu = Subgroups::weighted_mean(w, y);
    super::input::small_sum(y.len(), w.iter().zip(y).map(|(w, v)| w * (v - mu).powi(2)))
}

/// BGV with SE² = 4Σw²s²(y−μ)² + 2[(Σw²s²)² − Σw⁴s⁴ + Σw²(1−w)²s⁴] (Ahn et al. 2018).
pub(crate) fn bgv(g: &Subgroups, z: f64) -> Result<Outcome> {
    let w = g.shares("BGV")?;
    let y = &g.estimate;
    let value = bgv_value(&w, y);
    let Some(s) = g.all_se() else {
        return Ok(Outcome::point(
            value,
            Method::Fixed("between-group variance Σ w (y − μ)² (squared indicator units)"),
        )
        .with_note("no SE or CI: some subgroups have no se"));
    };
    let mu = Subgroups::weighted_mean(&w, y);
    let n = y.len();
    let a = sum((0..n).map(|j| w[j].powi(2) * s[j].powi(2) * (y[j] - mu).powi(2)));
    let s2 = sum((0..n).map(|j| w[j].powi(2) * s[j].powi(2)));
    let s4 = sum((0..n).map(|j| w[j].powi(4) * s[j].powi(4)));
    let e4 = sum((0..n).map(|j| w[j].powi(2) * (1.0 - w[j]).powi(2) * s[j].powi(4)));
    let se = (4.0 * a + 2.0 * (s2 * s2 - s4 + e4)).max(0.0).sqrt();
    Ok(Outcome::wald(
        value,
        se,
        z,
        Method::Fixed(
            "between-group variance Σ w (y − μ)² (squared indicator units); analytic SE (Ahn et al. 2018), Wald CI",
        ),
    ))
}
