//! Finding the inputs of a run: PDFs in the files and folders given, and record files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::records::RecordFormat;

/// One input file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A PDF, with its path relative to the folder it was found in (`/`-separated), or its file
    /// name when given directly. The relative path makes the document id.
    Pdf { path: PathBuf, relative: String },
    /// A JSON Lines or CSV file of catalogue records.
    Records { path: PathBuf },
    /// Something that cannot be ingested, with the reason.
    Unusable { path: PathBuf, reason: String },
}

/// Whether folders yield record files too (`ingest_corpus_if_empty`) or PDFs only (`add`,
/// where a stray CSV in a folder of theses is more likely a spreadsheet than a catalogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderRecords {
    Skip,
    Include,
}

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Lists the inputs under `paths`, in a deterministic order (each folder sorted by relative
/// path). Folders are walked recursively, skipping hidden entries; symbolic links are followed
/// but a folder already visited (a link loop, or a link to a sibling) is not walked again, and
/// the same file reached twice is listed once.
pub fn discover(paths: &[PathBuf], records_in_folders: FolderRecords) -> Vec<Input> {
    let mut out = Vec::new();
    let mut seen_files = HashSet::new();
    let mut seen_dirs = HashSet::new();
    for given in paths {
        let meta = match std::fs::metadata(given) {
            Ok(m) => m,
            Err(e) => {
                out.push(Input::Unusable {
                    path: given.clone(),
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(given, "", &mut seen_dirs, &mut found, records_in_folders);
            found.sort_by(|a, b| a.0.cmp(&b.0));
            for (relative, path) in found {
                if !seen_files.insert(canonical(&path)) {
                    continue;
                }
                if is_pdf(&path) {
                    out.push(Input::Pdf { path, relative });
                } else {
                    out.push(Input::Records { path });
                }
            }
        } else {
            if !seen_files.insert(canonical(given)) {
                continue;
            }
            if is_pdf(given) {
                let relative = given
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push(Input::Pdf {
                    path: given.clone(),
                    relative,
                });
            } else if RecordFormat::of(given).is_some() {
                out.push(Input::Records {
                    path: given.clone(),
                });
            } else {
                out.push(Input::Unusable {
                    path: given.clone(),
                    reason: "not a PDF, .jsonl or .csv file".into(),
                });
            }
        }
    }
    out
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn walk(
    dir: &Path,
    prefix: &str,
    seen_dirs: &mut HashSet<PathBuf>,
    found: &mut Vec<(String, PathBuf)>,
    records: FolderRecords,
) {
    if !seen_dirs.insert(canonical(dir)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        tracing::warn!(dir = %dir.display(), "cannot list folder");
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if is_hidden(&name) {
            continue;
        }
        let path = entry.path();
        let relative = format!("{prefix}{}", name.to_string_lossy());
        // fs::metadata follows links, so a link to a folder is walked (once, see seen_dirs).
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, &format!("{relative}/"), seen_dirs, found, records);
        } else if meta.is_file()
            && (is_pdf(&path)
                || (records == FolderRecords::Include && RecordFormat::of(&path).is_some()))
        {
            found.push((relative, path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn walks_recursively_skipping_hidden_and_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "a/x.pdf",
            "a/b/y.PDF",
            ".git/z.pdf",
            "a/.hidden.pdf",
            "a/notes.txt",
        ] {
            std::fs::write(root.join(f), b"%PDF").unwrap();
        }
        std::fs::write(root.join("a/r.jsonl"), b"{}").unwrap();
        std::os::unix::fs::symlink(root, root.join("a/b/loop")).unwrap();
        let got = discover(&[root.to_path_buf()], FolderRecords::Skip);
        let rel: Vec<_> = got
            .iter()
            .map(|i| match i {
                Input::Pdf { relative, .. } => relative.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rel, ["a/b/y.PDF", "a/x.pdf"]);
        let with_records = discover(&[root.to_path_buf()], FolderRecords::Include);
        assert_eq!(with_records.len(), 3);
    }
}
