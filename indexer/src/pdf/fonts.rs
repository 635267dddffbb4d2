//! Fonts as the text extractor needs them: how a string splits into codes, the Unicode text and
//! the advance width of each code, plus a few style facts (bold, vertical writing).
//!
//! Decoding priority per code: a legacy Vietnamese decoder for TCVN3/VNI fonts, then
//! `/ToUnicode`, then the font's encoding (`/Encoding`, `/Differences`, the Type 1 program's
//! built-in encoding, predefined Unicode CMaps). Fonts are parsed once per document and shared.

use std::cell::RefCell;
use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cff;
use super::cmap::{self, CidMap, CodeSpace, ToUnicode};
use super::encoding::{self, BaseEncoding, SimpleEncoding};
use super::legacy::{self, Legacy};
use super::metrics::StandardMetrics;
use super::obj;

/// How many `usecmap` levels are followed.
const MAX_USECMAP_DEPTH: usize = 4;

/// Per code, the converted text of a legacy CID font.
type LegacyMemo = RefCell<HashMap<u32, Box<str>>>;

// One value per font, not per glyph: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Codes {
    /// One byte per code; text per code resolved at load.
    Simple {
        table: Box<SimpleEncoding>,
        widths: Box<[f32; 256]>,
    },
    /// Multi-byte codes through a CMap.
    Cid {
        codespace: CodeSpace,
        cids: CidSource,
        to_unicode: Option<ToUnicode>,
        /// Sorted (first CID, last CID, width).
        widths: Vec<(u32, u32, f32)>,
        default_width: f32,
        /// Legacy CID fonts: ToUnicode output converted once per code.
        legacy: Option<(Legacy, LegacyMemo)>,
    },
}

#[derive(Debug)]
enum CidSource {
    Identity,
    /// Predefined Unicode CMaps (`UniGB-UCS2-H`...): the code is the UTF-16 value.
    Ucs2,
    Map(CidMap),
    /// A predefined CMap we do not ship: CIDs unknown, ToUnicode (if any) does the work.
    Unknown,
}

/// A parsed font.
#[derive(Debug)]
pub(crate) struct Font {
    pub(crate) bold: bool,
    pub(crate) vertical: bool,
    /// Glyph space to text space for widths (0.001, or a Type 3 font's FontMatrix).
    width_scale: f32,
    /// Type 3 fonts: how much bigger than the nominal size the glyphs are drawn.
    pub(crate) size_scale: f32,
    codes: Codes,
}

impl Font {
    /// The next code in `bytes` (non-empty) and its length in bytes.
    #[inline]
    pub(crate) fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        match &self.codes {
            Codes::Simple { .. } => (u32::from(bytes[0]), 1),
            Codes::Cid { codespace, .. } => codespace.next_code(bytes),
        }
    }

    /// Append the text of `code` to `out`.
    #[inline]
    pub(crate) fn push_text(&self, code: u32, out: &mut String) {
        match &self.codes {
            Codes::Simple { table, .. } => out.push_str(table.get(code as u8)),
            Codes::Cid {
                to_unicode,
                cids,
                legacy,
                ..
            } => {
                if let Some((lf, memo)) = legacy {
                    let mut memo = memo.borrow_mut();
                    let s = memo.entry(code).or_insert_with(|| {
                        let mut raw = String::new();
                        if let Some(tu) = to_unicode {
                            tu.push(code, &mut raw);
                        }
                        legacy::convert_str(&raw, *lf).into_boxed_str()
                    });
                    out.push_str(s);
                    return;
                }
                if let Some(tu) = to_unicode {
                    if tu.push(code, out) {
                        return;
                    }
                }
                if let CidSource::Ucs2 = cids {
                    if let Some(c) = char::from_u32(code) {
                        out.push(c);
                    }
                }
            }
        }
    }

    /// Advance of `code` in text space units per unit of font size.
    #[inline]
    pub(crate) fn width(&self, code: u32) -> f32 {
        let w = match &self.codes {
            Codes::Simple { widths, .. } => widths[(code & 0xFF) as usize],
            Codes::Cid {
                cids,
                widths,
                default_width,
                ..
            } => {
                let cid = match cids {
                    CidSource::Identity | CidSource::Ucs2 | CidSource::Unknown => Some(code),
                    CidSource::Map(m) => m.cid(code),
                };
                match cid {
                    Some(cid) => {
                        let i = widths.partition_point(|r| r.0 <= cid);
                        if i > 0 && cid <= widths[i - 1].1 {
                            widths[i - 1].2
                        } else {
                            *default_width
                        }
                    }
                    None => *default_width,
                }
            }
        };
        w * self.width_scale
    }

    /// Whether word spacing (`Tw`) applies: single-byte code 32 only.
    #[inline]
    pub(crate) fn is_word_space(&self, code: u32, len: usize) -> bool {
        code == 32 && len == 1
    }

    /// A stand-in for text drawn without a font (broken files): Helvetica-like, standard encoding.
    pub(crate) fn fallback() -> Font {
        let table = SimpleEncoding::new(Some(BaseEncoding::Standard), &[]);
        let metrics = StandardMetrics::for_font("Helvetica");
        let mut widths = Box::new([0f32; 256]);
        for (c, w) in widths.iter_mut().enumerate() {
            *w = metrics.width(c as u8, table.get(c as u8).chars().next());
        }
        Font {
            bold: false,
            vertical: false,
            width_scale: 0.001,
            size_scale: 1.0,
            codes: Codes::Simple {
                table: Box::new(table),
                widths,
            },
        }
    }
}

