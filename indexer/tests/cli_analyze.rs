//! `indexer analyze`: the JSON contract a librarian relies on to see what gets indexed.

use std::process::Command;

use serde_json::Value;

fn analyze(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .arg("analyze")
        .args(args)
        .output()
        .expect("run indexer");
    assert!(
        out.status.success(),
        "indexer analyze failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("analyze prints JSON")
}

fn tokens(v: &Value, field: &str) -> Vec<String> {
    v["fields"][field]
        .as_array()
        .unwrap_or_else(|| panic!("field {field} missing in {v}"))
        .iter()
        .map(|t| t["token"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn prints_every_field_for_vietnamese_text() {
    let v = analyze(&["Luận văn thạc sĩ: Đánh giá chất lượng nước sông Hồng, Thuỷ lợi"]);
    assert_eq!(v["language"], "vi");
    // Normalised (new-style tone moved), and offsets index into the normalised text.
    let normalized = v["normalized"].as_str().unwrap();
    assert!(normalized.ends_with("Thủy lợi"), "{normalized}");
    for t in v["fields"]["exact"].as_array().unwrap() {
        let (from, to) = (
            t["start_offset"].as_u64().unwrap() as usize,
            t["end_offset"].as_u64().unwrap() as usize,
        );
        let span = &normalized[from..to];
        assert_eq!(span.to_lowercase(), t["token"].as_str().unwrap());
    }
    assert_eq!(
        tokens(&v, "exact")[..4],
        ["luận", "văn", "thạc", "sĩ"].map(String::from)
    );
    assert_eq!(
        tokens(&v, "folded")[4..7],
        ["danh", "gia", "chat"].map(String::from)
    );
    // No pair across the colon.
    let pairs = tokens(&v, "pairs");
    assert!(pairs.contains(&"thac si".to_string()));
    assert!(!pairs.contains(&"si danh".to_string()), "{pairs:?}");
    assert!(tokens(&v, "stem_en").is_empty());
}

#[test]
fn english_text_gets_stems_and_stdin_works() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .args(["analyze", "-", "--compact"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run indexer");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Estimating generalized linear mixed models with random effects")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["language"], "en");
    let stems = tokens(&v, "stem_en");
    assert!(stems.contains(&"estim".to_string()), "{stems:?}");
    assert!(stems.contains(&"model".to_string()), "{stems:?}");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    // `indexer analyze - < chapter.txt | head`: the pipe closes after a few lines; the command
    // must stop without a panic message and without reporting a failure. The bundled records
    // (129 KB of Vietnamese text) give megabytes of token JSON, far more than a pipe buffer
    // holds, so the reader goes away while the command is still writing.
    use std::io::{Read, Write};
    let records = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../corpus/records/d2l-vi.jsonl"
    );
    let text = std::fs::read(records).expect("bundled records");
    let mut child = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .args(["analyze", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run indexer");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&text));
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .unwrap()
        .read_exact(&mut first)
        .expect("some output before closing");
    let out = child.wait_with_output().expect("wait for indexer");
    writer.join().unwrap().expect("indexer reads all its input");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(String::from_utf8_lossy(&first).contains("normalized"));
}
