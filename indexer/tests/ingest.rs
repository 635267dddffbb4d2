//! Integration tests of bulk ingestion: the real `indexer` binary on real PDFs from `corpus/`
//! and `../shared` (beside the checkout), and the library entry points the search server calls.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use indexer::data_dir::DataDir;
use indexer::ingest::{self, ProgressMode};
use serde_json::Value;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::{TantivyDocument, Term};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Small real PDFs (1–7 pages each) from the bundled corpus, so debug builds stay quick.
const SMALL: [&str; 6] = [
    "vi/texlive-lang-other/generic__vntex__vn-min.pdf",
    "vi/texlive-lang-other/latex__ntheorem-vn__test.pdf",
    "en/r-vignettes/r-cran-zoo__zoo-design.pdf",
    "en/r-vignettes/r-cran-numderiv__Guide.pdf",
    "en/r-vignettes/r-cran-aer__Sweave-journals.pdf",
    "en/texlive-publishers/langsci__samplepaper.pdf",
];

fn corpus_file(rel: &str) -> PathBuf {
    repo().join("corpus").join(rel)
}

/// Copies the given corpus files into `dir/sub`, keeping file names.
fn copy_pdfs(dir: &Path, files: &[&str]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    files
        .iter()
        .map(|rel| {
            let src = corpus_file(rel);
            let dst = dir.join(src.file_name().unwrap());
            std::fs::copy(&src, &dst).unwrap();
            dst
        })
        .collect()
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

impl Run {
    fn count(&self, key: &str) -> u64 {
        self.report["summary"][key].as_u64().unwrap()
    }

    fn entries(&self, outcome: &str) -> Vec<&Value> {
        self.report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["outcome"] == outcome)
            .collect()
    }
}

fn indexer(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_indexer"));
    c.arg("--data-dir").arg(data);
    c
}

