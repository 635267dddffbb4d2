//! The built-in encoding of a bare CFF font program (`/FontFile3` with `/Subtype /Type1C`), for
//! simple fonts that come without `/Encoding` or with `/Differences` over it: Ghostscript and
//! dvipdfmx embed TeX fonts this way. Only what that needs is parsed: the INDEX structures, the
//! Top DICT, the charset and the encoding.

/// The first 229 CFF standard strings (the ISOAdobe charset); the expert names after them do
/// not matter for text.
const STANDARD_STRINGS: [&str; 229] = [
    ".notdef",
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quoteright",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "quoteleft",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
    "exclamdown",
    "cent",
    "sterling",
    "fraction",
    "yen",
    "florin",
    "section",
    "currency",
    "quotesingle",
    "quotedblleft",
    "guillemotleft",
    "guilsinglleft",
    "guilsinglright",
    "fi",
    "fl",
    "endash",
    "dagger",
    "daggerdbl",
    "periodcentered",
    "paragraph",
    "bullet",
    "quotesinglbase",
    "quotedblbase",
    "quotedblright",
    "guillemotright",
    "ellipsis",
    "perthousand",
    "questiondown",
    "grave",
    "acute",
    "circumflex",
    "tilde",
    "macron",
    "breve",
    "dotaccent",
    "dieresis",
    "ring",
    "cedilla",
    "hungarumlaut",
    "ogonek",
    "caron",
    "emdash",
    "AE",
    "ordfeminine",
    "Lslash",
    "Oslash",
    "OE",
    "ordmasculine",
    "ae",
    "dotlessi",
    "lslash",
    "oslash",
    "oe",
    "germandbls",
    "onesuperior",
    "logicalnot",
    "mu",
    "trademark",
    "Eth",
    "onehalf",
    "plusminus",
    "Thorn",
    "onequarter",
    "divide",
    "brokenbar",
    "degree",
    "thorn",
    "threequarters",
    "twosuperior",
    "registered",
    "minus",
    "eth",
    "multiply",
    "threesuperior",
    "copyright",
    "Aacute",
    "Acircumflex",
    "Adieresis",
    "Agrave",
    "Aring",
    "Atilde",
    "Ccedilla",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Egrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Igrave",
    "Ntilde",
    "Oacute",
    "Ocircumflex",
    "Odieresis",
    "Ograve",
    "Otilde",
    "Scaron",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Ugrave",
    "Yacute",
    "Ydieresis",
    "Zcaron",
    "aacute",
    "acircumflex",
    "adieresis",
    "agrave",
    "aring",
    "atilde",
    "ccedilla",
    "eacute",
    "ecircumflex",
    "edieresis",
    "egrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "igrave",
    "ntilde",
    "oacute",
    "ocircumflex",
    "odieresis",
    "ograve",
    "otilde",
    "scaron",
    "uacute",
    "ucircumflex",
    "udieresis",
    "ugrave",
    "yacute",
    "ydieresis",
    "zcaron",
];
const N_STD_STRINGS: usize = 391;

struct Reader<'a> {
    d: &'a [u8],
}

impl<'a> Reader<'a> {
    fn u8(&self, at: usize) -> Option<u8> {
        self.d.get(at).copied()
    }

    fn u16(&self, at: usize) -> Option<usize> {
        Some(usize::from(self.u8(at)?) << 8 | usize::from(self.u8(at + 1)?))
    }

    fn offset(&self, at: usize, size: usize) -> Option<usize> {
        let mut v = 0usize;
        for i in 0..size {
            v = v << 8 | usize::from(self.u8(at + i)?);
        }
        Some(v)
    }

