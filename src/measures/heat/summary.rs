//! Every applicable measure in one call, for one case or for many cases at once.

use super::method::{Method, Note, Outcome};
use super::simulation::{Replicates, simulated_measure};
use super::{Measure, Options, Subgroups, compute};
use super::{disproportionality, regression};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::validate::{self, MissingPolicy};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;

/// One measure of one group at one confidence level in a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Group id (0 for a single case).
    pub group: usize,
    /// Confidence level of this row's limits.
    pub level: f64,
    /// Number of subgroups used (after any dropped as missing).
    pub n: usize,
    /// Which measure.
    pub measure: Measure,
    /// The estimate, or why this measure is undefined for this group.
    pub result: Result<Estimate>,
}

/// Measures HEAT reports for a dimension: D and R always; with three or more
/// subgroups ACI/RCI/SII/RII for ordered dimensions, the variance,
/// mean-difference and entropy families for non-ordered ones (MDRU/MDRW only
/// with a reference subgroup), and PAF/PAR.
pub fn applicable(g: &Subgroups) -> Vec<Measure> {
    let mut out = vec![Measure::D, Measure::R];
    if g.len() <= 2 {
        return out;
    }
    if g.is_ordered() {
        out.extend([Measure::Aci, Measure::Rci, Measure::Sii, Measure::Rii]);
    } else {
        out.extend([
            Measure::Bgv,
            Measure::Bgsd,
            Measure::Cov,
            Measure::Mdmu,
            Measure::Mdmw,
            Measure::Mdbu,
            Measure::Mdbw,
        ]);
        if g.reference().is_some() {
            out.extend([Measure::Mdru, Measure::Mdrw]);
        }
        out.extend([Measure::Idisu, Measure::Idisw, Measure::Mld, Measure::Ti]);
    }
    out.extend([Measure::Paf, Measure::Par]);
    out
}

/// All applicable measures of one case. The simulation replicates are drawn
/// once and shared by every simulated measure (identical to calling each
/// measure separately with the same seed).
///
/// # Errors
/// Invalid options (level, draws). Per-measure problems are returned inside
/// each row's `result`.
pub fn summarise(g: &Subgroups, o: &Options) -> Result<Vec<(Measure, Result<Estimate>)>> {
    o.check()?;
    let z = crate::stats::z_value(o.level)?;
    let mut out = Vec::with_capacity(16);
    case_outcomes(g, o, &[(o.level, z)], |level, m, r| {
        out.push((m, r.map(|e| e.into_estimate(level).with_n(g.len()))));
    });
    Ok(out)
}

/// Every applicable measure of one case at each `(level, z)`, handed to
/// `sink` in order (per level, the measures of [`applicable`]). What does not
/// depend on the level is computed once per case: the simulation replicates
/// (the same seed gives the same matrix at every level) and the SII/RII fit.
fn case_outcomes(
    g: &Subgroups,
    o: &Options,
    levels: &[(f64, f64)],
    mut sink: impl FnMut(f64, Measure, Result<Outcome>),
) {
    let measures = applicable(g);
    let sims = measures
        .iter()
        .any(|m| m.simulated())
        .then(|| Replicates::draw(g, o));
    let fitted = measures
        .contains(&Measure::Sii)
        .then(|| regression::fit_model(Measure::Sii, g, o.regression, o.compat));
    let concentration = measures
        .contains(&Measure::Aci)
        .then(|| disproportionality::parts(g, "ACI"));
    for &(level, z) in levels {
        let at = Options { level, ..*o };
        for &m in &measures {
            let r = if m.simulated() {
                match &sims {
                    Some(Ok(s)) => simulated_measure(m, g, s.as_ref(), level),
                    Some(Err(e)) => Err(e.clone()),
                    None => compute(m, g, &at, z, None, None),
                }
            } else {
                match (m, &fitted, &concentration) {
                    (Measure::Sii | Measure::Rii, Some(Ok(f)), _) => regression::index(m, f, z),
                    // An error names the measure: RII and RCI redo the work
                    // to word their own.
                    (Measure::Sii, Some(Err(e)), _) | (Measure::Aci, _, Some(Err(e))) => {
                        Err(e.clone())
                    }
                    (Measure::Aci, _, Some(Ok(p))) => Ok(disproportionality::aci_from(g, *p, z)),
                    (Measure::Rci, _, Some(Ok(p))) => {
                        disproportionality::rci(g, o.normalisation, z, Some(*p))
                    }
                    _ => compute(m, g, &at, z, None, None),
                }
            };
            sink(level, m, r);
        }
    }
}

