//! [`Excluded`]: the wrapper every `-word` / `-"phrase"` clause goes through.
//!
//! tantivy 0.27 excludes documents by asking the excluded clause's scorer, for each candidate,
//! whether it holds that document (`DocSet::seek_danger`). The candidate can lie before the
//! document the excluded scorer stands on: a phrase scorer starts on its first match, or on
//! `TERMINATED` when the phrase occurs nowhere in the segment. `PhraseScorer::seek_danger`
//! debug-asserts that this never happens, so in debug builds (tests, `cargo run`) a query such
//! as `học -"mạng nơ-ron"` panicked and answered 500; release builds skip the assertion and answer
//! correctly. Found by the `query_search` fuzz target.
//!
//! The wrapper's scorer keeps tantivy's default `seek_danger`, which checks the current
//! document before seeking, and delegates everything else.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// A query whose scorer tolerates membership questions about documents it has passed.
#[derive(Debug)]
pub struct Excluded(pub Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    // `seek_danger` is deliberately not delegated (see the module documentation).

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
