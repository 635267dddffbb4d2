//! Proximity re-ranking: among the best hits, those where the query's words occur close
//! together rank higher.
//!
//! The ranking query scores words (BM25 on the exact and folded fields) and pairs of words
//! adjacent in the query, but not a passage that holds most of the query's words within a few
//! words of each other, which is what the answer to a question, or the paragraph about a topic,
//! looks like (`cà phê sữa ... đắng` in one sentence of a review against the three words spread
//! over a page). For each of the best [`DEPTH`] hits the *coverage* is the largest share of the
//! query's IDF that the distinct query syllables inside any [`WINDOW`] consecutive positions of
//! the work's folded text hold (0 to 1), and the score becomes `score × (1 + weight ×
//! coverage)`.
//!
//! The same positions say whether the query's words *open* the work: the IDF share of them in
//! its first window (a record's opening sentence names its subject, a PDF's first page holds its
//! title) multiplies the score once more, by `1 + lead × share`. A passage that begins `Men răng
//! là lớp mô...` answers `Men răng có tác dụng gì?` better than one that mentions enamel in
//! passing, with the same words.
//!
//! Positions come from the index (the folded fields keep them for phrase queries), so no stored
//! text is read or tokenised again: a 300-page thesis costs what its query-word occurrences cost.
//! Measured with bench/relevance (MRR@10 of the ViRE question sets, nDCG@10 of NFCorpus), the
//! re-ranking gains on every set: see bench/relevance/RESULTS.md.

use std::collections::HashSet;

use indexer::query::{stats, Weights};

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::units::Ranked;

/// How many of the best hits are re-ranked. Deeper, weak matches that happen to hold two
/// common words side by side would start to overtake better ones.
pub const DEPTH: usize = 20;

/// Width of the window, in word positions: a sentence or two.
pub const WINDOW: u32 = 12;

/// The query's distinct words on one field, with their IDF, and how much coverage weighs.
#[derive(Debug)]
pub struct Proximity {
    field: Field,
    weight: f32,
    lead: f32,
    terms: Vec<Term>,
    idf: Vec<f32>,
    total_idf: f32,
}

impl Proximity {
    /// The words of `words` (folded syllables) that occur in `field` of `documents` works, for
    /// re-ranking with `weights.proximity` (the best window) and `weights.lead` (the first);
    /// `None` when fewer than two do, since one word has no proximity, or when neither weight
    /// is positive.
    pub fn new(
        searcher: &Searcher,
        field: Field,
        words: &[String],
        weights: &Weights,
        documents: u64,
    ) -> tantivy::Result<Option<Proximity>> {
        if weights.proximity <= 0.0 && weights.lead <= 0.0 {
            return Ok(None);
        }
        let mut seen = HashSet::new();
        let mut terms = Vec::new();
        let mut idf = Vec::new();
        for w in words {
            if !seen.insert(w.as_str()) {
                continue;
            }
            let term = Term::from_field_text(field, w);
            let df = searcher.doc_freq(&term)?;
            if df == 0 {
                continue;
            }
            // BM25's IDF, so a window of rare words counts for more than one of common ones.
            idf.push(stats::idf(df, documents));
            terms.push(term);
        }
        if terms.len() < 2 {
            return Ok(None);
        }
        let total_idf = idf.iter().sum();
        Ok(Some(Proximity {
            field,
            weight: weights.proximity.max(0.0),
            lead: weights.lead.max(0.0),
            terms,
            idf,
            total_idf,
        }))
    }

