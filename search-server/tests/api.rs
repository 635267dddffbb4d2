//! API tests through `tower::ServiceExt::oneshot`, over an index built in a temp dir from the
//! bundled `corpus/` (real PDFs and catalogue records) plus a small catalogue collection `sic`
//! whose records are written here, so ranking, facets and sorting can be checked exactly.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

mod common {
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;

    use indexer::data_dir::DataDir;
    use indexer::ingest::{self, AddOptions, ProgressMode};
    use search_server::{AppState, Token};

    use super::*;

    pub fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// Catalogue records with known ranking, facet and sort properties. Texts are real
    /// sentences (ViMedAQA, ALQAC-style), titles are typical Vietnamese thesis titles.
    pub const SIC_RECORDS: &str = r#"{"id": "LV-2019-001", "title": "Nghiên cứu đường giao thông nông thôn tại tỉnh Nam Định", "authors": ["Nguyễn Văn An"], "advisor": "Trần Quốc Bảo", "institution": "Trường Đại học Giao thông Vận tải", "year": 2019, "doc_type": "master", "language": "vi", "keywords": ["giao thông", "nông thôn"], "abstract": "Luận văn đánh giá hiện trạng mạng lưới đường giao thông nông thôn và đề xuất giải pháp nâng cấp.", "text": "Mạng lưới đường giao thông nông thôn của tỉnh còn nhiều hạn chế. Nhiều tuyến đường xuống cấp sau mùa mưa lũ."}
{"id": "LA-2021-002", "title": "Ảnh hưởng của bệnh thận mạn đến chất lượng cuộc sống của người bệnh", "authors": ["Lê Thị Hoa"], "institution": "Trường Đại học Y Hà Nội", "year": 2021, "doc_type": "doctoral", "language": "vi", "keywords": ["bệnh thận", "lọc máu"], "text": "Mất hoàn toàn chức năng của thận, thường là do bệnh thận mạn tiến triển. Những người mắc bệnh thận giai đoạn cuối cần yêu cầu lọc máu thường xuyên để sống sót."}
{"id": "BC-2015-003", "title": "Đánh giá sinh trưởng của cây dương xỉ trong nhà kính", "authors": ["Phạm Minh Châu"], "institution": "Viện Sinh thái và Tài nguyên sinh vật", "year": 2015, "doc_type": "report", "language": "vi", "text": "Cây dương xỉ sinh trưởng tốt trong điều kiện ẩm độ cao và ánh sáng tán xạ."}
{"id": "KL-2023-004", "title": "<script>alert('xss')</script> Học sâu cho xử lý ảnh y tế", "authors": ["Võ Thành Đạt"], "institution": "Trường Đại học Bách khoa", "year": 2023, "doc_type": "thesis", "language": "vi", "text": "Khóa luận áp dụng mạng nơ-ron tích chập cho bài toán xử lý ảnh y tế <b>chụp X-quang</b>."}
{"id": "BB-2010-005", "title": "Deep learning for medical image segmentation", "authors": ["John Smith", "Trần Thị Bình"], "year": 2010, "doc_type": "article", "language": "en", "institution": "Journal of Medical Imaging", "abstract": "We segment medical images with convolutional networks.", "text": "Convolutional networks segment medical images accurately."}
{"id": "GT-006", "title": "Giáo trình khoa học máy tính", "authors": ["Hoàng Văn Dũng"], "doc_type": "book", "language": "vi", "text": "Khoa học máy tính nghiên cứu thuật toán, cấu trúc dữ liệu và lập trình."}
"#;

    pub struct Fixture {
        pub state: AppState,
        pub data_dir: PathBuf,
    }

