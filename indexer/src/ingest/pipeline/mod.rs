//! The stages of ingestion, which `add`, `add --prune` and `harvest` compose:
//!
//! ```text
//!  inputs ──► decide ──────────────► extract ──────────────► write ──────────► report
//!  (folders,  (what the index holds  (PDFs on rayon, within  (one thread, one  (entries,
//!   records,   under each id: new,    a byte budget; records  tantivy writer,   summary,
//!   OAI        changed, unchanged,    need none)              commits and       JSON file)
//!   pages)     duplicate, gone)                               checkpoints)
//! ```
//!
//! - [`decide::Existing`]: what the collection holds, looked up by id and by content hash.
//! - [`extract`]: the PDF job queue (largest first within a byte budget) and the extraction
//!   of one PDF into a document, OCR included.
//! - [`write::Writer`]: the only writer. Producers send [`write::Msg`]s over a bounded channel,
//!   so memory stays flat: at most `channel capacity + extracting threads` documents exist at
//!   once, and the writer's memory budget bounds what tantivy buffers before writing a segment.
//!   A [`write::Msg::Checkpoint`] runs after the commit that holds everything sent before it,
//!   which is how a harvest records its resumption point only once its records are durable.
//! - [`add`]: the `indexer add` composition.

mod add;
pub(crate) mod decide;
pub(crate) mod extract;
pub(crate) mod write;

pub use add::{add, AddOptions, Prune};

/// The run's [`crate::vectors::Embedder`] when a model was imported and `embed` is asked for.
/// Vectors being written by another process is no reason to stop an ingest: its documents
/// are indexed without vectors, which `indexer embed` adds later (said in `warnings`).
pub(crate) fn open_embedder(
    data_dir: &crate::data_dir::DataDir,
    embed: Option<crate::vectors::EmbedConfig>,
    warnings: &mut Vec<String>,
) -> Result<Option<crate::vectors::Embedder>, super::IngestError> {
    use crate::vectors::{Embedder, VectorError};
    let Some(config) = embed else {
        if crate::model::installed(data_dir).ok().flatten().is_some() {
            warnings.push(
                "vectors not computed (--no-embed): run `indexer embed` to compute them".into(),
            );
        }
        return Ok(None);
    };
    match Embedder::open(data_dir, config, 0) {
        Ok(Some(e)) => {
            if let Some(why) = e.store().started_again() {
                warnings.push(format!(
                    "the vector store was started again ({why}): run `indexer embed` to compute the vectors of the documents already indexed"
                ));
            }
            Ok(Some(e))
        }
        Ok(None) => Ok(None),
        Err(e @ VectorError::Busy { .. }) => {
            warnings.push(format!(
                "{}; the documents of this run get no vectors now: run `indexer embed` when it has finished",
                super::error::chain(&e)
            ));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Seconds since the Unix epoch, now: the datestamps of ingestion and deletion.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What every run gathers for its report: entries, warnings, counts, and when it began.
#[derive(Debug)]
pub(crate) struct Run {
    started: std::time::Instant,
    started_at: i64,
    collection: String,
    /// `add` or `harvest`: names the report file.
    command: &'static str,
    pub entries: super::report::Entries,
    pub warnings: Vec<String>,
    pub summary: super::Summary,
    reports_dir: std::path::PathBuf,
}

impl Run {
    /// The entries gathered so far, leaving an empty list: the writer thread takes them and
    /// hands them back.
    pub(crate) fn take_entries(&mut self) -> super::report::Entries {
        let fresh = super::report::Entries::new(self.reports_dir.clone());
        std::mem::replace(&mut self.entries, fresh)
    }

    /// Checks the collection name and starts the clock.
    pub(crate) fn start(
        data_dir: &crate::data_dir::DataDir,
        collection: &str,
        command: &'static str,
    ) -> Result<Run, super::IngestError> {
        super::ids::validate_collection(collection)?;
        Ok(Run {
            started: std::time::Instant::now(),
            started_at: now_secs(),
            collection: collection.to_string(),
            command,
            entries: super::report::Entries::new(data_dir.reports_dir()),
            warnings: Vec::new(),
            summary: super::Summary::default(),
            reports_dir: data_dir.reports_dir(),
        })
    }

    /// Counts the entries, writes the report (to `path`, or a new file in the data
    /// directory's reports) and returns it.
    pub(crate) fn finish(
        mut self,
        path: Option<&std::path::Path>,
    ) -> Result<super::AddReport, super::IngestError> {
        use super::scan::rfc3339;
        let (mut entries, spooled) = self.entries.finish(&mut self.summary)?;
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        self.summary.seconds = self.started.elapsed().as_secs_f64();
        let report_path = path.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
            let stamp = rfc3339(self.started_at).replace([':', '-'], "");
            self.reports_dir.join(format!(
                "{}-{}-{stamp}-{}.json",
                self.command,
                self.collection,
                std::process::id()
            ))
        });
        let report = super::AddReport {
            collection: self.collection,
            started: rfc3339(self.started_at),
            extractor: super::pdf_source::EXTRACTOR,
            summary: self.summary,
            warnings: self.warnings,
            inputs: entries,
            spooled,
            report_path: report_path.clone(),
        };
        super::report::write_report(&report, &report_path)?;
        Ok(report)
    }
}
