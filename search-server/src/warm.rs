//! [`Prepare`]: what a search needs of an index generation, built while tantivy opens the
//! generation and before it serves a search (tantivy's [`Warmer`] hook runs inside the reader's
//! reload, before the new searcher is released).
//!
//! Without it the first search after a start or a commit built them itself: the documents'
//! vectors of 10⁵ works (reading the store's records, each language's mean and meta table)
//! took that search 2.2 s, while the searches before the commit took milliseconds. Now the old
//! generation keeps serving while the new one is prepared.

use std::sync::Arc;

use indexer::query::stats::CorpusStats;
use indexer::schema::Fields;
use tantivy::{Searcher, SearcherGeneration, Warmer};

use crate::generation::PerGeneration;
use crate::semantic::Semantic;

/// The per-generation values that searches use, prepared for each new generation.
#[derive(Debug)]
pub struct Prepare {
    pub fields: Fields,
    /// BM25 statistics per kind of unit, per generation.
    pub stats: PerGeneration<CorpusStats>,
    pub semantic: Option<Arc<Semantic>>,
}

impl Prepare {
    /// The unit statistics of `searcher`'s generation (prepared, or counted now: a pass over
    /// the field norms, a few milliseconds per 100,000 documents).
    pub fn corpus_stats(&self, searcher: &Searcher) -> tantivy::Result<Arc<CorpusStats>> {
        self.stats
            .get_or_build(searcher, || CorpusStats::compute(searcher, &self.fields))
    }
}

impl Warmer for Prepare {
    /// Never fails: a value that cannot be built now is logged, and the first search that
    /// needs it builds it (and reports the error) as it did before; failing here would keep
    /// the new generation from being served at all.
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let started = std::time::Instant::now();
        if let Err(e) = self.corpus_stats(searcher) {
            tracing::warn!(error = %e, "unit statistics not prepared");
        }
        if let Some(semantic) = &self.semantic {
            if let Err(e) = semantic.vectors(searcher) {
                tracing::warn!(error = %crate::error::chain(&e), "vectors not prepared");
            }
        }
        tracing::debug!(
            generation = searcher.generation().generation_id(),
            ms = started.elapsed().as_millis() as u64,
            "index generation prepared"
        );
        Ok(())
    }

    /// Nothing to collect: [`PerGeneration`] keeps only the newest generations.
    fn garbage_collect(&self, _live: &[&SearcherGeneration]) {}
}
