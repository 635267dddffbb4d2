//! `indexer extract FILE.pdf [--json]`: what the indexer reads from one PDF, without indexing it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indexer::doc::{pages_need_ocr, DocMetadata, Page};
use indexer::ocr::{self, OcrMode, OcrStats};
use indexer::pdf::{self, ExtractOptions};
use serde::Serialize;

use super::ocr_args::OcrArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PDF file.
    pub file: PathBuf,
    /// Print `{ "metadata": {...}, "pages": [ { "text", "no_text", "ocr" }, ... ] }` instead
    /// of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub ocr: OcrArgs,
    /// Per-document time limit in seconds.
    #[arg(long, default_value_t = 60)]
    pub time_limit: u64,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    metadata: &'a DocMetadata,
    pages: &'a [Page],
    page_count: usize,
    /// True when no page has searchable text (after OCR, if it ran): no text layer, or text
    /// that is not words; indexed by metadata only.
    needs_ocr: bool,
    /// Pages whose text layer is not words, with the reason: they need OCR like a scan.
    not_text_pages: Vec<NotTextPage>,
    /// What OCR did, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    ocr: Option<OcrStats>,
    encrypted: bool,
    warnings: &'a [String],
}

#[derive(Debug, Serialize)]
struct NotTextPage {
    /// One-based page number.
    page: usize,
    reason: indexer::text::not_text::Reason,
    why: String,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let opts = ExtractOptions {
        time_limit: Some(std::time::Duration::from_secs(args.time_limit)),
        ..ExtractOptions::default()
    };
    let ocr_opts = args.ocr.options()?;
    let mut extracted = pdf::extract_file(&args.file, &opts)
        .with_context(|| format!("cannot extract {}", args.file.display()))?;
    let mut ocr_stats = None;
    if ocr_opts.mode != OcrMode::Never {
        match ocr::Engine::detect(&ocr_opts) {
            Ok(engine) => {
                // No cache here: `extract` shows what the file gives now, and writes nothing.
                let done = engine.ocr_pages(&args.file, None, None, &mut extracted.pages);
                for f in &done.failures {
                    eprintln!("warning: OCR of {f}");
                }
                if done.stats != OcrStats::default() {
                    ocr_stats = Some(done.stats);
                }
            }
            Err(e) if ocr_opts.mode == OcrMode::Always => return Err(e.into()),
            Err(e) => {
                if extracted.pages.iter().any(ocr::needs_ocr) {
                    eprintln!("note: pages without text are left as they are: {e}");
                }
            }
        }
    }
    let metadata = indexer::metadata::infer(&extracted.info, &extracted.layout, &extracted.pages);
    let needs_ocr = pages_need_ocr(&extracted.pages);
    let not_text_pages: Vec<NotTextPage> = extracted
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.no_text)
        .filter_map(|(i, p)| {
            indexer::text::not_text::assess(&p.text).map(|reason| NotTextPage {
                page: i + 1,
                reason,
                why: reason.to_string(),
            })
        })
        .collect();
    let out = Output {
        not_text_pages,
        metadata: &metadata,
        pages: &extracted.pages,
        page_count: extracted.pages.len(),
        needs_ocr,
        ocr: ocr_stats,
        encrypted: extracted.encrypted,
        warnings: &extracted.warnings,
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let m = &metadata;
    let show = |label: &str, value: Option<&str>| -> std::io::Result<()> {
        match value.filter(|v| !v.is_empty()) {
            Some(v) => outln!("{label:<12} {v}"),
            None => Ok(()),
        }
    };
    show("title:", m.title.as_deref())?;
    show("authors:", Some(&m.authors.join("; ")))?;
    show("advisor:", m.advisor.as_deref())?;
    show("institution:", m.institution.as_deref())?;
    show("year:", m.year.map(|y| y.to_string()).as_deref())?;
    show("type:", Some(m.doc_type.as_str()))?;
    show("language:", m.language.as_deref())?;
    show("keywords:", Some(&m.keywords.join("; ")))?;
    show("abstract:", m.abstract_text.as_deref())?;
    outln!("{:<12} {}", "pages:", out.page_count)?;
    if needs_ocr {
        outln!("note:        no page has searchable text (scanned?): needs OCR to be searchable")?;
    }
    if m.title.is_none() {
        outln!("{:<12} none found: shown by its file name", "title:")?;
    }
    for p in &out.not_text_pages {
        outln!("note:        page {} is not text: {}", p.page, p.why)?;
    }
    for w in out.warnings {
        eprintln!("warning: {w}");
    }
    for (i, page) in extracted.pages.iter().enumerate() {
        outln!("\n--- page {} ---", i + 1)?;
        if page.ocr {
            outln!("[recognised by OCR]\n{}", page.text)?;
        } else if page.no_text {
            outln!("[no text layer]")?;
        } else {
            outln!("{}", page.text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
