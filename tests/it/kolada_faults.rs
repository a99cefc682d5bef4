//! The Kolada client under faults, against a local mock server on 127.0.0.1:
//! broken bodies, inconsistent paging, 429/5xx storms, timeouts, resets, oversized
//! responses and the HTTPS policy. Every failure must be a clear `Error::Http` or
//! `Error::Network` (or a correct retry) and must leave nothing in the cache.
//! Delays are recorded by an injected sleeper, so no test waits for a backoff.

use crate::kolada_mock::{MockServer, Reply};
use jamlik::Error;
use jamlik::data::kolada::{Client, ClientConfig, DataQuery, HttpResponse, Transport};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn config(base: &str) -> ClientConfig {
    ClientConfig {
        base_url: base.to_string(),
        allow_insecure_http: true,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff_initial: Duration::from_millis(100),
        backoff_max: Duration::from_secs(1),
        max_retry_after: Duration::from_secs(10),
        jitter_seed: Some(7),
        ..ClientConfig::default()
    }
}

/// A client whose waits are recorded instead of slept.
fn recording(cfg: ClientConfig) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    let sleeps = Arc::new(Mutex::new(Vec::new()));
    let s = Arc::clone(&sleeps);
    let client = Client::new(cfg)
        .unwrap()
        .with_sleeper(Box::new(move |d| s.lock().unwrap().push(d)));
    (client, sleeps)
}

/// One data row per (area, year) for KPI N1.
fn rows(areas: &[&str], years: &[i32]) -> String {
    let mut out = Vec::new();
    for a in areas {
        for y in years {
            out.push(format!(
                r#"{{"kpi":"N1","municipality":"{a}","period":{y},"values":[{{"gender":"T","count":1,"status":"","value":{y}.5}}]}}"#
            ));
        }
    }
    out.join(",")
}

fn page(rows: &str, count: usize, next: Option<&str>) -> String {
    let next = next.map_or("null".to_string(), |n| format!("{n:?}"));
    format!(r#"{{"values":[{rows}],"count":{count},"next_url":{next}}}"#)
}

const FIRST: &str = "/v3/data/kpi/N1/municipality/0180,1280";
const SECOND: &str = "/v3/data/kpi/N1/municipality/0180,1280?page=2&per_page=2";
const THIRD: &str = "/v3/data/kpi/N1/municipality/0180,1280?page=3&per_page=2";

fn query() -> DataQuery {
    DataQuery {
        kpis: vec!["N1".into()],
        municipalities: vec!["0180".into(), "1280".into()],
        years: vec![],
    }
}

/// A three-page response whose pages come from `pages(target, nth)`.
fn paged(pages: impl Fn(usize, usize) -> Reply + Send + Sync + 'static) -> MockServer {
    MockServer::start(move |target, nth| match target {
        FIRST => pages(1, nth),
        SECOND => pages(2, nth),
        THIRD => pages(3, nth),
        _ => Reply::status(404),
    })
}

fn good_page(n: usize) -> Reply {
    match n {
        1 => Reply::ok(page(&rows(&["0180"], &[2020, 2021]), 2, Some(SECOND))),
        2 => Reply::ok(page(&rows(&["1280"], &[2020, 2021]), 2, Some(THIRD))),
        _ => Reply::ok(page(&rows(&["1280"], &[2022]), 1, None)),
    }
}

fn cached_client(dir: &Path, base: &str) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    recording(ClientConfig {
        cache_dir: Some(dir.to_path_buf()),
        ..config(base)
    })
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn good_pages_are_read_and_cached_as_one_entry() {
    let server = paged(|n, _| good_page(n));
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = cached_client(dir.path(), &server.base());
    let obs = client.data(&query()).unwrap();
    assert_eq!(obs.len(), 5);
    assert_eq!(server.requests(), [FIRST, SECOND, THIRD]);
    assert_eq!(files_in(dir.path()), 1, "one entry holds all three pages");
    let (again, _) = cached_client(dir.path(), &server.base());
    assert_eq!(again.data(&query()).unwrap(), obs);
    assert_eq!(server.requests().len(), 3, "served from the cache");
}

/// Page 2 is broken in some way: the error is a `Network` error naming page 2's
/// URL and what is wrong, no retry happens for a deterministic fault, and nothing
/// (not even page 1) is cached.
fn broken_second_page(reply: impl Fn() -> Reply + Send + Sync + 'static, expect: &[&str]) {
    let server = paged(move |n, _| if n == 2 { reply() } else { good_page(n) });
    let dir = tempfile::tempdir().unwrap();
    let (client, sleeps) = cached_client(dir.path(), &server.base());
    let err = client.data(&query()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Network { .. }), "{msg}");
    assert!(
        msg.contains(&format!(
            "{}{SECOND}",
            &server.base()[..server.base().len() - 3]
        )),
        "{msg}"
    );
    for e in expect {
        assert!(msg.contains(e), "{msg} lacks {e:?}");
    }
    assert_eq!(files_in(dir.path()), 0, "nothing partial is cached");
    assert!(sleeps.lock().unwrap().is_empty(), "not retried");
    assert_eq!(server.requests(), [FIRST, SECOND]);
}

