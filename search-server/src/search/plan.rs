//! A request turned into tantivy queries (`Plan`), in two parts:
//! - *constraints* decide what matches: every group of the parsed query must match (a word on
//!   any folded field of its scope, a phrase as a `PhraseQuery` on folded fields), excluded
//!   words and phrases must not, and the filters (collection, doc_type, lang, years) hold.
//!   They are wrapped in `ConstScoreQuery(0)` so they do not distort the ranking;
//! - *ranking*: `indexer::query::analyzed_query` over the positive words (folded everywhere,
//!   exact diacritics and adjacent pairs boosted), plus phrase boosts on the title, abstract and
//!   body (exact-diacritic phrases boosted again).
//!
//! Plain words are all required in a keyword query and any of them in a question or a longer
//! one ([`Matching`]); each filter can be left out for its facet's counts.

use std::ops::Bound;

use indexer::analysis::{self, EXACT, FOLDED};
use indexer::query::{analyzed_query, AnalyzedQuery};
use indexer::schema::Fields;
use indexer::text::fold::has_diacritics;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::excluded::Excluded;
use super::facets::Facet;
use super::params::SearchRequest;
use super::query::{self, Atom, ParsedQuery, Scope};
use super::snippets;
use crate::state::AppState;

/// Builds tantivy queries for one request.
struct Builder<'a> {
    fields: &'a Fields,
    weights: &'a indexer::query::Weights,
}

fn term_q(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.pop().expect("one");
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn all_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.pop().expect("one");
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// Tokens of a phrase, one per position (a joined hyphen compound shares its first part's
/// position and is dropped: the parts already say it).
fn phrase_tokens(analyzer: &str, text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut base = None;
    for t in analysis::tokens(analyzer, text) {
        let b = *base.get_or_insert(t.position);
        let pos = t.position - b;
        if out.last().is_some_and(|(p, _)| *p >= pos) {
            continue;
        }
        out.push((pos, t.token));
    }
    out
}

fn phrase_or_term(field: Field, tokens: &[(usize, String)]) -> Box<dyn Query> {
    if tokens.len() == 1 {
        return term_q(field, &tokens[0].1);
    }
    Box::new(PhraseQuery::new_with_offset(
        tokens
            .iter()
            .map(|(p, t)| (*p, Term::from_field_text(field, t)))
            .collect(),
    ))
}

impl Builder<'_> {
    fn folded_fields(&self, scope: Scope) -> Vec<Field> {
        match scope {
            Scope::Title => vec![self.fields.title.folded],
            Scope::Author => vec![self.fields.authors.folded, self.fields.advisor.folded],
            Scope::Any => self
                .fields
                .text_groups()
                .iter()
                .map(|(_, g)| g.folded)
                .collect(),
        }
    }

    fn phrase_fields(&self, scope: Scope) -> Vec<(f32, indexer::schema::TextFields)> {
        let f = self.fields;
        let w = self.weights;
        match scope {
            Scope::Title => vec![(w.title, f.title)],
            Scope::Author => vec![(w.authors, f.authors), (w.advisor, f.advisor)],
            Scope::Any => vec![
                (w.title, f.title),
                (w.keywords, f.keywords),
                (w.abstract_text, f.abstract_text),
                (w.body, f.body),
            ],
        }
    }

    /// What must hold for `atom` to match; `None` when it has no token.
    fn matcher(&self, atom: &Atom) -> Option<Box<dyn Query>> {
        match atom {
            Atom::Word { scope, text } => {
                let toks = analysis::tokens(FOLDED, text);
                if toks.is_empty() {
                    return None;
                }
                let fields = self.folded_fields(*scope);
                let per_token: Vec<Box<dyn Query>> = toks
                    .iter()
                    .map(|t| any_of(fields.iter().map(|f| term_q(*f, &t.token)).collect()))
                    .collect();
                Some(all_of(per_token))
            }
            Atom::Phrase { scope, text } => {
                let toks = phrase_tokens(FOLDED, text);
                if toks.is_empty() {
                    return None;
                }
                let qs = self
                    .phrase_fields(*scope)
                    .into_iter()
                    .map(|(_, g)| phrase_or_term(g.folded, &toks))
                    .collect();
                Some(any_of(qs))
            }
        }
    }

    /// Extra score for phrases: the phrase on folded fields, and on exact fields when typed
    /// with diacritics, weighted like the field groups.
    fn phrase_boosts(&self, atom: &Atom, out: &mut Vec<(Occur, Box<dyn Query>)>) {
        let Atom::Phrase { scope, text } = atom else {
            return;
        };
        let folded = phrase_tokens(FOLDED, text);
        if folded.len() < 2 {
            return;
        }
        let exact = has_diacritics(text).then(|| phrase_tokens(EXACT, text));
        for (w, g) in self.phrase_fields(*scope) {
            out.push((
                Occur::Should,
                Box::new(BoostQuery::new(phrase_or_term(g.folded, &folded), w * 2.0)),
            ));
            if let Some(ex) = &exact {
                out.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        phrase_or_term(g.exact, ex),
                        w * 2.0 * self.weights.exact,
                    )),
                ));
            }
        }
    }
}

