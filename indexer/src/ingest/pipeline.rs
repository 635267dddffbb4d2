//! The `add` run: discover, decide what changed, extract in parallel, index with one writer.
//!
//! ```text
//!  discover ─► hash every PDF (rayon) ─► decide: unchanged / duplicate / to extract
//!                                                     │
//!  records (main thread, row by row) ──────────┐      ▼
//!                      extraction (rayon, all cores) ─┤
//!                                                     ▼
//!                      bounded channel ─► writer thread: delete_term(id) + add, commit every
//!                                         N documents or T seconds, and at the end
//! ```
//!
//! Memory stays flat: at most `channel capacity + extracting threads` documents exist at once,
//! and the writer's memory budget bounds what tantivy buffers before writing a segment.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use rayon::prelude::*;
use std::sync::{Condvar, Mutex};
use tantivy::{IndexWriter, TantivyDocument};

use super::discover::{discover, FolderRecords, Input};
use super::overrides::Overrides;
use super::progress::{Progress, ProgressMode};
use super::records::{for_each_row, RecordFields};
use super::report::{write_report, AddReport, Entry, Outcome, Summary};
use super::scan::{for_each_doc, rfc3339, searcher};
use super::{error, ids, pdf_source, IngestError};
use crate::data_dir::DataDir;
use crate::doc::Document;
use crate::index::{self, SearchIndex};
use crate::ocr::{self, OcrMode, OcrOptions};

/// How to run `add`.
#[derive(Debug, Clone)]
pub struct AddOptions {
    pub collection: String,
    /// PDFs, folders and record files.
    pub inputs: Vec<PathBuf>,
    /// Override file keyed by `file`.
    pub metadata: Option<PathBuf>,
    /// Report file; default `reports/add-<collection>-<time>.json` in the data directory.
    pub report: Option<PathBuf>,
    pub progress: ProgressMode,
    /// Commit after this many indexed or deleted documents...
    pub commit_every: usize,
    /// ...or this long after the last commit...
    pub commit_interval: Duration,
    /// ...or once this much page text was added. tantivy queues added documents (each text
    /// in four analysed copies) until its indexing threads take them, a queue bounded in
    /// documents only; a commit waits for it to drain, so this bounds memory in bytes however
    /// large the documents are.
    pub commit_bytes: usize,
    /// tantivy writer memory budget in bytes (shared by its indexing threads).
    pub writer_memory: usize,
    /// Whether folders yield `.jsonl`/`.csv` record files as well as PDFs.
    pub records_in_folders: FolderRecords,
    /// Total size in bytes of the PDF files being extracted at the same time. Extraction of a
    /// large PDF can take ~70 times its file size in memory, so peak memory is set by which
    /// large files happen to be extracted together, not by how many files there are; this
    /// budget keeps two large ones apart (a file larger than the budget runs alone).
    pub extract_budget: u64,
    /// OCR of pages without text (default: `auto`, when tesseract is installed).
    pub ocr: OcrOptions,
}

impl AddOptions {
    pub fn new(collection: impl Into<String>, inputs: Vec<PathBuf>) -> AddOptions {
        AddOptions {
            collection: collection.into(),
            inputs,
            metadata: None,
            report: None,
            progress: ProgressMode::Auto,
            commit_every: 200,
            commit_interval: Duration::from_secs(10),
            commit_bytes: 16 << 20,
            writer_memory: 128 << 20,
            records_in_folders: FolderRecords::Skip,
            extract_budget: 6 << 20,
            ocr: OcrOptions::default(),
        }
    }
}

/// What the index already holds for the collection.
#[derive(Debug, Default)]
struct Existing {
    hash_by_id: HashMap<String, String>,
    id_by_hash: HashMap<String, String>,
    /// Ids held by other collections, with their collection: a record id is the record's own
    /// id, so a second collection must not take it over.
    other_collection_by_id: HashMap<String, String>,
}

