//! The year a thesis or report was presented, from the `CITY – YEAR` line at the foot of its
//! cover (`Hà Nội – 2019`, `TP. Hồ Chí Minh, tháng 6 năm 2020`, `HÀ NỘI, 04/2024`).
//!
//! The printed year beats the PDF dates: files are often re-exported years later.

use super::match_key;

/// Cities that head the date line of Vietnamese covers (folded, lower case).
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

/// The year of a cover's place-and-date line, or `None` when the line is not one.
///
/// A stand-alone four-digit number in 1950–2100 counts when the line reads like a date: it
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
    {
        return None;
    }
    let padded = format!(" {key} ");
    let has_city = CITIES.iter().any(|c| padded.contains(&format!(" {c} ")));
    let dated = padded.contains(" nam ") || padded.contains(" thang ") || padded.contains(" ngay ");
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start != 4 {
            continue;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i).copied();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let year: i32 = chars[start..i].iter().collect::<String>().parse().ok()?;
        if !(1950..=2100).contains(&year) {
            continue;
        }
        let slash = before == Some('/');
        let separated = before.is_none()
            || chars[..start]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| matches!(c, ',' | '-' | '–' | '—' | '.'));
        if has_city || dated || slash || (separated && words <= 8) {
            return Some(year);
        }
    }
    None
}

/// The year of the last date line among `lines` (the cover's date line is at its foot; a
/// name or a course code above it must not win).
pub fn year_from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<i32> {
    let lines: Vec<&str> = lines.into_iter().collect();
    lines.iter().rev().find_map(|l| year_from_line(l))
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

#[cfg(test)]
mod tests {
    use super::*;

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
