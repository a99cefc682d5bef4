//! Directly standardised rates by the Dobson method.
//!
//! For age bands i with counts Oᵢ, populations nᵢ and standard weights wᵢ,
//! total T = ΣOᵢ and W = Σwᵢ:
//!
//! ```text
//! DSR      = Σ(Oᵢ wᵢ/nᵢ) / W
//! Var(DSR) = Σ(Oᵢ (wᵢ/nᵢ)²) / W²
//! limits   = DSR + √(Var/T) · (L(T) − T),  DSR + √(Var/T) · (U(T) − T)
//! ```
//! (Dobson, Kuulasmaa, Eberle & Scherer 1991), with Byars' limits L, U of the
//! total count as PHEindicatormethods and Fingertips use. By default a DSR on
//! fewer than 10 events is suppressed: the result has no value and a note.
//! When suppression is switched off, totals below 10 use exact Poisson limits
//! (Byars' approximation is poor there).
//!
//! **Non-independent events** (people with several events): rows carry an
//! event frequency f and the number of *persons* with exactly f events. The
//! DSR uses the events Σf·persons; the variance is Σ_f f²·Var_f, where Var_f is
//! the Dobson variance of the persons with frequency f.

use super::grouped::{Grouped, Groups};
use super::poisson::{byars_lower_z, byars_upper_z, exact_limits};
use super::standard_population::StandardPopulation;
use super::{
    Indicator, Limits, MissingPolicy, check_count, check_levels, check_multiplier, check_positive,
};
use crate::error::{Error, MissingOptions, Result};
use crate::stats::CompensatedSum;
use serde::Serialize;

/// The standard population of a DSR.
#[derive(Debug, Clone, Copy)]
pub enum Standard<'a> {
    /// One standard weight per input row.
    Weights(&'a [f64]),
    /// A standard population matched to the rows by band start age (`age_start` required).
    Population(&'a StandardPopulation),
}

/// The columns of a DSR computation (one row per group × age band
/// [× event frequency]).
#[derive(Debug, Clone, Copy)]
pub struct DsrInput<'a> {
    /// Events (or persons, with `event_frequency`) per row. NaN = missing.
    pub count: &'a [f64],
    /// Population per row.
    pub population: &'a [f64],
    /// Standard weights.
    pub standard: Standard<'a>,
    /// Start age of each row's band; required for [`Standard::Population`] and
    /// for non-independent events; when given, each band must appear once per
    /// group (per frequency).
    pub age_start: Option<&'a [f64]>,
    /// Event frequency f of each row (non-independent events): `count` then
    /// holds the persons with exactly f events.
    pub event_frequency: Option<&'a [f64]>,
}

/// Options of [`dsr`].
#[derive(Debug, Clone, PartialEq)]
pub struct DsrOptions {
    /// Confidence levels.
    pub levels: Vec<f64>,
    /// Rate per `multiplier` persons (default 100 000).
    pub multiplier: f64,
    /// Suppress the DSR when the total count is below this (default `Some(10.0)`).
    pub suppress_below: Option<f64>,
    /// Missing values: [`MissingPolicy::Error`] (default), [`MissingPolicy::Drop`] (drop
    /// the row) or [`MissingPolicy::Zero`] (a missing count is 0 events; a missing
    /// population is still an error).
    pub missing: MissingPolicy,
}

impl Default for DsrOptions {
    fn default() -> Self {
        Self {
            levels: vec![0.95],
            multiplier: 100_000.0,
            suppress_below: Some(10.0),
            missing: MissingPolicy::Error,
        }
    }
}

/// A DSR with its totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DsrResult {
    /// Total count (events; Σf·persons for non-independent events).
    pub count: f64,
    /// Total population (each band once).
    pub population: f64,
    /// Value, limits, method ("Dobson") and the suppression note.
    pub indicator: Indicator,
}

const METHOD: &str = "Dobson";
const METHOD_NONIND: &str = "Dobson, with confidence adjusted for non-independent events";

fn check_input(input: &DsrInput<'_>) -> Result<()> {
    let n = input.count.len();
    crate::validate::non_empty("count", input.count)?;
    crate::validate::same_length("population", "count", n, input.population.len())?;
    if let Standard::Weights(w) = input.standard {
        crate::validate::same_length("standard", "count", n, w.len())?;
    }
    if let Some(a) = input.age_start {
        crate::validate::same_length("age_band", "count", n, a.len())?;
    }
    if let Some(f) = input.event_frequency {
        crate::validate::same_length("event_frequency", "count", n, f.len())?;
        if input.age_start.is_none() {
            return Err(Error::invalid(
                "age_band",
                "is required with event_frequency (to tell the bands apart)",
            ));
        }
    }
    if matches!(input.standard, Standard::Population(_)) && input.age_start.is_none() {
        return Err(Error::invalid(
            "age_band",
            "is required to match a standard population to the rows",
        ));
    }
    Ok(())
}

/// One band of one group after pooling the event frequencies.
struct Band {
    start: f64,
    population: f64,
    weight: f64,
    first_row: usize,
}

