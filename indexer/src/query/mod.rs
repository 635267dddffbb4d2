//! Turns user text into tantivy queries over the analysed field variants.
//!
//! A work is ranked through two kinds of unit (see [`crate::schema`]): its work unit, whose
//! metadata groups (title, authors, advisor, institution, keywords, abstract) [`meta_query`]
//! scores, and its passages, which [`passage_query`] scores. Every query syllable becomes, in
//! each text group:
//! - a term on the folded field (so `duong` finds `đường` and `dương`);
//! - when the query is typed with diacritics, also a term on the exact field, so documents
//!   with the exact spelling score higher (`đường` above `dương`; and `ma` typed among
//!   accented words means `ma`, not `má`);
//! - for English stems, a term on the stemmed field (English documents only have one), when the
//!   query is not Vietnamese ([`AnalyzedQuery::vietnamese`]): a Vietnamese syllable that happens
//!   to occur in a few English texts would otherwise be a rare, heavily weighted stem there;
//! - for names (capitalised inside the query, acronyms), an extra folded term.
//!
//! Every pair of syllables adjacent in the query becomes a term on the pair field, so
//! documents where the syllables are adjacent and in order rank above documents where they are
//! scattered. All clauses are optional (`OR`); BM25 and the weights below do the ranking.
//!
//! Question words (`là gì`, `như thế nào`, see [`question`]) are left out of the ranking, but
//! a definition question (`Vành tai là gì?`) keeps the pair of its subject and `là`
//! (`tai là`): the text that answers it says `vành tai là ...`.

use std::collections::{HashMap, HashSet};

pub mod names;
pub mod question;
pub mod stats;
pub mod unmarked;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{self, pairs::PAIR_SEPARATOR, EXACT, STEM_EN};
use crate::schema::{Fields, TextFields};
use crate::text::fold::{fold, has_diacritics};
use crate::text::legacy::{is_plausible_folded_syllable, is_plausible_syllable};

/// Most syllables of a keyword query (two Vietnamese words: `luận văn thạc sĩ`). Longer
/// queries are usually questions or pasted sentences, searched and ranked differently.
pub const KEYWORD_SYLLABLES: usize = 4;

/// Relative weights of the field groups and of the analysed variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub title: f32,
    pub authors: f32,
    pub advisor: f32,
    pub institution: f32,
    pub keywords: f32,
    /// The best passage of the body.
    pub passage: f32,
    /// Every syllable of a query typed with diacritics, on the exact field.
    pub exact: f32,
    /// Every syllable on the folded field; a query typed without any diacritics gets
    /// `exact + folded` here, since folded is then the only form it has.
    pub folded: f32,
    /// Adjacent pairs (folded) of a keyword query ([`AnalyzedQuery::is_keywords`]): its
    /// syllables form one or two words, which must rank above the same syllables scattered.
    pub pairs_keywords: f32,
    /// Adjacent pairs (folded) of a longer query or a question typed with diacritics, where
    /// they are one signal among many (weighing them more favours documents that share the
    /// question's phrasing over those that share its subject).
    pub pairs: f32,
    /// Pairs weigh more in a query typed without diacritics: they tell `benh gan` (bệnh gan)
    /// from scattered `bến`... `gân`.
    pub pairs_unaccented: f32,
    /// English stems (English documents only).
    pub stem: f32,
    /// Extra weight of names: words capitalised inside the query (`thuốc Bifril`) or acronyms
    /// (`DCIS`), which people type on purpose and which say what the question is about.
    pub names: f32,
    /// How much the best hits gain when the query's words occur close together: a score is
    /// multiplied by `1 + proximity × coverage` (search-server's `proximity` module).
    pub proximity: f32,
    /// How much the best hits gain when the query's words open the work (its first window of
    /// words, where a record or a page states its subject: `Men răng là lớp mô...` answers
    /// `Men răng có tác dụng gì?`): a score is multiplied again, by `1 + lead × share`, the IDF
    /// share of the query's words in that window (search-server's `proximity` module).
    pub lead: f32,
    /// The soft AND of keyword queries ([`AnalyzedQuery::is_keywords`]): a work's score is
    /// multiplied by `1 - soft_and × (1 - share)`, where share is the IDF share of the query's
    /// words it holds anywhere (search-server's `units`). Questions and longer queries have
    /// none: their answers rarely hold every word, and a long document holds most of them.
    pub soft_and: f32,
    /// Length prior: a work's score is multiplied by `1 - length_prior × ln(pages)`. MaxP
    /// takes the best of a work's passages, and the best of a thousand passages of a manual is
    /// high by chance: some page of it holds half the words of any long query.
    pub length_prior: f32,
    /// In a query that is not Vietnamese and longer than a few words, words found in more than
    /// this share of the passages of its language (`the`, `of`, `are`) are left out of the
    /// ranking ([`AnalyzedQuery::drop_common`]): many weak matches of them otherwise add up
    /// to more than the few words that say what the query is about.
    pub common_share: f32,
    /// A term repeated `n` times in the query weighs `n^repeats` times: a pasted paragraph
    /// names its subject more than once (0: once whatever the repeats).
    pub repeats: f32,
    /// Words said only in a question's frame (`Theo Bộ luật Dân sự 2015, ...`, see
    /// [`question::frame_end`]) weigh this much.
    pub frame: f32,
}

