//! Advance widths of the standard 14 fonts (and of the usual aliases such as Arial or Times New
//! Roman), for fonts that come without `/Widths`. Generated from the URW clones' AFM files.

mod data {
    include!("data/afm_widths.rs");
}

/// Which standard font metrics stand in for a font without widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StandardMetrics {
    Latin(&'static [(u32, u16)]),
    Courier,
    Symbol,
    Dingbats,
}

impl StandardMetrics {
    /// Guess from a base font name (subset prefix and style suffixes allowed).
    pub(crate) fn for_font(base_font: &str) -> StandardMetrics {
        let name = base_font.split_once('+').map_or(base_font, |(_, n)| n);
        let lower = name.to_ascii_lowercase();
        let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
        let italic = lower.contains("italic") || lower.contains("oblique");
        if lower.contains("courier") || lower.contains("mono") {
            return StandardMetrics::Courier;
        }
        if lower.starts_with("symbol") {
            return StandardMetrics::Symbol;
        }
        if lower.contains("dingbats") {
            return StandardMetrics::Dingbats;
        }
        let sans = lower.contains("helvetica")
            || lower.contains("arial")
            || lower.contains("sans")
            || lower.contains("verdana")
            || lower.contains("tahoma")
            || lower.contains("calibri");
        StandardMetrics::Latin(match (sans, bold, italic) {
            (true, false, false) => data::HELVETICA,
            (true, true, false) => data::HELVETICA_BOLD,
            (true, false, true) => data::HELVETICA_OBLIQUE,
            (true, true, true) => data::HELVETICA_BOLD_OBLIQUE,
            (false, false, false) => data::TIMES_ROMAN,
            (false, true, false) => data::TIMES_BOLD,
            (false, false, true) => data::TIMES_ITALIC,
            (false, true, true) => data::TIMES_BOLD_ITALIC,
        })
    }

    /// Width in 1/1000 em of a glyph, given its code and the character it shows.
    pub(crate) fn width(self, code: u8, ch: Option<char>) -> f32 {
        match self {
            StandardMetrics::Courier => 600.0,
            StandardMetrics::Symbol => nonzero(data::SYMBOL_WIDTHS[code as usize]),
            StandardMetrics::Dingbats => nonzero(data::DINGBATS_WIDTHS[code as usize]),
            StandardMetrics::Latin(table) => {
                let Some(ch) = ch else { return 500.0 };
                table
                    .binary_search_by_key(&(ch as u32), |&(c, _)| c)
                    .map_or(500.0, |i| f32::from(table[i].1))
            }
        }
    }
}

fn nonzero(w: u16) -> f32 {
    if w == 0 {
        500.0
    } else {
        f32::from(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_widths() {
        let times = StandardMetrics::for_font("Times-Roman");
        assert_eq!(times.width(b'a', Some('a')), 444.0);
        assert_eq!(times.width(b' ', Some(' ')), 250.0);
        let helv = StandardMetrics::for_font("ABCDEF+Arial,Bold");
        assert_eq!(helv.width(b'a', Some('a')), 556.0);
        assert_eq!(
            StandardMetrics::for_font("Courier-Oblique").width(b'W', Some('W')),
            600.0
        );
        assert_eq!(StandardMetrics::for_font("Symbol").width(b'a', None), 631.0);
    }
}
