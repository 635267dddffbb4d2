//! People's names on covers: recognising them, cleaning them (labels, student ids, academic
//! titles) and putting ALL-CAPS names in title case.
//!
//! Academic titles (`PGS.TS.`, `ThS.`) are kept out of names: people search names, and a
//! facet of advisors must not split `TS. Nguyễn Văn A` from `Nguyễn Văn A`.

use super::{match_key, one_line};

/// Common Vietnamese family names, lower case with their diacritics (`Từ` is a family name,
/// `TỰ` in `TỰ NHIÊN` is not): an unlabelled line is taken for a name only when it starts with
/// one, so that two capitalised words of a title are not.
const SURNAMES: [&str; 77] = [
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
    "hồ", "ngô", "dương", "lý", "đoàn", "đinh", "lâm", "trương", "mai", "tạ", "cao", "chu",
    "nghiêm", "lưu", "hà", "tô", "thái", "châu", "quách", "kiều", "lương", "đào", "phùng", "vương",
    "trịnh", "tăng", "triệu", "khổng", "lại", "la", "mạc", "tôn", "thân", "từ", "hứa", "diệp",
    "giang", "tống", "âu", "đàm", "kim", "lục", "nông", "ông", "phí", "quan", "tất", "thạch",
    "văn", "lữ", "khúc", "lã", "doãn", "hầu", "lò", "ninh", "phó", "vi", "trình", "bạch", "cù",
    "đồng", "hàn", "khương", "tiêu",
];

/// The same names written without diacritics (`Le Chi Thong`), for ASCII-only words.
const SURNAMES_ASCII: [&str; 24] = [
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "ngo",
    "duong", "ly", "doan", "dinh", "lam", "truong", "mai", "cao", "chu", "luu", "trinh", "dao",
];

/// True when `word` is a common Vietnamese family name.
pub fn is_surname(word: &str) -> bool {
    let lower = crate::text::normalize(word).to_lowercase();
    if lower.is_ascii() {
        SURNAMES_ASCII.contains(&lower.as_str())
    } else {
        SURNAMES.contains(&lower.as_str())
    }
}

/// Academic and courtesy titles, as the dot-separated parts they are written with (`PGS.TS.`,
/// `Th.S`, `ThS`).
const TITLE_PARTS: [&str; 18] = [
    "pgs", "gs", "ts", "tskh", "ths", "ks", "cn", "ncs", "dr", "prof", "thay", "co", "mr", "ms",
    "mrs", "bs", "ing", "sir",
];

/// Removes leading academic titles: `PGS.TS. Nguyễn Văn A` → `Nguyễn Văn A`,
/// `Th.S Đỗ Văn Tiến` → `Đỗ Văn Tiến`, `Thầy Nguyễn Hồ Duy Trí` → `Nguyễn Hồ Duy Trí`.
pub fn strip_academic_title(name: &str) -> String {
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    while let Some(first) = words.first().cloned() {
        let parts: Vec<&str> = first.split('.').collect();
        let keys: Vec<String> = parts.iter().map(|p| match_key(p)).collect();
        let title_len = (0..keys.len())
            .take_while(|&i| {
                let k = keys[i].as_str();
                // `S` and `Th` only as the two halves of `Th.S`: English initials stay.
                match k {
                    "" => i > 0,
                    "s" => i > 0 && keys[i - 1] == "th",
                    "th" => keys.get(i + 1).is_some_and(|n| n == "s"),
                    _ => TITLE_PARTS.contains(&k),
                }
            })
            .count();
        if title_len == 0 {
            break;
        }
        if title_len == parts.len() {
            if words.len() == 1 {
                break;
            }
            words.remove(0);
        } else {
            words[0] = parts[title_len..].join(".");
            break;
        }
    }
    words.join(" ")
}

/// True when every word is capitalised (first letter upper case) and made of letters.
fn capitalised_words(words: &[&str]) -> bool {
    words.iter().all(|w| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic())
    })
}

/// A Vietnamese personal name as covers print it: 2–5 capitalised syllables of letters, the
/// first one a family name (`Lê Tiến Chiến`, `NGUYỄN THỊ THANH HÒA`).
pub fn is_name_shaped(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=5).contains(&words.len()) && capitalised_words(&words) && is_surname(words[0])
}

