//! Language identification with whatlang, reduced to what the index needs: an ISO 639-1 code.

use whatlang::{Detector, Lang};

/// The ISO 639-1 code of the language of `text`, or `None` when the text is too short or the
/// detector is unsure.
///
/// Vietnamese scholarly text is full of English terms and references, so whatlang is asked
/// only when the text has enough letters, and Vietnamese wins when its diacritics are frequent
/// (whatlang alone sometimes calls short Vietnamese titles Tagalog or Latin).
pub fn detect(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 12 {
        return None;
    }
    if vietnamese_share(text) >= 0.15 {
        return Some("vi");
    }
    let info = Detector::with_allowlist(SCHOLARLY.to_vec()).detect(text)?;
    // whatlang calls short texts unreliable even when they are plainly English; a title is
    // short, so accept a fair confidence once there are a few words.
    let fair = letters >= 30 && info.confidence() >= 0.3;
    if !info.is_reliable() && !fair {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// The languages of the literature we index. whatlang alone knows 70 and readily calls a short
/// English title Danish; restricting it to languages scholarly collections in Vietnam actually
/// hold makes it right far more often.
const SCHOLARLY: [Lang; 14] = [
    Lang::Eng,
    Lang::Vie,
    Lang::Fra,
    Lang::Deu,
    Lang::Spa,
    Lang::Por,
    Lang::Ita,
    Lang::Rus,
    Lang::Cmn,
    Lang::Jpn,
    Lang::Kor,
    Lang::Nld,
    Lang::Tha,
    Lang::Ind,
];

/// Share of words holding a letter that only Vietnamese uses (đ, ơ, ư, ă and most
/// tone-marked vowels). Running Vietnamese text scores about 0.4; English 0.
pub fn vietnamese_share(text: &str) -> f32 {
    let mut words = 0usize;
    let mut vi = 0usize;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if w.chars().any(is_vietnamese_letter) {
            vi += 1;
        }
    }
    if words == 0 {
        0.0
    } else {
        vi as f32 / words as f32
    }
}

fn is_vietnamese_letter(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    if matches!(c, 'đ' | 'Đ') {
        return true;
    }
    // Letters of the Vietnamese table that other Latin languages do not use in running text.
    crate::text::vowels::vowel(c).is_some_and(|v| {
        v.tone != crate::text::vowels::Tone::Level
            || matches!(v.toneless_lower(), 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
    }) && !matches!(
        c,
        'à' | 'á'
            | 'è'
            | 'é'
            | 'ì'
            | 'í'
            | 'ò'
            | 'ó'
            | 'ù'
            | 'ú'
            | 'â'
            | 'ê'
            | 'ô'
            | 'À'
            | 'Á'
            | 'È'
            | 'É'
            | 'Ò'
            | 'Ó'
            | 'Â'
            | 'Ê'
            | 'Ô'
    )
}

fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Vie => "vi",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Nld => "nl",
        Lang::Tha => "th",
        Lang::Ind => "id",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_vietnamese_and_english() {
        let cases = [
            (
                "Nghiên cứu ứng dụng học sâu trong nhận dạng chữ viết tay tiếng Việt",
                Some("vi"),
            ),
            (
                "An introduction to regression models for count data in R, with examples",
                Some("en"),
            ),
            (
                "Phân tích dữ liệu với R: the deSolve package for differential equations",
                Some("vi"),
            ),
            (
                "Estimating generalized linear mixed models with random effects",
                Some("en"),
            ),
            ("PGS.TS", None),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text:?}");
        }
    }
}
