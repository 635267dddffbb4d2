//! Which records a list request selects, in (datestamp, id) order: live works (datestamp: when
//! they entered or last changed in the index) and the tombstones of deleted ones (datestamp:
//! when they were deleted), of one collection or all, within the `from`/`until` bounds.
//!
//! One pass over the fast fields of the matching units per page. Ids are not read for the
//! ordering: within a segment the ordinals of the `id` column sort as the ids do, so a page
//! sorts integers and merges the segments' runs by id, reading only the ids at their heads
//! (a collection ingested in one run shares one datestamp, so the ids are what orders it).

use std::collections::HashMap;

use indexer::schema::Fields;
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal, Term};

/// What a list request selects.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub collection: Option<&'a str>,
    /// Only theses (for formats only theses have); tombstones always pass, since a deleted
    /// record's type is not kept.
    pub theses_only: bool,
}

/// A record's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub id: String,
    pub datestamp: i64,
    pub collection: String,
    pub deleted: bool,
    /// The work unit of a live record.
    pub addr: DocAddress,
}

/// One page of a list.
#[derive(Debug, Default)]
pub struct Page {
    pub headers: Vec<Header>,
    /// Records the selection holds in all.
    pub total: u64,
    /// Records after the page.
    pub rest: u64,
}

/// A matching unit: its datestamp and where its id is, as an ordinal of a sorted stream of
/// ids (one segment's work ids, or its tombstones' ids): within a stream, ordinals sort as the
/// ids do, so ids are compared as strings only across streams.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    datestamp: i64,
    stream: usize,
    ord: u64,
    doc: DocId,
}

/// One sorted stream of ids.
struct Stream {
    seg: SegmentOrdinal,
    deleted: bool,
    ids: StrColumn,
    collection: Option<StrColumn>,
}

impl Stream {
    fn id(&self, ord: u64) -> String {
        let mut s = String::new();
        let _ = self.ids.ord_to_str(ord, &mut s);
        s
    }

    /// The first ordinal whose id sorts after `id` (a binary search of the dictionary).
    fn first_after(&self, id: &str) -> u64 {
        let (mut lo, mut hi) = (0u64, self.ids.num_terms() as u64);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.id(mid).as_str() <= id {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

fn read(col: &Option<StrColumn>, doc: DocId) -> String {
    let mut s = String::new();
    if let Some(c) = col {
        if let Some(ord) = c.term_ords(doc).next() {
            let _ = c.ord_to_str(ord, &mut s);
        }
    }
    s
}

/// The query of a selection's units: works and tombstones, of one collection or all.
fn units_query(fields: &Fields, collection: Option<&str>) -> Box<dyn Query> {
    let units: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(fields.works()) as Box<dyn Query>),
        (Occur::Should, Box::new(fields.tombstones())),
    ]));
    match collection {
        None => units,
        Some(c) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, units),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.collection, c),
                    IndexRecordOption::Basic,
                )),
            ),
        ])),
    }
}

/// Every unit `sel` selects, with the streams their ids are in.
fn candidates(
    searcher: &Searcher,
    fields: &Fields,
    sel: &Selection<'_>,
) -> tantivy::Result<(Vec<Candidate>, Vec<Stream>)> {
    let weight = units_query(fields, sel.collection)
        .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut all: Vec<Candidate> = Vec::new();
    let mut streams: Vec<Stream> = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let ff = seg.fast_fields();
        let Some(ids) = ff.str("id")? else {
            continue;
        };
        let date = ff.date("ingested_at")?;
        let collection = ff.str("collection")?;
        let doc_type = ff.str("doc_type")?;
        // The doc_type ordinals of theses, compared instead of the names.
        let thesis_ords: Vec<u64> = match (&doc_type, sel.theses_only) {
            (Some(col), true) => ["thesis", "master", "doctoral"]
                .iter()
                .filter_map(|t| col.dictionary().term_ord(t).ok().flatten())
                .collect(),
            _ => Vec::new(),
        };
        let works = streams.len();
        streams.push(Stream {
            seg: ord as SegmentOrdinal,
            deleted: false,
            ids: ids.clone(),
            collection: collection.clone(),
        });
        let tombs = ff.str("deleted_id")?.map(|d| {
            streams.push(Stream {
                seg: ord as SegmentOrdinal,
                deleted: true,
                ids: d.clone(),
                collection: collection.clone(),
            });
            (streams.len() - 1, d)
        });
        let alive = seg.alive_bitset();
        weight.for_each_no_score(seg, &mut |docs: &[DocId]| {
            for &doc in docs {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let ts = date.first(doc).map_or(0, |d| d.into_timestamp_secs());
                if sel.from.is_some_and(|f| ts < f) || sel.until.is_some_and(|u| ts > u) {
                    continue;
                }
                let found = match ids.term_ords(doc).next() {
                    Some(o) => {
                        let fits = !sel.theses_only
                            || doc_type.as_ref().is_some_and(|c| {
                                c.term_ords(doc)
                                    .next()
                                    .is_some_and(|t| thesis_ords.contains(&t))
                            });
                        fits.then_some((works, o))
                    }
                    // A tombstone: its id is in `deleted_id`; every format lists it.
                    None => tombs
                        .as_ref()
                        .and_then(|(t, col)| col.term_ords(doc).next().map(|o| (*t, o))),
                };
                if let Some((stream, id_ord)) = found {
                    all.push(Candidate {
                        datestamp: ts,
                        stream,
                        ord: id_ord,
                        doc,
                    });
                }
            }
        })?;
    }
    Ok((all, streams))
}

