//! The write stage: one thread owns the tantivy writer, applies messages in order and commits
//! every `commit_every` operations, `commit_bytes` of text or `commit_interval`, so a crash
//! loses at most that much work.
//!
//! With a model imported it also owns the [`Embedder`]: every document it indexes is queued
//! for vectors (unless its content hash has them), and the vectors are appended and fsynced
//! before each commit, so they are never behind the index. Embedding here, after the channel,
//! rather than beside extraction keeps the two from fighting over the cores: while the model
//! is the slower stage the channel fills and extraction waits.

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use tantivy::{IndexWriter, TantivyDocument};

use super::super::progress::Progress;
use super::super::report::{Entries, Entry, Outcome};
use super::super::IngestError;
use super::now_secs;
use crate::doc::Document;
use crate::index::{self, SearchIndex};
use crate::vectors::Embedder;

/// Runs once everything sent before it is committed (see [`Msg::Checkpoint`]).
pub(crate) type CheckpointFn = Box<dyn FnOnce() -> Result<(), IngestError> + Send>;

/// Work for the writer thread.
pub(crate) enum Msg {
    /// Index a document (replacing any with its id) and report the entry once it is in.
    Index {
        doc: Box<Document>,
        entry: Entry,
        pdf: bool,
    },
    /// Remove a document (its tombstone stays for OAI-PMH); the entry, if any, is reported.
    Delete { id: String, entry: Option<Entry> },
    /// An outcome with nothing to index (a failed extraction or record, an unchanged one).
    Outcome { entry: Entry, pdf: bool },
    /// Runs after the next commit, i.e. once every message sent before it is durable. Only the
    /// latest checkpoint waiting for a commit runs (each one supersedes the ones before it);
    /// when nothing is waiting for a commit it runs at once.
    Checkpoint(CheckpointFn),
}

/// When the writer commits, and how much memory tantivy may use.
#[derive(Debug, Clone)]
pub(crate) struct WriteOptions {
    pub collection: String,
    pub commit_every: usize,
    pub commit_interval: Duration,
    /// tantivy queues added documents (each text in four analysed copies) until its indexing
    /// threads take them, a queue bounded in documents only; a commit waits for it to drain,
    /// so committing after this many bytes of text bounds memory however large the documents.
    pub commit_bytes: usize,
    pub writer_memory: usize,
}

/// Applies `rx` to the index until every sender is gone; adds the entries of the written and
/// reported inputs to `entries` and hands them back with the progress bar. With an
/// `embedder`, documents written get vectors, durable before the commit that holds them.
pub(crate) fn writer_loop(
    index: &SearchIndex,
    rx: Receiver<Msg>,
    opts: &WriteOptions,
    mut entries: Entries,
    mut progress: Progress,
    mut embedder: Option<&mut Embedder>,
) -> Result<(Entries, Progress), IngestError> {
    let mut writer: IndexWriter<TantivyDocument> = index::writer(index, opts.writer_memory)
        .map_err(IngestError::tantivy("creating the index writer"))?;
    let fields = &index.fields;
    let mut pending = 0usize;
    let mut pending_bytes = 0usize;
    let mut checkpoint: Option<CheckpointFn> = None;
    let mut last_commit = Instant::now();
    let mut commits = 0u64;
    let commit = |writer: &mut IndexWriter<TantivyDocument>,
                  checkpoint: &mut Option<CheckpointFn>,
                  embedder: &mut Option<&mut Embedder>|
     -> Result<(), IngestError> {
        if let Some(e) = embedder {
            e.sync()?;
        }
        writer
            .commit()
            .map_err(IngestError::tantivy("committing"))?;
        match checkpoint.take() {
            Some(f) => f(),
            None => Ok(()),
        }
    };
    loop {
        let wait = opts.commit_interval.saturating_sub(last_commit.elapsed());
        match rx.recv_timeout(wait) {
            Ok(Msg::Delete { id, entry }) => {
                let what = index::Deletion {
                    id: &id,
                    collection: &opts.collection,
                    at: now_secs(),
                };
                index::delete_document(&writer, fields, what)
                    .map_err(IngestError::tantivy(format!("removing {id}")))?;
                pending += 1;
                if let Some(entry) = entry {
                    progress.record_done();
                    entries.push(entry)?;
                }
            }
            Ok(Msg::Index { doc, entry, pdf }) => {
                // Replacing (delete, then add) keeps ids unique whatever the index held (e.g.
                // after a crash between two commits).
                index::write_document(&writer, fields, &doc)
                    .map_err(IngestError::tantivy(format!("indexing {}", entry.path)))?;
                if let Some(e) = embedder.as_deref_mut() {
                    e.queue(&doc)?;
                }
                pending += 1;
                pending_bytes += doc.pages.iter().map(|p| p.text.len()).sum::<usize>();
                if pdf {
                    progress.file_done(doc.pages.len() as u64);
                } else {
                    progress.record_done();
                }
                entries.push(entry)?;
            }
            Ok(Msg::Outcome { entry, pdf }) => {
                if pdf {
                    progress.file_done(0);
                } else {
                    progress.record_done();
                }
                if entry.outcome == Outcome::Failed {
                    progress.println(&format!(
                        "failed: {}: {}",
                        entry.path,
                        entry.reason.as_deref().unwrap_or("")
                    ));
                }
                entries.push(entry)?;
            }
            Ok(Msg::Checkpoint(f)) => {
                if pending == 0 {
                    f()?;
                } else {
                    checkpoint = Some(f);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if pending > 0
            && (pending >= opts.commit_every
                || pending_bytes >= opts.commit_bytes
                || last_commit.elapsed() >= opts.commit_interval)
        {
            commit(&mut writer, &mut checkpoint, &mut embedder)?;
            commits += 1;
            tracing::info!(commits, documents = pending, "committed");
            pending = 0;
            pending_bytes = 0;
            last_commit = Instant::now();
        } else if pending == 0 {
            last_commit = Instant::now();
        }
    }
    if pending > 0 || checkpoint.is_some() {
        commit(&mut writer, &mut checkpoint, &mut embedder)?;
    }
    writer
        .wait_merging_threads()
        .map_err(IngestError::tantivy("finishing merges"))?;
    Ok((entries, progress))
}
