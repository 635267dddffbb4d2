//! Character-level clean-up: Unicode NFC, invisible characters, ligatures and white space.
//!
//! Each step is a separate function so that callers (and tests) can use exactly the one they
//! need; [`super::normalize`] chains them.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Composes text to Unicode NFC.
///
/// Vietnamese PDFs produced by Word often carry decomposed text (`a` + U+0301); tantivy's
/// tokenizers split on the combining mark, so every syllable would break in two.
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => {
            let composed: String = text.nfc().collect();
            if composed == text {
                Cow::Borrowed(text)
            } else {
                Cow::Owned(composed)
            }
        }
    }
}

/// True for characters that never carry meaning in running text: soft hyphens, zero-width
/// spaces and joiners, the BOM, bidi marks and the Mongolian vowel separator. PDF producers
/// leave them in the middle of words, where they would split a syllable.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// Removes [invisible](is_invisible) characters.
pub fn strip_invisible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
}

/// The letters a typographic ligature stands for, or `None` for any other character.
pub fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        '\u{0132}' => "IJ",
        '\u{0133}' => "ij",
        '\u{0152}' => "OE",
        '\u{0153}' => "oe",
        '\u{00C6}' => "AE",
        '\u{00E6}' => "ae",
        _ => return None,
    })
}