#[test]
fn truncated_json_mid_page() {
    broken_second_page(
        || {
            let body = page(&rows(&["1280"], &[2020, 2021]), 2, Some(THIRD));
            Reply::ok(body[..body.len() / 2].to_string())
        },
        &["not a Kolada response", "truncated JSON"],
    );
}

#[test]
fn html_instead_of_json() {
    broken_second_page(
        || Reply::ok("<html><body>Service temporarily unavailable</body></html>"),
        &["not a Kolada response", "malformed JSON"],
    );
}

#[test]
fn missing_required_field_names_the_field() {
    broken_second_page(
        || {
            Reply::ok(page(
                r#"{"kpi":"N1","municipality":"1280","values":[{"gender":"T","value":1.0}]}"#,
                1,
                Some(THIRD),
            ))
        },
        &["missing field `period`"],
    );
}

#[test]
fn unknown_fields_are_tolerated() {
    let server = MockServer::start(|_, _| {
        Reply::ok(
            r#"{"values":[{"kpi":"N1","municipality":"0180","period":2020,"new_field":{"x":[1,2]},
            "values":[{"gender":"K","count":1,"status":"","value":2.5,"extra":true}]}],
            "count":1,"next_url":null,"previous_url":null,"api_version":"3.1"}"#,
        )
    });
    let (client, _) = recording(config(&server.base()));
    let obs = client.data(&query()).unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].value, Some(2.5));
}

#[test]
fn duplicate_rows_across_pages_are_an_error() {
    // Page 2 repeats a row of page 1: the table shifted under the offset paging,
    // so another row was skipped. Not deduplicated: refused.
    broken_second_page(
        || Reply::ok(page(&rows(&["0180"], &[2021]), 2, Some(THIRD))),
        &["data changed while paging", "already on an earlier page"],
    );
}

#[test]
fn a_count_that_changes_between_pages_is_an_error() {
    broken_second_page(
        || Reply::ok(page(&rows(&["1280"], &[2020, 2021]), 3, Some(THIRD))),
        &[
            "data changed while paging",
            "`count` was 2 on page 1 and is 3 on page 2",
        ],
    );
}

#[test]
fn a_page_size_that_changes_in_the_links_is_an_error() {
    broken_second_page(
        || {
            Reply::ok(page(
                &rows(&["1280"], &[2020, 2021]),
                2,
                Some("/v3/data/kpi/N1/municipality/0180,1280?page=3&per_page=50"),
            ))
        },
        &["data changed while paging", "per_page"],
    );
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let server = MockServer::start(|_, nth| match nth {
        0 => Reply::status(429).header("Retry-After", "2"),
        1 => Reply::status(429).header("Retry-After", "3600"),
        _ => Reply::ok(page(&rows(&["0180"], &[2020]), 1, None)),
    });
    let (client, sleeps) = recording(config(&server.base()));
    assert_eq!(client.data(&query()).unwrap().len(), 1);
    assert_eq!(
        *sleeps.lock().unwrap(),
        [Duration::from_secs(2), Duration::from_secs(10)],
        "the header's delay, then capped at max_retry_after"
    );
}

