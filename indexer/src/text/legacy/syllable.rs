//! Is a word spelled like a Vietnamese syllable?
//!
//! The detector's main evidence: legacy bytes read as Latin-1 (`häc`, `hoïc`) are nonsense, and the
//! same bytes decoded with the right table are syllables (`học`). Vietnamese orthography is strict
//! enough (closed sets of onsets, vowel clusters and eight codas, stop codas taking only two tones)
//! that European words and wrong decodings rarely pass by chance.

use super::tables::{vi_lower, vowel_of, Tone, VOWELS};
use crate::text::fold::fold;

const ONSETS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Vowel clusters that may stand with or without a final consonant.
const NUCLEI_FREE: [&str; 15] = [
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ",
];

/// Vowel clusters that need a final consonant (`ăn`, `tiên`, `muốn`, `xoong`).
const NUCLEI_CLOSED: [&str; 10] = ["ă", "â", "iê", "yê", "uô", "ươ", "uâ", "oă", "uyê", "oo"];

/// Vowel clusters ending in a glide, which take no final consonant (`tai`, `người`, `khuya`).
const NUCLEI_OPEN: [&str; 27] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu",
    "ưa", "ua", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi",
];

/// Open clusters beyond the array above (kept apart so the arrays stay readable).
const NUCLEI_OPEN_RARE: [&str; 3] = ["ươu", "uya", "uyu"];

/// Whether `word` (one syllable, any letter case, NFC) follows Vietnamese spelling.
pub fn is_plausible_syllable(word: &str) -> bool {
    // A syllable has at most 7 letters (`nghiêng`); 3 UTF-8 bytes per letter at most.
    let mut buf = [0u8; 32];
    let mut len = 0;
    let mut tone = Tone::Level;
    for (n, c) in word.chars().enumerate() {
        if n >= 8 {
            return false;
        }
        let c = vi_lower(c);
        let letter = match c {
            'b' | 'c' | 'd' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'q' | 'r' | 's' | 't'
            | 'v' | 'x' | 'đ' => c,
            _ => {
                let Some((row, t)) = vowel_of(c) else {
                    return false;
                };
                if t != Tone::Level {
                    if tone != Tone::Level {
                        return false;
                    }
                    tone = t;
                }
                VOWELS[usize::from(row)][0]
            }
        };
        len += letter.encode_utf8(&mut buf[len..]).len();
    }
    let Ok(skeleton) = std::str::from_utf8(&buf[..len]) else {
        return false;
    };
    ONSETS.iter().any(|onset| {
        skeleton
            .strip_prefix(onset)
            .is_some_and(|rime| onset_fits(onset, rime) && rime_ok(rime, Some(tone)))
    })
}

fn onset_fits(onset: &str, rime: &str) -> bool {
    let front = matches!(rime.chars().next(), Some('e' | 'ê' | 'i' | 'y'));
    match onset {
        "c" => !front,
        "k" => front,
        "gh" | "ngh" => front && !rime.starts_with('y'),
        "g" | "ng" => !matches!(rime.chars().next(), Some('e' | 'ê')),
        "qu" => !rime.starts_with('u'),
        _ => true,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Whether `rime` (what follows the onset) is a Vietnamese rime. `tone` is the syllable's tone,
/// or `None` for a syllable typed without marks: its tone is unknown and its vowel cluster is
/// compared with the clusters folded.
fn rime_ok(rime: &str, tone: Option<Tone>) -> bool {
    let split = rime.find(|c| !is_vowel(c)).unwrap_or(rime.len());
    let (nucleus, coda) = rime.split_at(split);
    if nucleus.is_empty() || !CODAS.contains(&coda) {
        return false;
    }
    // Syllables closed by a stop take only the rising tones.
    if matches!(coda, "c" | "ch" | "p" | "t")
        && tone.is_some_and(|t| !matches!(t, Tone::Acute | Tone::Dot))
    {
        return false;
    }
    let is = |set: &[&str]| {
        set.iter().any(|n| match tone {
            Some(_) => *n == nucleus,
            None => fold(n) == nucleus,
        })
    };
    if matches!(coda, "ch" | "nh") && !is(&["a", "ê", "i", "y", "oa", "uê", "uy"]) {
        return false;
    }
    if coda.is_empty() {
        is(&NUCLEI_FREE) || is(&NUCLEI_OPEN) || is(&NUCLEI_OPEN_RARE)
    } else {
        is(&NUCLEI_FREE) || is(&NUCLEI_CLOSED)
    }
}

/// Whether `word`, typed without diacritics (ASCII letters), is some Vietnamese syllable with
/// its marks removed (`hoc` for `học`, `nguoi` for `người`, `viet` for `Việt`): the same
/// onsets, vowel clusters and codas as [`is_plausible_syllable`], compared folded.
pub fn is_plausible_folded_syllable(word: &str) -> bool {
    if word.is_empty() || word.len() > 8 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let word = word.to_ascii_lowercase();
    ONSETS.iter().any(|onset| {
        let onset = fold(onset);
        word.strip_prefix(onset.as_ref())
            .is_some_and(|rime| onset_fits(&onset, rime) && rime_ok(rime, None))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_vietnamese_syllables() {
        let words = [
            "trường",
            "đại",
            "học",
            "người",
            "hướng",
            "dẫn",
            "khoa",
            "nghiêng",
            "quốc",
            "quyết",
            "gì",
            "giữ",
            "gìn",
            "khuya",
            "khuỷu",
            "yêu",
            "yên",
            "nguyên",
            "TRUYỀN",
            "Việt",
            "ăn",
            "xoong",
            "hoặc",
            "tuần",
            "thuở",
            "oanh",
            "huỳnh",
            "khuếch",
            "ếch",
            "à",
            "ý",
            "kỹ",
            "ghế",
            "nghề",
            "cá",
            "ưa",
            "bướu",
            "hươu",
            "Đà",
            "Nẵng",
            "HỌC",
            "anh",
        ];
        for w in words {
            assert!(is_plausible_syllable(w), "{w}");
        }
    }

    #[test]
    fn rejects_non_syllables() {
        let words = [
            // Latin-1 readings of legacy text.
            "häc",
            "Tr¦êng",
            "hoïc",
            "Tröôøng",
            "ñaïi",
            "coù",
            "NGHÖ",
            "Vµ",
            // Wrong decodings and European words.
            "nguyấn",
            "tớnh",
            "mỏy",
            "THẦI",
            "café",
            "naïve",
            "Müller",
            "Français",
            "and",
            "string",
            "über",
            "où",
            "ce",
            "ge",
            "ghu",
            "quu",
            "bàc",
            "hảt",
            "ăn̆",
            "",
            "nghieeng",
            "abcdefghij",
            "ă",
            "tiê",
            "x",
        ];
        for w in words {
            assert!(!is_plausible_syllable(w), "{w}");
        }
    }

    #[test]
    fn folded_syllables_are_vietnamese_typed_without_marks() {
        for w in [
            "hoc", "may", "viet", "nguoi", "truong", "duong", "nghien", "cuu", "khai", "pha",
            "lieu", "thac", "si", "khuya", "quyet", "giu", "Xoong", "uyen", "thuoc",
        ] {
            assert!(is_plausible_folded_syllable(w), "{w}");
        }
        for w in [
            "learning", "data", "and", "food", "dyes", "adhd", "gnuplot", "học", "ge", "the1", "",
            "string",
        ] {
            assert!(!is_plausible_folded_syllable(w), "{w}");
        }
    }
}
