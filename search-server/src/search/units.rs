//! Ranking works through their units (see `indexer::schema`): which works match, and how well.
//!
//! Two passes over the index:
//! 1. **Works** ([`MatchCollector`]): the plan's constraints and filters over work units decide
//!    which works match (and so the total and the facets), and each matching work gets its
//!    *coverage*: the IDF share of the query's words it holds anywhere (title, body, ...).
//! 2. **Units** ([`score_units`]): one query over the metadata of work units and the text of
//!    passage units. A work's score is its metadata score plus its best passage's score
//!    (MaxP), times, for keyword queries, a soft-AND factor of its coverage (a work missing a
//!    rare word of the query falls behind those that have them all, one missing a common word
//!    barely moves, and none disappears: no cliff), times a length prior (the best of a
//!    thousand passages is high by chance).
//!
//! A passage finds its work `to_work` documents further on in its segment; both passes keep
//! per-segment arrays indexed by document, so joining a passage to its work is an addition.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Not a matching work.
const NO_MATCH: f32 = f32::NEG_INFINITY;

/// Per segment, the coverage of each document that is a matching work ([`NO_MATCH`] else).
#[derive(Debug, Default)]
pub struct Matches {
    segments: Vec<(SegmentOrdinal, Vec<f32>)>,
    /// Matching works.
    pub total: usize,
    /// Matching works that hold every word of the query.
    pub complete: usize,
}

impl Matches {
    /// True when the work at `addr` matched.
    pub fn contains(&self, addr: DocAddress) -> bool {
        self.segment(addr.segment_ord)
            .and_then(|c| c.get(addr.doc_id as usize))
            .is_some_and(|&c| c != NO_MATCH)
    }

    fn segment(&self, ord: SegmentOrdinal) -> Option<&[f32]> {
        self.segments
            .iter()
            .find(|(o, _)| *o == ord)
            .map(|(_, v)| v.as_slice())
    }
}

/// Collects [`Matches`]: the query's score of a work unit is its coverage (the summed weights
/// of the words it holds); `full` is the coverage of a work with every word.
#[derive(Debug)]
pub struct MatchCollector {
    pub full: f32,
}

#[derive(Debug)]
pub struct MatchSegment {
    ord: SegmentOrdinal,
    coverage: Vec<f32>,
    total: usize,
    complete: usize,
    full: f32,
}

impl Collector for MatchCollector {
    type Fruit = Matches;
    type Child = MatchSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<MatchSegment> {
        Ok(MatchSegment {
            ord,
            coverage: vec![NO_MATCH; seg.max_doc() as usize],
            total: 0,
            complete: 0,
            full: self.full,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Matches>) -> tantivy::Result<Matches> {
        let mut out = Matches::default();
        for f in fruits {
            out.total += f.total;
            out.complete += f.complete;
            out.segments.extend(f.segments);
        }
        Ok(out)
    }
}

impl SegmentCollector for MatchSegment {
    type Fruit = Matches;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.coverage[doc as usize] = score;
        self.total += 1;
        // Weights are summed in f32: allow for rounding.
        if score >= self.full * 0.9999 {
            self.complete += 1;
        }
    }

    fn harvest(self) -> Matches {
        Matches {
            segments: vec![(self.ord, self.coverage)],
            total: self.total,
            complete: self.complete,
        }
    }
}

/// How a work's score is made from its units (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub struct Scoring {
    /// The soft AND: the score is multiplied by `1 - soft_and × (1 - share)`, share being the
    /// work's coverage over a full coverage.
    pub soft_and: f32,
    /// The score is multiplied by `1 - length_prior × ln(pages)`.
    pub length_prior: f32,
}

