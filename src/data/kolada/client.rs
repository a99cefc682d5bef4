//! The Kolada fetch client: retries with exponential backoff and jitter, timeouts,
//! a response-size limit, paging with consistency checks, the on-disk cache and
//! offline mode.
//!
//! The loop is transport-agnostic ([`Transport`]); the real HTTP transport
//! ([`UreqTransport`], `ureq` 3 with rustls) is compiled only with the cargo feature
//! `kolada-http` (on through the `python` feature). Without it a [`Client`] still
//! serves the cache offline, and callers may plug in their own transport.
//!
//! Guarantees, each tested against a local mock server:
//! - HTTPS only, unless [`ClientConfig::allow_insecure_http`] is set (a local mirror
//!   or test server); a next-page link may not downgrade to `http://` either.
//! - 429, 5xx and network failures (timeouts, resets, a body cut short) are retried
//!   at most [`ClientConfig::retries`] times: the delay is `Retry-After` when the
//!   server sends one (capped at [`ClientConfig::max_retry_after`]), otherwise
//!   exponential backoff with "equal jitter" (half fixed, half random from a seeded
//!   generator), capped at [`ClientConfig::backoff_max`]. Other statuses fail at once.
//! - A body larger than [`ClientConfig::max_response_bytes`], a body that is not a
//!   Kolada response (HTML, truncated JSON, missing required fields) and pages that
//!   disagree (see the `paging` module) are [`Error::Network`] naming the URL and are not
//!   retried.
//! - A multi-page response is cached as one entry, only after every page arrived and
//!   parsed: nothing partial is ever cached.

use super::cache::{Cache, Lookup};
use super::model::{Group, Kpi, Municipality};
use super::paging::PagingGuard;
use super::parse::{self, Page, ParseOptions};
use super::url::{self, Api, DataQuery, Entity};
use crate::data::panel::{Observation, Panel};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A response as the client needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Retry-After` header in seconds, when present and numeric.
    pub retry_after: Option<Duration>,
    /// The body text (empty when `too_large`).
    pub body: String,
    /// The body was longer than the transport's limit and was not read.
    pub too_large: bool,
}

/// Something that performs one GET. Non-2xx statuses are responses, not errors;
/// only connection failures, timeouts and bodies cut short are [`Error::Network`].
pub trait Transport: Send + Sync {
    /// Performs one GET of `url`, reading at most `max_bytes` of body (a longer one
    /// is returned with [`HttpResponse::too_large`] set).
    ///
    /// # Errors
    /// [`Error::Network`] when no complete response arrives (connection refused or
    /// reset, DNS, timeout).
    fn get(&self, url: &str, max_bytes: u64) -> Result<HttpResponse>;
}

/// The client's settings. [`ClientConfig::default`] targets Kolada v3.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Base URL, `https://api.kolada.se/v3` by default; point it at a mirror or a
    /// local mock server in tests.
    pub base_url: String,
    /// Accept a plain `http://` base URL (and next-page links). Off by default:
    /// without TLS anyone on the path can alter the numbers.
    pub allow_insecure_http: bool,
    /// Longest wait for the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Longest wait for one whole request: connection, headers and body.
    pub timeout: Duration,
    /// Largest response body accepted, in bytes (a 5000-record page is a few MB).
    pub max_response_bytes: u64,
    /// Retries after the first attempt on 429, 5xx and network errors.
    pub retries: u32,
    /// First backoff delay; doubled on each retry.
    pub backoff_initial: Duration,
    /// Longest backoff delay.
    pub backoff_max: Duration,
    /// Longest wait honoured from a `Retry-After` header (longer requests are capped).
    pub max_retry_after: Duration,
    /// Seed of the backoff jitter; `None` seeds from the clock and process id, so
    /// clients started together do not retry in lockstep.
    pub jitter_seed: Option<u64>,
    /// Records per page (`per_page`, 1..=5000); `None` leaves the server default.
    pub per_page: Option<u32>,
    /// Cache directory; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Serve only from the cache; a miss is an error.
    pub offline: bool,
    /// Keep rows flagged `isdeleted`.
    pub keep_deleted: bool,
    /// Safety stop for paging.
    pub max_pages: usize,
    /// `User-Agent` header sent by the HTTP transport.
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::for_api(Api::V3)
    }
}

