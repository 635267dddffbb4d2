//! Vietnamese text normalisation, one concern per module.
//!
//! [`normalize`] is the one entry point the rest of the crate uses for text that will be stored
//! or indexed: PDF page text, metadata, catalogue records and queries all go through it, so the
//! stored text, the index terms and the query terms agree.
//!
//! | step | module | example |
//! |---|---|---|
//! | Unicode NFC | [`clean::nfc`] | `a` + U+0301 → `á` |
//! | invisible characters | [`clean::strip_invisible`] | soft hyphen, ZWSP, BOM removed |
//! | ligatures | [`clean::expand_ligatures`] | `ﬁ` → `fi` |
//! | white space | [`clean::fold_whitespace`] | runs → one space, lines kept |
//! | tone placement | [`tone::canonical_tones`] | `hoà` → `hòa`, `thuỷ` → `thủy` |
//!
//! Text that needs no NFC, stripping or ligature work (nearly all of it) is normalised in one
//! pass with the same result (private module `scan`); the steps run one after the other only
//! for the rest.
//!
//! Not part of [`normalize`] (they answer other questions): [`fold`] (the diacritic-free copy the
//! folded index fields hold), [`legacy`] (TCVN3 and VNI 8-bit fonts, which need to know the
//! encoding first) and [`not_text`] (whether extracted text is words at all).

pub mod clean;
pub mod fold;
pub mod legacy;
pub mod not_text;
mod scan;
pub mod tone;
pub mod vowels;

use std::borrow::Cow;

/// Normalises text for storage and indexing: NFC, no invisible characters, ligatures expanded,
/// white space folded (line breaks kept) and one canonical tone placement.
///
/// Idempotent: `normalize(normalize(x)) == normalize(x)`.
///
/// ```
/// use indexer::text::normalize;
/// assert_eq!(normalize("Ho\u{0300}a  bi\u{0300}nh\u{00AD}"), "Hòa bình");
/// assert_eq!(normalize("Đại học Thuỷ lợi"), "Đại học Thủy lợi");
/// ```
pub fn normalize(text: &str) -> String {
    normalize_cow(text).into_owned()
}

/// [`normalize`] without a copy when the text is already normal.
pub fn normalize_cow(text: &str) -> Cow<'_, str> {
    if let Some(done) = scan::normalize_simple(text) {
        return done;
    }
    // NFC after the steps that remove or replace characters: dropping a soft hyphen or
    // expanding `ﬁ` can put a base letter next to a combining mark (`e` U+00AD U+0301).
    let s = clean::strip_invisible(text);
    let s = chain(s, clean::expand_ligatures);
    let s = chain(s, clean::nfc);
    let s = chain(s, clean::fold_whitespace);
    chain(s, tone::canonical_tones)
}

/// Applies one borrowing step to a `Cow`, keeping the borrow when the step changes nothing.
fn chain<'a>(s: Cow<'a, str>, step: impl Fn(&str) -> Cow<'_, str>) -> Cow<'a, str> {
    match s {
        Cow::Borrowed(b) => step(b),
        Cow::Owned(o) => match step(&o) {
            Cow::Borrowed(_) => Cow::Owned(o),
            Cow::Owned(n) => Cow::Owned(n),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_chains_every_step() {
        let cases = [
            (
                "  Kho\u{FB01}\u{00AD}le  ca\u{0301}c ",
                "Khofile các", // ligature + soft hyphen + NFC + spaces
            ),
            ("Ho\u{0300}a bi\u{0300}nh", "Hòa bình"), // NFD, new-style tone
            ("THUỶ\u{00A0}LỢI\r\nHÀ NỘI", "THỦY LỢI\nHÀ NỘI"),
            ("Trường Đại học", "Trường Đại học"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "{input:?}");
            assert_eq!(normalize(want), want, "idempotent on {want:?}");
        }
    }
}
