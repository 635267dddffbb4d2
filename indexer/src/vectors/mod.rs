//! Sentence vectors of documents, for cross-lingual and hybrid search (issue 17).
//!
//! With a model imported ([`crate::model`]), ingestion embeds each new or changed document:
//! one *meta* vector (title, keywords, abstract) and *passage* vectors of its body, within a
//! per-document token budget. They live beside the index:
//!
//! ```text
//! data/vectors/
//!   vectors.bin   header (model, dimension), then one record per content hash, appended
//!   lock          held by the one process appending
//! ```
//!
//! - [`chunks`]: what of a document is embedded ([`EmbedConfig`]: window and budget).
//! - [`quant`]: int8 quantization and the integer dot product scoring runs on.
//! - [`store`]: the file format and [`VectorStore`], the read side the server searches.
//! - [`writer`]: [`StoreWriter`], appends under a lock, fsynced before the index commits.
//! - [`embedder`]: [`Embedder`], model + chunking + writer, used by the ingest pipeline.
//! - [`backfill`]: `indexer embed`, vectors for documents indexed before the model.
//!
//! Invariants:
//! - Records are keyed by the document's `content_hash` (the index's fast field), so an
//!   unchanged document is never embedded again, whatever its id or collection; a changed one
//!   has a new hash and gets new vectors (the old record stays as a harmless orphan).
//! - Vectors are never behind the index: the writer fsyncs its appends before the commit that
//!   holds their documents. After a crash the file may end in a torn record, which every
//!   reader ignores and the next writer truncates; nothing before it is lost.
//! - A store belongs to one model (its BLAKE3 in the header): a store of another model is not
//!   used (the reader says so and returns none), and the next writer starts it again.

pub mod backfill;
pub mod chunks;
pub mod embedder;
pub mod quant;
pub mod store;
pub mod writer;

use std::path::PathBuf;

pub use backfill::{backfill, BackfillOptions, BackfillReport};
pub use chunks::{EmbedConfig, Texts, BUDGET_TOKENS, CHUNK_TOKENS};
pub use embedder::{EmbedStats, Embedder};
pub use quant::QueryVector;
pub use store::{Centre, DocScore, DocVectors, VectorKind, VectorStore};
pub use writer::StoreWriter;

/// Why reading or writing vectors failed. Errors about a file name it.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error("cannot read or write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a vector store of this program: {reason}")]
    Foreign { path: PathBuf, reason: String },
    #[error(
        "another process (an `indexer add`, `indexer embed` or an upload to the server) is writing vectors to {path}"
    )]
    Busy { path: PathBuf },
    #[error("content hash {hash:?} is too long to key a vector record")]
    HashTooLong { hash: String },
    #[error(
        "no sentence-embedding model in {path}: import one first with `indexer model import FILE` (see README, \"The sentence-embedding model\")"
    )]
    NoModel { path: PathBuf },
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error(transparent)]
    Embed(#[from] embed::EmbedError),
    #[error(transparent)]
    Index(#[from] Box<crate::ingest::IngestError>),
}

impl VectorError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> VectorError {
        let path = path.into();
        move |source| VectorError::Io { path, source }
    }
}
