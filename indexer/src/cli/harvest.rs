//! `indexer harvest [URL] --collection NAME`: an OAI-PMH repository into a collection, and on
//! later runs only what changed there.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indexer::data_dir::DataDir;
use indexer::harvest::{self, HarvestOptions};

use super::embed_args::EmbedArgs;
use super::ocr_args::OcrArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The repository's OAI-PMH base URL (e.g. https://repository.example.edu.vn/oai/request).
    /// Leave it out to harvest again what the collection remembers, from its last datestamp.
    pub url: Option<String>,
    /// Collection the records go to (letters, digits, '-', '_', '.').
    #[arg(long, short)]
    pub collection: String,
    /// Only this set (setSpec) of the repository.
    #[arg(long)]
    pub set: Option<String>,
    /// Records changed on or after this date: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC).
    /// Default: the last harvest's newest datestamp, less one granularity unit.
    #[arg(long)]
    pub from: Option<String>,
    /// Records changed on or before this date.
    #[arg(long)]
    pub until: Option<String>,
    /// Metadata format (default: remembered, else `dim` when offered, else `oai_dc`).
    #[arg(long)]
    pub metadata_prefix: Option<String>,
    /// Also download the PDFs records link to (DSpace bitstreams, arXiv, PubMed Central) and
    /// index their text.
    #[arg(long)]
    pub fulltext: bool,
    /// Largest PDF downloaded, in MB.
    #[arg(long, default_value_t = 200)]
    pub max_pdf_mb: u64,
    /// Seconds before one request gives up.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Tries per request (503 with Retry-After, timeouts, reset connections are retried).
    #[arg(long, default_value_t = 8)]
    pub attempts: u32,
    /// Longest wait between two tries, in seconds.
    #[arg(long, default_value_t = 300, hide = true)]
    pub max_wait: u64,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Where to write the JSON report (default: DATA_DIR/reports/harvest-COLLECTION-TIME.json).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Commit after this many records (an interruption redoes at most this many).
    #[arg(long, default_value_t = 1000, hide = true)]
    pub commit_every: usize,
    /// Commit at least this often, in seconds.
    #[arg(long, default_value_t = 10, hide = true)]
    pub commit_seconds: u64,
    /// Index writer memory budget in MB.
    #[arg(long, default_value_t = 128)]
    pub writer_mb: usize,
    #[command(flatten)]
    pub embed: EmbedArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = HarvestOptions::new(args.collection, args.url);
    opts.set = args.set;
    opts.from = args.from;
    opts.until = args.until;
    opts.metadata_prefix = args.metadata_prefix;
    opts.fulltext = args.fulltext.then_some(args.max_pdf_mb << 20);
    opts.http.timeout = Duration::from_secs(args.timeout.max(1));
    opts.http.attempts = args.attempts.max(1);
    opts.http.max_wait = Duration::from_secs(args.max_wait);
    opts.report = args.report;
    opts.progress = super::progress_mode(args.quiet);
    opts.commit_every = args.commit_every.max(1);
    opts.commit_interval = Duration::from_secs(args.commit_seconds.max(1));
    opts.writer_memory = args.writer_mb.max(16) << 20;
    opts.ocr = args.ocr.options()?;
    opts.embed = args.embed.config();
    let report = harvest::harvest(data_dir, &opts)?;
    let s = &report.summary;
    let records = s.added + s.updated + s.unchanged + s.failed + s.removed;
    eprint!("{}", report.render_summary());
    eprintln!(
        "{records} records in {:.1} s ({:.0} records/s)",
        s.seconds,
        records as f64 / s.seconds.max(1e-3)
    );
    eprintln!("report: {}", report.report_path.display());
    Ok(if s.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
