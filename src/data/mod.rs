//! Kolada ingestion, geography and the demo dataset (issue 6). Work in progress.
