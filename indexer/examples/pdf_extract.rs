//! Extract many PDFs with N threads and write one text file per PDF: the benchmark driver of
//! `bench/extract/run.sh`, also handy to eyeball output.
//!
//! Usage: `pdf_extract [--threads N] [--out DIR] [--root DIR] FILE...` (or file names on stdin).
//! Output files are named after the path relative to `--root`, `/` replaced by `__`, pages
//! separated by form feeds like pdftotext. Prints the elapsed wall time on stderr.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indexer::pdf::{extract_file, ExtractOptions};

fn main() {
    let mut threads = 2usize;
    let mut out: Option<PathBuf> = None;
    let mut root: Option<PathBuf> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(2),
            "--out" => out = args.next().map(PathBuf::from),
            "--root" => root = args.next().map(PathBuf::from),
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if !line.trim().is_empty() {
                files.push(PathBuf::from(line.trim()));
            }
        }
    }
    if let Some(o) = &out {
        std::fs::create_dir_all(o).expect("create output dir");
    }
    let opts = ExtractOptions {
        layout_pages: 0,
        ..Default::default()
    };
    let next = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let text = match extract_file(f, &opts) {
                    Ok(doc) => {
                        let pages: Vec<&str> = doc.pages.iter().map(|p| p.text.as_str()).collect();
                        pages.join("\n\u{c}")
                    }
                    Err(e) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        eprintln!("error: {e}");
                        String::new()
                    }
                };
                if let Some(o) = &out {
                    let _ = std::fs::write(o.join(out_name(f, root.as_deref())), text);
                }
            });
        }
    });
    eprintln!(
        "extracted {} files with {} threads in {:.3} s ({} failed)",
        files.len(),
        threads,
        start.elapsed().as_secs_f64(),
        failures.load(Ordering::Relaxed)
    );
}

fn out_name(f: &Path, root: Option<&Path>) -> String {
    let rel = root.and_then(|r| f.strip_prefix(r).ok()).unwrap_or(f);
    format!(
        "{}.txt",
        rel.to_string_lossy()
            .trim_start_matches('/')
            .replace('/', "__")
    )
}
