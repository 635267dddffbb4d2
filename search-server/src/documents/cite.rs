//! Citation export: BibTeX, RIS and CSL-JSON.
//!
//! Vietnamese names are written family name first (`Nguyễn Văn An`), Western names last; a
//! citation manager needs to know which part is the family name, so names are split by
//! [`split_name`] before they are written.

use serde_json::{json, Value};

use super::StoredDoc;
use crate::text::fold_lower;

/// Citation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bibtex,
    Ris,
    Csl,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bibtex" | "bib" => Some(Format::Bibtex),
            "ris" => Some(Format::Ris),
            "csl" | "csl-json" | "csljson" => Some(Format::Csl),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Bibtex => "application/x-bibtex; charset=utf-8",
            Format::Ris => "application/x-research-info-systems; charset=utf-8",
            Format::Csl => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Ris => "ris",
            Format::Csl => "json",
        }
    }
}

/// Common Vietnamese family names, folded: a name starting with one is written family first.
const VI_FAMILY: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "truong", "dinh", "lam", "mai", "trinh", "dao", "cao", "ha",
    "luong", "luu", "ta", "thai", "ton", "chu", "quach", "la", "kieu", "tang", "khuc", "au",
    "doan", "vuong", "trieu", "thach", "giang", "tong", "lac", "quan", "lai", "van",
];

/// `(family, given)` of a personal name.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    if let Some((family, given)) = name.split_once(',') {
        return (family.trim().to_string(), given.trim().to_string());
    }
    let parts: Vec<&str> = name.split_whitespace().collect();
    if parts.len() < 2 {
        return (name.to_string(), String::new());
    }
    let first = fold_lower(parts[0]);
    let vietnamese = VI_FAMILY.contains(&first.as_str())
        && parts.iter().any(|p| !p.is_ascii() || parts.len() >= 3);
    if vietnamese {
        (parts[0].to_string(), parts[1..].join(" "))
    } else {
        (
            parts[parts.len() - 1].to_string(),
            parts[..parts.len() - 1].join(" "),
        )
    }
}

fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' => {}
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A citation key: folded family name of the first author, year, first title word.
pub fn cite_key(d: &StoredDoc) -> String {
    let family = d
        .authors
        .first()
        .map(|a| split_name(a).0)
        .unwrap_or_else(|| "anon".into());
    let word = d
        .title
        .as_deref()
        .and_then(|t| {
            t.split_whitespace()
                .map(fold_lower)
                .find(|w| w.chars().filter(char::is_ascii_alphanumeric).count() > 3)
        })
        .unwrap_or_default();
    let year = d.year.map(|y| y.to_string()).unwrap_or_default();
    let key: String = format!("{}{year}{word}", fold_lower(&family))
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if key.is_empty() {
        "doc".into()
    } else {
        key
    }
}

fn bibtex_type(doc_type: &str) -> &'static str {
    match doc_type {
        "doctoral" => "phdthesis",
        "master" => "mastersthesis",
        "report" => "techreport",
        "article" => "article",
        "book" => "book",
        _ => "misc",
    }
}

pub fn bibtex(d: &StoredDoc, base_url: &str) -> String {
    let kind = bibtex_type(&d.doc_type);
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !d.authors.is_empty() {
        let names: Vec<String> = d
            .authors
            .iter()
            .map(|a| {
                let (f, g) = split_name(a);
                if g.is_empty() {
                    f
                } else {
                    format!("{f}, {g}")
                }
            })
            .collect();
        fields.push(("author", names.join(" and ")));
    }
    fields.push(("title", d.display_title()));
    if let Some(y) = d.year {
        fields.push(("year", y.to_string()));
    }
    if let Some(inst) = &d.institution {
        let name = match kind {
            "phdthesis" | "mastersthesis" => "school",
            "book" => "publisher",
            "article" => "journal",
            _ => "institution",
        };
        fields.push((name, inst.clone()));
    }
    if d.doc_type == "thesis" {
        fields.push((
            "howpublished",
            "Khóa luận tốt nghiệp (bachelor's thesis)".into(),
        ));
    }
    if !d.keywords.is_empty() {
        fields.push(("keywords", d.keywords.join(", ")));
    }
    if d.lang != "und" {
        fields.push(("language", d.lang.clone()));
    }
    let url = d
        .url
        .clone()
        .or_else(|| d.file_url().map(|u| format!("{base_url}{u}")));
    if let Some(u) = url {
        fields.push(("url", u));
    }
    let mut out = format!("@{kind}{{{},\n", cite_key(d));
    for (i, (k, v)) in fields.iter().enumerate() {
        let comma = if i + 1 < fields.len() { "," } else { "" };
        let value = if *k == "url" {
            v.replace(['{', '}'], "")
        } else {
            bibtex_escape(v)
        };
        out.push_str(&format!("  {k:<12} = {{{value}}}{comma}\n"));
    }
    out.push_str("}\n");
    out
}

fn ris_type(doc_type: &str) -> &'static str {
    match doc_type {
        "doctoral" | "master" | "thesis" => "THES",
        "report" => "RPRT",
        "article" => "JOUR",
        "book" => "BOOK",
        "slides" => "SLIDE",
        _ => "GEN",
    }
}

