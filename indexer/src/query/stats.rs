//! BM25 statistics for a library of works and passages.
//!
//! tantivy's BM25 takes the number of documents and each field's average length from the whole
//! index: `N` is every document and a field's average length is its token count divided by
//! `N`, whether the documents have the field or not. With works and passages in one index
//! (see [`crate::schema`]) and fields many works lack (titles of catalogue records, abstracts,
//! keywords), both go wrong: the average title looks a fraction of its real length, so every
//! title is treated as long, and a word's IDF differs from field to field. The second matters
//! most: counted among titles, a common word (`bệnh`, `người`) is rare, so a question sharing
//! one ordinary word with a thesis title outweighed the passage that answers it.
//!
//! [`Scoped`] wraps the ranking query so that, as in BM25F, **a word has one IDF wherever it
//! occurs**: its document frequency among the passages of the library, in the same analysed
//! variant (the exact, folded, pair or stem field of passages); a word no passage has (a
//! title-only catalogue) takes its own field's frequency. A field's average length is taken
//! over the documents of the query's language that have it.
//!
//! **`N` is the number of passages in the query's language.** A library mixes languages, and a
//! language's function words are rare only because the other language's documents lack them:
//! counted among every passage, `the`, `of`, `and` weigh like content words against a
//! Vietnamese majority (and `của`, `là`, `và` against an English one), and the long English
//! query that is mostly such words finds whatever English text is densest in them. Among the
//! passages of its own language, a word common there weighs what it should. [`CorpusStats`]
//! counts what this needs once per searcher.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, FieldType};
use tantivy::{DocId, Searcher, SegmentReader, Term};

use crate::schema::{Fields, Unit};

/// BM25's (Robertson–Spärck Jones) IDF of a term in `df` of `n` documents. `df` is clamped to
/// `n`: deleted documents count in a term's frequency until a merge drops them, and past `n`
/// the IDF would turn negative.
pub fn idf(df: u64, n: u64) -> f32 {
    let n = n as f32;
    let df = (df as f32).min(n);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Unit counts and per-field document counts of one searcher's snapshot.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    works: u64,
    passages: u64,
    /// Works and passages whose language is Vietnamese.
    works_vi: u64,
    passages_vi: u64,
    /// Per indexed text field with norms and language (Vietnamese or not): how many documents
    /// have the field, and their tokens (from the field norms).
    lengths: HashMap<(Field, bool), FieldLength>,
    /// For each text field of work units, the passage field of the same analysed variant,
    /// whose document frequencies give the shared IDF.
    variant: HashMap<Field, Field>,
}

impl CorpusStats {
    /// Counts over every document of the snapshot, deleted ones included, as tantivy's own
    /// term and token statistics do until a merge drops them.
    pub fn compute(searcher: &Searcher, fields: &Fields) -> tantivy::Result<CorpusStats> {
        let count =
            |unit: Unit| searcher.doc_freq(&Term::from_field_text(fields.unit, unit.as_str()));
        let mut stats = CorpusStats {
            works: count(Unit::Work)?,
            passages: count(Unit::Passage)?,
            works_vi: searcher.doc_freq(&Term::from_field_text(fields.lang, "vi"))?,
            passages_vi: searcher.doc_freq(&Term::from_field_text(fields.passage_lang, "vi"))?,
            lengths: HashMap::new(),
            variant: HashMap::new(),
        };
        let p = &fields.passage;
        for (_, g) in fields.text_groups() {
            stats.variant.insert(g.exact, p.exact);
            stats.variant.insert(g.folded, p.folded);
            for (field, of_passage) in [(g.pairs, p.pairs), (g.stem, p.stem)] {
                if let (Some(f), Some(pf)) = (field, of_passage) {
                    stats.variant.insert(f, pf);
                }
            }
        }
        let schema = searcher.schema();
        let text_fields: Vec<Field> = schema
            .fields()
            .filter(|(_, entry)| {
                matches!(entry.field_type(), FieldType::Str(opts)
                    if opts.get_indexing_options().is_some() && entry.has_fieldnorms())
            })
            .map(|(f, _)| f)
            .collect();
        for seg in searcher.segment_readers() {
            let vietnamese = is_vietnamese_by_doc(seg)?;
            for &field in &text_fields {
                let norms = seg.get_fieldnorms_reader(field)?;
                for doc in 0..seg.max_doc() {
                    if norms.fieldnorm_id(doc) == 0 {
                        continue;
                    }
                    let len = stats
                        .lengths
                        .entry((field, vietnamese[doc as usize]))
                        .or_default();
                    len.docs += 1;
                    len.tokens += u64::from(norms.fieldnorm(doc));
                }
            }
        }
        Ok(stats)
    }

