//! The document page: the stored fields as Google Scholar `citation_*` meta tags and as a
//! definition list, filled into the `doc.html` template in one pass, every value escaped.

use super::assets::DOC_HTML;
use crate::documents::{Linked, StoredDoc};
use crate::text::{escape_html, path_segment};

fn label_doc_type(t: &str) -> &'static str {
    match t {
        "thesis" => "Khóa luận tốt nghiệp",
        "master" => "Luận văn thạc sĩ",
        "doctoral" => "Luận án tiến sĩ",
        "report" => "Báo cáo",
        "article" => "Bài báo",
        "book" => "Sách",
        "slides" => "Bài trình chiếu",
        _ => "Khác",
    }
}

fn meta(name: &str, content: &str) -> String {
    format!(
        "<meta name=\"{name}\" content=\"{}\">\n",
        escape_html(content)
    )
}

fn row(key: &str, label: &str, value_html: &str) -> String {
    format!("<dt data-i18n=\"{key}\">{label}</dt><dd>{value_html}</dd>\n")
}

/// Fills the `{{NAME}}` slots of `template` in one pass: a value is never searched for slots
/// again, so a title that reads `{{META}}` stays text.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 4096);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let slot = after.find("}}").and_then(|end| {
            values
                .iter()
                .find(|(k, _)| *k == &after[..end])
                .map(|v| (end, v.1))
        });
        match slot {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The document page's HTML; `translation`: the document's translation in the other
/// language, when the library holds one (`documents::translation`).
pub fn render_doc(d: &StoredDoc, translation: Option<&Linked>, base: &str) -> String {
    let title = d.display_title();
    let seg = path_segment(&d.id);
    let mut head = String::new();
    head.push_str(&meta("citation_title", &title));
    for a in &d.authors {
        head.push_str(&meta("citation_author", a));
    }
    if let Some(y) = d.year {
        head.push_str(&meta("citation_publication_date", &y.to_string()));
    }
    if let Some(u) = d.file_url() {
        head.push_str(&meta("citation_pdf_url", &format!("{base}{u}")));
    }
    if let Some(inst) = &d.institution {
        let name = match d.doc_type.as_str() {
            "thesis" | "master" | "doctoral" => "citation_dissertation_institution",
            "report" => "citation_technical_report_institution",
            "article" => "citation_journal_title",
            _ => "citation_publisher",
        };
        head.push_str(&meta(name, inst));
    }
    for k in &d.keywords {
        head.push_str(&meta("citation_keywords", k));
    }
    if d.lang != "und" {
        head.push_str(&meta("citation_language", &d.lang));
    }
    if let Some(a) = &d.abstract_text {
        let short: String = a.chars().take(300).collect();
        head.push_str(&meta("description", &short));
        head.push_str(&meta("citation_abstract", a));
    }

    let mut dl = String::new();
    if !d.authors.is_empty() {
        dl.push_str(&row(
            "authors",
            "Tác giả",
            &escape_html(&d.authors.join("; ")),
        ));
    }
    if let Some(a) = &d.advisor {
        dl.push_str(&row("advisor", "Người hướng dẫn", &escape_html(a)));
    }
    if let Some(i) = &d.institution {
        dl.push_str(&row("institution", "Cơ quan", &escape_html(i)));
    }
    if let Some(y) = d.year {
        dl.push_str(&row("year", "Năm", &y.to_string()));
    }
    dl.push_str(&row(
        "type",
        "Loại tài liệu",
        &format!(
            "<span data-i18n=\"type_{t}\">{}</span>",
            label_doc_type(&d.doc_type),
            t = escape_html(&d.doc_type)
        ),
    ));
    dl.push_str(&row(
        "collection",
        "Bộ sưu tập",
        &format!(
            "<a href=\"/?collection={}\">{}</a>",
            escape_html(&path_segment(&d.collection)),
            escape_html(&d.collection)
        ),
    ));
    dl.push_str(&row(
        "language",
        "Ngôn ngữ",
        &format!(
            "<span data-i18n=\"lang_{l}\">{l}</span>",
            l = escape_html(&d.lang)
        ),
    ));
    if d.page_count > 0 {
        dl.push_str(&row("page_count", "Số trang", &d.page_count.to_string()));
    }
    if !d.keywords.is_empty() {
        dl.push_str(&row(
            "keywords",
            "Từ khóa",
            &escape_html(&d.keywords.join("; ")),
        ));
    }
    if let Some(u) = &d.url {
        let safe = u.starts_with("http://") || u.starts_with("https://");
        let v = if safe {
            format!(
                "<a href=\"{u}\" rel=\"noopener noreferrer\">{u}</a>",
                u = escape_html(u)
            )
        } else {
            escape_html(u)
        };
        dl.push_str(&row("link", "Liên kết", &v));
    }
    if let Some(t) = translation {
        let value = format!(
            "<a href=\"/doc/{}\" lang=\"{}\">{}</a>",
            path_segment(&t.id),
            escape_html(&t.lang),
            escape_html(&t.title)
        );
        let (key, label) = match t.lang.as_str() {
            "en" => ("translation_en", "Bản tiếng Anh"),
            _ => ("translation_vi", "Bản tiếng Việt"),
        };
        dl.push_str(&row(key, label, &value));
    }
    if d.needs_ocr {
        dl.push_str(&row(
            "ocr",
            "Ghi chú",
            "<span data-i18n=\"needs_ocr\">Bản quét chưa có lớp chữ: chỉ tìm được theo thông tin mô tả.</span>",
        ));
    }
    if !d.ocr_pages.is_empty() {
        // Says which text a reader sees came from OCR (it may hold recognition errors).
        let pages = if d.ocr_pages.len() as u64 == d.page_count {
            String::new()
        } else {
            format!(
                " (trang {})",
                d.ocr_pages
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        dl.push_str(&row(
            "ocr",
            "Ghi chú",
            &format!(
                "<span data-i18n=\"ocr_text\">văn bản nhận dạng tự động (OCR)</span>{}",
                escape_html(&pages)
            ),
        ));
    }
    let abstract_html = match &d.abstract_text {
        Some(a) => format!(
            "<section aria-labelledby=\"abs-h\"><h2 id=\"abs-h\" data-i18n=\"abstract\">Tóm tắt</h2><p class=\"abstract\">{}</p></section>",
            escape_html(a).replace('\n', "<br>")
        ),
        None => String::new(),
    };
    let file_html = match d.file_url() {
        Some(u) => format!(
            "<p><a class=\"button\" href=\"{}\" data-i18n=\"open_pdf\">Mở tệp PDF</a></p>",
            escape_html(&u)
        ),
        None => "<p class=\"muted\" data-i18n=\"record_only\">Bản ghi thư mục: không có tệp toàn văn.</p>".to_string(),
    };
    let title_note = if d.title_is_file_name() {
        "<p class=\"muted title-note\" data-i18n=\"title_from_file\">Chưa xác định được nhan đề: trên đây là tên tệp.</p>"
    } else {
        ""
    };
    fill(
        DOC_HTML,
        &[
            ("TITLE", &escape_html(&title)),
            ("TITLE_NOTE", title_note),
            ("META", &head),
            ("ID", &escape_html(&d.id)),
            ("SEG", &escape_html(&seg)),
            ("LANG", &escape_html(&d.lang)),
            ("DL", &dl),
            ("ABSTRACT", &abstract_html),
            ("FILE", &file_html),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_page_escapes_and_has_scholar_tags() {
        let d = StoredDoc {
            id: "c~1".into(),
            title: Some("<img src=x onerror=alert(1)> Học sâu".into()),
            authors: vec!["Nguyễn Văn \"A\"".into()],
            year: Some(2020),
            doc_type: "master".into(),
            institution: Some("ĐH Thủy lợi".into()),
            source_path: Some("/x.pdf".into()),
            lang: "vi".into(),
            ..Default::default()
        };
        let html = render_doc(&d, None, "http://h");
        assert!(!html.contains("<img src=x"));
        assert!(html.contains(
            "<meta name=\"citation_title\" content=\"&lt;img src=x onerror=alert(1)&gt; Học sâu\">"
        ));
        assert!(
            html.contains("<meta name=\"citation_author\" content=\"Nguyễn Văn &quot;A&quot;\">")
        );
        assert!(html.contains("citation_dissertation_institution"));
        assert!(html.contains(
            "<meta name=\"citation_pdf_url\" content=\"http://h/api/documents/c~1/file\">"
        ));
        assert!(!html.contains("<script>"), "no inline scripts");
    }

    #[test]
    fn a_translation_is_linked_by_its_page_and_escaped() {
        let d = StoredDoc {
            id: "d2l-vi.x".into(),
            title: Some("Mạng nơ-ron tích chập".into()),
            lang: "vi".into(),
            ..Default::default()
        };
        let t = Linked {
            id: "d2l en/1".into(),
            title: "Convolutional <Neural> Networks".into(),
            lang: "en".into(),
        };
        let html = render_doc(&d, Some(&t), "http://h");
        assert!(html.contains(
            "<dt data-i18n=\"translation_en\">Bản tiếng Anh</dt><dd><a href=\"/doc/d2l%20en%2F1\" lang=\"en\">Convolutional &lt;Neural&gt; Networks</a></dd>"
        ), "{html}");
        assert!(!render_doc(&d, None, "http://h").contains("translation_"));
    }

    #[test]
    fn a_file_name_shown_for_a_missing_title_says_so() {
        let untitled = StoredDoc {
            id: "c~3".into(),
            file_name: Some("bao-cao-2019.pdf".into()),
            ..StoredDoc::default()
        };
        let html = render_doc(&untitled, None, "http://x");
        assert!(html.contains(">bao-cao-2019.pdf</h1>"));
        assert!(html.contains("data-i18n=\"title_from_file\""));
        let json = serde_json::to_value(crate::documents::DocumentJson::from(&untitled)).unwrap();
        assert_eq!(json["title"], "bao-cao-2019.pdf");
        assert_eq!(json["title_is_file_name"], true);
        let titled = StoredDoc {
            title: Some("Báo cáo tổng kết".into()),
            ..untitled
        };
        assert!(!render_doc(&titled, None, "http://x").contains("title_from_file"));
        let json = serde_json::to_value(crate::documents::DocumentJson::from(&titled)).unwrap();
        assert!(json.get("title_is_file_name").is_none());
    }

    #[test]
    fn values_are_not_read_as_template_slots() {
        let d = StoredDoc {
            id: "c~2".into(),
            title: Some("{{META}} {{DL}} {{ nothing }}".into()),
            abstract_text: Some("{{FILE}}".into()),
            ..Default::default()
        };
        let html = render_doc(&d, None, "http://h");
        assert!(
            html.contains("lang=\"\">{{META}} {{DL}} {{ nothing }}</h1>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"abstract\">{{FILE}}</p>"),
            "{html}"
        );
        assert!(!html.contains("{{TITLE}}") && !html.contains("{{ID}}"));
    }
}
