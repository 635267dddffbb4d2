//! `GET /api/suggest`: completions of titles and keywords as the user types.
//!
//! Titles and keywords are not fast fields, so the list of candidates is built once per index
//! generation from the stored documents (in memory: one short string per title and keyword)
//! and rebuilt after a commit. A candidate matches when its folded, lower-cased form has the
//! folded query at the start of a word, so `luan van` suggests `Luận văn thạc sĩ...`.

use std::collections::HashMap;

use indexer::schema::Fields;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::error::AppError;
use crate::text::fold_lower;

/// One suggestion.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub text: String,
    /// `title` or `keyword`.
    pub kind: &'static str,
    /// The document, for titles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Debug)]
struct Entry {
    folded: String,
    text: String,
    kind: &'static str,
    id: Option<String>,
    /// How many documents carry it (keywords repeat).
    weight: u32,
}

/// Candidates of one index generation.
#[derive(Debug, Default)]
pub struct Suggestions {
    entries: Vec<Entry>,
}

/// Longest title kept as a candidate, in characters.
const MAX_CHARS: usize = 200;

impl Suggestions {
    pub fn build(searcher: &Searcher, f: &Fields) -> Result<Suggestions, AppError> {
        let all = searcher.search(&f.works(), &DocSetCollector)?;
        let mut keywords: HashMap<String, (String, u32)> = HashMap::new();
        let mut entries = Vec::new();
        for addr in all {
            let d: TantivyDocument = searcher.doc(addr)?;
            let id = d
                .get_first(f.id)
                .and_then(|v| v.as_str().map(str::to_string));
            if let Some(t) = d.get_first(f.title.exact).and_then(|v| v.as_str()) {
                let t = t.trim();
                if !t.is_empty() && t.chars().count() <= MAX_CHARS {
                    entries.push(Entry {
                        folded: fold_lower(t),
                        text: t.to_string(),
                        kind: "title",
                        id: id.clone(),
                        weight: 1,
                    });
                }
            }
            for k in d.get_all(f.keywords.exact).filter_map(|v| v.as_str()) {
                let k = k.trim();
                if k.is_empty() || k.chars().count() > MAX_CHARS {
                    continue;
                }
                let e = keywords
                    .entry(fold_lower(k))
                    .or_insert_with(|| (k.to_string(), 0));
                e.1 += 1;
            }
        }
        for (folded, (text, weight)) in keywords {
            entries.push(Entry {
                folded,
                text,
                kind: "keyword",
                id: None,
                weight,
            });
        }
        Ok(Suggestions { entries })
    }

    /// Up to `limit` completions of `q`: keywords before titles, more frequent first, then
    /// matches at the very start, then shorter.
    pub fn complete(&self, q: &str, limit: usize) -> Vec<Suggestion> {
        let needle = fold_lower(q.trim());
        let needle = needle.split_whitespace().collect::<Vec<_>>().join(" ");
        if needle.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(bool, u32, usize, &Entry)> = Vec::new();
        for e in &self.entries {
            let Some(pos) = word_start_match(&e.folded, &needle) else {
                continue;
            };
            found.push((pos == 0, e.weight, e.text.len(), e));
        }
        found.sort_by(|a, b| {
            (b.3.kind == "keyword")
                .cmp(&(a.3.kind == "keyword"))
                .then(b.0.cmp(&a.0))
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then_with(|| a.3.text.cmp(&b.3.text))
        });
        let mut seen = std::collections::HashSet::new();
        found
            .into_iter()
            .filter(|f| seen.insert(f.3.folded.clone()))
            .take(limit)
            .map(|(_, _, _, e)| Suggestion {
                text: e.text.clone(),
                kind: e.kind,
                id: e.id.clone(),
            })
            .collect()
    }
}

/// Where `needle` occurs in `hay` at the start of a word (after white space or punctuation).
fn word_start_match(hay: &str, needle: &str) -> Option<usize> {
    let bytes = hay.as_bytes();
    memchr::memmem::find_iter(bytes, needle.as_bytes())
        .find(|&i| i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_folded_word_prefixes() {
        let s = Suggestions {
            entries: vec![
                Entry {
                    folded: fold_lower("Luận văn thạc sĩ quản lý đất đai"),
                    text: "Luận văn thạc sĩ quản lý đất đai".into(),
                    kind: "title",
                    id: Some("a".into()),
                    weight: 1,
                },
                Entry {
                    folded: fold_lower("quản lý"),
                    text: "quản lý".into(),
                    kind: "keyword",
                    id: None,
                    weight: 3,
                },
            ],
        };
        let got: Vec<String> = s
            .complete("quan l", 5)
            .into_iter()
            .map(|x| x.text)
            .collect();
        assert_eq!(got, ["quản lý", "Luận văn thạc sĩ quản lý đất đai"]);
        assert!(s.complete("uan", 5).is_empty(), "not inside words");
        assert!(s.complete("  ", 5).is_empty());
    }
}
