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
//! - `walk`: the list walked page by page, records decided and sent to the writer.
//!
//! Ids: a record's document id is its OAI identifier with the characters an id may not hold
//! (white space, `/ ? # % ~`) written as `~XX` hex (see [`record_id`]), so
//! `oai:dspace.example:123456789/42` becomes `oai:dspace.example:123456789~2F42`.

pub mod formats;
pub mod http;
pub mod protocol;
pub mod state;
mod walk;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::data_dir::DataDir;
use crate::ingest::pipeline::decide::Existing;
use crate::ingest::pipeline::extract::OcrSetup;
use crate::ingest::pipeline::write::{writer_loop, Msg, WriteOptions};
use crate::ingest::pipeline::Run;
use crate::ingest::progress::{Progress, ProgressMode};
use crate::ingest::{AddReport, IngestError};
use crate::ocr::OcrOptions;
use http::{Client, HttpError, HttpOptions};
use state::{HarvestState, InProgress, StateError};
use walk::{parse_ok, request, Walker};

/// The metadata format asked for when none is given: DSpace's `dim` when the repository offers
/// it (it carries advisors, degrees and issue dates that `oai_dc` flattens), else `oai_dc`,
/// which every repository must offer.
pub const PREFERRED_FORMATS: [&str; 2] = ["dim", "oai_dc"];

/// Largest PDF downloaded when a remembered `--fulltext` harvest runs again without a limit.
pub const DEFAULT_MAX_PDF_BYTES: u64 = 200 << 20;

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
    /// What of harvested documents gets sentence vectors, when a model was imported; `None`:
    /// none now (`indexer embed` computes them later).
    pub embed: Option<crate::vectors::EmbedConfig>,
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
            embed: Some(crate::vectors::EmbedConfig::default()),
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
    let mut embedder =
        crate::ingest::pipeline::open_embedder(data_dir, opts.embed, &mut run.warnings)?;
    let vectors = embedder.as_mut();
    let entries = run.take_entries();
    let outcome = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let r = writer_loop(&index, rx, &write, entries, progress, vectors);
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
            failed_downloads: Default::default(),
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
    run.summary.vectors = embedder.map(|e| e.stats().clone());
    run.warnings.extend(early);
    run.entries = entries;
    Ok(run.finish(opts.report.as_deref())?)
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
