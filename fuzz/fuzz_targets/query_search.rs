//! The search path as `GET /api/search` and `GET /api/suggest` run it: raw parameters through
//! `SearchRequest::from_params` (validation), `search::run` (the query parser, query building,
//! facets, sorting, snippets) and the suggestion cache, over a small in-RAM index of real
//! documents from `corpus/` (catalogue records and two PDFs).
//!
//! A user's query may be refused with a 4xx, never answered with a 5xx or a panic.
//!
//! Input: byte 0 picks the optional parameters, byte 1 the limit and offset, the rest is the
//! query text (lossy UTF-8, as a URL-decoded query string is).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use indexer::data_dir::DataDir;
use indexer::doc::{DocType, Document};
use indexer::index::create_in_ram;
use indexer::ingest::{pdf_source, records};
use libfuzzer_sys::fuzz_target;
use search_server::search::query::{self, MAX_ATOMS};
use search_server::search::{self, SearchParams, SearchRequest};
use search_server::AppState;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus");

/// Records (JSONL and CSV) and two PDFs, one Vietnamese and one English, with facet values
/// spread over collections, types and years so filters and sorts have something to do.
fn documents() -> Vec<Document> {
    let corpus = Path::new(CORPUS);
    let mut docs = Vec::new();
    for (file, collection, take) in [
        ("records/d2l-vi.jsonl", "d2l", 12),
        ("records/vi-manuals.csv", "manuals", usize::MAX),
    ] {
        let mut rows = Vec::new();
        records::for_each_row::<indexer::ingest::IngestError>(&corpus.join(file), |_, row| {
            if let Ok(map) = row {
                rows.push(map);
            }
            Ok(())
        })
        .expect("bundled records are readable");
        for map in rows.into_iter().take(take) {
            let (fields, _) = records::RecordFields::from_map(&map, &[]).expect("valid record");
            docs.push(
                fields
                    .into_document(collection, 0)
                    .expect("record document"),
            );
        }
    }
    for (i, (path, year, doc_type)) in [
        (
            "vi/texlive-lang-other/generic__vntex__vn-min.pdf",
            2008,
            DocType::Book,
        ),
        (
            "en/r-vignettes/r-cran-zoo__zoo-design.pdf",
            2019,
            DocType::Article,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = pdf_source::load_pdf(&corpus.join(path)).expect("bundled PDF extracts");
        d.id = format!("pdf~{i}");
        d.collection = "pdfs".into();
        d.metadata.year = Some(year);
        d.metadata.doc_type = doc_type;
        docs.push(d);
    }
    docs
}

fn state() -> &'static AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE.get_or_init(|| {
        let index = create_in_ram();
        let mut writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .expect("RAM index writer");
        for d in documents() {
            indexer::index::write_document(&writer, &index.fields, &d).expect("add");
        }
        writer.commit().expect("commit");
        // Nothing is written through the data directory by searches.
        let data = DataDir::new(std::env::temp_dir().join("vn-scholar-fuzz-unused"));
        AppState::new(index, data, None).expect("state")
    })
}

fn pick<'a>(on: bool, v: &'a str) -> Option<String> {
    on.then(|| v.to_string())
}

fuzz_target!(|data: &[u8]| {
    let (flags, sizes, q) = match data {
        [f, s, rest @ ..] => (*f, *s, String::from_utf8_lossy(rest).into_owned()),
        _ => return,
    };

    let parsed = query::parse(&q);
    let atoms = parsed.positive().count() + parsed.excluded.len();
    assert!(atoms <= MAX_ATOMS, "{atoms} atoms");

    let sort = ["", "relevance", "newest", "oldest"][usize::from(flags & 3)];
    let params = SearchParams {
        q: Some(q.clone()),
        limit: Some(((sizes & 0x0f) as i32 * 7 - 3).to_string()),
        offset: pick(
            flags & 0x80 != 0,
            &((sizes >> 4) as i32 * 700 - 100).to_string(),
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
    };
    let state = state();
    if let Ok(req) = SearchRequest::from_params(&params) {
        match search::run(state, &req) {
            Ok(resp) => {
                assert!(resp.hits.len() <= req.limit);
                assert!(resp.hits.len() <= resp.total.saturating_sub(req.offset));
            }
            Err(e) => assert!(
                e.status().is_client_error(),
                "search {q:?} failed with {}: {e:?}",
                e.status()
            ),
        }
    }

    let suggestions = state.suggestions().expect("suggestions build");
    let _ = suggestions.complete(&q, 8);
});
