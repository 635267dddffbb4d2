//! The vector file and its read side, [`VectorStore`].
//!
//! ```text
//! header (88 bytes)  "TKVEC\0\0\x01", dim u32, recipe u32, model BLAKE3 (64 hex), crc32 u32, 0 u32
//! record             body length u32, crc32 of body u32, body:
//!                      hash length u8, content hash, vector count u16,
//!                      per vector: kind u8, page u16, 0 u8, scale f32, dim × i8
//! ```
//!
//! A passage vector's page is the page its window was cut from (1-based); 0 for the meta vector
//! and in records written before pages were kept (those bytes were zero padding, so such
//! records read as "pages unknown" and the format did not change its signature).
//!
//! All numbers little-endian. A record is written in one `write` and covered by its checksum,
//! so a record cut by a crash (or holding whatever the disk had there) fails its check; a
//! reader stops at the first record that does and the writer truncates the file there.
//!
//! Opening walks the records (each one's length, checksum and hash) to map content hashes to
//! offsets, the later record of a hash winning; the vectors themselves are read through a
//! memory map when scored, so memory holds the map (about 100 bytes a document) and the OS
//! pages the vectors in and out. The map is tantivy's (its `MmapDirectory`): the crate
//! forbids `unsafe`, and mapping a file is unsafe only in the sense tantivy already accepts
//! for the index (the file must not shrink under the map, which the writer never does to a
//! record a reader has seen: it truncates only a torn tail, and a rebuild renames a new file
//! over the old one).

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

use super::quant::{self, cosine, QueryVector};
use super::VectorError;
use crate::data_dir::DataDir;

/// File name of the vector store in `DATA_DIR/vectors/`.
pub const FILE: &str = "vectors.bin";

const MAGIC: &[u8; 8] = b"TKVEC\0\0\x01";
pub(crate) const HEADER_LEN: usize = 88;
/// Record prefix: body length and checksum.
pub(crate) const RECORD_HEAD: usize = 8;
/// Per vector, before its bytes: kind, padding, scale.
pub(crate) const VECTOR_HEAD: usize = 8;

/// A document's vectors with their kinds, as the model gave them (unit f32).
pub type DocVectors = Vec<(VectorKind, Vec<f32>)>;

/// What a vector was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorKind {
    /// Title, keywords and abstract together.
    Meta,
    /// A window of the body, cut from `page` (1-based; 0 when not known).
    Passage { page: u32 },
}

impl VectorKind {
    const META: u8 = 0;
    const PASSAGE: u8 = 1;

    /// The record's bytes for it: kind, page (u16, saturating), 0.
    fn encode(self) -> [u8; 4] {
        match self {
            VectorKind::Meta => [Self::META, 0, 0, 0],
            VectorKind::Passage { page } => {
                let [a, b] = u16::try_from(page).unwrap_or(u16::MAX).to_le_bytes();
                [Self::PASSAGE, a, b, 0]
            }
        }
    }

    fn decode(head: &[u8]) -> VectorKind {
        if head[0] == Self::META {
            VectorKind::Meta
        } else {
            VectorKind::Passage {
                page: u32::from(u16::from_le_bytes([head[1], head[2]])),
            }
        }
    }

    pub fn is_meta(self) -> bool {
        self == VectorKind::Meta
    }
}

/// Best cosines of a query with one document's vectors. A kind the document has no vector of
/// scores -1 (the lowest cosine), so `max` and comparisons need no special case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocScore {
    /// Cosine with the meta vector (title, keywords, abstract).
    pub meta: f32,
    /// Best cosine over the passage vectors.
    pub best_passage: f32,
    /// The larger of the two.
    pub best: f32,
    /// The last page a passage vector was cut from: the model read the work up to there (all
    /// of it, or as far as the budget allowed). 0 when not known (no passages, or a record
    /// written before pages were kept).
    pub last_page: u32,
}

