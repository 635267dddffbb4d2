//! The documents' vectors of one index generation, reachable from tantivy's document
//! addresses.
//!
//! Vectors are kept by content hash (`indexer::vectors`), works are found by address: the
//! `content_hash` fast field joins them. Its dictionary is read once per generation into one
//! table per segment (term ordinal → hash), so looking a work up is two array reads and a
//! hash-map probe in the store.

use indexer::data_dir::DataDir;
use indexer::schema::names;
use indexer::vectors::VectorStore;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use crate::error::AppError;

/// The vectors of one generation.
pub struct Vectors {
    store: VectorStore,
    /// Per segment (by ordinal): the content hash of each term ordinal of its column.
    hashes: Vec<Vec<Box<str>>>,
}

impl std::fmt::Debug for Vectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vectors")
            .field("documents", &self.store.len())
            .finish_non_exhaustive()
    }
}

/// The `content_hash` column of each segment of `searcher`.
fn columns(searcher: &Searcher) -> Result<Vec<Option<StrColumn>>, AppError> {
    searcher
        .segment_readers()
        .iter()
        .map(|seg| Ok(seg.fast_fields().str(names::CONTENT_HASH)?))
        .collect()
}

impl Vectors {
    /// The store as it is now, joined to `searcher`'s segments; `None` without vectors.
    pub(super) fn open(
        data_dir: &DataDir,
        searcher: &Searcher,
    ) -> Result<Option<Vectors>, AppError> {
        let Some(store) =
            VectorStore::open(data_dir).map_err(AppError::internal("opening the vectors"))?
        else {
            return Ok(None);
        };
        let mut hashes = Vec::new();
        for column in columns(searcher)? {
            let mut table = Vec::new();
            if let Some(col) = column {
                let mut s = String::new();
                for ord in 0..col.num_terms() as u64 {
                    s.clear();
                    col.ord_to_str(ord, &mut s)
                        .map_err(AppError::internal("reading content hashes"))?;
                    table.push(s.as_str().into());
                }
            }
            hashes.push(table);
        }
        Ok(Some(Vectors { store, hashes }))
    }

    /// Documents (content hashes) with vectors.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    fn hash(&self, columns: &[Option<StrColumn>], addr: DocAddress) -> Option<&str> {
        let seg = addr.segment_ord as usize;
        let ord = columns.get(seg)?.as_ref()?.term_ords(addr.doc_id).next()?;
        self.hashes.get(seg)?.get(ord as usize).map(|h| &**h)
    }

    /// The model's similarity of `query` (a unit vector) to each work of `addrs`: the best
    /// over the work's vectors (its metadata and its passages); `None` for a work without any.
    pub fn cosines(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
        query: &[f32],
    ) -> Result<Vec<Option<f32>>, AppError> {
        let columns = columns(searcher)?;
        Ok(addrs
            .iter()
            .map(|a| {
                self.hash(&columns, *a)
                    .and_then(|h| self.store.score(h, query))
                    .map(|s| s.best)
            })
            .collect())
    }

    /// The `k` works that `filter` admits nearest to `query`, best first. Exact: every
    /// admitted work with vectors is scored (int8 dot products over memory-mapped vectors).
    pub fn nearest(
        &self,
        searcher: &Searcher,
        filter: &dyn Query,
        query: &[f32],
        k: usize,
    ) -> Result<Vec<(DocAddress, f32)>, AppError> {
        if k == 0 {
            return Ok(Vec::new());
        }
        let admitted = searcher.search(filter, &DocSetCollector)?;
        let columns = columns(searcher)?;
        let mut scored: Vec<(DocAddress, f32)> = admitted
            .into_iter()
            .filter_map(|a| {
                let h = self.hash(&columns, a)?;
                Some((a, self.store.score(h, query)?.best))
            })
            .collect();
        let by_score =
            |x: &(DocAddress, f32), y: &(DocAddress, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        Ok(scored)
    }
}
