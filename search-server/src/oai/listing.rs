//! Which records a list request selects, in (datestamp, id) order: live works (datestamp: when
//! they entered or last changed in the index) and the tombstones of deleted ones (datestamp:
//! when they were deleted), of one collection or all, within the `from`/`until` bounds.
//!
//! One pass over the fast fields of the matching units per page: a page costs the number of
//! matching records in fast-field reads, plus the ids of those that share the page's last
//! datestamp (a collection ingested in one run shares one datestamp, so its records are
//! ordered by id).

use std::collections::HashMap;

use indexer::schema::Fields;
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal, Term};

use super::formats::is_thesis;

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

#[derive(Debug, Clone, Copy)]
struct Candidate {
    datestamp: i64,
    seg: SegmentOrdinal,
    doc: DocId,
    deleted: bool,
}

/// Per segment, the string columns a header is read from.
struct Columns {
    id: Option<StrColumn>,
    deleted_id: Option<StrColumn>,
    collection: Option<StrColumn>,
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

/// The first `limit` records of `sel` after `after` (a (datestamp, id) key), with counts.
pub fn page(
    searcher: &Searcher,
    fields: &Fields,
    sel: &Selection<'_>,
    after: Option<&(i64, String)>,
    limit: usize,
) -> tantivy::Result<Page> {
    let units: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(fields.works()) as Box<dyn Query>),
        (Occur::Should, Box::new(fields.tombstones())),
    ]));
    let query: Box<dyn Query> = match sel.collection {
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
    };
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut all: Vec<Candidate> = Vec::new();
    let mut columns: HashMap<SegmentOrdinal, Columns> = HashMap::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let ff = seg.fast_fields();
        let date = ff.date("ingested_at")?;
        let doc_type = ff.str("doc_type")?;
        let id = ff.str("id")?;
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
                // Tombstones have no `id`.
                let deleted = id
                    .as_ref()
                    .is_none_or(|c| c.term_ords(doc).next().is_none());
                if sel.theses_only && !deleted && !is_thesis(&read(&doc_type, doc)) {
                    continue;
                }
                all.push(Candidate {
                    datestamp: ts,
                    seg: ord,
                    doc,
                    deleted,
                });
            }
        })?;
        columns.insert(
            ord,
            Columns {
                id,
                deleted_id: ff.str("deleted_id")?,
                collection: ff.str("collection")?,
            },
        );
    }
    let total = all.len() as u64;
    let id_of = |c: &Candidate| {
        let cols = &columns[&c.seg];
        read(
            if c.deleted {
                &cols.deleted_id
            } else {
                &cols.id
            },
            c.doc,
        )
    };
    // Those after the key: a later datestamp, or the same one and a greater id.
    let mut after_key: Vec<(Candidate, Option<String>)> = Vec::with_capacity(all.len());
    for c in all {
        match after {
            Some((ts, _)) if c.datestamp < *ts => {}
            Some((ts, last)) if c.datestamp == *ts => {
                let id = id_of(&c);
                if id > *last {
                    after_key.push((c, Some(id)));
                }
            }
            _ => after_key.push((c, None)),
        }
    }
    let rest_before = after_key.len();
    // The page's datestamps: the `limit` smallest; ids decide among those equal to the last.
    if after_key.len() > limit {
        after_key.select_nth_unstable_by_key(limit - 1, |(c, _)| c.datestamp);
        let cutoff = after_key[limit - 1].0.datestamp;
        after_key.retain(|(c, _)| c.datestamp <= cutoff);
    }
    let mut keyed: Vec<(i64, String, Candidate)> = after_key
        .into_iter()
        .map(|(c, id)| (c.datestamp, id.unwrap_or_else(|| id_of(&c)), c))
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    keyed.truncate(limit);
    let headers: Vec<Header> = keyed
        .into_iter()
        .map(|(datestamp, id, c)| Header {
            id,
            datestamp,
            collection: read(&columns[&c.seg].collection, c.doc),
            deleted: c.deleted,
            addr: DocAddress::new(c.seg, c.doc),
        })
        .collect();
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
