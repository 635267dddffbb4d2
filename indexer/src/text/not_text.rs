//! Text that is not text: extracted characters that no reader would call words.
//!
//! A PDF can carry a text layer whose code points are wrong: Type 3 fonts whose ToUnicode map
//! points letters at dingbats (R vignettes set in bitmap fonts decode `Getting started with
//! spatstat` as `●etti♥g started with s♣atstat`), CID fonts without a ToUnicode map whose
//! codes land in the Private Use Area, or decoders that gave up (`U+FFFD`). Such a page is as
//! unreadable as a scan: it must not give a title, a snippet or a suggestion, and it needs OCR.
//!
//! [`assess`] is a pure function of the text so that extraction, metadata inference and the
//! OCR stage can all ask it.

use std::fmt;

/// Why a text is judged not to be text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Letters replaced by dingbats, card suits, circled digits or geometric shapes: a font
    /// whose Unicode map is wrong.
    Dingbats,
    /// Private Use Area code points: a font without a usable Unicode map.
    PrivateUse,
    /// Replacement characters: the decoder could not map the codes.
    Replacement,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::Dingbats => {
                "letters decode to dingbats or symbols (font with a wrong Unicode map)"
            }
            Reason::PrivateUse => "private-use code points (font without a Unicode map)",
            Reason::Replacement => "replacement characters (undecodable text)",
        })
    }
}

/// The kind of an out-of-place character, or `None` for an ordinary one.
fn junk_kind(c: char) -> Option<Reason> {
    match c as u32 {
        // Enclosed alphanumerics, geometric shapes, miscellaneous symbols, dingbats.
        0x2460..=0x24FF | 0x25A0..=0x25FF | 0x2600..=0x26FF | 0x2700..=0x27BF => {
            Some(Reason::Dingbats)
        }
        // U+F8E5–U+F8FF are the bracket and brace pieces of the Symbol font (Adobe's
        // corporate-use mapping): tall matrices in mathematics, not damage.
        0xF8E5..=0xF8FF => None,
        0xE000..=0xF8E4 | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD => Some(Reason::PrivateUse),
        0xFFFD => Some(Reason::Replacement),
        _ => None,
    }
}

/// Share of words that must be damaged for a text to be judged not text. Real text may hold
/// a bullet (`●`, `♦`), a check box or a star standing alone; those are not words and do not
/// count. Damaged words mix letters with such characters, or are made of them.
const DAMAGED_SHARE: f32 = 0.2;

/// At least this many words before a judgement: two words prove nothing.
const MIN_WORDS: usize = 3;

/// Whether `text` is mostly not words, and why; `None` for readable text (or too little to
/// tell).
pub fn assess(text: &str) -> Option<Reason> {
    let mut words = 0usize;
    let mut damaged = 0usize;
    let mut kinds = [0usize; 3];
    for token in text.split_whitespace() {
        if token.chars().count() < 2 {
            continue;
        }
        words += 1;
        let mut junk = 0usize;
        let mut unmapped = 0usize;
        let mut letters = 0usize;
        for c in token.chars() {
            if let Some(k) = junk_kind(c) {
                junk += 1;
                kinds[k as usize] += 1;
                if k != Reason::Dingbats {
                    unmapped += 1;
                }
            } else if c.is_alphabetic() {
                letters += 1;
            }
        }
        // A word with a symbol inside, or a run of unmapped codes; a run of symbols alone
        // (`□□`, `★★★`) is decoration.
        if (junk > 0 && letters > 0) || unmapped >= 2 {
            damaged += 1;
        }
    }
    if words < MIN_WORDS || (damaged as f32) < DAMAGED_SHARE * words as f32 {
        return None;
    }
    let reasons = [Reason::Dingbats, Reason::PrivateUse, Reason::Replacement];
    let most = (0..3).max_by_key(|&i| kinds[i]).unwrap_or(0);
    Some(reasons[most])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_and_readable_texts() {
        let cases: [(&str, Option<Reason>); 10] = [
            // First lines of R vignettes in ../shared/corpus whose Type 3 fonts decode wrongly.
            ("●etti♥g started with s♣atstat", Some(Reason::Dingbats)),
            (
                "Pe♥ali③ed least squares versus ge♥erali③ed least squares re♣rese♥tati♦♥s ♦f li♥ear ♠i①ed ♠♦dels",
                Some(Reason::Dingbats),
            ),
            (
                "A♥al②si♥g re♣licated ♣♦i♥t ♣atter♥s i♥ s♣atstat",
                Some(Reason::Dingbats),
            ),
            ("\u{E001}\u{E002}\u{E003} \u{E004}\u{E005} \u{E006}\u{E007}\u{E008}", Some(Reason::PrivateUse)),
            ("Ph\u{FFFD}t h\u{FFFD}n gian l\u{FFFD}n b\u{FFFD}ng", Some(Reason::Replacement)),
            // Readable text, bullets and symbols included.
            ("Getting started with spatstat", None),
            ("● Mục tiêu nghiên cứu ● Phương pháp ● Kết quả của đề tài", None),
            ("∑ x_i ≤ ∫ f(x) dx for every n ≥ 1 and ε > 0", None),
            ("♥ ok", None),
            ("□□ TP. Hồ Chí Minh, 12/2021 □□", None),
        ];
        for (text, want) in cases {
            assert_eq!(assess(text), want, "{text:?}");
        }
    }
}
