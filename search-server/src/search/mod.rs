//! A search, from the query string to the response. [`params`] validates the parameters into
//! a [`SearchRequest`]; [`query`] parses the user's query language; [`plan`] turns both into
//! tantivy queries (what must match, what ranks, the filters, and how plain words match:
//! [`Matching`]); [`run`] executes the plan, by relevance (the best hits re-ranked by
//! [`proximity`]) or by year, and retries a keyword query that found nothing with any of its
//! words; [`facets`] counts values under the other filters; [`hits`] makes each hit from the
//! cached document, with the matched pages and `<mark>`ed text of [`snippets`]. [`similar`]
//! (more like this) is a search too: a query made of one document's terms, answered with the
//! same [`Hit`]s.

mod excluded;
pub mod facets;
pub mod hits;
pub mod params;
pub mod plan;
pub mod proximity;
pub mod query;
pub mod similar;
pub mod snippets;

use std::time::Instant;

use indexer::schema::Fields;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, DocId, Score, SegmentReader};

use crate::error::AppError;
use crate::state::AppState;
use facets::{facet_list, Facet, FacetCollector, FacetFruit, FACETS};
use hits::make_hit;
use plan::Plan;
use proximity::Proximity;

pub use facets::{FacetValue, Facets};
pub use hits::Hit;
pub use params::{SearchParams, SearchRequest, Sort, MAX_DEPTH, MAX_LIMIT, MAX_QUERY_CHARS};
pub use plan::{Matching, MAX_STRICT_WORDS};

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
