//! The documents' vectors of one index generation, reachable from tantivy's document
//! addresses, and scored the way that measured best across languages (bench/relevance/D2L.md).
//!
//! Vectors are kept by content hash (`indexer::vectors`), works are found by address: the
//! `content_hash` fast field joins them. Its dictionary is read once per generation into one
//! table per segment (term ordinal → hash), so looking a work up is two array reads and a
//! hash-map probe in the store.
//!
//! Scoring: every vector is centred on the mean passage vector of its document's language (the
//! model puts all texts of one language near one point; without it, any text in the query's
//! language outranks the translation it is looking for), the query on half the mean of its own
//! language; a document scores [`META_WEIGHT`] of its meta vector's cosine and the rest of its
//! best passage's.

use std::collections::HashMap;
use std::sync::Mutex;

use indexer::data_dir::DataDir;
use indexer::schema::{names, Fields};
use indexer::vectors::quant;
use indexer::vectors::{Centre, DocScore, QueryVector, VectorStore};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use crate::error::AppError;

/// The meta vector's share of a document's score (title, keywords and abstract, or the
/// opening of a text without them), the best passage's the rest.
pub const META_WEIGHT: f32 = 0.3;
/// How much of the mean of its own language a query loses.
const QUERY_CENTRING: f32 = 0.5;

/// [`Vectors::nearest`] over more works than this many per work asked (and at least
/// [`SHORTLIST_MIN`]) first scores their meta vectors alone, then scores in full only the best
/// of those: at 10⁵ works a full pass is five times the dot products and held a search without
/// a `lang` filter (which looks for the other language's nearest) at a p99 of 150 ms.
const SHORTLIST_PER_HIT: usize = 10;
/// The fewest works the first pass of [`Vectors::nearest`] keeps.
const SHORTLIST_MIN: usize = 300;
/// Over more admitted works than this many times the shortlist, the first pass is itself
/// shortlisted by sign codes ([`quant::sign_bits`]): their Hamming distance to the query's
/// keeps this many times the shortlist for the dot products. At 10⁵ works the dot products
/// were most of a search's own-language pass (p50 7.5, p90 22 ms on two busy cores).
const COARSE_PER_SHORTLIST: usize = 8;

/// The vectors of one generation.
pub struct Vectors {
    pub(super) store: VectorStore,
    /// Per segment (by ordinal): its `content_hash` column, and the hash of each term ordinal
    /// of it, read once per generation.
    hash_columns: Vec<Option<StrColumn>>,
    hashes: Vec<Vec<Box<str>>>,
    /// Each work's language.
    pub(super) langs: Languages,
    /// Per language of the library: the mean of its documents' passage vectors.
    pub(super) means: HashMap<String, Vec<f32>>,
    /// Per language: its live works' meta vectors, for the first pass of [`Vectors::nearest`].
    pub(super) metas: HashMap<String, MetaTable>,
    /// Each work asked about so far, with the language asked for, and its translation there
    /// when it has one (`super::translations`): found on first use, then kept for the
    /// generation.
    pub(super) translations: Mutex<HashMap<(DocAddress, String), Option<DocAddress>>>,
    /// The index's fields, for the texts a link may compare.
    pub(super) fields: Fields,
}

/// One language's live works with a meta vector (every work with vectors has one: its title,
/// keywords and abstract, or its opening): the vectors copied side by side, and what centring
/// on the language's mean divides each cosine by, which depends on the generation, not on the
/// query. The first pass of a search over 10⁵ works is then one dot product a work over
/// contiguous memory: 70,000 meta vectors read from the store's map, one record apart, took
/// 17 to 60 ms; side by side they take a few. It costs the vector's bytes a work (38 MB at
/// 10⁵ works of 384 dimensions).
#[derive(Default)]
pub(super) struct MetaTable {
    pub(super) addrs: Vec<DocAddress>,
    pub(super) scales: Vec<f32>,
    /// 1 / |p − m| (1 without a mean).
    inv_norms: Vec<f32>,
    /// The quantized vectors, `dim` bytes each, in the order of `addrs`.
    pub(super) bytes: Vec<u8>,
    /// The sign code of each centred vector (`p − m`), [`quant::sign_words`] each, in the
    /// order of `addrs`: the coarse pass of a large language.
    codes: Vec<u64>,
}

