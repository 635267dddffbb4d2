//! Image clean-up before recognition: rescale (see `scale`), deskew (text lines made
//! horizontal) and denoise (salt and pepper removed). Binarisation is left to tesseract (its thresholding is chosen by a setting,
//! see `recognise`), which sees the grayscale and binarises at its own working resolution.

use super::image::GrayImage;

/// What to do to a page image before recognition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preprocess {
    /// Measure the skew of text lines and rotate them level when it is over 0.1°.
    pub deskew: bool,
    /// 3×3 median filter: removes isolated specks (scanner noise, JPEG ringing).
    pub denoise: Denoise,
    /// Shrink the page until its x-height is at most this many pixels (`None`: keep the
    /// rendering's size). See `scale`.
    pub x_height: Option<u16>,
}

impl Default for Preprocess {
    fn default() -> Self {
        Preprocess {
            deskew: true,
            denoise: Denoise::Auto,
            x_height: Some(super::scale::DEFAULT_X_HEIGHT),
        }
    }
}

/// When to run the median filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denoise {
    Never,
    /// On pages whose specks far outnumber their letters (`scale::Measure::noisy`).
    Auto,
    Always,
}

impl std::str::FromStr for Denoise {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "never" => Ok(Denoise::Never),
            "auto" => Ok(Denoise::Auto),
            "always" => Ok(Denoise::Always),
            _ => Err(format!("{s:?}: expected auto, always or never")),
        }
    }
}

/// A page image ready for recognition.
#[derive(Debug)]
pub struct Prepared {
    pub img: GrayImage,
    /// The size factor applied (1 when not rescaled): the resolution tesseract is told is the
    /// rendering's times this.
    pub factor: f32,
    /// The skew corrected, in degrees.
    pub skew: f32,
}

/// Largest skew looked for, in degrees: scans are placed by hand, rarely worse than this.
const MAX_SKEW: f32 = 5.0;
/// Angle step of the search, in degrees.
const STEP: f32 = 0.1;

/// Applies `p` to `img`. Rescaling comes first so the other steps work on fewer pixels;
/// the x-height is measured on the image as rendered (a skew of a few degrees changes no
/// letter's height by more than a pixel).
pub fn preprocess(img: GrayImage, p: Preprocess) -> Prepared {
    let measured =
        (p.x_height.is_some() || p.denoise == Denoise::Auto).then(|| super::scale::measure(&img));
    let factor = match (p.x_height, &measured) {
        (Some(xh), Some(m)) => m.factor(xh),
        _ => 1.0,
    };
    let denoise = match p.denoise {
        Denoise::Never => false,
        Denoise::Always => true,
        Denoise::Auto => measured.is_some_and(|m| m.noisy()),
    };
    // Under 5 % smaller saves nothing worth a resampling.
    let (img, factor) = if factor < 0.95 {
        (super::scale::shrink(&img, factor), factor)
    } else {
        (img, 1.0)
    };
    let img = if denoise { median3(&img) } else { img };
    let angle = if p.deskew { estimate_skew(&img) } else { 0.0 };
    if angle.abs() < 0.15 {
        return Prepared {
            img,
            factor,
            skew: 0.0,
        };
    }
    Prepared {
        img: rotate(&img, angle),
        factor,
        skew: angle,
    }
}

/// True when the page has (almost) no ink: nothing for tesseract to read. A page number alone
/// is about 0.005 % of a 300 dpi page; this is ten times that, so a blank page with a speck or
/// a number costs no recognition.
pub fn is_blank(img: &GrayImage) -> bool {
    let dark = img.pixels.iter().filter(|&&v| v < 128).count();
    (dark as f64) < img.pixels.len() as f64 * 0.0005
}

/// Otsu's threshold of a histogram: the gray level that best splits ink from paper.
pub(crate) fn otsu(hist: &[u64; 256]) -> u8 {
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 127u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c;
        sum0 += t as f64 * c as f64;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0 as f64, (sum_all - sum0) / w1 as f64);
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// The angle (degrees, positive when lines descend to the right) that makes the horizontal
/// projection of the ink sharpest: at the right angle every text line falls into a few rows and
/// the gaps between lines are empty, which maximises the sum of squared row counts.
pub fn estimate_skew(img: &GrayImage) -> f32 {
    // A quarter of 300 dpi is plenty to see lines; each cell keeps its darkest pixel so thin
    // strokes survive.
    let cell = (img.width.max(img.height) / 1000).max(1);
    let (w, h) = (img.width / cell, img.height / cell);
    if w < 8 || h < 8 {
        return 0.0;
    }
    let mut small = vec![255u8; w * h];
    for y in 0..h * cell {
        let row = &img.pixels[y * img.width..y * img.width + w * cell];
        let out = &mut small[(y / cell) * w..(y / cell + 1) * w];
        for (x, &v) in row.iter().enumerate() {
            let o = &mut out[x / cell];
            *o = (*o).min(v);
        }
    }
    let mut hist = [0u64; 256];
    for &v in &small {
        hist[v as usize] += 1;
    }
    let t = otsu(&hist);
    let ink: Vec<(f32, f32)> = small
        .iter()
        .enumerate()
        .filter(|&(_, &v)| v <= t)
        .map(|(i, _)| ((i % w) as f32, (i / w) as f32))
        .collect();
    // A blank page, or one that is all ink (a photograph), has no lines to level.
    if ink.len() < 200 || ink.len() > w * h / 2 {
        return 0.0;
    }
    let max_shift = (w as f32 * MAX_SKEW.to_radians().tan()).ceil() as usize + 1;
    let mut bins = vec![0u32; h + 2 * max_shift];
    let steps = (MAX_SKEW / STEP).round() as i32;
    let mut best = (0u64, 0.0f32);
    for k in -steps..=steps {
        let a = k as f32 * STEP;
        let tan = a.to_radians().tan();
        bins.iter_mut().for_each(|b| *b = 0);
        for &(x, y) in &ink {
            let row = (y - x * tan).round() as isize + max_shift as isize;
            if let Some(b) = usize::try_from(row).ok().and_then(|r| bins.get_mut(r)) {
                *b += 1;
            }
        }
        let score: u64 = bins.iter().map(|&c| u64::from(c) * u64::from(c)).sum();
        // Ties keep the smaller angle (k runs from negative, so compare magnitudes).
        if score > best.0 || (score == best.0 && a.abs() < best.1.abs()) {
            best = (score, a);
        }
    }
    best.1
}