    /// The coverage of each document of `docs`, in the order given: (best window, first
    /// window), each 0 to 1.
    pub fn coverages(
        &self,
        searcher: &Searcher,
        docs: &[DocAddress],
    ) -> tantivy::Result<Vec<(f32, f32)>> {
        let mut out = vec![(0.0, 0.0); docs.len()];
        // Postings only move forward: visit each segment's documents in increasing order.
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
        let mut occurrences: Vec<(u32, usize)> = Vec::new();
        let mut positions = Vec::new();
        for chunk in order.chunk_by(|&a, &b| docs[a].segment_ord == docs[b].segment_ord) {
            let segment = searcher.segment_reader(docs[chunk[0]].segment_ord);
            let inverted = segment.inverted_index(self.field)?;
            let mut postings: Vec<Option<SegmentPostings>> = Vec::with_capacity(self.terms.len());
            for term in &self.terms {
                postings
                    .push(inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?);
            }
            for &i in chunk {
                let doc = docs[i].doc_id;
                occurrences.clear();
                for (k, p) in postings.iter_mut().enumerate() {
                    let Some(p) = p else { continue };
                    if p.doc() < doc {
                        p.seek(doc);
                    }
                    if p.doc() == doc {
                        positions.clear();
                        p.positions(&mut positions);
                        occurrences.extend(positions.iter().map(|&pos| (pos, k)));
                    }
                }
                occurrences.sort_unstable();
                out[i] = self.windows(&occurrences);
            }
        }
        Ok(out)
    }

    /// The largest IDF share of distinct terms within [`WINDOW`] positions, and the share in
    /// the first [`WINDOW`] positions (the window before it first slides), over `occurrences`
    /// (position, term) sorted by position.
    fn windows(&self, occurrences: &[(u32, usize)]) -> (f32, f32) {
        let mut count = vec![0u32; self.terms.len()];
        let mut inside = 0.0f32;
        let mut best = 0.0f32;
        let mut lead = 0.0f32;
        let mut start = 0;
        for &(pos, k) in occurrences {
            if count[k] == 0 {
                inside += self.idf[k];
            }
            count[k] += 1;
            if pos < WINDOW {
                lead = inside;
            }
            while occurrences[start].0 + WINDOW <= pos {
                let j = occurrences[start].1;
                count[j] -= 1;
                if count[j] == 0 {
                    inside -= self.idf[j];
                }
                start += 1;
            }
            best = best.max(inside);
        }
        let share = |x: f32| (x / self.total_idf).min(1.0);
        (share(best), share(lead))
    }