/// Filters of a request, each removable for its facet's counts.
#[derive(Debug, Clone, Default)]
pub(super) struct Filters {
    collection: Option<String>,
    doc_type: Option<String>,
    lang: Option<String>,
    years: Option<(i32, i32)>,
}

impl Filters {
    pub(super) fn active(&self, f: Facet) -> bool {
        match f {
            Facet::Collection => self.collection.is_some(),
            Facet::DocType => self.doc_type.is_some(),
            Facet::Lang => self.lang.is_some(),
            Facet::Year => self.years.is_some(),
        }
    }

    fn clauses(&self, fields: &Fields, without: Option<Facet>) -> Vec<Box<dyn Query>> {
        let mut out = Vec::new();
        if without != Some(Facet::Collection) {
            if let Some(c) = &self.collection {
                out.push(term_q(fields.collection, c));
            }
        }
        if without != Some(Facet::DocType) {
            if let Some(c) = &self.doc_type {
                out.push(term_q(fields.doc_type, c));
            }
        }
        if without != Some(Facet::Lang) {
            if let Some(c) = &self.lang {
                out.push(term_q(fields.lang, c));
            }
        }
        if without != Some(Facet::Year) {
            if let Some((a, b)) = self.years {
                out.push(Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(fields.year, i64::from(a))),
                    Bound::Included(Term::from_field_i64(fields.year, i64::from(b))),
                )));
            }
        }
        out
    }
}

/// A request turned into query parts.
pub(super) struct Plan {
    pub(super) parsed: ParsedQuery,
    /// Text constraints (groups and exclusions), unscored.
    pub(super) constraints: Vec<(Occur, Box<dyn Query>)>,
    /// Scoring clauses.
    pub(super) ranking: Vec<(Occur, Box<dyn Query>)>,
    pub(super) filters: Filters,
    pub(super) terms: Vec<String>,
    /// How many groups are plain words (see [`Matching`]).
    pub(super) relaxable: usize,
    pub(super) matching: Matching,
    /// The positive words as the ranking analysed them.
    pub(super) analyzed: AnalyzedQuery,
}

/// Plain words (no quotes, prefix or `OR`): the only groups [`Matching::AnyWord`] relaxes.
fn is_plain(group: &[Atom]) -> bool {
    matches!(
        group,
        [Atom::Word {
            scope: Scope::Any,
            ..
        }]
    )
}

/// Most plain words (syllables) a query may have for all of them to be required.
///
/// A short keyword query (`luận văn thạc sĩ`, `deep learning`) means "every word"; a longer one
/// is usually a question or a pasted sentence (`chiếm đoạt di vật của tử sĩ bị phạt tù bao nhiêu
/// năm`), whose relevant documents rarely hold every word (question words, particles) while
/// some irrelevant one may hold them all, scattered. Measured on the ViRE question sets
/// (bench/relevance): requiring all words of a question loses the right answer for most of
/// them.
pub const MAX_STRICT_WORDS: usize = indexer::query::KEYWORD_SYLLABLES;

/// How plain words constrain the results.
///
/// Short queries require every word ([`Matching::AllWords`]), and are run again with
/// [`Matching::AnyWord`] when no document has them all; longer queries and questions (ending
/// with `?` or holding question words: `suy giáp là gì`) use [`Matching::AnyWord`] from the
/// start (see [`MAX_STRICT_WORDS`]). With `AnyWord`, documents
/// need one of the words and the ranking (BM25 over the exact, folded and pair fields) puts
/// those that cover the most, and the rarest, words in order first. Phrases,
/// `title:`/`author:` words, `OR` groups and exclusions stay strict in both modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    AllWords,
    AnyWord,
}

