//! Pages that are one image (scans): the image taken out of the PDF as it is, for OCR.
//!
//! A scanner's PDF page is a single image drawn over the whole page. Rendering it with
//! pdftoppm parses the file again, decodes the image, draws it and converts it to gray: about
//! 0.3 s of the 1.5 s a page costs on bench/ocr's clean pages. Taking the image's own pixels
//! (decoding its JPEG or Flate data here) gives the same picture for a fraction of that.
//! Anything less plain is left to the renderer, which handles every case: a page with text,
//! vector drawing or several images; an image that is rotated, flipped, masked, in a colour
//! space other than gray or RGB, or in a bilevel codec (CCITT, JBIG2) or JPEG 2000.

use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::content::{inherited, page_box, Matrix};
use super::{obj, PdfError};

/// The largest image taken (pixels): a 600 dpi A3 scan. Larger pages go to the renderer,
/// which scales while it draws.
const MAX_PIXELS: usize = 70 << 20;

/// How far the image may stray from the page's edges, as a share of the page's size.
const EDGE_TOLERANCE: f32 = 0.02;

/// A page's image in 8-bit gray, with its resolution on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    pub width: usize,
    pub height: usize,
    /// Row-major, 0 black, 255 white.
    pub gray: Vec<u8>,
    /// Pixels per inch across the page.
    pub dpi: f32,
}

/// An open PDF whose one-image pages can be taken out.
pub struct ScanPages {
    doc: Document,
    pages: Vec<ObjectId>,
}

impl std::fmt::Debug for ScanPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ScanPages({} pages)", self.pages.len())
    }
}

impl ScanPages {
    /// Opens `path` (errors name the file).
    pub fn open(path: &Path) -> Result<ScanPages, PdfError> {
        let bytes = std::fs::read(path).map_err(|e| PdfError::Io(e).with_path(path))?;
        let doc = Document::load_mem(&bytes).map_err(|e| PdfError::from(e).with_path(path))?;
        let pages = doc.get_pages().into_values().collect();
        Ok(ScanPages { doc, pages })
    }

    /// The image of page `page` (1-based) when the page is one plain image covering it;
    /// `None` otherwise (render the page instead).
    pub fn image(&self, page: usize) -> Option<PageImage> {
        let id = *self.pages.get(page.checked_sub(1)?)?;
        let doc = &self.doc;
        let dict = doc.objects.get(&id)?.as_dict().ok()?;
        let rotate = inherited(doc, dict, b"Rotate")
            .and_then(obj::num)
            .unwrap_or(0.0);
        if (rotate as i64).rem_euclid(360) != 0 {
            return None;
        }
        let [llx, lly, urx, ury] = page_box(doc, dict);
        let (name, ctm) = single_image_draw(doc, dict)?;
        let [a, b, c, d, e, f] = ctm.0;
        let (w, h) = (urx - llx, ury - lly);
        let near = |x: f32, y: f32, size: f32| (x - y).abs() <= size * EDGE_TOLERANCE;
        // Upright, unflipped and covering the page: the image's rows are the page's rows.
        if b.abs() > 1e-3 * a.abs()
            || c.abs() > 1e-3 * d.abs()
            || a <= 0.0
            || d <= 0.0
            || !near(e, llx, w)
            || !near(f, lly, h)
            || !near(a, w, w)
            || !near(d, h, h)
        {
            return None;
        }
        let resources = inherited(doc, dict, b"Resources")?.as_dict().ok()?;
        let xobjects = obj::get_dict(doc, resources, b"XObject")?;
        let stream = obj::get_stream(doc, xobjects, &name)?;
        let (width, height, gray) = decode_image(doc, stream)?;
        let (dpi_x, dpi_y) = (width as f32 / (a / 72.0), height as f32 / (d / 72.0));
        // Square pixels only: tesseract is told one resolution.
        if (dpi_x - dpi_y).abs() > dpi_x * 0.02 {
            return None;
        }
        Some(PageImage {
            width,
            height,
            gray,
            dpi: dpi_x,
        })
    }
}

/// The name of the one image the page's content draws and the matrix it is drawn with, when
/// the content does nothing else that marks the page.
fn single_image_draw(doc: &Document, page: &Dictionary) -> Option<(Vec<u8>, Matrix)> {
    let mut data = Vec::new();
    match obj::get(doc, page, b"Contents")? {
        Object::Stream(s) => data = obj::stream_data(s, 1 << 20).ok()?,
        Object::Array(parts) => {
            for p in parts {
                if let Some(Object::Stream(s)) = obj::deref(doc, p) {
                    data.extend(obj::stream_data(s, 1 << 20).ok()?);
                    data.push(b'\n');
                }
            }
        }
        _ => return None,
    }
    let ops = Content::decode(&data).ok()?.operations;
    let (mut ctm, mut saved) = (Matrix::IDENTITY, Vec::new());
    let mut drawn = None;
    for op in &ops {
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(Matrix::IDENTITY),
            "cm" => {
                let v: Vec<f32> = op.operands.iter().filter_map(obj::num).collect();
                let m: [f32; 6] = v.try_into().ok()?;
                ctm = Matrix(m).then(&ctm);
            }
            "Do" if drawn.is_none() => {
                let name = op.operands.first()?.as_name().ok()?.to_vec();
                drawn = Some((name, ctm));
            }
            // Graphics state that changes no pixel of an image drawn without a mask.
            "w" | "J" | "j" | "M" | "d" | "ri" | "i" | "gs" => {}
            _ => return None,
        }
    }
    drawn
}

