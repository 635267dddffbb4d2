//! Names in a query: the words a user capitalises on purpose.
//!
//! A question like `Thuốc Bifril có thể gây ra những tác dụng phụ gì?` is about `Bifril`; BM25
//! alone lets the many common words (`tác dụng phụ`, `có thể gây ra`) outvote it, and a
//! document on another drug's side effects wins. Capitalised words that are not Vietnamese
//! syllables (drug, gene, place and people names from other languages) and acronyms (`DCIS`,
//! `VA`) get extra weight. Capitalised Vietnamese syllables are left alone: Vietnamese
//! capitalises every word of a title or an institution (`Bộ luật Hình sự`), and such words
//! are often absent from the text that answers (measured on ALQAC, bench/relevance).

/// Onsets of Vietnamese syllables (folded, longest first).
const ONSETS: &[&str] = &[
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Codas of Vietnamese syllables (folded, longest first).
const CODAS: &[&str] = &["ng", "nh", "ch", "c", "m", "n", "p", "t"];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// True when `folded` (lower case, no diacritics) has the shape of one Vietnamese syllable:
/// an optional onset, one to three vowels, an optional coda.
pub fn is_vietnamese_syllable(folded: &str) -> bool {
    let rest = ONSETS
        .iter()
        .find_map(|o| folded.strip_prefix(o))
        .unwrap_or(folded);
    let nucleus_len = rest.chars().take_while(|c| is_vowel(*c)).count();
    if !(1..=3).contains(&nucleus_len) {
        return false;
    }
    let coda = &rest[nucleus_len..];
    coda.is_empty() || CODAS.contains(&coda)
}

/// True when the word `raw`, as typed, is a name: an acronym (two or more capitals), or a
/// capitalised word (`first_in_query` false: the first word of a sentence is capitalised
/// anyway) that is not a Vietnamese syllable. `folded` is its folded token.
pub fn is_name(raw: &str, folded: &str, first_in_query: bool) -> bool {
    let mut chars = raw.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if raw.chars().count() >= 2 && raw.chars().all(char::is_uppercase) {
        return true;
    }
    first.is_uppercase()
        && !first_in_query
        && folded.chars().all(|c| c.is_ascii_alphanumeric())
        && !is_vietnamese_syllable(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("Bifril", "bifril", false, true),
            ("Biotin", "biotin", false, true),
            ("Bart", "bart", false, true),
            ("Crohn", "crohn", false, true),
            ("DCIS", "dcis", true, true),
            ("VA", "va", false, true),
            ("Bộ", "bo", false, false),
            ("Hình", "hinh", false, false),
            ("Theo", "theo", false, false),
            ("Nguyễn", "nguyen", false, false),
            ("Biotin", "biotin", true, false),
            ("insulin", "insulin", false, false),
            ("Khuyến", "khuyen", false, false),
            ("Quyết", "quyet", false, false),
        ];
        for (raw, folded, first, want) in cases {
            assert_eq!(is_name(raw, folded, first), want, "{raw}");
        }
    }
}
