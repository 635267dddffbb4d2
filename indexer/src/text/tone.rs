//! One canonical tone-mark placement.
//!
//! Vietnamese has two accepted ways of placing the tone mark in the open syllables whose vowel
//! nucleus is `oa`, `oe` or `uy`: the traditional one puts it on the first vowel (`hòa`, `khỏe`,
//! `thủy`, `lòa`), the "new style" on the second (`hoà`, `khoẻ`, `thuỷ`, `loà`). Both are the
//! same word, and a search engine must treat them as one.
//!
//! **Canonical form (applied everywhere: stored text, index terms, queries): the traditional
//! placement**, which is what Unikey and most Vietnamese keyboards produce by default and what
//! most of the scholarly text we index uses:
//! - open syllable (no final consonant), nucleus `oa` / `oe` / `uy`: tone on the first vowel
//!   (`hòa`, `khỏe`, `thủy`, `HÒA`);
//! - closed syllable (`hoàng`, `khoảng`, `huỳnh`, `toán`): tone on the second vowel, which both
//!   styles agree on; a tone misplaced on the first vowel (`hòang`) is moved there too.
//!
//! In `qu` + vowel the `u` belongs to the initial consonant (`quý`, `quả`, `quẻ`), so those
//! syllables are left alone, as is anything that does not parse as a Vietnamese syllable
//! (foreign words, abbreviations).

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;

use super::vowels::{vowel, Tone, Vowel};

/// Rewrites every syllable of `text` to the [canonical tone placement](self).
pub fn canonical_tones(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut last_end = 0;
    for (start, end) in candidate_words(text) {
        if start < last_end {
            continue; // the same word found twice
        }
        last_end = end;
        // A combining mark NFC left after the word (`uỹ` U+0309) is not part of any syllable;
        // moving the tone off the last vowel would let NFC compose the mark with it, so the
        // output would not be NFC (and normalising it again would change it).
        if text[end..].chars().next().is_some_and(is_combining_mark) {
            continue;
        }
        if let Some(fixed) = canonical_syllable(&text[start..end]) {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buf.push_str(&text[copied..start]);
            buf.push_str(&fixed);
            copied = end;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// Byte ranges of the words that may need a tone moved: those where an `o`/`u` and an
/// `a`/`e`/`y` are adjacent and one of the two carries a tone. Found by looking at the bytes
/// around each non-ASCII character only, so the pass over ordinary text stays cheap.
fn candidate_words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes[i] < 0x80 {
                i += 1;
                continue;
            }
            let at = i;
            i += utf8_len(bytes[at]);
            // The neighbouring bytes rule out most characters before any decoding.
            let after_ou = at > 0 && matches!(bytes[at - 1], b'o' | b'u' | b'O' | b'U');
            let before_aey = bytes
                .get(i)
                .is_some_and(|b| matches!(b, b'a' | b'e' | b'y' | b'A' | b'E' | b'Y'));
            if !after_ou && !before_aey {
                continue;
            }
            let Some(v) = text[at..].chars().next().and_then(vowel) else {
                continue;
            };
            if is_tone_candidate(v, after_ou, before_aey) {
                return Some(word_around(text, at));
            }
        }
        None
    })
}

/// Length in bytes of the character that starts with byte `b`.
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Whether a toned vowel `v` may be misplaced, given whether an `o`/`u` byte precedes it and
/// an `a`/`e`/`y` byte follows it.
pub(crate) fn is_tone_candidate(v: Vowel, after_ou: bool, before_aey: bool) -> bool {
    if v.tone == Tone::Level {
        return false;
    }
    match v.toneless_lower() {
        // New style `oà`, `uỷ`: the toned vowel follows `o`/`u`.
        'a' | 'e' | 'y' => after_ou,
        // Traditional `òa` in a closed syllable (`hòang`): the toned vowel precedes.
        'o' | 'u' => before_aey,
        _ => false,
    }
}

