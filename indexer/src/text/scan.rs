//! [`super::normalize`] in one pass, for text that needs no character-level work.
//!
//! Most text reaching `normalize` is already NFC and has no invisible characters or
//! ligatures; what it may need is white space folded and a few tones moved. Running each step
//! costs a pass over the text per step. This pass checks every character once and applies the
//! white-space and tone changes on the way, as patches to the original text, so text that
//! needs nothing is not copied and text that needs something is copied once. When a character
//! needs NFC, stripping or expanding, it gives up and the steps run one after the other.
//!
//! The result is exactly that of the steps: white-space runs fold as in
//! [`super::clean::fold_whitespace`] (nothing at the ends; inside, one or two line breaks or
//! one space) and words change as in [`super::tone::canonical_tones`]. Applying tones to the
//! unfolded text gives the same words, because folding white space neither joins nor splits
//! words and never puts a letter next to another one.

use std::borrow::Cow;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized};

use super::clean::{is_invisible, ligature};
use super::tone::{canonical_syllable, is_tone_candidate_at, word_around};

/// Byte classes of the pass.
const PLAIN: u8 = 0;
/// ASCII white space and control characters.
const BLANK: u8 = 1;
/// First byte of a multi-byte character.
const LEAD: u8 = 2;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b {
            0x00..=0x20 | 0x7F => BLANK,
            0xC0..=0xFF => LEAD,
            _ => PLAIN,
        };
        b += 1;
    }
    t
};

/// Bytes that start a character which is certainly not white space: printable ASCII and the
/// lead bytes that no white-space or control character starts with.
static NOT_BLANK_START: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b, 0x21..=0x7E | 0xC3..=0xE0 | 0xE4..=0xFF);
        b += 1;
    }
    t
};

/// The output under construction: the original text with patches, copied lazily.
struct Patched<'a> {
    text: &'a str,
    out: String,
    /// Everything before this offset is in `out` (or was replaced by a patch).
    copied: usize,
}

impl Patched<'_> {
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        if self.out.capacity() == 0 {
            self.out.reserve(self.text.len());
        }
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(with);
        self.copied = end;
    }
}

/// Byte pairs worth a closer look, as bit masks: a pair `(a, b)` of adjacent bytes is looked at
/// when `PREV[a] & CUR[b] != 0`. One bit per rule; every character or white-space run that
/// [`careful`] could change or give up on makes at least one pair at or just after its start
/// match a rule, and in ordinary Vietnamese text few pairs do.
const ANY: u16 = 1 << 0; // `b` alone: controls, and lead bytes rarely seen in Vietnamese
const E2_X: u16 = 1 << 1; // E2 not followed by 80: symbols, U+2040.. (invisible U+2060..)
const X80_X: u16 = 1 << 2; // E2 80 outside U+2010..U+2027: spaces, invisible characters
const E1_X: u16 = 1 << 3; // E1 outside U+1E00..U+1EFF
const LIG_C3: u16 = 1 << 4; // Æ æ
const LIG_C4: u16 = 1 << 5; // Ĳ ĳ
const LIG_C5: u16 = 1 << 6; // Œ œ
const BLANK_SPACE: u16 = 1 << 7; // a space after a space or a line break
const SPACE_NL: u16 = 1 << 8; // a line break after a space
const NL_NL: u16 = 1 << 9; // two line breaks: fine unless a third follows
const OU_LEAD: u16 = 1 << 10; // `o`/`u` then a letter that may carry a misplaced tone
const TAIL_AEY: u16 = 1 << 11; // a multi-byte letter then `a`/`e`/`y`
const QG_LEAD: u16 = 1 << 12; // `q`/`g` then a letter that may be a toned `u`/`i` (`qúa`, `gìa`)

static PREV: [u16; 256] = {
    let mut t = [ANY; 256];
    t[0xE2] |= E2_X;
    t[0x80] |= X80_X;
    t[0xE1] |= E1_X;
    t[0xC3] |= LIG_C3;
    t[0xC4] |= LIG_C4;
    t[0xC5] |= LIG_C5;
    t[b' ' as usize] |= BLANK_SPACE | SPACE_NL;
    t[b'\n' as usize] |= BLANK_SPACE | NL_NL;
    let mut b = 0;
    while b < 256 {
        if matches!(b as u8, b'o' | b'u' | b'O' | b'U') {
            t[b] |= OU_LEAD;
        }
        if matches!(b as u8, b'q' | b'g' | b'Q' | b'G') {
            t[b] |= QG_LEAD;
        }
        if matches!(b, 0x80..=0xBF) {
            t[b] |= TAIL_AEY;
        }
        b += 1;
    }
    t
};

