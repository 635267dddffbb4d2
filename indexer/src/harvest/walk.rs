//! Walking an OAI-PMH list: one page after another, each record decided and sent to the
//! writer, a checkpoint after each page so that the state file follows the commits.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::http::{self, Client, HttpError};
use super::protocol::{self, Record, Response};
use super::state::{HarvestState, InProgress};
use super::{formats, record_id, HarvestError, HarvestOptions};
use crate::ingest::pipeline::decide::{hash_file, Decision, Existing};
use crate::ingest::pipeline::extract::{run_jobs, OcrSetup, PdfJob};
use crate::ingest::pipeline::now_secs;
use crate::ingest::pipeline::write::{CheckpointFn, Msg};
use crate::ingest::progress::ProgressHandle;
use crate::ingest::scan::rfc3339;
use crate::ingest::{Entry, IngestError, Outcome};

/// Largest OAI-PMH response page read.
const PAGE_LIMIT: u64 = 64 << 20;

/// Walks the list page by page and sends what each record needs to the writer.
pub(super) struct Walker<'a> {
    pub(super) client: &'a Client,
    pub(super) opts: &'a HarvestOptions,
    pub(super) fulltext: Option<u64>,
    pub(super) existing: &'a Existing,
    pub(super) collection: &'a str,
    pub(super) files_dir: &'a Path,
    pub(super) ocr: Option<&'a OcrSetup>,
    pub(super) tx: &'a crossbeam_channel::Sender<Msg>,
    pub(super) stop: &'a AtomicBool,
    /// Ids indexed in this run (not in the snapshot `existing` sees).
    pub(super) written: HashSet<String>,
    /// Records whose PDF could not be downloaded (OAI identifiers), saved for the next run.
    pub(super) failed_downloads: BTreeSet<String>,
    /// Said in the report beside the entries.
    pub(super) warnings: Vec<String>,
    pub(super) bar: ProgressHandle,
}

