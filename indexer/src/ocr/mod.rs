//! OCR of pages without a text layer: scans become searchable.
//!
//! One concern per file:
//! - [`render`]: a page as an 8-bit grayscale image: a scan's own image, or poppler's
//!   `pdftoppm` rendering;
//! - [`image`]: that image and its PGM form;
//! - [`scale`]: the page shrunk to the text size tesseract needs, measured on the page;
//! - [`preprocess`]: rescale, deskew and denoise;
//! - [`recognise`]: the `tesseract` program on the image, text and word confidences;
//! - [`probe`]: the band of a first page read to tell the document's language;
//! - [`cache`]: results on disk by the PDF's content hash, so no page is recognised twice;
//! - `process`: running those programs with a time limit and an output cap.
//!
//! [`needs_ocr`] is the one place that decides which pages are recognised. [`Engine::detect`]
//! checks once per run that the programs and languages are installed; without them the product
//! works as before (pages stay flagged `no_text`) and the caller says how to install them.
//! [`Engine::ocr_pages`] recognises the chosen pages of one document in parallel on rayon's
//! workers (the caller's pool), fills their text (normalised like every text) and marks them
//! `ocr`. A page that fails is reported and stays empty; it never fails the document.

pub mod cache;
mod error;
pub mod image;
pub mod preprocess;
pub mod probe;
mod process;
pub mod recognise;
pub mod render;
pub mod scale;

use std::fmt;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

pub use cache::Cache;
pub use error::OcrError;
pub use preprocess::Preprocess;
pub use recognise::{Recognised, Recogniser};

use crate::doc::Page;

/// When to run OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages that [`needs_ocr`] chooses, when tesseract is installed.
    #[default]
    Auto,
    /// Every page, replacing its text layer (for PDFs whose text layer is wrong); an error
    /// when tesseract is not installed.
    Always,
    /// No OCR: pages without text stay flagged.
    Never,
}

impl FromStr for OcrMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            _ => Err(format!(
                "unknown OCR mode {s:?}: expected auto, always or never"
            )),
        }
    }
}

impl fmt::Display for OcrMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OcrMode::Auto => "auto",
            OcrMode::Always => "always",
            OcrMode::Never => "never",
        })
    }
}

/// Default languages: Vietnamese, with English for the foreign terms and references theses
/// are full of.
pub const DEFAULT_LANGS: &str = "vie+eng";

/// How to OCR.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// Tesseract languages joined with `+`.
    pub langs: String,
    /// Rendering resolution.
    pub dpi: u32,
    /// Time limit of each step of one page (rendering, recognition).
    pub page_limit: Duration,
    pub preprocess: Preprocess,
    /// Tesseract page segmentation mode.
    pub psm: u8,
    /// Extra tesseract `-c name=value` settings.
    pub settings: Vec<(String, String)>,
    /// Address-space limit of each tesseract process, in bytes (`None`: unlimited).
    pub memory_limit: Option<u64>,
    /// A page read with a mean word confidence under this (0 to 100) is read again with
    /// orientation detection (psm 1), in case it lies on its side or upside down.
    pub reorient_below: Option<u8>,
    /// Take a scanned page's own image from the PDF instead of rendering the page, when the
    /// page is one plain image (see `render`).
    pub direct_images: bool,
}

/// Mean word confidence under which a page is read again with orientation detection. Pages
/// of bench/ocr read upright at 80 to 95 (degraded ones included) and at about 40 turned by
/// 90° or 180°.
pub const DEFAULT_REORIENT_BELOW: u8 = 60;

/// Default address-space limit of one tesseract process: a page at 300 dpi takes well under
/// 500 MB, so 2 GiB only stops a runaway.
pub const DEFAULT_MEMORY_LIMIT: u64 = 2 << 30;

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            mode: OcrMode::Auto,
            langs: DEFAULT_LANGS.to_string(),
            dpi: 300,
            page_limit: Duration::from_secs(120),
            preprocess: Preprocess::default(),
            // Automatic layout (tesseract's default); pages that then read as noise are read
            // again with orientation detection (`reorient_below`): detecting it on every page
            // cost a tenth of the time for nothing on upright pages.
            psm: 3,
            settings: Vec::new(),
            memory_limit: Some(DEFAULT_MEMORY_LIMIT),
            reorient_below: Some(DEFAULT_REORIENT_BELOW),
            direct_images: true,
        }
    }
}

