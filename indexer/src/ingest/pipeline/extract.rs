//! The extract stage: PDFs become documents on rayon's threads, largest first within a byte
//! budget, with OCR of the pages that have no text when an engine is available.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

use crossbeam_channel::Sender;

use super::super::records::RecordFields;
use super::super::report::{Entry, Outcome};
use super::super::{error, pdf_source, IngestError};
use super::write::Msg;
use crate::data_dir::DataDir;
use crate::ocr::{self, OcrMode, OcrOptions};

/// A PDF that needs extracting.
pub(crate) struct PdfJob {
    /// How the report names the input (the file, or a harvested record's identifier).
    pub label: String,
    pub path: PathBuf,
    /// The path relative to the folder given (its last part names the file).
    pub relative: String,
    pub id: String,
    pub hash: String,
    /// blake3 of the file alone (`hash` may include an override row): the OCR cache key.
    pub file_hash: String,
    pub outcome: Outcome,
    /// Metadata that wins over extraction (an override row, a harvested record).
    pub overrides: Option<RecordFields>,
    pub size: u64,
    /// Said in the entry's reason (e.g. where a moved file came from).
    pub note: Option<String>,
}

/// PDFs waiting for extraction, handed out largest first so that the files being extracted
/// at once stay within a byte budget. Kept in increasing size so taking the largest (or one
/// of the few skipped large ones) moves no more than those few entries.
pub(crate) struct JobQueue {
    state: Mutex<(Vec<PdfJob>, u64)>,
    freed: Condvar,
    budget: u64,
}

impl JobQueue {
    pub(crate) fn new(mut jobs: Vec<PdfJob>, budget: u64) -> JobQueue {
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
    pub(crate) fn next(&self) -> Option<PdfJob> {
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

    pub(crate) fn done(&self, size: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 -= size;
        self.freed.notify_all();
    }
}

/// What an extraction job needs for OCR.
#[derive(Clone, Copy)]
pub(crate) struct OcrJob<'a> {
    pub engine: &'a ocr::Engine,
    pub cache: &'a ocr::Cache,
}

/// Extracts one PDF (with OCR of its pages without text when `ocr` is given); a panic in the
/// extractor is caught and becomes a failed outcome.
pub(crate) fn extract_job(job: PdfJob, collection: &str, now: i64, ocr: Option<OcrJob<'_>>) -> Msg {
    let shown = job.label.clone();
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
    entry.reason = job.note;
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

/// The OCR engine of a run, found once: whether OCR can run decides nothing else, so a
/// missing tesseract is a line in the summary (or an error when `always` asked for it).
#[derive(Debug)]
pub(crate) struct OcrSetup {
    pub engine: Option<ocr::Engine>,
    /// Why OCR will not run, for the summary.
    pub unavailable: Option<String>,
    pub cache: ocr::Cache,
}

impl OcrSetup {
    pub(crate) fn detect(opts: &OcrOptions, data_dir: &DataDir) -> Result<OcrSetup, IngestError> {
        let (engine, unavailable) = match opts.mode {
            OcrMode::Never => (None, Some("OCR is off (--ocr never)".to_string())),
            mode => match ocr::Engine::detect(opts) {
                Ok(engine) => (Some(engine), None),
                Err(e) if mode == OcrMode::Always => return Err(IngestError::Ocr(e)),
                Err(e) => (None, Some(error::chain(&e))),
            },
        };
        Ok(OcrSetup {
            engine,
            unavailable,
            cache: ocr::Cache::new(data_dir.ocr_dir()),
        })
    }
}

/// Extracts `jobs` on every rayon thread and sends each document (or failure) to `tx`; stops
/// early, dropping the rest, once `stop` is set (the writer has gone).
pub(crate) fn run_jobs(
    jobs: Vec<PdfJob>,
    extract_budget: u64,
    collection: &str,
    now: i64,
    ocr: &OcrSetup,
    tx: &Sender<Msg>,
    stop: &AtomicBool,
) {
    let queue = JobQueue::new(jobs, extract_budget);
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads().max(1) {
            let (queue, tx) = (&queue, tx.clone());
            scope.spawn(move |_| {
                while let Some(job) = queue.next() {
                    if stop.load(Ordering::Relaxed) {
                        queue.done(job.size);
                        continue;
                    }
                    let size = job.size;
                    let engine = ocr.engine.as_ref();
                    let ocr_job = engine.map(|engine| OcrJob {
                        engine,
                        cache: &ocr.cache,
                    });
                    let msg = extract_job(job, collection, now, ocr_job);
                    queue.done(size);
                    if tx.send(msg).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
    });
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(size: u64) -> PdfJob {
        PdfJob {
            label: String::new(),
            path: PathBuf::new(),
            relative: String::new(),
            id: String::new(),
            hash: String::new(),
            file_hash: String::new(),
            outcome: Outcome::Added,
            overrides: None,
            size,
            note: None,
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
