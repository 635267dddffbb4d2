//! Products of a layer's weights with a short input (a search query) straight from the weights'
//! 4-bit blocks.
//!
//! Why by hand: for a query of a few tokens every layer product is bound by memory, not by
//! arithmetic. candle's f32 matmul streams the dequantized weights, 85 MB for the 12 layers,
//! and repacks them on every call: a query of 4 to 7 tokens took 14 ms on 2 threads, one of
//! 12 to 15 tokens 18, almost all of it reading weights. Read in their 4-bit blocks the same
//! weights are 12 MB. No crate multiplies f32 activations by Q4_0 blocks without first
//! quantizing the activations (candle's Q4_0 × Q8_0 path, 181 ms per query here, and it
//! changes the arithmetic); this kernel decodes each block to the very f32 values
//! [`dequantize_q4`](crate::format::dequantize_q4) gives, so a query's vector is the f32
//! path's up to the order of additions.
//!
//! Each decoded block is used for every token of the input before the next is read, and the
//! output rows are shared among rayon's threads. The products run in `pulp`'s SIMD vectors,
//! whose width and instructions (AVX2 and FMA where there are) [`pulp::Arch`] chooses at run
//! time, without `unsafe` here.

use rayon::prelude::*;

use crate::format::{Q4_BLOCK, Q4_BLOCK_BYTES};

/// Inputs up to this many tokens (all inputs of a pass together) go through this kernel;
/// longer ones through candle's matmul, which wins once the arithmetic outweighs the reading
/// of the weights. Measured alternately on 2 threads: the server benchmark's 1,000 queries
/// (4 to 15 tokens) p50 7–10 ms against 14–21; 16–23 tokens about even; from 32 tokens on,
/// candle is faster (bench/embed/README.md).
pub(crate) const MAX_TOKENS: usize = 24;

/// Output rows per task: small enough to share 384 rows between threads, large enough that
/// a task outweighs its scheduling.
const ROWS_PER_TASK: usize = 32;

/// A `[rows, cols]` weight matrix kept in 4-bit blocks (`cols` a multiple of [`Q4_BLOCK`]).
#[derive(Debug)]
pub(crate) struct Q4Matrix {
    blocks: Vec<u8>,
    rows: usize,
    cols: usize,
}

impl Q4Matrix {
    pub(crate) fn new(blocks: Vec<u8>, rows: usize, cols: usize) -> Q4Matrix {
        debug_assert_eq!(cols % Q4_BLOCK, 0);
        debug_assert_eq!(blocks.len(), rows * cols / Q4_BLOCK * Q4_BLOCK_BYTES);
        Q4Matrix { blocks, rows, cols }
    }

    /// Its row count: the length of each output row.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// `x · Wᵀ (+ bias)`: `x` is `[m, cols]` row-major, the result `[m, rows]` row-major.
    pub(crate) fn mul_t(&self, x: &[f32], m: usize, bias: Option<&[f32]>) -> Vec<f32> {
        debug_assert_eq!(x.len(), m * self.cols);
        let row_bytes = self.cols / Q4_BLOCK * Q4_BLOCK_BYTES;
        // Transposed first, `[rows, m]`: each task writes its own rows.
        let mut out_t = vec![0f32; self.rows * m];
        if m == 0 {
            return out_t;
        }
        let arch = pulp::Arch::new();
        out_t
            .par_chunks_mut(ROWS_PER_TASK * m)
            .zip(self.blocks.par_chunks(ROWS_PER_TASK * row_bytes))
            .for_each(|(out, blocks)| {
                arch.dispatch(RowsTimes {
                    blocks,
                    row_bytes,
                    x,
                    m,
                    cols: self.cols,
                    out,
                });
            });
        let mut out = vec![0f32; m * self.rows];
        for (r, column) in out_t.chunks_exact(m).enumerate() {
            let b = bias.map_or(0.0, |b| b[r]);
            for (t, &v) in column.iter().enumerate() {
                out[t * self.rows + r] = v + b;
            }
        }
        out
    }
}

/// For each weight row in `blocks`, its dot product with each of the `m` rows of `x`, into
/// `out` (`[rows, m]`), in the vectors of the instruction set [`pulp::Arch`] chose.
struct RowsTimes<'a> {
    blocks: &'a [u8],
    row_bytes: usize,
    x: &'a [f32],
    m: usize,
    cols: usize,
    out: &'a mut [f32],
}

