//! Faults, with the real `indexer` and `search-server` binaries on real PDFs: `kill -9` of an
//! ingestion at random moments and of the server in the middle of uploads, a disk that fills up
//! during a commit, a read-only data directory and damaged index files. Each scenario ends with
//! an index that opens and holds every document committed before the fault, and where work
//! cannot go on, a non-zero exit or an HTTP status that says why in words.
//!
//! Random moments and damaged bytes come from one seed per test, printed at its start (shown
//! when the test fails); `FAULT_SEED=<n>` replays a run.
//!
//! The full disk is a small tmpfs and the read-only directory a read-only bind mount, which
//! need root (CI runs the tests as root). Where mounting is refused, the full-disk test falls
//! back to a file-size limit (`ulimit -f`: writes past it fail with EFBIG, the same failure
//! path as ENOSPC) and the read-only test, as root, cannot be made; either way a warning goes
//! straight to the terminal, past the test harness's output capture, so nothing passes silently.
//! `FAULTS_NO_MOUNT=1` forces the full-disk fallback, to test it where mounting works.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use indexer::data_dir::DataDir;
use serde_json::Value;

use crate::server::{free_port, parse_response, server_binary, workspace_root, HttpResponse};

// ---------------------------------------------------------------------------------------------
// Helpers shared with `security.rs`.

/// A small deterministic generator (splitmix64): enough for fault moments, no dependency.
pub(crate) struct Rng(u64);

impl Rng {
    /// The generator of a test: `FAULT_SEED` when set, else a fresh seed; printed either way.
    pub(crate) fn for_test(test: &str) -> Rng {
        let seed = std::env::var("FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("{test}: seed {seed} (replay with FAULT_SEED={seed})");
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Says something on the terminal even when the test passes (libtest captures only the print
/// macros, not writes to the stderr handle).
pub(crate) fn loud(msg: &str) {
    let _ = writeln!(std::io::stderr(), "\nWARNING: {msg}\n");
}

/// The `indexer` binary of the profile this test was built with, built once per test run.
pub(crate) fn indexer_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(build_indexer).clone()
}

/// The `search-server` binary, built once per test run (not again before every start).
pub(crate) fn server_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(server_binary).clone()
}

fn build_indexer() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    let target_dir = profile_dir.parent().unwrap().to_path_buf();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet", "-p", "indexer", "--bin", "indexer"])
        .current_dir(workspace_root())
        .env("CARGO_TARGET_DIR", &target_dir);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    assert!(cmd.status().unwrap().success(), "building indexer failed");
    profile_dir.join("indexer")
}

/// `indexer --data-dir DATA ARGS...`, run to completion.
pub(crate) fn indexer(data: &Path, args: &[&str]) -> Output {
    indexer_command(data, args).output().unwrap()
}

pub(crate) fn indexer_command(data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(indexer_binary());
    cmd.arg("--data-dir").arg(data).args(args);
    cmd.env_remove("INDEXER_LOG").stdin(Stdio::null());
    cmd
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Real PDFs of the bundled corpus smaller than `max_bytes`, by name.
pub(crate) fn corpus_pdfs(max_bytes: u64) -> Vec<PathBuf> {
    fn walk(dir: &Path, max: u64, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, max, out);
            } else if p.extension().is_some_and(|x| x == "pdf")
                && e.metadata().is_ok_and(|m| m.len() < max)
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&workspace_root().join("corpus"), max_bytes, &mut out);
    out.sort_by_key(|p| p.file_name().unwrap().to_owned());
    assert!(out.len() >= 8, "the bundled corpus has small PDFs");
    out
}

/// Copies `files` into `dir` (created) and returns the copies.
pub(crate) fn copy_into(dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    files
        .iter()
        .map(|f| {
            let dest = dir.join(f.file_name().unwrap());
            std::fs::copy(f, &dest).unwrap();
            dest
        })
        .collect()
}

/// Real catalogue records of the bundled corpus (Vietnamese d2l chapters).
pub(crate) fn corpus_records() -> PathBuf {
    workspace_root().join("corpus/records/d2l-vi.jsonl")
}

