//! An 8-bit grayscale page image and its PGM (binary `P5`) form, the one format passed between
//! pdftoppm, preprocessing and tesseract (all three speak it; no codec needed).

use super::OcrError;

/// 8-bit grayscale, row-major, 0 black, 255 white.
#[derive(Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for GrayImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GrayImage({}x{})", self.width, self.height)
    }
}

impl GrayImage {
    pub fn new(width: usize, height: usize, fill: u8) -> GrayImage {
        GrayImage {
            width,
            height,
            pixels: vec![fill; width * height],
        }
    }

    #[inline]
    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// Parses a binary PGM (`P5`, maxval 255), as `pdftoppm -gray` writes it.
    pub fn from_pgm(bytes: &[u8]) -> Result<GrayImage, OcrError> {
        let bad = |why: &str| OcrError::Image(format!("not an 8-bit PGM: {why}"));
        let mut fields = Vec::with_capacity(4);
        let mut i = 0;
        while fields.len() < 4 {
            // Header tokens are separated by white space; `#` starts a comment to end of line.
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'#') {
                if bytes[i] == b'#' {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                return Err(bad("short header"));
            }
            fields.push(&bytes[start..i]);
        }
        if fields[0] != b"P5" {
            return Err(bad("magic is not P5"));
        }
        let num = |f: &[u8]| -> Result<usize, OcrError> {
            std::str::from_utf8(f)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("bad number"))
        };
        let (width, height, maxval) = (num(fields[1])?, num(fields[2])?, num(fields[3])?);
        if maxval != 255 {
            return Err(bad("maxval is not 255"));
        }
        // Exactly one white-space byte separates the header from the pixels.
        let data = bytes.get(i + 1..).ok_or_else(|| bad("no pixels"))?;
        let n = width
            .checked_mul(height)
            .filter(|&n| n > 0)
            .ok_or_else(|| bad("empty or huge size"))?;
        if data.len() < n {
            return Err(bad("truncated pixels"));
        }
        Ok(GrayImage {
            width,
            height,
            pixels: data[..n].to_vec(),
        })
    }

    /// The image as a binary PGM.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgm_round_trips_and_comments_are_skipped() {
        let img = GrayImage {
            width: 3,
            height: 2,
            pixels: vec![0, 10, 20, 30, 40, 255],
        };
        assert_eq!(GrayImage::from_pgm(&img.to_pgm()).unwrap(), img);
        let mut commented = b"P5\n# made by hand\n3 2\n255\n".to_vec();
        commented.extend_from_slice(&img.pixels);
        assert_eq!(GrayImage::from_pgm(&commented).unwrap(), img);
    }

    #[test]
    fn malformed_images_are_errors() {
        assert!(GrayImage::from_pgm(b"P6\n1 1\n255\n\0\0\0").is_err());
        assert!(GrayImage::from_pgm(b"P5\n2 2\n255\n\0").is_err());
        assert!(GrayImage::from_pgm(b"P5\n2 2\n65535\n\0\0\0\0\0\0\0\0").is_err());
        assert!(GrayImage::from_pgm(b"P5\n").is_err());
    }
}
