//! Rescaling: a page image brought down to the text size tesseract needs, measured on the page.
//!
//! Tesseract's line recogniser scales every text line to a fixed height, so pixels beyond what
//! it needs only slow layout analysis and binarisation. On bench/ocr's clean pages, 300 dpi
//! renderings read at three quarters of their size took about 30 % less time for the same word
//! F1. Small print (footnotes, tables in 8 pt) needs its pixels, though, so the factor is not
//! fixed: it comes from the page's own x-height (the height of `x`, `n`, `o`), measured as the
//! commonest height of its ink blobs, and brings it down to [`DEFAULT_X_HEIGHT`] at most.
//! A page whose text is already that small is left as it is; nothing is ever enlarged (the
//! rendering resolution does that).
//!
//! Written here rather than taken from an imaging crate: the measure is a few dozen lines over
//! the image type the OCR stages already share, and the area-average resize is the one filter
//! needed.

use super::image::GrayImage;
use super::preprocess::otsu;

/// The x-height, in pixels, pages are brought down to. Measured on bench/ocr (clean and
/// degraded, Vietnamese and English): a 12 pt body rendered at 300 dpi has an x-height of
/// about 25 pixels; read at 13 to 18 the F1 stayed within 0.004 and the time fell by a quarter to
/// a third. Tesseract's own guidance puts the floor for good accuracy near 10 pixels.
pub const DEFAULT_X_HEIGHT: u16 = 16;

/// The x-height English pages are brought down to: without stacked tone marks, Latin text
/// read as well at 12 pixels on bench/ocr (word F1 0.9685 against 0.9688 at 16, degraded
/// 0.9598 against 0.9551) in about four fifths of the time; Vietnamese lost 0.002 there for
/// a twentieth of the time.
pub const LATIN_X_HEIGHT: u16 = 12;

/// Never shrink a page by more than this: below it, Vietnamese marks (a few pixels each)
/// start to merge with their letters.
const MIN_FACTOR: f32 = 0.5;

/// Blobs needed before a measured height is believed: a title page with three lines has too
/// few letters to tell x-height from capitals.
const MIN_BLOBS: usize = 60;

/// More ink runs than this (a photograph, heavy noise) is not text worth measuring.
const MAX_RUNS: usize = 3_000_000;

/// What the blobs of ink on a page say about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The x-height in pixels: the commonest height of blobs shaped like letters, each
    /// counted by its width so that wide letters (`m`, `w`) outweigh accents and dots. `None`
    /// for a page with too few letters or too much ink.
    pub x_height: Option<f32>,
    /// Blobs of at most 3 × 3 pixels, and blobs shaped like letters.
    pub specks: usize,
    pub letters: usize,
    /// Too many runs of ink to count (heavy noise or a photograph).
    pub overflow: bool,
}

/// Specks per letter over which a page is noisy. bench/ocr's degraded pages (Gaussian noise
/// of 40 gray levels, JPEG) have 0.2 to 1.4 of them and read no better through a median
/// filter (Vietnamese 0.9349 against 0.9369); with noise of 60 to 70 levels they have 10 to
/// 25, and the filter lifts word F1 from 0.878 to 0.885 at 150 dpi and from 0.851 to 0.887
/// at 200 dpi.
const NOISY_SPECKS_PER_LETTER: usize = 3;

impl Measure {
    /// The factor (0.5 to 1) that brings the x-height down to `target` pixels; 1 when the
    /// x-height is unknown or already small.
    pub fn factor(&self, target: u16) -> f32 {
        match self.x_height {
            Some(xh) if xh > f32::from(target) => (f32::from(target) / xh).max(MIN_FACTOR),
            _ => 1.0,
        }
    }

    /// Specks outnumber letters by far: salt and pepper a median filter should remove.
    pub fn noisy(&self) -> bool {
        self.overflow || self.specks > NOISY_SPECKS_PER_LETTER * self.letters.max(1)
    }
}