#[test]
fn rate_limit_without_retry_after_backs_off_with_seeded_jitter() {
    let server = MockServer::start(|_, _| Reply::status(429));
    let run = |seed| {
        let (client, sleeps) = recording(ClientConfig {
            jitter_seed: Some(seed),
            retries: 5,
            ..config(&server.base())
        });
        let err = client.data(&query()).unwrap_err();
        assert!(matches!(err, Error::Http { status: 429, .. }), "{err}");
        let delays: Vec<Duration> = sleeps.lock().unwrap().drain(..).collect();
        delays
    };
    let a = run(1);
    assert_eq!(
        server.requests().len(),
        6,
        "1 attempt + 5 retries, then stop"
    );
    // Equal jitter: between half the exponential backoff and all of it, capped.
    let base = config("http://x/v3");
    assert_eq!(a.len(), 5);
    for (i, d) in a.iter().enumerate() {
        let full = base.backoff(u32::try_from(i).unwrap());
        assert!(*d >= full / 2 && *d <= full, "retry {i}: {d:?} vs {full:?}");
    }
    assert_eq!(
        a[4],
        a[4].min(Duration::from_secs(1)),
        "capped at backoff_max"
    );
    assert_eq!(run(1), a, "same seed, same delays");
    assert_ne!(run(2), a, "another seed, other delays");
}

#[test]
fn server_error_storms_end_in_an_http_error_naming_status_and_url() {
    for status in [500u16, 502, 503, 504] {
        let server = MockServer::start(move |_, _| Reply::status(status));
        let (client, sleeps) = recording(config(&server.base()));
        let err = client.kpis(&["N1".into()], None).unwrap_err();
        let url = format!("{}/kpi/N1", server.base());
        assert_eq!(
            err,
            Error::Http {
                status,
                url: url.clone()
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains(&status.to_string()) && msg.contains(&url),
            "{msg}"
        );
        assert_eq!(server.requests().len(), 4, "bounded: 1 attempt + 3 retries");
        assert_eq!(sleeps.lock().unwrap().len(), 3);
    }
}

#[test]
fn a_storm_that_passes_is_retried_to_success() {
    let server = MockServer::start(|_, nth| {
        if nth < 3 {
            Reply::status(503)
        } else {
            Reply::ok(page(&rows(&["0180"], &[2020]), 1, None))
        }
    });
    let (client, sleeps) = recording(config(&server.base()));
    assert_eq!(client.data(&query()).unwrap().len(), 1);
    assert_eq!(sleeps.lock().unwrap().len(), 3);
}

#[test]
fn a_stalled_body_times_out_into_a_network_error() {
    let server = MockServer::start(|_, _| {
        Reply::ok(page(&rows(&["0180"], &[2020]), 1, None)).body_delayed(Duration::from_secs(3))
    });
    let (client, sleeps) = recording(ClientConfig {
        timeout: Duration::from_millis(200),
        retries: 1,
        ..config(&server.base())
    });
    let err = client.data(&query()).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert!(err.to_string().contains("timeout"), "{err}");
    assert_eq!(
        server.requests().len(),
        2,
        "timeouts are retried, boundedly"
    );
    assert_eq!(sleeps.lock().unwrap().len(), 1);
}

#[test]
fn timeouts_must_be_positive() {
    for (cfg, arg) in [
        (
            ClientConfig {
                connect_timeout: Duration::ZERO,
                ..config("http://127.0.0.1:9/v3")
            },
            "connect_timeout",
        ),
        (
            ClientConfig {
                timeout: Duration::ZERO,
                ..config("http://127.0.0.1:9/v3")
            },
            "timeout",
        ),
        (
            ClientConfig {
                max_response_bytes: 0,
                ..config("http://127.0.0.1:9/v3")
            },
            "max_response_bytes",
        ),
    ] {
        let err = Client::new(cfg).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { arg: a, .. } if a == arg),
            "{err}"
        );
    }
}

