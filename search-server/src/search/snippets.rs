//! Which pages matched and the highlighted snippet of a hit.
//!
//! Matching is on folded, lower-cased forms so `duong` highlights `đường` and `dương`, as the
//! folded index fields matched them. Finding the pages scans folded copies of the page texts
//! with `memchr::memmem` (cached per document: the same documents come back for many
//! queries); only the best page is then tokenised with the index analyzer, whose offsets point
//! into the stored text, to cut the snippet and place `<mark>`s.

use indexer::analysis::{self, EXACT, FOLDED};

use crate::text::{escape_html, fold_lower};

/// The folded query terms to look for, from the positive words and phrases of a query.
pub fn query_terms<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        for tok in analysis::tokens(FOLDED, t) {
            if !out.contains(&tok.token) {
                out.push(tok.token);
            }
        }
    }
    out
}

/// The terms (of [`query_terms`]) that `query` spells without diacritics, for marking text in
/// the other language than the query's: there a folded Vietnamese word would mark an unrelated
/// one (`nơ` → "no", `mạng` → "mang"), while words both languages write alike (GDP, ARIMA,
/// random forest) are what the reader looks for.
pub fn spelled_plainly(query: &str, terms: &[String]) -> Vec<String> {
    let plain: Vec<String> = analysis::tokens(EXACT, query)
        .into_iter()
        .map(|t| t.token.to_lowercase())
        .filter(|t| fold_lower(t) == *t)
        .collect();
    terms
        .iter()
        .filter(|t| plain.contains(t))
        .cloned()
        .collect()
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Occurrences of `term` in `hay` at word boundaries.
fn count_word(hay: &str, finder: &memchr::memmem::Finder<'_>, len: usize) -> usize {
    let bytes = hay.as_bytes();
    finder
        .find_iter(bytes)
        .filter(|&i| {
            (i == 0 || !is_word_byte(bytes[i - 1]))
                && (i + len >= bytes.len() || !is_word_byte(bytes[i + len]))
        })
        .count()
}

/// 1-based numbers of the pages where any term occurs, best first (most distinct terms, then
/// most occurrences, then page order), at most `max`.
pub fn matching_pages(folded_pages: &[String], terms: &[String], max: usize) -> Vec<u32> {
    if terms.is_empty() {
        return Vec::new();
    }
    let finders: Vec<_> = terms
        .iter()
        .map(|t| (memchr::memmem::Finder::new(t.as_bytes()), t.len()))
        .collect();
    let mut scored: Vec<(usize, usize, u32)> = Vec::new();
    for (i, page) in folded_pages.iter().enumerate() {
        let mut distinct = 0;
        let mut total = 0;
        for (f, len) in &finders {
            let n = count_word(page, f, *len);
            if n > 0 {
                distinct += 1;
                total += n;
            }
        }
        if distinct > 0 {
            scored.push((distinct, total, i as u32 + 1));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().take(max).map(|s| s.2).collect()
}

/// Tokens in a snippet window.
const WINDOW: usize = 28;

/// An HTML snippet of `text` around the densest run of `terms`, `<mark>` around matches and
/// everything else escaped. `None` when no term occurs in `text`.
pub fn highlight(text: &str, terms: &[String]) -> Option<String> {
    let tokens = analysis::tokens(EXACT, text);
    let hits: Vec<Option<usize>> = tokens
        .iter()
        .map(|t| {
            let f = fold_lower(&t.token);
            terms.iter().position(|q| *q == f)
        })
        .collect();
    if hits.iter().all(Option::is_none) {
        return None;
    }
    // The window with the most distinct terms, then the most matches.
    let mut best = (0usize, 0usize, 0usize);
    for start in 0..tokens.len() {
        if hits[start].is_none() {
            continue;
        }
        let end = (start + WINDOW).min(tokens.len());
        let mut seen = vec![false; terms.len()];
        let mut count = 0;
        for h in hits[start..end].iter().flatten() {
            seen[*h] = true;
            count += 1;
        }
        let distinct = seen.iter().filter(|s| **s).count();
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, start);
        }
    }
    // Start a few tokens before the first match for context.
    let first = if best.2 <= 8 { 0 } else { best.2 - 4 };
    let last = (first + WINDOW).min(tokens.len()) - 1;
    // At either end of the text, keep the punctuation before the first or after the last word.
    let from = if first == 0 && tokens[0].start_offset <= 40 {
        0
    } else {
        tokens[first].start_offset
    };
    let mut to = tokens[last].end_offset;
    if last + 1 == tokens.len() && text.len() - to <= 40 {
        to = text.len();
    }
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    let mut pos = from;
    for (t, h) in tokens[first..=last].iter().zip(&hits[first..=last]) {
        if t.start_offset < pos {
            continue; // joined compounds overlap their parts
        }
        out.push_str(&escape_html(&text[pos..t.start_offset]));
        let word = escape_html(&text[t.start_offset..t.end_offset]);
        if h.is_some() {
            out.push_str("<mark>");
            out.push_str(&word);
            out.push_str("</mark>");
        } else {
            out.push_str(&word);
        }
        pos = t.end_offset;
    }
    out.push_str(&escape_html(&text[pos..to]));
    if last + 1 < tokens.len() {
        out.push('…');
    }
    Some(out.trim().replace('\n', " "))
}

/// The start of `text`, escaped, about `chars` characters, for hits without a match to show.
pub fn lead(text: &str, chars: usize) -> String {
    let t = text.trim();
    let cut: String = t.chars().take(chars).collect();
    let mut s = escape_html(&cut).replace('\n', " ");
    if cut.len() < t.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_highlight_marks_accented_words() {
        let terms = query_terms(["duong"]);
        let html = highlight("Con đường và dương xỉ <b>", &terms).unwrap();
        assert_eq!(
            html,
            "Con <mark>đường</mark> và <mark>dương</mark> xỉ &lt;b&gt;"
        );
        assert!(highlight("không có", &terms).is_none());
    }

    #[test]
    fn only_words_typed_without_diacritics_mark_the_other_language() {
        let q = "mạng nơ-ron ARIMA dự báo GDP -lstm";
        let terms = query_terms(["mạng nơ-ron ARIMA dự báo GDP"]);
        assert_eq!(spelled_plainly(q, &terms), ["ron", "arima", "gdp"]);
        let en = "No model: ARIMA forecasts of GDP and the mango harvest";
        assert_eq!(
            highlight(en, &spelled_plainly(q, &terms)).unwrap(),
            "No model: <mark>ARIMA</mark> forecasts of <mark>GDP</mark> and the mango harvest"
        );
        // Folded, the Vietnamese words would have marked "No".
        assert!(highlight(en, &terms).unwrap().contains("<mark>No</mark>"));
        // An English query keeps every word.
        let terms = query_terms(["neural network"]);
        assert_eq!(spelled_plainly("Neural network", &terms), terms);
    }

    #[test]
    fn pages_best_first() {
        let pages: Vec<String> = ["học máy", "máy học sâu; học", "khác", "hoc"]
            .iter()
            .map(|p| fold_lower(p))
            .collect();
        let terms = query_terms(["học sâu"]);
        assert_eq!(matching_pages(&pages, &terms, 10), [2, 1, 4]);
        // Word boundaries: "hoc" does not match inside "hocsinh".
        assert!(matching_pages(&[fold_lower("hocsinh")], &terms, 10).is_empty());
    }

    #[test]
    fn long_text_gets_ellipses() {
        let text = format!("{} trọng tâm {}", "a ".repeat(100), "b ".repeat(100));
        let html = highlight(&text, &query_terms(["trong tam"])).unwrap();
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>trọng</mark> <mark>tâm</mark>"));
    }
}