/// The one configuration of the product, measured with bench/relevance on one mixed library
/// (every PDF of ../shared/corpus with the ViRE sets, NFCorpus and Cranfield as records), on
/// the known-item queries, and on each set alone (see its RESULTS.md). In the mixed library,
/// metadata at the weight of a passage word (title 2.5 had a question's one title word beat
/// the paragraph that answers it: ViMedAQA −3), pairs of a question at 0.8 (+0.1 to +0.7 on
/// the ViRE sets), `folded` at 0.35 against `exact` (+0.4 ViMedAQA, +0.5 known items in
/// English), the length prior (+1.6 nDCG@10 NFCorpus, +1 ViRe4MRC), common English words
/// left out of long queries at 14% and repeats at their square root (NFCorpus +1.2 without
/// costing Cranfield alone, which lost 3.5 points when words in 6% of passages were dropped),
/// the query's words at the opening of a work at 0.1 (ViMedAQA +0.2 alone and
/// mixed, ViRe4MRC +0.3, ALQAC −0.2 alone and −0.3 mixed; a lead of 6 words lost 0.2 of English
/// known items), a question's frame at a quarter (ALQAC +0.8: `Theo Bộ luật Dân sự 2015, ...` no longer
/// ranks the court rulings that cite the code above its articles; 0 measured about the same,
/// but a frame can name the subject too: `Theo liệu pháp oxy, ...`).
impl Default for Weights {
    fn default() -> Self {
        Weights {
            title: 1.0,
            authors: 1.0,
            advisor: 1.0,
            institution: 1.0,
            keywords: 1.0,
            passage: 1.0,
            exact: 1.0,
            folded: 0.35,
            pairs_keywords: 1.5,
            pairs: 0.8,
            pairs_unaccented: 1.2,
            stem: 3.0,
            names: 2.0,
            proximity: 0.15,
            lead: 0.1,
            soft_and: 0.5,
            length_prior: 0.05,
            common_share: 0.14,
            repeats: 0.5,
            frame: 0.25,
        }
    }
}

impl Weights {
    fn group(&self, name: &str) -> f32 {
        match name {
            "title" => self.title,
            "authors" => self.authors,
            "advisor" => self.advisor,
            "institution" => self.institution,
            "keywords" => self.keywords,
            _ => self.passage,
        }
    }
}

