//! Abstracts (`TÓM TẮT`, `ABSTRACT`, `Abstract—…`) and keywords (`Từ khóa:`, `Keywords:`) from
//! the text of the front pages.

use super::{match_key, one_line};

/// Headings that end an abstract (folded, lower case), matched on short lines.
const STOP_HEADINGS: [&str; 24] = [
    "muc luc",
    "loi cam on",
    "loi cam doan",
    "loi mo dau",
    "loi noi dau",
    "mo dau",
    "chuong 1",
    "chuong i",
    "keywords",
    "key words",
    "index terms",
    "tu khoa",
    "introduction",
    "gioi thieu",
    "contents",
    "table of contents",
    "danh muc",
    "danh sach",
    "abstract",
    "tom tat",
    "acknowledgements",
    "acknowledgments",
    "jel classification",
    "references",
];

/// Longest abstract kept: beyond this the "abstract" is the start of the body.
const MAX_ABSTRACT_CHARS: usize = 4000;

/// If `line` opens an abstract, the text that follows the heading on the same line (possibly
/// empty): `ABSTRACT`, `TÓM TẮT`, `Tóm tắt khóa luận`, `Abstract—Hiện nay…`, `Abstract: We…`.
fn abstract_start(line: &str) -> Option<String> {
    let t = line.trim();
    if t.contains("...") || t.contains("…") || t.contains(". . .") {
        return None; // a table of contents entry
    }
    let key = match_key(t);
    let words = t.split_whitespace().count();
    if key == "abstract" || key == "tom tat" || key == "summary" {
        return Some(String::new());
    }
    if (key.starts_with("tom tat ") || key.starts_with("abstract "))
        && words <= 4
        && (!t.chars().any(char::is_lowercase) || key.starts_with("tom tat") && words <= 3)
    {
        return Some(String::new());
    }
    // Inline: `Abstract—text`, `Abstract. text`, `Abstract: text`, `Tóm tắt: text`.
    for head in ["Abstract", "ABSTRACT", "Tóm tắt", "TÓM TẮT"] {
        if let Some(rest) = t.strip_prefix(head) {
            let mut cs = rest.chars();
            if let Some(sep) = cs.next() {
                if matches!(sep, '—' | '–' | ':' | '.' | '-') {
                    let r = cs.as_str().trim();
                    if r.chars().filter(|c| c.is_alphabetic()).count() > 10 {
                        return Some(r.to_string());
                    }
                }
            }
        }
    }
    None
}

/// True for a heading after which the abstract is over.
fn is_stop(line: &str) -> bool {
    let t = line.trim();
    let key = match_key(t);
    let words = t.split_whitespace().count();
    if words <= 6
        && STOP_HEADINGS
            .iter()
            .any(|h| key == *h || key.starts_with(&format!("{h} ")))
    {
        return true;
    }
    if key.starts_with("keywords") || key.starts_with("tu khoa") || key.starts_with("key words") {
        return true;
    }
    // A numbered section heading: `1 Introduction`, `I. GIỚI THIỆU`, `1. Mở đầu`.
    let mut it = t.split_whitespace();
    if let (Some(num), Some(next)) = (it.next(), it.next()) {
        let n = num.trim_end_matches('.');
        let numbered = !n.is_empty()
            && (n.chars().all(|c| c.is_ascii_digit())
                || n.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
        if numbered
            && words <= 7
            && next.chars().next().is_some_and(char::is_uppercase)
            && !t.ends_with('.')
        {
            return true;
        }
    }
    false
}

/// Appends a line to running text, joining words hyphenated across lines.
fn push_line(out: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    if out.ends_with('-') && out[..out.len() - 1].ends_with(char::is_alphabetic) {
        out.pop();
    } else if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(line);
}

/// The abstract of a document from its front pages' text, one paragraph, normalised; `None`
/// when there is no abstract heading or the text after it is too short to be one.
///
/// The abstract ends at the next heading (`MỤC LỤC`, `Keywords`, `1 Introduction`,
/// `CHƯƠNG 1`, `LỜI CẢM ƠN`…) or at the end of its page once it has some length (page
/// headers and footers of the next page would be mixed in otherwise).
pub fn abstract_from_pages(pages: &[&str]) -> Option<String> {
    for (pi, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(first) = abstract_start(line) else {
                continue;
            };
            let mut out = String::new();
            push_line(&mut out, &first);
            let mut rest: Vec<&str> = lines[i + 1..].to_vec();
            if let Some(next) = pages.get(pi + 1) {
                rest.push("\u{0}");
                rest.extend(next.lines());
            }
            for l in rest {
                if l == "\u{0}" {
                    if out.chars().count() >= 400 {
                        break;
                    }
                    continue;
                }
                if is_stop(l) {
                    break;
                }
                let t = l.trim();
                if t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
                    continue; // page number
                }
                push_line(&mut out, t);
                if out.len() > MAX_ABSTRACT_CHARS {
                    break;
                }
            }
            let out = one_line(&out);
            if out.chars().filter(|c| c.is_alphabetic()).count() >= 80 {
                let cut: String = out.chars().take(MAX_ABSTRACT_CHARS).collect();
                return Some(cut);
            }
        }
    }
    None
}