/// Parse a font dictionary. Never fails: what cannot be read degrades to less text.
pub(crate) fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
    let subtype = obj::get_name(doc, dict, b"Subtype").unwrap_or(b"Type1");
    let name = obj::get_name(doc, dict, b"BaseFont")
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let to_unicode = obj::get_stream(doc, dict, b"ToUnicode")
        .and_then(|s| obj::stream_data(s, limit).ok())
        .map(|data| cmap::parse(&data).to_unicode)
        .filter(|m| !m.is_empty());
    let legacy = legacy::detect(&name);

    if subtype == b"Type0" {
        return load_type0(doc, dict, name, to_unicode, legacy, limit);
    }

    let descriptor = obj::get_dict(doc, dict, b"FontDescriptor");
    let bold = is_bold(&name, doc, descriptor);
    let is_type3 = subtype == b"Type3";
    let fm = is_type3.then(|| {
        obj::get_array(doc, dict, b"FontMatrix")
            .map(|a| obj::nums(doc, a))
            .filter(|v| v.len() == 6 && v.iter().all(|x| x.is_finite()))
            .unwrap_or_else(|| vec![0.001, 0.0, 0.0, 0.001, 0.0, 0.0])
    });
    let width_scale = match &fm {
        Some(fm) if fm[0].abs() > 1e-9 => fm[0].abs(),
        _ => 0.001,
    };

    // Encoding: base, differences, built-in.
    let mut base: Option<BaseEncoding> = None;
    let mut diffs: Vec<(u8, &[u8])> = Vec::new();
    let mut has_base_name = false;
    match obj::get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            base = BaseEncoding::from_name(n);
            has_base_name = base.is_some();
        }
        Some(Object::Dictionary(d)) => {
            if let Some(n) = obj::get_name(doc, d, b"BaseEncoding") {
                base = BaseEncoding::from_name(n);
                has_base_name = base.is_some();
            }
            if let Some(a) = obj::get_array(doc, d, b"Differences") {
                diffs = encoding::parse_differences(a);
            }
        }
        _ => {}
    }
    let plain = name.split_once('+').map_or(name.as_str(), |(_, n)| n);
    let builtin: Option<Vec<(u8, Vec<u8>)>> = if !has_base_name && !is_type3 && to_unicode.is_none()
    {
        let ff = descriptor.and_then(|d| obj::get_stream(doc, d, b"FontFile"));
        let ff3 = descriptor
            .and_then(|d| obj::get_stream(doc, d, b"FontFile3"))
            .filter(|s| obj::get_name(doc, &s.dict, b"Subtype") == Some(b"Type1C"));
        if let Some(s) = ff {
            obj::stream_data(s, limit)
                .ok()
                .and_then(|prog| encoding::type1_builtin_encoding(&prog))
        } else if let Some(s) = ff3 {
            obj::stream_data(s, limit)
                .ok()
                .and_then(|prog| cff::builtin_encoding(&prog))
        } else {
            None
        }
    } else {
        None
    };
    // Code-named glyphs (`/a65` at code 65, as dvips writes Type 3 fonts) carry their code.
    // TeX keeps the f ligatures at 11 to 15 in its OT1 fonts (Computer Modern) and at 27 to 31
    // in T1 ones (EC, cm-super), where OT1 has æ, œ, ø; a font that uses 11 to 15 is OT1.
    let code_named = |c: u8, n: &[u8]| n.ends_with(c.to_string().as_bytes());
    let ligatures_at = if diffs
        .iter()
        .any(|&(c, n)| (11..=15).contains(&c) && code_named(c, n))
    {
        11
    } else {
        27
    };
    let numeric: Vec<(u8, Vec<u8>)> = diffs
        .iter()
        .filter_map(|&(code, name)| numeric_name(code, name, ligatures_at).map(|n| (code, n)))
        .collect();
    for (code, n) in &numeric {
        if let Some(d) = diffs.iter_mut().find(|d| d.0 == *code) {
            d.1 = n.as_slice();
        }
    }
    if !has_base_name {
        base = Some(if plain.starts_with("Symbol") {
            BaseEncoding::Symbol
        } else if plain.starts_with("ZapfDingbats") || plain.contains("Dingbats") {
            BaseEncoding::ZapfDingbats
        } else if subtype == b"TrueType" {
            BaseEncoding::WinAnsi
        } else {
            BaseEncoding::Standard
        });
    }
    let enc = match &builtin {
        Some(b) => {
            let mut all: Vec<(u8, &[u8])> = b.iter().map(|(c, n)| (*c, n.as_slice())).collect();
            all.extend_from_slice(&diffs);
            SimpleEncoding::new(if b.len() >= 32 { None } else { base }, &all)
        }
        None => SimpleEncoding::new(base, &diffs),
    };

    // A glyph name that means nothing (`/BC`, `/a12`, TeX's `/summationtext`): poppler then
    // shows the code itself, which for TeX and many subset fonts is right for letters and
    // digits. Type 3 names are so often meaningless that this holds for every Type 3 font.
    let unknown_name = || {
        let names = builtin.iter().flatten().map(|(_, n)| n.as_slice());
        names.chain(diffs.iter().map(|d| d.1)).any(|n| {
            n != b".notdef"
                && std::str::from_utf8(n).map_or(true, |n| {
                    !super::glyphlist::push_glyph_name(n, &mut String::new())
                })
        })
    };
    let enc = if is_type3 || unknown_name() {
        SimpleEncoding::from_fn(|code, out| match enc.get(code) {
            "" if (33..127).contains(&code) => out.push(char::from(code)),
            t => out.push_str(t),
        })
    } else {
        enc
    };
    let table = match (legacy, &to_unicode) {
        (Some(lf), tu) if !tu.as_ref().is_some_and(has_real_vietnamese) => {
            SimpleEncoding::from_fn(|code, out| out.push_str(&legacy::decode_bytes(&[code], lf)))
        }
        (_, Some(tu)) => SimpleEncoding::from_fn(|code, out| {
            let start = out.len();
            if tu.push(u32::from(code), out) {
                // Bogus maps (Type 3 fonts pointing letters at dingbats or private use) lose
                // to a glyph name that says more.
                let mapped = &out[start..];
                let enc_text = enc.get(code);
                // A Type 3 font's ToUnicode made from ZapfDingbats' names (`♥` for `/a110`,
                // `✱` for `/a44`) loses to the code its glyph is named by; real symbol fonts
                // (AMS `■`, arrows) keep theirs.
                let says_more =
                    enc_text.chars().any(|c| !c.is_whitespace()) && !is_suspicious(enc_text);
                let bogus = is_suspicious(mapped) || is_type3 && is_dingbat_name_mapping(mapped);
                if bogus && says_more {
                    out.truncate(start);
                    out.push_str(enc_text);
                }
            } else {
                out.push_str(enc.get(code));
            }
        }),
        _ => enc,
    };

    // Widths.
    let mut widths = Box::new([0f32; 256]);
    let first = obj::get_num(doc, dict, b"FirstChar")
        .unwrap_or(0.0)
        .max(0.0) as usize;
    let missing = descriptor
        .and_then(|d| obj::get_num(doc, d, b"MissingWidth"))
        .unwrap_or(0.0);
    match obj::get_array(doc, dict, b"Widths") {
        Some(arr) => {
            let ws = obj::nums(doc, arr);
            for (c, w) in widths.iter_mut().enumerate() {
                *w = if c >= first && c - first < ws.len() {
                    ws[c - first]
                } else {
                    missing
                };
            }
        }
        None => {
            let metrics = StandardMetrics::for_font(plain);
            for (c, w) in widths.iter_mut().enumerate() {
                *w = metrics.width(c as u8, table.get(c as u8).chars().next());
            }
        }
    }

    let size_scale = match &fm {
        Some(fm) => type3_size_scale(fm, &diffs, &widths),
        None => 1.0,
    };

    Font {
        bold,
        vertical: false,
        width_scale,
        size_scale,
        codes: Codes::Simple {
            table: Box::new(table),
            widths,
        },
    }
}

