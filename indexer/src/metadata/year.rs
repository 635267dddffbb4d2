//! The year a thesis or report was presented, from the `CITY – YEAR` line at the foot of its
//! cover (`Hà Nội – 2019`, `TP. Hồ Chí Minh, tháng 6 năm 2020`, `HÀ NỘI, 04/2024`).
//!
//! The printed year beats the PDF dates: files are often re-exported years later.

use super::match_key;

/// Cities that head the date line of Vietnamese covers (folded, lower case).
/// A year a document can carry: from 1950 to next year. A later one (`2055` in a table of
/// examples) is no document's date.
pub(crate) fn plausible(year: i32) -> bool {
    (1950..=this_year() + 1).contains(&year)
}

/// The current year (UTC), from the system clock.
fn this_year() -> i32 {
    static YEAR: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
    *YEAR.get_or_init(|| time::OffsetDateTime::now_utc().year())
}

const CITIES: [&str; 26] = [
    "ha noi",
    "ho chi minh",
    "hcm",
    "tp",
    "thanh pho",
    "thai nguyen",
    "da nang",
    "hue",
    "can tho",
    "khanh hoa",
    "nha trang",
    "hai phong",
    "vinh",
    "quy nhon",
    "da lat",
    "bien hoa",
    "thu duc",
    "nam dinh",
    "thanh hoa",
    "nghe an",
    "vung tau",
    "buon ma thuot",
    "long xuyen",
    "hung yen",
    "bac ninh",
    "hanoi",
];

/// True when the line is a cover's place line (`TP. HỒ CHÍ MINH, <NĂM HIỆN TẠI>`, `HÀ NỘI`):
/// it starts with a city and is short.
pub fn is_place_line(line: &str) -> bool {
    let key = match_key(line);
    let padded = format!("{key} ");
    line.split_whitespace().count() <= 8
        && CITIES
            .iter()
            .any(|c| padded.starts_with(&format!("{c} ")) && *c != "tp" && *c != "vinh")
        || (padded.starts_with("tp ") || padded.starts_with("thanh pho "))
            && line.split_whitespace().count() <= 8
}

/// The year of a cover's place-and-date line, or `None` when the line is not one.
///
/// A stand-alone four-digit number in 1950 to next year counts when the line reads like a date: it
/// names a city, says `năm`/`tháng`, writes `MM/YYYY`, or is a short `…, YYYY` / `… – YYYY`
/// line. Student ids (`20210457`), class codes (`K62`) and long sentences do not.
pub fn year_from_line(line: &str) -> Option<i32> {
    let words = line.split_whitespace().count();
    if words == 0 || words > 14 {
        return None;
    }
    let key = match_key(line);
    if [
        "mssv",
        "ma so",
        "isbn",
        "lop",
        "khoa hoc 20",
        "hoc ky",
        "so dien thoai",
    ]
    .iter()
    .any(|w| key.contains(w))
        || is_reference_entry(line, &key)
    {
        return None;
    }
    let padded = format!(" {key} ");
    let has_city = CITIES.iter().any(|c| padded.contains(&format!(" {c} ")));
    let dated = says_date(&padded);
    // A caption (`Figure 1: Seattle Mariners at Spring Training, 2010.`) dates what it shows.
    let first = key.split(' ').next().unwrap_or("");
    let caption = ["figure", "fig", "table", "hinh", "bang"].contains(&first)
        && key
            .split(' ')
            .nth(1)
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    if caption {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    for (start, i) in digit_runs(&chars) {
        if i - start != 4 {
            continue;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i).copied();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let year: i32 = chars[start..i].iter().collect::<String>().parse().ok()?;
        if !plausible(year) || is_citation(&chars, start, i) || is_postal_code(&chars, start, i) {
            continue;
        }
        let slash = before == Some('/');
        let separated = before.is_none()
            || chars[..start]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| matches!(c, ',' | '-' | '–' | '—' | '.' | '|'));
        // `năm 2019` inside a sentence (`ước tính năm 2019 trên toàn cầu có khoảng…`) is a
        // date the text talks about: a date line ends at its year, or nearly.
        let words_after = chars[i..]
            .iter()
            .collect::<String>()
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        let date_words = dated && (has_city || words_after <= 2);
        if has_city || date_words || slash || (separated && words <= 8) {
            return Some(year);
        }
    }
    None
}

