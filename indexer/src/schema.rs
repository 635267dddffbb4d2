//! The index schema, designed once for extraction, ingestion and search.
//!
//! A work (a PDF or a catalogue record) is a group of tantivy documents, its *units*: one
//! **work unit** with the metadata, the stored page texts, the facets and the field that decides
//! whether the work matches, and one **passage unit** per passage of its body
//! ([`crate::passages`]), which ranking scores. The group is written in one operation
//! ([`crate::index::write_document`]), passages first, so that it stays contiguous in one
//! segment (tantivy keeps an operation group in one segment and merges keep document order); a
//! passage finds its work `to_work` documents further on.
//!
//! Searchable text comes in variants, each with its own analyzer (see [`crate::analysis`]):
//!
//! | field | unit | `exact` | `_folded` | `_pairs` | `_stem` |
//! |---|---|---|---|---|---|
//! | title | work | ✓ (stored) | ✓ | ✓ | English documents only |
//! | authors, advisor, institution, keywords, abstract | work | ✓ (stored) | ✓ | | |
//! | passage | passage | ✓ | ✓ | ✓ | English documents only |
//!
//! `text_folded` (work units) holds every text of the work folded, with positions: word and
//! phrase constraints, proximity and "more like this" read it. `body` (work units, stored only)
//! is multi-valued: value *i* is the text of page *i + 1*, so a hit can say on which page it
//! matched and snippets are cut from one page. Facets (collection, doc_type, lang, year) are
//! fast fields of work units. Only the exact variants and `body` are stored.
//!
//! Invariants: the schema built by [`build_schema`] is the only one an index may have;
//! [`crate::index::open`] refuses an index whose schema differs, instead of silently searching
//! fields that are not there. Only work units have an `id`; passage units have a `parent` with
//! their work's id, so every delete by id must delete by parent too
//! ([`crate::index::write_document`] and [`crate::index::delete_document`] do both).
//!
//! A deleted work leaves a **tombstone** (`unit` = `deleted`): its id (in `deleted_id`, and in
//! `parent`, so that adding the work again or deleting it again removes the tombstone by the
//! same parent delete), its collection and the time of the delete in `ingested_at`. Tombstones
//! are what lets the OAI-PMH provider report deleted records; they have no text, no facets
//! and no `id`, and every reader of works selects work units ([`Fields::works`]).

use tantivy::query::TermQuery;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    SchemaBuilder, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument, Term};

use crate::analysis::{EXACT, FOLDED, PAIRS, STEM_EN};
use crate::doc::Document;

/// The fields of one searchable text in its analysed variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFields {
    /// Diacritics kept; stored.
    pub exact: Field,
    /// Diacritics removed.
    pub folded: Field,
    /// Adjacent folded syllable pairs (long texts only).
    pub pairs: Option<Field>,
    /// English stems, filled for English documents only (long texts only).
    pub stem: Option<Field>,
}

impl TextFields {
    /// Every field of the group.
    pub fn all(&self) -> impl Iterator<Item = Field> + '_ {
        [Some(self.exact), Some(self.folded), self.pairs, self.stem]
            .into_iter()
            .flatten()
    }
}

/// The `unit` of a tombstone.
pub const TOMBSTONE: &str = "deleted";

/// What kind of unit a tantivy document is (the `unit` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Work,
    Passage,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Work => "work",
            Unit::Passage => "passage",
        }
    }
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Unique document id (a record's own id, or derived from collection and path).
    pub id: Field,
    pub collection: Field,
    /// Path of the source PDF as ingested; empty for records.
    pub source_path: Field,
    pub file_name: Field,
    pub url: Field,
    pub title: TextFields,
    pub authors: TextFields,
    pub advisor: TextFields,
    pub institution: TextFields,
    pub keywords: TextFields,
    pub abstract_text: TextFields,
    /// Page texts, one value per page; stored, not indexed (passages index them).
    pub body: Field,
    /// Every text of the work, folded, with positions: what decides whether a work matches.
    pub text_folded: Field,
    /// Passage text (passage units).
    pub passage: TextFields,
    /// `work` or `passage` ([`Unit`]).
    pub unit: Field,
    /// A passage's work id (for deletes).
    pub parent: Field,
    /// How many documents after a passage its work unit is, in the same segment.
    pub to_work: Field,
    /// First page (1-based) of a passage; 0 for the abstract.
    pub passage_page: Field,
    /// The language of a passage's work (what a word's IDF is counted among).
    pub passage_lang: Field,
    /// Publication year, 0 when unknown.
    pub year: Field,
    pub doc_type: Field,
    pub lang: Field,
    pub page_count: Field,
    /// blake3 of the source, hex.
    pub content_hash: Field,
    pub ingested_at: Field,
    /// 1 when no page has a text layer (needs OCR).
    pub needs_ocr: Field,
    /// The id of a deleted work, on its tombstone.
    pub deleted_id: Field,
    /// Numbers (from 1) of the pages whose text was recognised by OCR; stored only.
    pub ocr_pages: Field,
}