/// `img` turned counter-clockwise as seen on screen by `degrees` about its centre (so lines
/// that descend to the right by that angle come out level), bilinear, white outside.
pub fn rotate(img: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = (img.width, img.height);
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = GrayImage::new(w, h, 255);
    for y in 0..h {
        let dy = y as f32 - cy;
        let row = &mut out.pixels[y * w..(y + 1) * w];
        for (x, o) in row.iter_mut().enumerate() {
            let dx = x as f32 - cx;
            // Inverse mapping: where this output pixel comes from.
            let sx = c * dx - s * dy + cx;
            let sy = s * dx + c * dy + cy;
            if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let p = |xx: usize, yy: usize| f32::from(img.pixels[yy * w + xx]);
            let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
            let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
            *o = (top * (1.0 - fy) + bottom * fy).round() as u8;
        }
    }
    out
}

/// 3×3 median filter (borders kept as they are).
pub fn median3(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width, img.height);
    let mut out = img.clone();
    if w < 3 || h < 3 {
        return out;
    }
    let mut win = [0u8; 9];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let mut k = 0;
            for yy in y - 1..=y + 1 {
                win[k..k + 3].copy_from_slice(&img.pixels[yy * w + x - 1..yy * w + x + 2]);
                k += 3;
            }
            // Paper is most of a page: skip the sort when the window is uniform.
            if win.iter().all(|&v| v == win[0]) {
                continue;
            }
            let (_, m, _) = win.select_nth_unstable(4);
            out.pixels[y * w + x] = *m;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of dark horizontal bars (lines of text) on white.
    fn lines_page() -> GrayImage {
        let (w, h) = (1200, 1600);
        let mut img = GrayImage::new(w, h, 250);
        for line in 0..30 {
            let top = 100 + line * 45;
            for y in top..top + 14 {
                for x in 150..1050 {
                    // Words: gaps every 90 pixels.
                    if x % 90 > 12 {
                        img.pixels[y * w + x] = 20;
                    }
                }
            }
        }
        img
    }

    #[test]
    fn level_lines_measure_no_skew() {
        assert_eq!(estimate_skew(&lines_page()), 0.0);
    }

    #[test]
    fn skew_is_measured_and_removed() {
        // Turned clockwise: the lines descend to the right.
        let skewed = rotate(&lines_page(), -1.5);
        let angle = estimate_skew(&skewed);
        assert!((angle - 1.5).abs() <= 0.15, "measured {angle}");
        let fixed = preprocess(
            skewed,
            Preprocess {
                deskew: true,
                denoise: Denoise::Never,
                x_height: None,
            },
        );
        assert_eq!(fixed.skew, angle);
        assert_eq!(fixed.factor, 1.0);
        assert!(estimate_skew(&fixed.img).abs() <= 0.15);
    }

    #[test]
    fn blank_pages_are_told_from_pages_with_text() {
        assert!(is_blank(&GrayImage::new(800, 1000, 255)));
        assert!(!is_blank(&lines_page()));
    }

    #[test]
    fn a_blank_page_has_no_skew() {
        assert_eq!(estimate_skew(&GrayImage::new(800, 1000, 255)), 0.0);
    }

    #[test]
    fn median_removes_specks_and_keeps_strokes() {
        let mut img = GrayImage::new(20, 20, 255);
        img.pixels[5 * 20 + 5] = 0; // a speck
        for y in 8..14 {
            for x in 2..18 {
                img.pixels[y * 20 + x] = 0; // a stroke 6 pixels thick
            }
        }
        let out = median3(&img);
        assert_eq!(out.get(5, 5), 255);
        assert_eq!(out.get(10, 10), 0);
        assert_eq!(out.get(3, 9), 0);
    }
}
