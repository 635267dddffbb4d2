//! Cover-page heuristics for Vietnamese theses and reports.
//!
//! A Vietnamese cover is a stack of centred lines in a fixed order: ministry or university
//! header (`BỘ GIÁO DỤC VÀ ĐÀO TẠO`, `TRƯỜNG ĐẠI HỌC …`, `KHOA …`), the author, the kind of
//! work (`LUẬN VĂN THẠC SĨ`), the title in the largest type, labelled fields (`Người hướng dẫn
//! khoa học: …`, `Sinh viên thực hiện: …`) and the place and year at the foot. Each line is
//! classified once ([`classify`]); the fields are then read off the classified lines.

use crate::doc::{DocType, Page};

use super::people::{clean_name, is_name_shaped, looks_like_name, split_names, title_case_words};
use super::{match_key, one_line, LayoutLine, PdfInfo};

/// What a cover line is, for the purpose of finding the title among the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// No letters (`o0o`, `----------`, a page number, a student id).
    Decoration,
    /// Ministry, university, faculty, national motto.
    Header,
    /// The kind of work: `LUẬN VĂN THẠC SĨ`, `BÁO CÁO MÔN HỌC`, `ĐỒ ÁN CUỐI KÌ`.
    DocType,
    /// `ĐỀ TÀI:` / `Tên đề tài:`: the title follows (on the same line or the next ones).
    TitleLabel,
    /// Any other labelled field: `Giảng viên hướng dẫn: …`, `Lớp: …`, `Chuyên ngành: …`.
    Label,
    /// The place-and-date line (`Hà Nội – 2019`).
    Date,
    /// A person's name (`NGUYỄN THỊ THANH HÒA`, `PHẠM ĐỨC MINH HIẾU – 52100796`).
    Name,
    /// Anything else: title candidates.
    Text,
}

/// Header prefixes that are headers wherever they stand on the page.
const STRONG_HEADERS: [&str; 16] = [
    "bo giao duc",
    "truong dai hoc",
    "dai hoc",
    "hoc vien",
    "cong hoa xa hoi",
    "doc lap tu do",
    "tong lien doan",
    "bo cong thuong",
    "bo y te",
    "bo quoc phong",
    "bo cong an",
    "bo tai chinh",
    "bo nong nghiep",
    "bo xay dung",
    "bo tu phap",
    "bo van hoa",
];

/// Header prefixes that are headers only in the top part of the cover (`TRƯỜNG ĐIỆN – ĐIỆN TỬ`
/// is a school, but `TRƯỜNG ĐIỆN TỪ …` could start a physics title further down).
const WEAK_HEADERS: [&str; 9] = [
    "truong ",
    "vien ",
    "khoa ",
    "bo mon",
    "trung tam",
    "phan hieu",
    "so giao duc",
    "uy ban",
    "bo ",
];

/// Labels whose value is a person or a course detail, never the title.
const LABELS: [&str; 44] = [
    "giang vien",
    "giao vien",
    "gvhd",
    "gvpb",
    "nguoi huong dan",
    "can bo huong dan",
    "sinh vien",
    "nhom sinh vien",
    "svth",
    "hoc vien",
    "nguoi thuc hien",
    "tac gia",
    "ncs",
    "nhom",
    "thanh vien",
    "tham gia",
    "lop",
    "mssv",
    "ma so",
    "ma sv",
    "chuyen nganh",
    "chuyen sau",
    "nganh",
    "mon",
    "hoc phan",
    "ho va ten",
    "ho ten",
    "stt",
    "hoi dong",
    "linh vuc",
    "co so",
    "so thu tu",
    "thoi gian",
    "chu nhiem",
    "email",
    "dien thoai",
    "nam hoc",
    "hoc ky",
    "ky su",
    "cu nhan",
    "supervisor",
    "advisor",
    "student",
    "khoa hoc may tinh",
];

/// Labels after which the title is written.
const TITLE_LABELS: [&str; 5] = ["ten de tai", "de tai", "noi dung", "topic", "title"];

/// True when `key` starts with `prefix` as whole words.
fn starts_with_words(key: &str, prefix: &str) -> bool {
    key.starts_with(prefix)
        && (prefix.ends_with(' ')
            || key.len() == prefix.len()
            || key.as_bytes().get(prefix.len()) == Some(&b' '))
}

/// The kind of work a cover phrase names, with a rank: the strongest phrase of a cover wins
/// (`BÁO CÁO ĐỒ ÁN` is a report; `ĐỒ ÁN TỐT NGHIỆP` a thesis even when `BÁO CÁO` is on the
/// cover too). Case- and diacritic-insensitive.
pub fn doc_type_of(text: &str) -> Option<(DocType, u8)> {
    let key = match_key(text);
    let padded = format!(" {key} ");
    let has = |p: &str| padded.contains(&format!(" {p} "));
    let starts = |p: &str| starts_with_words(&key, p);
    // Vietnamese degrees first: they are unambiguous.
    if has("luan an tien si") || has("luan an tien sy") || has("luan an") && starts("luan an") {
        return Some((DocType::Doctoral, 9));
    }
    if has("luan van thac si") || has("luan van thac sy") || has("luan van cao hoc") {
        return Some((DocType::Master, 8));
    }
    if has("khoa luan tot nghiep")
        || has("do an tot nghiep")
        || has("luan van tot nghiep")
        || has("khoa luan")
    {
        return Some((DocType::Thesis, 7));
    }
    // English (and German) degrees.
    if has("phd thesis") || has("doctoral thesis") || has("doctoral dissertation") {
        return Some((DocType::Doctoral, 9));
    }
    if has("dissertation") || has("doctor of philosophy") || starts("doktorarbeit") {
        return Some((DocType::Doctoral, 6));
    }
    if has("master s thesis")
        || has("master thesis")
        || has("masters thesis")
        || has("masterarbeit")
        || has("master of science")
        || has("master of arts")
        || has("master of engineering")
    {
        return Some((DocType::Master, 8));
    }
    if has("bachelor s thesis")
        || has("bachelor thesis")
        || has("graduation thesis")
        || has("final thesis")
        || has("bachelorarbeit")
        || has("bachelor of science")
    {
        return Some((DocType::Thesis, 7));
    }
    // Forms and court documents announce themselves too: a cover with a university header and
    // a student's name is still no report (`PHIẾU ĐÁNH GIÁ KẾT QUẢ THỰC TẬP`, `ÁN LỆ SỐ ...`).
    if starts("phieu") || starts("an le so") || starts("seminararbeit") {
        return Some((DocType::Other, 5));
    }
    if starts("luan van") {
        return Some((DocType::Master, 5));
    }
    if starts("bao cao")
        || has("bao cao tong ket")
        || has("de tai nghien cuu khoa hoc")
        || starts("bai tap lon")
        || starts("tieu luan")
        || starts("du an")
        || starts("chuyen de")
        || starts("thuc tap")
        || has("technical report")
        || has("internship report")
        || has("project report")
        || has("test report")
        || starts("onderzoeksrapport")
    {
        return Some((DocType::Report, 4));
    }
    // `ĐỒ ÁN` alone is a course project (`ĐỒ ÁN CUỐI KÌ`, `ĐỒ ÁN NHẬN DẠNG`, `ĐỒ ÁN MÔN
    // HỌC`); a graduation project says `TỐT NGHIỆP` and was taken above.
    if starts("do an") && !starts("do an toan") {
        return Some((DocType::Report, 3));
    }
    if key == "thesis" {
        return Some((DocType::Thesis, 3));
    }
    if has("journal of statistical software") || has("the r journal") {
        return Some((DocType::Article, 2));
    }
    if has("user s guide")
        || has("users guide")
        || has("user guide")
        || has("reference manual")
        || has("reference card")
        || has("manual")
        || starts("reference")
        || has("handbook")
    {
        return Some((DocType::Book, 1));
    }
    if starts("slides") || has("presentation slides") {
        return Some((DocType::Slides, 1));
    }
    None
}

/// A form (`PHIẾU ĐÁNH GIÁ …`) or a court precedent (`ÁN LỆ SỐ …`) by its cover: the people it
/// names are those it is about or who filled it in, not its authors.
pub fn is_form_or_precedent(cover: &[LayoutLine]) -> bool {
    cover.iter().any(|l| {
        let key = match_key(&l.text);
        doc_type_of(&l.text).is_some_and(|(t, _)| t == DocType::Other)
            && (starts_with_words(&key, "phieu") || starts_with_words(&key, "an le so"))
    })
}

