//! `indexer add PATH... --collection NAME`: ingest PDFs, folders and record files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indexer::data_dir::DataDir;
use indexer::ingest::{self, AddOptions, Prune};

use super::embed_args::EmbedArgs;
use super::ocr_args::OcrArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// PDF files, folders (searched recursively for PDFs) and record files (.jsonl, .csv).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Collection the documents belong to (letters, digits, '-', '_', '.').
    #[arg(long, short)]
    pub collection: String,
    /// CSV or JSONL file of metadata overrides, keyed by `file` (file name or path relative to
    /// the folder given).
    #[arg(long)]
    pub metadata: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Where to write the JSON report (default: DATA_DIR/reports/add-COLLECTION-TIME.json).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Commit after this many documents (a crash loses at most this much work).
    #[arg(long, default_value_t = 200, hide = true)]
    pub commit_every: usize,
    /// Commit at least this often, in seconds.
    #[arg(long, default_value_t = 10, hide = true)]
    pub commit_seconds: u64,
    /// Index writer memory budget in MB.
    #[arg(long, default_value_t = 128)]
    pub writer_mb: usize,
    /// Total MB of PDF files extracted at the same time (bounds peak memory on big files).
    #[arg(long, default_value_t = 6, hide = true)]
    pub extract_budget_mb: u64,
    /// Remove the collection's documents whose files are no longer under the folders and
    /// files given, or whose records are no longer in the record files given.
    #[arg(long)]
    pub prune: bool,
    /// With --prune: list what would be removed, and change nothing.
    #[arg(long, requires = "prune")]
    pub dry_run: bool,
    #[command(flatten)]
    pub embed: EmbedArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = AddOptions::new(args.collection, args.paths);
    opts.metadata = args.metadata;
    opts.report = args.report;
    opts.progress = super::progress_mode(args.quiet);
    opts.commit_every = args.commit_every.max(1);
    opts.commit_interval = Duration::from_secs(args.commit_seconds.max(1));
    opts.writer_memory = args.writer_mb.max(16) << 20;
    opts.extract_budget = args.extract_budget_mb << 20;
    opts.ocr = args.ocr.options()?;
    opts.embed = args.embed.config();
    opts.prune = match (args.prune, args.dry_run) {
        (false, _) => Prune::Off,
        (true, false) => Prune::Remove,
        (true, true) => Prune::DryRun,
    };
    let report = ingest::add(data_dir, &opts)?;
    if opts.prune == Prune::DryRun {
        for e in report
            .inputs
            .iter()
            .filter(|e| e.outcome == ingest::Outcome::Removed)
        {
            outln!(
                "would remove: {} ({})",
                e.path,
                e.id.as_deref().unwrap_or("")
            )?;
        }
    }
    eprint!("{}", report.render_summary());
    eprintln!("report: {}", report.report_path.display());
    Ok(if report.summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
