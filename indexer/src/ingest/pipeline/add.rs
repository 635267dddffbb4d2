//! The `add` composition: discover folders and record files, decide what changed, extract
//! the PDFs, write, and prune what the inputs no longer hold.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::Sender;
use rayon::prelude::*;

use super::super::discover::{discover, FolderRecords, Input};
use super::super::overrides::Overrides;
use super::super::progress::{Progress, ProgressMode};
use super::super::records::{for_each_row, RecordFields};
use super::super::report::{AddReport, Entry, Outcome};
use super::super::scan::for_each_doc;
use super::super::{error, ids, stored_form, IngestError};
use super::decide::{hash_file, Decision, Existing, Seen};
use super::extract::{run_jobs, OcrSetup, PdfJob};
use super::write::{writer_loop, Msg, WriteOptions};
use super::{now_secs, Run};
use crate::data_dir::DataDir;
use crate::ocr::OcrOptions;

/// Whether `add` removes the documents of the collection that its inputs no longer hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prune {
    /// Keep them (a run adds and updates only).
    #[default]
    Off,
    /// Remove them: PDFs no longer under the folders and files given (when some were given),
    /// records no longer in the record files given (when some were given).
    Remove,
    /// List what `Remove` would remove, and change nothing at all.
    DryRun,
}

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
    /// Whether to remove the collection's documents that the inputs no longer hold.
    pub prune: Prune,
    /// What of new and changed documents gets sentence vectors, when a model was imported;
    /// `None` (`--no-embed`): none now, `indexer embed` computes them later.
    pub embed: Option<crate::vectors::EmbedConfig>,
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
            prune: Prune::Off,
            embed: Some(crate::vectors::EmbedConfig::default()),
        }
    }
}

/// Ingests `opts.inputs` into the collection, writes the report and returns it.
///
/// Only errors that stop the whole run (the index cannot be opened or written, the override
/// file cannot be read, the report cannot be written) are `Err`; a bad input is an entry with
/// outcome `failed`.
pub fn add(data_dir: &DataDir, opts: &AddOptions) -> Result<AddReport, IngestError> {
    add_inner(data_dir, opts).map_err(|e| e.explain(&data_dir.index_dir()))
}

/// The PDFs and record files of a run, found and judged.
#[derive(Default)]
struct Plan {
    jobs: Vec<PdfJob>,
    record_files: Vec<PathBuf>,
    /// Documents to delete because their path's content is now a duplicate.
    stale: Vec<String>,
    /// Ids the PDF inputs hold (new, changed, unchanged or moved): what pruning keeps.
    pdf_ids: HashSet<String>,
    /// Whether any PDF or folder was given (pruning PDFs needs one).
    pdf_inputs: bool,
}