/// Field names, shared by the schema builder and by [`Fields::from_schema`].
pub mod names {
    pub const ID: &str = "id";
    pub const COLLECTION: &str = "collection";
    pub const SOURCE_PATH: &str = "source_path";
    pub const FILE_NAME: &str = "file_name";
    pub const URL: &str = "url";
    pub const YEAR: &str = "year";
    pub const DOC_TYPE: &str = "doc_type";
    pub const LANG: &str = "lang";
    pub const PAGE_COUNT: &str = "page_count";
    pub const CONTENT_HASH: &str = "content_hash";
    pub const INGESTED_AT: &str = "ingested_at";
    pub const NEEDS_OCR: &str = "needs_ocr";
    pub const DELETED_ID: &str = "deleted_id";
    pub const OCR_PAGES: &str = "ocr_pages";
    pub const BODY: &str = "body";
    pub const TEXT_FOLDED: &str = "text_folded";
    pub const UNIT: &str = "unit";
    pub const PARENT: &str = "parent";
    pub const TO_WORK: &str = "to_work";
    pub const PASSAGE_PAGE: &str = "passage_page";
    pub const PASSAGE_LANG: &str = "passage_lang";
}

/// Error when an index's schema is not the one this version of the crate builds.
#[derive(Debug, thiserror::Error)]
#[error("the index schema is not the one this version expects (field {field:?} {problem}); rebuild the index with `indexer add`")]
pub struct SchemaMismatch {
    pub field: String,
    pub problem: &'static str,
}