/// Splits a keyword list: `Optimizer, Deeplearning; Trí tuệ nhân tạo.` →
/// `[Optimizer, Deeplearning, Trí tuệ nhân tạo]`.
pub fn split_keywords(list: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in list.split([',', ';', '·', '•', '\n']) {
        let k = one_line(k);
        let k = k.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '-' | '—'));
        if k.is_empty() || k.chars().count() > 80 {
            continue;
        }
        if !out.iter().any(|o| o.to_lowercase() == k.to_lowercase()) {
            out.push(k.to_string());
        }
    }
    out
}

/// The keywords of a `Từ khóa:` / `Keywords:` / `Index Terms—` line (and its continuation when
/// the line ends with a comma).
pub fn keywords_from_pages(pages: &[&str]) -> Vec<String> {
    for page in pages {
        let lines: Vec<&str> = page.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let key = match_key(t);
            let label_words = if key.starts_with("tu khoa") || key.starts_with("key words") {
                2
            } else if key.starts_with("keywords") {
                1
            } else if key.starts_with("index terms") {
                2
            } else {
                continue;
            };
            // The list starts after the separator closest to the label.
            let head: String = t.chars().take(20).collect();
            let rest = match head.find([':', '—', '–', '.']) {
                Some(p) => t[p..].chars().skip(1).collect::<String>(),
                None => t
                    .split_whitespace()
                    .skip(label_words)
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let mut list = rest.trim().to_string();
            let mut j = i + 1;
            while (list.ends_with(',') || list.ends_with(';')) && j < lines.len() {
                list.push(' ');
                list.push_str(lines[j].trim());
                j += 1;
            }
            let kws = split_keywords(&list);
            if !kws.is_empty() {
                return kws;
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstracts_stop_at_the_next_heading() {
        let body = "Trong khóa luận này, chúng tôi sử dụng mô hình được xây dựng dựa trên mạng nơ-ron tích chập để phân loại ung thư vú và đạt được kết quả tốt.";
        let cases = [
            (
                vec![format!("TÓM TẮT\n{body}\nMỤC LỤC\n1. Giới thiệu ....... 3")],
                Some(body.to_string()),
            ),
            (
                vec![format!("ABSTRACT\n{body}\nKeywords: a, b")],
                Some(body.to_string()),
            ),
            (
                vec![format!(
                    "Abstract—{body}\n   Từ khóa—Optimizer, Deeplearning"
                )],
                Some(body.to_string()),
            ),
            (
                vec![format!("Abstract\n{body}\n1 Introduction\nMore text.")],
                Some(body.to_string()),
            ),
            (
                vec![format!("TÓM TẮT\n{body}\nCHƯƠNG 1. TỔNG QUAN")],
                Some(body.to_string()),
            ),
            (vec![format!("TÓM TẮT ............ 3\n{body}")], None),
            (vec!["ABSTRACT\nToo short.".to_string()], None),
        ];
        for (pages, want) in cases {
            let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
            assert_eq!(abstract_from_pages(&refs), want, "{pages:?}");
        }
    }

    #[test]
    fn hyphenated_lines_are_joined() {
        let text = "Abstract\nThe package solves ordi-\nnary differential equations of many kinds, stiff and non-stiff, with several integrators.\nKeywords: ODE";
        assert_eq!(
            abstract_from_pages(&[text]).as_deref(),
            Some("The package solves ordinary differential equations of many kinds, stiff and non-stiff, with several integrators.")
        );
    }

    #[test]
    fn keyword_lines() {
        let cases = [
            (
                "     Từ khóa—Optimizer, Deeplearning, weight, bias, Trí tuệ nhân tạo.",
                vec![
                    "Optimizer",
                    "Deeplearning",
                    "weight",
                    "bias",
                    "Trí tuệ nhân tạo",
                ],
            ),
            (
                "Keywords: R, regression, count data",
                vec!["R", "regression", "count data"],
            ),
            (
                "Từ khoá: học sâu; ung thư vú",
                vec!["học sâu", "ung thư vú"],
            ),
            (
                "Keywords: ordinary differential equations,\nR, deSolve",
                vec!["ordinary differential equations", "R", "deSolve"],
            ),
            ("No keywords here", vec![]),
        ];
        for (text, want) in cases {
            assert_eq!(keywords_from_pages(&[text]), want, "{text:?}");
        }
    }
}