/// The analysed form of a query's text, computed once and reused for every field group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalyzedQuery {
    /// Query syllables as indexed in the exact field.
    pub exact: Vec<String>,
    /// The same syllables folded.
    pub folded: Vec<String>,
    /// Folded pairs of syllables adjacent in the query.
    pub pairs: Vec<String>,
    /// English stems.
    pub stems: Vec<String>,
    /// The text is a question: it ends with `?` or has question words (which are not in the
    /// lists above).
    pub question: bool,
    /// Syllables kept (question words left out).
    pub syllables: usize,
    /// Folded words capitalised inside the query (`Thuốc Bifril có...`): names.
    pub names: Vec<String>,
    /// The query is Vietnamese (see [`is_vietnamese`]): English stems do not apply.
    pub vietnamese: bool,
    /// How many times each term occurs in the query, per variant: a pasted paragraph says its
    /// subject more than once.
    pub repeats: [HashMap<String, u32>; 4],
    /// Terms said only in the question's frame, per variant (see [`Weights::frame`]).
    pub frame: [HashSet<String>; 4],
    /// Initialisms of the query's capitalised phrases (`mcmc` for `Markov chain Monte
    /// Carlo`): ranked like a word, never required and not counted in the coverage.
    pub initialisms: Vec<String>,
}

/// Fewest words of a query whose common words [`AnalyzedQuery::drop_common`] leaves out.
pub const COMMON_MIN_WORDS: usize = 5;

/// The analysed variants of a query term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Exact = 0,
    Folded = 1,
    Pairs = 2,
    Stem = 3,
}

/// Share of a diacritic-free query's words that must be spelled like Vietnamese syllables for
/// it to be read as Vietnamese (`hoc may`, `khai pha du lieu`), not English (`machine learning`,
/// `food dyes and adhd`; English words that are also Vietnamese spellings, like `a`, `to`, `in`,
/// `can`, `lung`, rarely make most of a query).
const VIETNAMESE_SHARE: f32 = 0.6;