/// Lines that are never the title of a whole document, whatever their type size: page
/// furniture (dot-leader lines of a table of contents, e-mail and web addresses, watermarks
/// printed backwards such as `MOC.ERACUDEHTAM`), front-matter headings (`MỤC LỤC`, `LỜI CẢM
/// ƠN`, `Contents`, `Preface`) and chapter or section headings (`Chương 1. …`, `BÀI 1 …`,
/// `Chapter 1`, `1. Introduction`).
pub fn is_never_title(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    if t.contains("....") || t.contains(". . . .") || t.contains("……") || t.contains('@') {
        return true;
    }
    let reversed: String = lower.chars().rev().collect();
    for web in ["http", "www.", ".com", ".net", ".org", ".edu", ".vn"] {
        // A web address, or one printed backwards (a watermark read from the wrong side).
        if (lower.contains(web) || reversed.contains(web)) && !lower.contains(' ') {
            return true;
        }
    }
    let key = match_key(t);
    if FRONT_MATTER
        .iter()
        .chain(MORE_FRONT_MATTER.iter())
        .any(|p| key == *p)
        || super::english::is_heading_not_title(t)
    {
        return true;
    }
    let mut words = key.split(' ');
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    let numeral = |w: &str| {
        !w.is_empty()
            && (w.chars().all(|c| c.is_ascii_digit())
                || w.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
    };
    // `Chương 1`, `BÀI 1`, `Phần II`, `Part 2`.
    if matches!(
        first,
        "chuong" | "bai" | "phan" | "chapter" | "part" | "lesson"
    ) && numeral(second)
    {
        return true;
    }
    // `1. Introduction`, `2 Cơ sở lý thuyết`, `II. GIỚI THIỆU`: a numbered heading.
    let numbered = t.split_whitespace().next().is_some_and(|w| {
        let w = w.trim_end_matches(['.', ')']);
        numeral(&w.to_lowercase()) && w.len() <= 4
    });
    numbered && key.split(' ').count() <= 8
}

/// Front-matter headings besides those that mark a page without a cover.
const MORE_FRONT_MATTER: [&str; 10] = [
    "danh muc hinh anh",
    "danh muc bang bieu",
    "danh muc tu viet tat",
    "nhan xet cua giang vien",
    "nhan xet cua giang vien huong dan",
    "phu luc",
    "tai lieu tham khao",
    "ket luan",
    "gioi thieu",
    "muc luc",
];

/// True when `text` is nothing but a doc-type phrase (`ĐỒ ÁN TỐT NGHIỆP`, `Luận văn thạc sĩ`):
/// such an Info title is a template left-over.
pub fn is_doc_type_only(text: &str) -> bool {
    doc_type_of(text).is_some() && match_key(text).split(' ').count() <= 5
}

/// The qualifiers that continue a doc-type line (`THỰC TẬP KỸ THUẬT` under `BÁO CÁO`).
fn is_doc_type_line(key: &str) -> bool {
    [
        "thuc tap",
        "tot nghiep",
        "cuoi ky",
        "cuoi ki",
        "mon hoc",
        "de tai nghien cuu",
    ]
    .iter()
    .any(|p| starts_with_words(key, p))
}

/// Classifies one cover line. `upper` says whether the line is in the top part of the cover,
/// where `TRƯỜNG …` / `KHOA …` are headers rather than title words.
pub fn classify(text: &str, upper: bool) -> LineKind {
    let key = match_key(text);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2
        || key
            .split(' ')
            .all(|w| w.len() <= 3 && w.contains(char::is_numeric))
    {
        return LineKind::Decoration;
    }
    if ["o0o", "q0q"].contains(&key.as_str()) {
        return LineKind::Decoration;
    }
    for l in TITLE_LABELS {
        // `Nội dung` alone heads a slide deck's or a report's contents; as a label it has
        // its colon (`Nội dung: …`).
        if l == "noi dung" && !text.contains(':') {
            continue;
        }
        if starts_with_words(&key, l) {
            let after_label = text.find(':').is_some_and(|i| {
                match_key(&text[..i]).split(' ').count() <= l.split(' ').count() + 1
            });
            if key == l || after_label {
                return LineKind::TitleLabel;
            }
        }
    }
    // `Học viện` (academy) and `Học viên` (graduate student) fold alike.
    let student = is_student_label(text);
    if key != "khoa hoc may tinh" && !starts_with_words(&key, "khoa luan") && !student {
        if STRONG_HEADERS.iter().any(|p| starts_with_words(&key, p)) {
            return LineKind::Header;
        }
        if upper
            && WEAK_HEADERS.iter().any(|p| starts_with_words(&key, p))
            && !starts_with_words(&key, "khoa hoc")
        {
            return LineKind::Header;
        }
    }
    // A template's slot for the title (`<TIÊU ĐỀ ĐẦY ĐỦ KHÓA LUẬN>`) names the kind of work
    // it is the title of: it stands where the title stands, and is what the file is titled.
    let t = text.trim();
    let slot = t.starts_with('<') && t.ends_with('>') && t[1..].find('<').is_none();
    if !slot && (doc_type_of(text).is_some() || is_doc_type_line(&key)) {
        return LineKind::DocType;
    }
    if super::year::year_from_line(text).is_some() && text.split_whitespace().count() <= 10 {
        return LineKind::Date;
    }
    // The place line of a cover whose year is missing or a template's placeholder
    // (`TP. HỒ CHÍ MINH, <NĂM HIỆN TẠI>`).
    if super::year::is_place_line(text) {
        return LineKind::Date;
    }
    // `: DHKHMT16A` is the value of a label set as a separate text box.
    if LABELS.iter().any(|p| starts_with_words(&key, p)) || text.trim_start().starts_with(':') {
        return LineKind::Label;
    }
    // `Field: value` with a short field name is a label whatever the field.
    if let Some((head, _)) = text.split_once(':') {
        let n = head.split_whitespace().count();
        if (1..=4).contains(&n) {
            return LineKind::Label;
        }
    }
    if let Some(n) = clean_name(text) {
        if is_name_shaped(&n) && n.split_whitespace().count() == name_words(text) {
            return LineKind::Name;
        }
    }
    if is_never_title(text) {
        return LineKind::Decoration;
    }
    LineKind::Text
}

/// True when `text` starts with `Học viên` (a graduate student), not `Học viện` (an academy).
fn is_student_label(text: &str) -> bool {
    crate::text::normalize(text)
        .to_lowercase()
        .starts_with("học viên")
}

/// Number of letter words before any id or separator: `PHẠM ĐỨC MINH HIẾU – 52100796` → 4.
fn name_words(text: &str) -> usize {
    let mut n = 0;
    for w in text.split_whitespace() {
        // `CHÂU BẢO NHÂN– 522H0093`: the dash glued to the last word ends the name.
        let t = w.trim_end_matches(['–', '-', ',']);
        if t.is_empty() || !t.chars().all(char::is_alphabetic) {
            break;
        }
        n += 1;
        if t.len() != w.len() {
            break;
        }
    }
    n
}

/// A cover line with its kind.
#[derive(Debug, Clone)]
struct Classified<'a> {
    line: &'a LayoutLine,
    kind: LineKind,
}

fn classify_all(lines: &[LayoutLine]) -> Vec<Classified<'_>> {
    let (lo, hi) = lines.iter().fold((f32::MAX, f32::MIN), |(lo, hi), l| {
        (lo.min(l.top), hi.max(l.top))
    });
    // The top 30% of the cover, but at least the first few lines of a short one.
    let limit = lo + ((hi - lo) * 0.3).max(80.0);
    lines
        .iter()
        .map(|line| Classified {
            line,
            kind: classify(&line.text, line.top <= limit),
        })
        .collect()
}

/// Normalises a layout line's text.
///
/// Lines set in legacy TCVN3/VNI fonts should be repaired here once the extractor cannot decode
/// them itself (`crate::text::legacy` is the place); for now only normalisation.
pub fn repair_line(line: &LayoutLine) -> LayoutLine {
    LayoutLine {
        text: one_line(&line.text),
        marks_apart: line.marks_apart.as_deref().map(one_line),
        ..line.clone()
    }
}