/// Per-thread working memory, reused from group to group.
#[derive(Default)]
struct Scratch {
    counts: Vec<f64>,
    band_of_row: Vec<usize>,
    bands: Vec<Band>,
    order: Vec<usize>,
    starts: Vec<f64>,
    /// The standard weights of the last band layout seen (most groups of a
    /// long frame share one layout).
    layout: Vec<f64>,
    layout_weights: Vec<f64>,
}
fn group_dsr(
    input: &DsrInput<'_>,
    rows: &[usize],
    opts: &DsrOptions,
    zs: &[f64],
    scratch: &mut Scratch,
) -> Result<DsrResult> {
    let levels = &opts.levels;
    let Scratch {
        counts,
        band_of_row,
        bands,
        order,
        starts,
        layout,
        layout_weights,
    } = scratch;
    // Counts, populations, frequencies per row, checked.
    counts.clear();
    for &i in rows {
        let mut c = input.count[i];
        if c.is_nan() && opts.missing == MissingPolicy::Zero {
            c = 0.0;
        }
        check_count("count", i, c)?;
        check_positive("population", i, input.population[i])?;
        if let Some(f) = input.event_frequency {
            if !(f[i].is_finite() && f[i] > 0.0) {
                return Err(Error::OutOfDomain {
                    arg: "event_frequency",
                    index: i,
                    value: f[i],
                    requirement: "positive",
                });
            }
        }
        if let Standard::Weights(w) = input.standard {
            check_count("standard", i, w[i])?;
        }
        counts.push(c);
    }
    // Distinct bands (sorted by start age) when the bands are named.
    band_of_row.clear();
    band_of_row.extend(0..rows.len());
    bands.clear();
    if let Some(age) = input.age_start {
        order.clear();
        order.extend(0..rows.len());
        // Long frames usually list the bands in order: skip the sort then.
        if order
            .windows(2)
            .any(|w| age[rows[w[0]]].total_cmp(&age[rows[w[1]]]).is_gt())
        {
            order.sort_by(|&a, &b| age[rows[a]].total_cmp(&age[rows[b]]));
        }
        for &k in order.iter() {
            let i = rows[k];
            let weight = match input.standard {
                Standard::Weights(w) => w[i],
                Standard::Population(_) => f64::NAN,
            };
            match bands.last() {
                Some(b) if b.start == age[i] => {
                    if input.event_frequency.is_none() {
                        return Err(Error::invalid(
                            "age_band",
                            format!(
                                "the band starting at {} appears twice in one group (row {i})",
                                age[i]
                            ),
                        ));
                    }
                    if b.population != input.population[i] {
                        return Err(Error::invalid(
                            "population",
                            format!(
                                "differs within the band starting at {} of one group (rows {} and {i})",
                                age[i], b.first_row
                            ),
                        ));
                    }
                    if matches!(input.standard, Standard::Weights(_)) && b.weight != weight {
                        return Err(Error::invalid(
                            "standard",
                            format!(
                                "differs within the band starting at {} of one group (rows {} and {i})",
                                age[i], b.first_row
                            ),
                        ));
                    }
                }
                _ => bands.push(Band {
                    start: age[i],
                    population: input.population[i],
                    weight,
                    first_row: i,
                }),
            }
            band_of_row[k] = bands.len() - 1;
        }
        if let Standard::Population(sp) = input.standard {
            starts.clear();
            starts.extend(bands.iter().map(|b| b.start));
            if *starts != *layout {
                *layout_weights = sp.weights_for(starts)?;
                layout.clone_from(&*starts);
            }
            for (b, &w) in bands.iter_mut().zip(layout_weights.iter()) {
                b.weight = w;
            }
        }
        if let Some(f) = input.event_frequency {
            // Each (band, frequency) once.
            let mut seen: Vec<(usize, f64)> = band_of_row
                .iter()
                .enumerate()
                .map(|(k, &b)| (b, f[rows[k]]))
                .collect();
            seen.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            if seen.windows(2).any(|w| w[0] == w[1]) {
                return Err(Error::invalid(
                    "event_frequency",
                    "an (age band, event frequency) pair appears twice in one group",
                ));
            }
        }
    } else {
        for &i in rows {
            let Standard::Weights(w) = input.standard else {
                unreachable!("checked in check_input")
            };
            bands.push(Band {
                start: f64::NAN,
                population: input.population[i],
                weight: w[i],
                first_row: i,
            });
        }
    }
    let mut total_weight = CompensatedSum::new();
    let mut total_pop = CompensatedSum::new();
    for b in bands.iter() {
        total_weight.add(b.weight);
        total_pop.add(b.population);
    }
    let total_weight = total_weight.value();
    if total_weight <= 0.0 {
        return Err(Error::invalid(
            "standard",
            "the standard weights of a group sum to zero",
        ));
    }
    let mut events = CompensatedSum::new();
    let mut weighted = CompensatedSum::new();
    let mut variance = CompensatedSum::new();
    for (k, &c) in counts.iter().enumerate() {
        let b = &bands[band_of_row[k]];
        let f = input.event_frequency.map_or(1.0, |f| f[rows[k]]);
        let r = b.weight / b.population;
        events.add(f * c);
        weighted.add(f * c * r);
        variance.add(f * f * c * r * r);
    }
    let t = events.value();
    let dsr = weighted.value() / total_weight;
    let var = variance.value() / (total_weight * total_weight);
    let method = if input.event_frequency.is_some() {
        METHOD_NONIND
    } else {
        METHOD
    };
    let m = opts.multiplier;
    let indicator = if let Some(threshold) = opts.suppress_below.filter(|&s| t < s) {
        Indicator::suppressed(
            levels,
            method,
            format!("suppressed: total count {t} is below {threshold}"),
        )
    } else if t == 0.0 {
        Indicator {
            value: Some(0.0),
            limits: levels.iter().map(|&l| Limits::none(l)).collect(),
            method,
            note: Some("no events: the Dobson limits are undefined".into()),
        }
    } else {
        let scale = (var / t).sqrt();
        let limits = levels
            .iter()
            .zip(zs)
            .map(|(&level, &z)| {
                let (lo, hi) = if t < super::poisson::EXACT_BELOW {
                    exact_limits(t, level)
                } else {
                    (byars_lower_z(t, z).max(0.0), byars_upper_z(t, z))
                };
                Limits::new(
                    level,
                    (dsr + scale * (lo - t)) * m,
                    (dsr + scale * (hi - t)) * m,
                )
            })
            .collect();
        Indicator {
            value: Some(dsr * m),
            limits,
            method,
            note: None,
        }
    };
    Ok(DsrResult {
        count: t,
        population: total_pop.value(),
        indicator,
    })
}

