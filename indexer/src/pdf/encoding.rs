//! Simple-font encodings: the predefined base encodings, `/Differences`, the built-in encoding
//! of embedded Type 1 programs, and PDF text strings (PDFDocEncoding, UTF-16BE, UTF-8).

use super::glyphlist;

mod data {
    include!("data/encodings.rs");
}

/// A predefined single-byte encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    PdfDoc,
    Symbol,
    /// ZapfDingbats' own encoding: dingbats have no useful text, only the space survives.
    ZapfDingbats,
}

impl BaseEncoding {
    /// The encoding named by `/BaseEncoding` or `/Encoding`.
    pub(crate) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        Some(match name {
            b"StandardEncoding" => BaseEncoding::Standard,
            b"WinAnsiEncoding" => BaseEncoding::WinAnsi,
            b"MacRomanEncoding" | b"MacExpertEncoding" => BaseEncoding::MacRoman,
            b"PDFDocEncoding" => BaseEncoding::PdfDoc,
            b"SymbolEncoding" => BaseEncoding::Symbol,
            b"ZapfDingbatsEncoding" => BaseEncoding::ZapfDingbats,
            _ => return None,
        })
    }

    /// The character of a code, if the encoding defines one.
    pub(crate) fn char(self, code: u8) -> Option<char> {
        let v = match self {
            BaseEncoding::Standard => data::STANDARD[code as usize],
            BaseEncoding::WinAnsi => data::WIN_ANSI[code as usize],
            BaseEncoding::MacRoman => data::MAC_ROMAN[code as usize],
            BaseEncoding::PdfDoc => data::PDF_DOC[code as usize],
            BaseEncoding::Symbol => data::SYMBOL[code as usize],
            BaseEncoding::ZapfDingbats => zapf_dingbats(code),
        };
        (v != 0).then(|| char::from_u32(u32::from(v))).flatten()
    }
}

/// The dingbats plotting and list code uses most (R draws points as ZapfDingbats `l`); the
/// rest of the font has no useful text.
fn zapf_dingbats(code: u8) -> u16 {
    match code {
        0x20 => 0x20,
        0x33 => 0x2713,
        0x34 => 0x2714,
        0x6C => 0x25CF,
        0x6D => 0x274D,
        0x6E => 0x25A0,
        0x6F => 0x274F,
        0x70 => 0x2750,
        0x71 => 0x2751,
        0x72 => 0x2752,
        0x73 => 0x25B2,
        0x74 => 0x25BC,
        0x75 => 0x25C6,
        0x76 => 0x2756,
        0x77 => 0x25D7,
        _ => 0,
    }
}

/// Per code, the text of a simple font before any ToUnicode map: base encoding overlaid with
/// `/Differences` (or a built-in encoding). Glyph names are resolved once, at font load.
#[derive(Debug, Clone)]
pub(crate) struct SimpleEncoding {
    /// Offsets into `text`: code `c` maps to `text[offs[c]..offs[c + 1]]`.
    offs: [u32; 257],
    text: String,
}

impl SimpleEncoding {
    /// Build from a base encoding and `(code, glyph name)` overrides.
    pub(crate) fn new(base: Option<BaseEncoding>, differences: &[(u8, &[u8])]) -> SimpleEncoding {
        let mut names: [Option<&[u8]>; 256] = [None; 256];
        for &(code, name) in differences {
            names[code as usize] = Some(name);
        }
        let mut offs = [0u32; 257];
        let mut text = String::new();
        for code in 0..256usize {
            offs[code] = text.len() as u32;
            match names[code] {
                Some(name) => {
                    if let Ok(name) = std::str::from_utf8(name) {
                        glyphlist::push_glyph_name(name, &mut text);
                    }
                }
                None => {
                    if let Some(c) = base.and_then(|b| b.char(code as u8)) {
                        text.push(c);
                    }
                }
            }
        }
        offs[256] = text.len() as u32;
        SimpleEncoding { offs, text }
    }

    /// Build by asking `f` for the text of each code.
    pub(crate) fn from_fn(mut f: impl FnMut(u8, &mut String)) -> SimpleEncoding {
        let mut offs = [0u32; 257];
        let mut text = String::new();
        for (code, off) in offs.iter_mut().take(256).enumerate() {
            *off = text.len() as u32;
            f(code as u8, &mut text);
        }
        offs[256] = text.len() as u32;
        SimpleEncoding { offs, text }
    }

    /// The text of a code (empty when unknown).
    pub(crate) fn get(&self, code: u8) -> &str {
        let c = code as usize;
        &self.text[self.offs[c] as usize..self.offs[c + 1] as usize]
    }
}

