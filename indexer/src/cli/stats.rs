//! `indexer stats [--json]`: what the index holds.

use std::process::ExitCode;

use indexer::data_dir::DataDir;
use indexer::ingest;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    let dir = data_dir.index_dir();
    let index = indexer::index::open(&dir)?;
    let s = ingest::stats(&index, &dir)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    outln!("documents    {}", s.documents)?;
    outln!("pages        {}", s.pages)?;
    outln!("collections  {}", s.collections)?;
    outln!("needing OCR  {}", s.needs_ocr)?;
    outln!("languages    {}", list(&s.languages))?;
    outln!("doc types    {}", list(&s.doc_types))?;
    outln!(
        "index size   {:.1} MB ({})",
        s.index_bytes as f64 / 1e6,
        dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