/// Headings of front matter that is not a cover (`LỜI CAM ĐOAN`, `MỤC LỤC`…).
const FRONT_MATTER: [&str; 10] = [
    "loi cam doan",
    "loi cam on",
    "muc luc",
    "tom tat",
    "abstract",
    "contents",
    "loi mo dau",
    "mo dau",
    "loi noi dau",
    "preface",
];

/// True when the chosen "cover" is front matter or a chapter's opening (the PDF has no cover
/// page): its first line is a heading such as `LỜI CAM ĐOAN` or `CHƯƠNG 1`. Its largest type
/// is then a heading, not the title.
pub fn is_front_matter(cover: &[LayoutLine]) -> bool {
    // The first line with letters: a page number may stand above the heading.
    cover
        .iter()
        .find(|l| l.text.chars().any(char::is_alphabetic))
        .is_some_and(|l| {
            let k = match_key(&l.text);
            FRONT_MATTER.iter().any(|p| starts_with_words(&k, p)) || is_chapter_opening(&k)
        })
}

/// `CHƯƠNG 1`, `Chapter 2`, `CHƯƠNG I`: a page that opens a chapter is inside the work.
fn is_chapter_opening(key: &str) -> bool {
    let mut words = key.split(' ');
    let (Some(head), Some(num)) = (words.next(), words.next()) else {
        return false;
    };
    matches!(head, "chuong" | "chapter")
        && (num.chars().all(|c| c.is_ascii_digit())
            || num.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

/// A line that starts with a label this module knows (`Lớp`, `Sinh viên thực hiện`, …).
fn is_known_label(key: &str) -> bool {
    LABELS
        .iter()
        .chain(AUTHOR_LABELS.iter())
        .chain(ADVISOR_LABELS.iter())
        .chain(TITLE_LABELS.iter())
        .any(|l| starts_with_words(key, l))
}

/// A page of running text (a dozen lines or more) whose upper part holds a line in type half
/// as large again as its common size.
fn has_display_title(lines: &[&LayoutLine]) -> bool {
    if lines.len() < 12 {
        return false;
    }
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.font_size).collect();
    sizes.sort_by(f32::total_cmp);
    let common = sizes[sizes.len() / 2];
    let (lo, hi) = lines.iter().fold((f32::MAX, f32::MIN), |(lo, hi), l| {
        (lo.min(l.top), hi.max(l.top))
    });
    let upper = lo + (hi - lo) * 0.4;
    common > 0.0
        && lines
            .iter()
            .any(|l| l.top <= upper && l.font_size >= 1.5 * common)
}

/// The heading of a reference list.
fn is_references_heading(text: &str) -> bool {
    let key = match_key(text);
    let key = key.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    matches!(
        key,
        "references" | "bibliography" | "tai lieu tham khao" | "danh muc tai lieu tham khao"
    )
}

/// How much a page looks like a cover: headers, a doc-type phrase, a date line; negative for
/// front matter (`LỜI CAM ĐOAN`, `MỤC LỤC`).
fn cover_score(lines: &[&LayoutLine]) -> i32 {
    let mut score = 0;
    let owned: Vec<LayoutLine> = lines.iter().map(|l| (*l).clone()).collect();
    // One date counts: a copyright page lists many years and is no cover.
    let mut dated = false;
    for c in classify_all(&owned) {
        score += match c.kind {
            LineKind::Header => 2,
            // Only the kinds a cover announces (a degree, `BÁO CÁO`); `manual` or the name of
            // a journal occur on any page of a book or paper.
            LineKind::DocType if doc_type_of(&c.line.text).is_none_or(|(_, rank)| rank >= 3) => 3,
            LineKind::Date if !dated => {
                dated = true;
                1
            }
            LineKind::TitleLabel => 2,
            _ => 0,
        };
    }
    // A reference list names reports and theses (`Technical report, NICTA.`) and dates every
    // line: it is the end of a paper, not a cover.
    if is_front_matter(&owned) || owned.iter().any(|l| is_references_heading(&l.text)) {
        score -= 5;
    }
    score.min(8)
}

/// True when the lines are a printed cover (a university or ministry header, or a phrase
/// naming the kind of work) rather than a page of running text.
pub fn looks_like_cover(cover: &[LayoutLine]) -> bool {
    classify_all(cover).iter().any(|c| match c.kind {
        LineKind::Header => true,
        // `ÁN LỆ SỐ …` and forms head a page of running text.
        LineKind::DocType => doc_type_of(&c.line.text).is_none_or(|(t, _)| t != DocType::Other),
        _ => false,
    })
}

/// The lines of the cover page, top to bottom: page 1 unless it is empty or clearly not a
/// cover while page 2 or 3 is one (a scanned or decorative first page, an inner cover).
///
/// Without layout lines (a scan, an extractor without positions) the first page's text stands
/// in, one line per text line, all of the same size.
pub fn cover_lines(layout: &[LayoutLine], pages: &[Page]) -> Vec<LayoutLine> {
    let text_lines = |text: &str| -> Vec<LayoutLine> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .take(40)
            .enumerate()
            .map(|(i, l)| LayoutLine {
                text: one_line(l),
                font_size: 0.0,
                page: 0,
                top: i as f32 * 12.0,
                bold: false,
                marks_apart: None,
            })
            .collect()
    };
    if layout.is_empty() {
        let Some(p) = pages.iter().find(|p| !p.text.trim().is_empty()) else {
            return Vec::new();
        };
        return text_lines(&p.text);
    }
    // A scanned cover bound before typeset pages: the first page has no layout lines, only
    // the text OCR read from its image, and that is the cover.
    if let Some(first) = pages.first() {
        let laid_out = layout
            .iter()
            .any(|l| l.page == 0 && !l.text.trim().is_empty());
        if !laid_out && first.ocr && !first.text.trim().is_empty() {
            return text_lines(&first.text);
        }
    }
    let max_page = layout.iter().map(|l| l.page).max().unwrap_or(0).min(2);
    let by_page = |p: usize| -> Vec<&LayoutLine> {
        layout
            .iter()
            .filter(|l| l.page == p && !l.text.trim().is_empty())
            .collect()
    };
    let first = by_page(0);
    let first_score = cover_score(&first);
    let mut best = (0, first_score);
    // A first page opening with a display title over running text is the paper's own first
    // page: only a real cover further on (a header and a kind of work) beats it, not a page
    // whose code listing or reference list happens to hold `Title:` or `Technical report`.
    let needed = if has_display_title(&first) { 4 } else { 0 };
    if first_score < 4 {
        for p in 1..=max_page {
            let s = cover_score(&by_page(p));
            // Running text (score 0) after front matter is the work itself, not its cover.
            if s > best.1 + 1 && s >= needed && s > 0 {
                best = (p, s);
            }
        }
    }
    let page = if by_page(best.0).is_empty() {
        (0..=max_page)
            .find(|&p| !by_page(p).is_empty())
            .unwrap_or(0)
    } else {
        best.0
    };
    reading_order(by_page(page).into_iter().cloned().collect())
}

/// Sorts lines into rows top to bottom, keeping the extraction order inside a row: a label and
/// its value set in different sizes (`Thành viên:` and `Lưu Minh Chiến`) sit on slightly
/// different baselines, and the label must still come first.
fn reading_order(lines: Vec<LayoutLine>) -> Vec<LayoutLine> {
    let mut indexed: Vec<(usize, LayoutLine)> = lines.into_iter().enumerate().collect();
    indexed.sort_by(|a, b| a.1.top.total_cmp(&b.1.top));
    let mut rows: Vec<(usize, usize, LayoutLine)> = Vec::with_capacity(indexed.len());
    let mut row = 0;
    let mut row_top = f32::MIN;
    for (i, l) in indexed {
        let tolerance = 0.5 * l.font_size.max(4.0);
        if l.top - row_top > tolerance {
            row += 1;
            row_top = l.top;
        }
        rows.push((row, i, l));
    }
    rows.sort_by_key(|(row, i, _)| (*row, *i));
    rows.into_iter().map(|(_, _, l)| l).collect()
}

