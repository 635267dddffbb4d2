//! Text from a page image: the `tesseract` program, one process per page.
//!
//! A process rather than the library: a page that makes tesseract loop or crash takes only its
//! process down, the time limit is a kill, and its memory is returned to the system when it
//! exits, so a 300-page scan cannot grow the indexer. Start-up (loading the models) costs about
//! 0.1 s of the 1 to 2 s a page takes.

use std::process::Command;
use std::time::Duration;

use super::image::GrayImage;
use super::{process, OcrError};

/// How tesseract is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recogniser {
    /// Tesseract language codes joined with `+` (`vie+eng`).
    pub langs: String,
    /// Page segmentation mode (`--psm`); 3 is tesseract's default (automatic layout).
    pub psm: u8,
    /// Extra `-c name=value` settings.
    pub settings: Vec<(String, String)>,
    /// Address-space limit of each tesseract process in bytes, applied through util-linux's
    /// `prlimit` (`None`: no limit, or `prlimit` is missing). A page image that makes
    /// tesseract allocate without end then fails that page alone instead of pushing the
    /// machine into swap while every core runs a page.
    pub memory_limit: Option<u64>,
}

/// What tesseract read on a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recognised {
    /// Lines of words; a blank line between paragraphs. Not yet normalised.
    pub text: String,
    /// Number of words read.
    pub words: u32,
    /// Sum of the words' confidences (0 to 100 each), for a mean over many pages.
    pub confidence_sum: f64,
}

impl Recognised {
    /// Mean word confidence, 0 to 100; `None` without words.
    pub fn confidence(&self) -> Option<f64> {
        (self.words > 0).then(|| self.confidence_sum / f64::from(self.words))
    }
}

/// Largest TSV output accepted: a dense page is about 100 KB of it.
const MAX_OUTPUT: usize = 8 << 20;

impl Recogniser {
    /// Recognises `img`, rendered at `dpi`, killing tesseract after `limit`.
    pub fn recognise(
        &self,
        img: &GrayImage,
        dpi: u32,
        limit: Duration,
    ) -> Result<Recognised, OcrError> {
        let mut cmd = match self.memory_limit {
            // The limit is set by the kernel on the process itself (RLIMIT_AS): an allocation
            // over it fails and tesseract exits with an error; nothing is polled.
            Some(bytes) => {
                let mut c = Command::new("prlimit");
                c.arg(format!("--as={bytes}")).arg("--").arg("tesseract");
                c
            }
            None => Command::new("tesseract"),
        };
        cmd.args(["stdin", "stdout", "-l", &self.langs])
            .args(["--psm", &self.psm.to_string()])
            // PGM carries no resolution; without it tesseract guesses from the text size.
            .args(["--dpi", &dpi.to_string()]);
        for (k, v) in &self.settings {
            cmd.arg("-c").arg(format!("{k}={v}"));
        }
        cmd.arg("tsv")
            // One thread per process: the pipeline already runs one page per core, and
            // OpenMP threads on top of that only contend.
            .env("OMP_THREAD_LIMIT", "1");
        let out = process::run(
            "tesseract",
            &mut cmd,
            Some(&img.to_pgm()),
            limit,
            MAX_OUTPUT,
        )?;
        Ok(parse_tsv(&String::from_utf8_lossy(&out)))
    }
}

/// Text and confidence from tesseract's TSV output (`level page block par line word left top
/// width height conf text`): words of a line joined by spaces, lines by `\n`, paragraphs and
/// blocks by a blank line.
pub fn parse_tsv(tsv: &str) -> Recognised {
    let mut r = Recognised::default();
    let mut last: Option<(&str, &str, &str)> = None;
    for line in tsv.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let word = cols[11].trim();
        if word.is_empty() {
            continue;
        }
        let here = (cols[2], cols[3], cols[4]);
        match last {
            Some(prev) if prev == here => r.text.push(' '),
            Some(prev) if (prev.0, prev.1) == (here.0, here.1) => r.text.push('\n'),
            Some(_) => r.text.push_str("\n\n"),
            None => {}
        }
        last = Some(here);
        r.text.push_str(word);
        if let Ok(conf) = cols[10].parse::<f64>() {
            if conf >= 0.0 {
                r.words += 1;
                r.confidence_sum += conf;
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A blank A4 page at 300 dpi, as tesseract would get it.
    fn blank_page() -> GrayImage {
        GrayImage::new(2480, 3508, 255)
    }

    #[test]
    fn the_memory_limit_fails_the_page_instead_of_the_machine() {
        if Command::new("prlimit").arg("--version").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "prlimit (util-linux) is missing"
            );
            return;
        }
        let mut r = Recogniser {
            langs: "eng".into(),
            psm: 1,
            settings: Vec::new(),
            memory_limit: Some(2 << 30),
        };
        let limit = Duration::from_secs(60);
        let read = r.recognise(&blank_page(), 300, limit);
        assert!(read.is_ok(), "2 GiB is plenty for a page: {read:?}");
        // 8 MB of address space cannot even hold the language model.
        r.memory_limit = Some(8 << 20);
        match r.recognise(&blank_page(), 300, limit) {
            Err(OcrError::Failed { program, .. }) => assert_eq!(program, "tesseract"),
            other => panic!("expected the page to fail, got {other:?}"),
        }
    }

    #[test]
    fn tsv_gives_lines_paragraphs_and_mean_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
            4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t\n\
            5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tLuận\n\
            5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80\tvăn\n\
            5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tthạc\n\
            5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t95\t \n\
            5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t60\tsĩ\n";
        let r = parse_tsv(tsv);
        assert_eq!(r.text, "Luận văn\nthạc\n\nsĩ");
        assert_eq!(r.words, 4);
        assert_eq!(r.confidence(), Some(75.0));
        assert_eq!(parse_tsv("").confidence(), None);
    }
}
