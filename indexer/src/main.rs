//! The `indexer` command line: analyse text, extract PDFs, ingest collections.

mod cli;

// A bulk ingest extracts PDFs on every rayon thread; glibc's malloc keeps each thread arena at
// its largest extraction, mimalloc gives the pages back (bench/ingest/RESULTS.md: peak RSS
// 584 vs 768 MB and 6 % faster over ../shared/corpus, medians of three alternating runs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
