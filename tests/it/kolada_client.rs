//! The Kolada client against a local mock server (never the real API): paging,
//! 25-id chunking, retries, timeouts, cache, offline mode, interrupted writes.

use crate::kolada_mock::{MockServer, Reply, fixture};
use jamlik::Error;
use jamlik::data::Sex;
use jamlik::data::kolada::{Cache, Client, ClientConfig, DataQuery, Lookup};
use std::path::Path;
use std::time::Duration;

fn config(base: &str) -> ClientConfig {
    ClientConfig {
        base_url: base.to_string(),
        allow_insecure_http: true,
        timeout: Duration::from_secs(5),
        retries: 3,
        backoff_initial: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        ..ClientConfig::default()
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

const V3_PAGE1: &str = "/v3/data/kpi/N00945/municipality/0180,1280,1480/year/2018,2019,2020";
const V3_PAGE2: &str =
    "/v3/data/kpi/N00945/municipality/0180,1280,1480/year/2018,2019,2020?page=2&per_page=5";

fn v3_server() -> MockServer {
    MockServer::fixtures(&[
        (V3_PAGE1, "v3_data_page1.json"),
        (V3_PAGE2, "v3_data_page2.json"),
    ])
}

fn v3_query() -> DataQuery {
    DataQuery {
        kpis: strings(&["N00945"]),
        municipalities: strings(&["0180", "1280", "1480"]),
        years: vec![2018, 2019, 2020],
    }
}

#[test]
fn follows_next_url_over_pages() {
    let server = v3_server();
    let client = Client::new(config(&server.base())).unwrap();
    let obs = client.data(&v3_query()).unwrap();
    assert_eq!(obs.len(), 9);
    assert_eq!(server.requests(), [V3_PAGE1, V3_PAGE2]);
    let sum: f64 = obs.iter().filter_map(|o| o.value).sum();
    assert!((sum - 346.05).abs() < 1e-9, "{sum}");
    assert!(
        obs.iter()
            .all(|o| o.sex == Sex::Total && o.status.is_empty())
    );
    assert_eq!(obs[8].area, "1480");
    assert_eq!(obs[8].year, 2020);
}

#[test]
fn follows_next_page_in_v2() {
    let first = "/v3/data/kpi/N00945/municipality/0180/year/1996,1997,1998,1999,2000";
    let server = MockServer::fixtures(&[
        (first, "v2_data_page1.json"),
        (
            "/v3/data/kpi/N00945/municipality/0180/year/1996,1997,1998,1999,2000?page=2&per_page=3",
            "v2_data_page2.json",
        ),
    ]);
    let client = Client::new(config(&server.base())).unwrap();
    let q = DataQuery {
        kpis: strings(&["N00945"]),
        municipalities: strings(&["0180"]),
        years: (1996..=2000).collect(),
    };
    let obs = client.data(&q).unwrap();
    assert_eq!(obs.len(), 5);
    assert_eq!(obs[0].value, None);
    assert_eq!(obs[0].count, Some(1.0));
    assert_eq!(obs[4].value, Some(32.0));
    assert_eq!(server.requests().len(), 2);
}

/// Answers any data request with one row per (kpi, municipality) in the path.
fn echo_server() -> MockServer {
    MockServer::start(|target, _| {
        let segs: Vec<&str> = target.split('?').next().unwrap().split('/').collect();
        let find = |name: &str| -> Vec<String> {
            segs.iter()
                .position(|s| *s == name)
                .map(|i| segs[i + 1].split(',').map(String::from).collect())
                .unwrap_or_default()
        };
        let (kpis, muns, years) = (find("kpi"), find("municipality"), find("year"));
        if kpis.len() > 25 || muns.len() > 25 || years.len() > 25 {
            return Reply::status(400);
        }
        let mut rows = Vec::new();
        for k in &kpis {
            for m in &muns {
                for y in &years {
                    rows.push(format!(
                        r#"{{"kpi":"{k}","municipality":"{m}","period":{y},"values":[{{"gender":"T","count":1,"status":"","value":1.0}}]}}"#
                    ));
                }
            }
        }
        Reply::ok(format!(r#"{{"values":[{}]}}"#, rows.join(",")))
    })
}

#[test]
fn splits_long_id_lists_into_chunks_of_25() {
    let server = echo_server();
    let client = Client::new(config(&server.base())).unwrap();
    let q = DataQuery {
        kpis: (0..30).map(|i| format!("N{i:05}")).collect(),
        municipalities: (0..60).map(|i| format!("{:04}", 100 + i)).collect(),
        years: vec![2022],
    };
    let obs = client.data(&q).unwrap();
    // 2 KPI chunks × 3 municipality chunks.
    assert_eq!(server.requests().len(), 6);
    assert_eq!(obs.len(), 30 * 60);
    let mut cells: Vec<(String, String)> = obs.into_iter().map(|o| (o.kpi, o.area)).collect();
    cells.sort();
    cells.dedup();
    assert_eq!(
        cells.len(),
        30 * 60,
        "every kpi × municipality exactly once"
    );
}

#[test]
fn retries_after_429_honouring_retry_after() {
    let server = MockServer::start(|_, nth| {
        if nth == 0 {
            Reply::status(429).header("Retry-After", "0")
        } else {
            Reply::ok(fixture("v3_kpi.json"))
        }
    });
    let client = Client::new(config(&server.base())).unwrap();
    let kpis = client.kpis(&strings(&["N80401", "N00925"]), None).unwrap();
    assert_eq!(kpis.len(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn server_errors_exhaust_retries_into_http_error() {
    let server = MockServer::start(|_, _| Reply::status(500));
    let client = Client::new(config(&server.base())).unwrap();
    let err = client.kpis(&strings(&["N80401"]), None).unwrap_err();
    assert_eq!(
        err,
        Error::Http {
            status: 500,
            url: format!("{}/kpi/N80401", server.base())
        }
    );
    assert_eq!(server.requests().len(), 4, "1 attempt + 3 retries");
}

#[test]
fn client_errors_are_not_retried() {
    let server = MockServer::start(|_, _| Reply::status(404));
    let client = Client::new(config(&server.base())).unwrap();
    let err = client
        .municipalities(&strings(&["9999"]), None)
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn slow_server_times_out_into_network_error() {
    let server =
        MockServer::start(|_, _| Reply::ok(fixture("v3_kpi.json")).delayed(Duration::from_secs(2)));
    let cfg = ClientConfig {
        timeout: Duration::from_millis(150),
        retries: 1,
        ..config(&server.base())
    };
    let client = Client::new(cfg).unwrap();
    let err = client.kpis(&strings(&["N80401"]), None).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert!(
        err.to_string().to_lowercase().contains("timeout") || err.to_string().contains("timed out"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn connection_refused_is_a_network_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cfg = ClientConfig {
        retries: 0,
        ..config(&format!("http://127.0.0.1:{port}/v3"))
    };
    let err = Client::new(cfg).unwrap().kpis(&[], None).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
}

#[test]
fn malformed_bodies_are_data_source_errors_and_not_cached() {
    let server = MockServer::start(|target, _| {
        if target.contains("N1") {
            Reply::ok(fixture("truncated.json"))
        } else {
            Reply::ok(fixture("not_json.html"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = ClientConfig {
        cache_dir: Some(dir.path().to_path_buf()),
        ..config(&server.base())
    };
    let client = Client::new(cfg).unwrap();
    let q = DataQuery {
        kpis: strings(&["N1"]),
        municipalities: strings(&["0180"]),
        years: vec![],
    };
    let err = client.data(&q).unwrap_err();
    assert!(
        matches!(err, Error::Network { .. })
            && err.to_string().contains("not a Kolada response")
            && err.to_string().contains("truncated"),
        "{err}"
    );
    let err = client.kpis(&strings(&["N2"]), None).unwrap_err();
    assert!(
        matches!(err, Error::Network { ref url, .. } if url.ends_with("/kpi/N2")),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing cached"
    );
}

fn cached(dir: &Path, base: &str, offline: bool) -> Client {
    Client::new(ClientConfig {
        cache_dir: Some(dir.to_path_buf()),
        offline,
        ..config(base)
    })
    .unwrap()
}

#[test]
fn offline_mode_serves_the_cache_and_fails_clearly_on_a_miss() {
    let server = v3_server();
    let dir = tempfile::tempdir().unwrap();
    let online = cached(dir.path(), &server.base(), false)
        .data(&v3_query())
        .unwrap();
    assert_eq!(server.requests().len(), 2);
    // Second online run: all from the cache.
    let again = cached(dir.path(), &server.base(), false)
        .data(&v3_query())
        .unwrap();
    assert_eq!(again, online);
    assert_eq!(server.requests().len(), 2);
    // Offline: same result, no request.
    let offline = cached(dir.path(), &server.base(), true);
    assert_eq!(offline.data(&v3_query()).unwrap(), online);
    assert_eq!(server.requests().len(), 2);
    let mut q = v3_query();
    q.years = vec![2021];
    let err = offline.data(&q).unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("offline mode and no cached response"),
        "{err}"
    );
    assert_eq!(
        server.requests().len(),
        2,
        "offline never touches the network"
    );
}

#[test]
fn interrupted_cache_write_never_corrupts_the_cache() {
    let server = v3_server();
    let dir = tempfile::tempdir().unwrap();
    let base = server.base();
    let page1 = format!("http://127.0.0.1:{}{V3_PAGE1}", server.port);
    let cache = Cache::open(dir.path()).unwrap();

    // A writer killed halfway leaves a partial temporary file beside the entries.
    let body = fixture("v3_data_page1.json");
    std::fs::write(
        dir.path().join(".tmp-killed.partial"),
        &body[..body.len() / 2],
    )
    .unwrap();
    // ... and a crash of some other tool left a truncated entry for page 1.
    cache.put(&page1, &body).unwrap();
    let entry = cache.path_for(&page1);
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() * 2 / 3]).unwrap();
    assert!(matches!(cache.get(&page1).unwrap(), Lookup::Corrupt(_)));

    // Offline: the corrupt entry is reported, never served.
    let err = cached(dir.path(), &base, true)
        .data(&v3_query())
        .unwrap_err();
    assert!(
        matches!(err, Error::Io { .. }) && err.to_string().contains("corrupt"),
        "{err}"
    );

    // Online: detected, refetched and rewritten whole.
    let obs = cached(dir.path(), &base, false).data(&v3_query()).unwrap();
    assert_eq!(obs.len(), 9);
    assert!(matches!(cache.get(&page1).unwrap(), Lookup::Hit(_)));
    assert_eq!(
        cached(dir.path(), &base, true).data(&v3_query()).unwrap(),
        obs
    );

    // The stray temporary file was never read as an entry and `clear` removes it
    // with the one entry that holds both pages.
    assert_eq!(cache.stray_temp_files().unwrap().len(), 1);
    assert_eq!(cache.clear().unwrap(), 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn metadata_endpoints_parse_and_page() {
    let server = MockServer::fixtures(&[
        ("/v3/municipality", "v3_municipality_page1.json"),
        ("/v3/municipality?page=2", "v3_municipality_page2.json"),
        (
            "/v3/municipality_groups",
            "v3_municipality_groups_page1.json",
        ),
        (
            "/v3/municipality_groups?page=2",
            "v3_municipality_groups_page2.json",
        ),
        ("/v3/kpi/N80401,N00925", "v3_kpi.json"),
        ("/v3/kpi?title=Kariesfria%203-%C3%A5ringar", "v2_kpi.json"),
    ]);
    let client = Client::new(config(&server.base())).unwrap();
    let m = client.municipalities(&[], None).unwrap();
    assert_eq!(m.len(), 8);
    assert_eq!(m.iter().filter(|a| a.area_type.code() == "K").count(), 5);
    let g = client.municipality_groups(&[], None).unwrap();
    assert_eq!(g.len(), 15);
    assert_eq!(g[0].id, "G92787");
    assert_eq!(g[0].members[0].id, "0180");
    let v3 = client.kpis(&strings(&["N80401", "N00925"]), None).unwrap();
    let v2 = client.kpis(&[], Some("Kariesfria 3-åringar")).unwrap();
    assert_eq!(v3.len(), 2);
    assert_eq!(v2.len(), 2);
    for (a, b) in v3.iter().zip(&v2) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.is_divided_by_sex, b.is_divided_by_sex);
        assert_eq!(a.auspice, b.auspice);
        assert_eq!(a.municipality_type, b.municipality_type);
    }
}
