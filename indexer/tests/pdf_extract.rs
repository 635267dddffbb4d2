//! Integration tests of `indexer::pdf` on real PDFs from the shared corpus.
//!
//! The corpus lives outside the repository (`/work/shared`, or `$SHARED`); clean clones may
//! lack it, so every test that needs it prints a message and passes when it is absent. CI has it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use indexer::pdf::{extract_bytes, extract_file, ExtractOptions, PdfError};

/// `$SHARED` / `$SHARED_DIR`, else `shared/` beside the checkout (where CI puts it), else
/// `/work/shared`.
fn shared() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SHARED").map(PathBuf::from),
        std::env::var_os("SHARED_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("corpus").is_dir());
    if found.is_none() {
        eprintln!("skipping: shared corpus not found (../shared beside the checkout)");
    }
    found
}

fn corpus_file(rel: &str) -> Option<PathBuf> {
    let p = shared()?.join(rel);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

fn full_text(path: &Path) -> String {
    let doc = extract_file(path, &ExtractOptions::default()).expect("extraction succeeds");
    doc.pages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn nfc_words(s: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn f1(a: &[String], b: &[String]) -> f64 {
    let mut count: HashMap<&str, i64> = HashMap::new();
    for w in a {
        *count.entry(w).or_default() += 1;
    }
    let mut inter = 0;
    for w in b {
        if let Some(c) = count.get_mut(w.as_str()) {
            if *c > 0 {
                *c -= 1;
                inter += 1;
            }
        }
    }
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * inter as f64 / (a.len() + b.len()) as f64
}

fn pdftotext(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

mod words {
    use super::*;

    /// Varied producers: pdfTeX, Word, Ghostscript, xdvipdfmx, CID TrueType, Type 3.
    const FILES: &[&str] = &[
        "corpus/en/debian-doc/abinit-doc__report_MGGA.pdf",
        "corpus/en/r-vignettes/r-cran-seqinr__lncs2004.pdf",
        "corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf",
        "corpus/vi/texlive-lang-other/generic__vntex__vn-min.pdf",
        "corpus/en/texlive-lang-other/generic__babel-vietnamese__vietnamese.pdf",
    ];

    #[test]
    fn words_agree_with_pdftotext() {
        let Some(root) = shared() else { return };
        if pdftotext(Path::new("/dev/null")).is_none()
            && Command::new("pdftotext").arg("-v").output().is_err()
        {
            eprintln!("skipping: pdftotext not installed");
            return;
        }
        let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
        // A sample of readable files with different producers.
        let mut picked: Vec<String> = Vec::new();
        let mut producers: HashMap<String, usize> = HashMap::new();
        for line in manifest.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 10 || !cols[0].starts_with("corpus/") || cols[9] != "yes" {
                continue;
            }
            let producer: String = cols[7].chars().take(12).collect();
            let n = producers.entry(producer).or_default();
            if *n < 2 {
                *n += 1;
                picked.push(cols[0].to_string());
            }
        }
        picked.extend(FILES.iter().map(|s| s.to_string()));
        picked.sort();
        picked.dedup();
        let mut scores = Vec::new();
        for rel in &picked {
            let path = root.join(rel);
            let Some(reference) = pdftotext(&path) else {
                continue;
            };
            let ours = full_text(&path);
            let score = f1(&nfc_words(&ours), &nfc_words(&reference));
            eprintln!("{score:.4} {rel}");
            scores.push((score, rel.clone()));
        }
        assert!(!scores.is_empty());
        let good = scores.iter().filter(|s| s.0 >= 0.95).count();
        let worst: Vec<_> = scores.iter().filter(|s| s.0 < 0.95).collect();
        assert!(
            good as f64 >= 0.9 * scores.len() as f64,
            "too many files below F1 0.95: {worst:?}"
        );
    }

    #[test]
    fn words_are_not_glued() {
        let Some(path) = corpus_file("corpus/en/debian-doc/abinit-doc__report_MGGA.pdf") else {
            return;
        };
        let text = full_text(&path);
        let words = nfc_words(&text);
        let long = words
            .iter()
            .filter(|w| w.chars().count() > 25 && w.chars().all(char::is_alphabetic))
            .count();
        assert!(
            long * 200 < words.len(),
            "{long} glued words out of {}",
            words.len()
        );
    }
}

mod lines {
    use super::*;

    fn words_of(rel: &str) -> Option<Vec<String>> {
        let path = corpus_file(rel)?;
        Some(nfc_words(&full_text(&path)))
    }

    #[test]
    fn footnote_mark_stays_on_its_line() {
        // The mark is raised above the baseline, so it is met before its line.
        let Some(path) = corpus_file("corpus/en/debian-doc/abinit-doc__test_report_elf.pdf") else {
            return;
        };
        let text = full_text(&path);
        assert!(text.contains("analytical approach1 we thus use"), "{text}");
    }

    #[test]
    fn axis_labels_keep_their_lowered_minus() {
        // R plots draw the minus of `−2` 0.4 em below the digit.
        let Some(words) = words_of("corpus/en/r-vignettes/r-cran-effects__partial-residuals.pdf")
        else {
            return;
        };
        let lone = words.iter().filter(|w| *w == "\u{2212}").count();
        let signed = words
            .iter()
            .filter(|w| *w == "\u{2212}1" || *w == "\u{2212}2")
            .count();
        assert!(signed >= 100 && lone == 0, "{signed} signed, {lone} lone");
    }

    #[test]
    fn overprinted_plot_marks_stay_apart() {
        let Some(words) = words_of("corpus/en/r-vignettes/r-cran-mcmc__morph.pdf") else {
            return;
        };
        let marks: Vec<&String> = words.iter().filter(|w| w.contains('\u{25CF}')).collect();
        let single = marks.iter().filter(|w| w.chars().count() == 1).count();
        assert!(
            marks.len() > 100 && single * 10 >= marks.len() * 9,
            "{single} single marks out of {}",
            marks.len()
        );
    }

    #[test]
    fn text_drawn_over_text_is_not_glued() {
        let Some(words) = words_of("corpus/en/texlive-publishers/prtec__PRTEC19-template.pdf")
        else {
            return;
        };
        let glued: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().count() > 30 && w.chars().all(char::is_alphanumeric))
            .collect();
        assert!(glued.is_empty(), "{glued:?}");
    }
}

mod fonts {
    use super::*;

    #[test]
    fn type3_glyphs_named_by_their_character() {
        // Type 3 fonts whose ToUnicode covers letters only; digits and punctuation come from
        // glyph names such as `/(` and `/.`.
        let Some(path) = corpus_file("corpus/en/r-vignettes/r-cran-rsolnp__manual.pdf") else {
            return;
        };
        let text = full_text(&path);
        assert!(text.contains("named COST.M"), "period lost");
        assert!(
            text.contains("subject to g(x) = 0"),
            "parentheses or = lost"
        );
    }

    #[test]
    fn type3_tounicode_pointing_at_dingbats_loses_to_code_names() {
        // Type 3 fonts named `/a110` at code 110 whose ToUnicode maps them to ZapfDingbats'
        // `a110`, ♥ (pdftotext reads `P❡♥❛❧✐③❡❞`).
        let Some(path) = corpus_file("corpus/en/r-vignettes/r-cran-lme4__PLSvGLS.pdf") else {
            return;
        };
        let text = full_text(&path);
        assert!(
            text.contains("Penalized least squares versus generalized"),
            "{}",
            &text[..300.min(text.len())]
        );
        assert!(text.contains("October 31, 2022"), "punctuation lost");
        assert!(!text.contains('♥') && !text.contains('③'));
    }

    #[test]
    fn type3_monospace_listing_keeps_its_words() {
        // A dvips bitmap typewriter font, letters 0.1 em apart by the font box but less by
        // the width of its glyphs, which is how pdftotext sizes Type 3 fonts.
        let Some(path) = corpus_file("corpus/en/debian-doc/ngspice-doc__manual.pdf") else {
            return;
        };
        let opts = ExtractOptions {
            max_pages: Some(53),
            ..Default::default()
        };
        let doc = extract_file(&path, &opts).expect("extraction succeeds");
        let page = &doc.pages[52].text;
        assert!(page.contains("* additional lines following"), "{page}");
        assert!(page.contains("POWER AMPLIFIER CIRCUIT"), "{page}");
    }
}

mod vietnamese {
    use super::*;

    #[test]
    fn tcvn3_headings_are_decoded() {
        let Some(path) = corpus_file("corpus/vi/github/klaa+luan_van__tk.pdf") else {
            return;
        };
        let text = full_text(&path);
        assert!(text.contains("TRƯỜNG ĐẠI HỌC"), "TCVN3 heading not decoded");
        assert!(!text.contains("TR¦êNG"));
    }

    #[test]
    fn vntex_text_is_vietnamese() {
        let Some(path) = corpus_file("corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf")
        else {
            return;
        };
        let text = full_text(&path);
        let vi = text
            .chars()
            .filter(|c| matches!(c, '\u{1EA0}'..='\u{1EF9}' | 'ơ' | 'ư' | 'đ'))
            .count();
        assert!(vi > 20, "few Vietnamese letters: {vi}");
        assert!(
            !text.contains('\u{301}'),
            "combining marks left after normalisation"
        );
    }
}

mod scans {
    use super::*;

    #[test]
    fn scanned_files_have_no_text() {
        for rel in [
            "corpus/vi/github/hoangnghiem205+thesis__lap1.pdf",
            "corpus/en/r-vignettes/r-cran-seqinr__lncs2004.pdf",
        ] {
            let Some(path) = corpus_file(rel) else { return };
            let doc = extract_file(&path, &ExtractOptions::default()).expect("scans open");
            assert!(!doc.pages.is_empty());
            assert!(doc.pages.iter().all(|p| p.no_text), "{rel} has text");
        }
    }
}

mod metadata {
    use super::*;

    #[test]
    fn names_in_table_columns_are_read_apart() {
        // MPICH's title page sets its authors in three columns; a line reads them as one
        // run of words, the names text keeps the column gaps.
        let Some(path) = corpus_file("corpus/en/debian-doc/mpich-doc__install.pdf") else {
            return;
        };
        let doc = extract_file(&path, &ExtractOptions::default()).unwrap();
        let line = doc
            .layout
            .iter()
            .find(|l| l.text.starts_with("Pavan Balaji"))
            .expect("the authors' line");
        assert_eq!(line.text, "Pavan Balaji Sudheer Chunduri William Gropp");
        assert_eq!(
            line.marks_apart.as_deref(),
            Some("Pavan Balaji, Sudheer Chunduri, William Gropp")
        );
    }

    #[test]
    fn info_and_layout_lines() {
        let Some(path) = corpus_file("corpus/vi/github/klaa+luan_van__tk.pdf") else {
            return;
        };
        let doc = extract_file(&path, &ExtractOptions::default()).unwrap();
        assert!(doc.info.producer.is_some() || doc.info.creator.is_some());
        assert!(!doc.layout.is_empty());
        assert!(doc.layout.iter().all(|l| l.page < 3 && l.font_size > 0.0));
    }
}

mod encryption {
    use super::*;
    use lopdf::{Document, EncryptionState, EncryptionVersion, Permissions};

    fn encrypted_copy(path: &Path, owner: &str, user: &str) -> Vec<u8> {
        let mut doc = Document::load(path).unwrap();
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: owner,
            user_password: user,
            key_length: 128,
            permissions: Permissions::PRINTABLE,
        };
        let state = EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn owner_password_only_opens_and_user_password_is_a_typed_error() {
        let Some(path) = corpus_file("corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf")
        else {
            return;
        };
        let plain = full_text(&path);
        let open = encrypted_copy(&path, "owner-secret", "");
        let doc = extract_bytes(&open, &ExtractOptions::default()).expect("owner-only file opens");
        assert!(doc.encrypted);
        let text: Vec<&str> = doc.pages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text.join("\n"), plain);

        let locked = encrypted_copy(&path, "owner-secret", "user-secret");
        let err = extract_bytes(&locked, &ExtractOptions::default()).unwrap_err();
        assert!(matches!(err, PdfError::PasswordRequired), "{err}");
    }
}

mod robustness {
    use super::*;

    fn opts() -> ExtractOptions {
        ExtractOptions {
            time_limit: Some(Duration::from_secs(10)),
            max_stream_bytes: 64 << 20,
            ..Default::default()
        }
    }

    fn check(bytes: &[u8], what: &str) {
        let t = Instant::now();
        let r = extract_bytes(bytes, &opts());
        if let Err(PdfError::Panic(msg)) = &r {
            panic!("{what}: panic inside the extractor: {msg}");
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{what}: took {:?}",
            t.elapsed()
        );
    }

    #[test]
    fn not_a_pdf_is_a_typed_error() {
        assert!(matches!(
            extract_bytes(b"hello", &opts()),
            Err(PdfError::NotPdf)
        ));
        assert!(extract_bytes(b"%PDF-1.4\n", &opts()).is_err());
        let e = extract_file(Path::new("/nonexistent/x.pdf"), &opts()).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/x.pdf"));
    }

    #[test]
    fn corrupted_variants_never_panic() {
        let files = [
            "corpus/en/debian-doc/abinit-doc__report_MGGA.pdf",
            "corpus/vi/github/klaa+luan_van__tk.pdf",
            "corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf",
        ];
        for rel in files {
            let Some(path) = corpus_file(rel) else { return };
            let bytes = std::fs::read(&path).unwrap();
            let n = bytes.len();
            // Truncations.
            for frac in [0.1, 0.33, 0.5, 0.77, 0.95, 0.999] {
                check(
                    &bytes[..(n as f64 * frac) as usize],
                    &format!("{rel} truncated at {frac}"),
                );
            }
            // Byte flips spread over the file (deterministic pseudo-random positions).
            let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
            for round in 0..6 {
                let mut b = bytes.clone();
                for _ in 0..50 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let pos = (seed % n as u64) as usize;
                    b[pos] ^= (seed >> 32) as u8 | 1;
                }
                check(&b, &format!("{rel} flip round {round}"));
            }
            // Streams cut short: drop bytes in the middle of every 5th stream.
            let mut b = Vec::with_capacity(n);
            let mut i = 0;
            let mut k = 0;
            while i < n {
                if bytes[i..].starts_with(b"stream\n") || bytes[i..].starts_with(b"stream\r\n") {
                    k += 1;
                    b.extend_from_slice(b"stream\n");
                    i += 7;
                    if k % 5 == 0 {
                        let skip = 200.min(n - i);
                        b.extend_from_slice(&bytes[i..i + skip / 2]);
                        i += skip;
                    }
                    continue;
                }
                b.push(bytes[i]);
                i += 1;
            }
            check(&b, &format!("{rel} streams cut"));
        }
    }

    #[test]
    fn time_limit_is_enforced() {
        let Some(path) =
            corpus_file("corpus/vi/texlive-lang-other/latex__lshort-vietnamese__lshort-vi.pdf")
        else {
            return;
        };
        let o = ExtractOptions {
            time_limit: Some(Duration::from_millis(1)),
            ..Default::default()
        };
        // A very fast machine may finish before the first check: Ok is fine too.
        if let Err(e) = extract_file(&path, &o) {
            assert!(matches!(e.kind(), PdfError::Timeout { .. }), "{e}");
        }
    }
}
