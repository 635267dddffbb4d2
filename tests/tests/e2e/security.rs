//! Security of the real `search-server` binary: no route reaches a file other than the PDF of
//! a document (`..`, `%2e%2e`, absolute paths, symbolic links planted in the data directory),
//! writes need the bearer token, requests are bounded, and markup in a real PDF's title and
//! text is shown as text, with a CSP that allows no inline script.
//!
//! The bounds on concurrency are tested on the router (`search-server/tests/limits.rs`), where
//! a request can be held open without timing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Object, Stream};

use crate::faults::{
    corpus_pdfs, corpus_records, error_message, id_set, indexer, json, stderr, upload, Server,
};
use crate::server::HttpResponse;

/// Percent-encodes a query-string value.
pub(crate) fn enc(s: &str) -> String {
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

const TOKEN: &str = "3q9Zk1-security-test-token-with-some-length-Xb7";

/// A server over two real PDFs (collection `lib`) and real records (`rec`), writes enabled.
fn library(root: &Path) -> (PathBuf, Server) {
    let data = root.join("data");
    let folder = root.join("lib");
    crate::faults::copy_into(&folder, &corpus_pdfs(400_000)[..2]);
    for (what, coll) in [(corpus_records(), "rec"), (folder, "lib")] {
        let out = indexer(
            &data,
            &["add", what.to_str().unwrap(), "-c", coll, "--quiet"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let server = Server::start(&data, TOKEN, &["--no-ingest"]);
    (data, server)
}

fn text(r: &HttpResponse) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

fn pdf_file(path: &Path) -> (String, Vec<u8>) {
    (
        path.file_name().unwrap().to_string_lossy().into_owned(),
        std::fs::read(path).unwrap(),
    )
}

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out
}

#[test]
fn no_route_reaches_a_file_other_than_a_documents_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, server) = library(tmp.path());
    // A secret beside the data directory that looks like a PDF, and one more outside.
    let canary = "CANARY-7d1f-secret-content";
    let secret = tmp.path().join("secret.pdf");
    std::fs::write(&secret, format!("%PDF-1.4\n{canary}\n")).unwrap();
    let secret_enc = enc(secret.to_str().unwrap());
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();

    let r = upload(
        &server,
        "up",
        Some(TOKEN),
        &[pdf_file(&corpus_pdfs(400_000)[4])],
    );
    assert_eq!(r.status, 200, "{}", text(&r));
    let up_id = json(&r)["documents"][0]["id"].as_str().unwrap().to_string();
    let lib_id = id_set(&data)
        .into_iter()
        .find(|i| i.starts_with("lib~"))
        .unwrap();
    assert_eq!(
        server.get(&format!("/api/documents/{up_id}/file")).status,
        200
    );

    let attempts = [
        "/api/documents/..%2F..%2Fsecret.pdf/file".to_string(),
        "/api/documents/%2e%2e%2f%2e%2e%2fsecret.pdf/file".into(),
        "/api/documents/%2E%2E/file".into(),
        "/api/documents/../../secret.pdf/file".into(),
        "/api/documents/..%5C..%5Csecret.pdf/file".into(),
        "/api/documents/%2Fetc%2Fpasswd/file".into(),
        format!("/api/documents/{secret_enc}/file"),
        format!("/api/documents/{secret_enc}/pages/1"),
        format!("/api/documents/{secret_enc}"),
        format!("/api/documents/{lib_id}%2F..%2F..%2Fsecret.pdf/file"),
        format!("/api/documents/{lib_id}/file/..%2F..%2F..%2Fsecret.pdf"),
        format!("/api/documents/{lib_id}/../../../secret.pdf"),
        "/api/documents/..%2F..%2Fetc%2Fpasswd/pages/1".into(),
        "/api/documents/..%2F..%2Fetc%2Fpasswd/cite".into(),
        "/doc/..%2F..%2F..%2Fetc%2Fpasswd".into(),
        format!("/doc/{secret_enc}"),
        "/static/..%2F..%2FCargo.toml".into(),
        "/static/%2e%2e/%2e%2e/Cargo.toml".into(),
        "/static/%2e%2e%2f%2e%2e%2fCargo.toml".into(),
        "/static/../../../etc/passwd".into(),
        "/static/%2Fetc%2Fpasswd".into(),
        format!("/static/{secret_enc}"),
        "/static/app.js%00.txt".into(),
        "/../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd".into(),
        "/favicon.ico/../../Cargo.toml".into(),
    ];
    for path in &attempts {
        let r = server.get(path);
        let body = text(&r);
        assert!(
            (400..500).contains(&r.status),
            "{path}: {} {body}",
            r.status
        );
        for leak in [canary, "root:x:0:0", "[workspace]", "%PDF-"] {
            assert!(!body.contains(leak), "{path} leaks {leak:?}");
        }
    }

    // Uploads: collection names cannot leave uploads/, file names are reduced to a plain name.
    let pdf = std::fs::read(&corpus_pdfs(400_000)[5]).unwrap();
    for coll in [
        "..",
        "%2e%2e",
        "a%2F..%2F..",
        ".hidden",
        "-x",
        &secret_enc,
        "a%5C..%5C..",
    ] {
        let r = upload(&server, coll, Some(TOKEN), &[("x.pdf".into(), pdf.clone())]);
        assert!(
            (400..500).contains(&r.status),
            "{coll}: {} {}",
            r.status,
            text(&r)
        );
    }
    let abs = outside.join("abs.pdf");
    let names = [
        "../../../outside/dots.pdf".to_string(),
        abs.display().to_string(),
        "..\\..\\outside\\win.pdf".into(),
        "%2e%2e%2foutside%2fenc.pdf".into(),
        "./.././nested.pdf".into(),
    ];
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.clone(), pdf.clone())).collect();
    let r = upload(&server, "up", Some(TOKEN), &files);
    assert_eq!(r.status, 200, "{}", text(&r));
    assert!(
        files_under(&outside).is_empty(),
        "{:?}",
        files_under(&outside)
    );
    let stored = files_under(&data.join("uploads"));
    assert!(
        stored
            .iter()
            .all(|f| f.starts_with("up/") && !f[3..].contains(['/', '\\'])),
        "{stored:?}"
    );
    assert!(!tmp.path().join("nested.pdf").exists());

    // Symbolic links planted in the data directory. The uploaded file swapped for a link to
    // the secret: its document no longer has a file to serve.
    let up_file = data
        .join("uploads/up")
        .join(pdf_file(&corpus_pdfs(400_000)[4]).0);
    assert!(up_file.is_file());
    std::fs::remove_file(&up_file).unwrap();
    std::os::unix::fs::symlink(&secret, &up_file).unwrap();
    let r = server.get(&format!("/api/documents/{up_id}/file"));
    assert_eq!(r.status, 404, "{}", text(&r));
    assert!(!text(&r).contains(canary));
    // Deleting that document never touches what the link points to.
    let auth = format!("Bearer {TOKEN}");
    let r = server
        .request(
            "DELETE",
            &format!("/api/documents/{up_id}"),
            &[("Authorization", &auth)],
            b"",
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", text(&r));
    assert!(secret.is_file(), "the link's target survives");

    // A collection folder replaced by a link to a folder outside: uploads are refused there.
    std::fs::create_dir_all(data.join("uploads")).unwrap();
    std::os::unix::fs::symlink(&outside, data.join("uploads/linked")).unwrap();
    let r = upload(
        &server,
        "linked",
        Some(TOKEN),
        &[("x.pdf".into(), pdf.clone())],
    );
    assert_ne!(r.status, 200, "{}", text(&r));
    assert!(files_under(&outside).is_empty());

    // A PDF ingested from a folder, whose folder is then replaced by a link to a folder
    // holding a file of the same name: the stored path no longer leads to the same file.
    let lib = tmp.path().join("lib");
    let moved = tmp.path().join("lib-moved");
    std::fs::rename(&lib, &moved).unwrap();
    let decoy = tmp.path().join("decoy");
    std::fs::create_dir_all(&decoy).unwrap();
    for e in std::fs::read_dir(&moved).unwrap().flatten() {
        std::fs::write(decoy.join(e.file_name()), format!("%PDF-1.4\n{canary}\n")).unwrap();
    }
    std::os::unix::fs::symlink(&decoy, &lib).unwrap();
    let r = server.get(&format!("/api/documents/{lib_id}/file"));
    assert_eq!(r.status, 404, "{}", text(&r));
    assert!(!text(&r).contains(canary));
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn writes_need_the_token_and_every_request_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, server) = library(tmp.path());
    let pdf = pdf_file(&corpus_pdfs(400_000)[3]);
    let path = "/api/collections/up/documents";
    let (ctype, body) = crate::faults::multipart(std::slice::from_ref(&pdf));
    let before = id_set(&data);

    // Without the right token nothing is written, whatever is presented.
    let wrong_same_length: String = TOKEN.chars().rev().collect();
    let prefix = &TOKEN[..TOKEN.len() - 1];
    let longer = format!("{TOKEN}x");
    let basic = format!("Basic {TOKEN}");
    let bearer = |t: &str| format!("Bearer {t}");
    let presented = [
        None,
        Some(bearer(&wrong_same_length)),
        Some(bearer(prefix)),
        Some(bearer(&longer)),
        Some(bearer("")),
        Some(basic),
        Some(TOKEN.to_string()),
        Some(bearer(&TOKEN.to_lowercase())),
    ];
    for auth in &presented {
        let mut headers = vec![("Content-Type", ctype.as_str())];
        if let Some(a) = auth {
            headers.push(("Authorization", a.as_str()));
        }
        let r = server.request("POST", path, &headers, &body).unwrap();
        assert_eq!(r.status, 401, "{auth:?}: {}", text(&r));
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert!(!error_message(&r).is_empty());
        let r = server
            .request(
                "DELETE",
                &format!("/api/documents/{}", before.iter().next().unwrap()),
                &headers[1..],
                b"",
            )
            .unwrap();
        assert_eq!(r.status, 401, "{auth:?}");
    }
    // Not in the query string either.
    let r = server
        .request(
            "POST",
            &format!("{path}?token={TOKEN}"),
            &[("Content-Type", &ctype)],
            &body,
        )
        .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(id_set(&data), before, "nothing was written");
    assert!(!data.join("uploads/up").exists() || files_under(&data.join("uploads/up")).is_empty());
    let r = upload(&server, "up", Some(TOKEN), std::slice::from_ref(&pdf));
    assert_eq!(r.status, 200, "{}", text(&r));

    // A server without a token has no writes at all; an empty token file is refused at start.
    let no_token = tmp.path().join("no-token");
    std::fs::create_dir_all(&no_token).unwrap();
    let empty = tmp.path().join("empty.token");
    std::fs::write(&empty, "  \n").unwrap();
    let out = Command::new(crate::faults::server_bin())
        .arg("--data-dir")
        .arg(&no_token)
        .args(["--no-ingest", "--bind", "127.0.0.1:0", "--token-file"])
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is empty"), "{}", stderr(&out));

    // Bodies: an upload over 100 MB is refused with 413 and leaves nothing behind.
    let big = vec![(
        "big.pdf".to_string(),
        [b"%PDF-1.4\n".as_slice(), &vec![b'0'; (100 << 20) + 1024]].concat(),
    )];
    let r = upload(&server, "big", Some(TOKEN), &big);
    assert_eq!(r.status, 413, "{}", text(&r));
    assert!(files_under(&data.join("uploads/big")).is_empty());

    // Query length, result window and list sizes.
    for (q, status) in [
        (format!("q={}", "a".repeat(1001)), 400),
        (format!("q={}", "khoa+h%E1%BB%8Dc+".repeat(3000)), 400),
        ("limit=101".into(), 400),
        ("limit=0".into(), 400),
        ("offset=9991&limit=10".into(), 400),
        ("offset=100000000000000000000".into(), 400),
        ("offset=9990&limit=10".into(), 200),
        ("limit=100".into(), 200),
    ] {
        let r = server.get(&format!("/api/search?{q}"));
        assert_eq!(r.status, status, "{}: {}", &q[..q.len().min(60)], text(&r));
        if status == 400 {
            assert!(!error_message(&r).is_empty());
        }
    }
    let id = before.iter().next().unwrap();
    assert_eq!(
        server
            .get(&format!("/api/documents/{id}/similar?limit=21"))
            .status,
        400
    );
    assert_eq!(server.get("/api/suggest?q=a&limit=21").status, 400);
    let long = "h".repeat(50_000);
    let r = server.get(&format!("/api/suggest?q={long}"));
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r)["query"].as_str().unwrap().len(),
        200,
        "suggest reads 200 characters"
    );
    // A request line far over any sane length is refused by the HTTP layer, not served.
    let huge = server
        .request(
            "GET",
            &format!("/api/search?q={}", "a".repeat(2 << 20)),
            &[],
            b"",
        )
        .map(|r| r.status);
    assert!(
        huge.as_ref().map_or(true, |s| (400..500).contains(s)),
        "{huge:?}"
    );
    assert_eq!(server.get("/health").status, 200);
    assert_eq!(json(&server.get("/health"))["documents"], before.len() + 1);
}

