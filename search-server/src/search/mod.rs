//! A search, from the query string to the response. [`params`] validates the parameters into
//! a [`SearchRequest`]; [`query`] parses the user's query language; [`plan`] turns both into
//! tantivy queries (what must match, the coverage of the query's words, what ranks, the
//! filters); [`run`] executes the plan: the works pass finds the matching works with their
//! coverage and the facets, then [`units`] ranks them by metadata and best passage with the
//! soft AND (the best hits re-ranked by [`proximity`]), or by year; [`facets`] counts values
//! under the other filters; [`hits`] makes each hit from the cached document, with the matched
//! pages and `<mark>`ed text of [`snippets`]. [`similar`] (more like this) is a search too: a
//! query made of one document's terms, answered with the same [`Hit`]s.

pub mod blend;
mod excluded;
pub mod facets;
pub mod hits;
pub mod notes;
pub mod params;
pub mod plan;
pub mod proximity;
pub mod query;
pub mod similar;
pub mod snippets;
pub mod units;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use indexer::query::unmarked::may_be_unmarked_vietnamese;
use indexer::schema::{Fields, Unit};
use indexer::text::fold::has_diacritics;
use serde::Serialize;
use tantivy::{DocAddress, Searcher};

use crate::error::AppError;
use crate::semantic::translations;
use crate::semantic::vectors::Vectors;
use crate::semantic::Semantic;
use crate::state::AppState;
use facets::{facet_list, Facet, FacetCollector, FacetFruit, FACETS};
use hits::make_hit;
use notes::Note;
use plan::Plan;
use proximity::Proximity;
use units::{MatchCollector, Ranked, Scoring};

pub use facets::{FacetValue, Facets};
pub use hits::Hit;
pub use notes::UiLang;
pub use params::{SearchParams, SearchRequest, Sort, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub sort: Sort,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// What the parser reinterpreted in the query (unclosed quote, stray OR...), in the page's
    /// language.
    pub notes: Vec<String>,
    /// With a model imported and no `lang` filter: the works nearest to the query in the other
    /// language than its own (absent otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_language: Vec<Hit>,
}

/// Whether a search crosses languages: its `lang` filter is not the query's language.
fn crosses_languages(plan: &Plan, req: &SearchRequest) -> bool {
    let own = blend::query_language(plan.analyzed.vietnamese);
    req.lang.as_deref().is_some_and(|l| l != own)
}

/// The words the model reads of a query: its positive atoms.
fn model_text(plan: &Plan) -> String {
    plan.parsed
        .positive()
        .map(query::Atom::text)
        .collect::<Vec<&str>>()
        .join(" ")
}

/// Whether the model reads a query well enough to take part in its search: queries typed with
/// Vietnamese diacritics and English ones. Not Vietnamese typed without diacritics, which the
/// model misreads: re-ranked, Known-vi without diacritics fell from 97.17 to 94.93 and ALQAC
/// from 96.53 to 92.85; across languages (d2l, `lang=en`) the model's fusion took it from the
/// words' 21.40 to 19.27 (bench/relevance/HYBRID.md, D2L.md). Nor a query read as English that
/// holds such words (`client server nam tang`, see `indexer::query::unmarked`). Such a search
/// stays lexical, lists no other-language works, and never waits for the query's embedding.
fn model_reads(plan: &Plan) -> bool {
    let text = model_text(plan);
    if plan.analyzed.vietnamese {
        has_diacritics(&text)
    } else {
        !may_be_unmarked_vietnamese(&text)
    }
}

/// Whether a search went without the model only because it misreads the query (see
/// [`model_reads`]) where the model would have looked in the other language: the related
/// documents of a first page without a `lang` filter, or a `lang` filter of the other language.
/// The user is told that typing the diacritics brings them.
/// A vector store that cannot be read counts as no vectors here, as it does for the model's
/// part of a search: a hint never fails the search.
fn misread_by_the_model(
    state: &AppState,
    searcher: &Searcher,
    plan: &Plan,
    req: &SearchRequest,
    sort: Sort,
) -> bool {
    let other_language_wanted = lists_other_language(req) || req.lang.as_deref() == Some("en");
    match model_candidate(state, plan, sort) {
        Some(semantic) if other_language_wanted && !model_reads(plan) => semantic
            .vectors(searcher)
            .is_ok_and(|v| v.as_ref().as_ref().is_some_and(|v| !v.is_empty())),
        _ => false,
    }
}

