//! Reading what the index already holds from its fast fields, without loading stored documents
//! (their page texts are most of the index): change detection, collection listing and stats.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocId, Searcher, SegmentReader};

use super::IngestError;
use crate::index::SearchIndex;

/// The fast-field values of one live document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocRow {
    pub id: String,
    pub collection: String,
    pub content_hash: String,
    pub pages: u64,
    pub needs_ocr: bool,
    /// Unix seconds.
    pub ingested_at: i64,
    pub lang: String,
    pub doc_type: String,
}

/// A text fast field with its few distinct values cached (collection, lang, doc_type repeat a
/// lot; looking each up in the dictionary again would dominate the scan).
struct CachedStr {
    column: Option<StrColumn>,
    cache: HashMap<u64, String>,
}

impl CachedStr {
    fn new(seg: &SegmentReader, name: &str) -> Result<CachedStr, IngestError> {
        let column = seg
            .fast_fields()
            .str(name)
            .map_err(IngestError::tantivy(format!("reading fast field {name}")))?;
        Ok(CachedStr {
            column,
            cache: HashMap::new(),
        })
    }

    fn get(&mut self, doc: DocId, cache: bool) -> String {
        let Some(col) = &self.column else {
            return String::new();
        };
        let Some(ord) = col.term_ords(doc).next() else {
            return String::new();
        };
        if cache {
            if let Some(s) = self.cache.get(&ord) {
                return s.clone();
            }
        }
        let mut s = String::new();
        let _ = col.ord_to_str(ord, &mut s);
        if cache {
            self.cache.insert(ord, s.clone());
        }
        s
    }
}

/// Calls `f` for every live work (not its passages or tombstones) of the searcher's snapshot.
pub fn for_each_doc(searcher: &Searcher, mut f: impl FnMut(DocRow)) -> Result<(), IngestError> {
    for seg in searcher.segment_readers() {
        let mut id = CachedStr::new(seg, "id")?;
        let mut collection = CachedStr::new(seg, "collection")?;
        let mut hash = CachedStr::new(seg, "content_hash")?;
        let mut lang = CachedStr::new(seg, "lang")?;
        let mut doc_type = CachedStr::new(seg, "doc_type")?;
        let ff = seg.fast_fields();
        let err = |n: &str| IngestError::tantivy(format!("reading fast field {n}"));
        let pages = ff.u64("page_count").map_err(err("page_count"))?;
        let ocr = ff.u64("needs_ocr").map_err(err("needs_ocr"))?;
        let date = ff.date("ingested_at").map_err(err("ingested_at"))?;
        // Only passage units have a `to_work`.
        let to_work = ff.u64("to_work").map_err(err("to_work"))?;
        for doc in seg.doc_ids_alive() {
            if to_work.first(doc).is_some() {
                continue;
            }
            // Tombstones of deleted works have no `id`.
            let id = id.get(doc, false);
            if id.is_empty() {
                continue;
            }
            f(DocRow {
                id,
                collection: collection.get(doc, true),
                content_hash: hash.get(doc, false),
                pages: pages.first(doc).unwrap_or(0),
                needs_ocr: ocr.first(doc).unwrap_or(0) != 0,
                ingested_at: date.first(doc).map_or(0, |d| d.into_timestamp_secs()),
                lang: lang.get(doc, true),
                doc_type: doc_type.get(doc, true),
            });
        }
    }
    Ok(())
}

/// The ids of the live works `query` matches.
pub fn matching_ids(searcher: &Searcher, query: &dyn Query) -> Result<Vec<String>, IngestError> {
    let found = searcher
        .search(query, &DocSetCollector)
        .map_err(IngestError::tantivy("finding documents"))?;
    let mut ids = Vec::with_capacity(found.len());
    let mut columns: HashMap<u32, CachedStr> = HashMap::new();
    for addr in found {
        let seg = searcher.segment_reader(addr.segment_ord);
        let col = match columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(CachedStr::new(seg, "id")?),
        };
        let id = col.get(addr.doc_id, false);
        if !id.is_empty() {
            ids.push(id);
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A fresh searcher on the last commit.
pub fn searcher(index: &SearchIndex) -> Result<Searcher, IngestError> {
    let reader = index
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(IngestError::tantivy("opening an index reader"))?;
    Ok(reader.searcher())
}

/// One row of `indexer collections` and of the server's `/api/collections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionInfo {
    pub name: String,
    pub documents: u64,
    pub pages: u64,
    /// When a document of the collection was last (re)indexed, RFC 3339 UTC.
    pub updated: String,
}

/// Every collection of the index with its size and last update, sorted by name.
pub fn collections(index: &SearchIndex) -> Result<Vec<CollectionInfo>, IngestError> {
    let mut by_name: BTreeMap<String, (u64, u64, i64)> = BTreeMap::new();
    for_each_doc(&searcher(index)?, |row| {
        let e = by_name.entry(row.collection).or_default();
        e.0 += 1;
        e.1 += row.pages;
        e.2 = e.2.max(row.ingested_at);
    })?;
    Ok(by_name
        .into_iter()
        .map(|(name, (documents, pages, updated))| CollectionInfo {
            name,
            documents,
            pages,
            updated: rfc3339(updated),
        })
        .collect())
}

/// Figures of `indexer stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    pub documents: u64,
    pub pages: u64,
    pub collections: u64,
    pub needs_ocr: u64,
    /// Documents per language code (`und` when undetermined).
    pub languages: BTreeMap<String, u64>,
    pub doc_types: BTreeMap<String, u64>,
    /// Bytes of all files in the index directory.
    pub index_bytes: u64,
}

/// Counts over the whole index; `index_dir` is measured on disk.
pub fn stats(index: &SearchIndex, index_dir: &Path) -> Result<IndexStats, IngestError> {
    let mut s = IndexStats::default();
    let mut collections = std::collections::HashSet::new();
    for_each_doc(&searcher(index)?, |row| {
        s.documents += 1;
        s.pages += row.pages;
        s.needs_ocr += u64::from(row.needs_ocr);
        *s.languages.entry(row.lang).or_default() += 1;
        *s.doc_types.entry(row.doc_type).or_default() += 1;
        collections.insert(row.collection);
    })?;
    s.collections = collections.len() as u64;
    s.index_bytes = dir_size(index_dir);
    Ok(s)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| if m.is_file() { m.len() } else { 0 })
                .sum()
        })
        .unwrap_or(0)
}

/// Unix seconds as an RFC 3339 UTC timestamp, `1970-01-01T00:00:00Z`.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (H. Hinnant), valid for every date tantivy can store.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599), "2025-12-31T23:59:59Z");
    }
}
