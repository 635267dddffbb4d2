//! Byte-level tables shared by the TCVN3 and VNI decoders and the detector.
//!
//! Everything here is `const` so decoding a PDF string is one array index per byte.
//! Sources cross-checked (see the tests at the bottom): glibc `TCVN5712-1` charmap (TCVN 5712:1993
//! VN1, whose 0xA0–0xFF half TCVN3 fonts share), VnTeX `tcvn.def`, and the viparse TCVN3/VNI
//! tables; the Windows-1252 upper half from the Unicode mapping of that code page.

/// Tone marks in the order TCVN3 lays them out for every vowel (grave, hook, tilde, acute, dot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Level = 0,
    Grave = 1,
    Hook = 2,
    Tilde = 3,
    Acute = 4,
    Dot = 5,
}

/// The 12 Vietnamese vowel letters (rows of [`VOWELS`]).
pub(crate) const V_A: u8 = 0;
pub(crate) const V_A_BREVE: u8 = 1;
pub(crate) const V_A_CIRC: u8 = 2;
pub(crate) const V_E: u8 = 3;
pub(crate) const V_E_CIRC: u8 = 4;
pub(crate) const V_I: u8 = 5;
pub(crate) const V_O: u8 = 6;
pub(crate) const V_O_CIRC: u8 = 7;
pub(crate) const V_O_HORN: u8 = 8;
pub(crate) const V_U: u8 = 9;
pub(crate) const V_U_HORN: u8 = 10;
pub(crate) const V_Y: u8 = 11;

/// Lower-case vowels: rows are [`V_A`]..[`V_Y`], columns are [`Tone`] values.
pub(crate) const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'ả', 'ã', 'á', 'ạ'],
    ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ'],
    ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
    ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ'],
    ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ'],
    ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'],
    ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ'],
    ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ'],
    ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ'],
    ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ'],
    ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự'],
    ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'],
];

/// `VOWELS` inverted for the code points `base..base + N`: `row * 6 + tone + 1`, 0 for none.
const fn invert_vowels<const N: usize>(base: u32) -> [u8; N] {
    let mut table = [0u8; N];
    let mut row = 0;
    while row < 12 {
        let mut col = 0;
        while col < 6 {
            let u = VOWELS[row][col] as u32;
            if u >= base && u < base + N as u32 {
                table[(u - base) as usize] = (row * 6 + col + 1) as u8;
            }
            col += 1;
        }
        row += 1;
    }
    table
}

/// Vowels among U+0000–U+01FF (ASCII, Latin-1, ă ĩ ũ ơ ư).
const VOWEL_INDEX_LOW: [u8; 0x200] = invert_vowels(0);
/// Vowels in the Latin Extended Additional block (ạ ả ấ ... ỹ).
const VOWEL_INDEX_EXT: [u8; 0x60] = invert_vowels(0x1EA0);

/// The vowel letter (row) and tone of a lower-case Vietnamese vowel.
pub(crate) fn vowel_of(c: char) -> Option<(u8, Tone)> {
    const TONES: [Tone; 6] = [
        Tone::Level,
        Tone::Grave,
        Tone::Hook,
        Tone::Tilde,
        Tone::Acute,
        Tone::Dot,
    ];
    let u = c as usize;
    let code = match u {
        0..0x200 => VOWEL_INDEX_LOW[u],
        0x1EA0..0x1F00 => VOWEL_INDEX_EXT[u - 0x1EA0],
        _ => 0,
    };
    let i = usize::from(code.checked_sub(1)?);
    Some(((i / 6) as u8, TONES[i % 6]))
}

/// Upper case of the letters these tables produce; other characters are returned unchanged.
///
/// `const` so the capital (`.Vn…H`) table can be derived from the lower-case one at compile time
/// instead of being typed a second time.
pub(crate) const fn vi_upper(c: char) -> char {
    let u = c as u32;
    let up = match u {
        0x61..=0x7A => u - 0x20,
        0xE0..=0xFE if u != 0xF7 => u - 0x20,
        0x103 | 0x111 | 0x129 | 0x169 | 0x1A1 | 0x1B0 => u - 1,
        0x1EA0..=0x1EF9 if u % 2 == 1 => u - 1,
        _ => u,
    };
    match char::from_u32(up) {
        Some(c) => c,
        None => c,
    }
}

