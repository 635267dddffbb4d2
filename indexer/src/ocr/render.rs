//! Page images: one page of a PDF rendered by poppler's `pdftoppm` as 8-bit grayscale.
//!
//! Rendering (rather than taking a page's embedded image as it is) gives every page the same
//! resolution whatever the scanner used, applies the page's own transforms (rotation, crop,
//! masks), and handles pages that are several images or images plus vector drawing.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::image::GrayImage;
use super::{process, OcrError};

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
