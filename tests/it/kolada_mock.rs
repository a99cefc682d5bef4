//! A tiny HTTP/1.1 server on 127.0.0.1 for the Kolada client tests.
//!
//! Each request is answered by a handler closure that sees the request target
//! (path + query) and how many times that target was requested before, so tests
//! can script "429 then success" or "always 500". Every request target is
//! recorded for assertions (chunking, retries, no network in offline mode).
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted reply.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
    /// Wait this long after the headers before sending the body (a stalled read).
    pub body_delay: Duration,
    /// Send only this many body bytes, then close the connection (a reset mid-body);
    /// `Content-Length` still announces the whole body.
    pub cut_at: Option<usize>,
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            headers: vec![],
            body: body.into(),
            delay: Duration::ZERO,
            body_delay: Duration::ZERO,
            cut_at: None,
        }
    }
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: vec![],
            body: format!("{{\"error\":{status}}}"),
            delay: Duration::ZERO,
            body_delay: Duration::ZERO,
            cut_at: None,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
    pub fn body_delayed(mut self, d: Duration) -> Self {
        self.body_delay = d;
        self
    }
    pub fn cut_at(mut self, n: usize) -> Self {
        self.cut_at = Some(n);
        self
    }
}

type Handler = dyn Fn(&str, usize) -> Reply + Send + Sync;

pub struct MockServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl MockServer {
    /// Starts a server; `handler(target, nth)` answers each request.
    pub fn start(handler: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let reqs = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let reqs = Arc::clone(&reqs);
                let counts = Arc::clone(&counts);
                std::thread::spawn(move || serve(stream, &*handler, &reqs, &counts));
            }
        });
        Self { port, requests }
    }

    /// Serves fixture files from tests/data/kolada by route (target → file name),
    /// replacing `{base}` with this server's `/v3` base.
    pub fn fixtures(routes: &[(&str, &str)]) -> Self {
        let routes: HashMap<String, String> = routes
            .iter()
            .map(|(t, f)| ((*t).to_string(), (*f).to_string()))
            .collect();
        let port_cell: Arc<Mutex<u16>> = Arc::default();
        let pc = Arc::clone(&port_cell);
        let server = Self::start(move |target, _| match routes.get(target) {
            Some(file) => {
                let port = *pc.lock().unwrap();
                Reply::ok(fixture(file).replace("{base}", &format!("http://127.0.0.1:{port}/v3")))
            }
            None => Reply::status(404),
        });
        *port_cell.lock().unwrap() = server.port;
        server
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/v3", self.port)
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

pub fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/kolada")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    reqs: &Mutex<Vec<String>>,
    counts: &Mutex<HashMap<String, usize>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    // Drain headers.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let target = first.split_whitespace().nth(1).unwrap_or("").to_string();
    reqs.lock().unwrap().push(target.clone());
    let nth = {
        let mut c = counts.lock().unwrap();
        let n = c.entry(target.clone()).or_insert(0);
        *n += 1;
        *n - 1
    };
    let reply = handler(&target, nth);
    std::thread::sleep(reply.delay);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        let _ = write!(head, "{k}: {v}\r\n");
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.flush();
    std::thread::sleep(reply.body_delay);
    let body = reply.body.as_bytes();
    let body = &body[..reply.cut_at.unwrap_or(body.len()).min(body.len())];
    let _ = out.write_all(body);
    let _ = out.flush();
    if reply.cut_at.is_some() {
        let _ = out.shutdown(std::net::Shutdown::Both);
    }
}