/// The type size of a Type 3 font relative to its nominal size. Glyph coordinates are
/// whatever the font chose (dvips: pixels), so pdftotext guesses the em from the width of `m`
/// (0.6 em in a typical font), else of a letter or of any glyph (0.5 em); the same guess
/// keeps word and line decisions comparable.
fn type3_size_scale(fm: &[f32], diffs: &[(u8, &[u8])], widths: &[f32; 256]) -> f32 {
    let width = |code: u8| widths[code as usize] * fm[0];
    let pick = |want: &dyn Fn(&[u8]) -> bool| {
        diffs
            .iter()
            .find(|&&(code, n)| want(n) && width(code) > 0.0)
            .map(|&(code, _)| width(code))
    };
    let guess = pick(&|n| n == b"m")
        .map(|w| w / 0.6)
        .or_else(|| pick(&|n| matches!(n, [c] if c.is_ascii_alphabetic())).map(|w| w / 0.5))
        .or_else(|| pick(&|_| true).map(|w| w / 0.5))
        .unwrap_or(1.0);
    let aspect = if fm[0] != 0.0 {
        (fm[3] / fm[0]).abs()
    } else {
        1.0
    };
    let scale = guess * aspect;
    if scale.is_finite() {
        scale.clamp(1e-3, 1e4)
    } else {
        1.0
    }
}

