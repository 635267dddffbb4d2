//! Speed of the `embed` crate on the texts of bench/embed (JSON lines with `kind` and `text`),
//! printed as one JSON object: what bench/embed/run.sh compares with the package's engine.
//!
//! `cargo run --release -p embed --example embed_bench -- MODEL TEXTS [RUNS]`

use std::time::Instant;

use embed::{source::read_model_bytes, Kind, Model};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (model_path, texts_path) = (&args[1], &args[2]);
    let runs: usize = args.get(3).map_or(5, |r| r.parse().unwrap());
    let started = Instant::now();
    let (bytes, _) = read_model_bytes(model_path.as_ref()).unwrap();
    let model = Model::from_bytes(&bytes, model_path.as_ref()).unwrap();
    drop(bytes);
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let rss_after_load = rss_mb("VmRSS:");

    let rows: Vec<serde_json::Value> = std::fs::read_to_string(texts_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of_kind = |k: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r["kind"] == k)
            .map(|r| r["text"].as_str().unwrap())
            .collect()
    };
    let (passages, queries) = (of_kind("passage"), of_kind("query"));
    let tokens: usize = passages
        .iter()
        .map(|p| model.tokenize(p, Kind::Passage).len())
        .sum();
    model.embed(&passages[..8], Kind::Passage).unwrap(); // warm up
    let t = Instant::now();
    for p in &passages {
        model.tokenize(p, Kind::Passage);
    }
    let tokenize_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut batch = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        model.embed(&passages, Kind::Passage).unwrap();
        batch.push(t.elapsed().as_secs_f64());
    }
    let mut per_query = Vec::new();
    for _ in 0..runs {
        for q in &queries {
            let t = Instant::now();
            model.embed(&[q], Kind::Query).unwrap();
            per_query.push(t.elapsed().as_secs_f64());
        }
    }
    let secs = median(&mut batch);
    let query_ms = median(&mut per_query) * 1000.0;
    let p90 = per_query[(0.9 * (per_query.len() - 1) as f64) as usize] * 1000.0;
    let out = serde_json::json!({
        "engine": "embed (Rust, candle)",
        "threads": std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into()),
        "load_ms": round(load_ms),
        "rss_after_load_mb": round(rss_after_load),
        "passages": passages.len(),
        "passage_tokens": tokens,
        "tokenize_ms": round(tokenize_ms),
        "passages_per_s": round(passages.len() as f64 / secs),
        "tokens_per_s": round(tokens as f64 / secs),
        "query_ms_median": round(query_ms),
        "query_ms_p90": round(p90),
        "rss_mb": round(rss_mb("VmHWM:")),
    });
    println!("{out}");
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn rss_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
