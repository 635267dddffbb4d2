//! The OCR flags `add` and `extract` share.

use std::time::Duration;

use indexer::ocr::preprocess::Denoise;
use indexer::ocr::scale::DEFAULT_X_HEIGHT;
use indexer::ocr::{OcrMode, OcrOptions, Preprocess, DEFAULT_LANGS, DEFAULT_REORIENT_BELOW};

#[derive(Debug, Clone, clap::Args)]
pub struct OcrArgs {
    /// OCR of pages without text: `auto` (when tesseract is installed), `always` (every page,
    /// replacing its text layer), `never`.
    #[arg(long, default_value = "auto", value_name = "auto|always|never")]
    pub ocr: OcrMode,
    /// Tesseract languages, joined with '+'.
    #[arg(long, default_value = DEFAULT_LANGS)]
    pub ocr_lang: String,
    /// Time limit for each page, in seconds.
    #[arg(long, default_value_t = 120)]
    pub ocr_page_seconds: u64,
    /// Rendering resolution of page images.
    #[arg(long, default_value_t = 300, hide = true)]
    pub ocr_dpi: u32,
    /// Tesseract page segmentation mode.
    #[arg(long, default_value_t = 3, hide = true)]
    pub ocr_psm: u8,
    /// Read a page again with orientation detection when its mean word confidence is under
    /// this (0: never).
    #[arg(long, default_value_t = DEFAULT_REORIENT_BELOW, hide = true)]
    pub ocr_reorient_below: u8,
    /// Take scanned pages' own images from the PDF (false: render every page with pdftoppm).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub ocr_direct_images: bool,
    /// Deskew page images before recognition.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub ocr_deskew: bool,
    /// 3×3 median filter before recognition: auto (noisy pages), always, never.
    #[arg(long, default_value = "auto", hide = true)]
    pub ocr_denoise: Denoise,
    /// Shrink page images until their x-height is at most this many pixels (0: never).
    #[arg(long, default_value_t = DEFAULT_X_HEIGHT, hide = true)]
    pub ocr_x_height: u16,
    /// Memory limit of each tesseract process, in MB (0: none); a page over it fails alone.
    #[arg(long, default_value_t = 2048)]
    pub ocr_memory_mb: u64,
    /// Extra tesseract setting NAME=VALUE (repeatable).
    #[arg(long, value_name = "NAME=VALUE", hide = true)]
    pub ocr_config: Vec<String>,
}

impl OcrArgs {
    pub fn options(&self) -> anyhow::Result<OcrOptions> {
        let settings = self
            .ocr_config
            .iter()
            .map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .ok_or_else(|| anyhow::anyhow!("--ocr-config {kv:?}: expected NAME=VALUE"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(OcrOptions {
            mode: self.ocr,
            langs: self.ocr_lang.clone(),
            dpi: self.ocr_dpi,
            page_limit: Duration::from_secs(self.ocr_page_seconds.max(1)),
            preprocess: Preprocess {
                deskew: self.ocr_deskew,
                denoise: self.ocr_denoise,
                x_height: (self.ocr_x_height > 0).then_some(self.ocr_x_height),
            },
            psm: self.ocr_psm,
            settings,
            memory_limit: (self.ocr_memory_mb > 0).then_some(self.ocr_memory_mb << 20),
            reorient_below: (self.ocr_reorient_below > 0).then_some(self.ocr_reorient_below),
            direct_images: self.ocr_direct_images,
        })
    }
}
