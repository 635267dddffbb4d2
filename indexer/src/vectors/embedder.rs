//! [`Embedder`]: the loaded model, what to embed ([`EmbedConfig`]) and the store's writer,
//! as ingestion uses them.
//!
//! Documents are queued and embedded in batches of about [`BATCH_TOKENS`] tokens (the model
//! runs a batch without padding, and short records embedded one by one would each pay for
//! streaming the weights); [`Embedder::sync`] embeds what is queued and makes it durable, which
//! the writer calls before every index commit.
//!
//! The model runs on a thread pool of its own. Extraction runs on rayon's global pool and its
//! workers block on the writer's channel when it is full; were the writer to embed on that
//! same pool, its matrix products would queue behind workers that wait for the writer.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::chunks::{texts_of, EmbedConfig, Texts};
use super::store::{DocVectors, VectorKind};
use super::writer::{Compaction, StoreWriter};
use super::VectorError;
use crate::data_dir::DataDir;
use crate::doc::Document;

/// Tokens queued before a batch is embedded: the model's own pass size.
pub const BATCH_TOKENS: usize = 4096;

/// What an [`Embedder`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct EmbedStats {
    /// Documents embedded.
    pub documents: u64,
    /// Documents whose content hash had vectors already (not embedded again).
    pub cached: u64,
    /// Vectors computed.
    pub vectors: u64,
    /// Tokens the model ran.
    pub tokens: u64,
    /// Seconds spent in the model.
    pub seconds: f64,
}

impl EmbedStats {
    pub fn tokens_per_second(&self) -> f64 {
        self.tokens as f64 / self.seconds.max(1e-9)
    }
}

/// The model, the configuration and the store writer of one run.
pub struct Embedder {
    /// Loaded when the first document needs vectors: a run that finds every document
    /// unchanged (a nightly `add --prune`, an upload of known files) never pays for it.
    model: Option<embed::Model>,
    model_file: PathBuf,
    config: EmbedConfig,
    store: StoreWriter,
    pool: rayon::ThreadPool,
    queue: Vec<(String, Texts)>,
    queued_tokens: usize,
    stats: EmbedStats,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("config", &self.config)
            .field("store", &self.store.path())
            .field("queued", &self.queue.len())
            .field("stats", &self.stats)
            .finish()
    }
}

impl Embedder {
    /// Loads the data directory's model and opens its store for appending; `None` when no
    /// model was imported. `threads` for the model (0: one per core).
    pub fn open(
        data_dir: &DataDir,
        config: EmbedConfig,
        threads: usize,
    ) -> Result<Option<Embedder>, VectorError> {
        let Some(installed) = crate::model::installed(data_dir)? else {
            return Ok(None);
        };
        let store = StoreWriter::open(data_dir, &installed.blake3, installed.dim)?;
        let model_file = data_dir.model_dir().join(&installed.file);
        Ok(Some(Embedder::with_model(
            None, model_file, store, config, threads,
        )))
    }

    /// An embedder over a loaded model and an open store (of that model).
    pub fn new(
        model: embed::Model,
        store: StoreWriter,
        config: EmbedConfig,
        threads: usize,
    ) -> Embedder {
        let file = PathBuf::new();
        Embedder::with_model(Some(model), file, store, config, threads)
    }