/// Lower case counterpart of [`vi_upper`].
pub(crate) const fn vi_lower(c: char) -> char {
    let u = c as u32;
    let low = match u {
        0x41..=0x5A => u + 0x20,
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0x102 | 0x110 | 0x128 | 0x168 | 0x1A0 | 0x1AF => u + 1,
        0x1EA0..=0x1EF9 if u % 2 == 0 => u + 1,
        _ => u,
    };
    match char::from_u32(low) {
        Some(c) => c,
        None => c,
    }
}

/// Windows-1252 for bytes 0x80–0x9F. The five bytes the code page leaves undefined keep their
/// C1 control code point, as Latin-1 decoders do, so every byte has a character and back.
#[rustfmt::skip]
pub(crate) const CP1252_80: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character a Windows-1252 (or Latin-1) decoder shows for `b`.
pub(crate) const fn cp1252_char(b: u8) -> char {
    if b >= 0x80 && b < 0xA0 {
        CP1252_80[(b - 0x80) as usize]
    } else {
        b as char
    }
}

/// The byte behind a character that a Latin-1 / Windows-1252 decoder (or a PDF ToUnicode map of
/// a legacy font) produced, or `None` when no byte shows as that character.
pub(crate) fn byte_of_char(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    match c {
        // PDF producers name the glyph at 0xAD "minus" or "hyphen", and the one at 0xB7
        // "periodcentered"/bullet; 0xB5 is "mu", which some maps send to the Greek letter.
        '\u{2212}' => Some(0xAD),
        '\u{2219}' => Some(0xB7),
        '\u{03BC}' => Some(0xB5),
        _ => CP1252_80
            .iter()
            .position(|&x| x == c)
            .map(|i| 0x80 + i as u8),
    }
}

/// TCVN3 (ABC) bytes 0xA0–0xFF, lower-case (`.VnTime`) fonts.
///
/// 0xA1–0xA7 are the only capitals an ABC font has (Ă Â Ê Ô Ơ Ư Đ); the handful of toned
/// capitals at 0xAF, 0xBA, 0xBF, 0xC0–0xC5, 0xCD, 0xD9–0xDB, 0xE0, 0xF0, 0xFF are where
/// TCVN 5712 VN1 puts them, and 0xB0–0xB4 are VN1's combining tone marks.
#[rustfmt::skip]
pub(crate) const TCVN3_HIGH: [char; 96] = [
    // 0xA0
    '\u{A0}', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ',
    // 0xB0
    '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}', 'à', 'ả', 'ã', 'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ',
    // 0xC0
    'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ',
    // 0xD0
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò',
    // 0xE0
    'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
    // 0xF0
    'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố',
];

const fn build_tcvn3(capitals: bool) -> [char; 256] {
    let mut t = ['\0'; 256];
    let mut b = 0;
    while b < 256 {
        // Below 0xA0 an ABC font draws what Windows-1252 puts there (ASCII, curly quotes,
        // dashes): VN1's capitals in the C0/C1 ranges never made it into the ABC fonts.
        let c = if b < 0xA0 {
            cp1252_char(b as u8)
        } else {
            TCVN3_HIGH[b - 0xA0]
        };
        t[b] = if capitals && b != 0xA0 {
            vi_upper(c)
        } else {
            c
        };
        b += 1;
    }
    t
}

/// Byte → character for `.VnTime`-style fonts.
pub(crate) const TCVN3_LOWER_FONT: [char; 256] = build_tcvn3(false);
/// Byte → character for `.VnTimeH`-style fonts: the same codes drawn as capitals.
pub(crate) const TCVN3_CAPITAL_FONT: [char; 256] = build_tcvn3(true);

/// What a VNI byte means when it follows a vowel: a vowel-quality change and/or a tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VniMark {
    pub(crate) quality: Quality,
    pub(crate) tone: Tone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quality {
    None,
    Circumflex,
    Breve,
}