/// The imported model, when a search could use it at all: ranked by relevance, with words.
fn model_candidate<'a>(state: &'a AppState, plan: &Plan, sort: Sort) -> Option<&'a Semantic> {
    match (&state.semantic, sort, &plan.ranking) {
        (Some(semantic), Sort::Relevance, Some(_)) => Some(semantic),
        _ => None,
    }
}

/// The model's view of one search: the documents' vectors (some), the query's vector and
/// language, whether the search crosses to another language (`lang=` not the query's), and
/// the model's nearest works: in the query's language for a free-text query within it (they
/// may join the hybrid's head, see [`blend::hybrid`]), and in the other language when the
/// response lists them apart (see [`lists_other_language`]).
struct ModelView {
    vectors: Arc<Option<Vectors>>,
    query: Arc<Vec<f32>>,
    own: &'static str,
    cross: bool,
    nearest: Vec<(DocAddress, f32)>,
    other: Vec<(DocAddress, f32)>,
    /// For a cross-lingual search: the translations, in the target language, of the query
    /// language's nearest works, each with the score of the work it translates.
    translated: Vec<(DocAddress, f32)>,
}

/// Whether a response lists the other language's nearest works apart: a first page without a
/// `lang` filter.
fn lists_other_language(req: &SearchRequest) -> bool {
    req.lang.is_none() && req.offset == 0
}

impl ModelView {
    /// The view of `plan`'s search, or `None` while no document has vectors (the query is
    /// then not embedded: a search the model cannot help pays nothing for it).
    fn new(
        semantic: &Semantic,
        fields: &Fields,
        searcher: &Searcher,
        plan: &Plan,
        req: &SearchRequest,
    ) -> Result<Option<ModelView>, AppError> {
        let vectors = semantic.vectors(searcher)?;
        if vectors.as_ref().as_ref().is_none_or(Vectors::is_empty) {
            return Ok(None);
        }
        let text = model_text(plan);
        let own = blend::query_language(plan.analyzed.vietnamese);
        let query = semantic.query_vector(&text)?;
        let cross = crosses_languages(plan, req);
        // Found here, beside the words' search: a pass over every work of the language.
        // Works the words missed join only a free-text query: quotes, `title:`, `OR` or
        // exclusions ask for those words.
        let (mut nearest, mut other, mut translated) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(v) = vectors.as_ref().as_ref() {
            if let Some(target) = req.lang.as_deref().filter(|_| cross) {
                let own_filter = plan.filter_query(fields, Some(own));
                let k = translations::TRANSLATION_PIVOTS;
                let pivots = v.nearest(searcher, &*own_filter, &query, own, own, k)?;
                let filter = plan.filter_query(fields, None);
                translated = v.translated(searcher, &*filter, &pivots, target)?;
            }
            if !cross && plan.is_free_text() {
                let filter = plan.filter_query(fields, None);
                // The hybrid takes the first few; the list of the other language follows
                // the translations of more (found in the same pass).
                let k = blend::HYBRID_NEAREST.max(translations::TRANSLATION_PIVOTS);
                nearest = v.nearest(searcher, &*filter, &query, own, own, k)?;
            }
            if lists_other_language(req) {
                // Enough that the page's own hits, which may be of that language, can be
                // left out.
                let k = blend::OTHER_LANGUAGE_HITS + req.limit;
                let theirs = blend::other_language(own);
                let filter = plan.filter_query(fields, Some(theirs));
                other = v.nearest(searcher, &*filter, &query, own, theirs, k)?;
                // The translations of the query language's nearest works lead, as in a search
                // across languages: the English original of the Vietnamese section found.
                let translated = v.translated(searcher, &*filter, &nearest, theirs)?;
                blend::with_translations(&mut other, &translated);
            }
        }
        Ok(Some(ModelView {
            query,
            vectors,
            own,
            cross,
            nearest,
            other,
            translated,
        }))
    }

    fn vectors(&self) -> Option<&Vectors> {
        self.vectors.as_ref().as_ref()
    }
}

/// The model's view of a search, computed on its own thread while the words are searched: the
/// query's embedding (15–25 ms on two cores) costs about what the lexical search of a large
/// library does, and at 10⁵ works the two one after the other held p99 at 50 ms. `get` waits
/// for it when the ranking first needs it.
struct PendingModel<'scope> {
    handle: std::sync::Mutex<Option<std::thread::ScopedJoinHandle<'scope, Option<ModelView>>>>,
    view: std::sync::OnceLock<Option<ModelView>>,
}

