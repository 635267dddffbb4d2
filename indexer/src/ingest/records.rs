//! Catalogue records (JSON Lines and CSV) and librarians' metadata override files, which share
//! the same fields. The format is documented in `corpus/RECORDS.md`.
//!
//! Files are read row by row, never whole, so a catalogue of a million records takes no more
//! memory than one of ten. A bad row is reported with its line number and the reason; the
//! others go on.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ids, IngestError};
use crate::doc::{DocMetadata, DocType, Document, Page};
use crate::{lang, text};

/// File formats for records and overrides, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    JsonLines,
    Csv,
}

impl RecordFormat {
    /// `.jsonl`/`.ndjson` or `.csv` (any case), else `None`.
    pub fn of(path: &Path) -> Option<RecordFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(RecordFormat::JsonLines),
            "csv" => Some(RecordFormat::Csv),
            _ => None,
        }
    }
}

/// The fields a record or an override row may carry, validated and normalised.
///
/// Field order here is the canonical order of the JSON that is hashed for change detection:
/// reordering fields would mark every record as updated once.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<DocType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advisor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Field names a record may have.
pub const RECORD_FIELDS: [&str; 12] = [
    "id",
    "title",
    "authors",
    "year",
    "doc_type",
    "language",
    "abstract",
    "keywords",
    "institution",
    "advisor",
    "url",
    "text",
];

impl RecordFields {
    /// Validates one row. `extra` names additional accepted keys (e.g. `file` for overrides);
    /// keys neither known nor extra are returned so the caller can warn once per file.
    pub fn from_map(
        map: &Map<String, Value>,
        extra: &[&str],
    ) -> Result<(RecordFields, Vec<String>), String> {
        let mut f = RecordFields::default();
        let mut unknown = Vec::new();
        for (key, value) in map {
            let k = key.trim().to_ascii_lowercase();
            match k.as_str() {
                "id" => f.id = scalar(&k, value)?,
                "title" => f.title = string(&k, value)?,
                "authors" => f.authors = list(&k, value)?,
                "year" => f.year = year(value)?,
                "doc_type" => {
                    f.doc_type = match string(&k, value)? {
                        Some(s) => Some(s.parse::<DocType>().map_err(|e| e.to_string())?),
                        None => None,
                    }
                }
                "language" => f.language = language(value)?,
                "abstract" => f.abstract_text = string(&k, value)?,
                "keywords" => f.keywords = list(&k, value)?,
                "institution" => f.institution = string(&k, value)?,
                "advisor" => f.advisor = string(&k, value)?,
                "url" => f.url = string(&k, value)?,
                "text" => f.text = string(&k, value)?,
                _ if extra.contains(&k.as_str()) => {}
                _ => unknown.push(key.clone()),
            }
        }
        Ok((f, unknown))
    }

    /// Blake3 hex of the canonical JSON of these fields.
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).expect("record fields always serialise");
        blake3::hash(&json).to_hex().to_string()
    }

    /// Overwrites the metadata fields this row gives (an override file wins over extraction).
    pub fn apply_to(&self, m: &mut DocMetadata) {
        if let Some(t) = &self.title {
            m.title = Some(t.clone());
        }
        if !self.authors.is_empty() {
            m.authors = self.authors.clone();
        }
        if let Some(y) = self.year {
            m.year = Some(y);
        }
        if let Some(t) = self.doc_type {
            m.doc_type = t;
        }
        if let Some(l) = &self.language {
            m.language = Some(l.clone());
        }
        if let Some(a) = &self.abstract_text {
            m.abstract_text = Some(a.clone());
        }
        if !self.keywords.is_empty() {
            m.keywords = self.keywords.clone();
        }
        if let Some(i) = &self.institution {
            m.institution = Some(i.clone());
        }
        if let Some(a) = &self.advisor {
            m.advisor = Some(a.clone());
        }
        if let Some(u) = &self.url {
            m.url = Some(u.clone());
        }
    }

    /// Turns a record into a document of `collection`. Needs an id and a title or a text.
    pub fn into_document(self, collection: &str, now: i64) -> Result<Document, String> {
        let raw_id = self.id.clone().ok_or("missing id")?;
        ids::validate_record_id(&raw_id)?;
        if self.title.is_none() && self.text.is_none() {
            return Err("needs a title or a text".into());
        }
        let content_hash = self.hash();
        let mut metadata = DocMetadata::default();
        self.apply_to(&mut metadata);
        if metadata.language.is_none() {
            metadata.language = detect_language(&self);
        }
        let pages = self
            .text
            .map(|text| {
                vec![Page {
                    text,
                    no_text: false,
                    ocr: false,
                }]
            })
            .unwrap_or_default();
        Ok(Document {
            id: ids::record_id(&raw_id),
            collection: collection.to_string(),
            source_path: None,
            file_name: None,
            metadata,
            pages,
            content_hash,
            ingested_at: now,
        })
    }
}

fn detect_language(f: &RecordFields) -> Option<String> {
    // A few kilobytes decide the language as well as the whole text and cost far less.
    let mut sample = String::new();
    for part in [&f.title, &f.abstract_text, &f.text].into_iter().flatten() {
        sample.push_str(part);
        sample.push('\n');
        if sample.len() > 4096 {
            break;
        }
    }
    let mut end = sample.len().min(4096);
    while !sample.is_char_boundary(end) {
        end -= 1;
    }
    lang::detect(&sample[..end]).map(str::to_string)
}

fn clean(s: &str) -> Option<String> {
    let s = text::normalize(s);
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn string(key: &str, v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(clean(s)),
        other => Err(format!("{key} must be a string, not {}", kind(other))),
    }
}

