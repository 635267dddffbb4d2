//! Question words: the syllables that make a query a question and say nothing of its topic.
//!
//! People paste questions into the search box (`Suy giáp là gì?`, `Liều dùng của Bart như thế
//! nào?`). BM25 gives the question words a *high* weight because they are rare in documents,
//! so the documents that happen to contain a question of their own (`... có những đặc điểm
//! gì?`, `Xem thêm: Trẻ sốt mọc răng phải xử trí như thế nào?`) outrank the one that answers.
//! Measured on the ViRE question sets (bench/relevance), dropping them from the ranking is
//! worth several points of MRR@10.
//!
//! Accented question words are recognised alone. Typed without accents, several of them are
//! ordinary words (`nao` is also `não`, brain; `dau` is `đau`, pain, and `đầu`, head), so
//! unaccented text is only recognised in multi-syllable forms (`the nao`, `o dau`, `bao
//! nhieu`) and for the unambiguous `gi`. Single `sao` is left alone (`ngôi sao`, star).

use crate::text::fold::fold;

/// A question word or phrase, lower case, canonical tone placement, syllables separated by
/// one space.
struct Pattern {
    exact: &'static str,
    /// Also recognised when typed without diacritics.
    folded_too: bool,
}

const fn p(exact: &'static str, folded_too: bool) -> Pattern {
    Pattern { exact, folded_too }
}

/// Longest first, so `như thế nào` wins over `thế nào`.
const PATTERNS: &[Pattern] = &[
    p("bằng cách nào", true),
    p("làm thế nào", true),
    p("như thế nào", true),
    p("bao nhiêu", true),
    p("bao lâu", true),
    p("bao giờ", true),
    p("thế nào", true),
    p("khi nào", true),
    p("lúc nào", true),
    p("tại sao", true),
    p("vì sao", true),
    p("làm sao", true),
    p("ra sao", true),
    p("ở đâu", true),
    p("là gì", true),
    p("điều gì", true),
    p("những gì", true),
    p("cái gì", true),
    p("là ai", true),
    p("hay không", true),
    p("phải không", true),
    p("gì", true),
    p("nào", false),
    p("đâu", false),
    p("mấy", false),
    // English: `how`, `what`... are already weak (frequent) words in English text.
];

/// Yes/no questions end with a particle: `Có nên dùng thuốc này không?`, `... chưa?`. Only
/// recognised before a question mark: `hàng không` (aviation) and `chân không` (vacuum) end
/// in the same syllable.
const PARTICLES: &[&str] = &["không", "khong", "chưa", "chua"];

/// Marks the last of `tokens` when it is a yes/no particle and `text` ends with `?`.
pub fn mark_trailing_particle(text: &str, tokens: &[&str], marked: &mut [bool]) {
    if tokens.len() < 2 || !text.trim_end().ends_with('?') {
        return;
    }
    if let (Some(last), Some(m)) = (tokens.last(), marked.last_mut()) {
        if PARTICLES.contains(last) {
            *m = true;
        }
    }
}

/// Marks which of `tokens` (exact, lower-case query syllables in order, one per position) are
/// question words. Returns all `false` when every token would be marked: a query made only of
/// question words is searched as typed.
pub fn question_words(tokens: &[&str]) -> Vec<bool> {
    let folded: Vec<String> = tokens.iter().map(|t| fold(t).into_owned()).collect();
    let mut marked = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        let mut len = 0;
        for pat in PATTERNS {
            let n = pat.exact.split(' ').count();
            if i + n > tokens.len() {
                continue;
            }
            let hit = pat.exact.split(' ').enumerate().all(|(k, syl)| {
                let (t, f) = (tokens[i + k], &folded[i + k]);
                t == syl || (pat.folded_too && t == f.as_str() && fold(syl) == *f)
            });
            if hit {
                len = n;
                break;
            }
        }
        if len == 0 {
            i += 1;
        } else {
            marked[i..i + len].iter_mut().for_each(|m| *m = true);
            i += len;
        }
    }
    if marked.iter().all(|m| *m) {
        marked.iter_mut().for_each(|m| *m = false);
    }
    marked
}

/// Words that open a request for a definition (`định nghĩa của X`, `khái niệm về X`), folded,
/// with the prepositions that may follow them.
const DEFINITION_OPENERS: &[&str] = &["dinh nghia", "khai niem"];
const DEFINITION_LINKS: &[&str] = &["cua", "ve", "cho"];