/// The ids of the live documents in the index of `data`, in index order (a repeated id shows
/// twice); empty while no index exists. Panics when the index does not open.
pub(crate) fn committed_ids(data: &Path) -> Vec<String> {
    let dir = DataDir::new(data).index_dir();
    // Never open (and so create) an index that the process under test is about to create.
    if !dir.join("meta.json").exists() {
        return Vec::new();
    }
    let index = indexer::index::open(&dir)
        .unwrap_or_else(|e| panic!("the index in {} does not open: {e:?}", dir.display()));
    let searcher = indexer::ingest::scan::searcher(&index).unwrap();
    let mut ids = Vec::new();
    indexer::ingest::scan::for_each_doc(&searcher, |row| ids.push(row.id)).unwrap();
    ids
}

/// [`committed_ids`] as a set, asserting no id is there twice.
pub(crate) fn id_set(data: &Path) -> BTreeSet<String> {
    let ids = committed_ids(data);
    let set: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "an id is in the index twice: {ids:?}");
    set
}

/// The id a PDF copied flat into the folder given to `indexer add` gets.
pub(crate) fn pdf_id(collection: &str, file: &Path) -> String {
    indexer::ingest::ids::pdf_id(collection, &file.file_name().unwrap().to_string_lossy())
}

/// A running `search-server`, killed (SIGKILL) when dropped.
pub(crate) struct Server {
    child: Child,
    pub addr: String,
    pub log: PathBuf,
}

impl Server {
    /// Starts the server over `data` with write token `token` and waits for `/health`.
    pub(crate) fn start(data: &Path, token: &str, extra: &[&str]) -> Server {
        let token_file = data.with_extension("token");
        std::fs::write(&token_file, token).unwrap();
        let log = data.with_extension(format!("{}.log", free_port()));
        let addr = format!("127.0.0.1:{}", free_port());
        let child = Command::new(server_bin())
            .arg("--data-dir")
            .arg(data)
            .args(["--bind", &addr, "--token-file"])
            .arg(&token_file)
            .args(extra)
            .env_remove("SEARCH_SERVER_TOKEN")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(r) = server.request("GET", "/health", &[], b"") {
                if r.status == 200 {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("search-server exited with {status}: {}", server.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "search-server did not start: {}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<HttpResponse> {
        request(&self.addr, method, path, headers, body)
    }

    pub(crate) fn get(&self, path: &str) -> HttpResponse {
        self.request("GET", path, &[], b"").unwrap()
    }

    /// `kill -9`.
    pub(crate) fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The head of a request, `Connection: close`, `Host: addr` unless `headers` has one.
fn request_head(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    len: usize,
) -> String {
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    head
}

/// One HTTP/1.1 request with any headers and a binary body; the path is sent exactly as given
/// (no normalisation), which the traversal tests need.
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    stream.write_all(request_head(addr, method, path, headers, body.len()).as_bytes())?;
    // The body is written beside the reading: the server may answer (401, 413) before it has
    // read the whole body, and a client that only reads after writing everything would be
    // reset instead of seeing that answer.
    let mut raw = Vec::new();
    std::thread::scope(|scope| {
        let mut writer = stream.try_clone()?;
        scope.spawn(move || {
            let _ = writer.write_all(body);
        });
        let _ = stream.read_to_end(&mut raw);
        // Unblocks the writer if the server stopped reading.
        let _ = stream.shutdown(std::net::Shutdown::Both);
        Ok::<(), std::io::Error>(())
    })?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no HTTP response"))?;
    parse_response(&raw, split)
}

/// A multipart/form-data body with one file field per `(name, bytes)`.
pub(crate) fn multipart(files: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----faults-and-security-boundary-7f3a";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `files` to `collection` with `token`.
pub(crate) fn upload(
    server: &Server,
    collection: &str,
    token: Option<&str>,
    files: &[(String, Vec<u8>)],
) -> HttpResponse {
    let (ctype, body) = multipart(files);
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", ctype.as_str())];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    server
        .request(
            "POST",
            &format!("/api/collections/{collection}/documents"),
            &headers,
            &body,
        )
        .unwrap()
}

pub(crate) fn json(r: &HttpResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}), status {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        )
    })
}

