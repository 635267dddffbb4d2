//! Print the layout lines the metadata inference sees (page, baseline from the top, type size,
//! bold, text) for the first pages of a PDF: the tool for working out why a title was missed.
//!
//! Usage: `layout_lines FILE.pdf [PAGES]` (default 3 pages).

use indexer::pdf::{extract_file, ExtractOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: layout_lines FILE.pdf [PAGES]");
        std::process::exit(2);
    };
    let pages = args.next().and_then(|p| p.parse().ok()).unwrap_or(3);
    let opts = ExtractOptions {
        layout_pages: pages,
        ..ExtractOptions::default()
    };
    match extract_file(std::path::Path::new(&file), &opts) {
        Ok(pdf) => {
            let cover = indexer::metadata::first_page::cover_lines(&pdf.layout, &pdf.pages);
            println!("cover: page {}", cover.first().map_or(0, |l| l.page + 1));
            let meta = indexer::metadata::infer(&pdf.info, &pdf.layout, &pdf.pages);
            println!(
                "title: {:?} type: {:?} year: {:?} authors: {:?}",
                meta.title, meta.doc_type, meta.year, meta.authors
            );
            for l in &pdf.layout {
                let bold = if l.bold { "b" } else { " " };
                println!(
                    "p{} {:7.1} {:5.1}{} {}",
                    l.page, l.top, l.font_size, bold, l.text
                );
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