/// A definition question asks what a term means (`Định nghĩa của "người lao động"?`, `Người lao
/// động được hiểu là gì?`), and the text that answers says `người lao động là ...`. Marks the
/// words that only ask for the definition (`định nghĩa của`, `được hiểu`) and returns the index
/// of the term's last syllable, so the caller can rank the pair of that syllable and `là`.
/// `là gì` right after the term is left to the caller, which links the term to `là` already.
pub fn definition_subject(tokens: &[&str], marked: &mut [bool]) -> Option<usize> {
    let folded: Vec<String> = tokens.iter().map(|t| fold(t).into_owned()).collect();
    let at = |i: usize, words: &str| {
        words
            .split(' ')
            .enumerate()
            .all(|(k, w)| folded.get(i + k).is_some_and(|f| f == w))
    };
    // `định nghĩa (của) X`, `khái niệm (về) X`: the term is what follows.
    if let Some(opener) = DEFINITION_OPENERS.iter().find(|o| at(0, o)) {
        let mut start = opener.split(' ').count();
        if folded
            .get(start)
            .is_some_and(|f| DEFINITION_LINKS.contains(&f.as_str()))
        {
            start += 1;
        }
        let last = (start..tokens.len()).rev().find(|&i| !marked[i])?;
        marked[..start].iter_mut().for_each(|m| *m = true);
        return Some(last);
    }
    // `X được hiểu là gì`, `X được hiểu như thế nào`: the term is what precedes.
    let i = (1..tokens.len()).find(|&i| at(i, "duoc hieu"))?;
    if !marked.get(i + 2).copied().unwrap_or(true) {
        return None;
    }
    marked[i] = true;
    marked[i + 1] = true;
    Some(i - 1)
}

/// Openers of a frame (folded, lower case): `Theo Bộ luật Dân sự 2015, ...` (according to),
/// `Căn cứ ...,`, `Dựa vào ...,`, `According to ...,`.
const FRAME_OPENERS: &[&str] = &["theo", "can cu", "dua theo", "dua vao", "according to"];

/// Most words a frame may have; a longer opening clause is part of the question itself.
const FRAME_MAX_WORDS: usize = 12;

/// Fewest words the question after a frame must have.
const FRAME_MIN_REST: usize = 3;

