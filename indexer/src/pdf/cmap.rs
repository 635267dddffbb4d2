//! CMap parsing: `/ToUnicode` maps (bfchar, bfrange with the array form) and encoding CMaps
//! (cidchar, cidrange), with codespace ranges of 1 to 4 bytes.
//!
//! CMaps in the wild are sloppy (missing codespaces, odd-length destination strings, ranges
//! crossing byte boundaries), so the parser is a tolerant token scanner rather than a
//! PostScript interpreter: unknown tokens are skipped, never fatal.

/// Ranges larger than this are kept as ranges; smaller ones are expanded for fast lookup.
const EXPAND_LIMIT: u32 = 256;
/// Upper bound on entries, so a hostile CMap cannot exhaust memory.
const MAX_ENTRIES: usize = 1 << 20;

/// Codespace ranges: how a byte string splits into codes.
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeSpace {
    /// (length in bytes, low bytes, high bytes)
    ranges: Vec<(u8, [u8; 4], [u8; 4])>,
}

impl CodeSpace {
    /// A codespace of fixed-width codes (`n` bytes each, all values).
    pub(crate) fn fixed(n: u8) -> CodeSpace {
        CodeSpace {
            ranges: vec![(n, [0; 4], [0xFF; 4])],
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    fn add(&mut self, lo: &[u8], hi: &[u8]) {
        if lo.len() != hi.len() || lo.is_empty() || lo.len() > 4 {
            return;
        }
        let mut l = [0u8; 4];
        let mut h = [0u8; 4];
        l[..lo.len()].copy_from_slice(lo);
        h[..hi.len()].copy_from_slice(hi);
        self.ranges.push((lo.len() as u8, l, h));
    }

    /// The next code in `bytes` (non-empty) and how many bytes it takes.
    pub(crate) fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        for n in 1..=4usize {
            if bytes.len() < n {
                break;
            }
            let matched = self.ranges.iter().any(|&(len, lo, hi)| {
                len as usize == n && (0..n).all(|i| bytes[i] >= lo[i] && bytes[i] <= hi[i])
            });
            if matched {
                return (be(&bytes[..n]), n);
            }
        }
        // No range matches: take the shortest code length the CMap knows about.
        let n = self
            .ranges
            .iter()
            .map(|r| r.0 as usize)
            .min()
            .unwrap_or(1)
            .min(bytes.len())
            .max(1);
        (be(&bytes[..n]), n)
    }
}

fn be(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
}

/// A code to Unicode map.
#[derive(Debug, Clone, Default)]
pub(crate) struct ToUnicode {
    /// Sorted by code: (code, offset into pool, byte length).
    singles: Vec<(u32, u32, u32)>,
    /// Sorted by low code: (lo, hi, prefix offset, prefix length, first scalar of the last char).
    ranges: Vec<(u32, u32, u32, u32, u32)>,
    pool: String,
    pub(crate) codespace: CodeSpace,
}

impl ToUnicode {
    /// Append the text of `code` to `out`; false when the map does not know the code.
    pub(crate) fn push(&self, code: u32, out: &mut String) -> bool {
        if let Ok(i) = self.singles.binary_search_by_key(&code, |e| e.0) {
            let (_, off, len) = self.singles[i];
            out.push_str(&self.pool[off as usize..(off + len) as usize]);
            return true;
        }
        let i = self.ranges.partition_point(|r| r.0 <= code);
        if i > 0 {
            let (lo, hi, off, len, first) = self.ranges[i - 1];
            if code <= hi {
                out.push_str(&self.pool[off as usize..(off + len) as usize]);
                if let Some(c) = char::from_u32(first + (code - lo)) {
                    out.push(c);
                }
                return true;
            }
        }
        false
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.singles.is_empty() && self.ranges.is_empty()
    }

    /// Every mapped code with its text, small ranges included; for whole-map checks.
    pub(crate) fn for_each(&self, mut f: impl FnMut(u32, &str)) {
        let mut buf = String::new();
        for &(code, off, len) in &self.singles {
            f(code, &self.pool[off as usize..(off + len) as usize]);
        }
        for &(lo, hi, ..) in &self.ranges {
            for code in lo..=hi.min(lo.saturating_add(4096)) {
                buf.clear();
                self.push(code, &mut buf);
                f(code, &buf);
            }
        }
    }

    fn add_single(&mut self, code: u32, text: &str) {
        if self.singles.len() >= MAX_ENTRIES {
            return;
        }
        let off = self.pool.len() as u32;
        self.pool.push_str(text);
        self.singles.push((code, off, text.len() as u32));
    }

