//! Translation links: a work and its translation in the library's other language (the
//! Vietnamese edition of an English textbook, a report filed in both languages), found from
//! the model's vectors, with nothing for a librarian to record.
//!
//! Why search uses them: the model matches a few words of a query to a passage of the other
//! language weakly, to a passage of the query's own language much better, and a passage to its
//! translation best of all. So in a cross-lingual search a work scores at least what its
//! translation scores against the query in the query's own language
//! (`search::blend::cross_lingual`). On the d2l sections (bench/relevance/D2L.md) that took
//! MRR@10 from 36.4 / 31.2 to 44.9 / 47.5 (Vietnamese → English / English → Vietnamese).
//!
//! How a link is found: the margin criterion used to mine parallel sentences from the web
//! (Artetxe and Schwenk, "Margin-based parallel corpus mining", 2019) on each work's *link
//! vector* (its meta vector and its first passage, each centred on its language's mean). A work
//! `a` and its nearest work `b` of the other language are linked when `a` is also `b`'s nearest
//! in `a`'s language, their cosine exceeds [`LINK_MARGIN`] times the mean cosine of each with
//! its [`LINK_NEIGHBOURS`] nearest across, and it exceeds the runner-up of either by
//! [`LINK_GAP`]: a pair much closer than either is to anything else. A work whose subject the
//! other language merely shares is close to several works there, not to one. Where a subject
//! is crowded a translation can miss that gap; it is linked at the smaller
//! [`LINK_MARGIN_WITH_MARKS`] when the two texts share their [`Marks`] (numbers, symbols,
//! English terms kept in Vietnamese).
//! - d2l (287 English sections, 695 Vietnamese, 287 true pairs): 259 pairs linked, all true
//!   (235 by the vectors alone).
//! - The mixed library of bench/relevance (2,643 Vietnamese works, no translations among
//!   them): 3 linked, against 285 by the margin alone at 1.1 (a Vietnamese medical answer to an
//!   English medical abstract: related, not translated).
//!
//! Written here because no crate mines links over a vector store; it is a few dozen lines over
//! this module's tables. Links are found when first asked for and kept for the generation: a
//! cross-lingual search asks for those of its [`TRANSLATION_PIVOTS`] nearest works of the
//! query's language, two short passes over the meta vectors each the first time (0.3 ms a
//! work over d2l's 982 works, 1.2 ms over the mixed library's 8,000).

mod marks;

use rayon::prelude::*;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use indexer::vectors::quant::QueryVector;

use super::vectors::{admitted, normalised, Admitted, Vectors};
use crate::error::AppError;
pub use marks::Marks;

/// How many nearest works across a link's margin is measured against.
const LINK_NEIGHBOURS: usize = 4;
/// How many works nearest by their meta vectors are compared by link vectors.
const LINK_SHORTLIST: usize = 16;
/// How many works the sign codes keep for the meta vectors' dot products. A translation is
/// near enough to be among very few: on d2l 128 found the same links as 2,400, and at 10⁵
/// works 2,400 took a link 2.6 ms (the dot products read rows scattered over 27 MB), 256
/// took 1.2 ms.
const LINK_COARSE: usize = 256;
/// How much closer than their neighbourhoods a work and its translation are (a ratio of
/// cosines), and by how much their cosine beats the runner-up of either. Chosen on d2l and the
/// mixed library (above): at 1.2 and 0.07 d2l kept 235 of 287 true links and no false one, the
/// mixed library 3 false links of 2,643 works; at 1.1 and 0.03, 256 (one false) and 73.
pub const LINK_MARGIN: f32 = 1.2;
/// See [`LINK_MARGIN`].
pub const LINK_GAP: f32 = 0.07;
/// The margin that suffices, whatever the gap, when the two texts share their [`Marks`]
/// (numbers, symbols, terms kept in English). On d2l that links 259 true pairs of 287 and no
/// false one, against 235 by the vectors alone; in the mixed library it adds no link (of its
/// 535 mutual nearest pairs across, one shares the marks, at a margin of 1.05).
pub const LINK_MARGIN_WITH_MARKS: f32 = 1.1;
/// How many of the query language's nearest works a cross-lingual search follows to their
/// translations. On d2l 5 / 10 / 20 gave MRR@10 43.5 / 44.1 / 44.6 (Vietnamese → English) and
/// 45.5 / 45.5 / 45.7 (English → Vietnamese).
pub const TRANSLATION_PIVOTS: usize = 10;