fn load_type0(
    doc: &Document,
    dict: &Dictionary,
    name: String,
    to_unicode: Option<ToUnicode>,
    legacy: Option<Legacy>,
    limit: usize,
) -> Font {
    let desc_font = obj::get_array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|o| obj::deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let descriptor = desc_font.and_then(|d| obj::get_dict(doc, d, b"FontDescriptor"));
    let bold = is_bold(&name, doc, descriptor);

    let mut vertical = false;
    let (codespace, cids) = match obj::get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            vertical = n.ends_with(b"-V");
            if n.starts_with(b"Identity") {
                (CodeSpace::fixed(2), CidSource::Identity)
            } else if n.starts_with(b"Uni")
                && (n.windows(4).any(|w| w == b"UCS2") || n.windows(5).any(|w| w == b"UTF16"))
            {
                (CodeSpace::fixed(2), CidSource::Ucs2)
            } else {
                let cs = to_unicode
                    .as_ref()
                    .map(|t| t.codespace.clone())
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| CodeSpace::fixed(2));
                (cs, CidSource::Unknown)
            }
        }
        Some(Object::Stream(s)) => {
            let map = load_cid_map(doc, s, limit, 0);
            vertical = obj::get_num(doc, &s.dict, b"WMode").unwrap_or(0.0) == 1.0;
            let cs = if map.codespace.is_empty() {
                CodeSpace::fixed(2)
            } else {
                map.codespace.clone()
            };
            (cs, CidSource::Map(map))
        }
        _ => (CodeSpace::fixed(2), CidSource::Identity),
    };

    let mut widths = Vec::new();
    let mut default_width = 1000.0;
    if let Some(df) = desc_font {
        if let Some(dw) = obj::get_num(doc, df, b"DW") {
            default_width = dw;
        }
        if let Some(w) = obj::get_array(doc, df, b"W") {
            parse_w(doc, w, &mut widths);
        }
    }
    widths.sort_by_key(|r| r.0);
    if vertical {
        // Vertical advances come from /W2 (default 1000 units down); text layout only needs
        // a plausible step, so the horizontal widths are reused as that step.
        default_width = 1000.0;
        widths.clear();
    }

    let legacy = legacy
        .filter(|_| !to_unicode.as_ref().is_some_and(has_real_vietnamese))
        .map(|lf| (lf, RefCell::new(HashMap::new())));

    Font {
        bold,
        vertical,
        width_scale: 0.001,
        size_scale: 1.0,
        codes: Codes::Cid {
            codespace,
            cids,
            to_unicode,
            widths,
            default_width,
            legacy,
        },
    }
}