/// How many groups of `parsed` are plain words with something to search.
fn plain_words(parsed: &ParsedQuery) -> usize {
    parsed
        .groups
        .iter()
        .filter(|g| is_plain(g) && !analysis::tokens(FOLDED, g[0].text()).is_empty())
        .count()
}

/// The text constraints of `parsed` under `matching`.
fn constraints(
    b: &Builder<'_>,
    parsed: &ParsedQuery,
    analyzed: &AnalyzedQuery,
    matching: Matching,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut constraints: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    for group in &parsed.groups {
        let qs: Vec<Box<dyn Query>> = group.iter().filter_map(|a| b.matcher(a)).collect();
        if qs.is_empty() {
            continue;
        }
        if !(is_plain(group) && matching == Matching::AnyWord) {
            constraints.push((Occur::Must, any_of(qs)));
        } else if analysis::tokens(FOLDED, group[0].text())
            .iter()
            .any(|t| analyzed.folded.contains(&t.token))
        {
            // Question words only make a question (not in `analyzed`): they need not match.
            optional.push(any_of(qs));
        }
    }
    if !optional.is_empty() {
        constraints.push((Occur::Must, any_of(optional)));
    }
    for atom in &parsed.excluded {
        if let Some(q) = b.matcher(atom) {
            constraints.push((Occur::MustNot, Box::new(Excluded(q))));
        }
    }
    constraints
}

impl Plan {
    /// Parses and analyses the request once. Plain words are all required in a keyword query,
    /// any of them in a question or a longer query (see [`Matching`]).
    pub(super) fn new(state: &AppState, req: &SearchRequest) -> Plan {
        let fields = &state.index.fields;
        let b = Builder {
            fields,
            weights: &state.weights,
        };
        let parsed = query::parse(&req.q);
        let text: Vec<&str> = parsed.positive().map(Atom::text).collect();
        let analyzed = AnalyzedQuery::new(&text.join(" "));
        let relaxable = plain_words(&parsed);
        let matching = if relaxable > MAX_STRICT_WORDS || analyzed.question {
            Matching::AnyWord
        } else {
            Matching::AllWords
        };
        let constraints = constraints(&b, &parsed, &analyzed, matching);
        let mut ranking: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !analyzed.is_empty() {
            ranking.push((
                Occur::Should,
                analyzed_query(fields, &state.weights, &analyzed),
            ));
        }
        for atom in parsed.positive() {
            b.phrase_boosts(atom, &mut ranking);
        }
        let years = match (parsed.years, req.year_from, req.year_to) {
            (None, None, None) => None,
            (q, from, to) => {
                let (mut a, mut z) = q.unwrap_or((i32::MIN, i32::MAX));
                a = a.max(from.unwrap_or(i32::MIN));
                z = z.min(to.unwrap_or(i32::MAX));
                Some((a, z))
            }
        };
        let filters = Filters {
            collection: req.collection.clone(),
            doc_type: req.doc_type.clone(),
            lang: req.lang.clone(),
            years,
        };
        let terms = snippets::query_terms(parsed.positive().map(Atom::text));
        Plan {
            parsed,
            constraints,
            ranking,
            filters,
            terms,
            relaxable,
            matching,
            analyzed,
        }
    }

    /// Switches to [`Matching::AnyWord`]: only the text constraints change.
    pub(super) fn relax(&mut self, state: &AppState) {
        let b = Builder {
            fields: &state.index.fields,
            weights: &state.weights,
        };
        self.matching = Matching::AnyWord;
        self.constraints = constraints(&b, &self.parsed, &self.analyzed, self.matching);
    }

    /// The query with every filter except `without`.
    pub(super) fn query(&self, fields: &Fields, without: Option<Facet>) -> Box<dyn Query> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (occur, q) in &self.constraints {
            must.push((*occur, q.box_clone()));
        }
        for f in self.filters.clauses(fields, without) {
            must.push((Occur::Must, f));
        }
        if !must.iter().any(|(o, _)| *o == Occur::Must) {
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        let filter: Box<dyn Query> =
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(must)), 0.0));
        if self.ranking.is_empty() {
            // Listing without words: every match scores the same, order comes from the sort.
            return Box::new(ConstScoreQuery::new(filter, 1.0));
        }
        let mut clauses = vec![(Occur::Must, filter)];
        for (o, q) in &self.ranking {
            clauses.push((*o, q.box_clone()));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
