//! The OAI-PMH provider through the router (`tower::ServiceExt::oneshot`), over an index of the
//! bundled `corpus/` (PDFs and catalogue records) and a small thesis catalogue written here:
//! complete harvests through resumption tokens (also after a restart), sets, date bounds,
//! both formats, deleted records, and every error code the protocol names. Responses are
//! parsed with quick-xml, so each is also checked to be well-formed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use indexer::data_dir::DataDir;
use indexer::ingest::{self, AddOptions, ProgressMode, RemoveSpec};
use quick_xml::events::Event;
use search_server::oai::Repository;
use search_server::AppState;
use tower::ServiceExt;

/// Thesis records (ETD-MS applies to them) beside the corpus's other kinds.
const THESES: &str = r#"{"id": "LV-2019-001", "title": "Nghiên cứu đường giao thông nông thôn tại tỉnh Nam Định", "authors": ["Nguyễn Văn An"], "advisor": "Trần Quốc Bảo", "institution": "Trường Đại học Giao thông Vận tải", "year": 2019, "doc_type": "master", "language": "vi", "keywords": ["giao thông", "nông thôn"], "abstract": "Luận văn đánh giá hiện trạng mạng lưới đường giao thông nông thôn & đề xuất giải pháp <nâng cấp>.", "text": "Mạng lưới đường giao thông nông thôn của tỉnh còn nhiều hạn chế."}
{"id": "LA-2021-002", "title": "Ảnh hưởng của bệnh thận mạn đến chất lượng cuộc sống của người bệnh", "authors": ["Lê Thị Hoa"], "institution": "Trường Đại học Y Hà Nội", "year": 2021, "doc_type": "doctoral", "language": "vi", "text": "Những người mắc bệnh thận giai đoạn cuối cần lọc máu thường xuyên."}
{"id": "KL-2023-004", "title": "Học sâu cho xử lý ảnh y tế", "authors": ["Võ Thành Đạt"], "institution": "Trường Đại học Bách khoa", "year": 2023, "doc_type": "thesis", "language": "vi", "text": "Khóa luận áp dụng mạng nơ-ron tích chập cho bài toán xử lý ảnh y tế."}
{"id": "BB-2010-005", "title": "Deep learning for medical image segmentation", "authors": ["John Smith"], "year": 2010, "doc_type": "article", "language": "en", "text": "Convolutional networks segment medical images accurately."}
"#;

/// A parsed XML element.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn parse(xml: &str) -> Node {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut stack = vec![Node::default()];
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(Node::from_start(&e)),
                Event::Empty(e) => {
                    let n = Node::from_start(&e);
                    stack.last_mut().unwrap().children.push(n);
                }
                Event::End(_) => {
                    let n = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(n);
                }
                Event::Text(t) => {
                    let t = t.decode().unwrap();
                    let t = quick_xml::escape::unescape(&t).unwrap();
                    stack.last_mut().unwrap().text.push_str(&t);
                }
                Event::GeneralRef(r) => {
                    let name = r.decode().unwrap();
                    let c = match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("entity {other}"),
                    };
                    stack.last_mut().unwrap().text.push_str(c);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "every element closed");
        stack.pop().unwrap().children.remove(0)
    }

    fn from_start(e: &quick_xml::events::BytesStart<'_>) -> Node {
        let mut n = Node {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            ..Node::default()
        };
        for a in e.attributes() {
            let a = a.unwrap();
            n.attrs.insert(
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().unwrap().into_owned(),
            );
        }
        n
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Every descendant named `name`, depth first.
    fn find_all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.find_all(name));
        }
        out
    }

    fn error_code(&self) -> Option<&str> {
        self.child("error").map(|e| e.attrs["code"].as_str())
    }
}

