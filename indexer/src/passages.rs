//! Passages: the units in which the ranking scores body text.
//!
//! A 300-page thesis and a 100-word catalogue record do not compete fairly as wholes: BM25 over
//! a whole thesis finds most words of any long query somewhere in it, and its length
//! normalisation is set by an average that mixes both kinds. Ranking therefore scores body text
//! in passages of comparable size (passage retrieval, "MaxP"): a document competes through its
//! best passage, plus its title, authors, keywords and abstract.
//!
//! A passage is a page, because pages are what a reader is sent to and what a hit's `pages`
//! name. Two adjustments keep passages comparable:
//! - a page (or a record's single text) longer than [`MAX_WORDS`] is cut into near-equal parts
//!   of about [`TARGET_WORDS`], at a line or sentence end when one is near;
//! - pages shorter than [`MIN_WORDS`] (slides, title pages, chapter openings) are joined with the
//!   pages after them, so a slide with one query word among ten does not outrank a page that
//!   discusses the subject.

use crate::doc::{Document, Page};

/// A page or text longer than this is cut into several passages.
pub const MAX_WORDS: usize = 1200;
/// Size the parts of a long text aim at.
pub const TARGET_WORDS: usize = 600;
/// Pages shorter than this are joined with the following ones.
pub const MIN_WORDS: usize = 80;

/// One passage: text slices of consecutive pages (usually one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage<'a> {
    /// First page (1-based) the passage comes from.
    pub page: u32,
    /// Its text, one slice per page it spans.
    pub parts: Vec<&'a str>,
}

/// A document's passages: its abstract, when it has one, as a passage of its own (page 0), then
/// its pages'. Added to the best page instead, a long abstract full of common words would lift
/// every thesis above the one paragraph that answers a question.
pub fn of_document(doc: &Document) -> Vec<Passage<'_>> {
    let mut out: Vec<Passage<'_>> = doc
        .metadata
        .abstract_text
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| Passage {
            page: 0,
            parts: vec![a],
        })
        .into_iter()
        .collect();
    out.extend(passages(&doc.pages));
    out
}

/// Cuts the pages of a document into passages; empty pages give none.
pub fn passages(pages: &[Page]) -> Vec<Passage<'_>> {
    let mut out = Vec::new();
    // Short pages waiting to be joined with what follows.
    let mut pending: Option<(Passage<'_>, usize)> = None;
    for (i, page) in pages.iter().enumerate() {
        let text = page.text.trim();
        if text.is_empty() {
            continue;
        }
        let page_no = i as u32 + 1;
        let words = word_starts(text);
        if words.len() > MAX_WORDS {
            if let Some((p, _)) = pending.take() {
                out.push(p);
            }
            for part in cut(text, &words) {
                out.push(Passage {
                    page: page_no,
                    parts: vec![part],
                });
            }
            continue;
        }
        let (mut p, mut n) = pending.take().unwrap_or((
            Passage {
                page: page_no,
                parts: Vec::new(),
            },
            0,
        ));
        p.parts.push(text);
        n += words.len();
        if n >= MIN_WORDS {
            out.push(p);
        } else {
            pending = Some((p, n));
        }
    }
    if let Some((p, _)) = pending {
        // A short tail joins the passage before it when that stays within bounds.
        match out.last_mut() {
            Some(last) if last.parts.len() + p.parts.len() <= 8 && p.page > last.page => {
                last.parts.extend(p.parts)
            }
            _ => out.push(p),
        }
    }
    out
}

/// Byte offsets where the words of `text` start.
fn word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            starts.push(i);
            in_word = true;
        }
    }
    starts
}

/// Cuts a long text into near-equal parts of about [`TARGET_WORDS`] words, moving each cut back
/// to a line or sentence end within the last fifth of a part when there is one.
fn cut<'a>(text: &'a str, words: &[usize]) -> Vec<&'a str> {
    let n = words.len().div_ceil(TARGET_WORDS);
    let size = words.len().div_ceil(n);
    let mut parts = Vec::with_capacity(n);
    let mut start = 0usize; // word index
    while start < words.len() {
        let mut end = (start + size).min(words.len());
        if end < words.len() {
            let earliest = end - size / 5;
            if let Some(w) = (earliest..=end)
                .rev()
                .find(|&w| ends_clause(text, words[w]))
            {
                end = w;
            }
        }
        let from = words[start];
        let to = words.get(end).copied().unwrap_or(text.len());
        parts.push(text[from..to].trim_end());
        start = end;
    }
    parts
}

/// The word starting at `at` begins a line or follows a sentence end.
fn ends_clause(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before.ends_with('\n') || before.ends_with(['.', '?', '!', ';', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            text: text.to_string(),
            no_text: false,
            ocr: false,
        }
    }

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn a_normal_page_is_one_passage() {
        let pages = [page(&words(300, "học")), page(&words(200, "máy"))];
        let p = passages(&pages);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].page, p[1].page), (1, 2));
        assert_eq!(p[1].parts, [pages[1].text.as_str()]);
    }

    #[test]
    fn empty_pages_give_no_passage_and_keep_page_numbers() {
        let pages = [page(""), page("  \n"), page(&words(100, "x"))];
        let p = passages(&pages);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].page, 3);
    }

    #[test]
    fn short_pages_are_joined_with_the_following_ones() {
        let pages = [
            page("Chương 1. Tổng quan"),
            page(&words(30, "slide")),
            page(&words(60, "nội dung")),
            page(&words(200, "trang")),
        ];
        let p = passages(&pages);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].page, 1);
        assert_eq!(p[0].parts.len(), 3);
        assert_eq!(p[1].page, 4);
    }

    #[test]
    fn a_short_last_page_joins_the_passage_before() {
        let pages = [page(&words(200, "a")), page("Tài liệu tham khảo")];
        let p = passages(&pages);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].parts.len(), 2);
        // A document that is all short pages still has its text.
        let short = [page("Lời cảm ơn")];
        assert_eq!(passages(&short)[0].parts, ["Lời cảm ơn"]);
    }

    #[test]
    fn a_long_text_is_cut_near_equal_at_sentence_ends() {
        let sentence = format!("{}.", words(50, "câu"));
        let text = vec![sentence.as_str(); 60].join(" "); // 3,000 words
        let pages = [page(&text)];
        let p = passages(&pages);
        assert_eq!(p.len(), 5, "3,000 words in parts of about 600");
        let mut total = 0;
        for part in &p {
            let n = part.parts[0].split_whitespace().count();
            assert!((450..=650).contains(&n), "{n}");
            assert!(part.parts[0].ends_with('.'), "cut at a sentence end");
            total += n;
        }
        assert_eq!(total, 3000, "nothing lost or repeated");
    }

    #[test]
    fn a_long_text_without_sentences_is_cut_at_words() {
        let pages = [page(&words(1500, "từ"))];
        let p = passages(&pages);
        assert_eq!(p.len(), 3);
        let total: usize = p
            .iter()
            .map(|x| x.parts[0].split_whitespace().count())
            .sum();
        assert_eq!(total, 1500);
    }
}
