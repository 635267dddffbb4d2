//! Metadata formats onto our record fields: unqualified Dublin Core (`oai_dc`), DSpace's
//! intermediate format (`dim`) and ETD-MS (`oai_etdms`), and the links to a record's full text.
//!
//! All three are first read into qualified Dublin Core keys (`title`, `contributor.advisor`,
//! `date.issued`, `degree.level`, ...), so one mapping serves them:
//!
//! | key | field |
//! |---|---|
//! | `title` | title |
//! | `creator*`, `contributor.author` | authors |
//! | `contributor.advisor`, ETD-MS `contributor role="advisor"`, else a plain `contributor` who is not an author | advisor |
//! | `date.issued`, else the earliest year of any `date` but accession dates | year |
//! | `type*`, `degree.level`, `degree.name` | doc_type |
//! | `language*` (ISO 639-1/2/3 codes or English/Vietnamese names) | language |
//! | `description.abstract`, else the longest `description` | abstract |
//! | `subject*` | keywords |
//! | `degree.grantor`, `publisher*` | institution |
//! | the first web `identifier` that is not a file | url |
//!
//! A plain `dc:contributor` is taken as the advisor because that is where theses put the
//! supervisor in unqualified Dublin Core (DSpace's own crosswalk does so, and so does ours).

use super::protocol::Metadata;
use crate::doc::DocType;
use crate::ingest::records::RecordFields;
use crate::text;

/// What a record's metadata gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapped {
    /// Every field but `id` and `text`.
    pub fields: RecordFields,
    /// Links that lead to the full text as PDF, best first.
    pub pdf_links: Vec<String>,
}

/// Reads a record's metadata, whatever its format.
pub fn map(meta: &Metadata) -> Mapped {
    let keyed = keyed(meta);
    let all = |pred: &dyn Fn(&str) -> bool| -> Vec<&str> {
        keyed
            .iter()
            .filter(|(k, _)| pred(k))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let first = |key: &str| all(&|k| k == key).first().map(|s| s.to_string());
    let mut f = RecordFields {
        title: first("title").and_then(|t| clean(&t)),
        ..RecordFields::default()
    };
    f.authors = unique(all(&|k| {
        k == "creator" || k.starts_with("creator.") || k == "contributor.author"
    }));
    // DSpace's oai_dc repeats every author as a contributor: those are not advisors.
    f.advisor = first("contributor.advisor")
        .and_then(|a| clean(&a))
        .or_else(|| {
            unique(all(&|k| k == "contributor"))
                .into_iter()
                .find(|c| !f.authors.contains(c))
        });
    let issued = all(&|k| k == "date.issued");
    let dates = if issued.is_empty() {
        all(&|k| {
            k == "date"
                || (k.starts_with("date.")
                    && !matches!(k, "date.accessioned" | "date.available" | "date.updated"))
        })
    } else {
        issued
    };
    f.year = dates.iter().filter_map(|d| year_of(d)).min();
    f.doc_type = doc_type(&all(&|k| {
        k == "type" || k.starts_with("type.") || k.starts_with("degree.")
    }));
    f.language = all(&|k| k == "language" || k.starts_with("language."))
        .into_iter()
        .find_map(language);
    f.abstract_text = first("description.abstract")
        .or_else(|| {
            all(&|k| k == "description")
                .into_iter()
                .max_by_key(|d| d.len())
                .map(str::to_string)
        })
        .and_then(|a| clean(&a));
    f.keywords = unique(all(&|k| k == "subject" || k.starts_with("subject.")));
    f.institution = first("degree.grantor")
        .or_else(|| {
            all(&|k| k == "publisher" || k.starts_with("publisher."))
                .first()
                .map(|s| s.to_string())
        })
        .and_then(|i| clean(&i));
    // Links sit in identifiers and relations, and some DSpace versions put the file's in
    // `dc:format` after its media type ("application/pdf https://.../x.pdf").
    let urls: Vec<&str> = keyed
        .iter()
        .filter(|(k, _)| {
            k == "identifier"
                || k.starts_with("identifier.")
                || k.starts_with("relation")
                || k.starts_with("format")
        })
        .flat_map(|(_, v)| v.split_whitespace())
        .filter(|v| v.starts_with("http://") || v.starts_with("https://"))
        .collect();
    let mut pdf_links = Vec::new();
    for u in &urls {
        if let Some(pdf) = pdf_link(u) {
            if !pdf_links.contains(&pdf) {
                pdf_links.push(pdf);
            }
        }
    }
    f.url = urls
        .iter()
        .find(|u| !looks_like_file(u))
        .or(urls.first())
        .map(|u| u.to_string());
    Mapped {
        fields: f,
        pdf_links,
    }
}

/// The fields as (qualified Dublin Core key, value).
fn keyed(meta: &Metadata) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in &meta.fields {
        let key = match meta.root.as_str() {
            // <dim:field mdschema="dc" element="contributor" qualifier="advisor">
            "dim" => {
                let (Some(schema), Some(element)) = (field.attr("mdschema"), field.attr("element"))
                else {
                    continue;
                };
                let qualifier = field.attr("qualifier").filter(|q| !q.is_empty());
                match (schema, element, qualifier) {
                    ("dc", e, None) => e.to_string(),
                    ("dc", e, Some(q)) => format!("{e}.{q}"),
                    // DSpace's thesis schema: thesis.degree.name, .level, .grantor, .discipline
                    ("thesis" | "etd", "degree", Some(q)) => format!("degree.{q}"),
                    _ => continue,
                }
            }
            _ => {
                let path = field.path.replace('/', ".");
                match (path.as_str(), field.attr("role")) {
                    ("contributor", Some(role)) => format!("contributor.{}", role.to_lowercase()),
                    _ => path,
                }
            }
        };
        out.push((key, field.value.clone()));
    }
    out
}