/// Two lines belong to one title block when their type is about the same size and they are
/// close: titles wrap onto a second line, the English subtitle sits further down.
pub(crate) fn same_block(a: &LayoutLine, b: &LayoutLine) -> bool {
    let (small, big) = if a.font_size < b.font_size {
        (a.font_size, b.font_size)
    } else {
        (b.font_size, a.font_size)
    };
    let sizes = big <= 0.0 || small / big >= 0.78;
    let gap = (b.top - a.top).abs();
    sizes && gap <= 2.7 * big.max(8.0) && !language_switch(a, b)
}

/// True when one line is Vietnamese and the other a whole English sentence: bilingual covers
/// print the English title under the Vietnamese one, in nearly the same type.
fn language_switch(a: &LayoutLine, b: &LayoutLine) -> bool {
    let english = |l: &LayoutLine| {
        l.text.split_whitespace().count() >= 4 && crate::lang::vietnamese_share(&l.text) == 0.0
    };
    let vietnamese = |l: &LayoutLine| crate::lang::vietnamese_share(&l.text) >= 0.2;
    (vietnamese(a) && english(b)) || (english(a) && vietnamese(b))
}

/// Joins title lines into one line, keeping their case, without trailing punctuation.
pub(crate) fn join_title(lines: &[&LayoutLine]) -> Option<String> {
    let joined = one_line(
        &lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let t = joined
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '“' | '”' | '"' | ':'))
        .trim_end_matches(['.', ',', ';'])
        .trim();
    let t = strip_page_number(strip_footnote_mark(t)).to_string();
    (t.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(t)
}

/// A title without the page number of a running foot it was printed in (`Khai phá dữ liệu
/// Trang 1`, `... Page 3`).
fn strip_page_number(title: &str) -> &str {
    let mut words = title.rsplitn(3, ' ');
    let (Some(num), Some(label), Some(rest)) = (words.next(), words.next(), words.next()) else {
        return title;
    };
    let label = match_key(label);
    if num.chars().all(|c| c.is_ascii_digit()) && (label == "trang" || label == "page") {
        rest.trim_end()
    } else {
        title
    }
}

/// A title without the footnote mark its last word carries: `Guide*`, `Version 1.11.1* †`,
/// `Linebreak` + `a)` and `Algebra` + `1` set as superscripts on the same line.
fn strip_footnote_mark(title: &str) -> &str {
    let mut t = title.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '∗' | '†' | '‡' | '§' | '¶' | '⋆')
    });
    let last_word = |t: &str| t.rsplit(' ').next().unwrap_or("").to_string();
    // `Linebreaka)`: a letter and a parenthesis glued to a word, with no opening parenthesis.
    let w = last_word(t);
    if w.len() > 3 && w.ends_with(')') && !w.contains('(') && !title.contains('(') {
        let body = &w[..w.len() - 1];
        if let Some(c) = body.chars().last().filter(|c| c.is_ascii_lowercase()) {
            let stem = &body[..body.len() - c.len_utf8()];
            if stem.chars().count() >= 3 && stem.chars().all(char::is_alphabetic) {
                t = &t[..t.len() - 2];
            }
        }
    }
    // `Algebra1`: one or two digits glued to a lower-case word of four letters or more.
    let w = last_word(t);
    let digits = w.chars().rev().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let stem: String = w.chars().take(w.chars().count() - digits).collect();
        if stem.chars().count() >= 4
            && stem.chars().all(char::is_alphabetic)
            && stem.chars().last().is_some_and(char::is_lowercase)
        {
            t = &t[..t.len() - digits];
        }
    }
    t.trim_end()
}

/// The title on a Vietnamese cover: the lines after `ĐỀ TÀI:` / `Tên đề tài:` when there is
/// such a label, else the block of consecutive lines in the largest type that are not header,
/// doc type, name, label or date (a long block in nearly the largest type beats a two-word
/// course name in slightly larger type).
pub fn title(cover: &[LayoutLine]) -> Option<String> {
    let classified = classify_all(cover);
    if let Some(i) = classified
        .iter()
        .position(|c| c.kind == LineKind::TitleLabel)
    {
        let label = classified[i].line;
        let mut parts: Vec<&LayoutLine> = Vec::new();
        let rest = label
            .text
            .split_once(':')
            .map(|(_, r)| r.trim())
            .unwrap_or("");
        let rest_line;
        if rest.chars().any(char::is_alphabetic) {
            rest_line = LayoutLine {
                text: rest.to_string(),
                marks_apart: None,
                ..label.clone()
            };
            parts.push(&rest_line);
        }
        for c in &classified[i + 1..] {
            let ok_kind = matches!(c.kind, LineKind::Text | LineKind::Name | LineKind::DocType);
            match parts.last() {
                None if ok_kind => parts.push(c.line),
                None => break,
                Some(prev) if ok_kind && same_block(prev, c.line) => parts.push(c.line),
                Some(_) => break,
            }
        }
        if let Some(t) = join_title(&parts) {
            return Some(t);
        }
    }
    // A title that starts with the kind of work and runs on to the next line in the same
    // type (`Báo Cáo Chương Trình Giải Bài Toán Quy` / `Hoạch Tuyến Tính`) is one title.
    let mut classified = classified;
    for i in 0..classified.len().saturating_sub(1) {
        let (line, next_line, next_kind) = (
            classified[i].line,
            classified[i + 1].line,
            classified[i + 1].kind,
        );
        // (`ÁN LỆ SỐ 43/2021/AL` over `Về hiệu lực …` is a form's number, not a title's start.)
        let runs_on = classified[i].kind == LineKind::DocType
            && !is_doc_type_only(&line.text)
            && doc_type_of(&line.text).is_none_or(|(t, _)| t != DocType::Other)
            && next_kind == LineKind::Text
            && same_block(line, next_line)
            && (next_line.font_size - line.font_size).abs() <= 0.05 * line.font_size;
        if runs_on {
            classified[i].kind = LineKind::Text;
        }
        // `Dataset for Text Classification:` ends a title's line with a colon, like a label
        // whose value follows, but continues the title in its type.
        let title_colon = classified[i].kind == LineKind::Text
            && next_kind == LineKind::Label
            && next_line.text.trim_end().ends_with(':')
            && !is_known_label(&match_key(&next_line.text))
            && same_block(line, next_line)
            && (next_line.font_size - line.font_size).abs() <= 0.05 * line.font_size;
        if title_colon {
            classified[i + 1].kind = LineKind::Text;
        }
    }
    // Blocks of title candidates, each remembering whether it comes right after the doc-type
    // line (where a short block is the course name: `BÁO CÁO ĐỒ ÁN` / `DỮ LIỆU LỚN`).
    let mut blocks: Vec<(Vec<&LayoutLine>, bool)> = Vec::new();
    let mut open = false;
    let mut after_doc_type = false;
    for c in &classified {
        match c.kind {
            LineKind::Text => {}
            LineKind::Decoration => {
                open = false;
                continue;
            }
            kind => {
                open = false;
                after_doc_type = kind == LineKind::DocType;
                continue;
            }
        }
        // A bold heading does not run on into the regular text under it (a court precedent's
        // `Về …` heading and the `Được … thông qua` paragraph share one type size).
        match blocks.last_mut() {
            Some((b, _))
                if open
                    && same_block(b.last().unwrap(), c.line)
                    && b.last().unwrap().bold == c.line.bold =>
            {
                b.push(c.line)
            }
            _ => {
                blocks.push((vec![c.line], after_doc_type));
                open = true;
            }
        }
        after_doc_type = false;
    }
    let size = |b: &[&LayoutLine]| b.iter().map(|l| l.font_size).fold(0.0f32, f32::max);
    // Words of letters only: `DHKHMT16A - 420300371104` is no title.
    let words = |b: &[&LayoutLine]| -> usize {
        b.iter()
            .flat_map(|l| l.text.split_whitespace())
            .filter(|w| w.chars().all(char::is_alphabetic))
            .count()
    };
    let score = |b: &[&LayoutLine]| {
        let letters: usize = b
            .iter()
            .map(|l| l.text.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        size(b) * (1.0 + 0.15 * (letters as f32 / 40.0).min(1.0))
    };
    // On equal scores the first block wins: the heading comes before the paragraphs.
    let mut best = blocks.iter().filter(|b| !b.0.is_empty()).fold(
        None::<&(Vec<&LayoutLine>, bool)>,
        |best, b| match best {
            Some(x) if score(&x.0) >= score(&b.0) => Some(x),
            _ => Some(b),
        },
    )?;
    // A course name set large with the report's topic right under it, longer and smaller
    // (`XỬ LÝ NGÔN NGỮ TỰ NHIÊN` / `XÂY DỰNG TRÌNH PHÂN TÍCH CÚ PHÁP TIẾNG VIỆT`): the topic is
    // what the work is about.
    let last = best.0.last().unwrap();
    let topic = blocks.iter().find(|b| {
        let first = b.0[0];
        first.top > last.top
            && first.top - last.top <= 2.5 * last.font_size
            && size(&b.0) >= 0.45 * size(&best.0)
            && size(&b.0) < 0.9 * size(&best.0)
            && words(&best.0) <= 6
            && words(&b.0) > words(&best.0)
            && words(&b.0) >= 5
            && !b.0.last().unwrap().text.trim_end().ends_with('.')
            && !b.0.iter().any(|l| language_switch(last, l))
            && !b.0.iter().any(|l| split_names(l.names_text()).len() >= 2)
    });
    if let Some(t) = topic {
        best = t;
    }
    // A course name under the doc type yields to a real title in nearly as large type.
    if best.1 && words(&best.0) <= 3 {
        let floor = 0.7 * size(&best.0);
        let first = best.0[0].top;
        if let Some(alt) = blocks
            .iter()
            .filter(|b| b.0[0].top != first && words(&b.0) >= 4 && size(&b.0) >= floor)
            .max_by(|a, b| score(&a.0).total_cmp(&score(&b.0)))
        {
            best = alt;
        }
    }
    join_title(&best.0)
}

/// The title quoted in the front matter when a PDF has no cover: declarations say
/// `tên đề tài “Nghiên cứu …”`.
pub fn title_from_text(pages: &[&str]) -> Option<String> {
    for text in pages.iter().take(4) {
        let flat = one_line(text);
        let key_positions = ["đề tài “", "đề tài \"", "Đề tài “", "đề tài: “"];
        for k in key_positions {
            if let Some(i) = flat.find(k) {
                let rest = &flat[i + k.len()..];
                if let Some(end) = rest.find(['”', '"']) {
                    let t = rest[..end].trim();
                    if t.split_whitespace().count() >= 3 {
                        return Some(t.to_string());
                    }
                }
            }
        }
    }
    None
}

/// The kind of work: Beamer/PowerPoint files are slides whatever their first page says; then
/// the strongest phrase on the cover; then the Info title and subject; then the front pages'
/// running text (declarations name the degree: `Luận văn thạc sỹ chuyên ngành …`).
pub fn doc_type(cover: &[LayoutLine], info: &PdfInfo, front_pages: &[&str]) -> DocType {
    let creator = format!(
        "{} {}",
        info.creator.as_deref().unwrap_or(""),
        info.producer.as_deref().unwrap_or("")
    )
    .to_lowercase();
    if creator.contains("beamer") || creator.contains("powerpoint") || creator.contains("impress") {
        // A single page made with presentation software is a poster.
        return if front_pages.len() == 1 {
            DocType::Other
        } else {
            DocType::Slides
        };
    }
    let best = cover
        .iter()
        .filter_map(|l| doc_type_of(&l.text))
        .max_by_key(|(_, rank)| *rank);
    if let Some((t, _)) = best {
        return t;
    }
    for s in [info.title.as_deref(), info.subject.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Some((t, _)) = doc_type_of(s) {
            return t;
        }
    }
    for text in front_pages.iter().take(4) {
        let key = format!(" {} ", match_key(text));
        for (p, t) in [
            (" luan an tien si", DocType::Doctoral),
            (" luan van thac s", DocType::Master),
            (" khoa luan tot nghiep ", DocType::Thesis),
            (" do an tot nghiep ", DocType::Thesis),
        ] {
            if key.contains(p) {
                return t;
            }
        }
    }
    // A university cover with an advisor or students but no kind printed is a course report
    // (`XỬ LÝ NGÔN NGỮ TỰ NHIÊN` / `Giáo viên hướng dẫn: …` / `Sinh viên thực hiện: …`).
    let classified = classify_all(cover);
    let university = classified.iter().any(|c| {
        let k = match_key(&c.line.text);
        c.kind == LineKind::Header
            && ["truong", "dai hoc", "hoc vien"]
                .iter()
                .any(|p| starts_with_words(&k, p))
    });
    let people = classified.iter().any(|c| {
        let k = match_key(&c.line.text);
        ADVISOR_LABELS
            .iter()
            .chain(AUTHOR_LABELS.iter())
            .any(|p| starts_with_words(&k, p))
    });
    if university && people {
        return DocType::Report;
    }
    DocType::Other
}

/// The institution lines of a cover: the university (or academy, institute) and the faculty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Institution {
    /// `Trường Đại Học Công Nghệ Thông Tin`, `Học Viện …`, `Đại Học Bách Khoa Hà Nội`.
    pub university: Option<String>,
    /// `Khoa Công Nghệ Thông Tin`, `Viện Toán Ứng Dụng Và Tin Học`, `Bộ Môn …`.
    pub faculty: Option<String>,
}

