//! What a text and its translation share whatever their languages: numbers, symbols of
//! formulas and code, names, and the English terms a Vietnamese text keeps as they are
//! (`softmax`, `ARIMA`, `Langerhans`). A Vietnamese thesis and its English abstract, a chapter
//! of a textbook and its translation, carry the same ones; two works on one subject carry some
//! of the same terms, not most of each other's.
//!
//! Why links ask for them: the model's vectors tell a work's translation from its neighbours
//! by a gap between their cosines (`super::LINK_GAP`), and where a subject is crowded (a
//! textbook's sections on one topic) a true translation can miss that gap. On d2l 30 of the 52
//! true pairs left unlinked were mutual nearest works by the margin and failed only the gap.
//! Their marks agree; those of related works in a library without translations mostly do not.
//!
//! Written here because no crate compares texts across languages by such tokens; it is a
//! tokenizer of a dozen lines over `indexer`'s syllable test.

use std::collections::HashSet;

use indexer::text::legacy::is_plausible_folded_syllable;

/// How much of each text is read (in characters): enough for a section, an abstract or a
/// thesis's opening chapters, and a bounded cost for a work of a thousand pages.
pub const READ_CHARS: usize = 60_000;

/// Fewest marks two texts must share.
pub const MIN_SHARED: usize = 3;

/// Smallest share of the text with fewer marks that the other must hold too.
pub const MIN_SHARE: f32 = 0.6;

/// A text's marks: its tokens (runs of letters, digits and `_`, lower-cased) that hold a digit and
/// are at least two characters long, or that are ASCII words of three letters or more which no
/// Vietnamese syllable typed without marks spells. Common English words are marks too; they
/// cost nothing, since a Vietnamese text holds few of them and a mark counts only when both
/// texts hold it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Marks(HashSet<String>);

impl Marks {
    /// The marks of `texts` read in order, up to [`READ_CHARS`] characters in all.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Marks {
        let mut marks = HashSet::new();
        let mut left = READ_CHARS;
        for text in texts {
            if left == 0 {
                break;
            }
            let end = text.char_indices().nth(left).map_or(text.len(), |(i, _)| i);
            left -= text[..end].chars().count();
            for token in text[..end].split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if is_mark(token) {
                    marks.insert(token.to_lowercase());
                }
            }
        }
        Marks(marks)
    }

    /// Whether two texts share at least [`MIN_SHARED`] marks making at least [`MIN_SHARE`] of
    /// the marks of the one with fewer.
    pub fn agree(&self, other: &Marks) -> bool {
        let (small, large) = if self.0.len() <= other.0.len() {
            (&self.0, &other.0)
        } else {
            (&other.0, &self.0)
        };
        let shared = small.iter().filter(|m| large.contains(*m)).count();
        shared >= MIN_SHARED && shared as f32 >= MIN_SHARE * small.len() as f32
    }
}

