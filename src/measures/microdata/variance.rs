//! Design-based (linearized) variance from PSU totals of an influence variable.
//!
//! An estimator `T` is linearized as `T − θ ≈ Σ_i w_i z_i / W`, where `z_i`
//! is its influence value (`z_i = W·∂T/∂w_i`). With PSU totals
//! `Z_c = Σ_{i∈c} w_i z_i / W`, the with-replacement PSU approximation gives
//! `var(T) = Σ_h n_h/(n_h − 1) · Σ_{c∈h} (Z_c − Z̄_h)²`, where `n_h` is the
//! number of PSUs in stratum `h` (Wolter 2007, ch. 6; R `survey::svytotal`).
//! Without `cluster`, every row is its own PSU; without `strata`, there is one
//! stratum.

use crate::error::{Error, Result};
use crate::stats::{BlockedSum, CompensatedSum};

/// Survey design columns. Codes are dense non-negative integers
/// (the Python layer maps strings or arbitrary ids to them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Design<'a> {
    /// Sampling weights (all 1 when `None`).
    pub weights: Option<&'a [f64]>,
    /// Primary sampling unit (cluster) code per row.
    pub cluster: Option<&'a [i64]>,
    /// Stratum code per row.
    pub strata: Option<&'a [i64]>,
}

/// Validated design: how rows map to PSUs and PSUs to strata.
#[derive(Debug, Clone)]
pub(crate) struct PsuMap<'a> {
    pub cluster: Option<&'a [i64]>,
    pub strata: Option<&'a [i64]>,
    /// Number of cluster codes (max + 1), 0 without clusters.
    pub n_clusters: usize,
    /// Number of stratum codes (max + 1), 1 without strata.
    pub n_strata: usize,
    /// Stratum of each cluster code (with clusters and strata).
    pub cluster_stratum: Vec<usize>,
}

fn codes_extent(arg: &'static str, codes: &[i64]) -> Result<usize> {
    let mut max = 0i64;
    for (index, &c) in codes.iter().enumerate() {
        if c < 0 {
            return Err(Error::OutOfDomain {
                arg,
                index,
                value: c as f64,
                requirement: "a non-negative integer code",
            });
        }
        max = max.max(c);
    }
    let extent = max as usize + 1;
    // Per-PSU buffers have one slot per code up to the largest: a code of 1e12
    // must be an error naming the argument, not an aborted allocation.
    crate::alloc::vec_with_capacity::<f64>(arg, extent)?;
    Ok(extent)
}

impl<'a> PsuMap<'a> {
    pub fn new(cluster: Option<&'a [i64]>, strata: Option<&'a [i64]>) -> Result<Self> {
        let n_clusters = cluster.map_or(Ok(0), |c| codes_extent("cluster", c))?;
        let n_strata = strata.map_or(Ok(1), |s| codes_extent("strata", s))?;
        let mut cluster_stratum = Vec::new();
        if let (Some(c), Some(s)) = (cluster, strata) {
            cluster_stratum = vec![usize::MAX; n_clusters];
            for (i, (&ci, &si)) in c.iter().zip(s).enumerate() {
                let slot = &mut cluster_stratum[ci as usize];
                if *slot == usize::MAX {
                    *slot = si as usize;
                } else if *slot != si as usize {
                    return Err(Error::invalid(
                        "cluster",
                        format!(
                            "cluster {ci} appears in strata {} and {si} (row {i}); clusters must be nested in `strata` (give clusters ids unique across strata)",
                            *slot
                        ),
                    ));
                }
            }
        }
        Ok(Self {
            cluster,
            strata,
            n_clusters,
            n_strata,
            cluster_stratum,
        })
    }

    /// Whether [`PsuMap::add`] needs real row indices (clusters or strata).
    pub fn needs_rows(&self) -> bool {
        self.cluster.is_some() || self.strata.is_some()
    }

    /// The accumulator of an iid design (no clusters, no strata) from the
    /// sums of `u` and `u²` over `count` rows, summed by the caller.
    pub fn iid_accumulator(sum: BlockedSum, sum_sq: BlockedSum, count: usize) -> PsuAccumulator {
        PsuAccumulator::Rows {
            strata: vec![RowMoments { sum, sum_sq, count }],
        }
    }

    /// Fresh accumulator for one chunk of rows.
    pub fn accumulator(&self) -> PsuAccumulator {
        if self.cluster.is_some() {
            PsuAccumulator::Clusters {
                totals: vec![0.0; self.n_clusters],
                seen: vec![false; self.n_clusters],
            }
        } else {
            PsuAccumulator::Rows {
                strata: vec![RowMoments::default(); self.n_strata],
            }
        }
    }

