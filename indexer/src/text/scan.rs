//! One pass over the bytes that tells [`super::normalize`] which of its steps have work to do.
//!
//! Most text reaching `normalize` is already NFC, has no invisible characters or ligatures and
//! its tones are canonical; often only white space needs folding. Running every step's own
//! check costs one pass over the text per step; this scan answers all of them in one pass that
//! decodes only the characters that could matter, so the usual answer ("nothing to do", or
//! "only white space") is cheap. Its answers are exact or err towards "has work", in which
//! case the step itself decides, so the output never depends on the scan.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized};

use super::clean::{is_invisible, ligature};
use super::tone::{canonical_syllable, is_tone_candidate, word_around};
use super::vowels::vowel;

/// Which steps of [`super::normalize`] may change the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    /// NFC, invisible characters or ligatures may change something. When set, the other two
    /// answers are not computed (the text changes before those steps see it).
    pub chars: bool,
    /// [`super::clean::fold_whitespace`] changes the text (exactly its own test).
    pub space: bool,
    /// [`super::tone::canonical_tones`] may change the text.
    pub tones: bool,
}

/// Byte classes of the scan.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const NEWLINE: u8 = 2;
/// Other ASCII white space and control characters: always folded.
const CONTROL: u8 = 3;
/// First byte of a multi-byte character.
const LEAD: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b {
            0x20 => SPACE,
            0x0A => NEWLINE,
            0x00..=0x1F | 0x7F => CONTROL,
            0xC0..=0xFF => LEAD,
            _ => PLAIN,
        };
        b += 1;
    }
    t
};

/// Scans `text` once; see [`Work`].
pub(crate) fn scan(text: &str) -> Work {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut work = Work {
        chars: false,
        space: bytes.first().is_some_and(u8::is_ascii_whitespace)
            || bytes.last().is_some_and(u8::is_ascii_whitespace),
        tones: false,
    };
    // End of the last word whose tone was checked: a word is checked once.
    let mut checked_to = 0;
    let mut i = 0;
    while i < n {
        match CLASS[usize::from(bytes[i])] {
            PLAIN => {
                i += 1;
                while i < n && CLASS[usize::from(bytes[i])] == PLAIN {
                    i += 1;
                }
                continue;
            }
            SPACE => {
                // The white-space rules of `clean::is_folded`: a space after a space or a line
                // break, a line break after a space or after a blank line.
                work.space |= i > 0 && matches!(bytes[i - 1], b' ' | b'\n');
            }
            NEWLINE => {
                work.space |= i > 0
                    && (bytes[i - 1] == b' '
                        || (i > 1 && bytes[i - 1] == b'\n' && bytes[i - 2] == b'\n'));
            }
            CONTROL => work.space = true,
            _ => {
                let b1 = bytes.get(i + 1).copied().unwrap_or(0);
                let len = match bytes[i] {
                    // U+00C0..U+02FF (Latin-1 letters to spacing modifiers): NFC starters,
                    // never white space; six of them are ligatures.
                    0xC3..=0xCB => {
                        if matches!(
                            (bytes[i], b1),
                            (0xC3, 0x86 | 0xA6) | (0xC4, 0xB2 | 0xB3) | (0xC5, 0x92 | 0x93)
                        ) {
                            work.chars = true;
                            return work;
                        }
                        2
                    }
                    // U+1E00..U+1EFF (Latin Extended Additional, all of Vietnamese's toned
                    // vowels): NFC starters, nothing to strip or fold.
                    0xE1 if (0xB8..=0xBB).contains(&b1) => 3,
                    // U+2010..U+2027 (dashes, quotes, bullets, ellipsis): nothing to do either.
                    0xE2 if b1 == 0x80
                        && (0x90..=0xA7).contains(&bytes.get(i + 2).copied().unwrap_or(0)) =>
                    {
                        3
                    }
                    _ => {
                        let c = text[i..].chars().next().unwrap_or(' ');
                        if is_invisible(c) || ligature(c).is_some() || !is_nfc_starter(c) {
                            work.chars = true;
                            return work;
                        }
                        // `is_folded` decodes only after these lead bytes, and every non-ASCII
                        // white-space or control character starts with one of them.
                        if matches!(bytes[i], 0xC2 | 0xE1 | 0xE2 | 0xE3)
                            && (c.is_whitespace() || c.is_control())
                        {
                            work.space = true;
                        }
                        c.len_utf8()
                    }
                };
                if !work.tones && i >= checked_to && is_tone_candidate_at(text, i, len) {
                    let (start, end) = word_around(text, i);
                    checked_to = end;
                    work.tones = canonical_syllable(&text[start..end]).is_some();
                }
                i += len;
                continue;
            }
        }
        i += 1;
    }
    work
}

/// Whether the character at `at..at + len` is where `tone::canonical_tones` would look at a
/// word; neighbouring bytes are tested first, as few characters pass that test.
fn is_tone_candidate_at(text: &str, at: usize, len: usize) -> bool {
    let bytes = text.as_bytes();
    let after_ou = at > 0 && matches!(bytes[at - 1], b'o' | b'u' | b'O' | b'U');
    let before_aey = bytes
        .get(at + len)
        .is_some_and(|b| matches!(b, b'a' | b'e' | b'y' | b'A' | b'E' | b'Y'));
    if !after_ou && !before_aey {
        return false;
    }
    text[at..]
        .chars()
        .next()
        .and_then(vowel)
        .is_some_and(|v| is_tone_candidate(v, after_ou, before_aey))
}

/// True when `c` alone is NFC and never combines with what precedes it (quick-check "yes",
/// combining class 0): text made only of such characters is NFC.
fn is_nfc_starter(c: char) -> bool {
    c < '\u{0300}'
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

#[cfg(test)]
mod tests {
    use super::super::{clean, tone};
    use super::*;

    /// The scan agrees with each step's own answer on real and hand-made text.
    fn assert_agrees(text: &str) {
        let work = scan(text);
        let chars = clean::nfc(text) != text
            || clean::strip_invisible(text) != text
            || clean::expand_ligatures(text) != text;
        assert!(work.chars || !chars, "missed character work in {text:?}");
        if !work.chars {
            assert_eq!(
                work.space,
                matches!(clean::fold_whitespace(text), std::borrow::Cow::Owned(_)),
                "white space of {text:?}"
            );
            let tones = tone::canonical_tones(text) != text;
            assert!(work.tones || !tones, "missed tone work in {text:?}");
        }
    }

    #[test]
    fn scan_agrees_with_every_step() {
        for text in [
            "",
            " ",
            "Trường Đại học Thủy lợi",
            "Trường Đại học Thuỷ lợi",
            "hoàng khoảng của mùa",
            "hòang",
            "a  b",
            "a \nb",
            "a\n\n\nb",
            "a\n\nb",
            "a\tb",
            "a\u{00A0}b",
            "a\u{2009}b",
            "a\u{3000}b",
            "a\u{0085}b",
            "a\u{2028}b",
            "nghiên\u{00AD}cứu",
            "khoa\u{200B}học",
            "\u{FEFF}Lời",
            "ﬁnd",
            "Æsop",
            "Ho\u{0300}a",
            "\u{2126}hm",
            "“trích dẫn” — gạch – ngang…",
            "π ≈ 3.14 ∑ 中文 😀",
            "kết thúc ",
            "\n",
        ] {
            assert_agrees(text);
        }
    }

    #[test]
    fn scan_agrees_on_the_bundled_sample() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/d2l-vi");
        let mut stack = vec![root];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for para in text.split("\n\n") {
                        assert_agrees(para);
                    }
                    assert_agrees(&text);
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
    }
}