/// Parse `/Differences [ code /name /name code /name ... ]` into `(code, name)` pairs.
pub(crate) fn parse_differences(arr: &[lopdf::Object]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    let mut code: i64 = 0;
    for o in arr {
        match o {
            lopdf::Object::Integer(i) => code = *i,
            lopdf::Object::Real(r) => code = *r as i64,
            lopdf::Object::Name(n) => {
                if (0..256).contains(&code) {
                    out.push((code as u8, n.as_slice()));
                }
                code += 1;
            }
            _ => {}
        }
    }
    out
}

/// The built-in encoding of a Type 1 font program, from its clear-text header:
/// `/Encoding StandardEncoding def` or `/Encoding 256 array ... dup 65 /A put ... readonly def`.
/// `None` when the header says nothing usable.
pub(crate) fn type1_builtin_encoding(program: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let end = find(program, b"eexec")
        .unwrap_or(program.len())
        .min(1 << 20);
    let head = &program[..end];
    let pos = find(head, b"/Encoding")?;
    let rest = &head[pos + 9..];
    let rest_trim = rest.trim_ascii_start();
    if rest_trim.starts_with(b"StandardEncoding") {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    // Scan `dup <code> /<name> put` until the array is closed.
    while let Some(p) = find(&rest[i..], b"dup") {
        let mut j = i + p + 3;
        let before = &rest[i..i + p];
        if find(before, b"def").is_some() && !out.is_empty() {
            break;
        }
        while j < rest.len() && rest[j].is_ascii_whitespace() {
            j += 1;
        }
        let ns = j;
        while j < rest.len() && rest[j].is_ascii_digit() {
            j += 1;
        }
        let code: Option<u32> = std::str::from_utf8(&rest[ns..j])
            .ok()
            .and_then(|s| s.parse().ok());
        while j < rest.len() && rest[j].is_ascii_whitespace() {
            j += 1;
        }
        if let (Some(code), Some(b'/')) = (code, rest.get(j)) {
            j += 1;
            let s = j;
            while j < rest.len()
                && !rest[j].is_ascii_whitespace()
                && !b"/[]{}()<>".contains(&rest[j])
            {
                j += 1;
            }
            if code < 256 {
                out.push((code as u8, rest[s..j].to_vec()));
            }
        }
        i = j.max(i + p + 3);
    }
    (!out.is_empty()).then_some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decode a PDF text string (Info values, bookmarks): UTF-16BE or UTF-8 with a BOM, else
/// PDFDocEncoding.
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes
        .iter()
        .filter_map(|&b| BaseEncoding::PdfDoc.char(b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::Standard.char(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::Standard.char(0xAE), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x93), Some('\u{201C}'));
        assert_eq!(BaseEncoding::WinAnsi.char(0xE9), Some('é'));
        assert_eq!(BaseEncoding::MacRoman.char(0x8E), Some('é'));
        assert_eq!(BaseEncoding::PdfDoc.char(0x84), Some('\u{2014}'));
        assert_eq!(BaseEncoding::Symbol.char(0x61), Some('α'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x81), None);
        assert_eq!(BaseEncoding::ZapfDingbats.char(b'l'), Some('●'));
    }

    #[test]
    fn differences_override_base() {
        let arr = vec![
            lopdf::Object::Integer(65),
            lopdf::Object::Name(b"ohornacute".to_vec()),
            lopdf::Object::Name(b"g12".to_vec()),
            lopdf::Object::Integer(300),
            lopdf::Object::Name(b"x".to_vec()),
        ];
        let diffs = parse_differences(&arr);
        assert_eq!(diffs.len(), 2);
        let enc = SimpleEncoding::new(Some(BaseEncoding::WinAnsi), &diffs);
        assert_eq!(enc.get(65), "ớ");
        assert_eq!(enc.get(66), "");
        assert_eq!(enc.get(67), "C");
    }

    #[test]
    fn type1_header_encoding() {
        let prog = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 11 /ff put\ndup 65 /A put\nreadonly def\ncurrentfile eexec\x80\x81";
        let enc = type1_builtin_encoding(prog).unwrap();
        assert_eq!(enc, vec![(11, b"ff".to_vec()), (65, b"A".to_vec())]);
        assert!(type1_builtin_encoding(b"/Encoding StandardEncoding def eexec").is_none());
    }

    #[test]
    fn text_strings() {
        assert_eq!(decode_text_string(b"\xFE\xFF\x00T\x1E\xA1"), "Tạ");
        assert_eq!(decode_text_string(b"Caf\xE9 \x84"), "Café \u{2014}");
        assert_eq!(decode_text_string(b"\xEF\xBB\xBFvi\xE1\xBB\x87t"), "việt");
    }
}