impl DocScore {
    /// One score of the document: `meta_weight` of its meta vector's cosine and the rest of
    /// its best passage's, or the one it has when it lacks the other kind.
    pub fn combined(&self, meta_weight: f32) -> f32 {
        match (self.meta > -1.0, self.best_passage > -1.0) {
            (true, true) => meta_weight * self.meta + (1.0 - meta_weight) * self.best_passage,
            (true, false) => self.meta,
            _ => self.best_passage,
        }
    }
}

/// What [`VectorStore::score_centred`] takes from the documents' vectors: the mean `m` of their
/// language, and for one query `q` (already centred and normalised by the caller) `q·m`.
#[derive(Debug, Clone)]
pub struct Centre {
    mean: QueryVector,
    mean_norm2: f32,
    query_dot_mean: f32,
}

impl Centre {
    /// `q·m`: what centring takes from every cosine of this query.
    pub fn query_dot_mean(&self) -> f32 {
        self.query_dot_mean
    }

    /// |p − m| for a stored unit vector `p` whose cosine with the mean is `p_dot_mean`.
    pub fn norm_after(&self, p_dot_mean: f32) -> f32 {
        (1.0 - 2.0 * p_dot_mean + self.mean_norm2).max(1e-6).sqrt()
    }

    /// The centre `mean` for `query` (a unit vector).
    pub fn new(mean: &[f32], query: &[f32]) -> Centre {
        Centre {
            mean: QueryVector::new(mean),
            mean_norm2: mean.iter().map(|x| x * x).sum(),
            query_dot_mean: mean.iter().zip(query).map(|(a, b)| a * b).sum(),
        }
    }
}

/// Where a document's meta vector is in the store, for scoring many of them in a tight loop
/// ([`VectorStore::meta_ref`], [`VectorStore::meta_cosine`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetaRef {
    at: usize,
    scale: f32,
}

/// The store's identity: which model wrote it, and its vectors' length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub dim: usize,
    /// What of a document was embedded ([`super::chunks::RECIPE`]).
    pub recipe: u32,
    /// BLAKE3 of the model file, hex (as `model.json` has it).
    pub model: String,
}

