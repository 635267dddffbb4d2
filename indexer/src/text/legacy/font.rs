//! Recognising legacy Vietnamese fonts by name.

use super::{LegacyEncoding, LegacyFont};

/// Style words PDF producers glue to a family name (`.VnTimeH,Bold`, `VNI-Times-Bold`,
/// `.VnTimeHBold`). Stripped before looking at the last letter, which marks capital fonts.
const STYLE_SUFFIXES: [&str; 14] = [
    "BoldItalic",
    "BoldOblique",
    "Bold",
    "Italic",
    "Oblique",
    "Regular",
    "Normal",
    "Semibold",
    "SemiBold",
    "Demibold",
    "Medium",
    "Light",
    "PSMT",
    "MT",
];

/// Families seen without the leading dot (some producers drop it): `VnTime`, `VnArialH` ...
const TCVN3_DOTLESS_STEMS: [&str; 16] = [
    "Time",
    "Arial",
    "Avant",
    "Helvet",
    "Courier",
    "Book",
    "Black",
    "Centur",
    "Univers",
    "Lincoln",
    "Cooper",
    "Clarendon",
    "Commercial",
    "Souvenir",
    "Bodoni",
    "Free",
];

/// VNI families occasionally written without the hyphen (`VNITimes`).
const VNI_DOTLESS_STEMS: [&str; 6] = ["Times", "Helve", "Aptima", "Souvir", "Univer", "Book"];

/// Recognise a legacy font from its PDF BaseFont/FontName (with or without subset prefix
/// "ABCDEF+", with style suffixes like ",Bold" / "-Bold" / "Italic"): ".VnTime" → Tcvn3,
/// ".VnTimeH" → Tcvn3 capitals, "VNI-Times" → Vni. Returns None for ordinary fonts (e.g.
/// "TimesNewRoman", "Arial").
pub fn font_encoding(font_name: &str) -> Option<LegacyFont> {
    let name = font_name.trim().trim_start_matches('/');
    let name = strip_subset_prefix(name);
    let family = strip_style(name);
    if is_tcvn3_family(family) {
        return Some(LegacyFont {
            encoding: LegacyEncoding::Tcvn3,
            capitals: family.ends_with('H'),
        });
    }
    if is_vni_family(family) {
        return Some(LegacyFont {
            encoding: LegacyEncoding::Vni,
            capitals: false,
        });
    }
    None
}

fn strip_subset_prefix(name: &str) -> &str {
    let b = name.as_bytes();
    if b.len() > 7 && b[6] == b'+' && b[..6].iter().all(u8::is_ascii_uppercase) {
        &name[7..]
    } else {
        name
    }
}

fn strip_style(name: &str) -> &str {
    let mut family = name.split(',').next().unwrap_or(name);
    loop {
        let before = family.len();
        family = family.trim_end_matches([' ', '-', '_']);
        for suffix in STYLE_SUFFIXES {
            if let Some(rest) = family.strip_suffix(suffix) {
                // Never strip a whole family name away (".VnBook" stays, "Book" is no style).
                if rest.trim_end_matches([' ', '-', '_']).len() > 3 {
                    family = rest;
                    break;
                }
            }
        }
        if family.len() == before {
            return family;
        }
    }
}

fn is_tcvn3_family(family: &str) -> bool {
    let bytes = family.as_bytes();
    if bytes.len() > 3 && bytes[0] == b'.' && bytes[1..3].eq_ignore_ascii_case(b"vn") {
        return bytes[3].is_ascii_alphabetic();
    }
    family
        .strip_prefix("Vn")
        .is_some_and(|rest| TCVN3_DOTLESS_STEMS.iter().any(|s| rest.starts_with(s)))
}

fn is_vni_family(family: &str) -> bool {
    let bytes = family.as_bytes();
    if bytes.len() < 5 || !bytes[..3].eq_ignore_ascii_case(b"vni") {
        return false;
    }
    if matches!(bytes[3], b'-' | b'_' | b' ') {
        return bytes[4].is_ascii_alphabetic();
    }
    VNI_DOTLESS_STEMS.iter().any(|s| family[3..].starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_legacy_font_names() {
        const T: Option<LegacyFont> = Some(LegacyFont {
            encoding: LegacyEncoding::Tcvn3,
            capitals: false,
        });
        const TH: Option<LegacyFont> = Some(LegacyFont {
            encoding: LegacyEncoding::Tcvn3,
            capitals: true,
        });
        const V: Option<LegacyFont> = Some(LegacyFont {
            encoding: LegacyEncoding::Vni,
            capitals: false,
        });
        let cases = [
            (".VnTime", T),
            (".VnTimeH", TH),
            ("ABCDEF+.VnTimeH", TH),
            ("ABCDEE+.VnAvantH", TH), // klaa+luan_van__tk.pdf
            ("ABCDEE+.VnHelvetInsH", TH),
            (".VnAvantH", TH),
            (".VnArial,Bold", T),
            (".VnArialH,BoldItalic", TH),
            (".VnTime-Bold", T),
            (".VnTimeH-Italic", TH),
            (".VnTimeHBold", TH),
            (".VnTime Italic", T),
            (".VnBook-Antiqua", T),
            (".VnBook-AntiquaH", TH),
            (".VnArial NarrowH", TH),
            ("/.VnTime", T),
            ("VnTimeH", TH),
            ("VNI-Times", V),
            ("VNI-Helve-Bold", V),
            ("VNI-Times,BoldItalic", V),
            ("QWERTY+VNI-Aptima", V),
            ("VNITimes", V),
            ("TimesNewRomanPSMT", None),
            ("TimesNewRoman", None),
            ("Times New Roman,Bold", None),
            ("Arial", None),
            ("Arial-BoldMT", None),
            ("ABCDEE+Calibri", None),
            ("Helvetica", None),
            ("CMR10", None),
            ("Vni", None),
            ("VNI-", None),
            (".Vn", None),
            ("Vnexpress", None),
            ("ABCDEF+", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(font_encoding(name), want, "{name:?}");
        }
    }
}