/// The JSON error message of a response.
pub(crate) fn error_message(r: &HttpResponse) -> String {
    json(r)["error"].as_str().unwrap_or_default().to_string()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A mount made by a test, lazily unmounted when dropped (also when the test fails).
pub(crate) struct Mount(PathBuf);

impl Mount {
    fn run(args: &[&str], path: &Path) -> Result<(), String> {
        let out = Command::new("mount")
            .args(args)
            .arg(path)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "mount {} {}: {}",
                args.join(" "),
                path.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// A tmpfs of `bytes` at `path` (created).
    pub(crate) fn tmpfs(path: &Path, bytes: u64) -> Result<Mount, String> {
        std::fs::create_dir_all(path).unwrap();
        // Exercises the fallback where mounting is refused.
        if std::env::var_os("FAULTS_NO_MOUNT").is_some() {
            return Err("FAULTS_NO_MOUNT is set".into());
        }
        Mount::run(
            &["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"],
            path,
        )?;
        Ok(Mount(path.to_path_buf()))
    }

    /// `path` mounted over itself, read-only.
    pub(crate) fn read_only(path: &Path) -> Result<Mount, String> {
        let src = path.to_string_lossy().into_owned();
        Mount::run(&["--bind", &src], path)?;
        let m = Mount(path.to_path_buf());
        Mount::run(&["-o", "remount,ro,bind"], path)?;
        Ok(m)
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Makes `dir` read-only for this process and its children: a read-only bind mount for root
/// (root ignores permission bits), permission bits otherwise. `None` (after a loud warning)
/// when that is impossible.
pub(crate) enum ReadOnly {
    Mounted(#[allow(dead_code)] Mount),
    Modes(PathBuf),
}

impl ReadOnly {
    pub(crate) fn make(dir: &Path) -> Option<ReadOnly> {
        if is_root() {
            match Mount::read_only(dir) {
                Ok(m) => Some(ReadOnly::Mounted(m)),
                Err(e) => {
                    loud(&format!(
                        "read-only data directory scenario NOT RUN: running as root, where only a read-only mount stops writes, and mounting failed ({e})"
                    ));
                    None
                }
            }
        } else {
            let status = Command::new("chmod").arg("-R").arg("a-w").arg(dir).status();
            assert!(status.unwrap().success());
            Some(ReadOnly::Modes(dir.to_path_buf()))
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if let ReadOnly::Modes(dir) = self {
            let _ = Command::new("chmod").arg("-R").arg("u+w").arg(dir).status();
        }
    }
}

/// Every file under `dir` with its size, to show that nothing changed.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, e.metadata().unwrap().len()));
            }
        }
    }
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn assert_no_panic(what: &str, text: &str) {
    assert!(
        !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
        "{what} panicked: {text}"
    );
}

/// `indexer stats` works and counts `n` documents.
fn stats_count(data: &Path, n: usize) {
    let out = indexer(data, &["stats"]);
    assert!(out.status.success(), "indexer stats: {}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let docs = text
        .lines()
        .find_map(|l| l.strip_prefix("documents"))
        .map(|v| v.trim().to_string());
    assert_eq!(docs, Some(n.to_string()), "{text}");
}

/// The summary of an `indexer add` JSON report named in its output.
fn report_summary(out: &Output) -> Value {
    let err = stderr(out);
    let path = err
        .lines()
        .find_map(|l| l.strip_prefix("report: "))
        .unwrap_or_else(|| panic!("no report path: {err}"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path.trim()).unwrap()).unwrap();
    v["summary"].clone()
}

/// A small data directory: records of collection `rec` and `pdfs` as collection `lib`.
fn small_library(root: &Path, pdfs: &[PathBuf]) -> (PathBuf, PathBuf) {
    let data = root.join("data");
    let folder = root.join("lib");
    copy_into(&folder, pdfs);
    let records = corpus_records();
    for (source, collection) in [(&records, "rec"), (&folder, "lib")] {
        let source = source.to_str().unwrap();
        let out = indexer(
            &data,
            &["add", source, "--collection", collection, "--quiet"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    (data, folder)
}

// ---------------------------------------------------------------------------------------------
// kill -9

#[test]
fn kill_9_of_a_pdf_ingest_at_random_moments_loses_no_committed_document() {
    let mut rng = Rng::for_test("kill_9_of_a_pdf_ingest");
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("theses");
    let pdfs = copy_into(&folder, &corpus_pdfs(400_000));
    let expected: BTreeSet<String> = pdfs.iter().map(|p| pdf_id("lib", p)).collect();
    let data = tmp.path().join("data");
    let add_args = [
        "add",
        folder.to_str().unwrap(),
        "--collection",
        "lib",
        "--quiet",
        "--commit-every",
        "1",
    ];

    let mut committed: BTreeSet<String> = BTreeSet::new();
    let mut killed_mid_run = 0;
    for round in 1..=4 {
        // The fault moment. Round 1 kills in the first half second (discovery, hashing, the
        // first extractions); later rounds wait until a random number of further documents is
        // committed, then up to 400 ms more, so the kill falls anywhere between or inside
        // commits while every round still gets further. The assertions hold whatever it is.
        let mut child = indexer_command(&data, &add_args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let moment = if round == 1 {
            let delay = Duration::from_millis(rng.below(500));
            std::thread::sleep(delay);
            format!("after {delay:?}")
        } else {
            let left = (expected.len() - committed.len()) as u64;
            let target = committed.len() + 1 + rng.below(left.div_ceil(3)) as usize;
            let deadline = Instant::now() + Duration::from_secs(120);
            while id_set(&data).len() < target && child.try_wait().unwrap().is_none() {
                assert!(
                    Instant::now() < deadline,
                    "no progress towards {target} documents"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            let extra = Duration::from_millis(rng.below(400));
            std::thread::sleep(extra);
            format!("{extra:?} after {target} documents were committed")
        };
        let seen_before = id_set(&data);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        killed_mid_run += usize::from(running);

        let after = id_set(&data);
        eprintln!(
            "round {round}: killed {moment} ({}), {} of {} documents committed",
            if running { "mid-run" } else { "after the end" },
            after.len(),
            expected.len()
        );
        assert!(
            seen_before.is_subset(&after),
            "a commit seen before the kill is gone"
        );
        assert!(
            committed.is_subset(&after),
            "a document of an earlier round is gone"
        );
        assert!(after.is_subset(&expected), "unknown ids: {after:?}");
        stats_count(&data, after.len());
        committed = after;
    }
    eprintln!("{killed_mid_run} of 4 kills landed mid-run");

    // A run to the end completes the collection and redoes nothing committed.
    let out = indexer(&data, &add_args);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = report_summary(&out);
    assert_eq!(summary["unchanged"], committed.len(), "{summary}");
    assert_eq!(
        summary["added"],
        expected.len() - committed.len(),
        "{summary}"
    );
    assert_eq!(id_set(&data), expected, "every PDF exactly once");
}

#[test]
fn kill_9_of_the_server_during_uploads_loses_no_committed_document() {
    let mut rng = Rng::for_test("kill_9_of_the_server_during_uploads");
    let tmp = tempfile::tempdir().unwrap();
    let pdfs = corpus_pdfs(400_000);
    let (base, uploads) = pdfs.split_at(3);
    let (data, _) = small_library(tmp.path(), base);
    let token = "fault-token-0123456789";
    let files: Vec<(String, Vec<u8>)> = uploads
        .iter()
        .take(5)
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    let (ctype, body) = multipart(&files);
    let auth = format!("Bearer {token}");
    let path = "/api/collections/uploads/documents";

    let mut committed = id_set(&data);
    let initial = committed.clone();
    for round in 1..=3 {
        let mut server = Server::start(&data, token, &["--no-ingest"]);
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        let headers = [
            ("Content-Type", ctype.as_str()),
            ("Authorization", auth.as_str()),
        ];
        stream
            .write_all(request_head(&server.addr, "POST", path, &headers, body.len()).as_bytes())
            .unwrap();
        // Half the rounds stop in the middle of the body (a file half received), the others
        // send it all and kill within 6 s: while the server stores, extracts or commits, or
        // just after it answered.
        let moment = if rng.below(2) == 0 {
            let cut = 1 + rng.below(body.len() as u64 - 1) as usize;
            stream.write_all(&body[..cut]).unwrap();
            stream.flush().unwrap();
            format!("after {cut} of {} body bytes", body.len())
        } else {
            stream.write_all(&body).unwrap();
            let delay = Duration::from_millis(rng.below(6000));
            std::thread::sleep(delay);
            format!("{delay:?} after the whole body")
        };
        let seen_before = id_set(&data);
        server.kill9();
        let after = id_set(&data);
        eprintln!("round {round}: killed {moment}; {} documents", after.len());
        assert!(seen_before.is_subset(&after));
        assert!(committed.is_subset(&after), "a committed document is gone");
        committed = after;
    }

    // The restarted server removes what the crashes left half-received, serves every committed
    // document, and the same upload then completes.
    let server = Server::start(&data, token, &["--no-ingest"]);
    let leftovers: Vec<String> = std::fs::read_dir(data.join("uploads/uploads"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".upload-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let health = json(&server.get("/health"));
    assert_eq!(health["documents"], committed.len(), "{health}");
    for id in &committed {
        let r = server.get(&format!("/api/documents/{id}"));
        assert_eq!(r.status, 200, "{id}");
    }
    let r = upload(&server, "uploads", Some(token), &files);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = json(&r);
    let s = &v["summary"];
    assert_eq!(
        s["added"].as_u64().unwrap() + s["unchanged"].as_u64().unwrap(),
        files.len() as u64,
        "{v}"
    );
    let all = id_set(&data);
    assert!(initial.is_subset(&all) && committed.is_subset(&all));
    assert_eq!(all.len(), initial.len() + files.len(), "every upload once");
}

// ---------------------------------------------------------------------------------------------
// Full disk

/// A data directory on a small disk that the test can fill: a tmpfs filled with a file, or,
/// where mounting is refused, processes run under a file-size limit.
enum SmallDisk {
    Tmpfs { _mount: Mount, filler: PathBuf },
    FileSizeLimit { on: bool },
}

impl SmallDisk {
    fn new(root: &Path) -> (SmallDisk, PathBuf) {
        let mnt = root.join("disk");
        match Mount::tmpfs(&mnt, 48 << 20) {
            Ok(m) => (
                SmallDisk::Tmpfs {
                    _mount: m,
                    filler: mnt.join("filler"),
                },
                mnt.join("data"),
            ),
            Err(e) => {
                loud(&format!(
                    "full-disk test: cannot mount a tmpfs ({e}); simulating the full disk with a file-size limit (ulimit -f, EFBIG) instead of ENOSPC. Run the tests as root for the real thing."
                ));
                std::fs::create_dir_all(&mnt).unwrap();
                (SmallDisk::FileSizeLimit { on: false }, mnt.join("data"))
            }
        }
    }

    /// Leaves about 64 KiB free.
    fn fill(&mut self) {
        match self {
            SmallDisk::Tmpfs { filler, .. } => {
                let mut f = std::fs::File::create(filler.as_path()).unwrap();
                let chunk = vec![0x55u8; 64 << 10];
                let mut written = 0u64;
                while f.write_all(&chunk).is_ok() {
                    written += chunk.len() as u64;
                }
                drop(f);
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&filler)
                    .unwrap();
                f.set_len(written.saturating_sub(64 << 10)).unwrap();
                f.sync_all().unwrap();
            }
            SmallDisk::FileSizeLimit { on } => *on = true,
        }
    }

    fn free(&mut self) {
        match self {
            SmallDisk::Tmpfs { filler, .. } => std::fs::remove_file(filler).unwrap(),
            SmallDisk::FileSizeLimit { on } => *on = false,
        }
    }

    /// `bin args...`, under the file-size limit when that stands for the full disk.
    fn command(&self, bin: &Path) -> Command {
        match self {
            SmallDisk::FileSizeLimit { on: true } => {
                let mut c = Command::new("sh");
                // 128 blocks of 512 bytes; SIGXFSZ ignored so writes fail with EFBIG instead.
                c.args(["-c", "ulimit -f 128; trap '' XFSZ; exec \"$0\" \"$@\""])
                    .arg(bin);
                c
            }
            _ => Command::new(bin),
        }
    }
}

#[test]
fn a_full_disk_during_a_commit_keeps_the_index_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut disk, data) = SmallDisk::new(tmp.path());
    let pdfs = corpus_pdfs(400_000);
    let (base, more) = pdfs.split_at(3);
    let base_dir = tmp.path().join("base");
    copy_into(&base_dir, base);
    let more_dir = tmp.path().join("more");
    let more = copy_into(&more_dir, &more[..6]);
    let out = indexer(
        &data,
        &["add", base_dir.to_str().unwrap(), "-c", "lib", "--quiet"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let before = id_set(&data);
    assert_eq!(before.len(), base.len());

    disk.fill();
    // One commit at the end of the run: it is the commit that meets the full disk.
    let out = disk
        .command(&indexer_binary())
        .arg("--data-dir")
        .arg(&data)
        .args(["add", more_dir.to_str().unwrap(), "-c", "lib", "--quiet"])
        .output()
        .unwrap();
    let err = stderr(&out);
    eprintln!("indexer add on a full disk: {err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is full: free some space"), "{err}");
    assert_no_panic("indexer add", &err);
    assert_eq!(
        id_set(&data),
        before,
        "the index is as it was before the failed run"
    );
    stats_count(&data, before.len());

    // The server over the full disk: searches answer, an upload is refused with 507.
    let token = "disk-token-42";
    let token_file = tmp.path().join("token");
    std::fs::write(&token_file, token).unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let log = tmp.path().join("server.log");
    let child = disk
        .command(&server_bin())
        .arg("--data-dir")
        .arg(&data)
        .args(["--no-ingest", "--bind", &addr, "--token-file"])
        .arg(&token_file)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut server = Server { child, addr, log };
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.request("GET", "/health", &[], b"").is_err() {
        assert!(Instant::now() < deadline, "{}", server.log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = server.get("/api/search?q=the");
    assert_eq!(r.status, 200);
    let files = vec![(
        more[0].file_name().unwrap().to_string_lossy().into_owned(),
        std::fs::read(&more[0]).unwrap(),
    )];
    let r = upload(&server, "lib", Some(token), &files);
    assert_eq!(r.status, 507, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        error_message(&r).contains("disk is full"),
        "{}",
        error_message(&r)
    );
    assert_eq!(server.get("/health").status, 200, "still serving");
    let stored: Vec<String> = std::fs::read_dir(data.join("uploads/lib"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        stored.is_empty(),
        "nothing of the refused upload is kept: {stored:?}"
    );
    server.kill9();
    assert_no_panic("search-server", &server.log_text());
    assert_eq!(id_set(&data), before);

    // Space again: the same run completes.
    disk.free();
    let out = indexer(
        &data,
        &["add", more_dir.to_str().unwrap(), "-c", "lib", "--quiet"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let all = id_set(&data);
    assert!(before.is_subset(&all));
    assert_eq!(all.len(), before.len() + more.len());
}

// ---------------------------------------------------------------------------------------------
// Read-only data directory

#[test]
fn a_read_only_data_directory_is_searched_and_writes_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, folder) = small_library(tmp.path(), &corpus_pdfs(400_000)[..3]);
    let ids = id_set(&data);
    let files_before = listing(&data);
    let Some(ro) = ReadOnly::make(&data) else {
        return;
    };

    stats_count(&data, ids.len());
    let out = indexer(&data, &["collections", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let records = corpus_records();
    for args in [
        vec!["add", folder.to_str().unwrap(), "-c", "more", "--quiet"],
        vec!["add", records.to_str().unwrap(), "-c", "rec2", "--quiet"],
        vec!["remove", "--collection", "lib"],
    ] {
        let out = indexer(&data, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("is read-only"), "{args:?}: {err}");
        assert_no_panic("indexer", &err);
    }

    // The server starts with its default start-up (the index is not empty, nothing to ingest),
    // serves searches, pages and files, and refuses writes with 503 and the reason.
    let token = "ro-token-7";
    let server = Server::start(&data, token, &[]);
    let v = json(&server.get("/api/search?q=the&limit=5"));
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    let pdf_id = ids.iter().find(|i| i.starts_with("lib~")).unwrap();
    assert_eq!(server.get(&format!("/doc/{pdf_id}")).status, 200);
    let r = server.get(&format!("/api/documents/{pdf_id}/file"));
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"%PDF-"));

    let files = vec![(
        "new.pdf".to_string(),
        std::fs::read(&corpus_pdfs(400_000)[5]).unwrap(),
    )];
    let r = upload(&server, "lib", Some(token), &files);
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        error_message(&r).contains("read-only"),
        "{}",
        error_message(&r)
    );
    let auth = format!("Bearer {token}");
    let r = server
        .request(
            "DELETE",
            &format!("/api/documents/{pdf_id}"),
            &[("Authorization", &auth)],
            b"",
        )
        .unwrap();
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    assert!(error_message(&r).contains("read-only"));
    drop(server);
    drop(ro);

    assert_eq!(
        listing(&data),
        files_before,
        "nothing in the data directory changed"
    );
    assert_eq!(id_set(&data), ids);
}

// ---------------------------------------------------------------------------------------------
// Damaged index files

/// How a test damages an index.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// `meta.json` (the list of segments) cut in the middle.
    TruncatedMeta,
    /// A segment file cut short (a copy interrupted, a full disk outside tantivy's control).
    TruncatedSegmentFile,
    /// Bytes flipped in the middle of a segment file (bad sectors, bad RAM): only the
    /// checksums can tell.
    FlippedBytes,
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn segment_files(index: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            !name.starts_with('.')
                && name != "meta.json"
                && p.metadata().is_ok_and(|m| m.len() > 1024)
        })
        .collect();
    v.sort();
    v
}

/// Damages the index as `how` says; returns what was done and the damaged file's name.
fn damage(index: &Path, how: Damage, rng: &mut Rng) -> (String, String) {
    match how {
        Damage::TruncatedMeta => {
            let meta = index.join("meta.json");
            let len = std::fs::metadata(&meta).unwrap().len();
            let keep = 1 + rng.below(len - 1);
            let f = std::fs::OpenOptions::new().write(true).open(&meta).unwrap();
            f.set_len(keep).unwrap();
            (
                format!("meta.json cut to {keep} of {len} bytes"),
                "meta.json".into(),
            )
        }
        Damage::TruncatedSegmentFile => {
            let files = segment_files(index);
            let file = &files[rng.below(files.len() as u64) as usize];
            let len = std::fs::metadata(file).unwrap().len();
            let keep = rng.below(len - 16);
            let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
            f.set_len(keep).unwrap();
            (
                format!("{} cut to {keep} of {len} bytes", file.display()),
                name_of(file),
            )
        }
        Damage::FlippedBytes => {
            let files = segment_files(index);
            let file = &files[rng.below(files.len() as u64) as usize];
            let mut bytes = std::fs::read(file).unwrap();
            // Inside the data, away from the footer (whose damage opening already notices).
            let at = 16 + rng.below(bytes.len() as u64 / 2) as usize;
            for b in &mut bytes[at..at + 8] {
                *b ^= 0xA5;
            }
            std::fs::write(file, &bytes).unwrap();
            (
                format!("8 bytes flipped at {at} in {}", file.display()),
                name_of(file),
            )
        }
    }
}

#[test]
fn damaged_index_files_are_named_and_a_rebuild_restores_every_document() {
    let mut rng = Rng::for_test("damaged_index_files");
    let tmp = tempfile::tempdir().unwrap();
    let (data, folder) = small_library(tmp.path(), &corpus_pdfs(400_000)[..3]);
    let ids = id_set(&data);
    let records = corpus_records();
    let rebuild: [Vec<&str>; 2] = [
        vec!["add", records.to_str().unwrap(), "-c", "rec", "--quiet"],
        vec!["add", folder.to_str().unwrap(), "-c", "lib", "--quiet"],
    ];

    for (k, how) in [
        Damage::TruncatedMeta,
        Damage::TruncatedSegmentFile,
        Damage::FlippedBytes,
    ]
    .into_iter()
    .enumerate()
    {
        let copy = tmp.path().join(format!("damaged-{k}"));
        copy_dir(&data, &copy);
        let index = copy.join("index");
        let (what, file) = damage(&index, how, &mut rng);
        eprintln!("{how:?}: {what}");

        // Writing is refused before anything is written, with the rebuild advice.
        let out = indexer(&copy, &rebuild[0]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{how:?}: {err}");
        assert_no_panic("indexer add", &err);
        assert!(
            err.contains("is damaged") && err.contains("move the folder"),
            "{how:?}: {err}"
        );
        if matches!(how, Damage::FlippedBytes) {
            assert!(
                err.contains(&format!("checksum mismatch in {file}")),
                "{err}"
            );
        }

        let token = "damage-token";
        match how {
            Damage::TruncatedMeta | Damage::TruncatedSegmentFile => {
                // The server cannot open it: it exits with the reason and the advice.
                let out = Command::new(server_bin())
                    .arg("--data-dir")
                    .arg(&copy)
                    .args(["--no-ingest", "--bind", "127.0.0.1:0"])
                    .output()
                    .unwrap();
                let err = stderr(&out);
                assert!(!out.status.success(), "{how:?}");
                assert!(
                    err.contains("cannot be read") && err.contains("Rebuild"),
                    "{how:?}: {err}"
                );
                assert_no_panic("search-server", &err);
            }
            Damage::FlippedBytes => {
                // It opens: the server checks every file's checksum in the background, logs
                // which file is damaged, and from then on answers with the rebuild advice
                // (503) instead of reading damaged data; it never goes down over it.
                let server = Server::start(&copy, token, &["--no-ingest"]);
                let deadline = Instant::now() + Duration::from_secs(60);
                while !server.log_text().contains("cannot be read") {
                    assert!(
                        Instant::now() < deadline,
                        "no damage logged: {}",
                        server.log_text()
                    );
                    std::thread::sleep(Duration::from_millis(100));
                }
                assert!(server.log_text().contains(&file), "{}", server.log_text());
                for q in ["the", "học", "\"linear model\"", "tieng viet"] {
                    let r = server.get(&format!("/api/search?q={}", crate::security::enc(q)));
                    assert_eq!(r.status, 503, "{q}");
                    let error = r.json()["error"].as_str().unwrap_or_default().to_string();
                    assert!(
                        error.contains("Rebuild") && error.contains(&file),
                        "{error}"
                    );
                }
                for id in &ids {
                    let r = server.get(&format!("/api/documents/{id}"));
                    assert_eq!(r.status, 503, "{id}");
                }
                assert_eq!(server.get("/health").status, 200);
                assert_no_panic("search-server", &server.log_text());
            }
        }

        // The advice, followed: the index is rebuilt from the sources, every document back.
        std::fs::rename(&index, copy.join("index.damaged")).unwrap();
        for args in &rebuild {
            let out = indexer(&copy, args);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        assert_eq!(
            id_set(&copy),
            ids,
            "{how:?}: every document after the rebuild"
        );
    }
}
