//! The OCR flags `add` and `extract` share.

use std::time::Duration;

use indexer::ocr::{OcrMode, OcrOptions, Preprocess, DEFAULT_LANGS};

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
    #[arg(long, default_value_t = 1, hide = true)]
    pub ocr_psm: u8,
    /// Deskew page images before recognition.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub ocr_deskew: bool,
    /// 3×3 median filter before recognition.
    #[arg(long, default_value_t = false, action = clap::ArgAction::Set, hide = true)]
    pub ocr_denoise: bool,
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
            },
            psm: self.ocr_psm,
            settings,
            memory_limit: (self.ocr_memory_mb > 0).then_some(self.ocr_memory_mb << 20),
        })
    }
}
