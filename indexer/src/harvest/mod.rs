//! OAI-PMH harvesting: a repository's records (and, when asked, their PDFs) into a collection
//! that follows its source (`indexer harvest`).
//!
//! A harvest composes the ingestion stages of [`crate::ingest`] with an OAI-PMH source:
//!
//! ```text
//!  Identify, ListMetadataFormats (once)
//!  ListRecords page ──► map metadata ──► decide (new / changed / unchanged / deleted)
//!        ▲  resumptionToken                 │ --fulltext: download PDF, extract (rayon)
//!        └──────────────────────────────────┤
//!                                           ▼
//!                     writer thread: index, delete, commit; after each commit the
//!                     checkpoint of the last page it holds saves the harvest state
//! ```
//!
//! - [`protocol`]: responses read into plain values.
//! - [`formats`]: `oai_dc`, `dim` and `oai_etdms` onto our record fields.
//! - [`http`]: one request at a time, retries with back-off and `Retry-After`.
//! - [`state`]: what the collection remembers: source, last datestamp, the list under way.
//!
//! Ids: a record's document id is its OAI identifier with the characters an id may not hold
//! (white space, `/ ? # % ~`) written as `~XX` hex (see [`record_id`]), so
//! `oai:dspace.example:123456789/42` becomes `oai:dspace.example:123456789~2F42`.

pub mod formats;
pub mod http;
pub mod protocol;
pub mod state;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::data_dir::DataDir;
use crate::ingest::pipeline::decide::{hash_file, Decision, Existing};
use crate::ingest::pipeline::extract::{run_jobs, OcrSetup, PdfJob};
use crate::ingest::pipeline::write::{writer_loop, Msg, WriteOptions};
use crate::ingest::pipeline::{now_secs, Run};
use crate::ingest::progress::{Progress, ProgressMode};
use crate::ingest::scan::rfc3339;
use crate::ingest::{AddReport, Entry, IngestError, Outcome};
use crate::ocr::OcrOptions;
use http::{Client, HttpError, HttpOptions};
use protocol::{Record, Response};
use state::{HarvestState, InProgress, StateError};

/// The metadata format asked for when none is given: DSpace's `dim` when the repository offers
/// it (it carries advisors, degrees and issue dates that `oai_dc` flattens), else `oai_dc`,
/// which every repository must offer.
pub const PREFERRED_FORMATS: [&str; 2] = ["dim", "oai_dc"];

/// Largest PDF downloaded when a remembered `--fulltext` harvest runs again without a limit.
pub const DEFAULT_MAX_PDF_BYTES: u64 = 200 << 20;

/// Largest OAI-PMH response page read.
const PAGE_LIMIT: u64 = 64 << 20;

/// How to run a harvest.
#[derive(Debug, Clone)]
pub struct HarvestOptions {
    pub collection: String,
    /// The repository's base URL; `None` harvests the one the collection remembers.
    pub url: Option<String>,
    pub set: Option<String>,
    /// `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`; default: the last harvest's newest datestamp
    /// less one granularity unit (nothing the first time: everything).
    pub from: Option<String>,
    pub until: Option<String>,
    /// Default: remembered, else the first of [`PREFERRED_FORMATS`] the repository offers.
    pub metadata_prefix: Option<String>,
    /// Download and index the PDFs the records link to, up to this many bytes each. A
    /// collection harvested with full texts keeps them on later runs without this.
    pub fulltext: Option<u64>,
    pub http: HttpOptions,
    pub report: Option<PathBuf>,
    pub progress: ProgressMode,
    pub commit_every: usize,
    pub commit_interval: Duration,
    pub writer_memory: usize,
    pub extract_budget: u64,
    pub ocr: OcrOptions,
}

impl HarvestOptions {
    pub fn new(collection: impl Into<String>, url: Option<String>) -> HarvestOptions {
        HarvestOptions {
            collection: collection.into(),
            url,
            set: None,
            from: None,
            until: None,
            metadata_prefix: None,
            fulltext: None,
            http: HttpOptions::default(),
            report: None,
            progress: ProgressMode::Auto,
            commit_every: 1000,
            commit_interval: Duration::from_secs(10),
            writer_memory: 128 << 20,
            extract_budget: 6 << 20,
            ocr: OcrOptions::default(),
        }
    }
}

