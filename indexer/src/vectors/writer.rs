//! [`StoreWriter`]: appends records to the vector file, one process at a time.
//!
//! Appends go straight to the file (one `write` per record) and [`StoreWriter::sync`] makes
//! them durable; ingestion syncs before each index commit, so the index never holds a document
//! whose vectors a crash could lose. Opening repairs what a crash can leave: a torn last record
//! is cut off (everything before it stays), and a store of another model, or a file that is not
//! a store, is started again empty through a new file renamed over it (a reader that has the
//! old one mapped keeps reading it undisturbed).

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::quant::quantize;
use super::store::{
    encode_record, map, scan, u32_at, Header, VectorKind, FILE, HEADER_LEN, RECORD_HEAD,
};
use super::VectorError;
use crate::data_dir::DataDir;

/// Name of the lock file beside the store.
const LOCK_FILE: &str = "lock";

/// The one appender of a data directory's vectors (an exclusive lock on `vectors/lock`).
#[derive(Debug)]
pub struct StoreWriter {
    file: File,
    path: PathBuf,
    dim: usize,
    hashes: FxHashSet<Box<str>>,
    unsynced: bool,
    /// Why the store was emptied at opening, when it was.
    started_again: Option<String>,
    /// Bytes of a torn last record cut off at opening.
    torn_bytes: u64,
    _lock: File,
    scratch: Vec<i8>,
}