impl Scoring {
    fn score(&self, units: UnitScores, coverage: f32, full: f32, pages: u64) -> f32 {
        let share = if full > 0.0 {
            (coverage / full).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let soft_and = 1.0 - self.soft_and * (1.0 - share);
        let prior = (1.0 - self.length_prior * (pages.max(1) as f32).ln()).max(0.1);
        (units.meta + units.best) * soft_and * prior
    }
}

/// What the units of one work scored.
#[derive(Debug, Clone, Copy, Default)]
struct UnitScores {
    /// Its work unit (metadata).
    meta: f32,
    /// Its best passage, and that passage's page.
    best: f32,
    page: u32,
}

/// One ranked work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub score: f32,
    pub addr: DocAddress,
    /// First page of its best passage, when a passage scored.
    pub page: Option<u32>,
}

/// Scores every matching work with `query` (metadata of work units, text of passage units) and
/// returns the best `depth`, best first.
pub fn score_units(
    searcher: &Searcher,
    query: &dyn Query,
    matches: &Matches,
    full: f32,
    scoring: Scoring,
    depth: usize,
) -> tantivy::Result<Vec<Ranked>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut all: Vec<Ranked> = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let Some(coverage) = matches.segment(ord) else {
            continue;
        };
        let to_work = seg.fast_fields().u64("to_work")?;
        let page_of = seg.fast_fields().u64("passage_page")?;
        let pages = seg.fast_fields().u64("page_count")?;
        let alive = seg.alive_bitset();
        let n = coverage.len();
        let mut units = vec![UnitScores::default(); n];
        weight.for_each(seg, &mut |doc, score| {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                return;
            }
            match to_work.first(doc) {
                Some(off) => {
                    let w = doc as usize + off as usize;
                    if w < n && coverage[w] != NO_MATCH {
                        let u = &mut units[w];
                        if score > u.best {
                            u.best = score;
                            u.page = page_of.first(doc).unwrap_or(0) as u32;
                        }
                    }
                }
                None => {
                    if coverage[doc as usize] != NO_MATCH {
                        units[doc as usize].meta = score;
                    }
                }
            }
        })?;
        for (w, &cov) in coverage.iter().enumerate() {
            if cov == NO_MATCH {
                continue;
            }
            let u = units[w];
            let pages = pages.first(w as DocId).unwrap_or(1);
            all.push(Ranked {
                score: scoring.score(u, cov, full, pages),
                addr: DocAddress::new(ord, w as DocId),
                page: (u.page > 0).then_some(u.page),
            });
        }
    }
    let by_score = |a: &Ranked, b: &Ranked| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.addr.cmp(&b.addr))
    };
    if all.len() > depth {
        all.select_nth_unstable_by(depth, by_score);
        all.truncate(depth);
    }
    all.sort_by(by_score);
    Ok(all)
}

/// Which end of the years comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearOrder {
    Newest,
    Oldest,
}

/// The first `depth` matching works by year (unknown years last either way), ties broken by
/// coverage, then index order.
pub fn by_year(
    searcher: &Searcher,
    matches: &Matches,
    order: YearOrder,
    depth: usize,
) -> tantivy::Result<Vec<Ranked>> {
    let mut all: Vec<(i64, f32, DocAddress)> = Vec::new();
    for (ord, coverage) in &matches.segments {
        let seg = searcher.segment_reader(*ord);
        let years = seg.fast_fields().i64("year")?;
        for (doc, &cov) in coverage.iter().enumerate() {
            if cov == NO_MATCH {
                continue;
            }
            let key = match (years.first(doc as DocId).unwrap_or(0), order) {
                (0, _) => i64::MIN,
                (y, YearOrder::Newest) => y,
                (y, YearOrder::Oldest) => -y,
            };
            all.push((key, cov, DocAddress::new(*ord, doc as DocId)));
        }
    }
    let cmp = |a: &(i64, f32, DocAddress), b: &(i64, f32, DocAddress)| {
        b.0.cmp(&a.0)
            .then_with(|| b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    };
    if all.len() > depth {
        all.select_nth_unstable_by(depth, cmp);
        all.truncate(depth);
    }
    all.sort_by(cmp);
    Ok(all
        .into_iter()
        .map(|(_, score, addr)| Ranked {
            score,
            addr,
            page: None,
        })
        .collect())
}
