//! `indexer analyze TEXT`: what gets indexed, like Elasticsearch's `_analyze`.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use indexer::analysis::{self, AnalyzedToken};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text to analyse; `-` reads standard input.
    pub text: String,
    /// Language to assume (`vi`, `en`); detected with whatlang when absent. English text also
    /// gets the stemmed field.
    #[arg(long)]
    pub lang: Option<String>,
    /// Print compact JSON on one line.
    #[arg(long)]
    pub compact: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    /// The text after normalisation, which is what gets stored; offsets point into it.
    normalized: String,
    language: Option<String>,
    fields: Fields,
}

#[derive(Debug, Serialize)]
struct Fields {
    exact: Vec<AnalyzedToken>,
    folded: Vec<AnalyzedToken>,
    pairs: Vec<AnalyzedToken>,
    /// Filled only for English text, as in the index.
    stem_en: Vec<AnalyzedToken>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let text = if args.text == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading text from standard input")?;
        s
    } else {
        args.text.clone()
    };
    let normalized = indexer::text::normalize(&text);
    let language = args
        .lang
        .clone()
        .or_else(|| indexer::lang::detect(&normalized).map(str::to_string));
    let english = language.as_deref() == Some("en");
    let report = Report {
        fields: Fields {
            exact: analysis::tokens(analysis::EXACT, &normalized),
            folded: analysis::tokens(analysis::FOLDED, &normalized),
            pairs: analysis::tokens(analysis::PAIRS, &normalized),
            stem_en: if english {
                analysis::tokens(analysis::STEM_EN, &normalized)
            } else {
                Vec::new()
            },
        },
        normalized,
        language,
    };
    let json = if args.compact {
        serde_json::to_string(&report)?
    } else {
        serde_json::to_string_pretty(&report)?
    };
    outln!("{json}")?;
    Ok(ExitCode::SUCCESS)
}