impl ClientConfig {
    /// Default largest response body: 512 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 512 * 1024 * 1024;

    /// Defaults for an API version (its public base URL).
    pub fn for_api(api: Api) -> Self {
        Self {
            base_url: api.base_url().to_string(),
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            retries: 4,
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter_seed: None,
            per_page: None,
            cache_dir: None,
            offline: false,
            keep_deleted: false,
            max_pages: 10_000,
            user_agent: format!("jamlik/{} (+Källa: Kolada)", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The backoff before retry number `attempt` (0-based) without jitter:
    /// `initial · 2^attempt`, at most `backoff_max`. The client waits between half
    /// of this and all of it.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(30));
        self.backoff_initial
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

/// How the client waits between attempts; tests inject one that records the delays.
pub type Sleeper = Box<dyn Fn(Duration) + Send + Sync>;

/// Fetches Kolada data and metadata.
pub struct Client {
    config: ClientConfig,
    transport: Option<Box<dyn Transport>>,
    cache: Option<Cache>,
    sleeper: Sleeper,
    jitter: AtomicU64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("has_transport", &self.transport.is_some())
            .finish_non_exhaustive()
    }
}

/// One step of SplitMix64: a small, well-mixed generator for jitter (not for
/// anything statistical).
fn splitmix64(state: &AtomicU64) -> u64 {
    let mut z = state
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Truncation is fine: any bits make a seed.
    #[allow(clippy::cast_possible_truncation)]
    let nanos = nanos as u64;
    nanos ^ (u64::from(std::process::id()) << 32)
}

fn not_kolada(url: &str, e: &Error) -> Error {
    Error::Network {
        url: url.to_string(),
        reason: format!("the server's answer is not a Kolada response ({e})"),
    }
}

impl Client {
    /// A client with the built-in HTTP transport (feature `kolada-http`); without the
    /// feature, a client that can only serve the cache (`offline`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an invalid configuration (offline without a
    /// cache directory, zero timeout, bad or plain-http base URL); [`Error::Io`] when
    /// the cache directory cannot be created.
    pub fn new(config: ClientConfig) -> Result<Self> {
        #[cfg(feature = "kolada-http")]
        let transport: Option<Box<dyn Transport>> = Some(Box::new(UreqTransport::new(&config)));
        #[cfg(not(feature = "kolada-http"))]
        let transport: Option<Box<dyn Transport>> = None;
        Self::build(config, transport)
    }

    /// A client with a caller-supplied transport.
    ///
    /// # Errors
    /// As [`Client::new`].
    pub fn with_transport(config: ClientConfig, transport: Box<dyn Transport>) -> Result<Self> {
        Self::build(config, Some(transport))
    }

    /// Replaces how the client waits between attempts (`std::thread::sleep` by
    /// default), so tests can record the delays instead of sleeping.
    #[must_use]
    pub fn with_sleeper(mut self, sleeper: Sleeper) -> Self {
        self.sleeper = sleeper;
        self
    }

    fn build(config: ClientConfig, transport: Option<Box<dyn Transport>>) -> Result<Self> {
        if config.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be positive"));
        }
        if config.connect_timeout.is_zero() {
            return Err(Error::invalid("connect_timeout", "must be positive"));
        }
        if config.max_response_bytes == 0 {
            return Err(Error::invalid("max_response_bytes", "must be at least 1"));
        }
        if config.max_pages == 0 {
            return Err(Error::invalid("max_pages", "must be at least 1"));
        }
        if config.offline && config.cache_dir.is_none() {
            return Err(Error::invalid(
                "offline",
                "offline mode serves the cache, so it needs cache_dir",
            ));
        }
        // Validates the base URL once, early.
        url::metadata_urls(&config.base_url, Entity::Kpi, &[], None, config.per_page)?;
        if config.base_url.starts_with("http://") && !config.allow_insecure_http {
            return Err(Error::invalid(
                "base_url",
                format!(
                    "{:?} is plain http, which anyone on the path can alter; use https:// \
                     or, for a local mirror or test server, allow it explicitly \
                     (allow_insecure_http in Rust, allow_http=True in Python)",
                    config.base_url
                ),
            ));
        }
        let cache = config.cache_dir.as_ref().map(Cache::open).transpose()?;
        let seed = config.jitter_seed.unwrap_or_else(clock_seed);
        Ok(Self {
            config,
            transport,
            cache,
            sleeper: Box::new(std::thread::sleep),
            jitter: AtomicU64::new(seed),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The cache, when one is configured.
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// Observations for a data query, all pages of all ≤25-id chunks, in request order.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a bad query; [`Error::Http`] for a non-success
    /// status (after retries for 429/5xx); [`Error::Network`] for connection failures,
    /// timeouts, offline cache misses, a body over the size limit, a body that is not
    /// a Kolada response and pages that disagree; [`Error::Io`] for cache failures
    /// and corrupt entries offline.
    pub fn data(&self, query: &DataQuery) -> Result<Vec<Observation>> {
        let urls = url::data_urls(&self.config.base_url, query, self.config.per_page)?;
        let options = ParseOptions {
            keep_deleted: self.config.keep_deleted,
        };
        // A deleted row and its replacement may share a key, so kept deleted rows
        // are not checked for duplicates.
        let check = !self.config.keep_deleted;
        let mut out = Vec::new();
        for u in urls {
            out.extend(self.all_pages(
                &u,
                |t| parse::parse_data_page(t, options),
                |o: &Observation| check.then(|| (o.kpi.clone(), o.area.clone(), o.year, o.sex)),
            )?);
        }
        Ok(out)
    }

    /// [`Client::data`] as a [`Panel`].
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn panel(&self, query: &DataQuery) -> Result<Panel> {
        self.data(query).map(Panel::new)
    }

    /// KPI metadata: all KPIs (`ids` empty), the given ids, and/or a title search.
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn kpis(&self, ids: &[String], title: Option<&str>) -> Result<Vec<Kpi>> {
        self.metadata(Entity::Kpi, ids, title, parse::parse_kpi_page, |k: &Kpi| {
            k.id.clone()
        })
    }

    /// Municipalities, regions and the nation.
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn municipalities(&self, ids: &[String], title: Option<&str>) -> Result<Vec<Municipality>> {
        self.metadata(
            Entity::Municipality,
            ids,
            title,
            parse::parse_municipality_page,
            |m: &Municipality| m.id.clone(),
        )
    }

    /// Municipality groups (SKR groups, similar-municipality groups, …) with members.
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn municipality_groups(&self, ids: &[String], title: Option<&str>) -> Result<Vec<Group>> {
        self.metadata(
            Entity::MunicipalityGroups,
            ids,
            title,
            parse::parse_group_page,
            |g: &Group| g.id.clone(),
        )
    }

    /// KPI groups with members.
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn kpi_groups(&self, ids: &[String], title: Option<&str>) -> Result<Vec<Group>> {
        self.metadata(
            Entity::KpiGroups,
            ids,
            title,
            parse::parse_group_page,
            |g: &Group| g.id.clone(),
        )
    }

    fn metadata<T>(
        &self,
        entity: Entity,
        ids: &[String],
        title: Option<&str>,
        parse: impl Fn(&str) -> Result<Page<T>>,
        id: impl Fn(&T) -> String,
    ) -> Result<Vec<T>> {
        let urls = url::metadata_urls(
            &self.config.base_url,
            entity,
            ids,
            title,
            self.config.per_page,
        )?;
        let mut out = Vec::new();
        for u in urls {
            out.extend(self.all_pages(&u, &parse, |t| Some(id(t)))?);
        }
        Ok(out)
    }

    /// Every page of the response to `first`: the cached entry when there is a good
    /// one, else fetched page by page (checked by a [`PagingGuard`]) and cached as one
    /// entry once all pages are in.
    fn all_pages<T, K: Eq + Hash>(
        &self,
        first: &str,
        parse: impl Fn(&str) -> Result<Page<T>>,
        key: impl Fn(&T) -> Option<K>,
    ) -> Result<Vec<T>> {
        if let Some(cache) = &self.cache {
            if let Some(values) = self.cached_pages(cache, first, &parse, &key)? {
                return Ok(values);
            }
        }
        let mut out = Vec::new();
        let mut bodies = Vec::new();
        let mut guard = PagingGuard::new();
        let mut seen = HashSet::new();
        let mut next = Some(first.to_string());
        while let Some(u) = next.take() {
            if !seen.insert(u.clone()) {
                return Err(Error::Network {
                    url: u.clone(),
                    reason: "the next-page link returns to a page already read (a loop)".into(),
                });
            }
            if seen.len() > self.config.max_pages {
                return Err(Error::invalid(
                    "max_pages",
                    format!("more than {} pages from {first}", self.config.max_pages),
                ));
            }
            let body = self.get_with_retries(&u)?;
            let page = parse(&body).map_err(|e| not_kolada(&u, &e))?;
            let link = page.next.as_deref().map(|n| resolve(&u, n));
            guard.check(
                &u,
                page.count,
                link.as_deref(),
                page.values.iter().map(&key),
            )?;
            if let Some(l) = &link {
                if l.starts_with("http://") && !self.config.allow_insecure_http {
                    return Err(Error::Network {
                        url: u.clone(),
                        reason: format!("the next-page link {l} is plain http; refused"),
                    });
                }
            }
            out.extend(page.values);
            bodies.push(body);
            next = link;
        }
        if let Some(cache) = &self.cache {
            let pages: Vec<&str> = bodies.iter().map(String::as_str).collect();
            cache.put_pages(first, &pages)?;
        }
        Ok(out)
    }

    /// The cached response to `first`, `None` when it must be fetched.
    fn cached_pages<T, K: Eq + Hash>(
        &self,
        cache: &Cache,
        first: &str,
        parse: impl Fn(&str) -> Result<Page<T>>,
        key: impl Fn(&T) -> Option<K>,
    ) -> Result<Option<Vec<T>>> {
        let corrupt = |reason: &str| Error::Io {
            path: cache.path_for(first).display().to_string(),
            reason: format!(
                "cached response for {first} is corrupt ({reason}); \
                 run once online to refetch it"
            ),
        };
        match cache.get(first)? {
            Lookup::Hit(entry) => {
                let mut guard = PagingGuard::new();
                let mut out = Vec::new();
                let pages = entry.pages.len();
                for (i, body) in entry.pages.iter().enumerate() {
                    let checked = parse(body).and_then(|page| {
                        let last = i + 1 == pages;
                        if page.next.is_some() == last {
                            return Err(Error::Parse {
                                what: "cached Kolada response".into(),
                                reason: "its pages do not link up".into(),
                            });
                        }
                        guard.check(
                            first,
                            page.count,
                            page.next.as_deref(),
                            page.values.iter().map(&key),
                        )?;
                        Ok(page.values)
                    });
                    match checked {
                        Ok(values) => out.extend(values),
                        Err(e) if self.config.offline => return Err(corrupt(&e.to_string())),
                        Err(_) => return Ok(None),
                    }
                }
                Ok(Some(out))
            }
            Lookup::Corrupt(reason) if self.config.offline => Err(corrupt(&reason)),
            Lookup::Corrupt(_) => {
                cache.remove(first)?;
                Ok(None)
            }
            Lookup::Miss if self.config.offline => Err(Error::Network {
                url: first.to_string(),
                reason: format!(
                    "offline mode and no cached response in {}",
                    cache.dir().display()
                ),
            }),
            Lookup::Miss => Ok(None),
        }
    }

    /// The wait before retry `attempt`: the server's `Retry-After` (capped), else
    /// the backoff with equal jitter.
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra.min(self.config.max_retry_after);
        }
        let full = self.config.backoff(attempt);
        // 53 random bits → a uniform fraction in [0, 1).
        #[allow(clippy::cast_precision_loss)]
        let u = (splitmix64(&self.jitter) >> 11) as f64 / (1u64 << 53) as f64;
        full / 2 + (full / 2).mul_f64(u)
    }

    /// One GET with retries on 429, 5xx and network errors.
    ///
    /// # Errors
    /// [`Error::Http`] / [`Error::Network`] after the last attempt; [`Error::Http`]
    /// at once for other non-success statuses (400, 404…); [`Error::Network`] at
    /// once for a body over `max_response_bytes`.
    pub fn get_with_retries(&self, url: &str) -> Result<String> {
        let Some(transport) = &self.transport else {
            return Err(Error::Network {
                url: url.to_string(),
                reason: "jamlik was built without the `kolada-http` feature; \
                         only the cache (offline mode) is available"
                    .into(),
            });
        };
        let limit = self.config.max_response_bytes;
        let mut attempt = 0u32;
        loop {
            let (err, retry_after) = match transport.get(url, limit) {
                Ok(r) if r.too_large || r.body.len() as u64 > limit => {
                    return Err(Error::Network {
                        url: url.to_string(),
                        reason: format!(
                            "the response is larger than max_response_bytes = {limit} bytes; \
                             raise max_response_bytes or ask for fewer records (per_page)"
                        ),
                    });
                }
                Ok(r) if (200..300).contains(&r.status) => return Ok(r.body),
                Ok(r) if r.status == 429 || r.status >= 500 => (
                    Error::Http {
                        status: r.status,
                        url: url.to_string(),
                    },
                    r.retry_after,
                ),
                Ok(r) => {
                    return Err(Error::Http {
                        status: r.status,
                        url: url.to_string(),
                    });
                }
                Err(e @ Error::Network { .. }) => (e, None),
                Err(e) => return Err(e),
            };
            if attempt >= self.config.retries {
                return Err(err);
            }
            (self.sleeper)(self.delay(attempt, retry_after));
            attempt += 1;
        }
    }
}

/// Resolves a next-page link against the URL of the page it came from.
fn resolve(current: &str, next: &str) -> String {
    if next.starts_with("http://") || next.starts_with("https://") {
        return next.to_string();
    }
    let (scheme, rest) = current.split_once("://").unwrap_or(("https", current));
    let host = rest.split('/').next().unwrap_or(rest);
    if next.starts_with('/') {
        return format!("{scheme}://{host}{next}");
    }
    let path = current.split('?').next().unwrap_or(current);
    if next.starts_with('?') {
        return format!("{path}{next}");
    }
    let dir = path.rsplit_once('/').map_or(path, |(d, _)| d);
    format!("{dir}/{next}")
}

/// The HTTP transport: `ureq` 3 with rustls and the webpki roots.
#[cfg(feature = "kolada-http")]
pub struct UreqTransport {
    agent: ureq::Agent,
}

#[cfg(feature = "kolada-http")]
impl UreqTransport {
    /// A transport with the configuration's timeouts, user agent and scheme policy
    /// (`https_only` unless `allow_insecure_http`, which also covers redirects).
    pub fn new(config: &ClientConfig) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .https_only(!config.allow_insecure_http)
            .user_agent(&config.user_agent)
            .build()
            .into();
        Self { agent }
    }
}

#[cfg(feature = "kolada-http")]
impl Transport for UreqTransport {
    fn get(&self, url: &str, max_bytes: u64) -> Result<HttpResponse> {
        let net = |e: &dyn std::fmt::Display| Error::Network {
            url: url.to_string(),
            reason: e.to_string(),
        };
        let mut resp = self
            .agent
            .get(url)
            .header("Accept", "application/json")
            .call()
            .map_err(|e| net(&e))?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .and_then(|s| Duration::try_from_secs_f64(s).ok());
        let read = resp
            .body_mut()
            .with_config()
            .limit(max_bytes)
            .read_to_string();
        match read {
            Ok(body) => Ok(HttpResponse {
                status,
                retry_after,
                body,
                too_large: false,
            }),
            Err(ureq::Error::BodyExceedsLimit(_)) => Ok(HttpResponse {
                status,
                retry_after,
                body: String::new(),
                too_large: true,
            }),
            Err(e) => Err(net(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Scripted {
        responses: Mutex<Vec<Result<HttpResponse>>>,
        calls: Mutex<Vec<String>>,
    }

    impl Transport for Scripted {
        fn get(&self, url: &str, _max_bytes: u64) -> Result<HttpResponse> {
            self.calls.lock().unwrap().push(url.to_string());
            self.responses.lock().unwrap().remove(0)
        }
    }

    #[allow(clippy::unnecessary_wraps)]
    fn ok(body: &str) -> Result<HttpResponse> {
        Ok(HttpResponse {
            status: 200,
            retry_after: None,
            body: body.into(),
            too_large: false,
        })
    }

    #[allow(clippy::unnecessary_wraps)]
    fn status(s: u16) -> Result<HttpResponse> {
        Ok(HttpResponse {
            status: s,
            retry_after: Some(Duration::ZERO),
            body: String::new(),
            too_large: false,
        })
    }

    fn fast() -> ClientConfig {
        ClientConfig {
            base_url: "http://mock/v3".into(),
            allow_insecure_http: true,
            backoff_initial: Duration::from_millis(1),
            backoff_max: Duration::from_millis(2),
            ..ClientConfig::default()
        }
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let c = ClientConfig {
            backoff_initial: Duration::from_millis(100),
            backoff_max: Duration::from_millis(500),
            ..ClientConfig::default()
        };
        assert_eq!(c.backoff(0), Duration::from_millis(100));
        assert_eq!(c.backoff(2), Duration::from_millis(400));
        assert_eq!(c.backoff(3), Duration::from_millis(500));
        assert_eq!(c.backoff(1000), Duration::from_millis(500));
    }

    #[test]
    fn retries_then_pages_then_stops_at_404() {
        let t = Scripted {
            responses: Mutex::new(vec![
                status(429),
                status(503),
                ok(
                    r#"{"values":[{"id":"0180","title":"Stockholm","type":"K"}],"next_page":"/v3/municipality?page=2"}"#,
                ),
                ok(
                    r#"{"values":[{"id":"0001","title":"Region Stockholm","type":"L"}],"next_url":""}"#,
                ),
                status(404),
            ]),
            calls: Mutex::new(vec![]),
        };
        let client = Client::with_transport(fast(), Box::new(t)).unwrap();
        let m = client.municipalities(&[], None).unwrap();
        assert_eq!(m.len(), 2);
        let e = client.kpis(&["N1".into()], None).unwrap_err();
        assert_eq!(
            e,
            Error::Http {
                status: 404,
                url: "http://mock/v3/kpi/N1".into()
            }
        );
    }

    #[test]
    fn resolves_relative_links() {
        let cur = "http://h:1/v3/data/kpi/N1/year/2020?page=1";
        assert_eq!(resolve(cur, "https://x/y"), "https://x/y");
        assert_eq!(resolve(cur, "/v3/a?page=2"), "http://h:1/v3/a?page=2");
        assert_eq!(
            resolve(cur, "?page=2"),
            "http://h:1/v3/data/kpi/N1/year/2020?page=2"
        );
    }

    #[test]
    fn offline_needs_a_cache_dir() {
        let c = ClientConfig {
            offline: true,
            ..fast()
        };
        assert!(matches!(
            Client::new(c),
            Err(Error::InvalidArgument { arg: "offline", .. })
        ));
    }
}