    /// Adds `u_i = w_i z_i / W` of row `i`.
    #[inline]
    pub fn add(&self, acc: &mut PsuAccumulator, row: usize, u: f64) {
        match acc {
            PsuAccumulator::Clusters { totals, seen } => {
                let c = self.cluster.map_or(0, |c| c[row] as usize);
                totals[c] += u;
                seen[c] = true;
            }
            PsuAccumulator::Rows { strata } => {
                let h = self.strata.map_or(0, |s| s[row] as usize);
                let m = &mut strata[h];
                m.sum.add(u);
                m.sum_sq.add(u * u);
                m.count += 1;
            }
        }
    }

    /// The design variance from merged PSU totals.
    pub fn variance(&self, acc: &PsuAccumulator) -> Result<f64> {
        let too_few = |h: usize, found: usize| {
            let what = if self.strata.is_some() {
                format!(
                    "linearized SE: too few clusters in a stratum (stratum code {h} of `strata` has {found} PSU of `cluster`)"
                )
            } else if self.cluster.is_some() {
                "linearized SE: too few clusters (`cluster`)".to_string()
            } else {
                // Without `cluster` every observation is its own PSU: too few rows.
                return Error::too_few(
                    "linearized SE (each observation its own PSU; no `cluster`)",
                    "observations",
                    2,
                    found,
                );
            };
            Error::too_few(what, "PSUs", 2, found)
        };
        let mut var = CompensatedSum::new();
        match acc {
            PsuAccumulator::Rows { strata } => {
                for (h, m) in strata.iter().enumerate() {
                    if m.count == 0 {
                        continue;
                    }
                    if m.count < 2 {
                        return Err(too_few(h, m.count));
                    }
                    let nh = m.count as f64;
                    let s1 = m.sum.value();
                    let ss = (m.sum_sq.value() - s1 * s1 / nh).max(0.0);
                    var.add(nh / (nh - 1.0) * ss);
                }
            }
            PsuAccumulator::Clusters { totals, seen } => {
                let stratum_of = |c: usize| {
                    if self.cluster_stratum.is_empty() {
                        0
                    } else {
                        self.cluster_stratum[c]
                    }
                };
                let mut count = vec![0usize; self.n_strata];
                let mut mean = vec![CompensatedSum::new(); self.n_strata];
                for c in (0..totals.len()).filter(|&c| seen[c]) {
                    count[stratum_of(c)] += 1;
                    mean[stratum_of(c)].add(totals[c]);
                }
                let means: Vec<f64> = mean
                    .iter()
                    .zip(&count)
                    .map(|(m, &k)| if k > 0 { m.value() / k as f64 } else { 0.0 })
                    .collect();
                let mut ss = vec![CompensatedSum::new(); self.n_strata];
                for c in (0..totals.len()).filter(|&c| seen[c]) {
                    let h = stratum_of(c);
                    let d = totals[c] - means[h];
                    ss[h].add(d * d);
                }
                for h in 0..self.n_strata {
                    if count[h] == 0 {
                        continue;
                    }
                    if count[h] < 2 {
                        return Err(too_few(h, count[h]));
                    }
                    let nh = count[h] as f64;
                    var.add(nh / (nh - 1.0) * ss[h].value());
                }
            }
        }
        Ok(var.value())
    }

    /// Short label of the design for `method` strings.
    pub fn label(&self) -> &'static str {
        match (self.cluster.is_some(), self.strata.is_some()) {
            (false, false) => "iid",
            (true, false) => "psu=cluster",
            (false, true) => "strata",
            (true, true) => "psu=cluster, strata",
        }
    }
}

/// Per-stratum moments of row-level PSU totals.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RowMoments {
    sum: BlockedSum,
    sum_sq: BlockedSum,
    count: usize,
}

/// Partial PSU totals of one chunk of rows.
#[derive(Debug, Clone)]
pub(crate) enum PsuAccumulator {
    Clusters { totals: Vec<f64>, seen: Vec<bool> },
    Rows { strata: Vec<RowMoments> },
}

impl PsuAccumulator {
    /// Merges another chunk's totals.
    pub fn merge(mut self, other: Self) -> Self {
        match (&mut self, other) {
            (
                PsuAccumulator::Clusters { totals, seen },
                PsuAccumulator::Clusters {
                    totals: t2,
                    seen: s2,
                },
            ) => {
                for (a, b) in totals.iter_mut().zip(t2) {
                    *a += b;
                }
                for (a, b) in seen.iter_mut().zip(s2) {
                    *a |= b;
                }
            }
            (PsuAccumulator::Rows { strata }, PsuAccumulator::Rows { strata: s2 }) => {
                for (a, b) in strata.iter_mut().zip(s2) {
                    a.sum = a.sum.merge(b.sum);
                    a.sum_sq = a.sum_sq.merge(b.sum_sq);
                    a.count += b.count;
                }
            }
            _ => {}
        }
        self
    }
}
