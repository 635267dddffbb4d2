//! The document cache: stored documents with the folded copies of their pages, so a document
//! that comes back for many queries is decompressed, deserialised and folded once. Bounded in
//! bytes, and pruned of segments a merge removed, which keeps memory flat under steady uploads.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use indexer::schema::Fields;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Searcher};

use super::StoredDoc;
use crate::error::AppError;
use crate::text::fold_lower;

/// Stored documents with the folded copies of their pages, by segment and doc id (stable:
/// segments never change), bounded in bytes and cleared when full (simple, and the working set
/// of a search server is small next to the budget). A hit then costs no decompression,
/// deserialisation or folding once its document has been seen.
///
/// Entries of segments the index no longer has are dropped when a newer searcher generation
/// is first seen: every commit can merge segments (with tantivy's default merge policy, every
/// segment under 10,000 documents is in the same level, so about every eighth upload merges
/// the whole index into a new segment), and the documents then come back under new keys.
/// Without the pruning the dead copies piled up to the whole budget under steady uploads.
#[derive(Debug)]
pub struct DocCache {
    budget: usize,
    inner: Mutex<Cached>,
}

/// A stored document and its pages folded.
#[derive(Debug)]
pub struct CachedDoc {
    pub doc: StoredDoc,
    pub folded: Vec<String>,
}

/// The entries with their accounted sizes, the sum of those sizes, and the newest searcher
/// generation seen (whose segments the entries belong to).
#[derive(Debug, Default)]
struct Cached {
    bytes: usize,
    generation: u64,
    docs: HashMap<(SegmentId, DocId), (usize, Arc<CachedDoc>)>,
}

impl DocCache {
    pub fn new(budget: usize) -> DocCache {
        DocCache {
            budget,
            inner: Mutex::new(Cached::default()),
        }
    }

    /// The document at `addr`, loaded and folded once.
    pub fn load(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        addr: DocAddress,
    ) -> Result<Arc<CachedDoc>, AppError> {
        let key = (
            searcher.segment_reader(addr.segment_ord).segment_id(),
            addr.doc_id,
        );
        if let Ok(mut g) = self.inner.lock() {
            // Generation ids only grow; a request still holding an older searcher must not
            // prune what the newer one uses.
            let generation = searcher.generation().generation_id();
            if generation > g.generation {
                g.generation = generation;
                let live: HashSet<SegmentId> = searcher
                    .segment_readers()
                    .iter()
                    .map(|r| r.segment_id())
                    .collect();
                g.docs.retain(|(segment, _), _| live.contains(segment));
                g.bytes = g.docs.values().map(|(size, _)| size).sum();
            }
            if let Some((_, v)) = g.docs.get(&key) {
                return Ok(v.clone());
            }
        }
        let doc = super::load(searcher, fields, addr)?;
        let folded: Vec<String> = doc.pages.iter().map(|p| fold_lower(p)).collect();
        let size = 2 * folded.iter().map(String::len).sum::<usize>() + 1024;
        let entry = Arc::new(CachedDoc { doc, folded });
        if let Ok(mut g) = self.inner.lock() {
            if g.bytes + size > self.budget {
                g.docs.clear();
                g.bytes = 0;
            }
            if size <= self.budget {
                g.bytes += size;
                g.docs.insert(key, (size, entry.clone()));
            }
        }
        Ok(entry)
    }

    /// Number of cached documents (what the tests look at).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().map(|g| g.docs.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page document with `text`.
    fn doc(id: &str, text: &str) -> indexer::doc::Document {
        indexer::doc::Document {
            id: id.into(),
            collection: "c".into(),
            pages: vec![indexer::doc::Page {
                text: text.into(),
                no_text: false,
                ocr: false,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn doc_cache_drops_documents_of_merged_segments() {
        let index = indexer::index::create_in_ram();
        let fields = &index.fields;
        let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
            index.index.writer_with_num_threads(1, 20 << 20).unwrap();
        let reader = index
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .unwrap();
        // Two commits, two segments, as two uploads make.
        for (id, text) in [("a", "đường giao thông"), ("b", "dương xỉ")] {
            indexer::index::write_document(&writer, fields, &doc(id, text)).unwrap();
            writer.commit().unwrap();
        }
        reader.reload().unwrap();
        let old = reader.searcher();
        assert_eq!(old.segment_readers().len(), 2);
        let cache = DocCache::new(1 << 20);
        // Each work is its passage, then its work unit.
        let addrs = |s: &Searcher| -> Vec<DocAddress> {
            (0..s.segment_readers().len() as u32)
                .map(|seg| DocAddress::new(seg, 1))
                .collect()
        };
        for a in addrs(&old) {
            cache.load(&old, fields, a).unwrap();
        }
        assert_eq!(cache.len(), 2);

        // The merge gives both documents a new segment: their old entries are dead.
        let ids = index.index.searchable_segment_ids().unwrap();
        writer.merge(&ids).wait().unwrap();
        reader.reload().unwrap();
        let new = reader.searcher();
        assert_eq!(new.segment_readers().len(), 1);
        let addr = DocAddress::new(0, 1);
        let got = cache.load(&new, fields, addr).unwrap();
        assert_eq!(cache.len(), 1, "entries of the merged segments are dropped");
        assert!(["a", "b"].contains(&got.doc.id.as_str()));
        cache.load(&new, fields, DocAddress::new(0, 3)).unwrap();
        assert_eq!(cache.len(), 2);

        // A request still holding the older searcher does not prune the newer entries.
        cache.load(&old, fields, addrs(&old)[0]).unwrap();
        assert_eq!(cache.len(), 3);
        cache.load(&new, fields, addr).unwrap();
        assert_eq!(cache.len(), 3, "the straggler goes at the next generation");
    }
}