impl Existing {
    fn load(index: &SearchIndex, collection: &str) -> Result<Existing, IngestError> {
        let mut e = Existing::default();
        for_each_doc(&searcher(index)?, |row| {
            if row.collection == collection {
                e.id_by_hash
                    .entry(row.content_hash.clone())
                    .or_insert_with(|| row.id.clone());
                e.hash_by_id.insert(row.id, row.content_hash);
            } else {
                e.other_collection_by_id.insert(row.id, row.collection);
            }
        })?;
        Ok(e)
    }
}

/// Work for the writer thread.
enum Msg {
    /// Index a document (replacing any with its id) and report the entry once it is in.
    Index {
        doc: Box<Document>,
        entry: Entry,
        pdf: bool,
    },
    /// Remove a stale document.
    Delete(String),
    /// An outcome with nothing to index (a failed extraction or record).
    Outcome { entry: Entry, pdf: bool },
}

/// A PDF that needs extracting.
struct PdfJob {
    path: PathBuf,
    relative: String,
    id: String,
    hash: String,
    /// blake3 of the file alone (`hash` may include an override row): the OCR cache key.
    file_hash: String,
    outcome: Outcome,
    overrides: Option<RecordFields>,
    size: u64,
}

/// Seconds since the Unix epoch, now: the datestamps of ingestion and deletion.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// PDFs waiting for extraction, handed out largest first so that the files being extracted
/// at once stay within a byte budget. Kept in increasing size so taking the largest (or one
/// of the few skipped large ones) moves no more than those few entries.
struct JobQueue {
    state: Mutex<(Vec<PdfJob>, u64)>,
    freed: Condvar,
    budget: u64,
}

impl JobQueue {
    fn new(mut jobs: Vec<PdfJob>, budget: u64) -> JobQueue {
        jobs.sort_by_key(|j| j.size);
        JobQueue {
            state: Mutex::new((jobs, 0)),
            freed: Condvar::new(),
            budget,
        }
    }