/// Width, height and gray pixels of a plain image XObject: 8-bit gray or RGB (or 1-bit gray)
/// in Flate, LZW or no compression, or a gray or colour JPEG.
fn decode_image(doc: &Document, s: &Stream) -> Option<(usize, usize, Vec<u8>)> {
    let dict = &s.dict;
    if obj::get_name(doc, dict, b"Subtype")? != b"Image"
        || dict.has(b"SMask")
        || dict.has(b"Mask")
        || matches!(
            obj::get(doc, dict, b"ImageMask"),
            Some(Object::Boolean(true))
        )
    {
        return None;
    }
    let width = obj::get_num(doc, dict, b"Width")? as usize;
    let height = obj::get_num(doc, dict, b"Height")? as usize;
    if width == 0 || height == 0 || width.checked_mul(height)? > MAX_PIXELS {
        return None;
    }
    let components = colour_components(doc, dict)?;
    let bits = obj::get_num(doc, dict, b"BitsPerComponent").unwrap_or(8.0) as u32;
    let inverted = match obj::get_array(doc, dict, b"Decode") {
        None => false,
        Some(d) => match obj::nums(doc, d).as_slice() {
            [0.0, 1.0] | [0.0, 1.0, 0.0, 1.0, 0.0, 1.0] => false,
            [1.0, 0.0] if components == 1 => true,
            _ => return None,
        },
    };
    let filters: Vec<&[u8]> = match obj::get(doc, dict, b"Filter") {
        None => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(a)) => a
            .iter()
            .map(|o| obj::deref(doc, o).and_then(|o| o.as_name().ok()))
            .collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let mut gray = match filters.as_slice() {
        [b"DCTDecode"] if bits == 8 => jpeg_gray(&s.content, width, height)?,
        f if f
            .iter()
            .all(|f| matches!(*f, b"FlateDecode" | b"LZWDecode"))
            && (bits == 8 || (bits == 1 && components == 1)) =>
        {
            let row = (width * components * bits as usize).div_ceil(8);
            // The limit holds for each filter's output: PNG predictors add a byte per row.
            let raw = s
                .get_plain_content_with_limit((row + 1) * height + 1024)
                .ok()?;
            if raw.len() < row * height {
                return None;
            }
            to_gray(&raw, width, height, components, bits)
        }
        _ => return None,
    };
    if inverted {
        gray.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Some((width, height, gray))
}

/// 1 for gray, 3 for RGB (device, calibrated or ICC-based); `None` for anything else.
fn colour_components(doc: &Document, dict: &Dictionary) -> Option<usize> {
    match obj::get(doc, dict, b"ColorSpace")? {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Some(1),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(3),
            _ => None,
        },
        Object::Array(a) => {
            let kind = obj::deref(doc, a.first()?)?.as_name().ok()?;
            match kind {
                b"ICCBased" => {
                    let profile = match obj::deref(doc, a.get(1)?)? {
                        Object::Stream(s) => s,
                        _ => return None,
                    };
                    match obj::get_num(doc, &profile.dict, b"N")? as usize {
                        n @ (1 | 3) => Some(n),
                        _ => None,
                    }
                }
                b"CalGray" => Some(1),
                b"CalRGB" => Some(3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A JPEG's luma, when it is gray or YCbCr/RGB of the size the PDF says.
fn jpeg_gray(data: &[u8], width: usize, height: usize) -> Option<Vec<u8>> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;

    let options = DecoderOptions::default()
        .set_max_width(width.max(1))
        .set_max_height(height.max(1))
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), options);
    decoder.decode_headers().ok()?;
    // CMYK and YCCK JPEGs (Adobe's inverted ones among them) are left to the renderer.
    if !matches!(
        decoder.input_colorspace()?,
        ColorSpace::Luma | ColorSpace::YCbCr | ColorSpace::RGB
    ) {
        return None;
    }
    let (w, h) = decoder.dimensions()?;
    if (w, h) != (width, height) {
        return None;
    }
    let pixels = decoder.decode().ok()?;
    (pixels.len() == width * height).then_some(pixels)
}

/// Gray pixels from rows of 8-bit gray or RGB samples, or of 1-bit gray (0 black).
fn to_gray(raw: &[u8], width: usize, height: usize, components: usize, bits: u32) -> Vec<u8> {
    let row = (width * components * bits as usize).div_ceil(8);
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        let r = &raw[y * row..(y + 1) * row];
        match (components, bits) {
            (1, 8) => out.extend_from_slice(&r[..width]),
            (3, 8) => out.extend(r[..width * 3].chunks_exact(3).map(|p| {
                // ITU-R BT.601 luma, as renderers convert RGB to gray.
                ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8)
                    as u8
            })),
            _ => out.extend((0..width).map(|x| {
                if r[x / 8] & (0x80 >> (x % 8)) != 0 {
                    255
                } else {
                    0
                }
            })),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A one-page PDF whose content is `content` and whose resources hold `image` as /Im0.
    fn pdf_with(image: Stream, content: &str, media: [i64; 4]) -> Document {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let image_id = doc.add_object(image);
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => media.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>(),
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn scan_pages(doc: Document) -> ScanPages {
        let pages = doc.get_pages().into_values().collect();
        ScanPages { doc, pages }
    }

    /// A 72 × 144 RGB image, red on its left half and white on its right, Flate-compressed.
    fn rgb_image() -> Stream {
        let mut px = Vec::new();
        for _ in 0..144 {
            for x in 0..72 {
                px.extend_from_slice(if x < 36 {
                    &[255, 0, 0]
                } else {
                    &[255, 255, 255]
                });
            }
        }
        let mut s = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 72, "Height" => 144,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
            },
            px,
        );
        s.compress().unwrap();
        s
    }

    #[test]
    fn a_scanned_page_gives_its_image_in_gray_at_its_resolution() {
        // One inch by two: 72 pixels across is 72 dpi.
        let doc = pdf_with(
            rgb_image(),
            "q 72 0 0 144 0 0 cm /Im0 Do Q",
            [0, 0, 72, 144],
        );
        let img = scan_pages(doc)
            .image(1)
            .expect("one image covering the page");
        assert_eq!((img.width, img.height), (72, 144));
        assert!((img.dpi - 72.0).abs() < 0.01);
        assert_eq!(img.gray[0], 77, "red is dark gray");
        assert_eq!(img.gray[71], 255);
        assert_eq!(img.gray.len(), 72 * 144);
    }

    #[test]
    fn pages_that_are_more_than_an_image_are_left_to_the_renderer() {
        let cases = [
            // Text over the image (an OCR'd scan, a stamped page).
            "q 72 0 0 144 0 0 cm /Im0 Do Q BT /F1 12 Tf (x) Tj ET",
            // The image covers half of the page.
            "q 36 0 0 72 0 0 cm /Im0 Do Q",
            // Turned a quarter.
            "q 0 144 -72 0 72 0 cm /Im0 Do Q",
            // Flipped upside down.
            "q 72 0 0 -144 0 144 cm /Im0 Do Q",
            // Drawn twice.
            "q 72 0 0 144 0 0 cm /Im0 Do Q q 72 0 0 144 0 0 cm /Im0 Do Q",
            // Nothing drawn.
            "q Q",
        ];
        for content in cases {
            let doc = pdf_with(rgb_image(), content, [0, 0, 72, 144]);
            assert_eq!(scan_pages(doc).image(1), None, "{content}");
        }
        let mut rotated = pdf_with(
            rgb_image(),
            "q 72 0 0 144 0 0 cm /Im0 Do Q",
            [0, 0, 72, 144],
        );
        let page = *rotated.get_pages().values().next().unwrap();
        rotated
            .get_object_mut(page)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Rotate", 90);
        assert_eq!(scan_pages(rotated).image(1), None, "/Rotate 90");
    }

    #[test]
    fn masked_and_unusual_images_are_left_to_the_renderer() {
        let cmyk = {
            let mut s = rgb_image();
            s.dict.set("ColorSpace", "DeviceCMYK");
            s
        };
        let masked = {
            let mut s = rgb_image();
            s.dict.set("SMask", Object::Reference((99, 0)));
            s
        };
        let fax = {
            let mut s = rgb_image();
            s.dict.set("Filter", "CCITTFaxDecode");
            s
        };
        for image in [cmyk, masked, fax] {
            let doc = pdf_with(image, "q 72 0 0 144 0 0 cm /Im0 Do Q", [0, 0, 72, 144]);
            assert_eq!(scan_pages(doc).image(1), None);
        }
    }

    #[test]
    fn one_bit_gray_images_expand_with_their_decode_array() {
        // 16 × 2 pixels: the first byte of each row black (0), the second white.
        let bits = vec![0x00, 0xFF, 0x00, 0xFF];
        let image = |decode: Option<Vec<Object>>| {
            let mut d = dictionary! {
                "Subtype" => "Image", "Width" => 16, "Height" => 2,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1,
            };
            if let Some(a) = decode {
                d.set("Decode", a);
            }
            let mut s = Stream::new(d, bits.clone());
            s.compress().unwrap();
            s
        };
        let take = |s| {
            let doc = pdf_with(s, "16 0 0 2 0 0 cm /Im0 Do", [0, 0, 16, 2]);
            scan_pages(doc).image(1).expect("a 1-bit scan")
        };
        let plain = take(image(None));
        assert_eq!(&plain.gray[..16], &[[0u8; 8], [255u8; 8]].concat()[..]);
        let inverted = take(image(Some(vec![1.into(), 0.into()])));
        assert_eq!(&inverted.gray[..16], &[[255u8; 8], [0u8; 8]].concat()[..]);
    }
}