impl Walker<'_> {
    pub(super) fn walk(
        &mut self,
        base: &HarvestState,
        list: &mut InProgress,
        state_path: &Path,
    ) -> Result<(), HarvestError> {
        let url = base.url.clone();
        let mut page = 0u64;
        let mut restarted = false;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                // The writer failed; its error is the one to report.
                return Ok(());
            }
            page += 1;
            let mut params: Vec<(&str, &str)> = vec![("verb", "ListRecords")];
            match &list.token {
                Some(t) => params.push(("resumptionToken", t)),
                None => {
                    params.push(("metadataPrefix", &base.metadata_prefix));
                    if let Some(f) = &list.from {
                        params.push(("from", f));
                    }
                    if let Some(u) = &list.until {
                        params.push(("until", u));
                    }
                    if let Some(s) = &base.set {
                        params.push(("set", s));
                    }
                }
            }
            let fetched =
                request(self.client, &url, &params).map_err(|source| HarvestError::Http {
                    page,
                    committed: list.done,
                    source,
                })?;
            let response =
                protocol::parse(&fetched.body).map_err(|reason| HarvestError::Malformed {
                    url: url.clone(),
                    page,
                    reason: if fetched.status != 200 {
                        format!("HTTP {}: {reason}", fetched.status)
                    } else {
                        reason
                    },
                    committed: list.done,
                })?;
            if list.token.is_none() && list.started.is_none() && !response.response_date.is_empty()
            {
                list.started = Some(response.response_date.clone());
            }
            if let Some(e) = response.errors.first() {
                match e.code.as_str() {
                    // Nothing new since the last harvest: a normal end.
                    "noRecordsMatch" => {
                        self.finish(base, list, state_path);
                        return Ok(());
                    }
                    // A token from before a restart of the repository: walk the list again
                    // from its start (records already indexed come back unchanged).
                    "badResumptionToken" if list.token.is_some() && !restarted => {
                        tracing::warn!("resumption token refused; asking for the list again");
                        self.warnings.push(
                            "the repository no longer knew the resumption token; the list was asked for again from its start".to_string(),
                        );
                        list.token = None;
                        list.done = 0;
                        restarted = true;
                        continue;
                    }
                    _ => {
                        return Err(HarvestError::Oai {
                            request: describe(&params),
                            errors: response
                                .errors
                                .iter()
                                .map(|e| e.explain())
                                .collect::<Vec<_>>()
                                .join("; "),
                        })
                    }
                }
            }
            self.page(&response, list)?;
            let token = response
                .token
                .clone()
                .filter(|t| !t.value.trim().is_empty());
            if let Some(total) = response.token.as_ref().and_then(|t| t.complete_list_size) {
                list.complete_list_size = Some(total);
                self.bar.set_total(total);
            }
            match token {
                Some(t) => {
                    list.token = Some(t.value.trim().to_string());
                    let mut s = base.clone();
                    s.in_progress = Some(list.clone());
                    s.retry_fulltext = self.failed_downloads.iter().cloned().collect();
                    if self.tx.send(checkpoint(s, state_path)).is_err() {
                        return Ok(());
                    }
                }
                None => {
                    self.finish(base, list, state_path);
                    return Ok(());
                }
            }
        }
    }

    /// Asks again (GetRecord) for the records whose full text the last run could not download,
    /// and tries the downloads again; records gone from the repository are dropped from the list.
    pub(super) fn retry_downloads(&mut self, base: &HarvestState) -> Result<(), HarvestError> {
        let mut scratch = InProgress::default();
        for identifier in &base.retry_fulltext {
            let params = [
                ("verb", "GetRecord"),
                ("identifier", identifier.as_str()),
                ("metadataPrefix", base.metadata_prefix.as_str()),
            ];
            let fetched =
                request(self.client, &base.url, &params).map_err(|source| HarvestError::Setup {
                    what: "GetRecord of a record whose full text is to be downloaded again",
                    source,
                })?;
            match protocol::parse(&fetched.body) {
                Ok(r) if r.errors.is_empty() => self.page(&r, &mut scratch)?,
                // idDoesNotExist, or a page we cannot read: the list will bring it back if it
                // still exists.
                _ => {}
            }
        }
        Ok(())
    }

    /// The list is done: the next harvest starts from its newest datestamp.
    fn finish(&self, base: &HarvestState, list: &InProgress, state_path: &Path) {
        let mut s = base.clone();
        s.in_progress = None;
        s.retry_fulltext = self.failed_downloads.iter().cloned().collect();
        s.last_datestamp = match (&list.max_datestamp, &base.last_datestamp) {
            (Some(a), Some(b)) => Some(a.max(b).clone()),
            (a, b) => a.clone().or(b.clone()),
        };
        s.next_from = list.started.clone().or(s.next_from.clone());
        s.last_completed = Some(rfc3339(now_secs()));
        let _ = self.tx.send(checkpoint(s, state_path));
    }

    /// Decides every record of a page and sends the writer its work.
    fn page(&mut self, response: &Response, list: &mut InProgress) -> Result<(), HarvestError> {
        let now = now_secs();
        let mut jobs = Vec::new();
        for rec in &response.records {
            list.done += 1;
            if !rec.datestamp.is_empty()
                && list
                    .max_datestamp
                    .as_ref()
                    .is_none_or(|m| rec.datestamp > *m)
            {
                list.max_datestamp = Some(rec.datestamp.clone());
            }
            let msg = self.record(rec, now, &mut jobs)?;
            if let Some(msg) = msg {
                if self.tx.send(msg).is_err() {
                    return Ok(());
                }
            }
        }
        if !jobs.is_empty() {
            if let Some(ocr) = self.ocr {
                run_jobs(
                    jobs,
                    self.opts.extract_budget,
                    self.collection,
                    now,
                    ocr,
                    self.tx,
                    self.stop,
                );
            }
        }
        Ok(())
    }

    fn record(
        &mut self,
        rec: &Record,
        now: i64,
        jobs: &mut Vec<PdfJob>,
    ) -> Result<Option<Msg>, HarvestError> {
        let label = rec.identifier.clone();
        if rec.identifier.trim().is_empty() {
            return Ok(Some(Msg::Outcome {
                entry: Entry::new("(record without identifier)", None, Outcome::Failed)
                    .reason("the header has no identifier"),
                pdf: false,
            }));
        }
        let id = record_id(&rec.identifier);
        if rec.deleted {
            let held = self
                .existing
                .by_id(&id)?
                .is_some_and(|h| h.collection == self.collection);
            if !held && !self.written.remove(&id) {
                // Never harvested here: nothing to remove.
                return Ok(None);
            }
            let entry = Entry::new(label, Some(id.clone()), Outcome::Removed)
                .reason(format!("deleted at the source ({})", rec.datestamp));
            return Ok(Some(Msg::Delete {
                id,
                entry: Some(entry),
            }));
        }
        let Some(meta) = &rec.metadata else {
            return Ok(Some(Msg::Outcome {
                entry: Entry::new(label, Some(id), Outcome::Failed)
                    .reason("the record has no metadata"),
                pdf: false,
            }));
        };
        let mapped = formats::map(meta);
        let mut fields = mapped.fields;
        fields.id = Some(id.clone());
        let record_hash = fields.hash();
        let fulltext = self.fulltext.filter(|_| !mapped.pdf_links.is_empty());
        // A document with its PDF is told apart from the same record without it, so a failed
        // download is tried again by the next harvest.
        let hash = match fulltext {
            Some(_) => blake3::hash(format!("{record_hash}\0pdf").as_bytes())
                .to_hex()
                .to_string(),
            None => record_hash.clone(),
        };
        let decision = if self.written.contains(&id) {
            Decision::Write(Outcome::Updated)
        } else {
            self.existing.decide_record(&id, &hash)?
        };
        let outcome = match decision {
            Decision::Refused(reason) => {
                return Ok(Some(Msg::Outcome {
                    entry: Entry::new(label, Some(id), Outcome::Failed).reason(reason),
                    pdf: false,
                }))
            }
            Decision::Unchanged => {
                return Ok(Some(Msg::Outcome {
                    entry: Entry::new(label, Some(id), Outcome::Unchanged),
                    pdf: false,
                }))
            }
            Decision::Write(o) => o,
        };
        let mut download_failure = None;
        if let Some(limit) = fulltext {
            match self.download(&mapped.pdf_links, limit) {
                Ok((path, file_hash, size)) => {
                    let relative = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    self.written.insert(id.clone());
                    jobs.push(PdfJob {
                        label,
                        path,
                        relative,
                        id,
                        hash,
                        file_hash,
                        outcome,
                        overrides: Some(fields),
                        size,
                        note: None,
                    });
                    return Ok(None);
                }
                Err(reason) => {
                    self.failed_downloads.insert(rec.identifier.clone());
                    download_failure = Some(reason)
                }
            }
        }
        let doc = match fields.into_document(self.collection, now) {
            Ok(mut d) => {
                d.content_hash = record_hash;
                d
            }
            Err(reason) => {
                return Ok(Some(Msg::Outcome {
                    entry: Entry::new(label, Some(id), Outcome::Failed).reason(reason),
                    pdf: false,
                }))
            }
        };
        self.written.insert(id.clone());
        let mut entry = Entry::new(label, Some(id), outcome);
        entry.pages = Some(doc.pages.len() as u64);
        entry.needs_ocr = Some(false);
        if let Some(why) = download_failure {
            entry.reason = Some(format!(
                "full text not downloaded (the record is indexed without it): {why}"
            ));
        }
        Ok(Some(Msg::Index {
            doc: Box::new(doc),
            entry,
            pdf: false,
        }))
    }

    /// Downloads the first of `links` that gives a PDF; returns its path, hash and size.
    fn download(&self, links: &[String], limit: u64) -> Result<(PathBuf, String, u64), String> {
        std::fs::create_dir_all(self.files_dir)
            .map_err(|e| format!("creating {}: {e}", self.files_dir.display()))?;
        let mut why = Vec::new();
        for link in links {
            let name = blake3::hash(link.as_bytes()).to_hex()[..16].to_string();
            let dest = self.files_dir.join(format!("{name}.pdf"));
            match self.client.download(link, &dest, limit) {
                Ok((size, content_type)) => {
                    let mut head = [0u8; 5];
                    let is_pdf = std::fs::File::open(&dest)
                        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                        .is_ok()
                        && &head == b"%PDF-";
                    if !is_pdf {
                        let _ = std::fs::remove_file(&dest);
                        why.push(format!("{link}: not a PDF ({content_type})"));
                        continue;
                    }
                    let (hash, _) =
                        hash_file(&dest).map_err(|e| format!("reading {}: {e}", dest.display()))?;
                    return Ok((dest, hash, size));
                }
                Err(e) => why.push(e.to_string()),
            }
        }
        Err(why.join("; "))
    }
}

/// Saves `state` once the writer has committed everything sent before it.
fn checkpoint(state: HarvestState, path: &Path) -> Msg {
    let path = path.to_path_buf();
    let save: CheckpointFn = Box::new(move || {
        state
            .save(&path)
            .map_err(|e| IngestError::Checkpoint(e.to_string()))
    });
    Msg::Checkpoint(save)
}

pub(super) fn request(
    client: &Client,
    url: &str,
    params: &[(&str, &str)],
) -> Result<http::Fetched, HttpError> {
    client.get(url, params, PAGE_LIMIT)
}

/// Parses a setup response and turns OAI errors into an error.
pub(super) fn parse_ok(
    fetched: &http::Fetched,
    verb: &str,
    url: &str,
) -> Result<Response, HarvestError> {
    let r = protocol::parse(&fetched.body).map_err(|reason| HarvestError::Malformed {
        url: url.to_string(),
        page: 0,
        reason: format!("{verb}: {reason}"),
        committed: 0,
    })?;
    if !r.errors.is_empty() {
        return Err(HarvestError::Oai {
            request: verb.to_string(),
            errors: r
                .errors
                .iter()
                .map(|e| e.explain())
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    Ok(r)
}

fn describe(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}
