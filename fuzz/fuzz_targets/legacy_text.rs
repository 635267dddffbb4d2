//! Text handling that sees arbitrary bytes and strings from PDFs and records: the legacy
//! TCVN3/VNI converter (decode, convert, detect, repair, font names), normalisation and the
//! analyzers that index and query with it.
//!
//! Checked beyond "no panic": decoder output is NFC (documented), `normalize` is idempotent
//! (documented, and what lets stored text and index offsets agree), folding leaves ASCII alone,
//! and every token's offsets are char boundaries inside the analysed text.
//!
//! Input: byte 0 picks the legacy font (encoding and capitals); the rest is the text, both as
//! raw 8-bit codes and as (lossy) UTF-8.

#![no_main]

use indexer::analysis;
use indexer::text::legacy::{self, LegacyEncoding, LegacyFont};
use indexer::text::{fold, normalize};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

fn check_tokens(text: &str) {
    for name in analysis::ALL {
        for t in analysis::tokens(name, text) {
            assert!(
                t.start_offset <= t.end_offset
                    && t.end_offset <= text.len()
                    && text.is_char_boundary(t.start_offset)
                    && text.is_char_boundary(t.end_offset),
                "{name}: token {t:?} outside {text:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let font = LegacyFont {
        encoding: if selector & 1 == 0 {
            LegacyEncoding::Tcvn3
        } else {
            LegacyEncoding::Vni
        },
        capitals: selector & 2 != 0,
    };

    let decoded = legacy::decode_bytes(bytes, font);
    assert!(is_nfc(&decoded), "decode_bytes gave non-NFC {decoded:?}");

    let text = String::from_utf8_lossy(bytes);
    let converted = legacy::convert_str(&text, font);
    assert!(is_nfc(&converted), "convert_str gave non-NFC {converted:?}");
    let _ = legacy::detect(&text);
    let repaired = legacy::repair(&text);
    let _ = legacy::font_encoding(&text);

    let normal = normalize(&repaired);
    assert_eq!(normalize(&normal), normal, "normalize is not idempotent");
    if text.is_ascii() {
        assert_eq!(fold::fold(&text), text, "folding changed ASCII");
    }

    check_tokens(&text);
    check_tokens(&normal);
});
