//! OCR results kept on disk, keyed by the PDF's content hash, the recognition settings and the
//! page, so that adding an unchanged file again (to another collection, after `remove`, after
//! a metadata override changed, or after an interrupted run) never recognises a page twice.
//!
//! ```text
//! DATA_DIR/ocr/<first 2 hex>/<blake3 of the PDF>/<settings key>/<page>.json
//! ```
//!
//! One small file per page: an interrupted run keeps every page it finished, and a file is
//! written under a temporary name and renamed, so a reader never sees half of one.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::OcrError;
use crate::data_dir::write_atomic;

/// One page's cached result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPage {
    /// Normalised text.
    pub text: String,
    pub words: u32,
    pub confidence_sum: f64,
}

/// The cache folder of a data directory.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        Cache { root: root.into() }
    }

    /// Where page `page` of the PDF with hash `pdf_hash` is kept; `None` when the hash is not
    /// a plain hex string (it becomes a folder name).
    fn path(&self, pdf_hash: &str, key: &str, page: usize) -> Option<PathBuf> {
        let plain = |s: &str| s.len() >= 8 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !plain(pdf_hash) || !plain(key) {
            return None;
        }
        Some(
            self.root
                .join(&pdf_hash[..2])
                .join(pdf_hash)
                .join(key)
                .join(format!("{page}.json")),
        )
    }

    /// The cached result, if any. An unreadable entry counts as absent (it is redone).
    pub fn get(&self, pdf_hash: &str, key: &str, page: usize) -> Option<CachedPage> {
        let bytes = std::fs::read(self.path(pdf_hash, key, page)?).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn put(
        &self,
        pdf_hash: &str,
        key: &str,
        page: usize,
        value: &CachedPage,
    ) -> Result<(), OcrError> {
        let Some(path) = self.path(pdf_hash, key, page) else {
            return Ok(());
        };
        write_atomic(&path, &serde_json::to_vec(value).unwrap_or_default())
            .map_err(|source| OcrError::Cache { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_by_hash_settings_and_page() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let (hash, key) = ("ab12cd34ef56", "0123456789abcdef");
        let page = CachedPage {
            text: "Tóm tắt luận văn".into(),
            words: 4,
            confidence_sum: 360.5,
        };
        assert_eq!(cache.get(hash, key, 3), None);
        cache.put(hash, key, 3, &page).unwrap();
        assert_eq!(cache.get(hash, key, 3), Some(page));
        assert_eq!(cache.get(hash, key, 4), None);
        assert_eq!(cache.get(hash, "fedcba9876543210", 3), None);
        assert!(dir
            .path()
            .join("ab")
            .join(hash)
            .join(key)
            .join("3.json")
            .is_file());
    }

    #[test]
    fn names_that_are_not_hashes_are_never_paths() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("ocr"));
        let page = CachedPage {
            text: String::new(),
            words: 0,
            confidence_sum: 0.0,
        };
        cache
            .put("../../etc/x", "0123456789abcdef", 1, &page)
            .unwrap();
        assert_eq!(cache.get("../../etc/x", "0123456789abcdef", 1), None);
        assert!(!dir.path().join("ocr").exists());
    }
}