    fn fresh_dir(name: &str) -> PathBuf {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        // Fixtures of earlier runs (the shared one cannot be removed at exit: it is a static).
        let prefix = format!("search-server-{name}-");
        for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        let dir = tmp.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn build(name: &str, with_corpus: bool, token: Option<&str>) -> Fixture {
        let root = fresh_dir(name);
        let data_dir = DataDir::new(root.join("data"));
        if with_corpus {
            ingest::ingest_corpus_if_empty(
                &data_dir,
                &workspace().join("corpus"),
                ProgressMode::Hidden,
            )
            .expect("ingest the bundled corpus");
        }
        let records = root.join("sic.jsonl");
        std::fs::write(&records, SIC_RECORDS).unwrap();
        let mut opts = AddOptions::new("sic", vec![records]);
        opts.progress = ProgressMode::Hidden;
        let report = ingest::add(&data_dir, &opts).expect("ingest records");
        assert_eq!(report.summary.added, 6, "{:?}", report.inputs);
        let index = indexer::index::open(&data_dir.index_dir()).unwrap();
        let state = AppState::new(index, data_dir, token.and_then(Token::new)).unwrap();
        Fixture {
            state,
            data_dir: root,
        }
    }

    /// The shared read-only fixture: corpus + sic, writes disabled.
    pub fn fixture() -> &'static Fixture {
        static F: OnceLock<Fixture> = OnceLock::new();
        F.get_or_init(|| build("api", true, None))
    }

    /// A fixture of its own for write tests (they change the index), token `s3cret`.
    pub fn write_fixture() -> Fixture {
        build("write", false, Some("s3cret"))
    }

    pub fn app() -> Router {
        search_server::app(fixture().state.clone())
    }

    pub struct Resp {
        pub status: StatusCode,
        pub headers: axum::http::HeaderMap,
        pub body: Vec<u8>,
    }

