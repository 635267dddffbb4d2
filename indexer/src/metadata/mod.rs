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
    let layout: Vec<LayoutLine> = layout.iter().map(first_page::repair_line).collect();
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
    meta.title = pick_title(info_title, layout_title, &cover, pages);

    meta.institution = institution(&cover).and_then(|i| i.university.or(i.faculty));
    meta.year = year_from_lines(cover.iter().map(|l| l.text.as_str()))
        .or_else(|| {
            [
                info.xmp_create_date.as_deref(),
                info.creation_date.as_deref(),
            ]
            .into_iter()
            .flatten()
            .find_map(pdf_date_year)
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
    if meta.authors.is_empty() {
        meta.authors = info_people(info);
    }
    meta.advisor = advisor(&cover);

    meta.abstract_text = abstract_from_pages(&front_text);
    meta.keywords = keywords_from_pages(&front_text);
    if meta.keywords.is_empty() {
        if let Some(k) = info.keywords.as_deref() {
            meta.keywords = abstract_::split_keywords(k);
        }
    }
    if meta.doc_type == DocType::Other
        && meta.abstract_text.is_some()
        && english
        && english::has_affiliation(&cover)
    {
        meta.doc_type = DocType::Article;
    }
    meta
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
    match layout_title {
        None => Some(info_title),
        Some(_) if printed => Some(info_title),
        Some(l) => Some(l),
    }
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
    }
}
