//! The Kolada fetch client: retries with exponential backoff, timeouts, paging, the
//! on-disk cache and offline mode.
//!
//! The loop is transport-agnostic ([`Transport`]); the real HTTP transport
//! ([`UreqTransport`], `ureq` 3 with rustls) is compiled only with the cargo feature
//! `kolada-http` (on through the `python` feature). Without it a [`Client`] still
//! serves the cache offline, and callers may plug in their own transport.
//!
//! Only responses that parse are cached, so an error page or a truncated body is
//! never stored. Pages are cached one URL at a time, which makes an interrupted
//! multi-page fetch resumable and lets offline mode follow the same page links.

use super::cache::{Cache, Lookup};
use super::model::{Group, Kpi, Municipality};
use super::parse::{self, Page, ParseOptions};
use super::url::{self, Api, DataQuery, Entity};
use crate::data::panel::{Observation, Panel};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

/// A response as the client needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Retry-After` header in seconds, when present and numeric.
    pub retry_after: Option<Duration>,
    /// The body text.
    pub body: String,
}

/// Something that performs one GET. Non-2xx statuses are responses, not errors;
/// only connection failures and timeouts are [`Error::Network`].
pub trait Transport: Send + Sync {
    /// Performs one GET of `url`.
    ///
    /// # Errors
    /// [`Error::Network`] when no response arrives (connection refused, DNS, timeout).
    fn get(&self, url: &str) -> Result<HttpResponse>;
}

