//! The real `search-server` binary: started on a free port over a temp data directory, it
//! ingests the bundled corpus on first start, answers over HTTP and stops on Ctrl-C.
//!
//! Also holds what `browser.rs` shares: a running-server guard and a tiny HTTP/1.1 client
//! (std only: the tests need GET/POST/DELETE with JSON bodies and nothing more).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A response of [`http`].
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn decode_chunked(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_str = String::from_utf8_lossy(&data[..eol]);
        let size =
            usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        data = &data[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// One HTTP/1.1 request over a fresh connection (`Connection: close`).
pub fn http(
    method: &str,
    addr: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes())?;
    // Read until the body is complete: some servers (chromedriver) keep the connection open
    // despite `Connection: close`, so reading to the end would wait for the timeout.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let split = loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            let done = match length {
                Some(n) => raw.len() >= split + 4 + n,
                None => head.contains("transfer-encoding: chunked") && raw.ends_with(b"0\r\n\r\n"),
            };
            if done {
                break split;
            }
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .ok_or_else(|| std::io::Error::other("no header end"))?;
        }
        raw.extend_from_slice(&buf[..n]);
    };
    parse_response(&raw[..], split)
}

/// Splits a raw HTTP/1.1 response (head ending at `split`, where `\r\n\r\n` starts) into
/// status, headers and a de-chunked body.
pub(crate) fn parse_response(raw: &[u8], split: usize) -> std::io::Result<HttpResponse> {
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = decode_chunked(&body);
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests crate lives in the workspace")
        .to_path_buf()
}

/// A free loopback port (bound then released: the small race is acceptable in tests).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `search-server` binary of the profile this test was built with, built if needed.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/e2e-<hash>
    let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    let target_dir = profile_dir.parent().unwrap().to_path_buf();
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args([
        "build",
        "--quiet",
        "-p",
        "search-server",
        "--bin",
        "search-server",
    ])
    .current_dir(workspace_root())
    .env("CARGO_TARGET_DIR", &target_dir);
    if release {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build for search-server");
    assert!(status.success(), "building search-server failed");
    profile_dir.join("search-server")
}

/// A running server process, stopped (Ctrl-C, then kill) when dropped.
pub struct RunningServer {
    child: Child,
    pub addr: String,
    pub log: PathBuf,
}

impl RunningServer {
    /// Starts the binary over `data_dir` and waits until `/health` answers.
    pub fn start(data_dir: &Path, extra: &[&str]) -> RunningServer {
        let bin = server_binary();
        let addr = format!("127.0.0.1:{}", free_port());
        let log = data_dir.with_extension("log");
        let log_file = std::fs::File::create(&log).unwrap();
        let child = Command::new(&bin)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--bind", &addr])
            .args(extra)
            .env_remove("SEARCH_SERVER_TOKEN")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut server = RunningServer { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if let Ok(r) = http("GET", &server.addr, "/health", None) {
                if r.status == 200 {
                    break;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "search-server exited with {status}: {}",
                    std::fs::read_to_string(&server.log).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "search-server did not start in time: {}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        http("GET", &self.addr, path, None).unwrap()
    }

    /// Asks for a graceful stop (SIGINT, like Ctrl-C) and waits; `None` if it had to be killed.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn first_start_ingests_the_corpus_then_serves_and_stops_gracefully() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let corpus = workspace_root().join("corpus");
    let mut server = RunningServer::start(&data, &["--corpus", corpus.to_str().unwrap()]);

    let health = server.get("/health").json();
    assert_eq!(health["status"], "ok");
    assert!(health["documents"].as_u64().unwrap() > 10, "{health}");
    assert_eq!(health["writes_enabled"], false);

    // Without diacritics, Vietnamese text is found and highlighted with its diacritics.
    let r = server.get("/api/search?q=tieng+viet&limit=5");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["total"].as_u64().unwrap() > 0);
    let snippets: String = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["snippet"].as_str().unwrap().to_string())
        .collect();
    let marked: Vec<&str> = snippets
        .split("<mark>")
        .skip(1)
        .filter_map(|s| s.split("</mark>").next())
        .collect();
    assert!(
        marked.iter().any(|m| !m.is_ascii()),
        "an accented word is highlighted: {marked:?}"
    );

    let cols = server.get("/api/collections").json();
    let names: Vec<&str> = cols
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"vi") && names.contains(&"records"),
        "{names:?}"
    );

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self'"));

    // Writes are off without a token: 403 with a message.
    let r = http("DELETE", &server.addr, "/api/documents/x", None).unwrap();
    assert_eq!(r.status, 403);

    let status = server.stop().expect("stops on Ctrl-C");
    assert!(status.success(), "{status}");

    // A second start over the same data directory does not ingest again and serves the same.
    let mut again = RunningServer::start(&data, &["--corpus", corpus.to_str().unwrap()]);
    assert_eq!(
        again.get("/health").json()["documents"],
        health["documents"]
    );
    again.stop();
}

#[test]
fn an_unusable_data_dir_fails_with_the_whole_error_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = Command::new(server_binary())
        .arg("--data-dir")
        .arg(&file)
        .args(["--no-ingest", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: cannot open the data directory"),
        "{err}"
    );
    assert!(err.contains(": "), "chain of causes: {err}");
}