impl<'scope> PendingModel<'scope> {
    /// Starts the model's part of a relevance-ranked search with words when a model was
    /// imported (`None` otherwise). When it fails (a damaged vector file), the search goes on
    /// lexical and the log says why: the words alone still answer.
    fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        state: &'env AppState,
        searcher: &'env Searcher,
        plan: &'env Plan,
        req: &'env SearchRequest,
        sort: Sort,
    ) -> PendingModel<'scope> {
        let handle = match model_candidate(state, plan, sort) {
            Some(semantic) if model_reads(plan) => Some(scope.spawn(move || {
                ModelView::new(semantic, &state.index.fields, searcher, plan, req).unwrap_or_else(
                    |e| {
                        tracing::warn!(
                            "the model's part of a search failed, lexical only: {}",
                            crate::error::chain(&e)
                        );
                        None
                    },
                )
            })),
            _ => None,
        };
        PendingModel {
            handle: std::sync::Mutex::new(handle),
            view: std::sync::OnceLock::new(),
        }
    }

    /// Whether the model may take part (it was started); its view is not waited for.
    fn started(&self) -> bool {
        self.view.get().is_some_and(Option::is_some)
            || self.handle.lock().is_ok_and(|h| h.is_some())
    }

    /// The model's view, once computed; `None` without a model or when it failed.
    fn get(&self) -> Option<&ModelView> {
        self.view
            .get_or_init(|| {
                let handle = self.handle.lock().ok()?.take()?;
                handle.join().unwrap_or_else(|_| {
                    tracing::warn!("the model's part of a search panicked, lexical only");
                    None
                })
            })
            .as_ref()
    }
}

/// What one plan found: the page of hits, the total, facet counts, and how many works hold
/// every word.
struct Found {
    hits: Vec<Ranked>,
    total: usize,
    counts: FacetFruit,
    complete: usize,
}

/// Runs a search on the calling (blocking) thread.
pub fn run(state: &AppState, req: &SearchRequest) -> Result<SearchResponse, AppError> {
    let started = Instant::now();
    let fields = &state.index.fields;
    let searcher = state.searcher();
    let stats = state.corpus_stats(&searcher)?;
    let mut plan = Plan::new(state, &searcher, &stats, req)?;
    let sort = req.sort.unwrap_or(if plan.ranking.is_none() {
        Sort::Newest
    } else {
        Sort::Relevance
    });
    let proximity = match sort {
        Sort::Relevance if plan.ranking.is_some() => Proximity::new(
            &searcher,
            fields.text_folded,
            &plan.analyzed.folded,
            &state.weights,
            stats.units_in(Unit::Work, plan.analyzed.vietnamese),
        )?,
        _ => None,
    };
    let (found, out_hits, other_language) = std::thread::scope(|scope| {
        let model = PendingModel::start(scope, state, &searcher, &plan, req, sort);
        let found = execute(
            state,
            &searcher,
            &plan,
            req,
            sort,
            proximity.as_ref(),
            &model,
        )?;
        let listed: HashSet<_> = found.hits.iter().map(|r| r.addr).collect();
        // Works in the other language than the query's are marked only where they share its
        // words as typed (see snippets::spelled_plainly); only a search the model took part
        // in has such works.
        let view = model.get();
        let shared = view.map(|_| snippets::spelled_plainly(&req.q, &plan.terms));
        let hit_terms = match (view, &shared) {
            (Some(v), Some(shared)) if v.cross => shared,
            _ => &plan.terms,
        };
        let mut out_hits = Vec::with_capacity(found.hits.len());
        for r in &found.hits {
            let cached = state.doc_cache.load(&searcher, fields, r.addr)?;
            out_hits.push(make_hit(&cached, r.score, r.page, hit_terms));
        }
        let mut other_language = Vec::new();
        if let (Some(view), Some(shared)) = (view, &shared) {
            for r in blend::other_language_hits(&view.other, &listed) {
                let cached = state.doc_cache.load(&searcher, fields, r.addr)?;
                other_language.push(make_hit(&cached, r.score, r.page, shared));
            }
        }
        Ok::<_, AppError>((found, out_hits, other_language))
    })?;
    if found.total > 0 && found.complete == 0 && plan.plain >= 2 {
        plan.parsed.notes.push(Note::NoDocumentHasEveryWord);
    }
    if misread_by_the_model(state, &searcher, &plan, req, sort) {
        plan.parsed.notes.push(Note::TypeWithDiacritics);
    }
    let counts = found.counts;
    let facets = Facets {
        collection: facet_list(Facet::Collection, counts.get("collection")),
        doc_type: facet_list(Facet::DocType, counts.get("doc_type")),
        lang: facet_list(Facet::Lang, counts.get("lang")),
        year: facet_list(Facet::Year, counts.get("year")),
    };
    Ok(SearchResponse {
        query: req.q.clone(),
        total: found.total,
        took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
        sort,
        hits: out_hits,
        facets,
        notes: plan.parsed.notes.iter().map(|n| n.text(req.hl)).collect(),
        other_language,
    })
}