/// Row-level columns of many cases (one row per subgroup), as in HEAT's
/// data layout ([`super::columns::COLUMNS`] names the frame column of each
/// field; [`SummaryColumns::set`] fills a field by that name). Per-case
/// settings (`ordered`, `favourable`, `scale`, `setting_average`, `lmin`,
/// `lmax`) repeat on every row of a case and must be constant within it;
/// NaN means "not given".
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryColumns<'a> {
    /// Group id of each row, 0..G (None: a single case).
    pub group: Option<&'a [i64]>,
    /// `estimate`.
    pub estimate: &'a [f64],
    /// `se` (NaN: no SE for that subgroup).
    pub se: Option<&'a [f64]>,
    /// `population`; all NaN within a case = no population for that case.
    pub population: Option<&'a [f64]>,
    /// `subgroup_order`.
    pub subgroup_order: Option<&'a [f64]>,
    /// `ordered_dimension`: 1 = ordered dimension, 0 = non-ordered; absent
    /// or NaN for a case: ordered when its subgroup orders are all present
    /// and distinct.
    pub ordered: Option<&'a [f64]>,
    /// `reference_subgroup`: 1 for the reference (NaN counts as 0).
    pub reference: Option<&'a [f64]>,
    /// `favourable_indicator`: 1 = favourable, 0 = adverse (default favourable).
    pub favourable: Option<&'a [f64]>,
    /// `scaleval`.
    pub scale: Option<&'a [f64]>,
    pub setting_average: Option<&'a [f64]>,
    pub lmin: Option<&'a [f64]>,
    pub lmax: Option<&'a [f64]>,
}

fn constant(arg: &'static str, col: Option<&[f64]>, rows: &[usize]) -> Result<Option<f64>> {
    let Some(c) = col else { return Ok(None) };
    let first = c[rows[0]];
    for &i in rows {
        let v = c[i];
        if !(v == first || (v.is_nan() && first.is_nan())) {
            return Err(Error::invalid(
                arg,
                format!(
                    "must be the same on every row of a case; row {i} has {v}, the case's first row {first}"
                ),
            ));
        }
    }
    Ok((!first.is_nan()).then_some(first))
}

impl<'a> SummaryColumns<'a> {
    /// Sets the column of a HEAT frame named `name` (see
    /// [`super::columns::COLUMNS`]: `estimate`, `se`, `population`,
    /// `subgroup_order`, `ordered_dimension`, `reference_subgroup`,
    /// `favourable_indicator`, `scaleval`, `setting_average`, `lmin`, `lmax`).
    ///
    /// # Errors
    /// [`Error::Column`] for a name that is not a HEAT column.
    pub fn set(&mut self, name: &str, values: &'a [f64]) -> Result<()> {
        let slot = match name {
            "estimate" => {
                self.estimate = values;
                return Ok(());
            }
            "se" => &mut self.se,
            "population" => &mut self.population,
            "subgroup_order" => &mut self.subgroup_order,
            "ordered_dimension" => &mut self.ordered,
            "reference_subgroup" => &mut self.reference,
            "favourable_indicator" => &mut self.favourable,
            "scaleval" => &mut self.scale,
            "setting_average" => &mut self.setting_average,
            "lmin" => &mut self.lmin,
            "lmax" => &mut self.lmax,
            other => {
                let expected: Vec<String> = super::columns::COLUMNS
                    .iter()
                    .map(|c| c.name.to_string())
                    .collect();
                return Err(Error::Column {
                    arg: "columns",
                    column: other.to_string(),
                    suggestions: expected
                        .iter()
                        .filter(|e| super::columns::looks_like(other, e))
                        .cloned()
                        .collect(),
                    expected,
                });
            }
        };
        *slot = Some(values);
        Ok(())
    }
}