/// A real PDF whose Info title and printed title are a script tag, and whose text carries an
/// image tag with an event handler.
fn pdf_with_markup() -> Vec<u8> {
    let title = "<script>window.__pwned=1</script> Secure search of scholarly works";
    let lines = [
        "Abstract: <img src=x onerror=\"window.__pwned=2\"> cross site scripting probe.",
        "This report studies how a search engine for theses shows untrusted titles.",
        "Every title and every line of text must reach the page as text, never as markup.",
        "<b>bold</b> <iframe src=\"javascript:alert(3)\"></iframe> &amp; &lt;escaped&gt;",
    ];
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 20.into()]),
        Operation::new("Td", vec![50.into(), 760.into()]),
        Operation::new("Tj", vec![Object::string_literal(title)]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("Td", vec![0.into(), (-30).into()]));
        ops.push(Operation::new("Tj", vec![Object::string_literal(line)]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal(title),
        "Author" => Object::string_literal("<img src=y onerror=alert(4)> Nguyen Van A"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Scans HTML for anything a CSP without `'unsafe-inline'` would have to allow: inline
/// scripts, style elements and attributes, event-handler attributes, `javascript:` URLs.
/// Tags are read with their quoted attribute values, so escaped text inside an attribute
/// (`content="... onerror=..."`) is not taken for an attribute.
fn inline_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        // The tag up to its closing '>' outside quotes.
        let mut quote = None;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let tag = &rest[..end];
        rest = &rest[end.min(rest.len())..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut chars = tag[name.len()..].chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
                chars.next();
            }
            let attr: String = chars
                .by_ref()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect::<String>()
                .to_ascii_lowercase();
            if attr.is_empty() {
                break;
            }
            let mut value = String::new();
            if chars.peek() == Some(&'"') || chars.peek() == Some(&'\'') {
                let q = chars.next().unwrap();
                value = chars.by_ref().take_while(|c| *c != q).collect();
            } else if !chars.peek().is_some_and(|c| c.is_whitespace()) {
                value = chars.by_ref().take_while(|c| !c.is_whitespace()).collect();
            }
            attrs.push((attr, value));
        }
        if name == "script" && !attrs.iter().any(|(a, _)| a == "src") {
            found.push(format!("inline <script> {tag:.60}"));
        }
        if name == "style" {
            found.push("<style> element".into());
        }
        for (a, v) in &attrs {
            if a.starts_with("on") || a == "style" {
                found.push(format!("attribute {a} in <{name}>"));
            }
            if v.trim().to_ascii_lowercase().starts_with("javascript:") {
                found.push(format!("javascript: URL in {a}"));
            }
        }
    }
    found
}

