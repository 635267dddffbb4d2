//! Opening the index: the one function both binaries use.
//!
//! tantivy stores the schema in the index but not the analyzers: an index opened without
//! [`crate::analysis::register`] would fall back to tantivy's default tokenizer for queries
//! and silently disagree with what was indexed. [`open`] is therefore the only way this
//! project opens an index, and it registers the analyzers and checks the schema every time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::collector::Count;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::indexer::UserOperation;
use tantivy::{DocAddress, DocId, Index, IndexWriter, Opstamp, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::doc::Document;
use crate::schema::{build_schema, Fields, SchemaMismatch};

/// An opened index with its analyzers registered and its field handles resolved.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// Why an index could not be opened. Every variant names the directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot create index directory {path}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open index in {path}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("index in {path} is incompatible")]
    Schema {
        path: PathBuf,
        #[source]
        source: SchemaMismatch,
    },
}

/// Opens the index in `dir`, creating the directory and an empty index when there is none.
pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
    std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let tantivy_err = |source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    };
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_err(e.into()))?;
    let directory = ReadableWhenReadOnly {
        inner: directory,
        root: dir.to_path_buf(),
    };
    let (schema, _) = build_schema();
    let index = Index::open_or_create(directory, schema).map_err(|e| match e {
        tantivy::TantivyError::SchemaError(msg) => IndexError::Schema {
            path: dir.to_path_buf(),
            source: SchemaMismatch {
                field: msg,
                problem: "differs",
            },
        },
        other => tantivy_err(other),
    })?;
    finish(index, dir)
}

/// An `MmapDirectory` that can still be read when the index folder is read-only (a read-only
/// mount, or files owned by the account that runs `indexer add`).
///
/// tantivy takes the meta lock (`.tantivy-meta.lock`, opened for writing) every time a reader
/// opens its segments, so that a writer's garbage collection cannot delete them meanwhile;
/// without this wrapper neither `indexer stats` nor the server could read an index they may
/// not write. When the lock file cannot be opened for writing, the lock is taken on a
/// read-only handle of the same file (`flock` does not need write access), and skipped when
/// the file does not exist: then no writer ever ran in this folder with write access, so there
/// is no garbage collection to hold off.
#[derive(Debug, Clone)]
struct ReadableWhenReadOnly {
    inner: MmapDirectory,
    root: PathBuf,
}

/// Holds a `flock` for as long as it lives (closing the file releases it).
struct ReadOnlyLock(#[allow(dead_code)] std::fs::File);

fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

impl Directory for ReadableWhenReadOnly {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if is_read_only(&e) && lock.filepath == META_LOCK.filepath =>
            {
                let path = self.root.join(&lock.filepath);
                match std::fs::File::open(&path) {
                    Ok(file) => {
                        fs4::fs_std::FileExt::lock_exclusive(&file)
                            .map_err(|e| LockError::IoError(Arc::new(e)))?;
                        Ok(DirectoryLock::from(Box::new(ReadOnlyLock(file))))
                    }
                    Err(open) if open.kind() == std::io::ErrorKind::NotFound => {
                        Ok(DirectoryLock::from(Box::new(())))
                    }
                    Err(_) => Err(LockError::IoError(e)),
                }
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// An empty index in memory, for tests and one-off tools.
pub fn create_in_ram() -> SearchIndex {
    let (schema, fields) = build_schema();
    let index = Index::create_in_ram(schema);
    analysis::register(index.tokenizers());
    SearchIndex { index, fields }
}

fn finish(index: Index, dir: &Path) -> Result<SearchIndex, IndexError> {
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&index.schema()).map_err(|source| IndexError::Schema {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(SearchIndex { index, fields })
}

/// How many live works (not passages) `searcher`'s snapshot holds.
pub fn live_works(searcher: &Searcher, fields: &Fields) -> tantivy::Result<u64> {
    Ok(searcher.search(&fields.works(), &Count)? as u64)
}

/// The work unit a unit belongs to: itself for a work unit, `to_work` documents further on
/// for a passage (see [`crate::schema`]).
pub fn work_of(searcher: &Searcher, addr: DocAddress) -> tantivy::Result<DocAddress> {
    let seg = searcher.segment_reader(addr.segment_ord);
    let to_work = seg.fast_fields().u64("to_work")?;
    let off = to_work.first(addr.doc_id).unwrap_or(0) as DocId;
    Ok(DocAddress::new(addr.segment_ord, addr.doc_id + off))
}

/// Adds `doc` to the index, replacing any work with its id: deletes the old work unit and its
/// passages, then writes the new units as one operation group, so they land contiguous in one
/// segment (what a passage's `to_work` relies on; see [`crate::schema`]).
///
/// A delete only hits documents added before it, so the new units are never deleted.
pub fn write_document(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    doc: &Document,
) -> tantivy::Result<Opstamp> {
    let mut ops = delete_ops(fields, &doc.id);
    ops.extend(fields.to_tantivy(doc).into_iter().map(UserOperation::Add));
    writer.run(ops)
}

/// A writer over `index` with `budget` bytes of indexing memory and the project's merge
/// policy ([`crate::merge_policy::BoundedMergePolicy`]): every writer is made here.
pub fn writer(index: &SearchIndex, budget: usize) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    let w: IndexWriter<TantivyDocument> = index.index.writer(budget)?;
    w.set_merge_policy(Box::new(crate::merge_policy::BoundedMergePolicy::default()));
    Ok(w)
}

/// What is deleted: a work of a collection, at a time (seconds since the epoch).
#[derive(Debug, Clone, Copy)]
pub struct Deletion<'a> {
    pub id: &'a str,
    pub collection: &'a str,
    pub at: i64,
}

/// Deletes the work `what.id` and its passages, and leaves its tombstone (see
/// [`crate::schema`]) in the same operation group, so a reader sees both or neither.
pub fn delete_document(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    what: Deletion<'_>,
) -> tantivy::Result<Opstamp> {
    let mut ops = delete_ops(fields, what.id);
    ops.push(UserOperation::Add(fields.tombstone(
        what.id,
        what.collection,
        what.at,
    )));
    writer.run(ops)
}

fn delete_ops(fields: &Fields, id: &str) -> Vec<UserOperation<TantivyDocument>> {
    vec![
        UserOperation::Delete(Term::from_field_text(fields.id, id)),
        UserOperation::Delete(Term::from_field_text(fields.parent, id)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_then_reopens_with_analyzers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let first = open(&path).unwrap();
        drop(first);
        let again = open(&path).unwrap();
        for name in analysis::ALL {
            assert!(again.index.tokenizers().get(name).is_some(), "{name}");
        }
    }
}
