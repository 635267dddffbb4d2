//! The OAI-PMH provider harvested by a client we did not write: pyoai (PyPI `pyoai`, run by
//! `tests/py/pyoai_client.py` in the virtual environment `.ci/run` makes at
//! `target/py-venv`, or the Python named by `OAI_PYTHON`), against the real `search-server`
//! binary over the bundled corpus, 5 records a page so that pyoai follows resumption tokens.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::server::{workspace_root, RunningServer};

const REPO: &str = "thuvien.example.vn";

/// The Python with pyoai, or `None` (after saying why) when it is missing outside CI.
pub(crate) fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("OAI_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/py-venv/bin/python"));
    let works = Command::new(&candidate)
        .args(["-c", "import oaipmh.client"])
        .status()
        .is_ok_and(|s| s.success());
    if works {
        return Some(candidate);
    }
    let msg = format!(
        "OAI-PMH client tests need pyoai in {} (run .ci/run, or set OAI_PYTHON)",
        candidate.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

fn pyoai(python: &PathBuf, server: &RunningServer, args: &[&str]) -> Value {
    pyoai_at(python, &format!("http://{}/oai", server.addr), args)
}

/// pyoai's client against the repository at `base_url`; its JSON answer.
pub(crate) fn pyoai_at(python: &PathBuf, base_url: &str, args: &[&str]) -> Value {
    let out = Command::new(python)
        .arg(workspace_root().join("tests/py/pyoai_client.py"))
        .arg(base_url)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "pyoai {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn start(data: &std::path::Path) -> RunningServer {
    RunningServer::start(data, &["--oai-repository-id", REPO, "--oai-page-size", "5"])
}

fn ids(records: &Value) -> Vec<String> {
    records["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identifier"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pyoai_harvests_the_whole_library() {
    let Some(py) = python() else { return };
    let root = std::env::temp_dir().join(format!("e2e-oai-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let data = root.join("data");
    let mut server = start(&data);
    let documents = server.get("/health").json()["documents"].as_u64().unwrap() as usize;
    assert!(documents > 10, "the bundled corpus spans several pages");

    let id = pyoai(&py, &server, &["identify"]);
    assert_eq!(id["protocolVersion"], "2.0");
    assert_eq!(id["deletedRecord"], "persistent");
    assert_eq!(id["granularity"], "YYYY-MM-DDThh:mm:ssZ");
    assert_eq!(id["baseURL"], format!("http://{}/oai", server.addr));

    // Every document once, through pyoai's own token handling.
    let all = pyoai(&py, &server, &["harvest", "oai_dc"]);
    let harvested = ids(&all);
    let mut unique = harvested.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), harvested.len(), "no record twice");
    assert_eq!(harvested.len(), documents);
    for r in all["records"].as_array().unwrap() {
        let id = r["identifier"].as_str().unwrap();
        let local = id.strip_prefix(&format!("oai:{REPO}:")).expect(id);
        // The record's first identifier is the document's page here, which exists.
        let page = r["metadata"]["identifier"][0].as_str().unwrap();
        assert!(page.ends_with(&format!("/doc/{}", local)), "{page}");
        let doc = server.get(&format!("/api/documents/{local}")).json();
        assert_eq!(doc["id"], local);
        assert_eq!(r["metadata"]["title"][0], doc["title"], "{id}");
    }

    // Sets are the collections, with their documents.
    let sets = pyoai(&py, &server, &["sets"]);
    let collections = server.get("/api/collections").json();
    let names: Vec<&str> = sets["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    for c in collections.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        assert!(names.contains(&name), "{name} in {names:?}");
        let in_set = pyoai(&py, &server, &["harvest", "oai_dc", name]);
        assert_eq!(
            ids(&in_set).len() as u64,
            c["documents"].as_u64().unwrap(),
            "set {name}"
        );
        assert!(in_set["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["sets"][0] == name));
    }

    // Dates: from the first datestamp on is everything, until a day long past is nothing.
    let first = all["records"][0]["datestamp"].as_str().unwrap().to_string();
    let since = pyoai(&py, &server, &["harvest", "oai_dc", "", &first[..10]]);
    assert_eq!(ids(&since).len(), documents);
    let past = pyoai(&py, &server, &["harvest", "oai_dc", "", "", "1999-12-31"]);
    assert!(ids(&past).is_empty());

    let one = pyoai(&py, &server, &["get", &harvested[0], "oai_dc"]);
    assert_eq!(one["identifier"], harvested[0].as_str());

    // The protocol's errors, as pyoai names them.
    for (args, error) in [
        (vec!["Harvest"], "BadVerbError"),
        (vec!["ListRecords"], "BadArgumentError"),
        (
            vec![
                "ListRecords",
                "metadataPrefix=oai_dc",
                "from=2020-01-01",
                "until=2021-01-01T00:00:00Z",
            ],
            "BadArgumentError",
        ),
        (
            vec!["ListRecords", "metadataPrefix=marc21"],
            "CannotDisseminateFormatError",
        ),
        (
            vec![
                "GetRecord",
                "metadataPrefix=oai_dc",
                "identifier=oai:thuvien.example.vn:nope",
            ],
            "IdDoesNotExistError",
        ),
        (
            vec!["ListIdentifiers", "resumptionToken=zz"],
            "BadResumptionTokenError",
        ),
        (
            vec![
                "ListIdentifiers",
                "metadataPrefix=oai_dc",
                "from=2999-01-01",
            ],
            "NoRecordsMatchError",
        ),
        (vec!["Identify"], ""),
    ] {
        let mut a = vec!["error"];
        a.extend(args.iter().copied());
        assert_eq!(pyoai(&py, &server, &a)["error"], error, "{args:?}");
    }

    // A token of the first page, the server restarted, the list resumed with it.
    let page = server.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc");
    let body = String::from_utf8(page.body).unwrap();
    let token = body
        .split("<resumptionToken")
        .nth(1)
        .and_then(|t| t.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .unwrap()
        .to_string();
    let first_page: Vec<String> = body
        .split("<identifier>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(first_page.len(), 5);
    server.stop();
    let server = start(&data);
    let rest = pyoai(&py, &server, &["resume", "ListIdentifiers", &token]);
    let mut resumed = first_page;
    resumed.extend(
        rest["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string()),
    );
    assert_eq!(resumed, harvested);
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}
