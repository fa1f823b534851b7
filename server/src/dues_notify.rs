//! `POST /dues/notify`: a payment provider tells the portal how an online dues payment
//! ended. The body is JSON (`{"payment": 12, "reference": "…", "amount": 36000, "status":
//! "paid"}`), signed with the shared secret: `X-Signature` carries the hexadecimal
//! HMAC-SHA256 of the body. Recorded once; the same notification again answers 200 and
//! changes nothing. No session is involved: the signature is the authority.

use app::dues::gateway::Notification;
use app::error::AppError;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};

use crate::AppState;

pub async fn notify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = &state.payment_secret else {
        return (StatusCode::NOT_FOUND, "no payment provider is configured\n").into_response();
    };
    let signature = headers
        .get("x-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !secret.verify(&body, signature) {
        tracing::warn!("a payment notification with a wrong signature was refused");
        return (StatusCode::UNAUTHORIZED, "signature does not match\n").into_response();
    }
    let Ok(n) = serde_json::from_slice::<Notification>(&body) else {
        return (StatusCode::BAD_REQUEST, "not a payment notification\n").into_response();
    };
    match record(&state, &n).await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            tracing::warn!(
                payment = n.payment,
                status = status.as_u16(),
                "a payment notification was not recorded"
            );
            (status, axum::Json(e)).into_response()
        }
    }
}

async fn record(state: &AppState, n: &Notification) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    app::dues::flow::notified(&mut tx, n).await?;
    tx.commit().await?;
    Ok(())
}