/// The frame's column name for a builder argument, so errors name the
/// column the caller has.
fn column_name(arg: &'static str) -> &'static str {
    match arg {
        "scale" => "scaleval",
        "reference" => "reference_subgroup",
        other => other,
    }
}

/// Re-labels an error of one case: rows of the whole input, column names.
fn case_error(e: Error, rows: &[usize]) -> Error {
    match e.remap_rows(rows) {
        Error::InvalidArgument { arg, reason } => Error::InvalidArgument {
            arg: column_name(arg),
            reason,
        },
        Error::NonFinite { arg, index, value } => Error::NonFinite {
            arg: column_name(arg),
            index,
            value,
        },
        Error::Missing {
            arg,
            index,
            options,
        } => Error::Missing {
            arg: column_name(arg),
            index,
            options,
        },
        other => other,
    }
}

/// A 0/1 flag column's value (named in the error otherwise).
fn flag(arg: &'static str, value: f64) -> Result<bool> {
    if value == 0.0 || value == 1.0 {
        Ok(value == 1.0)
    } else {
        Err(Error::invalid(
            arg,
            format!("must be 1 or 0 (true or false), got {value}"),
        ))
    }
}

/// Whether a case without an `ordered_dimension` value is ordered: its
/// `subgroup_order` values are all present and distinct (all zeros or all
/// equal mark a non-ordered dimension, as in HEAT's data layout).
fn looks_ordered(order: Option<&[f64]>, rows: &[usize]) -> bool {
    let Some(order) = order else { return false };
    let mut values = Vec::with_capacity(rows.len());
    for &i in rows {
        let v = order[i];
        if v.is_nan() {
            return false;
        }
        values.push(v);
    }
    values.sort_by(f64::total_cmp);
    values.windows(2).all(|w| w[0] != w[1])
}

fn build_case<'a>(c: &SummaryColumns<'a>, rows: &[usize], o: &Options) -> Result<Subgroups> {
    // A case's rows are usually adjacent in the input: borrow them instead
    // of copying (the builder copies what it keeps anyway).
    let adjacent = rows.windows(2).all(|w| w[1] == w[0] + 1);
    let pick = |col: &'a [f64]| -> Cow<'a, [f64]> {
        if adjacent {
            Cow::Borrowed(&col[rows[0]..rows[0] + rows.len()])
        } else {
            Cow::Owned(rows.iter().map(|&i| col[i]).collect())
        }
    };
    let estimate = pick(c.estimate);
    if o.missing == MissingPolicy::Drop && estimate.iter().all(|v| v.is_nan()) {
        return Err(Error::invalid(
            "estimate",
            format!(
                "every estimate of the case at rows {:?} is missing, so no subgroup is left after dropping; remove that case",
                &rows[..rows.len().min(5)]
            ),
        ));
    }
    let se = c.se.map(pick);
    let population = c
        .population
        .map(pick)
        .filter(|p| !p.iter().all(|v| v.is_nan()));
    let ordered = match constant("ordered_dimension", c.ordered, rows)? {
        Some(v) => flag("ordered_dimension", v)?,
        None => looks_ordered(c.subgroup_order, rows),
    };
    let order = if ordered {
        Some(pick(c.subgroup_order.ok_or_else(|| {
            Error::invalid(
                "subgroup_order",
                "an ordered dimension (ordered_dimension = 1) needs the subgroup order",
            )
        })?))
    } else {
        None
    };
    let reference = c.reference.map(|r| {
        let r = pick(r);
        if r.iter().any(|v| v.is_nan()) {
            Cow::Owned(
                r.iter()
                    .map(|&v| if v.is_nan() { 0.0 } else { v })
                    .collect(),
            )
        } else {
            r
        }
    });
    let favourable = match constant("favourable_indicator", c.favourable, rows)? {
        Some(v) => flag("favourable_indicator", v)?,
        None => true,
    };
    let mut b = Subgroups::new(&estimate)
        .favourable(favourable)
        .missing(o.missing);
    if let Some(s) = &se {
        b = b.se(s);
    }
    if let Some(p) = &population {
        b = b.population(p);
    }
    if let Some(o) = &order {
        b = b.subgroup_order(o);
    }
    if let Some(r) = &reference {
        b = b.reference_flags(r);
    }
    if let Some(s) = constant("scaleval", c.scale, rows)? {
        b = b.scale(s);
    }
    if let Some(a) = constant("setting_average", c.setting_average, rows)? {
        b = b.setting_average(a);
    }
    b = b.bounds_opt(
        constant("lmin", c.lmin, rows)?,
        constant("lmax", c.lmax, rows)?,
    );
    b.build().map_err(|e| case_error(e, rows))
}