fn add_inner(data_dir: &DataDir, opts: &AddOptions) -> Result<AddReport, IngestError> {
    let mut run = Run::start(data_dir, &opts.collection, "add")?;
    let collection = opts.collection.as_str();
    let mut overrides = match &opts.metadata {
        Some(p) => Some(Overrides::load(p)?),
        None => None,
    };
    let index = super::super::open_for_writing(data_dir)?;
    let existing = Existing::load(&index, collection)?;
    let ocr = OcrSetup::detect(&opts.ocr, data_dir)?;
    run.summary.ocr_unavailable = ocr.unavailable.clone();
    let mut planned = Vec::new();
    let mut plan = plan(opts, &existing, overrides.as_mut(), &mut planned)?;
    run.entries.extend(planned)?;
    if let Some(o) = &overrides {
        run.warnings.extend(o.warnings.iter().cloned());
        if let Some(p) = &opts.metadata {
            run.warnings.extend(o.unused(p));
        }
    }
    if opts.prune == Prune::DryRun {
        let mut record_ids = Seen::new();
        for (i, file) in plan.record_files.iter().enumerate() {
            let r = for_each_row::<IngestError>(file, |line, row| {
                if let Some(id) = row.ok().and_then(|m| record_id_of(&m)) {
                    record_ids.insert(id.into(), (i as u32, line));
                }
                Ok(())
            });
            if let Err(e) = r {
                run.entries.push(
                    Entry::new(file.display().to_string(), None, Outcome::Failed)
                        .reason(error::chain(&e)),
                )?;
            }
        }
        let claimed = Claimed {
            pdfs: plan.pdf_inputs.then_some(&plan.pdf_ids),
            records: (!plan.record_files.is_empty()).then_some(&record_ids),
        };
        for (id, shown) in unclaimed(&existing, collection, &claimed)? {
            run.entries.push(
                Entry::new(shown, Some(id), Outcome::Removed)
                    .reason("would be removed (dry run: nothing was changed)"),
            )?;
        }
        run.summary.dry_run = true;
        return run.finish(opts.report.as_deref());
    }

    let progress = Progress::new(opts.progress, plan.jobs.len() as u64);
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(2 * rayon::current_num_threads().max(1));
    let stop = AtomicBool::new(false);
    let now = now_secs();
    let write = WriteOptions {
        collection: collection.to_string(),
        commit_every: opts.commit_every,
        commit_interval: opts.commit_interval,
        commit_bytes: opts.commit_bytes,
        writer_memory: opts.writer_memory,
    };
    let mut warnings = Vec::new();
    let mut failed_files = Vec::new();
    let mut embedder = super::open_embedder(data_dir, opts.embed, &mut run.warnings)?;
    let vectors = embedder.as_mut();
    let entries = run.take_entries();
    let written = std::thread::scope(|scope| -> Result<_, IngestError> {
        let writer = scope.spawn(|| {
            let r = writer_loop(&index, rx, &write, entries, progress, vectors);
            // Whatever happened, stop producers from extracting for nobody.
            stop.store(true, Ordering::Relaxed);
            r
        });
        for id in plan.stale.drain(..) {
            if tx.send(Msg::Delete { id, entry: None }).is_err() {
                break;
            }
        }
        let mut record_ids: Seen = HashMap::new();
        for (i, file) in plan.record_files.iter().enumerate() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let r = ingest_record_file(
                (i as u32, &plan.record_files),
                collection,
                now,
                &existing,
                &mut record_ids,
                &tx,
                &mut warnings,
            );
            if let Err(e) = r {
                failed_files.push(
                    Entry::new(file.display().to_string(), None, Outcome::Failed)
                        .reason(error::chain(&e)),
                );
            }
        }
        let jobs = std::mem::take(&mut plan.jobs);
        run_jobs(jobs, opts.extract_budget, collection, now, &ocr, &tx, &stop);
        if opts.prune == Prune::Remove && !stop.load(Ordering::Relaxed) {
            let claimed = Claimed {
                pdfs: plan.pdf_inputs.then_some(&plan.pdf_ids),
                records: (!plan.record_files.is_empty()).then_some(&record_ids),
            };
            for (id, shown) in unclaimed(&existing, collection, &claimed)? {
                let entry = Entry::new(shown, Some(id.clone()), Outcome::Removed)
                    .reason("no longer in the inputs given (--prune)");
                if tx
                    .send(Msg::Delete {
                        id,
                        entry: Some(entry),
                    })
                    .is_err()
                {
                    break;
                }
            }
        }
        drop(tx);
        writer.join().unwrap_or(Err(IngestError::WriterGone))
    });
    let (entries, progress) = written?;
    progress.finish();
    run.summary.vectors = embedder.map(|e| e.stats().clone());
    run.entries = entries;
    run.warnings.extend(warnings);
    run.entries.extend(failed_files)?;
    run.finish(opts.report.as_deref())
}