    impl Resp {
        pub fn json(&self) -> Value {
            serde_json::from_slice(&self.body).unwrap_or_else(|e| {
                panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body))
            })
        }
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
        pub fn header(&self, name: header::HeaderName) -> String {
            self.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        }
    }

    pub async fn send(app: Router, req: Request<Body>) -> Resp {
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(uri: &str) -> Resp {
        send(app(), Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Percent-encodes a query-string value.
    pub fn enc(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    pub async fn search(params: &str) -> Value {
        let r = get(&format!("/api/search?{params}")).await;
        assert_eq!(r.status, StatusCode::OK, "{params}: {}", r.text());
        r.json()
    }

    pub fn ids(v: &Value) -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// Removes what changes from run to run (timings, scores, timestamps) before snapshots.
    pub fn stable(mut v: Value) -> Value {
        fn walk(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m.iter_mut() {
                        if matches!(k.as_str(), "took_ms" | "score" | "ingested_at" | "updated") {
                            *x = json!("[redacted]");
                        } else {
                            walk(x);
                        }
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut v);
        v
    }
}

use common::*;

mod search {
    use super::*;

    #[tokio::test]
    async fn without_diacritics_finds_accented_words_and_marks_them() {
        let v = search("q=duong&collection=sic").await;
        let ids = ids(&v);
        assert!(ids.contains(&"LV-2019-001".to_string()), "{ids:?}");
        assert!(ids.contains(&"BC-2015-003".to_string()), "{ids:?}");
        let snippets: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["snippet"].as_str().unwrap())
            .collect();
        assert!(
            snippets.iter().any(|s| s.contains("<mark>đường</mark>")),
            "{snippets:?}"
        );
        assert!(
            snippets.iter().any(|s| s.contains("<mark>dương</mark>")),
            "{snippets:?}"
        );
    }

    #[tokio::test]
    async fn keyword_queries_whose_words_are_in_one_record_have_no_note() {
        // `bệnh thận` and `giao thông` are in different records: nothing has all four.
        let v = search(&format!("q={}&collection=sic", enc("bệnh thận"))).await;
        assert_eq!(ids(&v), ["LA-2021-002"]);
        assert!(v["notes"].as_array().unwrap().is_empty(), "{v}");
    }

    #[tokio::test]
    async fn keyword_queries_without_a_full_match_show_partial_ones_with_a_note() {
        let q = format!("q={}&collection=sic", enc("bệnh thận giao thông"));
        let v = search(&q).await;
        let ids = ids(&v);
        assert!(ids.contains(&"LA-2021-002".to_string()), "{ids:?}");
        assert!(ids.contains(&"LV-2019-001".to_string()), "{ids:?}");
        // The note speaks the page's language: Vietnamese by default...
        let notes = v["notes"].to_string();
        assert!(notes.contains("không tài liệu nào có đủ mọi từ"), "{notes}");
        // ...English when the page asks for it...
        let notes = search(&format!("{q}&hl=en")).await["notes"].to_string();
        assert!(notes.contains("no document has every word"), "{notes}");
        // ...or, without hl, when the browser prefers English.
        let r = send(
            app(),
            Request::get(format!("/api/search?{q}"))
                .header("accept-language", "en-US,en;q=0.9,vi;q=0.5")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(
            r.text().contains("no document has every word"),
            "{}",
            r.text()
        );
        let r = get(&format!("/api/search?{q}&hl=fr")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // Nothing at all: still an empty result, not everything.
        let v = search("q=xyzzy+plugh+qwertz&collection=sic").await;
        assert_eq!(v["total"], 0);
    }

    #[tokio::test]
    async fn questions_match_any_word_and_ignore_question_words() {
        // No record holds `làm` or `gì`; the question still finds its answer first.
        let q = "Những người mắc bệnh thận giai đoạn cuối cần làm gì?";
        let v = search(&format!("q={}&collection=sic", enc(q))).await;
        assert_eq!(ids(&v)[0], "LA-2021-002", "{v}");
        let v = search(&format!(
            "q={}&collection=sic",
            enc("nhung nguoi mac benh than giai doan cuoi can lam gi?")
        ))
        .await;
        assert_eq!(ids(&v)[0], "LA-2021-002", "{v}");
        // A query made only of question words is searched as typed.
        let v = search(&format!("q={}&collection=sic", enc("là gì?"))).await;
        assert!(
            v["hits"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>là</mark>"),
            "{v}"
        );
    }

    #[tokio::test]
    async fn exact_diacritics_rank_first() {
        let v = search(&format!("q={}&collection=sic", enc("đường"))).await;
        assert_eq!(ids(&v)[0], "LV-2019-001");
        let v = search(&format!("q={}&collection=sic", enc("dương"))).await;
        assert_eq!(ids(&v)[0], "BC-2015-003");
    }

    #[tokio::test]
    async fn real_pdfs_report_matching_pages_best_first() {
        let v = search(&format!("q={}&collection=vi", enc("tiếng Việt"))).await;
        assert!(v["total"].as_u64().unwrap() > 0);
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| !h["pages"].as_array().unwrap().is_empty())
            .expect("a PDF hit with pages");
        assert!(hit["file_name"].is_string());
        let id = hit["id"].as_str().unwrap();
        let first = hit["pages"][0].as_u64().unwrap();
        let page = get(&format!("/api/documents/{id}/pages/{first}"))
            .await
            .json();
        let folded = search_server::text::fold_lower(page["text"].as_str().unwrap());
        assert!(
            folded.contains("tieng") || folded.contains("viet"),
            "page {first}"
        );
        assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
    }

    #[tokio::test]
    async fn snippet_is_escaped_html_with_marks_only() {
        let v = search(&format!("q={}&collection=sic", enc("xử lý ảnh"))).await;
        let hit = &v["hits"][0];
        assert_eq!(hit["id"], "KL-2023-004");
        let s = hit["snippet"].as_str().unwrap();
        let rest = s.replace("<mark>", "").replace("</mark>", "");
        assert!(!rest.contains('<'), "{s}");
        assert!(s.contains("&lt;b&gt;"), "{s}");
    }

    #[tokio::test]
    async fn facets_count_over_the_other_filters() {
        let v = search("collection=sic").await;
        assert_eq!(v["total"], 6);
        let coll = v["facets"]["collection"].as_array().unwrap();
        assert!(
            coll.iter().any(|f| f["value"] == "sic" && f["count"] == 6),
            "{coll:?}"
        );
        assert!(coll.len() > 1, "other collections still counted: {coll:?}");
        let types = v["facets"]["doc_type"].as_array().unwrap();
        assert_eq!(types.len(), 6);
        assert!(types.iter().all(|f| f["count"] == 1));
        let years: Vec<&str> = v["facets"]["year"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["value"].as_str().unwrap())
            .collect();
        assert_eq!(years, ["2023", "2021", "2019", "2015", "2010"]);
        // Choosing a doc_type keeps the doc_type facet whole and narrows the others.
        let v = search("collection=sic&doc_type=master").await;
        assert_eq!(ids(&v), ["LV-2019-001"]);
        assert_eq!(v["facets"]["doc_type"].as_array().unwrap().len(), 6);
        assert_eq!(
            v["facets"]["year"],
            json!([{ "value": "2019", "count": 1 }])
        );
    }

    #[tokio::test]
    async fn filters() {
        let v = search("collection=sic&year_from=2015&year_to=2020").await;
        let mut got = ids(&v);
        got.sort();
        assert_eq!(got, ["BC-2015-003", "LV-2019-001"]);
        assert_eq!(
            ids(&search("collection=sic&lang=en").await),
            ["BB-2010-005"]
        );
        assert_eq!(
            ids(&search(&format!("collection=sic&doc_type={}", enc("luận văn"))).await),
            ["LV-2019-001"],
            "doc_type synonyms"
        );
        assert_eq!(search("collection=nope").await["total"], 0);
    }

    #[tokio::test]
    async fn sort_by_year_puts_unknown_years_last() {
        let v = search("collection=sic&sort=newest").await;
        assert_eq!(
            ids(&v),
            [
                "KL-2023-004",
                "LA-2021-002",
                "LV-2019-001",
                "BC-2015-003",
                "BB-2010-005",
                "GT-006"
            ]
        );
        let v = search("collection=sic&sort=oldest").await;
        assert_eq!(ids(&v)[0], "BB-2010-005");
        assert_eq!(ids(&v)[5], "GT-006");
        // An empty query lists newest first by default.
        assert_eq!(search("collection=sic").await["sort"], "newest");
        assert_eq!(search("q=thận&collection=sic").await["sort"], "relevance");
    }

    #[tokio::test]
    async fn pagination_bounds() {
        let mut all = Vec::new();
        for offset in [0, 2, 4] {
            let v = search(&format!("collection=sic&limit=2&offset={offset}")).await;
            assert_eq!(v["total"], 6);
            all.extend(ids(&v));
        }
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 6);
        let v = search("collection=sic&offset=100").await;
        assert_eq!(v["total"], 6);
        assert!(v["hits"].as_array().unwrap().is_empty());
        assert_eq!(search("").await["hits"].as_array().unwrap().len(), 10);
    }

    /// The best hits are re-ranked by proximity (`search_server::search::proximity`): every page must
    /// still be cut from one list, so paging neither repeats nor skips a hit.
    #[tokio::test]
    async fn pages_of_a_reranked_query_form_one_list() {
        for q in [
            "Mạng nơ-ron tích chập dùng để làm gì?",
            "Hướng dẫn sử dụng máy giặt như thế nào?",
            "cach ve sinh may giat va tu lanh dung cach",
        ] {
            let whole = search(&format!("q={}&limit=30", enc(q))).await;
            let total = whole["total"].as_u64().unwrap();
            assert!(total > 25, "{q}: {total} hits, too few to page");
            let mut paged = Vec::new();
            for (offset, limit) in [(0, 7), (7, 7), (14, 10), (24, 6)] {
                let v = search(&format!("q={}&offset={offset}&limit={limit}", enc(q))).await;
                assert_eq!(v["total"].as_u64(), Some(total), "{q}");
                paged.extend(ids(&v));
            }
            assert_eq!(paged, ids(&whole), "{q}");
            let scores: Vec<f64> = whole["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["score"].as_f64().unwrap())
                .collect();
            assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{q}: {scores:?}");
        }
    }

    #[tokio::test]
    async fn bad_parameters_are_400_with_a_message() {
        let long = "a".repeat(10_000);
        for p in [
            "limit=0".to_string(),
            "limit=101".into(),
            "limit=ten".into(),
            "offset=-1".into(),
            "offset=9995&limit=10".into(),
            "sort=best".into(),
            "doc_type=poem".into(),
            "lang=v%20i".into(),
            "year_from=2020&year_to=2010".into(),
            "year_from=soon".into(),
            format!("q={long}"),
        ] {
            let r = get(&format!("/api/search?{p}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{p}");
            let msg = r.json()["error"].as_str().unwrap().to_string();
            assert!(!msg.is_empty() && msg.len() < 300, "{p}: {msg}");
        }
    }

    #[tokio::test]
    async fn malformed_queries_never_fail_the_server() {
        let long = "khoa học ".repeat(100);
        let queries = [
            "\"unbalanced",
            "\"",
            "\"\"\"",
            "-",
            "- -",
            "OR",
            "OR OR OR",
            "a OR",
            "title:",
            "year:",
            "year:abc",
            "year:99999",
            "author:\"",
            "(((",
            ")))",
            "*:*",
            "a AND",
            "\u{0}\u{1}\u{7}",
            "ab\u{202e}cd",
            "-\"học máy\"",
            "-thận",
            "title:-",
            "::::",
            "\\",
            "%",
            "\u{FEFF}",
            long.as_str(),
        ];
        for q in queries {
            let r = get(&format!("/api/search?q={}", enc(q))).await;
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
                "{q:?}: {}",
                r.status
            );
            assert!(r.json().is_object(), "{q:?}");
        }
        // A query string that is not valid percent-encoding is still answered.
        let r = get("/api/search?q=%FF%FE").await;
        assert!(r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn query_language() {
        let v = search(&format!("q={}&collection=sic", enc("\"lọc máu\""))).await;
        assert_eq!(ids(&v), ["LA-2021-002"]);
        let v = search(&format!("q={}&collection=sic", enc("\"máu lọc\""))).await;
        assert_eq!(v["total"], 0, "phrases keep order");
        let v = search(&format!("q={}&collection=sic", enc("thận OR xỉ"))).await;
        assert_eq!(v["total"], 2);
        let v = search(&format!("q={}&collection=sic", enc("duong -xi"))).await;
        assert_eq!(ids(&v), ["LV-2019-001"]);
        let v = search(&format!("q={}&collection=sic", enc("title:\"xu ly anh\""))).await;
        assert_eq!(ids(&v), ["KL-2023-004"]);
        let v = search("q=author:smith&collection=sic").await;
        assert_eq!(ids(&v), ["BB-2010-005"]);
        let v = search("q=year:2019&collection=sic").await;
        assert_eq!(ids(&v), ["LV-2019-001"]);
        let v = search("q=year:2019-2021&collection=sic").await;
        assert_eq!(v["total"], 2);
        // Every word first; records missing some follow.
        let v = search(&format!("q={}&collection=sic", enc("khoa hoc may tinh"))).await;
        assert_eq!(ids(&v)[0], "GT-006", "every word first: {v}");
        let v = search(&format!("q={}", enc("\"open quote"))).await;
        assert!(!v["notes"].as_array().unwrap().is_empty());
    }

    #[tokio::test]
    async fn snapshot_of_a_records_search() {
        let v = search(&format!("q={}&collection=sic", enc("bệnh thận"))).await;
        let v = stable(json!({
            "query": v["query"], "total": v["total"], "hits": v["hits"],
            "doc_type": v["facets"]["doc_type"], "year": v["facets"]["year"], "lang": v["facets"]["lang"],
        }));
        insta::assert_json_snapshot!("search_benh_than", v);
    }
}

mod documents {
    use super::*;

    #[tokio::test]
    async fn metadata_and_pages() {
        let r = get("/api/documents/LV-2019-001").await;
        assert_eq!(r.status, StatusCode::OK);
        insta::assert_json_snapshot!("document_lv", stable(r.json()));
        let p = get("/api/documents/LV-2019-001/pages/1").await.json();
        assert!(p["text"].as_str().unwrap().starts_with("Mạng lưới đường"));
        assert_eq!(p["page_count"], 1);
    }

    #[tokio::test]
    async fn missing_and_bad_pages() {
        let r = get("/api/documents/nope").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.json()["error"].as_str().unwrap().contains("nope"));
        for (uri, status) in [
            (
                "/api/documents/LV-2019-001/pages/0",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/documents/LV-2019-001/pages/x",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/documents/LV-2019-001/pages/2", StatusCode::NOT_FOUND),
            ("/api/documents/nope/pages/1", StatusCode::NOT_FOUND),
            ("/api/nothing", StatusCode::NOT_FOUND),
        ] {
            let r = get(uri).await;
            assert_eq!(r.status, status, "{uri}");
            assert!(r.json()["error"].is_string(), "{uri}");
        }
    }

    #[tokio::test]
    async fn citations() {
        let r = get("/api/documents/LV-2019-001/cite?format=bibtex").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r
            .header(header::CONTENT_TYPE)
            .starts_with("application/x-bibtex"));
        insta::assert_snapshot!("cite_bibtex_lv", r.text());
        let r = get("/api/documents/LA-2021-002/cite?format=ris").await;
        insta::assert_snapshot!("cite_ris_la", r.text());
        let r = get("/api/documents/BB-2010-005/cite?format=csl").await;
        insta::assert_json_snapshot!("cite_csl_bb", r.json());
        let bib = get("/api/documents/BC-2015-003/cite").await.text();
        assert!(bib.starts_with("@techreport{"), "{bib}");
        let r = get("/api/documents/LV-2019-001/cite?format=mla").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = get("/api/documents/LV-2019-001/cite?format=ris&download=1").await;
        assert!(r
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment"));
    }

    #[tokio::test]
    async fn similar_documents_exclude_the_document() {
        let v = get("/api/documents/BB-2010-005/similar?limit=5")
            .await
            .json();
        let hits = v["hits"].as_array().unwrap();
        assert!(hits.iter().all(|h| h["id"] != "BB-2010-005"));
        assert!(!hits.is_empty());
        assert_eq!(
            get("/api/documents/BB-2010-005/similar?limit=500")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            get("/api/documents/x:y/similar").await.status,
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn suggestions_are_diacritic_insensitive_word_prefixes() {
        let v = get(&format!("/api/suggest?q={}", enc("nghien cuu duong")))
            .await
            .json();
        let texts: Vec<&str> = v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert!(
            texts.contains(&"Nghiên cứu đường giao thông nông thôn tại tỉnh Nam Định"),
            "{texts:?}"
        );
        let v = get(&format!("/api/suggest?q={}", enc("loc m")))
            .await
            .json();
        assert_eq!(v["suggestions"][0]["text"], "lọc máu");
        assert_eq!(v["suggestions"][0]["kind"], "keyword");
        let v = get("/api/suggest?q=").await.json();
        assert!(v["suggestions"].as_array().unwrap().is_empty());
    }

    #[tokio::test]
    async fn collections_and_health() {
        let v = get("/api/collections").await.json();
        let list = v.as_array().unwrap();
        let sic = list.iter().find(|c| c["name"] == "sic").unwrap();
        assert_eq!(sic["documents"], 6);
        assert!(list
            .iter()
            .any(|c| c["name"] == "vi" && c["pages"].as_u64().unwrap() > 10));
        let h = get("/health").await.json();
        assert_eq!(h["status"], "ok");
        assert_eq!(h["writes_enabled"], false);
    }
}

mod file {
    use super::*;

    async fn a_pdf_id() -> String {
        let v = search("collection=vi&limit=1").await;
        ids(&v)[0].clone()
    }

    #[tokio::test]
    async fn serves_the_pdf_with_ranges() {
        let id = a_pdf_id().await;
        let r = get(&format!("/api/documents/{id}/file")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header(header::CONTENT_TYPE), "application/pdf");
        assert!(r.body.starts_with(b"%PDF-"));
        let full = r.body.len();
        let req = Request::get(format!("/api/documents/{id}/file"))
            .header(header::RANGE, "bytes=0-99")
            .body(Body::empty())
            .unwrap();
        let r = send(app(), req).await;
        assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
        assert_eq!(r.body.len(), 100);
        assert_eq!(
            r.header(header::CONTENT_RANGE),
            format!("bytes 0-99/{full}")
        );
    }

    #[tokio::test]
    async fn nothing_else_is_reachable() {
        for uri in [
            "/api/documents/LV-2019-001/file", // a record has no file
            "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd/file",
            "/api/documents/%2Fetc%2Fpasswd/file",
            "/api/documents/../../Cargo.toml/file",
            "/api/documents/vi~..%2Fvi/file",
            "/static/..%2F..%2FCargo.toml",
            "/static/../src/lib.rs",
        ] {
            let r = get(uri).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(
                !r.text().contains("[workspace]") && !r.text().contains("pub fn"),
                "{uri}"
            );
        }
    }
}

mod web {
    use super::*;

    #[tokio::test]
    async fn pages_have_a_strict_csp_and_no_inline_script() {
        let r = get("/").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("script-src 'self'"));
        let html = r.text();
        assert!(html.contains("lang=\"vi\""));
        assert!(!html.contains("<script>"), "no inline scripts");
        for asset in ["app.js", "doc.js", "i18n.js", "style.css", "favicon.svg"] {
            let r = get(&format!("/static/{asset}")).await;
            assert_eq!(r.status, StatusCode::OK, "{asset}");
            assert!(!r.body.is_empty());
        }
    }

    #[tokio::test]
    async fn document_page_escapes_titles_and_carries_scholar_tags() {
        let r = get("/doc/KL-2023-004").await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text();
        assert!(!html.contains("<script>alert"), "title must be escaped");
        assert!(html.contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"));
        let r = get("/doc/LV-2019-001").await.text();
        for tag in [
            "<meta name=\"citation_title\" content=\"Nghiên cứu đường giao thông nông thôn tại tỉnh Nam Định\">",
            "<meta name=\"citation_author\" content=\"Nguyễn Văn An\">",
            "<meta name=\"citation_publication_date\" content=\"2019\">",
            "<meta name=\"citation_dissertation_institution\" content=\"Trường Đại học Giao thông Vận tải\">",
        ] {
            assert!(r.contains(tag), "{tag}");
        }
        let pdf = search("collection=vi&limit=1").await;
        let id = ids(&pdf)[0].clone();
        let html = get(&format!("/doc/{id}")).await.text();
        assert!(
            html.contains(&format!("/api/documents/{id}/file\">")),
            "citation_pdf_url"
        );
        let r = get("/doc/nope:nope").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text().contains("Không tìm thấy"));
    }
}

mod openapi {
    use super::*;

    #[tokio::test]
    async fn every_route_is_documented() {
        let v = get("/api/openapi.json").await.json();
        assert!(v["openapi"].as_str().unwrap().starts_with("3."));
        let paths = v["paths"].as_object().unwrap();
        for (method, path) in search_server::ROUTES {
            let entry = paths
                .get(*path)
                .unwrap_or_else(|| panic!("{path} missing from openapi.json"));
            assert!(entry.get(*method).is_some(), "{method} {path} missing");
        }
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                if method == "parameters" {
                    continue;
                }
                assert!(
                    search_server::ROUTES.contains(&(method.as_str(), path.as_str())),
                    "{method} {path} documented but not routed"
                );
            }
        }
    }
}

mod write {
    use super::*;

    fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
        let boundary = "----vn-scholar-test-boundary";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    fn upload(coll: &str, token: Option<&str>, files: &[(&str, &[u8])]) -> Request<Body> {
        let (ctype, body) = multipart(files);
        let mut b = Request::post(format!("/api/collections/{coll}/documents"))
            .header(header::CONTENT_TYPE, ctype);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b.body(Body::from(body)).unwrap()
    }

    #[tokio::test]
    async fn writes_are_disabled_without_a_token() {
        let r = send(app(), upload("sic", Some("x"), &[("a.jsonl", b"{}")])).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("writes are disabled"));
        let r = send(
            app(),
            Request::delete("/api/documents/LV-2019-001")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn upload_search_delete() {
        let f = common::write_fixture();
        let app = || search_server::app(f.state.clone());
        let pdf = std::fs::read(
            common::workspace().join("corpus/vi/texlive-lang-other/generic__vntex__vn-min.pdf"),
        )
        .unwrap();

        let r = send(app(), upload("uploads", None, &[("a.pdf", &pdf)])).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = send(app(), upload("uploads", Some("wrong"), &[("a.pdf", &pdf)])).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = send(
            app(),
            upload("bad/name", Some("s3cret"), &[("a.pdf", &pdf)]),
        )
        .await;
        assert!(r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::NOT_FOUND);
        let r = send(
            app(),
            upload("uploads", Some("s3cret"), &[("notes.txt", b"hi")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = send(
            app(),
            upload("uploads", Some("s3cret"), &[("fake.pdf", b"<html>")]),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.json()["error"].as_str().unwrap().contains("not a PDF"));

        let record = r#"{"id": "NEW-1", "title": "Quản lý tài nguyên nước lưu vực sông Hồng", "year": 2024, "doc_type": "report", "language": "vi", "text": "Tài nguyên nước lưu vực sông Hồng."}"#;
        let r = send(
            app(),
            upload(
                "uploads",
                Some("s3cret"),
                &[
                    ("../../evil name.pdf", &pdf),
                    ("new.jsonl", record.as_bytes()),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        assert_eq!(v["summary"]["added"], 2, "{v}");
        // Stored under the data dir with a safe name.
        let stored = f.data_dir.join("data/uploads/uploads/evil_name.pdf");
        assert!(stored.is_file(), "{}", stored.display());

        let s = send(
            app(),
            Request::get(format!("/api/search?q={}", enc("luu vuc song Hong")))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
        assert_eq!(ids(&s)[0], "NEW-1", "searchable right after the upload");
        let s = send(
            app(),
            Request::get("/api/search?collection=uploads")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
        assert_eq!(s["total"], 2);
        let pdf_id = ids(&s)
            .into_iter()
            .find(|i| i.starts_with("uploads~"))
            .unwrap();
        let r = send(
            app(),
            Request::get(format!("/api/documents/{pdf_id}/file"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);

        let del = |id: &str, token: Option<&str>| {
            let mut b = Request::delete(format!("/api/documents/{id}"));
            if let Some(t) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
            }
            b.body(Body::empty()).unwrap()
        };
        assert_eq!(
            send(app(), del(&pdf_id, None)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = send(app(), del(&pdf_id, Some("s3cret"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(!stored.exists(), "the uploaded file goes with its document");
        let r = send(
            app(),
            Request::get(format!("/api/documents/{pdf_id}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(
            send(app(), del(&pdf_id, Some("s3cret"))).await.status,
            StatusCode::NOT_FOUND
        );
        let r = send(app(), del("GT-006", Some("s3cret"))).await;
        assert_eq!(r.status, StatusCode::OK);
    }
}
