//! The web page in a real headless Chromium, driven through chromedriver's WebDriver HTTP API
//! (Debian packages `chromium` and `chromium-driver`). WebDriver over the tiny std HTTP client
//! of `server.rs` keeps this dependency-free: no browser-automation crate, no async runtime.
//!
//! The walk a young researcher takes: type a query without diacritics, see Vietnamese results
//! highlighted with their diacritics, pick a suggestion with the keyboard, filter by a facet,
//! open a document page, export its citation, switch to English. Screenshots of each step go
//! to `target/e2e-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::server::{free_port, http, workspace_root, RunningServer};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `None` (after printing why) when the browser is missing and this is not CI.
pub(crate) fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "browser tests need {} (Debian packages: apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    false
}

/// chromedriver on a free port, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = http(
            "DELETE",
            &self.addr,
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = http("GET", &addr, "/status", None) {
                if r.status == 200 && r.json()["value"]["ready"] == true {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1280,1000",
                        format!("--user-data-dir={}", profile.path().display()),
                    ]
                }
            }}
        });
        let r = http("POST", &addr, "/session", Some(&caps.to_string())).unwrap();
        let v = r.json();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"))
            .to_string();
        Driver {
            child,
            addr,
            session,
            _profile: profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let body = (method == "POST").then(|| body.to_string());
        let r = http(
            method,
            &self.addr,
            &format!("/session/{}{path}", self.session),
            body.as_deref(),
        )
        .unwrap();
        let v = r.json();
        assert!(r.status == 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    pub(crate) fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    pub(crate) fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
    }

    /// Waits until `script` (an expression) is truthy; panics with `what` after 20 s.
    pub(crate) fn wait_for(&self, script: &str, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.js(&format!("return ({script});"));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            if Instant::now() > deadline {
                let dir = screenshot_dir();
                self.screenshot(&dir, "failure");
                panic!(
                    "timed out waiting for {what} ({script}); screenshot in {}",
                    dir.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, dir: &Path, name: &str) {
        let v = self.cmd("GET", "/screenshot", Value::Null);
        if let Some(png) = v.as_str().and_then(base64_decode) {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }
}

fn screenshot_dir() -> PathBuf {
    workspace_root().join("target/e2e-screenshots")
}

/// Standard base64 (WebDriver screenshots), without a dependency for one call.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// A data directory with the bundled corpus, built with the library (the server binary's
/// own first-start ingestion is tested in `server.rs`).
fn corpus_data_dir(root: &Path) -> PathBuf {
    let data = root.join("data");
    indexer::ingest::ingest_corpus_if_empty(
        &indexer::data_dir::DataDir::new(&data),
        &workspace_root().join("corpus"),
        indexer::ingest::ProgressMode::Hidden,
    )
    .expect("ingest corpus");
    data
}

#[test]
fn a_researcher_searches_filters_opens_and_cites() {
    if !browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = corpus_data_dir(tmp.path());
    let server = RunningServer::start(&data, &["--no-ingest"]);
    let base = format!("http://{}", server.addr);
    let shots = screenshot_dir();
    let d = Driver::start();

    // 1. The home page speaks Vietnamese and lists the collections.
    d.goto(&format!("{base}/"));
    d.wait_for(
        "document.querySelectorAll('#collections li').length > 0",
        "collections",
    );
    assert_eq!(d.js("return document.documentElement.lang"), "vi");
    assert_eq!(
        d.js("return document.querySelector('#search-button').textContent"),
        "Tìm"
    );
    d.screenshot(&shots, "01-home");

    // 2. Type without diacritics: suggestions appear and the keyboard can walk them.
    d.type_into("#q", "gioi th");
    d.wait_for(
        "!document.querySelector('#suggestions').hidden && document.querySelectorAll('#suggestions li').length > 0",
        "suggestions",
    );
    d.type_into("#q", "\u{E015}"); // ArrowDown
    d.wait_for(
        "document.querySelector('#suggestions li[aria-selected=true]') !== null",
        "a highlighted suggestion",
    );
    assert_eq!(
        d.js("return document.querySelector('#q').getAttribute('aria-activedescendant')"),
        "sugg-0"
    );
    d.screenshot(&shots, "02-suggestions");
    d.type_into("#q", "\u{E00C}"); // Escape closes the list

    // 3. Search without diacritics: Vietnamese results, highlighted with diacritics.
    d.js("document.querySelector('#q').value = ''; return null;");
    d.type_into("#q", "tieng viet\u{E007}"); // Enter submits
    d.wait_for(
        "location.search.includes('q=tieng') && document.querySelectorAll('#hits mark').length > 0",
        "highlighted results",
    );
    let marks = d.js(
        "return Array.from(document.querySelectorAll('#hits mark')).map(m => m.textContent).join(' ')",
    );
    let marks = marks.as_str().unwrap().to_lowercase();
    assert!(
        marks.contains("tiếng") || marks.contains("việt") || marks.contains("viết"),
        "{marks}"
    );
    assert!(d
        .js("return location.search")
        .as_str()
        .unwrap()
        .contains("q=tieng+viet"));
    let page_links = d.js("return document.querySelectorAll('#hits a.page-link').length");
    assert!(page_links.as_u64().unwrap() > 0, "trang N links");
    let href = d.js("return document.querySelector('#hits a.page-link').getAttribute('href')");
    assert!(
        href.as_str().unwrap().contains("/file#page="),
        "opens the PDF at the page: {href}"
    );
    d.screenshot(&shots, "03-results");

    // 4. Click a facet: the collection filter applies and shows as pressed.
    d.wait_for(
        "document.querySelector('#facet-collection button[data-value=vi]')",
        "vi facet",
    );
    d.click("#facet-collection button[data-value=vi]");
    d.wait_for(
        "location.search.includes('collection=vi') && document.querySelector('#facet-collection button[data-value=vi]') && document.querySelector('#facet-collection button[data-value=vi]').getAttribute('aria-pressed') === 'true'",
        "collection filter",
    );
    d.wait_for(
        "document.querySelectorAll('#hits .hit').length > 0",
        "filtered results",
    );
    let badges = d
        .js("return Array.from(document.querySelectorAll('#hits .badge')).map(b => b.textContent)");
    assert!(
        badges.as_array().unwrap().iter().all(|b| b == "vi"),
        "{badges}"
    );
    d.screenshot(&shots, "04-facet");

    // 5. Open the first document: metadata, Scholar meta tags, citation export.
    d.click("#hits .hit h2 a");
    d.wait_for("location.pathname.startsWith('/doc/')", "document page");
    d.wait_for(
        "document.querySelector('#cite-text').value.startsWith('@')",
        "BibTeX",
    );
    let title = d.js("return document.querySelector('#doc-title').textContent");
    assert!(!title.as_str().unwrap().trim().is_empty());
    let meta = d.js("return document.querySelector('meta[name=citation_title]').content");
    assert_eq!(meta, title);
    assert!(d
        .js("return document.querySelector('meta[name=citation_pdf_url]').content")
        .as_str()
        .unwrap()
        .ends_with("/file"));
    d.click(".cite-format[data-format=ris]");
    d.wait_for(
        "document.querySelector('#cite-text').value.startsWith('TY  - ')",
        "RIS",
    );
    d.click("#cite-copy");
    d.wait_for(
        "document.querySelector('#cite-status').textContent",
        "copy status",
    );
    d.wait_for(
        "document.querySelectorAll('#similar-list li').length > 0",
        "similar documents",
    );
    d.screenshot(&shots, "05-document");

    // 6. English, remembered across pages.
    d.click("#lang-toggle");
    d.wait_for("document.documentElement.lang === 'en'", "English");
    assert_eq!(
        d.js("return document.querySelector('#cite-h').textContent"),
        "Cite"
    );
    // No indexed word at all: a query with some known words shows partial matches instead.
    d.goto(&format!("{base}/?q=xyzzy+plugh+qwertz"));
    d.wait_for("document.querySelector('#hits .empty')", "empty state");
    let empty = d.js("return document.querySelector('#hits .empty').textContent");
    assert!(
        empty.as_str().unwrap().contains("without diacritics"),
        "{empty}"
    );
    assert_eq!(d.js("return document.documentElement.lang"), "en");
    d.screenshot(&shots, "06-english-empty");

    // 7. Titles with markup never execute (CSP and escaping): the page has no alert dialogs
    //    and the skip link is the first focusable element.
    d.goto(&format!("{base}/"));
    d.wait_for("document.readyState === 'complete'", "load");
    let first_focus =
        d.js("document.body.focus(); return document.querySelector('a, button, input').className");
    assert_eq!(first_focus, "skip-link");
}
