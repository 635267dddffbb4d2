//! The sentence-vector flags `add` and `harvest` share.

use indexer::vectors::{EmbedConfig, BUDGET_TOKENS};

/// Fewest tokens a document's budget may be: the meta text (title, keywords, abstract, or the
/// text's opening) takes about a hundred.
pub const MIN_BUDGET: u64 = 64;

#[derive(Debug, Clone, clap::Args)]
pub struct EmbedArgs {
    /// Do not compute sentence vectors now, even with a model imported (`indexer embed`
    /// computes them later): text search gets the documents sooner.
    #[arg(long)]
    pub no_embed: bool,
    /// Tokens of each document the model reads: its title, keywords and abstract always,
    /// then its body in 256-token passages until this many are read. Ingest time grows with
    /// it (README, "Vectors"); documents that have vectors keep them.
    #[arg(long, value_name = "TOKENS", default_value_t = BUDGET_TOKENS as u64,
          value_parser = clap::value_parser!(u64).range(MIN_BUDGET..=1 << 20))]
    pub embed_budget: u64,
}

impl EmbedArgs {
    /// What to embed of each document, `None` with `--no-embed`.
    pub fn config(&self) -> Option<EmbedConfig> {
        (!self.no_embed).then(|| budget(self.embed_budget))
    }
}

/// The default window with `tokens` a document.
pub fn budget(tokens: u64) -> EmbedConfig {
    EmbedConfig {
        budget_tokens: tokens as usize,
        ..EmbedConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        embed: EmbedArgs,
    }

    fn parse(args: &[&str]) -> Result<Option<EmbedConfig>, clap::Error> {
        Cli::try_parse_from(std::iter::once("add").chain(args.iter().copied()))
            .map(|c| c.embed.config())
    }

    #[test]
    fn budgets_from_the_command_line() {
        assert_eq!(parse(&[]).unwrap(), Some(EmbedConfig::default()));
        assert_eq!(
            parse(&["--embed-budget", "512"])
                .unwrap()
                .unwrap()
                .budget_tokens,
            512
        );
        assert_eq!(parse(&["--no-embed"]).unwrap(), None);
        // Less than the meta text, or not a number: refused, with the flag named.
        for bad in ["10", "0", "many"] {
            let e = parse(&[&format!("--embed-budget={bad}")])
                .unwrap_err()
                .to_string();
            assert!(e.contains("--embed-budget"), "{e}");
        }
    }
}