impl StoreWriter {
    /// Opens (or creates) the store of `data_dir` for the model with BLAKE3 `model` and
    /// vectors of `dim`. [`VectorError::Busy`] when another process holds it.
    pub fn open(data_dir: &DataDir, model: &str, dim: usize) -> Result<StoreWriter, VectorError> {
        let dir = data_dir.vectors_dir();
        std::fs::create_dir_all(&dir).map_err(VectorError::io(&dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(VectorError::io(&lock_path))?;
        if !fs4::fs_std::FileExt::try_lock_exclusive(&lock).map_err(VectorError::io(&lock_path))? {
            return Err(VectorError::Busy { path: dir });
        }
        let path = dir.join(FILE);
        let want = Header {
            dim,
            recipe: super::chunks::RECIPE,
            model: model.to_string(),
        };
        let mut started_again = None;
        // Mapped rather than read: at 10⁵ documents the file is a few hundred MB.
        let existing = match path.try_exists().map_err(VectorError::io(&path))? {
            true => Some(map(&dir, &path)?),
            false => None,
        };
        let (hashes, valid_len, file_len) = match existing {
            None => {
                create(&path, &want)?;
                (FxHashSet::default(), HEADER_LEN as u64, HEADER_LEN as u64)
            }
            Some(bytes) => match Header::decode(&bytes, &path) {
                Ok(h) if h == want => {
                    let s = scan(&bytes, dim);
                    let hashes = s.offsets.into_keys().collect();
                    (hashes, s.valid_len, bytes.len() as u64)
                }
                found => {
                    started_again = Some(match found {
                        Ok(h) if h.model == want.model && h.dim == want.dim => {
                            "its vectors were computed from other parts of the documents (an earlier indexer)".to_string()
                        }
                        Ok(_) => "its vectors were computed by another model".to_string(),
                        Err(e) => e.to_string(),
                    });
                    create(&path, &want)?;
                    (FxHashSet::default(), HEADER_LEN as u64, HEADER_LEN as u64)
                }
            },
        };
        let mut file = OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(VectorError::io(&path))?;
        let torn_bytes = file_len - valid_len;
        if torn_bytes > 0 {
            tracing::warn!(path = %path.display(), bytes = torn_bytes, "cutting off a torn last vector record");
            file.set_len(valid_len).map_err(VectorError::io(&path))?;
            file.sync_all().map_err(VectorError::io(&path))?;
        }
        file.seek(SeekFrom::Start(valid_len))
            .map_err(VectorError::io(&path))?;
        Ok(StoreWriter {
            file,
            path,
            dim,
            hashes,
            unsynced: false,
            started_again,
            torn_bytes,
            _lock: lock,
            scratch: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Documents (content hashes) held.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn contains(&self, content_hash: &str) -> bool {
        self.hashes.contains(content_hash)
    }

    /// Why the store was emptied when it was opened (it belonged to another model, or was no
    /// store at all), if it was.
    pub fn started_again(&self) -> Option<&str> {
        self.started_again.as_deref()
    }

    /// Bytes of a torn record cut off when the store was opened.
    pub fn torn_bytes(&self) -> u64 {
        self.torn_bytes
    }

    /// Appends the vectors of the document with `content_hash` (not yet durable: see
    /// [`StoreWriter::sync`]). A document without vectors gets an empty record all the same,
    /// so that it is not embedded again.
    pub fn append(
        &mut self,
        content_hash: &str,
        vectors: &[(VectorKind, Vec<f32>)],
    ) -> Result<(), VectorError> {
        let mut quantized = Vec::with_capacity(vectors.len());
        for (kind, v) in vectors {
            let scale = quantize(v, &mut self.scratch);
            self.scratch.resize(self.dim, 0);
            quantized.push((*kind, scale, self.scratch.clone()));
        }
        let record = encode_record(content_hash, &quantized, self.dim)?;
        self.file
            .write_all(&record)
            .map_err(VectorError::io(&self.path))?;
        self.unsynced = true;
        self.hashes.insert(content_hash.into());
        Ok(())
    }

    /// Rewrites the store with only the records whose content hash `keep` accepts (the latest
    /// record of each), through a new file renamed over the old one: a reader that has the old
    /// file mapped keeps reading it, the next one opens the new. Every append is made durable
    /// first. Returns what it dropped.
    pub fn compact(&mut self, keep: impl Fn(&str) -> bool) -> Result<Compaction, VectorError> {
        self.sync()?;
        let dir = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let bytes = map(&dir, &self.path)?;
        let found = scan(&bytes, self.dim);
        let mut kept: Vec<(u64, Box<str>)> = found
            .offsets
            .into_iter()
            .filter(|(h, _)| keep(h))
            .map(|(h, at)| (at, h))
            .collect();
        // File order: the new file reads back as the old one did, less the dropped records.
        kept.sort_unstable();
        let mut out = Vec::with_capacity(bytes.len());
        out.extend_from_slice(&bytes[..HEADER_LEN]);
        for (at, _) in &kept {
            let at = *at as usize;
            let len = RECORD_HEAD + u32_at(&bytes, at) as usize;
            out.extend_from_slice(&bytes[at..at + len]);
        }
        let report = Compaction {
            records_before: found.records,
            records_after: kept.len() as u64,
            bytes_before: found.valid_len,
            bytes_after: out.len() as u64,
        };
        drop(bytes);
        crate::data_dir::write_atomic(&self.path, &out).map_err(VectorError::io(&self.path))?;
        let mut file = OpenOptions::new()
            .write(true)
            .open(&self.path)
            .map_err(VectorError::io(&self.path))?;
        file.seek(SeekFrom::End(0))
            .map_err(VectorError::io(&self.path))?;
        self.file = file;
        self.hashes = kept.into_iter().map(|(_, h)| h).collect();
        Ok(report)
    }

    /// Makes every append so far durable.
    pub fn sync(&mut self) -> Result<(), VectorError> {
        if self.unsynced {
            self.file.sync_data().map_err(VectorError::io(&self.path))?;
            self.unsynced = false;
        }
        Ok(())
    }
}

/// What [`StoreWriter::compact`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Compaction {
    /// Records in the file before (a hash written twice counts twice) and after.
    pub records_before: u64,
    pub records_after: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// A new store holding only its header, renamed over `path`.
fn create(path: &Path, header: &Header) -> Result<(), VectorError> {
    crate::data_dir::write_atomic(path, &header.encode()).map_err(VectorError::io(path))
}

#[cfg(test)]
mod tests {
    use super::super::quant::tests::unit_vectors;
    use super::super::store::{DocVectors, VectorStore};
    use super::*;

    const MODEL: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const OTHER: &str = "ffb2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    fn hash(i: usize) -> String {
        blake3::hash(&i.to_le_bytes()).to_hex().to_string()
    }

    fn store_path(data: &DataDir) -> PathBuf {
        data.vectors_dir().join(FILE)
    }

    /// A store of `model` holding `records` (hash, vectors), synced and closed.
    fn write_store(data: &DataDir, model: &str, records: &[(String, DocVectors)]) {
        let mut w = StoreWriter::open(data, model, 384).unwrap();
        for (h, v) in records {
            w.append(h, v).unwrap();
        }
        w.sync().unwrap();
    }

    #[test]
    fn round_trip_later_record_wins_and_the_lock_excludes_a_second_writer() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let vs = unit_vectors(6, 384, 3);
        {
            let mut w = StoreWriter::open(&data, MODEL, 384).unwrap();
            assert!(matches!(
                StoreWriter::open(&data, MODEL, 384),
                Err(VectorError::Busy { .. })
            ));
            w.append(
                &hash(0),
                &[
                    (VectorKind::Meta, vs[0].clone()),
                    (VectorKind::Passage { page: 3 }, vs[1].clone()),
                    (VectorKind::Passage { page: 70_000 }, vs[2].clone()),
                ],
            )
            .unwrap();
            w.append(
                &hash(1),
                &[(VectorKind::Passage { page: 1 }, vs[3].clone())],
            )
            .unwrap();
            w.append(&hash(2), &[]).unwrap();
            // hash 1 again: the later record wins.
            w.append(&hash(1), &[(VectorKind::Meta, vs[4].clone())])
                .unwrap();
            w.sync().unwrap();
            assert_eq!(w.len(), 3);
        }
        let s = VectorStore::open_file(&store_path(&data)).unwrap();
        assert_eq!((s.len(), s.dim()), (3, 384));
        assert!(s.contains(&hash(2)) && !s.contains(&hash(3)));
        let d0 = s.score(&hash(0), &vs[2]).unwrap();
        assert!((d0.best_passage - 1.0).abs() < 0.01, "{d0:?}");
        assert!(d0.meta < 0.5 && d0.best == d0.best_passage);
        let d1 = s.score(&hash(1), &vs[4]).unwrap();
        assert!(
            (d1.meta - 1.0).abs() < 0.01 && d1.best_passage == -1.0,
            "{d1:?}"
        );
        // The pages the passages were cut from come back (a page past u16 saturates), and
        // the last one is what the model read of the work.
        assert_eq!(d0.last_page, u32::from(u16::MAX));
        assert_eq!(d1.last_page, 0, "a meta vector has no page");
        let empty = s.score(&hash(2), &vs[0]).unwrap();
        assert_eq!((empty.meta, empty.best, empty.last_page), (-1.0, -1.0, 0));
        assert!(s.score(&hash(9), &vs[0]).is_none());
        let back = s.vectors(&hash(0)).unwrap();
        let kinds: Vec<VectorKind> = back.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                VectorKind::Meta,
                VectorKind::Passage { page: 3 },
                VectorKind::Passage {
                    page: u32::from(u16::MAX)
                }
            ]
        );
        let cos: f32 = back[1].1.iter().zip(&vs[1]).map(|(a, b)| a * b).sum();
        assert!((cos - 1.0).abs() < 0.01);

        // Reopening for writing keeps everything and skips what is there.
        let w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert_eq!(w.len(), 3);
        assert!(w.contains(&hash(0)) && w.started_again().is_none());
    }

    #[test]
    fn a_torn_tail_is_ignored_then_cut_and_nothing_before_it_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let vs = unit_vectors(4, 384, 5);
        {
            let mut w = StoreWriter::open(&data, MODEL, 384).unwrap();
            for (i, v) in vs.iter().enumerate() {
                w.append(&hash(i), &[(VectorKind::Passage { page: 1 }, v.clone())])
                    .unwrap();
            }
            w.sync().unwrap();
        }
        let path = store_path(&data);
        let full = std::fs::read(&path).unwrap();
        // A crash in the middle of the last record's write.
        std::fs::write(&path, &full[..full.len() - 100]).unwrap();
        let s = VectorStore::open_file(&path).unwrap();
        assert_eq!(s.len(), 3);
        assert!(!s.contains(&hash(3)));
        // Garbage where the last record was (the disk's old blocks): caught by the checksum.
        let mut garbled = full.clone();
        let n = garbled.len();
        garbled[n - 50] ^= 0xff;
        std::fs::write(&path, &garbled).unwrap();
        assert_eq!(VectorStore::open_file(&path).unwrap().len(), 3);
        drop(s);

        let mut w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert_eq!(w.len(), 3);
        assert!(w.torn_bytes() > 0);
        w.append(&hash(3), &[(VectorKind::Meta, vs[3].clone())])
            .unwrap();
        w.sync().unwrap();
        drop(w);
        let s = VectorStore::open_file(&path).unwrap();
        assert_eq!(s.len(), 4);
        assert!((s.score(&hash(3), &vs[3]).unwrap().meta - 1.0).abs() < 0.01);
        assert!((s.score(&hash(0), &vs[0]).unwrap().best - 1.0).abs() < 0.01);
    }