impl Header {
    pub(crate) fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..8].copy_from_slice(MAGIC);
        h[8..12].copy_from_slice(&(self.dim as u32).to_le_bytes());
        h[12..16].copy_from_slice(&self.recipe.to_le_bytes());
        let model = self.model.as_bytes();
        let n = model.len().min(64);
        h[16..16 + n].copy_from_slice(&model[..n]);
        let crc = crc32fast::hash(&h[..80]);
        h[80..84].copy_from_slice(&crc.to_le_bytes());
        h
    }

    pub(crate) fn decode(bytes: &[u8], path: &Path) -> Result<Header, VectorError> {
        let foreign = |reason: &str| VectorError::Foreign {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if bytes.len() < HEADER_LEN {
            return Err(foreign("shorter than its header"));
        }
        if &bytes[..8] != MAGIC {
            return Err(foreign("it does not start with the store's signature"));
        }
        if crc32fast::hash(&bytes[..80]) != u32_at(bytes, 80) {
            return Err(foreign("its header fails its checksum"));
        }
        let model = String::from_utf8_lossy(&bytes[16..80])
            .trim_end_matches('\0')
            .to_string();
        Ok(Header {
            dim: u32_at(bytes, 8) as usize,
            recipe: u32_at(bytes, 12),
            model,
        })
    }
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Encodes one record: `vectors` are (kind, scale, quantized bytes of length `dim`).
pub(crate) fn encode_record(
    hash: &str,
    vectors: &[(VectorKind, f32, Vec<i8>)],
    dim: usize,
) -> Result<Vec<u8>, VectorError> {
    if hash.len() > usize::from(u8::MAX) {
        return Err(VectorError::HashTooLong {
            hash: hash.to_string(),
        });
    }
    let count = vectors.len().min(usize::from(u16::MAX));
    let body_len = 1 + hash.len() + 2 + count * (VECTOR_HEAD + dim);
    let mut out = Vec::with_capacity(RECORD_HEAD + body_len);
    out.extend_from_slice(&(body_len as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.push(hash.len() as u8);
    out.extend_from_slice(hash.as_bytes());
    out.extend_from_slice(&(count as u16).to_le_bytes());
    for (kind, scale, bytes) in &vectors[..count] {
        debug_assert_eq!(bytes.len(), dim);
        out.extend_from_slice(&kind.encode());
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend(bytes.iter().map(|&b| b as u8));
    }
    let crc = crc32fast::hash(&out[RECORD_HEAD..]);
    out[4..8].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// What a walk over the records found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Content hash → offset of its (latest) record.
    pub offsets: FxHashMap<Box<str>, u64>,
    /// Bytes up to the end of the last good record.
    pub valid_len: u64,
    /// Records read (a hash stored twice counts twice).
    pub records: u64,
}

/// Walks the records after the header; stops at the end or at the first record that is cut
/// short or fails its checksum (a torn write: what follows is not trusted).
pub(crate) fn scan(bytes: &[u8], dim: usize) -> Scan {
    let mut s = Scan {
        valid_len: HEADER_LEN.min(bytes.len()) as u64,
        ..Scan::default()
    };
    let mut at = HEADER_LEN;
    while at + RECORD_HEAD <= bytes.len() {
        let len = u32_at(bytes, at) as usize;
        let body_at = at + RECORD_HEAD;
        let Some(body) = bytes.get(body_at..body_at + len) else {
            break;
        };
        if len < 3 || crc32fast::hash(body) != u32_at(bytes, at + 4) {
            break;
        }
        let hash_len = usize::from(body[0]);
        let Some(hash) = body
            .get(1..1 + hash_len)
            .and_then(|h| std::str::from_utf8(h).ok())
        else {
            break;
        };
        let Some(c) = body.get(1 + hash_len..3 + hash_len) else {
            break;
        };
        let count = usize::from(u16::from_le_bytes([c[0], c[1]]));
        if len != 3 + hash_len + count * (VECTOR_HEAD + dim) {
            break;
        }
        s.offsets.insert(hash.into(), at as u64);
        s.records += 1;
        at = body_at + len;
        s.valid_len = at as u64;
    }
    s
}

/// The vectors of a data directory, read-only and memory-mapped. Open one per index reload:
/// records appended after opening are not seen.
pub struct VectorStore {
    bytes: OwnedBytes,
    offsets: FxHashMap<Box<str>, u64>,
    dim: usize,
    path: PathBuf,
}

impl std::fmt::Debug for VectorStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VectorStore")
            .field("path", &self.path)
            .field("documents", &self.offsets.len())
            .field("dim", &self.dim)
            .finish()
    }
}

impl VectorStore {
    /// None when the data directory has no model or no vectors yet, or when its vectors were
    /// computed by another model than the one installed (logged: `indexer embed` recomputes
    /// them).
    pub fn open(data_dir: &DataDir) -> Result<Option<VectorStore>, VectorError> {
        let Some(model) = crate::model::installed(data_dir)? else {
            return Ok(None);
        };
        let dir = data_dir.vectors_dir();
        let path = dir.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let bytes = map(&dir, &path)?;
        let header = Header::decode(&bytes, &path)?;
        if header.model != model.blake3 || header.dim != model.dim {
            tracing::warn!(
                path = %path.display(),
                "the vectors were computed by another model than the one installed; they are not used until `indexer embed` recomputes them"
            );
            return Ok(None);
        }
        if header.recipe != super::chunks::RECIPE {
            tracing::warn!(
                path = %path.display(),
                "the vectors were computed from other parts of the documents (an earlier indexer); they are not used until `indexer embed` recomputes them"
            );
            return Ok(None);
        }
        Ok(Some(VectorStore::from_bytes(bytes, header.dim, path)))
    }

    /// Opens the file at `path` whatever model is installed (tests, tools).
    pub fn open_file(path: &Path) -> Result<VectorStore, VectorError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let bytes = map(dir, path)?;
        let header = Header::decode(&bytes, path)?;
        Ok(VectorStore::from_bytes(
            bytes,
            header.dim,
            path.to_path_buf(),
        ))
    }

    fn from_bytes(bytes: OwnedBytes, dim: usize, path: PathBuf) -> VectorStore {
        let scan = scan(&bytes, dim);
        if (scan.valid_len as usize) < bytes.len() {
            tracing::warn!(
                path = %path.display(),
                ignored = bytes.len() - scan.valid_len as usize,
                "the vector store ends in a torn record (an interrupted write); it is ignored"
            );
        }
        VectorStore {
            bytes,
            offsets: scan.offsets,
            dim,
            path,
        }
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Documents (content hashes) held.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    pub fn contains(&self, content_hash: &str) -> bool {
        self.offsets.contains_key(content_hash)
    }

    /// Best cosine of `query` (a unit f32 vector) over the document's vectors, split by kind.
    ///
    /// A search scores many documents with one query: the quantized query is kept per thread
    /// and reused while the same query comes back (comparing 384 floats costs a tenth of
    /// quantizing them again).
    pub fn score(&self, content_hash: &str, query: &[f32]) -> Option<DocScore> {
        thread_local! {
            static LAST: std::cell::RefCell<(Vec<f32>, QueryVector)> =
                std::cell::RefCell::new((Vec::new(), QueryVector::new(&[])));
        }
        if !self.offsets.contains_key(content_hash) {
            return None;
        }
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.0.as_slice() != query {
                *last = (query.to_vec(), QueryVector::new(query));
            }
            self.score_query(content_hash, &last.1)
        })
    }

    /// [`VectorStore::score`] with the query quantized once ([`QueryVector::new`]), for
    /// scoring many documents with one query.
    pub fn score_query(&self, content_hash: &str, query: &QueryVector) -> Option<DocScore> {
        if query.dim() != self.dim {
            return None;
        }
        self.best_by_kind(content_hash, |scale, v| cosine(scale, v, query))
    }

    /// [`VectorStore::score_query`] after centring: every vector of the document less
    /// `centre.mean` (the mean passage vector of the document's language), renormalised.
    ///
    /// The model places every text of one language near a common point, which is what ranks
    /// any same-language text above a translation; taking that point away leaves what the
    /// text is about (+6 / +7 MRR@10 across languages, bench/relevance/D2L.md). Done with one
    /// more dot product per vector: cos(q, p − m) = (q·p − q·m) / |p − m|, and
    /// |p − m|² = 1 − 2 p·m + |m|² for a unit p.
    pub fn score_centred(
        &self,
        content_hash: &str,
        query: &QueryVector,
        centre: &Centre,
    ) -> Option<DocScore> {
        if query.dim() != self.dim || centre.mean.dim() != self.dim {
            return None;
        }
        self.best_by_kind(content_hash, |scale, v| {
            let qp = cosine(scale, v, query);
            let pm = cosine(scale, v, &centre.mean);
            let norm = (1.0 - 2.0 * pm + centre.mean_norm2).max(1e-6).sqrt();
            (qp - centre.query_dot_mean) / norm
        })
    }

    /// Where the document's meta vector is (`None` without one).
    pub fn meta_ref(&self, content_hash: &str) -> Option<MetaRef> {
        let at = *self.offsets.get(content_hash)? as usize + RECORD_HEAD;
        let hash_len = usize::from(self.bytes[at]);
        let count = usize::from(u16::from_le_bytes([
            self.bytes[at + 1 + hash_len],
            self.bytes[at + 2 + hash_len],
        ]));
        let stride = VECTOR_HEAD + self.dim;
        let first = at + 3 + hash_len;
        (0..count).map(|i| first + i * stride).find_map(|v| {
            (self.bytes[v] == VectorKind::META).then(|| MetaRef {
                at: v + VECTOR_HEAD,
                scale: f32_at(&self.bytes[v..v + VECTOR_HEAD], 4),
            })
        })
    }

    /// The cosine of a meta vector with `query` (of this store's length).
    #[inline]
    pub fn meta_cosine(&self, meta: MetaRef, query: &QueryVector) -> f32 {
        let (scale, bytes) = self.meta_vector(meta);
        cosine(scale, bytes, query)
    }

    /// A meta vector as stored: its scale and quantized bytes (for [`super::quant::cosine`]).
    pub fn meta_vector(&self, meta: MetaRef) -> (f32, &[u8]) {
        (meta.scale, &self.bytes[meta.at..meta.at + self.dim])
    }

    /// The record of `content_hash`: each vector's kind, scale and quantized bytes.
    fn record(&self, content_hash: &str) -> Option<impl Iterator<Item = (VectorKind, f32, &[u8])>> {
        let at = *self.offsets.get(content_hash)? as usize;
        let body = &self.bytes[at + RECORD_HEAD..];
        let hash_len = usize::from(body[0]);
        let count = usize::from(u16::from_le_bytes([body[1 + hash_len], body[2 + hash_len]]));
        let stride = VECTOR_HEAD + self.dim;
        let vectors = &body[3 + hash_len..3 + hash_len + count * stride];
        Some(
            vectors
                .chunks_exact(stride)
                .map(|v| (VectorKind::decode(v), f32_at(v, 4), &v[VECTOR_HEAD..])),
        )
    }

    /// The best `score` of the document's meta vector and of its passages.
    fn best_by_kind(
        &self,
        content_hash: &str,
        score: impl Fn(f32, &[u8]) -> f32,
    ) -> Option<DocScore> {
        let mut meta = -1f32;
        let mut passage = -1f32;
        let mut last_page = 0;
        for (kind, scale, v) in self.record(content_hash)? {
            let c = score(scale, v);
            match kind {
                VectorKind::Meta => meta = meta.max(c),
                VectorKind::Passage { page } => {
                    passage = passage.max(c);
                    last_page = last_page.max(page);
                }
            }
        }
        Some(DocScore {
            meta,
            best_passage: passage,
            best: meta.max(passage),
            last_page,
        })
    }

    /// Adds the document's passage vectors, dequantized, to `sum` (of this store's length);
    /// returns how many it added (`None` for a document without vectors). What a language's
    /// mean is made of, without a vector allocated per passage.
    pub fn add_passages(&self, content_hash: &str, sum: &mut [f64]) -> Option<usize> {
        let mut n = 0;
        for (kind, scale, v) in self.record(content_hash)? {
            if !kind.is_meta() {
                let scale = f64::from(scale);
                sum.iter_mut()
                    .zip(v)
                    .for_each(|(s, &b)| *s += scale * f64::from(b as i8));
                n += 1;
            }
        }
        Some(n)
    }

    /// The vectors of a document, dequantized, with their kinds (tests and tools).
    pub fn vectors(&self, content_hash: &str) -> Option<Vec<(VectorKind, Vec<f32>)>> {
        Some(
            self.record(content_hash)?
                .map(|(kind, scale, v)| (kind, quant::dequantized(scale, v).collect()))
                .collect(),
        )
    }
}

/// The whole file, memory-mapped (a fresh directory handle each time: tantivy's handle caches
/// maps by path, and a cached map would not see what was appended since).
pub(crate) fn map(dir: &Path, path: &Path) -> Result<OwnedBytes, VectorError> {
    let io = |e: std::io::Error| VectorError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mmap = MmapDirectory::open(dir).map_err(|e| io(std::io::Error::other(e)))?;
    let name = path.file_name().map(Path::new).unwrap_or(path);
    let slice = mmap
        .open_read(name)
        .map_err(|e| io(std::io::Error::other(e)))?;
    slice.read_bytes().map_err(io)
}
