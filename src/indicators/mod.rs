//! Indicator statistics (issue 5). Work in progress.
