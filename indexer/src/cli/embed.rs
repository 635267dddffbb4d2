//! `indexer embed [--collection NAME]`: sentence vectors for the documents that lack them.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indexer::data_dir::DataDir;
use indexer::ingest;
use indexer::vectors::{backfill, BackfillOptions, BUDGET_TOKENS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the documents of this collection.
    #[arg(long, short)]
    pub collection: Option<String>,
    /// Threads for the model (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress lines.
    #[arg(long, short)]
    pub quiet: bool,
    /// Tokens of each document the model reads, as `add --embed-budget`.
    #[arg(long, value_name = "TOKENS", default_value_t = BUDGET_TOKENS as u64,
          value_parser = clap::value_parser!(u64).range(super::embed_args::MIN_BUDGET..=1 << 20))]
    pub budget: u64,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(name) = &args.collection {
        // A misspelt name would otherwise embed nothing and report success.
        let index = indexer::index::open(&data_dir.index_dir())?;
        let known: Vec<String> = ingest::collections(&index)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        if !known.contains(name) {
            anyhow::bail!(
                "no collection named {name:?} in {}; its collections: {} (see `indexer collections`)",
                data_dir.root().display(),
                if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    let opts = BackfillOptions {
        collection: args.collection,
        config: super::embed_args::budget(args.budget),
        threads: args.threads,
    };
    // A line every few seconds: on a terminal it rewrites itself, in a log it stays short.
    let tty = std::io::stderr().is_terminal();
    let show = !args.quiet;
    let mut last = Instant::now();
    let started = Instant::now();
    let report = backfill(data_dir, &opts, |p| {
        let finished = p.done >= p.total;
        if !show || p.total == 0 || (!finished && last.elapsed() < Duration::from_secs(2)) {
            return;
        }
        last = Instant::now();
        let rate = p.done as f64 / started.elapsed().as_secs_f64().max(1e-3);
        let eta = if rate > 0.0 && !finished {
            format!(", ETA {}", hms((p.total - p.done) as f64 / rate))
        } else {
            String::new()
        };
        let line = format!(
            "embedding: {}/{} documents, {:.0} tokens/s{eta}",
            p.done,
            p.total,
            p.stats.tokens_per_second()
        );
        if tty {
            eprint!("\r\x1b[2K{line}");
            if finished {
                eprintln!();
            }
        } else {
            eprintln!("{line}");
        }
    })?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        if let Some(why) = &report.started_again {
            outln!("the vector store was started again: {why}")?;
        }
        outln!(
            "{} documents: {} embedded ({} vectors, {} tokens in {:.1} s, {:.0} tokens/s), {} had vectors already; the store holds {} documents",
            report.documents,
            report.embedded,
            report.vectors,
            report.tokens,
            report.embed_seconds,
            report.tokens_per_second,
            report.had_vectors,
            report.store_documents
        )?;
        if let Some(c) = &report.compacted {
            outln!(
                "the store was rewritten without the vectors of changed or deleted documents: {} records ({:.1} MB) of {} ({:.1} MB) kept",
                c.records_after,
                c.bytes_after as f64 / 1e6,
                c.records_before,
                c.bytes_before as f64 / 1e6
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn hms(secs: f64) -> String {
    let s = secs.round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}
