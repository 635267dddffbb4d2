//! The band of a page read to tell a scanned document's language before reading it.
//!
//! Each language is read best by its own model alone (see `Engine::for_language`), so a
//! document's language must be known before its pages are read. Reading the whole first page
//! to find out costs a page, twice over for a document that turns out not to be Vietnamese,
//! and keeps the other cores idle meanwhile. A fifth of the page where the ink is densest
//! holds enough words to tell Vietnamese from English at about a fifth of the cost.

use super::image::GrayImage;

/// Share of the page height the band covers.
pub const BAND: f32 = 0.2;

/// The horizontal band of `img`, `fraction` of its height, holding the most ink; `None` for
/// a page too small or without ink.
pub fn densest_band(img: &GrayImage, fraction: f32) -> Option<GrayImage> {
    let band = ((img.height as f32 * fraction).round() as usize).max(1);
    if img.width == 0 || band >= img.height {
        return None;
    }
    // Dark pixels per row, a fixed threshold: the image is already clean enough to read.
    let rows: Vec<u32> = img
        .pixels
        .chunks_exact(img.width)
        .map(|row| row.iter().filter(|&&v| v < 128).count() as u32)
        .collect();
    let mut sum: u64 = rows[..band].iter().map(|&c| u64::from(c)).sum();
    let (mut best, mut best_top) = (sum, 0);
    for top in 1..=img.height - band {
        sum += u64::from(rows[top + band - 1]);
        sum -= u64::from(rows[top - 1]);
        if sum > best {
            best = sum;
            best_top = top;
        }
    }
    if best == 0 {
        return None;
    }
    Some(GrayImage {
        width: img.width,
        height: band,
        pixels: img.pixels[best_top * img.width..(best_top + band) * img.width].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_where_the_ink_is() {
        let (w, h) = (100, 400);
        let mut img = GrayImage::new(w, h, 255);
        // A title line near the top, a dense paragraph in the lower half.
        for x in 10..90 {
            img.pixels[20 * w + x] = 0;
        }
        for y in (250..330).step_by(4) {
            for x in 10..90 {
                img.pixels[y * w + x] = 0;
            }
        }
        let band = densest_band(&img, 0.25).expect("ink");
        assert_eq!((band.width, band.height), (100, 100));
        let dark = band.pixels.iter().filter(|&&v| v == 0).count();
        assert_eq!(dark, 20 * 80, "every line of the paragraph is in the band");
    }

    #[test]
    fn blank_or_tiny_pages_have_no_band() {
        assert_eq!(densest_band(&GrayImage::new(100, 400, 255), 0.25), None);
        assert_eq!(densest_band(&GrayImage::new(10, 1, 0), 0.25), None);
    }
}
