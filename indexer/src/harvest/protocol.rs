//! OAI-PMH 2.0 responses, read with quick-xml into plain values: the records of a page (header
//! and metadata as a flat list of fields), its resumption token, the errors, and the answers
//! to Identify and ListMetadataFormats.
//!
//! Element names are matched on their local part: repositories disagree on prefixes (`oai:`,
//! none, `ns0:`), never on local names within the OAI and format schemas.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// An `<error>` of the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    /// The spec's code: `badArgument`, `badResumptionToken`, `badVerb`,
    /// `cannotDisseminateFormat`, `idDoesNotExist`, `noRecordsMatch`, `noMetadataFormats`,
    /// `noSetHierarchy`.
    pub code: String,
    pub message: String,
}

impl OaiError {
    /// The spec's meaning of the code, for a report a librarian reads.
    pub fn explain(&self) -> String {
        let meaning = match self.code.as_str() {
            "badArgument" => "the request has an illegal or missing argument",
            "badResumptionToken" => "the resumption token is invalid or has expired",
            "badVerb" => "the repository does not know the request",
            "cannotDisseminateFormat" => {
                "the repository does not offer this metadata format (see ListMetadataFormats)"
            }
            "idDoesNotExist" => "no such record",
            "noRecordsMatch" => "no records match the dates and set asked for",
            "noMetadataFormats" => "no metadata formats are available",
            "noSetHierarchy" => "the repository has no sets",
            _ => "",
        };
        let mut out = self.code.clone();
        if !meaning.is_empty() {
            out.push_str(&format!(" ({meaning})"));
        }
        if !self.message.is_empty() {
            out.push_str(&format!(": {}", self.message));
        }
        out
    }
}

/// A `<resumptionToken>`: empty `value` ends the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Token {
    pub value: String,
    pub complete_list_size: Option<u64>,
    pub cursor: Option<u64>,
}

/// One field of a record's metadata: an element that holds text, with its path below the
/// format's root element (local names joined by `/`, e.g. `title`, `degree/name`, `field`)
/// and its attributes (local names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub path: String,
    pub attrs: Vec<(String, String)>,
    pub value: String,
}

impl Field {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A record's metadata: the root element of its format and its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Local name of the root element (`dc`, `dim`, `thesis`).
    pub root: String,
    /// Namespace URI of the root element, when declared on it.
    pub namespace: Option<String>,
    pub fields: Vec<Field>,
}

/// A record of ListRecords or GetRecord.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub identifier: String,
    pub datestamp: String,
    /// `status="deleted"` in the header.
    pub deleted: bool,
    pub sets: Vec<String>,
    pub metadata: Option<Metadata>,
}

/// The answer to Identify.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identify {
    pub repository_name: String,
    pub base_url: String,
    pub earliest_datestamp: String,
    /// `no`, `transient` or `persistent`.
    pub deleted_record: String,
    /// `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`.
    pub granularity: String,
}

/// Everything a response can carry; each verb fills its part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub response_date: String,
    pub errors: Vec<OaiError>,
    pub records: Vec<Record>,
    /// ListIdentifiers headers are records without metadata.
    pub token: Option<Token>,
    pub identify: Option<Identify>,
    /// ListMetadataFormats: (metadataPrefix, metadataNamespace).
    pub formats: Vec<(String, String)>,
}

