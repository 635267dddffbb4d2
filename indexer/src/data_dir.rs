//! The layout of a data directory, shared by the `indexer` and `search-server` binaries.
//!
//! ```text
//! data/
//!   index/     the tantivy index (open it with crate::index::open)
//!   reports/   JSON reports of ingestion runs
//!   ocr/       OCR results by PDF content hash (crate::ocr::cache)
//!   model/     the sentence-embedding model, when one was imported (crate::model)
//! ```

use std::path::{Path, PathBuf};

/// Default data directory, relative to the current directory.
pub const DEFAULT: &str = "data";

/// A data directory (it may not exist yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the tantivy index lives.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    /// Where OCR results are cached.
    pub fn ocr_dir(&self) -> PathBuf {
        self.root.join("ocr")
    }

    /// Where the imported sentence-embedding model lives.
    pub fn model_dir(&self) -> PathBuf {
        self.root.join("model")
    }

    /// Where ingestion reports are written.
    pub fn reports_dir(&self) -> PathBuf {
        self.root.join("reports")
    }
}

impl Default for DataDir {
    fn default() -> Self {
        DataDir::new(DEFAULT)
    }
}