fn check_options(opts: &DsrOptions) -> Result<()> {
    check_levels(&opts.levels)?;
    check_multiplier(opts.multiplier)?;
    if let Some(s) = opts.suppress_below {
        if !(s.is_finite() && s >= 0.0) {
            return Err(Error::invalid(
                "suppress_below",
                format!("must be a non-negative number, got {s}"),
            ));
        }
    }
    Ok(())
}

/// The missing-value policy over every column a DSR reads.
fn apply_missing<'g>(
    input: &DsrInput<'_>,
    groups: &'g Groups,
    opts: &DsrOptions,
) -> Result<std::borrow::Cow<'g, Groups>> {
    let mut columns = vec![
        ("count", input.count, true),
        ("population", input.population, false),
    ];
    if let Standard::Weights(w) = input.standard {
        columns.push(("standard", w, false));
    }
    if let Some(a) = input.age_start {
        columns.push(("age_band", a, false));
    }
    if let Some(f) = input.event_frequency {
        columns.push(("event_frequency", f, false));
    }
    opts.missing
        .apply(groups, &columns, MissingOptions::DropOrZero)
}

/// The DSR of one area: the rows are its age bands.
///
/// # Errors
/// Negative counts, populations ≤ 0, negative weights, missing counts (unless
/// [`MissingPolicy::Zero`] or [`MissingPolicy::Drop`]), repeated or unmatched age bands, populations or
/// weights that differ within a band (non-independent events), bad levels.
///
/// ```
/// use jamlik::indicators::dsr::{dsr, DsrInput, DsrOptions, Standard};
/// use jamlik::indicators::StandardPopulation;
/// let esp = StandardPopulation::esp2013();
/// let ages: Vec<f64> = esp.starts().to_vec();
/// let count = vec![10.0; 19];
/// let population = vec![10_000.0; 19];
/// let input = DsrInput { count: &count, population: &population,
///     standard: Standard::Population(&esp), age_start: Some(&ages), event_frequency: None };
/// let r = dsr(&input, &DsrOptions::default())?;
/// assert!((r.indicator.value.unwrap() - 100.0).abs() < 1e-9); // 10/10 000 per 100 000
/// # Ok::<(), jamlik::Error>(())
/// ```
pub fn dsr(input: &DsrInput<'_>, opts: &DsrOptions) -> Result<DsrResult> {
    check_options(opts)?;
    check_input(input)?;
    let all = Groups::single(input.count.len());
    let groups = apply_missing(input, &all, opts)?;
    let zs: Vec<f64> = opts.levels.iter().map(|&l| super::z(l)).collect();
    if groups.is_empty() {
        return Err(Error::Empty { arg: "count" });
    }
    group_dsr(input, groups.rows(0), opts, &zs, &mut Scratch::default())
}

/// DSRs per group in one call (groups computed in parallel).
///
/// # Errors
/// As [`dsr`], for the first failing group.
pub fn dsr_by(
    input: &DsrInput<'_>,
    groups: &Groups,
    opts: &DsrOptions,
) -> Result<Grouped<DsrResult>> {
    check_options(opts)?;
    check_input(input)?;
    groups.check_len("count", input.count.len())?;
    let groups = apply_missing(input, groups, opts)?;
    let zs: Vec<f64> = opts.levels.iter().map(|&l| super::z(l)).collect();
    let results = groups.map_init(Scratch::default, |scratch, rows| {
        group_dsr(input, rows, opts, &zs, scratch)
    })?;
    Ok(Grouped {
        first_row: groups.first_rows(),
        results,
    })
}