/// Why a harvest stopped. What was committed before stays, and the state file points at the
/// page after it, so running the same command again resumes.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("collection {collection:?} has never been harvested: give the repository's base URL")]
    NoRepository { collection: String },
    #[error("{0}")]
    BadArgument(String),
    #[error("the repository answered {request} with an OAI-PMH error: {errors}")]
    Oai { request: String, errors: String },
    #[error("page {page} of {url} is not a valid OAI-PMH response: {reason}{}", resume_hint(*committed))]
    Malformed {
        url: String,
        page: u64,
        reason: String,
        committed: u64,
    },
    #[error("fetching page {page}{}", resume_hint(*committed))]
    Http {
        page: u64,
        committed: u64,
        #[source]
        source: HttpError,
    },
    #[error("fetching {what}")]
    Setup {
        what: &'static str,
        #[source]
        source: HttpError,
    },
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

fn resume_hint(committed: u64) -> String {
    format!(
        " ({committed} records of this list are committed; run the same harvest again to resume after them)"
    )
}

/// The document id of an OAI identifier (see the module documentation).
pub fn record_id(identifier: &str) -> String {
    let mut out = String::with_capacity(identifier.len());
    for c in identifier.trim().chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '%' | '~') {
            let mut b = [0u8; 4];
            for byte in c.encode_utf8(&mut b).bytes() {
                out.push_str(&format!("~{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if out.len() > crate::ingest::ids::MAX_RECORD_ID_BYTES {
        // Keep a readable head and make the rest unique.
        let hash = blake3::hash(identifier.as_bytes()).to_hex();
        let mut cut = 150;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out = format!("{}~{}", &out[..cut], &hash[..16]);
    }
    out
}

/// Harvests into `opts.collection`, writes the report and returns it.
pub fn harvest(data_dir: &DataDir, opts: &HarvestOptions) -> Result<AddReport, HarvestError> {
    harvest_inner(data_dir, opts).map_err(|e| match e {
        HarvestError::Ingest(e) => HarvestError::Ingest(e.explain(&data_dir.index_dir())),
        other => other,
    })
}

/// The source and list a run walks, settled from the options and the saved state.
struct Plan {
    state: HarvestState,
    list: InProgress,
    resumed: bool,
    /// The PDF size limit when full texts are downloaded.
    fulltext: Option<u64>,
}

fn plan(
    client: &Client,
    opts: &HarvestOptions,
    saved: Option<HarvestState>,
) -> Result<Plan, HarvestError> {
    for d in [&opts.from, &opts.until].into_iter().flatten() {
        state::check_datestamp(d).map_err(HarvestError::BadArgument)?;
    }
    let url = match (&opts.url, &saved) {
        (Some(u), _) => u.trim().to_string(),
        (None, Some(s)) => s.url.clone(),
        (None, None) => {
            return Err(HarvestError::NoRepository {
                collection: opts.collection.clone(),
            })
        }
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(HarvestError::BadArgument(format!(
            "{url:?} is not an http(s) URL of an OAI-PMH repository"
        )));
    }
    // The same source: same URL, and set and format unchanged when given.
    let same = saved.filter(|s| {
        s.url == url
            && opts
                .set
                .as_ref()
                .is_none_or(|set| s.set.as_ref() == Some(set))
            && opts
                .metadata_prefix
                .as_ref()
                .is_none_or(|p| *p == s.metadata_prefix)
    });
    let identify = request(client, &url, &[("verb", "Identify")])
        .map_err(|source| HarvestError::Setup {
            what: "Identify",
            source,
        })
        .and_then(|r| {
            parse_ok(&r, "Identify", &url)?
                .identify
                .ok_or_else(|| HarvestError::BadArgument(format!("{url} answered Identify without an <Identify> element: is it an OAI-PMH base URL?")))
        })?;
    let granularity = if identify.granularity.is_empty() {
        "YYYY-MM-DD".to_string()
    } else {
        identify.granularity.clone()
    };
    let metadata_prefix = match (&opts.metadata_prefix, &same) {
        (Some(p), _) => p.clone(),
        (None, Some(s)) => s.metadata_prefix.clone(),
        (None, None) => {
            let formats = request(client, &url, &[("verb", "ListMetadataFormats")])
                .map_err(|source| HarvestError::Setup {
                    what: "ListMetadataFormats",
                    source,
                })
                .and_then(|r| parse_ok(&r, "ListMetadataFormats", &url))?
                .formats;
            PREFERRED_FORMATS
                .iter()
                .find(|p| formats.iter().any(|(f, _)| f == *p))
                .unwrap_or(&"oai_dc")
                .to_string()
        }
    };
    let mut state = same.clone().unwrap_or_default();
    state.url = url;
    state.set = opts.set.clone().or(state.set);
    state.metadata_prefix = metadata_prefix;
    state.granularity = granularity.clone();
    state.repository_name = identify.repository_name;
    let fulltext = opts
        .fulltext
        .or((same.as_ref().is_some_and(|s| s.fulltext)).then_some(DEFAULT_MAX_PDF_BYTES));
    state.fulltext = fulltext.is_some();
    // An interrupted list resumes unless other dates were asked for.
    let explicit_dates = opts.from.is_some() || opts.until.is_some();
    if let Some(list) = state.in_progress.take().filter(|_| !explicit_dates) {
        return Ok(Plan {
            state,
            list,
            resumed: true,
            fulltext,
        });
    }
    let from = match &opts.from {
        Some(f) => Some(state::at_granularity(f, &granularity)),
        None => state
            .next_from
            .as_deref()
            .or(state.last_datestamp.as_deref())
            .and_then(|d| state::one_unit_before(d, &granularity)),
    };
    let list = InProgress {
        from,
        until: opts
            .until
            .as_deref()
            .map(|u| state::at_granularity(u, &granularity)),
        ..InProgress::default()
    };
    Ok(Plan {
        state,
        list,
        resumed: false,
        fulltext,
    })
}

fn harvest_inner(data_dir: &DataDir, opts: &HarvestOptions) -> Result<AddReport, HarvestError> {
    let mut run = Run::start(data_dir, &opts.collection, "harvest")?;
    let collection = opts.collection.as_str();
    let state_path = HarvestState::path(data_dir, collection);
    let client = Client::new(opts.http.clone());
    let Plan {
        state: base,
        mut list,
        resumed,
        fulltext,
    } = plan(&client, opts, HarvestState::load(&state_path)?)?;
    if resumed {
        run.warnings.push(format!(
            "resumed an interrupted harvest after its {} committed records",
            list.done
        ));
    }
    // Saved now so that the collection remembers its source even if the first page fails.
    let mut saved = base.clone();
    saved.in_progress = Some(list.clone());
    saved.save(&state_path)?;

    let index = crate::ingest::open_for_writing(data_dir)?;
    let existing = Existing::load(&index, collection)?;
    let ocr = match fulltext {
        Some(_) => Some(OcrSetup::detect(&opts.ocr, data_dir)?),
        None => None,
    };
    if let Some(o) = &ocr {
        run.summary.ocr_unavailable = o.unavailable.clone();
    }
    let files_dir = data_dir
        .root()
        .join("harvest")
        .join("files")
        .join(collection);
    let progress = Progress::records(opts.progress, list.complete_list_size);
    progress.set_done(list.done);
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(64);
    let stop = AtomicBool::new(false);
    let write = WriteOptions {
        collection: collection.to_string(),
        commit_every: opts.commit_every,
        commit_interval: opts.commit_interval,
        commit_bytes: 16 << 20,
        writer_memory: opts.writer_memory,
    };
    let bar = progress.handle();
    let entries = run.take_entries();
    let outcome = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let r = writer_loop(&index, rx, &write, entries, progress);
            stop.store(true, Ordering::Relaxed);
            r
        });
        let mut walker = Walker {
            client: &client,
            opts,
            fulltext,
            existing: &existing,
            collection,
            files_dir: &files_dir,
            ocr: ocr.as_ref(),
            tx: &tx,
            stop: &stop,
            written: HashSet::new(),
            failed_downloads: std::collections::BTreeSet::new(),
            warnings: Vec::new(),
            bar,
        };
        let mut walked = match fulltext {
            Some(_) => walker.retry_downloads(&base),
            None => Ok(()),
        };
        if walked.is_ok() {
            walked = walker.walk(&base, &mut list, &state_path);
        }
        // A list resumed from an earlier run began before the interruption: what changed at
        // the source since then, behind the point already walked, is asked for at once, so
        // the run ends with the repository as it is now.
        let since = list
            .started
            .as_deref()
            .and_then(|t| state::one_unit_before(t, &base.granularity))
            .filter(|_| resumed && walked.is_ok() && !stop.load(Ordering::Relaxed));
        if let Some(from) = since {
            walker.warnings.push(format!(
                "the changes made at the source since the interrupted list began were asked for too (from {from})"
            ));
            let mut follow = InProgress {
                from: Some(from),
                until: list.until.clone(),
                ..InProgress::default()
            };
            walked = walker.walk(&base, &mut follow, &state_path);
        }
        let early = std::mem::take(&mut walker.warnings);
        drop(walker);
        drop(tx);
        let written = writer.join().unwrap_or(Err(IngestError::WriterGone));
        (walked, early, written)
    });
    let (walked, early, written) = outcome;
    let (entries, progress) = written?;
    progress.finish();
    walked?;
    run.warnings.extend(early);
    run.entries = entries;
    Ok(run.finish(opts.report.as_deref())?)
}