fn is_mark(token: &str) -> bool {
    if token.chars().any(|c| c.is_ascii_digit()) {
        return token.chars().count() >= 2;
    }
    token.len() >= 3
        && token.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        && token.bytes().any(|b| b.is_ascii_alphabetic())
        && !is_plausible_folded_syllable(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str) -> Vec<String> {
        let mut m: Vec<String> = Marks::of([text]).0.into_iter().collect();
        m.sort();
        m
    }

    #[test]
    fn numbers_symbols_and_foreign_terms_are_marks() {
        for (text, expected) in [
            // Vietnamese words, with or without their marks, are not.
            ("Học máy và hoc may", vec![]),
            ("nguoi ta nghien cuu", vec![]),
            // Terms kept in English, formulas, numbers, however they are written.
            (
                "Hàm softmax cho ra 0,99 và 2.97",
                vec!["97", "99", "softmax"],
            ),
            ("$r_1 = 0.3$, $\\mathbf{A}$", vec!["mathbf", "r_1"]),
            ("năm 2019, n = 120 bệnh nhân", vec!["120", "2019"]),
            (
                "tuyến tụy Langerhans, insulin",
                vec!["insulin", "langerhans"],
            ),
            // Single digits, two-letter words and rules of underscores say too little.
            ("x 1 2 3 ab ____", vec![]),
            ("def __init__(self):", vec!["__init__", "def", "self"]),
        ] {
            let expected: Vec<String> = expected.into_iter().map(String::from).collect();
            assert_eq!(marks(text), expected, "{text}");
        }
    }

    #[test]
    fn a_translation_agrees_and_a_neighbour_does_not() {
        let vi = Marks::of([
            "Chúng ta có $r_1 = 0.3$, $r_2 = 0.6$, $r_3 = 0.8$ và $r_4 = 0.9$. Các giá trị \
             eigenvalues là khoảng $0.99$, $2.97$, $4.95$, $9.08$.",
        ]);
        let en = Marks::of([
            "We have $r_1 = 0.3$, $r_2 = 0.6$, $r_3 = 0.8$, and $r_4 = 0.9$. The eigenvalues \
             are approximately $0.99$, $2.97$, $4.95$, $9.08$, all comfortably inside the \
             ranges provided.",
        ]);
        let neighbour = Marks::of([
            "The eigenvalues of a symmetric matrix are real, and its eigenvectors can be \
             chosen orthogonal: $A = Q \\Lambda Q^T$.",
        ]);
        assert!(vi.agree(&en));
        assert!(en.agree(&vi));
        assert!(!vi.agree(&neighbour));
        // Too few marks to say anything.
        assert!(!Marks::of(["insulin glucose"]).agree(&Marks::of(["insulin glucose"])));
    }

    #[test]
    fn reading_stops_after_its_budget() {
        let long = "chữ ".repeat(READ_CHARS);
        assert!(Marks::of([long.as_str(), "softmax 2019"]).0.is_empty());
        assert_eq!(Marks::of(["a", "softmax 2019"]).0.len(), 2);
    }
}

#[cfg(test)]
mod on_d2l {
    use std::path::{Path, PathBuf};

    use super::*;

    fn shared() -> Option<PathBuf> {
        let p = std::env::var_os("SHARED_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
        p.is_dir().then_some(p)
    }

    /// Every d2l file translated in `../shared` (the d2l-vi Vietnamese text and its English
    /// original), by chapter: (Vietnamese text, English text).
    fn chapters(shared: &Path) -> Vec<Vec<(String, String)>> {
        let vi = shared.join("vi_text/d2l-vi");
        let en = shared.join("vi_text/d2l-en-origin");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&en)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs.iter()
            .map(|dir| {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                files.sort();
                files
                    .iter()
                    .filter_map(|e| {
                        let stem = e.file_stem()?.to_str()?.strip_suffix("_origin")?;
                        let v = vi.join(dir.file_name()?).join(format!("{stem}.md"));
                        Some((
                            std::fs::read_to_string(v).ok()?,
                            std::fs::read_to_string(e).ok()?,
                        ))
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn files_agree_with_their_translations_not_with_their_siblings() {
        let Some(shared) = shared() else {
            eprintln!("skipped: ../shared not found");
            return;
        };
        let (mut pairs, mut twins, mut siblings, mut sibling_agree) = (0, 0, 0, 0);
        for chapter in chapters(&shared) {
            let marks: Vec<(Marks, Marks)> = chapter
                .iter()
                .map(|(v, e)| (Marks::of([v.as_str()]), Marks::of([e.as_str()])))
                .collect();
            for (i, (vi, en)) in marks.iter().enumerate() {
                pairs += 1;
                twins += usize::from(vi.agree(en));
                for (j, (_, other)) in marks.iter().enumerate() {
                    if j != i {
                        siblings += 1;
                        sibling_agree += usize::from(vi.agree(other));
                    }
                }
            }
        }
        eprintln!("{twins} of {pairs} translations agree; {sibling_agree} of {siblings} siblings");
        // Whole files, code blocks and all: siblings share the book's code idioms (`d2l`,
        // `torch`), so some agree; a link asks the vectors first (mutual nearest works by a
        // margin), and the marks only tell a translation from the one or two siblings left.
        assert!(pairs >= 50, "{pairs} translated files");
        assert!(twins * 10 >= pairs * 9, "{twins} of {pairs}");
        assert!(
            sibling_agree * 10 <= siblings,
            "{sibling_agree} of {siblings}"
        );
    }
}
