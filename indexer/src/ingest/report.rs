//! What happened to every input of a run: the JSON report and the end-of-run summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::IngestError;
use crate::ocr::OcrStats;

/// The fate of one input (a PDF, or one record of a record file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// New in the index.
    Added,
    /// Replaced an older version with the same id.
    Updated,
    /// Already in the index with the same content hash: nothing done.
    Unchanged,
    /// Could not be read, extracted or parsed; `reason` says why.
    Failed,
    /// Same content as another input of the run or a document already in the collection;
    /// indexed once, `reason` names the other.
    Duplicate,
    /// Taken out of the collection: deleted at its source (a harvested record) or no longer
    /// in the inputs (`add --prune`); with `--dry-run`, would be.
    Removed,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The file, or `file:line` for a record.
    pub path: String,
    /// The document id, when one could be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_ocr: Option<bool>,
    /// What OCR did to this PDF, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrStats>,
    /// Pages whose OCR failed, with the reason (the rest of the document is indexed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ocr_failures: Vec<String>,
}

impl Entry {
    pub fn new(path: impl Into<String>, id: Option<String>, outcome: Outcome) -> Entry {
        Entry {
            path: path.into(),
            id,
            outcome,
            reason: None,
            pages: None,
            needs_ocr: None,
            ocr: None,
            ocr_failures: Vec::new(),
        }
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Entry {
        self.reason = Some(reason.into());
        self
    }
}

/// Counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    pub duplicates: u64,
    pub removed: u64,
    /// `add --prune --dry-run`: `removed` counts what would be removed; nothing changed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// Added or updated documents without any text layer.
    pub needs_ocr: u64,
    /// Pages indexed (added or updated documents).
    pub pages: u64,
    /// OCR over added and updated documents: pages recognised, from the cache, failed, time,
    /// words and confidence.
    pub ocr: OcrStats,
    /// Why OCR did not run (not installed, `--ocr never`); `None` when it was available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_unavailable: Option<String>,
    /// Wall time in seconds.
    pub seconds: f64,
}

impl Summary {
    pub fn count(&mut self, e: &Entry) {
        match e.outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::Removed => self.removed += 1,
        }
        if matches!(e.outcome, Outcome::Added | Outcome::Updated) {
            self.pages += e.pages.unwrap_or(0);
            self.needs_ocr += u64::from(e.needs_ocr.unwrap_or(false));
            if let Some(o) = &e.ocr {
                self.ocr.add(o);
            }
        }
    }
}

/// The whole result of an `add` run, as written to the report file.
#[derive(Debug, Clone, Serialize)]
pub struct AddReport {
    pub collection: String,
    /// RFC 3339 UTC.
    pub started: String,
    /// Which PDF extractor produced the text.
    pub extractor: &'static str,
    pub summary: Summary,
    /// Problems that are not one input's outcome (unknown columns, unused override rows).
    pub warnings: Vec<String>,
    /// Every input, sorted by path.
    pub inputs: Vec<Entry>,
    /// Where this report was written.
    #[serde(skip)]
    pub report_path: PathBuf,
}

impl AddReport {
    /// Human-readable summary, a few lines, failures listed with their reasons.
    pub fn render_summary(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "collection {}: {} added, {} updated, {} unchanged, {} failed, {} duplicates, {} removed, {} needing OCR; {} pages indexed in {:.1} s ({:.0} pages/s)\n",
            self.collection,
            s.added,
            s.updated,
            s.unchanged,
            s.failed,
            s.duplicates,
            s.removed,
            s.needs_ocr,
            s.pages,
            s.seconds,
            s.pages as f64 / s.seconds.max(1e-3),
        );
        if s.dry_run {
            out.push_str(&format!(
                "  dry run: {} documents would be removed; nothing was changed\n",
                s.removed
            ));
        }
        let o = &s.ocr;
        if o.pages + o.cached + o.failed > 0 {
            out.push_str(&format!(
                "  OCR: {} pages recognised in {:.1} s ({:.1} s a page), {} from the cache, {} failed; mean word confidence {}\n",
                o.pages,
                o.seconds,
                o.seconds / (o.pages.max(1) as f64),
                o.cached,
                o.failed,
                o.mean_confidence()
                    .map_or("-".to_string(), |c| format!("{c:.0}%")),
            ));
        }
        if let Some(why) = s.ocr_unavailable.as_deref().filter(|_| s.needs_ocr > 0) {
            out.push_str(&format!(
                "  {} documents have no text layer and are found by their metadata only: {why}\n",
                s.needs_ocr
            ));
        }
        for e in self
            .inputs
            .iter()
            .filter(|e| !e.ocr_failures.is_empty())
            .take(20)
        {
            out.push_str(&format!(
                "  OCR failed: {}: {}\n",
                e.path,
                e.ocr_failures.join("; ")
            ));
        }
        for e in self.inputs.iter().filter(|e| e.outcome == Outcome::Failed) {
            out.push_str(&format!(
                "  failed: {}: {}\n",
                e.path,
                e.reason.as_deref().unwrap_or("?")
            ));
        }
        let dups = self
            .inputs
            .iter()
            .filter(|e| e.outcome == Outcome::Duplicate);
        for e in dups.take(20) {
            out.push_str(&format!(
                "  duplicate: {}: {}\n",
                e.path,
                e.reason.as_deref().unwrap_or("?")
            ));
        }
        if s.duplicates > 20 {
            out.push_str(&format!(
                "  ... and {} more duplicates (see the report)\n",
                s.duplicates - 20
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
        out
    }
}

/// Writes `report` as pretty JSON to `path` (creating its folder), through a temporary file so
/// a reader never sees half a report.
pub fn write_report(report: &AddReport, path: &Path) -> Result<(), IngestError> {
    let err = |source| IngestError::Report {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let tmp = path.with_extension("json.tmp");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(err)?);
    serde_json::to_writer_pretty(&mut file, report).map_err(|e| err(e.into()))?;
    file.write_all(b"\n").map_err(err)?;
    file.into_inner()
        .map_err(|e| err(e.into_error()))?
        .sync_all()
        .map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}
