//! Every Rust integration test in one binary: one link instead of one per file, which
//! is most of `cargo test`'s build time. One module per area; `common` holds the tolerance
//! policy and CSV access, `kolada_mock` the loopback Kolada server.

mod common;
mod goals_catalogue;
mod goals_compare;
mod goals_demo;
mod goals_follow_up;
mod goals_gap;
mod goals_geography;
mod goals_progress;
mod grouped;
mod heat_errors;
mod heat_properties;
mod heat_reference;
mod heat_summary;
mod indicators_funnel;
mod indicators_health_expectancy;
mod indicators_missing;
mod indicators_package;
mod indicators_properties;
mod indicators_reference;
mod indicators_small_numbers;
#[cfg(feature = "kolada")]
mod kolada_cache;
#[cfg(feature = "kolada-http")]
mod kolada_client;
#[cfg(feature = "kolada-http")]
mod kolada_faults;
#[cfg(feature = "kolada-http")]
mod kolada_mock;
mod kolada_parse;
mod microdata_inequality;
mod microdata_properties;
mod microdata_reference;
mod no_panic;
mod numerics;
mod rank;
mod state_concentration;
mod state_properties;
