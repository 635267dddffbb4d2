//! Semantic search beside the lexical ranking, when a sentence-embedding model was imported
//! (`indexer model import`; without one this module is never used and search stays lexical).
//!
//! - [`Semantic`]: the model, loaded once at start, and the vectors of queries already asked
//!   (embedding a query costs tens of milliseconds; a result list's next page, a facet click
//!   or a second user asking the same thing reuse it).
//! - [`vectors::Vectors`]: the documents' vectors (`indexer::vectors::VectorStore`) of one index
//!   generation, with each work's content hash by segment, so a work found by tantivy finds its
//!   vectors, and [`vectors::Vectors::nearest`] ranks every work a filter admits by the model.
//! - [`translations`]: which work of one language is the translation of which of the other,
//!   found from the vectors when a search first asks.
//! - [`fuse`]: the two ways of putting the model's ranking and the lexical one together.
//!
//! How search uses them (`search::run`): within one language the lexical ranking's best works
//! are re-ranked with the model (hybrid); a query whose language differs from the `lang`
//! filter is answered by the model's nearest works of that language fused with the lexical
//! ones (cross-lingual); without a filter the response also lists the model's nearest works in
//! the other language.

pub mod fuse;
pub mod translations;
pub mod vectors;

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use embed::{Kind, Model};
use indexer::data_dir::DataDir;
use lru::LruCache;
use tantivy::Searcher;

use crate::error::AppError;
use crate::generation::PerGeneration;
use vectors::Vectors;

/// Query vectors kept: a few hundred kilobytes.
const QUERY_CACHE: usize = 1024;

/// Why the model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    #[error(transparent)]
    Model(#[from] indexer::model::ModelError),
}

/// The imported model and what is derived from it.
pub struct Semantic {
    model: Model,
    data_dir: DataDir,
    queries: Mutex<LruCache<String, Arc<Vec<f32>>>>,
    vectors: PerGeneration<Option<Vectors>>,
}

impl std::fmt::Debug for Semantic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semantic")
            .field("model", self.model.info())
            .finish_non_exhaustive()
    }
}

impl Semantic {
    /// The data directory's model, loaded; `None` when no model was imported.
    pub fn load(data_dir: &DataDir) -> Result<Option<Semantic>, SemanticError> {
        let Some(model) = indexer::model::load(data_dir)? else {
            return Ok(None);
        };
        Ok(Some(Semantic {
            model,
            data_dir: data_dir.clone(),
            queries: Mutex::new(LruCache::new(
                NonZeroUsize::new(QUERY_CACHE).expect("non-zero"),
            )),
            vectors: PerGeneration::default(),
        }))
    }

    /// The unit vector of a query (its text as typed, NFC inside the model), cached.
    pub fn query_vector(&self, text: &str) -> Result<Arc<Vec<f32>>, AppError> {
        if let Some(v) = self
            .queries
            .lock()
            .ok()
            .and_then(|mut c| c.get(text).cloned())
        {
            return Ok(v);
        }
        let mut out = self
            .model
            .embed(&[text], Kind::Query)
            .map_err(AppError::internal("embedding the query"))?;
        let v = Arc::new(out.pop().unwrap_or_default());
        if let Ok(mut c) = self.queries.lock() {
            c.put(text.to_string(), Arc::clone(&v));
        }
        Ok(v)
    }

    /// The documents' vectors as of `searcher`'s generation; `None` while no document has any.
    ///
    /// Ingestion appends vectors before the commit that adds their documents, so the store
    /// reopened for a generation holds every vector that generation's works have.
    pub fn vectors(&self, searcher: &Searcher) -> Result<Arc<Option<Vectors>>, AppError> {
        self.vectors
            .get_or_build(searcher, || Vectors::open(&self.data_dir, searcher))
    }
}
