//! The upload endpoint: `POST /api/uploads?purpose=..&name=..` with the file as the body.
//! The body is streamed to disk and stopped as soon as it passes the purpose's limit; the
//! type is decided by the file's first bytes; only then is the file moved among the
//! finished files and recorded. Answers with the stored file, or an `AppError` as JSON.

use app::auth::session::USER_ID_KEY;
use app::error::{AppError, Msg};
use app::uploads::model::{Purpose, SNIFF_LEN, UploadedFile, check, display_name, sniff};
use app::uploads::store::{self as uploads, UploadDir};
use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use sqlx::PgPool;
use tokio::io::AsyncWriteExt;
use tower_sessions::Session;

use crate::AppState;

#[derive(Deserialize)]
pub struct Params {
    purpose: String,
    name: String,
}

fn reply(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(e)).into_response()
}

fn refuse(msg: Msg) -> AppError {
    AppError::invalid("file", msg)
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Params>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match receive(&state.pool, &state.uploads, session, params, &headers, body).await {
        Ok(file) => (StatusCode::CREATED, Json(file)).into_response(),
        Err(e) => reply(e),
    }
}

async fn receive(
    pool: &PgPool,
    dir: &UploadDir,
    session: Session,
    params: Params,
    headers: &HeaderMap,
    body: Body,
) -> Result<UploadedFile, AppError> {
    let actor = {
        let mut conn = pool.acquire().await?;
        session_actor(&mut conn, &session).await?
    };
    let user_id = actor.user_id;
    // Authors upload media and covers; administrators upload sheets to import.
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let purpose = Purpose::parse(&params.purpose).ok_or_else(|| refuse(Msg::FileTypeNotAllowed))?;
    let file_name = display_name(&params.name);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > purpose.max_bytes()) {
        return Err(refuse(Msg::FileTooLarge));
    }

    let id = uuid::Uuid::new_v4();
    tokio::fs::create_dir_all(dir.incoming())
        .await
        .map_err(AppError::internal)?;
    tokio::fs::create_dir_all(dir.files())
        .await
        .map_err(AppError::internal)?;
    let partial = dir.incoming().join(id.simple().to_string());
    let written = write_limited(&partial, body, purpose.max_bytes()).await;
    let (size, head) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(e);
        }
    };
    let file_type = match check(purpose, size, sniff(&head, &file_name)) {
        Ok(t) => t,
        Err(msg) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(refuse(msg));
        }
    };
    let target = dir.file(id, file_type.ext());
    tokio::fs::rename(&partial, &target)
        .await
        .map_err(AppError::internal)?;
    let mut conn = pool.acquire().await?;
    if let Err(e) = uploads::insert(
        &mut conn,
        id,
        user_id,
        purpose,
        &file_name,
        file_type,
        size as i64,
    )
    .await
    {
        let _ = tokio::fs::remove_file(&target).await;
        return Err(e);
    }
    tracing::info!(upload = %id, purpose = purpose.as_str(), size, by = user_id, "upload stored");
    Ok(UploadedFile {
        id: id.to_string(),
        url: uploads::media_url(id, file_type.ext()),
        file_name,
        size,
    })
}

/// Streams the body into `path`, stopping with `FileTooLarge` once it passes `max` bytes.
/// Returns the size and the first bytes.
async fn write_limited(
    path: &std::path::Path,
    body: Body,
    max: u64,
) -> Result<(u64, Vec<u8>), AppError> {
    let mut out = tokio::fs::File::create(path)
        .await
        .map_err(AppError::internal)?;
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    while let Some(chunk) = stream.next().await {
        // A client that goes away mid-upload is not a server fault.
        let chunk = chunk.map_err(|_| AppError::BadRequest("upload interrupted".into()))?;
        size += chunk.len() as u64;
        if size > max {
            return Err(refuse(Msg::FileTooLarge));
        }
        if head.len() < SNIFF_LEN {
            let take = (SNIFF_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        out.write_all(&chunk).await.map_err(AppError::internal)?;
    }
    out.flush().await.map_err(AppError::internal)?;
    Ok((size, head))
}

/// The signed-in caller of a plain axum handler and their roles, or `Unauthenticated`.
pub async fn session_actor(
    conn: &mut sqlx::PgConnection,
    session: &Session,
) -> Result<app::auth::model::Actor, AppError> {
    let user_id = session
        .get::<i64>(USER_ID_KEY)
        .await
        .ok()
        .flatten()
        .ok_or(AppError::Unauthenticated)?;
    app::auth::store::actor(conn, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)
}
