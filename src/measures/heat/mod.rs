//! WHO HEAT grouped summary measures (issue 3). Work in progress.