/// A line of a reference list: it opens with a number in brackets (`[44] "StackExchange," 2020.`)
/// or gives pages (`Biomedical Engineering , pp. 107-119, 2020.`). Its years are the cited
/// works', wherever the list stands (a poster has no last page for it).
fn is_reference_entry(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let numbered = t.strip_prefix('[').is_some_and(|r| {
        let digits = r.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && r[digits..].starts_with(']')
    });
    let padded = format!(" {key} ");
    numbered || padded.contains(" pp ") || t.contains("pp.")
}

/// The number at `chars[start..end]` is a postal code in an address: a house number before it
/// and a place name after (`Groenenborgerlaan 171, 2020 Antwerpen`).
fn is_postal_code(chars: &[char], start: usize, end: usize) -> bool {
    let house_number = chars[..start].iter().any(char::is_ascii_digit);
    let rest: String = chars[end..].iter().collect();
    let next = rest.split_whitespace().next().unwrap_or("");
    let place = rest.starts_with(' ')
        && next.starts_with(char::is_uppercase)
        && !MONTHS.contains(&match_key(next).as_str());
    house_number && place
}

/// The year at `chars[start..end]` closes a citation: `(Hill, 1973)`, `(Soetaert, Petzoldt,
/// and Setzer 2008)`, or `2010).` ending one opened on the line before. A date in parentheses
/// (`(2022)`, `(January 10, 2022)`) is no citation.
fn is_citation(chars: &[char], start: usize, end: usize) -> bool {
    if chars.get(end) != Some(&')') {
        return false;
    }
    let Some(open) = chars[..start].iter().rposition(|&c| c == '(') else {
        return true;
    };
    let inside: String = chars[open + 1..start].iter().collect();
    let key = match_key(&inside);
    let month = key.split(' ').any(|w| MONTHS.contains(&w));
    // `(1998, 2005)`: a second year of the same citation.
    !month
        && inside
            .chars()
            .any(|c| c.is_alphabetic() || c.is_ascii_digit())
}

/// The year of the last date line among `lines` (the cover's date line is at its foot; a
/// name or a course code above it must not win).
pub fn year_from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<i32> {
    let lines: Vec<&str> = lines.into_iter().collect();
    lines
        .iter()
        .rev()
        .filter(|l| !continues_sentence(l))
        .find_map(|l| year_from_line(l))
}

/// The folded, space-padded `key` says `năm`, `tháng` or `ngày`.
fn says_date(key: &str) -> bool {
    [" nam ", " thang ", " ngay "]
        .iter()
        .any(|w| key.contains(w))
}

/// A line that continues a sentence (`ony, Germany, 2001–2002.`): its dates are what the text
/// tells, not the work's. Vietnamese date lines may start lower-case (`tháng 6 năm 2020`).
fn continues_sentence(line: &str) -> bool {
    let key = format!(" {} ", match_key(line));
    line.trim_start().starts_with(char::is_lowercase)
        && !says_date(&key)
        && !CITIES.iter().any(|c| key.contains(&format!(" {c} ")))
}

/// The year of the first date line among `lines`: on a page of running text (a court
/// precedent, a summary without its cover) the date under the heading is the document's, the
/// later ones are dates the text talks about.
pub fn first_year_from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<i32> {
    lines
        .into_iter()
        .filter(|l| !continues_sentence(l))
        .find_map(year_from_line)
}

/// True for a signed-and-dated line of running text (`Thái Nguyên, ngày 30 tháng 6 năm 2022`),
/// the fallback when a PDF lacks its cover: the declaration page is dated.
pub fn is_signature_date(line: &str) -> bool {
    let key = format!(" {} ", match_key(line));
    key.contains(" ngay ")
        && key.contains(" thang ")
        && key.contains(" nam ")
        && line.split_whitespace().count() <= 14
}

/// English month names and their usual abbreviations (folded, lower case).
/// German months as German thesis classes print them (`im Juli 2021`).
const MONTHS: [&str; 30] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "januar",
    "februar",
    "marz",
    "juni",
    "juli",
    "oktober",
    "dezember",
];

