//! What the proximity re-ranking (`search_server::search::proximity`) costs per search: the same
//! questions searched by the same index with the product's weights and with the re-ranking
//! off, in alternating rounds; prints the medians and their ratio.
//!
//! Data: `../shared/corpus` (292 PDFs, ~10,000 pages: long documents, where the re-ranking
//! reads the most positions) and the contexts of the ViRE sets in `../shared/ir/vire-vi` as
//! records; queries: their questions, and the first three syllables of each as a keyword
//! query. The index is built once into `target/bench-proximity` and reused.
//!
//! Run: `cargo bench -p search-server --bench proximity` (SHARED_DIR overrides `../shared`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use indexer::data_dir::DataDir;
use indexer::ingest::records::for_each_row;
use indexer::ingest::{self, AddOptions, IngestError, ProgressMode};
use indexer::query::Weights;
use search_server::search::{self, SearchParams, SearchRequest};
use search_server::AppState;

const SETS: [&str; 4] = ["ViMedAQA_v2", "ALQAC", "ViRHE4QA_v2", "ViRe4MRC_v2"];
const QUESTIONS_PER_SET: usize = 150;
const ROUNDS: usize = 7;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = std::env::var_os("SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    assert!(
        shared.join("corpus").is_dir(),
        "{} not found (set SHARED_DIR)",
        shared.display()
    );
    let out = root.join("target/bench-proximity");
    let data = DataDir::new(out.join("data"));
    let (records, questions) = vire(&shared, &out);
    if !out.join("indexed").exists() {
        let _ = std::fs::remove_dir_all(out.join("data"));
        for (collection, inputs) in [
            ("en", vec![shared.join("corpus/en")]),
            ("vi", vec![shared.join("corpus/vi")]),
            ("vire", vec![records]),
        ] {
            let mut opts = AddOptions::new(collection, inputs);
            opts.progress = ProgressMode::Hidden;
            let report = ingest::add(&data, &opts).expect("ingest");
            eprintln!("{collection}: {} documents added", report.summary.added);
        }
        std::fs::write(out.join("indexed"), "").expect("mark the index built");
    }
    let state = |weights: Weights| {
        let index = indexer::index::open(&data.index_dir()).expect("open the index");
        AppState::with_weights(index, data.clone(), None, weights).expect("state")
    };
    let on = state(Weights::default());
    let off = state(Weights {
        proximity: 0.0,
        lead: 0.0,
        ..Weights::default()
    });
    let mut queries: Vec<String> = questions.clone();
    queries.extend(questions.iter().filter_map(|q| {
        let words: Vec<&str> = q.split_whitespace().take(3).collect();
        (words.len() == 3).then(|| words.join(" "))
    }));
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| {
            SearchRequest::from_params(&SearchParams {
                q: Some(q.clone()),
                ..SearchParams::default()
            })
            .expect("valid request")
        })
        .collect();
    // Warm-up: every stored document the hits need is cached by both states.
    let pass = |s: &AppState| {
        let t = Instant::now();
        for r in &requests {
            search::run(s, r).expect("search");
        }
        t.elapsed().as_secs_f64() * 1e3 / requests.len() as f64
    };
    pass(&on);
    pass(&off);
    let (mut t_on, mut t_off) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which goes first, so neither always runs on a warmer machine.
        if round % 2 == 0 {
            t_on.push(pass(&on));
            t_off.push(pass(&off));
        } else {
            t_off.push(pass(&off));
            t_on.push(pass(&on));
        }
    }
    let (m_on, m_off) = (median(&mut t_on), median(&mut t_off));
    println!(
        "{} queries ({} questions, {} keyword queries), {ROUNDS} alternating rounds, medians:",
        requests.len(),
        questions.len(),
        requests.len() - questions.len()
    );
    println!("  proximity re-ranking on:  {m_on:.3} ms per search (top-10 page, facets, snippets)");
    println!("  proximity re-ranking off: {m_off:.3} ms per search");
    println!("  ratio on/off: {:.2}x", m_on / m_off);
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Writes the deduplicated contexts of the ViRE sets as one JSONL record file and returns it
/// with the first questions of each set.
fn vire(shared: &Path, out: &Path) -> (PathBuf, Vec<String>) {
    std::fs::create_dir_all(out).expect("create the bench dir");
    let path = out.join("vire.jsonl");
    let mut lines = String::new();
    let mut seen = std::collections::HashSet::new();
    let mut questions = Vec::new();
    for set in SETS {
        let csv = shared.join("ir/vire-vi").join(format!("{set}.csv"));
        let mut n = 0;
        for_each_row::<IngestError>(&csv, |line, row| {
            let row = row.map_err(|reason| IngestError::Record {
                path: csv.clone(),
                line,
                reason,
            })?;
            let text = |k: &str| row.get(k).and_then(|v| v.as_str()).unwrap_or("").trim();
            let (context, question) = (text("context"), text("question"));
            if context.is_empty() || question.is_empty() {
                return Ok(());
            }
            if seen.insert(context.to_string()) {
                let id = format!("{set}-{}", seen.len());
                let rec = serde_json::json!({"id": id, "text": context});
                lines.push_str(&rec.to_string());
                lines.push('\n');
            }
            if n < QUESTIONS_PER_SET {
                questions.push(question.to_string());
                n += 1;
            }
            Ok(())
        })
        .expect("read the ViRE set");
    }
    std::fs::write(&path, lines).expect("write the records");
    (path, questions)
}
