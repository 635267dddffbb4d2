//! PDF extraction as ingestion runs it: `indexer::pdf::extract_bytes` with the production
//! options, then metadata inference over what came out.
//!
//! Errors are fine (a broken file is a `failed` entry in the report); panics, hangs and
//! unbounded memory are not. `extract_bytes` turns a panic into `PdfError::Panic` so that one
//! file cannot take the indexer down, but such a panic is still a bug: libfuzzer-sys aborts on
//! every panic (its hook runs before the unwind is caught), and the check below makes that
//! explicit.

#![no_main]

use indexer::pdf::{extract_bytes, ExtractOptions, PdfError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match extract_bytes(data, &ExtractOptions::default()) {
        Ok(pdf) => {
            let meta = indexer::metadata::infer(&pdf.info, &pdf.layout, &pdf.pages);
            if let Some(y) = meta.year {
                assert!((1000..=2200).contains(&y), "implausible year {y}");
            }
            let _ = indexer::doc::pages_need_ocr(&pdf.pages);
        }
        Err(PdfError::Panic(msg)) => panic!("extraction panicked: {msg}"),
        Err(_) => {}
    }
});
