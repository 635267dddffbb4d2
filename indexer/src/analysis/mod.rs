//! Vietnamese-aware analysis for tantivy: one analyzer per kind of field.
//!
//! | analyzer | chain | holds | example for `Đường thẳng` |
//! |---|---|---|---|
//! | [`EXACT`] | [`SyllableTokenizer`] | syllables with diacritics | `đường`, `thẳng` |
//! | [`FOLDED`] | syllables → [`FoldFilter`] | syllables without diacritics | `duong`, `thang` |
//! | [`PAIRS`] | syllables → fold → [`PairFilter`] | adjacent folded pairs | `duong thang` |
//! | [`STEM_EN`] | syllables → fold → English stemmer | English stems (English text only) | |
//!
//! A query is analysed with the same analyzers: a query without diacritics matches the folded
//! field; with diacritics it also matches the exact field, which the query builder weights
//! higher, so `đường` ranks above `dương`. Pairs reward syllables that are adjacent and in order
//! (`khoa học` above a document where `khoa` and `học` are far apart).
//!
//! "syllables → fold" is one pass, [`SyllableTokenizer::folded`], which gives exactly the
//! tokens of the syllable tokenizer followed by [`FoldFilter`]: every indexed text goes through
//! three of these analyzers, so each pass over the text counts.
//!
//! tantivy does not store analyzers in the index: [`register`] must be called on every opened
//! index, which [`crate::index::open`] does for both binaries.

pub mod fold_filter;
pub mod pairs;
pub mod tokenizer;

use serde::Serialize;
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, TokenStream, TokenizerManager};

pub use fold_filter::FoldFilter;
pub use pairs::PairFilter;
pub use tokenizer::SyllableTokenizer;

/// Syllables with their diacritics (lower case, NFC, canonical tones).
pub const EXACT: &str = "vi_exact";
/// Syllables without diacritics.
pub const FOLDED: &str = "vi_folded";
/// Adjacent folded syllable pairs.
pub const PAIRS: &str = "vi_pairs";
/// Folded English stems, for documents detected as English.
pub const STEM_EN: &str = "en_stem";

/// The analyzer registered under `name`, or `None` for a name this crate does not define.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    // The folded analyzers use the tokenizer's folding mode, which gives exactly the tokens of
    // the syllable tokenizer followed by `FoldFilter` without a second pass over each token.
    let folded = SyllableTokenizer::folded;
    Some(match name {
        EXACT => TextAnalyzer::builder(SyllableTokenizer::default()).build(),
        FOLDED => TextAnalyzer::builder(folded()).build(),
        PAIRS => TextAnalyzer::builder(folded()).filter(PairFilter).build(),
        STEM_EN => TextAnalyzer::builder(folded())
            .filter(Stemmer::new(Language::English))
            .build(),
        _ => return None,
    })
}

/// Every analyzer name this crate registers.
pub const ALL: [&str; 4] = [EXACT, FOLDED, PAIRS, STEM_EN];

/// Registers every analyzer of this crate on `manager`.
pub fn register(manager: &TokenizerManager) {
    for name in ALL {
        if let Some(a) = analyzer(name) {
            manager.register(name, a);
        }
    }
}

/// One token as shown by `indexer analyze` (the shape of Elasticsearch's `_analyze`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    pub token: String,
    pub start_offset: usize,
    pub end_offset: usize,
    pub position: usize,
}

/// Runs analyzer `name` over `text`.
///
/// # Panics
/// Never for the names in [`ALL`]; an unknown name yields no tokens.
pub fn tokens(name: &str, text: &str) -> Vec<AnalyzedToken> {
    let Some(mut analyzer) = analyzer(name) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(AnalyzedToken {
            token: t.text.clone(),
            start_offset: t.offset_from,
            end_offset: t.offset_to,
            position: t.position,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(name: &str, text: &str) -> Vec<String> {
        tokens(name, text).into_iter().map(|t| t.token).collect()
    }

    #[test]
    fn each_analyzer_on_a_thesis_title() {
        let title = "Nghiên cứu ứng dụng học sâu trong xử lý ảnh y tế";
        assert_eq!(
            terms(EXACT, title),
            [
                "nghiên", "cứu", "ứng", "dụng", "học", "sâu", "trong", "xử", "lý", "ảnh", "y", "tế"
            ]
        );
        assert_eq!(
            terms(FOLDED, title),
            ["nghien", "cuu", "ung", "dung", "hoc", "sau", "trong", "xu", "ly", "anh", "y", "te"]
        );
        assert_eq!(
            terms(PAIRS, "Đường thẳng, khoa học máy tính"),
            ["duong thang", "khoa hoc", "hoc may", "may tinh"]
        );
        assert_eq!(
            terms(STEM_EN, "Searching indexed documents efficiently"),
            ["search", "index", "document", "effici"]
        );
    }

    #[test]
    fn hyphen_compound_pairs_use_the_parts() {
        assert_eq!(
            terms(PAIRS, "dịch COVID-19 tại Việt Nam"),
            ["dich covid", "covid 19", "19 tai", "tai viet", "viet nam"]
        );
    }

    #[test]
    fn register_makes_every_analyzer_available() {
        let manager = TokenizerManager::default();
        register(&manager);
        for name in ALL {
            assert!(manager.get(name).is_some(), "{name}");
        }
    }
}
