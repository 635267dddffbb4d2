//! Values derived from one index generation (one commit's searcher), built once per
//! generation and shared until the next: the completion candidates, the BM25 statistics, the
//! documents' vectors. `crate::warm` builds them while tantivy opens a generation, before it
//! serves a search; a value it did not build is built on first use.
//!
//! A generation is known by its segments and their deletes, not by tantivy's generation id:
//! every reload gets a new id, and a commit is often reloaded twice (by the reader's own
//! watcher and by the write route that made it), which would build the same values twice.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher};

/// Generations whose value is kept: the newest and the one before it. While a new generation
/// is being prepared, searches still run on the old one; were only one kept, a search on the
/// old generation in the moment between the new value's build and the new searcher's release
/// would build the old value again and evict the new one.
const KEPT: usize = 2;

/// What a generation's values depend on: its segments and the deletes applied to each.
type Segments = BTreeMap<SegmentId, Option<Opstamp>>;

/// One kept value: the newest generation id it served, its segments, the value.
type Kept<T> = (u64, Segments, Arc<T>);

/// The values of the newest generations asked for.
#[derive(Debug)]
pub struct PerGeneration<T> {
    /// Newest first.
    kept: Mutex<Vec<Kept<T>>>,
}

impl<T> Default for PerGeneration<T> {
    fn default() -> Self {
        PerGeneration {
            kept: Mutex::new(Vec::with_capacity(KEPT + 1)),
        }
    }
}

impl<T> PerGeneration<T> {
    /// Whether the value of `searcher`'s generation is kept (built and not yet evicted).
    pub fn is_built(&self, searcher: &Searcher) -> bool {
        let segments = searcher.generation().segments();
        self.kept
            .lock()
            .is_ok_and(|kept| kept.iter().any(|(_, s, _)| s == segments))
    }

    /// The value of `searcher`'s generation: the one kept, or `build`'s, which is then kept
    /// unless [`KEPT`] newer generations are (a search that held an old searcher a long time).
    /// Two requests meeting a new generation may both build it; the last one is kept.
    pub fn get_or_build<E>(
        &self,
        searcher: &Searcher,
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let generation = searcher.generation();
        let (id, segments) = (generation.generation_id(), generation.segments());
        if let Ok(mut kept) = self.kept.lock() {
            if let Some(entry) = kept.iter_mut().find(|(_, s, _)| s == segments) {
                entry.0 = entry.0.max(id);
                let value = entry.2.clone();
                kept.sort_by_key(|(g, _, _)| std::cmp::Reverse(*g));
                return Ok(value);
            }
        }
        let built = Arc::new(build()?);
        if let Ok(mut kept) = self.kept.lock() {
            kept.retain(|(_, s, _)| s != segments);
            kept.push((id, segments.clone(), built.clone()));
            kept.sort_by_key(|(g, _, _)| std::cmp::Reverse(*g));
            kept.truncate(KEPT);
        }
        Ok(built)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn builds_once_per_generation() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(text => "một")).unwrap();
        writer.commit().unwrap();
        let reader = index.reader().unwrap();
        let cache: PerGeneration<u64> = PerGeneration::default();
        let builds = Cell::new(0);
        let count = |searcher: &Searcher| {
            cache.get_or_build(searcher, || {
                builds.set(builds.get() + 1);
                Ok::<_, ()>(searcher.num_docs())
            })
        };
        assert_eq!(*count(&reader.searcher()).unwrap(), 1);
        assert_eq!(*count(&reader.searcher()).unwrap(), 1);
        assert_eq!(builds.get(), 1, "the same generation is built once");
        // A reload without a commit (the watcher's beside the write route's) is a new
        // generation id over the same segments: nothing is built again.
        let before = reader.searcher().generation().generation_id();
        reader.reload().unwrap();
        assert_ne!(reader.searcher().generation().generation_id(), before);
        assert_eq!(*count(&reader.searcher()).unwrap(), 1);
        assert_eq!(builds.get(), 1, "the same segments are built once");

        writer.add_document(doc!(text => "hai")).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        assert_eq!(*count(&reader.searcher()).unwrap(), 2);
        assert_eq!(builds.get(), 2, "a commit makes a new generation");

        // The generation before the newest is kept too (searches still on it while the new
        // one is prepared); a build for an older one is served but not kept.
        let newest = reader.searcher();
        let old = {
            writer.add_document(doc!(text => "ba")).unwrap();
            writer.commit().unwrap();
            reader.reload().unwrap();
            newest
        };
        assert_eq!(*count(&reader.searcher()).unwrap(), 3);
        assert_eq!(*count(&old).unwrap(), 2);
        assert_eq!(builds.get(), 3, "the one before the newest is kept");
        writer.add_document(doc!(text => "bốn")).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let newest = reader.searcher();
        assert_eq!(*count(&newest).unwrap(), 4);
        assert_eq!(*count(&old).unwrap(), 2);
        assert_eq!(*count(&old).unwrap(), 2);
        assert_eq!(builds.get(), 6, "an older one is built each time, not kept");
        assert_eq!(*count(&newest).unwrap(), 4);
        assert_eq!(builds.get(), 6, "and does not evict the newest");

        // A failed build keeps nothing, and the next request builds again.
        let failed: PerGeneration<u64> = PerGeneration::default();
        assert!(failed
            .get_or_build(&reader.searcher(), || Err::<u64, _>("disk"))
            .is_err());
        assert_eq!(
            *failed
                .get_or_build(&reader.searcher(), || Ok::<_, ()>(7))
                .unwrap(),
            7
        );
    }
}
