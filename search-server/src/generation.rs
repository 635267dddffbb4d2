//! Values derived from one index generation (one commit's searcher), built on first use after
//! the commit and shared until the next: the completion candidates, the BM25 statistics.

use std::sync::{Arc, Mutex};

use tantivy::Searcher;

/// The value of the last generation asked for.
#[derive(Debug)]
pub struct PerGeneration<T> {
    current: Mutex<Option<(u64, Arc<T>)>>,
}

impl<T> Default for PerGeneration<T> {
    fn default() -> Self {
        PerGeneration {
            current: Mutex::new(None),
        }
    }
}

impl<T> PerGeneration<T> {
    /// The value of `searcher`'s generation: the one kept, or `build`'s, which is then kept.
    /// Two requests meeting a new generation may both build it; the last one is kept.
    pub fn get_or_build<E>(
        &self,
        searcher: &Searcher,
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let generation = searcher.generation().generation_id();
        if let Ok(g) = self.current.lock() {
            if let Some((gen, value)) = g.as_ref() {
                if *gen == generation {
                    return Ok(value.clone());
                }
            }
        }
        let built = Arc::new(build()?);
        if let Ok(mut g) = self.current.lock() {
            *g = Some((generation, built.clone()));
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
