//! VNI-Windows: a vowel is a base byte followed by floating mark bytes.

use super::tables::{
    combining_quality, combining_tone, cp1252_char, vi_upper, vni_base, vni_mark, vni_single,
    with_quality, Quality, Tone, VOWELS,
};
use super::{push_passthrough, Unit};

/// Appends the text of `units` shown in a VNI font; returns whether the output may need NFC.
pub(crate) fn decode_units(
    units: impl Iterator<Item = Unit>,
    capitals: bool,
    out: &mut String,
) -> bool {
    let mut units = units.peekable();
    let mut needs_nfc = false;
    while let Some(unit) = units.next() {
        let b = match unit {
            Unit::Byte(b) => b,
            Unit::Char(c) => {
                needs_nfc |= push_passthrough(c, capitals, out);
                continue;
            }
        };
        if let Some((vowel, upper)) = vni_base(b) {
            let (mut quality, mut tone) = (Quality::None, Tone::Level);
            // One mark byte is the rule; a second is accepted when it adds what the first lacks
            // (a quality-only mark then a tone-only one), as some converters wrote them.
            for _ in 0..2 {
                let Some(&Unit::Byte(next)) = units.peek() else {
                    break;
                };
                let Some(mark) = vni_mark(next) else {
                    break;
                };
                let quality_free = mark.quality == Quality::None || quality == Quality::None;
                let tone_free = mark.tone == Tone::Level || tone == Tone::Level;
                if !(quality_free && tone_free) {
                    break;
                }
                if mark.quality != Quality::None {
                    quality = mark.quality;
                }
                if mark.tone != Tone::Level {
                    tone = mark.tone;
                }
                units.next();
            }
            let upper = upper || capitals;
            match with_quality(vowel, quality) {
                Some(v) => {
                    let c = VOWELS[usize::from(v)][tone as usize];
                    out.push(if upper { vi_upper(c) } else { c });
                }
                None => {
                    // Not a Vietnamese letter (say u + circumflex): draw what the font would.
                    let c = VOWELS[usize::from(vowel)][0];
                    out.push(if upper { vi_upper(c) } else { c });
                    out.extend(combining_quality(quality));
                    out.extend(combining_tone(tone));
                    needs_nfc = true;
                }
            }
        } else if let Some(mark) = vni_mark(b) {
            // A mark after no vowel still floats over whatever precedes it.
            out.extend(combining_quality(mark.quality));
            out.extend(combining_tone(mark.tone));
            needs_nfc = true;
        } else {
            let c = vni_single(b).unwrap_or_else(|| cp1252_char(b));
            out.push(if capitals { vi_upper(c) } else { c });
        }
    }
    needs_nfc
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{python_pairs, read_shared};
    use super::super::{convert_str, decode_bytes, LegacyEncoding, LegacyFont};

    const VNI: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Vni,
        capitals: false,
    };

    #[test]
    fn converts_text_read_as_latin1() {
        let cases = [
            ("Tröôøng ñaïi hoïc", "Trường đại học"),
            ("Ngöôøi höôùng daãn khoa hoïc", "Người hướng dẫn khoa học"),
            (
                "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
                "Cộng hòa xã hội chủ nghĩa Việt Nam",
            ),
            (
                "Ñoäc laäp - Töï do - Haïnh phuùc",
                "Độc lập - Tự do - Hạnh phúc",
            ),
            ("TRÖÔØNG ÑAÏI HOÏC", "TRƯỜNG ĐẠI HỌC"),
            ("VIEÄT NAM", "VIỆT NAM"),
            ("Ñaø Naüng, saün coù", "Đà Nẵng, sẵn có"),
            ("chaúng, ñaét, ñaèng, maëc", "chẳng, đắt, đằng, mặc"),
            (
                "cheát vì, chi phí, chæ, kyõ, bò",
                "chết vì, chi phí, chỉ, kỹ, bị",
            ),
            ("khuyeán khích", "khuyến khích"),
            ("thöïc hieän ñeà taøi", "thực hiện đề tài"),
            // Separate quality and tone marks, as some converters wrote them.
            ("a\u{E2}\u{F9}", "ấ"),
            // A mark with no vowel under it floats over the consonant.
            ("n\u{F9}", "ń"),
            ("“Ngöôøi”", "“Người”"),
        ];
        for (input, want) in cases {
            assert_eq!(convert_str(input, VNI), want, "{input:?}");
        }
    }

    #[test]
    fn decodes_raw_bytes() {
        assert_eq!(decode_bytes(b"Tr\xf6\xf4\xf8ng", VNI), "Trường");
        assert_eq!(decode_bytes(b"\xd1a\xefi", VNI), "Đại");
        let caps = LegacyFont {
            encoding: LegacyEncoding::Vni,
            capitals: true,
        };
        assert_eq!(decode_bytes(b"\xf1a\xefi ho\xefc", caps), "ĐẠI HỌC");
    }

    /// viparse's VNI table was derived from real documents; every entry must agree.
    #[test]
    fn agrees_with_viparse() {
        let Some(text) = read_shared("legacy/tables/viparse/vni.py") else {
            return;
        };
        let pairs = python_pairs(&text);
        assert!(pairs.len() > 120, "{}", pairs.len());
        for (from, to) in pairs {
            assert_eq!(convert_str(&from, VNI), to, "{from:?}");
        }
    }
}