static CUR: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut b = 0;
    while b < 256 {
        let mut m = 0;
        if matches!(b, 0x00..=0x09 | 0x0B..=0x1F | 0x7F | 0xC2 | 0xCC..=0xE0 | 0xE3..=0xFF) {
            m |= ANY;
        }
        if b != 0x80 {
            m |= E2_X;
        }
        if !matches!(b, 0x90..=0xA7) {
            m |= X80_X;
        }
        if !matches!(b, 0xB8..=0xBB) {
            m |= E1_X;
        }
        if matches!(b, 0x86 | 0xA6) {
            m |= LIG_C3;
        }
        if matches!(b, 0xB2 | 0xB3) {
            m |= LIG_C4;
        }
        if matches!(b, 0x92 | 0x93) {
            m |= LIG_C5;
        }
        if b == b' ' as usize {
            m |= BLANK_SPACE;
        }
        if b == b'\n' as usize {
            m |= SPACE_NL | NL_NL;
        }
        if matches!(b, 0xC3..=0xC6 | 0xE1) {
            m |= OU_LEAD;
        }
        // Lead bytes of `ùúủũụ` and `ìíỉĩị`, both cases.
        if matches!(b, 0xC3..=0xC5 | 0xE1) {
            m |= QG_LEAD;
        }
        if matches!(b as u8, b'a' | b'e' | b'y' | b'A' | b'E' | b'Y') {
            m |= TAIL_AEY;
        }
        t[b] = m;
        b += 1;
    }
    t
};

/// [`super::normalize`] of `text`, or `None` when a character needs NFC, stripping or
/// ligature expansion (the caller then runs the steps).
pub(crate) fn normalize_simple(text: &str) -> Option<Cow<'_, str>> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut st = Careful {
        p: Patched {
            text,
            out: String::new(),
            copied: 0,
        },
        checked_to: 0,
    };
    // The first character has no pair before it.
    let mut i = if n > 0 { st.run(0, 0)? } else { 0 };
    let mut done_to = i;
    // Branch-free for ordinary text: two table loads and a test per byte.
    while i < n {
        if PREV[usize::from(bytes[i - 1])] & CUR[usize::from(bytes[i])] == 0 {
            i += 1;
            continue;
        }
        // From the character holding the pair's first byte (its rule may be about it), but
        // never again over what was already looked at.
        let mut from = i - 1;
        while from > done_to && (0x80..0xC0).contains(&bytes[from]) {
            from -= 1;
        }
        // A white-space run must be looked at from its start, and a space or line break
        // before a non-ASCII space makes no pair of its own.
        while from > done_to && matches!(bytes[from - 1], 0x00..=0x20 | 0x7F) {
            from -= 1;
        }
        i = st.run(from.max(done_to), i)?;
        done_to = i;
    }
    // A white-space run at the end makes no pair after it.
    if n > done_to && bytes[n - 1].is_ascii_whitespace() {
        let mut from = n;
        while from > done_to && matches!(bytes[from - 1], 0x00..=0x20 | 0x7F) {
            from -= 1;
        }
        st.run(from, n - 1)?;
    }
    let p = st.p;
    // Every patch replaces at least one byte, so nothing was patched exactly when nothing
    // was copied.
    if p.copied == 0 {
        return Some(Cow::Borrowed(text));
    }
    let mut out = p.out;
    out.push_str(&text[p.copied..]);
    Some(Cow::Owned(out))
}

/// The character-by-character part of [`normalize_simple`].
struct Careful<'a> {
    p: Patched<'a>,
    /// End of the last word whose tone was checked: a word is checked once.
    checked_to: usize,
}

