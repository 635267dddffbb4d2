//! Document metadata: what the PDF says about itself (Info dictionary, XMP) and what its first
//! pages show (title in the largest type, thesis type, institution, author, advisor, year).

/// Metadata embedded in the PDF file itself, as found (already decoded to Unicode, not yet trusted).
/// Filled by [`crate::pdf`], read by the inference in this module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfInfo {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    /// `D:YYYYMMDDHHmmSS...` or an XMP date, as written in the file.
    pub creation_date: Option<String>,
    pub modification_date: Option<String>,
    /// `dc:title` from the XMP packet.
    pub xmp_title: Option<String>,
    /// `dc:creator` entries from the XMP packet.
    pub xmp_creators: Vec<String>,
    /// `xmp:CreateDate` from the XMP packet.
    pub xmp_create_date: Option<String>,
}

/// One visual line of the first pages, with the size of its type, for first-page heuristics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutLine {
    /// Normalised text of the line.
    pub text: String,
    /// Effective font size in points (text matrix and CTM applied), the largest on the line.
    pub font_size: f32,
    /// Zero-based page index.
    pub page: usize,
    /// Distance of the baseline from the top of the page, in points.
    pub top: f32,
    /// True when most of the line is in a bold font (name contains `Bold`, `-B`, `,Bold`...).
    pub bold: bool,
}
