//! int8 quantization of unit vectors and the dot product scoring runs on.
//!
//! A vector is kept as one f32 scale and `dim` signed bytes (`x ≈ scale × q`, `scale =
//! max|x| / 127`): a quarter of f32's size, which is what lets 10⁵ documents' vectors stay in
//! the page cache, and an error on a cosine of a few thousandths (tested below against f32).
//! The query is quantized the same way once, so scoring is an integer dot product that LLVM
//! turns into `pmaddwd` (widening multiply-add) on any x86-64, no target features needed.

/// Largest magnitude of a quantized component.
const LEVELS: f32 = 127.0;

/// `v` as (scale, bytes): `v[i] ≈ scale × bytes[i]`. A zero vector has scale 0.
pub fn quantize(v: &[f32], out: &mut Vec<i8>) -> f32 {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    out.clear();
    if max == 0.0 || !max.is_finite() {
        out.resize(v.len(), 0);
        return 0.0;
    }
    let inv = LEVELS / max;
    // Rounds half away from zero by hand: `f32::round` is a libm call on baseline x86-64 and
    // keeps the loop scalar (it was most of the cost of scoring with a fresh query).
    out.extend(v.iter().map(|x| {
        let y = (x * inv).clamp(-LEVELS, LEVELS);
        (y + 0.5f32.copysign(y)) as i8
    }));
    max / LEVELS
}

/// A query vector quantized once for many [`dot`]s.
#[derive(Debug, Clone)]
pub struct QueryVector {
    pub(crate) bytes: Vec<i8>,
    pub(crate) scale: f32,
}

impl QueryVector {
    /// Quantizes `query` (a unit vector, as [`embed::Model::embed`] gives it).
    pub fn new(query: &[f32]) -> QueryVector {
        let mut bytes = Vec::with_capacity(query.len());
        let scale = quantize(query, &mut bytes);
        QueryVector { bytes, scale }
    }

    pub fn dim(&self) -> usize {
        self.bytes.len()
    }
}

/// The values of a stored vector (`scale`, `bytes` read as `i8`), as [`quantize`] kept them.
pub fn dequantized(scale: f32, stored: &[u8]) -> impl Iterator<Item = f32> + '_ {
    stored.iter().map(move |&b| f32::from(b as i8) * scale)
}

/// Σ a·b over stored bytes (`u8` read as `i8`) and a quantized query. Lanes of 16 with i32
/// accumulators: written so that the loop vectorizes (sign-extend, `pmaddwd`, add) instead of
/// running one element at a time.
#[inline]
pub fn dot(stored: &[u8], query: &[i8]) -> i32 {
    const LANES: usize = 16;
    let n = stored.len().min(query.len());
    let (stored, query) = (&stored[..n], &query[..n]);
    let mut acc = [0i32; LANES];
    let mut a = stored.chunks_exact(LANES);
    let mut b = query.chunks_exact(LANES);
    for (x, y) in (&mut a).zip(&mut b) {
        for ((acc, &x), &y) in acc.iter_mut().zip(x).zip(y) {
            *acc += i32::from(x as i8) * i32::from(y);
        }
    }
    let tail: i32 = a
        .remainder()
        .iter()
        .zip(b.remainder())
        .map(|(&x, &y)| i32::from(x as i8) * i32::from(y))
        .sum();
    acc.iter().sum::<i32>() + tail
}

/// Appends the sign bits of `values` to `out`, 64 to a word (bit `i % 64` of word `i / 64` set
/// when value `i` is positive), the last word padded with zeros.
///
/// The coarse pass of an exact search: the Hamming distance of two sign codes grows with the
/// angle between their vectors (one bit in 384 per 1/384 of a half turn, on average), and it
/// costs six words a vector instead of 384 bytes, a quarter of the time of [`dot`] at 10⁵
/// vectors. It only shortlists; [`dot`] ranks what it keeps.
pub fn sign_bits(values: impl IntoIterator<Item = f32>, out: &mut Vec<u64>) {
    let mut word = 0u64;
    let mut n = 0;
    for v in values {
        word |= u64::from(v > 0.0) << (n % 64);
        n += 1;
        if n % 64 == 0 {
            out.push(word);
            word = 0;
        }
    }
    if n % 64 != 0 {
        out.push(word);
    }
}

