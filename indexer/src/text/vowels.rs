//! The Vietnamese vowel table: 12 vowel letters × 6 tones, lower and upper case.
//!
//! Written by hand because it is small, fixed by the orthography, and the hot paths (tone
//! placement, folding) need a lookup that does not decompose every character.

/// The six tones, in the conventional order. `Level` (ngang) carries no mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Level,
    Grave,
    Acute,
    Hook,
    Tilde,
    Dot,
}

impl Tone {
    const ALL: [Tone; 6] = [
        Tone::Level,
        Tone::Grave,
        Tone::Acute,
        Tone::Hook,
        Tone::Tilde,
        Tone::Dot,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// Rows: the 12 vowel letters; columns: the tones in [`Tone::ALL`] order.
const LOWER: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// The ASCII letter each row folds to when every diacritic is removed.
const ROW_ASCII: [char; 12] = ['a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'];

/// A Vietnamese vowel letter, decomposed into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vowel {
    /// Row in the table: the letter with its quality mark (ă, â, ê, ô, ơ, ư) but no tone.
    row: u8,
    pub tone: Tone,
    pub upper: bool,
}

impl Vowel {
    /// The letter without its tone, keeping the quality mark and case (`ộ` → `ô`).
    pub fn toneless(self) -> char {
        self.with_tone(Tone::Level)
    }

    /// The lower-case letter without its tone.
    pub fn toneless_lower(self) -> char {
        LOWER[self.row as usize][0]
    }

    /// The same letter and case carrying `tone`.
    pub fn with_tone(self, tone: Tone) -> char {
        let c = LOWER[self.row as usize][tone.index()];
        if self.upper {
            upper(c)
        } else {
            c
        }
    }

    /// The same letter and tone in lower case.
    pub fn lower(self) -> char {
        LOWER[self.row as usize][self.tone.index()]
    }

    /// The ASCII base letter, same case (`Ự` → `U`).
    pub fn ascii(self) -> char {
        let c = ROW_ASCII[self.row as usize];
        if self.upper {
            c.to_ascii_uppercase()
        } else {
            c
        }
    }
}

fn upper(c: char) -> char {
    // Every letter of the table has a one-character upper case.
    c.to_uppercase().next().unwrap_or(c)
}

/// Dense lookup tables over the two code-point ranges that hold every Vietnamese vowel:
/// U+00C0..U+01B0 (Latin-1 Supplement to Latin Extended-B: `à`, `ă`, `ơ`, `ư`...) and
/// U+1EA0..U+1EF9 (Latin Extended Additional: `ạ`, `ả`, `ấ`... `ỹ`). Built at compile time, so
/// a lookup on the tokenizer's hot path is one bounds check and one load.
const LOW_START: u32 = 0x00C0;
const LOW_END: u32 = 0x01B1;
const HIGH_START: u32 = 0x1EA0;
const HIGH_END: u32 = 0x1EFA;

/// Upper case of a table letter, computable at compile time: the Latin-1 letters sit 0x20
/// above their capitals, every other letter of the table directly follows its capital
/// (checked against `char::to_uppercase` in the tests).
const fn const_upper(cp: u32) -> u32 {
    if cp < 0x80 || (cp >= 0xE0 && cp <= 0xFE) {
        cp - 0x20
    } else {
        cp - 1
    }
}

const fn build<const N: usize>(start: u32) -> [Option<Vowel>; N] {
    let mut t = [None; N];
    let mut row = 0;
    while row < LOWER.len() {
        let mut tone = 0;
        while tone < 6 {
            let lower = LOWER[row][tone] as u32;
            let cases = [(lower, false), (const_upper(lower), true)];
            let mut k = 0;
            while k < 2 {
                let (cp, upper) = cases[k];
                if cp >= start && cp < start + N as u32 {
                    t[(cp - start) as usize] = Some(Vowel {
                        row: row as u8,
                        tone: Tone::ALL[tone],
                        upper,
                    });
                }
                k += 1;
            }
            tone += 1;
        }
        row += 1;
    }
    t
}

static LOW: [Option<Vowel>; (LOW_END - LOW_START) as usize] = build(LOW_START);
static HIGH: [Option<Vowel>; (HIGH_END - HIGH_START) as usize] = build(HIGH_START);

/// Looks up a (precomposed, NFC) Vietnamese vowel letter.
#[inline]
pub fn vowel(c: char) -> Option<Vowel> {
    let cp = c as u32;
    if cp < 0x80 {
        let lower = (cp as u8).to_ascii_lowercase();
        let row = match lower {
            b'a' => 0,
            b'e' => 3,
            b'i' => 5,
            b'o' => 6,
            b'u' => 9,
            b'y' => 11,
            _ => return None,
        };
        return Some(Vowel {
            row,
            tone: Tone::Level,
            upper: (cp as u8).is_ascii_uppercase(),
        });
    }
    non_ascii_vowel(cp)
}

/// [`vowel`] for the code point of a non-ASCII character, for callers that decode UTF-8
/// themselves.
#[inline]
pub fn non_ascii_vowel(cp: u32) -> Option<Vowel> {
    if let Some(&v) = LOW.get(cp.wrapping_sub(LOW_START) as usize) {
        v
    } else if let Some(&v) = HIGH.get(cp.wrapping_sub(HIGH_START) as usize) {
        v
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips_every_letter() {
        for row in LOWER {
            for c in row {
                let v = vowel(c).unwrap();
                assert_eq!(v.with_tone(v.tone), c);
                let u = upper(c);
                let vu = vowel(u).unwrap();
                assert!(vu.upper);
                assert_eq!(vu.with_tone(vu.tone), u);
            }
        }
        assert_eq!(vowel('ộ').unwrap().toneless(), 'ô');
        assert_eq!(vowel('Ự').unwrap().ascii(), 'U');
        assert_eq!(vowel('ỷ').unwrap().tone, Tone::Hook);
        assert!(vowel('đ').is_none());
        assert!(vowel('b').is_none());
    }

    #[test]
    fn compile_time_upper_case_agrees_with_unicode() {
        for row in LOWER {
            for c in row {
                assert_eq!(char::from_u32(const_upper(c as u32)), Some(upper(c)), "{c}");
            }
        }
        let vowels = (0..0x2000u32)
            .filter_map(char::from_u32)
            .filter(|&c| vowel(c).is_some())
            .count();
        assert_eq!(
            vowels,
            12 * 6 * 2,
            "every letter in both cases, nothing else"
        );
    }
}
