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