/// Whether `page` should be recognised in `auto` mode: a page with no text (a scan) or with
/// text that is not words (a font with a wrong Unicode map, see `text::not_text`). The one
/// place that decides it.
pub fn needs_ocr(page: &Page) -> bool {
    crate::doc::page_needs_ocr(page)
}

fn chosen(mode: OcrMode, page: &Page) -> bool {
    match mode {
        OcrMode::Auto => needs_ocr(page),
        OcrMode::Always => true,
        OcrMode::Never => false,
    }
}

/// OCR counts of a document or a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OcrStats {
    /// Pages recognised now.
    pub pages: u64,
    /// Pages whose text came from the cache.
    pub cached: u64,
    /// Pages whose recognition failed (they stay without text).
    pub failed: u64,
    /// Time spent on recognised pages, summed over pages (so over all cores), in seconds.
    pub seconds: f64,
    /// Words read on recognised and cached pages, and the sum of their confidences.
    pub words: u64,
    pub confidence_sum: f64,
}

impl OcrStats {
    pub fn add(&mut self, other: &OcrStats) {
        self.pages += other.pages;
        self.cached += other.cached;
        self.failed += other.failed;
        self.seconds += other.seconds;
        self.words += other.words;
        self.confidence_sum += other.confidence_sum;
    }

    /// Mean word confidence (0 to 100) over recognised and cached pages.
    pub fn mean_confidence(&self) -> Option<f64> {
        (self.words > 0).then(|| self.confidence_sum / self.words as f64)
    }
}

/// The OCR of one document: counts and the reason of each failed page.
#[derive(Debug, Clone, Default)]
pub struct DocOcr {
    pub stats: OcrStats,
    /// `page N: reason`, one per failed page.
    pub failures: Vec<String>,
}

/// A page's text, whether it came from the cache, and the seconds it took.
type PageResult = (Recognised, bool, f64);

/// Installed and ready OCR: the options, checked against what is installed.
#[derive(Debug, Clone)]
pub struct Engine {
    opts: OcrOptions,
    recogniser: Recogniser,
    /// `vie` alone, for Vietnamese documents, when the languages include it with others.
    vietnamese: Option<Recogniser>,
    /// `eng` alone, for English documents, likewise.
    english: Option<Recogniser>,
    /// Names the settings in the cache, so changing them never serves old results.
    key: String,
}

