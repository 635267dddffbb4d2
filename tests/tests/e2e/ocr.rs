//! OCR: scanned PDFs become searchable by the words on their pages, and adding them again never
//! recognises a page twice. Needs pdftoppm and tesseract with Vietnamese and English, which
//! `.ci/run` installs.

use std::path::{Path, PathBuf};
use std::process::Command;

use indexer::data_dir::DataDir;
use indexer::ingest::{self, AddOptions, ProgressMode};
use indexer::ocr::image::GrayImage;
use indexer::ocr::render::PageSource;
use indexer::ocr::{Engine, OcrOptions};
use lopdf::{dictionary, Object, Stream};
use search_server::search::{self, SearchParams, SearchRequest};
use search_server::text::fold_lower;
use search_server::AppState;

use crate::server::workspace_root;

/// A bundled Vietnamese text page, to be scanned here.
const TEXT_PDF: &str = "corpus/vi/texlive-lang-other/latex__ntheorem-vn__test.pdf";

/// The scans of `../shared/corpus`: a table saved as an image (Vietnamese thesis) and a figure.
const SHARED_SCANS: [&str; 2] = [
    "corpus/vi/github/hoangnghiem205+thesis__lap1.pdf",
    "corpus/en/r-vignettes/r-cran-seqinr__lncs2004.pdf",
];

/// An image-only PDF of page 1 of `pdf`: rendered at 300 dpi in grayscale, the way a scanner
/// would give it, with no text layer.
fn scan_of(pdf: &Path, out: &Path) {
    image_pdf(&rendered(pdf), out);
}

/// Page 1 of `pdf` rendered by pdftoppm at 300 dpi in grayscale.
fn rendered(pdf: &Path) -> GrayImage {
    let rendered = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .output()
        .expect("pdftoppm (poppler-utils) is installed by .ci/run");
    assert!(rendered.status.success());
    GrayImage::from_pgm(&rendered.stdout).unwrap()
}

/// A one-page PDF that is `img` at 300 dpi.
fn image_pdf(img: &GrayImage, out: &Path) {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => img.width as i64,
            "Height" => img.height as i64,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        img.pixels.clone(),
    ));
    // Points at 300 dpi.
    let (w, h) = (img.width as f32 * 0.24, img.height as f32 * 0.24);
    let content = format!("q {w} 0 0 {h} 0 0 cm /Im0 Do Q").into_bytes();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
        "MediaBox" => vec![0.into(), 0.into(), w.into(), h.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.save(out).unwrap();
}

fn add(data: &DataDir, collection: &str, dir: &Path) -> ingest::AddReport {
    let mut opts = AddOptions::new(collection, vec![dir.to_path_buf()]);
    opts.progress = ProgressMode::Hidden;
    ingest::add(data, &opts).unwrap()
}

fn hit_ids(state: &AppState, q: &str) -> Vec<String> {
    let params = SearchParams {
        q: Some(q.to_string()),
        limit: Some("20".into()),
        ..Default::default()
    };
    let r = search::run(state, &SearchRequest::from_params(&params).unwrap()).unwrap();
    r.hits.into_iter().map(|h| h.id).collect()
}

fn id_of(report: &ingest::AddReport, file: &str) -> String {
    report
        .inputs
        .iter()
        .find(|e| e.path.ends_with(file))
        .and_then(|e| e.id.clone())
        .unwrap_or_else(|| panic!("{file} is not in the report"))
}