fn scalar(key: &str, v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Number(n) => Ok(Some(n.to_string())),
        other => string(key, other),
    }
}

fn list(key: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s.split(';').filter_map(clean).collect()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(clean(s)),
                other => Err(format!(
                    "{key} must hold strings, found {} in the array",
                    kind(other)
                )),
            })
            .filter_map(Result::transpose)
            .collect(),
        other => Err(format!(
            "{key} must be an array or a ';'-separated string, not {}",
            kind(other)
        )),
    }
}

fn year(v: &Value) -> Result<Option<i32>, String> {
    let n = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match n {
        Some(y @ 1000..=2200) => Ok(Some(y as i32)),
        _ => Err(format!("year must be a four-digit year, not {v}")),
    }
}

fn language(v: &Value) -> Result<Option<String>, String> {
    let Some(s) = string("language", v)? else {
        return Ok(None);
    };
    let l = s.to_ascii_lowercase();
    if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(Some(l))
    } else {
        Err(format!(
            "language must be an ISO 639-1 code such as vi or en, not {s:?}"
        ))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Calls `row` with the 1-based line number and the fields of every row of a JSONL or CSV
/// file, or the reason the row could not be read. Stops early when `row` returns an error.
pub fn for_each_row<E: From<IngestError>>(
    path: &Path,
    mut row: impl FnMut(u64, Result<Map<String, Value>, String>) -> Result<(), E>,
) -> Result<(), E> {
    let format = RecordFormat::of(path).ok_or_else(|| IngestError::Record {
        path: path.to_path_buf(),
        line: 0,
        reason: "not a .jsonl or .csv file".into(),
    })?;
    let file = File::open(path).map_err(IngestError::io(path))?;
    match format {
        RecordFormat::JsonLines => {
            let mut reader = BufReader::new(file);
            let mut buf = Vec::new();
            let mut line = 0u64;
            loop {
                buf.clear();
                let n = reader
                    .read_until(b'\n', &mut buf)
                    .map_err(IngestError::io(path))?;
                if n == 0 {
                    return Ok(());
                }
                line += 1;
                let bytes = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let parsed = match serde_json::from_slice::<Value>(bytes) {
                    Ok(Value::Object(m)) => Ok(m),
                    Ok(other) => Err(format!("expected a JSON object, found {}", kind(&other))),
                    Err(e) => Err(format!("invalid JSON: {e}")),
                };
                row(line, parsed)?;
            }
        }
        RecordFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(BufReader::new(file));
            let headers: Vec<String> = reader
                .byte_headers()
                .map_err(|e| IngestError::Record {
                    path: path.to_path_buf(),
                    line: 1,
                    reason: format!("cannot read the CSV header: {e}"),
                })?
                .iter()
                .map(|h| {
                    let h = String::from_utf8_lossy(h);
                    h.trim_start_matches('\u{feff}').trim().to_string()
                })
                .collect();
            let mut record = csv::ByteRecord::new();
            loop {
                let line_of = |r: &csv::ByteRecord| r.position().map_or(0, |p| p.line());
                match reader.read_byte_record(&mut record) {
                    Ok(false) => return Ok(()),
                    Ok(true) => {
                        let line = line_of(&record);
                        row(line, csv_row(&headers, &record))?;
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            return Err(IngestError::Record {
                                path: path.to_path_buf(),
                                line,
                                reason: e.to_string(),
                            }
                            .into());
                        }
                        row(line, Err(format!("invalid CSV: {e}")))?;
                    }
                }
            }
        }
    }
}

fn csv_row(headers: &[String], record: &csv::ByteRecord) -> Result<Map<String, Value>, String> {
    if record.len() != headers.len() {
        return Err(format!(
            "{} fields where the header has {}",
            record.len(),
            headers.len()
        ));
    }
    let mut map = Map::new();
    for (h, v) in headers.iter().zip(record.iter()) {
        let v = std::str::from_utf8(v).map_err(|_| format!("{h} is not valid UTF-8"))?;
        if !v.trim().is_empty() {
            map.insert(h.clone(), Value::String(v.to_string()));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Result<RecordFields, String> {
        let Value::Object(m) = v else { unreachable!() };
        RecordFields::from_map(&m, &[]).map(|(f, _)| f)
    }

    #[test]
    fn lists_take_arrays_or_semicolons() {
        let a =
            fields(json!({"id": 7, "authors": "Nguyễn Văn A; Trần B ;", "year": "2019"})).unwrap();
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.authors, ["Nguyễn Văn A", "Trần B"]);
        assert_eq!(a.year, Some(2019));
        let b = fields(json!({"keywords": ["học máy", ""]})).unwrap();
        assert_eq!(b.keywords, ["học máy"]);
    }

    #[test]
    fn bad_values_say_why() {
        assert!(fields(json!({"year": "năm 2019"}))
            .unwrap_err()
            .contains("year"));
        assert!(fields(json!({"doc_type": "poem"}))
            .unwrap_err()
            .contains("doc_type"));
        assert!(fields(json!({"title": 3})).unwrap_err().contains("title"));
        let rec = fields(json!({"id": "x"})).unwrap();
        assert!(rec.into_document("c", 0).unwrap_err().contains("title"));
    }

    #[test]
    fn hash_ignores_key_order_and_normalises() {
        let a = fields(json!({"id": "1", "title": "Hoà bình"})).unwrap();
        let b = fields(json!({"title": "Hòa bình", "id": "1"})).unwrap();
        assert_eq!(a.hash(), b.hash());
    }
}
