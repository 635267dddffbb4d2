//! Glyph names to Unicode: the Adobe Glyph List plus the naming conventions fonts use in
//! practice (`uniXXXX`, `uXXXX`, suffixes like `.sc`, `_` ligatures).
//!
//! Names that carry no meaning (`a123`, `g45`, `cid00012`, `glyph7`) map to nothing: such a
//! glyph is lost, the rest of its font is not.

mod data {
    include!("data/glyphlist.rs");
}

/// Append the Unicode text of a glyph name to `out`; false when the name means nothing.
pub(crate) fn push_glyph_name(name: &str, out: &mut String) -> bool {
    if let Some(s) = agl(name) {
        out.push_str(s);
        return true;
    }
    // Some producers name each glyph by the character itself (`/(`, `/=`, `/2`); poppler
    // reads such names the same way.
    if let [b @ 0x21..=0x7E] = name.as_bytes() {
        out.push(char::from(*b));
        return true;
    }
    if let Some(pos) = name.find('.') {
        if pos == 0 {
            return false; // .notdef, .null
        }
        return push_glyph_name(&name[..pos], out);
    }
    if name.contains('_') {
        let start = out.len();
        for part in name.split('_') {
            if part.is_empty() || !push_simple(part, out) {
                out.truncate(start);
                return false;
            }
        }
        return true;
    }
    push_simple(name, out)
}

fn push_simple(name: &str, out: &mut String) -> bool {
    if let Some(s) = agl(name) {
        out.push_str(s);
        return true;
    }
    if let Some(hex) = name.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let start = out.len();
            for chunk in hex.as_bytes().chunks(4) {
                let v = std::str::from_utf8(chunk)
                    .ok()
                    .and_then(|s| u32::from_str_radix(s, 16).ok());
                match v.and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => {
                        out.truncate(start);
                        return false;
                    }
                }
            }
            return true;
        }
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                out.push(c);
                return true;
            }
        }
    }
    false
}

fn agl(name: &str) -> Option<&'static str> {
    data::AGL
        .binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
        .ok()
        .map(|i| data::AGL[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Option<String> {
        let mut s = String::new();
        push_glyph_name(n, &mut s).then_some(s)
    }

    #[test]
    fn agl_names() {
        assert_eq!(name("A").as_deref(), Some("A"));
        assert_eq!(name("ohornacute").as_deref(), Some("ớ"));
        assert_eq!(name("Ohorndotbelow").as_deref(), Some("Ợ"));
        assert_eq!(name("dcroat").as_deref(), Some("đ"));
        assert_eq!(name("fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(name("quoteright").as_deref(), Some("\u{2019}"));
    }

    #[test]
    fn conventions() {
        assert_eq!(name("uni1EA1").as_deref(), Some("ạ"));
        assert_eq!(name("uni00410042").as_deref(), Some("AB"));
        assert_eq!(name("u1F600").as_deref(), Some("😀"));
        assert_eq!(name("a.sc").as_deref(), Some("a"));
        assert_eq!(name("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(name("T_h.liga").as_deref(), Some("Th"));
        assert_eq!(name("(").as_deref(), Some("("));
        assert_eq!(name("2").as_deref(), Some("2"));
        assert_eq!(name("=").as_deref(), Some("="));
        assert_eq!(name(".").as_deref(), Some("."));
        assert_eq!(name("_").as_deref(), Some("_"));
    }

    #[test]
    fn wide_math_accents_are_plain_ascii() {
        // Not U+02DC/U+02C6, which layout would merge into the one letter below.
        for (n, want) in [("tildewide", "~"), ("tildewidest", "~"), ("hatwider", "^")] {
            assert_eq!(name(n).as_deref(), Some(want), "{n}");
        }
        assert_eq!(name("tilde").as_deref(), Some("\u{2DC}"));
    }

    #[test]
    fn meaningless_names_map_to_nothing() {
        assert_eq!(name("a123"), None);
        assert_eq!(name("g45"), None);
        assert_eq!(name(".notdef"), None);
        assert_eq!(name("cid00012"), None);
        assert_eq!(name("uniZZZZ"), None);
    }
}
