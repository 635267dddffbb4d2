//! Inputs the `query_search` fuzz target (`fuzz/`, run by `bench/fuzz/run.sh`) found to crash
//! the search path, kept in `tests/fuzz-regressions/query_search/` and replayed here with the
//! target's checks, over an in-RAM index of the bundled catalogue records (`corpus/records`).
//!
//! Input format (as the target reads it): byte 0 picks the optional parameters, byte 1 the
//! limit and offset, the rest is the query text (lossy UTF-8).

use std::path::{Path, PathBuf};

use indexer::data_dir::DataDir;
use indexer::index::create_in_ram;
use indexer::ingest::records::{self, RecordFields};
use indexer::ingest::IngestError;
use search_server::search::{self, SearchParams, SearchRequest};
use search_server::AppState;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn state() -> AppState {
    let index = create_in_ram();
    let mut writer = index
        .index
        .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
        .unwrap();
    for (file, collection) in [
        ("corpus/records/d2l-vi.jsonl", "d2l"),
        ("corpus/records/vi-manuals.csv", "manuals"),
    ] {
        records::for_each_row::<IngestError>(&workspace().join(file), |_, row| {
            let (fields, _) = RecordFields::from_map(&row.unwrap(), &[]).unwrap();
            let doc = fields.into_document(collection, 0).unwrap();
            indexer::index::write_document(&writer, &index.fields, &doc).unwrap();
            Ok(())
        })
        .unwrap();
    }
    writer.commit().unwrap();
    let data = DataDir::new(std::env::temp_dir().join("fuzz-regressions-unused"));
    AppState::new(index, data, None).unwrap()
}

fn pick(on: bool, v: &str) -> Option<String> {
    on.then(|| v.to_string())
}

/// The parameters the target builds from an input (see `fuzz/fuzz_targets/query_search.rs`).
fn params(flags: u8, sizes: u8, q: &str) -> SearchParams {
    let sort = ["", "relevance", "newest", "oldest"][usize::from(flags & 3)];
    SearchParams {
        q: Some(q.to_string()),
        limit: Some((i32::from(sizes & 0x0f) * 7 - 3).to_string()),
        offset: pick(
            flags & 0x80 != 0,
            &(i32::from(sizes >> 4) * 700 - 100).to_string(),
        ),
        collection: pick(
            flags & 0x04 != 0,
            if flags & 0x40 != 0 { "d2l" } else { "pdfs" },
        ),
        doc_type: pick(
            flags & 0x08 != 0,
            if flags & 0x40 != 0 {
                "book"
            } else {
                "luận văn"
            },
        ),
        lang: pick(
            flags & 0x10 != 0,
            if flags & 0x40 != 0 { "vi" } else { "en" },
        ),
        year_from: pick(flags & 0x20 != 0, "2005"),
        year_to: pick(flags & 0x40 != 0 && flags & 0x20 != 0, "2019"),
        sort: Some(sort.to_string()),
        hl: None,
    }
}

#[test]
fn query_search_inputs() {
    let dir = workspace().join("search-server/tests/fuzz-regressions/query_search");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let state = state();
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let [flags, sizes, rest @ ..] = data.as_slice() else {
            panic!("{}: shorter than the two selector bytes", path.display());
        };
        let q = String::from_utf8_lossy(rest);
        let req = SearchRequest::from_params(&params(*flags, *sizes, &q))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match search::run(&state, &req) {
            Ok(resp) => assert!(resp.hits.len() <= req.limit, "{}", path.display()),
            Err(e) => assert!(
                e.status().is_client_error(),
                "{}: {q:?} failed with {}: {e:?}",
                path.display(),
                e.status()
            ),
        }
    }
}
