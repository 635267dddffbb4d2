//! `--metadata FILE`: a librarian's corrections, one row per PDF, keyed by `file` (the file name
//! or its path relative to the folder given to `indexer add`). A row's fields replace what
//! extraction found.

use std::collections::HashMap;
use std::path::Path;

use super::records::{for_each_row, RecordFields};
use super::IngestError;

/// The rows of an override file, by key.
#[derive(Debug, Default)]
pub struct Overrides {
    rows: Vec<(u64, String, RecordFields)>,
    by_key: HashMap<String, usize>,
    used: Vec<bool>,
    /// Rows that could not be read, and other problems, as `file:line: reason`.
    pub warnings: Vec<String>,
}

fn normalize_key(k: &str) -> String {
    let k = k.trim().replace('\\', "/");
    k.trim_start_matches("./").to_string()
}

impl Overrides {
    /// Reads an override file (JSONL or CSV). Bad rows become warnings; an unreadable file is
    /// an error, because running without the corrections the librarian asked for would be wrong.
    pub fn load(path: &Path) -> Result<Overrides, IngestError> {
        let mut o = Overrides::default();
        let mut unknown_reported = std::collections::HashSet::new();
        let shown = path.display().to_string();
        for_each_row::<IngestError>(path, |line, row| {
            let map = match row {
                Ok(m) => m,
                Err(reason) => {
                    o.warnings.push(format!("{shown}:{line}: {reason}"));
                    return Ok(());
                }
            };
            let key = map
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("file"))
                .and_then(|(_, v)| v.as_str())
                .map(normalize_key)
                .filter(|k| !k.is_empty());
            let Some(key) = key else {
                o.warnings
                    .push(format!("{shown}:{line}: no `file` naming the PDF"));
                return Ok(());
            };
            match RecordFields::from_map(&map, &["file"]) {
                Ok((fields, unknown)) => {
                    for u in unknown {
                        if unknown_reported.insert(u.clone()) {
                            o.warnings
                                .push(format!("{shown}:{line}: unknown field {u:?} ignored"));
                        }
                    }
                    if fields.text.is_some() || fields.id.is_some() {
                        o.warnings.push(format!(
                            "{shown}:{line}: `id` and `text` cannot be overridden for PDFs; ignored"
                        ));
                    }
                    let fields = RecordFields {
                        id: None,
                        text: None,
                        ..fields
                    };
                    if let Some(prev) = o.by_key.insert(key.clone(), o.rows.len()) {
                        o.warnings.push(format!(
                            "{shown}:{line}: {key} already given at line {}; the later row wins",
                            o.rows[prev].0
                        ));
                    }
                    o.rows.push((line, key, fields));
                    o.used.push(false);
                }
                Err(reason) => o.warnings.push(format!("{shown}:{line}: {reason}")),
            }
            Ok(())
        })?;
        Ok(o)
    }

    /// The row for a PDF with this relative path: an exact relative-path key first, else a key
    /// equal to its file name.
    pub fn lookup(&mut self, relative: &str) -> Option<&RecordFields> {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let idx = *self
            .by_key
            .get(relative)
            .or_else(|| self.by_key.get(name))?;
        self.used[idx] = true;
        Some(&self.rows[idx].2)
    }

    /// Warnings for rows that matched no PDF of the run (a typo in a file name).
    pub fn unused(&self, file: &Path) -> Vec<String> {
        self.rows
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|((line, key, _), _)| {
                format!(
                    "{}:{line}: {key} matched no PDF of this run",
                    file.display()
                )
            })
            .collect()
    }
}
