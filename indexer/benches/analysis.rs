//! Throughput of the whole Vietnamese analysis chain against tantivy's default analyzer on the
//! same real Vietnamese text (the d2l-vi sample in `tests/data/d2l-vi`, CC BY-SA 4.0).
//!
//! "Full chain" is what indexing one text field costs: normalisation (NFC, invisible
//! characters, ligatures, white space, tone placement) then the exact, folded and pair
//! analyzers. Run with `cargo bench -p indexer --bench analysis`, or `bench/analysis/run.sh`
//! for the ratio.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use indexer::analysis::{self, EXACT, FOLDED, PAIRS};
use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

fn sample() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/d2l-vi");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut text = String::new();
    for f in files {
        text.push_str(&std::fs::read_to_string(&f).expect("read sample"));
        text.push('\n');
    }
    assert!(text.len() > 100_000, "sample too small: {}", text.len());
    text
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read sample dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        n += stream.token().text.len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let text = sample();
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);

    let mut default = TokenizerManager::default()
        .get("default")
        .expect("default analyzer");
    group.bench_function("tantivy_default", |b| {
        b.iter(|| count_tokens(&mut default, black_box(&text)))
    });

    let mut exact = analysis::analyzer(EXACT).expect("exact");
    let mut folded = analysis::analyzer(FOLDED).expect("folded");
    let mut pairs = analysis::analyzer(PAIRS).expect("pairs");
    group.bench_function("vietnamese_full_chain", |b| {
        b.iter(|| {
            let normalized = indexer::text::normalize_cow(black_box(&text));
            count_tokens(&mut exact, &normalized)
                + count_tokens(&mut folded, &normalized)
                + count_tokens(&mut pairs, &normalized)
        })
    });
    group.bench_function("vietnamese_exact_only", |b| {
        b.iter(|| count_tokens(&mut exact, black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