/// Summaries of many cases in one call (parallel over cases, deterministic)
/// at the level of `o`.
///
/// A case is ordered when its `ordered_dimension` says so (1) or, where that
/// column is absent or empty for the case, when its `subgroup_order` values
/// are all present and distinct; so each case of a mixed frame gets its own
/// family of measures.
///
/// # Errors
/// As [`summarise_groups_at`].
pub fn summarise_groups(c: &SummaryColumns<'_>, o: &Options) -> Result<Vec<SummaryRow>> {
    summarise_groups_at(c, o, &[o.level])
}

/// The rows of every case, grouped without a vector per case: the input
/// rows of case `k` are `rows[start[k]..start[k + 1]]`, in input order.
struct Cases {
    start: Vec<usize>,
    rows: Vec<usize>,
}

impl Cases {
    fn len(&self) -> usize {
        self.start.len() - 1
    }

    fn rows(&self, k: usize) -> &[usize] {
        &self.rows[self.start[k]..self.start[k + 1]]
    }
}

/// Checks the levels, options and columns; groups the rows into cases and
/// pairs each level with its normal quantile.
fn prepare(
    c: &SummaryColumns<'_>,
    o: &Options,
    levels: &[f64],
) -> Result<(Cases, Vec<(f64, f64)>)> {
    if levels.is_empty() {
        return Err(Error::invalid(
            "level",
            "needs at least one confidence level",
        ));
    }
    let mut at = Vec::with_capacity(levels.len());
    for &level in levels {
        Options { level, ..*o }.check()?;
        at.push((level, crate::stats::z_value(level)?));
    }
    let n = c.estimate.len();
    validate::non_empty("estimate", c.estimate)?;
    for (arg, col) in [
        ("se", c.se),
        ("population", c.population),
        ("subgroup_order", c.subgroup_order),
        ("ordered_dimension", c.ordered),
        ("reference_subgroup", c.reference),
        ("favourable_indicator", c.favourable),
        ("scaleval", c.scale),
        ("setting_average", c.setting_average),
        ("lmin", c.lmin),
        ("lmax", c.lmax),
    ] {
        if let Some(col) = col {
            validate::same_length(arg, "estimate", n, col.len())?;
        }
    }
    let cases = match c.group {
        None => Cases {
            start: vec![0, n],
            rows: (0..n).collect(),
        },
        Some(ids) => {
            validate::same_length("group", "estimate", n, ids.len())?;
            let mut max = 0usize;
            for (i, &id) in ids.iter().enumerate() {
                if id < 0 {
                    return Err(Error::OutOfDomain {
                        arg: "group",
                        index: i,
                        value: id as f64,
                        requirement: "a non-negative group id",
                    });
                }
                max = max.max(id as usize);
            }
            // A counting sort of the row indices by group id (stable).
            let mut start = vec![0usize; max + 2];
            for &id in ids {
                start[id as usize + 1] += 1;
            }
            for k in 1..start.len() {
                start[k] += start[k - 1];
            }
            let mut next = start.clone();
            let mut rows = vec![0usize; n];
            for (i, &id) in ids.iter().enumerate() {
                rows[next[id as usize]] = i;
                next[id as usize] += 1;
            }
            Cases { start, rows }
        }
    };
    Ok((cases, at))
}