#[test]
fn the_markup_scanner_finds_inline_code() {
    let bad = "<p onclick='x()'>a</p><script>x()</script><div style=\"color:red\"></div><a href=\"javascript:x()\">";
    assert_eq!(inline_code(bad).len(), 4, "{:?}", inline_code(bad));
    let good = "<meta content=\"&lt;img onerror=x&gt; on=1\"><script src=\"/a.js\" defer></script><p>onclick=x</p>";
    assert_eq!(inline_code(good), Vec::<String>::new());
}

#[test]
fn markup_in_a_pdf_title_and_text_is_shown_as_text_under_a_strict_csp() {
    let tmp = tempfile::tempdir().unwrap();
    let (_data, server) = library(tmp.path());
    let r = upload(
        &server,
        "xss",
        Some(TOKEN),
        &[("probe.pdf".into(), pdf_with_markup())],
    );
    assert_eq!(r.status, 200, "{}", text(&r));
    let v = json(&r);
    assert_eq!(v["summary"]["added"], 1, "{v}");
    let id = v["documents"][0]["id"].as_str().unwrap().to_string();
    let meta = json(&server.get(&format!("/api/documents/{id}")));
    let title = meta["title"].as_str().unwrap();
    assert!(
        title.contains("<script>window.__pwned=1</script>"),
        "{meta}"
    );

    // The document page: escaped everywhere, Scholar tags included, no inline code.
    let page = server.get(&format!("/doc/{id}"));
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(
        !html.contains("<script>window"),
        "raw script tag on the page"
    );
    assert!(!html.contains("<img src=y"), "raw img tag on the page");
    assert!(
        html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<meta name=\"citation_title\" content=\"&lt;script&gt;"),
        "{html}"
    );
    assert_eq!(inline_code(&html), Vec::<String>::new());
    // Behind a TLS proxy (README: X-Forwarded-Proto), absolute URLs keep the client's scheme.
    let proxied = server
        .request(
            "GET",
            &format!("/doc/{id}"),
            &[("X-Forwarded-Proto", "https"), ("Host", "thuvien.example")],
            b"",
        )
        .unwrap();
    assert!(
        text(&proxied).contains("content=\"https://thuvien.example/api/documents/"),
        "{}",
        text(&proxied)
    );
    assert!(html.contains("content=\"http://127.0.0.1:"), "{html}");

    // Search results: the snippet is escaped text with <mark> as its only tags.
    let v = json(&server.get("/api/search?q=img+onerror+probe"));
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id.as_str())
        .unwrap_or_else(|| panic!("the probe is found: {v}"));
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("&lt;") && snippet.contains("&quot;"),
        "markup escaped: {snippet}"
    );
    let tags: BTreeSet<&str> = snippet
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap())
        .collect();
    assert!(
        tags.iter().all(|t| *t == "mark" || *t == "/mark"),
        "{tags:?}"
    );

    // Headers: HTML under a CSP without inline code; every response nosniff and unframeable.
    let csp = page.header("content-security-policy").unwrap().to_string();
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    let home = server.get("/");
    let missing = server.get("/no/such/page");
    for (what, r) in [("/", &home), ("/doc", &page), ("404", &missing)] {
        assert_eq!(
            r.header("content-security-policy"),
            Some(csp.as_str()),
            "{what}"
        );
        assert_eq!(inline_code(&text(r)), Vec::<String>::new(), "{what}");
    }
    let api = server.get("/api/search?q=x");
    let file = server.get(&format!("/api/documents/{id}/file"));
    for r in [&home, &page, &missing, &api, &file] {
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("SAMEORIGIN"));
        assert_eq!(r.header("referrer-policy"), Some("same-origin"));
    }
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    // The scripts set document text with textContent; the one innerHTML is the snippet.
    let mut inner_html = 0;
    for asset in ["app.js", "doc.js", "i18n.js"] {
        let js = text(&server.get(&format!("/static/{asset}")));
        for banned in [
            "eval(",
            "new Function",
            "document.write",
            "insertAdjacentHTML",
            "outerHTML",
        ] {
            assert!(!js.contains(banned), "{asset}: {banned}");
        }
        inner_html += js.matches(".innerHTML").count();
    }
    assert_eq!(
        inner_html, 1,
        "only the server-escaped snippet is set as HTML"
    );

    // In a real browser: the hit, the snippet and the document page show the markup as text
    // and nothing ran.
    if !crate::browser::browser_available() {
        return;
    }
    let d = crate::browser::Driver::start();
    let base = format!("http://{}", server.addr);
    d.goto(&format!("{base}/?q=img+onerror+probe"));
    d.wait_for(
        "document.querySelectorAll('#hits .hit').length > 0",
        "results",
    );
    let shown = d.js(
        "return Array.from(document.querySelectorAll('#hits .hit h2 a')).map(a => a.textContent).join('|')",
    );
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("<script>window.__pwned=1</script>"),
        "{shown}"
    );
    let snippets = d.js(
        "return Array.from(document.querySelectorAll('#hits .snippet')).map(s => s.textContent).join('|')",
    );
    assert!(
        snippets.as_str().unwrap().contains("<img src=x"),
        "{snippets}"
    );
    assert_eq!(
        d.js("return document.querySelectorAll('#hits img, #hits script, #hits iframe, #hits b').length"),
        0
    );
    assert_eq!(d.js("return typeof window.__pwned"), "undefined");
    d.goto(&format!("{base}/doc/{}", enc(&id)));
    d.wait_for("document.readyState === 'complete'", "document page");
    let h1 = d.js("return document.querySelector('#doc-title').textContent");
    assert!(
        h1.as_str()
            .unwrap()
            .contains("<script>window.__pwned=1</script>"),
        "{h1}"
    );
    assert_eq!(
        d.js("return document.querySelectorAll('script:not([src])').length"),
        0
    );
    assert_eq!(d.js("return typeof window.__pwned"), "undefined");
}