/// Blobs of ink of a page (under Otsu's threshold), measured.
pub fn measure(img: &GrayImage) -> Measure {
    let mut hist = [0u64; 256];
    for &v in &img.pixels {
        hist[v as usize] += 1;
    }
    let Some(blobs) = blobs(img, otsu(&hist)) else {
        return Measure {
            x_height: None,
            specks: 0,
            letters: 0,
            overflow: true,
        };
    };
    let mut heights = vec![0u64; 257];
    let mut letters = 0usize;
    let mut specks = 0usize;
    for b in &blobs {
        let (w, h) = (b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
        // Letters: not specks, not rules or table lines, not whole figures.
        if (4..=256).contains(&h) && w >= 2 && w <= 3 * h {
            heights[h] += w as u64;
            letters += 1;
        } else if w <= 3 && h <= 3 {
            specks += 1;
        }
    }
    let x_height = (letters >= MIN_BLOBS)
        .then(|| {
            // The mode of the histogram smoothed over three pixels: one letter's height varies
            // by a pixel or two with its shape and the threshold.
            let (mut best, mut best_h) = (0u64, 0usize);
            for h in 4..=255 {
                let s = heights[h - 1] + heights[h] + heights[h + 1];
                if s > best {
                    best = s;
                    best_h = h;
                }
            }
            (best > 0).then_some(best_h as f32)
        })
        .flatten();
    Measure {
        x_height,
        specks,
        letters,
        overflow: false,
    }
}

/// The bounding box of one connected blob of ink (8-connected), inclusive.
#[derive(Debug, Clone, Copy)]
struct Blob {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// Blobs of pixels at or under `t`, found run by run: each row's runs of ink are joined to the
/// runs they touch in the row above (union-find), which needs one pass and memory per run,
/// not per pixel. `None` past [`MAX_RUNS`].
fn blobs(img: &GrayImage, t: u8) -> Option<Vec<Blob>> {
    // Per run: its row, its columns [x0, x1] and its union-find parent.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    let mut prev: std::ops::Range<usize> = 0..0;
    for y in 0..img.height {
        let row = &img.pixels[y * img.width..(y + 1) * img.width];
        let start = runs.len();
        let mut x = 0;
        while x < row.len() {
            if row[x] > t {
                x += 1;
                continue;
            }
            let x0 = x;
            while x < row.len() && row[x] <= t {
                x += 1;
            }
            runs.push((y, x0, x - 1));
            parent.push((runs.len() - 1) as u32);
            if runs.len() > MAX_RUNS {
                return None;
            }
        }
        // Join with the runs of the row above that touch this one, diagonals included. Both
        // lists are sorted by column, so one merge-like walk finds every overlap.
        let here = start..runs.len();
        let mut j = prev.start;
        for i in here.clone() {
            let (_, a0, a1) = runs[i];
            while j < prev.end && runs[j].2 + 1 < a0 {
                j += 1;
            }
            let mut k = j;
            while k < prev.end && runs[k].1 <= a1 + 1 {
                union(&mut parent, i, k);
                k += 1;
            }
        }
        prev = here;
    }
    let mut boxes: Vec<Option<Blob>> = vec![None; runs.len()];
    for (i, &(y, x0, x1)) in runs.iter().enumerate() {
        let r = find(&mut parent, i);
        let b = boxes[r].get_or_insert(Blob {
            x0,
            y0: y,
            x1,
            y1: y,
        });
        b.x0 = b.x0.min(x0);
        b.x1 = b.x1.max(x1);
        b.y0 = b.y0.min(y);
        b.y1 = b.y1.max(y);
    }
    Some(boxes.into_iter().flatten().collect())
}

fn find(parent: &mut [u32], mut i: usize) -> usize {
    while parent[i] as usize != i {
        // Path halving keeps the trees flat without recursion.
        parent[i] = parent[parent[i] as usize];
        i = parent[i] as usize;
    }
    i
}

fn union(parent: &mut [u32], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        parent[hi] = lo as u32;
    }
}

/// `img` resized by `factor` (under 1) by area averaging: each new pixel is the mean of the
/// part of the old image it covers, so thin strokes fade rather than vanish.
pub fn shrink(img: &GrayImage, factor: f32) -> GrayImage {
    let nw = ((img.width as f32 * factor).round() as usize).max(1);
    let nh = ((img.height as f32 * factor).round() as usize).max(1);
    // Separable: rows first into f32 columns of the new width, then columns.
    let xw = weights(img.width, nw);
    let yw = weights(img.height, nh);
    let mut tmp = vec![0f32; nw * img.height];
    for y in 0..img.height {
        let src = &img.pixels[y * img.width..(y + 1) * img.width];
        let dst = &mut tmp[y * nw..(y + 1) * nw];
        for (o, taps) in dst.iter_mut().zip(&xw) {
            *o = taps.iter().map(|&(i, w)| f32::from(src[i]) * w).sum();
        }
    }
    let mut out = GrayImage::new(nw, nh, 255);
    for (oy, taps) in yw.iter().enumerate() {
        let dst = &mut out.pixels[oy * nw..(oy + 1) * nw];
        for (x, o) in dst.iter_mut().enumerate() {
            let v: f32 = taps.iter().map(|&(y, w)| tmp[y * nw + x] * w).sum();
            *o = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// `img` enlarged by `factor` (over 1), bilinear: a scan made at 200 dpi brought to the
/// resolution pages are read at, as a renderer would draw it.
pub fn enlarge(img: &GrayImage, factor: f32) -> GrayImage {
    let nw = ((img.width as f32 * factor).round() as usize).max(1);
    let nh = ((img.height as f32 * factor).round() as usize).max(1);
    let (sx, sy) = (img.width as f32 / nw as f32, img.height as f32 / nh as f32);
    // Source coordinate of each output column: its centre mapped back, clamped to the edge.
    let cols: Vec<(usize, usize, f32)> = (0..nw).map(|x| taps(x, sx, img.width)).collect();
    let mut out = GrayImage::new(nw, nh, 255);
    for y in 0..nh {
        let (y0, y1, fy) = taps(y, sy, img.height);
        let (r0, r1) = (
            &img.pixels[y0 * img.width..(y0 + 1) * img.width],
            &img.pixels[y1 * img.width..(y1 + 1) * img.width],
        );
        let dst = &mut out.pixels[y * nw..(y + 1) * nw];
        for (o, &(x0, x1, fx)) in dst.iter_mut().zip(&cols) {
            let top = f32::from(r0[x0]) * (1.0 - fx) + f32::from(r0[x1]) * fx;
            let bottom = f32::from(r1[x0]) * (1.0 - fx) + f32::from(r1[x1]) * fx;
            *o = (top * (1.0 - fy) + bottom * fy).round() as u8;
        }
    }
    out
}

/// The two source cells around output cell `o` and the weight of the second.
fn taps(o: usize, step: f32, len: usize) -> (usize, usize, f32) {
    let s = ((o as f32 + 0.5) * step - 0.5).clamp(0.0, (len - 1) as f32);
    let i = s.floor() as usize;
    (i, (i + 1).min(len - 1), s - i as f32)
}

/// For each of `to` output cells, the `from` input cells it covers and their weights (summing
/// to 1).
fn weights(from: usize, to: usize) -> Vec<Vec<(usize, f32)>> {
    let step = from as f32 / to as f32;
    (0..to)
        .map(|o| {
            let (a, b) = (o as f32 * step, ((o + 1) as f32 * step).min(from as f32));
            let mut taps = Vec::with_capacity(step.ceil() as usize + 1);
            let mut i = a.floor() as usize;
            while (i as f32) < b && i < from {
                let cover = (b.min(i as f32 + 1.0) - a.max(i as f32)).max(0.0);
                if cover > 0.0 {
                    taps.push((i, cover / (b - a)));
                }
                i += 1;
            }
            taps
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(img: &GrayImage, target: u16) -> f32 {
        measure(img).factor(target)
    }

    fn x_height(img: &GrayImage) -> Option<f32> {
        measure(img).x_height
    }

    /// A page of "letters": `n`-like blocks of height `xh` with `l`-like ascenders every fifth
    /// letter, small accents above some, in lines.
    fn text_page(xh: usize) -> GrayImage {
        let (w, h) = (1600, 1200);
        let mut img = GrayImage::new(w, h, 245);
        let mut fill = |x0: usize, y0: usize, x1: usize, y1: usize| {
            for y in y0..y1 {
                for x in x0..x1 {
                    img.pixels[y * w + x] = 15;
                }
            }
        };
        let pitch = xh * 2 + 10;
        let mut top = 60;
        while top + pitch < h - 40 {
            let mut x = 40;
            let mut n = 0;
            while x + xh < w - 40 {
                let lw = xh * 3 / 4;
                if n % 5 == 4 {
                    fill(x, top - xh / 2, x + lw / 3, top + xh); // an ascender
                } else {
                    fill(x, top, x + lw, top + xh);
                }
                if n % 3 == 0 {
                    fill(x + 2, top - 6, x + 5, top - 2); // an accent
                }
                x += lw + xh / 4;
                n += 1;
            }
            top += pitch;
        }
        img
    }

    #[test]
    fn x_height_is_measured_on_the_letters() {
        for xh in [12, 18, 25, 34] {
            let got = x_height(&text_page(xh)).expect("a page of text");
            assert!(
                (got - xh as f32).abs() <= 1.0,
                "x-height {xh}: measured {got}"
            );
        }
    }

    #[test]
    fn large_print_is_shrunk_and_small_print_kept() {
        let f = factor(&text_page(27), 18);
        assert!((f - 18.0 / 27.0).abs() < 0.05, "factor {f}");
        assert_eq!(factor(&text_page(14), 18), 1.0);
        // Huge letters: shrunk, but never below half.
        assert_eq!(factor(&text_page(60), 18), MIN_FACTOR);
    }

    #[test]
    fn pages_without_letters_are_not_measured() {
        assert_eq!(x_height(&GrayImage::new(500, 700, 255)), None);
        assert_eq!(factor(&GrayImage::new(500, 700, 255), 18), 1.0);
        // Solid ink, a photograph's shadow: one blob, nothing to measure.
        assert_eq!(x_height(&GrayImage::new(500, 700, 0)), None);
    }

    #[test]
    fn salt_and_pepper_is_told_from_text() {
        let clean = text_page(20);
        assert!(!measure(&clean).noisy());
        let mut noisy = clean.clone();
        // A dark speck in every 8 × 8 cell: far more specks than letters.
        for y in (3..noisy.height).step_by(8) {
            for x in (5..noisy.width).step_by(8) {
                noisy.pixels[y * noisy.width + x] = 0;
            }
        }
        let m = measure(&noisy);
        assert!(m.noisy(), "{m:?}");
    }

    #[test]
    fn enlarging_interpolates_between_pixels() {
        let img = GrayImage {
            width: 2,
            height: 1,
            pixels: vec![0, 200],
        };
        let big = enlarge(&img, 2.0);
        assert_eq!((big.width, big.height), (4, 2));
        assert_eq!(&big.pixels[..4], &[0, 50, 150, 200]);
        assert_eq!(big.pixels[..4], big.pixels[4..]);
    }

    #[test]
    fn shrinking_averages_areas() {
        let mut img = GrayImage::new(4, 4, 255);
        for y in 0..4 {
            img.pixels[y * 4] = 0;
            img.pixels[y * 4 + 1] = 0;
        }
        let half = shrink(&img, 0.5);
        assert_eq!((half.width, half.height), (2, 2));
        assert_eq!(half.pixels, vec![0, 255, 0, 255]);
        let three = shrink(&img, 0.75);
        assert_eq!((three.width, three.height), (3, 3));
        // The middle column covers as much black as white.
        assert_eq!(three.pixels[0], 0);
        assert_eq!(three.pixels[1], 128);
        assert_eq!(three.pixels[2], 255);
    }
}
