//! Turns user text into a tantivy query over the analysed field variants.
//!
//! Every query syllable becomes, in every searchable text group (title, authors, ... body):
//! - a term on the folded field (so `duong` finds `đường` and `dương`);
//! - when the syllable carries diacritics, also a term on the exact field, so documents with
//!   the exact spelling score higher (`đường` above `dương`);
//! - for English stems, a term on the stemmed field (English documents only have one).
//!
//! Every pair of syllables adjacent in the query becomes a term on the pair field, so
//! documents where the syllables are adjacent and in order rank above documents where they are
//! scattered. All clauses are optional (`OR`); BM25 and the weights below do the ranking.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{self, pairs::PAIR_SEPARATOR, EXACT, STEM_EN};
use crate::schema::{Fields, TextFields};
use crate::text::fold::{fold, has_diacritics};

/// Relative weights of the field groups and of the analysed variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub title: f32,
    pub authors: f32,
    pub advisor: f32,
    pub institution: f32,
    pub keywords: f32,
    pub abstract_text: f32,
    pub body: f32,
    /// Added on top of the folded match when the query syllable's diacritics match exactly.
    pub exact: f32,
    pub folded: f32,
    pub pairs: f32,
    pub stem: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            title: 2.5,
            authors: 2.0,
            advisor: 1.0,
            institution: 1.0,
            keywords: 2.0,
            abstract_text: 1.5,
            body: 1.0,
            exact: 1.0,
            folded: 1.0,
            pairs: 1.5,
            stem: 0.7,
        }
    }
}

impl Weights {
    fn group(&self, name: &str) -> f32 {
        match name {
            "title" => self.title,
            "authors" => self.authors,
            "advisor" => self.advisor,
            "institution" => self.institution,
            "keywords" => self.keywords,
            "abstract" => self.abstract_text,
            _ => self.body,
        }
    }
}

/// The analysed form of a query's text, computed once and reused for every field group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalyzedQuery {
    /// Query syllables as indexed in the exact field.
    pub exact: Vec<String>,
    /// The same syllables folded.
    pub folded: Vec<String>,
    /// Folded pairs of syllables adjacent in the query.
    pub pairs: Vec<String>,
    /// English stems.
    pub stems: Vec<String>,
}

impl AnalyzedQuery {
    /// Analyses `text` with the index analyzers.
    pub fn new(text: &str) -> AnalyzedQuery {
        let tokens = analysis::tokens(EXACT, text);
        let mut q = AnalyzedQuery::default();
        let mut prev: Option<(usize, String)> = None;
        for t in &tokens {
            let folded = fold(&t.token).into_owned();
            if let Some((pos, p)) = &prev {
                if t.position == pos + 1 {
                    q.pairs.push(format!("{p}{PAIR_SEPARATOR}{folded}"));
                }
            }
            if prev.as_ref().is_none_or(|(pos, _)| t.position > *pos) {
                prev = Some((t.position, folded.clone()));
            }
            q.exact.push(t.token.clone());
            q.folded.push(folded);
        }
        q.stems = analysis::tokens(STEM_EN, text)
            .into_iter()
            .map(|t| t.token)
            .collect();
        dedup(&mut q.exact);
        dedup(&mut q.folded);
        dedup(&mut q.pairs);
        dedup(&mut q.stems);
        q
    }

    /// True when the query has no searchable token.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
}

fn term(field: Field, text: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
}

/// Builds the ranking query for `text`; `None` when the text has no searchable token.
pub fn text_query(fields: &Fields, weights: &Weights, text: &str) -> Option<Box<dyn Query>> {
    let q = AnalyzedQuery::new(text);
    if q.is_empty() {
        return None;
    }
    Some(analyzed_query(fields, weights, &q))
}

/// Builds the ranking query for an already analysed query.
pub fn analyzed_query(fields: &Fields, weights: &Weights, q: &AnalyzedQuery) -> Box<dyn Query> {
    let mut clauses = Vec::new();
    for (name, group) in fields.text_groups() {
        group_clauses(&mut clauses, &group, weights.group(name), weights, q);
    }
    Box::new(BooleanQuery::new(clauses))
}

fn group_clauses(
    clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    group: &TextFields,
    w: f32,
    weights: &Weights,
    q: &AnalyzedQuery,
) {
    for t in &q.exact {
        if has_diacritics(t) {
            clauses.push(term(group.exact, t, w * weights.exact));
        }
    }
    for t in &q.folded {
        clauses.push(term(group.folded, t, w * weights.folded));
    }
    if let Some(pairs) = group.pairs {
        for p in &q.pairs {
            clauses.push(term(pairs, p, w * weights.pairs));
        }
    }
    if let Some(stem) = group.stem {
        for s in &q.stems {
            clauses.push(term(stem, s, w * weights.stem));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzes_query_variants() {
        let q = AnalyzedQuery::new("Đường thẳng song song");
        assert_eq!(q.exact, ["đường", "thẳng", "song"]);
        assert_eq!(q.folded, ["duong", "thang", "song"]);
        assert_eq!(q.pairs, ["duong thang", "thang song", "song song"]);
        assert!(AnalyzedQuery::new(" ,. ").is_empty());
    }

    #[test]
    fn pairs_skip_clause_breaks_and_joined_compounds() {
        let q = AnalyzedQuery::new("khoa học, COVID-19");
        assert_eq!(q.pairs, ["khoa hoc", "covid 19"]);
    }
}
