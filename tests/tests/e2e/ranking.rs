//! Ranking in a library that mixes long PDFs with short records, and Vietnamese with English:
//! the bundled corpus, ingested the way `search-server` ingests it on first start, searched
//! through `search_server::search::run`.

use std::sync::OnceLock;

use indexer::data_dir::DataDir;
use indexer::ingest::{self, ProgressMode};
use search_server::search::{self, SearchParams, SearchRequest, SearchResponse};
use search_server::text::fold_lower;
use search_server::AppState;
use tempfile::TempDir;

use crate::server::workspace_root;

/// The bundled corpus in one index (each sub-folder a collection, its PDFs and records).
fn library() -> &'static AppState {
    static LIBRARY: OnceLock<(TempDir, AppState)> = OnceLock::new();
    &LIBRARY
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let data = DataDir::new(tmp.path().join("data"));
            ingest::ingest_corpus_if_empty(
                &data,
                &workspace_root().join("corpus"),
                ProgressMode::Hidden,
            )
            .unwrap()
            .expect("a fresh data directory is ingested");
            let index = indexer::index::open(&data.index_dir()).unwrap();
            let state = AppState::new(index, data, None).unwrap();
            (tmp, state)
        })
        .1
}

fn search(q: &str) -> SearchResponse {
    let params = SearchParams {
        q: Some(q.to_string()),
        limit: Some("10".into()),
        ..Default::default()
    };
    search::run(library(), &SearchRequest::from_params(&params).unwrap()).unwrap()
}

/// The folded text of a hit: title, abstract and pages.
fn folded_text(id: &str) -> String {
    let state = library();
    let d = search_server::documents::get(&state.searcher(), &state.index.fields, id).unwrap();
    let mut text = d.title.clone().unwrap_or_default();
    for part in d.abstract_text.iter().chain(&d.pages) {
        text.push('\n');
        text.push_str(part);
    }
    fold_lower(&text)
}

#[test]
fn machine_learning_typed_either_way_finds_text_about_it() {
    // The bundled d2l-vi records are a machine-learning book; "hoc" is also Latin (the tm
    // vignette quotes it) and "Máy" starts a manual's title. Neither an English stem of a
    // Vietnamese syllable nor one title word may beat a text that says "học máy".
    for q in ["học máy", "hoc may"] {
        let r = search(q);
        assert!(r.total > 0, "{q}");
        for hit in r.hits.iter().take(3) {
            assert!(
                folded_text(&hit.id).contains("hoc may"),
                "{q}: {} ({}) does not say học máy",
                hit.id,
                hit.title
            );
            assert_ne!(hit.lang, "en", "{q}: {}", hit.id);
        }
    }
}

#[test]
fn english_queries_still_find_english_documents_through_stems() {
    // "vignettes" and "packages" reach the tm vignette's "vignette" and "package".
    let r = search("text mining packages vignettes");
    let top = &r.hits[0];
    assert_eq!(
        top.file_name.as_deref(),
        Some("r-cran-tm__tm.pdf"),
        "{:?}",
        r.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
}

#[test]
fn a_long_manual_does_not_crowd_out_the_record_that_answers() {
    // Each d2l record's own opening words, asked of the whole library: the Debian maintainer's
    // guide (a long Vietnamese manual) and the LaTeX books hold most common words somewhere,
    // but the record that says them together must come first.
    let text =
        std::fs::read_to_string(workspace_root().join("corpus/records/d2l-vi.jsonl")).unwrap();
    let mut asked = 0;
    let mut first = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(body) = v["text"].as_str().or(v["abstract"].as_str()) else {
            continue;
        };
        let words: Vec<&str> = body.split_whitespace().take(14).collect();
        if words.len() < 14 {
            continue;
        }
        asked += 1;
        let r = search(&words.join(" "));
        if r.hits.first().map(|h| h.id.as_str()) == v["id"].as_str() {
            first += 1;
        }
    }
    assert!(asked >= 10, "{asked}");
    assert!(
        first * 10 >= asked * 9,
        "{first} of {asked} records first for their own words"
    );
}

#[test]
fn hits_show_the_page_of_their_best_passage() {
    let r = search("gói babel tiếng Việt");
    let hit = r
        .hits
        .iter()
        .find(|h| !h.pages.is_empty())
        .expect("a PDF among the hits");
    // The snippet is cut from a page that matched.
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
}
