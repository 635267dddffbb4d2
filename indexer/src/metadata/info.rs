//! Cleaning what the PDF says about itself: dates in the Info dictionary and XMP, titles and
//! author names that are often left-overs of the authoring tool rather than real metadata.

use super::{match_key, one_line};

/// The year of a PDF date (`D:20190512093000+07'00'`), an XMP/ISO date (`2019-05-12T09:30:00Z`),
/// or a date as printed by `pdfinfo` (`Wed May 31 05:01:48 2023 UTC`).
///
/// Years outside 1950 to next year are refused: they come from unset clocks (`D:19700101`) or junk.
pub fn pdf_date_year(date: &str) -> Option<i32> {
    let s = date.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() >= 4 {
        return plausible(digits[..4].parse().ok()?);
    }
    // Free-form dates: the first stand-alone four-digit number.
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .find_map(|t| plausible(t.parse().ok()?))
}

fn plausible(year: i32) -> Option<i32> {
    super::year::plausible(year).then_some(year)
}

/// The Info/XMP title when it looks like a real title, normalised; `None` for the usual junk:
/// empty, `untitled`, `Microsoft Word - abc.docx`, a file name, `PowerPoint Presentation`, a
/// doc-type phrase alone (`ĐỒ ÁN TỐT NGHIỆP` left in a template), text with replacement
/// characters or lost diacritics.
pub fn clean_info_title(raw: &str) -> Option<String> {
    let mut t = one_line(raw);
    for prefix in [
        "Microsoft Word - ",
        "Microsoft PowerPoint - ",
        "Microsoft Word-",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim().to_string();
        }
    }
    let t = t
        .trim_matches(|c: char| c.is_whitespace() || c == '"')
        .to_string();
    if t.is_empty() || t.contains('\u{FFFD}') {
        return None;
    }
    // A journal's citation line (`Electron. Commun. Probab. 0 (2020), article no. 0,
    // https://doi.org/...`) is what some classes put in the Info title.
    let lower = t.to_lowercase();
    if ["http://", "https://", "doi.org", "www.", "article no."]
        .iter()
        .any(|p| lower.contains(p))
    {
        return None;
    }
    let key = match_key(&t);
    const JUNK: [&str; 12] = [
        "untitled",
        "no title",
        "title",
        "powerpoint presentation",
        "slide 1",
        "document",
        "document1",
        "tieu de",
        "bao cao",
        "luan van",
        "main",
        "thesis",
    ];
    if JUNK.contains(&key.as_str()) || key.starts_with("untitled") {
        return None;
    }
    // File names: no spaces at all, or an extension of a document format.
    let lower = t.to_lowercase();
    if !t.contains(' ')
        || [
            ".doc", ".docx", ".pdf", ".tex", ".odt", ".rtf", ".dvi", ".ppt", ".pptx",
        ]
        .iter()
        .any(|e| lower.ends_with(e))
        || t.contains('\\')
        || t.contains('/') && !t.contains(' ')
    {
        return None;
    }
    if key.split(' ').filter(|w| !w.is_empty()).count() < 2 {
        return None;
    }
    if super::first_page::is_doc_type_only(&t) {
        return None;
    }
    // `Hệ thống … - Đồ án tốt nghiệp`: the kind of work appended to the title.
    if let Some((head, tail)) = t.rsplit_once(" - ") {
        if super::first_page::is_doc_type_only(tail) && head.split_whitespace().count() >= 2 {
            return Some(head.trim().to_string());
        }
    }
    Some(t)
}

/// An Info `Author` / XMP creator that is a person's name (two to six words, letters only), in
/// title case; `None` for e-mail addresses, account names (`Laptop`, `nguye`, `Windows User`)
/// and numbers.
pub fn clean_info_person(raw: &str) -> Option<String> {
    let t = one_line(raw);
    if t.contains('@') {
        return None;
    }
    let key = match_key(&t);
    if [
        "windows user",
        "user",
        "admin",
        "administrator",
        "microsoft office user",
    ]
    .contains(&key.as_str())
    {
        return None;
    }
    super::people::clean_name(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_pdf_and_xmp_dates() {
        let cases = [
            ("D:20190512093000+07'00'", Some(2019)),
            ("D:2019", Some(2019)),
            ("20220816110343Z", Some(2022)),
            ("2023-05-31T12:01:48+07", Some(2023)),
            ("2020-07-14", Some(2020)),
            ("Wed May 31 05:01:48 2023 UTC", Some(2023)),
            ("D:19000101000000", None),
            ("", None),
            ("garbage", None),
        ];
        for (input, want) in cases {
            assert_eq!(pdf_date_year(input), want, "{input:?}");
        }
    }

    #[test]
    fn info_titles_from_the_corpus() {
        let cases = [
            ("Microsoft Word - 19521900_19522497", None),
            (
                "Microsoft Word - 19521900_19522497_Mo_Ta_Do_An_Mon_Hoc.docx",
                None,
            ),
            ("MauBaocaoDL.docx", None),
            ("baocao", None),
            ("PowerPoint Presentation", None),
            ("ĐỒ ÁN TỐT NGHIỆP", None),
            ("", None),
            ("untitled", None),
            (
                "Hệ thống thực hiện A/B Test trong Quảng Cáo - Đồ án tốt nghiệp",
                // The kind of work appended to a title is no part of it.
                Some("Hệ thống thực hiện A/B Test trong Quảng Cáo"),
            ),
            (
                "The deSolve package:  solving   differential equations",
                Some("The deSolve package: solving differential equations"),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(clean_info_title(input).as_deref(), want, "{input:?}");
        }
    }

    #[test]
    fn info_people_from_the_corpus() {
        let cases = [
            ("Nguyễn Hạ Phương", Some("Nguyễn Hạ Phương")),
            ("18521414@gm.uit.edu.vn", None),
            ("Laptop", None),
            ("nguye", None),
            ("123", None),
            (
                "Sinh viên: TRẦN CÔNG HUY - Mssv: 18200129",
                Some("Trần Công Huy"),
            ),
            ("Le Chi Thong", Some("Le Chi Thong")),
        ];
        for (input, want) in cases {
            assert_eq!(clean_info_person(input).as_deref(), want, "{input:?}");
        }
    }
}
