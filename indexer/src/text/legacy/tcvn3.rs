//! TCVN3 (ABC): one byte per letter, so decoding is a table lookup.

use super::tables::{TCVN3_CAPITAL_FONT, TCVN3_LOWER_FONT};
use super::{push_passthrough, Unit};

/// Appends the text of `units` shown in a TCVN3 font; returns whether the output may need NFC
/// (combining tone marks 0xB0–0xB4, or foreign characters passed through).
pub(crate) fn decode_units(
    units: impl Iterator<Item = Unit>,
    capitals: bool,
    out: &mut String,
) -> bool {
    let table = if capitals {
        &TCVN3_CAPITAL_FONT
    } else {
        &TCVN3_LOWER_FONT
    };
    let mut needs_nfc = false;
    for unit in units {
        match unit {
            Unit::Byte(b) => {
                needs_nfc |= (0xB0..=0xB4).contains(&b);
                out.push(table[usize::from(b)]);
            }
            Unit::Char(c) => needs_nfc |= push_passthrough(c, capitals, out),
        }
    }
    needs_nfc
}

#[cfg(test)]
mod tests {
    use super::super::{convert_str, decode_bytes, LegacyEncoding, LegacyFont};

    const LOWER: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Tcvn3,
        capitals: false,
    };
    const CAPS: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Tcvn3,
        capitals: true,
    };

    #[test]
    fn converts_text_read_as_latin1() {
        let cases = [
            ("Tr−êng ®¹i häc", "Trường đại học"),
            ("Ng−êi h−íng dÉn khoa häc", "Người hướng dẫn khoa học"),
            // U+00AD is how a plain Latin-1 decoder shows ư; U+2219 is a PDF map's ã.
            ("Tr\u{AD}êng", "Trường"),
            ("nh\u{2219} n\u{2212}íc", "nhã nước"),
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
                "Cộng hoà xã hội chủ nghĩa Việt Nam",
            ),
            ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
            ("C¨n cø NghÞ ®Þnh sè", "Căn cứ Nghị định số"),
            ("“Ph©n lo¹i ¶nh”", "“Phân loại ảnh”"),
            // VN1's combining marks compose with the letter before them.
            ("a\u{B3}", "á"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(convert_str(input, LOWER), want, "{input:?}");
        }
    }

    /// The `.VnAvantH` heading of klaa+luan_van__tk.pdf exactly as `pdftotext` prints it.
    #[test]
    fn converts_capital_font_headings() {
        let cases = [
            (
                "TR¦êNG §¹I HäC C¤NG NGHÖ TH¤NG TIN Vµ TRUYÒN TH¤NG",
                "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG",
            ),
            // An H font draws lower-case ASCII as capitals too.
            ("Tr−êng ®¹i häc", "TRƯỜNG ĐẠI HỌC"),
            ("luËn v¨n th¹c sÜ", "LUẬN VĂN THẠC SĨ"),
        ];
        for (input, want) in cases {
            assert_eq!(convert_str(input, CAPS), want, "{input:?}");
        }
    }

    #[test]
    fn decodes_raw_bytes() {
        let cases: [(&[u8], LegacyFont, &str); 4] = [
            (b"Tr\xad\xeang", LOWER, "Trường"),
            (b"\xa7\xb9i h\xe4c", LOWER, "Đại học"),
            (b"\xa7\xb9i h\xe4c", CAPS, "ĐẠI HỌC"),
            (b"\x93a\x94 \x96 b", LOWER, "“a” – b"),
        ];
        for (bytes, font, want) in cases {
            assert_eq!(decode_bytes(bytes, font), want, "{bytes:?}");
        }
    }
}
