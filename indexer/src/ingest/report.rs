//! What happened to every input of a run: the JSON report and the end-of-run summary.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::IngestError;
use crate::ocr::OcrStats;

/// The fate of one input (a PDF, or one record of a record file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
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
    /// Sentence vectors computed for added and updated documents (with a model imported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vectors: Option<crate::vectors::EmbedStats>,
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

/// Routine entries (added, updated or unchanged, nothing to say) kept in memory; beyond this
/// many, the rest of a run's routine entries go to a spool file that the report is written
/// from, so a run of a million records does not hold a million entries.
pub const ROUTINE_IN_MEMORY: usize = 50_000;

/// The entries of a run: every one that says something (failures, duplicates, removals, OCR
/// trouble) and the first [`ROUTINE_IN_MEMORY`] routine ones in memory, the others spooled.
#[derive(Debug)]
pub(crate) struct Entries {
    kept: Vec<Entry>,
    routine: usize,
    limit: usize,
    spool_dir: PathBuf,
    spool: Option<(std::io::BufWriter<std::fs::File>, Spool)>,
}

impl Entries {
    pub(crate) fn new(spool_dir: PathBuf) -> Entries {
        Entries::with_limit(spool_dir, ROUTINE_IN_MEMORY)
    }

    fn with_limit(spool_dir: PathBuf, limit: usize) -> Entries {
        Entries {
            kept: Vec::new(),
            routine: 0,
            limit,
            spool_dir,
            spool: None,
        }
    }

    pub(crate) fn push(&mut self, e: Entry) -> Result<(), IngestError> {
        let routine = matches!(
            e.outcome,
            Outcome::Added | Outcome::Updated | Outcome::Unchanged
        ) && e.reason.is_none()
            && e.ocr_failures.is_empty()
            && e.ocr.is_none()
            && e.needs_ocr != Some(true);
        if !routine || self.routine < self.limit {
            self.routine += usize::from(routine);
            self.kept.push(e);
            return Ok(());
        }
        if self.spool.is_none() {
            std::fs::create_dir_all(&self.spool_dir).map_err(IngestError::io(&self.spool_dir))?;
            let file = tempfile::Builder::new()
                .prefix(".entries-")
                .suffix(".jsonl")
                .tempfile_in(&self.spool_dir)
                .map_err(IngestError::io(&self.spool_dir))?;
            let (file, path) = file.into_parts();
            let spool = Spool {
                path: std::sync::Arc::new(path),
                count: 0,
            };
            self.spool = Some((std::io::BufWriter::new(file), spool));
        }
        let (w, spool) = self.spool.as_mut().expect("just made");
        serde_json::to_writer(&mut *w, &e)
            .map_err(|err| IngestError::io(&spool.path.to_path_buf())(err.into()))?;
        w.write_all(b"\n")
            .map_err(IngestError::io(&spool.path.to_path_buf()))?;
        spool.count += 1;
        Ok(())
    }

    pub(crate) fn extend(
        &mut self,
        es: impl IntoIterator<Item = Entry>,
    ) -> Result<(), IngestError> {
        es.into_iter().try_for_each(|e| self.push(e))
    }

    /// Counts every entry into `summary`; returns the kept ones and the spool.
    pub(crate) fn finish(
        self,
        summary: &mut Summary,
    ) -> Result<(Vec<Entry>, Option<Spool>), IngestError> {
        for e in &self.kept {
            summary.count(e);
        }
        let spool = match self.spool {
            None => None,
            Some((w, spool)) => {
                w.into_inner()
                    .map_err(|e| IngestError::io(&spool.path.to_path_buf())(e.into_error()))?;
                for line in std::io::BufRead::lines(std::io::BufReader::new(
                    std::fs::File::open(&*spool.path)
                        .map_err(IngestError::io(&spool.path.to_path_buf()))?,
                )) {
                    let line = line.map_err(IngestError::io(&spool.path.to_path_buf()))?;
                    let e: SpooledEntry = serde_json::from_str(&line)
                        .map_err(|err| IngestError::io(&spool.path.to_path_buf())(err.into()))?;
                    let mut entry = Entry::new("", None, e.outcome);
                    entry.pages = e.pages;
                    summary.count(&entry);
                }
                Some(spool)
            }
        };
        Ok((self.kept, spool))
    }
}

