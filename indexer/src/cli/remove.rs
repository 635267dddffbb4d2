//! `indexer remove --collection NAME [PATH...] [--id ID...]`.

use std::path::PathBuf;
use std::process::ExitCode;

use indexer::data_dir::DataDir;
use indexer::ingest::{self, RemoveSpec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Collection to remove from.
    #[arg(long, short)]
    pub collection: String,
    /// Files or folders as they were ingested; without PATH or --id the whole collection goes.
    pub paths: Vec<PathBuf>,
    /// Document ids: a record's own id, or a PDF's COLLECTION~hex id.
    #[arg(long = "id")]
    pub ids: Vec<String>,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let spec = RemoveSpec {
        paths: args.paths,
        ids: args.ids,
    };
    let whole = spec.paths.is_empty() && spec.ids.is_empty();
    let removed = ingest::remove(data_dir, &args.collection, &spec)?;
    if whole {
        eprintln!(
            "removed collection {}: {removed} documents",
            args.collection
        );
    } else {
        eprintln!("removed {removed} documents from {}", args.collection);
    }
    Ok(ExitCode::SUCCESS)
}