/// The first `limit` records of `sel` after `after` (a (datestamp, id) key), with counts.
pub fn page(
    searcher: &Searcher,
    fields: &Fields,
    sel: &Selection<'_>,
    after: Option<&(i64, String)>,
    limit: usize,
) -> tantivy::Result<Page> {
    let (mut all, streams) = candidates(searcher, fields, sel)?;
    let total = all.len() as u64;
    if let Some((ts, last)) = after {
        let mut bounds: HashMap<usize, u64> = HashMap::new();
        all.retain(|c| {
            c.datestamp > *ts
                || (c.datestamp == *ts
                    && c.ord
                        >= *bounds
                            .entry(c.stream)
                            .or_insert_with(|| streams[c.stream].first_after(last)))
        });
    }
    let rest_before = all.len();
    all.sort_unstable_by_key(|c| (c.datestamp, c.stream, c.ord));
    // Records of one datestamp come in id order: a merge of the streams by their ids, which
    // reads the ids at the heads of the streams only.
    let mut headers: Vec<Header> = Vec::with_capacity(limit.min(all.len()));
    let mut i = 0;
    while i < all.len() && headers.len() < limit {
        let ts = all[i].datestamp;
        let end = i + all[i..].partition_point(|c| c.datestamp == ts);
        let group = &all[i..end];
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut k = 0;
        while k < group.len() {
            let s = group[k].stream;
            let run_end = k + group[k..].partition_point(|c| c.stream == s);
            runs.push((k, run_end));
            k = run_end;
        }
        let mut heads: Vec<Option<String>> = runs
            .iter()
            .map(|(a, _)| Some(streams[group[*a].stream].id(group[*a].ord)))
            .collect();
        while headers.len() < limit {
            let next = heads
                .iter()
                .enumerate()
                .filter_map(|(r, h)| h.as_ref().map(|h| (r, h)))
                .min_by(|a, b| a.1.cmp(b.1))
                .map(|(r, _)| r);
            let Some(r) = next else {
                break;
            };
            let c = group[runs[r].0];
            let stream = &streams[c.stream];
            headers.push(Header {
                id: heads[r].take().unwrap_or_default(),
                datestamp: ts,
                collection: read(&stream.collection, c.doc),
                deleted: stream.deleted,
                addr: DocAddress::new(stream.seg, c.doc),
            });
            runs[r].0 += 1;
            if runs[r].0 < runs[r].1 {
                let n = group[runs[r].0];
                heads[r] = Some(streams[n.stream].id(n.ord));
            }
        }
        i = end;
    }
    Ok(Page {
        rest: (rest_before - headers.len()) as u64,
        headers,
        total,
    })
}

/// The header of the record `id`: its live work, else its tombstone.
pub fn header(searcher: &Searcher, fields: &Fields, id: &str) -> tantivy::Result<Option<Header>> {
    for (field, deleted) in [(fields.id, false), (fields.deleted_id, true)] {
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(if deleted {
                    fields.tombstones()
                } else {
                    fields.works()
                }),
            ),
        ]);
        let found = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
        if let Some(addr) = found.into_iter().next() {
            let seg = searcher.segment_reader(addr.segment_ord);
            let ff = seg.fast_fields();
            let date = ff.date("ingested_at")?;
            return Ok(Some(Header {
                id: id.to_string(),
                datestamp: date
                    .first(addr.doc_id)
                    .map_or(0, |d| d.into_timestamp_secs()),
                collection: read(&ff.str("collection")?, addr.doc_id),
                deleted,
                addr,
            }));
        }
    }
    Ok(None)
}

/// The earliest datestamp of any record, for Identify (0 in an empty repository).
pub fn earliest(searcher: &Searcher) -> tantivy::Result<i64> {
    let mut min: Option<i64> = None;
    for seg in searcher.segment_readers() {
        let date = seg.fast_fields().date("ingested_at")?;
        if date.values.num_vals() > 0 {
            let m = date.min_value().into_timestamp_secs();
            min = Some(min.map_or(m, |x: i64| x.min(m)));
        }
    }
    Ok(min.unwrap_or(0))
}

