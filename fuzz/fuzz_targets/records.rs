//! Catalogue records and metadata override files (JSON Lines and CSV), as `indexer add` reads
//! them: `records::for_each_row` over a file, each row validated by `RecordFields::from_map`,
//! turned into a `Document` and into a tantivy document; and the same file loaded as an
//! override file (`Overrides::load`).
//!
//! A bad row is an error message for that row; nothing may panic, and a record that became a
//! document must satisfy what the index relies on (normalised text, a plausible year).
//!
//! Input: byte 0 picks the format (even: JSONL, odd: CSV); the rest is the file's content.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use indexer::ingest::overrides::Overrides;
use indexer::ingest::records::{for_each_row, RecordFields};
use indexer::ingest::IngestError;
use indexer::schema::{build_schema, Fields};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    jsonl: PathBuf,
    csv: PathBuf,
    fields: Fields,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        Fixture {
            jsonl: dir.path().join("records.jsonl"),
            csv: dir.path().join("records.csv"),
            _dir: dir,
            fields: build_schema().1,
        }
    })
}

fn check_normal(s: &str) {
    assert_eq!(indexer::text::normalize(s), s, "stored text is not normal");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let path = if selector & 1 == 0 { &f.jsonl } else { &f.csv };
    std::fs::write(path, content).expect("write the input file");

    let _ = for_each_row::<IngestError>(path, |_, row| {
        let Ok(map) = row else { return Ok(()) };
        let Ok((fields, _unknown)) = RecordFields::from_map(&map, &[]) else {
            return Ok(());
        };
        let _ = fields.hash();
        if let Ok(doc) = fields.into_document("fuzz", 0) {
            let m = &doc.metadata;
            if let Some(y) = m.year {
                assert!((1000..=2200).contains(&y), "year {y}");
            }
            for s in m.title.iter().chain(&m.abstract_text).chain(&m.authors) {
                check_normal(s);
            }
            let _ = f.fields.to_tantivy(&doc);
        }
        Ok(())
    });

    if let Ok(mut o) = Overrides::load(path) {
        let _ = o.lookup("a.pdf");
        let _ = o.unused(path);
    }
});
