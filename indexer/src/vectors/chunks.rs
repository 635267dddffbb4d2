//! What of a document is embedded: one *meta* text (title, keywords, abstract) and *passage*
//! texts cut from its body, within a per-document token budget.
//!
//! Embedding costs about a millisecond per token on two cores, so the budget is what bounds
//! the ingest time a document adds; the meta text comes first because it says what the work
//! is about in the fewest tokens, then the body in reading order (the first pages of a thesis
//! or paper state its subject; its hundredth page adds little that its first eight lack).
//! Windows end at a line or sentence end where one is within reach, never inside a word, so
//! no passage starts mid-thought more than it must.

use unicode_normalization::UnicodeNormalization;

use crate::doc::Document;

/// Default longest passage window, in tokens (without the `passage: ` prefix and `<s>`,
/// `</s>`). e5 was trained on passages of this order; longer windows blur their topics into one
/// vector, shorter ones cost more vectors for the same text.
pub const CHUNK_TOKENS: usize = 256;

/// The version of what is embedded of a document (this file's rules and defaults), kept in
/// the store's header: vectors of another recipe are recomputed, not mixed with these.
/// 2: a text without title, keywords or abstract gets its opening as meta vector.
pub const RECIPE: u32 = 2;

/// Tokens of a text's opening that stand for its metadata when it has none.
pub const OPENING_TOKENS: usize = 128;

/// Default tokens embedded per document, meta text and every passage's prefix and specials
/// included: the meta text and about seven passage windows (see README, "Vectors").
pub const BUDGET_TOKENS: usize = 2048;

/// Longest input of the model, `<s>` and `</s>` included.
pub const MAX_INPUT_TOKENS: usize = 512;

/// A window shorter than this is not worth a vector (a page number, a running head).
const MIN_WINDOW_TOKENS: usize = 16;

/// How much of each document is embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedConfig {
    /// Longest passage window in tokens (content only).
    pub chunk_tokens: usize,
    /// Tokens embedded per document, everything included.
    pub budget_tokens: usize,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            chunk_tokens: CHUNK_TOKENS,
            budget_tokens: BUDGET_TOKENS,
        }
    }
}

/// Counts tokens as the model will: the real tokenizer in use, a word count in tests.
pub trait TokenCount {
    /// Tokens of `text` alone (no prefix, no `<s>`/`</s>`).
    fn tokens(&self, text: &str) -> usize;
    /// Tokens every input adds to its text: the `passage: ` prefix, `<s>` and `</s>`.
    fn overhead(&self) -> usize;
}

impl TokenCount for embed::Model {
    fn tokens(&self, text: &str) -> usize {
        self.count_tokens(text, embed::Kind::Passage)
            .saturating_sub(self.overhead())
    }

    fn overhead(&self) -> usize {
        self.count_tokens("", embed::Kind::Passage)
    }
}

/// One window of a document's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    /// The page it was cut from (1-based, as the index numbers pages): the store keeps it, so
    /// that search knows which pages the model read of a work longer than its budget.
    pub page: u32,
}

/// The texts of one document to embed, and what they cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    pub meta: Option<String>,
    pub passages: Vec<Passage>,
    /// Tokens the model will run for all of them (prefixes and specials included).
    pub tokens: usize,
}

impl Texts {
    pub fn is_empty(&self) -> bool {
        self.meta.is_none() && self.passages.is_empty()
    }

    /// Every text, the meta one first.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.meta
            .iter()
            .map(String::as_str)
            .chain(self.passages.iter().map(|p| p.text.as_str()))
    }
}

/// The meta text and passage windows of `doc` within `config`'s budget.
pub fn texts_of(doc: &Document, config: &EmbedConfig, counter: &impl TokenCount) -> Texts {
    let m = &doc.metadata;
    let pages = doc.pages.iter().map(|p| p.text.as_str());
    document_texts(
        m.title.as_deref(),
        &m.keywords,
        m.abstract_text.as_deref(),
        pages,
        config,
        counter,
    )
}

