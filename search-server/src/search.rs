//! `GET /api/search`: from parameters to a tantivy query, hits with snippets, and facets.
//!
//! The query has two parts:
//! - *constraints* decide what matches: every group of the parsed query must match (a word on
//!   any folded field of its scope, a phrase as a `PhraseQuery` on folded fields), excluded
//!   words and phrases must not, and the filters (collection, doc_type, lang, years) hold.
//!   They are wrapped in `ConstScoreQuery(0)` so they do not distort the ranking;
//! - *ranking*: `indexer::query::analyzed_query` over the positive words (folded everywhere,
//!   exact diacritics and adjacent pairs boosted), plus phrase boosts on the title, abstract and
//!   body (exact-diacritic phrases boosted again).
//!
//! Facet counts are computed over the whole result set under the *other* filters, so choosing
//! a collection still shows how many hits the other collections have.

use std::collections::HashMap;
use std::ops::Bound;
use std::time::Instant;

use indexer::analysis::{self, EXACT, FOLDED};
use indexer::doc::DocType;
use indexer::query::{analyzed_query, AnalyzedQuery};
use indexer::schema::Fields;
use indexer::text::fold::has_diacritics;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::documents::cache::CachedDoc;
use crate::error::AppError;
use crate::excluded::Excluded;
use crate::proximity::{self, Proximity};
use crate::qparse::{self, Atom, ParsedQuery, Scope};
use crate::snippet;
use crate::state::AppState;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
pub const MAX_LIMIT: usize = 100;
/// Deepest result reachable by paging.
pub const MAX_DEPTH: usize = 10_000;

/// Raw query-string parameters; validated by [`SearchRequest::from_params`] so errors can say
/// exactly which parameter is wrong.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub collection: Option<String>,
    pub doc_type: Option<String>,
    pub lang: Option<String>,
    pub year_from: Option<String>,
    pub year_to: Option<String>,
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

/// A validated search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub limit: usize,
    pub offset: usize,
    pub collection: Option<String>,
    pub doc_type: Option<String>,
    pub lang: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub sort: Option<Sort>,
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn int_param(name: &str, v: &Option<String>, min: i64, max: i64) -> Result<Option<i64>, AppError> {
    let Some(s) = non_empty(v) else {
        return Ok(None);
    };
    match s.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::bad_request(format!(
            "{name} must be an integer from {min} to {max}, not {s:?}"
        ))),
    }
}

impl SearchRequest {
    pub fn from_params(p: &SearchParams) -> Result<SearchRequest, AppError> {
        let q = p.q.clone().unwrap_or_default();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::bad_request(format!(
                "the query is too long ({} characters); use at most {MAX_QUERY_CHARS}",
                q.chars().count()
            )));
        }
        let limit = int_param("limit", &p.limit, 1, MAX_LIMIT as i64)?.unwrap_or(10) as usize;
        let offset = int_param("offset", &p.offset, 0, MAX_DEPTH as i64)?.unwrap_or(0) as usize;
        if offset + limit > MAX_DEPTH {
            return Err(AppError::bad_request(format!(
                "offset + limit must be at most {MAX_DEPTH}; narrow the search instead"
            )));
        }
        let doc_type = match non_empty(&p.doc_type) {
            None => None,
            Some(s) => Some(
                s.parse::<DocType>()
                    .map_err(|e| AppError::bad_request(e.to_string()))?
                    .as_str()
                    .to_string(),
            ),
        };
        let lang = match non_empty(&p.lang) {
            None => None,
            Some(s) if s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
                Some(s.to_ascii_lowercase())
            }
            Some(s) => {
                return Err(AppError::bad_request(format!(
                    "lang must be a language code like vi or en, not {s:?}"
                )))
            }
        };
        let collection = match non_empty(&p.collection) {
            Some(s) if s.chars().count() > 200 => {
                return Err(AppError::bad_request("collection name too long"))
            }
            other => other.map(str::to_string),
        };
        let year_from = int_param("year_from", &p.year_from, 0, 9999)?.map(|y| y as i32);
        let year_to = int_param("year_to", &p.year_to, 0, 9999)?.map(|y| y as i32);
        if let (Some(a), Some(b)) = (year_from, year_to) {
            if a > b {
                return Err(AppError::bad_request(format!(
                    "year_from ({a}) is after year_to ({b})"
                )));
            }
        }
        let sort = match non_empty(&p.sort) {
            None => None,
            Some("relevance") => Some(Sort::Relevance),
            Some("newest") => Some(Sort::Newest),
            Some("oldest") => Some(Sort::Oldest),
            Some(s) => {
                return Err(AppError::bad_request(format!(
                    "sort must be relevance, newest or oldest, not {s:?}"
                )))
            }
        };
        Ok(SearchRequest {
            q,
            limit,
            offset,
            collection,
            doc_type,
            lang,
            year_from,
            year_to,
            sort,
        })
    }
}