impl Vectors {
    /// `addr`'s translation in `target` (another language than its own), if the library holds
    /// one.
    pub fn translation(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        target: &str,
    ) -> Option<DocAddress> {
        if self.langs.of(addr)? == target {
            return None;
        }
        let key = (addr, target.to_string());
        let known = self
            .translations
            .lock()
            .ok()
            .and_then(|m| m.get(&key).copied());
        if let Some(found) = known {
            return found;
        }
        let found = self.find_translation(searcher, addr, target);
        if let Ok(mut m) = self.translations.lock() {
            m.insert(key, found);
        }
        found
    }

    /// The translations in `target` that `filter` admits of `works` (in another language, best
    /// first, each with its score), each with the score of the work it translates; one entry a
    /// translation, best first.
    pub fn translated(
        &self,
        searcher: &Searcher,
        filter: &dyn Query,
        works: &[(DocAddress, f32)],
        target: &str,
    ) -> Result<Vec<(DocAddress, f32)>, AppError> {
        // Each new link is two passes over a language's meta vectors: on both cores.
        let links: Vec<Option<DocAddress>> = works
            .par_iter()
            .map(|&(addr, _)| self.translation(searcher, addr, target))
            .collect();
        let mut found: Vec<(DocAddress, f32)> = Vec::new();
        for (link, &(_, score)) in links.into_iter().zip(works) {
            if let Some(t) = link {
                if !found.iter().any(|(a, _)| *a == t) {
                    found.push((t, score));
                }
            }
        }
        if found.is_empty() {
            return Ok(found);
        }
        let bits = searcher.search(filter, &Admitted)?;
        found.retain(|(a, _)| admitted(&bits, *a));
        Ok(found)
    }

    fn find_translation(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        target: &str,
    ) -> Option<DocAddress> {
        let c = self.candidate(addr, target)?;
        c.linked(|| self.marks_agree(searcher, addr, c.addr))
            .then_some(c.addr)
    }

    /// `addr`'s nearest work in `target` when `addr` is that work's nearest in its own
    /// language too, with what decides whether they are translations; `None` otherwise.
    fn candidate(&self, addr: DocAddress, target: &str) -> Option<Candidate> {
        let own = self.langs.of(addr)?;
        if own == target {
            return None;
        }
        let (meta, link) = self.link_vectors(self.hash(addr)?, own)?;
        let forward = self.neighbours(&meta, &link, target)?;
        let (cosine, candidate) = forward[0];
        let (meta, link) = self.link_vectors(self.hash(candidate)?, target)?;
        let backward = self.neighbours(&meta, &link, own)?;
        if backward[0].1 != addr {
            return None;
        }
        let mean = |l: &[(f32, DocAddress)]| l.iter().map(|(c, _)| c).sum::<f32>() / l.len() as f32;
        Some(Candidate {
            addr: candidate,
            cosine,
            around: (mean(&forward) + mean(&backward)) / 2.0,
            runner_up: forward[1].0.max(backward[1].0),
        })
    }

    /// Whether the stored texts of `a` and `b` (title, keywords, abstract, pages) share their
    /// [`Marks`].
    fn marks_agree(&self, searcher: &Searcher, a: DocAddress, b: DocAddress) -> bool {
        match (self.marks(searcher, a), self.marks(searcher, b)) {
            (Some(a), Some(b)) => a.agree(&b),
            _ => false,
        }
    }