    fn with_model(
        model: Option<embed::Model>,
        model_file: PathBuf,
        store: StoreWriter,
        config: EmbedConfig,
        threads: usize,
    ) -> Embedder {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("embed-{i}"))
            .build()
            .expect("a thread pool for the model");
        Embedder {
            model,
            model_file,
            config,
            store,
            pool,
            queue: Vec::new(),
            queued_tokens: 0,
            stats: EmbedStats::default(),
        }
    }

    pub fn store(&self) -> &StoreWriter {
        &self.store
    }

    /// The model, loaded now if it was not yet.
    pub fn model(&mut self) -> Result<&embed::Model, VectorError> {
        let model = match self.model.take() {
            Some(m) => m,
            None => embed::Model::load(&self.model_file)?,
        };
        Ok(self.model.insert(model))
    }

    pub fn stats(&self) -> &EmbedStats {
        &self.stats
    }

    /// Whether the document with this content hash has vectors (or is queued for them).
    pub fn has(&self, content_hash: &str) -> bool {
        self.store.contains(content_hash) || self.queue.iter().any(|(h, _)| h == content_hash)
    }

    /// What of `doc` would be embedded.
    pub fn texts(&mut self, doc: &Document) -> Result<Texts, VectorError> {
        let config = self.config;
        Ok(texts_of(doc, &config, self.model()?))
    }

    /// Queues `doc` for embedding unless its content hash has vectors already (then `false`);
    /// embeds the queue once it holds [`BATCH_TOKENS`].
    pub fn queue(&mut self, doc: &Document) -> Result<bool, VectorError> {
        if self.has(&doc.content_hash) {
            self.stats.cached += 1;
            return Ok(false);
        }
        let texts = self.texts(doc)?;
        self.queue_texts(&doc.content_hash, texts)?;
        Ok(true)
    }

    /// Queues the texts of the document with `content_hash` (which has no vectors yet);
    /// embeds the queue once it holds [`BATCH_TOKENS`].
    pub fn queue_texts(&mut self, content_hash: &str, texts: Texts) -> Result<(), VectorError> {
        self.queued_tokens += texts.tokens;
        self.queue.push((content_hash.to_string(), texts));
        if self.queued_tokens >= BATCH_TOKENS {
            self.flush()?;
        }
        Ok(())
    }

    /// Embeds `doc` at once and appends its vectors; `None` when it had vectors already.
    pub fn embed_document(&mut self, doc: &Document) -> Result<Option<DocVectors>, VectorError> {
        self.flush()?;
        if self.has(&doc.content_hash) {
            self.stats.cached += 1;
            return Ok(None);
        }
        let texts = self.texts(doc)?;
        let mut done = self.embed_texts(std::slice::from_ref(&texts))?;
        let vectors = done.pop().unwrap_or_default();
        self.store.append(&doc.content_hash, &vectors)?;
        Ok(Some(vectors))
    }

    /// Embeds what is queued, then rewrites the store with only the content hashes `keep`
    /// accepts ([`StoreWriter::compact`]).
    pub fn compact_store(
        &mut self,
        keep: impl Fn(&str) -> bool,
    ) -> Result<Compaction, VectorError> {
        self.flush()?;
        self.store.compact(keep)
    }

    /// Embeds everything queued and appends it (not yet durable).
    pub fn flush(&mut self) -> Result<(), VectorError> {
        if self.queue.is_empty() {
            return Ok(());
        }
        let queue = std::mem::take(&mut self.queue);
        self.queued_tokens = 0;
        let texts: Vec<Texts> = queue.iter().map(|(_, t)| t.clone()).collect();
        let vectors = self.embed_texts(&texts)?;
        for ((hash, _), v) in queue.iter().zip(vectors) {
            self.store.append(hash, &v)?;
        }
        Ok(())
    }

    /// Embeds what is queued and makes every append durable: call before the index commit
    /// that holds the documents.
    pub fn sync(&mut self) -> Result<(), VectorError> {
        self.flush()?;
        self.store.sync()
    }

    /// The vectors of each document's texts, from one call of the model for all of them.
    fn embed_texts(&mut self, docs: &[Texts]) -> Result<Vec<DocVectors>, VectorError> {
        let all: Vec<&str> = docs.iter().flat_map(Texts::all).collect();
        let started = Instant::now();
        let mut vectors = if all.is_empty() {
            Vec::new()
        } else {
            self.model()?;
            let model = self.model.as_ref().expect("loaded just now");
            self.pool
                .install(|| model.embed(&all, embed::Kind::Passage))?
        }
        .into_iter();
        self.stats.seconds += started.elapsed().as_secs_f64();
        let mut out = Vec::with_capacity(docs.len());
        for t in docs {
            let mut v = Vec::new();
            if t.meta.is_some() {
                v.extend(vectors.next().map(|x| (VectorKind::Meta, x)));
            }
            for p in &t.passages {
                let kind = VectorKind::Passage { page: p.page };
                v.extend(vectors.next().map(|x| (kind, x)));
            }
            self.stats.documents += 1;
            self.stats.vectors += v.len() as u64;
            self.stats.tokens += t.tokens as u64;
            out.push(v);
        }
        Ok(out)
    }
}
