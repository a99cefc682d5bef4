//! Kolada ingestion: parse API v2/v3 responses, build ≤25-id requests, fetch with
//! retries, paging and an atomic on-disk cache, offline mode.
//!
//! Kolada (<https://www.kolada.se>) is the Swedish municipal and regional statistics
//! database run by RKA. Its data is open (CC BY 4.0); credit it as
//! [`ATTRIBUTION`] wherever it is used.
//!
//! - [`parse`]: response text → [`Observation`](crate::data::Observation)s and metadata
//!   ([`model`]); no I/O, always compiled (serde only).
//! - `url`: request URLs (chunks of at most 25 ids per path segment).
//! - `cache`: the on-disk cache.
//! - `client`: the fetch loop (retries with exponential backoff on 429/5xx and
//!   network errors, `Retry-After`, timeouts, paging, cache, offline mode). The HTTP
//!   transport (`ureq` with rustls) is behind the cargo feature `kolada-http` so a
//!   service that only parses compiles no TLS; without it the client works offline
//!   from the cache or with a caller-supplied `client::Transport`.
//!
//! `url`, `cache` and `client` are compiled with the cargo feature `kolada`
//! (implied by `kolada-http` and `python`), which brings `percent-encoding`,
//! `sha2` and `tempfile`; without it only [`parse`] and [`model`] exist.

#[cfg(feature = "kolada")]
pub mod cache;
#[cfg(feature = "kolada")]
pub mod client;
pub mod model;
#[cfg(feature = "kolada")]
mod paging;
pub mod parse;
#[cfg(feature = "kolada")]
pub mod url;

/// Credit line required by Kolada's licence.
pub const ATTRIBUTION: &str = "Källa: Kolada";
/// Licence of Kolada's open data.
pub const LICENCE: &str = "CC BY 4.0";

#[cfg(feature = "kolada")]
pub use cache::{Cache, Lookup};
#[cfg(feature = "kolada")]
pub use client::{Client, ClientConfig, HttpResponse, Sleeper, Transport};
pub use model::{AreaType, Group, GroupMember, Kpi, KpiLevel, Municipality};
pub use parse::{COLUMNS, Page, ParseOptions, parse_data, parse_data_page};
#[cfg(feature = "kolada")]
pub use url::{Api, DataQuery, Entity};
