//! The model's part in a search (see `crate::semantic`), when one was imported:
//! - **hybrid**: the lexical ranking's best works re-ranked with the model's similarity;
//! - **cross-lingual**: a query in another language than the `lang` filter is answered by the
//!   model's nearest works of that language fused with the lexical ranking there;
//! - **the other language**: without a `lang` filter, the model's nearest works in the other
//!   language than the query's, listed apart.
//!
//! Each constant was chosen with `bench/relevance` (the hybrid column and the cross-lingual
//! table); the figures are in its RESULTS.md.

use std::collections::HashSet;

use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use super::units::{Matches, Ranked};
use crate::error::AppError;
use crate::semantic::fuse::{mix_lists, mix_scaled};
use crate::semantic::vectors::Vectors;

/// How many of the lexical ranking's best works the model re-ranks, by the query's language.
/// Vietnamese questions gain from a deeper list once the model abstains on pages it did not
/// read (mixed library at 0.5 of the model: 20 → 40 lifted ViMedAQA 86.25 → 86.46, ViRHE4QA
/// 84.07 → 84.28, Known-vi 97.30 → 97.42; bench/relevance/HYBRID.md). English known items lost
/// at 40 (98.78 → 98.70, below the words alone), so English stays at 20.
pub fn hybrid_depth(query_lang: &str) -> usize {
    if query_lang == "vi" {
        40
    } else {
        20
    }
}

/// The model's share of a hybrid score (both scaled over those works), by the query's
/// language. English queries lean on the words more: the lexical ranking is strong there and
/// known-item queries name what they want (at 0.5 English known items fell from 98.66 to
/// 98.39; at 0.3 they rose to 99.01, NFCorpus from 34.70 to 36.54 nDCG@10 and Cranfield from
/// 35.60 to 38.10). Vietnamese questions gain most from the model, known items less: at depth
/// 40, mixed library, 0.5 / 0.55 / 0.6 gave ViMedAQA 86.46 / 86.60 / 86.87 and ALQAC 96.48 /
/// 96.66 / 96.71, but Known-vi over the PDFs alone 98.72 / 98.56 / 98.09 (the words alone
/// 98.41: a query naming an author, whom the model never reads, loses its document).
pub fn hybrid_weight(query_lang: &str) -> f32 {
    if query_lang == "vi" {
        0.55
    } else {
        0.3
    }
}
/// How many of the model's nearest works of the query's language join the re-ranked head of
/// a free-text query when the words did not rank them there: the words miss a work that says
/// the same thing in other words (ViMedAQA's gold was outside the words' best 40 for 42 of 1,000
/// questions). Each joins as the least of the head by the words, so only the model lifts it.
/// Mixed library, without → with the 3 nearest: ViMedAQA 86.60 → 86.76, ViRe4MRC 17.48 →
/// 17.89, NFCorpus 35.17 → 35.44, Known-vi 97.46 → 97.58, ALQAC 96.66 both, Cranfield 39.51 →
/// 39.41; 5 or 10 took ALQAC to 96.53 / 96.50 (bench/relevance/HYBRID.md).
pub const HYBRID_NEAREST: usize = 3;
/// How many of the model's nearest works, and of the lexical ranking's best, a cross-lingual
/// search fuses.
pub const CROSS_DEPTH: usize = 100;
/// The model's share of a cross-lingual score (each list scaled over its own works).
pub const CROSS_MODEL_WEIGHT: f32 = 0.7;
/// How many works of the other language a response lists.
pub const OTHER_LANGUAGE_HITS: usize = 5;

/// The language a query is in, for choosing the mode: Vietnamese or (anything else) English.
pub fn query_language(vietnamese: bool) -> &'static str {
    if vietnamese {
        "vi"
    } else {
        "en"
    }
}

/// The other language of the two the library holds.
pub fn other_language(lang: &str) -> &'static str {
    if lang == "vi" {
        "en"
    } else {
        "vi"
    }
}