/// Runs `indexer add ARGS --quiet --report R` and reads the report.
fn add(data: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let report = data.with_extension(format!(
        "report-{}.json",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let mut c = indexer(data);
    c.arg("add");
    for a in args {
        c.arg(a);
    }
    let out = c
        .arg("--quiet")
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let text = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("no report {}: {e}\n{stderr}", report.display()));
    Run {
        code: out.status.code().unwrap_or(-1),
        report: serde_json::from_str(&text).unwrap(),
        stderr,
    }
}

fn all_ids(data: &Path) -> Vec<String> {
    let index = indexer::index::open(&DataDir::new(data).index_dir()).unwrap();
    let mut ids = Vec::new();
    ingest::scan::for_each_doc(&ingest::scan::searcher(&index).unwrap(), |row| {
        ids.push(row.id)
    })
    .unwrap();
    ids
}

fn stored_title(data: &Path, id: &str) -> Option<String> {
    let index = indexer::index::open(&DataDir::new(data).index_dir()).unwrap();
    let searcher = ingest::scan::searcher(&index).unwrap();
    let q = TermQuery::new(
        Term::from_field_text(index.fields.id, id),
        IndexRecordOption::Basic,
    );
    let hits: Vec<_> = searcher
        .search(&q, &DocSetCollector)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(hits.len(), 1, "id {id} must be in the index exactly once");
    let doc: TantivyDocument = searcher.doc(hits[0]).unwrap();
    doc.get_first(index.fields.title.exact)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

#[test]
fn second_run_is_all_unchanged_and_changes_are_updates() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let folder = tmp.path().join("pdfs");
    let files = copy_pdfs(&folder.join("sub"), &SMALL[..4]);

    let first = add(&data, &[&folder, &"--collection", &"lib"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.count("added"), 4);
    assert!(first.count("pages") >= 4);

    let second = add(&data, &[&folder, &"--collection", &"lib"]);
    assert_eq!(second.code, 0);
    assert_eq!(second.count("unchanged"), 4, "{:#}", second.report);
    assert_eq!(second.count("added") + second.count("updated"), 0);

    // Append bytes to one file (still a valid PDF) and replace another with a different PDF.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    bytes.extend_from_slice(b"\n% appended by a librarian's tool\n");
    std::fs::write(&files[0], bytes).unwrap();
    std::fs::copy(corpus_file(SMALL[5]), &files[1]).unwrap();
    let third = add(&data, &[&folder, &"--collection", &"lib"]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(third.count("updated"), 2, "{:#}", third.report);
    assert_eq!(third.count("unchanged"), 2);
    // Updated documents keep their ids and are not duplicated.
    let ids = all_ids(&data);
    assert_eq!(ids.len(), 4);
    let updated: HashSet<_> = third
        .entries("updated")
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert!(updated.iter().all(|id| ids.contains(id)));
}

#[test]
fn duplicates_broken_files_and_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let folder = tmp.path().join("in");
    let files = copy_pdfs(&folder, &SMALL[2..4]);
    // The same file under two more names, one in a sub-folder.
    std::fs::create_dir_all(folder.join("copy")).unwrap();
    std::fs::copy(&files[0], folder.join("copy/again.pdf")).unwrap();
    std::fs::copy(&files[0], folder.join("zz-again.pdf")).unwrap();
    // A truncated real PDF and random bytes named .pdf.
    let real = std::fs::read(corpus_file(SMALL[0])).unwrap();
    std::fs::write(folder.join("truncated.pdf"), &real[..real.len().min(700)]).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(folder.join("noise.pdf"), noise).unwrap();

    let run = add(&data, &[&folder, &"--collection", &"mixed"]);
    assert_eq!(run.code, 2, "a failed input must give exit code 2");
    assert_eq!(run.count("added"), 2, "{:#}", run.report);
    assert_eq!(run.count("duplicates"), 2);
    assert_eq!(run.count("failed"), 2);
    for e in run.entries("failed") {
        let reason = e["reason"].as_str().unwrap();
        assert!(!reason.is_empty(), "{e}");
        assert!(
            e["path"].as_str().unwrap().ends_with("noise.pdf")
                || e["path"].as_str().unwrap().ends_with("truncated.pdf")
        );
    }
    for e in run.entries("duplicate") {
        assert!(
            e["reason"].as_str().unwrap().contains("same content"),
            "{e}"
        );
    }
    assert!(run.stderr.contains("failed"), "{}", run.stderr);
    assert_eq!(all_ids(&data).len(), 2);

    // A copy added later, in another run, is a duplicate of the document in the collection.
    let later = tmp.path().join("later");
    std::fs::create_dir_all(&later).unwrap();
    std::fs::copy(&files[1], later.join("renamed.pdf")).unwrap();
    let run = add(&data, &[&later, &"--collection", &"mixed"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.count("duplicates"), 1, "{:#}", run.report);
    assert_eq!(all_ids(&data).len(), 2);
}

#[test]
fn records_with_bad_lines_are_reported_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // Real records: the bundled d2l-vi sample, with bad lines inserted.
    let sample = std::fs::read_to_string(corpus_file("records/d2l-vi.jsonl")).unwrap();
    let good: Vec<&str> = sample.lines().take(5).collect();
    let jsonl = tmp.path().join("cat.jsonl");
    let mut lines = good.clone();
    lines.insert(2, "{\"id\": \"broken\", \"title\": "); // line 3: invalid JSON
    lines.push("{\"title\": \"Không có mã\"}"); // line 7: no id
    lines.push("{\"id\": \"y\", \"title\": \"Năm sai\", \"year\": \"khoảng 2019\"}"); // line 8
    lines.push(good[0]); // line 9: same id again
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();

    let csv = tmp.path().join("cat.csv");
    std::fs::write(
        &csv,
        "id,title,authors,year,doc_type,language\n\
         lv-1,Nhận dạng tiếng nói tiếng Việt,Nguyễn A; Trần B,2019,luận văn,vi\n\
         lv-2,Thiếu cột,2020\n\
         lv-3,Hệ thống hỏi đáp,,2021,poem,vi\n\
         lv-4,Tìm kiếm văn bản pháp luật,,2022,report,\n",
    )
    .unwrap();

    let run = add(&data, &[&jsonl, &csv, &"--collection", &"sic"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.count("added"), 5 + 2, "{:#}", run.report);
    assert_eq!(run.count("duplicates"), 1);
    let failed: Vec<String> = run
        .entries("failed")
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    let name = |p: &Path| p.display().to_string();
    for want in [
        format!("{}:3", name(&jsonl)),
        format!("{}:7", name(&jsonl)),
        format!("{}:8", name(&jsonl)),
        format!("{}:3", name(&csv)),
        format!("{}:4", name(&csv)),
    ] {
        assert!(failed.contains(&want), "{want} not in {failed:?}");
    }
    let reason_of = |suffix: &str| {
        run.entries("failed")
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(suffix))
            .map(|e| e["reason"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(reason_of("cat.jsonl:7").contains("id"));
    assert!(reason_of("cat.jsonl:8").contains("year"));
    assert!(reason_of("cat.csv:4").contains("doc_type"));

    // A record keeps its own id.
    let ids = all_ids(&data);
    assert!(ids.contains(&"lv-1".to_string()), "{ids:?}");
    assert!(ids.contains(&"d2l-vi.introduction.index".to_string()));

    // Idempotent: the same files again change nothing.
    let again = add(&data, &[&jsonl, &csv, &"--collection", &"sic"]);
    assert_eq!(again.count("unchanged"), 7, "{:#}", again.report);
    assert_eq!(again.count("added") + again.count("updated"), 0);

    // Another collection cannot take over an id: the record fails, the first one stays.
    let before = all_ids(&data).len();
    let other = add(&data, &[&jsonl, &"--collection", &"other"]);
    assert_eq!(other.code, 2, "{:#}", other.report);
    assert_eq!(other.count("added"), 0, "{:#}", other.report);
    assert!(other.entries("failed").iter().any(|e| e["reason"]
        .as_str()
        .unwrap()
        .contains("already belongs to collection \"sic\"")));
    assert_eq!(all_ids(&data).len(), before);
}

#[test]
fn metadata_override_wins_and_edits_update() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let folder = tmp.path().join("theses");
    copy_pdfs(&folder.join("2019"), &SMALL[..2]);
    let meta = tmp.path().join("meta.csv");
    std::fs::write(
        &meta,
        "file,title,year,doc_type\n\
         2019/generic__vntex__vn-min.pdf,Gói vntex: hướng dẫn tối thiểu,2013,book\n\
         does-not-exist.pdf,Không khớp,2000,report\n",
    )
    .unwrap();
    let run = add(
        &data,
        &[&folder, &"--collection", &"ov", &"--metadata", &meta],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.count("added"), 2);
    let warnings = run.report["warnings"].to_string();
    assert!(warnings.contains("does-not-exist.pdf"), "{warnings}");
    let id = ingest::ids::pdf_id("ov", "2019/generic__vntex__vn-min.pdf");
    assert_eq!(
        stored_title(&data, &id).as_deref(),
        Some("Gói vntex: hướng dẫn tối thiểu")
    );

    // Editing the override re-indexes exactly that PDF; a bare file name also matches.
    std::fs::write(
        &meta,
        "file,title\ngeneric__vntex__vn-min.pdf,Hướng dẫn vntex\n",
    )
    .unwrap();
    let run = add(
        &data,
        &[&folder, &"--collection", &"ov", &"--metadata", &meta],
    );
    assert_eq!(run.count("updated"), 1, "{:#}", run.report);
    assert_eq!(run.count("unchanged"), 1);
    assert_eq!(stored_title(&data, &id).as_deref(), Some("Hướng dẫn vntex"));
}

#[test]
fn remove_and_collections_json() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let files_a = copy_pdfs(&a, &SMALL[..3]);
    copy_pdfs(&b, &SMALL[3..5]);
    assert_eq!(add(&data, &[&a, &"--collection", &"alpha"]).code, 0);
    assert_eq!(add(&data, &[&b, &"--collection", &"beta"]).code, 0);

    let json = |data: &Path| -> Value {
        let out = indexer(data)
            .args(["collections", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let list = json(&data);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    for c in arr {
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4, "{c}");
        for k in ["name", "documents", "pages", "updated"] {
            assert!(c.get(k).is_some(), "{k} missing in {c}");
        }
        let updated = c["updated"].as_str().unwrap();
        // RFC 3339 UTC: 2026-01-31T12:34:56Z
        assert_eq!(updated.len(), 20, "{updated}");
        assert_eq!(&updated[10..11], "T");
        assert!(updated.ends_with('Z'));
        assert!(c["pages"].as_u64().unwrap() >= c["documents"].as_u64().unwrap());
    }
    assert_eq!(arr[0]["name"], "alpha");
    assert_eq!(arr[0]["documents"], 3);

    // Remove one file by path, then a whole collection.
    let out = indexer(&data)
        .args(["remove", "--collection", "alpha"])
        .arg(&files_a[0])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&data)[0]["documents"], 2);
    let out = indexer(&data)
        .args(["remove", "--collection", "beta"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list = json(&data);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "alpha");

    // stats sees the same.
    let out = indexer(&data).args(["stats", "--json"]).output().unwrap();
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["collections"], 1);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);

    // Removing a folder removes the PDFs under it.
    let out = indexer(&data)
        .args(["remove", "--collection", "alpha"])
        .arg(&a)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(json(&data).as_array().unwrap().is_empty());
}

#[test]
fn corpus_is_ingested_only_when_the_index_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    copy_pdfs(&corpus.join("vi"), &SMALL[..2]);
    std::fs::create_dir_all(corpus.join("records")).unwrap();
    std::fs::copy(
        corpus_file("records/vi-manuals.csv"),
        corpus.join("records/vi-manuals.csv"),
    )
    .unwrap();
    let data = DataDir::new(tmp.path().join("data"));
    let reports = ingest::ingest_corpus_if_empty(&data, &corpus, ProgressMode::Hidden)
        .unwrap()
        .expect("empty index gets the corpus");
    assert_eq!(reports.len(), 2);
    let index = indexer::index::open(&data.index_dir()).unwrap();
    let names: Vec<String> = ingest::collections(&index)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["records", "vi"]);
    assert!(
        ingest::ingest_corpus_if_empty(&data, &corpus, ProgressMode::Hidden)
            .unwrap()
            .is_none()
    );
}

