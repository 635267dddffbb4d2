//! The OAI-PMH harvester (`indexer harvest`) against providers: our own `/oai` (a round trip,
//! checked field by field through pyoai's reader on both sides), a provider built with pyoai's
//! server module (`tests/py/oai_provider.py`: resumption, deletions, 503 with `Retry-After`,
//! a malformed page, a repository that changes between harvests, kill -9 in the middle), and
//! recorded responses of real repositories.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::faults::{indexer, stderr};
use crate::oai::{pyoai_at, python};
use crate::server::{workspace_root, RunningServer};

/// The oai_dc records of a repository as pyoai reads them, by identifier.
fn records(py: &std::path::PathBuf, base: &str) -> BTreeMap<String, Value> {
    let all = pyoai_at(py, base, &["harvest", "oai_dc"]);
    all["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["identifier"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn ok(out: &std::process::Output) -> String {
    let err = stderr(out);
    assert!(out.status.success(), "indexer failed: {err}");
    err
}

#[test]
fn harvesting_our_own_repository_gives_back_every_field() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = workspace_root().join("corpus");
    let source = RunningServer::start(
        &tmp.path().join("source"),
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--oai-repository-id",
            "source.example.vn",
            "--oai-page-size",
            "7",
        ],
    );
    let base = format!("http://{}/oai", source.addr);
    let mirror_data = tmp.path().join("mirror");
    let m = mirror_data.to_str().unwrap();
    let out = indexer(
        Path::new(m),
        &[
            "harvest",
            &base,
            "--collection",
            "mirror",
            "--fulltext",
            "--ocr",
            "never",
            "-q",
        ],
    );
    let said = ok(&out);
    let documents = source.get("/health").json()["documents"].as_u64().unwrap();
    assert!(said.contains(&format!("{documents} added")), "{said}");

    let mirror = RunningServer::start(
        &mirror_data,
        &["--no-ingest", "--oai-repository-id", "mirror.example.vn"],
    );
    let theirs = records(&py, &base);
    let ours = records(&py, &format!("http://{}/oai", mirror.addr));
    assert_eq!(theirs.len() as u64, documents);
    assert_eq!(ours.len(), theirs.len());
    for (id, src) in &theirs {
        // The mirror's identifier is the source's, as its document id.
        let local = indexer::harvest::record_id(id);
        let copy = &ours[&format!("oai:mirror.example.vn:{local}")];
        let (a, b) = (&src["metadata"], &copy["metadata"]);
        for field in [
            "title",
            "creator",
            "subject",
            "description",
            "publisher",
            "contributor",
            "date",
            "type",
            "format",
            "language",
        ] {
            assert_eq!(a[field], b[field], "{id}: {field}");
        }
        // The copy links back to the source's page of the document.
        let page = a["identifier"][0].as_str().unwrap();
        let links = b["identifier"].as_array().unwrap();
        assert!(
            links.iter().any(|l| l == page),
            "{id}: {links:?} lacks {page}"
        );
    }
    // The full texts came along: the mirror finds a word of a PDF's body.
    let hits = mirror.get("/api/search?q=transformer").json();
    assert!(hits["total"].as_u64().unwrap() > 0, "{hits}");

    // A second harvest asks only from the last datestamp and finds nothing changed.
    let again = ok(&indexer(
        Path::new(m),
        &["harvest", "--collection", "mirror", "-q"],
    ));
    assert!(again.contains("0 added, 0 updated"), "{again}");
}

/// `tests/py/oai_provider.py`: pyoai's own server over records made from ../shared text.
struct Provider {
    child: std::process::Child,
    base: String,
    addr: String,
}

impl Provider {
    fn start(py: &std::path::PathBuf, args: &[&str]) -> Provider {
        Provider::run(py, "tests/py/oai_provider.py", args)
    }