/// Acronyms kept in capitals when an ALL-CAPS header is put in title case.
const ACRONYMS: [&str; 8] = ["TP", "HCM", "TPHCM", "ĐHQG", "CNTT", "VNU", "HN", "KHTN"];

/// Title case for ALL-CAPS headers, acronyms (`TP.HCM`) kept.
fn header_case(text: &str) -> String {
    if text.chars().any(char::is_lowercase) {
        return text.to_string();
    }
    text.split(' ')
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.contains('.') || ACRONYMS.contains(&bare) {
                w.to_string()
            } else {
                title_case_words(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The university and faculty named by the cover's header lines.
///
/// The university is preferred for [`crate::doc::DocMetadata::institution`] (it is a facet, and
/// faculties would split it); the faculty is kept here for callers that show both. A national
/// university (`ĐẠI HỌC QUỐC GIA …`) or a university system (`ĐẠI HỌC THÁI NGUYÊN`) yields to
/// the member university printed under it.
pub fn institution(cover: &[LayoutLine]) -> Option<Institution> {
    let classified = classify_all(cover);
    let headers: Vec<(String, String)> = classified
        .iter()
        .filter(|c| c.kind == LineKind::Header)
        .map(|c| (match_key(&c.line.text), c.line.text.clone()))
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| {
        headers
            .iter()
            .find(|(k, _)| pred(k))
            .map(|(_, t)| header_case(&one_line(t)))
    };
    let university = find(&|k| starts_with_words(k, "truong dai hoc"))
        .or_else(|| find(&|k| starts_with_words(k, "hoc vien")))
        .or_else(|| {
            find(&|k| starts_with_words(k, "dai hoc") && !starts_with_words(k, "dai hoc quoc gia"))
        })
        .or_else(|| find(&|k| starts_with_words(k, "truong")))
        .or_else(|| find(&|k| starts_with_words(k, "dai hoc quoc gia")))
        .or_else(|| find(&|k| starts_with_words(k, "vien")));
    let faculty = find(&|k| {
        starts_with_words(k, "khoa")
            || starts_with_words(k, "bo mon")
            || starts_with_words(k, "vien")
    })
    .filter(|f| Some(f) != university.as_ref());
    if university.is_none() && faculty.is_none() {
        return None;
    }
    Some(Institution {
        university,
        faculty,
    })
}

/// Labels that announce the authors.
const AUTHOR_LABELS: [&str; 20] = [
    "sinh vien thuc hien",
    "nhom sinh vien thuc hien",
    "sinh vien",
    "svth",
    "hoc vien",
    "nguoi thuc hien",
    "tac gia",
    "ncs",
    "thanh vien",
    "ho va ten sinh vien",
    "nhom thuc hien",
    "tham gia thuc hien",
    "ho va ten",
    "ho ten",
    "student",
    "author",
    "bien soan",
    "chu bien",
    "nhom tac gia",
    "nhom sinh vien",
];

/// Labels that announce the advisor.
const ADVISOR_LABELS: [&str; 11] = [
    "nguoi huong dan khoa hoc",
    "nguoi huong dan",
    "gvhd",
    "giao vien huong dan",
    "giang vien huong dan",
    "can bo huong dan",
    "giang vien hd",
    "giang vien phu trach",
    "thay huong dan",
    "supervisor",
    "advisor",
];

/// Labels that end a list of names.
const STOP_LABELS: [&str; 21] = [
    "nguoi huong dan",
    "gvhd",
    "gvpb",
    "giao vien",
    "giang vien",
    "can bo huong dan",
    "lop",
    "chuyen nganh",
    "chuyen sau",
    "nganh",
    "mon",
    "hoc phan",
    "khoa",
    "hoi dong",
    "sinh vien",
    "svth",
    "nguoi thuc hien",
    "tac gia",
    "thoi gian",
    "co so",
    "linh vuc",
];

/// Table headers and ids between a label and the names it announces.
fn is_table_noise(key: &str) -> bool {
    key.is_empty()
        || key.chars().all(|c| c.is_ascii_digit() || c == ' ')
        || [
            "stt",
            "tt",
            "ten",
            "ho ten",
            "ho va ten",
            "mssv",
            "ho va ten mssv",
            "ma so sinh vien",
        ]
        .contains(&key)
        || key.starts_with("mssv")
        || key.starts_with("ma so")
        || !key.contains(|c: char| c.is_alphabetic())
        || key
            .split(' ')
            .all(|w| w.chars().any(|c| c.is_ascii_digit()))
}

/// Names announced by a label among `labels`: the rest of the label's line, then the following
/// lines while they are names (ids and table headers in between are skipped).
fn labelled_names(classified: &[Classified<'_>], labels: &[&str], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, c) in classified.iter().enumerate() {
        let key = match_key(&c.line.text);
        let Some(label) = labels.iter().find(|l| starts_with_words(&key, l)) else {
            continue;
        };
        if *label == "hoc vien" && !is_student_label(&c.line.text) {
            continue;
        }
        // The value on the label's own line, after the colon or after the label words.
        let rest = match c.line.text.split_once(':') {
            Some((_, r)) => r.trim().to_string(),
            None => {
                let n = label.split(' ').count();
                c.line
                    .text
                    .split_whitespace()
                    .skip(n)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        if let Some(n) = clean_name(&rest) {
            out.push(n);
        }
        let mut misses = 0;
        for next in &classified[i + 1..] {
            if out.len() >= max {
                break;
            }
            let k = match_key(&next.line.text);
            if is_table_noise(&k) {
                continue;
            }
            // `SVTH 2: …` under `SVTH 1: …`: the same label again, with the next name.
            if labels.iter().any(|l| starts_with_words(&k, l)) {
                if let Some(n) = next
                    .line
                    .text
                    .split_once(':')
                    .and_then(|(_, r)| clean_name(r))
                {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                    continue;
                }
            }
            // Other fields end the list; table columns (`Điện thoại`, `Email`) do not.
            let stop = matches!(
                next.kind,
                LineKind::Header | LineKind::DocType | LineKind::Date | LineKind::TitleLabel
            ) || next.kind == LineKind::Label
                && STOP_LABELS.iter().any(|l| starts_with_words(&k, l));
            if stop {
                break;
            }
            match clean_name(&next.line.text) {
                Some(n) if looks_like_name(&n) => {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                    misses = 0;
                }
                _ => {
                    misses += 1;
                    if misses > 5 || !out.is_empty() {
                        break;
                    }
                }
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The authors on a cover: the names after `Sinh viên thực hiện:` / `Học viên:` / `Tác giả:`…,
/// or else the name-shaped lines (2–5 capitalised syllables starting with a family name)
/// that are not the advisor's.
pub fn authors(cover: &[LayoutLine]) -> Vec<String> {
    let classified = classify_all(cover);
    let labelled = labelled_names(&classified, &AUTHOR_LABELS, 12);
    if !labelled.is_empty() {
        return labelled;
    }
    let advisor = advisor(cover);
    let mut out = Vec::new();
    for c in &classified {
        if c.kind != LineKind::Name {
            continue;
        }
        if let Some(n) = clean_name(&c.line.text) {
            if Some(&n) != advisor.as_ref() && !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// The advisor, without academic title: `Người hướng dẫn khoa học: PGS.TS. Nguyễn Văn A` →
/// `Nguyễn Văn A`; the name may be on the line after the label.
pub fn advisor(cover: &[LayoutLine]) -> Option<String> {
    let classified = classify_all(cover);
    labelled_names(&classified, &ADVISOR_LABELS, 1)
        .into_iter()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Furniture and headings seen as wrong titles on real documents (issue 14).
    #[test]
    fn lines_that_are_never_titles() {
        let never = [
            "MOC.ERACUDEHTAM",
            "MỤC LỤC",
            "LỜI NÓI ĐẦU",
            "LỜI CẢM ƠN",
            "Chương 1. CÁC KHÁI NIỆM CƠ BẢN",
            "BÀI 1 TỔNG QUAN VỀ HỆ ĐIỀU HÀNH",
            "Chapter 1",
            "1. Introduction",
            "II. GIỚI THIỆU VỀ ĐỀ TÀI",
            "Contents",
            "Preface",
            "MỤC LỤC ................................................. Error! Bookmark not defined.",
            "Phân tích dữ liệu dân số di cư: ......................19",
            "ltmhanh@dut.udn.vn",
            "https://rqtl.org",
        ];
        for t in never {
            assert!(is_never_title(t), "{t:?}");
        }
        let titles = [
            "Chương trình giải bài toán quy hoạch tuyến tính",
            "Hệ thống thực hiện A/B test trong quảng cáo",
            "Bài toán phân loại ảnh",
            "An Introduction to R",
            "R Internals",
            "Phần mềm quản lý thư viện",
            "3D Printing of Bones",
        ];
        for t in titles {
            assert!(!is_never_title(t), "{t:?}");
        }
    }

    /// Cover lines as (text, font size); tops 24 points apart, empty texts leave a gap.
    fn cover(lines: &[(&str, f32)]) -> Vec<LayoutLine> {
        lines
            .iter()
            .enumerate()
            .filter(|(_, (t, _))| !t.is_empty())
            .map(|(i, (t, s))| LayoutLine {
                text: t.to_string(),
                font_size: *s,
                page: 0,
                top: 60.0 + 24.0 * i as f32,
                bold: false,
                marks_apart: None,
            })
            .collect()
    }

    #[test]
    fn doc_types_of_cover_phrases() {
        let cases = [
            ("LUẬN VĂN THẠC SĨ KHOA HỌC MÁY TÍNH", Some(DocType::Master)),
            ("LUẬN VĂN THẠC SỸ TOÁN ỨNG DỤNG", Some(DocType::Master)),
            ("LUẬN ÁN TIẾN SĨ KINH TẾ", Some(DocType::Doctoral)),
            (
                "KHÓA LUẬN TỐT NGHIỆP ĐẠI HỌC HỆ CHÍNH QUY",
                Some(DocType::Thesis),
            ),
            ("LUẬN VĂN TỐT NGHIỆP ĐẠI HỌC", Some(DocType::Thesis)),
            ("ĐỒ ÁN TỐT NGHIỆP", Some(DocType::Thesis)),
            // A course's final project, not a graduation project.
            ("ĐỒ ÁN CUỐI KÌ", Some(DocType::Report)),
            ("ĐỒ ÁN NHẬN DẠNG", Some(DocType::Report)),
            ("MASTERARBEIT", Some(DocType::Master)),
            ("FINAL THESIS REPORT", Some(DocType::Thesis)),
            ("PHIẾU ĐÁNH GIÁ KẾT QUẢ THỰC TẬP", Some(DocType::Other)),
            ("ÁN LỆ SỐ 43/2021/AL", Some(DocType::Other)),
            (
                "Test Report on Kinetic Energy Density",
                Some(DocType::Report),
            ),
            ("BÁO CÁO ĐỒ ÁN", Some(DocType::Report)),
            ("BÁO CÁO TỔNG KẾT", Some(DocType::Report)),
            (
                "ĐỀ TÀI NGHIÊN CỨU KHOA HỌC SINH VIÊN",
                Some(DocType::Report),
            ),
            ("BÀI TẬP LỚN NHẬP MÔN TRÍ", Some(DocType::Report)),
            ("DỰ ÁN CÔNG NGHỆ THÔNG TIN", Some(DocType::Report)),
            ("do an tot nghiep", Some(DocType::Thesis)),
            (
                "A Master's Thesis in Computer Science",
                Some(DocType::Master),
            ),
            ("PhD Thesis", Some(DocType::Doctoral)),
            ("Journal of Statistical Software", Some(DocType::Article)),
            ("Gmsh Reference Manual", Some(DocType::Book)),
            ("ĐỘ AN TOÀN CỦA HỆ THỐNG", None),
            ("KHOA CÔNG NGHỆ THÔNG TIN", None),
        ];
        for (input, want) in cases {
            assert_eq!(doc_type_of(input).map(|t| t.0), want, "{input:?}");
        }
    }

    #[test]
    fn line_kinds_on_real_covers() {
        let cases = [
            ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", true, LineKind::Header),
            ("TRƯỜNG ĐẠI HỌC CÔNG NGHIỆP TP.HCM", false, LineKind::Header),
            ("KHOA CÔNG NGHỆ THÔNG TIN", true, LineKind::Header),
            ("TRƯỜNG ĐIỆN – ĐIỆN TỬ", true, LineKind::Header),
            ("KHÓA LUẬN TỐT NGHIỆP", false, LineKind::DocType),
            ("THỰC TẬP KỸ THUẬT", false, LineKind::DocType),
            ("ĐỀ TÀI:", false, LineKind::TitleLabel),
            (
                "Tên đề tài: Sử dụng phương pháp lọc cộng tác cho bài",
                false,
                LineKind::TitleLabel,
            ),
            ("ĐỀ TÀI: AI CHƠI CỜ CARO", false, LineKind::TitleLabel),
            (
                "Giảng viên hướng dẫn: PGS.TS Huỳnh Trung Hiếu",
                false,
                LineKind::Label,
            ),
            ("Môn: Nhập môn trí tuệ nhân tạo", false, LineKind::Label),
            ("HÀ NỘI - 2022", false, LineKind::Date),
            ("NGUYỄN THỊ THANH HÒA", false, LineKind::Name),
            ("PHẠM ĐỨC MINH HIẾU – 52100796", false, LineKind::Name),
            ("CHÂU BẢO NHÂN– 522H0093", false, LineKind::Name),
            ("o0o", true, LineKind::Decoration),
            ("———————o0o———————", false, LineKind::Decoration),
            (
                "TIẾP CẬN HỖ TRỢ CHẨN ĐOÁN UNG THƯ TỪ",
                false,
                LineKind::Text,
            ),
            ("TỰ NHIÊN", false, LineKind::Text),
            // A template's title slot is the title's line, though it names the kind of work.
            ("<TIÊU ĐỀ ĐẦY ĐỦ KHÓA LUẬN>", false, LineKind::Text),
        ];
        for (input, upper, want) in cases {
            assert_eq!(classify(input, upper), want, "{input:?}");
        }
    }

    #[test]
    fn titles_of_real_covers() {
        let cases: Vec<(Vec<(&str, f32)>, &str)> = vec![
            (
                vec![
                    ("BỘ CÔNG THƯƠNG", 14.3),
                    ("TRƯỜNG ĐẠI HỌC CÔNG NGHIỆP TP.HCM", 14.3),
                    ("KHOA CÔNG NGHỆ THÔNG TIN", 14.3),
                    ("NGUYỄN THỊ THANH HÒA", 15.5),
                    ("KHÓA LUẬN TỐT NGHIỆP", 22.2),
                    ("TIẾP CẬN HỖ TRỢ CHẨN ĐOÁN UNG THƯ TỪ", 22.2),
                    ("NHŨ ẢNH SỬ DỤNG PHƯƠNG PHÁP HỌC SÂU", 22.2),
                    ("Giảng viên hướng dẫn: PGS.TS Huỳnh Trung Hiếu", 15.5),
                    ("THÀNH PHỐ HỒ CHÍ MINH, THÁNG 5, NĂM 2023", 14.3),
                ],
                "TIẾP CẬN HỖ TRỢ CHẨN ĐOÁN UNG THƯ TỪ NHŨ ẢNH SỬ DỤNG PHƯƠNG PHÁP HỌC SÂU",
            ),
            (
                vec![
                    ("TRƯỜNG ĐẠI HỌC BÁCH KHOA HÀ NỘI", 18.9),
                    ("VIỆN TOÁN ỨNG DỤNG VÀ TIN HỌC", 18.9),
                    ("BÁO CÁO MÔN HỌC", 25.5),
                    ("Môn học: Mô hình mô phỏng", 21.0),
                    ("ĐỀ TÀI: MÔ PHỎNG DÒNG CHẢY MỘT ĐOẠN", 18.9),
                    ("SÔNG CỬU LONG", 18.9),
                    ("Giảng viên hướng dẫn:", 14.3),
                    ("Hà Nội – 2019", 14.3),
                ],
                "MÔ PHỎNG DÒNG CHẢY MỘT ĐOẠN SÔNG CỬU LONG",
            ),
            (
                vec![
                    ("ĐẠI HỌC QUỐC GIA TP. HCM", 14.3),
                    ("TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN", 14.3),
                    ("BÁO CÁO ĐỒ ÁN", 15.5),
                    ("DỮ LIỆU LỚN", 18.0),
                    ("", 0.0),
                    ("", 0.0),
                    ("BIẾN THỂ MÔ HÌNH HỌC SÂU TIÊN TIẾN", 14.4),
                    ("KẾT HỢP LOGISTIC REGRESSION TRONG XỬ LÝ ẢNH", 17.7),
                    ("PHÁT HIỆN TẾ BÀO UNG THƯ CỔ TỬ CUNG", 17.7),
                ],
                "BIẾN THỂ MÔ HÌNH HỌC SÂU TIÊN TIẾN KẾT HỢP LOGISTIC REGRESSION TRONG XỬ LÝ ẢNH PHÁT HIỆN TẾ BÀO UNG THƯ CỔ TỬ CUNG",
            ),
            (
                // The same cover with the sizes the crate's extractor measures, English title
                // included.
                vec![
                    ("TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN", 13.0),
                    ("", 0.0),
                    ("", 0.0),
                    ("BÁO CÁO ĐỒ ÁN", 14.0),
                    ("DỮ LIỆU LỚN", 20.0),
                    ("", 0.0),
                    ("", 0.0),
                    ("BIẾN THỂ MÔ HÌNH HỌC SÂU TIÊN TIẾN", 16.0),
                    ("KẾT HỢP LOGISTIC REGRESSION TRONG XỬ LÝ ẢNH", 16.0),
                    ("PHÁT HIỆN TẾ BÀO UNG THƯ CỔ TỬ CUNG", 16.0),
                    ("ADVANCED DEEP LEARNING MODEL VARIANTS", 14.0),
                    ("IN CERVICAL CANCER CELL DETECTION", 14.0),
                ],
                "BIẾN THỂ MÔ HÌNH HỌC SÂU TIÊN TIẾN KẾT HỢP LOGISTIC REGRESSION TRONG XỬ LÝ ẢNH PHÁT HIỆN TẾ BÀO UNG THƯ CỔ TỬ CUNG",
            ),
            (
                // The course name set large, the topic under it.
                vec![
                    ("ĐẠI HỌC QUỐC GIA THÀNH PHỐ HỒ CHÍ MINH", 16.0),
                    ("ĐẠI HỌC CÔNG NGHỆ THÔNG TIN", 16.0),
                    ("", 0.0),
                    ("XỬ LÝ NGÔN NGỮ TỰ NHIÊN", 28.0),
                    ("XÂY DỰNG TRÌNH PHÂN TÍCH CÚ PHÁP TIẾNG VIỆT", 14.0),
                    ("", 0.0),
                    ("Sinh viên thực hiện:", 14.0),
                    ("BÙI NGUYÊN MÃO", 12.0),
                ],
                "XÂY DỰNG TRÌNH PHÂN TÍCH CÚ PHÁP TIẾNG VIỆT",
            ),
            (
                // Names under a title are no topic.
                vec![
                    ("Dùng font với VnTEX", 20.7),
                    ("Hàn Thế Thành và Thái Phú Khánh Hòa", 14.3),
                    ("Ngày 12 tháng 5 năm 2008", 14.3),
                ],
                "Dùng font với VnTEX",
            ),
            (
                // A title that starts with the kind of work and runs on.
                vec![
                    ("Báo Cáo Chương Trình Giải Bài Toán Quy", 20.7),
                    ("Hoạch Tuyến Tính", 20.7),
                    ("", 0.0),
                    ("Mục lục", 17.2),
                ],
                "Báo Cáo Chương Trình Giải Bài Toán Quy Hoạch Tuyến Tính",
            ),
            (
                // A title line that ends with a colon goes on.
                vec![
                    ("TON DUC THANG UNIVERSITY", 14.1),
                    ("", 0.0),
                    ("A Large-Scale Vietnamese News", 24.0),
                    ("Dataset for Text Classification:", 24.0),
                    ("Construction and Evaluation", 24.0),
                    ("", 0.0),
                    ("", 0.0),
                    ("Giảng viên hướng dẫn:", 14.1),
                ],
                "A Large-Scale Vietnamese News Dataset for Text Classification: Construction and Evaluation",
            ),
            (
                // The running foot of a cover-less report.
                vec![
                    ("Trường Đại học Mở Thành phố Hồ Chí Minh", 13.0),
                    ("", 0.0),
                    ("", 0.0),
                    ("Khai phá dữ liệu Trang 1", 14.0),
                ],
                "Khai phá dữ liệu",
            ),
        ];
        for (lines, want) in cases {
            assert_eq!(title(&cover(&lines)).as_deref(), Some(want));
        }
    }

    #[test]
    fn a_scanned_cover_before_typeset_pages_is_read_from_its_ocr_text() {
        let ocr_text = "TRƯỜNG ĐẠI HỌC BÁCH KHOA HÀ NỘI\nBÀI TẬP 4\nBAYESIAN NETWORKS LEARNING";
        let pages = vec![
            Page {
                text: ocr_text.to_string(),
                no_text: true,
                ocr: true,
            },
            Page {
                text: "Kỹ thuật lập trình\nMục lục".to_string(),
                ..Page::default()
            },
        ];
        let mut layout = cover(&[("Kỹ thuật lập trình", 12.0), ("Mục lục", 24.8)]);
        for l in &mut layout {
            l.page = 1;
        }
        let lines = cover_lines(&layout, &pages);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2].text, "BAYESIAN NETWORKS LEARNING");
        // Without OCR text the typeset page stands in.
        let lines = cover_lines(&layout, &pages[1..]);
        assert_eq!(lines[0].text, "Kỹ thuật lập trình");
    }

    #[test]
    fn forms_and_precedents_have_no_authors_but_group_reports_do() {
        let form = cover(&[
            ("TRƯỜNG ĐẠI HỌC BÁCH KHOA", 13.0),
            ("PHIẾU ĐÁNH GIÁ KẾT QUẢ THỰC TẬP", 14.0),
            ("Họ và tên sinh viên: Nguyễn Đức Thắng", 13.0),
        ]);
        assert!(is_form_or_precedent(&form));
        let precedent = cover(&[
            ("ÁN LỆ SỐ 43/2021/AL", 14.0),
            ("Về hiệu lực của hợp đồng", 14.0),
        ]);
        assert!(is_form_or_precedent(&precedent));
        let report = cover(&[
            ("BÀI TẬP NHÓM MÔN HỌC", 14.0),
            ("Nhóm sinh viên: 1. Nguyễn Văn Trung", 12.0),
            ("2. Cao Thanh Tùng", 12.0),
        ]);
        assert!(!is_form_or_precedent(&report));
        assert_eq!(
            authors(&report).first().map(String::as_str),
            Some("Nguyễn Văn Trung")
        );
    }

    #[test]
    fn institutions_prefer_the_university() {
        let cases: Vec<(Vec<&str>, Option<&str>, Option<&str>)> = vec![
            (
                vec!["ĐẠI HỌC QUỐC GIA TP.HCM", "TRƯỜNG ĐẠI HỌC KINH TẾ - LUẬT"],
                Some("Trường Đại Học Kinh Tế - Luật"),
                None,
            ),
            (
                vec!["ĐẠI HỌC BÁCH KHOA HÀ NỘI", "TRƯỜNG ĐIỆN – ĐIỆN TỬ"],
                Some("Đại Học Bách Khoa Hà Nội"),
                None,
            ),
            (
                vec![
                    "HỌC VIỆN CÔNG NGHỆ BƯU CHÍNH VIỄN THÔNG",
                    "KHOA CÔNG NGHỆ THÔNG TIN 1",
                ],
                Some("Học Viện Công Nghệ Bưu Chính Viễn Thông"),
                Some("Khoa Công Nghệ Thông Tin 1"),
            ),
            (
                vec![
                    "Trường Đại Học Bách Khoa Hà Nội",
                    "Viện Toán ứng dụng và Tin học",
                ],
                Some("Trường Đại Học Bách Khoa Hà Nội"),
                Some("Viện Toán ứng dụng và Tin học"),
            ),
            (
                vec!["TRƯỜNG ĐẠI HỌC CÔNG NGHIỆP TP.HCM"],
                Some("Trường Đại Học Công Nghiệp TP.HCM"),
                None,
            ),
        ];
        for (lines, uni, fac) in cases {
            let c = cover(&lines.iter().map(|l| (*l, 14.0)).collect::<Vec<_>>());
            let got = institution(&c).unwrap();
            assert_eq!(got.university.as_deref(), uni, "{lines:?}");
            assert_eq!(got.faculty.as_deref(), fac, "{lines:?}");
        }
    }

    #[test]
    fn authors_and_advisors_of_real_covers() {
        let cases: Vec<(Vec<&str>, Vec<&str>, Option<&str>)> = vec![
            (
                vec![
                    "BÁO CÁO ĐỒ ÁN Ⅰ",
                    "Giảng viên hướng dẫn: TS Đoàn Thị Ngọc Hiền",
                    "Sinh viên thực hiện:",
                    "Chu Quang Khải – 20210457",
                    "Trần Phương Anh – 20213811",
                    "Hà Nội, tháng 06 năm 2024",
                ],
                vec!["Chu Quang Khải", "Trần Phương Anh"],
                Some("Đoàn Thị Ngọc Hiền"),
            ),
            (
                vec![
                    "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ",
                    "Lê Tiến Chiến",
                    "HỆ THỐNG THỰC HIỆN A/B TEST TRONG QUẢNG CÁO",
                    "KHÓA LUẬN TỐT NGHIỆP ĐẠI HỌC HỆ CHÍNH QUY",
                ],
                vec!["Lê Tiến Chiến"],
                None,
            ),
            (
                vec![
                    "GVHD: PGS. TS. THOẠI NAM",
                    "GVPB: ThS. NGUYỄN CAO ĐẠT",
                    "SVTH 1: PHAN MINH CƯỜNG (1510381)",
                    "SVTH 2: HUỲNH BẢO HIẾU (1511004)",
                ],
                vec!["Phan Minh Cường", "Huỳnh Bảo Hiếu"],
                Some("Thoại Nam"),
            ),
            (
                vec![
                    "NGƯỜI HƯỚNG DẪN KHOA HỌC",
                    "PGS.TS. NGUYỄN VĂN AN",
                    "Học viên: Trần Thị Bình",
                ],
                vec!["Trần Thị Bình"],
                Some("Nguyễn Văn An"),
            ),
            (
                vec![
                    "Nhóm sinh viên thực hiện",
                    "STT",
                    "Tên",
                    "MSSV",
                    "1",
                    "Nguyễn Như Long",
                    "19521790",
                    "2",
                    "Hồ Anh Dũng",
                    "18520630",
                    "TP. Hồ Chí Minh, 12/2021",
                ],
                vec!["Nguyễn Như Long", "Hồ Anh Dũng"],
                None,
            ),
        ];
        for (lines, want_authors, want_advisor) in cases {
            let c = cover(&lines.iter().map(|l| (*l, 14.0)).collect::<Vec<_>>());
            assert_eq!(authors(&c), want_authors, "{lines:?}");
            assert_eq!(advisor(&c).as_deref(), want_advisor, "{lines:?}");
        }
    }

    #[test]
    fn title_quoted_in_a_declaration() {
        let pages = ["LỜI CAM ĐOAN\nTôi xin cam đoan: Luận văn thạc sỹ chuyên ngành Khoa học máy tính, tên\nđề tài “Nghiên cứu hỗ trợ chuẩn đoán bệnh lao dựa vào học máy” là công trình"];
        assert_eq!(
            title_from_text(&pages).as_deref(),
            Some("Nghiên cứu hỗ trợ chuẩn đoán bệnh lao dựa vào học máy")
        );
    }
}