impl Engine {
    /// Checks that pdftoppm, tesseract and every language of `opts.langs` are installed.
    pub fn detect(opts: &OcrOptions) -> Result<Engine, OcrError> {
        let unavailable = |reason: String| OcrError::Unavailable { reason };
        let langs: Vec<&str> = opts.langs.split('+').map(str::trim).collect();
        if langs.iter().any(|l| {
            l.is_empty()
                || !l
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }) {
            return Err(OcrError::Setting(format!(
                "languages {:?}: expected tesseract codes joined with '+', like vie+eng",
                opts.langs
            )));
        }
        let limit = Duration::from_secs(30);
        let missing = |program: &str, e: OcrError| match e {
            OcrError::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                unavailable(format!("{program} is not installed"))
            }
            other => unavailable(format!("{program} does not run: {other}")),
        };
        process::run(
            "pdftoppm",
            Command::new("pdftoppm").arg("-v"),
            None,
            limit,
            1 << 16,
        )
        .map_err(|e| missing("pdftoppm", e))?;
        let listed = process::run(
            "tesseract",
            Command::new("tesseract").arg("--list-langs"),
            None,
            limit,
            1 << 20,
        )
        .map_err(|e| missing("tesseract", e))?;
        let listed = String::from_utf8_lossy(&listed);
        // The first line names the folder; then one language per line.
        let installed: Vec<&str> = listed.lines().skip(1).map(str::trim).collect();
        let absent: Vec<&str> = langs
            .iter()
            .copied()
            .filter(|l| !installed.contains(l))
            .collect();
        if !absent.is_empty() {
            return Err(unavailable(format!(
                "tesseract has no data for {} (installed: {})",
                absent.join(", "),
                installed.join(", ")
            )));
        }
        // Without prlimit (not util-linux), tesseract runs without a memory limit.
        let memory_limit = opts.memory_limit.filter(|_| {
            let found = Command::new("prlimit").arg("--version").output().is_ok();
            if !found {
                tracing::warn!("prlimit not found: tesseract runs without a memory limit");
            }
            found
        });
        let recogniser = Recogniser {
            langs: langs.join("+"),
            psm: opts.psm,
            settings: opts.settings.clone(),
            memory_limit,
        };
        let alone = |code: &str| {
            (langs.len() > 1 && langs.contains(&code)).then(|| Recogniser {
                langs: code.to_string(),
                ..recogniser.clone()
            })
        };
        let (vietnamese, english) = (alone("vie"), alone("eng"));
        let key = blake3::hash(
            format!(
                "ocr-v4|{}|{}|{:?}|{:?}|{}|{:?}|{}|{}",
                recogniser.langs,
                opts.dpi,
                opts.preprocess,
                recogniser,
                vietnamese.is_some(),
                opts.reorient_below,
                opts.direct_images,
                scale::LATIN_X_HEIGHT
            )
            .as_bytes(),
        )
        .to_hex()[..16]
            .to_string();
        Ok(Engine {
            opts: opts.clone(),
            recogniser,
            vietnamese,
            english,
            key,
        })
    }

    pub fn options(&self) -> &OcrOptions {
        &self.opts
    }

    /// Recognises the pages of `pdf` that the mode chooses, in parallel, filling their text
    /// and marking them `ocr`. With a cache and the PDF's content hash, cached pages are taken
    /// from it and new results stored in it.
    pub fn ocr_pages(
        &self,
        pdf: &Path,
        pdf_hash: Option<&str>,
        cache: Option<&Cache>,
        pages: &mut [Page],
    ) -> DocOcr {
        let todo: Vec<usize> = (0..pages.len())
            .filter(|&i| chosen(self.opts.mode, &pages[i]))
            .collect();
        let mut results: Vec<(usize, Result<PageResult, OcrError>)> = Vec::new();
        let pdf = &render::PageSource::new(pdf, self.opts.direct_images);
        if let Some((&first, rest)) = todo.split_first() {
            // The first page decides the languages of the rest (see `Engine::for_language`);
            // once they are known every page, the first included, is read in parallel.
            let (recogniser, first_page) = self.choose(pdf, first + 1, pdf_hash, cache);
            let (first_result, rest_results) = rayon::join(
                || match first_page {
                    Some(FirstPage::Read(r)) => r,
                    Some(FirstPage::Prepared(p)) => {
                        self.page(pdf, first + 1, pdf_hash, cache, recogniser, Some(p))
                    }
                    None => self.page(pdf, first + 1, pdf_hash, cache, recogniser, None),
                },
                || {
                    rest.par_iter()
                        .map(|&i| (i, self.page(pdf, i + 1, pdf_hash, cache, recogniser, None)))
                        .collect::<Vec<_>>()
                },
            );
            results.push((first, first_result));
            results.extend(rest_results);
        }
        let mut out = DocOcr::default();
        for (i, r) in results {
            match r {
                Ok((rec, from_cache, seconds)) => {
                    if from_cache {
                        out.stats.cached += 1;
                    } else {
                        out.stats.pages += 1;
                        out.stats.seconds += seconds;
                    }
                    out.stats.words += u64::from(rec.words);
                    out.stats.confidence_sum += rec.confidence_sum;
                    let page = &mut pages[i];
                    // `always` on a page with a text layer that OCR finds empty: keep the layer.
                    if !rec.text.trim().is_empty() || page.text.trim().is_empty() {
                        page.text = rec.text;
                        page.ocr = true;
                    }
                }
                Err(e) => {
                    out.stats.failed += 1;
                    out.failures.push(format!(
                        "page {}: {}",
                        i + 1,
                        crate::ingest::error_chain(&e)
                    ));
                }
            }
        }
        out
    }

    /// The recogniser for a document whose first chosen page is `page`, and what was done to
    /// that page while finding out.
    ///
    /// - A page read before (in the cache) was read with the document's recogniser: the same
    ///   one is taken again, so every cached page is found.
    /// - Otherwise the page is rendered and the densest fifth of it read with Vietnamese
    ///   alone (every language when Vietnamese is not among them; see [`probe`]); its language
    ///   decides.
    /// - When the band says too little (a cover with a few lines), the whole page is read
    ///   the same way, kept when that was the right recogniser (a Vietnamese document, the
    ///   usual scan here), and read again with the right one otherwise.
    fn choose(
        &self,
        pdf: &render::PageSource<'_>,
        page: usize,
        pdf_hash: Option<&str>,
        cache: Option<&Cache>,
    ) -> (&Recogniser, Option<FirstPage>) {
        if self.vietnamese.is_none() && self.english.is_none() {
            return (&self.recogniser, None);
        }
        let prober = self.vietnamese.as_ref().unwrap_or(&self.recogniser);
        if let (Some(h), Some(c)) = (pdf_hash, cache) {
            let read_before = [
                self.vietnamese.as_ref(),
                self.english.as_ref(),
                Some(&self.recogniser),
            ]
            .into_iter()
            .flatten()
            .find(|r| c.get(h, &self.key_for(r), page).is_some());
            if let Some(r) = read_before {
                return (r, None);
            }
        }
        let started = Instant::now();
        let prepared = match self.prepare_page(pdf, page, self.opts.preprocess) {
            Ok(Some(p)) => p,
            // A blank or failing page tells nothing; it is read (or fails) like any other.
            Ok(None) | Err(_) => return (self.for_language(None), None),
        };
        let mut band_reader = prober.clone();
        // One block of text: no layout analysis on a strip of lines.
        band_reader.psm = 6;
        let band_lang = probe::densest_band(&prepared.img, probe::BAND)
            .and_then(|band| {
                band_reader
                    .recognise(&band, prepared.dpi, self.opts.page_limit)
                    .ok()
            })
            .and_then(|r| crate::lang::detect(&r.text));
        tracing::debug!(
            page,
            ?band_lang,
            seconds = started.elapsed().as_secs_f32(),
            "language probe"
        );
        // The page prepared for the probe serves the reading when prepared the same way.
        let keep = |r: &Recogniser, p: PreparedPage| {
            (self.preprocess_for(r) == self.opts.preprocess).then_some(FirstPage::Prepared(p))
        };
        if band_lang.is_some() {
            let r = self.for_language(band_lang);
            return (r, keep(r, prepared));
        }
        let first = self.read_and_store(page, pdf_hash, cache, prober, &prepared, started);
        let lang = first
            .as_ref()
            .ok()
            .and_then(|(rec, _, _)| crate::lang::detect(&rec.text));
        let r = self.for_language(lang);
        if std::ptr::eq(r, prober) {
            (r, Some(FirstPage::Read(first)))
        } else {
            (r, keep(r, prepared))
        }
    }

    /// How pages read by `recogniser` are prepared: English alone is read at a smaller
    /// x-height ([`scale::LATIN_X_HEIGHT`]), since it has no stacked marks to lose.
    fn preprocess_for(&self, recogniser: &Recogniser) -> Preprocess {
        let mut p = self.opts.preprocess;
        if self
            .english
            .as_ref()
            .is_some_and(|e| std::ptr::eq(e, recogniser))
        {
            p.x_height = p.x_height.map(|x| x.min(scale::LATIN_X_HEIGHT));
        }
        p
    }

    /// The recogniser for the rest of a document whose first page reads as `lang`: Vietnamese
    /// alone for a Vietnamese document when Vietnamese is among the languages. Read with
    /// `vie+eng`, tesseract takes many Vietnamese words for English ones and drops or
    /// misplaces their marks (`để` → `dé`, `bằng` → `bang`); `vie` alone reads English terms in
    /// Vietnamese text well enough (bench/ocr, clean Vietnamese pages: word F1 0.921 → 0.948
    /// exact, 0.980 → 0.977 folded). Other documents keep every language.
    ///
    /// English documents likewise read with `eng` alone: the Vietnamese model adds nothing to
    /// them and doubles the time of every page (bench/ocr RESULTS.md).
    fn for_language(&self, lang: Option<&str>) -> &Recogniser {
        match (lang, &self.vietnamese, &self.english) {
            (Some("vi"), Some(vie), _) => vie,
            (Some("en"), _, Some(eng)) => eng,
            _ => &self.recogniser,
        }
    }

    /// The cache key of pages read by `recogniser`: each language set has its own entries.
    fn key_for(&self, recogniser: &Recogniser) -> String {
        if recogniser.langs == self.recogniser.langs {
            self.key.clone()
        } else {
            blake3::hash(format!("{}|{}", self.key, recogniser.langs).as_bytes()).to_hex()[..16]
                .to_string()
        }
    }

    /// One page (1-based): from the cache, or rendered (unless `prepared` already holds it),
    /// cleaned and recognised, and cached. The text returned is normalised.
    fn page(
        &self,
        pdf: &render::PageSource<'_>,
        page: usize,
        pdf_hash: Option<&str>,
        cache: Option<&Cache>,
        recogniser: &Recogniser,
        prepared: Option<PreparedPage>,
    ) -> Result<PageResult, OcrError> {
        let key = &self.key_for(recogniser);
        let cached = pdf_hash.and_then(|h| cache.and_then(|c| c.get(h, key, page)));
        if let Some(c) = cached {
            let rec = Recognised {
                text: c.text,
                words: c.words,
                confidence_sum: c.confidence_sum,
            };
            return Ok((rec, true, 0.0));
        }
        let started = Instant::now();
        let prepared = match prepared {
            Some(p) => p,
            None => match self.prepare_page(pdf, page, self.preprocess_for(recogniser))? {
                Some(p) => p,
                None => return Ok((Recognised::default(), false, 0.0)),
            },
        };
        self.read_and_store(page, pdf_hash, cache, recogniser, &prepared, started)
    }

    /// Recognises a prepared page, normalises its text and stores it in the cache.
    fn read_and_store(
        &self,
        page: usize,
        pdf_hash: Option<&str>,
        cache: Option<&Cache>,
        recogniser: &Recogniser,
        prepared: &PreparedPage,
        started: Instant,
    ) -> Result<PageResult, OcrError> {
        let mut rec = self.read(page, recogniser, prepared)?;
        rec.text = crate::text::normalize(&rec.text);
        if let (Some(h), Some(c)) = (pdf_hash, cache) {
            let entry = cache::CachedPage {
                text: rec.text.clone(),
                words: rec.words,
                confidence_sum: rec.confidence_sum,
            };
            // A cache that cannot be written costs a second OCR next time, nothing more.
            if let Err(e) = c.put(h, &self.key_for(recogniser), page, &entry) {
                tracing::warn!("{}", crate::ingest::error_chain(&e));
            }
        }
        Ok((rec, false, started.elapsed().as_secs_f64()))
    }

    /// Rendered and preprocessed; `None` for a blank page (nothing to read).
    fn prepare_page(
        &self,
        pdf: &render::PageSource<'_>,
        page: usize,
        how: Preprocess,
    ) -> Result<Option<PreparedPage>, OcrError> {
        let started = Instant::now();
        let (img, dpi) = pdf.page(page, self.opts.dpi, self.opts.page_limit)?;
        if preprocess::is_blank(&img) {
            return Ok(None);
        }
        let rendered = started.elapsed();
        let prepared = preprocess::preprocess(img, how);
        tracing::debug!(
            page,
            factor = prepared.factor,
            skew = prepared.skew,
            render = rendered.as_secs_f32(),
            prepare = (started.elapsed() - rendered).as_secs_f32(),
            "page prepared"
        );
        Ok(Some(PreparedPage {
            dpi: (dpi as f32 * prepared.factor).round() as u32,
            img: prepared.img,
        }))
    }

    /// Raw text of a prepared page. Read with automatic layout (psm 3) and a mean confidence
    /// under [`OcrOptions::reorient_below`], the page is read again with orientation detection
    /// (psm 1) and the better reading kept: a page scanned upside down or a table turned on its
    /// side reads as noise (mean confidence about 40, against 80 to 95 for upright pages of
    /// bench/ocr), while detecting the orientation of every page costs a tenth of the time.
    fn read(
        &self,
        page: usize,
        recogniser: &Recogniser,
        prepared: &PreparedPage,
    ) -> Result<Recognised, OcrError> {
        let limit = self.opts.page_limit;
        let started = Instant::now();
        let rec = recogniser.recognise(&prepared.img, prepared.dpi, limit)?;
        tracing::debug!(
            page,
            seconds = started.elapsed().as_secs_f32(),
            confidence = rec.confidence(),
            "page read"
        );
        let doubtful = |r: &Recognised| {
            self.opts
                .reorient_below
                .is_some_and(|below| r.confidence().is_some_and(|c| c < f64::from(below)))
        };
        if recogniser.psm == 1 || !doubtful(&rec) {
            return Ok(rec);
        }
        let turned = Recogniser {
            psm: 1,
            ..recogniser.clone()
        }
        .recognise(&prepared.img, prepared.dpi, limit)?;
        let better = turned.confidence().unwrap_or(0.0) > rec.confidence().unwrap_or(0.0);
        Ok(if better { turned } else { rec })
    }
}