/// VNI modifier bytes. Upper-case text uses the same marks 0x20 lower (À–Ü), so both halves
/// are listed; the decoder takes the letter case from the base, not from the mark.
pub(crate) const fn vni_mark(b: u8) -> Option<VniMark> {
    use Quality::{Breve as B, Circumflex as C, None as N};
    if b < 0xC0 {
        return None;
    }
    let (quality, tone) = match b | 0x20 {
        0xF9 => (N, Tone::Acute), // ù Ù
        0xF8 => (N, Tone::Grave), // ø Ø
        0xFB => (N, Tone::Hook),  // û Û
        0xF5 => (N, Tone::Tilde), // õ Õ
        0xEF => (N, Tone::Dot),   // ï Ï
        0xE2 => (C, Tone::Level), // â Â
        0xE1 => (C, Tone::Acute), // á Á
        0xE0 => (C, Tone::Grave), // à À
        0xE5 => (C, Tone::Hook),  // å Å
        0xE3 => (C, Tone::Tilde), // ã Ã
        0xE4 => (C, Tone::Dot),   // ä Ä
        0xEA => (B, Tone::Level), // ê Ê
        0xE9 => (B, Tone::Acute), // é É
        0xE8 => (B, Tone::Grave), // è È
        0xFA => (B, Tone::Hook),  // ú Ú
        0xFC => (B, Tone::Tilde), // ü Ü
        0xEB => (B, Tone::Dot),   // ë Ë
        _ => return None,
    };
    Some(VniMark { quality, tone })
}

/// VNI bytes that start a vowel which marks may follow: the ASCII vowels plus the single-byte
/// ơ (ô/Ô) and ư (ö/Ö). Returns the vowel row and whether it is a capital.
pub(crate) const fn vni_base(b: u8) -> Option<(u8, bool)> {
    let v = match b | 0x20 {
        b'a' => V_A,
        b'e' => V_E,
        b'i' => V_I,
        b'o' => V_O,
        b'u' => V_U,
        b'y' => V_Y,
        0xF4 => V_O_HORN,
        0xF6 => V_U_HORN,
        _ => return None,
    };
    if b < 0x41 || (b > 0x7A && b < 0xC0) {
        return None;
    }
    Some((v, b & 0x20 == 0))
}

/// VNI letters stored in one byte: đ, and the i's (the i glyph has no room for a floating mark).
pub(crate) const fn vni_single(b: u8) -> Option<char> {
    Some(match b {
        0xF1 => 'đ',
        0xD1 => 'Đ',
        0xEC => 'ì',
        0xCC => 'Ì',
        0xED => 'í',
        0xCD => 'Í',
        0xE6 => 'ỉ',
        0xC6 => 'Ỉ',
        0xF3 => 'ĩ',
        0xD3 => 'Ĩ',
        0xF2 => 'ị',
        0xD2 => 'Ị',
        _ => return None,
    })
}

/// The combining character for a tone, used only for marks that follow no vowel.
pub(crate) const fn combining_tone(t: Tone) -> Option<char> {
    match t {
        Tone::Level => None,
        Tone::Grave => Some('\u{300}'),
        Tone::Hook => Some('\u{309}'),
        Tone::Tilde => Some('\u{303}'),
        Tone::Acute => Some('\u{301}'),
        Tone::Dot => Some('\u{323}'),
    }
}

/// The combining character for a vowel quality (see [`combining_tone`]).
pub(crate) const fn combining_quality(q: Quality) -> Option<char> {
    match q {
        Quality::None => None,
        Quality::Circumflex => Some('\u{302}'),
        Quality::Breve => Some('\u{306}'),
    }
}