/// Every collection of the index (one set each), sorted.
pub fn collections(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Vec<String>> {
    let mut names = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(fields.collection)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            if let Ok(s) = std::str::from_utf8(terms.key()) {
                names.insert(s.to_string());
            }
        }
    }
    Ok(names.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use indexer::doc::{DocMetadata, Document, Page};
    use indexer::index::{self, Deletion};
    use tantivy::indexer::NoMergePolicy;

    use super::*;

    fn doc(id: &str, collection: &str, doc_type: &str, at: i64) -> Document {
        Document {
            id: id.into(),
            collection: collection.into(),
            metadata: DocMetadata {
                title: Some(format!("Tài liệu {id}")),
                doc_type: doc_type.parse().unwrap(),
                ..DocMetadata::default()
            },
            pages: vec![Page {
                text: "Nội dung".into(),
                ..Page::default()
            }],
            content_hash: id.into(),
            ingested_at: at,
            ..Document::default()
        }
    }

    /// Every key a selection lists, page by page.
    fn list(
        searcher: &Searcher,
        fields: &Fields,
        sel: &Selection<'_>,
        limit: usize,
    ) -> Vec<(i64, String, bool)> {
        let mut out = Vec::new();
        let mut after: Option<(i64, String)> = None;
        loop {
            let p = page(searcher, fields, sel, after.as_ref(), limit).unwrap();
            assert_eq!(
                p.total as usize,
                p.headers.len() + p.rest as usize + out.len()
            );
            out.extend(
                p.headers
                    .iter()
                    .map(|h| (h.datestamp, h.id.clone(), h.deleted)),
            );
            match p.headers.last() {
                Some(h) if p.rest > 0 => after = Some((h.datestamp, h.id.clone())),
                _ => break,
            }
        }
        out
    }

    #[test]
    fn lists_merge_segments_in_datestamp_and_id_order() {
        let idx = index::create_in_ram();
        let f = &idx.fields;
        let mut writer = idx.index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Three segments, ids interleaved between them, two datestamps, a tombstone.
        let batches: [&[(&str, &str, i64)]; 3] = [
            &[
                ("b", "thesis", 100),
                ("e", "article", 100),
                ("h", "master", 200),
            ],
            &[
                ("a", "book", 100),
                ("d", "thesis", 200),
                ("g", "article", 100),
            ],
            &[("c", "doctoral", 100), ("f", "report", 100)],
        ];
        for batch in batches {
            for (id, t, at) in batch {
                index::write_document(&writer, f, &doc(id, "c1", t, *at)).unwrap();
            }
            writer.commit().unwrap();
        }
        let what = Deletion {
            id: "e",
            collection: "c1",
            at: 150,
        };
        index::delete_document(&writer, f, what).unwrap();
        writer.commit().unwrap();
        let reader = idx.index.reader().unwrap();
        let searcher = reader.searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let want = [
            (100, "a", false),
            (100, "b", false),
            (100, "c", false),
            (100, "f", false),
            (100, "g", false),
            (150, "e", true),
            (200, "d", false),
            (200, "h", false),
        ];
        let want: Vec<(i64, String, bool)> = want
            .iter()
            .map(|(t, i, d)| (*t, i.to_string(), *d))
            .collect();
        for limit in [1, 2, 3, 100] {
            assert_eq!(
                list(&searcher, f, &Selection::default(), limit),
                want,
                "pages of {limit}"
            );
        }
        let theses = Selection {
            theses_only: true,
            ..Selection::default()
        };
        let ids: Vec<String> = list(&searcher, f, &theses, 2)
            .into_iter()
            .map(|k| k.1)
            .collect();
        assert_eq!(ids, ["b", "c", "e", "d", "h"], "theses, and the tombstone");
        let window = Selection {
            from: Some(120),
            until: Some(200),
            ..Selection::default()
        };
        let ids: Vec<String> = list(&searcher, f, &window, 1)
            .into_iter()
            .map(|k| k.1)
            .collect();
        assert_eq!(ids, ["e", "d", "h"]);
        let other = Selection {
            collection: Some("c2"),
            ..Selection::default()
        };
        assert!(list(&searcher, f, &other, 5).is_empty());
        assert_eq!(collections(&searcher, f).unwrap(), ["c1"]);
        assert_eq!(earliest(&searcher).unwrap(), 100);
        let h = header(&searcher, f, "e").unwrap().unwrap();
        assert!(h.deleted && h.datestamp == 150);
        assert!(header(&searcher, f, "zz").unwrap().is_none());
    }
}