/// Reads a response. `Err` says why the XML is not a well-formed OAI-PMH response.
pub fn parse(xml: &[u8]) -> Result<Response, String> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut p = Parser::default();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "malformed XML at byte {}: {e}",
                reader.error_position().max(reader.buffer_position())
            )
        })?;
        match event {
            Event::Start(e) => p.open(&e)?,
            Event::Empty(e) => {
                p.open(&e)?;
                p.close();
            }
            Event::End(_) => p.close(),
            Event::Text(t) => p
                .text
                .push_str(&t.decode().map_err(|e| format!("bad text: {e}"))?),
            Event::CData(t) => p
                .text
                .push_str(&t.decode().map_err(|e| format!("bad CDATA: {e}"))?),
            Event::GeneralRef(r) => {
                let bad = |e: &dyn std::fmt::Display| format!("bad reference: {e}");
                if let Some(c) = r.resolve_char_ref().map_err(|e| bad(&e))? {
                    p.text.push(c);
                } else {
                    let name = r.decode().map_err(|e| bad(&e))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => p.text.push_str(s),
                        None => return Err(format!("unknown entity &{name};")),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !p.saw_root {
        return Err("empty response: no OAI-PMH element".into());
    }
    if !p.stack.is_empty() {
        return Err(format!(
            "the response ends inside <{}>: it was cut short",
            p.stack.join("><")
        ));
    }
    Ok(p.out)
}

/// The state of one pass over a response.
#[derive(Default)]
struct Parser {
    out: Response,
    /// Local names of the open elements.
    stack: Vec<String>,
    /// Text of the innermost open element so far.
    text: String,
    saw_root: bool,
    record: Option<Record>,
    token: Option<Token>,
    error_code: Option<String>,
    /// Depth of `<metadata>` in the stack, when inside one.
    metadata_depth: Option<usize>,
    metadata: Option<Metadata>,
    /// Attributes of each open element below the metadata root.
    field_attrs: Vec<Vec<(String, String)>>,
    /// (metadataPrefix, metadataNamespace) of the `<metadataFormat>` being read.
    format: (String, String),
}

impl Parser {
    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        let name = local(e.name().as_ref());
        let depth = self.stack.len();
        if depth == 0 {
            if name != "OAI-PMH" {
                return Err(format!(
                    "not an OAI-PMH response: the root element is <{name}>"
                ));
            }
            self.saw_root = true;
        }
        self.text.clear();
        if let Some(md) = self.metadata_depth {
            if depth == md + 1 {
                // The format's root element.
                let prefix = prefix_of(e);
                let wanted = if prefix.is_empty() {
                    "xmlns".to_string()
                } else {
                    format!("xmlns:{prefix}")
                };
                let namespace = attrs(e)?
                    .into_iter()
                    .find(|(k, _)| *k == wanted)
                    .map(|(_, v)| v);
                self.metadata = Some(Metadata {
                    root: name.clone(),
                    namespace,
                    fields: Vec::new(),
                });
                self.field_attrs.clear();
            } else if depth > md + 1 {
                self.field_attrs.push(
                    attrs(e)?
                        .into_iter()
                        .filter(|(k, _)| !k.starts_with("xmlns"))
                        .map(|(k, v)| (local(k.as_bytes()), v))
                        .collect(),
                );
            }
            self.stack.push(name);
            return Ok(());
        }
        match name.as_str() {
            "record" | "header" if self.record.is_none() => {
                self.record = Some(Record::default());
                if name == "header" {
                    self.header_status(e)?;
                }
            }
            "header" => self.header_status(e)?,
            "metadata" if self.record.is_some() => self.metadata_depth = Some(depth),
            "resumptionToken" => {
                let mut t = Token::default();
                for (k, v) in attrs(e)? {
                    match k.as_str() {
                        "completeListSize" => t.complete_list_size = v.trim().parse().ok(),
                        "cursor" => t.cursor = v.trim().parse().ok(),
                        _ => {}
                    }
                }
                self.token = Some(t);
            }
            "error" => {
                self.error_code = Some(
                    attrs(e)?
                        .into_iter()
                        .find(|(k, _)| k == "code")
                        .map(|(_, v)| v)
                        .unwrap_or_default(),
                )
            }
            _ => {}
        }
        self.stack.push(name);
        Ok(())
    }

    fn header_status(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        if let Some(r) = self.record.as_mut() {
            r.deleted = attrs(e)?
                .iter()
                .any(|(k, v)| k == "status" && v == "deleted");
        }
        Ok(())
    }

    fn close(&mut self) {
        let Some(name) = self.stack.pop() else { return };
        let depth = self.stack.len();
        let value = self.text.trim().to_string();
        self.text.clear();
        if let Some(md) = self.metadata_depth {
            if depth > md + 1 {
                let attrs = self.field_attrs.pop().unwrap_or_default();
                if let Some(m) = self.metadata.as_mut().filter(|_| !value.is_empty()) {
                    // The path below the root: the open elements between it and this one.
                    let mut path: Vec<&str> =
                        self.stack[md + 2..].iter().map(String::as_str).collect();
                    path.push(&name);
                    m.fields.push(Field {
                        path: path.join("/"),
                        attrs,
                        value,
                    });
                }
            } else if depth == md {
                self.metadata_depth = None;
                if let Some(r) = self.record.as_mut() {
                    r.metadata = self.metadata.take();
                }
            }
            return;
        }
        let parent = self.stack.last().map(String::as_str).unwrap_or("");
        let out = &mut self.out;
        match (parent, name.as_str()) {
            ("header", "identifier") => set(&mut self.record, |r| r.identifier = value),
            ("header", "datestamp") => set(&mut self.record, |r| r.datestamp = value),
            ("header", "setSpec") => set(&mut self.record, |r| r.sets.push(value)),
            (_, "record") => out.records.extend(self.record.take()),
            // ListIdentifiers: a header alone.
            ("ListIdentifiers", "header") => out.records.extend(self.record.take()),
            (_, "resumptionToken") => {
                if let Some(mut t) = self.token.take() {
                    t.value = value;
                    out.token = Some(t);
                }
            }
            (_, "error") => out.errors.push(OaiError {
                code: self.error_code.take().unwrap_or_default(),
                message: value,
            }),
            (_, "responseDate") => out.response_date = value,
            ("Identify", field) => {
                let id = out.identify.get_or_insert_with(Identify::default);
                match field {
                    "repositoryName" => id.repository_name = value,
                    "baseURL" => id.base_url = value,
                    "earliestDatestamp" => id.earliest_datestamp = value,
                    "deletedRecord" => id.deleted_record = value,
                    "granularity" => id.granularity = value,
                    _ => {}
                }
            }
            ("metadataFormat", "metadataPrefix") => self.format.0 = value,
            ("metadataFormat", "metadataNamespace") => self.format.1 = value,
            (_, "metadataFormat") => out.formats.push(std::mem::take(&mut self.format)),
            _ => {}
        }
    }
}

fn set(record: &mut Option<Record>, f: impl FnOnce(&mut Record)) {
    if let Some(r) = record.as_mut() {
        f(r);
    }
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.into_owned(),
    }
}