/// Words of the sign code of a vector of `dim` components.
pub fn sign_words(dim: usize) -> usize {
    dim.div_ceil(64)
}

/// How many bits of two sign codes differ.
#[inline]
pub fn hamming(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

/// The `keep` rows of `codes` (`words` words a row) whose sign codes are nearest to `code` by
/// Hamming distance, among those `admit` lets through, in row order (ties at the cut broken
/// by row order); every admitted row when there are no more than `keep`.
///
/// The distances go into one `u16` a row and a histogram, which gives the cut in one more
/// pass: no pair a row to allocate and select among (at 70,000 rows the pairs and their
/// selection were two thirds of the pass). The distances are computed in [`pulp`]'s dispatch,
/// so that `count_ones` uses the CPU's popcount instructions where it has them (AVX2 here;
/// the x86-64 baseline has none and counts bits by shifts and masks).
pub fn nearest_codes(
    codes: &[u64],
    words: usize,
    code: &[u64],
    keep: usize,
    admit: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let rows = codes.len().checked_div(words).unwrap_or(0);
    let dists = pulp::Arch::new().dispatch(Distances { codes, words, code });
    let mut hist = vec![0usize; words * 64 + 1];
    let mut admitted = 0;
    for (i, &d) in dists.iter().enumerate() {
        if admit(i) {
            hist[d as usize] += 1;
            admitted += 1;
        }
    }
    let mut out = Vec::with_capacity(keep.min(admitted));
    if admitted <= keep {
        out.extend((0..rows).filter(|&i| admit(i)));
        return out;
    }
    // The cut: the smallest distance whose count, with all nearer, reaches `keep`.
    let (mut cut, mut below) = (0, 0);
    while below + hist[cut] < keep {
        below += hist[cut];
        cut += 1;
    }
    let mut at_cut = keep - below;
    for (i, &d) in dists.iter().enumerate() {
        let d = d as usize;
        if d > cut || !admit(i) {
            continue;
        }
        if d == cut {
            if at_cut == 0 {
                continue;
            }
            at_cut -= 1;
        }
        out.push(i);
    }
    out
}

/// The Hamming distance of `code` to each row of `codes`.
struct Distances<'a> {
    codes: &'a [u64],
    words: usize,
    code: &'a [u64],
}

impl pulp::WithSimd for Distances<'_> {
    type Output = Vec<u16>;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> Vec<u16> {
        let Distances { codes, words, code } = self;
        if words == 0 {
            return Vec::new();
        }
        // A loop, not `collect`: `collect` is a function of its own, compiled without the
        // dispatch's instructions, so `count_ones` in it counted bits by shifts and masks.
        let mut out = Vec::with_capacity(codes.len() / words);
        for row in codes.chunks_exact(words) {
            out.push(hamming(row, code) as u16);
        }
        out
    }
}

impl QueryVector {
    /// The query's sign code (see [`sign_bits`]).
    pub fn sign_code(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(sign_words(self.bytes.len()));
        sign_bits(self.bytes.iter().map(|&b| f32::from(b)), &mut out);
        out
    }
}

