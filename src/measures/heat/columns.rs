//! The HEAT frame contract in one place: the columns the summaries read
//! (HEAT's data layout, as healthequal names them), which one is required,
//! and the check that refuses a frame lacking the required column or holding
//! a misspelt one (`pop` for `population`, `se_` for `se`), which would
//! otherwise be silently ignored.

use crate::error::{Error, Result};

/// One column of a HEAT input frame (one row per subgroup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameColumn {
    /// The column's name.
    pub name: &'static str,
    /// Whether every frame must have it.
    pub required: bool,
    /// What it holds.
    pub meaning: &'static str,
}

const fn col(name: &'static str, required: bool, meaning: &'static str) -> FrameColumn {
    FrameColumn {
        name,
        required,
        meaning,
    }
}

/// Every column the HEAT summaries read, in HEAT's order.
pub const COLUMNS: [FrameColumn; 11] = [
    col(
        "estimate",
        true,
        "the subgroup's estimate on the indicator's scale",
    ),
    col("se", false, "its standard error (empty: no CI needing it)"),
    col(
        "population",
        false,
        "the subgroup's population (the weight)",
    ),
    col(
        "subgroup_order",
        false,
        "order of an ordered dimension: consecutive integers, 1 = most disadvantaged",
    ),
    col(
        "ordered_dimension",
        false,
        "1 for an ordered dimension, 0 for a non-ordered one (absent: decided per case from subgroup_order)",
    ),
    col(
        "reference_subgroup",
        false,
        "1 for the reference subgroup, 0 otherwise",
    ),
    col(
        "favourable_indicator",
        false,
        "1 when higher is better (default), 0 for adverse indicators",
    ),
    col(
        "scaleval",
        false,
        "the indicator's scale (1, 100, 1000, 100000...)",
    ),
    col(
        "setting_average",
        false,
        "the setting (national) average, from outside",
    ),
    col("lmin", false, "lower bound of a bounded indicator"),
    col("lmax", false, "upper bound of a bounded indicator"),
];

/// Columns of WHO HEAT's data layout that label rows: the measures do not
/// read them, and they are never taken for a misspelt [`COLUMNS`] name (as
/// `setting` or `subgroup` would be).
pub const LABEL_COLUMNS: [&str; 18] = [
    "setting",
    "date",
    "year",
    "source",
    "indicator",
    "indicator_abbr",
    "indicator_name",
    "indicator_scale",
    "dimension",
    "subgroup",
    "subgroup_id",
    "ci_lb",
    "ci_ub",
    "flag",
    "iso3",
    "whoreg6",
    "wbincome",
    "case_id",
];

/// Lower case, letters and digits only: `Subgroup Order` → `subgrouporder`.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Optimal-string-alignment distance (edits and adjacent transpositions).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, cell) in d.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Whether `unknown` looks like a misspelling of `expected`: the same name
/// up to case and punctuation (`SE`, `se_`, `scale val`), a start or an end
/// of it of at least 3 (`pop`, `ref`, `scale`) or 4 (`order`) characters,
/// or a typo away (1 edit for names up to 5 characters, 2 beyond).
pub fn looks_like(unknown: &str, expected: &str) -> bool {
    let (u, e) = (normalise(unknown), normalise(expected));
    if u.is_empty() {
        return false;
    }
    if u == e || (u.len() >= 3 && e.starts_with(&u)) || (u.len() >= 4 && e.ends_with(&u)) {
        return true;
    }
    let typos = match e.len() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    typos > 0 && distance(&u, &e) <= typos
}

/// Checks the column names of a HEAT frame.
///
/// `present` are the frame's column names, `allowed` further names the
/// caller uses (the `by` columns). Any other column is fine unless it looks
/// like a misspelt HEAT column that the frame lacks ([`looks_like`]).
///
/// # Errors
/// [`Error::Column`] (argument `frame`) when `estimate` is absent, or when a
/// column looks like a misspelling of an absent HEAT column: the error names
/// the HEAT column, suggests the frame's look-alike and lists every HEAT
/// column.
pub fn check_columns<S: AsRef<str>>(present: &[S], allowed: &[S]) -> Result<()> {
    let has = |name: &str| present.iter().any(|p| p.as_ref() == name);
    let expected = || COLUMNS.iter().map(|c| c.name.to_string()).collect();
    for c in COLUMNS.iter().filter(|c| c.required) {
        if !has(c.name) {
            return Err(Error::Column {
                arg: "frame",
                column: c.name.to_string(),
                suggestions: present
                    .iter()
                    .map(AsRef::as_ref)
                    .filter(|p| looks_like(p, c.name))
                    .map(str::to_string)
                    .collect(),
                expected: expected(),
            });
        }
    }
    let known = |name: &str| {
        COLUMNS.iter().any(|c| c.name == name)
            || LABEL_COLUMNS.contains(&name)
            || allowed.iter().any(|a| a.as_ref() == name)
    };
    for p in present.iter().map(AsRef::as_ref).filter(|p| !known(p)) {
        if let Some(c) = COLUMNS
            .iter()
            .find(|c| !has(c.name) && looks_like(p, c.name))
        {
            return Err(Error::Column {
                arg: "frame",
                column: c.name.to_string(),
                suggestions: vec![p.to_string()],
                expected: expected(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_are_recognised() {
        for (unknown, expected) in [
            ("pop", "population"),
            ("se_", "se"),
            ("SE", "se"),
            ("Estimate", "estimate"),
            ("popualtion", "population"),
            ("favorable_indicator", "favourable_indicator"),
            ("scale", "scaleval"),
            ("ordered", "ordered_dimension"),
            ("order", "subgroup_order"),
            ("Subgroup Order", "subgroup_order"),
            ("min", "lmin"),
            ("ref", "reference_subgroup"),
        ] {
            assert!(looks_like(unknown, expected), "{unknown} ~ {expected}");
        }
        for (unknown, expected) in [
            ("sex", "se"),
            ("age", "se"),
            ("case_id", "estimate"),
            ("year", "lmax"),
            ("weights", "population"),
            ("s", "se"),
            ("", "se"),
        ] {
            assert!(!looks_like(unknown, expected), "{unknown} !~ {expected}");
        }
    }

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("popualtion", "population"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("se", "se"), 0);
    }

    #[test]
    fn frame_columns() {
        let ok = [
            "case_id",
            "subgroup",
            "setting",
            "estimate",
            "se",
            "dimension",
            "sex",
        ];
        assert!(check_columns(&ok, &[]).is_ok());
        // A look-alike of a column the frame has is a deliberate extra.
        assert!(check_columns(&["estimate", "population", "pop"], &[]).is_ok());
        // `by` columns are allowed whatever their name.
        assert!(check_columns(&["estimate", "pop"], &["pop"]).is_ok());
        let e = check_columns(&["estimate", "pop"], &[]).unwrap_err();
        assert!(
            matches!(&e, Error::Column { column, suggestions, .. }
                if column == "population" && suggestions == &["pop".to_string()]),
            "{e}"
        );
        let msg = e.to_string();
        assert!(msg.contains("`pop`") && msg.contains("`scaleval`"), "{msg}");
        let e = check_columns(&["Estimate", "se"], &[]).unwrap_err();
        assert!(
            matches!(&e, Error::Column { column, suggestions, .. }
                if column == "estimate" && suggestions == &["Estimate".to_string()]),
            "{e}"
        );
    }
}