    /// The largest job that fits in what is left of the budget (the largest of all when
    /// nothing is in flight); waits while none fits; `None` when the queue is empty. Largest
    /// first, because a big thesis started last would leave the other cores idle at the end.
    fn next(&self) -> Option<PdfJob> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let (jobs, in_flight) = &mut *state;
            if jobs.is_empty() {
                return None;
            }
            let room = self.budget.saturating_sub(*in_flight);
            let pick = if *in_flight == 0 {
                Some(jobs.len() - 1)
            } else {
                jobs.iter().rposition(|j| j.size <= room)
            };
            if let Some(i) = pick {
                let job = jobs.remove(i);
                *in_flight += job.size;
                return Some(job);
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn done(&self, size: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 -= size;
        self.freed.notify_all();
    }
}

/// Blake3 hex of the file's bytes, and its size.
fn hash_file(path: &Path) -> Result<(String, u64), std::io::Error> {
    let mut h = blake3::Hasher::new();
    h.update_reader(std::fs::File::open(path)?)?;
    Ok((h.finalize().to_hex().to_string(), h.count()))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Ingests `opts.inputs` into the collection, writes the report and returns it.
///
/// Only errors that stop the whole run (the index cannot be opened or written, the override
/// file cannot be read, the report cannot be written) are `Err`; a bad input is an entry with
/// outcome `failed`.
pub fn add(data_dir: &DataDir, opts: &AddOptions) -> Result<AddReport, IngestError> {
    add_inner(data_dir, opts).map_err(|e| e.explain(&data_dir.index_dir()))
}

fn add_inner(data_dir: &DataDir, opts: &AddOptions) -> Result<AddReport, IngestError> {
    let started = Instant::now();
    let started_at = now_secs();
    ids::validate_collection(&opts.collection)?;
    let collection = opts.collection.as_str();
    let mut overrides = match &opts.metadata {
        Some(p) => Some(Overrides::load(p)?),
        None => None,
    };
    let index = super::open_for_writing(data_dir)?;
    let existing = Existing::load(&index, collection)?;
    // Checked once per run: whether OCR can run decides nothing else, so a missing tesseract
    // is a line in the summary (or an error when `always` asked for it).
    let (engine, ocr_unavailable) = match opts.ocr.mode {
        OcrMode::Never => (None, Some("OCR is off (--ocr never)".to_string())),
        mode => match ocr::Engine::detect(&opts.ocr) {
            Ok(engine) => (Some(engine), None),
            Err(e) if mode == OcrMode::Always => return Err(IngestError::Ocr(e)),
            Err(e) => (None, Some(error::chain(&e))),
        },
    };
    let cache = ocr::Cache::new(data_dir.ocr_dir());

    let mut entries: Vec<Entry> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut stale: Vec<String> = Vec::new();
    let mut record_files = Vec::new();
    let mut pdfs = Vec::new();
    for input in discover(&opts.inputs, opts.records_in_folders) {
        match input {
            Input::Pdf { path, relative } => pdfs.push((path, relative)),
            Input::Records { path } => record_files.push(path),
            Input::Unusable { path, reason } => entries
                .push(Entry::new(path.display().to_string(), None, Outcome::Failed).reason(reason)),
        }
    }

    // Hashing reads every byte but costs a fraction of extraction; it tells what changed.
    let hashes: Vec<Result<(String, u64), std::io::Error>> =
        pdfs.par_iter().map(|(p, _)| hash_file(p)).collect();
    let mut jobs = Vec::new();
    let mut path_by_id: HashMap<String, String> = HashMap::new();
    let mut first_by_hash: HashMap<String, String> = HashMap::new();
    for ((path, relative), hash) in pdfs.into_iter().zip(hashes) {
        let shown = path.display().to_string();
        let id = ids::pdf_id(collection, &relative);
        let (file_hash, size) = match hash {
            Ok(h) => h,
            Err(e) => {
                entries.push(
                    Entry::new(shown, Some(id), Outcome::Failed)
                        .reason(format!("cannot read: {e}")),
                );
                continue;
            }
        };
        if let Some(other) = path_by_id.get(&id) {
            entries.push(Entry::new(&shown, Some(id), Outcome::Failed).reason(format!(
                "same relative path {relative:?} as {other}: add these folders in separate runs or collections"
            )));
            continue;
        }
        path_by_id.insert(id.clone(), shown.clone());
        let row = overrides
            .as_mut()
            .and_then(|o| o.lookup(&relative))
            .cloned();
        // The override is part of the hash, so editing the override file re-indexes the PDF.
        let hash = match &row {
            Some(r) => blake3::hash(format!("{file_hash}\0{}", r.hash()).as_bytes())
                .to_hex()
                .to_string(),
            None => file_hash.clone(),
        };
        let old = existing.hash_by_id.get(&id);
        let duplicate_of = first_by_hash.get(&hash).cloned().or_else(|| {
            existing
                .id_by_hash
                .get(&hash)
                .filter(|other| **other != id)
                .map(|other| format!("document {other} already in collection {collection}"))
        });
        if let Some(first) = duplicate_of {
            let mut reason = format!("same content as {first}");
            if old.is_some() {
                // This path's previous content is gone from the file: drop its document.
                stale.push(id.clone());
                reason.push_str("; the document of its previous content was removed");
            }
            entries.push(Entry::new(shown, Some(id), Outcome::Duplicate).reason(reason));
            continue;
        }
        first_by_hash.insert(hash.clone(), shown.clone());
        if old == Some(&hash) {
            entries.push(Entry::new(shown, Some(id), Outcome::Unchanged));
            continue;
        }
        jobs.push(PdfJob {
            path,
            relative,
            outcome: if old.is_some() {
                Outcome::Updated
            } else {
                Outcome::Added
            },
            id,
            hash,
            file_hash,
            overrides: row,
            size,
        });
    }
    if let Some(o) = &overrides {
        warnings.extend(o.warnings.iter().cloned());
        if let Some(p) = &opts.metadata {
            warnings.extend(o.unused(p));
        }
    }

    let progress = Progress::new(opts.progress, jobs.len() as u64);
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(2 * rayon::current_num_threads().max(1));
    let stop = AtomicBool::new(false);
    let now = now_secs();
    let written = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let r = writer_loop(&index, rx, opts, progress);
            // Whatever happened, stop producers from extracting for nobody.
            stop.store(true, Ordering::Relaxed);
            r
        });
        for id in stale.drain(..) {
            if tx.send(Msg::Delete(id)).is_err() {
                break;
            }
        }
        let mut record_ids: HashMap<String, String> = HashMap::new();
        for file in &record_files {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let r = ingest_record_file(
                file,
                collection,
                now,
                &existing,
                &mut record_ids,
                &tx,
                &mut warnings,
            );
            if let Err(e) = r {
                entries.push(
                    Entry::new(file.display().to_string(), None, Outcome::Failed)
                        .reason(error::chain(&e)),
                );
            }
        }
        let queue = JobQueue::new(jobs, opts.extract_budget);
        rayon::scope(|scope| {
            for _ in 0..rayon::current_num_threads().max(1) {
                let (queue, tx, stop) = (&queue, tx.clone(), &stop);
                let (engine, cache) = (&engine, &cache);
                scope.spawn(move |_| {
                    while let Some(job) = queue.next() {
                        if stop.load(Ordering::Relaxed) {
                            queue.done(job.size);
                            continue;
                        }
                        let size = job.size;
                        let ocr = engine.as_ref().map(|engine| OcrJob { engine, cache });
                        let msg = extract_job(job, collection, now, ocr);
                        queue.done(size);
                        if tx.send(msg).is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        drop(tx);
        writer.join().unwrap_or(Err(IngestError::WriterGone))
    });
    let (written_entries, progress) = written?;
    progress.finish();
    entries.extend(written_entries);
    entries.sort_by(|a, b| a.path.cmp(&b.path));

    let mut summary = Summary::default();
    for e in &entries {
        summary.count(e);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.ocr_unavailable = ocr_unavailable;
    let report_path = opts.report.clone().unwrap_or_else(|| {
        let stamp = rfc3339(started_at).replace([':', '-'], "");
        data_dir.reports_dir().join(format!(
            "add-{collection}-{stamp}-{}.json",
            std::process::id()
        ))
    });
    let report = AddReport {
        collection: collection.to_string(),
        started: rfc3339(started_at),
        extractor: pdf_source::EXTRACTOR,
        summary,
        warnings,
        inputs: entries,
        report_path: report_path.clone(),
    };
    write_report(&report, &report_path)?;
    Ok(report)
}

/// What an extraction job needs for OCR.
#[derive(Clone, Copy)]
struct OcrJob<'a> {
    engine: &'a ocr::Engine,
    cache: &'a ocr::Cache,
}

/// Extracts one PDF (with OCR of its pages without text when `ocr` is given); a panic in the
/// extractor is caught and becomes a failed outcome.
fn extract_job(job: PdfJob, collection: &str, now: i64, ocr: Option<OcrJob<'_>>) -> Msg {
    let shown = job.path.display().to_string();
    let context = ocr.map(|o| pdf_source::OcrContext {
        engine: o.engine,
        cache: Some(o.cache),
        pdf_hash: Some(&job.file_hash),
    });
    let loaded = std::panic::catch_unwind(AssertUnwindSafe(|| {
        pdf_source::load_pdf_with_ocr(&job.path, context)
    }))
    .unwrap_or_else(|payload| {
        Err(IngestError::Panic {
            path: job.path.clone(),
            message: panic_message(payload.as_ref()),
        })
    });
    let (mut doc, ocr_done) = match loaded {
        Ok(d) => d,
        Err(e) => {
            return Msg::Outcome {
                entry: Entry::new(shown, Some(job.id), Outcome::Failed).reason(error::chain(&e)),
                pdf: true,
            }
        }
    };
    doc.id = job.id.clone();
    doc.collection = collection.to_string();
    doc.source_path = Some(
        std::fs::canonicalize(&job.path)
            .unwrap_or(job.path.clone())
            .to_string_lossy()
            .into_owned(),
    );
    if doc.file_name.is_none() {
        doc.file_name = Some(
            job.relative
                .rsplit('/')
                .next()
                .unwrap_or(&job.relative)
                .to_string(),
        );
    }
    if let Some(o) = &job.overrides {
        o.apply_to(&mut doc.metadata);
    }
    doc.content_hash = job.hash;
    doc.ingested_at = now;
    let mut entry = Entry::new(shown, Some(job.id), job.outcome);
    entry.pages = Some(doc.pages.len() as u64);
    entry.needs_ocr = Some(doc.needs_ocr());
    if ocr_done.stats != ocr::OcrStats::default() {
        entry.ocr = Some(ocr_done.stats);
    }
    entry.ocr_failures = ocr_done.failures;
    Msg::Index {
        doc: Box::new(doc),
        entry,
        pdf: true,
    }
}

/// Streams the records of one file to the writer. `Err` only when the file cannot be read at
/// all; a bad record is a failed entry.
fn ingest_record_file(
    file: &Path,
    collection: &str,
    now: i64,
    existing: &Existing,
    seen: &mut HashMap<String, String>,
    tx: &Sender<Msg>,
    warnings: &mut Vec<String>,
) -> Result<(), IngestError> {
    let shown = file.display().to_string();
    let mut unknown_reported = std::collections::HashSet::new();
    for_each_row::<IngestError>(file, |line, row| {
        let at = format!("{shown}:{line}");
        let doc = row
            .and_then(|map| {
                let (fields, unknown) = RecordFields::from_map(&map, &[])?;
                for u in unknown {
                    if unknown_reported.insert(u.clone()) {
                        warnings.push(format!("{at}: unknown field {u:?} ignored"));
                    }
                }
                fields.into_document(collection, now)
            })
            .map_err(|reason| Entry::new(&at, None, Outcome::Failed).reason(reason));
        let msg = match doc {
            Err(entry) => Msg::Outcome { entry, pdf: false },
            Ok(doc) => {
                let id = doc.id.clone();
                if let Some(other) = existing.other_collection_by_id.get(&id) {
                    let entry = Entry::new(&at, Some(id.clone()), Outcome::Failed).reason(format!(
                        "id {id:?} already belongs to collection {other:?}; record ids must be unique across collections"
                    ));
                    Msg::Outcome { entry, pdf: false }
                } else if let Some(first) = seen.get(&id) {
                    let entry = Entry::new(&at, Some(id), Outcome::Duplicate)
                        .reason(format!("same id as {first}, which was kept"));
                    Msg::Outcome { entry, pdf: false }
                } else {
                    seen.insert(id.clone(), at.clone());
                    let old = existing.hash_by_id.get(&id);
                    if old == Some(&doc.content_hash) {
                        Msg::Outcome {
                            entry: Entry::new(&at, Some(id), Outcome::Unchanged),
                            pdf: false,
                        }
                    } else {
                        let outcome = if old.is_some() {
                            Outcome::Updated
                        } else {
                            Outcome::Added
                        };
                        let mut entry = Entry::new(&at, Some(id), outcome);
                        entry.pages = Some(doc.pages.len() as u64);
                        entry.needs_ocr = Some(false);
                        Msg::Index {
                            doc: Box::new(doc),
                            entry,
                            pdf: false,
                        }
                    }
                }
            }
        };
        tx.send(msg).map_err(|_| IngestError::WriterGone)
    })
}

/// The one writer: applies messages in order and commits every `commit_every` operations or
/// `commit_interval`, so a crash loses at most that much work.
fn writer_loop(
    index: &SearchIndex,
    rx: Receiver<Msg>,
    opts: &AddOptions,
    mut progress: Progress,
) -> Result<(Vec<Entry>, Progress), IngestError> {
    let mut writer: IndexWriter<TantivyDocument> = index
        .index
        .writer(opts.writer_memory)
        .map_err(IngestError::tantivy("creating the index writer"))?;
    let fields = &index.fields;
    let mut entries = Vec::new();
    let mut pending = 0usize;
    let mut pending_bytes = 0usize;
    let mut last_commit = Instant::now();
    let mut commits = 0u64;
    loop {
        let wait = opts.commit_interval.saturating_sub(last_commit.elapsed());
        match rx.recv_timeout(wait) {
            Ok(Msg::Delete(id)) => {
                let what = index::Deletion {
                    id: &id,
                    collection: &opts.collection,
                    at: now_secs(),
                };
                index::delete_document(&writer, fields, what)
                    .map_err(IngestError::tantivy(format!("removing {id}")))?;
                pending += 1;
            }
            Ok(Msg::Index { doc, entry, pdf }) => {
                // Replacing (delete, then add) keeps ids unique whatever the index held (e.g.
                // after a crash between two commits).
                index::write_document(&writer, fields, &doc)
                    .map_err(IngestError::tantivy(format!("indexing {}", entry.path)))?;
                pending += 1;
                pending_bytes += doc.pages.iter().map(|p| p.text.len()).sum::<usize>();
                if pdf {
                    progress.file_done(doc.pages.len() as u64);
                } else {
                    progress.record_done();
                }
                entries.push(entry);
            }
            Ok(Msg::Outcome { entry, pdf }) => {
                if pdf {
                    progress.file_done(0);
                    if entry.outcome == Outcome::Failed {
                        progress.println(&format!(
                            "failed: {}: {}",
                            entry.path,
                            entry.reason.as_deref().unwrap_or("")
                        ));
                    }
                } else {
                    progress.record_done();
                }
                entries.push(entry);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if pending > 0
            && (pending >= opts.commit_every
                || pending_bytes >= opts.commit_bytes
                || last_commit.elapsed() >= opts.commit_interval)
        {
            writer
                .commit()
                .map_err(IngestError::tantivy("committing"))?;
            commits += 1;
            tracing::info!(commits, documents = pending, "committed");
            pending = 0;
            pending_bytes = 0;
            last_commit = Instant::now();
        } else if pending == 0 {
            last_commit = Instant::now();
        }
    }
    if pending > 0 {
        writer
            .commit()
            .map_err(IngestError::tantivy("committing"))?;
    }
    writer
        .wait_merging_threads()
        .map_err(IngestError::tantivy("finishing merges"))?;
    Ok((entries, progress))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(size: u64) -> PdfJob {
        PdfJob {
            path: PathBuf::new(),
            relative: String::new(),
            id: String::new(),
            hash: String::new(),
            file_hash: String::new(),
            outcome: Outcome::Added,
            overrides: None,
            size,
        }
    }

    #[test]
    fn queue_hands_out_the_largest_job_that_fits() {
        let q = JobQueue::new(vec![job(1), job(5), job(3), job(8)], 6);
        // Nothing in flight: the largest, even over budget.
        assert_eq!(q.next().unwrap().size, 8);
        q.done(8);
        assert_eq!(q.next().unwrap().size, 5);
        // 3 does not fit beside 5; 1 does.
        assert_eq!(q.next().unwrap().size, 1);
        q.done(5);
        q.done(1);
        assert_eq!(q.next().unwrap().size, 3);
        q.done(3);
        assert!(q.next().is_none());
    }
}