/// Summaries of many cases at several confidence levels: for each case, one
/// set of rows per level (in the order given; the simulation replicates are
/// the same at every level, so only the limits change).
///
/// Each row carries its own [`Estimate`] with the `method` sentence;
/// [`summarise_table`] returns the same numbers as columns with each
/// distinct sentence once, which is much faster for many cases.
///
/// # Errors
/// No level, a level outside (0, 1), invalid options, mismatched column
/// lengths, negative group ids, per-case settings that vary within a case,
/// flags other than 0/1, or any invalid input column (row indices in the
/// error refer to the whole input, column names to the frame's).
pub fn summarise_groups_at(
    c: &SummaryColumns<'_>,
    o: &Options,
    levels: &[f64],
) -> Result<Vec<SummaryRow>> {
    let (cases, at) = prepare(c, o, levels)?;
    let per_group: Vec<Result<Vec<SummaryRow>>> = (0..cases.len())
        .into_par_iter()
        .map(|k| {
            let rows = cases.rows(k);
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            let g = build_case(c, rows, o)?;
            let mut out = Vec::with_capacity(16 * at.len());
            case_outcomes(&g, o, &at, |level, measure, r| {
                out.push(SummaryRow {
                    group: k,
                    level,
                    n: g.len(),
                    measure,
                    result: r.map(|e| e.into_estimate(level).with_n(g.len())),
                });
            });
            Ok(out)
        })
        .collect();
    let mut out = Vec::with_capacity(per_group.len() * 16 * at.len());
    for r in per_group {
        out.extend(r?);
    }
    Ok(out)
}

/// The summary of many cases as columns, one entry per row (case × level ×
/// applicable measure, in the order of [`summarise_groups_at`]). Numbers that
/// do not exist are NaN. The `method` sentences and notes are stored once
/// each: `method[i]` indexes `methods`, `note[i]` (when present) `notes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryTable {
    /// Group id of the row.
    pub group: Vec<usize>,
    /// Which measure.
    pub measure: Vec<Measure>,
    /// The estimate (NaN: not computed).
    pub value: Vec<f64>,
    /// Standard error (NaN: none; ratios: SE of the log).
    pub se: Vec<f64>,
    /// Lower confidence limit (NaN: none).
    pub lower: Vec<f64>,
    /// Upper confidence limit (NaN: none).
    pub upper: Vec<f64>,
    /// Confidence level of the row's limits.
    pub level: Vec<f64>,
    /// Number of subgroups used.
    pub n: Vec<usize>,
    /// Index into `methods`.
    pub method: Vec<u32>,
    /// Each distinct method sentence once ("not computed" for undefined measures).
    pub methods: Vec<String>,
    /// Index into `notes`, or `None` when the row has no note.
    pub note: Vec<Option<u32>>,
    /// Each distinct note once (why a measure or its SE/CI is missing).
    pub notes: Vec<String>,
}

/// Distinct values and the index of each, with a shortcut for rows that
/// repeat the previous value of the same measure.
struct Interner<T> {
    items: Vec<T>,
    index: HashMap<T, u32>,
    last: [Option<u32>; Measure::ALL.len()],
}

impl<T: Hash + Eq + Clone> Interner<T> {
    fn new() -> Self {
        Self {
            items: Vec::new(),
            index: HashMap::new(),
            last: [None; Measure::ALL.len()],
        }
    }

    fn code(&mut self, m: Measure, item: T) -> u32 {
        let slot = m.index();
        if let Some(i) = self.last[slot]
            && self.items[i as usize] == item
        {
            return i;
        }
        let i = self.global(item);
        self.last[slot] = Some(i);
        i
    }

    fn global(&mut self, item: T) -> u32 {
        let next = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        let items = &mut self.items;
        *self.index.entry(item).or_insert_with_key(|k| {
            items.push(k.clone());
            next
        })
    }
}

/// One chunk of cases as columns, with chunk-local method and note codes.
struct Chunk {
    table: SummaryTable,
    methods: Interner<Method>,
    notes: Interner<Note>,
}

impl Chunk {
    fn with_capacity(rows: usize) -> Self {
        Self {
            table: SummaryTable {
                group: Vec::with_capacity(rows),
                measure: Vec::with_capacity(rows),
                value: Vec::with_capacity(rows),
                se: Vec::with_capacity(rows),
                lower: Vec::with_capacity(rows),
                upper: Vec::with_capacity(rows),
                level: Vec::with_capacity(rows),
                n: Vec::with_capacity(rows),
                method: Vec::with_capacity(rows),
                methods: Vec::new(),
                note: Vec::with_capacity(rows),
                notes: Vec::new(),
            },
            methods: Interner::new(),
            notes: Interner::new(),
        }
    }