/// Expands [ligatures](ligature) into their letters, so `ﬁnd` is found by `find`.
pub fn expand_ligatures(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| ligature(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match ligature(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Folds white space: every run of horizontal white space (including no-break and ideographic
/// spaces and tabs) becomes one ASCII space, line breaks are kept (`\r\n` and lone `\r` become
/// `\n`, more than one blank line becomes one blank line), and spaces at line ends are dropped.
///
/// Line breaks are kept because they carry the page layout that snippets and first-page
/// metadata heuristics rely on.
pub fn fold_whitespace(text: &str) -> Cow<'_, str> {
    if is_folded(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(fold_whitespace_owned(text))
}

/// Bytes that are, or continue, a character [`fold_whitespace`] copies without looking at it:
/// printable ASCII, continuation bytes, and lead bytes that start no white-space or control
/// character (those all start with 0xC2, 0xE1, 0xE2 or 0xE3).
static ORDINARY: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b, 0x21..=0x7E | 0x80..=0xC1 | 0xC3..=0xE0 | 0xE4..=0xFF);
        b += 1;
    }
    t
};

/// The folding loop of [`fold_whitespace`], for text known not to be folded already.
fn fold_whitespace_owned(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut newlines = 0usize;
    let mut run_start: Option<usize> = None;
    let mut i = 0;
    // ASCII is decided on the byte; a multi-byte character is decoded only when its lead byte
    // can start a white-space or control character (U+0085, U+00A0, U+1680, U+2000..,
    // U+3000). Runs of ordinary characters are copied in one go.
    while i < bytes.len() {
        let b = bytes[i];
        if ORDINARY[usize::from(b)] {
            if run_start.is_none() {
                separate(&mut out, &mut newlines, &mut pending_space);
                run_start = Some(i);
            }
            i += 1;
            // A single space between ordinary characters stays as it is: keep it in the run.
            loop {
                while i < bytes.len() && ORDINARY[usize::from(bytes[i])] {
                    i += 1;
                }
                if bytes.get(i) == Some(&b' ')
                    && bytes.get(i + 1).is_some_and(|&n| ORDINARY[usize::from(n)])
                {
                    i += 2;
                } else {
                    break;
                }
            }
            continue;
        }
        let (len, kind) = if b < 0x80 {
            let kind = match b {
                b'\n' | 0x0B | 0x0C => Some(true),
                b'\r' => Some(bytes.get(i + 1) != Some(&b'\n')),
                b' ' | b'\t' | 0..=0x1F | 0x7F => Some(false),
                _ => None,
            };
            (1, kind)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            let kind = if matches!(c, '\u{2028}' | '\u{2029}') {
                Some(true)
            } else if c.is_whitespace() || c.is_control() {
                Some(false)
            } else {
                None
            };
            (c.len_utf8(), kind)
        };
        match kind {
            None => {
                if run_start.is_none() {
                    separate(&mut out, &mut newlines, &mut pending_space);
                    run_start = Some(i);
                }
            }
            Some(is_newline) => {
                if let Some(start) = run_start.take() {
                    out.push_str(&text[start..i]);
                }
                if is_newline {
                    pending_space = false;
                    newlines += 1;
                } else if b != b'\r' {
                    pending_space = true;
                }
            }
        }
        i += len;
    }
    if let Some(start) = run_start {
        out.push_str(&text[start..]);
    }
    out
}

/// Writes what the white space before a new run of ordinary characters folds to: nothing at
/// the start, one or two line breaks, or one space.
fn separate(out: &mut String, newlines: &mut usize, pending_space: &mut bool) {
    if !out.is_empty() {
        if *newlines > 0 {
            out.push_str(if *newlines > 1 { "\n\n" } else { "\n" });
        } else if *pending_space {
            out.push(' ');
        }
    }
    *newlines = 0;
    *pending_space = false;
}

/// Cheap check that [`fold_whitespace`] would change nothing, so the common case copies nothing.
fn is_folded(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first().is_some_and(|b| b.is_ascii_whitespace())
        || bytes.last().is_some_and(|b| b.is_ascii_whitespace())
    {
        return false;
    }
    let mut prev = b'x';
    let mut prev2 = b'x';
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if prev == b' ' || prev == b'\n' => return false,
            b'\n' if prev == b' ' || (prev == b'\n' && prev2 == b'\n') => return false,
            b'\t' | b'\r' | 0x0B | 0x0C => return false,
            0..=0x1F if b != b'\n' => return false,
            0x7F => return false,
            // Non-ASCII white space starts with one of these lead bytes (U+0085, U+00A0,
            // U+1680, U+2000.., U+3000); look closer only then.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                if let Some(c) = text[i..].chars().next() {
                    if c.is_whitespace() || c.is_control() {
                        return false;
                    }
                }
            }
            _ => {}
        }
        prev2 = prev;
        prev = b;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let cases = [
            // Word-produced PDFs give base letter + combining marks.
            ("Tru\u{031B}o\u{031B}\u{0300}ng", "Trường"),
            ("đa\u{0323}i ho\u{0323}c", "đại học"),
            ("Vie\u{0302}\u{0323}t Nam", "Việt Nam"),
            ("Trường đại học", "Trường đại học"),
            ("plain ascii", "plain ascii"),
        ];
        for (input, want) in cases {
            assert_eq!(nfc(input), want, "{input:?}");
        }
        assert!(matches!(nfc("Trường"), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_characters_are_removed() {
        let cases = [
            ("nghiên\u{00AD}cứu", "nghiêncứu"),
            ("khoa\u{200B} học", "khoa học"),
            ("\u{FEFF}Lời nói đầu", "Lời nói đầu"),
            ("ngôn\u{200D}ngữ", "ngônngữ"),
            ("không đổi", "không đổi"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_invisible(input), want, "{input:?}");
        }
    }

    #[test]
    fn ligatures_are_expanded() {
        let cases = [
            ("e\u{FB03}cient", "efficient"),
            ("\u{FB01}nd the \u{FB02}ow", "find the flow"),
            ("o\u{FB00}set", "offset"),
            ("Các ﬁle PDF", "Các file PDF"),
            ("no ligature", "no ligature"),
        ];
        for (input, want) in cases {
            assert_eq!(expand_ligatures(input), want, "{input:?}");
        }
    }

    #[test]
    fn whitespace_is_folded_but_lines_kept() {
        let cases = [
            ("  Luận   văn\tthạc sĩ  ", "Luận văn thạc sĩ"),
            ("TRƯỜNG\u{00A0}ĐẠI HỌC", "TRƯỜNG ĐẠI HỌC"),
            ("dòng một  \r\ndòng hai", "dòng một\ndòng hai"),
            ("đoạn một\n\n\n\nđoạn hai", "đoạn một\n\nđoạn hai"),
            ("a \n b", "a\nb"),
            ("a\u{3000}b\u{2009}c", "a b c"),
            ("already folded\ntext", "already folded\ntext"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold_whitespace(input), want, "{input:?}");
        }
        assert!(matches!(
            fold_whitespace("Khoa học\n\nMáy tính"),
            Cow::Borrowed(_)
        ));
    }
}