fn load_cid_map(doc: &Document, s: &lopdf::Stream, limit: usize, depth: usize) -> CidMap {
    let mut map = obj::stream_data(s, limit)
        .map(|d| cmap::parse(&d).cids)
        .unwrap_or_default();
    if depth < MAX_USECMAP_DEPTH {
        if let Some(parent) = obj::get_stream(doc, &s.dict, b"UseCMap") {
            let p = load_cid_map(doc, parent, limit, depth + 1);
            map.inherit(&p);
        }
    }
    map
}

/// `/W [ c [w1 w2 ...]  c_first c_last w ... ]`.
fn parse_w(doc: &Document, w: &[Object], out: &mut Vec<(u32, u32, f32)>) {
    let mut i = 0;
    while i < w.len() && out.len() < 1 << 20 {
        let Some(first) = obj::deref(doc, &w[i]).and_then(obj::num) else {
            i += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| obj::deref(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, v) in obj::nums(doc, ws).into_iter().enumerate() {
                    let c = first.saturating_add(k as u32);
                    out.push((c, c, v));
                }
                i += 2;
            }
            Some(o) => {
                let last = obj::num(o).unwrap_or(0.0).max(0.0) as u32;
                let v = w
                    .get(i + 2)
                    .and_then(|o| obj::deref(doc, o))
                    .and_then(obj::num)
                    .unwrap_or(0.0);
                if last >= first {
                    out.push((first, last, v));
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn is_bold(name: &str, doc: &Document, descriptor: Option<&Dictionary>) -> bool {
    let plain = name.split_once('+').map_or(name, |(_, n)| n);
    let lower = plain.to_ascii_lowercase();
    if lower.contains("bold")
        || lower.contains("black")
        || lower.contains("heavy")
        || lower.contains("semibold")
        || plain.ends_with(",B")
        || plain.ends_with("-B")
        || plain.ends_with("-BI")
        || plain.ends_with(",BI")
    {
        return true;
    }
    // TeX bold fonts: cmbx10, cmb10, ptmb8r, *-Bd.
    if lower.starts_with("cmbx")
        || lower.starts_with("cmb") && !lower.starts_with("cmbr")
        || lower.ends_with("-bd")
    {
        return true;
    }
    let Some(d) = descriptor else { return false };
    if obj::get_num(doc, d, b"FontWeight").is_some_and(|w| w >= 600.0) {
        return true;
    }
    obj::get_num(doc, d, b"Flags").is_some_and(|f| (f as i64) & (1 << 18) != 0)
}

/// A ToUnicode map that already yields Vietnamese letters is trusted even for a legacy name.
fn has_real_vietnamese(tu: &ToUnicode) -> bool {
    let mut found = false;
    tu.for_each(|_, s| {
        found |= s.chars().any(|c| {
            matches!(
                c,
                '\u{1EA0}'..='\u{1EF9}' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'đ' | 'Đ' | 'ă' | 'Ă'
            )
        });
    });
    found
}

/// `a65`, `g65`, `c65` at code 65: a name that is just the code, as printable ASCII.
/// `ligatures_at`: the code of `ff`, the first of TeX's five f ligatures in the font's
/// encoding (11 in OT1, 27 in T1).
fn numeric_name(code: u8, name: &[u8], ligatures_at: u8) -> Option<Vec<u8>> {
    let digits = name.iter().position(u8::is_ascii_digit)?;
    if !(1..=2).contains(&digits) || !name[..digits].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let n: u32 = std::str::from_utf8(&name[digits..]).ok()?.parse().ok()?;
    if n != u32::from(code) {
        return None;
    }
    // Without the f ligatures `fixed` reads `xed` and `coefficient` `coe cient`.
    if let Some(lig) = n
        .checked_sub(u32::from(ligatures_at))
        .and_then(|i| ["ff", "fi", "fl", "ffi", "ffl"].get(i as usize))
    {
        return Some(lig.as_bytes().to_vec());
    }
    if !(33..=126).contains(&n) {
        return None;
    }
    let mut s = String::new();
    if super::glyphlist::push_glyph_name(std::str::from_utf8(name).ok()?, &mut s) {
        return None; // a real name after all
    }
    Some(format!("uni{n:04X}").into_bytes())
}

fn is_suspicious(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            matches!(c, '\u{2700}'..='\u{27BF}' | '\u{E000}'..='\u{F8FF}' | '\u{0}'..='\u{1F}' | '\u{FFFD}')
        })
}

/// What ZapfDingbats' glyph names beyond the dingbats block stand for: card suits `♥`, circled
/// digits `③`, shapes `●`, arrows. A Type 3 font's ToUnicode gets them when a tool looked its
/// `/a110` names up there.
fn is_dingbat_name_mapping(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            matches!(c, '\u{2460}'..='\u{24FF}' | '\u{25A0}'..='\u{26FF}' | '\u{2190}'..='\u{21FF}')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_named_glyphs_of_tex_fonts_keep_their_ligatures() {
        // OT1 (Computer Modern).
        assert_eq!(numeric_name(12, b"a12", 11).as_deref(), Some(&b"fi"[..]));
        assert_eq!(numeric_name(14, b"a14", 11).as_deref(), Some(&b"ffi"[..]));
        // T1 (EC, cm-super).
        assert_eq!(numeric_name(28, b"a28", 27).as_deref(), Some(&b"fi"[..]));
        assert_eq!(numeric_name(12, b"a12", 27), None);
        assert_eq!(
            numeric_name(65, b"a65", 27).as_deref(),
            Some(&b"uni0041"[..])
        );
        // The name must carry the code it sits at.
        assert_eq!(numeric_name(12, b"a13", 11), None);
        assert_eq!(numeric_name(5, b"a5", 11), None);
        // ZapfDingbats calls ♥ `a110`: in a dvips font at code 110 it is `n`.
        assert_eq!(
            numeric_name(110, b"a110", 27).as_deref(),
            Some(&b"uni006E"[..])
        );
    }
    use lopdf::{dictionary, Stream};

    fn text_of(font: &Font, bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let (code, n) = font.next_code(&bytes[i..]);
            font.push_text(code, &mut out);
            i += n;
        }
        out
    }

    #[test]
    fn standard_font_without_widths_uses_afm() {
        let doc = Document::with_version("1.5");
        let d = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"Hi'"), "Hi\u{2019}");
        assert!((f.width(u32::from(b'H')) - 0.722).abs() < 1e-6);
    }

    #[test]
    fn widths_and_differences() {
        let doc = Document::with_version("1.5");
        let d = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "ABCDEF+Foo-Bold", "FirstChar" => 65,
            "Widths" => vec![Object::Integer(700), Object::Integer(800)],
            "Encoding" => dictionary! { "Differences" => vec![Object::Integer(66), Object::Name(b"uhornhookabove".to_vec())] },
        };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"AB"), "Aử");
        assert!((f.width(66) - 0.8).abs() < 1e-6);
        assert_eq!(f.width(67), 0.0);
        assert!(f.bold);
    }

    #[test]
    fn type0_identity_with_tounicode_and_w() {
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0005> <01A1> endbfchar".to_vec();
        let tu = doc.add_object(Stream::new(dictionary! {}, cmap));
        let desc = dictionary! {
            "Subtype" => "CIDFontType2", "DW" => 500,
            "W" => vec![Object::Integer(5), Object::Array(vec![Object::Integer(612)]), Object::Integer(10), Object::Integer(20), Object::Integer(300)],
        };
        let d = dictionary! {
            "Subtype" => "Type0", "BaseFont" => "Arial", "Encoding" => "Identity-H",
            "ToUnicode" => tu, "DescendantFonts" => vec![Object::Dictionary(desc)],
        };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"\x00\x05\x00\x05"), "ơơ");
        assert!((f.width(5) - 0.612).abs() < 1e-6);
        assert!((f.width(15) - 0.3).abs() < 1e-6);
        assert!((f.width(30) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn tounicode_preferred_over_encoding_and_bogus_maps_ignored() {
        let mut doc = Document::with_version("1.5");
        let cmap =
            b"1 beginbfchar <41> <0042> endbfchar 1 beginbfchar <43> <2701> endbfchar".to_vec();
        let tu = doc.add_object(Stream::new(dictionary! {}, cmap));
        let d = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "Times-Roman", "Encoding" => "WinAnsiEncoding", "ToUnicode" => tu,
        };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"ABC"), "BBC");
    }
    #[test]
    fn glyphs_named_by_their_character_with_partial_tounicode() {
        // Type 3 fonts whose ToUnicode covers letters only, and whose other glyphs are named
        // by the character itself (`/(`, `/.`, `/=`).
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <41> <7a> endcodespacerange 1 beginbfrange <41> <5a> <0041> endbfrange".to_vec();
        let tu = doc.add_object(Stream::new(dictionary! {}, cmap));
        let names = ["(", ".", "=", "2"].map(|n| Object::Name(n.as_bytes().to_vec()));
        let mut diffs = vec![Object::Integer(2)];
        diffs.extend(names);
        let d = dictionary! {
            "Subtype" => "Type3", "FontMatrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), 0.into()],
            "Encoding" => dictionary! { "Differences" => diffs }, "ToUnicode" => tu,
        };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"\x02A\x03B\x04\x05"), "(A.B=2");
    }
    #[test]
    fn unknown_glyph_names_show_their_code_as_poppler_does() {
        // cmex10's `/summationtext` at 0x58 and a made-up `/g7` at 0x41: pdftotext prints the
        // code (`X`, `A`); a known name keeps its meaning.
        let doc = Document::with_version("1.5");
        let diffs = vec![
            Object::Integer(0x41),
            Object::Name(b"g7".to_vec()),
            Object::Integer(0x58),
            Object::Name(b"summationtext".to_vec()),
            Object::Name(b"Ydieresis".to_vec()),
        ];
        let d = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "ABCDEF+CMEX10",
            "Encoding" => dictionary! { "Differences" => diffs },
        };
        let f = load(&doc, &d, 1 << 20);
        assert_eq!(text_of(&f, b"AXYb"), "AX\u{178}b");
    }
    #[test]
    fn type3_type_size_guessed_from_glyph_widths_like_pdftotext() {
        let doc = Document::with_version("1.5");
        let type3 = |names: &[&str], widths: Vec<Object>| {
            let mut diffs = vec![Object::Integer(97)];
            diffs.extend(names.iter().map(|n| Object::Name(n.as_bytes().to_vec())));
            let fm = [0.01, 0.0, 0.0, 0.01, 0.0, 0.0].map(Object::Real).to_vec();
            let d = dictionary! {
                "Subtype" => "Type3", "FontMatrix" => fm, "FontBBox" => vec![0.into(), (-20).into(), 50.into(), 70.into()],
                "FirstChar" => 97, "Widths" => widths,
                "Encoding" => dictionary! { "Differences" => diffs },
            };
            load(&doc, &d, 1 << 20).size_scale
        };
        // `m` 72 units wide at 0.01: 0.72 text units, against a typical 0.6 em.
        let s = type3(&["a", "m"], vec![50.into(), 72.into()]);
        assert!((s - 1.2).abs() < 1e-4, "{s}");
        // No `m`: the first letter against 0.5 em.
        let s = type3(&["a", "b"], vec![45.into(), 50.into()]);
        assert!((s - 0.9).abs() < 1e-4, "{s}");
        // dvips names (`/a97`): any glyph.
        let s = type3(&["a97", "a98"], vec![0.into(), 55.into()]);
        assert!((s - 1.1).abs() < 1e-4, "{s}");
    }
}
