//! Consistency checks across the pages of one Kolada response.
//!
//! Kolada pages by offset, so a table that changes while a client walks its pages
//! can shift rows between pages: one row is then read twice and another never. That
//! would be a plausible wrong answer, so the pages of one request must agree:
//!
//! - the envelope's `count` may not change between pages (it may shrink on the last
//!   page, whichever of "records on this page" or "records in total" it means);
//! - next-page links keep their `per_page` and step `page` by one;
//! - no record key (KPI × area × year × sex for data, the id for metadata) appears on
//!   two pages: duplicates are an error, never silently dropped, because a row read
//!   twice means another was skipped.
//!
//! A failed check is [`Error::Network`] ("the data changed while paging"); the client
//! caches nothing from such a response, so fetching again starts from page one.

use crate::error::{Error, Result};
use std::collections::HashSet;
use std::hash::Hash;

/// Tracks what the earlier pages of one request said.
#[derive(Debug)]
pub(crate) struct PagingGuard<K> {
    first_count: Option<u64>,
    pages: usize,
    last_link: Option<LinkParams>,
    earlier_keys: HashSet<K>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkParams {
    page: Option<u64>,
    per_page: Option<String>,
}

impl LinkParams {
    fn of(link: &str) -> Self {
        let query = link.split_once('?').map_or("", |(_, q)| q);
        let mut out = Self {
            page: None,
            per_page: None,
        };
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("page", v)) => out.page = v.parse().ok(),
                Some(("per_page", v)) => out.per_page = Some(v.to_string()),
                _ => {}
            }
        }
        out
    }
}

fn changed(url: &str, what: impl std::fmt::Display) -> Error {
    Error::Network {
        url: url.to_string(),
        reason: format!("the data changed while paging ({what}); nothing was cached, fetch again"),
    }
}

impl<K: Eq + Hash> PagingGuard<K> {
    pub(crate) fn new() -> Self {
        Self {
            first_count: None,
            pages: 0,
            last_link: None,
            earlier_keys: HashSet::new(),
        }
    }

    /// Checks one page (`url` it came from, its `count`, its `next` link and its
    /// record keys, `None` for a record that has no key) against the pages before it.
    ///
    /// # Errors
    /// [`Error::Network`] naming what changed.
    pub(crate) fn check(
        &mut self,
        url: &str,
        count: Option<u64>,
        next: Option<&str>,
        keys: impl IntoIterator<Item = Option<K>>,
    ) -> Result<()> {
        self.pages += 1;
        if self.pages == 1 {
            self.first_count = count;
        } else if let (Some(first), Some(now)) = (self.first_count, count) {
            let bad = if next.is_some() {
                now != first
            } else {
                now > first
            };
            if bad {
                return Err(changed(
                    url,
                    format_args!(
                        "`count` was {first} on page 1 and is {now} on page {}",
                        self.pages
                    ),
                ));
            }
        }
        if let Some(link) = next {
            let params = LinkParams::of(link);
            if let Some(prev) = &self.last_link {
                if prev.per_page != params.per_page {
                    return Err(changed(
                        url,
                        format_args!(
                            "`per_page` in the next-page link went from {:?} to {:?}",
                            prev.per_page, params.per_page
                        ),
                    ));
                }
                if let (Some(a), Some(b)) = (prev.page, params.page) {
                    if a.checked_add(1) != Some(b) {
                        return Err(changed(
                            url,
                            format_args!("the next-page link jumped from page {a} to page {b}"),
                        ));
                    }
                }
            }
            self.last_link = Some(params);
        }
        if self.pages == 1 && next.is_none() {
            // A single page: duplicates across pages cannot happen, skip the keys.
            return Ok(());
        }
        let mut this_page = HashSet::new();
        for key in keys.into_iter().flatten() {
            if self.earlier_keys.contains(&key) {
                return Err(changed(
                    url,
                    format_args!(
                        "a record on page {} was already on an earlier page",
                        self.pages
                    ),
                ));
            }
            this_page.insert(key);
        }
        self.earlier_keys.extend(this_page);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_pages_pass_and_changes_fail() {
        let mut g = PagingGuard::new();
        g.check(
            "u1",
            Some(5),
            Some("/d?page=2&per_page=5"),
            [Some(1), Some(2)],
        )
        .unwrap();
        g.check("u2", Some(5), Some("/d?page=3&per_page=5"), [Some(3)])
            .unwrap();
        g.check("u3", Some(2), None, [Some(4)]).unwrap();

        let mut g = PagingGuard::new();
        g.check("u1", Some(5), Some("/d?page=2"), [Some(1)])
            .unwrap();
        let e = g.check("u2", Some(6), None, [Some(2)]).unwrap_err();
        assert!(e.to_string().contains("`count` was 5"), "{e}");

        let mut g = PagingGuard::new();
        g.check("u1", None, Some("/d?page=2&per_page=5"), [Some(1)])
            .unwrap();
        let e = g
            .check("u2", None, Some("/d?page=4&per_page=5"), [Some(2)])
            .unwrap_err();
        assert!(e.to_string().contains("jumped"), "{e}");

        let mut g = PagingGuard::new();
        g.check("u1", None, Some("/d?page=2"), [Some(1), None, None])
            .unwrap();
        let e = g.check("u2", None, None, [None, Some(1)]).unwrap_err();
        assert!(e.to_string().contains("already on an earlier page"), "{e}");
    }
}
