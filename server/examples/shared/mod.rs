//! What the benchmarks that drive the portal over HTTP share: the real router served on a
//! local port, and a form post on a kept-alive connection read by hand (so that the client
//! costs next to nothing beside the server it measures).

use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves the portal's router with `settings` on a free local port; its address.
pub async fn serve(pool: PgPool, settings: server::Settings) -> Result<String, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?.to_string();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("qnej")
        .build();
    let app = server::router(pool, options, settings);
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    Ok(addr)
}

/// One HTTP/1.1 request on a kept-alive connection; the status and the body.
pub async fn call(
    stream: &mut TcpStream,
    addr: &str,
    cookie: &str,
    path: &str,
    body: &str,
) -> Result<(u16, String, Option<String>), BoxError> {
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nCookie: {cookie}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await?;
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    let cookie = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        let v = v.trim();
        (k.eq_ignore_ascii_case("set-cookie") && v.starts_with("qnej_session="))
            .then(|| v.split(';').next().unwrap_or_default().to_owned())
    });
    let len: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .ok_or("no content-length")?;
    while buf.len() < header_end + len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[header_end..header_end + len]).to_string();
    Ok((status, body, cookie))
}
