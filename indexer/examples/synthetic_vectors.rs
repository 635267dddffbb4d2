//! Fills a data directory's vector store with synthetic vectors, one set per content hash of
//! its index, for measuring search *speed* with a model at a scale that would take hours to
//! embed (`bench/server`'s scale mode: 10⁵ records). The imported model still embeds every
//! query; only the documents' vectors are made up, so what is measured is the cost of scoring
//! them, not the quality of the ranking.
//!
//! Usage: `synthetic_vectors DATA_DIR [VECTORS_PER_DOCUMENT]` (default 5: a meta vector and
//! four passages, about what a catalogue record with a full text gets). The model must have
//! been imported (`indexer model import`), so that the store is the model's.

use std::path::PathBuf;

use indexer::data_dir::DataDir;
use indexer::schema::names;
use indexer::vectors::store::VectorKind;
use indexer::vectors::writer::StoreWriter;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: synthetic_vectors DATA_DIR [N]"))?,
    );
    let per_doc: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let data = DataDir::new(&dir);
    let installed = indexer::model::installed(&data)?
        .ok_or_else(|| anyhow::anyhow!("no model imported in {}", dir.display()))?;
    let index = indexer::index::open(&data.index_dir())?;
    let searcher = index.index.reader()?.searcher();
    let mut store = StoreWriter::open(&data, &installed.blake3, installed.dim)?;
    // xorshift: the same vectors on every run.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32 - 0.5
    };
    let mut unit = |dim: usize| {
        let v: Vec<f32> = (0..dim).map(|_| next()).collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
    };
    let mut added = 0usize;
    let mut hash = String::new();
    for seg in searcher.segment_readers() {
        let Some(column) = seg.fast_fields().str(names::CONTENT_HASH)? else {
            continue;
        };
        for ord in 0..column.num_terms() as u64 {
            hash.clear();
            column.ord_to_str(ord, &mut hash)?;
            if store.contains(&hash) {
                continue;
            }
            let vectors: Vec<(VectorKind, Vec<f32>)> = (0..per_doc)
                .map(|i| {
                    let kind = if i == 0 {
                        VectorKind::Meta
                    } else {
                        VectorKind::Passage { page: 1 }
                    };
                    (kind, unit(installed.dim))
                })
                .collect();
            store.append(&hash, &vectors)?;
            added += 1;
        }
    }
    store.sync()?;
    eprintln!(
        "{added} documents given {per_doc} synthetic vectors; the store holds {}",
        store.len()
    );
    Ok(())
}