/// The letters-only word around byte offset `at`.
pub(crate) fn word_around(text: &str, at: usize) -> (usize, usize) {
    // `is_alphabetic`, answered without the Unicode tables for the letters of Vietnamese.
    let is_letter = |c: char| {
        c.is_ascii_alphabetic()
            || (!c.is_ascii()
                && (vowel(c).is_some() || matches!(c, 'đ' | 'Đ') || c.is_alphabetic()))
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_letter(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| !is_letter(c))
        .map_or(text.len(), |(i, _)| at + i);
    (start, end)
}

/// The canonical spelling of one syllable, or `None` when it is already canonical (or is not a
/// Vietnamese syllable this rule applies to).
///
/// Runs on every token of every indexed text, so the common "nothing to do" answer is reached
/// without allocating: only a two-vowel `oa`/`oe`/`uy` nucleus with a misplaced tone builds a
/// new string.
pub fn canonical_syllable(word: &str) -> Option<String> {
    // Byte ranges of onset, nucleus and coda.
    let mut nucleus_start = None;
    let mut nucleus_end = word.len();
    for (i, c) in word.char_indices() {
        let is_vowel = vowel(c).is_some();
        match nucleus_start {
            None if is_vowel => nucleus_start = Some(i),
            Some(_) if !is_vowel => {
                nucleus_end = i;
                break;
            }
            _ => {}
        }
    }
    let nucleus_start = nucleus_start?;
    let onset = &word[..nucleus_start];
    let nucleus = &word[nucleus_start..nucleus_end];
    let coda = &word[nucleus_end..];
    let mut vowels = nucleus.chars();
    let (Some(first), Some(second), None) = (vowels.next(), vowels.next(), vowels.next()) else {
        return None;
    };
    let (a, b) = (vowel(first)?, vowel(second)?);
    if !matches!(
        (a.toneless_lower(), b.toneless_lower()),
        ('o', 'a') | ('o', 'e') | ('u', 'y')
    ) {
        return None;
    }
    let (tone, on_first) = match (a.tone, b.tone) {
        (Tone::Level, Tone::Level) => return None,
        (t, Tone::Level) => (t, true),
        (Tone::Level, t) => (t, false),
        _ => return None, // two tone marks: not a word we can fix safely
    };
    let want_first = coda.is_empty();
    if on_first == want_first
        || !is_onset(onset)
        || !is_coda(coda)
        || onset.eq_ignore_ascii_case("q")
    {
        return None;
    }
    let mut fixed = String::with_capacity(word.len() + 2);
    fixed.push_str(onset);
    if want_first {
        fixed.push(a.with_tone(tone));
        fixed.push(b.toneless());
    } else {
        fixed.push(a.toneless());
        fixed.push(b.with_tone(tone));
    }
    fixed.push_str(coda);
    Some(fixed)
}

fn is_onset(s: &str) -> bool {
    const ONSETS: [&str; 28] = [
        "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
        "nh", "p", "ph", "q", "r", "s", "t", "th", "tr", "v", "x",
    ];
    // `eq_ignore_ascii_case` leaves `Đ`/`đ` alone, hence the one explicit case.
    s == "Đ" || ONSETS.iter().any(|o| o.eq_ignore_ascii_case(s))
}

fn is_coda(s: &str) -> bool {
    const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    CODAS.iter().any(|c| c.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_style_open_syllables_move_to_first_vowel() {
        let cases = [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("khoẻ", "khỏe"),
            ("loà", "lòa"),
            ("hoá học", "hóa học"),
            ("Thuỵ Điển", "Thụy Điển"),
            ("xoà", "xòa"),
            ("HOÀ BÌNH", "HÒA BÌNH"),
            ("THUỶ LỢI", "THỦY LỢI"),
            ("Khoẻ", "Khỏe"),
            ("toả sáng", "tỏa sáng"),
            ("tuỳ ý", "tùy ý"),
            ("luỹ thừa", "lũy thừa"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical_tones(input), want, "{input:?}");
        }
    }

    #[test]
    fn canonical_and_agreed_spellings_are_untouched() {
        for text in [
            "hòa thủy khỏe lòa",
            "hoàng khoảng huỳnh toán thuyết",
            "quý quả quẻ quỳ",
            "người được trường đại học",
            "café naïve résumé",
            "Nguyễn Văn A, GVHD: PGS.TS. Trần Thị B",
            "",
        ] {
            assert!(
                matches!(canonical_tones(text), Cow::Borrowed(_)),
                "{text:?} changed to {:?}",
                canonical_tones(text)
            );
        }
    }

    #[test]
    fn misplaced_tone_in_closed_syllable_moves_to_second_vowel() {
        let cases = [("hòang", "hoàng"), ("tóan", "toán"), ("HÒANG", "HOÀNG")];
        for (input, want) in cases {
            assert_eq!(canonical_tones(input), want, "{input:?}");
        }
    }

    #[test]
    fn both_styles_agree_on_real_text() {
        // Each pair is the same sentence typed with the two placements (from Vietnamese
        // Wikipedia and thesis front matter).
        let pairs = [
            (
                "Cộng hoà xã hội chủ nghĩa Việt Nam",
                "Cộng hòa xã hội chủ nghĩa Việt Nam",
            ),
            (
                "Trường Đại học Thuỷ lợi, khoá luận tốt nghiệp",
                "Trường Đại học Thủy lợi, khóa luận tốt nghiệp",
            ),
            (
                "sức khoẻ cộng đồng và y hoá sinh",
                "sức khỏe cộng đồng và y hóa sinh",
            ),
        ];
        for (new_style, old_style) in pairs {
            assert_eq!(canonical_tones(new_style), canonical_tones(old_style));
            assert_eq!(canonical_tones(new_style), old_style);
        }
    }
}
