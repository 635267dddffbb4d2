//! Collection names and document ids.
//!
//! Ids must be unique in the whole index and usable as one URL path segment
//! (`/api/documents/{id}`), so they never contain `/`. The scheme:
//!
//! - a catalogue record keeps its own id `R` (the API and users refer to records by the id of
//!   their catalogue); a record id already used by another collection is refused for the
//!   second one instead of silently replacing the first;
//! - a PDF gets `C~H`, where `H` is the first 16 hex digits of blake3(`C` NUL relative path), so
//!   the id is stable across runs and machines as long as the file keeps its place in the folder
//!   given to `indexer add`.
//!
//! Collection names contain no `~`, so a PDF id names its collection.

use super::IngestError;

/// Longest collection name accepted, in characters.
pub const MAX_COLLECTION_CHARS: usize = 64;
/// Longest record id accepted, in bytes.
pub const MAX_RECORD_ID_BYTES: usize = 200;

/// Checks a collection name: letters (any script), digits, `-`, `_` and `.`; not starting with
/// `.` or `-`; at most [`MAX_COLLECTION_CHARS`] characters.
pub fn validate_collection(name: &str) -> Result<(), IngestError> {
    let err = |reason| {
        Err(IngestError::Collection {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() {
        return err("it is empty");
    }
    if name.chars().count() > MAX_COLLECTION_CHARS {
        return err("it is longer than 64 characters");
    }
    if name.starts_with(['.', '-']) {
        return err("it starts with '.' or '-'");
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return err("only letters, digits, '-', '_' and '.' are allowed");
    }
    Ok(())
}

/// Checks a record's own id: no white space, no control characters and none of `/ ? # %`
/// (they would have to be escaped in URLs and `/` cannot be escaped reliably through proxies).
pub fn validate_record_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("empty id".into());
    }
    if id.len() > MAX_RECORD_ID_BYTES {
        return Err(format!("id longer than {MAX_RECORD_ID_BYTES} bytes"));
    }
    if let Some(c) = id
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '%'))
    {
        return Err(format!(
            "id {id:?} contains {c:?}; ids may not contain white space or / ? # %"
        ));
    }
    Ok(())
}

/// The index id of a catalogue record: its own id.
pub fn record_id(id: &str) -> String {
    id.to_string()
}

/// The index id of a PDF, from its collection and its path relative to the folder it was found
/// in (`/`-separated).
pub fn pdf_id(collection: &str, relative_path: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(collection.as_bytes());
    h.update(&[0]);
    h.update(relative_path.as_bytes());
    let hex = h.finalize().to_hex();
    format!("{collection}~{}", &hex[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_names() {
        assert!(validate_collection("luan-van_2024").is_ok());
        assert!(validate_collection("thư.viện").is_ok());
        for bad in ["", "a/b", "a:b", "a~b", "a b", ".hidden", "-x"] {
            assert!(validate_collection(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ids_are_stable_and_url_safe() {
        let a = pdf_id("vi", "sub/x.pdf");
        assert_eq!(a, pdf_id("vi", "sub/x.pdf"));
        assert_ne!(a, pdf_id("en", "sub/x.pdf"));
        assert!(a.starts_with("vi~") && a.len() == 3 + 16 && !a.contains('/'));
        assert_eq!(record_id("LV-2019-001"), "LV-2019-001");
        assert!(validate_record_id("a/b").is_err());
        assert!(validate_record_id("a b").is_err());
        assert!(validate_record_id("VN:2019.01").is_ok());
    }
}
