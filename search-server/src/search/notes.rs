//! What a search says about how it read the query, in the page's language.
//!
//! The parser and the search record [`Note`]s; the response renders them in the language the
//! request asked for ([`UiLang`]: `hl=vi|en`, else the first of `Accept-Language` we speak,
//! else Vietnamese), so the Vietnamese page never shows an English sentence among its own.

/// The language of the page a search answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    #[default]
    Vi,
    En,
}

impl UiLang {
    /// `vi` or `en` (any case, a region allowed: `en-GB`); `None` otherwise.
    pub fn parse(code: &str) -> Option<UiLang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary {
            "vi" => Some(UiLang::Vi),
            "en" => Some(UiLang::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header that the page speaks, by preference
    /// (`q` weights honoured).
    pub fn from_accept_language(header: &str) -> Option<UiLang> {
        let mut langs: Vec<(f32, UiLang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = UiLang::parse(it.next()?)?;
                let q = it
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // Stable: equal weights keep the header's order.
        langs.sort_by(|a, b| b.0.total_cmp(&a.0));
        langs.first().map(|(_, l)| *l)
    }
}

/// One thing the search reinterpreted or wants the user to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A `-` or `+` with nothing after it.
    LoneSign(char),
    UnclosedQuote,
    /// `title:` with no value.
    EmptyPrefix,
    OrWithoutTermBefore,
    OrWithoutTermAfter,
    OrBeforeExcluded,
    /// `-year:2019`.
    NegatedYear(String),
    /// `year:` with something that is not a year or a range.
    NotAYear(String),
    /// A term made only of punctuation.
    NothingToSearch(String),
    /// More terms than the parser keeps.
    TooManyTerms(usize),
    /// No matching document has every word: the results have some of them.
    NoDocumentHasEveryWord,
    /// Vietnamese typed without diacritics, with a model imported: the model, which misreads
    /// such text, stayed out, so no document of the other language was looked for.
    TypeWithDiacritics,
}

impl Note {
    /// The note in `lang`.
    pub fn text(&self, lang: UiLang) -> String {
        let vi = lang == UiLang::Vi;
        match self {
            Note::LoneSign(c) if vi => format!("dấu {c:?} đứng riêng đã được bỏ qua"),
            Note::LoneSign(c) => format!("a lone {c:?} was ignored"),
            Note::UnclosedQuote if vi => {
                "dấu ngoặc kép chưa đóng: cụm từ kéo dài đến hết câu truy vấn".into()
            }
            Note::UnclosedQuote => "a quote was not closed; the phrase runs to the end".into(),
            Note::EmptyPrefix if vi => "tiền tố trường không có giá trị đã được bỏ qua".into(),
            Note::EmptyPrefix => "a field prefix without a value was ignored".into(),
            Note::OrWithoutTermBefore if vi => "OR không có từ đứng trước đã được bỏ qua".into(),
            Note::OrWithoutTermBefore => "OR without a term before it was ignored".into(),
            Note::OrWithoutTermAfter if vi => "OR không có từ đứng sau đã được bỏ qua".into(),
            Note::OrWithoutTermAfter => "OR without a term after it was ignored".into(),
            Note::OrBeforeExcluded if vi => "OR trước một từ bị loại trừ đã được bỏ qua".into(),
            Note::OrBeforeExcluded => "OR before an excluded term was ignored".into(),
            Note::NegatedYear(t) if vi => {
                format!("không hỗ trợ -year:{t}; điều kiện này đã được bỏ qua")
            }
            Note::NegatedYear(t) => format!("-year:{t} is not supported and was ignored"),
            Note::NotAYear(t) if vi => format!(
                "year:{t} không phải là năm hay khoảng năm (như 2015-2020) nên đã được bỏ qua"
            ),
            Note::NotAYear(t) => {
                format!("year:{t} is not a year or a range like 2015-2020 and was ignored")
            }
            Note::NothingToSearch(t) if vi => format!("{t:?} không có gì để tìm"),
            Note::NothingToSearch(t) => format!("{t:?} has nothing to search"),
            Note::TooManyTerms(n) if vi => format!("chỉ dùng {n} từ đầu tiên"),
            Note::TooManyTerms(n) => format!("only the first {n} terms were used"),
            Note::NoDocumentHasEveryWord if vi => "không tài liệu nào có đủ mọi từ: đang hiện \
                các tài liệu có một số từ, phù hợp nhất trước"
                .into(),
            Note::NoDocumentHasEveryWord => {
                "no document has every word: showing documents with some of them, best first".into()
            }
            Note::TypeWithDiacritics if vi => {
                "gõ tiếng Việt có dấu để tìm cả tài liệu tiếng Anh liên quan".into()
            }
            Note::TypeWithDiacritics => {
                "type Vietnamese with its diacritics to find related English documents too".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_parameters_and_headers() {
        assert_eq!(UiLang::parse("vi"), Some(UiLang::Vi));
        assert_eq!(UiLang::parse("EN-gb"), Some(UiLang::En));
        assert_eq!(UiLang::parse("fr"), None);
        for (header, lang) in [
            ("vi-VN,vi;q=0.9,en-US;q=0.8", Some(UiLang::Vi)),
            ("en-US,en;q=0.9", Some(UiLang::En)),
            ("fr-FR, en;q=0.5, vi;q=0.7", Some(UiLang::Vi)),
            ("de, vi;q=0", None),
            ("", None),
        ] {
            assert_eq!(UiLang::from_accept_language(header), lang, "{header}");
        }
    }

    #[test]
    fn every_note_speaks_both_languages() {
        let notes = [
            Note::LoneSign('-'),
            Note::UnclosedQuote,
            Note::EmptyPrefix,
            Note::OrWithoutTermBefore,
            Note::OrWithoutTermAfter,
            Note::OrBeforeExcluded,
            Note::NegatedYear("2019".into()),
            Note::NotAYear("abc".into()),
            Note::NothingToSearch("!!".into()),
            Note::TooManyTerms(64),
            Note::NoDocumentHasEveryWord,
            Note::TypeWithDiacritics,
        ];
        for n in &notes {
            let (vi, en) = (n.text(UiLang::Vi), n.text(UiLang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{n:?}");
            assert!(en.is_ascii(), "{en}");
        }
        assert!(Note::NoDocumentHasEveryWord
            .text(UiLang::Vi)
            .contains("không tài liệu nào có đủ mọi từ"));
    }
}