/// The year of a date as English title pages print it under the title: `January 10, 2023`,
/// `24 November 2022`, `Feb 2008`, `2022-07-07`, `Version 4.2.2 Patched (2022-11-10)`, `This
/// version was compiled on April 3, 2022`, a journal issue `July 2008, Volume 27`.
///
/// A bare year is not enough (`(Kleiber and Zeileis 2008)` is a citation): the year must follow
/// a month name or be the head of an ISO date. Long lines are running text, not a date line.
pub fn english_date_year(line: &str) -> Option<i32> {
    if line.split_whitespace().count() > 16 {
        return None;
    }
    let key = match_key(line);
    let words: Vec<&str> = key.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if w.len() != 4 || !w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let year: i32 = w.parse().ok()?;
        if !plausible(year) {
            continue;
        }
        // `January 10 2023`, `Jan 2008`, `24 November 2022`, `September 18-20, 2006`.
        let month_before = words[i.saturating_sub(3)..i]
            .iter()
            .any(|p| MONTHS.contains(p));
        // `2022 07 07` (an ISO date folded): a month and a day after the year.
        let iso = words.get(i + 1).is_some_and(|m| is_number_in(m, 1, 12))
            && words.get(i + 2).is_some_and(|d| is_number_in(d, 1, 31))
            && line.contains(&format!("{year}-"));
        // `Annals of Mathematics 160 (2008), 17–46`: a volume and its year in parentheses.
        let issue = line.contains(&format!("({year})"))
            && words[..i]
                .last()
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()));
        if month_before || iso || issue {
            return Some(year);
        }
    }
    None
}

/// The maximal runs of ASCII digits in `chars`, as `(start, end)` indexes.
fn digit_runs(chars: &[char]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < chars.len() && !chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == chars.len() {
            return None;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        Some((start, i))
    })
}

fn is_number_in(word: &str, lo: u32, hi: u32) -> bool {
    word.len() <= 2 && word.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
}

