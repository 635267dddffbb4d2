//! Document metadata: what the PDF says about itself (Info dictionary, XMP) and what its first
//! pages show (title in the largest type, thesis type, institution, author, advisor, year).

/// Metadata embedded in the PDF file itself, as found (already decoded to Unicode, not yet trusted).
/// Filled by [`crate::pdf`], read by the inference in this module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfInfo {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    /// `D:YYYYMMDDHHmmSS...` or an XMP date, as written in the file.
    pub creation_date: Option<String>,
    pub modification_date: Option<String>,
    /// `dc:title` from the XMP packet.
    pub xmp_title: Option<String>,
    /// `dc:creator` entries from the XMP packet.
    pub xmp_creators: Vec<String>,
    /// `xmp:CreateDate` from the XMP packet.
    pub xmp_create_date: Option<String>,
}

/// One visual line of the first pages, with the size of its type, for first-page heuristics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutLine {
    /// Normalised text of the line.
    pub text: String,
    /// Effective font size in points (text matrix and CTM applied), the largest on the line.
    pub font_size: f32,
    /// Zero-based page index.
    pub page: usize,
    /// Distance of the baseline from the top of the page, in points.
    pub top: f32,
    /// True when most of the line is in a bold font (name contains `Bold`, `-B`, `,Bold`...).
    pub bold: bool,
    /// The text with superscripts glued to a word set apart (`Dirk Eddelbuettel a`), when the
    /// line has any: what names are read from, so affiliation marks come off them. Titles
    /// read `text`, where their own cleaning knows glued marks.
    pub marks_apart: Option<String>,
}

impl LayoutLine {
    /// The text to read names from (see [`LayoutLine::marks_apart`]).
    pub fn names_text(&self) -> &str {
        self.marks_apart.as_deref().unwrap_or(&self.text)
    }
}

pub mod abstract_;
pub mod english;
pub mod first_page;
pub mod info;
pub mod people;
pub mod year;

pub use abstract_::{abstract_from_pages, keywords_from_pages};
pub use first_page::{advisor, authors, doc_type, institution, title, Institution};
pub use info::{clean_info_title, pdf_date_year};
pub use year::{year_from_line, year_from_lines};

use crate::doc::{DocMetadata, DocType, Page};
use crate::text::normalize;

/// How many pages of text are searched for an abstract, keywords or a dated signature line.
const FRONT_PAGES: usize = 8;