fn text_options(analyzer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// How a text group is indexed.
#[derive(Clone, Copy)]
struct Group {
    /// Pair and stem variants too (long texts).
    long: bool,
    /// The exact variant is stored (metadata; passages are stored as `body` pages).
    stored: bool,
}

fn add_text(b: &mut SchemaBuilder, name: &str, group: Group) -> TextFields {
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let exact = b.add_text_field(name, text_options(EXACT, positions, group.stored));
    let folded = b.add_text_field(
        &format!("{name}_folded"),
        text_options(FOLDED, positions, false),
    );
    let (pairs, stem) = if group.long {
        (
            Some(b.add_text_field(
                &format!("{name}_pairs"),
                text_options(PAIRS, IndexRecordOption::WithFreqs, false),
            )),
            Some(b.add_text_field(
                &format!("{name}_stem"),
                text_options(STEM_EN, IndexRecordOption::WithFreqs, false),
            )),
        )
    } else {
        (None, None)
    };
    TextFields {
        exact,
        folded,
        pairs,
        stem,
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field(names::ID, STRING | STORED | FAST);
    let collection = b.add_text_field(names::COLLECTION, STRING | STORED | FAST);
    let source_path = b.add_text_field(names::SOURCE_PATH, STRING | STORED);
    let file_name = b.add_text_field(names::FILE_NAME, STRING | STORED);
    let url = b.add_text_field(names::URL, STORED);
    let long = Group {
        long: true,
        stored: true,
    };
    let short = Group {
        long: false,
        stored: true,
    };
    let title = add_text(&mut b, "title", long);
    let authors = add_text(&mut b, "authors", short);
    let advisor = add_text(&mut b, "advisor", short);
    let institution = add_text(&mut b, "institution", short);
    let keywords = add_text(&mut b, "keywords", short);
    // Ranked as a passage (`passages::of_document`): no pairs or stems on the work unit.
    let abstract_text = add_text(&mut b, "abstract", short);
    let body = b.add_text_field(names::BODY, STORED);
    let text_folded = b.add_text_field(
        names::TEXT_FOLDED,
        text_options(FOLDED, IndexRecordOption::WithFreqsAndPositions, false),
    );
    let passage = add_text(
        &mut b,
        "passage",
        Group {
            long: true,
            stored: false,
        },
    );
    let unit = b.add_text_field(names::UNIT, STRING | FAST);
    let parent = b.add_text_field(names::PARENT, STRING);
    let to_work = b.add_u64_field(names::TO_WORK, FAST);
    let passage_page = b.add_u64_field(names::PASSAGE_PAGE, FAST);
    let passage_lang = b.add_text_field(names::PASSAGE_LANG, STRING | FAST);
    let numeric = NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast();
    let year = b.add_i64_field(names::YEAR, numeric.clone());
    let doc_type = b.add_text_field(names::DOC_TYPE, STRING | STORED | FAST);
    let lang = b.add_text_field(names::LANG, STRING | STORED | FAST);
    let page_count = b.add_u64_field(names::PAGE_COUNT, STORED | FAST);
    let content_hash = b.add_text_field(names::CONTENT_HASH, STRING | STORED | FAST);
    let ingested_at = b.add_date_field(
        names::INGESTED_AT,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    let needs_ocr = b.add_u64_field(names::NEEDS_OCR, INDEXED | STORED | FAST);
    let deleted_id = b.add_text_field(names::DELETED_ID, STRING | FAST);
    let ocr_pages = b.add_u64_field(names::OCR_PAGES, STORED);
    let fields = Fields {
        id,
        collection,
        source_path,
        file_name,
        url,
        title,
        authors,
        advisor,
        institution,
        keywords,
        abstract_text,
        body,
        text_folded,
        passage,
        unit,
        parent,
        to_work,
        passage_page,
        passage_lang,
        year,
        doc_type,
        lang,
        page_count,
        content_hash,
        ingested_at,
        needs_ocr,
        deleted_id,
        ocr_pages,
    };
    (b.build(), fields)
}

impl Fields {
    /// Resolves the handles in an existing index's schema, checking that it is exactly the
    /// schema [`build_schema`] makes.
    pub fn from_schema(schema: &Schema) -> Result<Fields, SchemaMismatch> {
        let (expected, fields) = build_schema();
        for (field, entry) in expected.fields() {
            let name = entry.name();
            match schema.get_field(name) {
                Err(_) => {
                    return Err(SchemaMismatch {
                        field: name.to_string(),
                        problem: "is missing",
                    })
                }
                Ok(f) if f != field || schema.get_field_entry(f) != entry => {
                    return Err(SchemaMismatch {
                        field: name.to_string(),
                        problem: "has other options",
                    })
                }
                Ok(_) => {}
            }
        }
        if schema.num_fields() != expected.num_fields() {
            return Err(SchemaMismatch {
                field: "*".to_string(),
                problem: "count differs",
            });
        }
        Ok(fields)
    }

    /// The metadata text groups a work unit's ranking scores, by name (the abstract is ranked
    /// as a passage).
    pub fn ranked_metadata(&self) -> [(&'static str, TextFields); 5] {
        [
            ("title", self.title),
            ("authors", self.authors),
            ("advisor", self.advisor),
            ("institution", self.institution),
            ("keywords", self.keywords),
        ]
    }

    /// The metadata text groups of a work unit, by name.
    pub fn text_groups(&self) -> [(&'static str, TextFields); 6] {
        [
            ("title", self.title),
            ("authors", self.authors),
            ("advisor", self.advisor),
            ("institution", self.institution),
            ("keywords", self.keywords),
            ("abstract", self.abstract_text),
        ]
    }

    /// Matches every work unit and no passage.
    pub fn works(&self) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.unit, Unit::Work.as_str()),
            IndexRecordOption::Basic,
        )
    }

    /// Matches every tombstone (see the module documentation).
    pub fn tombstones(&self) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.unit, TOMBSTONE),
            IndexRecordOption::Basic,
        )
    }

    /// The tombstone of work `id` of `collection`, deleted at `at` (seconds since the epoch).
    pub fn tombstone(&self, id: &str, collection: &str, at: i64) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.unit, TOMBSTONE);
        d.add_text(self.parent, id);
        d.add_text(self.deleted_id, id);
        d.add_text(self.collection, collection);
        d.add_date(self.ingested_at, DateTime::from_timestamp_secs(at));
        d
    }

    /// Converts a [`Document`] into its units: one tantivy document per passage, then the work
    /// unit (see the module documentation). Write them with [`crate::index::write_document`].
    ///
    /// The stemmed variants are filled only when the document's language is English: Vietnamese
    /// syllables are not English words and the stemmer would conflate unrelated ones.
    pub fn to_tantivy(&self, doc: &Document) -> Vec<TantivyDocument> {
        let english = doc.metadata.language.as_deref() == Some("en");
        let lang = doc.metadata.language.as_deref().unwrap_or("und");
        let add = |d: &mut TantivyDocument, group: &TextFields, text: &str| {
            if text.is_empty() {
                return;
            }
            d.add_text(group.exact, text);
            d.add_text(group.folded, text);
            if let Some(p) = group.pairs {
                d.add_text(p, text);
            }
            if let (true, Some(s)) = (english, group.stem) {
                d.add_text(s, text);
            }
        };
        let passages = crate::passages::of_document(doc);
        let mut units = Vec::with_capacity(passages.len() + 1);
        let n = passages.len() as u64;
        for (i, p) in passages.iter().enumerate() {
            let mut d = TantivyDocument::default();
            d.add_text(self.unit, Unit::Passage.as_str());
            d.add_text(self.parent, &doc.id);
            d.add_u64(self.to_work, n - i as u64);
            d.add_u64(self.passage_page, u64::from(p.page));
            d.add_text(self.passage_lang, lang);
            for part in &p.parts {
                add(&mut d, &self.passage, part);
            }
            units.push(d);
        }
        let mut d = TantivyDocument::default();
        let m = &doc.metadata;
        d.add_text(self.unit, Unit::Work.as_str());
        d.add_text(self.id, &doc.id);
        d.add_text(self.collection, &doc.collection);
        if let Some(p) = &doc.source_path {
            d.add_text(self.source_path, p);
        }
        if let Some(f) = &doc.file_name {
            d.add_text(self.file_name, f);
        }
        if let Some(u) = &m.url {
            d.add_text(self.url, u);
        }
        let add_meta = |d: &mut TantivyDocument, group: &TextFields, text: &str| {
            add(d, group, text);
            if !text.is_empty() {
                d.add_text(self.text_folded, text);
            }
        };
        add_meta(&mut d, &self.title, m.title.as_deref().unwrap_or(""));
        for a in &m.authors {
            add_meta(&mut d, &self.authors, a);
        }
        add_meta(&mut d, &self.advisor, m.advisor.as_deref().unwrap_or(""));
        add_meta(
            &mut d,
            &self.institution,
            m.institution.as_deref().unwrap_or(""),
        );
        for k in &m.keywords {
            add_meta(&mut d, &self.keywords, k);
        }
        add_meta(
            &mut d,
            &self.abstract_text,
            m.abstract_text.as_deref().unwrap_or(""),
        );
        for page in &doc.pages {
            // Every page keeps its slot, even empty, so value i stays page i + 1.
            d.add_text(self.body, &page.text);
            if !page.text.is_empty() {
                d.add_text(self.text_folded, &page.text);
            }
        }
        d.add_i64(self.year, i64::from(m.year.unwrap_or(0)));
        d.add_text(self.doc_type, m.doc_type.as_str());
        d.add_text(self.lang, lang);
        d.add_u64(self.page_count, doc.pages.len() as u64);
        d.add_text(self.content_hash, &doc.content_hash);
        d.add_date(
            self.ingested_at,
            DateTime::from_timestamp_secs(doc.ingested_at),
        );
        d.add_u64(self.needs_ocr, u64::from(doc.needs_ocr()));
        for (i, _) in doc.pages.iter().enumerate().filter(|(_, p)| p.ocr) {
            d.add_u64(self.ocr_pages, i as u64 + 1);
        }
        units.push(d);
        units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_resolves_against_itself() {
        let (schema, fields) = build_schema();
        assert_eq!(Fields::from_schema(&schema).unwrap(), fields);
    }

    #[test]
    fn a_foreign_schema_is_refused() {
        let mut b = Schema::builder();
        b.add_text_field("id", STRING);
        let err = Fields::from_schema(&b.build()).unwrap_err();
        assert!(err.to_string().contains("rebuild the index"), "{err}");
    }
}