/// Records built from real Vietnamese text: the contexts of the ViRE retrieval sets, each
/// repeated under several ids so the run lasts long enough to be killed in the middle.
fn vire_records(path: &Path, copies: usize) -> usize {
    let dir = [
        std::env::var_os("SHARED_DIR").map(PathBuf::from),
        Some(repo().join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.join("ir/vire-vi"))
    .find(|d| d.is_dir())
    .expect("the ViRE sets of ../shared (beside the checkout) are needed for the kill -9 test");
    let mut out = String::new();
    let mut n = 0;
    for name in ["ViMedAQA_v2.csv", "ALQAC.csv", "ViRe4MRC_v2.csv"] {
        let mut reader = csv::Reader::from_path(dir.join(name)).unwrap();
        let headers = reader.headers().unwrap().clone();
        let ctx = headers.iter().position(|h| h == "context").unwrap();
        let q = headers.iter().position(|h| h == "question").unwrap();
        for (i, row) in reader.records().enumerate() {
            let row = row.unwrap();
            for k in 0..copies {
                let rec = serde_json::json!({
                    "id": format!("{}-{i}-{k}", name.trim_end_matches(".csv")),
                    "title": row[q].to_string(),
                    "text": row[ctx].to_string(),
                    "language": "vi",
                });
                out.push_str(&rec.to_string());
                out.push('\n');
                n += 1;
            }
        }
    }
    std::fs::write(path, out).unwrap();
    n
}

fn committed_docs(data: &Path) -> u64 {
    let dir = DataDir::new(data).index_dir();
    // Open only once the child has created the index, so this never races its creation.
    if !dir.join("meta.json").exists() {
        return 0;
    }
    match indexer::index::open(&dir) {
        Ok(index) => ingest::scan::searcher(&index).map_or(0, |s| {
            indexer::index::live_works(&s, &index.fields).unwrap_or(0)
        }),
        Err(_) => 0,
    }
}

#[test]
fn kill_9_keeps_committed_documents_and_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let jsonl = tmp.path().join("vire.jsonl");
    let total = vire_records(&jsonl, 1) as u64;
    assert!(total >= 1000, "{total}");

    let mut child = indexer(&data)
        .arg("add")
        .arg(&jsonl)
        .args(["--collection", "vire", "--quiet", "--commit-every", "100"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Poll until at least one commit is visible: no assumption on how long that takes.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = 0;
    while seen == 0 {
        assert!(Instant::now() < deadline, "no commit within 5 minutes");
        if child.try_wait().unwrap().is_some() {
            break;
        }
        seen = committed_docs(&data);
        if seen == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let killed_mid_run = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let after_kill = committed_docs(&data);
    eprintln!("killed mid-run: {killed_mid_run}; {after_kill} of {total} documents committed");
    assert!(after_kill >= 1, "committed documents survive kill -9");
    if killed_mid_run {
        assert!(after_kill <= total);
    }
    let ids = all_ids(&data);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no id twice after the crash"
    );

    let rerun = add(&data, &[&jsonl, &"--collection", &"vire"]);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert_eq!(rerun.count("unchanged"), after_kill, "{}", rerun.stderr);
    assert_eq!(rerun.count("added"), total - after_kill);
    let ids = all_ids(&data);
    assert_eq!(ids.len() as u64, total, "every record present");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len() as u64,
        total,
        "every record exactly once"
    );
}

#[test]
fn a_moved_file_keeps_its_document_and_prune_follows_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let folder = tmp.path().join("pdfs");
    let files = copy_pdfs(&folder.join("a"), &SMALL[..4]);
    let records = tmp.path().join("cat.jsonl");
    std::fs::write(
        &records,
        "{\"id\":\"R-1\",\"title\":\"Một\"}\n{\"id\":\"R-2\",\"title\":\"Hai\"}\n",
    )
    .unwrap();
    let first = add(&data, &[&folder, &records, &"--collection", &"lib"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.count("added"), 6);
    let before: HashSet<String> = all_ids(&data).into_iter().collect();

    // Move one file to another sub-folder and rename another: both keep their documents.
    std::fs::create_dir_all(folder.join("b")).unwrap();
    let moved = folder.join("b").join(files[0].file_name().unwrap());
    std::fs::rename(&files[0], &moved).unwrap();
    std::fs::rename(&files[1], folder.join("a").join("renamed.pdf")).unwrap();
    let second = add(&data, &[&folder, &records, &"--collection", &"lib"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.count("duplicates"), 0, "{:#}", second.report);
    assert_eq!(second.count("added"), 0, "{:#}", second.report);
    assert_eq!(second.count("updated"), 2);
    assert!(second
        .entries("updated")
        .iter()
        .all(|e| e["reason"].as_str().unwrap().starts_with("moved from ")));
    let after: HashSet<String> = all_ids(&data).into_iter().collect();
    assert_eq!(after, before, "same documents, same ids");
    // ... and the next run sees them as they are.
    let third = add(&data, &[&folder, &records, &"--collection", &"lib"]);
    assert_eq!(third.count("unchanged"), 6, "{:#}", third.report);

    // Delete a file and a record: a dry run lists both and changes nothing.
    std::fs::remove_file(&files[2]).unwrap();
    std::fs::write(&records, "{\"id\":\"R-1\",\"title\":\"Một\"}\n").unwrap();
    let dry = add(
        &data,
        &[
            &folder,
            &records,
            &"--collection",
            &"lib",
            &"--prune",
            &"--dry-run",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let listed: Vec<&str> = dry
        .entries("removed")
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2, "{:#}", dry.report);
    assert!(listed.contains(&"R-2"));
    assert_eq!(all_ids(&data).len(), 6, "a dry run changes nothing");

    // Without --prune nothing goes; with it both do.
    let kept = add(&data, &[&folder, &records, &"--collection", &"lib"]);
    assert_eq!(kept.count("removed"), 0);
    assert_eq!(all_ids(&data).len(), 6);
    let pruned = add(
        &data,
        &[&folder, &records, &"--collection", &"lib", &"--prune"],
    );
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    assert_eq!(pruned.count("removed"), 2, "{:#}", pruned.report);
    let left: HashSet<String> = all_ids(&data).into_iter().collect();
    assert_eq!(left.len(), 4);
    for id in &listed {
        assert!(!left.contains(*id), "{id} pruned");
    }

    // Pruning with folders only leaves the records alone.
    let folders_only = add(&data, &[&folder, &"--collection", &"lib", &"--prune"]);
    assert_eq!(
        folders_only.count("removed"),
        0,
        "{:#}",
        folders_only.report
    );
    assert!(all_ids(&data).contains(&"R-1".to_string()));
}