    fn add_range(&mut self, lo: u32, hi: u32, dst: &str) {
        let Some(last) = dst.chars().last() else {
            return;
        };
        let prefix = &dst[..dst.len() - last.len_utf8()];
        if hi - lo < EXPAND_LIMIT {
            let mut s = String::with_capacity(dst.len() + 4);
            for code in lo..=hi {
                s.clear();
                s.push_str(prefix);
                if let Some(c) = char::from_u32(last as u32 + (code - lo)) {
                    s.push(c);
                }
                self.add_single(code, &s);
            }
        } else if self.ranges.len() < MAX_ENTRIES {
            let off = self.pool.len() as u32;
            self.pool.push_str(prefix);
            self.ranges
                .push((lo, hi, off, prefix.len() as u32, last as u32));
        }
    }

    fn finish(&mut self) {
        // Later definitions win, as when a CMap redefines a code.
        self.singles.reverse();
        self.singles.sort_by_key(|e| e.0);
        self.singles.dedup_by_key(|e| e.0);
        self.ranges.sort_by_key(|r| r.0);
    }
}

/// An encoding CMap: code to CID.
#[derive(Debug, Clone, Default)]
pub(crate) struct CidMap {
    /// Sorted (lo, hi, first CID).
    ranges: Vec<(u32, u32, u32)>,
    pub(crate) codespace: CodeSpace,
    /// `usecmap` parent name, for the caller to resolve.
    pub(crate) parent: Option<Vec<u8>>,
}

impl CidMap {
    pub(crate) fn cid(&self, code: u32) -> Option<u32> {
        let i = self.ranges.partition_point(|r| r.0 <= code);
        (i > 0)
            .then(|| self.ranges[i - 1])
            .filter(|r| code <= r.1)
            .map(|r| r.2 + (code - r.0))
    }

    /// Take codespace and mappings missing here from a parent (`usecmap`).
    pub(crate) fn inherit(&mut self, parent: &CidMap) {
        if self.codespace.is_empty() {
            self.codespace = parent.codespace.clone();
        }
        self.ranges.extend_from_slice(&parent.ranges);
        self.ranges.sort_by_key(|r| r.0);
    }
}

#[derive(Debug)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Name(&'a [u8]),
    Num(i64),
    Open,
    Close,
    Kw(&'a [u8]),
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    pending: Option<Tok<'a>>,
}

impl<'a> Lexer<'a> {
    /// The next token if it is a hex string; anything else is left for the main loop, so a
    /// list without its `end...` keyword does not swallow the next section.
    fn next_hex(&mut self) -> Option<Vec<u8>> {
        match self.next() {
            Some(Tok::Hex(h)) => Some(h),
            Some(Tok::Kw(k)) if k.starts_with(b"end") => None,
            other => {
                self.pending = other;
                None
            }
        }
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        if let Some(t) = self.pending.take() {
            return Some(t);
        }
        let s = self.s;
        loop {
            while self.i < s.len() && (s[self.i].is_ascii_whitespace() || s[self.i] == 0) {
                self.i += 1;
            }
            if self.i >= s.len() {
                return None;
            }
            if s[self.i] == b'%' {
                while self.i < s.len() && s[self.i] != b'\n' && s[self.i] != b'\r' {
                    self.i += 1;
                }
                continue;
            }
            break;
        }
        let c = s[self.i];
        match c {
            b'<' if s.get(self.i + 1) == Some(&b'<') => {
                self.i += 2;
                Some(Tok::Kw(b"<<"))
            }
            b'>' if s.get(self.i + 1) == Some(&b'>') => {
                self.i += 2;
                Some(Tok::Kw(b">>"))
            }
            b'<' => {
                self.i += 1;
                let mut out = Vec::new();
                let mut hi: Option<u8> = None;
                while self.i < s.len() && s[self.i] != b'>' {
                    if let Some(v) = hex_val(s[self.i]) {
                        match hi.take() {
                            Some(h) => out.push(h << 4 | v),
                            None => hi = Some(v),
                        }
                    }
                    self.i += 1;
                }
                if let Some(h) = hi {
                    out.push(h << 4);
                }
                self.i += 1;
                Some(Tok::Hex(out))
            }
            b'(' => {
                self.i += 1;
                let mut out = Vec::new();
                let mut depth = 1;
                while self.i < s.len() {
                    let b = s[self.i];
                    self.i += 1;
                    match b {
                        b'\\' => {
                            if let Some(&n) = s.get(self.i) {
                                self.i += 1;
                                out.push(match n {
                                    b'n' => b'\n',
                                    b'r' => b'\r',
                                    b't' => b'\t',
                                    b'0'..=b'7' => {
                                        let mut v = u32::from(n - b'0');
                                        for _ in 0..2 {
                                            match s.get(self.i) {
                                                Some(&d @ b'0'..=b'7') => {
                                                    v = v * 8 + u32::from(d - b'0');
                                                    self.i += 1;
                                                }
                                                _ => break,
                                            }
                                        }
                                        v as u8
                                    }
                                    other => other,
                                });
                            }
                        }
                        b'(' => {
                            depth += 1;
                            out.push(b);
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            out.push(b);
                        }
                        _ => out.push(b),
                    }
                }
                Some(Tok::Str(out))
            }
            b'[' => {
                self.i += 1;
                Some(Tok::Open)
            }
            b']' => {
                self.i += 1;
                Some(Tok::Close)
            }
            b'/' => {
                self.i += 1;
                let st = self.i;
                while self.i < s.len() && is_regular(s[self.i]) {
                    self.i += 1;
                }
                Some(Tok::Name(&s[st..self.i]))
            }
            _ => {
                let st = self.i;
                while self.i < s.len() && is_regular(s[self.i]) {
                    self.i += 1;
                }
                if self.i == st {
                    self.i += 1; // a stray delimiter such as `{` or `)`
                    return Some(Tok::Kw(&s[st..self.i]));
                }
                let w = &s[st..self.i];
                match std::str::from_utf8(w)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(n) => Some(Tok::Num(n)),
                    None => Some(Tok::Kw(w)),
                }
            }
        }
    }
}

