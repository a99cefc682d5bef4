//! A small columnar table: how the follow-up and its gaps leave the core, the same
//! for the Python bindings (one list per column) and for Rust programs ([`Table::to_csv`]).

/// One column of a [`Table`]. Missing cells are `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Text.
    Text(Vec<Option<String>>),
    /// Whole numbers (years, counts).
    Int(Vec<Option<i64>>),
    /// Real numbers.
    Float(Vec<Option<f64>>),
}

impl Column {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
        }
    }

    /// True when the column has no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i` as CSV text: empty when missing, floats in Rust's shortest
    /// round-trip form, text quoted when it holds a comma, quote or line break.
    fn csv_cell(&self, i: usize) -> String {
        match self {
            Column::Text(v) => v[i].as_deref().map(quote).unwrap_or_default(),
            Column::Int(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            Column::Float(v) => v[i]
                .filter(|x| !x.is_nan())
                .map(|x| format!("{x:?}"))
                .unwrap_or_default(),
        }
    }
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Named columns of equal length, in display order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// `(name, column)` pairs.
    pub columns: Vec<(&'static str, Column)>,
}

impl Table {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The column names in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(n, _)| *n).collect()
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }

    /// The table as CSV (RFC 4180 quoting, `\n` line ends, a header line).
    pub fn to_csv(&self) -> String {
        let mut out = self.names().join(",");
        out.push('\n');
        for i in 0..self.rows() {
            let cells: Vec<String> = self.columns.iter().map(|(_, c)| c.csv_cell(i)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// Builds a column from rows.
pub(crate) fn text<T>(rows: &[T], f: impl Fn(&T) -> Option<String>) -> Column {
    Column::Text(rows.iter().map(f).collect())
}

/// Builds an integer column from rows.
pub(crate) fn int<T>(rows: &[T], f: impl Fn(&T) -> Option<i64>) -> Column {
    Column::Int(rows.iter().map(f).collect())
}

/// Builds a float column from rows.
pub(crate) fn float<T>(rows: &[T], f: impl Fn(&T) -> Option<f64>) -> Column {
    Column::Float(rows.iter().map(f).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_leaves_missing_cells_empty() {
        let t = Table {
            columns: vec![
                ("a", Column::Text(vec![Some("x, \"y\"".into()), None])),
                ("b", Column::Float(vec![Some(0.1), None])),
                ("c", Column::Int(vec![None, Some(2023)])),
            ],
        };
        assert_eq!(t.to_csv(), "a,b,c\n\"x, \"\"y\"\"\",0.1,\n,,2023\n");
        assert_eq!(t.rows(), 2);
        assert!(t.column("d").is_none());
    }
}
