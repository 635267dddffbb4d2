//! Command-line front end of the indexer. Each subcommand lives in its own file; this one parses
//! arguments, sets up logging and prints errors with their whole chain.

/// `println!` that hands a write error back instead of panicking: output piped into `head`
/// or a pager that quits early closes stdout, which ends the command quietly (see [`main`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod add;
mod analyze;
mod collections;
mod embed;
mod embed_args;
mod extract;
mod harvest;
mod model;
mod ocr_args;
mod remove;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Index Vietnamese and English scholarly PDFs and catalogue records for search.
#[derive(Debug, Parser)]
#[command(name = "indexer", version, about)]
pub struct Cli {
    /// Data directory holding the index and reports (shared with search-server).
    #[arg(long, global = true, default_value = indexer::data_dir::DEFAULT, env = "INDEXER_DATA_DIR")]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the tokens every index field would get for TEXT, as JSON.
    Analyze(analyze::Args),
    /// Print the metadata and page texts the indexer reads from one PDF.
    Extract(extract::Args),
    /// Ingest PDFs, folders of PDFs and catalogue records (.jsonl, .csv) into a collection.
    Add(add::Args),
    /// Harvest an OAI-PMH repository into a collection; again later, only what changed there.
    Harvest(harvest::Args),
    /// Remove a collection, or some of its files or ids, from the index.
    Remove(remove::Args),
    /// List the collections with their document and page counts.
    Collections(collections::Args),
    /// Print what the index holds: documents, pages, languages, types, size on disk.
    Stats(stats::Args),
    /// Import (verify and store) the sentence-embedding model, or show the installed one.
    Model(model::Args),
    /// Compute the sentence vectors the index's documents lack (added before the model was
    /// imported, or with `add --no-embed`); interrupt and rerun at will.
    Embed(embed::Args),
}

/// Parses the command line, runs the subcommand and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let data_dir = indexer::data_dir::DataDir::new(cli.data_dir);
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::Add(args) => add::run(&data_dir, args),
        Command::Harvest(args) => harvest::run(&data_dir, args),
        Command::Remove(args) => remove::run(&data_dir, args),
        Command::Collections(args) => collections::run(&data_dir, args),
        Command::Stats(args) => stats::run(&data_dir, args),
        Command::Model(args) => model::run(&data_dir, args),
        Command::Embed(args) => embed::run(&data_dir, args),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`indexer extract x.pdf | head`): nothing left to say to it.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The progress bar of `add` and `harvest`: hidden with `--quiet`.
fn progress_mode(quiet: bool) -> indexer::ingest::ProgressMode {
    if quiet {
        indexer::ingest::ProgressMode::Hidden
    } else {
        indexer::ingest::ProgressMode::Auto
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("INDEXER_LOG")
        // lopdf logs a warning for every font quirk it works around; in a batch of thousands of
        // PDFs that drowns the summary, so it speaks only on errors unless INDEXER_LOG says so.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,lopdf=error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
