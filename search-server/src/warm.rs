//! [`Prepare`]: what a search needs of an index generation, built while tantivy opens the
//! generation and before it serves a search (tantivy's [`Warmer`] hook runs inside the reader's
//! reload, before the new searcher is released).
//!
//! Without it the first search after a start or a commit built them itself: the documents'
//! vectors of 10⁵ works (reading the store's records, each language's mean and meta table)
//! took that search 2.2 s, while the searches before the commit took milliseconds. Now the old
//! generation keeps serving while the new one is prepared.
//!
//! What it reads first is checked: tantivy opens fast-field and field-norm files without
//! checking their bytes, and some damage there makes it panic (a slice cut past its end),
//! which here, at start-up, would take the server down instead of telling what to do. So each
//! segment's `.fast` and `.fieldnorm` files are compared with their checksums (12 MB at 10⁵
//! works) before anything reads them; damage marks the index as such (every request then
//! gets the rebuild advice, see `AppState::damaged`) and nothing is prepared. The rest of the
//! index is checked in the background once the server runs.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use indexer::query::stats::CorpusStats;
use indexer::schema::Fields;
use tantivy::index::SegmentId;
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
    /// Segments whose files [`Prepare::damaged_files`] found intact.
    pub verified: Mutex<HashSet<SegmentId>>,
    /// The rebuild advice with the damaged files, once some were found (see
    /// `AppState::mark_damaged`).
    pub damaged: OnceLock<String>,
    pub index_dir: PathBuf,
}

impl Prepare {
    /// The unit statistics of `searcher`'s generation (prepared, or counted now: a pass over
    /// the field norms, a few milliseconds per 100,000 documents).
    pub fn corpus_stats(&self, searcher: &Searcher) -> tantivy::Result<Arc<CorpusStats>> {
        self.stats
            .get_or_build(searcher, || CorpusStats::compute(searcher, &self.fields))
    }

    /// Logs that `files` are damaged, with the rebuild advice, and keeps that advice for
    /// every request to come.
    pub fn mark_damaged(&self, files: &[String]) {
        let advice = crate::state::damaged_advice(&self.index_dir);
        tracing::error!(files = %files.join(", "), "{advice}");
        let _ = self
            .damaged
            .set(format!("{advice} (damaged: {})", files.join(", ")));
    }

    /// The fast-field and field-norm files of `searcher`'s segments that do not match their
    /// checksums or cannot be read, by path; each segment is checked once.
    fn damaged_files(&self, searcher: &Searcher) -> Vec<String> {
        let directory = searcher.index().directory();
        let mut bad = Vec::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            if self.verified.lock().is_ok_and(|v| v.contains(&id)) {
                continue;
            }
            let mut intact = true;
            for ext in ["fast", "fieldnorm"] {
                let file = PathBuf::from(format!("{}.{ext}", id.uuid_string()));
                if !directory.validate_checksum(&file).unwrap_or(false) {
                    bad.push(self.index_dir.join(&file).display().to_string());
                    intact = false;
                }
            }
            if intact {
                if let Ok(mut v) = self.verified.lock() {
                    v.insert(id);
                }
            }
        }
        bad
    }
}

impl Warmer for Prepare {
    /// Never fails: a value that cannot be built now is logged, and the first search that
    /// needs it builds it (and reports the error) as it did before; failing here would keep
    /// the new generation from being served at all.
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let started = std::time::Instant::now();
        let bad = self.damaged_files(searcher);
        if !bad.is_empty() {
            self.mark_damaged(&bad);
        }
        if self.damaged.get().is_some() {
            return Ok(());
        }
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
