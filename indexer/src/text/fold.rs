//! Diacritic folding: `Trường Đại học` → `Truong Dai hoc`.
//!
//! Users often type without accents, and Vietnamese typed without accents is still readable to
//! them, so the index keeps a folded copy of every text field. Folding removes tone and quality
//! marks, maps `đ`/`Đ` to `d`/`D`, and strips diacritics from other Latin letters too (`é`, `ü`,
//! `ç`), so foreign names fold the same way.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::vowels::vowel;

/// The folded form of one character; `None` when the character disappears (a lone combining mark).
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    // Vietnamese vowels first: they are most of the non-ASCII letters folded.
    if let Some(v) = vowel(c) {
        return Some(v.ascii());
    }
    match c {
        'đ' | 'ð' => return Some('d'),
        'Đ' | 'Ð' => return Some('D'),
        'ø' => return Some('o'),
        'Ø' => return Some('O'),
        'ł' => return Some('l'),
        'Ł' => return Some('L'),
        'ß' => return Some('s'),
        _ => {}
    }
    if is_combining_mark(c) {
        return None;
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    Some(base.unwrap_or(c))
}

/// Folds every character of `text` (see [`fold_char`]); borrows when `text` is ASCII.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    Cow::Owned(out)
}

/// Appends the folded form of `text` to `out`, for callers that reuse a buffer.
pub fn fold_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Some(v) = vowel(c) {
            // The common case, without the general path's checks.
            out.push(v.ascii());
        } else if let Some(f) = fold_char(c) {
            out.push(f);
        }
    }
}

/// True when `text` contains at least one character that folding changes.
pub fn has_diacritics(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| fold_char(c) != Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_and_other_latin() {
        let cases = [
            ("Trường Đại học", "Truong Dai hoc"),
            ("đường", "duong"),
            ("dương", "duong"),
            ("NGUYỄN THỊ ÁNH TUYẾT", "NGUYEN THI ANH TUYET"),
            ("Ứng dụng học sâu", "Ung dung hoc sau"),
            ("ỷ lại, ỹ, Ỵ", "y lai, y, Y"),
            ("café Müller façade", "cafe Muller facade"),
            ("Dvořák Łódź", "Dvorak Lodz"),
            ("a\u{0301}", "a"),
            ("COVID-19 3.14", "COVID-19 3.14"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input:?}");
        }
    }

    #[test]
    fn detects_diacritics() {
        assert!(has_diacritics("học"));
        assert!(has_diacritics("đ"));
        assert!(!has_diacritics("hoc"));
        assert!(!has_diacritics("“quoted” – dash"));
    }
}