impl Careful<'_> {
    /// Looks at every character from `i` (a character boundary outside a white-space run,
    /// or the start of one) until one starting after `until` is reached, patching what
    /// needs it. Returns where it stopped, a boundary of the same kind, or `None` when a
    /// character needs character-level work.
    fn run(&mut self, mut i: usize, until: usize) -> Option<usize> {
        let text = self.p.text;
        let bytes = text.as_bytes();
        let n = bytes.len();
        while i < n && i <= until {
            let b = bytes[i];
            match CLASS[usize::from(b)] {
                PLAIN => {
                    i += 1;
                    while i < n && CLASS[usize::from(bytes[i])] == PLAIN {
                        i += 1;
                    }
                }
                BLANK => {
                    // The usual separators, between two characters that are not white
                    // space, stay as they are.
                    let usual = match b {
                        b' ' | b'\n' => 1,
                        _ => 0,
                    } + usize::from(b == b'\n' && bytes.get(i + 1) == Some(&b'\n'));
                    if usual > 0
                        && i > 0
                        && bytes
                            .get(i + usual)
                            .is_some_and(|&next| NOT_BLANK_START[usize::from(next)])
                    {
                        i += usual;
                    } else {
                        i = blank_run(&mut self.p, i)?;
                    }
                }
                _ => {
                    let b1 = bytes.get(i + 1).copied().unwrap_or(0);
                    let len = match b {
                        // U+00C0..U+02FF (Latin-1 letters to spacing modifiers): NFC
                        // starters, never white space; six of them are ligatures.
                        0xC3..=0xCB => {
                            if matches!(
                                (b, b1),
                                (0xC3, 0x86 | 0xA6) | (0xC4, 0xB2 | 0xB3) | (0xC5, 0x92 | 0x93)
                            ) {
                                return None;
                            }
                            2
                        }
                        // U+1E00..U+1EFF (Latin Extended Additional, all of Vietnamese's
                        // toned vowels): NFC starters, nothing to strip or fold.
                        0xE1 if (0xB8..=0xBB).contains(&b1) => 3,
                        // U+2010..U+2027 (dashes, quotes, bullets, ellipsis): nothing to do.
                        0xE2 if b1 == 0x80
                            && (0x90..=0xA7).contains(&bytes.get(i + 2).copied().unwrap_or(0)) =>
                        {
                            3
                        }
                        _ => {
                            let c = text[i..].chars().next().unwrap_or(' ');
                            if needs_char_work(c) {
                                return None;
                            }
                            if is_blank(c) {
                                i = blank_run(&mut self.p, i)?;
                                continue;
                            }
                            c.len_utf8()
                        }
                    };
                    if i >= self.checked_to && is_tone_candidate_at(text, i, len) {
                        let (start, end) = word_around(text, i);
                        self.checked_to = end;
                        if let Some(fixed) = canonical_syllable(&text[start..end]) {
                            self.p.replace(start, end, &fixed);
                        }
                    }
                    i += len;
                }
            }
        }
        Some(i)
    }
}

/// Handles the white-space run starting at `start`: patches it when it does not fold to
/// itself. Returns where the run ends, or `None` when a character of it needs character-level
/// work.
fn blank_run(p: &mut Patched<'_>, start: usize) -> Option<usize> {
    let text = p.text;
    let bytes = text.as_bytes();
    let mut newlines = 0usize;
    let mut i = start;
    // The character kinds of `clean::fold_whitespace`: line breaks (`\r\n` counts once),
    // other white space and control characters, and the end of the run.
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            match b {
                b'\n' | 0x0B | 0x0C => newlines += 1,
                b'\r' => newlines += usize::from(bytes.get(i + 1) != Some(&b'\n')),
                b' ' | b'\t' | 0..=0x1F | 0x7F => {}
                _ => break,
            }
            i += 1;
            continue;
        }
        if !matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            break;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if !is_blank(c) {
            break;
        }
        if needs_char_work(c) {
            return None;
        }
        newlines += usize::from(matches!(c, '\u{2028}' | '\u{2029}'));
        i += c.len_utf8();
    }
    let folded = if start == 0 || i == bytes.len() {
        ""
    } else if newlines > 1 {
        "\n\n"
    } else if newlines == 1 {
        "\n"
    } else {
        " "
    };
    if &text[start..i] != folded {
        p.replace(start, i, folded);
    }
    Some(i)
}