    /// An INDEX at `at`: its items as byte ranges, and the offset just past it.
    fn index(&self, at: usize) -> Option<(Vec<&'a [u8]>, usize)> {
        let count = self.u16(at)?;
        if count == 0 {
            return Some((Vec::new(), at + 2));
        }
        let off_size = usize::from(self.u8(at + 2)?);
        if !(1..=4).contains(&off_size) || count > 65535 {
            return None;
        }
        let offs_at = at + 3;
        let data_at = offs_at + (count + 1) * off_size - 1;
        let mut items = Vec::with_capacity(count);
        let mut prev = self.offset(offs_at, off_size)?;
        for i in 1..=count {
            let next = self.offset(offs_at + i * off_size, off_size)?;
            if next < prev {
                return None;
            }
            items.push(self.d.get(data_at + prev..data_at + next)?);
            prev = next;
        }
        Some((items, data_at + prev))
    }
}

/// Top DICT entries we need: charset, encoding, CharStrings offsets and whether it is CID-keyed.
fn top_dict(d: &[u8]) -> (usize, usize, Option<usize>, bool) {
    let (mut charset, mut encoding, mut charstrings, mut cid) = (0, 0, None, false);
    let mut operands: Vec<i64> = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let b0 = d[i];
        match b0 {
            0..=21 => {
                let op = if b0 == 12 {
                    i += 1;
                    1200 + u16::from(*d.get(i).unwrap_or(&0))
                } else {
                    u16::from(b0)
                };
                let last = operands.last().copied().unwrap_or(0).max(0) as usize;
                match op {
                    15 => charset = last,
                    16 => encoding = last,
                    17 => charstrings = Some(last),
                    1230 => cid = true,
                    _ => {}
                }
                operands.clear();
                i += 1;
            }
            28 => {
                let v =
                    i16::from_be_bytes([*d.get(i + 1).unwrap_or(&0), *d.get(i + 2).unwrap_or(&0)]);
                operands.push(i64::from(v));
                i += 3;
            }
            29 => {
                let b = |k: usize| *d.get(i + k).unwrap_or(&0);
                operands.push(i64::from(i32::from_be_bytes([b(1), b(2), b(3), b(4)])));
                i += 5;
            }
            30 => {
                // A real number: nibbles up to an 0xF terminator; its value is never needed.
                i += 1;
                while i < d.len() && d[i] & 0x0F != 0x0F && d[i] >> 4 != 0x0F {
                    i += 1;
                }
                i += 1;
                operands.push(0);
            }
            32..=246 => {
                operands.push(i64::from(b0) - 139);
                i += 1;
            }
            247..=250 => {
                let b1 = i64::from(*d.get(i + 1).unwrap_or(&0));
                operands.push((i64::from(b0) - 247) * 256 + b1 + 108);
                i += 2;
            }
            251..=254 => {
                let b1 = i64::from(*d.get(i + 1).unwrap_or(&0));
                operands.push(-(i64::from(b0) - 251) * 256 - b1 - 108);
                i += 2;
            }
            _ => i += 1,
        }
        if operands.len() > 48 {
            operands.clear();
        }
    }
    (charset, encoding, charstrings, cid)
}

