//! `indexer collections [--json]`: name, documents, pages and last update of each collection.

use std::process::ExitCode;

use indexer::data_dir::DataDir;
use indexer::ingest;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print `[ { "name", "documents", "pages", "updated" } ]` instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let index = indexer::index::open(&data_dir.index_dir())?;
    let list = ingest::collections(&index)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = list
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(10);
    outln!(
        "{:<width$}  {:>9}  {:>9}  updated",
        "collection",
        "documents",
        "pages"
    )?;
    for c in &list {
        outln!(
            "{:<width$}  {:>9}  {:>9}  {}",
            c.name,
            c.documents,
            c.pages,
            c.updated
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