/// Where a question's *frame* ends: the byte offset of the comma closing an opening `Theo X,`.
///
/// `Theo Bộ luật Dân sự 2015, hoa lợi được hiểu như thế nào?` asks about `hoa lợi`; the frame
/// names where the answer is written. The text that answers rarely repeats it (an article of
/// the code does not cite its code), while documents that cite it on every page (court
/// rulings) do, so weighed like the rest of the question the frame ranks the citing documents
/// over the answer. The caller weighs the frame's words less.
pub fn frame_end(text: &str) -> Option<usize> {
    let comma = text.find(',')?;
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| fold(&w.to_lowercase()).into_owned())
            .collect()
    };
    let frame = words(&text[..comma]);
    let opener = FRAME_OPENERS.iter().find(|o| {
        let o: Vec<&str> = o.split(' ').collect();
        frame.len() > o.len() && frame.iter().zip(&o).all(|(w, o)| w == o)
    })?;
    let inside = frame.len() - opener.split(' ').count();
    // `theo dõi` (monitor), `theo đuổi` (pursue), `theo học` (study at) are verbs, not `theo`.
    if *opener == "theo" && matches!(frame[1].as_str(), "doi" | "duoi" | "hoc") {
        return None;
    }
    (inside <= FRAME_MAX_WORDS && words(&text[comma + 1..]).len() >= FRAME_MIN_REST)
        .then_some(comma)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(q: &str) -> Vec<&str> {
        let toks: Vec<&str> = q.split(' ').collect();
        question_words(&toks)
            .into_iter()
            .zip(&toks)
            .filter(|(m, _)| *m)
            .map(|(_, t)| *t)
            .collect()
    }

    #[test]
    fn frames_open_questions_with_their_source() {
        for (q, frame) in [
            (
                "Theo Bộ luật Dân sự 2015, hoa lợi được hiểu như thế nào?",
                Some("Theo Bộ luật Dân sự 2015"),
            ),
            (
                "theo bo luat hinh su 2017, toi nay bi phat bao nhieu nam",
                Some("theo bo luat hinh su 2017"),
            ),
            (
                "Căn cứ Nghị định 15/2020, mức phạt là bao nhiêu?",
                Some("Căn cứ Nghị định 15/2020"),
            ),
            (
                "According to WHO, how much salt per day is safe?",
                Some("According to WHO"),
            ),
            // Not an opener, nothing after the comma, or an opening clause too long to be one.
            ("Theo dõi huyết áp, đo mấy lần", None),
            ("Bệnh tiểu đường, chế độ ăn thế nào?", None),
            ("Theo Điều 32, ?", None),
            ("Theo học máy", None),
            (
                "Theo một nghiên cứu rất dài của nhiều nhà khoa học ở nhiều nước trên thế giới năm 2018, ngửi mùi có giúp gì",
                None,
            ),
        ] {
            assert_eq!(frame_end(q).map(|c| &q[..c]), frame, "{q}");
        }
    }

    #[test]
    fn trailing_particles_need_a_question_mark() {
        for (text, want) in [
            ("Có nên dùng Daflon không?", true),
            ("co nen dung daflon khong ?", true),
            ("ngành hàng không", false),
            ("Đã tiêm chưa?", true),
            ("không?", false),
        ] {
            let toks: Vec<String> = text
                .trim_end_matches(['?', ' '])
                .split(' ')
                .map(str::to_lowercase)
                .collect();
            let toks: Vec<&str> = toks.iter().map(String::as_str).collect();
            let mut marked = vec![false; toks.len()];
            mark_trailing_particle(text, &toks, &mut marked);
            assert_eq!(marked.last().copied(), Some(want), "{text}");
        }
    }

    #[test]
    fn definition_questions_name_their_subject() {
        for (q, subject, asking) in [
            (
                "định nghĩa của người lao động",
                Some("động"),
                &["định", "nghĩa", "của"][..],
            ),
            (
                "dinh nghia nguoi su dung lao dong",
                Some("dong"),
                &["dinh", "nghia"][..],
            ),
            (
                "khái niệm về quan hệ lao động",
                Some("động"),
                &["khái", "niệm", "về"][..],
            ),
            (
                "người lao động được hiểu là gì",
                Some("động"),
                &["được", "hiểu", "là", "gì"][..],
            ),
            (
                "thời giờ làm việc được hiểu như thế nào",
                Some("việc"),
                &["được", "hiểu", "như", "thế", "nào"][..],
            ),
            // `được hiểu` with more after it is an ordinary phrase.
            ("nội dung được hiểu đúng", None, &[][..]),
            ("suy giáp là gì", None, &["là", "gì"][..]),
            ("định nghĩa", None, &[][..]),
        ] {
            let toks: Vec<&str> = q.split(' ').collect();
            let mut m = question_words(&toks);
            let found = definition_subject(&toks, &mut m);
            assert_eq!(found.map(|i| toks[i]), subject, "{q}");
            let marked: Vec<&str> = toks
                .iter()
                .zip(&m)
                .filter(|(_, m)| **m)
                .map(|(t, _)| *t)
                .collect();
            assert_eq!(marked, asking, "{q}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("suy giáp là gì", &["là", "gì"]),
            ("suy giap la gi", &["la", "gi"]),
            ("liều dùng của bart như thế nào", &["như", "thế", "nào"]),
            ("lieu dung cua bart nhu the nao", &["nhu", "the", "nao"]),
            ("u não", &[]),
            ("u nao", &[]),
            ("nhóm cơ nào", &["nào"]),
            ("bị đau đầu", &[]),
            ("bi dau dau o dau", &["o", "dau"]),
            ("tuyến tụy nằm ở đâu", &["ở", "đâu"]),
            ("phạt tù bao nhiêu năm", &["bao", "nhiêu"]),
            ("thuốc gì", &["gì"]),
            ("cần tránh những gì", &["những", "gì"]),
            ("làm thế nào để giảm đau", &["làm", "thế", "nào"]),
            ("là gì", &[]),
            ("ngôi sao", &[]),
            ("vì sao", &[]),
            ("vi sao trời xanh", &["vi", "sao"]),
            ("ngoi sao", &[]),
        ];
        for (q, want) in cases {
            assert_eq!(marked(q), *want, "{q}");
        }
    }
}
