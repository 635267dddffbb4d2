//! Vietnamese analysis behaviour, measured on real sentences indexed in a real tantivy index.

use std::collections::{HashMap, HashSet};

use e2e_tests::{vi_sentences, Sentence};
use indexer::analysis::{self, EXACT, FOLDED, PAIRS};
use indexer::doc::{DocMetadata, Document, Page};
use indexer::index::{create_in_ram, SearchIndex};
use indexer::index::{work_of, write_document};
use indexer::query::{passage_query, AnalyzedQuery, Weights};
use indexer::schema::Fields;
use indexer::text::{fold::fold, normalize};
use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};
use unicode_normalization::UnicodeNormalization;

const SENTENCES: usize = 4000;

struct Fixture {
    index: SearchIndex,
    searcher: Searcher,
    sentences: Vec<Sentence>,
    /// Lower-cased exact syllables of each sentence, as the index sees them.
    syllables: Vec<Vec<String>>,
}

/// A one-page Vietnamese document holding `text`.
fn vi_doc(id: &str, text: String) -> Document {
    Document {
        id: id.to_string(),
        collection: "vtb".into(),
        metadata: DocMetadata {
            language: Some("vi".into()),
            ..Default::default()
        },
        pages: vec![Page {
            text,
            no_text: false,
            ocr: false,
        }],
        ..Default::default()
    }
}

/// The product's ranking of body text: the passage query (each sentence here is one passage).
fn body_query(fields: &Fields, text: &str) -> Option<Box<dyn Query>> {
    let q = AnalyzedQuery::new(text);
    (!q.is_empty()).then(|| passage_query(fields, &Weights::default(), &q))
}

fn fixture() -> Fixture {
    let sentences = vi_sentences(SENTENCES);
    assert!(
        sentences.len() >= 300,
        "too few sentences: {}",
        sentences.len()
    );
    let index = create_in_ram();
    let mut writer = index.index.writer(50_000_000).unwrap();
    let mut syllables = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let text = normalize(&s.text);
        syllables.push(
            analysis::tokens(EXACT, &text)
                .into_iter()
                .map(|t| t.token)
                .collect(),
        );
        write_document(&writer, &index.fields, &vi_doc(&i.to_string(), text)).unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.index.reader().unwrap().searcher();
    Fixture {
        index,
        searcher,
        sentences,
        syllables,
    }
}

impl Fixture {
    /// Ranked sentence numbers for `query`.
    fn search(&self, query: &str) -> Vec<usize> {
        let Some(q) = body_query(&self.index.fields, query) else {
            return Vec::new();
        };
        let hits = self
            .searcher
            .search(&q, &TopDocs::with_limit(SENTENCES).order_by_score())
            .unwrap();
        hits.into_iter()
            .map(|(_, addr)| self.doc_number(addr))
            .collect()
    }

    fn doc_number(&self, addr: DocAddress) -> usize {
        let work = work_of(&self.searcher, addr).unwrap();
        let doc: TantivyDocument = self.searcher.doc(work).unwrap();
        doc.get_first(self.index.fields.id)
            .and_then(|v| v.as_str())
            .unwrap()
            .parse()
            .unwrap()
    }

    fn has_adjacent(&self, doc: usize, a: &str, b: &str) -> bool {
        self.syllables[doc]
            .windows(2)
            .any(|w| w[0] == a && w[1] == b)
    }
}

/// Share of (preferred, other) pairs in which the preferred document ranks higher.
fn pairwise_order(
    ranking: &[usize],
    preferred: &HashSet<usize>,
    other: &HashSet<usize>,
) -> (usize, usize) {
    let rank: HashMap<usize, usize> = ranking.iter().enumerate().map(|(r, &d)| (d, r)).collect();
    let mut good = 0;
    let mut total = 0;
    for p in preferred {
        for o in other {
            let (Some(rp), Some(ro)) = (rank.get(p), rank.get(o)) else {
                continue;
            };
            total += 1;
            if rp < ro {
                good += 1;
            }
        }
    }
    (good, total)
}