/// What the summary needs of a spooled entry.
#[derive(serde::Deserialize)]
struct SpooledEntry {
    outcome: Outcome,
    pages: Option<u64>,
}

/// Routine entries written to a temporary file (deleted with the last clone of the report).
#[derive(Debug, Clone)]
pub struct Spool {
    path: std::sync::Arc<tempfile::TempPath>,
    /// How many entries it holds.
    pub count: u64,
}

/// The whole result of an `add` run, as written to the report file.
#[derive(Debug, Clone)]
pub struct AddReport {
    pub collection: String,
    /// RFC 3339 UTC.
    pub started: String,
    /// Which PDF extractor produced the text.
    pub extractor: &'static str,
    pub summary: Summary,
    /// Problems that are not one input's outcome (unknown columns, unused override rows).
    pub warnings: Vec<String>,
    /// Every input, sorted by path; in a run of more than [`ROUTINE_IN_MEMORY`] routine
    /// entries, the ones beyond it are only in the report file (after these, in the order
    /// they were done; see `spooled`).
    pub inputs: Vec<Entry>,
    /// Routine entries that are in the report file but not in `inputs`.
    pub spooled: Option<Spool>,
    /// Where this report was written.
    pub report_path: PathBuf,
}

impl Serialize for AddReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("AddReport", 6)?;
        m.serialize_field("collection", &self.collection)?;
        m.serialize_field("started", &self.started)?;
        m.serialize_field("extractor", &self.extractor)?;
        m.serialize_field("summary", &self.summary)?;
        m.serialize_field("warnings", &self.warnings)?;
        m.serialize_field(
            "inputs",
            &AllInputs {
                kept: &self.inputs,
                spool: self.spooled.as_ref(),
            },
        )?;
        m.end()
    }
}

/// The kept entries, then the spooled ones read back line by line.
struct AllInputs<'a> {
    kept: &'a [Entry],
    spool: Option<&'a Spool>,
}

impl Serialize for AllInputs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        for e in self.kept {
            seq.serialize_element(e)?;
        }
        if let Some(spool) = self.spool {
            let file = std::fs::File::open(&*spool.path).map_err(S::Error::custom)?;
            for line in std::io::BufRead::lines(std::io::BufReader::new(file)) {
                let line = line.map_err(S::Error::custom)?;
                let v: serde_json::Value = serde_json::from_str(&line).map_err(S::Error::custom)?;
                seq.serialize_element(&v)?;
            }
        }
        seq.end()
    }
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
        if let Some(v) = &s.vectors {
            out.push_str(&format!(
                "  vectors: {} documents embedded ({} vectors, {} tokens) in {:.1} s ({:.0} tokens/s); {} had them already\n",
                v.documents,
                v.vectors,
                v.tokens,
                v.seconds,
                v.tokens_per_second(),
                v.cached,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routine_entries_beyond_the_limit_are_spooled_and_still_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut entries = Entries::with_limit(dir.path().to_path_buf(), 2);
        for i in 0..5 {
            let mut e = Entry::new(
                format!("r.jsonl:{i}"),
                Some(format!("R{i}")),
                Outcome::Added,
            );
            e.pages = Some(1);
            entries.push(e).unwrap();
        }
        entries
            .push(Entry::new("r.jsonl:9", None, Outcome::Failed).reason("bad"))
            .unwrap();
        let mut summary = Summary::default();
        let (kept, spool) = entries.finish(&mut summary).unwrap();
        assert_eq!(
            kept.len(),
            3,
            "two routine entries and the failure stay in memory"
        );
        let spool = spool.unwrap();
        assert_eq!(spool.count, 3);
        assert_eq!((summary.added, summary.failed, summary.pages), (5, 1, 5));
        let report = AddReport {
            collection: "c".into(),
            started: String::new(),
            extractor: "x",
            summary,
            warnings: Vec::new(),
            inputs: kept,
            spooled: Some(spool.clone()),
            report_path: dir.path().join("report.json"),
        };
        write_report(&report, &report.report_path).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report.report_path).unwrap()).unwrap();
        let ids: Vec<&str> = v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["id"].as_str())
            .collect();
        assert_eq!(ids, vec!["R0", "R1", "R2", "R3", "R4"]);
        // The spool file goes with the last copy of the report.
        let path = spool.path.to_path_buf();
        drop(report);
        drop(spool);
        assert!(!path.exists());
    }
}