fn clean(s: &str) -> Option<String> {
    let s = text::normalize(s);
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn unique(values: Vec<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if let Some(c) = clean(v) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The first plausible four-digit year of a date (`2019`, `2019-05-01`, `05/2019`).
fn year_of(date: &str) -> Option<i32> {
    let bytes = date.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 4 {
            let y: i32 = date[i..i + 4].parse().ok()?;
            if (1000..=2200).contains(&y) {
                return Some(y);
            }
        }
        i += run.max(1);
    }
    None
}

/// The most specific type among the record's types and degree fields.
fn doc_type(values: &[&str]) -> Option<DocType> {
    let mut best: Option<DocType> = None;
    for v in values {
        let l = text::normalize(v).to_lowercase();
        let l = l.rsplit('/').next().unwrap_or(&l).trim().to_string();
        let t = if l.contains("doctor")
            || l.contains("phd")
            || l.contains("tiến sĩ")
            || l.contains("luận án")
            || l == "2"
        {
            Some(DocType::Doctoral)
        } else if l.contains("master")
            || l.contains("thạc sĩ")
            || l.contains("luận văn")
            || l == "1"
        {
            Some(DocType::Master)
        } else if l.contains("bachelor")
            || l.contains("khóa luận")
            || l.contains("đồ án")
            || l.contains("cử nhân")
            || l == "0"
        {
            Some(DocType::Thesis)
        } else if l.contains("thesis") || l.contains("dissertation") {
            Some(if l.contains("dissertation") {
                DocType::Doctoral
            } else {
                DocType::Thesis
            })
        } else if l.contains("article")
            || l.contains("paper")
            || l.contains("preprint")
            || l.contains("bài báo")
        {
            Some(DocType::Article)
        } else if l.contains("report") || l.contains("báo cáo") || l.contains("working") {
            Some(DocType::Report)
        } else if l.contains("book")
            || l.contains("sách")
            || l.contains("giáo trình")
            || l.contains("manual")
        {
            Some(DocType::Book)
        } else if l.contains("lecture")
            || l.contains("presentation")
            || l.contains("slides")
            || l.contains("bài giảng")
        {
            Some(DocType::Slides)
        } else {
            None
        };
        // Degrees refine a generic thesis; otherwise the first specific type wins.
        best = match (best, t) {
            (None, t) => t,
            (Some(DocType::Thesis), Some(t @ (DocType::Master | DocType::Doctoral))) => Some(t),
            (b, _) => b,
        };
    }
    best
}

/// An ISO 639-1 code from what repositories put in `dc:language`.
fn language(v: &str) -> Option<String> {
    let l = text::normalize(v).trim().to_lowercase();
    let l = l.split(['_', '-', ' ']).next().unwrap_or("");
    let code = match l {
        "vi" | "vie" | "vietnamese" | "tiếng" | "việt" => "vi",
        "en" | "eng" | "english" => "en",
        "fr" | "fre" | "fra" | "french" => "fr",
        "de" | "ger" | "deu" | "german" => "de",
        "zh" | "chi" | "zho" | "chinese" => "zh",
        "ja" | "jpn" | "japanese" => "ja",
        "ru" | "rus" | "russian" => "ru",
        "es" | "spa" | "spanish" => "es",
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase()) => c,
        _ => return None,
    };
    Some(code.to_string())
}

