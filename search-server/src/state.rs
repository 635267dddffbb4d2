//! Shared server state: the index, its reader, the data directory, the write token and the
//! caches of stored documents, completions and unit statistics. It uses only the types it holds (the document
//! cache, the suggestion cache) and `AppError`, none of which needs the state, so search,
//! uploads and the routes can all take it without a cycle.

use std::sync::Arc;

use indexer::data_dir::DataDir;
use indexer::index::SearchIndex;
use indexer::query::stats::CorpusStats;
use indexer::query::Weights;
use tantivy::{IndexReader, ReloadPolicy, Searcher, Warmer};

use crate::documents::cache::DocCache;
use crate::error::AppError;
use crate::generation::PerGeneration;
use crate::oai::Repository;
use crate::semantic::Semantic;
use crate::suggest::Suggestions;
use crate::warm::Prepare;

/// The write token, kept only as its blake3 digest: `blake3::Hash` compares in constant time,
/// and comparing digests also hides the token's length.
#[derive(Clone)]
pub struct Token(blake3::Hash);

impl Token {
    /// `None` for an empty (or all white space) token: an empty token would let anyone write.
    pub fn new(secret: &str) -> Option<Token> {
        let s = secret.trim();
        (!s.is_empty()).then(|| Token(blake3::hash(s.as_bytes())))
    }

