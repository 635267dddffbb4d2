//! The metadata formats the provider disseminates: `oai_dc` (unqualified Dublin Core, every
//! record) and `oai_etdms` (ETD-MS 1.1, theses only), and how a stored document maps onto them.
//!
//! Types follow the `info:eu-repo/semantics` vocabulary beside DCMI's `Text`, since that is
//! what the aggregators that harvest repositories (OpenAIRE, BASE, CORE) read to tell a thesis
//! from an article. Each record's `dc:identifier`s are its page on this server first (which
//! links the PDF), then the PDF itself, then the source URL of a catalogue record.

use crate::documents::StoredDoc;
use crate::text::path_segment;

use super::xml::Xml;

/// A metadata format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OaiDc,
    Etdms,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::OaiDc, Format::Etdms];

    pub fn from_prefix(prefix: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.prefix() == prefix)
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Format::OaiDc => "oai_dc",
            Format::Etdms => "oai_etdms",
        }
    }

    pub fn schema(self) -> &'static str {
        match self {
            Format::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            Format::Etdms => "http://www.ndltd.org/standards/metadata/etdms/1.1/etdms11.xsd",
        }
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Format::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc/",
            Format::Etdms => "http://www.ndltd.org/standards/metadata/etdms/1.1/",
        }
    }

    /// Whether a document of `doc_type` can be disseminated in this format.
    pub fn fits(self, doc_type: &str) -> bool {
        match self {
            Format::OaiDc => true,
            Format::Etdms => is_thesis(doc_type),
        }
    }

    /// The `<metadata>` content of `doc`; `base` is the server's scheme and host.
    pub fn write(self, x: &mut Xml, doc: &StoredDoc, base: &str) {
        match self {
            Format::OaiDc => dublin_core(x, doc, base),
            Format::Etdms => etdms(x, doc, base),
        }
    }
}

/// The doc types a thesis can have.
pub fn is_thesis(doc_type: &str) -> bool {
    matches!(doc_type, "thesis" | "master" | "doctoral")
}

fn semantics_type(doc_type: &str) -> &'static str {
    match doc_type {
        "thesis" => "info:eu-repo/semantics/bachelorThesis",
        "master" => "info:eu-repo/semantics/masterThesis",
        "doctoral" => "info:eu-repo/semantics/doctoralThesis",
        "report" => "info:eu-repo/semantics/report",
        "article" => "info:eu-repo/semantics/article",
        "book" => "info:eu-repo/semantics/book",
        "slides" => "info:eu-repo/semantics/lecture",
        _ => "info:eu-repo/semantics/other",
    }
}

/// Where a harvester finds the document: its page here, its PDF here, its source.
fn identifiers(doc: &StoredDoc, base: &str) -> Vec<String> {
    let mut out = vec![format!("{base}/doc/{}", path_segment(&doc.id))];
    if let Some(file) = doc.file_url() {
        out.push(format!("{base}{file}"));
    }
    if let Some(url) = &doc.url {
        out.push(url.clone());
    }
    out
}

fn dublin_core(x: &mut Xml, doc: &StoredDoc, base: &str) {
    x.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", Format::OaiDc.namespace()),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            ),
        ],
    );
    x.element("dc:title", &[], &doc.display_title());
    for a in &doc.authors {
        x.element("dc:creator", &[], a);
    }
    for k in &doc.keywords {
        x.element("dc:subject", &[], k);
    }
    if let Some(a) = &doc.abstract_text {
        x.element("dc:description", &[], a);
    }
    if let Some(i) = &doc.institution {
        x.element("dc:publisher", &[], i);
    }
    if let Some(a) = &doc.advisor {
        x.element("dc:contributor", &[], a);
    }
    if let Some(y) = doc.year {
        x.element("dc:date", &[], &y.to_string());
    }
    x.element("dc:type", &[], "Text");
    x.element("dc:type", &[], semantics_type(&doc.doc_type));
    if doc.has_file() {
        x.element("dc:format", &[], "application/pdf");
    }
    for id in identifiers(doc, base) {
        x.element("dc:identifier", &[], &id);
    }
    if doc.lang != "und" {
        x.element("dc:language", &[], &doc.lang);
    }
    x.close("oai_dc:dc");
}

/// ETD-MS wants ISO 639-2/3 codes.
fn language_639_3(lang: &str) -> Option<&str> {
    match lang {
        "vi" => Some("vie"),
        "en" => Some("eng"),
        "fr" => Some("fra"),
        "de" => Some("deu"),
        "zh" => Some("zho"),
        "ja" => Some("jpn"),
        "ru" => Some("rus"),
        "und" | "" => None,
        other => Some(other),
    }
}

fn etdms(x: &mut Xml, doc: &StoredDoc, base: &str) {
    x.open(
        "thesis",
        &[
            ("xmlns", Format::Etdms.namespace()),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.ndltd.org/standards/metadata/etdms/1.1/ http://www.ndltd.org/standards/metadata/etdms/1.1/etdms11.xsd",
            ),
        ],
    );
    // ETD-MS 1.1 fixes the order of the elements.
    x.element("title", &[], &doc.display_title());
    for a in &doc.authors {
        x.element("creator", &[], a);
    }
    for k in &doc.keywords {
        x.element("subject", &[], k);
    }
    if let Some(a) = &doc.abstract_text {
        x.element("description", &[], a);
    }
    if let Some(i) = &doc.institution {
        x.element("publisher", &[], i);
    }
    if let Some(a) = &doc.advisor {
        x.element("contributor", &[("role", "advisor")], a);
    }
    if let Some(y) = doc.year {
        x.element("date", &[], &y.to_string());
    }
    x.element("type", &[], "Electronic Thesis or Dissertation");
    x.element("type", &[], "Text");
    if doc.has_file() {
        x.element("format", &[], "application/pdf");
    }
    for id in identifiers(doc, base) {
        x.element("identifier", &[], &id);
    }
    if let Some(l) = language_639_3(&doc.lang) {
        x.element("language", &[], l);
    }
    // Degree levels: 0 bachelor's, 1 master's, 2 doctoral.
    let (name, level) = match doc.doc_type.as_str() {
        "master" => ("Master's degree (Thạc sĩ)", "1"),
        "doctoral" => ("Doctoral degree (Tiến sĩ)", "2"),
        _ => ("Bachelor's degree (Cử nhân / Kỹ sư)", "0"),
    };
    x.open("degree", &[]);
    x.element("name", &[], name);
    x.element("level", &[], level);
    if let Some(i) = &doc.institution {
        x.element("grantor", &[], i);
    }
    x.close("degree");
    x.close("thesis");
}
