//! Helpers shared by the end-to-end tests: where the workspace and the shared data are, and real
//! Vietnamese text to test with.
//!
//! Tests read `../shared` (beside the checkout) when it exists, as it does on developer machines
//! and in CI; on a bare clone they fall back to the text bundled in `tests/data`, so they still
//! test real text instead of silently passing.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests crate lives in the workspace")
        .to_path_buf()
}

/// The read-only `shared/` data folder beside the checkout, when present.
pub fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SHARED_DIR") {
        let p = PathBuf::from(dir);
        return p.is_dir().then_some(p);
    }
    let p = workspace_root().join("../shared");
    p.is_dir().then_some(p)
}

/// A sentence with its gold word segmentation (words are lists of syllables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    /// Words of the gold segmentation; empty when the source has none.
    pub words: Vec<Vec<String>>,
}

/// Real Vietnamese sentences: the UD Vietnamese-VTB treebank with its gold segmentation when
/// `../shared` is there, else the paragraphs of the bundled d2l-vi sample (no segmentation).
pub fn vi_sentences(limit: usize) -> Vec<Sentence> {
    if let Some(shared) = shared_dir() {
        let path = shared.join("vi_seg/UD_Vietnamese-VTB/vi_vtb-ud-train.seg_underscore.txt");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(limit)
                .map(|line| {
                    let words: Vec<Vec<String>> = line
                        .split_whitespace()
                        .map(|w| w.split('_').map(str::to_string).collect())
                        .collect();
                    Sentence {
                        text: line.replace('_', " "),
                        words,
                    }
                })
                .collect();
        }
    }
    d2l_paragraphs()
        .into_iter()
        .take(limit)
        .map(|text| Sentence {
            text,
            words: Vec::new(),
        })
        .collect()
}

/// Prose paragraphs of the bundled d2l-vi sample (code blocks and markup lines dropped).
pub fn d2l_paragraphs() -> Vec<String> {
    let mut files = Vec::new();
    collect_md(&workspace_root().join("tests/data/d2l-vi"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut in_code = false;
        for line in text.lines() {
            let t = line.trim();
            if t.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code
                || t.is_empty()
                || t.starts_with(['#', ':', '!', '|', '$', '<', '*', '=', '&'])
                || t.contains('\\')
            {
                continue;
            }
            // Prose only: formulas and code have no Vietnamese letters.
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            let vietnamese = t
                .chars()
                .filter(|c| c.is_alphabetic() && !c.is_ascii())
                .count();
            if letters > 40 && vietnamese * 10 >= letters {
                out.push(t.to_string());
            }
        }
    }
    out
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_md(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}
