//! Legacy 8-bit Vietnamese fonts (TCVN3 and VNI) → Unicode.
//!
//! Before Unicode, Vietnamese documents were typed in fonts that put Vietnamese glyphs on the
//! code points of an ordinary 8-bit font. PDFs made from such documents (still common for older
//! theses and official papers) carry those 8-bit codes, usually with a WinAnsi encoding and no
//! ToUnicode map, so text extraction shows Latin-1 / Windows-1252 garbage.
//!
//! - **TCVN3** (also ABC, TCVN 5712:1993 VN3), fonts `.VnTime`, `.VnArial`, `.VnAvant`...: one
//!   byte per letter, lower-case letters in 0xA8–0xFE, only Ă Â Ê Ô Ơ Ư Đ as capitals (0xA1–0xA7).
//!   `Trường đại học` reads `Tr−êng ®¹i häc` (byte 0xAD, ư, is a soft hyphen in Latin-1 and
//!   usually surfaces as U+2212 `−` from PDF maps).
//!   Capitals come from separate fonts whose name ends in `H` (`.VnTimeH`, `.VnAvantH`): they
//!   draw every letter code, ASCII included, as a capital. Nothing in the codes tells the two apart:
//!   a `.VnAvantH` heading extracts as `TR¦êNG §¹I HäC` and is upper-cased after decoding.
//! - **VNI** (VNI-Windows), fonts `VNI-Times`, `VNI-Helve`...: a vowel is its ASCII letter
//!   followed by a mark byte that draws circumflex/breve and/or tone (`Tröôøng ñaïi hoïc`),
//!   with capitals using the capital mark bytes (0x20 lower); đ, ơ, ư and the toned i's are
//!   single bytes.
//!
//! When the font is known (PDF `BaseFont`, see [`font_encoding`]), decode the shown bytes with
//! [`decode_bytes`], or repair already-extracted text with [`convert_str`]. Without font
//! information, [`detect()`] recognises legacy text from its statistics (decoded words must be
//! Vietnamese syllables where the Latin-1 reading is not) and [`repair`] converts the lines that
//! need it. All output is NFC.

mod detect;
mod font;
mod syllable;
mod tables;
mod tcvn3;
#[cfg(test)]
mod test_support;
mod vni;

pub use detect::{detect, repair, Detection};
pub use font::font_encoding;
/// Also what tells a query typed without diacritics in Vietnamese from one in English.
pub use syllable::{is_plausible_folded_syllable, is_plausible_syllable};

use unicode_normalization::UnicodeNormalization;

/// Which legacy 8-bit Vietnamese encoding a font uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyEncoding {
    /// TCVN3 / ABC (`.VnTime`, `.VnArial`...): one byte per letter.
    Tcvn3,
    /// VNI-Windows (`VNI-Times`...): base letter followed by mark bytes.
    Vni,
}

/// A legacy font: its encoding, and whether it draws every letter as a capital (`.VnTimeH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LegacyFont {
    pub encoding: LegacyEncoding,
    pub capitals: bool,
}

/// One input unit for the decoders: a byte shown in the legacy font, or a character that no byte
/// produces (text around a legacy run), which passes through.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Unit {
    Byte(u8),
    Char(char),
}

/// Convert raw 8-bit character codes (as they appear in a PDF string shown in that font) to
/// Unicode NFC.
///
/// Prefer whole strings to single codes: a VNI mark byte decoded on its own comes out as a
/// combining mark, which is only right again once the joined text is NFC-normalised.
pub fn decode_bytes(bytes: &[u8], font: LegacyFont) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let needs_nfc = decode_into(bytes.iter().map(|&b| Unit::Byte(b)), font, &mut out);
    finish(out, needs_nfc)
}

/// Convert text that was mis-decoded as Latin-1 / Windows-1252 (or with the typical U+2212 for
/// 0xAD etc.) back to bytes and then to proper Vietnamese Unicode.
///
/// Characters no byte decodes to (real Unicode letters, CJK...) are kept as they are.
pub fn convert_str(text: &str, font: LegacyFont) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let units = text.chars().map(|c| match tables::byte_of_char(c) {
        Some(b) => Unit::Byte(b),
        None => Unit::Char(c),
    });
    let needs_nfc = decode_into(units, font, &mut out);
    finish(out, needs_nfc)
}

fn decode_into(units: impl Iterator<Item = Unit>, font: LegacyFont, out: &mut String) -> bool {
    match font.encoding {
        LegacyEncoding::Tcvn3 => tcvn3::decode_units(units, font.capitals, out),
        LegacyEncoding::Vni => vni::decode_units(units, font.capitals, out),
    }
}

/// Pushes a character no legacy byte produced; returns whether it may break NFC.
pub(crate) fn push_passthrough(c: char, capitals: bool, out: &mut String) -> bool {
    if capitals {
        out.extend(c.to_uppercase());
    } else {
        out.push(c);
    }
    !c.is_ascii()
}