/// Is a query with these syllables (as typed, lower case) Vietnamese? With any Vietnamese
/// diacritic, yes; without, when most words are spelled like Vietnamese syllables.
pub fn is_vietnamese(syllables: &[&str]) -> bool {
    if syllables.is_empty() {
        return false;
    }
    if syllables.iter().any(|s| has_diacritics(s)) {
        return true;
    }
    let words: Vec<&&str> = syllables
        .iter()
        .filter(|s| s.chars().all(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return false;
    }
    let plausible = words
        .iter()
        .filter(|s| is_plausible_syllable(s) || is_plausible_folded_syllable(s))
        .count();
    plausible as f32 >= VIETNAMESE_SHARE * words.len() as f32
}

impl AnalyzedQuery {
    /// Analyses `text` with the index analyzers.
    pub fn new(text: &str) -> AnalyzedQuery {
        let tokens = analysis::tokens(EXACT, text);
        // One syllable per position (a joined hyphen compound shares its first part's).
        let mut firsts: Vec<(usize, &str)> = Vec::new();
        for t in &tokens {
            if firsts.last().is_none_or(|(p, _)| t.position > *p) {
                firsts.push((t.position, &t.token));
            }
        }
        let syllables: Vec<&str> = firsts.iter().map(|(_, s)| *s).collect();
        let mut marked = question::question_words(&syllables);
        question::mark_trailing_particle(text, &syllables, &mut marked);
        let subject = question::definition_subject(&syllables, &mut marked);
        let frame_end = question::frame_end(text);
        let in_frame = |end: usize| frame_end.is_some_and(|c| end <= c);
        // Per variant, the terms said in the frame and those said elsewhere.
        let mut said: [(HashSet<String>, HashSet<String>); 4] = Default::default();
        let mut say = |variant: Variant, term: &str, end: usize| {
            let (inside, outside) = &mut said[variant as usize];
            if in_frame(end) { inside } else { outside }.insert(term.to_string());
        };
        let skip: HashSet<usize> = firsts
            .iter()
            .zip(&marked)
            .filter(|(_, m)| **m)
            .map(|((p, _), _)| *p)
            .collect();
        let mut q = AnalyzedQuery {
            question: !skip.is_empty() || text.trim_end().ends_with('?'),
            ..AnalyzedQuery::default()
        };
        let mut prev: Option<(usize, String)> = None;
        for t in &tokens {
            if skip.contains(&t.position) {
                // A definition question (`Vành tai là gì?`, `... là ai?`) is answered by text
                // that says `vành tai là ...`: keep the pair of the subject and `là`, though
                // `là` itself is a question word. `là` is only ever the first syllable of a
                // question phrase, so the pair links the subject to it.
                if let Some((pos, p)) = &prev {
                    if t.position == pos + 1 && fold(&t.token) == "la" {
                        q.pairs.push(format!("{p}{PAIR_SEPARATOR}la"));
                    }
                }
                continue;
            }
            let folded = fold(&t.token).into_owned();
            if let Some((pos, p)) = &prev {
                if t.position == pos + 1 {
                    let pair = format!("{p}{PAIR_SEPARATOR}{folded}");
                    say(Variant::Pairs, &pair, t.end_offset);
                    q.pairs.push(pair);
                }
            }
            say(Variant::Exact, &t.token, t.end_offset);
            say(Variant::Folded, &folded, t.end_offset);
            if prev.as_ref().is_none_or(|(pos, _)| t.position > *pos) {
                prev = Some((t.position, folded.clone()));
                q.syllables += 1;
            }
            let raw = text.get(t.start_offset..t.end_offset).unwrap_or("");
            let first = Some(t.position) == firsts.first().map(|(p, _)| *p);
            if names::is_name(raw, &folded, first) {
                q.names.push(folded.clone());
            }
            q.exact.push(t.token.clone());
            q.folded.push(folded);
        }
        // `Định nghĩa của X?`, `X được hiểu là gì?`: the answer says `X là ...`.
        if let Some(i) = subject {
            q.pairs
                .push(format!("{}{PAIR_SEPARATOR}la", fold(syllables[i])));
        }
        q.vietnamese = is_vietnamese(&syllables);
        if !q.vietnamese {
            // `Markov chain Monte Carlo` is written `MCMC` in the documents that use it most.
            q.initialisms = initialisms(text)
                .into_iter()
                .filter(|a| !q.folded.contains(a))
                .collect();
            let stems = analysis::tokens(STEM_EN, text);
            for t in &stems {
                say(Variant::Stem, &t.token, t.end_offset);
            }
            q.stems = stems.into_iter().map(|t| t.token).collect();
        }
        for (frame, (inside, outside)) in q.frame.iter_mut().zip(said) {
            *frame = inside.difference(&outside).cloned().collect();
        }
        for (variant, list) in [
            (Variant::Exact, &q.exact),
            (Variant::Folded, &q.folded),
            (Variant::Pairs, &q.pairs),
            (Variant::Stem, &q.stems),
        ] {
            let counts = &mut q.repeats[variant as usize];
            for t in list {
                *counts.entry(t.clone()).or_default() += 1;
            }
        }
        dedup(&mut q.exact);
        dedup(&mut q.folded);
        dedup(&mut q.pairs);
        dedup(&mut q.names);
        dedup(&mut q.stems);
        q
    }

    /// Leaves out of the ranking the words and pairs for which `too_common(variant, term)` is
    /// true, when the query is not Vietnamese and has at least [`COMMON_MIN_WORDS`] words, and
    /// something is left. Vietnamese syllables are never dropped: common ones (`giai`, `đoạn`)
    /// make the compounds the pairs stand for.
    pub fn drop_common(&mut self, mut too_common: impl FnMut(Variant, &str) -> bool) {
        if self.vietnamese || self.syllables < COMMON_MIN_WORDS {
            return;
        }
        let folded: Vec<String> = self
            .folded
            .iter()
            .filter(|t| !too_common(Variant::Folded, t))
            .cloned()
            .collect();
        if folded.is_empty() || folded.len() == self.folded.len() {
            return;
        }
        self.folded = folded;
        self.exact.retain(|t| !too_common(Variant::Exact, t));
        self.stems.retain(|t| !too_common(Variant::Stem, t));
        self.pairs.retain(|t| !too_common(Variant::Pairs, t));
        self.names.retain(|t| self.folded.contains(t));
    }

    /// How many times `term` of `variant` occurs in the query (at least 1).
    pub fn repeats(&self, variant: Variant, term: &str) -> u32 {
        self.repeats[variant as usize]
            .get(term)
            .copied()
            .unwrap_or(1)
            .max(1)
    }

    /// How much `term` of `variant` weighs in the ranking: more when the query repeats it,
    /// less when only its frame says it.
    pub fn weight(&self, variant: Variant, term: &str, weights: &Weights) -> f32 {
        (self.repeats(variant, term) as f32).powf(weights.repeats)
            * self.frame_weight(variant, term, weights)
    }

    /// [`Weights::frame`] for a term said only in the query's frame, else 1.
    pub fn frame_weight(&self, variant: Variant, term: &str, weights: &Weights) -> f32 {
        if self.frame[variant as usize].contains(term) {
            weights.frame
        } else {
            1.0
        }
    }

    /// Some syllable carries diacritics: the user types with them.
    pub fn accented(&self) -> bool {
        self.exact.iter().any(|t| has_diacritics(t))
    }

    /// A keyword query: at most [`KEYWORD_SYLLABLES`] syllables and not a question.
    pub fn is_keywords(&self) -> bool {
        !self.question && self.syllables <= KEYWORD_SYLLABLES
    }

    /// True when the query has no searchable token.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

/// Initialisms of the capitalised phrases of a query that is not Vietnamese: three or four
/// consecutive words of three letters or more, the first and most of them capitalised
/// (`Markov chain Monte Carlo` → `mcmc`, `Support Vector Machine` → `svm`). Scientific writing
/// names a method in full once and by its initials after.
fn initialisms(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    let mut out = Vec::new();
    // Words already in a longer initialism: `Markov chain Monte` is no method.
    let mut covered = vec![false; words.len()];
    for len in [4usize, 3] {
        for (i, run) in words.windows(len).enumerate() {
            let letters = run
                .iter()
                .all(|w| w.chars().count() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()));
            // Bracketed by capitals and mostly capitalised, as names of methods are.
            let capitals = run.iter().filter(|w| capital(w)).count();
            if !letters
                || !capital(run[0])
                || !capital(run[len - 1])
                || capitals * 2 < len
                || covered[i..i + len].iter().any(|c| *c)
            {
                continue;
            }
            covered[i..i + len].iter_mut().for_each(|c| *c = true);
            let a: String = run
                .iter()
                .filter_map(|w| w.chars().next())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
}

fn term(field: Field, text: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
}

/// Ranks work units: the query over their short metadata groups (the abstract is ranked as a
/// passage, see [`crate::schema`]).
pub fn meta_query(fields: &Fields, weights: &Weights, q: &AnalyzedQuery) -> Box<dyn Query> {
    let mut clauses = Vec::new();
    for (name, group) in fields.ranked_metadata() {
        group_clauses(&mut clauses, &group, weights.group(name), weights, q);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Ranks passage units.
pub fn passage_query(fields: &Fields, weights: &Weights, q: &AnalyzedQuery) -> Box<dyn Query> {
    let mut clauses = Vec::new();
    group_clauses(&mut clauses, &fields.passage, weights.passage, weights, q);
    Box::new(BooleanQuery::new(clauses))
}

fn group_clauses(
    clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    group: &TextFields,
    w: f32,
    weights: &Weights,
    q: &AnalyzedQuery,
) {
    // A query typed with diacritics means every syllable as typed (`ma` is then not `má`);
    // one typed without them can only be matched folded, which then carries the exact weight
    // too, so that both kinds of query weigh words the same against the pairs.
    let accented = q.accented();
    let qtf = |variant: Variant, t: &str| q.weight(variant, t, weights);
    let folded_weight = if accented {
        for t in &q.exact {
            clauses.push(term(
                group.exact,
                t,
                w * weights.exact * qtf(Variant::Exact, t),
            ));
        }
        weights.folded
    } else {
        weights.folded + weights.exact
    };
    for t in &q.names {
        clauses.push(term(
            group.folded,
            t,
            w * weights.names * q.frame_weight(Variant::Folded, t, weights),
        ));
    }
    let pairs_weight = match (q.is_keywords(), accented) {
        (true, _) => weights.pairs_keywords,
        (false, true) => weights.pairs,
        (false, false) => weights.pairs_unaccented,
    };
    for t in &q.folded {
        clauses.push(term(
            group.folded,
            t,
            w * folded_weight * qtf(Variant::Folded, t),
        ));
    }
    if let Some(pairs) = group.pairs {
        for p in &q.pairs {
            clauses.push(term(pairs, p, w * pairs_weight * qtf(Variant::Pairs, p)));
        }
    }
    if let Some(stem) = group.stem {
        for s in &q.stems {
            clauses.push(term(stem, s, w * weights.stem * qtf(Variant::Stem, s)));
        }
    }
    for a in &q.initialisms {
        clauses.push(term(group.folded, a, w * folded_weight));
        if let Some(stem) = group.stem {
            clauses.push(term(stem, a, w * weights.stem));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms_of_capitalised_phrases() {
        assert_eq!(
            AnalyzedQuery::new("how to debug Markov chain Monte Carlo code").initialisms,
            vec!["mcmc"]
        );
        assert_eq!(
            AnalyzedQuery::new("Support Vector Machine kernels").initialisms,
            vec!["svm"]
        );
        assert!(
            AnalyzedQuery::new("random-walk Metropolis MCMC package first attempt")
                .initialisms
                .is_empty()
        );
        assert!(AnalyzedQuery::new("Học Máy Thống Kê")
            .initialisms
            .is_empty());
    }

    #[test]
    fn analyzes_query_variants() {
        let q = AnalyzedQuery::new("Đường thẳng song song");
        assert_eq!(q.exact, ["đường", "thẳng", "song"]);
        assert_eq!(q.folded, ["duong", "thang", "song"]);
        assert_eq!(q.pairs, ["duong thang", "thang song", "song song"]);
        assert!(AnalyzedQuery::new(" ,. ").is_empty());
    }

    #[test]
    fn a_frame_weighs_less_than_the_question() {
        let w = Weights::default();
        let q = AnalyzedQuery::new("Theo Luật Lao động 2019, người lao động được nghỉ mấy ngày?");
        for t in ["theo", "luat", "2019"] {
            assert_eq!(q.weight(Variant::Folded, t, &w), w.frame, "{t}");
        }
        // Said again in the question itself: not the frame's alone.
        for t in ["lao", "dong", "nghi", "ngay"] {
            assert_eq!(q.frame_weight(Variant::Folded, t, &w), 1.0, "{t}");
        }
        // `lao động` is said twice, once in the frame: its repeats count, not the frame.
        assert_eq!(q.weight(Variant::Folded, "lao", &w), 2f32.sqrt());
        assert_eq!(q.weight(Variant::Pairs, "theo luat", &w), w.frame);
        assert_eq!(q.frame_weight(Variant::Pairs, "lao dong", &w), 1.0);
        assert_eq!(q.frame_weight(Variant::Exact, "luật", &w), w.frame);
        // No frame: every word weighs as typed.
        let q = AnalyzedQuery::new("theo dõi huyết áp tại nhà, đo mấy lần một ngày");
        assert!(q.frame.iter().all(|f| f.is_empty()));
    }

    #[test]
    fn repeated_words_are_counted_once_listed() {
        let q = AnalyzedQuery::new("milk and bones: is milk good for bones? milk");
        assert_eq!(q.folded.iter().filter(|t| *t == "milk").count(), 1);
        assert_eq!(q.repeats(Variant::Folded, "milk"), 3);
        assert_eq!(q.repeats(Variant::Folded, "bones"), 2);
        assert_eq!(q.repeats(Variant::Folded, "good"), 1);
        assert_eq!(q.repeats(Variant::Stem, "bone"), 2);
    }

    #[test]
    fn common_words_leave_long_english_queries_only() {
        let common = |_: Variant, t: &str| matches!(t, "the" | "of" | "is" | "and" | "a");
        let mut q = AnalyzedQuery::new("the effect of vitamin c on the common cold");
        q.drop_common(common);
        assert_eq!(q.folded, ["effect", "vitamin", "c", "on", "common", "cold"]);
        // Short queries, Vietnamese ones, and queries of nothing else keep everything.
        for text in [
            "the cat",
            "của các bệnh nhân là gì và ở đâu",
            "the of and is a",
        ] {
            let mut q = AnalyzedQuery::new(text);
            let before = q.folded.clone();
            q.drop_common(common);
            assert_eq!(q.folded, before, "{text}");
        }
    }

    #[test]
    fn stems_only_for_queries_that_are_not_vietnamese() {
        for (text, vietnamese) in [
            ("học máy", true),
            ("hoc may", true),
            ("khai pha du lieu", true),
            ("luan van thac si", true),
            ("mô hình transformer", true),
            ("CNN nhan dang chu viet", true),
            ("machine learning", false),
            ("food dyes and adhd", false),
            ("lung cancer", false),
            ("gnuplot plotting commands reference", false),
            ("how to compute numerical derivatives", false),
        ] {
            let q = AnalyzedQuery::new(text);
            assert_eq!(q.vietnamese, vietnamese, "{text}");
            assert_eq!(q.stems.is_empty(), vietnamese, "{text}: {:?}", q.stems);
        }
    }

    #[test]
    fn definition_questions_keep_the_subject_pair() {
        for text in ["Vành tai là gì?", "vanh tai la gi", "Vành tai là ai"] {
            let q = AnalyzedQuery::new(text);
            assert_eq!(q.folded, ["vanh", "tai"], "{text}");
            assert_eq!(q.pairs, ["vanh tai", "tai la"], "{text}");
        }
        // Other question words link nothing.
        let q = AnalyzedQuery::new("Vành tai như thế nào?");
        assert_eq!(q.pairs, ["vanh tai"]);
        let q = AnalyzedQuery::new("Gì là vành tai?");
        assert_eq!(q.pairs, ["la vanh", "vanh tai"]);
    }

    #[test]
    fn requests_for_a_definition_rank_the_subject_before_la() {
        for text in [
            "Định nghĩa của \"Người lao động\"?",
            "dinh nghia nguoi lao dong",
            "Người lao động được hiểu là gì?",
        ] {
            let q = AnalyzedQuery::new(text);
            assert_eq!(q.folded, ["nguoi", "lao", "dong"], "{text}");
            assert!(
                q.pairs.contains(&"dong la".to_string()),
                "{text}: {:?}",
                q.pairs
            );
            assert!(
                !q.pairs
                    .iter()
                    .any(|p| p.contains("nghia") || p.contains("hieu")),
                "{text}"
            );
        }
    }

    #[test]
    fn pairs_skip_clause_breaks_and_joined_compounds() {
        let q = AnalyzedQuery::new("khoa học, COVID-19");
        assert_eq!(q.pairs, ["khoa hoc", "covid 19"]);
    }
}
