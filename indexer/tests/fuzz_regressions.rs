//! Inputs the fuzz targets (`fuzz/`, run by `bench/fuzz/run.sh`) found to crash, hang or break
//! an invariant, kept in `tests/fuzz-regressions/<target>/` and replayed here with the same
//! checks the target makes, so a fixed bug stays fixed without a nightly toolchain.
//!
//! Each input is in the target's own format (a leading selector byte, see the target's
//! documentation in `fuzz/fuzz_targets/`).

use std::path::{Path, PathBuf};

use indexer::analysis;
use indexer::text::legacy::{self, LegacyEncoding, LegacyFont};
use indexer::text::{fold, normalize};
use unicode_normalization::is_nfc;

/// The kept inputs of one target, sorted; panics when there are none, since an empty folder
/// would make the test pass without testing anything.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn check_tokens(name: &Path, text: &str) {
    for analyzer in analysis::ALL {
        for t in analysis::tokens(analyzer, text) {
            assert!(
                t.start_offset <= t.end_offset
                    && t.end_offset <= text.len()
                    && text.is_char_boundary(t.start_offset)
                    && text.is_char_boundary(t.end_offset),
                "{}: {analyzer} token {t:?} outside {text:?}",
                name.display()
            );
        }
    }
}

/// `legacy_text`: byte 0 picks the legacy font, the rest is the text.
#[test]
fn legacy_text_inputs() {
    for (path, data) in inputs("legacy_text") {
        let name = path.display();
        let (&selector, bytes) = data.split_first().expect("non-empty input");
        let font = LegacyFont {
            encoding: if selector & 1 == 0 {
                LegacyEncoding::Tcvn3
            } else {
                LegacyEncoding::Vni
            },
            capitals: selector & 2 != 0,
        };
        assert!(is_nfc(&legacy::decode_bytes(bytes, font)), "{name}");
        let text = String::from_utf8_lossy(bytes);
        assert!(is_nfc(&legacy::convert_str(&text, font)), "{name}");
        let _ = legacy::detect(&text);
        let repaired = legacy::repair(&text);

        let normal = normalize(&repaired);
        assert!(is_nfc(&normal), "{name}: normalize gave non-NFC {normal:?}");
        assert_eq!(normalize(&normal), normal, "{name}: not idempotent");
        assert_eq!(normalize(&text), normalize(&normalize(&text)), "{name}");
        if text.is_ascii() {
            assert_eq!(fold::fold(&text), text, "{name}");
        }
        check_tokens(&path, &text);
        check_tokens(&path, &normal);
    }
}