/// The client's settings. [`ClientConfig::default`] targets Kolada v3.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Base URL, `https://api.kolada.se/v3` by default; point it at a mirror or a
    /// local mock server in tests.
    pub base_url: String,
    /// Timeout of one request (connect + read).
    pub timeout: Duration,
    /// Retries after the first attempt on 429, 5xx and network errors.
    pub retries: u32,
    /// First backoff delay; doubled on each retry.
    pub backoff_initial: Duration,
    /// Longest backoff delay.
    pub backoff_max: Duration,
    /// Longest wait honoured from a `Retry-After` header (longer requests are capped).
    pub max_retry_after: Duration,
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
    /// Defaults for an API version (its public base URL).
    pub fn for_api(api: Api) -> Self {
        Self {
            base_url: api.base_url().to_string(),
            timeout: Duration::from_secs(30),
            retries: 4,
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            per_page: None,
            cache_dir: None,
            offline: false,
            keep_deleted: false,
            max_pages: 10_000,
            user_agent: format!("jamlik/{} (+Källa: Kolada)", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The delay before retry number `attempt` (0-based): `initial · 2^attempt`,
    /// at most `backoff_max`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(30));
        self.backoff_initial
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

/// Fetches Kolada data and metadata.
pub struct Client {
    config: ClientConfig,
    transport: Option<Box<dyn Transport>>,
    cache: Option<Cache>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("has_transport", &self.transport.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the built-in HTTP transport (feature `kolada-http`); without the
    /// feature, a client that can only serve the cache (`offline`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an invalid configuration (offline without a
    /// cache directory, zero timeout, bad base URL); [`Error::Io`] when the cache
    /// directory cannot be created.
    pub fn new(config: ClientConfig) -> Result<Self> {
        #[cfg(feature = "kolada-http")]
        let transport: Option<Box<dyn Transport>> = Some(Box::new(UreqTransport::new(
            config.timeout,
            &config.user_agent,
        )));
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

    fn build(config: ClientConfig, transport: Option<Box<dyn Transport>>) -> Result<Self> {
        if config.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be positive"));
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
        let cache = config.cache_dir.as_ref().map(Cache::open).transpose()?;
        Ok(Self {
            config,
            transport,
            cache,
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
    /// timeouts and offline cache misses; [`Error::Parse`] for a response that is not
    /// a Kolada response; [`Error::Io`] for cache failures.
    pub fn data(&self, query: &DataQuery) -> Result<Vec<Observation>> {
        let urls = url::data_urls(&self.config.base_url, query, self.config.per_page)?;
        let options = ParseOptions {
            keep_deleted: self.config.keep_deleted,
        };
        let mut out = Vec::new();
        for u in urls {
            out.extend(self.all_pages(&u, |t| parse::parse_data_page(t, options))?);
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
        self.metadata(Entity::Kpi, ids, title, parse::parse_kpi_page)
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
        )
    }

    /// KPI groups with members.
    ///
    /// # Errors
    /// As [`Client::data`].
    pub fn kpi_groups(&self, ids: &[String], title: Option<&str>) -> Result<Vec<Group>> {
        self.metadata(Entity::KpiGroups, ids, title, parse::parse_group_page)
    }

    fn metadata<T>(
        &self,
        entity: Entity,
        ids: &[String],
        title: Option<&str>,
        parse: impl Fn(&str) -> Result<Page<T>>,
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
            out.extend(self.all_pages(&u, &parse)?);
        }
        Ok(out)
    }

    /// Follows `next_url`/`next_page` from `first` until the last page.
    fn all_pages<T>(&self, first: &str, parse: impl Fn(&str) -> Result<Page<T>>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut next = Some(first.to_string());
        while let Some(u) = next.take() {
            if !seen.insert(u.clone()) {
                return Err(Error::Parse {
                    what: "Kolada paging".into(),
                    reason: format!("the next-page link returns to {u} (a loop)"),
                });
            }
            if seen.len() > self.config.max_pages {
                return Err(Error::invalid(
                    "max_pages",
                    format!("more than {} pages from {first}", self.config.max_pages),
                ));
            }
            let page = self.page(&u, &parse)?;
            out.extend(page.values);
            next = page.next.map(|n| resolve(&u, &n));
        }
        Ok(out)
    }

    /// One page: from the cache when present, else fetched, parsed, then cached.
    fn page<T>(&self, url: &str, parse: impl Fn(&str) -> Result<Page<T>>) -> Result<Page<T>> {
        if let Some(cache) = &self.cache {
            match cache.get(url)? {
                Lookup::Hit(entry) => match parse(&entry.body) {
                    Ok(page) => return Ok(page),
                    Err(e) if self.config.offline => return Err(e),
                    Err(_) => {}
                },
                Lookup::Corrupt(reason) if self.config.offline => {
                    return Err(Error::Io {
                        path: cache.path_for(url).display().to_string(),
                        reason: format!(
                            "cached response for {url} is corrupt ({reason}); \
                             run once online to refetch it"
                        ),
                    });
                }
                Lookup::Corrupt(_) => cache.remove(url)?,
                Lookup::Miss if self.config.offline => {
                    return Err(Error::Network {
                        url: url.to_string(),
                        reason: format!(
                            "offline mode and no cached response in {}",
                            cache.dir().display()
                        ),
                    });
                }
                Lookup::Miss => {}
            }
        }
        let body = self.get_with_retries(url)?;
        let page = parse(&body)?;
        if let Some(cache) = &self.cache {
            cache.put(url, &body)?;
        }
        Ok(page)
    }

    /// One GET with retries on 429, 5xx and network errors.
    ///
    /// # Errors
    /// [`Error::Http`] / [`Error::Network`] after the last attempt; [`Error::Http`]
    /// at once for other non-success statuses (400, 404…).
    pub fn get_with_retries(&self, url: &str) -> Result<String> {
        let Some(transport) = &self.transport else {
            return Err(Error::Network {
                url: url.to_string(),
                reason: "jamlik was built without the `kolada-http` feature; \
                         only the cache (offline mode) is available"
                    .into(),
            });
        };
        let mut attempt = 0u32;
        loop {
            let (err, wait) = match transport.get(url) {
                Ok(r) if (200..300).contains(&r.status) => return Ok(r.body),
                Ok(r) if r.status == 429 || r.status >= 500 => {
                    let wait = r
                        .retry_after
                        .unwrap_or_else(|| self.config.backoff(attempt))
                        .min(self.config.max_retry_after);
                    (
                        Error::Http {
                            status: r.status,
                            url: url.to_string(),
                        },
                        wait,
                    )
                }
                Ok(r) => {
                    return Err(Error::Http {
                        status: r.status,
                        url: url.to_string(),
                    });
                }
                Err(e @ Error::Network { .. }) => (e, self.config.backoff(attempt)),
                Err(e) => return Err(e),
            };
            if attempt >= self.config.retries {
                return Err(err);
            }
            std::thread::sleep(wait);
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
    /// Largest body accepted (a 5000-record page is a few MB).
    pub const MAX_BODY: u64 = 512 * 1024 * 1024;

    /// A transport with a per-request timeout.
    pub fn new(timeout: Duration, user_agent: &str) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(user_agent)
            .build()
            .into();
        Self { agent }
    }
}

#[cfg(feature = "kolada-http")]
impl Transport for UreqTransport {
    fn get(&self, url: &str) -> Result<HttpResponse> {
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
            .map(Duration::from_secs_f64);
        let body = resp
            .body_mut()
            .with_config()
            .limit(Self::MAX_BODY)
            .read_to_string()
            .map_err(|e| net(&e))?;
        Ok(HttpResponse {
            status,
            retry_after,
            body,
        })
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
        fn get(&self, url: &str) -> Result<HttpResponse> {
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
        })
    }

    #[allow(clippy::unnecessary_wraps)]
    fn status(s: u16) -> Result<HttpResponse> {
        Ok(HttpResponse {
            status: s,
            retry_after: Some(Duration::ZERO),
            body: String::new(),
        })
    }

    fn fast() -> ClientConfig {
        ClientConfig {
            base_url: "http://mock/v3".into(),
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
