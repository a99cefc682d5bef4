//! Data in and out: the observation panel, Kolada ingestion, geography and the
//! embedded (synthetic) demo dataset.

pub mod kolada;
pub mod panel;

pub use panel::{Observation, Panel, Sex};