/// The cosine of a stored vector (`scale`, `bytes`) with a quantized unit query.
#[inline]
pub fn cosine(scale: f32, stored: &[u8], query: &QueryVector) -> f32 {
    scale * query.scale * dot(stored, &query.bytes) as f32
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Deterministic pseudo-random unit vectors (xorshift), shaped like e5's: components of
    /// either sign, a few larger than the rest.
    pub(crate) fn unit_vectors(n: usize, dim: usize, seed: u64) -> Vec<Vec<f32>> {
        let mut s = seed | 1;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f32 / (1u64 << 53) as f32 - 0.5
        };
        (0..n)
            .map(|_| {
                let mut v: Vec<f32> = (0..dim).map(|_| next() + 0.3 * next().powi(3)).collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                v.iter_mut().for_each(|x| *x /= norm);
                v
            })
            .collect()
    }

    #[test]
    fn nearest_codes_keeps_what_sorting_every_distance_keeps() {
        let dim = 384;
        let words = sign_words(dim);
        let vectors = unit_vectors(3000, dim, 11);
        let mut codes = Vec::new();
        for v in &vectors {
            sign_bits(v.iter().copied(), &mut codes);
        }
        let mut code = Vec::new();
        sign_bits(unit_vectors(1, dim, 5)[0].iter().copied(), &mut code);
        let admit_odd = |i: usize| i % 2 == 1;
        for (keep, admit) in [
            (1, &(|_| true) as &dyn Fn(usize) -> bool),
            (256, &(|_| true)),
            (256, &admit_odd),
            (1499, &admit_odd),
            (1500, &admit_odd),
            (5000, &admit_odd),
        ] {
            // By sorting: nearest first, ties by row.
            let mut all: Vec<(u32, usize)> = (0..vectors.len())
                .filter(|&i| admit(i))
                .map(|i| (hamming(&codes[i * words..(i + 1) * words], &code), i))
                .collect();
            all.sort();
            let mut want: Vec<usize> = all.iter().take(keep).map(|&(_, i)| i).collect();
            want.sort();
            assert_eq!(
                nearest_codes(&codes, words, &code, keep, admit),
                want,
                "keep {keep}"
            );
        }
    }

    #[test]
    fn sign_codes_order_by_angle() {
        let words = |v: &[f32]| {
            let mut out = Vec::new();
            sign_bits(v.iter().copied(), &mut out);
            out
        };
        // 70 values: two words, the second padded.
        let v: Vec<f32> = (0..70)
            .map(|i| if i % 3 == 0 { 1.0 } else { -1.0 })
            .collect();
        let code = words(&v);
        assert_eq!(code.len(), 2);
        assert_eq!(code[1] >> 6, 0, "padding is zero");
        assert_eq!(hamming(&code, &code), 0);
        let flipped: Vec<f32> = v.iter().map(|x| -x).collect();
        assert_eq!(hamming(&code, &words(&flipped)), 70);
        // A vector near the query is nearer in Hamming distance than one far from it, and
        // the query's code is its own quantized vector's.
        let vs = unit_vectors(3, 384, 11);
        let near: Vec<f32> = vs[0].iter().zip(&vs[1]).map(|(a, b)| a + 0.3 * b).collect();
        let q = QueryVector::new(&vs[0]);
        // (Components that quantize to zero count as not positive.)
        assert!(hamming(&q.sign_code(), &words(&vs[0])) <= 8);
        assert!(hamming(&q.sign_code(), &words(&near)) < hamming(&q.sign_code(), &words(&vs[2])));
    }

    fn as_bytes(q: &[i8]) -> Vec<u8> {
        q.iter().map(|&x| x as u8).collect()
    }

    #[test]
    fn int8_cosine_is_within_a_hundredth_of_f32() {
        let docs = unit_vectors(500, 384, 7);
        let queries = unit_vectors(20, 384, 11);
        let mut worst = 0f32;
        let mut buf = Vec::new();
        for q in &queries {
            let qv = QueryVector::new(q);
            for d in &docs {
                let scale = quantize(d, &mut buf);
                let exact: f32 = q.iter().zip(d).map(|(a, b)| a * b).sum();
                let approx = cosine(scale, &as_bytes(&buf), &qv);
                worst = worst.max((exact - approx).abs());
            }
        }
        assert!(worst <= 0.01, "worst error {worst}");
        // Identical vectors score near 1.
        let qv = QueryVector::new(&docs[0]);
        let scale = quantize(&docs[0], &mut buf);
        assert!((cosine(scale, &as_bytes(&buf), &qv) - 1.0).abs() < 0.01);
    }

    #[test]
    fn zero_and_odd_lengths() {
        let mut buf = Vec::new();
        assert_eq!(quantize(&[0.0; 5], &mut buf), 0.0);
        assert_eq!(buf, vec![0; 5]);
        let v = [0.6f32, -0.8, 0.0];
        let s = quantize(&v, &mut buf);
        assert_eq!(buf, vec![95, -127, 0]);
        let qv = QueryVector::new(&v);
        assert!((cosine(s, &as_bytes(&buf), &qv) - 1.0).abs() < 0.01);
        // 17 components: one full lane of 16 and a tail.
        let a: Vec<u8> = (0..17).map(|i| i as u8).collect();
        let b: Vec<i8> = (0..17).map(|_| 2).collect();
        assert_eq!(dot(&a, &b), 2 * (0..17).sum::<i32>());
    }
}