#[test]
fn a_connection_reset_mid_body_is_retried_then_reported() {
    let body = page(&rows(&["0180", "1280"], &[2020, 2021]), 4, None);
    let len = body.len();
    let server = MockServer::start(move |_, nth| {
        // Cut once, then whole: the retry recovers.
        if nth == 0 {
            Reply::ok(body.clone()).cut_at(len / 3)
        } else {
            Reply::ok(body.clone())
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (client, sleeps) = cached_client(dir.path(), &server.base());
    assert_eq!(client.data(&query()).unwrap().len(), 4);
    assert_eq!(sleeps.lock().unwrap().len(), 1);

    let always = page(&rows(&["0180"], &[2020]), 1, None);
    let server = MockServer::start(move |_, _| Reply::ok(always.clone()).cut_at(20));
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = cached_client(dir.path(), &server.base());
    let err = client.data(&query()).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert_eq!(server.requests().len(), 4);
    assert_eq!(files_in(dir.path()), 0, "nothing cached");
}

#[test]
fn a_response_over_the_size_limit_names_the_limit() {
    let big = page(
        &rows(&["0180"], &(1950..2100).collect::<Vec<_>>()),
        150,
        None,
    );
    assert!(big.len() > 10_000);
    let server = MockServer::start(move |_, _| Reply::ok(big.clone()));
    let dir = tempfile::tempdir().unwrap();
    let (client, sleeps) = recording(ClientConfig {
        cache_dir: Some(dir.path().to_path_buf()),
        max_response_bytes: 10_000,
        ..config(&server.base())
    });
    let err = client.data(&query()).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert!(
        err.to_string().contains("max_response_bytes = 10000"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "a size limit is not retried");
    assert!(sleeps.lock().unwrap().is_empty());
    assert_eq!(files_in(dir.path()), 0);
    // Under the limit it passes.
    let (client, _) = recording(ClientConfig {
        max_response_bytes: 1_000_000,
        ..config(&server.base())
    });
    assert_eq!(client.data(&query()).unwrap().len(), 150);
}

#[test]
fn a_failure_on_a_later_page_caches_nothing_and_a_later_run_recovers() {
    let broken = Arc::new(Mutex::new(true));
    let b = Arc::clone(&broken);
    let server = paged(move |n, _| {
        if n == 3 && *b.lock().unwrap() {
            Reply::status(500)
        } else {
            good_page(n)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = cached_client(dir.path(), &server.base());
    let err = client.data(&query()).unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err}");
    assert_eq!(files_in(dir.path()), 0, "pages 1 and 2 were not cached");
    let offline = Client::new(ClientConfig {
        cache_dir: Some(dir.path().to_path_buf()),
        offline: true,
        ..config(&server.base())
    })
    .unwrap();
    assert!(
        offline
            .data(&query())
            .unwrap_err()
            .to_string()
            .contains("offline mode and no cached")
    );
    *broken.lock().unwrap() = false;
    assert_eq!(client.data(&query()).unwrap().len(), 5);
    assert_eq!(offline.data(&query()).unwrap().len(), 5);
}

#[test]
fn plain_http_needs_an_explicit_opt_in() {
    let cfg = ClientConfig {
        allow_insecure_http: false,
        ..config("http://127.0.0.1:9/v3")
    };
    let err = Client::new(cfg).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                arg: "base_url",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
    assert!(
        Client::new(ClientConfig::default()).is_ok(),
        "https is the default"
    );
    assert!(ClientConfig::default().base_url.starts_with("https://"));
}

/// Answers from a script without a network, to test an https base URL.
struct Scripted(Vec<String>);

impl Transport for Scripted {
    fn get(&self, url: &str, _max_bytes: u64) -> jamlik::Result<HttpResponse> {
        let body = if url.contains("page=2") {
            &self.0[1]
        } else {
            &self.0[0]
        };
        Ok(HttpResponse {
            status: 200,
            retry_after: None,
            body: body.clone(),
            too_large: false,
        })
    }
}

#[test]
fn a_next_page_link_may_not_downgrade_to_http() {
    let t = Scripted(vec![
        page(
            &rows(&["0180"], &[2020]),
            1,
            Some("http://api.kolada.se/v3/data?page=2"),
        ),
        page(&rows(&["1280"], &[2020]), 1, None),
    ]);
    let client = Client::with_transport(ClientConfig::default(), Box::new(t)).unwrap();
    let err = client.data(&query()).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert!(err.to_string().contains("plain http"), "{err}");
}
