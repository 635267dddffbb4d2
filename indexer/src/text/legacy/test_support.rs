//! Test helpers: reference encoders (Unicode → legacy bytes) written independently of the
//! decoding tables, and loaders for the real text in `../shared` (absent on plain clones).

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::tables::cp1252_char;

pub(crate) fn shared_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel)
}

/// The file under `shared/`, or `None` (after saying so) on clones without it.
pub(crate) fn read_shared(rel: &str) -> Option<String> {
    let path = shared_path(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => {
            eprintln!("skipping: {} not available", path.display());
            None
        }
    }
}

/// `("from", "to")` pairs of a viparse table module, with Python `\uXXXX` escapes resolved.
pub(crate) fn python_pairs(source: &str) -> Vec<(String, String)> {
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.clone().next() == Some('u') {
                chars.next();
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            } else {
                out.push(c);
            }
        }
        out
    }
    let mut pairs = Vec::new();
    for line in source.lines() {
        let line = line.trim();
        let Some(body) = line.strip_prefix("(\"") else {
            continue;
        };
        let Some((from, rest)) = body.split_once("\", \"") else {
            continue;
        };
        let Some((to, _)) = rest.split_once("\")") else {
            continue;
        };
        pairs.push((unescape(from), unescape(to)));
    }
    pairs
}

/// Shows bytes the way a Windows-1252 decoder (pdftotext with WinAnsi) would.
pub(crate) fn as_cp1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| cp1252_char(b)).collect()
}

/// Base letter, quality mark and tone mark of a character, from Unicode's own decomposition.
fn split_letter(c: char) -> (char, Option<char>, Option<char>) {
    let mut base = None;
    let (mut quality, mut tone) = (None, None);
    unicode_normalization::char::decompose_canonical(c, |d| match d {
        '\u{302}' | '\u{306}' | '\u{31B}' => quality = Some(d),
        '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tone = Some(d),
        _ => base = Some(d),
    });
    (base.unwrap_or(c), quality, tone)
}

fn tone_index(tone: Option<char>) -> usize {
    match tone {
        None => 0,
        Some('\u{300}') => 1,
        Some('\u{309}') => 2,
        Some('\u{303}') => 3,
        Some('\u{301}') => 4,
        _ => 5,
    }
}

/// Windows-1252 punctuation both legacy fonts keep in 0x80–0x9F.
fn cp1252_punctuation(c: char) -> Option<u8> {
    (0x80..0xA0u8).find(|&b| cp1252_char(b) == c)
}

/// The TCVN3 layout as a grid (vowel × tone grave, hook, tilde, acute, dot), typed independently
/// of the decoder's flat table.
pub(crate) const TCVN3_GRID: [(char, [u8; 5]); 12] = [
    ('a', [0xB5, 0xB6, 0xB7, 0xB8, 0xB9]),
    ('ă', [0xBB, 0xBC, 0xBD, 0xBE, 0xC6]),
    ('â', [0xC7, 0xC8, 0xC9, 0xCA, 0xCB]),
    ('e', [0xCC, 0xCE, 0xCF, 0xD0, 0xD1]),
    ('ê', [0xD2, 0xD3, 0xD4, 0xD5, 0xD6]),
    ('i', [0xD7, 0xD8, 0xDC, 0xDD, 0xDE]),
    ('o', [0xDF, 0xE1, 0xE2, 0xE3, 0xE4]),
    ('ô', [0xE5, 0xE6, 0xE7, 0xE8, 0xE9]),
    ('ơ', [0xEA, 0xEB, 0xEC, 0xED, 0xEE]),
    ('u', [0xEF, 0xF1, 0xF2, 0xF3, 0xF4]),
    ('ư', [0xF5, 0xF6, 0xF7, 0xF8, 0xF9]),
    ('y', [0xFA, 0xFB, 0xFC, 0xFD, 0xFE]),
];

const TCVN3_BARE: [(char, u8); 14] = [
    ('Ă', 0xA1),
    ('Â', 0xA2),
    ('Ê', 0xA3),
    ('Ô', 0xA4),
    ('Ơ', 0xA5),
    ('Ư', 0xA6),
    ('Đ', 0xA7),
    ('ă', 0xA8),
    ('â', 0xA9),
    ('ê', 0xAA),
    ('ô', 0xAB),
    ('ơ', 0xAC),
    ('ư', 0xAD),
    ('đ', 0xAE),
];

