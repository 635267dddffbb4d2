//! The decide stage: what the index already holds under an id or a content hash, and so
//! whether an input is new, changed, unchanged, a duplicate or refused.
//!
//! Lookups go to the index snapshot taken when the run starts (term postings and fast fields),
//! never to a copy of the collection in memory: a collection of a million records would
//! otherwise hold every id and hash at once, which is what made `add` grow with the
//! collection.

use std::collections::HashMap;
use std::path::Path;

use tantivy::columnar::StrColumn;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED};

use super::super::report::Outcome;
use super::super::scan::searcher;
use super::super::IngestError;
use crate::index::SearchIndex;

/// A live work of the index, as the decide stage sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    pub id: String,
    pub collection: String,
    pub content_hash: String,
}

/// What the index held when the run started.
pub(crate) struct Existing {
    searcher: Searcher,
    /// Per segment of the snapshot: its id, collection and content hash columns, opened once
    /// for the run's many lookups.
    columns: Vec<[Option<StrColumn>; 3]>,
    id: Field,
    content_hash: Field,
    source_path: Field,
    collection: String,
}

impl std::fmt::Debug for Existing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Existing")
            .field("collection", &self.collection)
            .finish_non_exhaustive()
    }
}

/// What to do with one catalogue or harvested record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Index it; the outcome is `Added` or `Updated`.
    Write(Outcome),
    /// Already held with the same content hash.
    Unchanged,
    /// Its id belongs to another collection (the reason says which).
    Refused(String),
}

impl Existing {
    pub(crate) fn load(index: &SearchIndex, collection: &str) -> Result<Existing, IngestError> {
        let searcher = searcher(index)?;
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|seg| {
                let col = |name: &str| {
                    seg.fast_fields()
                        .str(name)
                        .map_err(IngestError::tantivy(format!("reading fast field {name}")))
                };
                Ok([col("id")?, col("collection")?, col("content_hash")?])
            })
            .collect::<Result<_, IngestError>>()?;
        Ok(Existing {
            searcher,
            columns,
            id: index.fields.id,
            content_hash: index.fields.content_hash,
            source_path: index.fields.source_path,
            collection: collection.to_string(),
        })
    }

    /// The snapshot the run started from.
    pub(crate) fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The live work with this id, in any collection.
    pub(crate) fn by_id(&self, id: &str) -> Result<Option<Held>, IngestError> {
        Ok(self.find(self.id, id, |_| true)?.into_iter().next())
    }

    /// A live work of this run's collection with this content hash, other than `not_id`.
    pub(crate) fn by_hash(&self, hash: &str, not_id: &str) -> Result<Option<Held>, IngestError> {
        let found = self.find(self.content_hash, hash, |h| {
            h.collection == self.collection && h.id != not_id
        })?;
        Ok(found.into_iter().min_by(|a, b| a.id.cmp(&b.id)))
    }

    /// The stored source path of a live work (a PDF's file), if it has one.
    pub(crate) fn source_path(&self, id: &str) -> Result<Option<String>, IngestError> {
        for (ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            if let Some(&doc) = postings(seg, self.id, id)?.first() {
                let stored: TantivyDocument = self
                    .searcher
                    .doc(tantivy::DocAddress::new(ord as u32, doc))
                    .map_err(IngestError::tantivy("reading a stored document"))?;
                use tantivy::schema::Value;
                return Ok(stored
                    .get_first(self.source_path)
                    .and_then(|v| v.as_str())
                    .map(str::to_string));
            }
        }
        Ok(None)
    }

    /// Decides what to do with a record `id` whose content hashes to `hash`.
    pub(crate) fn decide_record(&self, id: &str, hash: &str) -> Result<Decision, IngestError> {
        Ok(match self.by_id(id)? {
            Some(h) if h.collection != self.collection => Decision::Refused(format!(
                "id {id:?} already belongs to collection {:?}; record ids must be unique across collections",
                h.collection
            )),
            Some(h) if h.content_hash == hash => Decision::Unchanged,
            Some(_) => Decision::Write(Outcome::Updated),
            None => Decision::Write(Outcome::Added),
        })
    }

    /// Live works whose `field` holds `value` and that `keep` accepts.
    fn find(
        &self,
        field: Field,
        value: &str,
        keep: impl Fn(&Held) -> bool,
    ) -> Result<Vec<Held>, IngestError> {
        let mut out = Vec::new();
        for (seg, [ids, colls, hashes]) in self.searcher.segment_readers().iter().zip(&self.columns)
        {
            for doc in postings(seg, field, value)? {
                let held = Held {
                    id: first_str(ids, doc),
                    collection: first_str(colls, doc),
                    content_hash: first_str(hashes, doc),
                };
                // Passages carry no id of their own and tombstones none at all.
                if !held.id.is_empty() && keep(&held) {
                    out.push(held);
                }
            }
        }
        Ok(out)
    }
}

/// The live documents of `seg` whose `field` holds the term `value`.
fn postings(seg: &SegmentReader, field: Field, value: &str) -> Result<Vec<u32>, IngestError> {
    let inverted = seg
        .inverted_index(field)
        .map_err(IngestError::tantivy("reading the term index"))?;
    let term = Term::from_field_text(field, value);
    let Some(mut postings) = inverted
        .read_postings(&term, IndexRecordOption::Basic)
        .map_err(|e| IngestError::tantivy("reading postings")(e.into()))?
    else {
        return Ok(Vec::new());
    };
    let alive = seg.alive_bitset();
    let mut out = Vec::new();
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            out.push(doc);
        }
        doc = postings.advance();
    }
    Ok(out)
}

fn first_str(col: &Option<StrColumn>, doc: u32) -> String {
    let mut s = String::new();
    if let Some(col) = col {
        if let Some(ord) = col.term_ords(doc).next() {
            let _ = col.ord_to_str(ord, &mut s);
        }
    }
    s
}

/// Blake3 hex of the file's bytes, and its size.
pub(crate) fn hash_file(path: &Path) -> Result<(String, u64), std::io::Error> {
    let mut h = blake3::Hasher::new();
    h.update_reader(std::fs::File::open(path)?)?;
    Ok((h.finalize().to_hex().to_string(), h.count()))
}

/// Record ids seen earlier in this run, with where: (index of the record file, line). A
/// record file may repeat an id. Compact on purpose: a run of a million records holds them all.
pub(crate) type Seen = HashMap<Box<str>, (u32, u64)>;