/// `(code, glyph name)` pairs of the font's built-in encoding; `None` when it is the standard
/// encoding, CID-keyed, or unreadable.
pub(crate) fn builtin_encoding(data: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let r = Reader { d: data };
    let hdr = usize::from(r.u8(2)?);
    let (_names, after_names) = r.index(hdr)?;
    let (tops, after_tops) = r.index(after_names)?;
    let (strings, _) = r.index(after_tops)?;
    let (charset_off, enc_off, cs_off, cid) = top_dict(tops.first()?);
    if cid || enc_off <= 1 {
        return None;
    }
    let n_glyphs = r.u16(cs_off?)?;
    let sid_name = |sid: usize| -> Option<&[u8]> {
        if sid < STANDARD_STRINGS.len() {
            Some(STANDARD_STRINGS[sid].as_bytes())
        } else if sid >= N_STD_STRINGS {
            strings.get(sid - N_STD_STRINGS).copied()
        } else {
            None
        }
    };
    // Charset: glyph id -> SID.
    let mut sids: Vec<usize> = vec![0];
    match charset_off {
        0 => sids.extend(1..n_glyphs.min(STANDARD_STRINGS.len())),
        1 | 2 => return None,
        off => {
            let fmt = r.u8(off)?;
            let mut p = off + 1;
            while sids.len() < n_glyphs {
                match fmt {
                    0 => {
                        sids.push(r.u16(p)?);
                        p += 2;
                    }
                    1 | 2 => {
                        let first = r.u16(p)?;
                        let n_left = if fmt == 1 {
                            usize::from(r.u8(p + 2)?)
                        } else {
                            r.u16(p + 2)?
                        };
                        p += if fmt == 1 { 3 } else { 4 };
                        for k in 0..=n_left {
                            sids.push(first + k);
                        }
                    }
                    _ => return None,
                }
            }
        }
    }
    let mut out: Vec<(u8, Vec<u8>)> = Vec::new();
    let fmt = r.u8(enc_off)?;
    let mut p = enc_off + 1;
    match fmt & 0x7F {
        0 => {
            let n = usize::from(r.u8(p)?);
            p += 1;
            for gid in 1..=n {
                let code = r.u8(p)?;
                p += 1;
                if let Some(name) = sids.get(gid).and_then(|&s| sid_name(s)) {
                    out.push((code, name.to_vec()));
                }
            }
        }
        1 => {
            let n = usize::from(r.u8(p)?);
            p += 1;
            let mut gid = 1;
            for _ in 0..n {
                let first = r.u8(p)?;
                let n_left = r.u8(p + 1)?;
                p += 2;
                for k in 0..=n_left {
                    let code = first.checked_add(k)?;
                    if let Some(name) = sids.get(gid).and_then(|&s| sid_name(s)) {
                        out.push((code, name.to_vec()));
                    }
                    gid += 1;
                }
            }
        }
        _ => return None,
    }
    if fmt & 0x80 != 0 {
        let n = usize::from(r.u8(p)?);
        p += 1;
        for _ in 0..n {
            let code = r.u8(p)?;
            let sid = r.u16(p + 1)?;
            p += 3;
            if let Some(name) = sid_name(sid) {
                out.push((code, name.to_vec()));
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal CFF: one font, custom charset (A, ohornacute) and encoding (65, 66).
    fn sample() -> Vec<u8> {
        let mut d = vec![1, 0, 4, 1];
        d.extend_from_slice(&[0, 1, 1, 1, 2, b'F']); // Name INDEX: "F"
                                                     // Top DICT: charset at C, encoding at E, CharStrings at S (one-byte operands + op).
        let top_at = d.len();
        d.extend_from_slice(&[0, 1, 1, 1, 7, 0, 15, 0, 16, 0, 17]);
        d.extend_from_slice(&[0, 1, 1, 1, 11]);
        d.extend_from_slice(b"ohornacute"); // String INDEX: SID 391
        d.extend_from_slice(&[0, 0]); // Global Subr INDEX
        let charset = d.len();
        d.extend_from_slice(&[0, 0, 34, 1, 0x87]); // format 0: SIDs 34 (A), 391
        let enc = d.len();
        d.extend_from_slice(&[0, 2, 65, 66]); // format 0: codes 65, 66
        let cs = d.len();
        d.extend_from_slice(&[0, 3, 1, 1, 2, 3, 4, 0, 0, 0]); // CharStrings INDEX, 3 glyphs
        let patch = |v: usize| (v as i64 + 139) as u8;
        d[top_at + 5] = patch(charset);
        d[top_at + 7] = patch(enc);
        d[top_at + 9] = patch(cs);
        d
    }

    #[test]
    fn custom_charset_and_encoding() {
        let enc = builtin_encoding(&sample()).unwrap();
        assert_eq!(enc, vec![(65, b"A".to_vec()), (66, b"ohornacute".to_vec())]);
    }

    #[test]
    fn junk_is_none() {
        assert!(builtin_encoding(b"").is_none());
        assert!(builtin_encoding(&[1, 0, 4, 1, 0xFF, 0xFF, 4]).is_none());
        let mut s = sample();
        s.truncate(s.len() - 12);
        let _ = builtin_encoding(&s);
    }
}