/// Finds the inputs and decides, PDF by PDF, what this run does with each.
fn plan(
    opts: &AddOptions,
    existing: &Existing,
    mut overrides: Option<&mut Overrides>,
    entries: &mut Vec<Entry>,
) -> Result<Plan, IngestError> {
    let collection = opts.collection.as_str();
    let mut plan = Plan::default();
    let mut pdfs = Vec::new();
    for input in discover(&opts.inputs, opts.records_in_folders) {
        match input {
            Input::Pdf { path, relative } => pdfs.push((path, relative)),
            Input::Records { path } => plan.record_files.push(path),
            Input::Unusable { path, reason } => entries
                .push(Entry::new(path.display().to_string(), None, Outcome::Failed).reason(reason)),
        }
    }
    plan.pdf_inputs = opts
        .inputs
        .iter()
        .any(|p| p.is_dir() || super::super::records::RecordFormat::of(p).is_none());

    // Hashing reads every byte but costs a fraction of extraction; it tells what changed.
    let hashes: Vec<Result<(String, u64), std::io::Error>> =
        pdfs.par_iter().map(|(p, _)| hash_file(p)).collect();
    let mut path_by_id: HashMap<String, String> = HashMap::new();
    let mut first_by_hash: HashMap<String, String> = HashMap::new();
    for ((path, relative), hash) in pdfs.into_iter().zip(hashes) {
        let shown = path.display().to_string();
        let id = ids::pdf_id(collection, &relative);
        let (file_hash, size) = match hash {
            Ok(h) => h,
            Err(e) => {
                entries.push(
                    Entry::new(shown, Some(id.clone()), Outcome::Failed)
                        .reason(format!("cannot read: {e}")),
                );
                // An unreadable file is still there: pruning must not take its document.
                plan.pdf_ids.insert(id);
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
        let old = existing.by_id(&id)?.map(|h| h.content_hash);
        if let Some(first) = first_by_hash.get(&hash) {
            let mut reason = format!("same content as {first}");
            if old.is_some() {
                // This path's previous content is gone from the file: drop its document.
                plan.stale.push(id.clone());
                reason.push_str("; the document of its previous content was removed");
            }
            entries.push(Entry::new(shown, Some(id), Outcome::Duplicate).reason(reason));
            continue;
        }
        first_by_hash.insert(hash.clone(), shown.clone());
        if old.as_ref() == Some(&hash) {
            plan.pdf_ids.insert(id.clone());
            entries.push(Entry::new(shown, Some(id), Outcome::Unchanged));
            continue;
        }
        let stored = stored_form(&path).to_string_lossy().into_owned();
        let mut job = PdfJob {
            label: shown.clone(),
            path,
            relative,
            outcome: if old.is_some() {
                Outcome::Updated
            } else {
                Outcome::Added
            },
            id: id.clone(),
            hash,
            file_hash,
            overrides: row,
            size,
            note: None,
        };
        if let Some(other) = existing.by_hash(&job.hash, &id)? {
            let other_path = existing.source_path(&other.id)?;
            match other_path {
                // A document already records this very file (it was moved here earlier and
                // kept its first id).
                Some(p) if p == stored => {
                    if old.is_some() {
                        plan.stale.push(id.clone());
                    }
                    plan.pdf_ids.insert(other.id.clone());
                    entries.push(Entry::new(shown, Some(other.id), Outcome::Unchanged));
                    continue;
                }
                // The file was moved (or renamed) within the folder: its document keeps its id
                // and follows it, instead of a duplicate here and a dangling document there.
                Some(p) if old.is_none() && !Path::new(&p).exists() => {
                    job.id = other.id.clone();
                    job.outcome = Outcome::Updated;
                    job.note = Some(format!("moved from {p}"));
                }
                _ => {
                    let reason = format!(
                        "same content as document {} already in collection {collection}",
                        other.id
                    );
                    let mut reason = reason;
                    if old.is_some() {
                        plan.stale.push(id.clone());
                        reason.push_str("; the document of its previous content was removed");
                    }
                    entries.push(Entry::new(shown, Some(id), Outcome::Duplicate).reason(reason));
                    continue;
                }
            }
        }
        plan.pdf_ids.insert(job.id.clone());
        plan.jobs.push(job);
    }
    Ok(plan)
}

/// The ids the inputs hold, by kind; `None` leaves that kind alone.
struct Claimed<'a> {
    pdfs: Option<&'a HashSet<String>>,
    records: Option<&'a Seen>,
}

/// The collection's documents (id, and their file or id for the report) that `claimed` does
/// not hold, streamed from the index snapshot.
fn unclaimed(
    existing: &Existing,
    collection: &str,
    claimed: &Claimed<'_>,
) -> Result<Vec<(String, String)>, IngestError> {
    let pdf_prefix = format!("{collection}~");
    let mut out = Vec::new();
    for_each_doc(existing.searcher(), |row| {
        if row.collection != collection {
            return;
        }
        let gone = if row.id.starts_with(&pdf_prefix) {
            claimed.pdfs.is_some_and(|s| !s.contains(&row.id))
        } else {
            claimed
                .records
                .is_some_and(|s| !s.contains_key(row.id.as_str()))
        };
        if gone {
            out.push(row.id);
        }
    })?;
    out.sort();
    out.into_iter()
        .map(|id| {
            let shown = existing.source_path(&id)?.unwrap_or_else(|| id.clone());
            Ok((id, shown))
        })
        .collect()
}

fn record_id_of(map: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let (fields, _) = RecordFields::from_map(map, &[]).ok()?;
    fields.id.map(|id| ids::record_id(&id))
}

/// Streams the records of one file to the writer. `Err` only when the file cannot be read at
/// all; a bad record is a failed entry.
fn ingest_record_file(
    (file_index, files): (u32, &[PathBuf]),
    collection: &str,
    now: i64,
    existing: &Existing,
    seen: &mut Seen,
    tx: &Sender<Msg>,
    warnings: &mut Vec<String>,
) -> Result<(), IngestError> {
    let file = &files[file_index as usize];
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
                if let Some(&(f, l)) = seen.get(id.as_str()) {
                    let first = format!("{}:{l}", files[f as usize].display());
                    let entry = Entry::new(&at, Some(id), Outcome::Duplicate)
                        .reason(format!("same id as {first}, which was kept"));
                    Msg::Outcome { entry, pdf: false }
                } else {
                    seen.insert(id.as_str().into(), (file_index, line));
                    match existing.decide_record(&id, &doc.content_hash)? {
                        Decision::Refused(reason) => Msg::Outcome {
                            entry: Entry::new(&at, Some(id), Outcome::Failed).reason(reason),
                            pdf: false,
                        },
                        Decision::Unchanged => Msg::Outcome {
                            entry: Entry::new(&at, Some(id), Outcome::Unchanged),
                            pdf: false,
                        },
                        Decision::Write(outcome) => {
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
            }
        };
        tx.send(msg).map_err(|_| IngestError::WriterGone)
    })
}
