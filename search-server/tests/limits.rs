//! The bounds on concurrent requests, over a real socket: an upload whose body is still
//! arriving holds its slots, so the next requests over the bound are answered 503 with
//! `Retry-After` at once (no waiting with `queue_wait` zero), while `/health` always answers.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use indexer::data_dir::DataDir;
use search_server::{app_with_limits, AppState, Limits, Token};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn serve(limits: Limits) -> (SocketAddr, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::new(tmp.path().join("data"));
    let index = indexer::index::open(&data.index_dir()).unwrap();
    let state = AppState::new(index, data, Token::new("t0ken")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app_with_limits(state, limits))
            .await
            .unwrap();
    });
    (addr, tmp)
}

/// Status, headers (lower-case names) and body of one request.
async fn send(addr: SocketAddr, head: String, body: Vec<u8>) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

async fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let head = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    send(addr, head, Vec::new()).await
}

const BOUNDARY: &str = "limit-test-boundary";

fn upload_head(len: usize) -> String {
    format!(
        "POST /api/collections/c/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer t0ken\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// An upload that has sent its head and the start of a PDF, and then waits: the server is
/// inside the handler, receiving, holding its slots until the connection goes away.
async fn held_upload(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(upload_head(1 << 20).as_bytes()).await.unwrap();
    let part = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n"
    );
    s.write_all(part.as_bytes()).await.unwrap();
    s.flush().await.unwrap();
    s
}

/// Holds an upload open and repeats `probe` until it reports `want`. The held upload takes its
/// slot asynchronously, so on a busy machine a probe can be served first and the upload is the
/// one refused: then the upload is opened again.
async fn holding<F, Fut>(
    addr: SocketAddr,
    what: &str,
    want: u16,
    mut probe: F,
) -> (TcpStream, (u16, String, String))
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (u16, String, String)>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut held = held_upload(addr).await;
    loop {
        let r = probe().await;
        if r.0 == want {
            return (held, r);
        }
        assert!(
            Instant::now() < deadline,
            "{what}: never {want}, last {r:?}"
        );
        // Anything from the server, or the connection closing, means it is not held.
        let mut buf = [0u8; 512];
        match held.try_read(&mut buf) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            _ => held = held_upload(addr).await,
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Repeats `probe` until it reports `want`.
async fn until<F, Fut>(what: &str, want: u16, mut probe: F) -> (u16, String, String)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (u16, String, String)>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = probe().await;
        if r.0 == want {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: never {want}, last {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_over_the_bound_get_503_and_health_still_answers() {
    let (addr, _tmp) = serve(Limits {
        max_in_flight: 1,
        max_uploads: 1,
        queue_wait: Duration::ZERO,
    })
    .await;
    assert_eq!(get(addr, "/api/collections").await.0, 200);
    let (held, (_, head, body)) = holding(addr, "a read beside the held upload", 503, || {
        get(addr, "/api/collections")
    })
    .await;
    assert!(head.contains("retry-after: 5"), "{head}");
    assert!(body.contains("the server is busy"), "{body}");
    assert!(head.contains("application/json"), "{head}");
    assert_eq!(get(addr, "/health").await.0, 200, "health is never limited");
    assert_eq!(get(addr, "/api/search?q=a").await.0, 503);

    // The slot comes back when the held upload ends.
    drop(held);
    until("a read after the upload ended", 200, || {
        get(addr, "/api/collections")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_have_their_own_smaller_bound() {
    let (addr, _tmp) = serve(Limits {
        max_in_flight: 8,
        max_uploads: 1,
        queue_wait: Duration::ZERO,
    })
    .await;
    // A second upload (an empty one: if it got a slot it would be a quick 400).
    let empty = format!("--{BOUNDARY}--\r\n");
    let (held, (_, _, body)) = holding(addr, "a second upload", 503, || {
        send(addr, upload_head(empty.len()), empty.clone().into_bytes())
    })
    .await;
    assert!(body.contains("too many uploads"), "{body}");
    // Reads still have room.
    assert_eq!(get(addr, "/api/collections").await.0, 200);
    drop(held);
    let (status, _, body) = until("a second upload after the first", 400, || {
        send(addr, upload_head(empty.len()), empty.clone().into_bytes())
    })
    .await;
    assert_eq!(status, 400, "{body}");
}