impl MetaTable {
    /// The `keep` rows (of those `bits` admits, or all) with the highest centred cosine to
    /// `query` (`qm`: its dot product with the language's mean), unordered, each with that
    /// cosine. Over more than `coarse` rows, the sign codes' Hamming distance to the query's
    /// first keeps `coarse`.
    pub(super) fn best(
        &self,
        bits: Option<&[Vec<u64>]>,
        query: &QueryVector,
        qm: f32,
        keep: usize,
        coarse: usize,
    ) -> Vec<(f32, usize)> {
        if keep == 0 {
            return Vec::new();
        }
        let dim = query.dim();
        let admit = |i: usize| bits.is_none_or(|b| admitted(b, self.addrs[i]));
        let code = query.sign_code();
        let words = quant::sign_words(dim);
        let rows = quant::nearest_codes(&self.codes, words, &code, coarse, admit);
        let mut scored: Vec<(f32, usize)> = rows
            .into_iter()
            .map(|i| {
                let v = &self.bytes[i * dim..(i + 1) * dim];
                let s = (quant::cosine(self.scales[i], v, query) - qm) * self.inv_norms[i];
                (s, i)
            })
            .collect();
        if scored.len() > keep {
            scored.select_nth_unstable_by(keep - 1, |x, y| {
                y.0.total_cmp(&x.0)
                    .then(self.addrs[x.1].cmp(&self.addrs[y.1]))
            });
            scored.truncate(keep);
        }
        scored
    }
}

/// Per segment, the documents a filter admits, as bits: what the first pass checks each work
/// of a language's table against.
pub(super) struct Admitted;

pub(super) struct SegmentAdmitted {
    segment: u32,
    bits: Vec<u64>,
}

impl Collector for Admitted {
    type Fruit = Vec<Vec<u64>>;
    type Child = SegmentAdmitted;

