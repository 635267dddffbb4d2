//! Facets: how many hits each collection, document type, language and year has. Counts are
//! computed over the whole result set under the *other* filters, so choosing a collection still
//! shows how many hits the other collections have; `FacetCollector` counts fast-field
//! ordinals per segment and resolves them to values once per segment.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

#[derive(Debug, Serialize, PartialEq, Eq, Clone)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize, Default)]
pub struct Facets {
    pub collection: Vec<FacetValue>,
    pub doc_type: Vec<FacetValue>,
    pub lang: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

/// The facets, in the order the collector and the response use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Facet {
    Collection,
    DocType,
    Lang,
    Year,
}

pub(super) const FACETS: [Facet; 4] = [Facet::Collection, Facet::DocType, Facet::Lang, Facet::Year];

/// Counts of facet values over the matching documents, by ordinal per segment.
pub(super) struct FacetCollector {
    pub(super) facets: Vec<Facet>,
}

fn facet_field(f: Facet) -> &'static str {
    match f {
        Facet::Collection => "collection",
        Facet::DocType => "doc_type",
        Facet::Lang => "lang",
        Facet::Year => "year",
    }
}

struct StrCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

pub(super) struct FacetSegment {
    strs: Vec<(Facet, StrCounts)>,
    year: Option<(Column<i64>, HashMap<i64, u64>)>,
}

pub(super) type FacetFruit = HashMap<&'static str, HashMap<String, u64>>;

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut strs = Vec::new();
        let mut year = None;
        for &f in &self.facets {
            if f == Facet::Year {
                year = Some((seg.fast_fields().i64("year")?, HashMap::new()));
            } else {
                let column = seg.fast_fields().str(facet_field(f))?;
                let n = column.as_ref().map_or(0, |c| c.num_terms());
                strs.push((
                    f,
                    StrCounts {
                        column,
                        counts: vec![0; n],
                    },
                ));
            }
        }
        Ok(FacetSegment { strs, year })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut out: FacetFruit = HashMap::new();
        for fruit in fruits {
            for (name, counts) in fruit {
                let dst = out.entry(name).or_default();
                for (v, c) in counts {
                    *dst.entry(v).or_default() += c;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, s) in &mut self.strs {
            if let Some(col) = &s.column {
                if let Some(ord) = col.term_ords(doc).next() {
                    if let Some(c) = s.counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some((col, counts)) = &mut self.year {
            if let Some(y) = col.first(doc) {
                *counts.entry(y).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut out: FacetFruit = HashMap::new();
        for (f, s) in self.strs {
            let dst = out.entry(facet_field(f)).or_default();
            if let Some(col) = &s.column {
                for (ord, &c) in s.counts.iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let mut v = String::new();
                    if col.ord_to_str(ord as u64, &mut v).unwrap_or(false) {
                        *dst.entry(v).or_default() += c;
                    }
                }
            }
        }
        if let Some((_, counts)) = self.year {
            let dst = out.entry("year").or_default();
            for (y, c) in counts {
                if y != 0 {
                    *dst.entry(y.to_string()).or_default() += c;
                }
            }
        }
        out
    }
}

/// Most values a facet lists.
const MAX_FACET_VALUES: usize = 100;

pub(super) fn facet_list(f: Facet, counts: Option<&HashMap<String, u64>>) -> Vec<FacetValue> {
    let mut v: Vec<FacetValue> = counts
        .map(|m| {
            m.iter()
                .map(|(value, count)| FacetValue {
                    value: value.clone(),
                    count: *count,
                })
                .collect()
        })
        .unwrap_or_default();
    if f == Facet::Year {
        v.sort_by_key(|x| std::cmp::Reverse(x.value.parse::<i64>().unwrap_or(0)));
    } else {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }
    v.truncate(MAX_FACET_VALUES);
    v
}
