//! HTTP for the harvester: one blocking request at a time (which is the politeness the OAI-PMH
//! guidelines ask for), with retries on what a busy or flaky repository does: `503`/`429` with
//! `Retry-After` (seconds or an HTTP date), other 5xx, timeouts and reset connections, each
//! retried with exponential back-off.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use ureq::Agent;

/// How patient the harvester is.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Limit for a whole request, body included.
    pub timeout: Duration,
    /// Tries per request before giving up (at least 1).
    pub attempts: u32,
    /// The longest wait between two tries, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// The first back-off; it doubles with each failed try.
    pub first_wait: Duration,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(120),
            attempts: 8,
            max_wait: Duration::from_secs(300),
            first_wait: Duration::from_secs(1),
        }
    }
}

/// Why a request failed for good.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{url}: gave up after {attempts} tries; the last one: {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
    #[error("{url}: HTTP {status}{}", if body.is_empty() { String::new() } else { format!(": {body}") })]
    Status {
        url: String,
        status: u16,
        /// The start of the body, which often says why.
        body: String,
    },
    #[error("{url}: larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: {reason}")]
    Other { url: String, reason: String },
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// A response that came back (any status but the retried ones).
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Tries it took (1 when the first one answered).
    pub tries: u32,
}

/// The blocking client.
#[derive(Debug, Clone)]
pub struct Client {
    agent: Agent,
    opts: HttpOptions,
}

/// What one try gave.
enum Try<T> {
    Done(T),
    /// Worth another try after this long (or the back-off when `None`).
    Again(Option<Duration>, String),
    Fail(HttpError),
}

impl Client {
    pub fn new(opts: HttpOptions) -> Client {
        let agent: Agent = Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(concat!(
                "vn-scholar-search-indexer/",
                env!("CARGO_PKG_VERSION"),
                " (OAI-PMH harvester)"
            ))
            .build()
            .into();
        Client { agent, opts }
    }

    /// GETs `url` with `params` and returns the body (at most `limit` bytes) of any answer but
    /// the ones worth retrying.
    pub fn get(
        &self,
        url: &str,
        params: &[(&str, &str)],
        limit: u64,
    ) -> Result<Fetched, HttpError> {
        self.with_retries(url, |tries| {
            let mut req = self.agent.get(url);
            for (k, v) in params {
                req = req.query(*k, *v);
            }
            match req.call() {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    if let Some(again) = retry_status(status, &resp) {
                        return again;
                    }
                    let content_type = header(&resp, "content-type");
                    match resp.body_mut().with_config().limit(limit).read_to_vec() {
                        Ok(body) => Try::Done(Fetched {
                            status,
                            content_type,
                            body,
                            tries,
                        }),
                        Err(ureq::Error::BodyExceedsLimit(_)) => Try::Fail(HttpError::TooLarge {
                            url: url.to_string(),
                            limit,
                        }),
                        Err(e) => transport(url, e),
                    }
                }
                Err(e) => transport(url, e),
            }
        })
    }

    /// Downloads `url` into `dest` (at most `limit` bytes); returns the bytes written and the
    /// content type. A non-2xx answer is an error.
    pub fn download(&self, url: &str, dest: &Path, limit: u64) -> Result<(u64, String), HttpError> {
        self.with_retries(url, |_| {
            let mut resp = match self.agent.get(url).call() {
                Ok(r) => r,
                Err(e) => return transport(url, e),
            };
            let status = resp.status().as_u16();
            if let Some(again) = retry_status(status, &resp) {
                return again;
            }
            if !(200..300).contains(&status) {
                return Try::Fail(HttpError::Status {
                    url: url.to_string(),
                    status,
                    body: String::new(),
                });
            }
            let content_type = header(&resp, "content-type");
            let write_err = |source| {
                Try::Fail(HttpError::Write {
                    path: dest.display().to_string(),
                    source,
                })
            };
            let mut file = match std::fs::File::create(dest) {
                Ok(f) => f,
                Err(e) => return write_err(e),
            };
            // The limit is counted here rather than by ureq, whose overrun is an io::Error that
            // could only be told from a broken connection by its message.
            let mut reader = resp.body_mut().with_config().limit(u64::MAX).reader();
            let mut buf = vec![0u8; 64 << 10];
            let mut total = 0u64;
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        let _ = std::fs::remove_file(dest);
                        return Try::Again(None, format!("reading the body: {e}"));
                    }
                };
                total += n as u64;
                if total > limit {
                    let _ = std::fs::remove_file(dest);
                    return Try::Fail(HttpError::TooLarge {
                        url: url.to_string(),
                        limit,
                    });
                }
                if let Err(e) = file.write_all(&buf[..n]) {
                    return write_err(e);
                }
            }
            if let Err(e) = file.sync_all() {
                return write_err(e);
            }
            Try::Done((total, content_type))
        })
    }

    fn with_retries<T>(
        &self,
        url: &str,
        mut once: impl FnMut(u32) -> Try<T>,
    ) -> Result<T, HttpError> {
        let attempts = self.opts.attempts.max(1);
        let mut wait = self.opts.first_wait;
        let mut last = String::new();
        for tries in 1..=attempts {
            match once(tries) {
                Try::Done(t) => return Ok(t),
                Try::Fail(e) => return Err(e),
                Try::Again(asked, why) => {
                    last = why;
                    if tries == attempts {
                        break;
                    }
                    let pause = asked.unwrap_or(wait).min(self.opts.max_wait);
                    tracing::warn!(url, tries, wait_s = pause.as_secs_f64(), reason = %last, "retrying");
                    std::thread::sleep(pause);
                    wait = (wait * 2).min(self.opts.max_wait);
                }
            }
        }
        Err(HttpError::GaveUp {
            url: url.to_string(),
            attempts,
            last,
        })
    }
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// `Some` when the status is one a repository uses to say "later".
fn retry_status<T>(status: u16, resp: &ureq::http::Response<ureq::Body>) -> Option<Try<T>> {
    match status {
        503 | 429 => {
            let after = retry_after(&header(resp, "retry-after"), SystemTime::now());
            Some(Try::Again(after, format!("HTTP {status} (busy)")))
        }
        500 | 502 | 504 => Some(Try::Again(None, format!("HTTP {status}"))),
        _ => None,
    }
}

/// Timeouts, refused and reset connections are worth retrying; a bad URL or TLS failure not.
fn transport<T>(url: &str, e: ureq::Error) -> Try<T> {
    match e {
        ureq::Error::Timeout(_)
        | ureq::Error::Io(_)
        | ureq::Error::ConnectionFailed
        | ureq::Error::HostNotFound
        | ureq::Error::Protocol(_) => Try::Again(None, e.to_string()),
        other => Try::Fail(HttpError::Other {
            url: url.to_string(),
            reason: other.to_string(),
        }),
    }
}

/// A `Retry-After` value: seconds, or an HTTP date.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("", now), None);
    }
}
