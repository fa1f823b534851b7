//! `GET /calendar/{secret}.ics`: a member's meetings as an iCalendar feed for the phone's
//! calendar. The secret in the address is the only credential (calendar apps send no
//! cookie); an unknown or malformed one is a plain 404.

use app::org_life::calendar::ics::{calendar, parse_secret};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};

use crate::AppState;

pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(secret) = parse_secret(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let events = async {
        let mut conn = state.pool.acquire().await?;
        app::org_life::calendar::store::feed(&mut conn, secret).await
    };
    match events.await {
        Ok(Some(events)) => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let body = calendar("青年e家 组织生活", &format!("http://{host}"), &events);
            (
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (header::CACHE_CONTROL, "private, max-age=300"),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