/// Everything known about a document before indexing: PDF Info/XMP, layout lines of the first
/// pages, page texts.
///
/// Sources are ranked by how often they are right in the corpus: the cover page wins for
/// doc_type, institution, year and people (Info fields are usually the Word account name or a
/// template leftover), an Info/XMP title wins only when it is real and printed on the first page
/// (it then has the right case and no line-break damage).
pub fn infer(info: &PdfInfo, layout: &[LayoutLine], pages: &[Page]) -> DocMetadata {
    // Lines that are not words (a font decoding letters to dingbats) can be no field.
    let layout: Vec<LayoutLine> = layout
        .iter()
        .map(first_page::repair_line)
        .filter(|l| crate::text::not_text::assess(&l.text).is_none())
        .collect();
    let cover = first_page::cover_lines(&layout, pages);
    let front_text: Vec<&str> = pages
        .iter()
        .take(FRONT_PAGES)
        .map(|p| p.text.as_str())
        .collect();

    let (language, _mixed) = language_mix(pages);
    let english = language == Some("en")
        && !cover
            .iter()
            .any(|l| crate::lang::vietnamese_share(&l.text) > 0.2);

    let mut meta = DocMetadata {
        language: language.map(str::to_string),
        ..Default::default()
    };

    // doc_type: cover phrases, then Info title/subject, then the producing software (Beamer,
    // PowerPoint), then the front pages' running text (declarations name the degree).
    meta.doc_type = doc_type(&cover, info, &front_text);

    let info_title = [info.xmp_title.as_deref(), info.title.as_deref()]
        .into_iter()
        .flatten()
        .find_map(clean_info_title);
    let layout_title = if first_page::is_front_matter(&cover) {
        // No cover in the file: the declaration quotes the title.
        first_page::title_from_text(&front_text)
    } else if english {
        english::title(&cover)
    } else {
        title(&cover).or_else(|| first_page::title_from_text(&front_text))
    };
    // No title rather than a wrong one: readers then see the file name, marked as such.
    meta.title = pick_title(info_title, layout_title, &cover, pages)
        .filter(|t| crate::text::not_text::assess(t).is_none());

    meta.institution = institution(&cover).and_then(|i| i.university.or(i.faculty));
    // The year printed on the work: a cover's place-and-date line, the date under an English
    // title, a copyright or imprint line, the dated declaration. The PDF's own dates are not
    // used: files are exported, re-exported and rebuilt years after the work (all R manuals of
    // 2022 carry 2023), and a librarian leaves the year empty rather than guess.
    let cover_texts = cover.iter().map(|l| l.text.as_str());
    let printed_cover = first_page::looks_like_cover(&cover);
    meta.year = if printed_cover {
        year_from_lines(cover_texts).or_else(|| {
            // A cover that ran over: its place-and-date line heads the next page alone.
            let page = cover.last()?.page + 1;
            let next = layout.iter().find(|l| l.page == page)?;
            year::is_place_line(&next.text)
                .then(|| year_from_line(&next.text))
                .flatten()
        })
    } else {
        year::first_year_from_lines(cover_texts)
    }
    .or_else(|| {
        cover
            .iter()
            .take_while(|l| !english::is_heading_not_title(&l.text))
            .find_map(|l| year::english_date_year(&l.text))
    })
    .or_else(|| {
        // A vignette's build note may stand under its abstract (`… was typeset on November 4,
        // 2022.`): it dates this version of the work.
        cover
            .iter()
            .filter(|l| {
                let k = format!(" {} ", match_key(&l.text));
                [
                    " typeset on ",
                    " compiled on ",
                    " processed with ",
                    " this version ",
                ]
                .iter()
                .any(|p| k.contains(p))
            })
            .find_map(|l| year::english_date_year(&l.text))
    })
    .or_else(|| {
        // A title page holding the title alone (`Gmsh`): the date is on the next page's head.
        if cover.len() > 4 {
            return None;
        }
        front_text
            .iter()
            .take(2)
            .flat_map(|t| t.lines().take(30))
            .find_map(year::english_date_year)
    })
    .or_else(|| {
        front_text
            .iter()
            .take(2)
            .flat_map(|t| t.lines())
            .find_map(year::copyright_year)
    })
    .or_else(|| {
        front_text
            .iter()
            .flat_map(|t| t.lines())
            .filter(|l| year::is_signature_date(l))
            .find_map(year_from_line)
    });

    meta.authors = if english {
        english::authors(&cover, meta.title.as_deref())
    } else {
        authors(&cover)
    };
    // Type sizes are known (not lines of OCR text or of a page without layout).
    let laid_out = cover.iter().any(|l| l.font_size > 0.0);
    if meta.authors.is_empty() && laid_out && !first_page::looks_like_cover(&cover) {
        // A paper or manual whose names are Vietnamese (`Hàn Thế Thành` under an English
        // title) has no cover for the Vietnamese reading to find them on: they are under the
        // title, as in English papers.
        meta.authors = english::authors(&cover, meta.title.as_deref());
    }
    if meta.authors.is_empty() {
        meta.authors = info_people(info);
    }
    // A form or a court precedent (`PHIẾU ĐÁNH GIÁ …`, `ÁN LỆ SỐ …`) names the people it is
    // about or who filled it in, not authors.
    if meta.doc_type == DocType::Other && first_page::is_form_or_precedent(&cover) {
        meta.authors.clear();
    }
    meta.advisor = advisor(&cover);

    meta.abstract_text = abstract_from_pages(&front_text);
    meta.keywords = keywords_from_pages(&front_text);
    if meta.keywords.is_empty() {
        if let Some(k) = info.keywords.as_deref() {
            meta.keywords = abstract_::split_keywords(k);
        }
    }
    if meta.doc_type == DocType::Other && doc_type_unsaid(&cover, pages) {
        meta.doc_type = kind_from_shape(&cover, pages, english);
    }
    meta
}

/// True when nothing on the cover settled the kind (no phrase made it `Other` on purpose:
/// `PHIẾU …`, `ÁN LỆ …`).
fn doc_type_unsaid(cover: &[LayoutLine], pages: &[Page]) -> bool {
    let said_other = cover
        .iter()
        .map(|l| l.text.as_str())
        .chain(pages.first().map(|p| p.text.as_str()))
        .filter_map(first_page::doc_type_of)
        .any(|(t, _)| t == DocType::Other);
    !said_other
}