fn execute(
    state: &AppState,
    searcher: &Searcher,
    plan: &Plan,
    req: &SearchRequest,
    sort: Sort,
    rerank: Option<&Proximity>,
    model: &PendingModel<'_>,
) -> Result<Found, AppError> {
    let fields: &Fields = &state.index.fields;
    let query = plan.works_query(fields, None);
    let in_main: Vec<Facet> = FACETS
        .into_iter()
        .filter(|f| !plan.filters.active(*f))
        .collect();
    let collector = (
        MatchCollector {
            full: plan.full_coverage,
        },
        FacetCollector { facets: in_main },
    );
    let (matches, mut counts) = searcher.search(&query, &collector)?;
    let wanted = req.offset + req.limit;
    // Works the model found that the words did not.
    let mut extra = 0;
    let hits = match (sort, &plan.ranking) {
        (Sort::Relevance, Some(ranking)) => {
            // Re-ranking reorders the first proximity::DEPTH hits, and the model the first
            // blend::hybrid_depth, so every page is cut from the same re-ranked list.
            // A cross-lingual search fuses the lexical ranking's best blend::CROSS_DEPTH.
            // Whether the search crosses languages is known from the request and the query's
            // words, before the model's view is ready.
            let cross = model.started() && crosses_languages(plan, req);
            // Only a search the model takes part in collects the deeper list (see
            // model_reads: Vietnamese typed without diacritics, whose common words match most
            // works, does not).
            let model_depth = match (model.started(), cross) {
                (true, true) => blend::CROSS_DEPTH,
                (true, false) => {
                    blend::hybrid_depth(blend::query_language(plan.analyzed.vietnamese))
                }
                _ => 0,
            };
            let depth = wanted.max(proximity::DEPTH).max(model_depth);
            let w = &state.weights;
            let scoring = Scoring {
                soft_and: if plan.analyzed.is_keywords() {
                    w.soft_and
                } else {
                    0.0
                },
                length_prior: w.length_prior,
            };
            let mut ranked = units::score_units(
                searcher,
                ranking.as_ref(),
                &matches,
                plan.full_coverage,
                scoring,
                depth,
            )?;
            if let Some(proximity) = rerank {
                proximity.rerank(searcher, &mut ranked)?;
            }
            if let Some((view, vectors)) = model.get().and_then(|m| Some((m, m.vectors()?))) {
                let own = view.own;
                match req.lang.as_deref() {
                    Some(target) if view.cross => {
                        let filter = plan.filter_query(fields, None);
                        let (fused, added) = blend::cross_lingual(
                            searcher,
                            vectors,
                            &view.query,
                            own,
                            target,
                            &*filter,
                            &ranked,
                            &view.translated,
                            &matches,
                        )?;
                        ranked = fused;
                        extra = added;
                    }
                    _ => {
                        extra = blend::hybrid(
                            vectors,
                            &view.query,
                            own,
                            &view.nearest,
                            &mut ranked,
                            &matches,
                        );
                    }
                }
            }
            ranked
        }
        (Sort::Relevance, None) | (Sort::Newest, _) => {
            units::by_year(searcher, &matches, units::YearOrder::Newest, wanted)?
        }
        (Sort::Oldest, _) => units::by_year(searcher, &matches, units::YearOrder::Oldest, wanted)?,
    };
    let hits = hits.into_iter().skip(req.offset).take(req.limit).collect();
    for f in FACETS {
        if plan.filters.active(f) {
            let q = plan.works_query(fields, Some(f));
            let c = searcher.search(&q, &FacetCollector { facets: vec![f] })?;
            counts.extend(c);
        }
    }
    Ok(Found {
        hits,
        total: matches.total + extra,
        counts,
        complete: matches.complete,
    })
}