fn prefix_of<'a>(e: &'a BytesStart<'_>) -> &'a str {
    let name = std::str::from_utf8(e.name().into_inner()).unwrap_or("");
    name.rsplit_once(':').map_or("", |(p, _)| p)
}

fn attrs(e: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    e.attributes()
        .map(|a| {
            let a = a.map_err(|e| format!("bad attribute: {e}"))?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map_err(|e| format!("bad attribute value: {e}"))?
                .into_owned();
            Ok((key, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
 <responseDate>2026-01-02T03:04:05Z</responseDate>
 <request verb="ListRecords" metadataPrefix="oai_dc">http://x/oai</request>
 <ListRecords>
  <record>
   <header><identifier>oai:x:1</identifier><datestamp>2025-12-31</datestamp>
    <setSpec>a</setSpec><setSpec>a:b</setSpec></header>
   <metadata>
    <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
               xmlns:dc="http://purl.org/dc/elements/1.1/">
     <dc:title>Đo &amp; đếm &#8211; <![CDATA[<b>bold</b>]]></dc:title>
     <dc:creator>A</dc:creator>
     <dc:creator/>
    </oai_dc:dc>
   </metadata>
   <about><provenance>ignored</provenance></about>
  </record>
  <record><header status="deleted"><identifier>oai:x:2</identifier>
   <datestamp>2026-01-01</datestamp></header></record>
  <resumptionToken completeListSize="120" cursor="0">tok en</resumptionToken>
 </ListRecords>
</OAI-PMH>"#;

    #[test]
    fn reads_a_page_of_records() {
        let r = parse(LIST.as_bytes()).unwrap();
        assert_eq!(r.response_date, "2026-01-02T03:04:05Z");
        assert_eq!(r.records.len(), 2);
        let first = &r.records[0];
        assert_eq!(first.identifier, "oai:x:1");
        assert_eq!(first.datestamp, "2025-12-31");
        assert_eq!(first.sets, vec!["a", "a:b"]);
        assert!(!first.deleted);
        let m = first.metadata.as_ref().unwrap();
        assert_eq!(m.root, "dc");
        assert_eq!(
            m.namespace.as_deref(),
            Some("http://www.openarchives.org/OAI/2.0/oai_dc/")
        );
        let got: Vec<(&str, &str)> = m
            .fields
            .iter()
            .map(|f| (f.path.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![("title", "Đo & đếm – <b>bold</b>"), ("creator", "A")]
        );
        assert!(r.records[1].deleted && r.records[1].metadata.is_none());
        let t = r.token.unwrap();
        assert_eq!(
            (t.value.as_str(), t.complete_list_size, t.cursor),
            ("tok en", Some(120), Some(0))
        );
    }

    #[test]
    fn reads_errors_identify_and_formats() {
        let err = r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>x</responseDate>
            <request>http://x/oai</request><error code="badResumptionToken">expired</error></OAI-PMH>"#;
        let r = parse(err.as_bytes()).unwrap();
        assert_eq!(r.errors[0].code, "badResumptionToken");
        assert!(r.errors[0]
            .explain()
            .contains("invalid or has expired): expired"));
        let id = r#"<OAI-PMH><Identify><repositoryName>R</repositoryName><baseURL>http://x/oai</baseURL>
            <earliestDatestamp>2001-01-01</earliestDatestamp><deletedRecord>persistent</deletedRecord>
            <granularity>YYYY-MM-DDThh:mm:ssZ</granularity><description><oai-identifier>
            <repositoryIdentifier>x</repositoryIdentifier></oai-identifier></description></Identify></OAI-PMH>"#;
        let i = parse(id.as_bytes()).unwrap().identify.unwrap();
        assert_eq!(i.granularity, "YYYY-MM-DDThh:mm:ssZ");
        assert_eq!(i.deleted_record, "persistent");
        let f = r#"<OAI-PMH><ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix>
            <schema>s</schema><metadataNamespace>n</metadataNamespace></metadataFormat><metadataFormat>
            <metadataPrefix>dim</metadataPrefix></metadataFormat></ListMetadataFormats></OAI-PMH>"#;
        let formats = parse(f.as_bytes()).unwrap().formats;
        assert_eq!(
            formats,
            vec![("oai_dc".into(), "n".into()), ("dim".into(), String::new())]
        );
    }

    #[test]
    fn refuses_what_is_not_a_whole_oai_response() {
        let cut = &LIST[..LIST.find("<about>").unwrap()];
        assert!(parse(cut.as_bytes()).unwrap_err().contains("cut short"));
        assert!(parse(b"<html><body>Service unavailable</body></html>")
            .unwrap_err()
            .contains("root element is <html>"));
        assert!(parse(b"").is_err());
        assert!(parse(b"<OAI-PMH><a></b></OAI-PMH>").is_err());
    }
}