/// The kind of a document whose cover names none, from the shape of its first page:
/// a report calls itself one (`Test Report on …`, `the aim of this report`); a paper has an
/// abstract or a journal's masthead; other English documents without either are guides,
/// manuals and tutorials, catalogued as books; a Vietnamese document with a table of contents
/// and no university cover is a manual too. What is left stays `Other`.
fn kind_from_shape(cover: &[LayoutLine], pages: &[Page], english: bool) -> DocType {
    let first = pages.first().map(|p| p.text.as_str()).unwrap_or("");
    // A title page may stand before the abstract: the first two pages speak for the work.
    let opening = pages
        .iter()
        .take(2)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let key = format!(" {} ", match_key(&opening));
    let cover_key = format!(
        " {} ",
        match_key(
            &cover
                .iter()
                .take(6)
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )
    );
    // A university's project (`INFORMATION TECHNOLOGY PROJECT` under `TON DUC THANG
    // UNIVERSITY`) is a student report.
    let university = cover_key.contains(" university ") || cover_key.contains(" dai hoc ");
    let project_line = cover.iter().take(12).any(|l| {
        let k = match_key(&l.text);
        (k == "project" || k.ends_with(" project")) && k.split(' ').count() <= 4
    });
    // A note from a national laboratory (`Mike Brown, Sandia National Labs, April 2007`) is a
    // technical report, whatever its length.
    let laboratory = [
        " national laboratory ",
        " national laboratories ",
        " national lab ",
        " national labs ",
    ]
    .iter()
    .any(|l| cover_key.contains(l));
    if cover_key.contains(" report ")
        || key.contains(" this report ")
        || university && project_line
        || english && laboratory
    {
        return DocType::Report;
    }
    // The apparatus of a paper: an abstract, keywords, classification codes, a dated or
    // received line.
    let paper_line = first.lines().any(|l| {
        let k = match_key(l);
        let starts = |p: &str| k == p || k.starts_with(&format!("{p} "));
        let raw = l.trim_start();
        [
            "abstract",
            "keywords",
            "key words",
            "index terms",
            "ccs concepts",
            "pacs",
        ]
        .iter()
        .any(|p| starts(p))
            || k == "summary"
            || k == "tom tat"
            || k.starts_with("acm reference format")
            || ["(Dated:", "(Received", "Received:"]
                .iter()
                .any(|p| raw.starts_with(p))
    });
    let masthead = [
        " journal of ",
        " the r journal ",
        " r news ",
        " proceedings ",
        " conference ",
        " transactions ",
    ]
    .iter()
    .any(|m| cover_key.contains(m))
        || cover_key.contains(" volume ") && cover_key.chars().any(|c| c.is_ascii_digit());
    if paper_line || masthead {
        return DocType::Article;
    }
    if first.trim().is_empty() || pages.len() < 3 && !english {
        return DocType::Other;
    }
    if english {
        return DocType::Book;
    }
    // Vietnamese without a cover: a master's thesis calls itself `luận văn` and its author
    // `học viên`; student work says so in its first pages (`đồ án`, `báo cáo`, `môn học`) or
    // heads its pages with the university; anything else of some length is a manual or a book.
    if key.contains(" luan van ") && key.contains(" hoc vien ") {
        return DocType::Master;
    }
    let student = [" do an ", " bao cao ", " mon hoc ", " sinh vien ", " nhom "]
        .iter()
        .any(|w| key.contains(w))
        || university;
    if student {
        DocType::Report
    } else {
        DocType::Book
    }
}

/// Info/XMP title when it is real and printed on the first pages; else the layout title; else
/// any real Info title (a cover made of images still has a useful Info title).
fn pick_title(
    info_title: Option<String>,
    layout_title: Option<String>,
    cover: &[LayoutLine],
    pages: &[Page],
) -> Option<String> {
    let Some(info_title) = info_title else {
        return layout_title;
    };
    let mut front = String::new();
    for l in cover {
        front.push_str(&l.text);
        front.push('\n');
    }
    for p in pages.iter().take(2) {
        front.push_str(&p.text);
        front.push('\n');
    }
    let printed = words_printed_share(&info_title, &front) >= 0.8;
    // Printed as a line of the cover, word for word: the author's own title, whatever the
    // layout chose (`party: A Laboratory for Recursive Partytioning` reads like a label).
    let key = match_key(&info_title);
    let on_cover = !key.is_empty() && cover.iter().any(|l| match_key(&l.text) == key);
    match layout_title {
        None => Some(info_title),
        Some(_) if on_cover => Some(info_title),
        // The same words, with the author's case rather than the cover's capitals.
        Some(l) if match_key(&l) == match_key(&info_title) => Some(info_title),
        // The page gave a fragment of a printed Info title (a wrapped line, a subtitle).
        Some(l) if printed && is_part_of(&l, &info_title) => Some(info_title),
        // Otherwise the page is what a reader sees: an Info title that differs from it is an
        // older or shortened version (`... Mixture Models` printed `... Finite Mixture
        // Models`), or a template's own name.
        Some(l) => Some(l),
    }
}