/// The vowel row after applying a quality change, when Vietnamese has that letter.
pub(crate) const fn with_quality(v: u8, q: Quality) -> Option<u8> {
    match (v, q) {
        (v, Quality::None) => Some(v),
        (V_A, Quality::Circumflex) => Some(V_A_CIRC),
        (V_A, Quality::Breve) => Some(V_A_BREVE),
        (V_E, Quality::Circumflex) => Some(V_E_CIRC),
        (V_O, Quality::Circumflex) => Some(V_O_CIRC),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{python_pairs, read_shared, TCVN3_GRID};
    use super::*;

    #[test]
    fn vowel_table_is_consistent_with_case_and_lookup() {
        for (row, tones) in VOWELS.iter().enumerate() {
            for (col, &c) in tones.iter().enumerate() {
                let (r, t) = vowel_of(c).unwrap();
                assert_eq!((r as usize, t as usize), (row, col), "{c}");
                let up = vi_upper(c);
                assert_eq!(up.to_string(), c.to_uppercase().to_string(), "{c}");
                assert_eq!(vi_lower(up), c);
            }
        }
        for c in ['đ', 'b', 'z'] {
            assert_eq!(vi_upper(c).to_string(), c.to_uppercase().to_string());
            assert_eq!(vi_lower(vi_upper(c)), c);
        }
    }

    #[test]
    fn cp1252_round_trips_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(byte_of_char(cp1252_char(b)), Some(b), "{b:#x}");
        }
        let cases = [
            ('\u{2212}', 0xAD),
            ('\u{2219}', 0xB7),
            ('µ', 0xB5),
            ('“', 0x93),
        ];
        for (c, b) in cases {
            assert_eq!(byte_of_char(c), Some(b), "{c}");
        }
        assert_eq!(byte_of_char('ư'), None);
    }

    #[test]
    fn tcvn3_table_matches_the_grid() {
        for (row, (base, bytes)) in TCVN3_GRID.iter().enumerate() {
            assert_eq!(VOWELS[row][0], *base);
            for (col, &b) in bytes.iter().enumerate() {
                assert_eq!(TCVN3_LOWER_FONT[b as usize], VOWELS[row][col + 1], "{b:#x}");
                assert_eq!(
                    TCVN3_CAPITAL_FONT[b as usize],
                    vi_upper(VOWELS[row][col + 1]),
                    "{b:#x}"
                );
            }
        }
        let bare = [
            (0xA8, 'ă'),
            (0xA9, 'â'),
            (0xAA, 'ê'),
            (0xAB, 'ô'),
            (0xAC, 'ơ'),
            (0xAD, 'ư'),
            (0xAE, 'đ'),
            (0xA1, 'Ă'),
            (0xA2, 'Â'),
            (0xA3, 'Ê'),
            (0xA4, 'Ô'),
            (0xA5, 'Ơ'),
            (0xA6, 'Ư'),
            (0xA7, 'Đ'),
        ];
        for (b, c) in bare {
            assert_eq!(TCVN3_LOWER_FONT[b], c);
        }
        assert_eq!(TCVN3_CAPITAL_FONT[b'a' as usize], 'A');
        assert_eq!(TCVN3_CAPITAL_FONT[0x93], '“');
    }

    /// glibc's TCVN5712-1 charmap (VN1) must agree with every byte from 0xA0 up.
    #[test]
    fn tcvn3_table_matches_glibc_charmap() {
        let Some(text) = read_shared("legacy/tables/glibc-charmaps/TCVN5712-1") else {
            return;
        };
        let mut checked = 0;
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let (Some(ucs), Some(bytes)) = (parts.next(), parts.next()) else {
                continue;
            };
            let (Some(hex), Some(b)) = (
                ucs.strip_prefix("<U").and_then(|s| s.strip_suffix('>')),
                bytes.strip_prefix("/x"),
            ) else {
                continue;
            };
            let Ok(b) = u8::from_str_radix(b, 16) else {
                continue; // two-byte sequences
            };
            let c = char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap();
            if b >= 0xA0 {
                assert_eq!(TCVN3_LOWER_FONT[b as usize], c, "byte {b:#x}");
                checked += 1;
            }
        }
        assert_eq!(checked, 96);
    }

    /// Every pair in viparse's TCVN3 table (surface character → letter) must decode the same.
    #[test]
    fn tcvn3_table_matches_viparse() {
        let Some(text) = read_shared("legacy/tables/viparse/tcvn3.py") else {
            return;
        };
        let pairs = python_pairs(&text);
        assert!(pairs.len() >= 70, "{}", pairs.len());
        for (from, to) in pairs {
            let mut chars = from.chars();
            let c = chars.next().unwrap();
            assert!(chars.next().is_none());
            let b = byte_of_char(c).unwrap();
            assert_eq!(TCVN3_LOWER_FONT[b as usize].to_string(), to, "{from:?}");
        }
    }

    #[test]
    fn vni_marks_pair_lower_and_upper() {
        for b in 0xE0..=0xFFu8 {
            assert_eq!(vni_mark(b), vni_mark(b - 0x20), "{b:#x}");
        }
        assert_eq!(vni_mark(b'a'), None);
        assert_eq!(vni_mark(0xA1), None);
        assert_eq!(vni_base(0xF4), Some((V_O_HORN, false)));
        assert_eq!(vni_base(0xD6), Some((V_U_HORN, true)));
        assert_eq!(vni_base(b'E'), Some((V_E, true)));
        assert_eq!(vni_base(0x81), None);
        // A byte is a mark, a base or a single letter, never two of these.
        for b in 0..=255u8 {
            let roles = [
                vni_mark(b).is_some(),
                vni_base(b).is_some(),
                vni_single(b).is_some(),
            ];
            assert!(roles.iter().filter(|&&r| r).count() <= 1, "{b:#x}");
        }
    }
}
