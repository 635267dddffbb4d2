//! The `indexer` command line: analyse text, extract PDFs, ingest collections.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
