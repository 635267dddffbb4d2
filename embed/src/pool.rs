//! From token states to one sentence vector: e5's mean pooling and L2 normalisation.
//!
//! e5 averages the last hidden states of every token of the input, `<s>` and `</s>` included
//! (they are inside its attention mask), and compares vectors by cosine; normalising here makes
//! cosine a dot product for whoever stores the vectors.

/// The mean of `rows` rows of width `dim` stored one after another in `states`.
pub fn mean(states: &[f32], dim: usize) -> Vec<f32> {
    let rows = states.len() / dim;
    let mut sum = vec![0f32; dim];
    for row in states.chunks_exact(dim) {
        for (s, v) in sum.iter_mut().zip(row) {
            *s += v;
        }
    }
    let scale = 1.0 / rows.max(1) as f32;
    sum.iter_mut().for_each(|s| *s *= scale);
    sum
}

/// Scales `v` to unit length; a zero vector stays zero rather than becoming NaN.
pub fn l2_normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 1e-12 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Cosine of two vectors of the same length (1 for equal directions).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_averages_rows() {
        assert_eq!(mean(&[1.0, 2.0, 3.0, 6.0], 2), vec![2.0, 4.0]);
    }

    #[test]
    fn normalised_vectors_have_unit_length_and_zero_stays_zero() {
        let mut v = vec![3.0, 4.0];
        l2_normalize(&mut v);
        assert_eq!(v, vec![0.6, 0.8]);
        let mut z = vec![0.0; 3];
        l2_normalize(&mut z);
        assert_eq!(z, vec![0.0; 3]);
    }

    #[test]
    fn cosine_of_parallel_and_orthogonal_vectors() {
        assert!((cosine(&[1.0, 1.0], &[2.0, 2.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 1.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[0.0, 1.0]), 0.0);
    }
}
