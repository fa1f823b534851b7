//! The upload endpoint: `POST /api/uploads?purpose=..&name=..` with the file as the body.
//! The body is streamed to disk and stopped as soon as it passes the purpose's limit; the
//! type is decided by the file's first bytes; only then is the file moved among the
//! finished files and recorded. Answers with the stored file, or an `AppError` as JSON.

use app::error::{AppError, Msg};
use app::uploads::model::{Purpose, SNIFF_LEN, UploadedFile, check, display_name, sniff};
use app::uploads::store as uploads;
use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
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
    match receive(&state, session, params, &headers, body).await {
        Ok(file) => (StatusCode::CREATED, Json(file)).into_response(),
        Err(e) => reply(e),
    }
}

async fn receive(
    state: &AppState,
    session: Session,
    params: Params,
    headers: &HeaderMap,
    body: Body,
) -> Result<UploadedFile, AppError> {
    let (pool, dir, quota) = (&state.pool, &state.uploads, state.upload_quota);
    let (actor, used) = {
        let mut conn = pool.acquire().await?;
        let actor = session_actor(&mut conn, &session).await?;
        let used = uploads::used_bytes(&mut conn, actor.user_id).await?;
        (actor, used)
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
    if declared.is_some_and(|n| used.saturating_add(n as i64) > quota) {
        return Err(refuse(Msg::UploadQuotaFull));
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
    let recorded = async {
        let mut tx = pool.begin().await?;
        uploads::insert(
            &mut tx,
            id,
            user_id,
            purpose,
            &file_name,
            file_type,
            size as i64,
            quota,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    };
    if let Err(e) = recorded.await {
        let _ = tokio::fs::remove_file(&target).await;
        return Err(e);
    }
    tracing::info!(upload = %id, purpose = purpose.as_str(), size, by = user_id.0, "upload stored");
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

/// `GET` (and `HEAD`) `/media/<id>.<ext>`: an uploaded file, with ranges for seeking, to
/// those who may see what it belongs to (`app::uploads::model::may_fetch`); anyone else,
/// and any name that is not a stored file, gets 404, so that a guessed or leaked name shows
/// nothing and tells nothing.
pub async fn media(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(file): axum::extract::Path<String>,
    req: axum::extract::Request,
) -> Response {
    match media_file(&state, &session, &file).await {
        Ok(Some(path)) => {
            use tower::ServiceExt;
            let mut res = match tower_http::services::ServeFile::new(path)
                .oneshot(req)
                .await
            {
                Ok(res) => res.map(Body::new),
                Err(never) => match never {},
            };
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static("private, max-age=31536000, immutable"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => reply(e),
    }
}

async fn media_file(
    state: &AppState,
    session: &Session,
    file: &str,
) -> Result<Option<std::path::PathBuf>, AppError> {
    let Some((id, ext)) = file.split_once('.') else {
        return Ok(None);
    };
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    let actor = session_actor(&mut conn, session).await?;
    let Some(uses) = uploads::uses(&mut conn, id, actor.user_id).await? else {
        return Ok(None);
    };
    Ok(
        (uses.ext == ext && app::uploads::model::may_fetch(&actor, &uses))
            .then(|| state.uploads.file(id, ext)),
    )
}

/// The signed-in caller of a plain axum handler and their roles, or `Unauthenticated` (also
/// for a session signed out elsewhere or older than a password change).
pub async fn session_actor(
    conn: &mut sqlx::PgConnection,
    session: &Session,
) -> Result<app::auth::model::Actor, AppError> {
    let claim = app::auth::session::claim_of(session)
        .await
        .ok_or(AppError::Unauthenticated)?;
    app::auth::session::actor_of(conn, &claim).await
}