/// The last year of a copyright line (`Copyright © 1999–2022 R Core Team`, `© 2007,
/// Philosophers' Imprint`): the year of the edition in hand.
pub fn copyright_year(line: &str) -> Option<i32> {
    // Offsets are taken in `line` itself (lower-casing may change byte lengths).
    let at = ["Copyright", "copyright", "COPYRIGHT", "©"]
        .iter()
        .filter_map(|p| line.find(p))
        .min()?;
    let rest = &line[at..];
    let mut best = None;
    let chars: Vec<char> = rest.chars().collect();
    for (start, i) in digit_runs(&chars) {
        if i - start == 4 {
            let y: i32 = chars[start..i].iter().collect::<String>().parse().ok()?;
            if plausible(y) {
                best = Some(y);
            }
        } else if i - start == 2 && best.is_some() && chars.get(start.wrapping_sub(1)) == Some(&'-')
        {
            // `2004-23`: the century of the first year.
            let century = best.unwrap() / 100 * 100;
            best = Some(
                century
                    + chars[start..i]
                        .iter()
                        .collect::<String>()
                        .parse::<i32>()
                        .ok()?,
            );
        }
        // Only the years at the head of the line: `Copyright 2001 by the AMS` stops at `by`.
        if chars[i..]
            .iter()
            .take_while(|c| !c.is_ascii_digit())
            .any(|c| c.is_alphabetic())
        {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_text_is_no_date_line() {
        let page = [
            "Data from Saxony, Germany, in the years",
            "ony, Germany, 2001–2002.",
        ];
        assert_eq!(first_year_from_lines(page), None);
        assert_eq!(first_year_from_lines(["tháng 6 năm 2020"]), Some(2020));
        assert_eq!(year_from_lines(["tp. Hồ Chí Minh, 2020"]), Some(2020));
    }

    #[test]
    fn years_after_next_year_are_no_documents_dates() {
        let now = this_year();
        assert!(now >= 2026, "clock year {now}");
        assert!(plausible(now) && plausible(now + 1) && plausible(1950));
        assert!(!plausible(now + 2) && !plausible(2055) && !plausible(1949));
    }

    #[test]
    fn english_title_page_dates() {
        let cases = [
            ("January 10, 2023", Some(2023)),
            ("24 November 2022", Some(2022)),
            ("Jan. 2008 (added note in June 2010)", Some(2008)),
            ("2022-07-07", Some(2022)),
            ("Version 4.2.2 Patched (2022-11-10)", Some(2022)),
            ("This version was compiled on April 3, 2022", Some(2022)),
            ("July 2008, Volume 27, Issue 3.", Some(2008)),
            ("Mike Brown, Sandia National Labs, April 2007", Some(2007)),
            ("(Kleiber and Zeileis 2008, Springer-Verlag)", None),
            ("Annals of Mathematics 160 (2008), 17–46", Some(2008)),
            (
                "Proc. of the 9th Int. Conference (DAFx-06), Montreal, September 18-20, 2006",
                Some(2006),
            ),
            ("in Hagenberg im Juli 2021", Some(2021)),
            ("described by Pearson (1907) and Smith (2010)", None),
            ("Version 4.0.2", None),
            (
                "R/qtl version 1.08 included a number of new functions",
                None,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(english_date_year(input), want, "{input:?}");
        }
    }

    #[test]
    fn copyright_years() {
        let cases = [
            ("Copyright © c 1999–2022 R Core Team", Some(2022)),
            (
                "Copyright c 2004-23 Andy Hammerlindl, John Bowman, and Tom Prince.",
                Some(2023),
            ),
            ("© 2007, Philosophers’ Imprint", Some(2007)),
            (
                "Copyright c 2001 by the American Mathematical Society.",
                Some(2001),
            ),
            ("Permission is granted to copy", None),
        ];
        for (input, want) in cases {
            assert_eq!(copyright_year(input), want, "{input:?}");
        }
    }

    #[test]
    fn years_of_cover_date_lines() {
        let cases = [
            ("Hà Nội – 2019", Some(2019)),
            ("TP. Hồ Chí Minh, tháng 6 năm 2020", Some(2020)),
            ("HÀ NỘI, 2018", Some(2018)),
            ("HÀ NỘI, 04/2024", Some(2024)),
            ("□□ TP. Hồ Chí Minh, 12/2021 □ □", Some(2021)),
            ("THÀNH PHỐ HỒ CHÍ MINH, THÁNG 5, NĂM 2023", Some(2023)),
            ("TP.HCM, Tháng 03 Năm 2022", Some(2022)),
            ("Thành phố Hồ Chí Minh – Tháng 05 /2025", Some(2025)),
            ("THÁI NGUYÊN - 2020", Some(2020)),
            ("Khánh Hòa - 2022", Some(2022)),
            ("TP. Hồ Chí Minh, ngày 10 tháng 1 năm 2020", Some(2020)),
            ("Hà Nội, 2024", Some(2024)),
            ("7/2020", Some(2020)),
            ("Chu Quang Khải – 20210457", None),
            ("Lớp: CTTN-TOÁN TIN K62", None),
            ("20234IT6058001 - Khoá: 16", None),
            ("SVTH 1: PHAN MINH CƯỜNG (1510381)", None),
            ("MSSV: 2015", None),
            ("TP. HỒ CHÍ MINH, <NĂM HIỆN TẠI>", None),
            // Citations, captions and running text date what they talk about.
            ("diversity indices (Hill, 1973):", None),
            ("2010).", None),
            ("Cameron and Trivedi (1998, 2005).", None),
            ("Groenenborgerlaan 171, 2020 Antwerpen, België", None),
            (
                "Universiteit Antwerpen | Building Research Group | 2022",
                Some(2022),
            ),
            ("Figure 1: Seattle Mariners at Spring Training, 2010.", None),
            ("(January 10, 2022)", Some(2022)),
            // Reference list entries, and a year inside a sentence.
            ("Biomedical Engineering , pp. 107-119, 2020.", None),
            ("[44] \"StackExchange,\" 2020.", None),
            (
                "Global Tuberculosis Control)[1] ước tính năm 2019 trên toàn cầu có khoảng 10",
                None,
            ),
            ("Năm học 2019 - 2020", Some(2019)),
        ];
        for (input, want) in cases {
            assert_eq!(year_from_line(input), want, "{input:?}");
        }
    }

    #[test]
    fn the_last_date_line_wins() {
        let lines = ["HỆ THỐNG 2020", "Lê Tiến Chiến", "HÀ NỘI - 2022"];
        assert_eq!(year_from_lines(lines), Some(2022));
        assert_eq!(year_from_lines(["Nguyễn Văn A"]), None);
    }

    #[test]
    fn signature_dates() {
        assert!(is_signature_date("Thái Nguyên, ngày 30 tháng 6 năm 2022."));
        assert!(!is_signature_date("Hà Nội – 2019"));
    }
}
