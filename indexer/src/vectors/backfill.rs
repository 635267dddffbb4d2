//! `indexer embed`: vectors for the live works whose content hash the store lacks (documents
//! added before the model was imported, or with `add --no-embed`).
//!
//! The texts are rebuilt from what the index stores (title, keywords, abstract, page texts),
//! which are the very strings ingestion embedded, so a document gets the same vectors either
//! way. Batches are appended and fsynced as they are done: an interrupted run keeps them and a
//! rerun goes on from there.

use std::collections::HashSet;
use std::time::Instant;

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::chunks::{document_texts, EmbedConfig};
use super::embedder::{EmbedStats, Embedder};
use super::writer::Compaction;
use super::VectorError;
use crate::data_dir::DataDir;
use crate::ingest::scan::{for_each_doc, searcher};
use crate::ingest::IngestError;

/// What `indexer embed` does.
#[derive(Debug, Clone, Default)]
pub struct BackfillOptions {
    /// Only this collection's documents.
    pub collection: Option<String>,
    pub config: EmbedConfig,
    /// Threads for the model (0: one per core).
    pub threads: usize,
}

/// Where a run is, for a progress line.
#[derive(Debug, Clone, Copy)]
pub struct BackfillProgress<'a> {
    /// Documents embedded so far, of `total` that lacked vectors.
    pub done: u64,
    pub total: u64,
    pub stats: &'a EmbedStats,
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct BackfillReport {
    /// Live works looked at (of the collection, when one was given).
    pub documents: u64,
    /// Of those, works whose content already had vectors.
    pub had_vectors: u64,
    /// Works embedded by this run.
    pub embedded: u64,
    pub vectors: u64,
    pub tokens: u64,
    /// Seconds in the model, and in all.
    pub embed_seconds: f64,
    pub seconds: f64,
    pub tokens_per_second: f64,
    /// Why the store was emptied first (it held another model's vectors), if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_again: Option<String>,
    /// Documents (content hashes) the store holds now.
    pub store_documents: u64,
    /// The store rewritten without the vectors of content no live work has (changed or
    /// deleted documents), when those were [`ORPHAN_SHARE`] of it or more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compacted: Option<Compaction>,
}

/// Share of the store's documents that no live work has, from which `indexer embed` rewrites
/// the store without them. A changed document leaves its old vectors behind (harmless: nothing
/// points at them), and a library that re-ingests edited theses would otherwise keep growing
/// a file the server maps and an offset table it holds; below this share, rewriting the whole
/// file costs more than the space it frees.
pub const ORPHAN_SHARE: f64 = 0.25;