fn is_regular(b: u8) -> bool {
    !b.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&b) && b != 0
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

/// UTF-16BE destination bytes to text; a lone byte is taken as a Latin-1 character.
fn utf16_text(bytes: &[u8], out: &mut String) {
    if bytes.len() == 1 {
        out.push(char::from(bytes[0]));
        return;
    }
    let units = bytes.chunks(2).map(|c| {
        if c.len() == 2 {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from(c[0])
        }
    });
    for r in char::decode_utf16(units) {
        out.push(r.unwrap_or('\u{FFFD}'));
    }
}

/// What a CMap stream defines; a ToUnicode map and an encoding CMap share the syntax.
#[derive(Debug, Default)]
pub(crate) struct ParsedCMap {
    pub(crate) to_unicode: ToUnicode,
    pub(crate) cids: CidMap,
}

/// Parse a CMap program. Never fails: what cannot be read is skipped.
pub(crate) fn parse(data: &[u8]) -> ParsedCMap {
    let mut lx = Lexer {
        s: data,
        i: 0,
        pending: None,
    };
    let mut out = ParsedCMap::default();
    let mut prev_name: Option<Vec<u8>> = None;
    let mut text = String::new();
    while let Some(tok) = lx.next() {
        match tok {
            Tok::Kw(b"begincodespacerange") => {
                while let Some(lo) = lx.next_hex() {
                    match lx.next() {
                        Some(Tok::Hex(hi)) => {
                            out.to_unicode.codespace.add(&lo, &hi);
                            out.cids.codespace.add(&lo, &hi);
                        }
                        _ => break,
                    }
                }
            }
            Tok::Kw(b"beginbfchar") => {
                while let Some(src) = lx.next_hex() {
                    text.clear();
                    match lx.next() {
                        Some(Tok::Hex(dst)) | Some(Tok::Str(dst)) => utf16_text(&dst, &mut text),
                        Some(Tok::Name(n)) => {
                            if let Ok(n) = std::str::from_utf8(n) {
                                super::glyphlist::push_glyph_name(n, &mut text);
                            }
                        }
                        _ => break,
                    }
                    if src.len() <= 4 {
                        out.to_unicode.add_single(be(&src), &text);
                    }
                }
            }
            Tok::Kw(b"beginbfrange") => {
                while let Some(lo) = lx.next_hex() {
                    let Some(Tok::Hex(hi)) = lx.next() else { break };
                    let (lo, hi) = (be(&lo[..lo.len().min(4)]), be(&hi[..hi.len().min(4)]));
                    match lx.next() {
                        Some(Tok::Hex(dst)) => {
                            if hi >= lo {
                                text.clear();
                                utf16_text(&dst, &mut text);
                                out.to_unicode.add_range(lo, hi, &text);
                            }
                        }
                        Some(Tok::Open) => {
                            let mut code = lo;
                            loop {
                                match lx.next() {
                                    Some(Tok::Hex(dst)) => {
                                        if code <= hi {
                                            text.clear();
                                            utf16_text(&dst, &mut text);
                                            out.to_unicode.add_single(code, &text);
                                        }
                                        code = code.saturating_add(1);
                                    }
                                    Some(Tok::Close) | None => break,
                                    Some(_) => code = code.saturating_add(1),
                                }
                            }
                        }
                        _ => break,
                    }
                }
            }
            Tok::Kw(b"begincidrange") => {
                while let Some(lo) = lx.next_hex() {
                    let (Some(Tok::Hex(hi)), Some(Tok::Num(cid))) = (lx.next(), lx.next()) else {
                        break;
                    };
                    let (lo, hi) = (be(&lo[..lo.len().min(4)]), be(&hi[..hi.len().min(4)]));
                    if hi >= lo && cid >= 0 && out.cids.ranges.len() < MAX_ENTRIES {
                        out.cids.ranges.push((lo, hi, cid as u32));
                    }
                }
            }
            Tok::Kw(b"begincidchar") => {
                while let Some(src) = lx.next_hex() {
                    let Some(Tok::Num(cid)) = lx.next() else {
                        break;
                    };
                    let c = be(&src[..src.len().min(4)]);
                    if cid >= 0 && out.cids.ranges.len() < MAX_ENTRIES {
                        out.cids.ranges.push((c, c, cid as u32));
                    }
                }
            }
            Tok::Kw(b"usecmap") => out.cids.parent = prev_name.take(),
            Tok::Name(n) => {
                prev_name = Some(n.to_vec());
                continue;
            }
            _ => {}
        }
        prev_name = None;
    }
    out.to_unicode.finish();
    out.cids.ranges.sort_by_key(|r| r.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0011> <01B0>
<001A> <00660069>
endbfchar
2 beginbfrange
<0020> <0022> <1EA0>
<0100> <0102> [<0041> <0042> <D835DC00>]
<1000> <2000> <4E00>
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    fn get(m: &ToUnicode, code: u32) -> Option<String> {
        let mut s = String::new();
        m.push(code, &mut s).then_some(s)
    }

    #[test]
    fn bfchar_and_bfrange() {
        let m = parse(CMAP).to_unicode;
        assert_eq!(get(&m, 3).as_deref(), Some(" "));
        assert_eq!(get(&m, 0x11).as_deref(), Some("ư"));
        assert_eq!(get(&m, 0x1A).as_deref(), Some("fi"));
        assert_eq!(get(&m, 0x21).as_deref(), Some("ạ"));
        assert_eq!(get(&m, 0x22).as_deref(), Some("Ả"));
        assert_eq!(get(&m, 0x101).as_deref(), Some("B"));
        assert_eq!(get(&m, 0x102).as_deref(), Some("𝐀"));
        assert_eq!(get(&m, 0x1001).as_deref(), Some("丁"));
        assert_eq!(get(&m, 0x23), None);
    }

    #[test]
    fn codespace_mixed_lengths() {
        let p = parse(b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange");
        let cs = &p.cids.codespace;
        assert_eq!(cs.next_code(b"\x41\x81\x40"), (0x41, 1));
        assert_eq!(cs.next_code(b"\x81\x40"), (0x8140, 2));
        assert_eq!(CodeSpace::fixed(2).next_code(b"\x01\x02\x03"), (0x0102, 2));
        let four = parse(b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange");
        assert_eq!(
            four.cids.codespace.next_code(b"\x00\x01\x02\x03"),
            (0x010203, 4)
        );
    }

    #[test]
    fn cid_ranges_and_usecmap() {
        let p = parse(
            b"/Base usecmap 1 begincidrange <0020> <007e> 1 endcidrange 1 begincidchar <00a0> 500 endcidchar",
        );
        assert_eq!(p.cids.parent.as_deref(), Some(&b"Base"[..]));
        assert_eq!(p.cids.cid(0x21), Some(2));
        assert_eq!(p.cids.cid(0xa0), Some(500));
        assert_eq!(p.cids.cid(0x10), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for junk in [
            &b"beginbfrange <00> endbfrange"[..],
            b"<<<<",
            b"beginbfchar <0",
            b"(((",
            b"\\",
        ] {
            let _ = parse(junk);
        }
    }
}