    fn marks(&self, searcher: &Searcher, addr: DocAddress) -> Option<Marks> {
        let doc: TantivyDocument = searcher.doc(addr).ok()?;
        let f = &self.fields;
        let texts = [
            f.title.exact,
            f.keywords.exact,
            f.abstract_text.exact,
            f.body,
        ]
        .into_iter()
        .flat_map(|field| doc.get_all(field).filter_map(|v| v.as_str()));
        Some(Marks::of(texts))
    }

    /// A work's meta vector, and what links compare: its meta vector and its first passage,
    /// each centred on the language's mean and normalised, summed and normalised (the opening
    /// of a text says more of it than a title).
    fn link_vectors(&self, hash: &str, lang: &str) -> Option<(Vec<f32>, Vec<f32>)> {
        let mean = self.means.get(lang)?;
        let stored = self.store.vectors(hash)?;
        let centred = |v: &[f32]| normalised(v.iter().zip(mean).map(|(x, m)| x - m).collect());
        let meta = centred(&stored.iter().find(|(k, _)| k.is_meta())?.1);
        let link = match stored.iter().find(|(k, _)| !k.is_meta()) {
            Some((_, first)) => normalised(
                meta.iter()
                    .zip(centred(first))
                    .map(|(a, b)| a + b)
                    .collect(),
            ),
            None => meta.clone(),
        };
        Some((meta, link))
    }

    /// The [`LINK_NEIGHBOURS`] works of `lang` nearest to a work whose centred meta vector is
    /// `meta` and link vector `link`, best first: the [`LINK_SHORTLIST`] nearest by meta
    /// vectors, compared by link vectors. `None` when the language has fewer works.
    fn neighbours(&self, meta: &[f32], link: &[f32], lang: &str) -> Option<Vec<(f32, DocAddress)>> {
        let table = self.metas.get(lang)?;
        if table.addrs.len() < LINK_NEIGHBOURS {
            return None;
        }
        let mean = self.means.get(lang)?;
        let qm = meta.iter().zip(mean).map(|(a, b)| a * b).sum();
        let short = table.best(
            None,
            &QueryVector::new(meta),
            qm,
            LINK_SHORTLIST,
            LINK_COARSE,
        );
        let mut best: Vec<(f32, DocAddress)> = short
            .into_iter()
            .filter_map(|(_, row)| {
                let addr = table.addrs[row];
                let (_, theirs) = self.link_vectors(self.hash(addr)?, lang)?;
                Some((theirs.iter().zip(link).map(|(a, b)| a * b).sum(), addr))
            })
            .collect();
        if best.len() < LINK_NEIGHBOURS {
            return None;
        }
        best.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        best.truncate(LINK_NEIGHBOURS);
        Some(best)
    }
}

/// A work's nearest work across, which has it as its nearest in return.
struct Candidate {
    addr: DocAddress,
    /// Their cosine (of link vectors).
    cosine: f32,
    /// The mean cosine of each with its [`LINK_NEIGHBOURS`] nearest across.
    around: f32,
    /// The cosine of the runner-up of either.
    runner_up: f32,
}

impl Candidate {
    fn margin(&self) -> f32 {
        if self.around > 0.0 {
            self.cosine / self.around
        } else {
            0.0
        }
    }

    fn gap(&self) -> f32 {
        self.cosine - self.runner_up
    }

    /// Whether the two are translations: by the vectors alone, or by a smaller margin when
    /// `marks_agree` (read only then: it loads both texts).
    fn linked(&self, marks_agree: impl FnOnce() -> bool) -> bool {
        (self.margin() >= LINK_MARGIN && self.gap() >= LINK_GAP)
            || (self.margin() >= LINK_MARGIN_WITH_MARKS && marks_agree())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::semantic::vectors::tests::{ingested, open, unit, Noise};
    use indexer::data_dir::DataDir;
    use indexer::schema::names;
    use indexer::vectors::writer::StoreWriter;
    use indexer::vectors::VectorKind;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Value};
    use tantivy::{TantivyDocument, Term};

