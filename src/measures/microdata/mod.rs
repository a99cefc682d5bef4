//! Microdata concentration indices and inequality indices (issue 4). Work in progress.