    /// A Python script of `tests/py` that prints `PORT <n>` once it listens.
    fn run(py: &std::path::PathBuf, script: &str, args: &[&str]) -> Provider {
        use std::io::BufRead;
        let mut child = std::process::Command::new(py)
            .arg(workspace_root().join(script))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("start oai_provider.py");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| panic!("oai_provider.py said {line:?}"));
        let addr = format!("127.0.0.1:{port}");
        Provider {
            child,
            base: format!("http://{addr}/oai"),
            addr,
        }
    }

    /// The provider's records as they are now, one JSON object each.
    fn dump(&self) -> Vec<Value> {
        let r = crate::server::http("GET", &self.addr, "/dump", None).unwrap();
        assert_eq!(r.status, 200);
        String::from_utf8(r.body)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Text as the index stores it: normalised, white space collapsed.
fn clean(s: &str) -> String {
    indexer::text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v.as_array().unwrap() {
        let c = clean(s.as_str().unwrap());
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The collection in `data` holds exactly the provider's live records, field by field.
fn assert_mirrors(data: &Path, dump: &[Value]) {
    let server = RunningServer::start(data, &["--no-ingest"]);
    let live: Vec<&Value> = dump.iter().filter(|r| r["deleted"] == false).collect();
    assert_eq!(
        server.get("/health").json()["documents"].as_u64().unwrap(),
        live.len() as u64,
        "the collection holds every live record once"
    );
    for r in dump {
        let id = indexer::harvest::record_id(r["identifier"].as_str().unwrap());
        let got = server.get(&format!("/api/documents/{id}"));
        if r["deleted"] == true {
            assert_eq!(got.status, 404, "{id} was deleted at the source");
            continue;
        }
        assert_eq!(got.status, 200, "{id}");
        let doc = got.json();
        let md = &r["metadata"];
        assert_eq!(doc["title"], strings(&md["title"])[0], "{id}");
        assert_eq!(doc["authors"], Value::from(strings(&md["creator"])), "{id}");
        assert_eq!(
            doc["keywords"],
            Value::from(strings(&md["subject"])),
            "{id}"
        );
        assert_eq!(doc["abstract"], strings(&md["description"])[0], "{id}");
        let year: i64 = md["date"][0].as_str().unwrap()[..4].parse().unwrap();
        assert_eq!(doc["year"], year, "{id}");
        assert_eq!(doc["lang"], md["language"][0], "{id}");
        let kind = match md["type"][0].as_str().unwrap() {
            "Thesis" => "thesis",
            "Article" => "article",
            _ => "report",
        };
        assert_eq!(doc["doc_type"], kind, "{id}");
        match md["contributor"].as_array().unwrap().first() {
            Some(a) => assert_eq!(doc["advisor"], clean(a.as_str().unwrap()), "{id}"),
            None => assert!(doc["advisor"].is_null(), "{id}"),
        }
        assert_eq!(doc["url"], md["identifier"][0], "{id}");
    }
}

fn write_state(path: &Path, events: &Value) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, events.to_string()).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn report_of(said: &str) -> Value {
    let path = said
        .lines()
        .find_map(|l| l.strip_prefix("report: "))
        .unwrap_or_else(|| panic!("no report path in {said}"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_pyoai_provider_is_harvested_whole_then_followed() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("changes.json");
    // 1,500 records in pages of 100, 40 deleted, and every 7th request refused with a 503.
    let provider = Provider::start(
        &py,
        &[
            "--records",
            "1500",
            "--batch-size",
            "100",
            "--deleted",
            "40",
            "--sets",
            "3",
            "--fail-503",
            "7",
            "--retry-after",
            "1",
            "--state",
            state.to_str().unwrap(),
        ],
    );
    let data = tmp.path().join("data");
    let said = ok(&indexer(
        &data,
        &["harvest", &provider.base, "-c", "theses", "-q"],
    ));
    let report = report_of(&said);
    assert_eq!(report["summary"]["added"], 1460, "{said}");
    assert_eq!(report["summary"]["failed"], 0, "{said}");
    assert_mirrors(&data, &provider.dump());

    // The repository changes: 3 records edited, 2 deleted (one of them edited too), 4 added.
    write_state(
        &state,
        &serde_json::json!({"changed": [3, 5, 7], "deleted": [7, 11], "added": 4}),
    );
    let said = ok(&indexer(&data, &["harvest", "-c", "theses", "-q"]));
    let s = &report_of(&said)["summary"];
    assert_eq!(
        (
            s["added"].as_u64(),
            s["updated"].as_u64(),
            s["removed"].as_u64()
        ),
        (Some(4), Some(2), Some(2)),
        "{said}"
    );
    // Only what changed was asked for (from the first harvest's start, less a second).
    assert!(s["unchanged"].as_u64().unwrap() < 5, "{said}");
    assert_mirrors(&data, &provider.dump());

    // A set alone, into another collection: only its records.
    let data2 = tmp.path().join("data2");
    let said = ok(&indexer(
        &data2,
        &[
            "harvest",
            &provider.base,
            "-c",
            "seta",
            "--set",
            "set-a",
            "-q",
        ],
    ));
    let in_set = provider
        .dump()
        .iter()
        .filter(|r| r["deleted"] == false && r["sets"][0] == "set-a")
        .count() as u64;
    assert_eq!(report_of(&said)["summary"]["added"], in_set, "{said}");

    // The protocol's errors, in words.
    let out = indexer(
        &data2,
        &[
            "harvest",
            &provider.base,
            "-c",
            "x",
            "--metadata-prefix",
            "marc21",
            "-q",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannotDisseminateFormat"), "{err}");
    assert!(err.contains("does not offer this metadata format"), "{err}");
    let out = indexer(
        &data2,
        &[
            "harvest",
            &provider.base,
            "-c",
            "y",
            "--from",
            "2999-01-01",
            "-q",
        ],
    );
    let said = ok(&out);
    assert_eq!(
        report_of(&said)["summary"]["added"],
        0,
        "noRecordsMatch is an empty harvest"
    );
    let out = indexer(
        &data2,
        &[
            "harvest",
            &provider.base,
            "-c",
            "z",
            "--from",
            "01/02/2024",
            "-q",
        ],
    );
    assert!(
        stderr(&out).contains("not an OAI-PMH datestamp"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_malformed_page_stops_the_harvest_and_the_next_run_resumes() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let provider = Provider::start(
        &py,
        &[
            "--records",
            "600",
            "--batch-size",
            "50",
            "--deleted",
            "5",
            "--malformed-once",
            "4",
        ],
    );
    let data = tmp.path().join("data");
    let out = indexer(
        &data,
        &[
            "harvest",
            &provider.base,
            "-c",
            "lib",
            "-q",
            "--commit-every",
            "50",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("page 4") && err.contains("cut short"), "{err}");
    assert!(
        err.contains("run the same harvest again to resume"),
        "{err}"
    );
    let said = ok(&indexer(&data, &["harvest", "-c", "lib", "-q"]));
    assert!(
        said.contains("resumed an interrupted harvest after its 150 committed records"),
        "{said}"
    );
    assert_mirrors(&data, &provider.dump());
}

#[test]
fn kill_9_at_any_moment_then_a_rerun_ends_with_exactly_the_source() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("changes.json");
    let provider = Provider::start(
        &py,
        &[
            "--records",
            "4000",
            "--batch-size",
            "20",
            "--deleted",
            "30",
            "--state",
            state.to_str().unwrap(),
        ],
    );
    let data = tmp.path().join("data");
    let harvest_state = data.join("harvest").join("lib.json");
    let mut rng = crate::faults::Rng::for_test("harvest kill -9");
    let mut kills = 0;
    for round in 0..4 {
        if round == 2 {
            // The source changes while the harvest is interrupted.
            write_state(
                &state,
                &serde_json::json!({"deleted": [1, 2, 3], "changed": [4]}),
            );
        }
        let mut child = crate::faults::indexer_command(
            &data,
            &[
                "harvest",
                &provider.base,
                "-c",
                "lib",
                "-q",
                "--commit-every",
                "40",
            ],
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
        // Kill it once it has committed a little more than before, at a random point.
        let before = done(&harvest_state);
        let target = before + 100 + rng.below(600);
        let finished = loop {
            if let Ok(Some(_)) = child.try_wait() {
                break true;
            }
            if done(&harvest_state) >= target {
                break false;
            }
            std::thread::yield_now();
        };
        if !finished {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(
        kills >= 2,
        "the harvest was killed in the middle ({kills} times)"
    );
    ok(&indexer(&data, &["harvest", "-c", "lib", "-q"]));
    assert_mirrors(&data, &provider.dump());
}

/// Records of the list under way committed so far, from the harvest state file.
fn done(path: &Path) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| v["in_progress"]["done"].as_u64())
        .unwrap_or(0)
}

#[test]
fn recorded_responses_of_a_dspace_repository_are_harvested() {
    let Some(py) = python() else { return };
    let dir = workspace_root().join("target/oai-recorded/pyoai-2.5.0");
    if !dir.is_dir() {
        let msg = "recorded responses missing: run tests/py/fetch_recorded.sh";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let file = |p: &str| format!("{}", dir.join(p).display());
    // DSpace at Erasmus University Rotterdam, 2003-2004: its Identify, its formats, and a
    // ListRecords page of 81 records, 2 of them deleted.
    let replay = Provider::run(
        &py,
        "tests/py/replay_provider.py",
        &[
            &format!("Identify={}", file("fake1/00001.xml")),
            &format!("ListMetadataFormats={}", file("fake1/00002.xml")),
            &format!("ListRecords={}", file("fake2/00002.xml")),
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let said = ok(&indexer(
        &data,
        &["harvest", &replay.base, "-c", "eur", "-q"],
    ));
    let report = report_of(&said);
    assert_eq!(report["summary"]["added"], 79, "{said}");
    assert_eq!(report["summary"]["failed"], 0, "{said}");
    let server = RunningServer::start(&data, &["--no-ingest"]);
    let id = indexer::harvest::record_id("hdl:1765/449");
    let doc = server.get(&format!("/api/documents/{id}"));
    assert_eq!(doc.status, 200, "{}", String::from_utf8_lossy(&doc.body));
    let doc = doc.json();
    assert!(
        doc["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{doc}"
    );
    assert!(doc["year"].as_i64().is_some(), "{doc}");
    // Searching finds records by a title word.
    let word = doc["title"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    let hits = server
        .get(&format!(
            "/api/search?q={}",
            word.trim_matches(|c: char| !c.is_alphanumeric())
        ))
        .json();
    assert!(hits["total"].as_u64().unwrap() >= 1, "{hits}");
    // Harvesting again changes nothing.
    let again = report_of(&ok(&indexer(&data, &["harvest", "-c", "eur", "-q"])));
    assert_eq!(again["summary"]["unchanged"], 79);
}