pub fn ris(d: &StoredDoc, base_url: &str) -> String {
    let mut lines: Vec<(&str, String)> = vec![("TY", ris_type(&d.doc_type).to_string())];
    for a in &d.authors {
        let (f, g) = split_name(a);
        lines.push(("AU", if g.is_empty() { f } else { format!("{f}, {g}") }));
    }
    lines.push(("TI", d.display_title()));
    if let Some(y) = d.year {
        lines.push(("PY", y.to_string()));
    }
    if let Some(i) = &d.institution {
        lines.push(("PB", i.clone()));
    }
    for k in &d.keywords {
        lines.push(("KW", k.clone()));
    }
    if let Some(a) = &d.abstract_text {
        lines.push(("AB", a.clone()));
    }
    if d.lang != "und" {
        lines.push(("LA", d.lang.clone()));
    }
    if let Some(u) = &d.url {
        lines.push(("UR", u.clone()));
    }
    if let Some(u) = d.file_url() {
        lines.push(("L1", format!("{base_url}{u}")));
    }
    lines.push(("ID", d.id.clone()));
    lines.push(("ER", String::new()));
    let mut out = String::new();
    for (tag, v) in lines {
        let v = v.replace(['\r', '\n'], " ");
        out.push_str(&format!("{tag}  - {v}\r\n"));
    }
    out
}

fn csl_type(doc_type: &str) -> &'static str {
    match doc_type {
        "doctoral" | "master" | "thesis" => "thesis",
        "report" => "report",
        "article" => "article-journal",
        "book" => "book",
        "slides" => "speech",
        _ => "document",
    }
}

pub fn csl(d: &StoredDoc, base_url: &str) -> Value {
    let authors: Vec<Value> = d
        .authors
        .iter()
        .map(|a| {
            let (family, given) = split_name(a);
            if given.is_empty() {
                json!({ "literal": family })
            } else {
                json!({ "family": family, "given": given })
            }
        })
        .collect();
    let mut item = json!({
        "id": d.id,
        "type": csl_type(&d.doc_type),
        "title": d.display_title(),
        "author": authors,
    });
    let obj = item.as_object_mut().expect("object literal");
    if let Some(y) = d.year {
        obj.insert("issued".into(), json!({ "date-parts": [[y]] }));
    }
    if let Some(i) = &d.institution {
        let key = if d.doc_type == "article" {
            "container-title"
        } else {
            "publisher"
        };
        obj.insert(key.into(), json!(i));
    }
    let genre = match d.doc_type.as_str() {
        "doctoral" => Some("Luận án tiến sĩ (doctoral dissertation)"),
        "master" => Some("Luận văn thạc sĩ (master's thesis)"),
        "thesis" => Some("Khóa luận tốt nghiệp (bachelor's thesis)"),
        _ => None,
    };
    if let Some(g) = genre {
        obj.insert("genre".into(), json!(g));
    }
    if let Some(a) = &d.abstract_text {
        obj.insert("abstract".into(), json!(a));
    }
    if !d.keywords.is_empty() {
        obj.insert("keyword".into(), json!(d.keywords.join(", ")));
    }
    if d.lang != "und" {
        obj.insert("language".into(), json!(d.lang));
    }
    if let Some(u) = d
        .url
        .clone()
        .or_else(|| d.file_url().map(|u| format!("{base_url}{u}")))
    {
        obj.insert("URL".into(), json!(u));
    }
    json!([item])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> StoredDoc {
        StoredDoc {
            id: "luan-van~0123456789abcdef".into(),
            title: Some("Nghiên cứu {học sâu} & xử lý ảnh".into()),
            authors: vec!["Nguyễn Văn An".into(), "John Smith".into()],
            institution: Some("Trường Đại học Thủy lợi".into()),
            year: Some(2021),
            doc_type: "master".into(),
            lang: "vi".into(),
            source_path: Some("/x.pdf".into()),
            ..Default::default()
        }
    }

    #[test]
    fn names_split_by_origin() {
        assert_eq!(
            split_name("Nguyễn Văn An"),
            ("Nguyễn".into(), "Văn An".into())
        );
        assert_eq!(split_name("John Smith"), ("Smith".into(), "John".into()));
        assert_eq!(split_name("Smith, John"), ("Smith".into(), "John".into()));
        assert_eq!(split_name("Plato"), ("Plato".into(), String::new()));
    }

    #[test]
    fn bibtex_escapes_and_types() {
        let b = bibtex(&doc(), "http://h");
        assert!(b.starts_with("@mastersthesis{nguyen2021nghien,\n"), "{b}");
        assert!(
            b.contains("author       = {Nguyễn, Văn An and Smith, John},"),
            "{b}"
        );
        assert!(
            b.contains("title        = {Nghiên cứu học sâu \\& xử lý ảnh},"),
            "{b}"
        );
        assert!(
            b.contains("school       = {Trường Đại học Thủy lợi}"),
            "{b}"
        );
        assert!(
            b.contains("url          = {http://h/api/documents/luan-van~0123456789abcdef/file}")
        );
    }

    #[test]
    fn ris_and_csl() {
        let r = ris(&doc(), "");
        assert!(
            r.starts_with("TY  - THES\r\nAU  - Nguyễn, Văn An\r\n"),
            "{r}"
        );
        assert!(r.ends_with("ER  - \r\n"));
        let c = csl(&doc(), "");
        assert_eq!(c[0]["type"], "thesis");
        assert_eq!(c[0]["author"][0]["family"], "Nguyễn");
        assert_eq!(c[0]["issued"]["date-parts"][0][0], 2021);
    }
}