    /// How many units of `unit`'s kind the snapshot holds.
    pub fn units(&self, unit: Unit) -> u64 {
        match unit {
            Unit::Work => self.works,
            Unit::Passage => self.passages,
        }
    }

    /// How many units of `unit`'s kind are in the query's language (Vietnamese or not); all of
    /// them when none is.
    pub fn units_in(&self, unit: Unit, vietnamese: bool) -> u64 {
        let (all, vi) = match unit {
            Unit::Work => (self.works, self.works_vi),
            Unit::Passage => (self.passages, self.passages_vi),
        };
        match if vietnamese {
            vi
        } else {
            all.saturating_sub(vi)
        } {
            0 => all,
            n => n,
        }
    }

    /// How many documents have `field`.
    pub fn with_field(&self, field: Field) -> u64 {
        [true, false]
            .iter()
            .filter_map(|vi| self.lengths.get(&(field, *vi)))
            .map(|l| l.docs)
            .sum()
    }

    /// Average length of `field` over the documents in the query's language that have it;
    /// over all that have it when none of that language does.
    pub fn average_length(&self, field: Field, vietnamese: bool) -> f64 {
        let l = match self.lengths.get(&(field, vietnamese)) {
            Some(l) if l.docs > 0 => *l,
            _ => [true, false]
                .iter()
                .filter_map(|vi| self.lengths.get(&(field, *vi)))
                .fold(FieldLength::default(), |a, b| FieldLength {
                    docs: a.docs + b.docs,
                    tokens: a.tokens + b.tokens,
                }),
        };
        if l.docs == 0 {
            return 1.0;
        }
        (l.tokens as f64 / l.docs as f64).max(1.0)
    }
}

/// Documents and tokens of one field in one language.
#[derive(Debug, Clone, Copy, Default)]
struct FieldLength {
    docs: u64,
    tokens: u64,
}

/// Per document of `seg`, whether its language is Vietnamese (`lang` of work units,
/// `passage_lang` of passages).
fn is_vietnamese_by_doc(seg: &SegmentReader) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; seg.max_doc() as usize];
    for name in ["lang", "passage_lang"] {
        let Some(col) = seg.fast_fields().str(name)? else {
            continue;
        };
        let Some(vi) = col.dictionary().term_ord("vi")? else {
            continue;
        };
        for (doc, v) in out.iter_mut().enumerate() {
            if col.term_ords(doc as DocId).next() == Some(vi) {
                *v = true;
            }
        }
    }
    Ok(out)
}

/// The statistics [`Scoped`] queries see.
struct Provider<'a> {
    searcher: &'a Searcher,
    stats: &'a CorpusStats,
    vietnamese: bool,
}

impl Provider<'_> {
    /// `N` of every IDF: the passages in the query's language, or the works of a library that
    /// has no passage.
    fn n(&self) -> u64 {
        if self.stats.passages > 0 {
            self.stats.units_in(Unit::Passage, self.vietnamese)
        } else {
            self.stats.units_in(Unit::Work, self.vietnamese).max(1)
        }
    }
}

impl Bm25StatisticsProvider for Provider<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        // BM25 divides this by `total_num_docs`: what makes the quotient the average length
        // over the documents in the query's language that have the field.
        let average = self.stats.average_length(field, self.vietnamese);
        Ok((average * self.n() as f64).round() as u64)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.n())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let n = self.n();
        let df = match self.stats.variant.get(&term.field()) {
            Some(&passage_field) if self.stats.passages > 0 => {
                let of_passages = match term.value().as_str() {
                    Some(text) => Term::from_field_text(passage_field, text),
                    None => term.clone(),
                };
                match self.searcher.doc_freq(&of_passages)? {
                    0 => self.searcher.doc_freq(term)?,
                    df => df,
                }
            }
            _ => self.searcher.doc_freq(term)?,
        };
        // Never above N, which the IDF formula requires.
        Ok(df.min(n))
    }
}

