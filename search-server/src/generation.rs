//! Values derived from one index generation (one commit's searcher), built once per
//! generation and shared until the next: the completion candidates, the BM25 statistics, the
//! documents' vectors. `crate::warm` builds them while tantivy opens a generation, before it
//! serves a search; a value it did not build is built on first use.

use std::sync::{Arc, Mutex};

use tantivy::Searcher;

/// Generations whose value is kept: the newest and the one before it. While a new generation
/// is being prepared, searches still run on the old one; were only one kept, a search on the
/// old generation in the moment between the new value's build and the new searcher's release
/// would build the old value again and evict the new one.
const KEPT: usize = 2;

/// The values of the newest generations asked for.
#[derive(Debug)]
pub struct PerGeneration<T> {
    /// (generation id, value), newest first.
    kept: Mutex<Vec<(u64, Arc<T>)>>,
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
        let generation = searcher.generation().generation_id();
        self.kept
            .lock()
            .is_ok_and(|kept| kept.iter().any(|(g, _)| *g == generation))
    }

    /// The value of `searcher`'s generation: the one kept, or `build`'s, which is then kept
    /// unless [`KEPT`] newer generations are (a search that held an old searcher a long time).
    /// Two requests meeting a new generation may both build it; the last one is kept.
    pub fn get_or_build<E>(
        &self,
        searcher: &Searcher,
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let generation = searcher.generation().generation_id();
        if let Ok(kept) = self.kept.lock() {
            if let Some((_, value)) = kept.iter().find(|(g, _)| *g == generation) {
                return Ok(value.clone());
            }
        }
        let built = Arc::new(build()?);
        if let Ok(mut kept) = self.kept.lock() {
            kept.retain(|(g, _)| *g != generation);
            kept.push((generation, built.clone()));
            kept.sort_by_key(|(g, _)| std::cmp::Reverse(*g));
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