/// Embeds every live work of the data directory's index (or of one collection) that has no
/// vectors, calling `progress` after each batch. [`VectorError::NoModel`] without a model.
pub fn backfill(
    data_dir: &DataDir,
    opts: &BackfillOptions,
    mut progress: impl FnMut(BackfillProgress<'_>),
) -> Result<BackfillReport, VectorError> {
    let started = Instant::now();
    let Some(mut embedder) = Embedder::open(data_dir, opts.config, opts.threads)? else {
        return Err(VectorError::NoModel {
            path: data_dir.model_dir(),
        });
    };
    let started_again = embedder.store().started_again().map(str::to_string);
    let index_err = |e: IngestError| VectorError::Index(Box::new(e));
    let index =
        crate::index::open(&data_dir.index_dir()).map_err(|e| index_err(IngestError::Index(e)))?;
    let searcher = searcher(&index).map_err(index_err)?;
    let wanted = |collection: &str| opts.collection.as_deref().is_none_or(|c| c == collection);

    // First the hashes to do (a set of strings, not documents: bounded by the index's works),
    // so that progress can give an ETA.
    let mut documents = 0u64;
    let mut had_vectors = 0u64;
    let mut missing: HashSet<String> = HashSet::new();
    // Every live work's content, whatever the collection: what the store must keep.
    let mut live: HashSet<String> = HashSet::new();
    for_each_doc(&searcher, |row| {
        live.insert(row.content_hash.clone());
        if !wanted(&row.collection) {
            return;
        }
        documents += 1;
        if embedder.has(&row.content_hash) {
            had_vectors += 1;
        } else {
            missing.insert(row.content_hash);
        }
    })
    .map_err(index_err)?;
    let total = missing.len() as u64;
    let f = &index.fields;
    let tantivy_err = |what: &str| {
        let what = what.to_string();
        move |e: tantivy::TantivyError| index_err(IngestError::tantivy(what)(e))
    };
    for seg in searcher.segment_readers() {
        if missing.is_empty() {
            break;
        }
        let hashes = seg
            .fast_fields()
            .str("content_hash")
            .map_err(tantivy_err("reading fast field content_hash"))?;
        let Some(hashes) = hashes else { continue };
        let store = seg
            .get_store_reader(4)
            .map_err(|e| tantivy_err("opening stored documents")(e.into()))?;
        let mut hash = String::new();
        for doc in seg.doc_ids_alive() {
            let Some(ord) = hashes.term_ords(doc).next() else {
                continue;
            };
            hash.clear();
            if hashes.ord_to_str(ord, &mut hash).is_err() || !missing.remove(&hash) {
                continue;
            }
            let stored: TantivyDocument = store
                .get(doc)
                .map_err(tantivy_err("reading a stored document"))?;
            let first = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let keywords: Vec<String> = stored
                .get_all(f.keywords.exact)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let pages: Vec<&str> = stored.get_all(f.body).filter_map(|v| v.as_str()).collect();
            let texts = document_texts(
                first(f.title.exact).as_deref(),
                &keywords,
                first(f.abstract_text.exact).as_deref(),
                pages.into_iter(),
                &opts.config,
                embedder.model()?,
            );
            let before = embedder.stats().documents;
            embedder.queue_texts(&hash, texts)?;
            if embedder.stats().documents != before {
                embedder.sync()?;
                progress(BackfillProgress {
                    done: embedder.stats().documents,
                    total,
                    stats: embedder.stats(),
                });
            }
        }
    }
    embedder.sync()?;
    let store = embedder.store();
    let orphans = store.len() - live.iter().filter(|h| store.contains(h)).count();
    let compacted = if orphans > 0 && orphans as f64 >= ORPHAN_SHARE * store.len() as f64 {
        Some(embedder.compact_store(|h| live.contains(h))?)
    } else {
        None
    };
    let stats = embedder.stats().clone();
    progress(BackfillProgress {
        done: stats.documents,
        total,
        stats: &stats,
    });
    Ok(BackfillReport {
        documents,
        had_vectors,
        embedded: stats.documents,
        vectors: stats.vectors,
        tokens: stats.tokens,
        embed_seconds: stats.seconds,
        seconds: started.elapsed().as_secs_f64(),
        tokens_per_second: stats.tokens_per_second(),
        started_again,
        store_documents: embedder.store().len() as u64,
        compacted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, AddOptions};
    use crate::vectors::writer::StoreWriter;
    use crate::vectors::VectorKind;

    /// A model description the store is checked against. Nothing here loads the model: every
    /// live work has vectors, so `backfill` embeds nothing.
    fn describe_model(data: &DataDir) {
        std::fs::create_dir_all(data.model_dir()).unwrap();
        std::fs::write(data.model_dir().join("m.bin"), b"0123").unwrap();
        let info = crate::model::Installed {
            file: "m.bin".into(),
            bytes: 4,
            sha256: "s".into(),
            blake3: "b".into(),
            dim: 8,
            layers: 12,
            vocab: 1,
            max_tokens: 512,
            known_as: None,
            imported_from: "test".into(),
            member: None,
            imported_at: "2026-12-06T00:00:00Z".into(),
        };
        std::fs::write(
            data.model_dir().join(crate::model::INFO_FILE),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn embed_drops_the_vectors_of_content_no_work_has_once_they_are_a_quarter() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path().join("data"));
        let src =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/records/d2l-vi.jsonl");
        let text = std::fs::read_to_string(src).unwrap();
        let file = dir.path().join("r.jsonl");
        std::fs::write(&file, text.lines().take(6).collect::<Vec<_>>().join("\n")).unwrap();
        ingest::add(&data, &AddOptions::new("d2l", vec![file])).unwrap();
        describe_model(&data);
        let index = crate::index::open(&data.index_dir()).unwrap();
        let mut live = Vec::new();
        for_each_doc(&searcher(&index).unwrap(), |row| {
            live.push(row.content_hash)
        })
        .unwrap();
        assert_eq!(live.len(), 6);
        let unit = |i: usize| {
            let mut v = vec![0f32; 8];
            v[i % 8] = 1.0;
            v
        };
        let write = |hashes: &[String]| {
            let mut w = StoreWriter::open(&data, "b", 8).unwrap();
            for (i, h) in hashes.iter().enumerate() {
                w.append(h, &[(VectorKind::Passage { page: 1 }, unit(i))])
                    .unwrap();
            }
            w.sync().unwrap();
        };
        let orphan = |i: usize| format!("orphan-{i}");
        // One orphan of seven: kept (rewriting the file would free little).
        write(&live);
        write(&[orphan(0)]);
        let opts = BackfillOptions::default();
        let report = backfill(&data, &opts, |_| {}).unwrap();
        assert_eq!((report.embedded, report.had_vectors), (0, 6));
        assert!(report.compacted.is_none(), "{report:?}");
        assert_eq!(report.store_documents, 7);
        // Three orphans of nine: the store is rewritten with the six live works' vectors,
        // whatever collection the run was asked for.
        write(&[orphan(1), orphan(2)]);
        let opts = BackfillOptions {
            collection: Some("another".into()),
            ..BackfillOptions::default()
        };
        let report = backfill(&data, &opts, |_| {}).unwrap();
        let c = report.compacted.expect("compacted");
        assert_eq!((c.records_before, c.records_after), (9, 6));
        assert_eq!(report.store_documents, 6);
        let store = crate::vectors::VectorStore::open(&data).unwrap().unwrap();
        assert!(live.iter().all(|h| store.contains(h)));
        assert!(!store.contains(&orphan(0)) && !store.contains(&orphan(2)));
    }
}
