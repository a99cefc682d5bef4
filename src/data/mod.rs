//! Data in and out: the observation panel, Kolada ingestion, geography and the
//! embedded (synthetic) demo dataset.

pub mod demo;
pub mod geography;
pub mod kolada;
pub mod panel;

pub use crate::vocabulary::Sex;
pub use demo::{DemoData, DemoOptions};
pub use geography::{Area, AreaKind, Geography};
pub use panel::{Observation, Panel};