    fn sum(parts: &[(f32, &[f32])]) -> Vec<f32> {
        (0..384)
            .map(|i| parts.iter().map(|(w, v)| w * v[i]).sum())
            .collect()
    }

    /// Six Vietnamese works with their English translations (`vi-i`, `en-i`), four English
    /// works with none (`en-only-k`), and two Vietnamese surveys each as near two of those
    /// (`survey-j`): real text, made-up vectors shaped as the model's are (every vector of a
    /// language shares its direction, which centring removes; a translation is its original
    /// plus a little noise). Returns the library and each work's address by id.
    fn bilingual(
        dir: &std::path::Path,
    ) -> (DataDir, tantivy::Searcher, HashMap<String, DocAddress>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let texts: Vec<String> = std::fs::read_to_string(root.join("corpus/records/d2l-vi.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].to_string())
            .collect();
        let mut ids: Vec<(String, &str)> = Vec::new();
        for i in 0..6 {
            ids.push((format!("vi-{i}"), "vi"));
            ids.push((format!("en-{i}"), "en"));
        }
        for k in 0..4 {
            ids.push((format!("en-only-{k}"), "en"));
        }
        for j in 0..2 {
            ids.push((format!("survey-{j}"), "vi"));
        }
        let records: String = ids
            .iter()
            .enumerate()
            .map(|(n, (id, lang))| {
                let r = serde_json::json!({
                    "id": id, "language": lang, "text": texts[n % texts.len()],
                });
                format!("{r}\n")
            })
            .collect();
        let data = ingested(dir, &records);

        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        let language: HashMap<&str, Vec<f32>> = [("vi", noise.vector()), ("en", noise.vector())]
            .into_iter()
            .collect();
        let mut subject: HashMap<String, Vec<f32>> = HashMap::new();
        for i in 0..6 {
            subject.insert(format!("{i}"), noise.vector());
        }
        for k in 0..4 {
            subject.insert(format!("only-{k}"), noise.vector());
        }
        let vector_of = |id: &str, lang: &str, noise: &mut Noise| -> Vec<f32> {
            let own = match id.strip_prefix("survey-") {
                Some(j) => {
                    let j: usize = j.parse().unwrap();
                    let (a, b) = (
                        &subject[&format!("only-{}", 2 * j)],
                        &subject[&format!("only-{}", 2 * j + 1)],
                    );
                    sum(&[(1.0, a), (1.0, b)])
                }
                None => subject[id.split_once('-').unwrap().1].clone(),
            };
            unit(sum(&[
                (1.0, &own),
                (1.5, &language[lang]),
                (0.15, &noise.vector()),
            ]))
        };

        let index = indexer::index::open(&data.index_dir()).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let id_field = searcher.schema().get_field(names::ID).unwrap();
        let mut w = StoreWriter::open(&data, "b", 384).unwrap();
        let mut addrs = HashMap::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let hashes = seg.fast_fields().str(names::CONTENT_HASH).unwrap().unwrap();
            for doc in seg.doc_ids_alive() {
                let Some(term) = hashes.term_ords(doc).next() else {
                    continue;
                };
                let mut hash = String::new();
                hashes.ord_to_str(term, &mut hash).unwrap();
                let addr = DocAddress::new(ord as u32, doc);
                let stored: TantivyDocument = searcher.doc(addr).unwrap();
                let id = stored
                    .get_first(id_field)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string();
                let lang = ids.iter().find(|(i, _)| *i == id).unwrap().1;
                let meta = vector_of(&id, lang, &mut noise);
                let passage = vector_of(&id, lang, &mut noise);
                w.append(
                    &hash,
                    &[
                        (VectorKind::Meta, meta),
                        (VectorKind::Passage { page: 1 }, passage),
                    ],
                )
                .unwrap();
                addrs.insert(id, addr);
            }
        }
        w.sync().unwrap();
        (data, searcher, addrs)
    }

    #[test]
    fn a_work_is_linked_to_its_translation_and_to_nothing_it_only_resembles() {
        let dir = tempfile::tempdir().unwrap();
        let (data, searcher, at) = bilingual(dir.path());
        let v = open(&data, &searcher);
        for i in 0..6 {
            let (vi, en) = (at[&format!("vi-{i}")], at[&format!("en-{i}")]);
            assert_eq!(v.translation(&searcher, vi, "en"), Some(en), "vi-{i}");
            assert_eq!(v.translation(&searcher, en, "vi"), Some(vi), "en-{i}");
            assert_eq!(
                v.translation(&searcher, vi, "vi"),
                None,
                "a work is not its own translation"
            );
        }
        // Each survey is the nearest Vietnamese work of two English ones and nearest to both
        // of them alike: close, not translated.
        for j in 0..2 {
            assert_eq!(
                v.translation(&searcher, at[&format!("survey-{j}")], "en"),
                None,
                "survey-{j}"
            );
            for k in [2 * j, 2 * j + 1] {
                assert_eq!(
                    v.translation(&searcher, at[&format!("en-only-{k}")], "vi"),
                    None,
                    "en-only-{k}"
                );
            }
        }
        // Asked again, the answer is the one kept.
        assert_eq!(v.translation(&searcher, at["vi-0"], "en"), Some(at["en-0"]));
    }

    #[test]
    fn a_pair_is_linked_by_a_clear_margin_or_by_a_smaller_one_with_its_marks() {
        let pair = |cosine: f32, around: f32, runner_up: f32| Candidate {
            addr: DocAddress::new(0, 0),
            cosine,
            around,
            runner_up,
        };
        // (cosine, around, runner-up, marks agree, linked)
        for (cosine, around, runner_up, marks, linked) in [
            (0.60, 0.40, 0.45, false, true),  // margin 1.5, gap 0.15
            (0.60, 0.40, 0.55, false, false), // gap 0.05: a crowded subject
            (0.60, 0.40, 0.55, true, true),   // ... unless the texts share their marks
            (0.60, 0.52, 0.45, false, false), // margin 1.15
            (0.60, 0.52, 0.45, true, true),
            (0.60, 0.56, 0.45, true, false), // margin 1.07: marks are not enough
            (0.60, 0.0, 0.45, true, false),  // no neighbourhood to measure against
        ] {
            let c = pair(cosine, around, runner_up);
            assert_eq!(
                c.linked(|| marks),
                linked,
                "cos {cosine} around {around} runner-up {runner_up} marks {marks}"
            );
        }
        // The texts are read only when the vectors leave it open.
        assert!(pair(0.6, 0.4, 0.45).linked(|| panic!("read the marks")));
        assert!(!pair(0.6, 0.7, 0.45).linked(|| panic!("read the marks")));
    }

    #[test]
    fn translations_keep_their_originals_scores_and_the_filter() {
        let dir = tempfile::tempdir().unwrap();
        let (data, searcher, at) = bilingual(dir.path());
        let v = open(&data, &searcher);
        let lang = searcher.schema().get_field(names::LANG).unwrap();
        let only =
            |l: &str| TermQuery::new(Term::from_field_text(lang, l), IndexRecordOption::Basic);
        let works = [
            (at["vi-3"], 0.9),
            (at["survey-0"], 0.8),
            (at["vi-1"], 0.7),
            (at["vi-3"], 0.6),
        ];
        let got = v.translated(&searcher, &only("en"), &works, "en").unwrap();
        assert_eq!(got, vec![(at["en-3"], 0.9), (at["en-1"], 0.7)]);
        assert!(v
            .translated(&searcher, &only("vi"), &works, "en")
            .unwrap()
            .is_empty());
    }
}