    /// Re-ranks the first [`DEPTH`] of `hits` (best first) by `score × (1 + weight ×
    /// coverage) × (1 + lead × opening)`; equal scores keep their order, and hits past the
    /// depth keep their place.
    pub fn rerank(&self, searcher: &Searcher, hits: &mut [Ranked]) -> tantivy::Result<()> {
        let head = hits.len().min(DEPTH);
        let docs: Vec<DocAddress> = hits[..head].iter().map(|h| h.addr).collect();
        let coverages = self.coverages(searcher, &docs)?;
        for (hit, (window, lead)) in hits[..head].iter_mut().zip(coverages) {
            hit.score *= (1.0 + self.weight * window) * (1.0 + self.lead * lead);
        }
        hits[..head].sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use indexer::index::{create_in_ram, write_document, SearchIndex};
    use indexer::ingest::records::RecordFields;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;

    use super::*;

    /// A sentence of a ViRe4MRC review (`../shared/ir/vire-vi`), which answers "Cà phê sữa của
    /// quán ra sao?", and other sentences of the same review.
    const ANSWER: &str = "Cà phê sữa : đắng kinh khủng ko uống dc";
    const OTHER: &str = "Bánh gạo : dai và ngọt quá mình ăn ko nổi , ăn dc vài miếng bỏ , \
                         trứng ốp thì chín quá mình thích trứng lòng đào hơn";

    /// Adds `text` as the record `id`.
    fn add(index: &SearchIndex, writer: &tantivy::IndexWriter, id: usize, text: &str) {
        let row = serde_json::json!({"id": id.to_string(), "text": text});
        let (fields, _) = RecordFields::from_map(row.as_object().unwrap(), &[]).unwrap();
        let doc = fields.into_document("c", 0).unwrap();
        write_document(writer, &index.fields, &doc).unwrap();
    }

    /// An index of `texts` (one record each, ids `0`, `1`...) and its searcher.
    fn index(texts: &[String]) -> (Searcher, Field, TermQuery) {
        let index = create_in_ram();
        let writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .unwrap();
        for (i, text) in texts.iter().enumerate() {
            add(&index, &writer, i, text);
        }
        let mut writer = writer;
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        (searcher, index.fields.text_folded, index.fields.works())
    }

    /// How many works the snapshot holds.
    fn works(searcher: &Searcher, works: &TermQuery) -> u64 {
        searcher.search(works, &tantivy::collector::Count).unwrap() as u64
    }

    /// The window alone, as measured before the lead.
    fn window_only() -> Weights {
        Weights {
            proximity: 0.15,
            lead: 0.0,
            ..Weights::default()
        }
    }

    /// The re-ranking of `q` over the works of `searcher`, which must have one.
    fn proximity(
        searcher: &Searcher,
        field: Field,
        q: &str,
        weights: &Weights,
        n: u64,
    ) -> Proximity {
        Proximity::new(searcher, field, &words(q), weights, n)
            .unwrap()
            .unwrap()
    }

    fn hit(score: f32, addr: DocAddress) -> Ranked {
        Ranked {
            score,
            addr,
            page: None,
        }
    }

    fn words(q: &str) -> Vec<String> {
        indexer::query::AnalyzedQuery::new(q).folded
    }

    /// Addresses of every work, in id order (one segment, added in order).
    fn all(searcher: &Searcher, works: &TermQuery) -> Vec<DocAddress> {
        let mut docs: Vec<DocAddress> = searcher
            .search(works, &TopDocs::with_limit(100).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        docs.sort();
        docs
    }

    #[test]
    fn coverage_is_the_idf_share_inside_one_window() {
        let texts = [
            // The words side by side.
            format!("{ANSWER} . {OTHER}"),
            // The same words, `đắng` more than a window away from `cà phê sữa`.
            format!("Cà phê sữa : {OTHER} , đắng kinh khủng ko uống dc"),
            // Only `cà phê`.
            format!("Cà phê : {OTHER}"),
            OTHER.to_string(),
        ];
        let (searcher, field, w) = index(&texts);
        let n = works(&searcher, &w);
        let p = proximity(
            &searcher,
            field,
            "Cà phê sữa có đắng không?",
            &window_only(),
            n,
        );
        let c: Vec<f32> = p
            .coverages(&searcher, &all(&searcher, &w))
            .unwrap()
            .into_iter()
            .map(|(window, _)| window)
            .collect();
        assert_eq!(c[0], 1.0);
        assert!(c[1] > 0.0 && c[1] < 1.0, "{c:?}");
        assert!(c[2] > 0.0 && c[2] < c[1], "{c:?}");
        assert_eq!(c[3], 0.0);
        // The answer holds all four syllables; the spread one at most three in one window.
        let idf_share = |k: usize| p.idf[k] / p.total_idf;
        let dang = p
            .terms
            .iter()
            .position(|t| t.value().as_str() == Some("dang"))
            .unwrap();
        assert!((c[1] - (1.0 - idf_share(dang))).abs() < 1e-6, "{c:?}");
    }

    #[test]
    fn deleted_documents_do_not_turn_the_share_negative() {
        let index = create_in_ram();
        let mut writer = index
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
            .unwrap();
        // Keep the deleted documents in their segment, as between two merges.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for id in 0..3 {
            add(&index, &writer, id, ANSWER);
        }
        add(&index, &writer, 3, OTHER);
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(index.fields.text_folded, "dang"));
        writer.commit().unwrap();
        add(&index, &writer, 4, ANSWER);
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let live = works(&searcher, &index.fields.works());
        assert_eq!(live, 2);
        let field = index.fields.text_folded;
        assert_eq!(
            searcher
                .doc_freq(&Term::from_field_text(field, "dang"))
                .unwrap(),
            4
        );
        let p = proximity(&searcher, field, "cà phê sữa đắng", &window_only(), live);
        let hits = searcher
            .search(
                &tantivy::query::TermQuery::new(
                    Term::from_field_text(field, "dang"),
                    IndexRecordOption::Basic,
                ),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(p.coverages(&searcher, &[hits[0].1]).unwrap(), [(1.0, 1.0)]);
    }

    #[test]
    fn one_word_or_unknown_words_have_no_proximity() {
        let (searcher, field, _) = index(&[ANSWER.to_string()]);
        for q in ["đắng", "đắng đắng", "bingsu ổi", ""] {
            assert!(
                Proximity::new(&searcher, field, &words(q), &window_only(), 1)
                    .unwrap()
                    .is_none(),
                "{q}"
            );
        }
    }

    #[test]
    fn rerank_moves_close_words_up_within_the_depth_only() {
        let spread = format!("Cà phê sữa : {OTHER} , đắng kinh khủng ko uống dc");
        let close = format!("{ANSWER} . {OTHER}");
        let mut texts = vec![spread.clone(); DEPTH];
        texts.push(close.clone());
        texts.insert(1, close);
        let (searcher, field, w) = index(&texts);
        let docs = all(&searcher, &w);
        let p = proximity(
            &searcher,
            field,
            "cà phê sữa đắng",
            &window_only(),
            works(&searcher, &w),
        );
        // Equal scores: only proximity can order them.
        let mut hits: Vec<Ranked> = docs.iter().map(|a| hit(1.0, *a)).collect();
        p.rerank(&searcher, &mut hits).unwrap();
        // Positions in `docs` (work units are every other document: passage, work, ...).
        let order: Vec<u32> = hits
            .iter()
            .map(|h| docs.iter().position(|d| *d == h.addr).unwrap() as u32)
            .collect();
        // The close one inside the depth comes first, the rest keep their order; the close
        // one past the depth stays where it was.
        let mut expected: Vec<u32> = vec![1, 0];
        expected.extend(2..DEPTH as u32);
        expected.push(DEPTH as u32);
        expected.push(DEPTH as u32 + 1);
        assert_eq!(order, expected);
        assert!(hits[0].score > hits[1].score);
        // A clear BM25 lead is not overturned by proximity alone.
        let mut hits = vec![hit(2.0, docs[0]), hit(1.0, docs[1])];
        p.rerank(&searcher, &mut hits).unwrap();
        assert_eq!(hits[0].addr, docs[0]);
    }

    #[test]
    fn words_that_open_the_work_count_again() {
        // Two ViMedAQA passages (`../shared/ir/vire-vi`) for `Men răng có tác dụng gì?`: the
        // one about enamel names it first; the next has `men` in its first window and `răng`
        // just past it (its 13th word), and a third names it only further on.
        let texts = [
            "Men răng là lớp mô vô bào mỏng bao phủ bên ngoài của răng".to_string(),
            "Thiểu sản men là sự hình thành không hoàn toàn của men răng".to_string(),
            format!("{OTHER} , men răng"),
        ];
        let (searcher, field, w) = index(&texts);
        let docs = all(&searcher, &w);
        let weights = Weights {
            proximity: 0.0,
            lead: 0.1,
            ..Weights::default()
        };
        let n = works(&searcher, &w);
        let p = proximity(&searcher, field, "Men răng có tác dụng gì?", &weights, n);
        let c = p.coverages(&searcher, &docs).unwrap();
        // Only `men răng` of the query's words is in any text, each in all three.
        assert_eq!(c[0].1, 1.0, "{c:?}");
        assert!((c[1].1 - 0.5).abs() < 1e-6, "{c:?}");
        assert_eq!(c[2].1, 0.0, "{c:?}");
        let mut hits: Vec<Ranked> = [2, 0].iter().map(|&i| hit(1.0, docs[i])).collect();
        p.rerank(&searcher, &mut hits).unwrap();
        assert_eq!(hits[0].addr, docs[0]);
        assert!(
            (hits[0].score - 1.1).abs() < 1e-6 && hits[1].score == 1.0,
            "{:?}",
            hits[0].score
        );
    }
}
