//! Goals, targets and progress (issue 6). Work in progress.
