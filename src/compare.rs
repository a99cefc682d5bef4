//! Comparisons with county, nation and similar municipalities (issue 6). Work in progress.
