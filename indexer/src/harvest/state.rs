//! What a collection remembers of its repository between harvests, in
//! `DATA_DIR/harvest/<collection>.json`: the source (URL, set, format), the newest datestamp a
//! completed harvest saw (the next one asks `from` it), and while a harvest runs, the list it
//! is walking and the resumption token after the last committed page.
//!
//! The file is replaced atomically (temporary file, fsync, rename) and only after the index
//! commit that holds the page's records, so after a crash the file never points past what the
//! index holds: a resumed harvest redoes at most the pages since the last commit, and redoing a
//! page is harmless (records replace by id, deletions are idempotent).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A collection's harvest state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HarvestState {
    /// The repository's base URL.
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    pub metadata_prefix: String,
    /// The repository's datestamp granularity (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`).
    pub granularity: String,
    #[serde(default)]
    pub repository_name: String,
    /// Whether full texts are downloaded.
    #[serde(default)]
    pub fulltext: bool,
    /// The newest record datestamp of the last completed harvest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_datestamp: Option<String>,
    /// When the last completed list began, by the repository's clock (the `responseDate` of
    /// its first page): anything changed after that is in the next harvest, which asks `from`
    /// it (less one granularity unit). Records changed while a list is walked, behind the
    /// point already walked, are caught that way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_from: Option<String>,
    /// When the last harvest completed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_completed: Option<String>,
    /// Identifiers of records whose full text could not be downloaded: the next harvest asks
    /// for them again (GetRecord) and retries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_fulltext: Vec<String>,
    /// The harvest under way, if one was interrupted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress: Option<InProgress>,
}

/// A list being walked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InProgress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The token that asks for the next page not yet committed (`None`: the first page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Records committed so far in this list.
    pub done: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_list_size: Option<u64>,
    /// The newest datestamp seen so far in this list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_datestamp: Option<String>,
    /// The `responseDate` of the list's first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
}

/// Why the state file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("harvest state {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("harvest state {path} is not valid: {reason} (remove it to start the collection's harvest afresh)")]
    Invalid { path: PathBuf, reason: String },
}

impl HarvestState {
    /// The state file of `collection`.
    pub fn path(data_dir: &crate::data_dir::DataDir, collection: &str) -> PathBuf {
        data_dir
            .root()
            .join("harvest")
            .join(format!("{collection}.json"))
    }

    /// The saved state, or `None` when the collection was never harvested.
    pub fn load(path: &Path) -> Result<Option<HarvestState>, StateError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StateError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StateError::Invalid {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })
    }

    /// Replaces the file atomically.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let io = |source| StateError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        let json = serde_json::to_vec_pretty(self).expect("state serialises");
        f.write_all(&json).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// Checks a `from`/`until` argument: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`.
pub fn check_datestamp(value: &str) -> Result<(), String> {
    if parse(value).is_some() {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an OAI-PMH datestamp: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)"
        ))
    }
}

/// `value` at the repository's `granularity`: a day-granular repository refuses times.
pub fn at_granularity(value: &str, granularity: &str) -> String {
    if day_granular(granularity) {
        value.get(..10).unwrap_or(value).to_string()
    } else {
        value.to_string()
    }
}

/// The datestamp one granularity unit before `value` (a day, or a second), at the
/// repository's granularity: the next harvest's `from`, which overlaps the last one by that
/// unit so that a record stamped in the same second (or day) as the newest one is not missed.
pub fn one_unit_before(value: &str, granularity: &str) -> Option<String> {
    let t = parse(value)?;
    if day_granular(granularity) {
        let d = t.date().previous_day()?;
        Some(format!(
            "{:04}-{:02}-{:02}",
            d.year(),
            d.month() as u8,
            d.day()
        ))
    } else {
        let t = t - time::Duration::seconds(1);
        Some(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    }
}

fn day_granular(granularity: &str) -> bool {
    !granularity.contains("hh")
}

fn parse(value: &str) -> Option<time::PrimitiveDateTime> {
    use time::macros::format_description;
    let v = value.trim();
    if v.len() == 10 {
        let d = time::Date::parse(v, format_description!("[year]-[month]-[day]")).ok()?;
        return Some(d.midnight());
    }
    time::PrimitiveDateTime::parse(
        v,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECONDS: &str = "YYYY-MM-DDThh:mm:ssZ";

    #[test]
    fn the_next_from_overlaps_by_one_unit() {
        assert_eq!(
            one_unit_before("2024-03-01", "YYYY-MM-DD").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            one_unit_before("2024-01-01T00:00:00Z", SECONDS).as_deref(),
            Some("2023-12-31T23:59:59Z")
        );
        assert_eq!(
            one_unit_before("2024-01-01T10:00:00Z", "YYYY-MM-DD").as_deref(),
            Some("2023-12-31")
        );
        assert_eq!(one_unit_before("yesterday", SECONDS), None);
    }

    #[test]
    fn datestamps_are_checked_and_cut_to_the_granularity() {
        assert!(check_datestamp("2024-02-29").is_ok());
        assert!(check_datestamp("2024-02-29T23:59:59Z").is_ok());
        for bad in ["2024-02-30", "2024-2-1", "2024-02-29 10:00", "20240229"] {
            assert!(check_datestamp(bad).is_err(), "{bad}");
        }
        assert_eq!(
            at_granularity("2024-02-29T23:59:59Z", "YYYY-MM-DD"),
            "2024-02-29"
        );
        assert_eq!(
            at_granularity("2024-02-29T23:59:59Z", SECONDS),
            "2024-02-29T23:59:59Z"
        );
    }

    #[test]
    fn state_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h").join("c.json");
        assert_eq!(HarvestState::load(&path).unwrap(), None);
        let s = HarvestState {
            url: "http://x/oai".into(),
            metadata_prefix: "oai_dc".into(),
            granularity: SECONDS.into(),
            in_progress: Some(InProgress {
                token: Some("t1".into()),
                done: 100,
                ..InProgress::default()
            }),
            ..HarvestState::default()
        };
        s.save(&path).unwrap();
        assert_eq!(HarvestState::load(&path).unwrap(), Some(s));
        std::fs::write(&path, "{").unwrap();
        assert!(matches!(
            HarvestState::load(&path),
            Err(StateError::Invalid { .. })
        ));
    }
}