/// Re-ranks the first [`hybrid_depth`] works of `ranked` with the model. `nearest` (the
/// model's nearest works of the query's language, for a free-text query) join that head first,
/// each as the least of it by the words; not when the words matched nothing, since the nearest
/// works to words that are nowhere in the library (a typo, a name it does not hold) are noise.
/// Returns how many works that the words had not matched joined (they add to the total).
pub fn hybrid(
    vectors: &Vectors,
    query: &[f32],
    query_lang: &str,
    nearest: &[(DocAddress, f32)],
    ranked: &mut Vec<Ranked>,
    matches: &Matches,
) -> usize {
    let mut n = ranked.len().min(hybrid_depth(query_lang));
    let mut added = 0;
    if n > 0 {
        let floor = ranked[..n]
            .iter()
            .map(|r| r.score)
            .reduce(f32::min)
            .unwrap_or(0.0);
        for (addr, _) in nearest.iter().take(HYBRID_NEAREST) {
            let joining = match ranked.iter().position(|r| r.addr == *addr) {
                Some(i) if i < n => continue,
                Some(i) => ranked.remove(i),
                None => {
                    added += usize::from(!matches.contains(*addr));
                    Ranked {
                        score: 0.0,
                        addr: *addr,
                        page: None,
                    }
                }
            };
            ranked.insert(
                n,
                Ranked {
                    score: floor,
                    ..joining
                },
            );
            n += 1;
        }
    }
    rerank_head(vectors, query, query_lang, &mut ranked[..n]);
    added
}

/// Re-ranks `head` by the lexical score and the model's similarity, both scaled over it.
fn rerank_head(vectors: &Vectors, query: &[f32], query_lang: &str, head: &mut [Ranked]) {
    if head.len() < 2 {
        return;
    }
    let works: Vec<(DocAddress, Option<u32>)> = head.iter().map(|r| (r.addr, r.page)).collect();
    let cosines = vectors.cosines(&works, query, query_lang);
    let lexical: Vec<f32> = head.iter().map(|r| r.score).collect();
    // Mixed scores lie in 0..=1; the works below the head keep their order after them.
    let mixed = mix_scaled(&lexical, &cosines, hybrid_weight(query_lang));
    for (r, m) in head.iter_mut().zip(mixed) {
        r.score = m;
    }
    head.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.addr.cmp(&b.addr)));
}

/// The lexical ranking of the target language fused with the model's nearest works there
/// (`filter`: the request's filters, the `lang` one included). A work that `translated` lists
/// (the translation of one of the query language's nearest works, with that work's score)
/// scores the better of its own score and its original's: the model matches a query to a work
/// of the query's language far better than to one of another (bench/relevance/D2L.md).
/// Returns the fused ranking and how many of its works the lexical search had not matched
/// (they add to the total).
#[allow(clippy::too_many_arguments)]
pub fn cross_lingual(
    searcher: &Searcher,
    vectors: &Vectors,
    query: &[f32],
    query_lang: &str,
    target: &str,
    filter: &dyn Query,
    lexical: &[Ranked],
    translated: &[(DocAddress, f32)],
    matches: &Matches,
) -> Result<(Vec<Ranked>, usize), AppError> {
    let mut nearest = vectors.nearest(searcher, filter, query, query_lang, target, CROSS_DEPTH)?;
    with_translations(&mut nearest, translated);
    let lex: Vec<(DocAddress, f32)> = lexical
        .iter()
        .take(CROSS_DEPTH)
        .map(|r| (r.addr, r.score))
        .collect();
    let fused = mix_lists(&lex, &nearest, CROSS_MODEL_WEIGHT);
    let pages: std::collections::HashMap<DocAddress, Option<u32>> =
        lexical.iter().map(|r| (r.addr, r.page)).collect();
    let added = nearest
        .iter()
        .filter(|(a, _)| !matches.contains(*a))
        .count();
    let out = fused
        .into_iter()
        .map(|(addr, score)| Ranked {
            score,
            addr,
            page: pages.get(&addr).copied().flatten(),
        })
        .collect();
    Ok((out, added))
}

/// Raises each work of `translated` in `nearest` (both best first) to its original's score
/// when that is higher, adding it when absent, and keeps the [`CROSS_DEPTH`] best.
pub(super) fn with_translations(
    nearest: &mut Vec<(DocAddress, f32)>,
    translated: &[(DocAddress, f32)],
) {
    if translated.is_empty() {
        return;
    }
    for &(addr, score) in translated {
        match nearest.iter_mut().find(|(a, _)| *a == addr) {
            Some(entry) => entry.1 = entry.1.max(score),
            None => nearest.push((addr, score)),
        }
    }
    nearest.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    nearest.truncate(CROSS_DEPTH);
}

