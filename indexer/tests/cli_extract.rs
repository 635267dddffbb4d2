//! `indexer extract`: the command-line contract (JSON shape, errors) on real PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn corpus_pdf(sub: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(sub);
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs.into_iter()
        .next()
        .expect("a PDF in the bundled corpus")
}

fn extract(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_indexer"))
        .arg("extract")
        .args(args)
        .output()
        .expect("run indexer")
}

#[test]
fn json_has_metadata_and_pages() {
    let pdf = corpus_pdf("vi/texlive-lang-other");
    let out = extract(&[pdf.as_os_str(), "--json".as_ref()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pages = v["pages"].as_array().expect("pages array");
    assert!(!pages.is_empty());
    assert_eq!(v["page_count"].as_u64().unwrap() as usize, pages.len());
    for p in pages {
        assert!(p["text"].is_string() && p["no_text"].is_boolean(), "{p}");
    }
    let all: String = pages.iter().map(|p| p["text"].as_str().unwrap()).collect();
    // A Vietnamese TeX Live manual: Vietnamese text comes out composed (NFC) and readable.
    assert!(all.contains("tiếng Việt"), "no 'tiếng Việt' in the text");
    assert_eq!(v["metadata"]["language"], "vi");
    assert!(v["metadata"]["doc_type"].is_string());
}

#[test]
fn plain_output_lists_pages() {
    let pdf = corpus_pdf("en/r-vignettes");
    let out = extract(&[pdf.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--- page 1 ---"), "{text}");
    assert!(text.contains("language:    en"), "{text}");
}

#[test]
fn unreadable_files_fail_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("not-a.pdf");
    std::fs::write(&fake, b"this is not a PDF at all").unwrap();
    for path in [fake, dir.path().join("missing.pdf")] {
        let out = extract(&[path.as_os_str()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("error: cannot extract") && err.contains(&*path.to_string_lossy()),
            "{err}"
        );
    }
}
