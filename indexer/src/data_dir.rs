//! The layout of a data directory, shared by the `indexer` and `search-server` binaries.
//!
//! ```text
//! data/
//!   index/     the tantivy index (open it with crate::index::open)
//!   reports/   JSON reports of ingestion runs
//!   ocr/       OCR results by PDF content hash (crate::ocr::cache)
//!   model/     the sentence-embedding model, when one was imported (crate::model)
//!   vectors/   sentence vectors by content hash, when a model was imported (crate::vectors)
//! ```

use std::io::Write;
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

    /// Where the documents' sentence vectors live (with a model imported).
    pub fn vectors_dir(&self) -> PathBuf {
        self.root.join("vectors")
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

/// Writes `bytes` to `path` (its folder made if needed) through a temporary file in the same
/// folder, synced, then renamed over it: readers see the old file or the new one, never a part.
/// The file is readable by all (a temporary file is private, 0600; the server may run as
/// another user than the indexer).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
