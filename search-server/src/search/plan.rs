//! A request turned into tantivy queries (`Plan`), in three parts:
//! - *constraints* decide which works match: every strict group of the parsed query must match
//!   (a phrase as a `PhraseQuery`, a `title:`/`author:` word, an `OR` group), at least one plain
//!   word must, excluded words and phrases must not, and the filters (collection, doc_type,
//!   lang, years) hold. Words and phrases of any field match on `text_folded`, which holds
//!   every text of a work. They are wrapped in `ConstScoreQuery(0)`;
//! - *coverage*: for every query word, a constant score of its IDF when the work holds it
//!   anywhere, so the works pass scores each match with the share of the query it covers (the
//!   soft AND of [`super::units`]);
//! - *ranking* of units: `indexer::query::meta_query` over the metadata of work units and
//!   `passage_query` over passages (folded everywhere, exact diacritics and adjacent pairs
//!   boosted, stems for queries that are not Vietnamese), plus phrase boosts on the title,
//!   keywords and passages (exact-diacritic phrases boosted again). Each part is
//!   weighted with the library's shared statistics (`indexer::query::stats`: one IDF per word).
//!
//! Plain words are never all required: a work missing one falls behind those that have them
//! all, by how much the missing word weighs, but stays in the results (no cliff). Each filter
//! can be left out for its facet's counts.

use std::ops::Bound;
use std::sync::Arc;

