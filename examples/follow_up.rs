//! The follow-up of one municipality and the gaps around it, on the embedded
//! (SYNTHETIC) demo dataset, printed as CSV: a plain Rust program using only the
//! public `jamlik` API, the same computation `jamlik.report.follow_up` and
//! `jamlik.report.gaps` run in Python.
//!
//! ```text
//! cargo run --quiet --example follow_up -- Arboga
//! cargo run --quiet --example follow_up -- 1984 gaps
//! ```
//!
//! Arguments: the municipality (Kolada id or name; required) and what to print:
//! `follow_up` (default), `gaps`, or `both` (the two tables separated by a blank line).

use jamlik::data::{DemoData, DemoOptions, Geography};
use jamlik::goals::Catalogue;
use jamlik::goals::follow_up::{FollowUpOptions, follow_up, gaps};
use std::process::ExitCode;

fn run(municipality: &str, what: &str) -> jamlik::Result<String> {
    let geo = Geography::embedded()?;
    let catalogue = Catalogue::shipped()?;
    let demo = DemoData::generate(&DemoOptions::default())?;
    let options = FollowUpOptions::default();
    let follow = follow_up(&demo, &geo, &catalogue, municipality, &options)?;
    // The demo dataset is its own population source: the gaps are weighted by it.
    let gap = gaps(&demo, &demo, &geo, &catalogue, &follow, &options)?;
    Ok(match what {
        "gaps" => gap.table().to_csv(),
        "both" => format!("{}\n{}", follow.table().to_csv(), gap.table().to_csv()),
        _ => follow.table().to_csv(),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(municipality) = args.first() else {
        eprintln!("usage: follow_up <municipality id or name> [follow_up|gaps|both]");
        return ExitCode::from(2);
    };
    let what = args.get(1).map_or("follow_up", String::as_str);
    if !matches!(what, "follow_up" | "gaps" | "both") {
        eprintln!("follow_up: expected follow_up, gaps or both, got {what:?}");
        return ExitCode::from(2);
    }
    match run(municipality, what) {
        Ok(csv) => {
            print!("{csv}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("follow_up: {e}");
            ExitCode::from(2)
        }
    }
}