/// A ranking query whose terms are weighted with the library's shared statistics, among the
/// passages in the query's language.
pub struct Scoped {
    inner: Box<dyn Query>,
    stats: Arc<CorpusStats>,
    vietnamese: bool,
}

impl Scoped {
    pub fn new(inner: Box<dyn Query>, stats: Arc<CorpusStats>, vietnamese: bool) -> Scoped {
        Scoped {
            inner,
            stats,
            vietnamese,
        }
    }
}

impl Clone for Scoped {
    fn clone(&self) -> Self {
        Scoped {
            inner: self.inner.box_clone(),
            stats: Arc::clone(&self.stats),
            vietnamese: self.vietnamese,
        }
    }
}

impl std::fmt::Debug for Scoped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scoped")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Query for Scoped {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match enable_scoring {
            EnableScoring::Enabled { searcher, .. } => {
                let provider = Provider {
                    searcher,
                    stats: &self.stats,
                    vietnamese: self.vietnamese,
                };
                self.inner
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &provider, searcher,
                    ))
            }
            disabled => self.inner.weight(disabled),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{DocMetadata, Document, Page};
    use crate::index::{create_in_ram, write_document};
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;

    fn doc(id: &str, title: &str, pages: &[&str]) -> Document {
        Document {
            id: id.into(),
            collection: "c".into(),
            metadata: DocMetadata {
                title: Some(title.into()),
                ..Default::default()
            },
            pages: pages
                .iter()
                .map(|t| Page {
                    text: t.to_string(),
                    no_text: false,
                    ocr: false,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn counts_units_and_documents_with_each_field() {
        let index = create_in_ram();
        let f = &index.fields;
        let mut w = index.index.writer(15_000_000).unwrap();
        let long = "nội dung trang ".repeat(40);
        write_document(&w, f, &doc("a", "Học máy", &[&long, &long, &long])).unwrap();
        write_document(&w, f, &doc("b", "Dữ liệu lớn", &[&long])).unwrap();
        write_document(&w, f, &doc("c", "", &[])).unwrap();
        w.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let stats = CorpusStats::compute(&searcher, f).unwrap();
        assert_eq!(stats.units(Unit::Work), 3);
        assert_eq!(stats.units(Unit::Passage), 4);
        assert_eq!(stats.with_field(f.title.folded), 2);
        assert_eq!(stats.with_field(f.passage.folded), 4);
    }

    #[test]
    fn a_word_has_one_idf_and_fields_their_own_average_length() {
        let index = create_in_ram();
        let f = &index.fields;
        let mut w = index.index.writer(15_000_000).unwrap();
        // "máy" is in both titles and in every passage: common in the library, though only
        // half the titles have it.
        let page = "máy và một trang văn bản dài ".repeat(20);
        let pages: Vec<&str> = (0..30).map(|_| page.as_str()).collect();
        write_document(&w, f, &doc("a", "Học máy", &pages)).unwrap();
        write_document(&w, f, &doc("b", "Học sâu", &pages)).unwrap();
        w.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let stats = Arc::new(CorpusStats::compute(&searcher, f).unwrap());
        let score = |field: Field| {
            let term = TermQuery::new(
                Term::from_field_text(field, "may"),
                IndexRecordOption::WithFreqs,
            );
            let scoped = Scoped::new(Box::new(term), Arc::clone(&stats), true);
            searcher
                .search(&scoped, &TopDocs::with_limit(1).order_by_score())
                .unwrap()[0]
                .0
        };
        // Every one of the 60 passages has it: the IDF of a word in all of N documents.
        let idf = (1.0f32 + 0.5 / 60.5).ln();
        // A two-word title of average length (two words): tf 1 gives 2.2 / 2.2.
        let title = score(f.title.folded);
        assert!((title - idf).abs() < 1e-4, "{title} vs {idf}");
        let passage = score(f.passage.folded);
        assert!(passage > title, "a passage has it 20 times: {passage}");
    }
}