/// One character in a lower-case TCVN3 font, if the font has it.
fn tcvn3_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    if let Some(&(_, b)) = TCVN3_BARE.iter().find(|(l, _)| *l == c) {
        return Some(b);
    }
    if let Some(b) = cp1252_punctuation(c) {
        return Some(b);
    }
    if !c.is_lowercase() {
        return None;
    }
    let (base, quality, tone) = split_letter(c);
    tone?;
    let composed: String = std::iter::once(base).chain(quality).nfc().collect();
    let row = TCVN3_GRID.iter().find(|(v, _)| composed == v.to_string())?;
    Some(row.1[tone_index(tone) - 1])
}

/// Unicode → bytes of a lower-case TCVN3 (`.VnTime`) font; `None` when a character is missing.
pub(crate) fn encode_tcvn3(text: &str) -> Option<Vec<u8>> {
    text.chars().map(tcvn3_byte).collect()
}

/// Unicode capitals → bytes of a TCVN3 capital (`.VnTimeH`) font, which draws lower-case codes
/// as capitals: each letter is typed as its lower-case TCVN3 code.
pub(crate) fn encode_tcvn3_capitals(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                Some(c as u8)
            } else {
                let mut lower = c.to_lowercase();
                let l = lower.next()?;
                if lower.next().is_some() {
                    return None;
                }
                tcvn3_byte(l)
            }
        })
        .collect()
}

/// Unicode → VNI-Windows bytes; `None` when a character has no VNI form.
pub(crate) fn encode_vni(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        if let Some(b) = cp1252_punctuation(c) {
            out.push(b);
            continue;
        }
        match c {
            'đ' => out.push(0xF1),
            'Đ' => out.push(0xD1),
            _ => {
                let (base, quality, tone) = split_letter(c);
                if !base.is_ascii_alphabetic() || (quality.is_none() && tone.is_none()) {
                    return None;
                }
                let upper = base.is_ascii_uppercase();
                let case = |b: u8| if upper { b - 0x20 } else { b };
                let t = tone_index(tone);
                match (base.to_ascii_lowercase(), quality) {
                    ('i', None) => out.push(case([b'i', 0xEC, 0xE6, 0xF3, 0xED, 0xF2][t])),
                    ('o' | 'u', Some('\u{31B}')) => {
                        out.push(case(if base.eq_ignore_ascii_case(&'o') {
                            0xF4
                        } else {
                            0xF6
                        }));
                        if t > 0 {
                            out.push(case([0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF][t]));
                        }
                    }
                    ('a' | 'e' | 'o' | 'u' | 'y', None) => {
                        out.push(base as u8);
                        out.push(case([0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF][t]));
                    }
                    ('a' | 'e' | 'o', Some('\u{302}')) => {
                        out.push(base as u8);
                        out.push(case([0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4][t]));
                    }
                    ('a', Some('\u{306}')) => {
                        out.push(base as u8);
                        out.push(case([0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB][t]));
                    }
                    _ => return None,
                }
            }
        }
    }
    Some(out)
}

/// Real Vietnamese sentences: the VTB treebank (syllables re-joined) and d2l-vi prose lines.
/// Empty on clones without `shared/`.
pub(crate) fn vietnamese_sentences() -> Vec<String> {
    let mut out = Vec::new();
    for split in ["dev", "test", "train"] {
        let rel = format!("vi_seg/UD_Vietnamese-VTB/vi_vtb-ud-{split}.seg_underscore.txt");
        if let Some(text) = read_shared(&rel) {
            out.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.replace('_', " ")),
            );
        }
    }
    let root = shared_path("vi_text/d2l-vi");
    let mut files = Vec::new();
    collect_markdown(&root, &mut files);
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut in_code = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            let line = line.trim();
            if !in_code && line.chars().count() >= 20 && !line.is_ascii() {
                out.push(line.to_owned());
            }
        }
    }
    out
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// English prose: the abstracts of the Cranfield collection. Empty without `shared/`.
pub(crate) fn english_paragraphs() -> Vec<String> {
    let Some(text) = read_shared("ir/cranfield/cran.all.1400") else {
        return Vec::new();
    };
    text.split(".W\n")
        .skip(1)
        .map(|p| p.split("\n.I ").next().unwrap_or(p).replace('\n', " "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_encoders_spell_known_words() {
        assert_eq!(
            as_cp1252(&encode_tcvn3("Trường đại học").unwrap()),
            "Tr\u{AD}êng ®¹i häc"
        );
        assert_eq!(
            as_cp1252(&encode_tcvn3_capitals("TRƯỜNG ĐẠI HỌC").unwrap()),
            "TR\u{AD}êNG ®¹I HäC"
        );
        assert_eq!(
            as_cp1252(&encode_vni("Trường đại học VIỆT NAM chỉ").unwrap()),
            "Tröôøng ñaïi hoïc VIEÄT NAM chæ"
        );
        assert_eq!(encode_tcvn3("Ở"), None);
        assert_eq!(encode_vni("ç"), None);
    }
}
