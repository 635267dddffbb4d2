//! What one server process takes on at once: body sizes, and [`Limits`] on the requests and
//! uploads answered at the same time, enforced by a gate in front of the routes that makes a
//! burst wait briefly and then answers 503 with `Retry-After` rather than exhausting threads,
//! memory or disk.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Body limit of uploads.
pub const UPLOAD_LIMIT: usize = 100 << 20;
/// Body limit of every other request.
pub const BODY_LIMIT: usize = 64 << 10;

/// How much one server process takes on at once. Requests over a bound wait up to
/// `queue_wait` for a slot, then get a 503 with `Retry-After`, so a burst slows answers down
/// instead of exhausting threads, memory or disk.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests being answered at the same time (every route but `/health`, which must answer
    /// even when the server is saturated).
    pub max_in_flight: usize,
    /// Uploads being received or ingested at the same time (each may hold up to
    /// [`UPLOAD_LIMIT`] of disk while it is received); they count in `max_in_flight` too.
    pub max_uploads: usize,
    /// How long a request waits for a slot.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_in_flight: 128,
            max_uploads: 4,
            queue_wait: Duration::from_secs(10),
        }
    }
}

/// A bounded number of requests at once.
#[derive(Debug)]
pub(crate) struct Gate {
    slots: Arc<Semaphore>,
    wait: Duration,
    what: &'static str,
}

pub(crate) async fn gate(State(gate): State<Arc<Gate>>, req: Request, next: Next) -> Response {
    let permit = match gate.slots.clone().try_acquire_owned() {
        Ok(p) => Some(p),
        Err(_) if gate.wait.is_zero() => None,
        Err(_) => tokio::time::timeout(gate.wait, gate.slots.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok),
    };
    let Some(permit) = permit else {
        let mut resp = AppError::Unavailable(format!(
            "the server is busy ({}); try again in a few seconds",
            gate.what
        ))
        .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return resp;
    };
    let resp = next.run(req).await;
    drop(permit);
    resp
}

impl Gate {
    pub(crate) fn new(max: usize, wait: Duration, what: &'static str) -> Arc<Gate> {
        Arc::new(Gate {
            slots: Arc::new(Semaphore::new(max.max(1))),
            wait,
            what,
        })
    }
}
