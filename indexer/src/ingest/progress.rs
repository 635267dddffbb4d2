//! The progress bar of a run: files/s, pages/s and ETA on stderr.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether to draw a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// On stderr when it is a terminal.
    #[default]
    Auto,
    /// Never (`--quiet`, tests, servers logging to files).
    Hidden,
}

/// A progress bar over the PDFs to extract; hidden when asked or when stderr is not a terminal.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    pages: u64,
    records: u64,
    /// Whether the bar counts records (a harvest) rather than files.
    counts_records: bool,
}

impl Progress {
    pub fn new(mode: ProgressMode, files: u64) -> Progress {
        let visible = mode == ProgressMode::Auto && std::io::stderr().is_terminal();
        let target = if visible {
            ProgressDrawTarget::stderr_with_hz(4)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(files), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} files, {msg}, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        if visible {
            bar.enable_steady_tick(Duration::from_millis(250));
        }
        Progress {
            bar,
            started: Instant::now(),
            pages: 0,
            records: 0,
            counts_records: false,
        }
    }

    /// A bar over records, for a harvest: `total` when the repository says how many
    /// (`completeListSize`), which gives the ETA.
    pub fn records(mode: ProgressMode, total: Option<u64>) -> Progress {
        let mut p = Progress::new(mode, total.unwrap_or(0));
        p.counts_records = true;
        p.bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} records, {msg}, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        p
    }

    /// A handle another thread can use to set the total while this one counts.
    pub fn handle(&self) -> ProgressHandle {
        ProgressHandle {
            bar: self.bar.clone(),
        }
    }

    /// Records already done before this run (a resumed harvest).
    pub fn set_done(&self, done: u64) {
        self.bar.set_position(done);
        self.bar.reset_eta();
    }

    /// One PDF done (indexed or failed), with the pages it had.
    pub fn file_done(&mut self, pages: u64) {
        self.pages += pages;
        self.bar.inc(1);
        self.update_message();
    }

    /// One catalogue record done.
    pub fn record_done(&mut self) {
        self.records += 1;
        if self.counts_records {
            self.bar.inc(1);
        }
        if self.records % 256 == 0 {
            self.update_message();
        }
    }

    fn update_message(&self) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let mut msg = if self.counts_records {
            format!("{:.0} records/s", self.records as f64 / secs)
        } else {
            format!(
                "{:.1} files/s, {} pages, {:.0} pages/s",
                self.bar.position() as f64 / secs,
                self.pages,
                self.pages as f64 / secs
            )
        };
        if self.records > 0 && !self.counts_records {
            msg.push_str(&format!(", {} records", self.records));
        }
        self.bar.set_message(msg);
    }

    /// Prints a line above the bar (or on stderr when it is hidden and not quiet).
    pub fn println(&self, line: &str) {
        if !self.bar.is_hidden() {
            self.bar.println(line);
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Sets the length of a [`Progress`] bar from another thread.
#[derive(Debug, Clone)]
pub struct ProgressHandle {
    bar: ProgressBar,
}

impl ProgressHandle {
    /// The number of records the list holds, once the repository says.
    pub fn set_total(&self, total: u64) {
        self.bar.set_length(total);
    }
}
