//! Vietnamese typed without marks inside a query read as English.
//!
//! [`super::is_vietnamese`] reads a diacritic-free query as Vietnamese when most of its words are
//! spelled like Vietnamese syllables. Students often type a few English terms with unmarked
//! Vietnamese around them (`client server nam tang`, `robot SCARA bang tai`, `Tobias Oetiker
//! Hubert Partl ban dich Nguyen Tan Khoa`): fewer than that share, so the query is read as
//! English, yet the Vietnamese words carry half its meaning. A reader of English (the sentence
//! model) misreads such a query, so callers ask [`may_be_unmarked_vietnamese`] before trusting it.
//!
//! English has many short words that are also Vietnamese spellings (`the`, `to`, `can`, `thin`),
//! so only words outside [`ENGLISH_SPELLINGS`] count, and it takes two different ones making a
//! quarter of the query: one such word is as likely a name or a unit.

use std::collections::HashSet;

use crate::text::legacy::is_plausible_folded_syllable;

/// Common English words spelled like a Vietnamese syllable without marks: the function words
/// and the frequent short words of English text (checked against the English documents of
/// `bench/relevance`: the most frequent words of NFCorpus and Cranfield that pass the syllable
/// test are these). No crate publishes such an intersection, hence the list.
const ENGLISH_SPELLINGS: &[&str] = &[
    "a", "an", "at", "be", "but", "by", "can", "cat", "cut", "day", "diet", "do", "due", "go",
    "got", "gut", "he", "him", "hip", "hot", "i", "in", "it", "king", "lay", "let", "long", "lung",
    "man", "map", "may", "me", "men", "min", "moon", "my", "net", "no", "non", "nut", "on", "pet",
    "put", "ran", "rat", "rich", "ring", "room", "run", "say", "set", "sin", "sing", "so", "song",
    "soon", "sum", "sun", "tan", "ten", "than", "that", "the", "them", "then", "thin", "thing",
    "tip", "to", "top", "true", "try", "up",
];

/// Fewest distinct unmarked Vietnamese words that make a query suspect.
const MIN_WORDS: usize = 2;

/// Smallest share of a query's words they must make: a pasted English paragraph always holds a
/// few such spellings (`tam`, `bao`), a query mixing the languages holds a third or more.
const MIN_SHARE: f32 = 0.25;

/// Whether `text`, a query without Vietnamese diacritics, holds at least two different words that
/// are Vietnamese syllables typed without marks and not common English words (`nam`, `tang`;
/// not `the`, `can`), making a quarter of its words. A query with diacritics is Vietnamese
/// anyway and is not asked about.
pub fn may_be_unmarked_vietnamese(text: &str) -> bool {
    let mut seen: HashSet<String> = HashSet::new();
    let (mut words, mut suspect) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || !word.chars().all(char::is_alphabetic) {
            continue;
        }
        words += 1;
        let word = word.to_lowercase();
        if is_plausible_folded_syllable(&word) && !ENGLISH_SPELLINGS.contains(&word.as_str()) {
            suspect += 1;
            seen.insert(word);
        }
    }
    seen.len() >= MIN_WORDS && suspect as f32 >= MIN_SHARE * words as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_terms_with_unmarked_vietnamese_are_suspect() {
        for q in [
            "client server nam tang",
            "robot SCARA bang tai",
            "Tobias Oetiker Hubert Partl ban dich Nguyen Tan Khoa",
            "STM32F407 DRV8825 dieu khien robot SCARA",
            "layer chia luu luong truy cap theo user id hay session id",
            "lintian pbuilder kiem tra goi Debian",
        ] {
            assert!(may_be_unmarked_vietnamese(q), "{q}");
        }
    }

    #[test]
    fn english_is_not_suspect() {
        for q in [
            "can the transonic flow around an arbitrary smooth thin airfoil be analysed in a \
             simple approximate way .",
            "how to set up the gprc preferences file for gp",
            "how is the design of ring or part ring wings by linear theory affected by thickness",
            "lung cancer risk and red meat",
            "milk cow's milk has a lot of calcium but also may contain pcbs and other industrial \
             pollutants, banned pesticides, saturated fat, and is on par with coca cola for \
             antioxidant content; consumption may increase risk for acne, canker sores and \
             twin births",
            "meta-GGA exchange-correlation Abinit",
            "Venn diagrams up to five sets",
        ] {
            assert!(!may_be_unmarked_vietnamese(q), "{q}");
        }
    }

    #[test]
    fn one_word_or_the_same_word_twice_is_not_enough() {
        assert!(!may_be_unmarked_vietnamese("Nguyen protein folding"));
        assert!(!may_be_unmarked_vietnamese("HIV AIDS tuyen tuyen"));
        assert!(!may_be_unmarked_vietnamese(""));
    }

    #[test]
    fn words_with_marks_or_digits_do_not_count() {
        // Marked words make a query Vietnamese before this is asked; here they are skipped.
        assert!(!may_be_unmarked_vietnamese("học máy"));
        assert!(!may_be_unmarked_vietnamese("tan2 cos3 x"));
    }
}