/// White space or a control character, as `clean::fold_whitespace` decides for a non-ASCII
/// character.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// True when `c` makes NFC, invisible-character stripping or ligature expansion change the
/// text, or might (see [`is_nfc_starter`]).
fn needs_char_work(c: char) -> bool {
    is_invisible(c) || ligature(c).is_some() || !is_nfc_starter(c)
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

    /// The steps one after the other, as `normalize` runs them when this pass gives up.
    fn steps(text: &str) -> String {
        let s = clean::nfc(text);
        let s = clean::strip_invisible(&s).into_owned();
        let s = clean::expand_ligatures(&s).into_owned();
        let s = clean::fold_whitespace(&s).into_owned();
        tone::canonical_tones(&s).into_owned()
    }

    fn assert_agrees(text: &str) {
        let want = steps(text);
        match normalize_simple(text) {
            Some(got) => {
                assert_eq!(got, want, "{text:?}");
                assert_eq!(matches!(got, Cow::Borrowed(_)), want == text, "{text:?}");
            }
            None => assert!(
                clean::nfc(text) != text
                    || clean::strip_invisible(text) != text
                    || clean::expand_ligatures(text) != text
                    || text.chars().any(|c| !is_nfc_starter(c)),
                "gave up on {text:?}"
            ),
        }
    }

    #[test]
    fn one_pass_equals_the_steps() {
        for text in [
            "",
            " ",
            "\n\n",
            "\u{00A0}",
            "Trường Đại học Thủy lợi",
            "Trường Đại học Thuỷ lợi",
            "hoàng khoảng của mùa",
            "hòang  hoà\n\n\nthuỷ ",
            "a  b",
            "a \nb",
            "a\n b",
            "a\n\n\nb",
            "a\n\nb",
            "a\r\nb",
            "a\rb",
            "a\r\n\r\nb",
            "a\tb",
            "a\u{000B}b",
            "a\u{0000}b",
            "a\u{00A0}b",
            "a\u{2009}b",
            "a\u{3000}b",
            "a\u{0085}b",
            "a\u{2028}b",
            "a \u{2029} b",
            "nghiên\u{00AD}cứu",
            "khoa\u{200B}học",
            "\u{FEFF}Lời",
            "ﬁnd",
            "Æsop",
            "Ho\u{0300}a",
            "\u{2126}hm",
            "a\u{2000}b",
            "“trích dẫn” — gạch – ngang…",
            "π ≈ 3.14 ∑ 中文 😀",
            "kết thúc ",
            "  đầu",
            "\n",
            // A tone on the `u` of `qu` or the `i` of `gi`, and words that look alike.
            "kết qủa, QÚA, Qũy; gìa gịa Gía gìương",
            "qúa\u{0301} gìa\u{00AD}",
            "gì gìn giữ gìn, quý quỳnh quốc, nghĩa guía",
            "qú gì\n\nqú",
        ] {
            assert_agrees(text);
        }
    }

    /// Pieces of text around the onset rules: `q`, `g`, the vowels they take, tone marks on
    /// them, codas, separators, a combining mark and an invisible character.
    const UNITS: &[&str] = &[
        "q", "g", "Q", "G", "gi", "qu", "ng", "h", "n", "t", "u", "ú", "ù", "ủ", "ũ", "ụ", "Ú",
        "i", "ì", "í", "ỉ", "ĩ", "ị", "Ì", "a", "à", "á", "ă", "â", "e", "ê", "ế", "o", "ò", "ô",
        "ơ", "ư", "ữ", "y", "ỷ", "Y", " ", "  ", "\n", ",", "2", "\u{0301}", "\u{00AD}",
    ];

    /// [`assert_agrees`], and the result is NFC and normalising it again changes nothing.
    fn agrees_and_normalises_once(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        assert_agrees(text);
        let normal = super::super::normalize(text);
        proptest::prop_assert!(unicode_normalization::is_nfc(&normal), "{:?}", normal);
        proptest::prop_assert_eq!(super::super::normalize(&normal), normal);
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn one_pass_equals_the_steps_on_random_text(
            units in proptest::collection::vec(proptest::sample::select(UNITS), 0..16)
        ) {
            let text = units.concat();
            agrees_and_normalises_once(&text)?;
        }

        #[test]
        fn one_pass_equals_the_steps_on_random_syllables(
            text in tone::syllable_soup(&[" ", "  ", ", ", "\n", "\n\n\n", "", "-", "\u{0301} ", "\u{00AD}"])
        ) {
            agrees_and_normalises_once(&text)?;
        }
    }

    #[test]
    fn one_pass_equals_the_steps_on_the_bundled_sample() {
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