    /// Constant-time check of a presented token.
    pub fn verify(&self, presented: &str) -> bool {
        blake3::hash(presented.as_bytes()) == self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot open an index reader")]
    Reader(#[source] tantivy::TantivyError),
}

/// Everything handlers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub index: SearchIndex,
    pub reader: IndexReader,
    pub data_dir: DataDir,
    pub token: Option<Token>,
    pub weights: Weights,
    /// Writes go one at a time: tantivy allows one writer per index.
    pub write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    pub doc_cache: DocCache,
    /// Completion candidates of the current generation.
    pub suggest: PerGeneration<Suggestions>,
    /// How the OAI-PMH provider describes the repository.
    pub oai: Repository,
    /// The sentence-embedding model, when one was imported (`indexer model import`).
    pub semantic: Option<Arc<Semantic>>,
    /// Each index generation's statistics and vectors, prepared before it is served (the
    /// reader holds it weakly, so it lives here).
    prepare: Arc<Prepare>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("index", &self.index)
            .field("data_dir", &self.data_dir)
            .field("writes_enabled", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The imported model, if any. A model that does not load leaves search lexical (and says
/// why in the log) rather than keeping the server from serving.
fn load_semantic(data_dir: &DataDir) -> Option<Semantic> {
    match Semantic::load(data_dir) {
        Ok(s) => {
            if s.is_some() {
                tracing::info!(
                    "sentence-embedding model loaded: hybrid and cross-lingual search on"
                );
            }
            s
        }
        Err(e) => {
            tracing::warn!(
                "the imported model cannot be used, search stays lexical: {}",
                crate::error::chain(&e)
            );
            None
        }
    }
}

/// Rebuild advice for an index that cannot be read.
pub fn damaged_advice(index_dir: &std::path::Path) -> String {
    format!(
        "the index in {d} cannot be read (damaged or incomplete files). Rebuild it: stop the server, move {d} aside, run `indexer add` again for each collection (uploads are kept under the data directory's uploads/ folder), then start the server",
        d = index_dir.display()
    )
}

impl AppState {
    /// State over an opened index. The reader reloads by itself shortly after every commit
    /// (by this server's writes or by an `indexer add` run beside it), so new documents become
    /// searchable without a restart.
    pub fn new(
        index: SearchIndex,
        data_dir: DataDir,
        token: Option<Token>,
    ) -> Result<AppState, StateError> {
        AppState::with_weights(index, data_dir, token, Weights::default())
    }

    /// [`AppState::new`] with other ranking weights than the product's, for benchmarks that
    /// compare configurations.
    pub fn with_weights(
        index: SearchIndex,
        data_dir: DataDir,
        token: Option<Token>,
        weights: Weights,
    ) -> Result<AppState, StateError> {
        let semantic = load_semantic(&data_dir).map(Arc::new);
        let prepare = Arc::new(Prepare {
            fields: index.fields.clone(),
            stats: PerGeneration::default(),
            semantic: semantic.clone(),
            verified: Default::default(),
            damaged: std::sync::OnceLock::new(),
            index_dir: data_dir.index_dir(),
        });
        let warmer: Arc<dyn Warmer> = prepare.clone();
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()
            .map_err(StateError::Reader)?;
        Ok(AppState(Arc::new(Inner {
            index,
            reader,
            data_dir,
            token,
            weights,
            write_lock: std::sync::Arc::new(tokio::sync::Mutex::new(())),
            doc_cache: DocCache::new(512 << 20),
            suggest: PerGeneration::default(),
            oai: Repository::default(),
            semantic,
            prepare,
        })))
    }

    /// Records that these index files are damaged: logged with what to do, and from then on
    /// every request but `/health` gets that advice as a 503 instead of reading damaged data
    /// (tantivy panics on some damaged files, which would make each search a 500).
    pub fn mark_damaged(&self, files: &[String]) {
        self.0.prepare.mark_damaged(files);
    }

    /// The advice recorded by [`AppState::mark_damaged`], if any.
    pub fn damaged(&self) -> Option<&str> {
        self.0.prepare.damaged.get().map(String::as_str)
    }

    /// The state with `repository` as the OAI-PMH provider's description; only before the
    /// state is shared (a clone of it exists).
    pub fn with_oai(mut self, repository: Repository) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.oai = repository;
        }
        self
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The unit statistics of `searcher`'s generation (prepared by [`Prepare`]).
    pub fn corpus_stats(&self, searcher: &Searcher) -> Result<Arc<CorpusStats>, AppError> {
        self.prepare.corpus_stats(searcher).map_err(AppError::from)
    }

    /// The completion candidates of the current index generation (built on first use after
    /// a commit).
    pub fn suggestions(&self) -> Result<Arc<Suggestions>, AppError> {
        let searcher = self.searcher();
        self.suggest.get_or_build(&searcher, || {
            Suggestions::build(&searcher, &self.index.fields)
        })
    }

    /// Runs `f` on tokio's blocking pool: searches read mmapped files and decompress stored
    /// documents, which must never stall the async reactor.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(AppError::internal("blocking task"))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexer::ingest::{self, AddOptions};

    /// The first `n` records of the bundled d2l-vi catalogue, as a record file in `dir`.
    fn records(
        dir: &std::path::Path,
        name: &str,
        range: std::ops::Range<usize>,
    ) -> std::path::PathBuf {
        let src =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/records/d2l-vi.jsonl");
        let text = std::fs::read_to_string(src).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let path = dir.join(name);
        std::fs::write(&path, lines[range].join("\n") + "\n").unwrap();
        path
    }

    /// A data directory in `dir` holding the first three d2l-vi records.
    fn library(dir: &std::path::Path) -> DataDir {
        let data = DataDir::new(dir.join("data"));
        let first = records(dir, "a.jsonl", 0..3);
        ingest::add(&data, &AddOptions::new("d2l", vec![first])).unwrap();
        data
    }

    #[test]
    fn each_generation_is_prepared_before_it_serves_a_search() {
        let dir = tempfile::tempdir().unwrap();
        let data = library(dir.path());
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let state = AppState::new(index, data.clone(), None).unwrap();
        // Opening the reader prepared the statistics its searches use; no search has run.
        let before = state.searcher();
        assert!(state.prepare.stats.is_built(&before));
        // A commit by another process (an `indexer add` beside the server): once the reader
        // serves the new generation, its statistics are there already.
        let more = records(dir.path(), "b.jsonl", 3..5);
        ingest::add(&data, &AddOptions::new("d2l", vec![more])).unwrap();
        state.reader.reload().unwrap();
        let after = state.searcher();
        assert_ne!(
            after.generation().generation_id(),
            before.generation().generation_id()
        );
        assert!(state.prepare.stats.is_built(&after));
        assert!(after.num_docs() > before.num_docs());
    }

    #[test]
    fn damaged_fast_fields_mark_the_index_before_anything_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let data = library(dir.path());
        let fast = std::fs::read_dir(data.index_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "fast"))
            .unwrap();
        // Bytes inside the data, away from the footer that opening reads: tantivy opens the
        // index, and would read them as column offsets.
        let mut bytes = std::fs::read(&fast).unwrap();
        let mid = bytes.len() / 2;
        for b in &mut bytes[mid - 8..mid + 8] {
            *b ^= 0xA5;
        }
        std::fs::write(&fast, &bytes).unwrap();
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let state = AppState::new(index, data.clone(), None).unwrap();
        let advice = state.damaged().expect("marked damaged");
        let name = fast.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            advice.contains("Rebuild") && advice.contains(&name),
            "{advice}"
        );
        assert!(!state.prepare.stats.is_built(&state.searcher()));
    }

    #[test]
    fn token_checks() {
        assert!(Token::new("").is_none() && Token::new(" \n\t").is_none());
        let t = Token::new(" s3cret-token\n").unwrap();
        assert!(
            t.verify("s3cret-token"),
            "white space around a token file is not part of it"
        );
        for wrong in [
            "",
            "s3cret-toke",
            "s3cret-tokenn",
            "S3CRET-TOKEN",
            "nekot-terc3s",
        ] {
            assert!(!t.verify(wrong), "{wrong:?}");
        }
        // Only the digest is kept (blake3's `Hash` compares in constant time) and nothing of
        // the token is printed.
        assert_eq!(format!("{t:?}"), "Token(…)");
    }
}