fn finish(out: String, needs_nfc: bool) -> String {
    if needs_nfc && !unicode_normalization::is_nfc(&out) {
        out.nfc().collect()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{
        as_cp1252, encode_tcvn3, encode_tcvn3_capitals, encode_vni, vietnamese_sentences,
    };
    use super::*;

    const TCVN3: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Tcvn3,
        capitals: false,
    };
    const TCVN3_CAPS: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Tcvn3,
        capitals: true,
    };
    const VNI: LegacyFont = LegacyFont {
        encoding: LegacyEncoding::Vni,
        capitals: false,
    };

    /// Real sentences (VTB treebank, d2l-vi) embedded so the round trips run without `shared/`.
    const SENTENCES: [&str; 8] = [
        "Trả lời phỏng vấn , ông Lộc nói : bán đất với giá không được ủy ban tỉnh phê duyệt là không thể chấp nhận được .",
        "Họ đưa chúng tôi đến khu vực công trường bên cạnh khu rừng , nơi không có bóng dáng người dân .",
        "Công trình đường Trương Định nối dài vừa xây dựng khoảng hơn hai tuần nay do công ty chi nhánh Bạch Đằng thi công .",
        "Luận văn này được hoàn thành tại Trường Đại học Công nghệ Thông tin và Truyền thông.",
        "Xin chân thành cảm ơn anh chị em học viên cao học và bạn bè đồng nghiệp đã trao đổi, khích lệ tác giả.",
        "Trong những năm gần đây, học sâu đã tạo nên những đột phá “ngoạn mục” – từ thị giác máy tính đến xử lý ngôn ngữ tự nhiên.",
        "Khuỷu tay, khuya khoắt, nghiêng ngả, quyết định, giữ gìn, hươu nai, thuở ấy, xoong nồi, huỳnh quang, khuếch đại.",
        "Chẳng hạn, mẫu số chung nhỏ nhất của 3 và 6 là 6; sẵn sàng, Đà Nẵng, ẩn ý, ẵm bồng, ỷ lại, ỹ, ỵ.",
    ];

    /// decode(encode(s)) == s, through raw bytes and through the Latin-1 reading, for every
    /// sentence the encoding can write. Returns how many sentences were covered.
    fn round_trip(sentences: &[String]) -> [usize; 3] {
        let mut covered = [0; 3];
        for s in sentences {
            if let Some(bytes) = encode_tcvn3(s) {
                covered[0] += 1;
                assert_eq!(decode_bytes(&bytes, TCVN3), *s);
                let latin1 = as_cp1252(&bytes);
                assert_eq!(convert_str(&latin1, TCVN3), *s);
                // The PDF ToUnicode flavour: ư as U+2212 MINUS SIGN.
                let minus = latin1.replace('\u{AD}', "\u{2212}");
                assert_eq!(convert_str(&minus, TCVN3), *s);
            }
            let upper = s.to_uppercase();
            if let Some(bytes) = encode_tcvn3_capitals(&upper) {
                covered[1] += 1;
                assert_eq!(decode_bytes(&bytes, TCVN3_CAPS), upper);
                // Capital fonts draw lower-case ASCII as capitals too.
                let typed_lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
                assert_eq!(decode_bytes(&typed_lower, TCVN3_CAPS), upper);
                assert_eq!(convert_str(&as_cp1252(&bytes), TCVN3_CAPS), upper);
            }
            if let Some(bytes) = encode_vni(s) {
                covered[2] += 1;
                assert_eq!(decode_bytes(&bytes, VNI), *s);
                assert_eq!(convert_str(&as_cp1252(&bytes), VNI), *s);
            }
        }
        covered
    }

    #[test]
    fn round_trips_embedded_sentences() {
        let sentences: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
        assert_eq!(round_trip(&sentences), [8, 8, 8]);
    }

    #[test]
    fn round_trips_real_sentences_from_shared() {
        let sentences = vietnamese_sentences();
        if sentences.is_empty() {
            eprintln!("skipping: no sentences under shared/");
            return;
        }
        let covered = round_trip(&sentences);
        eprintln!("{} sentences, covered {covered:?}", sentences.len());
        assert!(covered.iter().all(|&n| n > 5000), "{covered:?}");
    }

    #[test]
    fn output_is_nfc_even_for_odd_input() {
        let cases = [
            (&b"a\xb3 e\xb0"[..], TCVN3, "á è"),
            (&b"\xb3x"[..], TCVN3, "\u{301}x"),
            (&b"u\xe2"[..], VNI, "û"),
            (&b"\xe1"[..], VNI, "\u{302}\u{301}"),
        ];
        for (bytes, font, want) in cases {
            let got = decode_bytes(bytes, font);
            assert_eq!(got, want, "{bytes:?}");
            assert!(unicode_normalization::is_nfc(&got));
        }
        // Decomposed Unicode passed through convert_str comes out composed.
        assert_eq!(convert_str("Vie\u{302}\u{323}t", TCVN3), "Việt");
    }
}