/// A looser test for text that a label (`Sinh viên thực hiện:`) announced as a name: 2–6
/// capitalised words; foreign names and unusual family names pass.
pub fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if is_corporate(&words) {
        return true;
    }
    // Particles stand lower-case inside a name (`Paulo Ney de Souza`, `Lídia del Rio`).
    const PARTICLES: [&str; 12] = [
        "de", "da", "do", "dos", "del", "della", "di", "du", "van", "von", "der", "den",
    ];
    let last = words.len().saturating_sub(1);
    (2..=6).contains(&words.len())
        && words.iter().enumerate().all(|(i, w)| {
            let mut cs = w.chars();
            let capitalised = cs.next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.');
            capitalised || (i > 0 && i < last && PARTICLES.contains(w))
        })
        && !words
            .iter()
            .any(|w| NOT_IN_NAMES.contains(&w.to_lowercase().as_str()))
}

/// A corporate author as R packages and manuals print them: a few words ending in `Team`,
/// `Group`, `Society`… (`zoo Development Team`, `R Core Team`), the first may be a package's
/// lower-case name.
fn is_corporate(words: &[&str]) -> bool {
    const BODIES: [&str; 6] = [
        "Team",
        "Group",
        "Society",
        "Consortium",
        "Committee",
        "Foundation",
    ];
    (2..=5).contains(&words.len())
        && words.last().is_some_and(|w| BODIES.contains(w))
        && words[1..]
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        })
}

/// Words of title-cased headings, subtitles and labels that sit where names do on a title
/// page (`An Interactive Plotting Program`, `Free Your Numbers`, `Getting Started`, `Course
/// Title`, `Page Numbers`) and are in no person's name. Corporate authors (`R Core Team`, `The
/// PARI Group`, `American Mathematical Society`) use none of them.
const NOT_IN_NAMES: [&str; 37] = [
    "in",
    "free",
    "your",
    "getting",
    "started",
    "user",
    "users",
    "guide",
    "page",
    "pages",
    "numbers",
    "reference",
    "card",
    "course",
    "title",
    "program",
    "programme",
    "technology",
    "interactive",
    "plotting",
    "division",
    "department",
    "manual",
    "introduction",
    "contents",
    "chapter",
    "section",
    "version",
    "package",
    "tutorial",
    // Front-matter headings a cover may set like a name (`MỞ ĐẦU`, `MỤC LỤC`, `LỜI CẢM ƠN`).
    "mở",
    "đầu",
    "mục",
    "lời",
    "chương",
    "tóm",
    "tắt",
];

/// `NGUYỄN VĂN AN` → `Nguyễn Văn An`; names already in mixed case are kept.
pub fn title_case_name(name: &str) -> String {
    let has_lower = name.chars().any(char::is_lowercase);
    if has_lower {
        return name.to_string();
    }
    title_case_words(name)
}

/// Every word with an upper-case first letter and the rest lower case.
pub(crate) fn title_case_words(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            // Each initial of `G.K.M.` stays a capital.
            let mut out = String::with_capacity(w.len());
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = c == '.';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The person's name in one cover entry, or `None` when there is none: strips a label
/// (`Họ và tên:`), numbering (`1.`), the student id (`– 20210457`, `MSSV: …`, `(1510381)`) and
/// academic titles, then title-cases ALL CAPS.
pub fn clean_name(raw: &str) -> Option<String> {
    let mut s = one_line(raw);
    // The student id label and everything after it (`Nguyễn Khánh Linh MSSV: B21DCCN484`).
    for pat in ["MSSV", "Mssv", "mssv", "MSV", "Mã số", "Mã SV"] {
        if let Some(i) = s.find(pat) {
            s.truncate(i);
        }
    }
    // A label before a colon: keep what follows (`Sinh viên: TRẦN CÔNG HUY`).
    if let Some((head, tail)) = s.split_once(':') {
        if !tail.trim().is_empty()
            && (head.trim().is_empty() || head.chars().any(char::is_alphabetic))
        {
            s = tail.trim().to_string();
        }
    }
    // Numbering of table rows: `1.`, `2`, `1)`.
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ')' | ' '));
    // The id and everything after it.
    let mut cut = s.len();
    for pat in [" – ", " - ", "–", " —", "(", ":", ","] {
        if let Some(i) = s.find(pat) {
            cut = cut.min(i);
        }
    }
    if let Some(i) = s.find(|c: char| c.is_ascii_digit()) {
        cut = cut.min(i);
    }
    let s = s[..cut]
        .trim()
        .trim_end_matches(['-', '–', '.', ','])
        .trim();
    let s = strip_academic_title(s);
    looks_like_name(&s).then(|| title_case_name(&s))
}