    #[test]
    fn a_store_of_another_model_is_not_used_and_is_started_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let v = unit_vectors(1, 384, 9).remove(0);
        write_store(
            &data,
            OTHER,
            &[(hash(0), vec![(VectorKind::Meta, v.clone())])],
        );
        let w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert_eq!(w.len(), 0);
        assert!(w.started_again().unwrap().contains("another model"));
        drop(w);
        // A file that is no store at all is started again too, saying why.
        std::fs::write(store_path(&data), b"hello").unwrap();
        let w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert!(w.started_again().unwrap().contains("not a vector store"));
        assert!(VectorStore::open_file(&store_path(&data))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn centred_scores_equal_f32_centring() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let vs = unit_vectors(8, 384, 21);
        write_store(
            &data,
            MODEL,
            &[
                (
                    hash(0),
                    vec![
                        (VectorKind::Meta, vs[0].clone()),
                        (VectorKind::Passage { page: 1 }, vs[1].clone()),
                        (VectorKind::Passage { page: 1 }, vs[2].clone()),
                    ],
                ),
                (
                    hash(1),
                    vec![
                        (VectorKind::Passage { page: 1 }, vs[3].clone()),
                        (VectorKind::Meta, vs[0].clone()),
                    ],
                ),
                (
                    hash(2),
                    vec![(VectorKind::Passage { page: 1 }, vs[4].clone())],
                ),
            ],
        );
        let s = VectorStore::open_file(&store_path(&data)).unwrap();
        // A language's mean: a third of the way to one vector, plus a little of another.
        let mean: Vec<f32> = vs[5]
            .iter()
            .zip(&vs[6])
            .map(|(a, b)| 0.3 * a + 0.1 * b)
            .collect();
        let q = &vs[7];
        let unit = |v: Vec<f32>| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let centred = |v: &[f32]| unit(v.iter().zip(&mean).map(|(a, m)| a - m).collect());
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        let want_meta = dot(q, &centred(&vs[0]));
        let want_passage = dot(q, &centred(&vs[1])).max(dot(q, &centred(&vs[2])));
        let centre = super::super::Centre::new(&mean, q);
        let got = s
            .score_centred(&hash(0), &super::super::QueryVector::new(q), &centre)
            .unwrap();
        assert!((got.meta - want_meta).abs() < 0.01, "{got:?} {want_meta}");
        assert!(
            (got.best_passage - want_passage).abs() < 0.01,
            "{got:?} {want_passage}"
        );
        let combined = got.combined(0.3);
        assert!((combined - (0.3 * got.meta + 0.7 * got.best_passage)).abs() < 1e-6);
        // The meta vector alone, found wherever it is in the record and scored through its
        // MetaRef with the mean's cosine as a generation's table keeps it, scores the same.
        let qv = super::super::QueryVector::new(q);
        let mean_q = super::super::QueryVector::new(&mean);
        for h in [hash(0), hash(1)] {
            let r = s.meta_ref(&h).unwrap();
            let from_ref = (s.meta_cosine(r, &qv) - centre.query_dot_mean())
                / centre.norm_after(s.meta_cosine(r, &mean_q));
            assert!(
                (from_ref - got.meta).abs() < 1e-5,
                "{h}: {from_ref} {got:?}"
            );
        }
        assert_eq!(s.meta_ref(&hash(2)), None, "passages only");
        // A language's mean is summed from the quantized passages as `vectors` reads them.
        let mut sum = vec![0f64; 384];
        assert_eq!(s.add_passages(&hash(0), &mut sum), Some(2));
        let want: Vec<f64> = s
            .vectors(&hash(0))
            .unwrap()
            .into_iter()
            .filter(|(k, _)| !k.is_meta())
            .fold(vec![0f64; 384], |mut acc, (_, v)| {
                acc.iter_mut()
                    .zip(&v)
                    .for_each(|(a, x)| *a += f64::from(*x));
                acc
            });
        assert!(sum.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-6));
        assert_eq!(s.add_passages("missing", &mut sum), None);
    }

    #[test]
    fn compaction_keeps_the_latest_record_of_each_kept_hash_and_appends_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let vs = unit_vectors(6, 384, 5);
        let passage = |v: &Vec<f32>, page| (VectorKind::Passage { page }, v.clone());
        write_store(
            &data,
            MODEL,
            &[
                (
                    hash(0),
                    vec![(VectorKind::Meta, vs[0].clone()), passage(&vs[1], 2)],
                ),
                (hash(1), vec![passage(&vs[2], 1)]),
                (hash(2), vec![passage(&vs[3], 1)]),
                (hash(1), vec![passage(&vs[4], 4)]),
            ],
        );
        let before = VectorStore::open_file(&store_path(&data)).unwrap();
        let want0 = before.vectors(&hash(0)).unwrap();
        let want1 = before.vectors(&hash(1)).unwrap();
        drop(before);
        let mut w = StoreWriter::open(&data, MODEL, 384).unwrap();
        let report = w.compact(|h| h != hash(2)).unwrap();
        assert_eq!((report.records_before, report.records_after), (4, 2));
        assert!(report.bytes_after < report.bytes_before);
        assert_eq!(
            std::fs::metadata(store_path(&data)).unwrap().len(),
            report.bytes_after
        );
        assert_eq!(w.len(), 2);
        assert!(!w.contains(&hash(2)));
        // Appends after a compaction land in the new file.
        w.append(&hash(3), &[passage(&vs[5], 1)]).unwrap();
        w.sync().unwrap();
        drop(w);
        let after = VectorStore::open_file(&store_path(&data)).unwrap();
        assert_eq!(after.len(), 3);
        assert_eq!(after.vectors(&hash(0)).unwrap(), want0);
        assert_eq!(after.vectors(&hash(1)).unwrap(), want1, "the later record");
        assert!(!after.contains(&hash(2)) && after.contains(&hash(3)));
        let w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert_eq!((w.len(), w.torn_bytes()), (3, 0));
    }

    #[test]
    fn a_store_of_an_earlier_recipe_is_started_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let path = store_path(&data);
        let v = unit_vectors(1, 384, 2).remove(0);
        write_store(&data, MODEL, &[(hash(0), vec![(VectorKind::Meta, v)])]);
        // The header of a store written before recipes were numbered (recipe 0).
        let mut bytes = std::fs::read(&path).unwrap();
        let old = Header {
            dim: 384,
            recipe: 0,
            model: MODEL.to_string(),
        };
        bytes[..HEADER_LEN].copy_from_slice(&old.encode());
        std::fs::write(&path, bytes).unwrap();
        let w = StoreWriter::open(&data, MODEL, 384).unwrap();
        assert_eq!(w.len(), 0);
        assert!(w
            .started_again()
            .unwrap()
            .contains("other parts of the documents"));
    }

    #[test]
    fn the_reader_refuses_a_store_of_another_model() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        // No model installed: no store, whatever is on disk.
        assert!(VectorStore::open(&data).unwrap().is_none());
        let info = crate::model::Installed {
            file: crate::model::MODEL_FILE.into(),
            bytes: 1,
            sha256: String::new(),
            blake3: MODEL.into(),
            dim: 384,
            layers: 12,
            vocab: 1,
            max_tokens: 512,
            known_as: None,
            imported_from: String::new(),
            member: None,
            imported_at: String::new(),
        };
        std::fs::create_dir_all(data.model_dir()).unwrap();
        std::fs::write(data.model_dir().join(crate::model::MODEL_FILE), b"x").unwrap();
        std::fs::write(
            data.model_dir().join(crate::model::INFO_FILE),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
        assert!(
            VectorStore::open(&data).unwrap().is_none(),
            "no vectors yet"
        );
        drop(StoreWriter::open(&data, OTHER, 384).unwrap());
        assert!(
            VectorStore::open(&data).unwrap().is_none(),
            "another model's"
        );
        drop(StoreWriter::open(&data, MODEL, 384).unwrap());
        let s = VectorStore::open(&data).unwrap().unwrap();
        assert!(s.is_empty());
    }

    /// Scores 100,000 documents of 5 vectors each, one query, one thread: prints the time
    /// (run with `--release --nocapture`; the figure in README is from that).
    #[test]
    fn scoring_a_hundred_thousand_documents() {
        let docs = if cfg!(debug_assertions) {
            5_000
        } else {
            100_000
        };
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let vs = unit_vectors(64, 384, 13);
        let hashes: Vec<String> = (0..docs).map(hash).collect();
        {
            let mut w = StoreWriter::open(&data, MODEL, 384).unwrap();
            for (i, h) in hashes.iter().enumerate() {
                let five: Vec<_> = (0..5)
                    .map(|j| {
                        let kind = if j == 0 {
                            VectorKind::Meta
                        } else {
                            VectorKind::Passage { page: 1 }
                        };
                        (kind, vs[(i * 5 + j) % 64].clone())
                    })
                    .collect();
                w.append(h, &five).unwrap();
            }
            w.sync().unwrap();
        }
        let t = std::time::Instant::now();
        let s = VectorStore::open_file(&store_path(&data)).unwrap();
        let open = t.elapsed();
        assert_eq!(s.len(), docs);
        let query = super::super::QueryVector::new(&vs[7]);
        let t = std::time::Instant::now();
        let mut best = (f32::MIN, 0);
        for (i, h) in hashes.iter().enumerate() {
            let d = s.score_query(h, &query).unwrap();
            if d.best > best.0 {
                best = (d.best, i);
            }
        }
        let scored = t.elapsed();
        let t = std::time::Instant::now();
        for h in &hashes[..docs / 10] {
            std::hint::black_box(s.score(h, &vs[7]));
        }
        let per_call = t.elapsed() * 10;
        // The same work on vectors already in the cache: what the arithmetic alone costs.
        let hot = &hashes[..1000];
        let t = std::time::Instant::now();
        for _ in 0..20 {
            for h in hot {
                std::hint::black_box(s.score_query(h, &query));
            }
        }
        let hot_time = t.elapsed() * (docs as u32 / 1000) / 20;
        assert!((best.0 - 1.0).abs() < 0.01);
        eprintln!(
            "vector store, {docs} documents × 5 vectors ({:.0} MB): open {open:.1?}, score all {scored:.1?} \
             (query quantized once), {per_call:.1?} with score() (f32 query), \
             {hot_time:.1?} for as many documents in the cache",
            std::fs::metadata(store_path(&data)).unwrap().len() as f64 / 1e6
        );
    }
}
