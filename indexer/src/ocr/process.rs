//! Running a helper program (pdftoppm, tesseract) with a time limit and a cap on what it may
//! print: a stuck or runaway child is killed, so one page can neither stall nor exhaust a batch.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use super::OcrError;

/// Standard error kept for the report: enough to say why, never a page of noise.
const STDERR_KEEP: u64 = 4 << 10;

/// Runs `cmd`, feeding `input` on its standard input, and returns its standard output.
/// Killed after `limit`; `TooLarge` when it prints more than `max_out` bytes.
pub(crate) fn run(
    program: &'static str,
    cmd: &mut Command,
    input: Option<&[u8]>,
    limit: Duration,
    max_out: usize,
) -> Result<Vec<u8>, OcrError> {
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|source| OcrError::Spawn { program, source })?;
    let stdin = child.stdin.take();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let (status, out, err) = std::thread::scope(|scope| {
        // The child may print before it has read all its input: feed and drain on their own
        // threads so neither pipe fills up and blocks the other.
        if let (Some(mut pipe), Some(bytes)) = (stdin, input) {
            scope.spawn(move || {
                // A child that stops reading early (it failed) closes the pipe: its exit
                // status tells why, so the write error adds nothing.
                let _ = pipe.write_all(bytes);
            });
        }
        let out = scope.spawn(move || {
            let mut buf = Vec::new();
            let r = (&mut stdout).take(max_out as u64 + 1).read_to_end(&mut buf);
            // Past the cap, keep draining so the child is never blocked on a full pipe
            // before it is killed or ends.
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
            r.map(|_| buf)
        });
        let err = scope.spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut stderr).take(STDERR_KEEP).read_to_end(&mut buf);
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            buf
        });
        let status = match child.wait_timeout(limit) {
            Ok(Some(status)) => Ok(status),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(OcrError::Timeout {
                    program,
                    seconds: limit.as_secs().max(1),
                })
            }
            Err(source) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(OcrError::Spawn { program, source })
            }
        };
        let out = out.join().unwrap_or_else(|_| Ok(Vec::new()));
        let err = err.join().unwrap_or_default();
        (status, out, err)
    });
    let status = status?;
    let out = out.map_err(|source| OcrError::Spawn { program, source })?;
    if !status.success() {
        return Err(OcrError::Failed {
            program,
            status: status.to_string(),
            stderr: String::from_utf8_lossy(&err).trim().to_string(),
        });
    }
    if out.len() > max_out {
        return Err(OcrError::TooLarge {
            program,
            limit: max_out,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_input_and_failure_are_reported() {
        let out = run(
            "cat",
            &mut Command::new("cat"),
            Some(b"page"),
            Duration::from_secs(10),
            100,
        )
        .unwrap();
        assert_eq!(out, b"page");
        let e = run(
            "cat",
            &mut Command::new("cat"),
            Some(b"0123456789"),
            Duration::from_secs(10),
            4,
        )
        .unwrap_err();
        assert!(matches!(e, OcrError::TooLarge { limit: 4, .. }), "{e}");
        let e = run(
            "sh",
            Command::new("sh").args(["-c", "echo broken >&2; exit 3"]),
            None,
            Duration::from_secs(10),
            100,
        )
        .unwrap_err();
        assert!(e.to_string().contains("broken"), "{e}");
    }

    #[test]
    fn a_child_over_its_time_limit_is_killed() {
        let started = std::time::Instant::now();
        let e = run(
            "sleep",
            Command::new("sleep").arg("30"),
            None,
            Duration::from_millis(200),
            100,
        )
        .unwrap_err();
        assert!(matches!(e, OcrError::Timeout { .. }), "{e}");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