fn looks_like_file(url: &str) -> bool {
    pdf_link(url).is_some_and(|p| p == url)
}

/// The PDF behind a link: the link itself when it names a file (`.pdf`, a DSpace bitstream,
/// our own `/file`), or the PDF of an arXiv abstract page or a PubMed Central article.
fn pdf_link(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".pdf") || lower.contains("/bitstream/") || lower.ends_with("/file") {
        return Some(url.to_string());
    }
    if let Some(i) = lower.find("arxiv.org/abs/") {
        let id = &path[i + "arxiv.org/abs/".len()..];
        return Some(format!("https://arxiv.org/pdf/{id}"));
    }
    if lower.contains("/pmc/articles/pmc") {
        return Some(format!("{}/pdf/", path.trim_end_matches('/')));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::protocol::Field;
    use super::*;

    /// (path, attributes, value)
    type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

    fn meta(root: &str, fields: &[Row<'_>]) -> Metadata {
        Metadata {
            root: root.into(),
            namespace: None,
            fields: fields
                .iter()
                .map(|(p, a, v)| Field {
                    path: p.to_string(),
                    attrs: a
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    value: v.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn dublin_core() {
        let m = map(&meta(
            "dc",
            &[
                ("title", &[], "Nghiên cứu  hoà hợp"),
                ("creator", &[], "Nguyễn Văn A"),
                ("creator", &[], "Nguyễn Văn A"),
                ("contributor", &[], "Nguyễn Văn A"),
                ("contributor", &[], "PGS. Trần B"),
                (
                    "format",
                    &[],
                    "application/pdf http://repo.example/retrieve/3/b.pdf",
                ),
                ("date", &[], "2012-03-05T10:12:44Z"),
                ("date", &[], "2008"),
                ("type", &[], "Text"),
                ("type", &[], "info:eu-repo/semantics/masterThesis"),
                ("language", &[], "vie"),
                ("identifier", &[], "http://repo.example/handle/1/2"),
                ("identifier", &[], "http://repo.example/bitstream/1/2/a.pdf"),
                ("description", &[], "short"),
                ("description", &[], "a longer abstract"),
            ],
        ));
        let f = &m.fields;
        assert_eq!(f.title.as_deref(), Some("Nghiên cứu hòa hợp"));
        assert_eq!(f.authors, vec!["Nguyễn Văn A"]);
        assert_eq!(f.advisor.as_deref(), Some("PGS. Trần B"));
        assert_eq!(f.year, Some(2008));
        assert_eq!(f.doc_type, Some(DocType::Master));
        assert_eq!(f.language.as_deref(), Some("vi"));
        assert_eq!(f.abstract_text.as_deref(), Some("a longer abstract"));
        assert_eq!(f.url.as_deref(), Some("http://repo.example/handle/1/2"));
        assert_eq!(
            m.pdf_links,
            vec![
                "http://repo.example/retrieve/3/b.pdf",
                "http://repo.example/bitstream/1/2/a.pdf"
            ]
        );
    }

    #[test]
    fn dspace_intermediate_format() {
        let dim = |e: &'static str, q: &'static str| -> Vec<(&'static str, &'static str)> {
            let mut a = vec![("mdschema", "dc"), ("element", e)];
            if !q.is_empty() {
                a.push(("qualifier", q));
            }
            a
        };
        let rows = [
            (dim("contributor", "author"), "Lê C"),
            (dim("contributor", "advisor"), "Phạm D"),
            (dim("date", "accessioned"), "2001-01-01"),
            (dim("date", "issued"), "2015"),
            (dim("description", "abstract"), "Tóm tắt"),
            (dim("subject", ""), "học máy"),
            (dim("title", ""), "Học máy"),
            (dim("title", "alternative"), "Machine learning"),
            (dim("language", "iso"), "en_US"),
            (
                vec![
                    ("mdschema", "thesis"),
                    ("element", "degree"),
                    ("qualifier", "level"),
                ],
                "Doctoral",
            ),
            (
                vec![
                    ("mdschema", "thesis"),
                    ("element", "degree"),
                    ("qualifier", "grantor"),
                ],
                "ĐHQG Hà Nội",
            ),
        ];
        let fields: Vec<Row<'_>> = rows
            .iter()
            .map(|(a, v)| ("field", a.as_slice(), *v))
            .collect();
        let f = map(&meta("dim", &fields)).fields;
        assert_eq!(f.title.as_deref(), Some("Học máy"));
        assert_eq!(f.authors, vec!["Lê C"]);
        assert_eq!(f.advisor.as_deref(), Some("Phạm D"));
        assert_eq!(f.year, Some(2015));
        assert_eq!(f.doc_type, Some(DocType::Doctoral));
        assert_eq!(f.language.as_deref(), Some("en"));
        assert_eq!(f.keywords, vec!["học máy"]);
        assert_eq!(f.institution.as_deref(), Some("ĐHQG Hà Nội"));
    }

    #[test]
    fn etdms_and_links() {
        let m = map(&meta(
            "thesis",
            &[
                ("title", &[], "A thesis"),
                ("contributor", &[("role", "advisor")], "Prof. E"),
                ("contributor", &[("role", "committee member")], "Dr. F"),
                ("identifier", &[], "http://arxiv.org/abs/hep-th/9901001v2"),
                ("degree/name", &[], "Master's degree"),
                ("degree/grantor", &[], "VNU"),
            ],
        ));
        assert_eq!(m.fields.advisor.as_deref(), Some("Prof. E"));
        assert_eq!(m.fields.doc_type, Some(DocType::Master));
        assert_eq!(m.fields.institution.as_deref(), Some("VNU"));
        assert_eq!(m.pdf_links, vec!["https://arxiv.org/pdf/hep-th/9901001v2"]);
        assert_eq!(
            m.fields.url.as_deref(),
            Some("http://arxiv.org/abs/hep-th/9901001v2")
        );
    }

    #[test]
    fn years_and_languages() {
        for (d, y) in [
            ("2019-05-01", Some(2019)),
            ("05/2019", Some(2019)),
            ("n.d.", None),
            ("12345", None),
        ] {
            assert_eq!(year_of(d), y, "{d}");
        }
        for (l, c) in [
            ("vi", Some("vi")),
            ("Tiếng Việt", Some("vi")),
            ("eng", Some("en")),
            ("en_US", Some("en")),
            ("??", None),
        ] {
            assert_eq!(language(l).as_deref(), c, "{l}");
        }
    }
}