#[derive(Debug, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doc_type: String,
    pub collection: String,
    pub lang: String,
    pub file_name: Option<String>,
    pub score: f32,
    pub snippet: String,
    pub pages: Vec<u32>,
}

#[derive(Debug, Serialize, PartialEq, Eq, Clone)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize, Default)]
pub struct Facets {
    pub collection: Vec<FacetValue>,
    pub doc_type: Vec<FacetValue>,
    pub lang: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub sort: Sort,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// What the parser reinterpreted in the query (unclosed quote, stray OR...).
    pub notes: Vec<String>,
}

/// The facets, in the order the collector and the response use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Collection,
    DocType,
    Lang,
    Year,
}

const FACETS: [Facet; 4] = [Facet::Collection, Facet::DocType, Facet::Lang, Facet::Year];

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
struct Filters {
    collection: Option<String>,
    doc_type: Option<String>,
    lang: Option<String>,
    years: Option<(i32, i32)>,
}

impl Filters {
    fn active(&self, f: Facet) -> bool {
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
struct Plan {
    parsed: ParsedQuery,
    /// Text constraints (groups and exclusions), unscored.
    constraints: Vec<(Occur, Box<dyn Query>)>,
    /// Scoring clauses.
    ranking: Vec<(Occur, Box<dyn Query>)>,
    filters: Filters,
    terms: Vec<String>,
    /// How many groups are plain words (see [`Matching`]).
    relaxable: usize,
    matching: Matching,
    /// The positive words as the ranking analysed them.
    analyzed: AnalyzedQuery,
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
    fn new(state: &AppState, req: &SearchRequest) -> Plan {
        let fields = &state.index.fields;
        let b = Builder {
            fields,
            weights: &state.weights,
        };
        let parsed = qparse::parse(&req.q);
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
        let terms = snippet::query_terms(parsed.positive().map(Atom::text));
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
    fn relax(&mut self, state: &AppState) {
        let b = Builder {
            fields: &state.index.fields,
            weights: &state.weights,
        };
        self.matching = Matching::AnyWord;
        self.constraints = constraints(&b, &self.parsed, &self.analyzed, self.matching);
    }

    /// The query with every filter except `without`.
    fn query(&self, fields: &Fields, without: Option<Facet>) -> Box<dyn Query> {
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

/// Counts of facet values over the matching documents, by ordinal per segment.
struct FacetCollector {
    facets: Vec<Facet>,
}

fn facet_field(f: Facet) -> &'static str {
    match f {
        Facet::Collection => "collection",
        Facet::DocType => "doc_type",
        Facet::Lang => "lang",
        Facet::Year => "year",
    }
}

struct StrCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

struct FacetSegment {
    strs: Vec<(Facet, StrCounts)>,
    year: Option<(Column<i64>, HashMap<i64, u64>)>,
}

type FacetFruit = HashMap<&'static str, HashMap<String, u64>>;

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut strs = Vec::new();
        let mut year = None;
        for &f in &self.facets {
            if f == Facet::Year {
                year = Some((seg.fast_fields().i64("year")?, HashMap::new()));
            } else {
                let column = seg.fast_fields().str(facet_field(f))?;
                let n = column.as_ref().map_or(0, |c| c.num_terms());
                strs.push((
                    f,
                    StrCounts {
                        column,
                        counts: vec![0; n],
                    },
                ));
            }
        }
        Ok(FacetSegment { strs, year })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut out: FacetFruit = HashMap::new();
        for fruit in fruits {
            for (name, counts) in fruit {
                let dst = out.entry(name).or_default();
                for (v, c) in counts {
                    *dst.entry(v).or_default() += c;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, s) in &mut self.strs {
            if let Some(col) = &s.column {
                if let Some(ord) = col.term_ords(doc).next() {
                    if let Some(c) = s.counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some((col, counts)) = &mut self.year {
            if let Some(y) = col.first(doc) {
                *counts.entry(y).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut out: FacetFruit = HashMap::new();
        for (f, s) in self.strs {
            let dst = out.entry(facet_field(f)).or_default();
            if let Some(col) = &s.column {
                for (ord, &c) in s.counts.iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let mut v = String::new();
                    if col.ord_to_str(ord as u64, &mut v).unwrap_or(false) {
                        *dst.entry(v).or_default() += c;
                    }
                }
            }
        }
        if let Some((_, counts)) = self.year {
            let dst = out.entry("year").or_default();
            for (y, c) in counts {
                if y != 0 {
                    *dst.entry(y.to_string()).or_default() += c;
                }
            }
        }
        out
    }
}

/// Most values a facet lists.
const MAX_FACET_VALUES: usize = 100;

fn facet_list(f: Facet, counts: Option<&HashMap<String, u64>>) -> Vec<FacetValue> {
    let mut v: Vec<FacetValue> = counts
        .map(|m| {
            m.iter()
                .map(|(value, count)| FacetValue {
                    value: value.clone(),
                    count: *count,
                })
                .collect()
        })
        .unwrap_or_default();
    if f == Facet::Year {
        v.sort_by_key(|x| std::cmp::Reverse(x.value.parse::<i64>().unwrap_or(0)));
    } else {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }
    v.truncate(MAX_FACET_VALUES);
    v
}

/// Hits (score, address), total and facet counts of one plan.
type Found = (Vec<(f32, DocAddress)>, usize, FacetFruit);

/// Runs a search on the calling (blocking) thread.
pub fn run(state: &AppState, req: &SearchRequest) -> Result<SearchResponse, AppError> {
    let started = Instant::now();
    let fields = &state.index.fields;
    let searcher = state.searcher();
    let mut plan = Plan::new(state, req);
    let sort = req.sort.unwrap_or(if plan.ranking.is_empty() {
        Sort::Newest
    } else {
        Sort::Relevance
    });
    let proximity = match sort {
        Sort::Relevance if !plan.ranking.is_empty() => Proximity::new(
            &searcher,
            fields.body.folded,
            &plan.analyzed.folded,
            state.weights.proximity,
        )?,
        _ => None,
    };
    let rerank = proximity.as_ref();
    let mut found = execute(&searcher, fields, &plan, req, sort, rerank)?;
    if found.1 == 0 && plan.relaxable >= 2 && plan.matching == Matching::AllWords {
        plan.relax(state);
        found = execute(&searcher, fields, &plan, req, sort, rerank)?;
        if found.1 > 0 {
            plan.parsed.notes.push(
                "no document has every word: showing documents with some of them, best first"
                    .into(),
            );
        }
    }
    let (hits, total, counts) = found;
    let mut out_hits = Vec::with_capacity(hits.len());
    for (score, addr) in hits {
        let cached = state.doc_cache.load(&searcher, fields, addr)?;
        out_hits.push(make_hit(&cached, score, &plan.terms));
    }
    let facets = Facets {
        collection: facet_list(Facet::Collection, counts.get("collection")),
        doc_type: facet_list(Facet::DocType, counts.get("doc_type")),
        lang: facet_list(Facet::Lang, counts.get("lang")),
        year: facet_list(Facet::Year, counts.get("year")),
    };
    Ok(SearchResponse {
        query: req.q.clone(),
        total,
        took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
        sort,
        hits: out_hits,
        facets,
        notes: plan.parsed.notes,
    })
}

fn execute(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    plan: &Plan,
    req: &SearchRequest,
    sort: Sort,
    rerank: Option<&Proximity>,
) -> Result<Found, AppError> {
    let query = plan.query(fields, None);
    let in_main: Vec<Facet> = FACETS
        .into_iter()
        .filter(|f| !plan.filters.active(*f))
        .collect();
    let facet_collector = FacetCollector {
        facets: in_main.clone(),
    };
    let top = TopDocs::with_limit(req.limit).and_offset(req.offset);
    let (hits, total, mut counts): Found = match sort {
        Sort::Relevance => match rerank {
            None => searcher.search(&query, &(top.order_by_score(), Count, facet_collector))?,
            Some(proximity) => {
                // Re-ranking reorders the first proximity::DEPTH hits, so every page is cut
                // from the same re-ranked list.
                let depth = (req.offset + req.limit).max(proximity::DEPTH);
                let top = TopDocs::with_limit(depth).order_by_score();
                let (mut hits, total, counts) =
                    searcher.search(&query, &(top, Count, facet_collector))?;
                proximity.rerank(searcher, &mut hits)?;
                let page = hits.into_iter().skip(req.offset).take(req.limit).collect();
                (page, total, counts)
            }
        },
        Sort::Newest | Sort::Oldest => {
            let newest = sort == Sort::Newest;
            let collector = top.tweak_score(move |seg: &SegmentReader| {
                let col = seg.fast_fields().i64("year").ok();
                move |doc: DocId, score: Score| {
                    let y = col.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    // Unknown years (0) go last either way.
                    let key = match (y, newest) {
                        (0, _) => i64::MIN,
                        (y, true) => y,
                        (y, false) => -y,
                    };
                    (key, score)
                }
            });
            let (top, total, counts) =
                searcher.search(&query, &(collector, Count, facet_collector))?;
            let hits = top.into_iter().map(|((_, s), a)| (s, a)).collect();
            (hits, total, counts)
        }
    };
    for f in FACETS {
        if plan.filters.active(f) {
            let q = plan.query(fields, Some(f));
            let c = searcher.search(&q, &FacetCollector { facets: vec![f] })?;
            counts.extend(c);
        }
    }
    Ok((hits, total, counts))
}

/// Most page numbers listed per hit.
const MAX_PAGES: usize = 20;

fn make_hit(cached: &CachedDoc, score: f32, terms: &[String]) -> Hit {
    let d = &cached.doc;
    let pages = snippet::matching_pages(&cached.folded, terms, MAX_PAGES);
    let from_page = pages
        .first()
        .and_then(|p| d.pages.get(*p as usize - 1))
        .and_then(|text| snippet::highlight(text, terms));
    let snippet = from_page
        .or_else(|| {
            d.abstract_text
                .as_deref()
                .and_then(|a| snippet::highlight(a, terms))
        })
        .unwrap_or_else(|| {
            let text = d
                .abstract_text
                .as_deref()
                .or_else(|| {
                    d.pages
                        .iter()
                        .map(String::as_str)
                        .find(|p| !p.trim().is_empty())
                })
                .unwrap_or("");
            snippet::lead(text, 240)
        });
    Hit {
        id: d.id.clone(),
        title: d.display_title(),
        authors: d.authors.clone(),
        year: d.year,
        doc_type: d.doc_type.clone(),
        collection: d.collection.clone(),
        lang: d.lang.clone(),
        file_name: d.file_name.clone(),
        score,
        snippet,
        pages: if d.has_file() { pages } else { Vec::new() },
    }
}
