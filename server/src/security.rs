//! The request layers that every response passes: request ids and access logs, the client
//! address, the same-origin check for writes, security headers, sign-in gating for pages,
//! and the HTTP status of server function errors.

use std::net::SocketAddr;
use std::time::Instant;

use app::auth::session::{ClientIp, USER_ID_KEY};
use app::error::{AppError, REQUEST_ID};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderValue, Method, StatusCode, Uri, header};
use tower_sessions::Session;
use tracing::Instrument;

/// How many reverse proxies stand in front of the server and append to
/// `X-Forwarded-For` (0: believe no such header).
#[derive(Clone, Copy, Debug, Default)]
pub struct TrustProxy(pub u8);

/// Gives each request an id (in the `x-request-id` response header, in every log line of
/// the request, and in "something went wrong" messages) and logs one line per response.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let trust = req
        .extensions()
        .get::<TrustProxy>()
        .copied()
        .unwrap_or_default();
    let ip = client_ip(&req, trust.0);
    req.extensions_mut().insert(ClientIp(ip.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
        ip = %ip,
    );
    let started = Instant::now();
    let mut res = REQUEST_ID
        .scope(id.clone(), next.run(req).instrument(span.clone()))
        .await;
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "response"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", value);
    }
    res
}

/// A path as the access log writes it: the secret in a tracking link or a calendar feed's
/// address is replaced, so that reading the logs gives no one a way in.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path.starts_with("/league/track/") {
        "/league/track/…".into()
    } else if path.starts_with("/calendar/") {
        "/calendar/….ics".into()
    } else {
        path.into()
    }
}

fn client_ip(req: &Request, proxies: u8) -> String {
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    forwarded_client(&forwarded, proxies).unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ci| ci.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned())
    })
}

/// The client's address in `X-Forwarded-For` behind `proxies` trusted proxies: each
/// appends the address it was reached from, so the client is the `proxies`-th address from
/// the right. Anything left of it was written by the client and proves nothing.
fn forwarded_client(header: &str, proxies: u8) -> Option<String> {
    if proxies == 0 {
        return None;
    }
    let hops: Vec<&str> = header
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let hop = hops.len().checked_sub(usize::from(proxies))?;
    hops[hop]
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

/// Refuses every request that could change something (anything but GET, HEAD, OPTIONS)
/// unless its `Origin`, or failing that its `Referer`, is this site. Leptos server functions
/// have no CSRF protection of their own; this is it.
pub async fn same_origin(req: Request, next: Next) -> Response {
    // A payment provider's notification comes from its servers, signed (`dues_notify`).
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.uri().path() == "/dues/notify"
    {
        return next.run(req).await;
    }
    let (same, source) = {
        let header =
            |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
        let host = header(header::HOST).or_else(|| req.uri().authority().map(|a| a.as_str()));
        let source = header(header::ORIGIN).or_else(|| header(header::REFERER));
        let same = match (host, source) {
            (Some(host), Some(source)) => source
                .parse::<Uri>()
                .ok()
                .and_then(|u| u.authority().map(|a| a.as_str().eq_ignore_ascii_case(host)))
                .unwrap_or(false),
            _ => false,
        };
        (same, source.unwrap_or("-").to_owned())
    };
    if same {
        next.run(req).await
    } else {
        tracing::warn!(origin = %source, "cross-origin write refused");
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "跨站请求已被拒绝。\nCross-site request refused.\n",
        )
            .into_response()
    }
}

/// Security headers on every response. Pages set their own Content-Security-Policy with a
/// nonce (see `app::shell`); everything else gets a strict one.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // No camera, microphone, location or payment for any page or anything it embeds; the
    // check-in code is typed or scanned with the phone's own camera app.
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    // Pages are asked for again on every visit, so that a new release (whose bundle has new
    // file names) reaches every phone at once; the bundle itself is cached (see `pkg`).
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-cache"));
    }
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ));
    res
}

fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Pages for members need a session: without one the browser goes to sign-in and comes
/// back afterwards. Signed-in visitors skip the sign-in and sign-up pages.
pub async fn page_gate(session: Session, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let path = req.uri().path();
    // A letter's verification page is for anyone holding the letter, inside or outside.
    let public = is_under(path, "/transfers/verify");
    let protected = [
        "/me",
        "/study",
        "/points",
        "/rankings",
        "/orglife",
        "/transfers",
        "/admin",
        "/media",
        "/dues",
        "/development",
    ]
    .iter()
    .any(|p| is_under(path, p))
        && !public;
    let auth_page = path == "/signin" || path == "/signup";
    if !protected && !auth_page {
        return next.run(req).await;
    }
    let signed_in = session
        .get::<i64>(USER_ID_KEY)
        .await
        .ok()
        .flatten()
        .is_some();
    if protected && !signed_in {
        let back = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/me");
        let encoded: String = url_encode(back);
        return Redirect::to(&format!("/signin?next={encoded}")).into_response();
    }
    if auth_page && signed_in {
        return Redirect::to("/me").into_response();
    }
    next.run(req).await
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Server functions answer every error with 500; this sets the status that the error
/// itself names (`AppError::status`), so that bad input is a 4xx.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(err) => parts.status = StatusCode::from_u16(err.status()).unwrap_or(parts.status),
        Err(_) => {
            // Not ours: leptos could not even decode the request.
            tracing::warn!(body = %String::from_utf8_lossy(&bytes), "server function failed outside the app");
            parts.status = StatusCode::BAD_REQUEST;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_prefixes_match_whole_segments() {
        assert!(is_under("/me", "/me"));
        assert!(is_under("/me/password", "/me"));
        assert!(!is_under("/meetings", "/me"));
    }

    #[test]
    fn the_client_is_the_rightmost_address_the_trusted_proxies_did_not_write() {
        assert_eq!(forwarded_client("1.2.3.4", 1).as_deref(), Some("1.2.3.4"));
        // A client that sends its own header cannot choose its address.
        assert_eq!(
            forwarded_client("6.6.6.6, 1.2.3.4", 1).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(
            forwarded_client("6.6.6.6, 1.2.3.4, 10.0.0.2", 2).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(forwarded_client("1.2.3.4", 2), None);
        assert_eq!(forwarded_client("not-an-address", 1), None);
        assert_eq!(forwarded_client("1.2.3.4", 0), None);
        assert_eq!(forwarded_client("", 1), None);
    }

    #[test]
    fn secrets_in_paths_stay_out_of_the_log() {
        assert_eq!(
            loggable_path("/league/track/AbC123secret"),
            "/league/track/…"
        );
        assert_eq!(loggable_path("/calendar/s3cr3t.ics"), "/calendar/….ics");
        assert_eq!(loggable_path("/study/12"), "/study/12");
    }

    #[test]
    fn next_parameters_are_encoded() {
        assert_eq!(
            url_encode("/admin/orgs?tree=league&q=研"),
            "/admin/orgs%3Ftree%3Dleague%26q%3D%E7%A0%94"
        );
    }
}