/// Walks the list page by page and sends what each record needs to the writer.
struct Walker<'a> {
    client: &'a Client,
    opts: &'a HarvestOptions,
    fulltext: Option<u64>,
    existing: &'a Existing,
    collection: &'a str,
    files_dir: &'a Path,
    ocr: Option<&'a OcrSetup>,
    tx: &'a crossbeam_channel::Sender<Msg>,
    stop: &'a AtomicBool,
    /// Ids indexed in this run (not in the snapshot `existing` sees).
    written: HashSet<String>,
    /// Records whose PDF could not be downloaded (OAI identifiers), saved for the next run.
    failed_downloads: std::collections::BTreeSet<String>,
    /// Said in the report beside the entries.
    warnings: Vec<String>,
    bar: crate::ingest::progress::ProgressHandle,
}

impl Walker<'_> {
    fn walk(
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
                    let path = state_path.to_path_buf();
                    let save: crate::ingest::pipeline::write::CheckpointFn = Box::new(move || {
                        s.save(&path)
                            .map_err(|e| IngestError::Checkpoint(e.to_string()))
                    });
                    if self.tx.send(Msg::Checkpoint(save)).is_err() {
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
    fn retry_downloads(&mut self, base: &HarvestState) -> Result<(), HarvestError> {
        let mut scratch = InProgress::default();
        for identifier in &base.retry_fulltext {
            let params = [
                ("verb", "GetRecord"),
                ("identifier", identifier.as_str()),
                ("metadataPrefix", base.metadata_prefix.as_str()),
            ];
            let fetched = request(self.client, &base.url, &params).map_err(|source| {
                HarvestError::Setup {
                    what: "GetRecord of a record whose full text is to be downloaded again",
                    source,
                }
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
        let path = state_path.to_path_buf();
        let _ = self.tx.send(Msg::Checkpoint(Box::new(move || {
            s.save(&path)
                .map_err(|e| IngestError::Checkpoint(e.to_string()))
        })));
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

fn request(
    client: &Client,
    url: &str,
    params: &[(&str, &str)],
) -> Result<http::Fetched, HttpError> {
    client.get(url, params, PAGE_LIMIT)
}

/// Parses a setup response and turns OAI errors into an error.
fn parse_ok(fetched: &http::Fetched, verb: &str, url: &str) -> Result<Response, HarvestError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_escape_what_an_id_may_not_hold() {
        assert_eq!(
            record_id("oai:arXiv.org:hep-th/9901001"),
            "oai:arXiv.org:hep-th~2F9901001"
        );
        assert_eq!(record_id("oai:x:a b~c"), "oai:x:a~20b~7Ec");
        assert_eq!(record_id("oai:x:đ/1"), "oai:x:đ~2F1");
        let long = format!("oai:x:{}", "a/".repeat(200));
        let id = record_id(&long);
        assert!(id.len() <= crate::ingest::ids::MAX_RECORD_ID_BYTES);
        assert_ne!(id, record_id(&format!("{long}b")));
        for id in ["oai:arXiv.org:hep-th/9901001", "oai:x:a b%c?d#e"] {
            assert!(crate::ingest::ids::validate_record_id(&record_id(id)).is_ok());
        }
    }
}