/// [`texts_of`] over a document's parts (what the index stores of it).
pub fn document_texts<'a>(
    title: Option<&str>,
    keywords: &[String],
    abstract_text: Option<&str>,
    pages: impl Iterator<Item = &'a str>,
    config: &EmbedConfig,
    counter: &impl TokenCount,
) -> Texts {
    let overhead = counter.overhead();
    let max_content = MAX_INPUT_TOKENS.saturating_sub(overhead);
    let mut out = Texts::default();
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        parts.push(t.to_string());
    }
    let keywords: Vec<&str> = keywords
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .collect();
    if !keywords.is_empty() {
        parts.push(keywords.join("; "));
    }
    let abstract_text = abstract_text.map(str::trim).filter(|a| !a.is_empty());
    if let Some(a) = abstract_text {
        parts.push(a.to_string());
    }
    let pages: Vec<&str> = pages.collect();
    // Without a title, keywords or abstract (a catalogue record of text alone), the opening of
    // the text says what the work is about: it is the meta vector (+3 MRR@10 on d2l across
    // languages, bench/relevance/D2L.md).
    let (meta, limit) = if parts.is_empty() {
        let opening = pages
            .iter()
            .find(|p| !p.trim().is_empty() && crate::text::not_text::assess(p).is_none());
        (opening.map(|p| p.nfc().collect::<String>()), OPENING_TOKENS)
    } else {
        (Some(parts.join("\n").nfc().collect()), max_content)
    };
    if let Some(meta) = meta {
        let mut windows = Windows::new(counter, limit.min(max_content));
        windows.push_text(&meta);
        if let Some((text, tokens)) = windows.take_first() {
            out.tokens += tokens + overhead;
            out.meta = Some(text);
        }
    }
    for (i, page) in pages.into_iter().enumerate() {
        let page_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let left = config.budget_tokens.saturating_sub(out.tokens);
        if left < MIN_WINDOW_TOKENS + overhead {
            break;
        }
        if page.trim().is_empty() || crate::text::not_text::assess(page).is_some() {
            continue;
        }
        // Windows are cut page by page: the budget is spent in reading order and the next
        // page is only read when some budget is left.
        let limit = config.chunk_tokens.min(max_content);
        let mut windows = Windows::new(counter, limit);
        let text: String = page.nfc().collect();
        windows.push_text(&text);
        for (window, tokens) in windows.finish() {
            let left = config.budget_tokens.saturating_sub(out.tokens);
            if tokens + overhead > left {
                // The last window is cut to what is left, at a word end.
                let room = left.saturating_sub(overhead);
                if room >= MIN_WINDOW_TOKENS {
                    let mut cut = Windows::new(counter, room);
                    cut.push_words(&window);
                    if let Some((w, t)) = cut.take_first() {
                        out.tokens += t + overhead;
                        out.passages.push(Passage {
                            text: w,
                            page: page_no,
                        });
                    }
                }
                return out;
            }
            if tokens < MIN_WINDOW_TOKENS || Some(window.as_str()) == abstract_text {
                continue;
            }
            out.tokens += tokens + overhead;
            out.passages.push(Passage {
                text: window,
                page: page_no,
            });
        }
    }
    out
}

/// Cuts text into windows of at most `limit` tokens at line and sentence ends, falling back
/// to word ends for a sentence longer than a window.
struct Windows<'c, C: TokenCount> {
    counter: &'c C,
    limit: usize,
    done: Vec<(String, usize)>,
    current: String,
    current_tokens: usize,
}

impl<'c, C: TokenCount> Windows<'c, C> {
    fn new(counter: &'c C, limit: usize) -> Self {
        Windows {
            counter,
            limit: limit.max(1),
            done: Vec::new(),
            current: String::new(),
            current_tokens: 0,
        }
    }

    fn push_text(&mut self, text: &str) {
        for unit in units(text) {
            if is_junk_line(unit) {
                continue;
            }
            let tokens = self.counter.tokens(unit);
            if tokens > self.limit {
                self.push_words(unit);
            } else {
                self.push_unit(unit, tokens);
            }
        }
    }

    /// Word by word (a sentence longer than a window, or a last window cut short).
    fn push_words(&mut self, text: &str) {
        for word in text.split_whitespace() {
            let tokens = self.counter.tokens(word);
            if tokens > self.limit {
                // A "word" longer than a window (a URL, a run of symbols) is no text to embed.
                continue;
            }
            self.push_unit(word, tokens);
        }
    }

