//! The merge policy of every index writer: tantivy's log merge policy with a ceiling on what
//! one merge produces.
//!
//! Measured while adding a million catalogue records: peak memory came from tantivy merging
//! many segments into one of ~800,000 documents (about 1 KB of RSS per document merged, on top
//! of the writer's budget), so it grew with the collection. Capping the documents of a merge
//! caps that peak; a collection of millions ends as a few dozen segments of at most the cap,
//! which search reads in parallel anyway. tantivy's `LogMergePolicy` caps the size of the
//! segments it *takes* (`max_docs_before_merge`), not of what a merge *makes*, hence this
//! wrapper.

use std::collections::HashMap;

use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Most tantivy documents (work and passage units) one merge may produce.
pub const MAX_MERGED_DOCS: u32 = 300_000;

/// Log merging, each merge cut down to at most `max_merged_docs` documents.
#[derive(Debug)]
pub struct BoundedMergePolicy {
    inner: LogMergePolicy,
    max_merged_docs: u32,
}

impl BoundedMergePolicy {
    pub fn new(max_merged_docs: u32) -> BoundedMergePolicy {
        let mut inner = LogMergePolicy::default();
        // A segment over half the cap could only merge with smaller ones into more than it.
        inner.set_max_docs_before_merge((max_merged_docs / 2) as usize);
        BoundedMergePolicy {
            inner,
            max_merged_docs,
        }
    }
}

impl Default for BoundedMergePolicy {
    fn default() -> BoundedMergePolicy {
        BoundedMergePolicy::new(MAX_MERGED_DOCS)
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .filter_map(|MergeCandidate(mut ids)| {
                // Smallest first: the most segments within the cap.
                ids.sort_by_key(|id| docs.get(id).copied().unwrap_or(0));
                let mut total = 0u32;
                let mut keep = Vec::new();
                for id in ids {
                    let d = docs.get(&id).copied().unwrap_or(0);
                    if keep.len() >= 2 && total.saturating_add(d) > self.max_merged_docs {
                        break;
                    }
                    total = total.saturating_add(d);
                    keep.push(id);
                }
                (keep.len() >= 2).then_some(MergeCandidate(keep))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STORED, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn no_merge_makes_more_than_the_cap() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", STRING | STORED);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.set_merge_policy(Box::new(BoundedMergePolicy::new(250)));
        // 40 commits of 50 documents: log merging alone would gather them into big segments.
        for c in 0..40 {
            for i in 0..50 {
                w.add_document(doc!(f => format!("{c}-{i}"))).unwrap();
            }
            w.commit().unwrap();
        }
        w.wait_merging_threads().unwrap();
        let metas = index.searchable_segment_metas().unwrap();
        let total: u32 = metas.iter().map(|m| m.num_docs()).sum();
        assert_eq!(total, 2000);
        assert!(metas.iter().all(|m| m.num_docs() <= 250), "{metas:?}");
        assert!(
            metas.len() < 40,
            "merging still happened: {} segments",
            metas.len()
        );
    }
}
