//! Bridge to the legacy Vietnamese font decoders (`crate::text::legacy`): which fonts are legacy
//! and how their codes become Unicode. Kept in one place so the PDF code depends on the
//! decoder's public contract only.

pub(crate) use crate::text::legacy::LegacyFont as Legacy;

/// The legacy encoding of a font, from its base font name (subset prefix allowed).
pub(crate) fn detect(base_font: &str) -> Option<Legacy> {
    crate::text::legacy::font_encoding(base_font)
}

/// Raw single-byte char codes of a legacy font to Unicode.
pub(crate) fn decode_bytes(bytes: &[u8], font: Legacy) -> String {
    crate::text::legacy::decode_bytes(bytes, font)
}

/// Text mis-decoded as Latin-1/cp1252 (a ToUnicode map of look-alikes) to Unicode.
pub(crate) fn convert_str(text: &str, font: Legacy) -> String {
    crate::text::legacy::convert_str(text, font)
}