/// The other language's works to list apart: the model's `nearest` there, leaving out those
/// already listed.
pub fn other_language_hits(
    nearest: &[(DocAddress, f32)],
    listed: &HashSet<DocAddress>,
) -> Vec<Ranked> {
    nearest
        .iter()
        .filter(|(a, _)| !listed.contains(a))
        .take(OTHER_LANGUAGE_HITS)
        .map(|&(addr, score)| Ranked {
            score,
            addr,
            page: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(query_language(true), "vi");
        assert_eq!(query_language(false), "en");
        assert_eq!(other_language("vi"), "en");
        assert_eq!(other_language("en"), "vi");
    }

    #[test]
    fn the_models_nearest_works_join_a_free_text_head() {
        let dir = tempfile::tempdir().unwrap();
        let depth = hybrid_depth("vi");
        let (data, _) = crate::semantic::vectors::tests::library(dir.path(), depth + 20);
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let v = crate::semantic::vectors::tests::open(&data, &searcher);
        let embedded = crate::semantic::vectors::tests::embedded(&v, &searcher);
        let works: Vec<DocAddress> = embedded.iter().map(|(a, _)| *a).collect();
        // The query is one work's own meta vector, and the words ranked every work but it:
        // more than the head, so some of the model's nearest may sit below it.
        let (target, query) = embedded[works.len() / 2].clone();
        let lexical: Vec<Ranked> = works
            .iter()
            .filter(|a| **a != target)
            .take(depth + 5)
            .enumerate()
            .map(|(i, a)| Ranked {
                score: 100.0 - i as f32,
                addr: *a,
                page: None,
            })
            .collect();
        let nearest = v
            .nearest(
                &searcher,
                &index.fields.works(),
                &query,
                "vi",
                "vi",
                HYBRID_NEAREST,
            )
            .unwrap();
        assert_eq!(nearest[0].0, target, "a work's own vector is nearest to it");
        let matches = Matches::default();

        // Without `nearest` (not free text) the head holds the words' works only.
        let mut ranked = lexical.clone();
        let added = hybrid(&v, &query, "vi", &[], &mut ranked, &matches);
        assert_eq!(added, 0);
        assert!(ranked.iter().all(|r| r.addr != target));
        let mut same: Vec<DocAddress> = ranked[..depth].iter().map(|r| r.addr).collect();
        let mut head: Vec<DocAddress> = lexical[..depth].iter().map(|r| r.addr).collect();
        same.sort();
        head.sort();
        assert_eq!(same, head, "only the head is re-ranked");

        // With it, the model's nearest join the head, each once, and the one the words had
        // not found at all counts as added.
        let mut ranked = lexical.clone();
        let added = hybrid(&v, &query, "vi", &nearest, &mut ranked, &matches);
        let joined = ranked.len() - lexical.len();
        assert!(
            added >= 1 && added == joined,
            "{added} added, {joined} joined"
        );
        let at = ranked.iter().position(|r| r.addr == target).unwrap();
        assert!(at < depth + HYBRID_NEAREST, "in the head: {at}");
        let mut addrs: Vec<DocAddress> = ranked.iter().map(|r| r.addr).collect();
        addrs.sort();
        addrs.dedup();
        assert_eq!(addrs.len(), ranked.len(), "each work once");

        // Words that matched nothing get nothing from the model.
        let mut none = Vec::new();
        assert_eq!(hybrid(&v, &query, "vi", &nearest, &mut none, &matches), 0);
        assert!(none.is_empty());
    }

    #[test]
    fn a_translation_scores_at_least_its_original() {
        let a = |d| DocAddress::new(0, d);
        let mut nearest: Vec<(DocAddress, f32)> = (0..CROSS_DEPTH as u32)
            .map(|d| (a(d), 0.5 - d as f32 / 1000.0))
            .collect();
        // Work 50 is the translation of a work of the query's language that scored 0.8; work
        // 7 of one that scored below its own score; work 500, not among the nearest, of one
        // that scored 0.6.
        with_translations(&mut nearest, &[(a(50), 0.8), (a(7), 0.1), (a(500), 0.6)]);
        assert_eq!(nearest.len(), CROSS_DEPTH);
        assert_eq!(nearest[0], (a(50), 0.8));
        assert_eq!(nearest[1], (a(500), 0.6));
        assert!(nearest.contains(&(a(7), 0.5 - 7.0 / 1000.0)));
        assert!(!nearest.iter().any(|(d, _)| *d == a(CROSS_DEPTH as u32 - 1)));
    }

    #[test]
    fn english_leans_on_the_words_more() {
        assert!(hybrid_weight("en") < hybrid_weight("vi"));
        assert!(hybrid_depth("en") <= hybrid_depth("vi"));
        assert!(hybrid_weight("en") > 0.0 && hybrid_weight("vi") < 1.0);
    }
}