/// `line` without parenthesised lists of numbers (`Höhle(1,2)` → `Höhle`).
fn without_affiliation_numbers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == ' ') =>
            {
                out.push_str(&rest[..open]);
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Names in one line of an author list: split on `,`, `;`, `and`, `&`, footnote marks,
/// e-mails and affiliations' numbers removed (`Đỗ Văn Nam ∗ , Trần Nhật Nam ∗`).
pub fn split_names(line: &str) -> Vec<String> {
    // Footnote marks glued between names (`Fox∗& Sanford`, `Sinnwell∗and Daniel`) and
    // parenthesised affiliation numbers (`Wimmer(1,2)`, whose comma would split a name) go
    // before the line is split.
    let line: String = without_affiliation_numbers(&one_line(line))
        .chars()
        .map(|c| {
            if matches!(c, '*' | '∗' | '†' | '‡' | '§' | '¶') {
                ' '
            } else {
                c
            }
        })
        .collect();
    // `và` joins Vietnamese names (`Hàn Thế Thành và Thái Phú Khánh Hòa`), but also the words
    // of a title in capitals: only between names it separates them.
    let line = if line.contains(" và ")
        && line
            .split(" và ")
            .flat_map(|p| p.split(','))
            .all(|p| is_name_shaped(p.trim()))
    {
        line.replace(" và ", ",")
    } else {
        line
    };
    let mut out = Vec::new();
    let replaced = line.replace(" and ", ",").replace(['&', ';'], ",");
    for part in replaced.split(',') {
        let cleaned: String = part
            .split_whitespace()
            .filter(|w| !w.contains('@') && !w.starts_with("http"))
            // Footnote marks set as `b)`, and the `By` of `By American Mathematical Society`.
            .filter(|w| !(w.len() == 2 && w.ends_with(')')))
            .enumerate()
            .filter(|(i, w)| !(*i == 0 && matches!(*w, "By" | "by" | "BY")))
            // Affiliation marks set apart from the name (`Dirk Eddelbuettel a`).
            .filter(|(i, w)| !(*i > 0 && w.len() == 1 && w.chars().all(|c| c.is_ascii_lowercase())))
            .map(|(_, w)| w)
            .map(|w| {
                w.trim_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '*' | '∗' | '†' | '‡' | '§' | '¶' | '#')
                })
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = strip_academic_title(&cleaned);
        if looks_like_name(&name) {
            let n = title_case_name(&name);
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_inside_names_and_organisations_outside() {
        assert!(looks_like_name("Paulo Ney de Souza"));
        assert!(looks_like_name("Lídia del Rio"));
        assert!(!looks_like_name("de Souza"));
        assert!(looks_like_name("R Core Team"));
    }

    #[test]
    fn va_separates_vietnamese_names_only() {
        assert_eq!(
            split_names("Hàn Thế Thành và Thái Phú Khánh Hòa"),
            vec!["Hàn Thế Thành", "Thái Phú Khánh Hòa"]
        );
        assert!(split_names("PHÂN TÍCH VÀ THIẾT KẾ HỆ THỐNG").len() < 2);
        assert!(split_names("Phân tích và thiết kế hệ thống").is_empty());
    }

    #[test]
    fn academic_titles_are_stripped() {
        let cases = [
            ("PGS.TS. Nguyễn Văn A", "Nguyễn Văn A"),
            ("PGS. TS. THOẠI NAM", "THOẠI NAM"),
            ("PGS.TS Huỳnh Trung Hiếu", "Huỳnh Trung Hiếu"),
            ("Th.S Đỗ Văn Tiến", "Đỗ Văn Tiến"),
            ("ThS. Nguyễn Trọng Chỉnh", "Nguyễn Trọng Chỉnh"),
            ("Ths. Vũ Hoài Thư", "Vũ Hoài Thư"),
            ("TS Đoàn Thị Ngọc Hiền", "Đoàn Thị Ngọc Hiền"),
            ("Thầy Nguyễn Hồ Duy Trí", "Nguyễn Hồ Duy Trí"),
            ("TS.Nguyễn Đình Hưng", "Nguyễn Đình Hưng"),
            ("Tạ Thị Thanh Mai", "Tạ Thị Thanh Mai"),
            ("S. Wood", "S. Wood"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_academic_title(input), want, "{input:?}");
        }
    }

    #[test]
    fn headings_under_a_title_are_not_names() {
        for heading in [
            "An Interactive Plotting Program",
            "Free Your Numbers",
            "Getting Started",
            "Course Title",
            "A User Guide",
        ] {
            assert!(!looks_like_name(heading), "{heading:?}");
        }
        for name in [
            "Nguyễn Văn An",
            "The PARI Group",
            "Thomas Williams",
            "R Core Team",
        ] {
            assert!(looks_like_name(name), "{name:?}");
        }
    }

    #[test]
    fn name_shapes() {
        let cases = [
            ("Lê Tiến Chiến", true),
            ("NGUYỄN THỊ THANH HÒA", true),
            ("Nghiêm Minh Hoàng", true),
            ("TỰ NHIÊN", false),
            ("KHOA HỌC MÁY TÍNH", false),
            ("DỮ LIỆU LỚN", false),
            ("Nguyễn", false),
            ("Lớp: CS211.M11", false),
        ];
        for (input, want) in cases {
            assert_eq!(is_name_shaped(input), want, "{input:?}");
        }
    }

    #[test]
    fn cover_entries_to_names() {
        let cases = [
            ("PHẠM ĐỨC MINH HIẾU – 52100796", Some("Phạm Đức Minh Hiếu")),
            ("Chu Quang Khải – 20210457", Some("Chu Quang Khải")),
            (
                "Người thực hiện: NGUYỄN TẤN ĐẠT– 21022831",
                Some("Nguyễn Tấn Đạt"),
            ),
            ("SVTH 1: PHAN MINH CƯỜNG (1510381)", Some("Phan Minh Cường")),
            (
                "Sinh viên: NGUYỄN THANH HẢI - 20170734",
                Some("Nguyễn Thanh Hải"),
            ),
            ("1. Lê Châu Khánh Vy,", Some("Lê Châu Khánh Vy")),
            (
                "Nguyễn Khánh Linh MSSV: B21DCCN484",
                Some("Nguyễn Khánh Linh"),
            ),
            (": Lê Trọng Kha (60131234)", Some("Lê Trọng Kha")),
            ("Họ và tên: Nguyễn Lâm Tùng", Some("Nguyễn Lâm Tùng")),
            ("GVHD: PGS. TS. THOẠI NAM", Some("Thoại Nam")),
            ("19521790", None),
            ("Nhóm 4", None),
        ];
        for (input, want) in cases {
            assert_eq!(clean_name(input).as_deref(), want, "{input:?}");
        }
    }

    #[test]
    fn author_lists() {
        let cases = [
            (
                "Đỗ Văn Nam ∗ , Trần Nhật Nam ∗ , Lê Đình Bảo Long ∗ , Trần Thành Luân∗",
                vec![
                    "Đỗ Văn Nam",
                    "Trần Nhật Nam",
                    "Lê Đình Bảo Long",
                    "Trần Thành Luân",
                ],
            ),
            (
                "Karline Soetaert, Thomas Petzoldt and R. Woodrow Setzer",
                vec!["Karline Soetaert", "Thomas Petzoldt", "R. Woodrow Setzer"],
            ),
            (
                "Achim Zeileis1 and Christian Kleiber2",
                vec!["Achim Zeileis", "Christian Kleiber"],
            ),
            // Marks glued between names, and numbered affiliations (R vignettes).
            (
                "John Fox∗& Sanford Weisberg†",
                vec!["John Fox", "Sanford Weisberg"],
            ),
            (
                "Jason P. Sinnwell∗and Daniel J. Schaid",
                vec!["Jason P. Sinnwell", "Daniel J. Schaid"],
            ),
            (
                "Valentin Wimmer(1,2)∗ and Michael Höhle(1,2)",
                vec!["Valentin Wimmer", "Michael Höhle"],
            ),
            // Superscript affiliation marks, set apart by the layout (Rcpp vignettes).
            (
                "J.J. Allaire a , Dirk Eddelbuettel b and Romain François c",
                vec!["J.J. Allaire", "Dirk Eddelbuettel", "Romain François"],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(split_names(input), want, "{input:?}");
        }
    }
}
