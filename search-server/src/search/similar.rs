//! "More like this": documents sharing the most distinctive folded terms of a document's title,
//! keywords, abstract and first pages.
//!
//! tantivy's `MoreLikeThisQuery` would analyse stored values with the field's analyzer, but our
//! stored text lives in the exact fields while the folded variants are not stored; picking the
//! terms here lets them be folded (so `học` and `hoc` count once) and weighted by where they
//! came from.

use std::collections::HashMap;

use indexer::analysis::{self, FOLDED};
use indexer::query::stats::idf;
use indexer::schema::Unit;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::hits::Hit;
use super::snippets;
use crate::documents::{self, StoredDoc};
use crate::error::AppError;
use crate::state::AppState;

/// Terms kept from the source document.
const TERMS: usize = 25;
/// Characters read from the first pages.
const BODY_CHARS: usize = 20_000;

fn weighted_terms(searcher: &Searcher, state: &AppState, d: &StoredDoc) -> Vec<(String, f32)> {
    let f = &state.index.fields;
    let mut tf: HashMap<String, f32> = HashMap::new();
    let mut add = |text: &str, w: f32| {
        for t in analysis::tokens(FOLDED, text) {
            // One- and two-letter syllables are too common to tell documents apart.
            if t.token.chars().count() > 2 && !t.token.chars().all(|c| c.is_ascii_digit()) {
                *tf.entry(t.token).or_default() += w;
            }
        }
    };
    if let Some(t) = &d.title {
        add(t, 3.0);
    }
    for k in &d.keywords {
        add(k, 2.0);
    }
    if let Some(a) = &d.abstract_text {
        add(a, 1.5);
    }
    let mut budget = BODY_CHARS;
    for p in &d.pages {
        if budget == 0 {
            break;
        }
        let cut: String = p.chars().take(budget).collect();
        budget = budget.saturating_sub(cut.chars().count());
        add(&cut, 1.0);
    }
    // Works only (passages are units of ranking, not documents).
    let n = state
        .corpus_stats(searcher)
        .map_or(1, |s| s.units(Unit::Work))
        .max(1);
    let mut scored: Vec<(String, f32)> = tf
        .into_iter()
        .filter_map(|(term, tf)| {
            // `text_folded` holds every text of a work, the title too.
            let df = searcher
                .doc_freq(&Term::from_field_text(f.text_folded, &term))
                .unwrap_or(0)
                .min(n);
            // Terms in most documents say nothing about this one.
            if df as f32 > n as f32 * 0.3 && n > 20 {
                return None;
            }
            Some((term, (1.0 + tf.ln()) * idf(df, n)))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(TERMS);
    scored
}

/// Up to `limit` documents like the one with `id` (never itself).
pub fn similar(state: &AppState, id: &str, limit: usize) -> Result<Vec<Hit>, AppError> {
    let searcher = state.searcher();
    let f = &state.index.fields;
    let d = documents::get(&searcher, f, id)?;
    let terms = weighted_terms(&searcher, state, &d);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (t, w) in &terms {
        for (field, fw) in [
            (f.title.folded, 2.0),
            (f.keywords.folded, 1.5),
            (f.abstract_text.folded, 1.2),
            (f.text_folded, 1.0),
        ] {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    )),
                    w * fw,
                )),
            ));
        }
    }
    clauses.push((
        Occur::MustNot,
        Box::new(TermQuery::new(
            Term::from_field_text(f.id, &d.id),
            IndexRecordOption::Basic,
        )),
    ));
    let q = BooleanQuery::new(clauses);
    let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
    let mut out = Vec::new();
    for (score, addr) in top {
        let s = documents::load(&searcher, f, addr)?;
        out.push(Hit {
            id: s.id.clone(),
            title: s.display_title(),
            title_is_file_name: s.title_is_file_name(),
            authors: s.authors.clone(),
            year: s.year,
            doc_type: s.doc_type.clone(),
            collection: s.collection.clone(),
            lang: s.lang.clone(),
            file_name: s.file_name.clone(),
            score,
            snippet: snippets::lead(
                s.abstract_text
                    .as_deref()
                    .or_else(|| {
                        s.pages
                            .iter()
                            .map(String::as_str)
                            .find(|p| !p.trim().is_empty())
                    })
                    .unwrap_or(""),
                200,
            ),
            pages: Vec::new(),
        });
    }
    Ok(out)
}