    fn push_unit(&mut self, unit: &str, tokens: usize) {
        if self.current_tokens + tokens > self.limit {
            self.flush();
        }
        if !self.current.is_empty() {
            self.current.push(' ');
        }
        self.current.push_str(unit);
        self.current_tokens += tokens;
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            let text = std::mem::take(&mut self.current);
            self.done.push((text, self.current_tokens));
        }
        self.current_tokens = 0;
    }

    fn finish(mut self) -> Vec<(String, usize)> {
        self.flush();
        self.done
    }

    fn take_first(self) -> Option<(String, usize)> {
        self.finish().into_iter().next()
    }
}

/// Lines and sentences of `text`, trimmed, empty ones left out. A sentence ends at `.`, `?`,
/// `!` or `;` followed by white space (so `3.5` and `v.v.` inside a word stay whole).
fn units(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            let end = b == b'\n'
                || (matches!(b, b'.' | b'?' | b'!' | b';')
                    && bytes.get(i).is_some_and(|c| c.is_ascii_whitespace()));
            if end {
                let unit = text[start..i].trim();
                start = i;
                if !unit.is_empty() {
                    return Some(unit);
                }
            }
        }
        if start < bytes.len() {
            let unit = text[start..].trim();
            start = bytes.len();
            if !unit.is_empty() {
                return Some(unit);
            }
        }
        None
    })
}

