//! Page images in 8-bit grayscale at the resolution asked for: a scanned page's own image
//! taken from the PDF ([`crate::pdf::page_image`]) and resized, or else the page rendered by
//! poppler's `pdftoppm`.
//!
//! Rendering handles every page (rotation, crop, masks, several images, images under vector
//! drawing or text); a scan's own image gives the same picture without parsing the file and
//! drawing it again for each page: bench/ocr measured 0.3 s of rendering per 300 dpi page
//! against about 0.05 s to decode the image.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use super::image::GrayImage;
use super::{process, scale, OcrError};
use crate::pdf::page_image::ScanPages;

/// The pages of one PDF as images: its path, and its scanned pages once opened.
#[derive(Debug)]
pub struct PageSource<'a> {
    pdf: &'a Path,
    /// Take one-image pages from the PDF rather than render them.
    direct: bool,
    scans: OnceLock<Option<ScanPages>>,
}

impl<'a> PageSource<'a> {
    /// The file is opened (for its images) only when a page is first asked for.
    pub fn new(pdf: &'a Path, direct: bool) -> PageSource<'a> {
        PageSource {
            pdf,
            direct,
            scans: OnceLock::new(),
        }
    }

    /// Page `page` (1-based) at `dpi`: returns the image and the resolution it has.
    pub fn page(
        &self,
        page: usize,
        dpi: u32,
        limit: Duration,
    ) -> Result<(GrayImage, u32), OcrError> {
        if let Some(img) = self.direct.then(|| self.direct_image(page, dpi)).flatten() {
            return Ok(img);
        }
        render_page(self.pdf, page, dpi, limit)
    }

    /// The page's own image brought to `dpi`, when the page is a plain scan.
    fn direct_image(&self, page: usize, dpi: u32) -> Option<(GrayImage, u32)> {
        let scans = self.scans.get_or_init(|| match ScanPages::open(self.pdf) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::debug!("{e}: pages are rendered");
                None
            }
        });
        let found = scans.as_ref()?.image(page)?;
        let img = GrayImage {
            width: found.width,
            height: found.height,
            pixels: found.gray,
        };
        let factor = dpi as f32 / found.dpi;
        if (0.95..=1.05).contains(&factor) {
            return Some((img, found.dpi.round() as u32));
        }
        let (w, h) = (img.width as f32 * factor, img.height as f32 * factor);
        // What the renderer would refuse is left to it (it halves the resolution).
        if (w * h) as usize > MAX_PIXELS {
            return None;
        }
        let resized = if factor < 1.0 {
            scale::shrink(&img, factor)
        } else {
            scale::enlarge(&img, factor)
        };
        Some((resized, dpi))
    }
}

/// Largest image accepted from pdftoppm: a 300 dpi A3 page is 17 MB. A larger page (a poster)
/// is rendered again at half the resolution rather than exhausting memory.
pub const MAX_PIXELS: usize = 40 << 20;

/// Renders page `page` (1-based) of `pdf` at `dpi` (or a half, a quarter of it when the page
/// is too large for [`MAX_PIXELS`]), grayscale. Returns the image and the resolution used.
pub fn render_page(
    pdf: &Path,
    page: usize,
    dpi: u32,
    limit: Duration,
) -> Result<(GrayImage, u32), OcrError> {
    let mut dpi = dpi.max(36);
    loop {
        match render_at(pdf, page, dpi, limit) {
            Err(OcrError::TooLarge { .. }) if dpi >= 72 => dpi /= 2,
            other => return other.map(|img| (img, dpi)),
        }
    }
}

fn render_at(pdf: &Path, page: usize, dpi: u32, limit: Duration) -> Result<GrayImage, OcrError> {
    let page_s = page.to_string();
    let mut cmd = Command::new("pdftoppm");
    cmd.args([
        "-gray",
        "-r",
        &dpi.to_string(),
        "-f",
        &page_s,
        "-l",
        &page_s,
    ])
    .arg("-singlefile")
    .arg(pdf);
    // The header is a few bytes over the pixels.
    let out = process::run("pdftoppm", &mut cmd, None, limit, MAX_PIXELS + 64)?;
    GrayImage::from_pgm(&out)
}