    /// Appends the rows of a later chunk, re-coding its methods and notes.
    fn append(&mut self, mut ch: Chunk) {
        let methods: Vec<u32> = std::mem::take(&mut ch.methods.items)
            .into_iter()
            .map(|m| self.methods.global(m))
            .collect();
        let notes: Vec<u32> = std::mem::take(&mut ch.notes.items)
            .into_iter()
            .map(|s| self.notes.global(s))
            .collect();
        let (t, all) = (&mut ch.table, &mut self.table);
        all.group.append(&mut t.group);
        all.measure.append(&mut t.measure);
        all.value.append(&mut t.value);
        all.se.append(&mut t.se);
        all.lower.append(&mut t.lower);
        all.upper.append(&mut t.upper);
        all.level.append(&mut t.level);
        all.n.append(&mut t.n);
        all.method
            .extend(t.method.iter().map(|&i| methods[i as usize]));
        all.note
            .extend(t.note.iter().map(|i| i.map(|i| notes[i as usize])));
    }

    fn push(&mut self, group: usize, n: usize, level: f64, m: Measure, r: Result<Outcome>) {
        let t = &mut self.table;
        t.group.push(group);
        t.measure.push(m);
        t.level.push(level);
        t.n.push(n);
        let (numbers, method, note) = match r {
            Ok(o) => (
                [
                    o.value,
                    o.se.unwrap_or(f64::NAN),
                    o.lower.unwrap_or(f64::NAN),
                    o.upper.unwrap_or(f64::NAN),
                ],
                o.method,
                o.note,
            ),
            Err(e) => (
                [f64::NAN; 4],
                Method::NotComputed,
                Some(e.to_string().into()),
            ),
        };
        t.value.push(numbers[0]);
        t.se.push(numbers[1]);
        t.lower.push(numbers[2]);
        t.upper.push(numbers[3]);
        t.method.push(self.methods.code(m, method));
        t.note.push(note.map(|s| self.notes.code(m, s)));
    }
}

/// Cases per parallel task of [`summarise_table`].
const CHUNK: usize = 512;

/// Cases per batch of tasks of [`summarise_table`].
const BATCH: usize = 32 * CHUNK;

/// Every applicable measure of many cases as columns ([`SummaryTable`]):
/// the numbers of [`summarise_groups_at`], bitwise, with each distinct method
/// sentence rendered once instead of once per row. Parallel over chunks of
/// cases; the result does not depend on the number of threads.
///
/// # Errors
/// As [`summarise_groups_at`] (the first failing case in group order).
pub fn summarise_table(
    c: &SummaryColumns<'_>,
    o: &Options,
    levels: &[f64],
) -> Result<SummaryTable> {
    let (cases, at) = prepare(c, o, levels)?;
    // An ordered case has 8 rows per level, a non-ordered one up to 15.
    let mut out = Chunk::with_capacity(cases.len() * 8 * at.len());
    // Batches of chunks: each batch's buffers are merged and freed before
    // the next, so their memory is reused instead of doubling the output.
    for batch in (0..cases.len()).step_by(BATCH) {
        let end = (batch + BATCH).min(cases.len());
        let chunks: Vec<Result<Chunk>> = (batch..end)
            .into_par_iter()
            .step_by(CHUNK)
            .map(|first| {
                let last = (first + CHUNK).min(end);
                let mut chunk = Chunk::with_capacity((last - first) * 8 * at.len());
                for k in first..last {
                    let rows = cases.rows(k);
                    if rows.is_empty() {
                        continue;
                    }
                    let g = build_case(c, rows, o)?;
                    let n = g.len();
                    case_outcomes(&g, o, &at, |level, m, r| chunk.push(k, n, level, m, r));
                }
                Ok(chunk)
            })
            .collect();
        for chunk in chunks {
            out.append(chunk?);
        }
    }
    let mut table = out.table;
    table.methods = out.methods.items.iter().map(Method::to_string).collect();
    table.notes = out.notes.items.into_iter().map(Note::into_owned).collect();
    Ok(table)
}
