//! Opening the index: the one function both binaries use.
//!
//! tantivy stores the schema in the index but not the analyzers: an index opened without
//! [`crate::analysis::register`] would fall back to tantivy's default tokenizer for queries
//! and silently disagree with what was indexed. [`open`] is therefore the only way this
//! project opens an index, and it registers the analyzers and checks the schema every time.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::Index;

use crate::analysis;
use crate::schema::{build_schema, Fields, SchemaMismatch};

/// An opened index with its analyzers registered and its field handles resolved.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// Why an index could not be opened. Every variant names the directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot create index directory {path}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open index in {path}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("index in {path} is incompatible")]
    Schema {
        path: PathBuf,
        #[source]
        source: SchemaMismatch,
    },
}

/// Opens the index in `dir`, creating the directory and an empty index when there is none.
pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
    std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let tantivy_err = |source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    };
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_err(e.into()))?;
    let (schema, _) = build_schema();
    let index = Index::open_or_create(directory, schema).map_err(|e| match e {
        tantivy::TantivyError::SchemaError(msg) => IndexError::Schema {
            path: dir.to_path_buf(),
            source: SchemaMismatch {
                field: msg,
                problem: "differs",
            },
        },
        other => tantivy_err(other),
    })?;
    finish(index, dir)
}

/// An empty index in memory, for tests and one-off tools.
pub fn create_in_ram() -> SearchIndex {
    let (schema, fields) = build_schema();
    let index = Index::create_in_ram(schema);
    analysis::register(index.tokenizers());
    SearchIndex { index, fields }
}

fn finish(index: Index, dir: &Path) -> Result<SearchIndex, IndexError> {
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&index.schema()).map_err(|source| IndexError::Schema {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(SearchIndex { index, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_then_reopens_with_analyzers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let first = open(&path).unwrap();
        drop(first);
        let again = open(&path).unwrap();
        for name in analysis::ALL {
            assert!(again.index.tokenizers().get(name).is_some(), "{name}");
        }
    }
}
