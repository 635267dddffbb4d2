//! Putting two rankings of the same works together: the lexical one and the model's.
//!
//! Two ways, each where it measured best (`bench/relevance`, D2L.md):
//! - [`mix_scaled`] re-ranks the lexical ranking's best works: both scores min-max scaled over
//!   those works and mixed. It reorders the lexical candidates (and the few of the model's
//!   nearest that join them), which is what a hybrid within one language wants (the model
//!   alone ranks worse than BM25 there).
//! - [`mix_lists`] fuses two scored lists that need not share their works, each scaled over
//!   its own entries: cross-lingual search mixes the model's nearest works of the target
//!   language with what lexical search finds there (0.3 / 0.7 measured best on d2l, above
//!   reciprocal rank fusion, RRF k = 60: 34.5 / 24.4 against 35.9 / 26.8 at 50 / 50).

use std::collections::HashMap;
use std::hash::Hash;

/// Scales `values` to 0..=1 (min to max); all equal → all 1.
fn min_max(values: &[f32]) -> Vec<f32> {
    let lo = values.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let span = hi - lo;
    values
        .iter()
        .map(|v| if span > 0.0 { (v - lo) / span } else { 1.0 })
        .collect()
}

/// The new scores of `lexical` (scores of the best works) with `cosine` (the model's
/// similarity of each, same order; `None` for a work without vectors): `(1 − weight) ×
/// scaled lexical + weight × scaled cosine`. A work without vectors keeps its scaled lexical
/// score for both parts, so it neither gains nor loses by the model's silence.
pub fn mix_scaled(lexical: &[f32], cosine: &[Option<f32>], weight: f32) -> Vec<f32> {
    let lex = min_max(lexical);
    let known: Vec<f32> = cosine.iter().flatten().copied().collect();
    let scaled_known = min_max(&known);
    let mut it = scaled_known.into_iter();
    lex.iter()
        .zip(cosine)
        .map(|(l, c)| {
            let c = match c {
                Some(_) => it.next().unwrap_or(*l),
                None => *l,
            };
            (1.0 - weight) * l + weight * c
        })
        .collect()
}

/// Two scored lists (best first) fused by scaling each to 0..=1 over its own entries and
/// mixing: `(1 − weight) × first + weight × second`, a key missing from a list scoring 0 there.
/// Returns the keys with their fused scores, best first (ties keep first-seen order).
pub fn mix_lists<K: Copy + Eq + Hash>(
    first: &[(K, f32)],
    second: &[(K, f32)],
    weight: f32,
) -> Vec<(K, f32)> {
    let mut scores: HashMap<K, (f32, usize)> = HashMap::new();
    let mut order = 0;
    for (list, w) in [(first, 1.0 - weight), (second, weight)] {
        let scaled = min_max(&list.iter().map(|(_, s)| *s).collect::<Vec<_>>());
        for ((key, _), v) in list.iter().zip(scaled) {
            let entry = scores.entry(*key).or_insert_with(|| {
                order += 1;
                (0.0, order)
            });
            entry.0 += w * v;
        }
    }
    let mut out: Vec<(K, f32, usize)> = scores.into_iter().map(|(k, (s, o))| (k, s, o)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    out.into_iter().map(|(k, s, _)| (k, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_mix_reorders_by_both() {
        // The lexical first has the worst cosine; the third the best.
        let lex = [10.0, 9.0, 5.0];
        let cos = [Some(0.80), Some(0.85), Some(0.90)];
        let mixed = mix_scaled(&lex, &cos, 0.5);
        assert!((mixed[0] - 0.5).abs() < 1e-6, "{mixed:?}");
        assert!(
            (mixed[1] - (0.5 * 0.8 + 0.5 * 0.5)).abs() < 1e-6,
            "{mixed:?}"
        );
        assert!((mixed[2] - 0.5).abs() < 1e-6, "{mixed:?}");
        assert!(mixed[1] > mixed[0]);
        // Weight 0 is the lexical order, weight 1 the model's.
        assert_eq!(mix_scaled(&lex, &cos, 0.0), vec![1.0, 0.8, 0.0]);
        let model = mix_scaled(&lex, &cos, 1.0);
        assert!(model[2] > model[1] && model[1] > model[0]);
    }

    #[test]
    fn a_work_without_vectors_keeps_its_lexical_place() {
        let mixed = mix_scaled(&[10.0, 5.0, 0.0], &[None, Some(0.9), Some(0.1)], 0.5);
        assert_eq!(mixed[0], 1.0);
        assert!(
            (mixed[1] - 0.75).abs() < 1e-6 && mixed[2] == 0.0,
            "{mixed:?}"
        );
        // One score, or all equal: nothing to scale against.
        assert_eq!(mix_scaled(&[3.0], &[Some(0.5)], 0.5), vec![1.0]);
    }

    #[test]
    fn scaled_lists_fuse_with_missing_keys_at_zero() {
        let lexical = [('a', 12.0), ('b', 8.0), ('c', 4.0)];
        let model = [('c', 0.9), ('d', 0.7), ('a', 0.5)];
        let fused = mix_lists(&lexical, &model, 0.7);
        let get = |k| fused.iter().find(|(x, _)| *x == k).unwrap().1;
        // a: 0.3 × 1 + 0.7 × 0; c: 0.3 × 0 + 0.7 × 1; b: 0.3 × 0.5; d: 0.7 × 0.5.
        assert!((get('a') - 0.3).abs() < 1e-6 && (get('c') - 0.7).abs() < 1e-6);
        assert!((get('b') - 0.15).abs() < 1e-6 && (get('d') - 0.35).abs() < 1e-6);
        let keys: Vec<char> = fused.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!['c', 'd', 'a', 'b']);
        // An empty list leaves the other's order.
        let alone = mix_lists(&lexical, &[], 0.7);
        assert_eq!(
            alone.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec!['a', 'b', 'c']
        );
    }
}