impl pulp::WithSimd for RowsTimes<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) {
        let RowsTimes {
            blocks,
            row_bytes,
            x,
            m,
            cols,
            out,
        } = self;
        let mut acc = vec![simd.splat_f32s(0.0); m];
        let mut w = [0f32; Q4_BLOCK];
        for (row, out) in blocks.chunks_exact(row_bytes).zip(out.chunks_exact_mut(m)) {
            acc.iter_mut().for_each(|a| *a = simd.splat_f32s(0.0));
            for (b, block) in row.chunks_exact(Q4_BLOCK_BYTES).enumerate() {
                decode(block, &mut w);
                // A block's 32 weights fill whole vectors of every width pulp offers (1 to 16
                // lanes): nothing is left over, here or in `x` below.
                let (ws, _) = S::as_simd_f32s(&w);
                let at = b * Q4_BLOCK;
                for (t, a) in acc.iter_mut().enumerate() {
                    let (xs, _) = S::as_simd_f32s(&x[t * cols + at..t * cols + at + Q4_BLOCK]);
                    // In a register: through `a` the compiler would store after every step.
                    let mut sum = *a;
                    for (&wv, &xv) in ws.iter().zip(xs) {
                        sum = simd.mul_add_f32s(wv, xv, sum);
                    }
                    *a = sum;
                }
            }
            for (o, &a) in out.iter_mut().zip(&acc) {
                *o = simd.reduce_sum_f32s(a);
            }
        }
    }
}

/// One block's 32 weights, as `dequantize_q4` gives them: the low nibbles are the first 16,
/// the high ones the next 16, each minus 8 times the block's f16 scale.
#[inline(always)]
fn decode(block: &[u8], w: &mut [f32; Q4_BLOCK]) {
    let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
    let (low, high) = w.split_at_mut(Q4_BLOCK / 2);
    for ((&b, lo), hi) in block[2..].iter().zip(low).zip(high) {
        *lo = (f32::from(b & 0x0F) - 8.0) * scale;
        *hi = (f32::from(b >> 4) - 8.0) * scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::dequantize_q4;

    /// Blocks of made-up nibbles and scales, as many as `rows × cols` weights take.
    fn blocks(rows: usize, cols: usize, seed: u32) -> Vec<u8> {
        let n = rows * cols / Q4_BLOCK;
        let mut s = seed;
        let mut next = || {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 24) as u8
        };
        let mut out = Vec::with_capacity(n * Q4_BLOCK_BYTES);
        for _ in 0..n {
            let scale = half::f16::from_f32(0.01 + f32::from(next()) / 2000.0);
            out.extend(scale.to_le_bytes());
            out.extend((0..Q4_BLOCK / 2).map(|_| next()));
        }
        out
    }

    #[test]
    fn equals_the_product_of_the_dequantized_weights() {
        for (rows, cols, m) in [(40, 64, 1), (70, 96, 5), (33, 32, 17), (5, 128, 32)] {
            let q = blocks(rows, cols, rows as u32);
            let mut w = vec![0f32; rows * cols];
            dequantize_q4(&q, &mut w);
            let x: Vec<f32> = (0..m * cols)
                .map(|i| ((i * 7919) % 201) as f32 / 100.0 - 1.0)
                .collect();
            let bias: Vec<f32> = (0..rows).map(|r| r as f32 / 10.0).collect();
            let got = Q4Matrix::new(q, rows, cols).mul_t(&x, m, Some(&bias));
            assert_eq!(got.len(), m * rows);
            for t in 0..m {
                for r in 0..rows {
                    let want: f32 = (0..cols)
                        .map(|c| x[t * cols + c] * w[r * cols + c])
                        .sum::<f32>()
                        + bias[r];
                    let g = got[t * rows + r];
                    assert!(
                        (g - want).abs() <= 1e-4 * (1.0 + want.abs()),
                        "{rows}x{cols}, m {m}: [{t}, {r}] {g} against {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_empty_input_gives_an_empty_product() {
        let m = Q4Matrix::new(blocks(4, 32, 1), 4, 32);
        assert!(m.mul_t(&[], 0, None).is_empty());
    }
}
