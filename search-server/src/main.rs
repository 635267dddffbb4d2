//! `search-server [--data-dir DIR] [--bind ADDR] [--token-file FILE] [--corpus DIR]`
//!
//! Opens (or creates) the index in the data directory, ingests the bundled `corpus/` first when
//! the index is empty, and serves the JSON API and the web page.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use indexer::data_dir::DataDir;
use indexer::ingest::{self, ProgressMode};
use search_server::{app_with_limits, AppState, Limits, Token};
use tracing_subscriber::EnvFilter;

// The server runs for months and extracts uploaded PDFs on short-lived threads: glibc's malloc
// gives each such thread its own arena and keeps every arena at its high-water mark, so one
// 300 MB extraction stays resident for good (bench/load/RESULTS.md: 524 MB mapped, 53 MB in
// use). mimalloc returns freed pages to the system, which keeps the heap flat under steady
// uploads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Search server: JSON API and web page over the scholarly index"
)]
struct Args {
    /// Data directory (index, reports, uploads); the same flag as `indexer`.
    #[arg(long, default_value = indexer::data_dir::DEFAULT)]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// File holding the bearer token that enables the write routes (overrides
    /// SEARCH_SERVER_TOKEN).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Folder whose sub-folders are ingested as collections when the index is empty; default
    /// `corpus/` of the workspace (or of the current directory).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Do not ingest anything at start-up.
    #[arg(long)]
    no_ingest: bool,
    /// Requests answered at the same time; more wait up to 10 s, then get 503.
    #[arg(long, default_value_t = Limits::default().max_in_flight)]
    max_in_flight: usize,
    /// Uploads received or ingested at the same time; more wait up to 10 s, then get 503.
    #[arg(long, default_value_t = Limits::default().max_uploads)]
    max_uploads: usize,
    /// OAI-PMH: the repository's name in Identify.
    #[arg(long, env = "SEARCH_SERVER_OAI_NAME")]
    oai_name: Option<String>,
    /// OAI-PMH: the repository identifier of `oai:<id>:...` identifiers, a domain name
    /// (default: the host name harvesters use). Set it when the server has several names.
    #[arg(long, env = "SEARCH_SERVER_OAI_ID")]
    oai_repository_id: Option<String>,
    /// OAI-PMH: the administrator's e-mail address in Identify (default admin@<repository id>).
    #[arg(long, env = "SEARCH_SERVER_OAI_EMAIL")]
    oai_admin_email: Option<String>,
    /// OAI-PMH: records per ListRecords/ListIdentifiers page.
    #[arg(long, default_value_t = search_server::oai::PAGE_SIZE as u64, value_parser = clap::value_parser!(u64).range(1..=1000))]
    oai_page_size: u64,
}

/// Reads every index file and compares it with its checksum, in the background (it reads the
/// whole index): damage that opening did not notice is logged with what to do, and from then on
/// requests get that advice (503) while `/health` still answers.
fn check_index_in_background(state: &AppState) {
    let state = state.clone();
    tokio::task::spawn_blocking(move || match state.index.index.validate_checksum() {
        Ok(bad) if bad.is_empty() => tracing::debug!("index checksums verified"),
        Ok(bad) => {
            let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            state.mark_damaged(&names);
        }
        Err(e) => tracing::error!(
            error = %search_server::error::chain(&e),
            "{}",
            search_server::state::damaged_advice(&state.data_dir.index_dir())
        ),
    });
}

fn token(args: &Args) -> Result<Option<Token>> {
    if let Some(f) = &args.token_file {
        let s = std::fs::read_to_string(f)
            .with_context(|| format!("cannot read the token file {}", f.display()))?;
        let t =
            Token::new(&s).with_context(|| format!("the token file {} is empty", f.display()))?;
        return Ok(Some(t));
    }
    Ok(std::env::var("SEARCH_SERVER_TOKEN")
        .ok()
        .and_then(|s| Token::new(&s)))
}

fn default_corpus() -> Option<PathBuf> {
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    built.is_dir().then_some(built)
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}

async fn run(args: Args) -> Result<()> {
    let data_dir = DataDir::new(&args.data_dir);
    let token = token(&args)?;
    if !args.no_ingest {
        if let Some(corpus) = args.corpus.clone().or_else(default_corpus) {
            let dd = data_dir.clone();
            let c = corpus.clone();
            let reports = tokio::task::spawn_blocking(move || {
                ingest::ingest_corpus_if_empty(&dd, &c, ProgressMode::Auto)
            })
            .await
            .context("ingestion task")?
            .with_context(|| format!("cannot ingest {}", corpus.display()))?;
            for r in reports.into_iter().flatten() {
                eprint!("{}", r.render_summary());
            }
        }
    }
    let index = indexer::index::open(&data_dir.index_dir())
        .map_err(|e| {
            let damaged = matches!(e, indexer::index::IndexError::Tantivy { .. });
            let e = anyhow::Error::new(e);
            if damaged {
                e.context(search_server::state::damaged_advice(&data_dir.index_dir()))
            } else {
                e
            }
        })
        .with_context(|| {
            format!(
                "cannot open the data directory {}",
                data_dir.root().display()
            )
        })?;
    let index_dir = data_dir.index_dir();
    let state = AppState::new(index, data_dir, token)
        .map_err(|e| {
            anyhow::Error::new(e).context(search_server::state::damaged_advice(&index_dir))
        })
        .context("cannot start")?
        .with_oai(search_server::oai::Repository {
            name: args.oai_name.clone(),
            id: args.oai_repository_id.clone(),
            admin_email: args.oai_admin_email.clone(),
            page_size: args.oai_page_size as usize,
        });
    let writes = state.token.is_some();
    check_index_in_background(&state);
    let stale = search_server::uploads::remove_stale_uploads(&state);
    if stale > 0 {
        tracing::info!(
            files = stale,
            "removed uploads interrupted by an earlier crash"
        );
    }
    let limits = Limits {
        max_in_flight: args.max_in_flight,
        max_uploads: args.max_uploads,
        ..Limits::default()
    };
    // Build the suggestion list before the first keystroke needs it.
    let warm = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = warm.suggestions() {
            tracing::warn!(error = %search_server::error::chain(&e), "suggestions not prepared");
        }
    });
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    eprintln!(
        "search-server: {} documents, listening on http://{} (writes {})",
        indexer::index::live_works(&state.searcher(), &state.index.fields)?,
        listener.local_addr()?,
        if writes { "enabled" } else { "disabled" }
    );
    axum::serve(listener, app_with_limits(state, limits))
        .with_graceful_shutdown(shutdown())
        .await
        .context("server failed")?;
    Ok(())
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt.block_on(run(args)) {
        // The whole chain: what failed and why, down to the OS error.
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