use indexer::analysis::{self, EXACT, FOLDED};
use indexer::query::stats::{idf, CorpusStats, Scoped};
use indexer::query::{meta_query, passage_query, AnalyzedQuery, Variant};
use indexer::schema::{Fields, TextFields, Unit};
use indexer::text::fold::has_diacritics;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::excluded::Excluded;
use super::facets::Facet;
use super::params::SearchRequest;
use super::query::{self, Atom, ParsedQuery, Scope};
use super::snippets;
use crate::error::AppError;
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
    /// The folded fields of work units a word or phrase of `scope` matches on.
    fn folded_fields(&self, scope: Scope) -> Vec<Field> {
        match scope {
            Scope::Title => vec![self.fields.title.folded],
            Scope::Author => vec![self.fields.authors.folded, self.fields.advisor.folded],
            Scope::Any => vec![self.fields.text_folded],
        }
    }

    /// The text groups a phrase of `scope` is boosted on, with their weights.
    fn phrase_fields(&self, scope: Scope) -> Vec<(f32, TextFields)> {
        let f = self.fields;
        let w = self.weights;
        match scope {
            Scope::Title => vec![(w.title, f.title)],
            Scope::Author => vec![(w.authors, f.authors), (w.advisor, f.advisor)],
            // The abstract is one of the passages.
            Scope::Any => vec![
                (w.title, f.title),
                (w.keywords, f.keywords),
                (w.passage, f.passage),
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
                    .folded_fields(*scope)
                    .into_iter()
                    .map(|f| phrase_or_term(f, &toks))
                    .collect();
                Some(any_of(qs))
            }
        }
    }

    /// Extra score for phrases: the phrase on folded fields, and on exact fields when typed
    /// with diacritics, weighted like the field groups.
    fn phrase_boosts(&self, atom: &Atom, out: &mut Clauses) {
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

/// Clauses of a boolean query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// A request turned into query parts.
pub(super) struct Plan {
    pub(super) parsed: ParsedQuery,
    /// Text constraints (groups and exclusions), unscored.
    constraints: Clauses,
    /// One constant-score clause per query word: its IDF when a work holds it.
    coverage: Clauses,
    /// The coverage clauses also decide the match (one of them at least; see [`constraints`]).
    coverage_matches: bool,
    /// The coverage of a work holding every word.
    pub(super) full_coverage: f32,
    /// The units query (metadata of works, text of passages); `None` without words.
    pub(super) ranking: Option<Box<dyn Query>>,
    pub(super) filters: Filters,
    pub(super) terms: Vec<String>,
    /// How many groups are plain words.
    pub(super) plain: usize,
    /// The positive words as the ranking analysed them.
    pub(super) analyzed: AnalyzedQuery,
}

/// Plain words (no quotes, prefix or `OR`): matched softly.
fn is_plain(group: &[Atom]) -> bool {
    matches!(
        group,
        [Atom::Word {
            scope: Scope::Any,
            ..
        }]
    )
}

/// How many groups of `parsed` are plain words with something to search.
fn plain_words(parsed: &ParsedQuery) -> usize {
    parsed
        .groups
        .iter()
        .filter(|g| is_plain(g) && !analysis::tokens(FOLDED, g[0].text()).is_empty())
        .count()
}

/// The text constraints of `parsed`: strict groups must match, one plain word must, excluded
/// atoms must not.
///
/// The second value is true when "one plain word at least" is the same as "one of the coverage
/// words at least" (only plain words, each one token): the works query then requires the
/// coverage clauses instead, so the postings of the query's words are read once, not twice.
fn constraints(b: &Builder<'_>, parsed: &ParsedQuery, analyzed: &AnalyzedQuery) -> (Clauses, bool) {
    let mut constraints: Clauses = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    let mut coverage_matches = true;
    for group in &parsed.groups {
        let qs: Vec<Box<dyn Query>> = group.iter().filter_map(|a| b.matcher(a)).collect();
        if qs.is_empty() {
            continue;
        }
        let tokens = analysis::tokens(FOLDED, group[0].text());
        if !is_plain(group) {
            constraints.push((Occur::Must, any_of(qs)));
            coverage_matches = false;
        } else if tokens.iter().any(|t| analyzed.folded.contains(&t.token)) {
            // Question words only make a question (not in `analyzed`): they need not match.
            optional.push(any_of(qs));
            coverage_matches &= tokens.len() == 1;
        }
    }
    if optional.is_empty() {
        coverage_matches = false;
    } else if !coverage_matches {
        constraints.push((Occur::Must, any_of(optional)));
    }
    for atom in &parsed.excluded {
        if let Some(q) = b.matcher(atom) {
            constraints.push((Occur::MustNot, Box::new(Excluded(q))));
        }
    }
    (constraints, coverage_matches)
}

impl Plan {
    /// Whether the query is plain words only: no quotes, `title:`/`author:`, `OR` or
    /// exclusions, which ask for particular words. The model may then bring works that say it
    /// in other words.
    pub(super) fn is_free_text(&self) -> bool {
        self.parsed.excluded.is_empty() && self.parsed.groups.iter().all(|g| is_plain(g))
    }

    /// Parses and analyses the request once.
    pub(super) fn new(
        state: &AppState,
        searcher: &Searcher,
        stats: &Arc<CorpusStats>,
        req: &SearchRequest,
    ) -> Result<Plan, AppError> {
        let fields = &state.index.fields;
        let weights = &state.weights;
        let b = Builder { fields, weights };
        let parsed = query::parse(&req.q);
        let text: Vec<&str> = parsed.positive().map(Atom::text).collect();
        let mut analyzed = AnalyzedQuery::new(&text.join(" "));
        let passages = stats.units_in(Unit::Passage, analyzed.vietnamese) as f64;
        let most = f64::from(weights.common_share) * passages;
        let p = &fields.passage;
        analyzed.drop_common(|variant, t| {
            let field = match variant {
                Variant::Exact => Some(p.exact),
                Variant::Folded => Some(p.folded),
                Variant::Pairs => p.pairs,
                Variant::Stem => p.stem,
            };
            field.is_some_and(|f| {
                searcher
                    .doc_freq(&Term::from_field_text(f, t))
                    .is_ok_and(|df| df as f64 > most)
            })
        });
        let plain = plain_words(&parsed);
        let (constraints, coverage_matches) = constraints(&b, &parsed, &analyzed);
        let works = stats.units_in(Unit::Work, analyzed.vietnamese);
        let mut coverage: Clauses = Vec::new();
        let mut full_coverage = 0.0;
        for word in &analyzed.folded {
            let term = Term::from_field_text(fields.text_folded, word);
            let weight = idf(searcher.doc_freq(&term)?, works);
            full_coverage += weight;
            coverage.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    weight,
                )),
            ));
        }
        // Work units answer the metadata clauses, passages the passage clauses: one union
        // scores both kinds.
        let mut units: Clauses = Vec::new();
        if !analyzed.is_empty() {
            units.push((Occur::Should, meta_query(fields, weights, &analyzed)));
            units.push((Occur::Should, passage_query(fields, weights, &analyzed)));
        }
        for atom in parsed.positive() {
            b.phrase_boosts(atom, &mut units);
        }
        let ranking = (!units.is_empty()).then(|| {
            Box::new(Scoped::new(
                Box::new(BooleanQuery::new(units)),
                Arc::clone(stats),
                analyzed.vietnamese,
            )) as Box<dyn Query>
        });
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
        Ok(Plan {
            parsed,
            constraints,
            coverage,
            coverage_matches,
            full_coverage,
            ranking,
            filters,
            terms,
            plain,
            analyzed,
        })
    }

    /// The works the request's filters admit, whatever their words; with `lang` instead of
    /// the request's language filter when given. What the model ranks on its own.
    pub(super) fn filter_query(&self, fields: &Fields, lang: Option<&str>) -> Box<dyn Query> {
        let without = lang.map(|_| Facet::Lang);
        let mut must: Clauses = vec![(Occur::Must, Box::new(fields.works()))];
        for f in self.filters.clauses(fields, without) {
            must.push((Occur::Must, f));
        }
        if let Some(l) = lang {
            must.push((Occur::Must, term_q(fields.lang, l)));
        }
        // Excluded words and phrases still exclude.
        for (occur, q) in &self.constraints {
            if *occur == Occur::MustNot {
                must.push((Occur::MustNot, q.box_clone()));
            }
        }
        Box::new(BooleanQuery::new(must))
    }

    /// The works query with every filter except `without`: matching works, scored with their
    /// coverage (a constant 1 when the query has no words).
    pub(super) fn works_query(&self, fields: &Fields, without: Option<Facet>) -> Box<dyn Query> {
        let mut must: Clauses = vec![(Occur::Must, Box::new(fields.works()))];
        for (occur, q) in &self.constraints {
            must.push((*occur, q.box_clone()));
        }
        for f in self.filters.clauses(fields, without) {
            must.push((Occur::Must, f));
        }
        let filter: Box<dyn Query> =
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(must)), 0.0));
        if self.coverage.is_empty() {
            // Listing without words: every match scores the same, order comes from the sort.
            return Box::new(ConstScoreQuery::new(filter, 1.0));
        }
        let coverage: Clauses = self
            .coverage
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        let mut clauses = vec![(Occur::Must, filter)];
        if self.coverage_matches {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(coverage))));
        } else {
            clauses.extend(coverage);
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
