//! Bulk ingestion: folders of PDFs and catalogue record files into the index, incrementally.
//!
//! What the binaries call:
//!
//! - [`add`] with [`AddOptions`]: the `indexer add` run (parallel extraction, one writer,
//!   periodic commits, change detection by content hash, duplicates, JSON report).
//! - [`remove`]: a whole collection, or the documents of some files or ids.
//! - [`collections`] → [`CollectionInfo`]: `indexer collections` and the server's
//!   `/api/collections`.
//! - [`stats`] → [`IndexStats`]: `indexer stats`.
//! - [`ingest_corpus_if_empty`]: the server's first start on an empty data directory.
//!
//! Ids ([`ids`]): a record keeps its own id (unique across collections: another collection's
//! record with the same id is refused), a PDF gets `collection~<16 hex of blake3(collection,
//! relative path)>`. A document's `content_hash` is blake3 of the PDF bytes (combined with its
//! override row, if any) or of the record's canonical JSON; a document whose hash is already in
//! the index under its id is left alone, which makes a second run cheap.
//!
//! PDF text comes from [`pdf_source::load_pdf`], the single switch point between extractors.

pub mod discover;
mod error;
pub mod ids;
pub mod overrides;
pub mod pdf_source;
pub(crate) mod pipeline;
pub use pipeline::now_secs;
pub mod progress;
pub mod records;
pub mod report;
pub mod scan;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

pub use discover::FolderRecords;
pub use error::{chain as error_chain, IngestError};
pub use pipeline::{add, AddOptions, Prune};
pub use progress::ProgressMode;
pub use report::{AddReport, Entry, Outcome, Summary};
pub use scan::{collections, stats, CollectionInfo, IndexStats};

use crate::data_dir::DataDir;
use crate::index::{self, SearchIndex};

/// What to remove from a collection.
#[derive(Debug, Clone, Default)]
pub struct RemoveSpec {
    /// Files or folders as ingested (matched on the stored source path; a folder removes every
    /// PDF under it).
    pub paths: Vec<PathBuf>,
    /// Document ids: a record's own id, or a PDF's `collection~hex` id.
    pub ids: Vec<String>,
}

/// Removes documents from `collection` (all of them when `spec` is empty) and commits.
/// Returns how many documents were removed.
pub fn remove(data_dir: &DataDir, collection: &str, spec: &RemoveSpec) -> Result<u64, IngestError> {
    remove_inner(data_dir, collection, spec).map_err(|e| e.explain(&data_dir.index_dir()))
}

/// Opens the index for writing: a damaged file is refused before anything is written, since a
/// merge would copy its damage into a new segment with a valid checksum, where it could no
/// longer be noticed. Reading every byte costs far less than the extraction that follows.
pub(crate) fn open_for_writing(data_dir: &DataDir) -> Result<SearchIndex, IngestError> {
    let dir = data_dir.index_dir();
    let index = index::open(&dir)?;
    let damaged = index
        .index
        .validate_checksum()
        .map_err(IngestError::tantivy("checking the index files"))?;
    if !damaged.is_empty() {
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(IngestError::Damaged {
            path: dir,
            detail: format!("checksum mismatch in {}", names.join(", ")),
        });
    }
    Ok(index)
}

fn remove_inner(
    data_dir: &DataDir,
    collection: &str,
    spec: &RemoveSpec,
) -> Result<u64, IngestError> {
    ids::validate_collection(collection)?;
    let index = open_for_writing(data_dir)?;
    let f = &index.fields;
    let coll_term = Term::from_field_text(f.collection, collection);
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    if spec.paths.is_empty() && spec.ids.is_empty() {
        queries.push(Box::new(TermQuery::new(
            coll_term,
            IndexRecordOption::Basic,
        )));
    } else {
        let within = |t: Term| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(coll_term.clone(), IndexRecordOption::Basic)),
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                ),
            ]))
        };
        for p in matching_paths(&index, &spec.paths)? {
            queries.push(within(Term::from_field_text(f.source_path, &p)));
        }
        for id in &spec.ids {
            queries.push(within(Term::from_field_text(f.id, id)));
        }
    }
    let searcher = scan::searcher(&index)?;
    let mut ids = Vec::new();
    for q in &queries {
        ids.extend(scan::matching_ids(&searcher, q.as_ref())?);
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(0);
    }
    let removed = ids.len() as u64;
    let mut writer: IndexWriter<TantivyDocument> = index::writer(&index, 64 << 20)
        .map_err(IngestError::tantivy("creating the index writer"))?;
    let at = pipeline::now_secs();
    for id in &ids {
        // The work and its passages; its tombstone stays.
        let what = index::Deletion { id, collection, at };
        index::delete_document(&writer, f, what)
            .map_err(IngestError::tantivy("deleting documents"))?;
    }
    writer
        .commit()
        .map_err(IngestError::tantivy("committing"))?;
    writer
        .wait_merging_threads()
        .map_err(IngestError::tantivy("finishing merges"))?;
    Ok(removed)
}

/// The absolute form ingestion stores: canonical when the file (or its folder) still exists.
pub(crate) fn stored_form(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    if let (Some(parent), Some(name)) = (p.parent(), p.file_name()) {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(c) = std::fs::canonicalize(parent) {
            return c.join(name);
        }
    }
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Stored source paths equal to one of `paths` or under it.
fn matching_paths(index: &SearchIndex, paths: &[PathBuf]) -> Result<BTreeSet<String>, IngestError> {
    let searcher = scan::searcher(index)?;
    let mut out = BTreeSet::new();
    for p in paths {
        let exact = stored_form(p).to_string_lossy().into_owned();
        let prefix = format!("{}/", exact.trim_end_matches('/'));
        out.insert(exact);
        for seg in searcher.segment_readers() {
            let inverted = seg
                .inverted_index(index.fields.source_path)
                .map_err(IngestError::tantivy("reading source paths"))?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|e| IngestError::tantivy("reading source paths")(e.into()))?;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                out.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
    }
    Ok(out)
}

/// Ingests every sub-folder of `corpus_dir` as a collection of the same name (PDFs and
/// `.jsonl`/`.csv` records) when the index of `data_dir` holds no document; returns the
/// reports, or `None` when the index was not empty. The search server calls this at start-up
/// so a fresh install has something to search.
pub fn ingest_corpus_if_empty(
    data_dir: &DataDir,
    corpus_dir: &Path,
    progress: ProgressMode,
) -> Result<Option<Vec<AddReport>>, IngestError> {
    {
        let index = index::open(&data_dir.index_dir())
            .map_err(|e| IngestError::from(e).explain(&data_dir.index_dir()))?;
        let searcher = scan::searcher(&index).map_err(|e| e.explain(&data_dir.index_dir()))?;
        if searcher.num_docs() > 0 {
            return Ok(None);
        }
    }
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(corpus_dir)
        .map_err(IngestError::io(corpus_dir))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(name, _)| ids::validate_collection(name).is_ok())
        .collect();
    dirs.sort();
    let mut reports = Vec::new();
    for (name, path) in dirs {
        let mut opts = AddOptions::new(name, vec![path]);
        opts.progress = progress;
        opts.records_in_folders = FolderRecords::Include;
        reports.push(add(data_dir, &opts)?);
    }
    Ok(Some(reports))
}