#[test]
fn queries_without_diacritics_find_accented_text() {
    let f = fixture();
    let mut checked = 0;
    let mut seen = HashSet::new();
    for s in &f.sentences {
        for word in &s.words {
            let w = word.join(" ").to_lowercase();
            if word.len() < 2
                || fold(&w) == w
                || !w.chars().all(|c| c.is_alphabetic() || c == ' ')
                || !seen.insert(w.clone())
            {
                continue;
            }
            let folded = fold(&w).into_owned();
            let hits: HashSet<usize> = f.search(&folded).into_iter().collect();
            let syl: Vec<String> = analysis::tokens(EXACT, &w)
                .into_iter()
                .map(|t| t.token)
                .collect();
            for (doc, sy) in f.syllables.iter().enumerate() {
                if sy.windows(syl.len()).any(|win| win == syl.as_slice()) {
                    assert!(
                        hits.contains(&doc),
                        "query {folded:?} misses sentence {doc} containing {w:?}"
                    );
                }
            }
            // The best hit holds the folded syllables adjacent, as typed.
            let top = f.search(&folded)[0];
            let top_folded: Vec<String> = f.syllables[top]
                .iter()
                .map(|t| fold(t).into_owned())
                .collect();
            let want: Vec<String> = folded.split(' ').map(str::to_string).collect();
            assert!(
                top_folded
                    .windows(want.len())
                    .any(|win| win == want.as_slice()),
                "top hit for {folded:?} is {:?}",
                f.sentences[top].text
            );
            checked += 1;
        }
        if checked >= 150 {
            break;
        }
    }
    if f.sentences.iter().all(|s| s.words.is_empty()) {
        // Bundled fallback text has no gold words: check whole folded sentences instead.
        for (i, s) in f.sentences.iter().take(100).enumerate() {
            let hits = f.search(&fold(&s.text));
            assert_eq!(
                hits.first(),
                Some(&i),
                "folded sentence {i} not ranked first"
            );
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} words checked");
}

#[test]
fn exact_diacritics_rank_above_folded_only_matches() {
    let f = fixture();
    // Group the corpus's syllables by folded form: đường, dương, dưỡng → duong.
    let mut docs_of: HashMap<String, HashSet<usize>> = HashMap::new();
    for (doc, sy) in f.syllables.iter().enumerate() {
        for s in sy {
            docs_of.entry(s.clone()).or_default().insert(doc);
        }
    }
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for s in docs_of.keys() {
        if s.chars().all(char::is_alphabetic) {
            groups
                .entry(fold(s).into_owned())
                .or_default()
                .push(s.clone());
        }
    }
    let mut good = 0;
    let mut total = 0;
    let mut queries = 0;
    let mut keys: Vec<_> = groups.keys().cloned().collect();
    keys.sort();
    for key in keys {
        let forms = &groups[&key];
        if forms.len() < 2 {
            continue;
        }
        for form in forms {
            if fold(form) == form.as_str() || docs_of[form].len() < 3 {
                continue;
            }
            let exact_docs = &docs_of[form];
            let folded_only: HashSet<usize> = forms
                .iter()
                .filter(|o| *o != form)
                .flat_map(|o| docs_of[o].iter().copied())
                .filter(|d| !exact_docs.contains(d))
                .collect();
            if folded_only.is_empty() {
                continue;
            }
            let ranking = f.search(form);
            let (g, t) = pairwise_order(&ranking, exact_docs, &folded_only);
            good += g;
            total += t;
            queries += 1;
        }
    }
    assert!(queries >= 50, "only {queries} colliding syllables found");
    let share = good as f64 / total as f64;
    eprintln!("exact-before-folded pairs: {good}/{total} = {share:.4} over {queries} queries");
    assert!(
        share >= 0.99,
        "exact matches ranked first in only {share:.4} of pairs"
    );

    // The product owner's example, when the corpus has both words.
    if docs_of.contains_key("đường") && docs_of.contains_key("dương") {
        let ranking = f.search("đường");
        let only_duong: HashSet<usize> = docs_of["dương"]
            .difference(&docs_of["đường"])
            .copied()
            .collect();
        let (g, t) = pairwise_order(&ranking, &docs_of["đường"], &only_duong);
        assert_eq!(g, t, "đường must rank above dương");
    }
}

#[test]
fn adjacent_syllables_in_order_rank_above_scattered_ones() {
    let f = fixture();
    let mut words: Vec<(String, String)> = f
        .sentences
        .iter()
        .flat_map(|s| s.words.iter())
        .filter(|w| w.len() == 2 && w.iter().all(|s| s.chars().all(char::is_alphabetic)))
        .map(|w| (w[0].to_lowercase(), w[1].to_lowercase()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if words.is_empty() {
        // Bundled fallback: adjacent pairs of the first sentences.
        words = f
            .syllables
            .iter()
            .take(200)
            .filter_map(|s| s.get(..2).map(|p| (p[0].clone(), p[1].clone())))
            .collect();
    }
    words.sort();
    let mut good = 0;
    let mut total = 0;
    let mut queries = 0;
    for (a, b) in words {
        let a = normalize(&a);
        let b = normalize(&b);
        let mut adjacent = HashSet::new();
        let mut scattered = HashSet::new();
        for (doc, sy) in f.syllables.iter().enumerate() {
            if f.has_adjacent(doc, &a, &b) {
                adjacent.insert(doc);
            } else if sy.contains(&a) && sy.contains(&b) {
                scattered.insert(doc);
            }
        }
        if adjacent.is_empty() || scattered.is_empty() {
            continue;
        }
        let ranking = f.search(&format!("{a} {b}"));
        let (g, t) = pairwise_order(&ranking, &adjacent, &scattered);
        good += g;
        total += t;
        queries += 1;
        if queries >= 300 {
            break;
        }
    }
    assert!(
        queries >= 50,
        "only {queries} two-syllable words with scattered occurrences"
    );
    let share = good as f64 / total as f64;
    eprintln!(
        "adjacent-before-scattered pairs: {good}/{total} = {share:.4} over {queries} queries"
    );
    assert!(
        share >= 0.95,
        "adjacent syllables ranked first in only {share:.4} of pairs"
    );
}

/// Rewrites canonical (traditional) tone placement to the "new style": hòa → hoà, thủy → thuỷ.
fn to_new_style(text: &str) -> String {
    let moves: [(&str, &str); 15] = [
        ("òa", "oà"),
        ("óa", "oá"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("òe", "oè"),
        ("óe", "oé"),
        ("ỏe", "oẻ"),
        ("õe", "oẽ"),
        ("ọe", "oẹ"),
        ("ùy", "uỳ"),
        ("úy", "uý"),
        ("ủy", "uỷ"),
        ("ũy", "uỹ"),
        ("ụy", "uỵ"),
    ];
    text.split(' ')
        .map(|w| {
            let mut w = w.to_string();
            for (old, new) in moves {
                if w.ends_with(old) && !w.to_lowercase().starts_with("qu") {
                    w = format!("{}{new}", &w[..w.len() - old.len()]);
                }
            }
            w
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn nfd_and_new_style_text_index_exactly_like_nfc() {
    let sentences = vi_sentences(SENTENCES);
    let mut restyled = 0;
    for s in &sentences {
        let canonical = normalize(&s.text);
        let new_style = to_new_style(&canonical);
        if new_style != canonical {
            restyled += 1;
        }
        let nfd: String = new_style.nfd().collect();
        for name in [EXACT, FOLDED, PAIRS] {
            let want: Vec<(String, usize)> = analysis::tokens(name, &canonical)
                .into_iter()
                .map(|t| (t.token, t.position))
                .collect();
            for variant in [&nfd, &new_style] {
                let got: Vec<(String, usize)> = analysis::tokens(name, variant)
                    .into_iter()
                    .map(|t| (t.token, t.position))
                    .collect();
                assert_eq!(got, want, "{name} differs for {variant:?}");
            }
        }
        assert_eq!(
            normalize(&nfd),
            canonical,
            "normalize(NFD new style) != canonical"
        );
    }
    assert!(
        restyled >= 20,
        "only {restyled} sentences had a tone to move"
    );

    // And in an index: the NFD new-style copy scores exactly like the original.
    let index = create_in_ram();
    let mut writer = index.index.writer(20_000_000).unwrap();
    let sample = sentences
        .iter()
        .find(|s| to_new_style(&normalize(&s.text)) != normalize(&s.text))
        .unwrap();
    for (id, text) in [
        ("nfc", normalize(&sample.text)),
        (
            "nfd",
            to_new_style(&normalize(&sample.text)).nfd().collect(),
        ),
    ] {
        write_document(&writer, &index.fields, &vi_doc(id, text)).unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.index.reader().unwrap().searcher();
    let q = body_query(&index.fields, &sample.text).unwrap();
    let hits = searcher
        .search(&q, &TopDocs::with_limit(2).order_by_score())
        .unwrap();
    assert_eq!(hits.len(), 2);
    assert!(
        (hits[0].0 - hits[1].0).abs() < 1e-4,
        "scores differ: {hits:?}"
    );
}
