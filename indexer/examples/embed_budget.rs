//! How much of a document to embed: vector-only retrieval of bench/relevance's 427 known-item
//! queries over the 292 PDFs of `../shared/corpus`, at several per-document token budgets.
//!
//! ```sh
//! cargo run --release -p indexer --example embed_budget -- MODEL.bin ../shared bench/relevance/known-items
//! ```
//!
//! Every document is embedded once at the largest budget; a smaller budget is the same vectors
//! cut where their running token count passes it (windows come in reading order, so that is
//! what ingestion at that budget would have embedded, up to the last window's cut). A document
//! scores the best cosine of the query with its vectors within the budget. Prints MRR@10 and
//! recall@10 per budget, by language, with the tokens embedded (the ingest cost).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use embed::{Kind, Model};
use indexer::vectors::chunks::{texts_of, EmbedConfig};
use rayon::prelude::*;

const BUDGETS: [usize; 5] = [0, 512, 1024, 2048, 4096];

struct Doc {
    key: String,
    meta_tokens: usize,
    /// (running tokens after this vector, vector); the meta vector first, counted as free
    /// (budget 0 = meta alone).
    vectors: Vec<(usize, Vec<f32>)>,
}

fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, shared, known] = &args[..] else {
        anyhow::bail!("usage: embed_budget MODEL.bin SHARED_DIR KNOWN_ITEMS_DIR");
    };
    let model = Model::load(Path::new(model))?;
    let shared = PathBuf::from(shared);
    let mut files = Vec::new();
    pdfs(&shared.join("corpus"), &mut files);
    files.sort();
    let config = EmbedConfig {
        budget_tokens: *BUDGETS.last().unwrap(),
        ..EmbedConfig::default()
    };
    let t = std::time::Instant::now();
    let texts: Vec<(String, indexer::vectors::Texts)> = files
        .par_iter()
        .filter_map(|p| {
            let doc = indexer::ingest::pdf_source::load_pdf(p).ok()?;
            let key = p.strip_prefix(&shared).ok()?.to_string_lossy().into_owned();
            Some((key, texts_of(&doc, &config, &model)))
        })
        .collect();
    eprintln!("extracted {} PDFs in {:.0?}", texts.len(), t.elapsed());
    let started = std::time::Instant::now();
    let mut docs = Vec::new();
    let mut tokens = 0usize;
    for (i, (key, t)) in texts.iter().enumerate() {
        let all: Vec<&str> = t.all().collect();
        let vectors = if all.is_empty() {
            Vec::new()
        } else {
            model.embed(&all, Kind::Passage)?
        };
        let mut running = 0;
        let mut meta_tokens = 0;
        let mut out = Vec::new();
        for (j, (text, v)) in all.iter().zip(vectors).enumerate() {
            let n = model.count_tokens(text, Kind::Passage).min(512);
            tokens += n;
            if j > 0 || t.meta.is_none() {
                running += n;
            } else {
                meta_tokens = n;
            }
            out.push((running, v));
        }
        docs.push(Doc {
            key: key.clone(),
            meta_tokens,
            vectors: out,
        });
        if i % 20 == 0 {
            eprintln!(
                "embedded {}/{} documents, {:.0} tokens/s",
                i + 1,
                texts.len(),
                tokens as f64 / t_secs(&started)
            );
        }
    }
    eprintln!("embedded {tokens} tokens in {:.0?}", started.elapsed());

    let mut queries = Vec::new();
    for lang in ["vi", "en"] {
        let text = std::fs::read_to_string(Path::new(known).join(format!("{lang}.jsonl")))?;
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let q = v["q"].as_str().unwrap_or_default().to_string();
            let targets: Vec<String> = v["targets"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            queries.push((lang, q, targets));
        }
    }
    let qtexts: Vec<&str> = queries.iter().map(|(_, q, _)| q.as_str()).collect();
    let qvecs = model.embed(&qtexts, Kind::Query)?;
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.as_str(), i))
        .collect();

    println!(
        "{} documents, {} queries; vector-only retrieval, best cosine within the budget",
        docs.len(),
        queries.len()
    );
    println!(
        "{:>8} {:>14} {:>9} {:>9} {:>9} {:>9}",
        "passages", "tokens/doc", "MRR@10", "vi", "en", "R@10"
    );
    for budget in BUDGETS {
        let mut rr = (0.0, 0.0, 0.0);
        let mut n = (0usize, 0usize);
        let mut hits10 = 0usize;
        let spent: usize = docs
            .iter()
            .map(|d| {
                d.meta_tokens
                    + d.vectors
                        .iter()
                        .map(|(r, _)| *r)
                        .filter(|&r| r <= budget)
                        .max()
                        .unwrap_or(0)
            })
            .sum();
        for ((lang, _, targets), q) in queries.iter().zip(&qvecs) {
            let mut scored: Vec<(f32, usize)> = docs
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let best = d
                        .vectors
                        .iter()
                        .filter(|(r, _)| *r <= budget)
                        .map(|(_, v)| v.iter().zip(q).map(|(a, b)| a * b).sum::<f32>())
                        .fold(-1f32, f32::max);
                    (best, i)
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let rank = scored
                .iter()
                .take(10)
                .position(|(_, i)| targets.iter().any(|t| index.get(t.as_str()) == Some(i)));
            let r = rank.map_or(0.0, |p| 1.0 / (p + 1) as f64);
            hits10 += usize::from(rank.is_some());
            rr.0 += r;
            if *lang == "vi" {
                rr.1 += r;
                n.0 += 1;
            } else {
                rr.2 += r;
                n.1 += 1;
            }
        }
        println!(
            "{:>8} {:>14.0} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            if budget == 0 {
                "meta".to_string()
            } else {
                budget.to_string()
            },
            spent as f64 / docs.len() as f64,
            rr.0 / queries.len() as f64,
            rr.1 / n.0.max(1) as f64,
            rr.2 / n.1.max(1) as f64,
            hits10 as f64 / queries.len() as f64
        );
    }
    Ok(())
}

fn t_secs(t: &std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64().max(1e-9)
}