#[test]
fn scanned_pdfs_become_searchable_and_a_rerun_recognises_nothing() {
    Engine::detect(&OcrOptions::default())
        .expect("OCR must be installed for this test: run .ci/run, which installs it");
    let tmp = tempfile::tempdir().unwrap();
    let scans = tmp.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    scan_of(&workspace_root().join(TEXT_PDF), &scans.join("dinh-ly.pdf"));
    let mut files: Vec<PathBuf> = vec![scans.join("dinh-ly.pdf")];
    let shared = e2e_tests::shared_dir();
    if let Some(shared) = &shared {
        for rel in SHARED_SCANS {
            let src = shared.join(rel);
            let dst = scans.join(src.file_name().unwrap());
            std::fs::copy(&src, &dst).unwrap();
            files.push(dst);
        }
    }
    let pages = files.len() as u64; // one page each

    let data = DataDir::new(tmp.path().join("data"));
    let first = add(&data, "scans", &scans);
    let s = &first.summary;
    assert_eq!(
        (s.added, s.failed),
        (pages, 0),
        "{}",
        first.render_summary()
    );
    assert_eq!(s.ocr.pages, pages, "{}", first.render_summary());
    assert_eq!((s.ocr.cached, s.ocr.failed, s.needs_ocr), (0, 0, 0));
    assert!(s.ocr.mean_confidence().unwrap() > 40.0);
    assert!(first.render_summary().contains("OCR: "));

    let check = |report: &ingest::AddReport| {
        let index = indexer::index::open(&data.index_dir()).unwrap();
        let state = AppState::new(index, data.clone(), None).unwrap();
        let scan_id = id_of(report, "dinh-ly.pdf");
        for q in [
            "Weingarten",
            "giá trị riêng",
            "\"véc tơ riêng\"",
            "Nhị thức",
        ] {
            assert!(
                hit_ids(&state, q).contains(&scan_id),
                "{q:?} does not find the scanned page"
            );
        }
        let doc = search_server::documents::get(&state.searcher(), &state.index.fields, &scan_id)
            .unwrap();
        assert!(fold_lower(&doc.pages[0]).contains("anh xa weingarten"));
        // The document API and page say which text is OCR.
        assert_eq!(doc.ocr_pages, vec![1]);
        assert!(doc.page_is_ocr(1) && !doc.page_is_ocr(2));
        let json =
            serde_json::to_value(search_server::documents::DocumentJson::from(&doc)).unwrap();
        assert_eq!(json["ocr_pages"], serde_json::json!([1]));
        let html = search_server::web::render_doc(&doc, None, "http://127.0.0.1");
        assert!(html.contains("văn bản nhận dạng tự động (OCR)"));
        if shared.is_some() {
            let figure = id_of(report, "r-cran-seqinr__lncs2004.pdf");
            assert!(hit_ids(&state, "nucleotides").contains(&figure));
            let table = id_of(report, "hoangnghiem205+thesis__lap1.pdf");
            // A low-resolution table of numbers: its header words are what OCR reads.
            assert!(hit_ids(&state, "he so").contains(&table));
        }
    };
    check(&first);

    // Unchanged files are not even opened again.
    let second = add(&data, "scans", &scans);
    assert_eq!(second.summary.unchanged, pages);
    assert_eq!(second.summary.ocr.pages, 0);

    // Removed and added again (or added to another collection): the text comes from the cache.
    ingest::remove(&data, "scans", &ingest::RemoveSpec::default()).unwrap();
    let third = add(&data, "scans", &scans);
    let s = &third.summary;
    assert_eq!(s.added, pages);
    assert_eq!(
        (s.ocr.pages, s.ocr.cached),
        (0, pages),
        "{}",
        third.render_summary()
    );
    check(&third);
}

#[test]
fn scans_are_read_from_their_own_image_and_upside_down_pages_the_right_way_up() {
    let engine = Engine::detect(&OcrOptions::default())
        .expect("OCR must be installed for this test: run .ci/run, which installs it");
    let tmp = tempfile::tempdir().unwrap();
    let page = rendered(&workspace_root().join(TEXT_PDF));

    // The scan's own image is the picture pdftoppm draws of the page.
    let upright = tmp.path().join("upright.pdf");
    image_pdf(&page, &upright);
    let limit = std::time::Duration::from_secs(60);
    let (direct, dpi) = PageSource::new(&upright, true).page(1, 300, limit).unwrap();
    let (drawn, drawn_dpi) = PageSource::new(&upright, false)
        .page(1, 300, limit)
        .unwrap();
    assert_eq!(
        (direct.width, direct.height, dpi),
        (drawn.width, drawn.height, drawn_dpi)
    );
    let diff: u64 = direct
        .pixels
        .iter()
        .zip(&drawn.pixels)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = diff as f64 / direct.pixels.len() as f64;
    assert!(mean < 2.0, "mean difference {mean} of 255");
    // Asked for another resolution, it is resized like a rendering.
    let (half, half_dpi) = PageSource::new(&upright, true).page(1, 150, limit).unwrap();
    assert_eq!(half_dpi, 150);
    assert!(half.width.abs_diff(page.width / 2) <= 1);

    // Scanned upside down: read as noise at first, then with orientation detection.
    let mut turned = page.clone();
    turned.pixels.reverse();
    let upside_down = tmp.path().join("upside-down.pdf");
    image_pdf(&turned, &upside_down);
    let mut pages = vec![indexer::doc::Page {
        text: String::new(),
        no_text: true,
        ocr: false,
    }];
    let done = engine.ocr_pages(&upside_down, None, None, &mut pages);
    assert_eq!(done.stats.failed, 0, "{:?}", done.failures);
    assert!(pages[0].ocr);
    let text = fold_lower(&pages[0].text);
    assert!(text.contains("weingarten"), "{text}");
    assert!(done.stats.mean_confidence().unwrap() > 70.0);
}