struct Library {
    data: DataDir,
    state: AppState,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn library(name: &str) -> Library {
    let root =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("oai-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let data = DataDir::new(root.join("data"));
    ingest::ingest_corpus_if_empty(&data, &workspace().join("corpus"), ProgressMode::Hidden)
        .expect("ingest the bundled corpus");
    let records = root.join("theses.jsonl");
    std::fs::write(&records, THESES).unwrap();
    let mut opts = AddOptions::new("luận-văn", vec![records]);
    opts.progress = ProgressMode::Hidden;
    ingest::add(&data, &opts).expect("ingest theses");
    let state = open(&data);
    Library { data, state }
}

/// A server over `data`, as after a (re)start, listing 7 records a page.
fn open(data: &DataDir) -> AppState {
    let index = indexer::index::open(&data.index_dir()).unwrap();
    AppState::new(index, data.clone(), None)
        .unwrap()
        .with_oai(Repository {
            page_size: 7,
            ..Repository::default()
        })
}

async fn oai(state: &AppState, query: &str) -> Node {
    let req = Request::get(format!("/oai?{query}"))
        .header(header::HOST, "thuvien.example.vn:8080")
        .body(Body::empty())
        .unwrap();
    let resp = search_server::app(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{query}");
    assert!(resp.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/xml"));
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Node::parse(std::str::from_utf8(&body).unwrap())
}

/// Every record of a list, following its tokens; each page's `cursor` is checked.
async fn harvest(state: &AppState, verb: &str, args: &str) -> (Vec<Node>, u64) {
    let mut out = Vec::new();
    let mut query = format!("verb={verb}&{args}");
    let mut size = None;
    let mut base = None;
    loop {
        let r = oai(state, &query).await;
        if r.error_code() == Some("noRecordsMatch") && out.is_empty() {
            return (out, 0);
        }
        let list = r.child(verb).unwrap_or_else(|| panic!("{verb}: {r:?}"));
        let item = if verb == "ListRecords" {
            "record"
        } else {
            "header"
        };
        let before = out.len() as u64;
        out.extend(list.all(item).cloned());
        let Some(t) = list.child("resumptionToken") else {
            break;
        };
        let n: u64 = t.attrs["completeListSize"].parse().unwrap();
        size.get_or_insert(n);
        // `cursor` counts the records sent before this page.
        let cursor: u64 = t.attrs["cursor"].parse().unwrap();
        let first = *base.get_or_insert(cursor);
        assert_eq!(cursor, first + before, "{query}");
        if t.text.is_empty() {
            break;
        }
        query = format!("verb={verb}&resumptionToken={}", t.text);
    }
    (out, size.unwrap_or(0))
}

fn header_of(record: &Node) -> &Node {
    if record.name == "header" {
        record
    } else {
        record.child("header").unwrap()
    }
}

fn identifiers(records: &[Node]) -> Vec<String> {
    records
        .iter()
        .map(|r| header_of(r).child("identifier").unwrap().text.clone())
        .collect()
}

fn live_works(state: &AppState) -> usize {
    indexer::index::live_works(&state.searcher(), &state.index.fields).unwrap() as usize
}

#[tokio::test]
async fn identify_describes_the_repository() {
    let lib = library("identify");
    let r = oai(&lib.state, "verb=Identify").await;
    assert_eq!(r.name, "OAI-PMH");
    let id = r.child("Identify").unwrap();
    assert_eq!(
        id.child("baseURL").unwrap().text,
        "http://thuvien.example.vn:8080/oai"
    );
    assert_eq!(id.child("protocolVersion").unwrap().text, "2.0");
    assert_eq!(id.child("deletedRecord").unwrap().text, "persistent");
    assert_eq!(
        id.child("granularity").unwrap().text,
        "YYYY-MM-DDThh:mm:ssZ"
    );
    assert!(id.child("adminEmail").unwrap().text.contains('@'));
    assert_eq!(
        id.find_all("repositoryIdentifier")[0].text,
        "thuvien.example.vn"
    );
    let earliest = &id.child("earliestDatestamp").unwrap().text;
    assert!(
        earliest.len() == 20 && earliest.ends_with('Z'),
        "{earliest}"
    );
    assert_eq!(
        r.child("request")
            .unwrap()
            .attrs
            .get("verb")
            .map(String::as_str),
        Some("Identify")
    );
}

#[tokio::test]
async fn a_harvest_gets_every_record_once_in_pages_and_across_a_restart() {
    let lib = library("harvest");
    let works = live_works(&lib.state);
    assert!(works > 14, "the corpus spans several pages of 7: {works}");
    let (records, size) = harvest(&lib.state, "ListRecords", "metadataPrefix=oai_dc").await;
    let ids = identifiers(&records);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no record twice");
    assert_eq!(ids.len(), works);
    assert_eq!(size as usize, works, "completeListSize");
    assert!(ids.iter().all(|i| i.starts_with("oai:thuvien.example.vn:")));
    // In (datestamp, id) order (lists across segments: `oai::listing`'s tests).
    let keys: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            let h = header_of(r);
            (
                h.child("datestamp").unwrap().text.clone(),
                h.child("identifier").unwrap().text.clone(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Every record has a title and links its page on this server.
    for r in &records {
        let dc = r.find_all("oai_dc:dc");
        assert_eq!(dc.len(), 1);
        assert!(!dc[0].child("dc:title").unwrap().text.trim().is_empty());
        let links: Vec<&str> = dc[0]
            .all("dc:identifier")
            .map(|n| n.text.as_str())
            .collect();
        assert!(
            links[0].starts_with("http://thuvien.example.vn:8080/doc/"),
            "{links:?}"
        );
    }
    // The thesis record carries its fields, escaped and unescaped intact.
    let lv = records
        .iter()
        .find(|r| identifiers(std::slice::from_ref(r))[0].ends_with(":LV-2019-001"))
        .unwrap();
    let dc = lv.find_all("oai_dc:dc")[0];
    assert_eq!(dc.child("dc:creator").unwrap().text, "Nguyễn Văn An");
    assert_eq!(dc.child("dc:contributor").unwrap().text, "Trần Quốc Bảo");
    assert_eq!(dc.child("dc:date").unwrap().text, "2019");
    assert!(dc
        .child("dc:description")
        .unwrap()
        .text
        .contains("& đề xuất giải pháp <nâng cấp>"));
    assert!(dc
        .all("dc:type")
        .any(|t| t.text == "info:eu-repo/semantics/masterThesis"));
    assert_eq!(
        header_of(lv).child("setSpec").unwrap().text,
        "lu~1ead~n-v~103~n"
    );

    // ListIdentifiers lists the same records.
    let (headers, _) = harvest(&lib.state, "ListIdentifiers", "metadataPrefix=oai_dc").await;
    assert_eq!(identifiers(&headers), ids);

    // A token taken before a restart still works after it.
    let first = oai(&lib.state, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let token = first.find_all("resumptionToken")[0].text.clone();
    let restarted = open(&lib.data);
    let (rest, _) = harvest(
        &restarted,
        "ListIdentifiers",
        &format!("resumptionToken={token}"),
    )
    .await;
    let mut all = identifiers(
        &first
            .child("ListIdentifiers")
            .unwrap()
            .all("header")
            .cloned()
            .collect::<Vec<_>>(),
    );
    all.extend(identifiers(&rest));
    assert_eq!(all, ids);
}

#[tokio::test]
async fn sets_dates_and_formats_select_records() {
    let lib = library("select");
    let sets = oai(&lib.state, "verb=ListSets").await;
    let specs: Vec<String> = sets
        .find_all("setSpec")
        .iter()
        .map(|s| s.text.clone())
        .collect();
    assert!(
        specs.contains(&"lu~1ead~n-v~103~n".to_string()),
        "{specs:?}"
    );
    let names: Vec<String> = sets
        .find_all("setName")
        .iter()
        .map(|s| s.text.clone())
        .collect();
    assert!(names.contains(&"luận-văn".to_string()));

    let (theses, _) = harvest(
        &lib.state,
        "ListIdentifiers",
        "metadataPrefix=oai_dc&set=lu~1ead~n-v~103~n",
    )
    .await;
    assert_eq!(theses.len(), 4);
    assert!(theses
        .iter()
        .all(|h| h.child("setSpec").unwrap().text == "lu~1ead~n-v~103~n"));

    // ETD-MS: the three theses, not the article of the same set nor the corpus's manuals.
    let (etd, _) = harvest(&lib.state, "ListRecords", "metadataPrefix=oai_etdms").await;
    let etd_ids = identifiers(&etd);
    assert_eq!(etd_ids.len(), 3, "{etd_ids:?}");
    let lv = etd
        .iter()
        .find(|r| identifiers(std::slice::from_ref(r))[0].ends_with(":LV-2019-001"))
        .unwrap();
    let thesis = lv.find_all("thesis")[0];
    assert_eq!(
        thesis.child("contributor").unwrap().attrs["role"],
        "advisor"
    );
    assert_eq!(thesis.find_all("level")[0].text, "1");
    assert_eq!(
        thesis.find_all("grantor")[0].text,
        "Trường Đại học Giao thông Vận tải"
    );
    assert_eq!(thesis.child("language").unwrap().text, "vie");

    // Dates: everything was ingested today, so a bound in the past keeps all, one in the
    // future none.
    let (all, _) = harvest(
        &lib.state,
        "ListIdentifiers",
        "metadataPrefix=oai_dc&from=2000-01-01",
    )
    .await;
    assert_eq!(all.len(), live_works(&lib.state));
    let r = oai(
        &lib.state,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(r.error_code(), Some("noRecordsMatch"));
    let stamp = header_of(&all[0]).child("datestamp").unwrap().text.clone();
    let (same, _) = harvest(
        &lib.state,
        "ListIdentifiers",
        &format!("metadataPrefix=oai_dc&from={stamp}&until={stamp}"),
    )
    .await;
    assert!(same
        .iter()
        .all(|h| h.child("datestamp").unwrap().text == stamp));
    assert!(!same.is_empty());

    // ListMetadataFormats of a thesis gives both, of a manual only Dublin Core.
    let f = oai(
        &lib.state,
        "verb=ListMetadataFormats&identifier=oai:thuvien.example.vn:LV-2019-001",
    )
    .await;
    assert_eq!(f.find_all("metadataPrefix").len(), 2);
    let f = oai(
        &lib.state,
        "verb=ListMetadataFormats&identifier=oai:thuvien.example.vn:BB-2010-005",
    )
    .await;
    let prefixes: Vec<&str> = f
        .find_all("metadataPrefix")
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(prefixes, ["oai_dc"]);
}

#[tokio::test]
async fn deleted_records_stay_as_deleted_headers() {
    let lib = library("deleted");
    let before = live_works(&lib.state);
    let spec = RemoveSpec {
        paths: Vec::new(),
        ids: vec!["KL-2023-004".into()],
    };
    assert_eq!(ingest::remove(&lib.data, "luận-văn", &spec).unwrap(), 1);
    let state = open(&lib.data);
    assert_eq!(live_works(&state), before - 1);
    let (headers, size) = harvest(&state, "ListIdentifiers", "metadataPrefix=oai_dc").await;
    assert_eq!(
        headers.len(),
        before,
        "the deleted record is listed, as deleted"
    );
    assert_eq!(size as usize, before);
    let deleted: Vec<&Node> = headers
        .iter()
        .filter(|h| h.attrs.get("status").map(String::as_str) == Some("deleted"))
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        deleted[0].child("identifier").unwrap().text,
        "oai:thuvien.example.vn:KL-2023-004"
    );
    assert_eq!(
        deleted[0].child("setSpec").unwrap().text,
        "lu~1ead~n-v~103~n"
    );
    let g = oai(
        &state,
        "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:thuvien.example.vn:KL-2023-004",
    )
    .await;
    let rec = g.find_all("record")[0];
    assert_eq!(rec.child("header").unwrap().attrs["status"], "deleted");
    assert!(rec.child("metadata").is_none());
    // The deleted record is the most recent change: an incremental harvest from its
    // datestamp gets it.
    let stamp = deleted[0].child("datestamp").unwrap().text.clone();
    let (recent, _) = harvest(
        &state,
        "ListIdentifiers",
        &format!("metadataPrefix=oai_dc&from={stamp}"),
    )
    .await;
    assert!(identifiers(&recent).contains(&"oai:thuvien.example.vn:KL-2023-004".to_string()));

    // Added again, it is live again, once.
    let records = lib.data.root().join("again.jsonl");
    let line = THESES.lines().find(|l| l.contains("KL-2023-004")).unwrap();
    std::fs::write(&records, line).unwrap();
    let mut opts = AddOptions::new("luận-văn", vec![records]);
    opts.progress = ProgressMode::Hidden;
    ingest::add(&lib.data, &opts).unwrap();
    let state = open(&lib.data);
    let (headers, _) = harvest(&state, "ListIdentifiers", "metadataPrefix=oai_dc").await;
    assert_eq!(headers.len(), before);
    assert!(headers.iter().all(|h| !h.attrs.contains_key("status")));
}

#[tokio::test]
async fn every_error_condition_in_the_protocols_words() {
    let lib = library("errors");
    let s = &lib.state;
    for (query, code) in [
        ("", "badVerb"),
        ("verb=Harvest", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&foo=bar", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x",
            "badArgument",
        ),
        (
            "verb=GetRecord&identifier=oai:thuvien.example.vn:LV-2019-001",
            "badArgument",
        ),
        (
            "verb=ListRecords&resumptionToken=not-a-token",
            "badResumptionToken",
        ),
        ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_etdms&identifier=oai:thuvien.example.vn:BB-2010-005",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:thuvien.example.vn:nope",
            "idDoesNotExist",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=LV-2019-001",
            "idDoesNotExist",
        ),
        (
            "verb=ListMetadataFormats&identifier=oai:elsewhere.org:LV-2019-001",
            "idDoesNotExist",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=no-such-set",
            "noRecordsMatch",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01",
            "noRecordsMatch",
        ),
    ] {
        let r = oai(s, query).await;
        assert_eq!(r.error_code(), Some(code), "{query}: {r:?}");
        assert!(
            !r.child("error").unwrap().text.is_empty(),
            "{query}: a message in words"
        );
        let request = r.child("request").unwrap();
        if matches!(code, "badVerb" | "badArgument") {
            assert!(
                request.attrs.is_empty(),
                "{query}: no attributes after {code}"
            );
        }
    }
    // An empty repository has no sets.
    let root =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("oai-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let data = DataDir::new(root.join("data"));
    std::fs::create_dir_all(data.index_dir()).unwrap();
    let empty = open(&data);
    assert_eq!(
        oai(&empty, "verb=ListSets").await.error_code(),
        Some("noSetHierarchy")
    );
    assert_eq!(
        oai(&empty, "verb=ListRecords&metadataPrefix=oai_dc")
            .await
            .error_code(),
        Some("noRecordsMatch")
    );
    // POST takes the same arguments as a form.
    let req = Request::post("/oai")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("verb=Identify"))
        .unwrap();
    let resp = search_server::app(s.clone()).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(Node::parse(std::str::from_utf8(&body).unwrap())
        .child("Identify")
        .is_some());
}