/// Lines that carry no meaning for a sentence vector: page numbers, table-of-contents dot
/// leaders, lines of symbols or digits.
fn is_junk_line(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 {
        return true;
    }
    if line.contains("....") || line.contains("…..") || line.contains(". . . .") {
        return true;
    }
    let visible = line.chars().filter(|c| !c.is_whitespace()).count();
    letters * 2 < visible
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{DocMetadata, Page};

    /// One token a word, two for long words: close enough to SentencePiece to test cutting.
    struct Words;

    impl TokenCount for Words {
        fn tokens(&self, text: &str) -> usize {
            text.split_whitespace()
                .map(|w| 1 + usize::from(w.chars().count() > 8))
                .sum()
        }
        fn overhead(&self) -> usize {
            4
        }
    }

    fn corpus_record_texts() -> Vec<(String, String)> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/records/d2l-vi.jsonl");
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                Some((
                    v.get("title")?.as_str()?.to_string(),
                    v.get("text")?.as_str()?.to_string(),
                ))
            })
            .collect()
    }

    #[test]
    fn real_vietnamese_text_is_cut_at_sentence_ends_within_the_budget() {
        let records = corpus_record_texts();
        let (title, text) = records
            .iter()
            .max_by_key(|(_, t)| t.len())
            .expect("d2l-vi records");
        assert!(Words.tokens(text) > 600, "a long record to cut");
        let doc = Document {
            metadata: DocMetadata {
                title: Some(title.clone()),
                keywords: vec!["học sâu".into(), "mạng nơ-ron".into()],
                ..DocMetadata::default()
            },
            pages: vec![Page {
                text: crate::text::normalize(text),
                ..Page::default()
            }],
            ..Document::default()
        };
        let config = EmbedConfig {
            chunk_tokens: 120,
            budget_tokens: 500,
        };
        let t = texts_of(&doc, &config, &Words);
        let meta = t.meta.as_deref().unwrap();
        assert!(meta.starts_with(title.trim()) && meta.contains("học sâu; mạng nơ-ron"));
        assert!(t.passages.len() >= 3, "{t:#?}");
        assert!(t.tokens <= config.budget_tokens, "{}", t.tokens);
        let body = crate::text::normalize(text);
        let words: std::collections::HashSet<&str> = body.split_whitespace().collect();
        for (i, p) in t.passages.iter().enumerate() {
            assert_eq!(p.page, 1);
            let p = &p.text;
            assert!(Words.tokens(p) <= config.chunk_tokens);
            // Never mid-word: every word of a window is a word of the text.
            assert!(p.split_whitespace().all(|w| words.contains(w)), "{p}");
            // Full windows end where a sentence or line ends.
            if i + 1 < t.passages.len() {
                let end = p.chars().last().unwrap();
                assert!(
                    ".?!;:)".contains(end) || body.contains(&format!("{p}\n")) || {
                        let last = p.split_whitespace().last().unwrap();
                        body.contains(&format!("{last}\n"))
                    },
                    "window {i} ends mid-sentence: …{}",
                    &p[p.len().saturating_sub(60)..]
                );
            }
        }
    }

    #[test]
    fn real_english_text_and_the_budget_cap() {
        let text = "Deep learning models learn representations. They are trained by gradient \
                    descent on large data sets.\nConvolutional networks read images; recurrent \
                    ones read sequences. Attention lets every token see every other token."
            .repeat(100);
        let doc = Document {
            metadata: DocMetadata {
                title: Some("Dive into Deep Learning".into()),
                abstract_text: Some("An interactive book about deep learning.".into()),
                ..DocMetadata::default()
            },
            pages: vec![
                Page {
                    text: "1.1 Introduction .............. 3\n12\n".into(),
                    ..Page::default()
                },
                Page {
                    text,
                    ..Page::default()
                },
            ],
            ..Document::default()
        };
        let t = texts_of(&doc, &EmbedConfig::default(), &Words);
        assert!(t.tokens <= BUDGET_TOKENS, "{}", t.tokens);
        assert!(
            t.tokens > BUDGET_TOKENS - CHUNK_TOKENS,
            "the budget is used"
        );
        assert!(t.passages.iter().all(|p| !p.text.contains("....")));
        assert!(t.passages[0].text.starts_with("Deep learning models"));
        // The table of contents on page 1 gave no window: the first is page 2's.
        assert!(t.passages.iter().all(|p| p.page == 2));
    }

    #[test]
    fn passages_know_their_pages_and_the_budget_ends_the_reading() {
        let page = |n: usize| Page {
            text: format!(
                "Trang {n} bàn về một chủ đề riêng của luận văn, với đủ câu để thành một cửa sổ. "
            )
            .repeat(8),
            ..Page::default()
        };
        let mut pages: Vec<Page> = (1..=40).map(page).collect();
        pages[2] = Page::default();
        let doc = Document {
            pages,
            metadata: DocMetadata {
                title: Some("Luận văn".into()),
                ..DocMetadata::default()
            },
            ..Document::default()
        };
        let config = EmbedConfig {
            chunk_tokens: 256,
            budget_tokens: 1024,
        };
        let t = texts_of(&doc, &config, &Words);
        let read: Vec<u32> = t.passages.iter().map(|p| p.page).collect();
        // Each window comes from the page it names, an empty page gives none, and pages are
        // read in order until the budget is spent, long before page 40.
        for p in &t.passages {
            assert!(p.text.starts_with(&format!("Trang {} ", p.page)), "{p:?}");
        }
        assert!(!read.contains(&3), "{read:?}");
        assert!(read.windows(2).all(|w| w[0] < w[1]), "{read:?}");
        assert!(read.len() >= 5 && *read.last().unwrap() < 20, "{read:?}");
    }

    #[test]
    fn empty_and_junk_documents_give_nothing() {
        let doc = Document {
            pages: vec![
                Page::default(),
                Page {
                    text: "- 3 -\n\n12 14 16".into(),
                    ..Page::default()
                },
            ],
            ..Document::default()
        };
        let t = texts_of(&doc, &EmbedConfig::default(), &Words);
        assert!(t.is_empty(), "{t:?}");
        assert_eq!(t.tokens, 0);
    }

    #[test]
    fn a_long_meta_text_is_cut_to_the_model_input() {
        let doc = Document {
            metadata: DocMetadata {
                title: Some("Tiêu đề".into()),
                abstract_text: Some("từ ".repeat(2000)),
                ..DocMetadata::default()
            },
            ..Document::default()
        };
        let t = texts_of(&doc, &EmbedConfig::default(), &Words);
        assert_eq!(
            Words.tokens(t.meta.as_deref().unwrap()),
            MAX_INPUT_TOKENS - 4
        );
    }

    #[test]
    fn a_text_without_metadata_opens_with_its_meta_vector() {
        let text = "Học máy là một lĩnh vực của trí tuệ nhân tạo. ".repeat(60);
        let doc = Document {
            pages: vec![Page {
                text: text.clone(),
                ..Page::default()
            }],
            ..Document::default()
        };
        let t = texts_of(&doc, &EmbedConfig::default(), &Words);
        let meta = t.meta.as_deref().unwrap();
        assert!(text.starts_with(meta.trim()), "{meta}");
        assert!(
            Words.tokens(meta) <= OPENING_TOKENS,
            "{}",
            Words.tokens(meta)
        );
        // The passages still cover the text from its start.
        assert!(
            t.passages[0].text.starts_with("Học máy là"),
            "{:?}",
            t.passages[0]
        );
    }
}