/// A page image ready for tesseract, and the resolution to tell it.
#[derive(Debug)]
struct PreparedPage {
    img: image::GrayImage,
    dpi: u32,
}

/// What finding a document's language did to its first page.
enum FirstPage {
    /// Rendered and prepared, not yet read.
    Prepared(PreparedPage),
    /// Read (or failed) with the recogniser chosen.
    Read(Result<PageResult, OcrError>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            text: text.into(),
            no_text: text.is_empty(),
            ocr: false,
        }
    }

    #[test]
    fn auto_chooses_pages_without_text_only() {
        assert!(needs_ocr(&page("")));
        assert!(needs_ocr(&page(" \n ")));
        assert!(!needs_ocr(&page("Chương 1")));
        assert!(chosen(OcrMode::Always, &page("Chương 1")));
        assert!(!chosen(OcrMode::Never, &page("")));
    }

    #[test]
    fn modes_parse_and_print() {
        for m in [OcrMode::Auto, OcrMode::Always, OcrMode::Never] {
            assert_eq!(m.to_string().parse::<OcrMode>().unwrap(), m);
        }
        assert!("sometimes".parse::<OcrMode>().is_err());
    }

    #[test]
    fn a_missing_language_makes_ocr_unavailable_with_the_way_to_install_it() {
        let opts = OcrOptions {
            langs: "vie+zzz".into(),
            ..OcrOptions::default()
        };
        // Whether or not tesseract is installed here, `zzz` is not.
        let e = Engine::detect(&opts).unwrap_err();
        assert!(matches!(e, OcrError::Unavailable { .. }), "{e}");
        assert!(e.to_string().contains("apt-get install"), "{e}");
        let bad = OcrOptions {
            langs: "vie+../x".into(),
            ..OcrOptions::default()
        };
        assert!(matches!(
            Engine::detect(&bad).unwrap_err(),
            OcrError::Setting(_)
        ));
    }

    #[test]
    fn vietnamese_and_english_documents_are_read_with_their_language_alone() {
        let engine = Engine::detect(&OcrOptions::default())
            .expect("tesseract with vie and eng data, which .ci/run installs");
        assert_eq!(engine.for_language(Some("vi")).langs, "vie");
        assert_eq!(engine.for_language(Some("en")).langs, "eng");
        assert_eq!(engine.for_language(Some("fr")).langs, "vie+eng");
        assert_eq!(engine.for_language(None).langs, "vie+eng");
        // Each language set keeps its own cache entries.
        let keys: std::collections::HashSet<String> = [Some("vi"), Some("en"), None]
            .into_iter()
            .map(|l| engine.key_for(engine.for_language(l)))
            .collect();
        assert_eq!(keys.len(), 3);
        let english = Engine::detect(&OcrOptions {
            langs: "eng".into(),
            ..OcrOptions::default()
        })
        .unwrap();
        assert_eq!(english.for_language(Some("vi")).langs, "eng");
    }

    #[test]
    fn stats_add_up_and_give_a_mean_confidence() {
        let mut a = OcrStats {
            pages: 1,
            words: 2,
            confidence_sum: 180.0,
            ..OcrStats::default()
        };
        a.add(&OcrStats {
            cached: 1,
            words: 2,
            confidence_sum: 140.0,
            ..OcrStats::default()
        });
        assert_eq!((a.pages, a.cached), (1, 1));
        assert_eq!(a.mean_confidence(), Some(80.0));
        assert_eq!(OcrStats::default().mean_confidence(), None);
    }
}