    fn for_segment(
        &self,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentAdmitted> {
        Ok(SegmentAdmitted {
            segment,
            bits: vec![0; (reader.max_doc() as usize).div_ceil(64)],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u32, Vec<u64>)>) -> tantivy::Result<Vec<Vec<u64>>> {
        let mut out = vec![
            Vec::new();
            fruits
                .iter()
                .map(|(s, _)| *s as usize + 1)
                .max()
                .unwrap_or(0)
        ];
        for (segment, bits) in fruits {
            out[segment as usize] = bits;
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentAdmitted {
    type Fruit = (u32, Vec<u64>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.bits[doc as usize / 64] |= 1 << (doc % 64);
    }

    fn harvest(self) -> (u32, Vec<u64>) {
        (self.segment, self.bits)
    }
}

pub(super) fn admitted(bits: &[Vec<u64>], addr: DocAddress) -> bool {
    bits.get(addr.segment_ord as usize)
        .and_then(|b| b.get(addr.doc_id as usize / 64))
        .is_some_and(|w| w & (1 << (addr.doc_id % 64)) != 0)
}

impl std::fmt::Debug for Vectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vectors")
            .field("documents", &self.store.len())
            .field("languages", &self.means.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The `name` column of each segment of `searcher`.
fn columns(searcher: &Searcher, name: &str) -> Result<Vec<Option<StrColumn>>, AppError> {
    searcher
        .segment_readers()
        .iter()
        .map(|seg| Ok(seg.fast_fields().str(name)?))
        .collect()
}

/// Each segment's `lang` dictionary, read once: a work's language is then an ordinal looked up,
/// not a dictionary read and a string made per work (at 10⁵ works that was most of the 0.6 s
/// a generation's meta tables took).
pub(super) struct Languages {
    columns: Vec<Option<StrColumn>>,
    names: Vec<Vec<String>>,
}

impl Languages {
    fn new(searcher: &Searcher) -> Result<Languages, AppError> {
        let columns = columns(searcher, names::LANG)?;
        let mut names = Vec::with_capacity(columns.len());
        for column in &columns {
            let seg = match column {
                Some(c) => {
                    terms(c, |t| t.to_string()).map_err(AppError::internal("reading languages"))?
                }
                None => Vec::new(),
            };
            names.push(seg);
        }
        Ok(Languages { columns, names })
    }

    pub(super) fn of(&self, addr: DocAddress) -> Option<&str> {
        let seg = addr.segment_ord as usize;
        let ord = self
            .columns
            .get(seg)?
            .as_ref()?
            .term_ords(addr.doc_id)
            .next()?;
        self.names.get(seg)?.get(ord as usize).map(String::as_str)
    }
}

/// Every term of a string column, in the order of their ordinals, each made by `make`: one pass
/// over the column's dictionary. (`ord_to_str` decodes a term's block from its start, so
/// asking for each ordinal in turn costs the square of the block's length.)
fn terms<T>(column: &StrColumn, make: impl Fn(&str) -> T) -> std::io::Result<Vec<T>> {
    let mut out = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        let term = std::str::from_utf8(stream.key())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        out.push(make(term));
    }
    Ok(out)
}

/// `v` scaled to length 1 (a zero vector stays zero).
pub(super) fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

/// A query prepared for scoring documents of one language.
#[derive(Debug)]
pub struct Prepared {
    query: QueryVector,
    centre: Option<Centre>,
}

impl Vectors {
    /// The store as it is now, joined to `searcher`'s segments; `None` without vectors.
    pub(super) fn open(
        data_dir: &DataDir,
        searcher: &Searcher,
    ) -> Result<Option<Vectors>, AppError> {
        let Some(store) =
            VectorStore::open(data_dir).map_err(AppError::internal("opening the vectors"))?
        else {
            return Ok(None);
        };
        let hash_columns = columns(searcher, names::CONTENT_HASH)?;
        let mut hashes = Vec::new();
        for column in &hash_columns {
            let table = match column {
                Some(col) => terms(col, |t| Box::<str>::from(t))
                    .map_err(AppError::internal("reading content hashes"))?,
                None => Vec::new(),
            };
            hashes.push(table);
        }
        let mut v = Vectors {
            store,
            hash_columns,
            hashes,
            langs: Languages::new(searcher)?,
            means: HashMap::new(),
            metas: HashMap::new(),
            translations: Mutex::new(HashMap::new()),
            fields: Fields::from_schema(searcher.schema())
                .map_err(AppError::internal("reading the index's fields"))?,
        };
        v.means = v.language_means(searcher);
        v.metas = v.meta_tables(searcher);
        Ok(Some(v))
    }

    /// Each language's [`MetaTable`] (after [`Vectors::language_means`]).
    fn meta_tables(&self, searcher: &Searcher) -> HashMap<String, MetaTable> {
        let mut tables: HashMap<String, MetaTable> = HashMap::new();
        let means: HashMap<&str, (QueryVector, Centre)> = self
            .means
            .iter()
            // A centre for any query: only its norm_after is used here.
            .map(|(l, m)| (l.as_str(), (QueryVector::new(m), Centre::new(m, m))))
            .collect();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc in seg.doc_ids_alive() {
                let addr = DocAddress::new(ord as u32, doc);
                let Some(meta) = self.hash(addr).and_then(|h| self.store.meta_ref(h)) else {
                    continue;
                };
                let Some(lang) = self.langs.of(addr) else {
                    continue;
                };
                let inv_norm = means.get(lang).map_or(1.0, |(mean, centre)| {
                    1.0 / centre.norm_after(self.store.meta_cosine(meta, mean))
                });
                let (scale, bytes) = self.store.meta_vector(meta);
                let mean = self.means.get(lang).map_or(&[][..], Vec::as_slice);
                let centred = quant::dequantized(scale, bytes)
                    .zip(mean.iter().chain(std::iter::repeat(&0.0)))
                    .map(|(x, m)| x - m);
                if !tables.contains_key(lang) {
                    tables.insert(lang.to_string(), MetaTable::default());
                }
                let t = tables.get_mut(lang).expect("inserted above");
                t.addrs.push(addr);
                t.scales.push(scale);
                t.inv_norms.push(inv_norm);
                t.bytes.extend_from_slice(bytes);
                quant::sign_bits(centred, &mut t.codes);
            }
        }
        tables
    }

    /// The mean passage vector of each language's live works.
    fn language_means(&self, searcher: &Searcher) -> HashMap<String, Vec<f32>> {
        let dim = self.store.dim();
        let mut sums: HashMap<String, (Vec<f64>, usize)> = HashMap::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc in seg.doc_ids_alive() {
                let addr = DocAddress::new(ord as u32, doc);
                let Some(hash) = self.hash(addr) else {
                    continue;
                };
                let Some(lang) = self.langs.of(addr) else {
                    continue;
                };
                if !sums.contains_key(lang) {
                    sums.insert(lang.to_string(), (vec![0.0; dim], 0));
                }
                let (sum, n) = sums.get_mut(lang).expect("inserted above");
                *n += self.store.add_passages(hash, sum).unwrap_or(0);
            }
        }
        sums.into_iter()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(l, (sum, n))| (l, sum.iter().map(|s| (s / n as f64) as f32).collect()))
            .collect()
    }

    /// Documents (content hashes) with vectors.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    pub(super) fn hash(&self, addr: DocAddress) -> Option<&str> {
        let seg = addr.segment_ord as usize;
        let ord = self
            .hash_columns
            .get(seg)?
            .as_ref()?
            .term_ords(addr.doc_id)
            .next()?;
        self.hashes.get(seg)?.get(ord as usize).map(|h| &**h)
    }

    /// `query` (in `query_lang`) made ready to score documents in `doc_lang`.
    pub fn prepare(&self, query: &[f32], query_lang: &str, doc_lang: &str) -> Prepared {
        let q = match self.means.get(query_lang) {
            Some(m) => normalised(
                query
                    .iter()
                    .zip(m)
                    .map(|(q, m)| q - QUERY_CENTRING * m)
                    .collect(),
            ),
            None => query.to_vec(),
        };
        Prepared {
            centre: self.means.get(doc_lang).map(|m| Centre::new(m, &q)),
            query: QueryVector::new(&q),
        }
    }

    fn doc_score(&self, hash: &str, p: &Prepared) -> Option<DocScore> {
        match &p.centre {
            Some(c) => self.store.score_centred(hash, &p.query, c),
            None => self.store.score_query(hash, &p.query),
        }
    }

    fn score(&self, hash: &str, p: &Prepared) -> Option<f32> {
        Some(self.doc_score(hash, p)?.combined(META_WEIGHT))
    }

    /// The model's similarity of `query` (a unit vector in `query_lang`) to each work of
    /// `works` (its address, and the page of its best passage by the words when one scored),
    /// each scored against its own language's centre.
    ///
    /// `None` for a work without vectors, and for a work whose best passage by the words lies
    /// past the pages the model read of it (a long thesis beyond its token budget): the model
    /// never saw what the words found there, so its cosine would count against the work as if
    /// it were evidence. Someone recalling a table on page 36 of a report found it by the words
    /// and lost it to short records the model had read whole (bench/relevance/HYBRID.md).
    pub fn cosines(
        &self,
        works: &[(DocAddress, Option<u32>)],
        query: &[f32],
        query_lang: &str,
    ) -> Vec<Option<f32>> {
        let mut prepared: HashMap<&str, Prepared> = HashMap::new();
        works
            .iter()
            .map(|&(addr, page)| {
                let hash = self.hash(addr)?;
                let lang = self.langs.of(addr).unwrap_or("");
                let p = prepared
                    .entry(lang)
                    .or_insert_with(|| self.prepare(query, query_lang, lang));
                let s = self.doc_score(hash, p)?;
                let unread = matches!(page, Some(page) if s.last_page > 0 && page > s.last_page);
                (!unread).then(|| s.combined(META_WEIGHT))
            })
            .collect()
    }

    /// The `k` works that `filter` admits nearest to `query` (a unit vector in `query_lang`;
    /// the works all in `doc_lang`), best first. Exact: every admitted work with vectors is
    /// scored (int8 dot products over memory-mapped vectors).
    pub fn nearest(
        &self,
        searcher: &Searcher,
        filter: &dyn Query,
        query: &[f32],
        query_lang: &str,
        doc_lang: &str,
        k: usize,
    ) -> Result<Vec<(DocAddress, f32)>, AppError> {
        if k == 0 {
            return Ok(Vec::new());
        }
        let prepared = self.prepare(query, query_lang, doc_lang);
        let shortlist = k.saturating_mul(SHORTLIST_PER_HIT).max(SHORTLIST_MIN);
        let works: Vec<DocAddress> = match self.metas.get(doc_lang) {
            Some(table) if table.addrs.len() > shortlist => {
                let bits = searcher.search(filter, &Admitted)?;
                let qm = prepared.centre.as_ref().map_or(0.0, Centre::query_dot_mean);
                let coarse = shortlist.saturating_mul(COARSE_PER_SHORTLIST);
                table
                    .best(Some(&bits), &prepared.query, qm, shortlist, coarse)
                    .into_iter()
                    .map(|(_, i)| table.addrs[i])
                    .collect()
            }
            _ => searcher
                .search(filter, &DocSetCollector)?
                .into_iter()
                .collect(),
        };
        let mut scored: Vec<(DocAddress, f32)> = works
            .into_iter()
            .filter_map(|a| {
                let h = self.hash(a)?;
                Some((a, self.score(h, &prepared)?))
            })
            .collect();
        let by_score =
            |x: &(DocAddress, f32), y: &(DocAddress, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        Ok(scored)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use indexer::ingest::{self, AddOptions};
    use indexer::vectors::writer::StoreWriter;
    use indexer::vectors::VectorKind;
    use tantivy::query::AllQuery;

    /// A library of `n` Vietnamese records cut from the bundled d2l-vi sections (real text),
    /// a model description (the store is the model's; nothing here loads the model), and
    /// made-up vectors for each record: the first pass is checked for what it selects, not
    /// for what the model would say.
    pub(crate) fn library(dir: &std::path::Path, n: usize) -> (DataDir, Vec<Vec<f32>>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text: String = std::fs::read_to_string(root.join("corpus/records/d2l-vi.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["text"].as_str().unwrap_or_default().to_string()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = text.split_whitespace().collect();
        let records: String = (0..n)
            .map(|i| {
                let at = (i * 37) % (words.len() - 60);
                let r = serde_json::json!({
                    "id": format!("r{i}"),
                    "language": "vi",
                    "title": words[at..at + 8].join(" "),
                    "text": words[at..at + 60].join(" "),
                });
                format!("{r}\n")
            })
            .collect();
        let data = ingested(dir, &records);
        // Deterministic pseudo-random unit vectors, two a record (meta, passage).
        let mut noise = Noise(0x2545_F491_4F6C_DD1D);
        let mut unit = || unit(noise.vector());
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let mut w = StoreWriter::open(&data, "b", 384).unwrap();
        let mut metas = Vec::new();
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().str(names::CONTENT_HASH).unwrap().unwrap();
            for h in terms(&col, |t| t.to_string()).unwrap() {
                let meta = unit();
                w.append(
                    &h,
                    &[
                        (VectorKind::Meta, meta.clone()),
                        (VectorKind::Passage { page: 1 }, unit()),
                    ],
                )
                .unwrap();
                metas.push(meta);
            }
        }
        w.sync().unwrap();
        (data, metas)
    }

    /// A data directory under `dir` with `records` (JSON lines) ingested and a model
    /// described.
    pub(crate) fn ingested(dir: &std::path::Path, records: &str) -> DataDir {
        let file = dir.join("records.jsonl");
        std::fs::write(&file, records).unwrap();
        let data = DataDir::new(dir.join("data"));
        ingest::add(&data, &AddOptions::new("t", vec![file])).unwrap();
        describe_model(&data);
        data
    }

    /// Deterministic pseudo-random vectors of 384 components (xorshift).
    pub(crate) struct Noise(pub(crate) u64);

    impl Noise {
        pub(crate) fn vector(&mut self) -> Vec<f32> {
            (0..384)
                .map(|_| {
                    self.0 ^= self.0 << 13;
                    self.0 ^= self.0 >> 7;
                    self.0 ^= self.0 << 17;
                    (self.0 >> 11) as f32 / (1u64 << 53) as f32 - 0.5
                })
                .collect()
        }
    }

    /// `v` scaled to length 1.
    pub(crate) fn unit(v: Vec<f32>) -> Vec<f32> {
        super::normalised(v)
    }

    /// A model description in `data` that a vector store can be checked against (nothing in
    /// these tests loads the model).
    pub(crate) fn describe_model(data: &DataDir) {
        std::fs::create_dir_all(data.model_dir()).unwrap();
        std::fs::write(data.model_dir().join("m.bin"), b"0123").unwrap();
        let info = indexer::model::Installed {
            file: "m.bin".into(),
            bytes: 4,
            sha256: "s".into(),
            blake3: "b".into(),
            dim: 384,
            layers: 12,
            vocab: 1,
            max_tokens: 512,
            known_as: None,
            imported_from: "test".into(),
            member: None,
            imported_at: "2026-12-05T00:00:00Z".into(),
        };
        std::fs::write(
            data.model_dir().join(indexer::model::INFO_FILE),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
    }

    /// The vectors of `data` joined to `searcher`.
    pub(crate) fn open(data: &DataDir, searcher: &Searcher) -> Vectors {
        Vectors::open(data, searcher).unwrap().unwrap()
    }

    /// The works that have vectors, each with its meta vector.
    pub(crate) fn embedded(v: &Vectors, searcher: &Searcher) -> Vec<(DocAddress, Vec<f32>)> {
        let segments = searcher.segment_readers().iter().enumerate();
        segments
            .flat_map(|(s, seg)| (0..seg.max_doc()).map(move |d| DocAddress::new(s as u32, d)))
            .filter_map(|a| {
                let stored = v.store.vectors(v.hash(a)?)?;
                Some((a, stored[0].1.clone()))
            })
            .collect()
    }

    #[test]
    fn the_model_abstains_where_the_words_matched_past_what_it_read() {
        let dir = tempfile::tempdir().unwrap();
        let (data, _) = library(dir.path(), 3);
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let v = Vectors::open(&data, &searcher).unwrap().unwrap();
        let addr = (0..searcher.segment_reader(0).max_doc())
            .map(|d| DocAddress::new(0, d))
            .find(|a| v.hash(*a).is_some())
            .unwrap();
        let query = v.store.vectors(v.hash(addr).unwrap()).unwrap()[1].1.clone();
        // Every work's one passage is from page 1: a best passage (by the words) on page 1,
        // or none (a hit on the abstract or metadata), lets the model judge; one on page 2
        // is past what it read, and it abstains as it does for a work without vectors.
        let got = v.cosines(
            &[(addr, Some(1)), (addr, None), (addr, Some(2))],
            &query,
            "vi",
        );
        assert!(got[0].is_some() && got[0] == got[1], "{got:?}");
        assert_eq!(got[2], None);
    }

    #[test]
    fn the_coarse_pass_over_a_larger_language_keeps_the_nearest() {
        let dir = tempfile::tempdir().unwrap();
        // More works than the coarse pass keeps for a shortlist of SHORTLIST_MIN.
        let n = SHORTLIST_MIN * COARSE_PER_SHORTLIST + 200;
        let (data, metas) = library(dir.path(), n);
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let v = Vectors::open(&data, &searcher).unwrap().unwrap();
        let works = index.fields.works();
        for (i, pair) in metas.chunks_exact(2).step_by(250).enumerate() {
            // A query between two works' meta vectors (one weighing more), plus the noise of
            // a third: the coarse pass by sign codes keeps both, and they come first in the
            // order the full pass gives them.
            let q = normalised(
                pair[0]
                    .iter()
                    .zip(&pair[1])
                    .zip(&metas[(i * 7 + 3) % n])
                    .map(|((a, b), c)| a + 0.8 * b + 0.3 * c)
                    .collect(),
            );
            let got = v.nearest(&searcher, &works, &q, "vi", "vi", 3).unwrap();
            let full = v.nearest(&searcher, &AllQuery, &q, "vi", "vi", n).unwrap();
            let got_top: Vec<DocAddress> = got.iter().take(2).map(|x| x.0).collect();
            let full_top: Vec<DocAddress> = full.iter().take(2).map(|x| x.0).collect();
            assert_eq!(got_top, full_top);
        }
    }

    #[test]
    fn the_first_pass_over_a_large_language_finds_what_a_full_pass_finds() {
        let dir = tempfile::tempdir().unwrap();
        let n = SHORTLIST_MIN + 100;
        let (data, metas) = library(dir.path(), n);
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let v = Vectors::open(&data, &searcher).unwrap().unwrap();
        assert_eq!(v.metas["vi"].addrs.len(), n, "one row a work");
        let works = index.fields.works();
        for meta in metas.iter().step_by(50) {
            // A query near one record's meta vector finds it first, through the shortlist
            // (more works than SHORTLIST_MIN) as through the full pass (the filter admits
            // every work; the table lists only works).
            let got = v.nearest(&searcher, &works, meta, "vi", "vi", 5).unwrap();
            let full = v
                .nearest(&searcher, &AllQuery, meta, "vi", "vi", n)
                .unwrap();
            assert_eq!(got.len(), 5);
            assert_eq!(got[0].0, full[0].0);
            let full_top: Vec<DocAddress> = full.iter().take(5).map(|x| x.0).collect();
            let got_top: Vec<DocAddress> = got.iter().map(|x| x.0).collect();
            assert_eq!(got_top, full_top);
        }
    }
}