/// True when the words of `part` are a run of the words of `whole` (case and accents folded).
fn is_part_of(part: &str, whole: &str) -> bool {
    let p = match_key(part);
    let w = match_key(whole);
    !p.is_empty() && format!(" {w} ").contains(&format!(" {p} "))
}

/// Share of the words of `needle` (folded, lower case) that occur in `haystack`.
fn words_printed_share(needle: &str, haystack: &str) -> f32 {
    let hay = match_key(haystack);
    let hay: std::collections::HashSet<&str> = hay.split(' ').collect();
    let key = match_key(needle);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|w| hay.contains(*w)).count() as f32 / words.len() as f32
}

/// Authors from Info `Author` / XMP `dc:creator`, only when they look like people's names
/// (Word fills in the account name: `Laptop`, `nguye`, `123`).
fn info_people(info: &PdfInfo) -> Vec<String> {
    let mut out = Vec::new();
    let raw: Vec<&str> = if info.xmp_creators.is_empty() {
        info.author.iter().map(String::as_str).collect()
    } else {
        info.xmp_creators.iter().map(String::as_str).collect()
    };
    for r in raw {
        for part in r.split([';', ',']) {
            if let Some(n) = info::clean_info_person(part) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// The dominant language of the document's pages and whether a second one (Vietnamese or
/// English) holds a large share of the text (bilingual theses: Vietnamese body, English abstract
/// and chapters; or the reverse).
///
/// Each page is detected on its own, weighted by its length; "mixed" means that the runner-up
/// language covers at least a fifth of the detected text.
pub fn language_mix(pages: &[Page]) -> (Option<&'static str>, bool) {
    let mut weights: Vec<(&'static str, usize)> = Vec::new();
    for p in pages {
        if p.no_text {
            continue;
        }
        let Some(lang) = crate::lang::detect(&p.text) else {
            continue;
        };
        let n = p.text.chars().filter(|c| c.is_alphabetic()).count();
        match weights.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, w)) => *w += n,
            None => weights.push((lang, n)),
        }
    }
    if weights.is_empty() {
        // Short documents (a one-page poster): detect over everything at once.
        let all: String = pages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        return (crate::lang::detect(&all), false);
    }
    weights.sort_by_key(|w| std::cmp::Reverse(w.1));
    let total: usize = weights.iter().map(|w| w.1).sum();
    let mixed = weights.len() > 1 && weights[1].1 * 5 >= total;
    (Some(weights[0].0), mixed)
}

/// Lower-case, folded, punctuation-free form for matching phrases: `ĐỀ TÀI:` → `de tai`.
pub(crate) fn match_key(text: &str) -> String {
    let folded = crate::text::fold::fold(text).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    let mut space = true;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// `normalize`, then one line: line breaks and runs of spaces become single spaces.
pub(crate) fn one_line(text: &str) -> String {
    let n = normalize(text);
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            text: text.into(),
            no_text: false,
            ocr: false,
        }
    }

    #[test]
    fn match_key_folds_and_drops_punctuation() {
        let cases = [
            ("ĐỀ TÀI:", "de tai"),
            ("  Tên đề tài : ", "ten de tai"),
            ("TP.HCM, Tháng 03 Năm 2022", "tp hcm thang 03 nam 2022"),
            ("Người hướng dẫn khoa học", "nguoi huong dan khoa hoc"),
        ];
        for (input, want) in cases {
            assert_eq!(match_key(input), want, "{input:?}");
        }
    }

    #[test]
    fn language_mix_weights_pages() {
        let vi = "Trong khóa luận này, chúng tôi sử dụng mô hình được xây dựng dựa trên mạng nơ-ron tích chập để phân loại ung thư và đạt được kết quả phân loại với độ chính xác khá tốt trên từng tập dữ liệu.";
        let en = "In this thesis we use convolutional neural networks to classify mammograms and reach a good accuracy on every data set we tried, which shows that the approach generalises well.";
        let cases: [(Vec<Page>, Option<&str>, bool); 4] = [
            (vec![page(vi), page(vi), page(vi)], Some("vi"), false),
            (vec![page(vi), page(en)], Some("vi"), true),
            (
                vec![page(en), page(en), page(en), page(en), page(en), page(vi)],
                Some("en"),
                false,
            ),
            (vec![page("PGS.TS")], None, false),
        ];
        for (pages, lang, mixed) in cases {
            assert_eq!(language_mix(&pages), (lang, mixed));
        }
    }

    /// First pages of real documents (../shared/corpus) whose cover names no kind.
    #[test]
    fn kind_from_the_shape_of_the_first_pages() {
        let cases: [(&str, &[&str], bool, DocType); 8] = [
            (
                "abinit: the abstract says what it is",
                &["Implementation of ELF in Abinit\nAurélien Lherbier\nJanuary 2, 2022", "Abstract\nThe aim of this report is first to review some basics", "x"],
                true,
                DocType::Report,
            ),
            (
                "revtex: a dated line under the authors",
                &["Sample Title:\nA. Author\n(Dated: 27 December 2018)\nAn article usually includes an abstract", "x", "x"],
                true,
                DocType::Article,
            ),
            (
                "glmnet: a guide with a table of contents",
                &["An Introduction to glmnet\nTrevor Hastie\nNovember 25, 2022\nContents\nIntroduction . . . 1", "x", "x"],
                true,
                DocType::Book,
            ),
            (
                "vntex: a Vietnamese manual without a cover",
                &["Dùng font với VnTEX\nHàn Thế Thành\nGiới thiệu\nTài liệu này hướng dẫn cách sử dụng các font", "x", "x"],
                false,
                DocType::Book,
            ),
            (
                "a course report without a cover",
                &["Truy xuất thông tin bằng mô hình không gian vector\nGiới thiệu\nchúng tôi thực hiện đồ án này", "x", "x"],
                false,
                DocType::Report,
            ),
            (
                "a university's project, in English",
                &["TON DUC THANG UNIVERSITY\nFACULTY OF INFORMATION TECHNOLOGY\nA Large-Scale Vietnamese News Dataset\nINFORMATION TECHNOLOGY\nPROJECT\nHO CHI MINH CITY, 2026", "x", "x"],
                true,
                DocType::Report,
            ),
            (
                "a university's header over a report without a cover",
                &["Trường Đại học Mở Thành phố Hồ Chí Minh\nMỤC LỤC\nChương 1. TỔNG QUAN VỀ DỮ LIỆU", "x", "x"],
                false,
                DocType::Report,
            ),
            (
                "ntheorem test: one Vietnamese page",
                &["1 Mục đầu tiên\n1 Định lý (Ánh xạ Weingarten)"],
                false,
                DocType::Other,
            ),
        ];
        for (what, texts, english, want) in cases {
            let pages: Vec<Page> = texts.iter().map(|t| page(t)).collect();
            let cover: Vec<LayoutLine> = texts[0]
                .lines()
                .enumerate()
                .map(|(i, l)| LayoutLine {
                    text: l.into(),
                    font_size: 10.0,
                    page: 0,
                    top: 20.0 * i as f32,
                    bold: false,
                    marks_apart: None,
                })
                .collect();
            assert_eq!(kind_from_shape(&cover, &pages, english), want, "{what}");
        }
    }

    #[test]
    fn info_title_wins_only_when_printed() {
        let cover = vec![LayoutLine {
            text: "HỆ THỐNG THỰC HIỆN A/B TEST TRONG QUẢNG CÁO".into(),
            font_size: 16.0,
            ..Default::default()
        }];
        let got = pick_title(
            Some("Hệ thống thực hiện A/B Test trong Quảng Cáo".into()),
            Some("HỆ THỐNG THỰC HIỆN A/B TEST TRONG QUẢNG CÁO".into()),
            &cover,
            &[],
        );
        assert_eq!(
            got.as_deref(),
            Some("Hệ thống thực hiện A/B Test trong Quảng Cáo")
        );
        let got = pick_title(
            Some("Template for the thesis".into()),
            Some("HỆ THỐNG THỰC HIỆN A/B TEST TRONG QUẢNG CÁO".into()),
            &cover,
            &[],
        );
        assert_eq!(
            got.as_deref(),
            Some("HỆ THỐNG THỰC HIỆN A/B TEST TRONG QUẢNG CÁO")
        );
        // An Info title printed word for word as a cover line wins over whatever the layout
        // chose (here the authors' row, when the title line read like a `label: value`).
        let line = |text: &str, font_size: f32| LayoutLine {
            text: text.into(),
            font_size,
            ..Default::default()
        };
        let cover = vec![
            line("party: A Laboratory for Recursive Partytioning", 17.2),
            line("Torsten Hothorn Kurt Hornik Achim Zeileis", 12.0),
        ];
        let got = pick_title(
            Some("party: A Laboratory for Recursive Partytioning".into()),
            Some("Torsten Hothorn Kurt Hornik Achim Zeileis".into()),
            &cover,
            &[],
        );
        assert_eq!(
            got.as_deref(),
            Some("party: A Laboratory for Recursive Partytioning")
        );
    }
}
